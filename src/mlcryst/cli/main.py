"""The ``mlcryst`` command: parses options and calls the pipeline stages; nothing else.

Exit codes are in :data:`mlcryst.errors.EXIT_CODES` (and the README).
"""

from __future__ import annotations

from pathlib import Path

import click

from mlcryst.cli.errors import Group
from mlcryst.cli.options import (
    base_option,
    data_option,
    graph_option,
    shapes_option,
    store_choice,
    store_option,
)
from mlcryst.cli.remote import endpoint_options
from mlcryst.errors import EXIT_CODES
from mlcryst.export.formats import EXPORT_FORMATS
from mlcryst.sparql.formats import RESULT_FORMATS


@click.group(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Exit codes: " + "; ".join(f"{k} {v}" for k, v in EXIT_CODES.items()),
)
@click.version_option(package_name="mlcryst")
def main() -> None:
    """A knowledge graph of machine learning in crystallography (Billinge & Proffen, Table 1)."""


@main.command()
@click.option(
    "--out",
    "out_dir",
    default="dist",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder.",
)
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
def build(
    out_dir: Path,
    data_dir: Path | None,
    base: str | None,
    no_visuals: bool,
    store: str,
    shapes: tuple[Path, ...],
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
def validate(
    file: Path | None,
    data_dir: Path | None,
    store: str,
    shapes: tuple[Path, ...],
    report_file: Path | None,
) -> None:
    """Check FILE (default: the graph built from the data) against the SHACL shapes."""
    from mlcryst.pipeline import validate_source

    outcome = validate_source(
        file, data_dir=data_dir, store=store, shapes=list(shapes), report=report_file
    )
    if outcome.written is not None:
        click.echo(f"wrote {outcome.written}")
    click.echo(f"shapes: {outcome.run.summary(outcome.shapes)}")
    for w in outcome.check():  # ValidationFailed on any violation (after the report)
        click.echo(f"  {w.severity.lower()}: {w}")
    click.echo(f"{file or 'the built graph'}: conforms ({outcome.triples} triples)")


@main.command()
@click.argument("name", required=False)
@click.option("--sparql", "sparql_text", metavar="TEXT", help="Run this query text.")
@graph_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RESULT_FORMATS),
    default="table",
    show_default=True,
    help="Output format (csv/tsv/json/xml: SPARQL 1.1 results).",
)
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
) -> None:
    """Run a named query (see `mlcryst queries`), a .rq file, or --sparql TEXT."""
    from mlcryst.sparql.named import find_query
    from mlcryst.sparql.params import parse_params

    if bool(name) == bool(sparql_text):
        raise click.UsageError("give a query NAME or FILE, or --sparql TEXT (one of them)")
    q = find_query(name) if name else sparql_text
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

    graph = open_store(store, graph_file, data_dir=data_dir)
    answer = graph.query(q, bindings, timeout=timeout, memory_mb=max_memory)
    click.echo(answer.render(fmt), nl=False)


@main.command()
def queries() -> None:
    """List the named queries: name, then the question each answers."""
    from mlcryst.sparql.named import list_queries

    items = list_queries()
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
def export(
    fmt: str,
    out_file: Path | None,
    graph_file: Path | None,
    data_dir: Path | None,
    base: str | None,
    store: str,
) -> None:
    """Serialise the graph (deterministic, canonical blank nodes)."""
    from mlcryst.pipeline import export_graph

    data = export_graph(fmt, out_file, source=graph_file, data_dir=data_dir, base=base, store=store)
    if data is None:
        click.echo(f"wrote {out_file}")
    else:
        click.echo(data.decode("utf-8"), nl=False)


@main.command()
@data_option
@click.option("--row", type=int, help="Only this Table 1 row.")
def tags(data_dir: Path | None, row: int | None) -> None:
    """Show how each Table 1 phrase was mapped to concepts (labels or curated override)."""
    from mlcryst.builder.graph import load_vocabularies
    from mlcryst.builder.tagging import tag_dataset, vocabulary_from_graph
    from mlcryst.load.dataset import load_dataset

    ds = load_dataset(data_dir)
    vocab_graph = load_vocabularies()
    result = tag_dataset(ds, vocabulary_from_graph(vocab_graph))
    from mlcryst.prefixes import CONVERTER

    for paper in ds.table1():
        if row is not None and paper.row != row:
            continue
        click.echo(f"row {paper.row}  {paper.short_label()}")
        for pt in result[paper.key].phrases:
            concepts = ", ".join(CONVERTER.compress(str(c)) for c in pt.concepts) or "(no concept)"
            via = "" if pt.via == "labels" else f"  [{pt.via}]"
            click.echo(f"    {pt.column:8} {pt.phrase!r} -> {concepts}{via}")


from mlcryst.cli.publish import site  # noqa: E402
from mlcryst.cli.remote import push  # noqa: E402
from mlcryst.cli.scale import synth  # noqa: E402
from mlcryst.cli.visual import network, plot, stats, viz  # noqa: E402

for _command in (viz, network, stats, plot, push, synth, site):
    main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    main()
