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
          base: str | None = None, formats: tuple[str, ...] | None = None,
          visuals: bool = True, store: str = "auto") -> BuildReport:
    """Load, build and validate; write the outputs only if the graph conforms.

    With ``visuals`` also write the interactive page (``mlcryst.html``) and the figures
    (``figures/*.png|svg``) into ``out_dir``. ``store`` "oxigraph" (what "auto" picks above
    2000 papers) serialises with Oxigraph: the same N-Triples, Turtle and JSON-LD of the same
    graph in Oxigraph's layout, many times faster (docs/benchmarks.md).
    """
    from .build import build_graph, build_triples, load_vocabularies
    from .export import BUILD_FORMATS, write_outputs
    from .load import load_dataset
    from .oxstore import choose
    from .validate import check

    ds = load_dataset(data_dir)
    chosen = choose(store, papers=len(ds.papers))
    vocabularies = load_vocabularies()
    triples = build_triples(ds, base, vocabularies)
    graph = build_graph(ds, base=base, vocabularies=vocabularies, triples=triples)
    if chosen == "oxigraph":  # a large graph: the SHACL shapes sharded over the cores
        from .shacl_shards import check_sharded

        warnings = check_sharded(graph)
    else:
        warnings = check(graph)
    report = BuildReport(graph, len(ds.papers), len(ds.table1()), len(ds.people),
                         len(ds.references), len(graph), list(warnings))
    if out_dir is not None and chosen == "oxigraph":
        from .oxstore import store_from_triples
        from .oxstore import write_outputs as ox_write_outputs

        report.written = ox_write_outputs(store_from_triples(triples), out_dir,
                                          formats or BUILD_FORMATS)
    elif out_dir is not None:
        report.written = write_outputs(graph, out_dir, formats or BUILD_FORMATS)
    if out_dir is not None and visuals:
        report.written += write_visuals(graph, out_dir)
    return report


def write_visuals(graph: Graph, out_dir: Path | str) -> list[Path]:
    """The overview page (``mlcryst.html``) and the figures (``figures/``) of ``graph``."""
    from .network import index_graph
    from .plots import write_figures
    from .stats import compute_stats
    from .viz import write_page

    index = index_graph(graph)
    out = Path(out_dir)
    written = [write_page(graph, out / "mlcryst.html", "overview", index=index)]
    written += write_figures(compute_stats(graph, index=index), out / "figures")
    return written


def validate_source(source: Path | str | None = None, *, data_dir: Path | str | None = None,
                    store: str = "auto", jobs: int | None = None) -> tuple[list[object], int]:
    """Validate a graph file, or the graph built from the data: (warnings, triples).

    Raises :class:`~mlcryst.errors.ValidationFailed` on any violation. On the rdflib store the
    shapes run in pySHACL; on Oxigraph (what "auto" picks for a large graph) they run as
    SPARQL (:mod:`mlcryst.shacl_store`, the same verdicts) on ``jobs`` threads (default: one
    per core).
    """
    import os

    from .oxstore import choose, count_papers

    chosen = (choose(store, path=source) if source is not None
              else choose(store, papers=count_papers(data_dir)))
    if chosen == "oxigraph":
        from .oxstore import open_store
        from .shacl_store import check_store, file_prefixes

        oxs = open_store(source, data_dir=data_dir)
        prefixes = file_prefixes(source) if source is not None else None
        return list(check_store(oxs, jobs=jobs or os.cpu_count() or 1, prefixes=prefixes)), len(oxs)
    from .store import open_graph
    from .validate import check

    graph = open_graph(source, data_dir=data_dir, store="rdflib")
    return list(check(graph)), len(graph)

