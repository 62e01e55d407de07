"""Commands that publish the collection: ``mlcryst site`` (and, with it, the
content-negotiation rules); they parse options and call :mod:`mlcryst.publish`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from mlcryst.cli.options import (
    base_option,
    collection_option,
    data_option,
    graph_option,
    store_option,
)

if TYPE_CHECKING:
    from mlcryst.collection import Collection


@click.command()
@click.option(
    "--out",
    "out_dir",
    default="site",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (replaced as a whole).",
)
@data_option
@graph_option
@base_option
@store_option
@click.option(
    "--deploy-url",
    default=None,
    metavar="URL",
    help="Where the site will be served; also writes conneg/w3id.htaccess (the w3id.org "
    "redirect from the base to it).",
)
@click.option("--no-visuals", "no_visuals", is_flag=True, help="Skip the network page and figures.")
@collection_option
def site(
    out_dir: Path,
    data_dir: Path | None,
    graph_file: Path | None,
    base: str | None,
    store: str,
    deploy_url: str | None,
    no_visuals: bool,
    collection: Collection,
) -> None:
    """Write the static linked-data site: a page and RDF for every IRI of the graph."""
    from mlcryst.publish.site import write_site

    report = write_site(
        out_dir,
        data_dir=data_dir,
        graph_file=graph_file,
        base=base,
        store=store,
        deploy_url=deploy_url,
        visuals=not no_visuals,
        collection=collection,
    )
    click.echo(
        f"{report.pages} pages, {report.files} files ({report.triples} triples) in {out_dir}"
    )
