"""`mlcryst build` and `mlcryst validate` from the command line: outputs, exit codes, messages.

Broken data are made by editing the YAML text of a copy of data/ (fixture ``data_copy``); every
failing build must exit 3 (bad data) or 4 (graph violates the shapes), name the file, line and
field, and leave the files of a previous build in the output folder byte-identical.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph

from mlcryst.cli.main import main
from mlcryst.export.formats import CONTEXT_FILE
from mlcryst.export.rdflib_writer import (
    isomorphic,  # canonical forms (checked against rdflib in test_export)
)

#: every test here reuses one build of the shipped data (``first_build``): one pytest-xdist worker
pytestmark = pytest.mark.xdist_group("build-cli")

OUTPUTS = ("mlcryst.ttl", "mlcryst.nt", "mlcryst.jsonld", CONTEXT_FILE)


def build(runner: CliRunner, out: Path, data: Path | None = None, store: str = "auto") -> Result:
    """``mlcryst build`` without the page and figures (slow, and not what these tests check)."""
    args = ["build", "--no-visuals", "--out", str(out), "--store", store]
    return runner.invoke(
        main, args + (["--data", str(data)] if data else []), catch_exceptions=False
    )


def shown(path: Path) -> str:
    """A data file as mlcryst names it in messages (relative to the working directory if inside)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative name -> bytes), temporary files included."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One successful build of the shipped data (built once for this module): folder, output."""
    out = tmp_path_factory.mktemp("previous") / "dist"
    result = build(CliRunner(), out)
    assert result.exit_code == 0, result.output
    return out, result.output


@pytest.fixture(scope="module")
def previous_build(first_build: tuple[Path, str]) -> Path:
    return first_build[0]


@pytest.fixture
def out_dir(previous_build: Path, tmp_path: Path) -> Path:
    """An output folder that already holds a previous build."""
    out = tmp_path / "dist"
    shutil.copytree(previous_build, out)
    return out


# --- a good build ------------------------------------------------------------------------------


def test_oxigraph_build_writes_the_same_files(
    runner: CliRunner, previous_build: Path, tmp_path: Path
) -> None:
    """The large-data path (no rdflib graph) gives the same graph, page and figures."""
    out = tmp_path / "ox"
    result = runner.invoke(
        main, ["build", "--out", str(out), "--store", "oxigraph"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert (out / "mlcryst.nt").read_bytes() == (previous_build / "mlcryst.nt").read_bytes()
    for name in ("mlcryst.ttl", "mlcryst.jsonld"):
        fmt = "json-ld" if name.endswith("jsonld") else "turtle"
        ours = Graph().parse(out / name, format=fmt)
        assert isomorphic(ours, Graph().parse(previous_build / name, format=fmt)), name
    rd = tmp_path / "rd"
    result = runner.invoke(
        main, ["build", "--out", str(rd), "--store", "rdflib"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert (out / "mlcryst.html").read_bytes() == (rd / "mlcryst.html").read_bytes()
    for svg in sorted((rd / "figures").glob("*.svg")):
        assert (out / "figures" / svg.name).is_file(), svg.name


def test_build_writes_every_format(previous_build: Path) -> None:
    assert sorted(snapshot(previous_build)) == sorted(OUTPUTS)
    graph = Graph().parse(previous_build / "mlcryst.ttl", format="turtle")
    assert len(graph) > 5000
    nt_lines = (previous_build / "mlcryst.nt").read_text(encoding="utf-8").splitlines()
    assert len(nt_lines) == len(graph)
    doc = json.loads((previous_build / "mlcryst.jsonld").read_text(encoding="utf-8"))
    assert "@context" in doc
    context = json.loads((previous_build / CONTEXT_FILE).read_text(encoding="utf-8"))
    assert context["@context"]["fabio"] == "http://purl.org/spar/fabio/"


def test_build_reports_what_it_did(first_build: tuple[Path, str]) -> None:
    out, output = first_build
    assert "80 papers (80 Table 1 rows)" in output
    assert "conforms to the shapes" in output
    for name in OUTPUTS:
        assert f"wrote {out / name}" in output


# --- bad data: exit code 3 ---------------------------------------------------------------------


@dataclass(frozen=True)
class Breakage:
    name: str
    file: str  # in data/
    old: str  # text replaced (its first occurrence)
    new: str
    field: str  # the field the message names
    message: str  # a fragment of the message
    at: str  # the text (after the edit) whose line the message must give


ROW1 = "- row: 1\n  journal: acta-a\n  year: 1977\n  volume: 33\n  pages: 13–18\n"
BREAKAGES = [
    Breakage(
        "bad-year",
        "papers.yaml",
        ROW1,
        ROW1.replace("year: 1977", "year: 19x7"),
        "year",
        "expected a whole number, got '19x7'",
        "year: 19x7",
    ),
    Breakage(
        "pages-reversed",
        "papers.yaml",
        ROW1,
        ROW1.replace("13–18", "18–13"),
        "pages",
        "last page 13 is before first page 18",
        "pages: 18–13",
    ),
    Breakage(
        "unknown-journal",
        "papers.yaml",
        ROW1,
        ROW1.replace("acta-a", "acta-z"),
        "journal",
        "unknown journal 'acta-z'",
        "journal: acta-z",
    ),
    Breakage(
        "unknown-field",
        "papers.yaml",
        ROW1,
        ROW1 + "  pagess: 13–18\n",
        "pagess",
        "unknown field (misspelt?)",
        "pagess:",
    ),
    Breakage(
        "year-before-journal",
        "papers.yaml",
        ROW1,
        ROW1.replace("1977", "1960"),
        "year",
        "1960 is before Acta Crystallographica Section A began (1968)",
        "year: 1960",
    ),
    Breakage(
        "volume-inconsistent",
        "papers.yaml",
        ROW1,
        ROW1.replace("33", "34"),
        "volume",
        "volume 34 does not match year 1977 (that year's volume is 33)",
        "volume: 34",
    ),
    Breakage(
        "duplicate-author",
        "papers.yaml",
        "    - Johnson, C. K.\n",
        "    - Johnson, C. K.\n    - Feigenbaum, E. A.\n",
        "authors",
        "author 4: 'Feigenbaum, E. A.' is the same person as author 1",
        "    - Feigenbaum, E. A.\n  problem",
    ),
    # The loader names the record's first line for cross-file checks (not the table1: line).
    Breakage(
        "reference-table1-matches-nothing",
        "references.yaml",
        "table1: false\n  authors:\n    - Berman, H. M.",
        "table1: true\n  authors:\n    - Berman, H. M.",
        "table1",
        "says it is a Table 1 paper, but no Table 1 row of papers.yaml has its journal",
        "- key: berman2000",
    ),
    # ... and the override's first line for an unknown concept (not the concepts: line).
    Breakage(
        "unknown-override-concept",
        "tagging.yaml",
        "concepts: [mlm:supervised-learning, mlm:unsupervised-learning]",
        "concepts: [mlm:supervised-learning, mlm:quantum-widgets]",
        "concepts",
        "unknown concept mlm:quantum-widgets",
        '- phrase: "Supervised and unsupervised ML"',
    ),
    # ... but the cell's own line for a phrase that matches no concept.
    Breakage(
        "unmatched-phrase",
        "papers.yaml",
        "approach: Image recognition, scene analysis",
        "approach: Quantum widgets",
        "approach",
        "the phrase 'Quantum widgets' matches no concept label",
        "approach: Quantum",
    ),
    Breakage(
        "invalid-yaml",
        "papers.yaml",
        ROW1,
        ROW1.replace("  year", " year"),
        "",
        "not valid YAML",
        " year: 1977",
    ),
]


def _break(data: Path, b: Breakage) -> int:
    """Apply ``b`` to the copy of data/ and return the line the message must name: that of
    ``b.at`` at or after the edit, else the nearest one before it (a record's first line)."""
    path = data / b.file
    text = path.read_text(encoding="utf-8")
    assert b.old in text, f"{b.name}: the shipped {b.file} changed; update the test"
    text = text.replace(b.old, b.new, 1)
    path.write_text(text, encoding="utf-8")
    start = text.index(b.new)
    pos = text.find(b.at, start)
    if pos < 0:
        pos = text.rindex(b.at, 0, start)
    return text[:pos].count("\n") + 1


@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda b: b.name)
def test_bad_data_exits_3_and_names_file_line_field(
    runner: CliRunner, data_copy: Path, out_dir: Path, breakage: Breakage
) -> None:
    before = snapshot(out_dir)
    line = _break(data_copy, breakage)
    result = build(runner, out_dir, data_copy)
    assert result.exit_code == 3, result.output
    where = f"{shown(data_copy / breakage.file)}:{line}: "
    lines = [m for m in result.output.splitlines() if where in m and breakage.message in m]
    assert lines, f"no message with {where!r} and {breakage.message!r} in:\n{result.output}"
    if breakage.field:
        assert f": {breakage.field}: " in lines[0], lines[0]
    assert "Traceback" not in result.output
    assert snapshot(out_dir) == before, "a failed build changed the previous outputs"


def test_missing_data_folder_exits_3(runner: CliRunner, tmp_path: Path, out_dir: Path) -> None:
    before = snapshot(out_dir)
    result = build(runner, out_dir, tmp_path / "nowhere")
    assert result.exit_code == 3, result.output
    assert f"{tmp_path / 'nowhere'}: data folder not found" in result.output
    assert snapshot(out_dir) == before


# --- DOIs: the loader refuses them at their line; the shapes refuse them in a graph file -------


@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
def test_bad_dois_are_refused_at_their_line(
    runner: CliRunner, data_copy: Path, out_dir: Path, store: str
) -> None:
    """The loader checks a DOI (10.NNNN/...) where it is written, before any graph exists."""
    papers = data_copy / "papers.yaml"
    text = papers.read_text(encoding="utf-8")
    text = text.replace(
        "  volume: 33\n", "  volume: 33\n  doi: doi.org/10.1107/S0567739477000035\n", 1
    )
    text = text.replace("  volume: 58\n", "  volume: 58\n  doi: 10.1107 S0108767301\n", 1)
    papers.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    first = lines.index("  doi: doi.org/10.1107/S0567739477000035") + 1
    second = lines.index("  doi: 10.1107 S0108767301") + 1
    before = snapshot(out_dir)
    result = build(runner, out_dir, data_copy, store)
    assert result.exit_code == 3, result.output
    assert f"papers.yaml:{first}: Table 1 row 1: doi: " in result.output
    assert f"papers.yaml:{second}: Table 1 row 2: doi: " in result.output
    assert snapshot(out_dir) == before


@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
def test_graph_violating_the_shapes_exits_4(
    runner: CliRunner, graph: Any, tmp_path: Path, store: str
) -> None:
    """A graph file with DOIs the shapes refuse: each violation is named in curator terms, and
    both validators (rdflib + pySHACL, Oxigraph + the shapes as SPARQL) report alike."""
    from rdflib import Literal, URIRef

    from mlcryst.export.rdflib_writer import serialize
    from mlcryst.namespaces import PRISM

    broken = Graph()
    for triple in graph:
        broken.add(triple)
    base = "https://w3id.org/mlcryst/paper/"
    broken.add((URIRef(base + "acta-a-33-13"), PRISM.doi, Literal("doi.org/10.1107/S05677394")))
    broken.add((URIRef(base + "acta-a-58-171"), PRISM.doi, Literal("10.1107 S0108767301")))
    path = tmp_path / "broken.nt"
    path.write_bytes(serialize(broken, "nt"))
    result = runner.invoke(main, ["validate", str(path), "--store", store])
    assert result.exit_code == 4, result.output
    assert "the graph does not conform: 2 violation(s)" in result.output
    lines = result.output.splitlines()
    assert (
        "  Table 1 row 1, Feigenbaum et al. (1977): doi: at most one DOI, written like "
        "10.1107/S2053273318010963 (prism:doi) (value: doi.org/10.1107/S05677394)"
    ) in lines
    assert (
        "  Table 1 row 2, Christensen (2002): doi: at most one DOI, written like "
        "10.1107/S2053273318010963 (prism:doi) (value: 10.1107 S0108767301)"
    ) in lines


BROKEN_TURTLE = """\
@prefix : <https://example.org/mlcryst/> .
@prefix fabio: <http://purl.org/spar/fabio/> .
@prefix prism: <http://prismstandard.org/namespaces/basic/2.0/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix bibo: <http://purl.org/ontology/bibo/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

:journal a fabio:Journal ;
    dcterms:title "Powder Diffraction" ; fabio:hasShortTitle "Powder Diffr." .
:smith a foaf:Person ; foaf:familyName "Smith" ; foaf:name "A. Smith" ; rdfs:label "Smith, A." .
:paper a fabio:JournalArticle ;
    rdfs:label "Smith (2020)" ;
    dcterms:bibliographicCitation "Smith, A. (2020). Powder Diffr. 35, 18–13." ;
    fabio:hasPublicationYear "2020"^^xsd:gYear ;
    dcterms:isPartOf :journal ;
    prism:volume 35 ; prism:startingPage 18 ; prism:endingPage 13 ;
    dcterms:creator :smith ;
    bibo:authorList ( :smith ) .
"""


@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
def test_validate_file_exits_4_and_prints_each_violation(
    runner: CliRunner, tmp_path: Path, store: str
) -> None:
    """pySHACL (rdflib) and the shapes compiled to SPARQL (Oxigraph) report alike."""
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        BROKEN_TURTLE.replace(":smith ;\n    bibo", ":smith , :jones ;\n    bibo"), encoding="utf-8"
    )
    result = runner.invoke(
        main, ["validate", str(broken), "--store", store], catch_exceptions=False
    )
    assert result.exit_code == 4, result.output
    assert "the graph does not conform: 2 violation(s)" in result.output
    lines = result.output.splitlines()
    assert (
        "  Smith (2020) <:paper>: pages (first): pages are out of order: first page after "
        "last page (value: 18)"
    ) in lines
    assert any(
        line.startswith(
            "  Smith (2020) <:paper>: authors: the author list (bibo:authorList) and the authors"
        )
        and line.endswith("(value: :jones)")
        for line in lines
    )
    assert "nothing was written" not in result.output  # validate writes nothing anyway


@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
def test_validate_file_that_conforms(runner: CliRunner, tmp_path: Path, store: str) -> None:
    good = tmp_path / "good.ttl"
    good.write_text(
        BROKEN_TURTLE.replace("18–13", "13–18").replace(
            "prism:startingPage 18 ; prism:endingPage 13",
            "prism:startingPage 13 ; prism:endingPage 18",
        ),
        encoding="utf-8",
    )
    result = runner.invoke(main, ["validate", str(good), "--store", store], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"{good}: conforms" in result.output
