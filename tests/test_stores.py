"""rdflib and Oxigraph give the same graph, the same answers and the same safety."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph

from mlcryst.builder.graph import build_graph, build_triples, load_vocabularies
from mlcryst.cli.main import main
from mlcryst.errors import QueryError, UsageError
from mlcryst.export.oxigraph_writer import serialize as ox_serialize
from mlcryst.export.rdflib_writer import serialize
from mlcryst.load.dataset import load_dataset
from mlcryst.load.synth import write_corpus
from mlcryst.namespaces import PREFIXES
from mlcryst.prefixes import PREFIXES as OX_PREFIXES
from mlcryst.sparql.named import check_safe, list_queries, run
from mlcryst.sparql.oxigraph import render as ox_render
from mlcryst.sparql.oxigraph import run_query
from mlcryst.sparql.results import render
from mlcryst.stores.cache import cache_key
from mlcryst.stores.files import read_oxigraph
from mlcryst.stores.oxigraph_store import OxigraphStore
from mlcryst.stores.registry import resolve
from mlcryst.stores.terms import to_rdflib


def ox_from_graph(graph: Any) -> Any:
    return OxigraphStore.from_triples(graph).store


def ox_from_triples(triples: Any) -> Any:
    return OxigraphStore.from_triples(triples, vocabularies=True).store


NAMED = list_queries()


@pytest.fixture(scope="module")
def store(graph: Graph) -> ox.Store:
    return ox_from_graph(graph)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, ox.Store]:
    folder = write_corpus(tmp_path_factory.mktemp("synth"), papers=160, seed=11).folder
    ds = load_dataset(folder)
    vocab = load_vocabularies()
    triples = build_triples(ds, None, vocab)
    return build_graph(ds, vocabularies=vocab, triples=triples), ox_from_triples(triples)


NUMERIC = {
    f"http://www.w3.org/2001/XMLSchema#{t}"
    for t in ("integer", "decimal", "double", "float", "int", "long")
}


def _value(term):  # type: ignore[no-untyped-def]
    """A term for comparison: numbers by value (rdflib may type 1977 as xsd:decimal where
    Oxigraph says xsd:integer), everything else exactly."""
    if term is None:
        return None
    if str(getattr(term, "datatype", "")) in NUMERIC:
        return term.toPython()
    return term.n3()


def _answers_rdflib(graph: Graph, query, bindings=None) -> Counter:  # type: ignore[no-untyped-def]
    result = run(graph, query, bindings, timeout=0, memory_mb=0)
    if result.type == "ASK":
        return Counter([result.askAnswer])
    return Counter(tuple(_value(t) for t in row) for row in result)


def _answers_ox(store: ox.Store, query, bindings=None) -> Counter:  # type: ignore[no-untyped-def]
    text = query if isinstance(query, str) else query.text
    result = run_query(store, text, bindings)
    if result.type == "ASK":
        return Counter([result.answer])
    return Counter(tuple(_value(to_rdflib(t)) for t in row) for row in result.rows)


def test_prefixes_agree() -> None:
    assert OX_PREFIXES == PREFIXES


def test_same_graph_on_both_stores(graph: Graph, store: ox.Store) -> None:
    assert len(store) == len(graph)
    assert ox_serialize(store, "nt") == serialize(graph, "nt")


def test_same_graph_built_from_triples(dataset, graph: Graph) -> None:  # type: ignore[no-untyped-def]
    store = ox_from_triples(build_triples(dataset))
    assert ox_serialize(store, "nt") == serialize(graph, "nt")


@pytest.mark.parametrize("fmt", ["turtle", "jsonld", "xml"])
def test_other_formats_are_the_same_graph(graph: Graph, store: ox.Store, fmt: str) -> None:
    data = ox_serialize(store, fmt)
    assert data == ox_serialize(store, fmt)  # deterministic
    back = Graph().parse(
        data=data.decode("utf-8"),
        format={"turtle": "turtle", "jsonld": "json-ld", "xml": "xml"}[fmt],
    )
    assert serialize(back, "nt") == serialize(graph, "nt")


@pytest.mark.parametrize("query", NAMED, ids=[q.name for q in NAMED])
def test_named_queries_same_answers_on_the_shipped_graph(
    graph: Graph, store: ox.Store, query
) -> None:  # type: ignore[no-untyped-def]
    assert _answers_ox(store, query) == _answers_rdflib(graph, query)


@pytest.mark.parametrize(
    "name",
    [
        "papers-per-year",
        "papers-per-journal",
        "table-1",
        "authors-most-prolific",
        "paradigm-per-journal",
    ],
)
def test_named_queries_same_table(graph: Graph, store: ox.Store, name: str) -> None:
    query = next(q for q in NAMED if q.name == name)
    ours = ox_render(run_query(store, query.text), "table")
    theirs = render(run(graph, query, timeout=0, memory_mb=0), "table")
    assert sorted(ours.splitlines()) == sorted(theirs.splitlines())
    assert ours.splitlines()[:2] == theirs.splitlines()[:2]


@pytest.mark.parametrize(
    "name",
    [
        "papers-per-year",
        "papers-per-journal",
        "papers-per-method",
        "table-1",
        "deep-vs-conventional-per-year",
    ],
)
def test_named_queries_same_answers_on_a_synthetic_corpus(synthetic, name: str) -> None:  # type: ignore[no-untyped-def]
    graph, store = synthetic
    query = next(q for q in NAMED if q.name == name)
    assert _answers_ox(store, query) == _answers_rdflib(graph, query)


def test_parameters_bind_the_same_way(graph: Graph, store: ox.Store) -> None:
    from rdflib import Literal, URIRef

    query = next(q for q in NAMED if "author" in q.parameters)
    for value in (Literal("Juhas, P."), URIRef("https://w3id.org/mlcryst/person/juhas-p")):
        ours = _answers_ox(store, query, {"author": value})
        assert ours == _answers_rdflib(graph, query, {"author": value})
        assert ours


BAD = [
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://x/> { ?s ?q ?r } } }", "SERVICE"),
    ("SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }", "FROM"),
    ("SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "updates"),
    ("LOAD <http://example.org/data.ttl>", "updates"),
    ("SELECT ?s WHERE { ?s ?p }", "syntax"),
]


@pytest.mark.parametrize("text,why", BAD)
def test_unsafe_queries_are_refused_on_every_store(
    graph: Graph,
    store: ox.Store,
    text: str,
    why: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    for attempt in (
        lambda: check_safe(text),
        lambda: run(graph, text),
        lambda: run_query(store, text),
        lambda: run_query(store, text, timeout=5),
    ):
        with pytest.raises(QueryError, match=why):
            attempt()


@pytest.mark.parametrize("store_name", ["rdflib", "oxigraph"])
def test_cli_refuses_unsafe_queries(
    runner, store_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    for text, why in BAD[:5]:
        result = runner.invoke(main, ["query", "--store", store_name, "--sparql", text])
        assert result.exit_code == 5, result.output
        assert why in result.output


def test_cli_same_output_on_both_stores(
    runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    for fmt in ("table", "csv", "json"):
        outputs = [
            runner.invoke(main, ["query", "papers-per-year", "--format", fmt, "--store", s])
            for s in ("oxigraph", "rdflib")
        ]
        assert all(r.exit_code == 0 for r in outputs), outputs[0].output
        assert outputs[0].stdout == outputs[1].stdout
    cached = list((tmp_path / "mlcryst").glob("store-*/mlcryst-store.json"))
    assert len(cached) == 1  # the built graph is cached for the next cold start


def test_cache_key_follows_the_data(data_copy: Path) -> None:
    before = cache_key(data_copy)
    assert cache_key(data_copy) == before
    papers = data_copy / "papers.yaml"
    papers.write_text(papers.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert cache_key(data_copy) != before
    assert cache_key(data_copy, base="https://example.org/") != cache_key(data_copy)


def test_export_command_on_both_stores(
    runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    outs = [
        runner.invoke(main, ["export", "--format", "nt", "--store", s])
        for s in ("oxigraph", "rdflib")
    ]
    assert outs[0].exit_code == outs[1].exit_code == 0
    assert outs[0].stdout == outs[1].stdout
    # --out: the Oxigraph path streams to the file; the same bytes, nothing left behind
    for s in ("oxigraph", "rdflib"):
        out = runner.invoke(
            main, ["export", "--format", "nt", "--store", s, "--out", str(tmp_path / f"{s}.nt")]
        )
        assert out.exit_code == 0, out.output
        assert f"wrote {tmp_path / f'{s}.nt'}" in out.output
    assert (tmp_path / "oxigraph.nt").read_text(encoding="utf-8") == outs[1].stdout
    assert (tmp_path / "rdflib.nt").read_text(encoding="utf-8") == outs[1].stdout
    assert sorted(p.name for p in tmp_path.glob("*.nt")) == ["oxigraph.nt", "rdflib.nt"]


def test_read_store_refuses_remote_jsonld_contexts(tmp_path: Path) -> None:
    from mlcryst.errors import OutputError

    path = tmp_path / "g.jsonld"
    path.write_text('{"@context": "http://example.org/ctx.jsonld", "@id": "urn:a"}')
    with pytest.raises(OutputError, match="remote context"):
        read_oxigraph(path)


def test_choose() -> None:
    assert resolve("auto", papers=80) == "rdflib"
    assert resolve("auto", papers=100_000) == "oxigraph"
    assert resolve("rdflib", papers=100_000) == "rdflib"
    with pytest.raises(UsageError):
        resolve("nope")
