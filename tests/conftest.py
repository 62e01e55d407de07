"""Shared fixtures: the real shipped data, built once per test session with the real rdflib."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Graph

from mlcryst.builder.graph import build_graph
from mlcryst.load.dataset import load_dataset
from mlcryst.load.records import Dataset
from mlcryst.resources import resource_dir

REPO = Path(__file__).resolve().parent.parent
SEED = Path(__file__).resolve().parent / "data" / "editorial.txt"
FIXTURES = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="session")
def graph(dataset: Dataset) -> Graph:
    """The knowledge graph built from the shipped data (do not modify it in tests)."""
    return build_graph(dataset)


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The cache of built graphs and query verdicts in a folder of the session's own, never the
    developer's ``~/.cache`` (a test may still point ``XDG_CACHE_HOME`` elsewhere)."""
    import os

    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data folder, for corrupting in tests."""
    target = tmp_path / "data"
    shutil.copytree(resource_dir("data"), target)
    return target


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# --- SPARQL servers on loopback (tests/servers.py; marked `server`) ------------------------


@pytest.fixture(scope="session")
def graph_ntriples(graph: Graph) -> tuple[bytes, int]:
    """The built graph as canonical N-Triples, and how many triples that is."""
    from mlcryst.export.rdflib_writer import serialize

    data = serialize(graph, "nt")
    return data, sum(1 for line in data.splitlines() if line.strip())


@pytest.fixture(scope="session")
def embedded_oxigraph(graph_ntriples: tuple[bytes, int]) -> Any:
    """The built graph in an in-process Oxigraph store: fast reference answers."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(graph_ntriples[0], format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """An Oxigraph server on a free loopback port, stopped at the end of the session."""
    from .servers import start_oxigraph

    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A Virtuoso server on free loopback ports (digest auth, a low ResultSetMaxRows)."""
    from .servers import start_virtuoso

    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()
