"""``mlcryst find``: the faceted search, checked against the records and the graph on every store.

The expected papers are worked out from the loaded records (years, authors, journals) or by
walking the built rdflib graph in Python (tags and skos:broader), never from SPARQL.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from mlcryst.cli.main import main
from mlcryst.errors import UsageError
from mlcryst.load.records import Dataset
from mlcryst.namespaces import MLC, MLM, MLP
from mlcryst.sparql.find import FRAGMENTS, Facets, find_papers, find_query
from mlcryst.sparql.resolve import normalise
from mlcryst.stores.base import GraphStore
from mlcryst.stores.registry import open_store

BASE = "https://w3id.org/mlcryst/paper/"
COLUMNS = ["row", "year", "journal", "citation", "paper", "methods", "problems"]
STORES = ["rdflib", "oxigraph"]


@pytest.fixture(scope="module", params=STORES)
def store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    yield open_store(request.param)


def found(store: GraphStore, **facets: Any) -> list[dict[str, Any]]:
    return find_papers(store, Facets(**facets)).rows()


def papers(rows: list[dict[str, Any]]) -> set[str]:
    return {str(r["paper"]) for r in rows}


def tagged_under(graph: Graph, predicate: URIRef, concept: URIRef) -> set[str]:
    """Papers tagged with ``concept`` or a concept below it, by a walk in Python."""
    out = set()
    for paper, tag in graph.subject_objects(predicate):
        if concept in set(graph.transitive_objects(tag, SKOS.broader)):
            out.add(str(paper))
    return out


def billinge_ids(dataset: Dataset) -> set[str]:
    return {p.id for p in dataset.people.values() if normalise(p.name.split(",")[0]) == "billinge"}


# --- the library, on both stores ------------------------------------------------------------


def test_no_facet_lists_every_paper_in_order(store: GraphStore, dataset: Dataset) -> None:
    rows = found(store)
    assert papers(rows) == {BASE + p.key for p in dataset.papers}
    assert len(rows) == len(dataset.papers)  # one row per paper
    table1 = [r["row"] for r in rows if r["row"] is not None]
    assert table1 == sorted(table1) == [p.row for p in dataset.table1()]
    assert rows[: len(table1)] == [r for r in rows if r["row"] is not None]  # Table 1 first
    by_key = {BASE + p.key: p for p in dataset.papers}
    for r in rows:
        p = by_key[str(r["paper"])]
        assert (r["year"], r["row"]) == (p.year, p.row)
        assert r["journal"] == next(
            j.abbreviation for j in dataset.journals.values() if j.key == p.journal
        )


def test_author_and_years_match_the_records(store: GraphStore, dataset: Dataset) -> None:
    people = billinge_ids(dataset)
    assert people  # the editorial's author
    for years, (lo, hi) in (
        ("2019-2023", (2019, 2023)),
        ("2021-", (2021, 9999)),
        ("-2019", (0, 2019)),
    ):
        expected = {
            BASE + p.key
            for p in dataset.papers
            if lo <= p.year <= hi and any(a.person in people for a in p.authors)
        }
        assert papers(found(store, author="billinge", years=years)) == expected, years
    every = {BASE + p.key for p in dataset.papers if any(a.person in people for a in p.authors)}
    assert papers(found(store, author="BILLINGE, S.J.L.")) == every
    one_year = {BASE + p.key for p in dataset.papers if p.year == 2019}
    assert papers(found(store, years="2019")) == one_year and one_year


def test_journal_by_key_title_or_abbreviation(store: GraphStore, dataset: Dataset) -> None:
    journal = dataset.journals["acta-d"]
    expected = {BASE + p.key for p in dataset.papers if p.journal == journal.key}
    assert expected
    for form in (journal.key, journal.title, journal.abbreviation, "acta cryst d"):
        assert papers(found(store, journal=form)) == expected, form


def test_method_includes_narrower_concepts(store: GraphStore, graph: Graph) -> None:
    nn = tagged_under(graph, MLC.usesMethod, MLM["neural-network"])
    cnn = tagged_under(graph, MLC.usesMethod, MLM["convolutional-neural-network"])
    directly = {str(p) for p in graph.subjects(MLC.usesMethod, MLM["neural-network"])}
    assert cnn - directly  # CNN papers not tagged "neural network" themselves
    assert papers(found(store, method="mlm:neural-network")) == nn
    assert papers(found(store, method="CNN")) == cnn  # a label, any case
    assert cnn < nn
    phase = tagged_under(graph, MLC.addressesProblem, MLP["phase-retrieval"])
    assert papers(found(store, problem="mlp:phase-retrieval")) == phase and phase


def test_facets_combine_with_and(store: GraphStore, dataset: Dataset, graph: Graph) -> None:
    nn = tagged_under(graph, MLC.usesMethod, MLM["neural-network"])
    jsr = {BASE + p.key for p in dataset.papers if p.journal == "jsr" and 2018 <= p.year <= 2020}
    rows = found(store, method="neural network", journal="jsr", years="2018-2020")
    assert papers(rows) == nn & jsr and nn & jsr
    assert found(store, table1=True) == [r for r in found(store) if r["row"] is not None]


def test_methods_and_problems_columns_list_the_papers_tags(store: GraphStore, graph: Graph) -> None:
    for r in found(store, journal="acta-b"):
        paper = URIRef(str(r["paper"]))
        for column, predicate in (("methods", MLC.usesMethod), ("problems", MLC.addressesProblem)):
            labels = sorted(
                str(label)
                for tag in graph.objects(paper, predicate)
                for label in graph.objects(tag, SKOS.prefLabel)
            )
            assert (r[column] or "").split("; ") == labels or (not labels and not r[column])


def test_unknown_values_give_the_closest_names(store: GraphStore) -> None:
    with pytest.raises(
        UsageError, match=r"no person 'bilinge'; did you mean 'Billinge, S\. J\. L\.'"
    ):
        found(store, author="bilinge")
    with pytest.raises(UsageError, match="mlm:convolutional-neural-network"):
        found(store, method="mlm:convolutional-neural-netwrk")
    with pytest.raises(UsageError, match="no problem concept"):
        found(store, problem="mlm:lasso")  # a method is not a problem
    with pytest.raises(
        UsageError, match=r"no journal 'Acta Cryst\. E'; did you mean 'Acta Cryst\."
    ):
        found(store, journal="Acta Cryst. E")
    # a value is bound, never pasted: text that would change a query only names nobody
    with pytest.raises(UsageError, match="no person"):
        found(store, author='x" . } SELECT * WHERE { ?s ?p ?o } #')


@pytest.mark.parametrize("bad", ["20x9", "2020-2018", "2018--2020", "-", "19-20"])
def test_bad_year_ranges_are_refused(bad: str) -> None:
    with pytest.raises(UsageError, match="--years"):
        find_query(Facets(years=bad))


def test_the_query_is_made_of_fixed_fragments_only() -> None:
    text, used = find_query(Facets(method="anything", author="o'brien", years="2018-"))
    assert used == ["method", "author-name", "from"]
    assert "anything" not in text and "brien" not in text and "2018" not in text
    assert all(FRAGMENTS[name] in text for name in used)


# --- the command line ------------------------------------------------------------------------


def _cli(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(main, ["find", *args])


def test_cli_same_answer_on_both_stores(runner: CliRunner, dataset: Dataset) -> None:
    args = ["--method", "mlm:deep-learning", "--years", "2018-2022", "--format", "csv"]
    outs = [_cli(runner, *args, "--store", s) for s in STORES]
    assert all(o.exit_code == 0 for o in outs), [o.output for o in outs]
    assert outs[0].stdout == outs[1].stdout
    data = list(csv.reader(io.StringIO(outs[0].stdout)))
    assert data[0] == COLUMNS
    assert all(2018 <= int(r[1]) <= 2022 for r in data[1:]) and len(data) > 1
    table = _cli(runner, "--author", "billinge")
    assert table.exit_code == 0 and table.stdout.splitlines()[0].split() == COLUMNS


def test_cli_errors(runner: CliRunner) -> None:
    out = _cli(runner, "--author", "bilinge")
    assert out.exit_code == 2 and "did you mean 'Billinge, S. J. L.'" in out.output
    out = _cli(runner, "--years", "soon")
    assert out.exit_code == 2 and "--years 'soon'" in out.output
    out = _cli(runner, "--journal", "acta-z")
    assert out.exit_code == 2 and "no journal 'acta-z'; did you mean" in out.output
