"""``mlcryst push`` and the ``--endpoint`` options of ``mlcryst query``: standard SPARQL servers.

The graph options keep their meaning across the CLI: ``--graph FILE`` is an input file; the
graph on the server is ``--named-graph IRI``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from mlcryst.cli.options import base_option, collection_option, data_option, store_option

if TYPE_CHECKING:
    from mlcryst.collection import Collection

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_GRAPH_IRI = "https://w3id.org/mlcryst/graph"  # = mlcryst.remote.endpoint.DEFAULT_GRAPH_IRI
PASSWORD_ENV = "MLCRYST_ENDPOINT_PASSWORD"
USER_ENV = "MLCRYST_ENDPOINT_USER"


def _common(func: F, *, required: bool) -> F:
    options = [
        click.option(
            "--endpoint",
            "endpoint",
            metavar="URL",
            required=required,
            help="SPARQL query URL of a server: Virtuoso .../sparql, Oxigraph "
            "http://host:7878 (see docs/servers.md).",
        ),
        click.option(
            "--named-graph",
            "named_graph",
            metavar="IRI",
            default=DEFAULT_GRAPH_IRI,
            show_default=True,
            help="The graph on the server (read as the default graph by queries; "
            "'' = the server's own default graph).",
        ),
        click.option(
            "--user",
            "user",
            metavar="NAME",
            envvar=USER_ENV,
            help=f"User for digest or basic authentication (or ${USER_ENV}).",
        ),
        click.option(
            "--password",
            "password",
            metavar="SECRET",
            envvar=PASSWORD_ENV,
            help=f"Password (better: set ${PASSWORD_ENV}; asked for on a terminal).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def endpoint_options(func: F) -> F:
    """The options ``mlcryst query`` takes to run against a server instead of a local graph."""
    return _common(func, required=False)


def _push_options(func: F) -> F:
    return _common(func, required=True)


def _from_environment(name: str) -> bool:
    """Whether the option ``name`` of the running command came from its environment variable."""
    from click.core import ParameterSource

    ctx = click.get_current_context(silent=True)
    return ctx is not None and ctx.get_parameter_source(name) == ParameterSource.ENVIRONMENT


def _endpoint(
    url: str,
    user: str | None,
    password: str | None,
    *,
    update_url: str | None = None,
    store_url: str | None = None,
    timeout: float = 120.0,
) -> Any:
    from mlcryst.remote.endpoint import Endpoint

    if not user and password is not None and _from_environment("password"):
        password = None  # an exported password serves the pushes that name a user
    if user and password is None:
        if not sys.stdin.isatty():
            raise click.UsageError(
                f"--user {user} needs a password: set ${PASSWORD_ENV} or give --password"
            )
        password = click.prompt(f"password for {user}", hide_input=True)
    return Endpoint.at(
        url,
        user=user or None,
        password=password,
        update_url=update_url,
        store_url=store_url,
        timeout=timeout,
    )


def query_endpoint(
    url: str,
    query: Any,
    bindings: dict[str, Any],
    fmt: str,
    *,
    user: str | None,
    password: str | None,
    named_graph: str | None,
    timeout: float | None = None,
) -> str:
    """Run ``query`` (a NamedQuery or text) on the server at ``url``; the rendered result."""
    from mlcryst.remote.endpoint import query as run_remote
    from mlcryst.sparql.named import NamedQuery, check_parameters
    from mlcryst.sparql.results import render

    endpoint = _endpoint(url, user, password, timeout=timeout or 120.0)
    text = query
    if isinstance(query, NamedQuery):
        check_parameters(query, bindings)
        text = query.text
    result = run_remote(endpoint, text, bindings, named_graph=named_graph or None)
    return render(result, fmt)


@click.command()
@_push_options
@click.option(
    "--graph",
    "graph_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Push this RDF file instead of the graph built from the data.",
)
@data_option
@base_option
@store_option
@click.option("--update-url", metavar="URL", help="SPARQL update URL (default: guessed).")
@click.option("--store-url", metavar="URL", help="Graph Store Protocol URL (default: guessed).")
@click.option("--no-validate", is_flag=True, help="Push without checking the SHACL shapes.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=300,
    show_default=True,
    metavar="SECONDS",
    help="Give up on a request after this long.",
)
@collection_option
def push(
    endpoint: str,
    named_graph: str,
    user: str | None,
    password: str | None,
    graph_file: Path | None,
    data_dir: Path | None,
    base: str | None,
    update_url: str | None,
    store_url: str | None,
    store: str,
    no_validate: bool,
    timeout: float,
    collection: Collection,
) -> None:
    """Replace a named graph on a SPARQL server with the graph, atomically.

    Uploads with the Graph Store Protocol to a staging graph, checks the triple count, then
    moves it over the target in one update: on any failure the target is left as it was. On a
    failure, Ctrl-C or SIGTERM the staging graph is dropped; one left by a killed push is
    removed by the next push (which says so).
    """
    from mlcryst.pipeline import push_payload
    from mlcryst.remote.endpoint import push as push_graph

    if not named_graph:
        raise click.UsageError("--named-graph must name a graph to replace")
    target = _endpoint(
        endpoint, user, password, update_url=update_url, store_url=store_url, timeout=timeout
    )
    data, triples = push_payload(
        graph_file,
        data_dir=data_dir,
        base=base,
        store=store,
        validate=not no_validate,
        collection=collection,
    )
    report = push_graph(target, data, named_graph, triples=triples)
    if report.leftover:
        click.echo(
            f"removed a leftover staging graph from an interrupted push ({report.leftover} triples)"
        )
    click.echo(
        f"replaced <{report.named_graph}> at {target.store_url}: {report.triples} "
        f"triples (was {report.previous})"
    )
