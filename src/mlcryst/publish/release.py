"""``mlcryst release VERSION``: a versioned, citable, checksummed release of the collection.

``releases/VERSION/`` holds

* the graph in every syntax (``mlcryst.ttl``, ``mlcryst.nt``, ``mlcryst.jsonld``,
  ``mlcryst.rdf``) and the JSON-LD context (``mlcryst.context.jsonld``);
* ``site/``: the whole static site (``mlcryst site``), its dataset page saying the version;
* ``void.ttl``: the VoID/DCAT description of the dataset (with ``dcat:version``);
* ``CITATION.cff``: title, version, licence and creators from the collection's
  ``mlcryst.toml``, and the editorial the collection derives from as a reference;
* ``CHANGES.md``: what changed since the previous release in the same folder (the highest
  lower version; :mod:`mlcryst.curate.diff`), or "first release";
* ``SHA256SUMS``: the SHA-256 of every other file (``sha256sum -c SHA256SUMS`` checks them).

Nothing in a release depends on the time or the machine: two releases of the same inputs are
byte for byte the same. The folder appears whole or not at all, and an existing version is
never overwritten.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlcryst.collection import Collection
from mlcryst.errors import OutputError, UsageError

if TYPE_CHECKING:
    from mlcryst.stores.base import GraphStore

#: MAJOR.MINOR.PATCH with an optional pre-release and build (Semantic Versioning 2.0.0)
VERSION = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
    r"(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?\Z"
)
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
BIBO = "http://purl.org/ontology/bibo/"
CITO = "http://purl.org/spar/cito/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"


@dataclass
class ReleaseReport:
    folder: Path
    version: str
    previous: str | None = None
    files: int = 0
    triples: int = 0
    changes: str = ""
    written: list[Path] = field(default_factory=list)


def check_version(version: str) -> str:
    """``version`` when it is a semantic version (``1.2.0``, ``2.0.0-rc.1``); else a
    :class:`UsageError` (a path, a ``v`` prefix, two numbers ...)."""
    if not VERSION.match(version):
        raise UsageError(
            f"VERSION {version!r} is not a semantic version MAJOR.MINOR.PATCH "
            "(e.g. 1.0.0 or 1.1.0-rc.1)"
        )
    return version


def version_key(version: str) -> tuple[Any, ...]:
    """The precedence of a semantic version (pre-releases before the release; build ignored)."""
    m = VERSION.match(version)
    assert m is not None
    core = tuple(int(m.group(i)) for i in (1, 2, 3))
    if m.group(4) is None:
        return (*core, 1, ())
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in m.group(4).split("."))
    return (*core, 0, parts)


def previous_release(out_dir: Path, version: str) -> tuple[str, Path] | None:
    """The highest release in ``out_dir`` below ``version`` (a folder named by a semantic
    version holding ``mlcryst.nt``), as (version, its graph file)."""
    if not out_dir.is_dir():
        return None
    found = [
        (version_key(p.name), p.name, p / "mlcryst.nt")
        for p in out_dir.iterdir()
        if VERSION.match(p.name) and (p / "mlcryst.nt").is_file()
    ]
    below = [f for f in found if f[0] < version_key(version)]
    if not below:
        return None
    _key, name, graph = max(below)
    return name, graph


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def _person(name: str) -> list[str]:
    """One CFF author: ``Family, Given`` a person, anything else an entity."""
    if name.count(",") == 1:
        family, given = (part.strip() for part in name.split(","))
        if family and given:
            return [f"  - family-names: {_quote(family)}", f"    given-names: {_quote(given)}"]
    return [f"  - name: {_quote(name.strip())}"]


def editorial_of(graph: GraphStore, base: str) -> dict[str, Any] | None:
    """The editorial the collection derives from, as the graph describes it: title, authors
    (family and given names, in order), the title and home page of the collection it
    presents. None when the graph has no ``{base}editorial``."""
    from rdflib import URIRef

    view = graph.view()
    editorial = URIRef(base + "editorial")
    title = view.value(editorial, URIRef(DCT + "title"))
    if title is None:
        return None
    authors = []
    head = view.value(editorial, URIRef(BIBO + "authorList"))
    for person in view.items(head) if head is not None else ():
        family = view.value(person, URIRef(FOAF + "familyName"))
        given = view.value(person, URIRef(FOAF + "givenName"))
        label = view.value(person, URIRef(RDFS + "label"))
        authors.append((str(family or label or person), str(given) if given else None))
    collection = view.value(editorial, URIRef(CITO + "describes"))
    out: dict[str, Any] = {"title": str(title), "authors": authors}
    if collection is not None:
        ctitle = view.value(collection, URIRef(DCT + "title"))
        page = view.value(collection, URIRef(FOAF + "homepage"))
        out["collection"] = (str(ctitle) if ctitle else None, str(page) if page else None)
    return out


def citation_cff(
    collection: Collection, version: str, base: str, editorial: dict[str, Any] | None
) -> bytes:
    """``CITATION.cff`` (Citation File Format 1.2.0) of the release."""
    lines = [
        "cff-version: 1.2.0",
        'message: "If you use this dataset, please cite it as below."',
        "type: dataset",
        f"title: {_quote(collection.title)}",
        f"version: {_quote(version)}",
        f"license: {_quote(collection.licence)}",
        f"url: {_quote(base)}",
        "authors:",
    ]
    for name in collection.creators or ("mlcryst developers",):
        lines += _person(name)
    if editorial is not None:
        lines += [
            "references:",
            "  - type: article",
            f"    title: {_quote(editorial['title'])}",
            "    authors:",
        ]
        for family, given in editorial["authors"]:
            lines.append(f"      - family-names: {_quote(family)}")
            if given:
                lines.append(f"        given-names: {_quote(given)}")
        ctitle, page = editorial.get("collection", (None, None))
        if ctitle:
            lines.append(f"    collection-title: {_quote(ctitle)}")
        presents = f"the virtual collection ({page})" if page else "the virtual collection"
        note = f"The editorial that presents {presents}; its Table 1 is the source of this dataset."
        lines.append(f"    notes: {_quote(note)}")
    return ("\n".join(lines) + "\n").encode()


def changes_md(
    graph: GraphStore, version: str, previous: tuple[str, Path] | None, store: str
) -> str:
    """``CHANGES.md``: the diff from the previous release's graph, or "first release"."""
    if previous is None:
        return f"# Release {version}\n\nFirst release: no earlier release in this folder.\n"
    from mlcryst.curate.diff import diff_graphs, render_markdown
    from mlcryst.stores.registry import open_store

    name, nt = previous
    old = open_store(store, nt)
    text = render_markdown(diff_graphs(old, graph, name, version))
    return f"# Release {version}\n\nChanges since {name}.\n\n{text}"


def release_files(
    graph: GraphStore,
    base: str,
    version: str,
    collection: Collection,
    previous: tuple[str, Path] | None,
    store: str,
) -> Iterator[tuple[str, bytes]]:
    """Every file of the release but ``SHA256SUMS``: (relative path, bytes)."""
    from mlcryst.export.formats import CONTEXT_FILE, context_bytes
    from mlcryst.publish.site import site_files

    graph_files = {"mlcryst.ttl", "mlcryst.nt", "mlcryst.jsonld", "mlcryst.rdf", "void.ttl"}
    for name, data in site_files(graph, base, version=version):
        yield f"site/{name}", data
        if name in graph_files:
            yield name, data
    yield CONTEXT_FILE, context_bytes()
    yield "CITATION.cff", citation_cff(collection, version, base, editorial_of(graph, base))
    yield "CHANGES.md", changes_md(graph, version, previous, store).encode()


def write_release(
    version: str,
    out_dir: Path | str = "releases",
    *,
    data_dir: Path | str | None = None,
    base: str | None = None,
    store: str = "auto",
    collection: Collection | None = None,
) -> ReleaseReport:
    """Build and validate the graph, then write ``out_dir/VERSION/`` as one set."""
    from mlcryst.fileio import OutputSet
    from mlcryst.publish.site import check_base, check_out, site_store

    check_version(version)
    collection = collection or Collection.shipped()
    if collection.version != version:
        where = collection.root / "mlcryst.toml" if collection.root else "the shipped collection"
        raise UsageError(
            f"VERSION {version} is not the collection's version {collection.version} "
            f"({where}): set version = {_quote(version)} there first"
        )
    base = check_base(base or collection.base)
    out = Path(out_dir)
    folder = out / version
    if folder.exists():
        raise OutputError(
            f"{folder}: release {version} exists already; releases are never "
            "overwritten (give a new VERSION)"
        )
    check_out(out, data_dir if data_dir is not None else collection.data_dir)
    graph = site_store(data_dir, None, base, store, collection)
    previous = previous_release(out, version)
    report = ReleaseReport(folder, version, previous[0] if previous else None, triples=len(graph))
    sums = []
    with OutputSet(folder) as output:
        for name, data in release_files(graph, base, version, collection, previous, store):
            path = output.path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            sums.append(f"{hashlib.sha256(data).hexdigest()}  {name}\n")
            if name == "CHANGES.md":
                report.changes = data.decode()
        (output.path / "SHA256SUMS").write_text("".join(sorted(sums, key=lambda s: s[66:])))
        if folder.exists():
            raise OutputError(f"{folder}: release {version} was written meanwhile by another run")
    report.written = output.written
    report.files = len(report.written)
    return report
