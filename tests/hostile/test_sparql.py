"""Hostile SPARQL: every disguise of SERVICE, FROM and updates, escapes that two readers could
read differently, size and depth bombs, runaway evaluation and bad parameters, on both stores,
on the endpoint path, in shapes, and in the drawing commands.

Every URL in a hostile query points at a loopback server that records what it gets: it must
get nothing. Each case runs the real command in a child process (no traceback, no exit 1, no
hang) and checks the documented exit code and a message that says what was refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from mlcryst.errors import EXIT_CODES, QueryError

from .conftest import Loopback, Ran, run_cli

REFUSED, LIMIT, USAGE = 5, 8, 2
assert "SPARQL" in EXIT_CODES[REFUSED] and "limit" in EXIT_CODES[LIMIT]

STORES = ("oxigraph", "rdflib")


@pytest.fixture(scope="module")
def small_graph(tmp_path_factory: pytest.TempPathFactory, graph: Graph) -> Path:
    """The shipped graph as N-Triples (quick to read on both stores)."""
    from mlcryst.export.rdflib_writer import serialize

    path = tmp_path_factory.mktemp("graph") / "mlcryst.nt"
    path.write_bytes(serialize(graph, "nt"))
    return path


def query(small_graph: Path, store: str, text: str, *extra: str, timeout: float = 120) -> Ran:
    return run_cli(
        "query", "--sparql", text, "--graph", small_graph, "--store", store, *extra,
        timeout=timeout,
    )  # fmt: skip


# --- SERVICE, in every disguise ---------------------------------------------------------------

#: each form has {url}; every one of them must be refused with the reason SERVICE
SERVICE_FORMS = {
    "plain": "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "lower case": "select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
    "mixed case": "SELECT * WHERE {{ SeRvIcE <{url}> {{ ?s ?p ?o }} }}",
    "silent": "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "variable": "SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    "optional": "SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE <{url}> {{ ?a ?q ?x }} }} }}",
    "union": "SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "minus": "SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "exists": "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "sub-select": "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "graph": "SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "ask": "ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "construct": "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "describe": "DESCRIBE ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "escaped keyword": "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "escaped keyword 8": "SELECT * WHERE {{ \\U00000053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    # the reported bypass, turned so that the spec's reading has SERVICE in the code:
    "quote escape": 'SELECT * WHERE {{ BIND("\\u0022 AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} #" AS ?y) }}',
    "apostrophe escape": "SELECT * WHERE {{ BIND('\\u0027 AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} #' AS ?y) }}",
    "8-digit escape": 'SELECT * WHERE {{ BIND("\\U00000022 AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} #" AS ?y) }}',
    "carriage return ends a comment": "SELECT * WHERE {{ ?s ?p ?o # note\rSERVICE <{url}> {{ ?s ?p ?o }} }}",
    "after a long string": "SELECT * WHERE {{ BIND('''a''b'' ' AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "after an escaped quote": 'SELECT * WHERE {{ BIND("a\\"b" AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}',
    "tab and newline around": "SELECT * WHERE {{\n\tSERVICE\n<{url}>\t{{ ?s ?p ?o }} }}",
}


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("form", sorted(SERVICE_FORMS))
def test_service_is_refused_on_both_stores(
    small_graph: Path, loopback: Loopback, store: str, form: str
) -> None:
    text = SERVICE_FORMS[form].format(url=f"{loopback.url}/sparql")
    ran = query(small_graph, store, text)
    assert ran.code == REFUSED, ran.stderr
    assert "SERVICE is not allowed" in ran.stderr
    assert ran.stdout == ""
    assert loopback.hits == []


#: the issue's own bypass texts: read as the SPARQL grammar says, the SERVICE is in a comment.
#: They may run (and find the one row of BIND), but nothing may reach the server.
BYPASSES = [
    'SELECT * WHERE {{ BIND("\\u0022 AS ?x) }} #" AS ?y) SERVICE <{url}> {{ ?s ?p ?o }} }}',
    "SELECT * WHERE {{ BIND('\\u0027 AS ?x) }} #' AS ?y) SERVICE <{url}> {{ ?s ?p ?o }} }}",
    'SELECT * WHERE {{ BIND("\\U00000022 AS ?x) }} #" AS ?y) SERVICE <{url}> {{ ?s ?p ?o }} }}',
]


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("text", BYPASSES)
def test_the_reported_bypass_reaches_nothing(
    small_graph: Path, loopback: Loopback, store: str, text: str
) -> None:
    ran = query(small_graph, store, text.format(url=f"{loopback.url}/sparql"))
    assert ran.code in (0, REFUSED), ran.stderr
    assert loopback.hits == []


def test_the_bypass_runs_the_text_that_was_checked(small_graph: Path, loopback: Loopback) -> None:
    """What runs is the expanded text: the string is empty and the rest is a comment."""
    text = BYPASSES[0].format(url=f"{loopback.url}/sparql")
    for store in STORES:
        ran = query(small_graph, store, text, "--format", "csv")
        assert ran.code == 0, ran.stderr
        assert ran.stdout.splitlines()[0] == "x"
    assert loopback.hits == []


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE {{ BIND('\\u005Cu0022' AS ?x) }}",  # an escape that makes an escape
        "SELECT * WHERE {{ BIND('\\uD800' AS ?x) }}",  # a surrogate
        "SELECT * WHERE {{ BIND('\\U00110000' AS ?x) }}",  # past U+10FFFF
    ],
)
def test_escapes_that_could_be_read_two_ways_are_refused(
    small_graph: Path, loopback: Loopback, text: str
) -> None:
    for store in STORES:
        ran = query(small_graph, store, text.format(url=loopback.url))
        assert ran.code == REFUSED, ran.stderr
        assert "escape" in ran.stderr


# --- FROM, updates --------------------------------------------------------------------------

FROM_FORMS = [
    "SELECT * FROM <{url}/g> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{url}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "select * from <{url}/g> where {{ ?s ?p ?o }}",
    "ASK FROM <file:///etc/passwd> {{ ?s ?p ?o }}",
    "CONSTRUCT {{ ?s ?p ?o }} FROM <{url}/g> WHERE {{ ?s ?p ?o }}",
    "SELECT * \\u0046ROM <{url}/g> WHERE {{ ?s ?p ?o }}",
]


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("text", FROM_FORMS)
def test_from_is_refused(small_graph: Path, loopback: Loopback, store: str, text: str) -> None:
    ran = query(small_graph, store, text.format(url=loopback.url))
    assert ran.code == REFUSED, ran.stderr
    assert "FROM" in ran.stderr
    assert loopback.hits == []


UPDATES = [
    "INSERT DATA {{ <urn:a> <urn:b> <urn:c> }}",
    "DELETE WHERE {{ ?s ?p ?o }}",
    "LOAD <{url}/data.ttl>",
    "LOAD SILENT <{url}/data.ttl> INTO GRAPH <urn:g>",
    "CLEAR ALL",
    "DROP DEFAULT",
    "CREATE GRAPH <urn:g>",
    "COPY DEFAULT TO <urn:g>",
    "MOVE DEFAULT TO <urn:g>",
    "ADD DEFAULT TO <urn:g>",
    "WITH <urn:g> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
    "SELECT * WHERE {{ ?s ?p ?o }} ; INSERT DATA {{ <urn:a> <urn:b> <urn:c> }}",
    "\\u004cOAD <{url}/data.ttl>",
]


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("text", UPDATES)
def test_updates_are_refused(small_graph: Path, loopback: Loopback, store: str, text: str) -> None:
    before = small_graph.read_bytes()
    ran = query(small_graph, store, text.format(url=loopback.url))
    assert ran.code == REFUSED, ran.stderr
    assert "not allowed" in ran.stderr
    assert loopback.hits == []
    assert small_graph.read_bytes() == before


# --- size and depth budgets -------------------------------------------------------------------


def test_a_query_over_the_length_budget_is_refused_at_once(small_graph: Path) -> None:
    rows = " ".join(f'("{i}")' for i in range(200_000))  # about 2 MB of VALUES rows
    path = small_graph.parent / "big.rq"
    path.write_text(f"SELECT ?x WHERE {{ VALUES (?x) {{ {rows} }} }}", encoding="utf-8")
    for store in STORES:
        ran = run_cli("query", path, "--graph", small_graph, "--store", store, timeout=60)
        assert ran.code == REFUSED, ran.stderr
        assert "over the budget" in ran.stderr and "MLCRYST_MAX_QUERY_CHARS" in ran.stderr


def test_a_long_query_within_a_raised_budget_stops_at_the_time_limit(small_graph: Path) -> None:
    rows = " ".join(f'("{i}")' for i in range(300_000))
    path = small_graph.parent / "long.rq"
    path.write_text(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES (?x) {{ {rows} }} ?a ?b ?c . ?d ?e ?f }}",
        encoding="utf-8",
    )
    env = {"MLCRYST_MAX_QUERY_CHARS": "10000000"}
    for store in STORES:
        ran = run_cli(
            "query", path, "--graph", small_graph, "--store", store, "--timeout", "3",
            env=env, timeout=60,
        )  # fmt: skip
        assert ran.code == LIMIT, ran.stderr
        assert "stopped after 3 s" in ran.stderr


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize(
    "opening,closing",
    [("{ ", "} "), ("( ", ") "), ("{ OPTIONAL { ", "} } ")],
    ids=["groups", "parentheses", "optionals"],
)
def test_deep_nesting_is_refused_with_the_budget(
    small_graph: Path, store: str, opening: str, closing: str
) -> None:
    inner = "?s ?p ?o " if opening.startswith("{") else "1 "
    body = opening * 5000 + inner + closing * 5000
    text = (
        f"SELECT * WHERE {{ {body} }}"
        if opening.startswith("{")
        else f"SELECT * WHERE {{ BIND({body} AS ?x) }}"
    )
    ran = query(small_graph, store, text)
    assert ran.code == REFUSED, ran.stderr
    assert "deep" in ran.stderr and "MLCRYST_MAX_QUERY_DEPTH" in ran.stderr


@pytest.mark.parametrize("store", STORES)
def test_nesting_within_the_budget_still_runs(small_graph: Path, store: str) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { " + "{ " * 40 + "?s a ?t " + "} " * 40 + "}"
    ran = query(small_graph, store, text, "--format", "csv")
    assert ran.code == 0, ran.stderr
    assert int(ran.stdout.splitlines()[1]) > 0


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize(
    "text,words",
    [
        ("SELECT * WHERE { ?s ?p ?o ", ("syntax",)),
        ('SELECT * WHERE { ?s ?p "unterminated }', ("unterminated string",)),
        ("SELECT * WHERE { ?s ?p ?o } \x00", ("NUL",)),
        ("", ("empty",)),
        ("# only a comment\n", ("empty",)),
    ],
    ids=["unclosed", "unterminated", "nul", "empty", "comment"],
)
def test_broken_text_is_a_located_error(
    small_graph: Path, tmp_path: Path, store: str, text: str, words: tuple[str, ...]
) -> None:
    path = tmp_path / "broken.rq"  # a file: an argument cannot hold a NUL, nor be empty
    path.write_text(text, encoding="utf-8")
    ran = run_cli("query", path, "--graph", small_graph, "--store", store)
    assert ran.code == REFUSED, ran.stderr
    for word in words:
        assert word in ran.stderr, ran.stderr


@pytest.mark.parametrize(
    "content,words",
    [(b"SELECT * WHERE { ?s ?p '\xe9' }", ("not UTF-8", ":1:")), (None, ("not a regular file",))],
    ids=["latin-1", "fifo"],
)
def test_query_files_that_cannot_be_read(
    small_graph: Path, tmp_path: Path, content: bytes | None, words: tuple[str, ...]
) -> None:
    import os

    path = tmp_path / "q.rq"
    if content is None:
        os.mkfifo(path)  # reading it would wait for a writer forever
    else:
        path.write_bytes(content)
    ran = run_cli("query", path, "--graph", small_graph, timeout=60)
    assert ran.code == REFUSED, ran.stderr
    for word in words:
        assert word in ran.stderr


# --- evaluation limits ------------------------------------------------------------------------

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.mark.parametrize("store", STORES)
def test_a_runaway_query_is_stopped_at_the_time_limit(small_graph: Path, store: str) -> None:
    ran = query(small_graph, store, CARTESIAN, "--timeout", "2", timeout=60)
    assert ran.code == LIMIT, ran.stderr
    assert "stopped after 2 s" in ran.stderr


@pytest.mark.parametrize("store", STORES)
def test_memory_exhaustion_is_the_memory_limit(small_graph: Path, store: str) -> None:
    """Every solution kept (ORDER BY over a cartesian product): the memory limit stops it, with
    exit 8 and a message that says so (on rdflib this used to be exit 5 and no message)."""
    text = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
    ran = query(small_graph, store, text, "--timeout", "120", "--max-memory", "200", timeout=180)
    assert ran.code == LIMIT, ran.stderr
    assert "memory limit of 200 MB" in ran.stderr


# --- parameters -------------------------------------------------------------------------------


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize(
    "param",
    [
        "author=<http://example.org/a b>",
        'author=<http://example.org/a"b>',
        "author=<http://example.org/a>b>",
        "author=<relative>",
        "author=<>",
        "author=<http://example.org/\x01>",
        "bad name=x",
        "=x",
        "novalue",
    ],
)
def test_bad_parameters_are_usage_errors_on_both_stores(
    small_graph: Path, store: str, param: str
) -> None:
    ran = run_cli(
        "query", "papers-by-author", "--graph", small_graph, "--store", store, "--param", param
    )
    assert ran.code == USAGE, ran.stderr
    assert "--param" in ran.stderr


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize(
    "value",
    [
        'x" } UNION { ?s ?p ?o } #',
        "x> } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } #",
        "\\u0022 } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } #",
    ],
)
def test_literal_values_cannot_inject(
    small_graph: Path, loopback: Loopback, store: str, value: str
) -> None:
    ran = run_cli(
        "query", "papers-by-author", "--graph", small_graph, "--store", store,
        "--param", f"author={value}", "--format", "csv",
    )  # fmt: skip
    # no person has that name: a usage error that quotes the value, before any query runs
    assert ran.code == 2, ran.stderr
    assert "no person" in ran.stderr and ran.stdout == ""
    assert loopback.hits == []


# --- the endpoint path ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form", ["plain", "quote escape", "escaped keyword", "carriage return ends a comment"]
)
def test_endpoint_queries_are_guarded_before_anything_is_sent(
    loopback: Loopback, form: str
) -> None:
    text = SERVICE_FORMS[form].format(url=f"{loopback.url}/other")
    ran = run_cli("query", "--sparql", text, "--endpoint", f"{loopback.url}/sparql")
    assert ran.code == REFUSED, ran.stderr
    assert "SERVICE is not allowed" in ran.stderr
    assert loopback.hits == []  # not even the endpoint itself was asked


def test_endpoint_refuses_updates_and_from(loopback: Loopback) -> None:
    for text in ("LOAD <{url}/x>", "SELECT * FROM <{url}/g> WHERE {{ ?s ?p ?o }}"):
        ran = run_cli(
            "query", "--sparql", text.format(url=loopback.url), "--endpoint", f"{loopback.url}/s"
        )
        assert ran.code == REFUSED, ran.stderr
    assert loopback.hits == []


def test_endpoint_counter_sees_an_ordinary_query(loopback: Loopback) -> None:
    """The counter works: a harmless query does reach the endpoint (once)."""
    ran = run_cli(
        "query", "--sparql", "SELECT ?s WHERE { ?s ?p ?o }", "--endpoint", f"{loopback.url}/sparql"
    )
    assert ran.code == 0, ran.stderr
    assert len(loopback.hits) == 1 and loopback.hits[0].startswith("POST /sparql")


# --- the drawing commands ---------------------------------------------------------------------


@pytest.mark.parametrize("command", ["viz", "network"])
def test_drawing_commands_refuse_service(
    small_graph: Path, loopback: Loopback, tmp_path: Path, command: str
) -> None:
    text = (
        f'CONSTRUCT {{ ?s ?p ?o }} WHERE {{ BIND("\\u0022 AS ?x) SERVICE <{loopback.url}/s> '
        '{ ?s ?p ?o } #" AS ?y) }'
    )
    out = tmp_path / ("page.html" if command == "viz" else "g.graphml")
    extra = ["--format", "graphml"] if command == "network" else []
    ran = run_cli(command, "--sparql", text, "--graph", small_graph, "--out", out, *extra)
    assert ran.code == REFUSED, ran.stderr
    assert "SERVICE" in ran.stderr
    assert not out.exists()
    assert loopback.hits == []


# --- shapes with SPARQL ---------------------------------------------------------------------

SERVICE_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:targetNode ex:a ;
    sh:sparql [ sh:select \"\"\"SELECT $this WHERE {{ {body} }}\"\"\" ] .
"""
SHAPE_BODIES = [
    "SERVICE <{url}/s> {{ $this ?p ?o }}",
    'BIND("\\\\u0022 AS ?x) SERVICE <{url}/s> {{ $this ?p ?o }} #" AS ?y)',
    "\\\\u0053ERVICE <{url}/s> {{ $this ?p ?o }}",
]


@pytest.mark.parametrize("body", SHAPE_BODIES)
def test_shapes_with_service_are_refused_on_both_validators(loopback: Loopback, body: str) -> None:
    import pyoxigraph as ox

    from mlcryst.shacl.compiled import validate_store
    from mlcryst.shacl.report import shacl_report

    shapes = Graph().parse(data=SERVICE_SHAPE.format(body=body.format(url=loopback.url)))
    data = Graph().parse(data='<http://example.org/a> <http://example.org/p> "1" .', format="nt")
    with pytest.raises(QueryError, match="SERVICE"):
        shacl_report(data, shapes)
    store = ox.Store()
    store.load(
        b'<http://example.org/a> <http://example.org/p> "1" .', format=ox.RdfFormat.N_TRIPLES
    )
    with pytest.raises(QueryError, match="SERVICE"):
        validate_store(store, shapes)
    assert loopback.hits == []


# --- the last wall: the child that runs a query has no network --------------------------------


def test_the_bounded_child_has_no_network(loopback: Loopback) -> None:
    """Even a SERVICE that reached the engine (here: straight to Oxigraph, past every check)
    finds no network in the child that runs it."""
    import pyoxigraph as ox

    from mlcryst.bounded import run_limited

    def unchecked() -> str:
        try:
            list(
                ox.Store().query(f"SELECT * WHERE {{ SERVICE <{loopback.url}/s> {{ ?s ?p ?o }} }}")
            )
        except (OSError, RuntimeError) as exc:
            return str(exc)
        return "answered"

    said = run_limited(unchecked, timeout=20)
    assert said != "answered"
    assert loopback.hits == []
