"""The query command line: listing the questions, every results format, parameters, stores."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.query import Result

from mlcryst.cli.main import main
from mlcryst.namespaces import MLM
from mlcryst.sparql.named import NamedQuery, find_query, list_queries

from .queryhelp import AUTHOR_VALUES, IRIS, METHOD_VALUES, Row, answer, table

QUERIES = list_queries()
NAMES = [q.name for q in QUERIES]


# --- the command line: listing and every results format ---------------------------------------


def test_queries_command_lists_every_question(runner: CliRunner) -> None:
    out = runner.invoke(main, ["queries"])
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert len(lines) == len(QUERIES)
    width = max(len(n) for n in NAMES)
    assert lines == [f"{q.name.ljust(width)}  {q.question}" for q in QUERIES]


def _cli(runner: CliRunner, *args: str) -> str:
    out = runner.invoke(main, ["query", *args])
    assert out.exit_code == 0, (out.output, out.exception)
    return out.stdout


def _text_cells(rows: list[Row]) -> list[list[str]]:
    return [["" if v is None else str(v) for v in r] for r in rows]


@pytest.mark.parametrize("store", ["auto", "rdflib"])
def test_csv_parses_back_with_the_columns_as_header(
    runner: CliRunner, graph: Graph, store: str
) -> None:
    query = find_query("table-1")
    assert isinstance(query, NamedQuery)
    data = list(
        csv.reader(io.StringIO(_cli(runner, "table-1", "--format", "csv", "--store", store)))
    )
    assert tuple(data[0]) == query.columns
    assert data[1:] == _text_cells(answer(graph, "table-1"))


def test_tsv_parses_back(runner: CliRunner, graph: Graph) -> None:
    text = _cli(runner, "papers-per-database", "--format", "tsv", "--store", "rdflib")
    parsed = Result.parse(io.StringIO(text), format="tsv")
    assert [str(v) for v in parsed.vars or []] == list(
        find_query(  # type: ignore[union-attr]
            "papers-per-database"
        ).columns
    )
    assert table(parsed) == answer(graph, "papers-per-database")
    assert text.splitlines()[0] == "?database\t?title\t?described_by\t?papers\t?paper"


@pytest.mark.parametrize("store", ["auto", "rdflib"])
def test_json_is_sparql_results_json(runner: CliRunner, graph: Graph, store: str) -> None:
    text = _cli(runner, "deep-vs-conventional-per-year", "--format", "json", "--store", store)
    doc = json.loads(text)
    assert doc["head"]["vars"] == [
        "year",
        "papers",
        "deep_learning",
        "conventional_ml",
        "both",
        "neither",
    ]
    first = doc["results"]["bindings"][0]
    assert first["year"] == {"type": "literal", "value": "1977", "datatype": str(XSD.integer)}
    parsed = Result.parse(io.StringIO(text), format="json")
    assert table(parsed) == answer(graph, "deep-vs-conventional-per-year")


def test_xml_parses_back(runner: CliRunner, graph: Graph) -> None:
    text = _cli(runner, "name-variants", "--format", "xml")
    parsed = Result.parse(io.BytesIO(text.encode("utf-8")), format="xml")
    assert table(parsed) == answer(graph, "name-variants")


@pytest.mark.parametrize("store", ["auto", "rdflib"])
def test_table_is_readable(runner: CliRunner, store: str) -> None:
    lines = _cli(runner, "papers-per-journal", "--store", store).splitlines()
    assert lines[0].split() == ["journal", "abbreviation", "papers"]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].startswith("Acta Crystallographica Section A  Acta Cryst. A")
    assert lines[2].split()[-1] == "14" and len(lines) == 2 + 5


def test_parameters_through_the_cli(runner: CliRunner, graph: Graph) -> None:
    by_name = _cli(runner, "papers-by-author", "--param", "author=Juhas, P.", "--format", "csv")
    by_iri = _cli(
        runner,
        "papers-by-author",
        "--param",
        f"author=<{IRIS.person('juhas-p')}>",
        "--format",
        "csv",
    )
    assert by_name == by_iri
    assert list(csv.reader(io.StringIO(by_name)))[1:] == _text_cells(
        answer(graph, "papers-by-author", author=Literal("Juhas, P."))
    )
    cnn = _cli(
        runner,
        "papers-using-method",
        "--param",
        "method=mlm:convolutional-neural-network",
        "--format",
        "csv",
    )
    assert list(csv.reader(io.StringIO(cnn)))[1:] == _text_cells(
        answer(graph, "papers-using-method", method=MLM["convolutional-neural-network"])
    )


@pytest.mark.parametrize("name", NAMES)
def test_oxigraph_gives_the_same_rows(graph: Graph, embedded_oxigraph: Any, name: str) -> None:
    """A second engine (the CLI's default store) agrees with rdflib on every query."""
    from mlcryst.sparql.oxigraph import run_query, to_rdflib_result

    result = to_rdflib_result(run_query(embedded_oxigraph, find_query(name).text))  # type: ignore[union-attr]
    assert table(result) == answer(graph, name)


@pytest.mark.parametrize(
    ("key", "bound"),
    [("author", v) for v in AUTHOR_VALUES] + [("method", v) for v in METHOD_VALUES],
    ids=str,
)
def test_oxigraph_gives_the_same_rows_with_parameters(
    graph: Graph, embedded_oxigraph: Any, key: str, bound: Any
) -> None:
    from mlcryst.sparql.oxigraph import run_query, to_rdflib_result

    name = "papers-by-author" if key == "author" else "papers-using-method"
    text = find_query(name).text  # type: ignore[union-attr]
    result = to_rdflib_result(run_query(embedded_oxigraph, text, {key: bound}))
    assert table(result) == answer(graph, name, **{key: bound})


def test_table1_rows_are_typed_as_the_model_says(graph: Graph) -> None:
    """The queries find Table 1 papers through csvw:describes; only rows carry it."""
    describers = set(graph.subjects(URIRef("http://www.w3.org/ns/csvw#describes"), None))
    assert len(describers) == 80
    assert all((r, RDF.type, URIRef("http://www.w3.org/ns/csvw#Row")) in graph for r in describers)
