"""The ``mlcryst`` command: parses options and calls the pipeline stages; nothing else.

Exit codes are in :data:`mlcryst.errors.EXIT_CODES` (and the README).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from mlcryst.cli.errors import Group
from mlcryst.cli.options import (
    base_option,
    collection_option,
    data_option,
    graph_option,
    out_dir_option,
    result_format_option,
    shapes_option,
    store_choice,
    store_option,
)
from mlcryst.cli.remote import endpoint_options
from mlcryst.errors import EXIT_CODES

if TYPE_CHECKING:
    from mlcryst.collection import Collection
from mlcryst.export.formats import EXPORT_FORMATS


@click.group(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Exit codes: " + "; ".join(f"{k} {v}" for k, v in EXIT_CODES.items()),
)
@click.version_option(package_name="mlcryst")
def main() -> None:
    """A knowledge graph of machine learning in crystallography (Billinge & Proffen, Table 1)."""


@main.command()
@out_dir_option("dist", "Output folder.")
@data_option
@base_option
@click.option(
    "--no-visuals",
    "no_visuals",
    is_flag=True,
    help="Skip the interactive page (mlcryst.html) and the figures (figures/).",
)
@store_option
@shapes_option
@collection_option
def build(
    out_dir: Path,
    data_dir: Path | None,
    base: str | None,
    no_visuals: bool,
    store: str,
    shapes: tuple[Path, ...],
    collection: Collection,
) -> None:
    """Build the graph from the data, validate it, and write Turtle, N-Triples and JSON-LD,
    the interactive page and the figures."""
    from mlcryst.pipeline import build as run_build

    report = run_build(
        out_dir,
        data_dir=data_dir,
        base=base,
        visuals=not no_visuals,
        store=store,
        shapes=list(shapes),
        collection=collection,
    )
    click.echo(
        f"{report.papers} papers ({report.table1_rows} Table 1 rows), {report.people} "
        f"people, {report.references} references: {report.triples} triples; "
        "conforms to the shapes"
    )
    for w in report.warnings:
        click.echo(f"  warning: {w}")
    for path in report.written:
        click.echo(f"wrote {path}")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@data_option
@store_option
@shapes_option
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="OUT.ttl",
    help="Also write the standard sh:ValidationReport (Turtle) here, whatever the verdict.",
)
@collection_option
def validate(
    file: Path | None,
    data_dir: Path | None,
    store: str,
    shapes: tuple[Path, ...],
    report_file: Path | None,
    collection: Collection,
) -> None:
    """Check FILE (default: the graph built from the data) against the SHACL shapes."""
    from mlcryst.pipeline import validate_source

    outcome = validate_source(
        file,
        data_dir=data_dir,
        store=store,
        shapes=list(shapes),
        report=report_file,
        collection=collection,
    )
    if outcome.written is not None:
        click.echo(f"wrote {outcome.written}")
    click.echo(f"shapes: {outcome.run.summary(outcome.shapes)}")
    for w in outcome.check():  # ValidationFailed on any violation (after the report)
        click.echo(f"  {w.severity.lower()}: {w}")
    click.echo(f"{file or 'the built graph'}: conforms ({outcome.triples} triples)")


@main.command()
@click.argument("name", required=False)
@click.option(
    "--sparql",
    "sparql_text",
    metavar="TEXT",
    help="Run this query text (mlcryst's prefixes, mlm: skos: ..., are declared for it).",
)
@graph_option
@result_format_option
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a query variable (repeatable); <iri> or prefix:local give an IRI.",
)
@endpoint_options
@data_option
@store_choice(
    "oxigraph",
    "A query's answers are the same on every store (tests/test_store_contract.py); "
    "Oxigraph answers sooner, from a cache of the built graph.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=None,
    metavar="SECONDS",
    help="Stop the query after this long (default MLCRYST_TIMEOUT or 60; 0: no time limit).",
)
@click.option(
    "--max-memory",
    "max_memory",
    type=click.IntRange(min=0),
    default=None,
    metavar="MB",
    help="Stop the query past this much memory beyond the loaded graph "
    "(default MLCRYST_MAX_MEMORY_MB, or 2048 or half the RAM; 0: no memory limit).",
)
@collection_option
def query(
    name: str | None,
    sparql_text: str | None,
    graph_file: Path | None,
    fmt: str,
    params: tuple[str, ...],
    endpoint: str | None,
    named_graph: str,
    user: str | None,
    password: str | None,
    data_dir: Path | None,
    store: str,
    timeout: float | None,
    max_memory: int | None,
    collection: Collection,
) -> None:
    """Run a named query (see `mlcryst queries`), a .rq file, or --sparql TEXT."""
    from mlcryst.sparql.named import find_query
    from mlcryst.sparql.params import parse_params

    if bool(name) == bool(sparql_text):
        raise click.UsageError("give a query NAME or FILE, or --sparql TEXT (one of them)")
    if sparql_text:
        from mlcryst.prefixes import with_prefixes

        sparql_text = with_prefixes(sparql_text)  # mlm:, skos:, ... need no PREFIX lines
    q = find_query(name, collection.queries_dir) if name else sparql_text
    assert q is not None
    from mlcryst.sparql.guard import guard

    guard(q if isinstance(q, str) else q.text)  # refused before any store or server is opened
    bindings = parse_params(params)
    if endpoint:  # a SPARQL server (docs/servers.md)
        if graph_file or data_dir:
            raise click.UsageError(
                "--graph FILE or --data DIR and --endpoint URL exclude each other"
            )
        from mlcryst.cli.remote import query_endpoint

        click.echo(
            query_endpoint(
                endpoint,
                q,
                {name: p.rdflib() for name, p in bindings.items()},
                fmt,
                user=user,
                password=password,
                named_graph=named_graph,
            ),
            nl=False,
        )
        return
    from mlcryst.stores.registry import open_store

    graph = open_store(store, graph_file, data_dir=data_dir, collection=collection)
    from mlcryst.sparql.resolve import resolve_params

    bindings = resolve_params(graph, bindings)  # a value naming nothing: exit 2, closest names
    answer = graph.query(q, bindings, timeout=timeout, memory_mb=max_memory)
    if graph.rewrites:
        click.echo(
            f"mlcryst: note: the {graph.name} store holds some literals in another form than "
            f"written ({graph.rewrites[0]}); answers show that form (--store rdflib keeps them)",
            err=True,
        )
    click.echo(answer.render(fmt), nl=False)


@main.command()
@collection_option
def queries(collection: Collection) -> None:
    """List the named queries: name, then the question each answers."""
    from mlcryst.sparql.named import list_queries

    items = list_queries(collection.queries_dir)
    if not items:
        click.echo(f"no named queries in {collection.queries_dir}")
        return
    width = max(len(q.name) for q in items)
    for q in items:
        click.echo(f"{q.name.ljust(width)}  {q.question}")


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(tuple(EXPORT_FORMATS)), default="turtle", show_default=True
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (atomically) instead of standard output.",
)
@graph_option
@data_option
@base_option
@store_option
@collection_option
def export(
    fmt: str,
    out_file: Path | None,
    graph_file: Path | None,
    data_dir: Path | None,
    base: str | None,
    store: str,
    collection: Collection,
) -> None:
    """Serialise the graph (deterministic, canonical blank nodes)."""
    from mlcryst.pipeline import export_graph

    data = export_graph(
        fmt,
        out_file,
        source=graph_file,
        data_dir=data_dir,
        base=base,
        store=store,
        collection=collection,
    )
    if data is None:
        click.echo(f"wrote {out_file}")
    else:
        click.echo(data.decode("utf-8"), nl=False)


@main.command()
@data_option
@click.option("--row", type=int, help="Only this Table 1 row.")
@click.option("--paper", "paper_key", metavar="KEY", help="Only this paper (e.g. acta-a-33-13).")
@collection_option
def tags(
    data_dir: Path | None, row: int | None, paper_key: str | None, collection: Collection
) -> None:
    """Show how each paper's Table 1 phrases (labels or curated override) and listed concepts
    became tags: every paper of the collection, or one (--row N, --paper KEY)."""
    from mlcryst.builder.graph import load_vocabularies
    from mlcryst.builder.tagging import tag_report, vocabulary_from_graph
    from mlcryst.load.dataset import load_dataset

    ds = load_dataset(data_dir if data_dir is not None else collection.data_dir)
    vocab = vocabulary_from_graph(load_vocabularies(collection.ontology_dir))
    for line in tag_report(ds, vocab, row=row, paper=paper_key):
        click.echo(line)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", help="The collection's title (mlcryst.toml).")
@click.option("--base", metavar="IRI", help="Base of the IRIs the collection mints.")
@click.option("--licence", help="The licence of the data (an SPDX id, e.g. CC-BY-4.0).")
@click.option("--creator", "creators", multiple=True, help="A creator (repeatable).")
def init(
    folder: Path,
    title: str | None,
    base: str | None,
    licence: str | None,
    creators: tuple[str, ...],
) -> None:
    """Make a collection folder: copies of the shipped data/, ontology/, shapes/ and
    queries/, and mlcryst.toml. Commands run in it (or below it) work on it."""
    from mlcryst.collection import init_collection

    made = init_collection(folder, title=title, base=base, licence=licence, creators=creators)
    click.echo(f"wrote {folder}: {made.describe()}")
    click.echo(f"next: cd {folder} && mlcryst build")


from mlcryst.cli.curate import add, diff, review  # noqa: E402
from mlcryst.cli.find import find  # noqa: E402
from mlcryst.cli.publish import release, serve, site  # noqa: E402
from mlcryst.cli.remote import push  # noqa: E402
from mlcryst.cli.scale import synth  # noqa: E402
from mlcryst.cli.visual import network, plot, stats, viz  # noqa: E402

for _command in (
    find,
    viz,
    network,
    stats,
    plot,
    push,
    synth,
    add,
    review,
    diff,
    site,
    serve,
    release,
):
    main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    main()
