"""Shared fixtures: the real shipped data, built once per test session with the real rdflib."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from mlcryst.build import build_graph
from mlcryst.load import load_dataset
from mlcryst.records import Dataset
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


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data folder, for corrupting in tests."""
    target = tmp_path / "data"
    shutil.copytree(resource_dir("data"), target)
    return target


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
