"""Checks shared by the Oxigraph and Virtuoso endpoint tests: failed pushes and the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from mlcryst.errors import EndpointError
from mlcryst.remote.endpoint import STAGING_PREFIX, push, query

#: the target graph of the failing pushes and of the CLI round trip
FAILING_PUSH_GRAPH = "https://example.org/graph/failing-push"
CLI_GRAPH = "https://example.org/graph/cli"


def good_lines(count: int) -> str:
    """``count`` valid N-Triples lines, one distinct triple each."""
    return "".join(f'<urn:s{i}> <urn:p> "{i}" .\n' for i in range(count))


def broken_payload(good: str) -> bytes:
    """``good``, an unterminated literal, then ``good`` again: a syntax error half-way."""
    return (good + '<urn:bad> <urn:p> "unterminated .\n' + good).encode()


def staging_graphs(server: Any, pattern: str) -> list[str]:
    """The staging graphs left on the server: graphs ``?g`` matching ``GRAPH ?g <pattern>``."""
    text = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {pattern} }}"
    result = query(server.endpoint(), text, named_graph=None)
    return [str(row.g) for row in result if str(row.g).startswith(STAGING_PREFIX)]


def assert_failed_pushes_keep_the_graph(
    server: Any, good: str, http_error: str, graph_pattern: str
) -> None:
    """A push of a broken payload fails with ``http_error``, one whose count does not match
    fails too, and after both the target holds what it held and no staging graph is left."""
    target = FAILING_PUSH_GRAPH
    first = b'<urn:a> <urn:p> "one" .\n<urn:a> <urn:p> "two" .\n'
    assert push(server.endpoint(), first, target, triples=2).triples == 2
    with pytest.raises(EndpointError, match=http_error):
        push(server.endpoint(), broken_payload(good), target)
    sent = good.count("\n")
    with pytest.raises(EndpointError, match=f"holds {sent} triples of the {sent + 1} sent"):
        push(server.endpoint(), good.encode(), target, triples=sent + 1)
    rows = query(server.endpoint(), "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o", named_graph=target)
    assert [str(row.o) for row in rows] == ["one", "two"]
    assert staging_graphs(server, graph_pattern) == []


def cli_push(runner: CliRunner, url: str, path: Path, *auth: str) -> Result:
    """``mlcryst push`` of the file ``path`` (unvalidated) into :data:`CLI_GRAPH`."""
    from mlcryst.cli.main import main

    args = ["push", "--endpoint", url, *auth, "--graph", str(path), "--no-validate"]
    return runner.invoke(main, [*args, "--named-graph", CLI_GRAPH])


def cli_objects_csv(runner: CliRunner, url: str, *auth: str) -> Result:
    """``mlcryst query`` of the objects in :data:`CLI_GRAPH`, sorted, as CSV."""
    from mlcryst.cli.main import main

    text = "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o"
    args = ["query", "--sparql", text, "--endpoint", url, *auth]
    return runner.invoke(main, [*args, "--named-graph", CLI_GRAPH, "--format", "csv"])


def assert_cli_round_trip(
    runner: CliRunner, push_url: str, query_url: str, path: Path, *auth: str
) -> list[str]:
    """Push ``path`` (two triples) with the CLI, read its objects back; the CSV lines."""
    out = cli_push(runner, push_url, path, *auth)
    assert out.exit_code == 0, out.output
    assert "2 triples (was 0)" in out.output
    out = cli_objects_csv(runner, query_url, *auth)
    assert out.exit_code == 0, out.output
    return out.stdout.splitlines()
