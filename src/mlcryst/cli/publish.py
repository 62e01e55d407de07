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
    out_dir_option,
    store_option,
)

if TYPE_CHECKING:
    from mlcryst.collection import Collection


@click.command()
@out_dir_option("site", "Output folder (replaced as a whole).")
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


@click.command()
@click.option(
    "--site",
    "site_dir",
    default="site",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The site folder to serve (built first if it does not exist), or a release folder.",
)
@click.option("--port", default=8080, show_default=True, type=int, help="The port of the site.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on (0.0.0.0: every address of this computer).",
)
@click.option(
    "--timeout",
    default=30,
    show_default=True,
    type=int,
    metavar="SECONDS",
    help="Time limit of one SPARQL query.",
)
@click.option("--rebuild", is_flag=True, help="Build the site again even if the folder holds one.")
@store_option
@collection_option
def serve(
    site_dir: Path,
    port: int,
    host: str,
    timeout: int,
    rebuild: bool,
    store: str,
    collection: Collection,
) -> None:
    """Serve the site and its SPARQL endpoint (nginx and Oxigraph) until Ctrl-C."""
    from mlcryst.publish.serve import start

    with start(
        site_dir,
        host=host,
        port=port,
        timeout=timeout,
        rebuild=rebuild,
        store=store,
        collection=collection,
    ) as running:
        if running.built:
            click.echo(f"built the site in {site_dir}")
        click.echo(f"serving {running.site} ({running.triples} triples)")
        click.echo(f"  site:            {running.url}")
        click.echo(f"  SPARQL endpoint: {running.sparql_url}")
        click.echo(f"  query editor:    {running.yasgui_url}")
        click.echo("press Ctrl-C to stop", nl=True)
        running.wait()
    click.echo("stopped")


@click.command()
@click.argument("version")
@out_dir_option(
    "releases", "The folder of releases; this one is written to OUT/VERSION (never overwritten)."
)
@data_option
@base_option
@store_option
@collection_option
def release(
    version: str,
    out_dir: Path,
    data_dir: Path | None,
    base: str | None,
    store: str,
    collection: Collection,
) -> None:
    """Write release VERSION: the graph in every syntax, the site, VoID/DCAT, CITATION.cff,
    the changes since the previous release and SHA256SUMS."""
    from mlcryst.publish.release import write_release

    report = write_release(
        version, out_dir, data_dir=data_dir, base=base, store=store, collection=collection
    )
    since = f"changes since {report.previous}" if report.previous else "first release"
    click.echo(
        f"release {report.version}: {report.files} files ({report.triples} triples; {since}) "
        f"in {report.folder}"
    )
