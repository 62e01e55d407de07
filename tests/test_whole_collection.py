"""Every view covers the whole collection: a paper outside Table 1 counts everywhere.
validated, and counted by every view of the collection (named queries, the network index)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mlcryst.builder.iris import Iris
from mlcryst.errors import DataError
from mlcryst.load.dataset import load_dataset
from mlcryst.resources import resource_dir
from mlcryst.sparql.named import list_queries
from mlcryst.stores.registry import STORES, store_class

#: a paper added after the editorial: not in Table 1, concepts listed instead of cells, in a
#: journal Table 1 does not have, by two Table 1 co-authors and a new person
EXTRA = """
- journal: j-appl-cryst
  year: 2025
  volume: 58
  pages: 101–112
  authors:
    - Liu, C.-H.
    - Billinge, S. J. L.
    - Doe, J. A.
  methods: [mlm:convolutional-neural-network, mlm:supervised-learning]
  problems: [mlp:digital-twin]
  source: https://example.org/an-added-paper
"""
KEY = "j-appl-cryst-58-101"
#: queries about the editorial's own table, list or people, not about the collection's papers
NOT_COUNTS = {"table-1", "reference-list", "name-variants", "papers-per-database"}


def extended(tmp: Path, extra: str = EXTRA) -> Path:
    target = tmp / "data"
    shutil.copytree(resource_dir("data"), target)
    with (target / "papers.yaml").open("a", encoding="utf-8") as f:
        f.write(extra)
    return target


@pytest.fixture(scope="module")
def extended_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return extended(tmp_path_factory.mktemp("collection"))


def rows(store: Any, name: str, **params: str) -> list[tuple[Any, ...]]:
    from mlcryst.sparql.params import parse_params

    bindings = parse_params([f"{k}={v}" for k, v in params.items()])
    result = store.query(name, bindings, timeout=0, memory_mb=0).to_rdflib()
    names = list(result.vars or [])
    return [tuple(str(b.get(v)) if b.get(v) is not None else None for v in names) for b in result]


def test_an_added_paper_loads_and_tags_from_its_lists(extended_data: Path) -> None:
    from mlcryst.builder.graph import load_vocabularies
    from mlcryst.builder.tagging import tag_report, vocabulary_from_graph

    ds = load_dataset(extended_data)
    paper = next(p for p in ds.papers if p.key == KEY)
    assert paper.row is None and paper.problem == "" and paper.approach == ""
    lines = tag_report(ds, vocabulary_from_graph(load_vocabularies()), paper=KEY)
    assert lines[0] == f"paper {KEY}  Liu et al. (2025)"
    assert "mlm:convolutional-neural-network" in lines[1] and "papers.yaml:" in lines[1]
    assert lines[3].split()[:2] == ["problems", "mlp:digital-twin"]


def test_unknown_listed_concept_names_line_field_and_closest(tmp_path: Path) -> None:
    data = extended(tmp_path, EXTRA.replace("mlm:convolutional-neural-network", "mlm:cnn"))
    from mlcryst.builder.graph import build_graph

    with pytest.raises(DataError) as caught:
        build_graph(load_dataset(data))
    found = getattr(caught.value, "errors", [caught.value])
    assert len(found) == 1
    err = found[0]
    text = str(err)
    assert err.field == "methods" and "unknown concept mlm:cnn" in text
    assert "mlm:convolutional-neural-network" in text  # the concept whose label is "CNN"
    lines = (data / "papers.yaml").read_text(encoding="utf-8").splitlines()
    assert err.line is not None and "mlm:cnn" in lines[err.line - 1]


def test_a_list_of_the_wrong_scheme_is_refused(tmp_path: Path) -> None:
    data = extended(tmp_path, EXTRA.replace("[mlp:digital-twin]", "[mlm:lasso]"))
    with pytest.raises(DataError, match="problems"):
        load_dataset(data)


@pytest.fixture(scope="module")
def graphs(extended_data: Path) -> Callable[[str], tuple[Any, Any]]:
    """The shipped and the grown graph on a store, each built once per worker."""
    made: dict[str, tuple[Any, Any]] = {}

    def of(name: str) -> tuple[Any, Any]:
        if name not in made:
            cls = store_class(name)
            made[name] = (cls.from_data(None), cls.from_data(extended_data))
        return made[name]

    return of


QUERIES = list_queries()


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
@pytest.mark.parametrize("name", STORES)
def test_every_view_counts_the_added_paper(
    graphs: Callable[[str], tuple[Any, Any]], name: str, query: Any
) -> None:
    """Each query over the collection answers differently once the paper is added, and as on the
    shipped data with table1=true (one test per query, so that the two workers share them)."""
    shipped, grown = graphs(name)
    params = {"author": "Billinge, S. J. L."} if "author" in query.parameters else {}
    before = rows(shipped, query.name, **params)
    if "table1" in query.parameters:
        assert rows(shipped, query.name, table1="true", **params) == before, query.name
        assert rows(grown, query.name, table1="true", **params) == before, query.name
    after = rows(grown, query.name, **params)
    if query.is_violation_check:
        assert after == [], query.name
    elif query.name not in NOT_COUNTS:
        assert after != before, f"{query.name} does not count the added paper"


def test_most_named_queries_count_the_collection() -> None:
    counting = [q for q in QUERIES if not q.is_violation_check and q.name not in NOT_COUNTS]
    assert len(counting) >= 12
    assert {q.name for q in QUERIES} >= NOT_COUNTS  # no stale name hides a query


@pytest.mark.parametrize("name", STORES)
def test_the_added_paper_validates_and_is_counted_exactly(
    graphs: Callable[[str], tuple[Any, Any]], name: str
) -> None:
    shipped, grown = graphs(name)
    assert grown.check() == []  # the shapes hold for the added paper
    paper = str(Iris().paper(KEY))
    by_year = dict(rows(grown, "papers-per-year"))
    assert by_year["2025"] == str(int(dict(rows(shipped, "papers-per-year")).get("2025", 0)) + 1)
    journals = rows(grown, "papers-per-journal")
    assert journals[-1] == ("Journal of Applied Crystallography", "J. Appl. Cryst.", "1")
    found = rows(grown, "papers-by-author", author="Doe, J. A.")
    assert [r[0] for r in found] == [None] and found[0][2] == "Liu et al. (2025)"
    assert paper.endswith(KEY)


def test_the_network_index_and_stats_count_the_added_paper(extended_data: Path) -> None:
    from mlcryst.stores.registry import open_store
    from mlcryst.visual.index import index_graph

    index = index_graph(open_store("rdflib", None, data_dir=extended_data).view())
    assert len(index.papers) == 81
    added = index.papers[Iris().paper(KEY)]  # type: ignore[index]
    assert added.year == 2025 and added.architecture == "deep learning"


@pytest.mark.parametrize("name", STORES)
def test_parameters_that_name_nothing_give_the_closest(name: str) -> None:
    from mlcryst.errors import UsageError
    from mlcryst.sparql.params import parse_params
    from mlcryst.sparql.resolve import resolve_params

    store = store_class(name).from_data(None)

    def resolve(item: str) -> Any:
        return resolve_params(store, parse_params([item]))

    for spelling in ("billinge", "Billinge, S.J.L.", "BILLINGE,  s. j. l."):
        value = resolve(f"author={spelling}")["author"].value
        assert value in ("Billinge", "Billinge, S. J. L."), spelling
        assert rows(store, "papers-by-author", author=value)
    assert resolve("author=Juhas, P.")["author"].value == "Juhas, P."  # a printed variant
    with pytest.raises(
        UsageError, match=r"no person 'bilinge'; did you mean 'Billinge, S\. J\. L\.'"
    ):
        resolve("author=bilinge")
    with pytest.raises(UsageError, match=r"no method concept 'mlm:cnn'.*convolutional-neural"):
        resolve("method=mlm:cnn")
    with pytest.raises(UsageError, match="no problem concept"):
        resolve("problem=mlm:deep-learning")  # a method, not a problem
    assert resolve("method=cnn")["method"].value == "cnn"  # a label, any case
    assert resolve("table1=false") == {}
    with pytest.raises(UsageError, match="true or false"):
        resolve("table1=yes")


def test_sparql_text_gets_the_project_prefixes(runner: Any) -> None:
    from mlcryst.cli.main import main

    text = "SELECT (COUNT(*) AS ?n) WHERE { ?p mlc:usesMethod/skos:broader* mlm:deep-learning }"
    result = runner.invoke(main, ["query", "--sparql", text, "--format", "csv"])
    assert result.exit_code == 0, result.output
    own = "PREFIX mlm: <urn:nothing#> " + text
    other = runner.invoke(main, ["query", "--sparql", own, "--format", "csv"])
    assert other.exit_code == 0 and other.stdout.splitlines()[1] == "0"
    assert int(result.stdout.splitlines()[1]) > 0
    refused = runner.invoke(main, ["query", "--sparql", "SELECT * { SERVICE <http://x/> {} }"])
    assert refused.exit_code == 5
