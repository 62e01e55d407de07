"""The W3C SHACL test suite (tests/w3c/, see README.md): reading it and running it on mlcryst's
validation paths.

A test is one ``sht:Validate`` entry of a manifest: a data graph, a shapes graph and the
expected ``sh:ValidationReport`` (or ``sht:Failure``: the shapes must be rejected). Each test
runs on each path:

* ``pyshacl``: :func:`mlcryst.shacl.report.shacl_report` (pySHACL on rdflib, as mlcryst runs
  it);
* ``compiled``: :func:`mlcryst.shacl.compiled.validation_run` on an Oxigraph store (the shapes
  compiled to SPARQL, a shape the compiler does not translate checked by pySHACL).

Results are compared as sets of (focus node, result path, constraint component, value,
severity). Paths are compared structurally (as SPARQL-like text). Blank nodes are wildcards:
a blank node in the expected report matches any blank node in the same position (the data
of a test names its blank nodes only inside its own file, so the labels cannot be compared).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from tests.test_shapes import path_text

HERE = Path(__file__).resolve().parent
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
PATHS = ("pyshacl", "compiled")

Key = tuple[str, str, str, str, str]


def node_text(node: Node | None) -> str:
    """A term as comparable text; every blank node is the wildcard ``_``."""
    if node is None:
        return "-"
    if isinstance(node, BNode):
        return "_"
    if isinstance(node, Literal):
        return node.n3()
    return f"<{node}>"


def key(
    graph: Graph, focus: Node | None, path: Node | None, component: Node | None,
    value: Node | None, severity: Node | None,
) -> Key:  # fmt: skip
    return (
        node_text(focus),
        path_text(graph, path),
        node_text(component),
        node_text(value),
        node_text(severity or SH.Violation),
    )


def report_keys(report: Graph, node: Node) -> set[Key]:
    """The results of a sh:ValidationReport node (top-level sh:result only)."""
    return {
        key(
            report,
            report.value(r, SH.focusNode),
            report.value(r, SH.resultPath),
            report.value(r, SH.sourceConstraintComponent),
            report.value(r, SH.value),
            report.value(r, SH.resultSeverity),
        )
        for r in report.objects(node, SH.result)
    }


def _parse(path: Path) -> Graph:
    """A file of the suite as written: rdflib's normalisation of literals is off (it would
    read ``"1"^^xsd:boolean`` as ``true`` and ``"none"^^xsd:boolean`` as ``false``)."""
    import rdflib

    g = Graph()
    saved, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
    try:
        g.parse(path, format="turtle", publicID=path.as_uri())
    finally:
        rdflib.NORMALIZE_LITERALS = saved
    return g


@dataclass
class W3CTest:
    name: str  # core/node/class-001
    label: str
    data_file: Path
    shapes_file: Path
    failure: bool  # sht:Failure expected
    conforms: bool | None
    expected: set[Key] = field(default_factory=set)

    def data(self) -> Graph:
        return _parse(self.data_file)

    def shapes(self) -> Graph:
        return _parse(self.shapes_file)


def _manifests(path: Path) -> list[Path]:
    g = _parse(path)
    out = [path]
    for inc in g.objects(None, MF.include):
        out.extend(_manifests(Path(str(inc).removeprefix("file://"))))
    return out


def load_tests() -> list[W3CTest]:
    """Every sht:Validate test of the suite, in manifest order."""
    tests: list[W3CTest] = []
    for manifest in _manifests(HERE / "manifest.ttl"):
        g = _parse(manifest)
        for entries in g.objects(None, MF.entries):
            for entry in Collection(g, entries):
                if (entry, RDF.type, SHT.Validate) not in g:
                    continue
                action = g.value(entry, MF.action)
                data = Path(str(g.value(action, SHT.dataGraph)).removeprefix("file://"))
                shapes = Path(str(g.value(action, SHT.shapesGraph)).removeprefix("file://"))
                result = g.value(entry, MF.result)
                name = str(entry).removeprefix(HERE.as_uri() + "/")
                test = W3CTest(
                    name,
                    str(g.value(entry, RDFS.label) or ""),
                    data,
                    shapes,
                    result == SHT.Failure,
                    None,
                )
                if not test.failure:
                    test.conforms = bool(g.value(result, SH.conforms).toPython())  # type: ignore[union-attr]
                    test.expected = report_keys(g, result)  # type: ignore[arg-type]
                tests.append(test)
    return tests


@dataclass
class Outcome:
    """What one path made of one test."""

    error: str | None = None  # an mlcryst error (the shapes refused): its type and message
    crash: str | None = None  # anything else (a traceback: never acceptable)
    conforms: bool | None = None
    results: set[Key] = field(default_factory=set)
    fallback: list[str] = field(default_factory=list)  # shapes checked by pySHACL
    rewritten: bool = False  # the store holds literals in another form: checked as written

    def verdict(self, test: W3CTest) -> str:
        """``exact``, ``refused`` (an error where a report was expected: not a verdict),
        ``wrong`` (a report that differs from the expected one, or no error on sht:Failure)
        or ``crash``."""
        if self.crash is not None:
            return "crash"
        if test.failure:
            return "exact" if self.error is not None else "wrong"
        if self.error is not None:
            return "refused"
        if self.conforms == test.conforms and self.results == test.expected:
            return "exact"
        return "wrong"


def run(test: W3CTest, path: str) -> Outcome:
    """Run ``test`` on one validation path."""
    from mlcryst.errors import MlcrystError

    try:
        data, shapes = test.data(), test.shapes()
        if path == "pyshacl":
            return _run_pyshacl(data, shapes)
        return _run_compiled(data, shapes)
    except MlcrystError as exc:
        return Outcome(error=f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # a traceback: reported as such
        return Outcome(crash=f"{type(exc).__name__}: {exc}")


def _run_pyshacl(data: Graph, shapes: Graph) -> Outcome:
    from mlcryst.shacl.report import shacl_report

    conforms, report = shacl_report(data, shapes, allow_warnings=False)
    top = report.value(None, RDF.type, SH.ValidationReport)
    top = next(report.subjects(RDF.type, SH.ValidationReport))
    return Outcome(conforms=conforms, results=report_keys(report, top))


def _run_compiled(data: Graph, shapes: Graph) -> Outcome:
    """The compiled path as ``mlcryst validate --store oxigraph`` runs it: the data in an
    Oxigraph store (which checks the data as written where the store holds some literals in
    another form)."""
    from mlcryst.stores.oxigraph_store import OxigraphStore

    store = OxigraphStore.from_triples(data)
    outcome = store.validation_run(shapes)
    return Outcome(
        rewritten=bool(store.rewrites),
        conforms=outcome.conforms,
        results={
            key(shapes, r.focus, r.path, r.component, r.value, r.severity) for r in outcome.results
        },
        fallback=sorted(str(s) for s in outcome.fallback),
    )
