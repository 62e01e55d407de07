"""The main job, as one function: data -> graph -> SHACL -> files.

Kept apart from the command line so it can be called from Python too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph


@dataclass
class BuildReport:
    graph: Graph
    papers: int
    table1_rows: int
    people: int
    references: int
    triples: int
    warnings: list[object] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def build(out_dir: Path | str | None = "dist", *, data_dir: Path | str | None = None,
          base: str | None = None, formats: tuple[str, ...] | None = None) -> BuildReport:
    """Load, build and validate; write the outputs only if the graph conforms."""
    from .build import build_graph
    from .export import BUILD_FORMATS, write_outputs
    from .load import load_dataset
    from .validate import check

    ds = load_dataset(data_dir)
    graph = build_graph(ds, base=base)
    warnings = check(graph)
    report = BuildReport(graph, len(ds.papers), len(ds.table1()), len(ds.people),
                         len(ds.references), len(graph), list(warnings))
    if out_dir is not None:
        report.written = write_outputs(graph, out_dir, formats or BUILD_FORMATS)
    return report
