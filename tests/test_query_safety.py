"""Queries only read the given graph: no SERVICE, no FROM, no updates, no injection.

Run with the real rdflib (and, through the command line, the default store as well). Remote
fetches are caught by a counting HTTP server on loopback that must see no request.
"""

from __future__ import annotations

import csv
import http.server
import io
import threading
from collections.abc import Iterator
from typing import ClassVar

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from mlcryst.builder.iris import Iris
from mlcryst.cli.main import main
from mlcryst.errors import EXIT_CODES, QueryError
from mlcryst.sparql.named import NamedQuery, check_safe, find_query, list_queries, run

QUERY_ERROR = 5
assert "SPARQL query" in EXIT_CODES[QUERY_ERROR]

RDFS = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
INJECTION = 'x" } UNION { ?s ?p ?o } #'


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def _answer(self) -> None:
        self.hits.append(self.path)
        body = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def endpoint() -> Iterator[tuple[str, list[str]]]:
    """A SPARQL-looking HTTP server on loopback that records every request it gets."""
    hits: ClassVar[list[str]] = []
    handler = type("Handler", (_Counter,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", hits
    finally:
        server.shutdown()
        server.server_close()


def _refused(graph: Graph, text: str, *words: str) -> str:
    with pytest.raises(QueryError) as info:
        run(graph, text, timeout=0, memory_mb=0)
    message = str(info.value)
    for word in words:
        assert word in message, message
    return message


def _cli(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    out = runner.invoke(main, ["query", *args])
    return out.exit_code, out.stdout, out.stderr


# --- SERVICE -----------------------------------------------------------------------------------

SERVICE_FORMS = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o . OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?q ?x }} }} }}",
    "SELECT * WHERE {{ FILTER EXISTS {{ service <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND (<{url}> AS ?x) SERVICE ?x {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("form", SERVICE_FORMS)
def test_service_is_refused_and_nothing_is_fetched(
    graph: Graph, endpoint: tuple[str, list[str]], form: str
) -> None:
    url, hits = endpoint
    _refused(graph, form.format(url=url), "SERVICE")
    assert hits == []


@pytest.mark.parametrize("store", ["auto", "rdflib"])
def test_service_through_the_cli(
    runner: CliRunner, endpoint: tuple[str, list[str]], store: str
) -> None:
    url, hits = endpoint
    code, stdout, stderr = _cli(
        runner, "--sparql", f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "--store", store
    )
    assert code == QUERY_ERROR
    assert "SERVICE" in stderr and stdout == ""
    assert hits == []


def test_the_word_service_in_a_string_is_not_a_service(graph: Graph) -> None:
    result = run(
        graph, 'SELECT * WHERE { ?s ?p "SERVICE <http://example.org/>" }', timeout=0, memory_mb=0
    )
    assert list(result) == []


# --- FROM, FROM NAMED, updates ------------------------------------------------------------------


@pytest.mark.parametrize(
    "clause", ["FROM <{url}>", "FROM NAMED <{url}>", "FROM <file:///etc/passwd>"]
)
def test_from_is_refused(graph: Graph, endpoint: tuple[str, list[str]], clause: str) -> None:
    url, hits = endpoint
    clause = clause.format(url=url)
    for text in (
        f"SELECT * {clause} WHERE {{ ?s ?p ?o }}",
        f"ASK {clause} {{ ?s ?p ?o }}",
        f"CONSTRUCT {{ ?s ?p ?o }} {clause} WHERE {{ ?s ?p ?o }}",
    ):
        _refused(graph, text, "FROM")
    assert hits == []


def test_from_through_the_cli(runner: CliRunner, endpoint: tuple[str, list[str]]) -> None:
    url, hits = endpoint
    code, stdout, stderr = _cli(runner, "--sparql", f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}")
    assert (code, stdout) == (QUERY_ERROR, "") and "FROM" in stderr
    assert hits == []


UPDATES = [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "LOAD <{url}>",
    "LOAD SILENT <{url}> INTO GRAPH <urn:g>",
    "CLEAR ALL",
    "DROP DEFAULT",
    "CREATE GRAPH <urn:g>",
    "ADD DEFAULT TO <urn:g>",
]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused(graph: Graph, endpoint: tuple[str, list[str]], update: str) -> None:
    url, hits = endpoint
    before = len(graph)
    _refused(graph, update.replace("{url}", url), "updates", "not allowed")
    assert len(graph) == before
    assert hits == []


def test_update_through_the_cli(runner: CliRunner, endpoint: tuple[str, list[str]]) -> None:
    url, hits = endpoint
    code, stdout, stderr = _cli(runner, "--sparql", f"LOAD <{url}>")
    assert (code, stdout) == (QUERY_ERROR, "") and "updates" in stderr
    assert hits == []


# --- clear errors ----------------------------------------------------------------------------


def test_syntax_error_names_line_and_column(graph: Graph) -> None:
    message = _refused(graph, "SELECT ?s\nWHERE {\n  ?s ?p\n}\n", "syntax error")
    assert "line 3, column 3" in message
    message = _refused(graph, "SELECT * WHERE { ?s ?p ?o ", "syntax error")
    assert "line 1, column" in message


def test_syntax_error_through_the_cli(runner: CliRunner) -> None:
    code, stdout, stderr = _cli(runner, "--sparql", "SELECT ?s\nWHERE {\n  ?s ?p\n}\n")
    assert (code, stdout) == (QUERY_ERROR, "")
    assert "syntax error at line 3, column 3" in stderr


def test_unknown_query_lists_the_known_ones(runner: CliRunner) -> None:
    with pytest.raises(QueryError) as info:
        find_query("papers-per-decade")
    for q in list_queries():
        assert q.name in str(info.value)
    code, stdout, stderr = _cli(runner, "papers-per-decade")
    assert (code, stdout) == (QUERY_ERROR, "")
    assert "no query named 'papers-per-decade'" in stderr and "papers-per-year" in stderr


def test_unknown_parameter_is_refused(graph: Graph, runner: CliRunner) -> None:
    query = find_query("papers-by-author")
    assert isinstance(query, NamedQuery)
    with pytest.raises(QueryError, match="has no parameter"):
        run(graph, query, {"row": Literal(1)}, timeout=0, memory_mb=0)
    for args in (
        ["papers-by-author", "--param", "name=Juhas, P."],
        ["papers-per-year", "--param", "author=Juhas, P."],
        ["papers-per-year", "--param", "year=2019", "--store", "rdflib"],
    ):
        code, stdout, stderr = _cli(runner, *args)
        assert (code, stdout) == (QUERY_ERROR, ""), args
        assert "has no parameter" in stderr


# --- values are bound, never pasted into the text ----------------------------------------------


def test_bound_values_cannot_inject(graph: Graph) -> None:
    # pasting the value into the text would turn it into a pattern matching every triple ...
    pasted = RDFS + f'SELECT ?s WHERE {{ {{ ?s rdfs:label "{INJECTION}" }} }}'
    assert len(run(graph, pasted + "\n}", timeout=0, memory_mb=0)) == len(graph)
    # ... bound as a value it is just a string no one is called
    for name, param in (("papers-by-author", "author"), ("papers-using-method", "method")):
        query = find_query(name)
        assert isinstance(query, NamedQuery)
        for value in (
            Literal(INJECTION),
            Literal('"}'),
            Literal("?s ?p ?o"),
            URIRef("urn:x> } UNION { ?s ?p ?o } #"),
        ):
            assert len(run(graph, query, {param: value}, timeout=0, memory_mb=0)) == 0


@pytest.mark.parametrize("store", ["auto", "rdflib"])
@pytest.mark.parametrize("param", ["author", "method"])
def test_injection_through_the_cli_returns_nothing(
    runner: CliRunner, store: str, param: str
) -> None:
    name = "papers-by-author" if param == "author" else "papers-using-method"
    code, stdout, stderr = _cli(
        runner, name, "--param", f"{param}={INJECTION}", "--format", "csv", "--store", store
    )
    # the value names nothing in the graph: a usage error quoting it, nothing run with it
    # (the binding itself is tested on the library above)
    assert (code, stdout) == (2, "")
    assert f"no {'person' if param == 'author' else 'method concept'}" in stderr


def test_iri_looking_injection_is_not_run(runner: CliRunner) -> None:
    value = "author=<urn:x> } UNION { ?s ?p ?o } #>"
    for store in ("auto", "rdflib"):
        code, stdout, _ = _cli(
            runner, "papers-by-author", "--param", value, "--format", "csv", "--store", store
        )
        # refused as a bad IRI, or bound as one that names nothing: never extra rows
        assert code in (0, 2, QUERY_ERROR)
        assert len(list(csv.reader(io.StringIO(stdout)))) <= 1


def test_named_queries_have_no_placeholders() -> None:
    """Values reach named queries as bound variables only: no text templates."""
    for q in list_queries():
        assert "%s" not in q.text and "{}" not in q.text and "$" not in q.text


# --- output of other query forms -------------------------------------------------------------


CONSTRUCT = (
    RDFS + "PREFIX csvw: <http://www.w3.org/ns/csvw#>\n"
    "CONSTRUCT { ?paper rdfs:label ?label } WHERE { ?row csvw:rownum 1 ; "
    "csvw:describes ?paper . ?paper rdfs:label ?label }"
)


@pytest.mark.parametrize("store", ["auto", "rdflib"])
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_construct_output_is_turtle(runner: CliRunner, store: str, fmt: str) -> None:
    code, stdout, stderr = _cli(runner, "--sparql", CONSTRUCT, "--store", store, "--format", fmt)
    assert code == 0, stderr
    g = Graph().parse(data=stdout, format="turtle")
    paper = Iris().paper("acta-a-33-13")
    assert set(g) == {
        (
            paper,
            URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("Feigenbaum et al. (1977)"),
        )
    }
    assert "@prefix rdfs:" in stdout


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv"])
def test_ask_output(runner: CliRunner, fmt: str) -> None:
    code, stdout, _ = _cli(
        runner, "--sparql", "ASK { ?s ?p ?o }", "--format", fmt, "--store", "rdflib"
    )
    assert (code, stdout) == (0, "true\n")


def test_check_safe_accepts_every_named_query() -> None:
    for q in list_queries():
        check_safe(q.text)
