"""``mlcryst synth``: write a synthetic corpus of any size in the curated data format."""

from __future__ import annotations

from pathlib import Path

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
    from mlcryst.load.synth import write_corpus

    corpus = write_corpus(out_dir, papers, seed=seed, data_dir=data_dir)
    click.echo(
        f"wrote {corpus.folder}: {corpus.papers} papers ({corpus.synthetic_papers} "
        f"synthetic), {corpus.authors} synthetic authors"
    )
