"""The contract of :class:`mlcryst.stores.base.GraphStore`, run against every store.

One set of tests, parametrised over :data:`mlcryst.stores.registry.STORES`: a store is
accepted when, for the shipped graph, it holds the same triples, gives every named query the
same answer, validates with the same verdicts (the shipped graph, broken copies of it, and
every self-describing case of tests/shapes/), writes files of the same graph (canonical
N-Triples byte for byte), reads its own files back, refuses what the guard refuses, stops at
its limits, and gives the network code the same index and views. The rdflib store over the
session's graph is the reference; a new store is added to the registry and passes this file.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from mlcryst.errors import QueryError, QueryTimeout, UsageError, ValidationFailed
from mlcryst.export.formats import BUILD_FORMATS, CONTEXT_FILE, EXPORT_FORMATS
from mlcryst.export.rdflib_writer import isomorphic
from mlcryst.load.records import Dataset
from mlcryst.namespaces import MLM, PRISM
from mlcryst.shacl.report import load_shapes
from mlcryst.sparql.named import NamedQuery, list_queries
from mlcryst.sparql.params import parse_params
from mlcryst.stores.base import GraphStore
from mlcryst.stores.rdflib_store import RdflibStore
from mlcryst.stores.registry import STORE_CHOICES, STORES, as_store, resolve, store_class
from mlcryst.visual.network import VIEWS, index_graph, project

from .queryhelp import IRIS, value
from .test_shapes import merged_cases

NAMES = tuple(STORES)
QUERIES = list_queries()
QUERIES_BY = {q.name: q for q in QUERIES}
#: values for the queries that take parameters (a prolific author, a common method)
PARAMS = {"author": "Billinge, S. J. L.", "method": "mlm:convolutional-neural-network"}
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module", params=NAMES)
def store(request: pytest.FixtureRequest, dataset: Dataset) -> GraphStore:
    """The shipped data built into each store in turn."""
    return store_class(request.param).from_dataset(dataset)


@pytest.fixture(scope="module")
def reference(graph: Graph) -> GraphStore:
    return RdflibStore(graph)


def _bindings(query: NamedQuery) -> dict[str, Any]:
    if "author" in query.parameters:
        return {"author": IRIS.person("billinge-s-j-l")}
    if "method" in query.parameters:
        return {"method": MLM["convolutional-neural-network"]}
    return {}


def _rows(store: GraphStore, query: NamedQuery | str, bindings: dict[str, Any]) -> list[Any]:
    answer = store.query(query, bindings, timeout=0, memory_mb=0)
    result = answer.to_rdflib()
    names = list(result.vars or [])
    return [tuple(value(b.get(v)) for v in names) for b in result.bindings]


def _ordered(query: NamedQuery) -> bool:
    return re.search(r"(?i)\bORDER\s+BY\b", query.text) is not None


# --- the registry --------------------------------------------------------------------------


def test_the_registry_names_every_store() -> None:
    assert ("auto", *STORES) == STORE_CHOICES
    for name in STORES:
        cls = store_class(name)
        assert issubclass(cls, GraphStore) and cls.name == name
    with pytest.raises(UsageError, match="unknown store"):
        store_class("virtuoso")


def test_auto_means_the_same_on_every_command(tmp_path: Path) -> None:
    """``auto`` is decided by the size of the graph alone, never by the command."""
    assert resolve("auto", papers=80) == resolve("auto") == "rdflib"
    assert resolve("auto", papers=2001) == "oxigraph"
    big = tmp_path / "big.nt"
    big.write_bytes(b"<urn:a> <urn:p> <urn:o> .\n" * 250_000)
    assert resolve("auto", path=big) == "oxigraph"
    assert resolve("rdflib", path=big) == "rdflib"


def test_every_graph_command_takes_the_registry_choices() -> None:
    import click

    from mlcryst.cli.main import main

    commands = {}
    for name, command in main.commands.items():
        for param in command.params:
            if param.name == "store":
                assert isinstance(param.type, click.Choice)
                commands[name] = tuple(param.type.choices)
    assert set(commands) >= {"build", "validate", "query", "export", "push"} | {
        "viz",
        "network",
        "stats",
        "plot",
    }
    assert set(commands.values()) == {STORE_CHOICES}


def test_as_store_wraps_a_graph(graph: Graph, store: GraphStore) -> None:
    assert as_store(store) is store
    wrapped = as_store(graph)
    assert isinstance(wrapped, RdflibStore) and wrapped.graph is graph
    with pytest.raises(TypeError):
        as_store("not a graph")


# --- the graph -----------------------------------------------------------------------------


def test_same_triples(store: GraphStore, reference: GraphStore) -> None:
    assert len(store) == len(reference)
    assert store.serialize("nt") == reference.serialize("nt")


# --- queries -------------------------------------------------------------------------------


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_named_query_answers(store: GraphStore, reference: GraphStore, query: NamedQuery) -> None:
    bindings = _bindings(query)
    mine, theirs = _rows(store, query, bindings), _rows(reference, query, bindings)
    if _ordered(query):
        assert mine == theirs
    else:
        assert Counter(mine) == Counter(theirs)
    if query.is_violation_check:
        assert mine == [], f"{query.name} finds problems in the shipped graph"


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml"])
def test_rendered_answers(store: GraphStore, reference: GraphStore, fmt: str) -> None:
    """Every results format renders the same text on every store."""
    for name in ("papers-per-journal", "papers-per-year", "authors-most-prolific"):
        assert store.query(name).render(fmt) == reference.query(name).render(fmt), name


def test_parameters_bind_alike(store: GraphStore, reference: GraphStore) -> None:
    """A parsed ``--param`` and the rdflib term it stands for give the same rows."""
    params = parse_params(["author=<" + str(IRIS.person("billinge-s-j-l")) + ">"])
    rows = _rows(store, "papers-by-author", dict(params))
    expected = _rows(reference, "papers-by-author", _bindings(QUERIES_BY["papers-by-author"]))
    assert rows and rows == expected
    method = parse_params(["method=" + PARAMS["method"]])
    assert _rows(store, "papers-using-method", dict(method)) == _rows(
        reference, "papers-using-method", dict(method)
    )
    with pytest.raises(QueryError, match="no parameter"):
        store.query("papers-per-year", {"author": Literal("x")})


def test_ask_and_construct(store: GraphStore, reference: GraphStore) -> None:
    ask = "ASK { ?p a <http://purl.org/spar/fabio/JournalArticle> }"
    assert store.query(ask).boolean is True
    assert store.query(ask).type == "ASK"
    text = (
        "CONSTRUCT { ?p <http://prismstandard.org/namespaces/basic/2.0/startingPage> ?t } "
        "WHERE { ?p a <http://purl.org/spar/fabio/JournalArticle> ; "
        "<http://prismstandard.org/namespaces/basic/2.0/startingPage> ?t }"
    )
    mine, theirs = store.query(text), reference.query(text)
    assert mine.type == "CONSTRUCT" and len(mine) == len(theirs) > 80
    assert isomorphic(mine.graph(), theirs.graph())
    assert mine.render("table") == theirs.render("table")


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    ],
)
def test_refused_queries(store: GraphStore, text: str) -> None:
    before = len(store)
    with pytest.raises(QueryError):
        store.query(text)
    assert len(store) == before


def test_time_limit(store: GraphStore) -> None:
    with pytest.raises(QueryTimeout):
        store.query(CARTESIAN, timeout=1)


def test_a_bad_query_is_a_query_error(store: GraphStore) -> None:
    with pytest.raises(QueryError):
        store.query("SELECT ?x WHERE { ?x ")


# --- validation ----------------------------------------------------------------------------


def test_the_shipped_graph_conforms(store: GraphStore) -> None:
    assert store.validate() == []
    assert store.check() == []


def _broken(graph: Graph) -> Graph:
    """The shipped graph with typical curator mistakes."""
    g = Graph()
    g += graph
    paper = IRIS.paper("acta-d-58-2043")
    g.remove((paper, DCTERMS.title, None))
    g.remove((paper, PRISM.startingPage, None))
    g.add((paper, PRISM.startingPage, Literal(5000)))
    g.add((paper, PRISM.doi, Literal("not a doi")))
    return g


def test_the_same_violations(store: GraphStore, graph: Graph) -> None:
    broken = _broken(graph)
    mine = store_class(store.name).from_text(broken.serialize(format="nt"), "nt")
    expected = RdflibStore(broken).validate()
    assert len([v for v in expected if v.severity == "Violation"]) >= 2
    assert mine.validate() == expected
    with pytest.raises(ValidationFailed) as failed:
        mine.check()
    assert list(failed.value.violations) == [v for v in expected if v.severity == "Violation"]


def test_shape_cases_get_the_same_verdicts(store: GraphStore) -> None:
    """Every case of tests/shapes/ (merged into a few graphs) gets the reference verdicts."""
    shapes = load_shapes()
    checked = 0
    for _, merged, _ in merged_cases():
        expected = RdflibStore(merged).validate(shapes)
        mine = store_class(store.name).from_text(merged.serialize(format="nt"), "nt")
        assert mine.validate(shapes) == expected
        checked += len(expected)
    assert checked > 100


# --- files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_serialisations_are_the_graph(store: GraphStore, graph: Graph, fmt: str) -> None:
    data = store.serialize(fmt)
    assert data == store.serialize(fmt)  # deterministic
    back = Graph().parse(data=data.decode("utf-8"), format=EXPORT_FORMATS[fmt].rdflib)
    assert isomorphic(back, graph)


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_written_files_read_back(store: GraphStore, tmp_path: Path, fmt: str) -> None:
    path = store.write(tmp_path / "sub" / EXPORT_FORMATS[fmt].file_name(), fmt)
    assert path.read_bytes() == store.serialize(fmt)
    again = store_class(store.name).from_file(path)
    assert len(again) == len(store)
    assert again.serialize("nt") == store.serialize("nt")
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # nothing left beside


def test_outputs(store: GraphStore, reference: GraphStore, tmp_path: Path) -> None:
    written = store.write_outputs(tmp_path / store.name)
    names = sorted(p.name for p in written)
    assert names == sorted([EXPORT_FORMATS[f].file_name() for f in BUILD_FORMATS] + [CONTEXT_FILE])
    mine = {p.name: p.read_bytes() for p in written}
    assert mine["mlcryst.nt"] == reference.serialize("nt")
    assert mine[CONTEXT_FILE] == (tmp_path / store.name / CONTEXT_FILE).read_bytes()


def test_ntriples_dump(store: GraphStore, graph: Graph) -> None:
    dump = store.ntriples()
    assert isomorphic(Graph().parse(data=dump.decode("utf-8"), format="nt"), graph)


def test_prefixes_of_a_file(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "g.ttl"
    path.write_text("@prefix ex: <https://example.org/> .\nex:a ex:p ex:b .\n", encoding="utf-8")
    assert store_class(store.name).from_file(path).prefixes.get("ex") == "https://example.org/"


# --- the network code ----------------------------------------------------------------------


def test_the_same_index(store: GraphStore, graph: Graph) -> None:
    assert index_graph(store.view()) == index_graph(graph)


@pytest.mark.parametrize("view", [v for v in VIEWS if v != "construct"])
def test_the_same_views(store: GraphStore, reference: GraphStore, view: str) -> None:
    a, b = project(store, view), project(reference, view)
    assert sorted(a.nodes(data=True)) == sorted(b.nodes(data=True))
    assert sorted(a.edges(data=True)) == sorted(b.edges(data=True))


def test_the_same_construct_view(store: GraphStore, reference: GraphStore) -> None:
    query = (
        "CONSTRUCT { ?p <http://purl.org/spar/cito/usesMethodIn> ?m } WHERE { "
        "?p <https://w3id.org/mlcryst/ontology#usesMethod> ?m }"
    )
    a, b = project(store, "construct", query=query), project(reference, "construct", query=query)
    assert a.number_of_nodes() > 50
    assert sorted(a.nodes(data=True)) == sorted(b.nodes(data=True))
    assert sorted(a.edges(data=True)) == sorted(b.edges(data=True))


def test_view_reads(store: GraphStore, graph: Graph) -> None:
    view = store.view()
    paper = IRIS.paper("acta-d-58-2043")
    assert len(view) == len(graph)
    assert set(view.objects(paper, RDF.type)) == set(graph.objects(paper, RDF.type))
    assert view.value(paper, DCTERMS.title) == graph.value(paper, DCTERMS.title)
    assert (paper, RDF.type, URIRef("urn:nothing")) not in view
