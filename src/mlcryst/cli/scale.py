"""``mlcryst synth``: write a synthetic corpus of any size in the curated data format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click


@click.command()
@click.option(
    "--papers",
    type=click.IntRange(min=1),
    required=True,
    help="Total number of papers (the seed data's papers plus synthetic ones).",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the data files to (created if missing).",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Random seed: the same seed gives the same corpus.",
)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Seed data folder (default: the data shipped with mlcryst).",
)
def synth(papers: int, out_dir: Path, seed: int, data_dir: Path | None) -> None:
    """Write a synthetic corpus of PAPERS papers (Zipf-like authors, Table 1's mix of
    journals, methods and problems) that the real pipeline reads: `mlcryst build --data OUT`."""
    from mlcryst.cli.errors import handle_errors
    from mlcryst.load.synth import write_corpus

    @handle_errors
    def run() -> None:
        corpus = write_corpus(out_dir, papers, seed=seed, data_dir=data_dir)
        click.echo(
            f"wrote {corpus.folder}: {corpus.papers} papers ({corpus.synthetic_papers} "
            f"synthetic), {corpus.authors} synthetic authors"
        )

    run()


def query_oxigraph(
    query: Any,
    graph_file: Path | None,
    params: tuple[str, ...],
    fmt: str,
    timeout: float | None,
    max_memory: int | None,
) -> str:
    """`mlcryst query` on Oxigraph: the rendered result (rdflib is not imported for a table)."""
    from mlcryst.sparql.named import NamedQuery, check_parameters
    from mlcryst.sparql.params import parse_params
    from mlcryst.stores.oxigraph_store import open_store, render, run_query

    bindings = {name: p.oxigraph() for name, p in parse_params(params).items()}
    if isinstance(query, NamedQuery):
        check_parameters(query, bindings)
        text, what = query.text, f"query {query.name}"
    else:
        text, what = query, "the query"
    store = open_store(graph_file)
    result = run_query(store, text, bindings, timeout=timeout, memory_mb=max_memory, what=what)
    return render(result, fmt)
