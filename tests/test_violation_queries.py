"""The violation checks (queries/*-violation.rq) catch the faults they are meant to catch:
each is run on a copy of the graph with one fault planted, on rdflib and on Oxigraph."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS, XSD

from mlcryst.load.records import Dataset
from mlcryst.namespaces import FABIO, MLC, MLM, MLP
from mlcryst.sparql.named import find_query, list_queries, run

from .queryhelp import CML, IRIS, Row, by_row, methods, table

VIOLATIONS = [q.name for q in list_queries() if q.is_violation_check]


# --- the violation checks catch what they are meant to catch ----------------------------------


def _copy(graph: Graph) -> Graph:
    g = Graph()
    for prefix, ns in graph.namespaces():
        g.bind(prefix, ns)
    g += graph
    return g


def _rows(g: Graph, name: str, store: str = "rdflib") -> list[Row]:
    if store == "oxigraph":
        from mlcryst.stores.oxigraph_store import OxigraphStore

        return table(OxigraphStore.from_triples(g).query(name).to_rdflib())
    return table(run(g, find_query(name), timeout=0, memory_mb=0))  # type: ignore[arg-type]


def _paper(dataset: Dataset, row: int) -> URIRef:
    return IRIS.paper(by_row(dataset)[row].key)


def _set_literal(g: Graph, s: URIRef, p: URIRef, new: Literal) -> None:
    g.remove((s, p, None))
    g.add((s, p, new))


Mutation = Callable[[Graph, Dataset], Iterable[object]]


def _no_methods(g: Graph, ds: Dataset) -> Iterable[object]:
    g.remove((_paper(ds, 2), MLC.usesMethod, None))
    return [2]


def _no_problems(g: Graph, ds: Dataset) -> Iterable[object]:
    g.remove((_paper(ds, 1), MLC.addressesProblem, None))
    return [1]


def _wrong_scheme(g: Graph, ds: Dataset) -> Iterable[object]:
    g.add((_paper(ds, 5), MLC.usesMethod, MLP["diffraction"]))
    return [_paper(ds, 5), MLP["diffraction"]]


def _orphan(g: Graph, ds: Dataset) -> Iterable[object]:
    g.remove((MLM["autoencoder"], SKOS.broader, None))
    return [MLM["autoencoder"]]


def _loop(g: Graph, ds: Dataset) -> Iterable[object]:
    g.remove((MLP["indexing"], SKOS.broader, None))
    g.add((MLP["indexing"], SKOS.broader, MLP["phasing"]))
    g.remove((MLP["phasing"], SKOS.broader, None))
    g.add((MLP["phasing"], SKOS.broader, MLP["indexing"]))
    return [MLP["indexing"]]  # and phasing, and everything under them


def _two_architectures(g: Graph, ds: Dataset) -> Iterable[object]:
    g.add((MLM["autoencoder"], SKOS.broader, CML))
    return [MLM["autoencoder"], 2]


def _no_architecture(g: Graph, ds: Dataset) -> Iterable[object]:
    g.remove((MLM["lasso"], SKOS.broader, None))
    g.add((MLM["lasso"], SKOS.broader, MLM["regression"]))
    return [MLM["lasso"], 0]


def _two_facets(g: Graph, ds: Dataset) -> Iterable[object]:
    g.add((MLM["facet-task"], SKOS.member, MLM["autoencoder"]))
    return [MLM["autoencoder"], 2]


def _creator_dropped(g: Graph, ds: Dataset) -> Iterable[object]:
    g.remove((_paper(ds, 8), URIRef("http://purl.org/dc/terms/creator"), IRIS.person("juhas-p")))
    return [_paper(ds, 8), IRIS.person("juhas-p"), "in the author list but not a creator"]


def _creator_added(g: Graph, ds: Dataset) -> Iterable[object]:
    g.add((_paper(ds, 8), URIRef("http://purl.org/dc/terms/creator"), IRIS.person("proffen-t")))
    return [_paper(ds, 8), IRIS.person("proffen-t"), "creator missing from the author list"]


def _variant_forgotten(g: Graph, ds: Dataset) -> Iterable[object]:
    g.remove((IRIS.person("gradzielski-m"), SKOS.altLabel, None))
    return [IRIS.person("gradzielski-m"), "not printed in the reference-list entry"]


def _row_gap(g: Graph, ds: Dataset) -> Iterable[object]:
    _set_literal(g, IRIS.row(40), URIRef("http://www.w3.org/ns/csvw#rownum"), Literal(140))
    return [41, "the row before it is missing"]


def _row_twice(g: Graph, ds: Dataset) -> Iterable[object]:
    _set_literal(g, IRIS.row(40), URIRef("http://www.w3.org/ns/csvw#rownum"), Literal(39))
    return [39, "two rows have this number"]


def _year_out_of_order(g: Graph, ds: Dataset) -> Iterable[object]:
    _set_literal(g, _paper(ds, 3), FABIO.hasPublicationYear, Literal("1990", datatype=XSD.gYear))
    return [3, "year earlier than the row before, in the same journal"]


def _journal_split(g: Graph, ds: Dataset) -> Iterable[object]:
    g.remove((_paper(ds, 80), URIRef("http://purl.org/dc/terms/isPartOf"), None))
    g.add((_paper(ds, 80), URIRef("http://purl.org/dc/terms/isPartOf"), IRIS.journal("acta-a")))
    return [80, "its journal's block ended before this row"]


def _wrong_volume(g: Graph, ds: Dataset) -> Iterable[object]:
    _set_literal(
        g,
        _paper(ds, 1),
        URIRef("http://prismstandard.org/namespaces/basic/2.0/volume"),
        Literal(34),
    )
    return [_paper(ds, 1), 1977, 34, 33]


MUTATIONS: list[tuple[str, Mutation]] = [
    ("paper-without-method-violation", _no_methods),
    ("paper-without-problem-violation", _no_problems),
    ("tag-scheme-violation", _wrong_scheme),
    ("concept-without-broader-violation", _orphan),
    ("concept-without-broader-violation", _loop),
    ("unreachable-family-violation", _two_architectures),
    ("unreachable-family-violation", _no_architecture),
    ("facet-membership-violation", _two_facets),
    ("creator-list-mismatch-violation", _creator_dropped),
    ("creator-list-mismatch-violation", _creator_added),
    ("creator-citation-mismatch-violation", _variant_forgotten),
    ("table-row-violation", _row_gap),
    ("table-row-violation", _row_twice),
    ("table-order-violation", _year_out_of_order),
    ("table-order-violation", _journal_split),
    ("volume-year-violation", _wrong_volume),
]


def test_every_violation_check_is_exercised() -> None:
    assert {name for name, _ in MUTATIONS} == set(VIOLATIONS)


@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
@pytest.mark.parametrize(
    ("name", "mutate"), MUTATIONS, ids=[f"{n}-{m.__name__.strip('_')}" for n, m in MUTATIONS]
)
def test_violation_check_catches_a_planted_fault(
    graph: Graph, dataset: Dataset, name: str, mutate: Mutation, store: str
) -> None:
    g = _copy(graph)
    wanted = list(mutate(g, dataset))
    rows = _rows(g, name, store)
    assert rows, "the planted fault is reported"
    assert any(all(w in row for w in wanted) for row in rows), rows


def test_the_review_is_the_only_table_1_paper_without_a_method(
    graph: Graph, dataset: Dataset
) -> None:
    """Why paper-without-method-violation exempts reviews: row 14 says "Various"."""
    bare = [p.row for p in dataset.table1() if not methods(graph, p)]
    assert bare == [14] and by_row(dataset)[14].approach == "Various"
    assert (_paper(dataset, 14), MLC.addressesProblem, MLP["literature-review"]) in graph
