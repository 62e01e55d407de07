"""``mlcryst validate --shapes PATH --report OUT.ttl`` and ``build --shapes``, on every store.

User shapes replace the shipped ones; the report is the standard ``sh:ValidationReport``
(read back here with rdflib as another SHACL tool would) and says the same on every store;
the command says which shapes ran where (compiled to SPARQL, or checked by pySHACL).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from mlcryst.cli.main import main
from mlcryst.stores.registry import STORES

PAGE_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/shapes#> .
@prefix fabio: <http://purl.org/spar/fabio/> .
@prefix prism: <http://prismstandard.org/namespaces/basic/2.0/> .
ex:EarlyPapers a sh:NodeShape ;
  sh:targetClass fabio:JournalArticle ;
  sh:property [ sh:path prism:startingPage ; sh:maxInclusive 2000 ;
                sh:message "a first page over 2000" ] .
"""
#: $this only inside a FILTER: pre-binding the compiler leaves to pySHACL
FILTER_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/shapes#> .
@prefix fabio: <http://purl.org/spar/fabio/> .
ex:FilterOnly a sh:NodeShape ;
  sh:targetClass fabio:JournalArticle ;
  sh:sparql [ sh:message "never" ; sh:select \"\"\"
    SELECT $this WHERE { ?x a <http://purl.org/spar/fabio/JournalArticle> .
                         FILTER (?x = $this && false) }\"\"\" ] .
"""
PAPER = URIRef("https://w3id.org/mlcryst/paper/acta-d-58-2043")


def _results(report: Path) -> tuple[bool, set[tuple[str, ...]]]:
    g = Graph().parse(report, format="turtle")
    (top,) = g.subjects(RDF.type, SH.ValidationReport)
    conforms = g.value(top, SH.conforms)
    assert isinstance(conforms, Literal)
    keys = {
        tuple(str(g.value(r, p)) for p in (SH.focusNode, SH.resultPath, SH.value,
                                            SH.sourceConstraintComponent, SH.resultSeverity))
        for r in g.objects(top, SH.result)
    }  # fmt: skip
    return bool(conforms.toPython()), keys


@pytest.mark.parametrize("store", list(STORES))
def test_user_shapes_and_report(runner: CliRunner, tmp_path: Path, store: str) -> None:
    (tmp_path / "shapes").mkdir()
    (tmp_path / "shapes" / "pages.ttl").write_text(PAGE_SHAPE, encoding="utf-8")
    report = tmp_path / "report.ttl"
    args = ["validate", "--store", store, "--shapes", str(tmp_path / "shapes")]
    out = runner.invoke(main, [*args, "--report", str(report)])
    assert out.exit_code == 4, out.output
    assert (
        "Table 1 row 18, Iorger & Sacchettini (2002): pages (first): a first page over 2000"
        in out.output
    )
    assert f"wrote {report}" in out.output
    conforms, keys = _results(report)
    assert not conforms
    assert keys == {
        (str(PAPER), "http://prismstandard.org/namespaces/basic/2.0/startingPage", "2043",
         str(SH.MaxInclusiveConstraintComponent), str(SH.Violation))
    }  # fmt: skip


def test_the_report_is_the_same_on_every_store(runner: CliRunner, tmp_path: Path) -> None:
    shapes = tmp_path / "pages.ttl"
    shapes.write_text(PAGE_SHAPE, encoding="utf-8")
    found = []
    for store in STORES:
        report = tmp_path / f"{store}.ttl"
        runner.invoke(
            main, ["validate", "--store", store, "--shapes", str(shapes), "--report", str(report)]
        )
        found.append(_results(report))
    assert all(f == found[0] for f in found)


@pytest.mark.parametrize("store", list(STORES))
def test_a_conforming_graph_gets_a_conforming_report(
    runner: CliRunner, tmp_path: Path, store: str
) -> None:
    shapes = tmp_path / "filter.ttl"
    shapes.write_text(FILTER_SHAPE, encoding="utf-8")
    report = tmp_path / "r.ttl"
    out = runner.invoke(
        main, ["validate", "--store", store, "--shapes", str(shapes), "--report", str(report)]
    )
    assert out.exit_code == 0, out.output
    assert _results(report) == (True, set())
    if store == "oxigraph":  # the shape the compiler does not translate ran in pySHACL
        assert "0 shape(s) compiled to SPARQL, 1 checked by pySHACL" in out.output
        assert "FilterOnly" in out.output
    else:
        assert "1 shape(s) checked by pySHACL" in out.output


def test_the_shipped_shapes_by_default(runner: CliRunner) -> None:
    out = runner.invoke(main, ["validate", "--store", "oxigraph"])
    assert out.exit_code == 0, out.output
    assert "checked by pySHACL" in out.output and "0 checked by pySHACL" in out.output


def test_bad_shapes_paths(runner: CliRunner, tmp_path: Path) -> None:
    out = runner.invoke(main, ["validate", "--shapes", str(tmp_path / "missing.ttl")])
    assert out.exit_code == 2
    (tmp_path / "empty").mkdir()
    out = runner.invoke(main, ["validate", "--shapes", str(tmp_path / "empty")])
    assert out.exit_code == 3 and "no shapes file" in out.output
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    out = runner.invoke(main, ["validate", "--shapes", str(bad)])
    assert out.exit_code == 6 and "bad.ttl" in out.output


def test_build_takes_shapes_and_writes_nothing_on_a_violation(
    runner: CliRunner, tmp_path: Path
) -> None:
    shapes = tmp_path / "pages.ttl"
    shapes.write_text(PAGE_SHAPE, encoding="utf-8")
    out_dir = tmp_path / "dist"
    out = runner.invoke(
        main, ["build", "--no-visuals", "--out", str(out_dir), "--shapes", str(shapes)]
    )
    assert out.exit_code == 4, out.output
    assert "a first page over 2000" in out.output and "nothing was written" in out.output
    assert not out_dir.exists() or not any(out_dir.iterdir())
