"""Commands for the networks, the interactive page, the analytics and the figures.

``mlcryst viz``, ``mlcryst network``, ``mlcryst stats`` and ``mlcryst plot``; they only parse
options and call :mod:`mlcryst.visual.network`, :mod:`mlcryst.visual.page`,
:mod:`mlcryst.visual.stats` and
:mod:`mlcryst.visual.plots`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from mlcryst.cli.options import (
    collection_option,
    data_option,
    graph_option,
    out_dir_option,
    store_option,
)

if TYPE_CHECKING:
    from mlcryst.collection import Collection

F = TypeVar("F", bound=Callable[..., Any])

#: Kept in step with mlcryst.visual.network.VIEWS (not imported, so --help stays fast).
VIEW_NAMES = ("overview", "papers", "coauthors", "cooccurrence", "construct")

view_option = click.option(
    "--view",
    type=click.Choice(VIEW_NAMES),
    default=None,
    help="overview (default), papers (paper–method–problem), coauthors, cooccurrence "
    "(method × problem, weighted), or construct (the graph a --sparql/--query "
    "CONSTRUCT returns; the default when a query is given).",
)
sparql_option = click.option(
    "--sparql",
    "sparql_text",
    metavar="TEXT",
    help="A CONSTRUCT or DESCRIBE query whose result graph to draw.",
)
query_option = click.option(
    "--query",
    "query_name",
    metavar="NAME",
    help="A named query (see `mlcryst queries`) or .rq file to draw.",
)


def _store(
    graph_file: Path | None, data_dir: Path | None, store: str, collection: Collection
) -> Any:
    from mlcryst.stores.registry import open_store

    return open_store(store, graph_file, data_dir=data_dir, collection=collection)


@dataclass(frozen=True)
class Drawing:
    """What ``--view``, ``--sparql``, ``--query`` and ``--graph`` ask a command to draw."""

    view: str | None
    sparql_text: str | None
    query_name: str | None
    graph_file: Path | None
    data_dir: Path | None
    store: str
    collection: Collection

    def view_and_query(self) -> tuple[str, Any]:
        """The view to draw and the query (text or named) behind a construct view, checked."""
        view, sparql_text, query_name = self.view, self.sparql_text, self.query_name
        if sparql_text and query_name:
            raise click.UsageError("give --sparql TEXT or --query NAME, not both")
        query: Any = sparql_text
        if query_name:
            from mlcryst.sparql.named import find_query

            query = find_query(query_name, self.collection.queries_dir)
        if query is not None and view not in (None, "construct"):
            raise click.UsageError(f"--sparql/--query draw the construct view, not --view {view}")
        if view == "construct" and query is None:
            raise click.UsageError("--view construct needs --sparql TEXT or --query NAME")
        return (view or ("construct" if query is not None else "overview")), query

    def graph(self) -> Any:
        """The store to draw from: ``--graph FILE``, or the graph built from ``--data``, in
        the store ``--store`` names."""
        return _store(self.graph_file, self.data_dir, self.store, self.collection)


def drawing_options(func: F) -> F:
    """``--view``, ``--sparql``, ``--query``, ``--graph``, ``--data`` and ``--store``, passed
    on as one ``drawing``.

    Only packs the values: the command checks them (``drawing.view_and_query()``) where its
    errors are handled.
    """

    @wraps(func)
    def wrapper(
        *,
        view: str | None,
        sparql_text: str | None,
        query_name: str | None,
        graph_file: Path | None,
        data_dir: Path | None,
        store: str,
        collection: Collection,
        **kwargs: Any,
    ) -> Any:
        drawing = Drawing(view, sparql_text, query_name, graph_file, data_dir, store, collection)
        return func(drawing=drawing, **kwargs)

    command: Callable[..., Any] = collection_option(wrapper)
    options = (store_option, data_option, graph_option, query_option, sparql_option, view_option)
    for option in options:
        command = option(command)
    return cast(F, command)


@click.command()
@drawing_options
@click.option(
    "--out",
    "out_file",
    required=True,
    metavar="FILE.html",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the page here (atomically).",
)
@click.option(
    "--group/--no-group",
    "group",
    default=None,
    help="Draw papers and people grouped under what they are tagged with (co-authors: in "
    "communities), a click listing what a group holds; default: when the view has more than "
    "2500 nodes, which a browser cannot lay out readably.",
)
def viz(drawing: Drawing, out_file: Path, group: bool | None) -> None:
    """Write one self-contained, offline HTML page drawing a network view of the graph."""
    from mlcryst.visual.page import write_page

    view, query = drawing.view_and_query()
    path = write_page(drawing.graph(), out_file, view, query=query, aggregate=group)
    click.echo(f"wrote {path}")


@click.command()
@drawing_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("graphml", "gexf")),
    default=None,
    help="graphml (Cytoscape, yEd) or gexf (Gephi); default from the --out suffix.",
)
@click.option(
    "--out",
    "out_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the network here (atomically).",
)
def network(drawing: Drawing, fmt: str | None, out_file: Path) -> None:
    """Export a network view as GraphML or GEXF (node kinds, labels and attributes kept)."""
    from mlcryst.visual.network import project, write_network

    view, query = drawing.view_and_query()
    if fmt is None and out_file.suffix.lower() not in (".graphml", ".gexf"):
        raise click.UsageError(
            "give --format graphml|gexf or an --out file ending in .graphml or .gexf"
        )
    g = project(drawing.graph(), view, query=query)
    write_network(g, out_file, fmt)
    click.echo(f"wrote {out_file} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")


@click.command()
@graph_option
@data_option
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("table", "csv", "json")),
    default="table",
    show_default=True,
    help="Aligned tables, CSV (one file per table) or JSON.",
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path),
    help="Write here instead of standard output (for csv: a folder, one file per table).",
)
@click.option(
    "--top",
    default=10,
    show_default=True,
    type=click.IntRange(1),
    help="Rows in the centrality rankings.",
)
@collection_option
def stats(
    graph_file: Path | None,
    data_dir: Path | None,
    store: str,
    fmt: str,
    out_path: Path | None,
    top: int,
    collection: Collection,
) -> None:
    """Analytics: centrality, communities, co-authorship components, co-occurrence, the share
    of deep learning per year and the gap map."""
    from mlcryst.fileio import write_atomic, write_set
    from mlcryst.visual.stats import compute_stats
    from mlcryst.visual.stats_render import render_csv, render_json, render_text

    result = compute_stats(_store(graph_file, data_dir, store, collection), top=top)
    if fmt == "csv":
        files = render_csv(result)
        if out_path is None:
            for name, text in files.items():
                click.echo(f"# {name}")
                click.echo(text)
            return
        write_set(out_path, {name: text.encode("utf-8") for name, text in files.items()})
        click.echo(f"wrote {len(files)} CSV files to {out_path}")
        return
    text = render_json(result) if fmt == "json" else render_text(result)
    if out_path is None:
        click.echo(text, nl=False)
    else:
        write_atomic(out_path, text.encode("utf-8"))
        click.echo(f"wrote {out_path}")


@click.command()
@graph_option
@data_option
@store_option
@out_dir_option("dist/figures", "Output folder.")
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(("png", "svg")),
    help="Only these formats (repeatable; default both).",
)
@collection_option
def plot(
    graph_file: Path | None,
    data_dir: Path | None,
    store: str,
    out_dir: Path,
    formats: tuple[str, ...],
    collection: Collection,
) -> None:
    """Write the figures: papers per year by architecture, paradigms by journal, gap map."""
    from mlcryst.visual.plots import FORMATS, write_figures

    for path in write_figures(
        _store(graph_file, data_dir, store, collection), out_dir, formats or FORMATS
    ):
        click.echo(f"wrote {path}")


COMMANDS = (viz, network, stats, plot)
