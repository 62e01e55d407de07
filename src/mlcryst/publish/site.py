"""``mlcryst site``: the whole static site, written as one set.

One page per document (:mod:`mlcryst.publish.described`) with its RDF beside it
(``index.ttl``, ``index.nt``, ``index.jsonld``, ``index.rdf``); the index pages (papers,
people A–Z, methods and problems as trees, journals, databases), the offline search, the
network page and the figures, the ontology page, the VoID/DCAT description of the dataset
with the graph in every syntax, a sitemap, a 404 page and the content-negotiation rules.
Deterministic: two runs over the same graph write the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from mlcryst.collection import Collection
from mlcryst.errors import UsageError
from mlcryst.namespaces import DEFAULT_BASE

if TYPE_CHECKING:
    from mlcryst.publish.pages import Site
    from mlcryst.stores.base import GraphStore

PERSON = "http://xmlns.com/foaf/0.1/Person"
PAPER = "http://purl.org/spar/fabio/JournalArticle"


@dataclass
class SiteReport:
    pages: int = 0
    files: int = 0
    triples: int = 0
    papers: int = 0
    people: int = 0
    written: list[Path] = field(default_factory=list)


def check_base(base: str | None) -> str:
    """The base IRI, checked: absolute http(s), ending in ``/`` (UsageError otherwise)."""
    from mlcryst.builder.iris import Iris

    base = base or DEFAULT_BASE
    if urlsplit(base).scheme not in ("http", "https") or not urlsplit(base).netloc:
        raise UsageError(f"--base {base!r} is not an absolute http(s) IRI (https://host/path/)")
    checked = Iris(base).base
    if checked.endswith("#"):
        raise UsageError(f"--base {base!r}: a site needs a base that ends in '/'")
    return checked


def check_out(out_dir: Path | str, data_dir: Path | str | None) -> None:
    """Refuse an output folder inside the data folder (or holding it): the site replaces
    the output folder as a whole."""
    if data_dir is None:
        return
    out, data = Path(out_dir).resolve(), Path(data_dir).resolve()
    if out == data or data in out.parents or out in data.parents:
        raise UsageError(
            f"the output folder {out_dir} is inside (or holds) the data folder {data_dir}: "
            "give an output folder elsewhere"
        )


def site_store(
    data_dir: Path | str | None,
    graph_file: Path | str | None,
    base: str,
    store: str,
    collection: Collection | None = None,
) -> GraphStore:
    """The graph to publish: built from the data and validated (as ``build`` does), or read
    from a graph file and validated."""
    if graph_file is not None:
        from mlcryst.shacl.report import load_shapes
        from mlcryst.stores.registry import open_store

        graph = open_store(store, graph_file)
        graph.check(load_shapes((collection or Collection.shipped()).shapes_dir))
        return graph
    from mlcryst.pipeline import build

    report = build(
        None, data_dir=data_dir, base=base, visuals=False, store=store, collection=collection
    )
    return report.graph


def site_files(
    graph: GraphStore,
    base: str,
    *,
    deploy_url: str | None = None,
    visuals: bool = True,
    version: str | None = None,
) -> Iterator[tuple[str, bytes]]:
    """Every file of the site: (relative path, bytes), in a fixed order; ``version`` (of a
    release) goes into the dataset's description."""
    from mlcryst.export.formats import EXPORT_FORMATS
    from mlcryst.publish import conneg, pages, rdfio
    from mlcryst.publish.described import describe
    from mlcryst.publish.html import CSS, file_of
    from mlcryst.publish.void import void_triples
    from mlcryst.visual.index import index_graph
    from mlcryst.visual.stats_tables import gap_map_of

    found = describe(graph, base)
    index = index_graph(graph.view())
    site = pages.Site.make(found, index, gap_map_of(index))

    distributions: dict[str, tuple[str, bytes]] = {}
    for fmt in EXPORT_FORMATS.values():
        if fmt.name == "xml":  # the engines' RDF/XML is not deterministic: ours, from the N-Triples
            data = rdfio.rdfxml([t for ts in found.by_subject.values() for t in ts])
        else:
            data = graph.serialize(fmt.name)
        distributions[fmt.file_name()] = (fmt.media_type, data)
        yield fmt.file_name(), data
    counts = {
        "triples": found.triples,
        "entities": sum(1 for s in found.by_subject if s.startswith("<")),
        "classes": len(found.classes),
        "properties": len(found.properties),
    }
    people = sum(
        1
        for ts in found.by_subject.values()
        for t in ts
        if t.predicate.value == pages.RDF_TYPE and str(t.object) == f"<{PERSON}>"
    )
    partitions = {PAPER: len(index.papers), PERSON: people}
    void = void_triples(base, counts, partitions, distributions, version)
    yield "void.ttl", rdfio.turtle(void)
    void_of = {"dataset": void}

    urls = []
    for path in sorted(found.documents):
        triples = found.description(path) + void_of.get(path, [])
        folder = path.rstrip("/") + "/" if path else ""
        for suffix, writer in rdfio.WRITERS.items():
            yield f"{folder}index.{suffix}", writer(triples)
        html = pages.resource_page(site, path, found.documents[path])
        if path == "dataset":
            html = html.replace(
                "</main>", _dataset_html(site, counts, partitions, distributions) + "</main>", 1
            )
        yield file_of(path), html.encode()
        urls.append(base + path)

    yield "paper/index.html", pages.papers_index(site).encode()
    yield "person/index.html", pages.people_index(site).encode()
    yield (
        "journal/index.html",
        pages.list_index(site, "journal/", "Journals", ("journal/",)).encode(),
    )
    yield (
        "database/index.html",
        pages.list_index(
            site,
            "database/",
            "Databases, standards and software",
            ("database/", "standard/", "software/"),
        ).encode(),
    )
    yield "search/index.html", pages.search_page(site).encode()
    yield "sparql/index.html", _sparql_page(site).encode()
    yield "assets/site.css", CSS.encode()
    yield "404.html", _not_found(site).encode()
    if "" not in found.documents:
        yield "index.html", _home(site, counts, partitions).encode()
    if visuals:
        yield from _visuals(graph, site)
    yield ".htaccess", conneg.htaccess().encode()
    yield "conneg/nginx.conf", conneg.nginx_rules("/srv/mlcryst/site").encode()
    if deploy_url:
        yield "conneg/w3id.htaccess", conneg.w3id_htaccess(base, deploy_url).encode()
    for extra in ("paper/", "person/", "journal/", "database/", "search/", "sparql/"):
        urls.append(base + extra)
    if visuals:
        urls += [base + "network/", base + "figures/"]
    yield "sitemap.xml", _sitemap(urls)


def _visuals(graph: GraphStore, site: Site) -> Iterator[tuple[str, bytes]]:
    from mlcryst.publish.html import esc, shell
    from mlcryst.visual.page import build_page
    from mlcryst.visual.plots import figure_files
    from mlcryst.visual.stats import compute_stats

    yield "network/index.html", build_page(graph, "overview", index=site.index)
    figures = figure_files(compute_stats(graph, index=site.index))
    items = []
    for name, data in sorted(figures.items()):
        yield f"figures/{name}", data
        if name.endswith(".svg"):
            png = name[:-4] + ".png"
            items.append(
                f'<figure><img class="figure" src="{esc(png if png in figures else name)}" '
                f'alt="{esc(name[:-4])}"><figcaption>{esc(name[:-4])}: '
                f'<a href="{esc(name)}">SVG</a></figcaption></figure>'
            )
    body = "<h1>Figures</h1>" + "".join(items)
    yield "figures/index.html", shell("figures/", "Figures", body).encode()


def _home(site: Site, counts: dict[str, int], partitions: dict[str, int]) -> str:
    from mlcryst.publish.html import NAV, esc, rel, shell

    found = site.found
    links = "".join(
        f'<li><a href="{esc(rel("", target))}">{esc(name)}</a></li>' for target, name in NAV[1:]
    )
    body = (
        "<h1>Machine learning in crystallography and structural science</h1>"
        "<p>A knowledge graph of the IUCr virtual-collection editorial by S. J. L. Billinge and "
        "T. Proffen: the papers of its Table 1, their authors, journals, the machine-learning "
        "methods they use and the crystallographic problems they address.</p>"
        f"<p>{partitions[PAPER]} papers, {partitions[PERSON]} people, "
        f"{counts['triples']} triples. Every IRI of the graph resolves to a page like these, and "
        "to RDF when asked for it (Turtle, N-Triples, JSON-LD, RDF/XML).</p>"
        f"<ul>{links}</ul>"
        f"<p>Editorial: {site.link('', found.base + 'editorial')}.</p>"
    )
    return shell("", "mlcryst", body, iri=found.base)


def _dataset_html(
    site: Site,
    counts: dict[str, int],
    partitions: dict[str, int],
    distributions: dict[str, tuple[str, bytes]],
) -> str:
    from mlcryst.publish.html import esc, rel

    rows = "".join(
        f'<tr><td><a href="{esc(rel("dataset", name))}">{esc(name)}</a></td><td>{esc(media)}</td>'
        f"<td>{len(data)}</td><td><code>{hashlib.sha256(data).hexdigest()}</code></td></tr>"
        for name, (media, data) in sorted(distributions.items())
    )
    facts = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in sorted(counts.items()))
    facts += (
        f"<dt>papers</dt><dd>{partitions[PAPER]}</dd><dt>people</dt><dd>{partitions[PERSON]}</dd>"
    )
    return (
        f'<h2>Counts</h2><dl class="facts">{facts}</dl>'
        "<h2>Distributions</h2><table><tr><th>file</th><th>media type</th><th>bytes</th>"
        f"<th>SHA-256</th></tr>{rows}</table>"
        f'<p>VoID and DCAT: <a href="{esc(rel("dataset", "void.ttl"))}">void.ttl</a>.</p>'
    )


def _sparql_page(site: Site) -> str:
    from mlcryst.publish.html import esc, rel, shell
    from mlcryst.sparql.named import list_queries

    items = "".join(
        f"<li><code>{esc(q.name)}</code>: {esc(q.question)}</li>" for q in list_queries()
    )
    body = (
        "<h1>SPARQL</h1>"
        f'<p>The endpoint is <a href="{esc(rel("sparql/", "sparql"))}"><code>{esc(site.found.base)}'
        "sparql</code></a> (SPARQL 1.1 protocol, read-only; <code>mlcryst serve</code> runs it). "
        "The named queries shipped with mlcryst:</p>"
        f"<ul>{items}</ul>"
    )
    return shell("sparql/", "SPARQL", body)


def _not_found(site: Site) -> str:
    from mlcryst.publish.html import shell

    body = "<h1>Not found</h1><p>No page has this address. Try the search or the indexes above.</p>"
    # served for any missing path: links are absolute from the site root
    return (
        shell("", "Not found", body)
        .replace('href="', 'href="/')
        .replace('href="/data:', 'href="data:')
    )


def _sitemap(urls: list[str]) -> bytes:
    from xml.sax.saxutils import escape

    lines = "".join(f"  <url><loc>{escape(u)}</loc></url>\n" for u in sorted(set(urls)))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + lines + "</urlset>\n"
    ).encode()


def write_site(
    out_dir: Path | str,
    *,
    data_dir: Path | str | None = None,
    graph_file: Path | str | None = None,
    base: str | None = None,
    store: str = "auto",
    deploy_url: str | None = None,
    visuals: bool = True,
    collection: Collection | None = None,
) -> SiteReport:
    """Build (or read) and validate the graph, then write the site into ``out_dir`` as one
    set (:class:`~mlcryst.fileio.OutputSet`: all files or none)."""
    from mlcryst.fileio import OutputSet

    collection = collection or Collection.shipped()
    base = check_base(base or collection.base)
    check_out(out_dir, data_dir if data_dir is not None else collection.data_dir)
    if deploy_url is not None and urlsplit(deploy_url).scheme not in ("http", "https"):
        raise UsageError(f"--deploy-url {deploy_url!r} is not an absolute http(s) URL")
    graph = site_store(data_dir, graph_file, base, store, collection)
    report = SiteReport(triples=len(graph))
    with OutputSet(out_dir) as output:
        for name, data in site_files(graph, base, deploy_url=deploy_url, visuals=visuals):
            path = output.path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            report.files += 1
            report.pages += name.endswith(".html")
    report.written = output.written
    return report
