"""Options shared by several ``mlcryst`` commands, so each means the same everywhere.

The choices come from the registries: ``--store`` from :data:`mlcryst.stores.registry.STORES`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from mlcryst.sparql.formats import RESULT_FORMATS
from mlcryst.stores.registry import AUTO_PAPERS, STORE_CHOICES

graph_option = click.option(
    "--graph",
    "graph_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read this RDF file (.ttl, .nt, .jsonld, .rdf) instead of building from the data.",
)
data_option = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Curated data folder (default: the data shipped with mlcryst).",
)
base_option = click.option(
    "--base",
    default=None,
    metavar="IRI",
    help="Base of the minted IRIs (default https://w3id.org/mlcryst/).",
)
AUTO_HELP = (
    f"auto picks Oxigraph above {AUTO_PAPERS} papers or a 5 MB graph file, rdflib below "
    "(docs/benchmarks.md)"
)


F = TypeVar("F", bound=Callable[..., Any])


def out_dir_option(default: str, help: str) -> Callable[[F], F]:
    """``--out FOLDER``: where a command writes its set of files (``out_dir``)."""
    return click.option(
        "--out",
        "out_dir",
        default=default,
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help=help,
    )


def store_choice(default: str = "auto", why: str = "") -> Callable[[F], F]:
    """``--store``, its choices from the registry; ``why`` explains a default other than auto."""
    return click.option(
        "--store",
        type=click.Choice(STORE_CHOICES),
        default=default,
        show_default=True,
        help="Where the graph is held: rdflib, or Oxigraph (much faster at scale); "
        + AUTO_HELP
        + (f". {why}" if why else "."),
    )


store_option = store_choice()

shapes_option = click.option(
    "--shapes",
    "shapes",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    metavar="PATH",
    help="SHACL shapes to check against: a file or a folder of them (repeatable); "
    "instead of the shipped shapes.",
)


def collection_option(func: F) -> F:
    """``--collection DIR``, resolved to the collection the command works on (that folder,
    else the nearest ``mlcryst.toml`` at or above the current folder, else the shipped one)
    and passed on as ``collection``; the command says which one on standard error."""
    from functools import wraps

    @wraps(func)
    def wrapper(*args: Any, collection_dir: Path | None, **kwargs: Any) -> Any:
        from mlcryst.collection import find_collection

        collection = find_collection(collection_dir)
        click.echo(f"mlcryst: collection: {collection.describe()}", err=True)
        return func(*args, collection=collection, **kwargs)

    option = click.option(
        "--collection",
        "collection_dir",
        type=click.Path(file_okay=False, path_type=Path),
        metavar="DIR",
        help="The collection folder (with mlcryst.toml) to work on; default: the nearest one "
        "at or above the current folder, else the shipped collection.",
    )
    return cast(F, option(wrapper))


result_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(RESULT_FORMATS),
    default="table",
    show_default=True,
    help="Output format (csv/tsv/json/xml: SPARQL 1.1 results).",
)
