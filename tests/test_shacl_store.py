"""SHACL on Oxigraph (shapes compiled to SPARQL) gives pySHACL's verdicts.

Every self-describing case of tests/shapes/ (see test_shapes.py) is validated both ways, on
the same merged data graphs: the compiled queries must report exactly what the case expects
and exactly what pySHACL reports (focus node, path, constraint component, severity, value,
source shape and constraint, message). The shipped graph, and the shipped graph with typical
curator mistakes, must give the same people-readable violations both ways.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, SKOS, XSD

from mlcryst.errors import ShapesError, ValidationFailed
from mlcryst.namespaces import BIBO, CSVW, FABIO, MLC, MLM, MLP, PRISM
from mlcryst.shacl.compile import compile_shapes
from mlcryst.shacl.compiled import Result, check_store, run_checks, validate_store
from mlcryst.shacl.report import load_shapes, validate
from mlcryst.stores.oxigraph_store import OxigraphStore

from .test_shapes import (
    CASES,
    VOCABULARY_NAMESPACES,
    B,
    _all_results,
    _back,
    _matches,
    _show,
    merged_cases,
    path_text,
)
from .test_shapes import _shapes as shipped_shapes

#: shares the per-process verdicts of test_shapes.py: the same pytest-xdist worker
pytestmark = pytest.mark.xdist_group("shacl-cases")


def _ox(term: object) -> object:
    """rdflib -> pyoxigraph, keeping blank node labels (so results can be traced back)."""
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    return ox.NamedNode(str(term))


def _store(graph: Graph) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(_ox(s), _ox(p), _ox(o)) for s, p, o in graph)  # type: ignore[arg-type]
    return store


def _as_report(r: Result) -> dict[str, object]:
    shapes = shipped_shapes()
    return {
        "focus": r.focus,
        "path": path_text(shapes, r.path) if r.path is not None else "-",
        "component": r.check.component_iri,
        "severity": r.check.severity,
        "value": r.value,
        "shape": r.check.shape,
        "constraint": r.check.constraint,
        "message": Literal(r.message) if r.message is not None else None,
    }


@cache
def _compiled_results() -> dict[Path, list[dict[str, object]]]:
    """Per case file, the compiled engine's results (grouped as test_shapes groups them)."""
    out: dict[Path, list[dict[str, object]]] = {}
    checks = compile_shapes(shipped_shapes())
    for cases, merged, owner in merged_cases():
        mine: dict[Path, list[dict[str, object]]] = {case.path: [] for case in cases}
        for r in run_checks(_store(merged), checks):
            shared = isinstance(r.focus, URIRef) and str(r.focus).startswith(VOCABULARY_NAMESPACES)
            assert shared or r.focus in owner, f"a result on a node of no case: {r}"
            for case in cases if shared else [owner[r.focus]]:
                mine[case.path].append({k: _back(case, v) for k, v in _as_report(r).items()})
        out.update(mine)
    return out


def _key(result: dict[str, object]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, str(v)) for k, v in result.items() if v is not None))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_case_gives_pyshacls_verdict(path: Path) -> None:
    case, pyshacl_results = _all_results()[path]
    mine = _compiled_results()[path]
    assert {_key(a) for a in mine} == {_key(a) for a in pyshacl_results}, (
        f"{path.name}:\npySHACL:\n{_show(pyshacl_results)}\ncompiled:\n{_show(mine)}"
    )
    for expected in case.expected():
        assert any(_matches(expected, a) for a in mine), f"{path.name}: missing {expected}"
    assert (not mine) == case.conforms


def test_every_constraint_is_compiled() -> None:
    """Each property shape with a constraint of a targeted shape yields a check."""
    shapes = load_shapes()
    checks = compile_shapes(shapes)
    assert len(checks) > 200
    assert {c.component for c in checks} >= {
        "MinCount", "MaxCount", "Datatype", "Class", "Equals", "Or", "Xone", "Node", "SPARQL",
        "QualifiedMinCount", "QualifiedMaxCount", "UniqueLang", "LessThanOrEquals", "Pattern",
    }  # fmt: skip
    for c in checks:
        assert c.query.count("SELECT") >= 1 and "SERVICE" not in c.query
        ox.Store().query(c.query)  # parses and runs on an empty store


def test_unsupported_shapes_are_refused() -> None:
    shapes = load_shapes()
    shape = URIRef("https://example.org/shape")
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetClass, FABIO.JournalArticle))
    shapes.add((shape, SH.closed, Literal(True)))
    shapes.add((shape, SH.path, RDF.value))  # sh:closed on a property shape: not translated
    with pytest.raises(ShapesError, match="closed"):
        compile_shapes(shapes)


# --- the shipped graph ----------------------------------------------------------------------------


def test_shipped_graph_conforms(graph: Graph) -> None:
    assert validate_store(OxigraphStore.from_triples(graph).store) == []


IORGER = B["paper/acta-d-58-2043"]
FEIGENBAUM = B["paper/acta-a-33-13"]


def _mistakes(graph: Graph) -> Graph:
    """The shipped graph with several typical curator mistakes at once."""
    g = Graph()
    g.namespace_manager = graph.namespace_manager
    g += graph
    g.set((IORGER, PRISM.startingPage, Literal(2055)))  # pages out of order
    g.set((FEIGENBAUM, FABIO.hasPublicationYear, Literal("1966", datatype=XSD.gYear)))
    g.add((FEIGENBAUM, MLC.usesMethod, MLP["diffraction"]))  # a problem used as a method
    g.set((B["editorial/table-1/row-19"], CSVW.rownum, Literal(18)))  # duplicate row number
    g.set((MLM["random-forest"], SKOS.inScheme, URIRef(str(MLP))))
    head = g.value(B["paper/acta-a-75-633"], BIBO.authorList)
    assert head is not None
    g.remove((head, RDF.rest, None))  # an author list that breaks off
    return g


def test_mistakes_give_the_same_violations_as_pyshacl(graph: Graph) -> None:
    broken, shapes = _mistakes(graph), shipped_shapes()
    expected = validate(broken, shapes)
    found = validate_store(_store(broken), shapes, jobs=2)
    assert found == expected
    assert len(found) >= 8
    assert any("Table 1 row 18, Iorger & Sacchettini (2002): pages (first)" in str(v)
               for v in found)  # fmt: skip
    with pytest.raises(ValidationFailed) as failed:
        check_store(_store(broken), shapes)
    assert failed.value.violations == [v for v in expected if v.severity == "Violation"]
