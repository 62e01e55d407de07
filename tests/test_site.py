"""``mlcryst site``: a page and RDF for every minted IRI, index pages, determinism, errors."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.collection import Collection

from mlcryst.cli.main import main
from mlcryst.publish.site import write_site

from .rdfcompare import isomorphic
from .sitecheck import BASE, RDF_SUFFIXES, document_of, kinds, minted, own_triples, read

# one worker builds the site (a module fixture is built again on each worker)
pytestmark = pytest.mark.xdist_group("site")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    write_site(out, store="rdflib")
    return out


@pytest.fixture(scope="module")
def full(site: Path) -> Graph:
    return Graph().parse(site / "mlcryst.nt", format="nt")


def test_every_minted_iri_has_a_page_and_its_rdf(site: Path, full: Graph) -> None:
    iris = minted(full)
    assert len(iris) > 800
    for iri in iris:
        folder = site / document_of(iri)
        assert (folder / "index.html").is_file(), iri
        for suffix in RDF_SUFFIXES:
            assert (folder / f"index.{suffix}").is_file(), (iri, suffix)


def test_descriptions_hold_the_resources_triples_in_every_syntax(site: Path, full: Graph) -> None:
    for kind, iri in kinds(minted(full)).items():
        folder = site / document_of(iri)
        graphs = {s: read(folder / f"index.{s}", f) for s, f in RDF_SUFFIXES.items()}
        for suffix, g in graphs.items():
            assert own_triples(full, iri) <= set(g), (kind, suffix)
            assert isomorphic(g, graphs["nt"]), (kind, suffix)
    paper = URIRef(BASE + "paper/acta-d-58-2043")
    g = read(site / "paper/acta-d-58-2043/index.ttl", "turtle")
    head = g.value(paper, URIRef("http://purl.org/ontology/bibo/authorList"))
    expected = full.value(paper, URIRef("http://purl.org/ontology/bibo/authorList"))
    assert list(Collection(g, head)) == list(Collection(full, expected))
    assert (
        URIRef(BASE + "person/ioerger-t-r"),
        URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
        None,
    ) in g


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("href", "src", "action"):
            if a.get(key):
                self.links.append(str(a[key]))
        if a.get("id"):
            self.ids.add(str(a["id"]))


def test_pages_show_what_people_need(site: Path) -> None:
    paper = (site / "paper/acta-d-58-2043/index.html").read_text()
    assert "Iorger, T. R. &amp; Sacchettini, J. C. (2002). Acta Cryst. D 58, 2043–2054." in paper
    assert 'href="../person/ioerger-t-r"' in paper
    assert 'href="../editorial/table-1/row-18">row 18</a>' in paper
    assert 'href="../method/feed-forward-neural-network"' in paper
    schema = re.search(r'<script type="application/ld\+json">(.*?)</script>', paper)
    assert schema and json.loads(schema.group(1))["@type"] == "ScholarlyArticle"
    person = (site / "person/ioerger-t-r/index.html").read_text()
    assert "Iorger, T. R." in person and "Ioerger, T. R." in person  # the printed variants
    assert 'href="../paper/acta-d-58-2043"' in person and "sacchettini-j-c" in person
    method = (site / "method/feed-forward-neural-network/index.html").read_text()
    assert "https://w3id.org/aio/DeepFeedForwardNetwork" in method
    assert 'href="neural-network"' in method  # broader
    assert "<h3>2002</h3>" in method and '"DefinedTerm"' in method
    problem = (site / "problem/electron-density-map-interpretation/index.html").read_text()
    assert "Gap map:" in problem and "never combined" in problem
    ontology = (site / "ontology/index.html").read_text()
    assert 'id="usesMethod"' in ontology
    assert "mlc:usesMethod" in (site / "ontology/index.ttl").read_text()
    tree = (site / "method/index.html").read_text()
    assert 'href="neural-network"' in tree and 'class="tree"' in tree


def test_no_external_requests_and_scripts_allowed_by_hash(site: Path) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text()
        assert not re.search(
            r'<(?:script|img|link|iframe)[^>]+(?:src|href)="(?:https?:)?//',
            text.replace('rel="canonical" href="https://', "").replace('rel="external"', ""),
        ), page
        assert "Content-Security-Policy" in text, page


def test_void_counts_and_checksums(site: Path, full: Graph) -> None:
    import hashlib

    void = Graph().parse(site / "void.ttl", format="turtle")
    ds = URIRef(BASE + "dataset")
    V = "http://rdfs.org/ns/void#"
    assert int(void.value(ds, URIRef(V + "triples"))) == len(full)
    for dist in void.objects(ds, URIRef("http://www.w3.org/ns/dcat#distribution")):
        data = (site / str(dist)[len(BASE) :]).read_bytes()
        assert int(void.value(dist, URIRef("http://www.w3.org/ns/dcat#byteSize"))) == len(data)
        check = void.value(dist, URIRef("http://spdx.org/rdf/terms#checksum"))
        assert (
            str(void.value(check, URIRef("http://spdx.org/rdf/terms#checksumValue")))
            == hashlib.sha256(data).hexdigest()
        )
    dataset_page = read(site / "dataset/index.ttl", "turtle")
    assert int(dataset_page.value(ds, URIRef(V + "triples"))) == len(full)


def test_two_runs_are_byte_identical(site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    write_site(again, store="rdflib")
    ours = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert ours == theirs
    different = [p for p in ours if (site / p).read_bytes() != (again / p).read_bytes()]
    assert different == []


@pytest.mark.parametrize(
    "base",
    ["ftp://example.org/kg/", "example.org/kg/", "https:///nohost/", "https://example.org/a b/"],
)
def test_bad_base_is_a_usage_error(runner, tmp_path: Path, base: str) -> None:
    result = runner.invoke(main, ["site", "--out", str(tmp_path / "s"), "--base", base])
    assert result.exit_code == 2, result.output
    assert "--base" in result.output or "IRI" in result.output
    assert not (tmp_path / "s").exists()


def test_output_inside_the_data_folder_is_refused(runner, data_copy: Path) -> None:
    result = runner.invoke(
        main, ["site", "--data", str(data_copy), "--out", str(data_copy / "site")]
    )
    assert result.exit_code == 2, result.output
    assert "inside" in result.output
    assert not (data_copy / "site").exists()
