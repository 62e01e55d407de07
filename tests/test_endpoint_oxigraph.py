"""``mlcryst push`` and ``mlcryst query --endpoint`` against a real Oxigraph server on loopback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from rdflib import Graph, Literal, URIRef

from mlcryst.errors import EndpointError, QueryError
from mlcryst.export.rdflib_writer import canonical
from mlcryst.remote.endpoint import DEFAULT_GRAPH_IRI, count_triples, push, query
from mlcryst.sparql.named import NamedQuery, list_queries
from mlcryst.sparql.named import run as run_embedded

from .endpoint_common import assert_cli_round_trip, assert_failed_pushes_keep_the_graph, good_lines
from .servers import (
    assert_same_answers,
    named_query_cases,
    oxigraph_rows,
    result_rows,
    sent_text,
)

F = TypeVar("F", bound=Callable[..., Any])


# the tests of the one Oxigraph server (session-scoped, its state carried from test to test):
# under pytest-xdist they all run on one worker (--dist loadgroup)
def server(test: F) -> F:
    return pytest.mark.server(pytest.mark.xdist_group("oxigraph-server")(test))


#: named queries rdflib answers within a few seconds: checked against the rdflib path too
RDFLIB_CHECKED = [
    ("papers-per-year", {}),
    ("table-1", {}),
    (
        "papers-using-method",
        {"method": URIRef("https://w3id.org/mlcryst/method/convolutional-neural-network")},
    ),
    ("papers-using-method", {"method": Literal("CNN")}),
]


@pytest.fixture(scope="module")
def ox(oxigraph_server: Any, graph_ntriples: tuple[bytes, int]) -> Any:
    """The server, with the built graph pushed to the default named graph."""
    data, triples = graph_ntriples
    report = push(oxigraph_server.endpoint(), data, triples=triples)
    assert report.triples == triples
    return oxigraph_server


@server
def test_server_starts_fast(ox: Any) -> None:
    assert ox.started_in < 10


@server
def test_push_round_trips_every_triple(ox: Any, graph: Graph) -> None:
    result = query(ox.endpoint(), "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert result.graph is not None
    back, mine = canonical(result.graph), canonical(graph)
    assert len(back) == len(mine)
    assert set(back) == set(mine)


@server
@pytest.mark.parametrize(("q", "bindings"), named_query_cases())
def test_named_queries_answer_as_embedded(
    ox: Any, embedded_oxigraph: Any, q: NamedQuery, bindings: dict[str, Any]
) -> None:
    """The server answers as the embedded store does, on the text mlcryst sends."""
    result = query(ox.endpoint(), q.text, bindings)
    expected = oxigraph_rows(embedded_oxigraph, sent_text(q, bindings))
    assert_same_answers(result, expected, q.name)


@server
@pytest.mark.parametrize(("name", "bindings"), RDFLIB_CHECKED)
def test_named_queries_answer_as_rdflib(
    ox: Any, graph: Graph, embedded_oxigraph: Any, name: str, bindings: dict[str, Any]
) -> None:
    """The rdflib path (initBindings) agrees: bound values sent as VALUES mean the same."""
    q = next((q for q in list_queries() if q.name == name), None)
    if q is None:
        pytest.skip(f"no named query {name}")
    remote = query(ox.endpoint(), q.text, bindings)
    embedded = result_rows(run_embedded(graph, q, bindings))
    assert result_rows(remote) == embedded
    assert oxigraph_rows(embedded_oxigraph, sent_text(q, bindings))[1] == embedded


@server
def test_bound_values_are_escaped_not_pasted(ox: Any) -> None:
    hostile = Literal('x" } } ; DROP ALL ; SELECT * { ?s ?p "')
    result = query(ox.endpoint(), "SELECT ?v WHERE { ?s ?p ?o } LIMIT 1", {"v": hostile})
    assert [row.v for row in result] == [hostile]
    assert count_triples(ox.endpoint(), DEFAULT_GRAPH_IRI) > 7000
    with pytest.raises(QueryError):
        query(ox.endpoint(), "SELECT ?v WHERE { ?s ?p ?o }", {"v": URIRef("urn:x> <urn:y")})
    with pytest.raises(QueryError, match="parameter name"):
        query(ox.endpoint(), "SELECT ?v WHERE { ?s ?p ?o }", {"v ?w": Literal(1)})


@server
@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }",
        "DROP ALL",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    ],
)
def test_unsafe_queries_are_refused_before_sending(ox: Any, text: str) -> None:
    before = count_triples(ox.endpoint(), DEFAULT_GRAPH_IRI)
    with pytest.raises(QueryError):
        query(ox.endpoint(), text)
    assert count_triples(ox.endpoint(), DEFAULT_GRAPH_IRI) == before


@server
def test_default_graph_uri_selects_the_named_graph(ox: Any) -> None:
    """Oxigraph's own default graph is empty: queries must name the graph they read."""
    ask = "ASK { ?s ?p ?o }"
    assert query(ox.endpoint(), ask).askAnswer is True
    assert query(ox.endpoint(), ask, named_graph=None).askAnswer is False


@server
def test_failed_push_leaves_the_graph_as_it_was(ox: Any) -> None:
    """Oxigraph refuses the broken PUT (HTTP 400); an empty staging graph counts as left."""
    assert_failed_pushes_keep_the_graph(ox, good_lines(1500), "HTTP 400", "{ }")


def test_unreachable_server_is_an_endpoint_error() -> None:
    from mlcryst.remote.endpoint import Endpoint

    from .servers import free_port

    with pytest.raises(EndpointError, match="cannot reach"):
        query(Endpoint.at(f"http://127.0.0.1:{free_port()}", timeout=5), "ASK { }")


@server
def test_cli_push_then_query(ox: Any, runner: Any, tmp_path: Any, graph: Graph) -> None:
    from mlcryst.cli.main import main

    path = tmp_path / "small.ttl"
    path.write_text('<urn:a> <urn:p> "é"@en .\n<urn:b> <urn:p> 2 .\n', encoding="utf-8")
    url = ox.query_url
    assert assert_cli_round_trip(runner, url, url, path) == ["o", "2", "é"]
    name = RDFLIB_CHECKED[0][0]
    remote = runner.invoke(main, ["query", name, "--endpoint", url, "--format", "json"])
    local = runner.invoke(main, ["query", name, "--format", "json"])
    assert remote.exit_code == 0 and local.exit_code == 0, remote.output + local.output
    assert remote.output == local.output
    # an exported password (for pushes as a named user) does not break a query without one
    exported = runner.invoke(
        main,
        ["query", name, "--endpoint", url, "--format", "json"],
        env={"MLCRYST_ENDPOINT_PASSWORD": "secret"},
    )
    assert exported.exit_code == 0 and exported.output == local.output, exported.output
    given = runner.invoke(main, ["query", name, "--endpoint", url, "--password", "secret"])
    assert given.exit_code == 7 and "without a user" in given.output
    out = runner.invoke(main, ["query", name, "--endpoint", url, "--graph", str(path)])
    assert out.exit_code == 2
    out = runner.invoke(main, ["query", name, "--endpoint", "http://127.0.0.1:9/query"])
    assert out.exit_code == 7 and "cannot reach" in out.output


@server
@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
def test_cli_push_validates_and_loads_the_built_graph(
    ox: Any, runner: Any, tmp_path: Any, graph: Graph, store: str
) -> None:
    """``mlcryst push`` from the data: the rdflib path (pySHACL, rdflib's N-Triples) and the
    Oxigraph path used for large data (compiled SHACL, Oxigraph's dump) load the same graph,
    and a graph that violates the shapes is refused (exit 4) with the target untouched."""
    from mlcryst.cli.main import main

    target = f"https://example.org/graph/cli-push-{store}"
    args = ["push", "--endpoint", ox.query_url, "--named-graph", target, "--store", store]
    out = runner.invoke(main, args)
    assert out.exit_code == 0, out.output
    assert f"{len(graph)} triples (was 0)" in out.output
    result = query(ox.endpoint(), "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", named_graph=target)
    assert result.graph is not None
    assert set(canonical(result.graph)) == set(canonical(graph))

    bad = Graph()
    bad += graph
    paper = URIRef("https://w3id.org/mlcryst/paper/acta-a-33-13")
    bad.remove((paper, URIRef("http://purl.org/spar/fabio/hasPublicationYear"), None))
    path = tmp_path / "bad.nt"
    bad.serialize(path, format="nt", encoding="utf-8")
    out = runner.invoke(main, [*args, "--graph", str(path)])
    assert out.exit_code == 4, out.output
    assert "Table 1 row 1, Feigenbaum et al. (1977): year" in out.output
    assert count_triples(ox.endpoint(), target) == len(graph)


# --- bound values as VALUES blocks mean what initBindings means (rdflib, no server) -------

SMALL = Graph().parse(
    format="turtle",
    data="""
<urn:a> <urn:p> <urn:b> ; <urn:label> "A" .
<urn:b> <urn:p> <urn:c> ; <urn:label> "B"@en .
<urn:c> <urn:label> "C" , "q\\"uote\\n" .
""",
)
PARAMETERISED = [
    "SELECT ?s WHERE { ?s <urn:p> ?o . FILTER (!BOUND(?x) || sameTerm(?o, ?x)) }",
    "SELECT ?s WHERE { { ?s <urn:p> ?o FILTER (!BOUND(?x) || ?o = ?x) } ?s ?q ?r }",
    "SELECT ?s ?l WHERE { ?s <urn:p> ?o OPTIONAL { ?s <urn:label> ?l"
    " FILTER (STR(?l) = STR(?x)) } }",
    "SELECT ?s WHERE { ?s <urn:label> ?l FILTER EXISTS { ?s <urn:p> ?x } }",
    "SELECT ?s ?n WHERE { { SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o FILTER (?o != ?x) }"
    " GROUP BY ?s } }",
    "SELECT ?s WHERE { { ?s <urn:p> ?x } UNION { ?x <urn:p> ?s } }",
    "SELECT ?s WHERE { ?s <urn:label> ?l FILTER (STR(?l) = STR(?x)) } # a { in a comment",
    "SELECT ?s (EXISTS { ?s <urn:p> ?x } AS ?e) WHERE { ?s <urn:label> '{' }",
    "SELECT ?s WHERE { VALUES ?s { <urn:a> <urn:b> } ?s <urn:p> ?o FILTER (?o != ?x) }",
]
VALUES_TO_BIND = [None, URIRef("urn:b"), Literal("A"), Literal('q"uote\n'), Literal("B", lang="en")]


@pytest.mark.parametrize("text", PARAMETERISED)
@pytest.mark.parametrize("value", VALUES_TO_BIND, ids=repr)
def test_values_blocks_mean_init_bindings(text: str, value: Any) -> None:
    from mlcryst.remote.rewrite import bind_values

    expected = run_embedded(SMALL, text, {} if value is None else {"x": value})
    got = run_embedded(SMALL, bind_values(text, {"x": value}))
    assert sorted(result_rows(got), key=repr) == sorted(result_rows(expected), key=repr)


def test_construct_template_and_values_data_are_not_groups() -> None:
    from mlcryst.remote.rewrite import bind_values

    text = (
        "CONSTRUCT { ?s <urn:q> ?x } WHERE { ?s <urn:p> ?o VALUES ?o { <urn:b> <urn:c> } }"
        " VALUES ?s { <urn:a> <urn:b> }"
    )
    sent = bind_values(text, {"x": URIRef("urn:z")})
    assert sent.count("VALUES (?x)") == 1
    assert sent.startswith("CONSTRUCT { ?s <urn:q> ?x } WHERE { VALUES (?x) { (<urn:z>) } ")
    got = run_embedded(SMALL, sent).graph
    assert got is not None
    assert set(got) == {(URIRef(s), URIRef("urn:q"), URIRef("urn:z")) for s in ("urn:a", "urn:b")}


def test_pages_add_a_total_order_and_refuse_own_limits() -> None:
    from rdflib.plugins.sparql.parser import parseQuery

    from mlcryst.remote.rewrite import paged

    text = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY DESC(?o)"
    page = paged(text, parseQuery(text), ["s", "o"], 100, 200)
    assert page.endswith("ORDER BY DESC(?o)\n?s\nLIMIT 100\nOFFSET 200\n")  # ?o once
    text = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s DESC(?o)"
    assert paged(text, parseQuery(text), ["s", "o"], 5, 0).endswith("DESC(?o)\nLIMIT 5\nOFFSET 0\n")
    text = "SELECT ?s WHERE { ?s ?p ?o } # no order"
    assert paged(text, parseQuery(text), ["s"], 10, 0).endswith(
        "\nORDER BY ?s\nLIMIT 10\nOFFSET 0\n"
    )
    for text in (
        "SELECT ?s WHERE { ?s ?p ?o } LIMIT 500",
        "SELECT ?s WHERE { ?s ?p ?o } VALUES ?s { <urn:a> }",
    ):
        with pytest.raises(QueryError):
            paged(text, parseQuery(text), ["s"], 10, 0)


def test_a_missing_server_skips_locally_but_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    from . import servers

    monkeypatch.setattr(servers.shutil, "which", lambda name, path=None: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"\.ci/run must install it"):
        servers.require("virtuoso-t", "apt-get install virtuoso-opensource")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        servers.require("virtuoso-t", "apt-get install virtuoso-opensource")
