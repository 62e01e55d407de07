"""The SHACL shapes in shapes/: each constraint bites, the shipped graph conforms.

tests/shapes/*.ttl are self-describing test cases in the style of pySHACL's DASH test suite
(see tests/shapes/README.md): a small data graph and, in the same file, a
``dash:GraphValidationTestCase`` whose ``dash:expectedResult`` is the expected
``sh:ValidationReport``. Each case is validated with the shipped shapes and its results must
equal the expected ones exactly (focus node, result path, constraint component, severity, and
the value or source shape where the case gives them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Node

from mlcryst.builder.graph import load_vocabularies
from mlcryst.errors import ValidationFailed
from mlcryst.namespaces import BIBO, CSVW, FABIO, MLC, MLM, MLP, PRISM
from mlcryst.shacl.report import check, load_shapes, shacl_report, validate

#: pySHACL's verdicts on every case are computed once per process (``_all_results``, also read
#: by test_shacl_store.py): under pytest-xdist both modules run on one worker
pytestmark = pytest.mark.xdist_group("shacl-cases")

CASES_DIR = Path(__file__).resolve().parent / "shapes"
CASES = sorted(CASES_DIR.glob("*.ttl"))
DASH = Namespace("http://datashapes.org/dash#")
VOCABULARIES = {URIRef(str(MLM)), URIRef(str(MLP)), URIRef("https://w3id.org/mlcryst/ontology")}
B = Namespace("https://w3id.org/mlcryst/")

#: constraint parameter -> the constraint component pySHACL reports for it
COMPONENTS = {
    p: SH[f"{c}ConstraintComponent"]
    for p, c in [
        (SH.minCount, "MinCount"),
        (SH.maxCount, "MaxCount"),
        (SH.datatype, "Datatype"),
        (SH["class"], "Class"),
        (SH.nodeKind, "NodeKind"),
        (SH["in"], "In"),
        (SH.hasValue, "HasValue"),
        (SH.pattern, "Pattern"),
        (SH.minInclusive, "MinInclusive"),
        (SH.maxInclusive, "MaxInclusive"),
        (SH.lessThanOrEquals, "LessThanOrEquals"),
        (SH.equals, "Equals"),
        (SH.uniqueLang, "UniqueLang"),
        (SH.languageIn, "LanguageIn"),
        (SH["or"], "Or"),
        (SH.xone, "Xone"),
        (SH["not"], "Not"),
        (SH.node, "Node"),
        (SH.qualifiedMinCount, "QualifiedMinCount"),
        (SH.qualifiedMaxCount, "QualifiedMaxCount"),
        (SH.minLength, "MinLength"),
        (SH.maxLength, "MaxLength"),
    ]
}
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


# --- reading a test case -------------------------------------------------------------------------


def path_text(g: Graph, path: Node | None) -> str:
    """A SHACL property path as SPARQL-like text, comparable across graphs."""
    if path is None:
        return "-"
    if isinstance(path, URIRef):
        return f"<{path}>"
    if (path, RDF.first, None) in g:
        return "(" + " / ".join(path_text(g, p) for p in Collection(g, path)) + ")"
    for key, fmt in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = g.value(path, key)
        if inner is not None:
            return fmt.format(path_text(g, inner))
    alternatives = g.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + " | ".join(path_text(g, p) for p in Collection(g, alternatives)) + ")"
    raise AssertionError(f"not a SHACL path: {path!r}")


def _reachable(g: Graph, start: Node) -> Iterator[tuple[Node, Node, Node]]:
    """The triples of ``start`` and of the blank nodes it leads to (the test-case description)."""
    todo, seen = [start], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for s, p, o in g.triples((node, None, None)):
            yield s, p, o
            if isinstance(o, BNode):
                todo.append(o)


class Case:
    """One tests/shapes/*.ttl file: its data graph and its expected report."""

    def __init__(self, path: Path) -> None:
        self.path = path
        whole = Graph().parse(path, format="turtle")
        nodes = list(whole.subjects(RDF.type, DASH.GraphValidationTestCase))
        assert len(nodes) == 1, f"{path.name}: needs exactly one dash:GraphValidationTestCase"
        self.node = nodes[0]
        self.file_graph = whole
        self.report = whole.value(self.node, DASH.expectedResult)
        assert self.report is not None, f"{path.name}: no dash:expectedResult"
        self.data = Graph()
        case_triples = set(_reachable(whole, self.node))
        for t in whole:
            if t not in case_triples:
                self.data.add(t)
        if any(o in VOCABULARIES for o in whole.objects(None, OWL.imports)):
            self.data += load_vocabularies()

    @property
    def conforms(self) -> bool:
        value = self.file_graph.value(self.report, SH.conforms)
        assert isinstance(value, Literal), f"{self.path.name}: the report needs sh:conforms"
        return bool(value.toPython())

    def expected(self) -> list[dict[str, object]]:
        g = self.file_graph
        out = []
        for r in g.objects(self.report, SH.result):
            e: dict[str, object] = {
                "focus": g.value(r, SH.focusNode),
                "path": path_text(g, g.value(r, SH.resultPath)),
                "component": g.value(r, SH.sourceConstraintComponent),
                "severity": g.value(r, SH.resultSeverity) or SH.Violation,
            }
            for key, prop in (
                ("value", SH.value),
                ("shape", SH.sourceShape),
                ("constraint", SH.sourceConstraint),
            ):
                if g.value(r, prop) is not None:
                    e[key] = g.value(r, prop)
            assert e["focus"] is not None and e["component"] is not None, (
                f"{self.path.name}: every expected result needs sh:focusNode and "
                "sh:sourceConstraintComponent"
            )
            out.append(e)
        return out


def actual_results(report: Graph) -> list[dict[str, object]]:
    out = []
    for r in report.objects(None, SH.result):  # not the nested results under sh:detail
        out.append(
            {
                "focus": report.value(r, SH.focusNode),
                "path": path_text(report, report.value(r, SH.resultPath)),
                "component": report.value(r, SH.sourceConstraintComponent),
                "severity": report.value(r, SH.resultSeverity),
                "value": report.value(r, SH.value),
                "shape": report.value(r, SH.sourceShape),
                "constraint": report.value(r, SH.sourceConstraint),
                "message": report.value(r, SH.resultMessage),
            }
        )
    return out


def _matches(expected: dict[str, object], actual: dict[str, object]) -> bool:
    return all(actual.get(k) == v for k, v in expected.items())


def _show(results: list[dict[str, object]]) -> str:
    keys = ("focus", "path", "component", "severity", "value")
    return (
        "\n".join("  " + ", ".join(f"{k}={r.get(k)}" for k in keys if k in r) for r in results)
        or "  (none)"
    )


# Validating each file on its own costs pySHACL ~0.1 s of set-up, so cases are validated in
# groups: files whose vocabulary triples (subjects in mlm:, mlp:, mlc:) are the same are merged
# into one data graph after moving each file's own IRIs (under EX) to a namespace of its own.
# The graphs are then disjoint apart from the shared vocabulary, and no shape relates nodes of
# unconnected subgraphs, so each file gets exactly the results it would get alone; results on
# the shared vocabulary go to every file of the group (each would report them alone too).
EX = "https://example.org/mlcryst/"
VOCABULARY_NAMESPACES = (str(MLM), str(MLP), "https://w3id.org/mlcryst/ontology")


def _vocabulary_key(case: Case) -> frozenset[tuple[Node, Node, Node]]:
    return frozenset(
        t
        for t in case.data
        if isinstance(t[0], URIRef) and str(t[0]).startswith(VOCABULARY_NAMESPACES)
    )


def _into(case: Case, term: Node) -> Node:
    if isinstance(term, URIRef) and str(term).startswith(EX):
        return URIRef(f"{EX}{case.path.stem}/{str(term)[len(EX) :]}")
    return term


def _back(case: Case, term: object) -> object:
    prefix = f"{EX}{case.path.stem}/"
    if isinstance(term, URIRef) and str(term).startswith(prefix):
        return URIRef(EX + str(term)[len(prefix) :])
    return term


def merged_cases() -> list[tuple[list[Case], Graph, dict[Node, Case]]]:
    """The cases grouped by the vocabularies they load, each group's data merged into one
    graph (the nodes of a case renamed into its own namespace), with the case owning each
    node: one validation per group instead of one per case."""
    groups: dict[frozenset[tuple[Node, Node, Node]], list[Case]] = defaultdict(list)
    for path in CASES:
        case = Case(path)
        groups[_vocabulary_key(case)].append(case)
    out = []
    for cases in groups.values():
        merged, owner = Graph(), {}
        for case in cases:
            for s, p, o in case.data:
                s2, o2 = _into(case, s), _into(case, o)
                merged.add((s2, p, o2))
                for node in (s2, o2):
                    if isinstance(node, BNode) or str(node).startswith(f"{EX}{case.path.stem}/"):
                        owner[node] = case
        out.append((cases, merged, owner))
    return out


@cache
def _all_results() -> dict[Path, tuple[Case, list[dict[str, object]]]]:
    out: dict[Path, tuple[Case, list[dict[str, object]]]] = {}
    for cases, merged, owner in merged_cases():
        _, report = shacl_report(merged, _shapes(), allow_warnings=False)
        mine: dict[Path, list[dict[str, object]]] = {case.path: [] for case in cases}
        for result in actual_results(report):
            focus = result["focus"]
            shared = isinstance(focus, URIRef) and str(focus).startswith(VOCABULARY_NAMESPACES)
            assert shared or focus in owner, f"a result on a node of no case: {result}"
            for case in cases if shared else [owner[focus]]:  # type: ignore[index]
                mine[case.path].append({k: _back(case, v) for k, v in result.items()})
        for case in cases:
            out[case.path] = (case, mine[case.path])
    return out


def _run(path: Path) -> tuple[Case, bool, list[dict[str, object]]]:
    case, results = _all_results()[path]
    return case, not results, results


@cache
def _shapes() -> Graph:
    return load_shapes()


# --- the tests -----------------------------------------------------------------------------------


def test_there_are_cases() -> None:
    assert len(CASES) >= 20
    assert (CASES_DIR / "README.md").is_file()


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_case(path: Path) -> None:
    case, conforms, actual = _run(path)
    expected = sorted(case.expected(), key=len, reverse=True)  # most specific first
    unmatched = list(actual)
    missing = []
    for e in expected:
        hit = next((a for a in unmatched if _matches(e, a)), None)
        if hit is None:
            missing.append(e)
        else:
            unmatched.remove(hit)
    assert not missing and not unmatched, (
        f"{path.name}:\nexpected but not reported:\n{_show(missing)}\n"
        f"reported but not expected:\n{_show(unmatched)}"
    )
    assert conforms == case.conforms, f"{path.name}: sh:conforms"
    for a in actual:
        assert a["message"] is not None, f"{path.name}: a result without sh:resultMessage: {a}"


def _constraints(shapes: Graph) -> set[tuple[Node, Node, Node | None]]:
    """(shape, constraint component, SPARQL constraint) of every constraint that can report."""
    out: set[tuple[Node, Node, Node | None]] = set()
    targeted = {s for t in TARGETS for s in shapes.subjects(t, None)}
    for node_shape in targeted:
        for prop in [node_shape, *shapes.objects(node_shape, SH.property)]:
            for param, component in COMPONENTS.items():
                if (prop, param, None) in shapes:
                    out.add((prop, component, None))
            for sparql in shapes.objects(prop, SH.sparql):
                out.add((prop, SH.SPARQLConstraintComponent, sparql))
    return out


def test_every_constraint_has_a_case_that_violates_it() -> None:
    shapes = _shapes()
    hit = set()
    for path in CASES:
        for a in _run(path)[2]:
            hit.add((a["shape"], a["component"], a["constraint"]))
            hit.add((a["shape"], a["component"], None))

    def name(shape: Node) -> str:
        owner = shapes.value(predicate=SH.property, object=shape) or shape
        path = shapes.value(shape, SH.path)
        return f"{shapes.value(owner, RDFS.label)}: {path_text(shapes, path) if path else '-'}"

    missing = sorted(
        f"{name(s)}: {str(c).rsplit('#', 1)[-1]}{' ' + str(q) if q else ''}"
        for s, c, q in _constraints(shapes) - hit
    )
    assert not missing, "constraints no test case violates:\n" + "\n".join(missing)


def test_constraints_are_described() -> None:
    """Every reporting constraint has a curator message; shapes have labels or names."""
    shapes = _shapes()
    assert set(shapes.objects(None, SH.severity)) <= {SH.Violation, SH.Warning}
    targeted = {s for t in TARGETS for s in shapes.subjects(t, None)}
    for node_shape in targeted:
        assert shapes.value(node_shape, RDFS.label), node_shape
        node_params = [p for p in COMPONENTS if (node_shape, p, None) in shapes]
        if node_params:
            assert shapes.value(node_shape, SH.message), f"{node_shape}: no sh:message"
        for prop in shapes.objects(node_shape, SH.property):
            assert shapes.value(prop, SH.name), f"{path_text(shapes, shapes.value(prop, SH.path))}"
            sparql = list(shapes.objects(prop, SH.sparql))
            if sparql:
                assert shapes.value(prop, SH.message) is None, (
                    "give SPARQL constraints their own message, not the property shape's"
                )
                for q in sparql:
                    assert shapes.value(q, SH.message), f"{q}: no sh:message"
                    assert shapes.value(q, SH.select), f"{q}: no sh:select"
            else:
                assert shapes.value(prop, SH.message), (
                    f"{path_text(shapes, shapes.value(prop, SH.path))}: no sh:message"
                )


# --- the shipped graph ---------------------------------------------------------------------------


def test_shipped_graph_conforms(graph: Graph) -> None:
    assert validate(graph) == []


def _copy(graph: Graph) -> Graph:
    g = Graph()
    g.namespace_manager = graph.namespace_manager
    g += graph
    return g


IORGER = B["paper/acta-d-58-2043"]
FEIGENBAUM = B["paper/acta-a-33-13"]


def test_reversed_pages_are_reported_for_the_curator(graph: Graph) -> None:
    g = _copy(graph)
    g.set((IORGER, PRISM.startingPage, Literal(2055)))
    found = validate(g, focus_nodes=[IORGER])
    assert [str(v) for v in found] == [
        "Table 1 row 18, Iorger & Sacchettini (2002): pages (first): pages are out of order: "
        "first page after last page (value: 2055)"
    ]
    assert found[0].severity == "Violation"


def test_year_before_the_journal_began(graph: Graph) -> None:
    g = _copy(graph)
    g.set((FEIGENBAUM, FABIO.hasPublicationYear, Literal("1966", datatype=XSD.gYear)))
    messages = {(v.field, v.message) for v in validate(g, focus_nodes=[FEIGENBAUM])}
    assert (
        "year",
        "the year is before the journal began: 1966 is earlier than its first "
        "year 1968 (data/journals.yaml first_year)",
    ) in messages
    assert (
        "volume",
        "the volume does not match the year: volume 33 but the journal's volume "
        "of 1966 is 22 (one volume a year since data/journals.yaml first_year/first_volume)",
    ) in messages
    assert len(messages) == 2


def test_method_tag_from_the_wrong_scheme(graph: Graph) -> None:
    g = _copy(graph)
    g.add((FEIGENBAUM, MLC.usesMethod, MLP["diffraction"]))
    found = validate(g, focus_nodes=[FEIGENBAUM])
    assert len(found) == 1
    assert found[0].what == "Table 1 row 1, Feigenbaum et al. (1977)"
    assert found[0].field == "approach (tags)"
    assert "not in the right scheme" in found[0].message


def test_broken_author_list_names_the_paper(graph: Graph) -> None:
    g = _copy(graph)
    head = g.value(IORGER, BIBO.authorList)
    g.remove((head, RDF.rest, None))  # the list now stops after its first author
    found = validate(g, focus_nodes=[IORGER])
    assert {(v.what, v.field, v.value) for v in found} == {
        ("Table 1 row 18, Iorger & Sacchettini (2002)", "authors", None),
        (
            "Table 1 row 18, Iorger & Sacchettini (2002)",
            "authors",
            "https://w3id.org/mlcryst/person/sacchettini-j-c",
        ),
    }
    assert {v.message.split(" (")[0] for v in found} == {
        "the author list does not end in rdf:nil",
        "the author list",  # ... (bibo:authorList) and the authors (dcterms:creator) differ ...
    }


def test_broken_list_cell_names_the_work(graph: Graph) -> None:
    # the paper, its row and its author list only (a blank-node focus cannot be selected with
    # focus_nodes, and the whole graph takes seconds)
    g = Graph()
    g += graph.triples((IORGER, None, None))
    g += graph.triples((B["editorial/table-1/row-18"], None, None))
    cell = head = graph.value(IORGER, BIBO.authorList)
    while cell != RDF.nil:
        g += graph.triples((cell, None, None))
        cell = graph.value(cell, RDF.rest)
    g.add((head, RDF.rest, RDF.nil))  # a second rest
    found = [v for v in validate(g) if v.field == "rdf:rest"]
    assert [str(v) for v in found] == [
        "Table 1 row 18, Iorger & Sacchettini (2002), author list: rdf:rest: the author list is "
        "broken: a cell must have exactly one rest (rdf:rest), another cell or rdf:nil"
    ]


def test_duplicate_row_number(graph: Graph) -> None:
    g = _copy(graph)
    g.set((B["editorial/table-1/row-19"], CSVW.rownum, Literal(18)))
    table = B["editorial/table-1"]
    found = validate(g, focus_nodes=[table])
    assert [str(v) for v in found] == [
        f"Table 1 <{table}>: row: Table 1 rows must be numbered uniquely: two rows are "
        f"numbered 18 (value: {table}/row-{n})"
        for n in (18, 19)
    ]


def test_warnings_do_not_stop_the_build() -> None:
    warned = Case(CASES_DIR / "table1-problem-tags.ttl").data
    assert [(w.severity, w.what, w.field) for w in check(warned)] == [
        ("Warning", "Table 1 row 1, Feigenbaum (1977)", "problem (tags)")
    ]
    broken = Case(CASES_DIR / "table1-cells.ttl").data
    with pytest.raises(ValidationFailed) as failed:
        check(broken)
    assert [str(v) for v in failed.value.violations] == [
        "Table 1 row 1, Feigenbaum (1977): approach: a Table 1 paper needs its 'Machine-learning "
        "approach' cell (mlc:approachStatement)",
        "Table 1 row 1, Feigenbaum (1977): problem: a Table 1 paper needs its 'Crystallographic "
        "problem' cell (mlc:problemStatement)",
    ]


def test_vocabulary_concept_in_wrong_scheme(graph: Graph) -> None:
    g = _copy(graph)
    concept = MLM["random-forest"]
    g.set((concept, SKOS.inScheme, URIRef(str(MLP))))
    found = validate(g, focus_nodes=[concept])
    assert any("not in the right scheme" in v.message for v in found)
