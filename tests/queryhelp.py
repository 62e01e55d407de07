"""Helpers shared by the query tests: results as comparable rows."""

from __future__ import annotations

import time
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result

from mlcryst.builder.iris import Iris
from mlcryst.load.records import Dataset, Paper
from mlcryst.namespaces import MLC, MLM
from mlcryst.sparql.named import NamedQuery, find_query, run

Row = tuple[Any, ...]
IRIS = Iris()
DL = MLM["deep-learning"]
CML = MLM["conventional-machine-learning"]


def value(term: object) -> object:
    """A result term as a comparable Python value: int/bool for typed literals, str for text."""
    if isinstance(term, Literal):
        if term.language or term.datatype in (None, XSD.string):
            return str(term)
        return term.toPython()
    return term


def table(result: Result) -> list[Row]:
    names = list(result.vars or [])
    return [tuple(value(b.get(v)) for v in names) for b in result.bindings]


def by_row(dataset: Dataset) -> dict[int, Paper]:
    """Table 1 papers by row number."""
    return {p.row: p for p in dataset.table1() if p.row is not None}


ANSWERS: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[list[str], list[Row], float]] = {}


def answer(graph: Graph, name: str, **params: URIRef | Literal) -> list[Row]:
    """Rows of a named query (in process, cached); the CPU time is kept for the timing test."""
    key = (name, tuple(sorted((k, v.n3()) for k, v in params.items())))
    if key not in ANSWERS:
        query = find_query(name)
        assert isinstance(query, NamedQuery)
        start = time.process_time()
        result = run(graph, query, dict(params), timeout=0, memory_mb=0)
        rows = table(result)
        ANSWERS[key] = ([str(v) for v in result.vars or []], rows, time.process_time() - start)
    return ANSWERS[key][1]


def methods(graph: Graph, paper: Paper) -> set[URIRef]:
    return set(graph.objects(IRIS.paper(paper.key), MLC.usesMethod))  # type: ignore[arg-type]


AUTHOR_VALUES = [
    IRIS.person("juhas-p"),
    Literal("Juhas, P."),
    Literal("Juhás, P."),
    Literal("Juhás"),
    Literal("P. Juhás"),
    Literal("Wang, Y."),
    IRIS.person("wang-y-2"),
    Literal("Billinge"),
    Literal("Christiansen"),
    Literal("nobody, N."),
]


METHOD_VALUES = [
    MLM["convolutional-neural-network"],
    MLM["neural-network"],
    MLM["deep-learning"],
    MLM["machine-learning"],
    MLM["alphafold"],
    MLM["non-machine-learning-method"],
    MLM["generative-modelling"],
    Literal("CNN"),
    Literal("random forest"),
    Literal("lasso"),
    Literal("no such method"),
]
