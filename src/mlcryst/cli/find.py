"""``mlcryst find``: a faceted search over the collection's papers; it parses options and
calls :func:`mlcryst.sparql.find.find_papers`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from mlcryst.cli.options import (
    collection_option,
    data_option,
    graph_option,
    result_format_option,
    store_choice,
)

if TYPE_CHECKING:
    from mlcryst.collection import Collection


@click.command()
@click.option(
    "--method",
    metavar="CONCEPT",
    help="A method concept (mlm:lasso, <IRI>) or one of its labels (CNN); narrower concepts "
    "count too (mlm:neural-network finds the CNN papers).",
)
@click.option(
    "--problem",
    metavar="CONCEPT",
    help="A problem concept (mlp:phase-retrieval, <IRI>) or one of its labels; narrower "
    "concepts count too.",
)
@click.option(
    "--author",
    metavar="NAME",
    help="A person: a printed form of the name (billinge, 'Juhas, P.'; case, spacing and "
    "diacritics are ignored) or <IRI>.",
)
@click.option(
    "--journal",
    metavar="JOURNAL",
    help="A journal: its key (acta-d), title or abbreviation ('Acta Cryst. D').",
)
@click.option(
    "--years",
    metavar="RANGE",
    help="Publication years: 2019, 2018-2020, 2018- or -2005 (inclusive).",
)
@click.option("--table1", is_flag=True, help="Only the papers of Table 1.")
@result_format_option
@graph_option
@data_option
@store_choice(
    "oxigraph",
    "The answers are the same on every store; Oxigraph answers sooner, from a cache of the "
    "built graph.",
)
@collection_option
def find(
    method: str | None,
    problem: str | None,
    author: str | None,
    journal: str | None,
    years: str | None,
    table1: bool,
    fmt: str,
    graph_file: Path | None,
    data_dir: Path | None,
    store: str,
    collection: Collection,
) -> None:
    """Find the papers of the collection by method, problem, author, journal and years
    (every facet given must hold): row, year, journal, citation, paper, methods, problems."""
    from mlcryst.sparql.find import Facets, find_papers, parse_years
    from mlcryst.stores.registry import open_store

    if years is not None:
        parse_years(years)  # a bad range is refused before the graph is opened
    facets = Facets(method, problem, author, journal, years, table1)
    graph = open_store(store, graph_file, data_dir=data_dir, collection=collection)
    click.echo(find_papers(graph, facets).render(fmt), nl=False)
