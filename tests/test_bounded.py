"""Every user query runs under a time and a memory limit: a runaway one is stopped."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph

from mlcryst.bounded import run_limited
from mlcryst.builder.graph import build_graph, build_triples, load_vocabularies
from mlcryst.cli.main import main
from mlcryst.errors import QueryError, QueryTimeout
from mlcryst.load.dataset import load_dataset
from mlcryst.load.synth import write_corpus
from mlcryst.sparql.named import run
from mlcryst.sparql.oxigraph import run_query
from mlcryst.stores.oxigraph_store import OxigraphStore


def ox_from_triples(triples: Any) -> Any:
    return OxigraphStore.from_triples(triples, vocabularies=True).store


#: every triple with every triple with every triple: about 10^12 rows on the corpus below
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: a property path over any predicate, then joined with the whole graph
DEEP_PATH = "SELECT (COUNT(*) AS ?n) WHERE { ?a (!<urn:none>)* ?b . ?c ?d ?e }"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("synth"), papers=300, seed=5).folder


@pytest.fixture(scope="module")
def stores(corpus: Path) -> tuple[Graph, ox.Store]:
    ds = load_dataset(corpus)
    vocab = load_vocabularies()
    triples = build_triples(ds, None, vocab)
    return build_graph(ds, vocabularies=vocab, triples=triples), ox_from_triples(triples)


def test_run_limited_returns_the_value() -> None:
    assert run_limited(lambda: {"a": [1, 2]}, timeout=10) == {"a": [1, 2]}


def test_run_limited_stops_on_time() -> None:
    start = time.monotonic()
    with pytest.raises(QueryTimeout, match="stopped after 1 s"):
        run_limited(lambda: time.sleep(30), timeout=1)
    assert time.monotonic() - start < 10


def test_run_limited_stops_on_memory() -> None:
    with pytest.raises(QueryTimeout, match="memory limit of 200 MB"):
        run_limited(lambda: bytearray(2 * 2**30), timeout=30, memory_mb=200)


def test_errors_come_back_as_they_were() -> None:
    def fail() -> None:
        raise QueryError("nope")

    with pytest.raises(QueryError, match="nope"):
        run_limited(fail, timeout=10)


@pytest.mark.parametrize("text", [CARTESIAN, DEEP_PATH])
def test_runaway_query_is_stopped_on_oxigraph(stores, text: str) -> None:  # type: ignore[no-untyped-def]
    _, store = stores
    start = time.monotonic()
    with pytest.raises(QueryTimeout):
        run_query(store, text, timeout=2, memory_mb=1024)
    assert time.monotonic() - start < 20


def test_runaway_query_is_stopped_on_rdflib(stores) -> None:  # type: ignore[no-untyped-def]
    graph, _ = stores
    start = time.monotonic()
    with pytest.raises(QueryTimeout, match="time limit"):
        run(graph, CARTESIAN, timeout=2)
    assert time.monotonic() - start < 20


def test_memory_hungry_query_is_stopped(stores) -> None:  # type: ignore[no-untyped-def]
    _, store = stores
    sort_everything = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?f"
    with pytest.raises(QueryTimeout, match="memory"):
        run_query(store, sort_everything, timeout=120, memory_mb=300)


def test_the_process_goes_on_after_a_stop(stores) -> None:  # type: ignore[no-untyped-def]
    graph, store = stores
    with pytest.raises(QueryTimeout):
        run_query(store, CARTESIAN, timeout=1)
    assert run_query(store, "ASK { ?s ?p ?o }", timeout=10).answer is True
    assert run(graph, "ASK { ?s ?p ?o }").askAnswer is True


@pytest.mark.parametrize("store_name", ["oxigraph", "rdflib"])
def test_cli_stops_a_runaway_query_with_exit_code_8(
    runner, corpus: Path, stores, store_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    graph, _ = stores
    nt = tmp_path / "corpus.nt"
    nt.write_bytes(graph.serialize(format="nt", encoding="utf-8"))
    start = time.monotonic()
    result = runner.invoke(
        main,
        [
            "query",
            "--graph",
            str(nt),
            "--store",
            store_name,
            "--timeout",
            "2",
            "--sparql",
            CARTESIAN,
        ],
    )
    assert result.exit_code == 8, result.output
    assert "stopped after 2 s" in result.output
    assert "--timeout" in result.output
    assert time.monotonic() - start < 30


def test_a_stopped_child_leaves_no_processes_behind(tmp_path: Path) -> None:
    import os
    import signal

    marker = tmp_path / "grandchild.pid"

    def fork_and_hang() -> None:
        pid = os.fork()
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        marker.write_text(str(pid))
        time.sleep(60)

    with pytest.raises(QueryTimeout):
        run_limited(fork_and_hang, timeout=1)
    grandchild = int(marker.read_text())
    for _ in range(50):
        try:
            os.kill(grandchild, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.kill(grandchild, signal.SIGKILL)
        pytest.fail("the grandchild outlived the stopped query")
