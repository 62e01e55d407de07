"""The main job, as one function: data -> graph -> SHACL -> files.

Kept apart from the command line so it can be called from Python too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class BuildReport:
    graph: Any  # an rdflib Graph, or a StoreView of the Oxigraph store (large data)
    papers: int
    table1_rows: int
    people: int
    references: int
    triples: int
    warnings: list[object] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def build(
    out_dir: Path | str | None = "dist",
    *,
    data_dir: Path | str | None = None,
    base: str | None = None,
    formats: tuple[str, ...] | None = None,
    visuals: bool = True,
    store: str = "auto",
    jobs: int | None = None,
) -> BuildReport:
    """Load, build and validate; write the outputs only if the graph conforms.

    With ``visuals`` also write the interactive page (``mlcryst.html``) and the figures
    (``figures/*.png|svg``) into ``out_dir``. ``store`` "oxigraph" (what "auto" picks above
    2000 papers) never makes an rdflib graph: the records stream into an Oxigraph store, the
    shapes run there as SPARQL (:mod:`mlcryst.shacl.compiled`, pySHACL's verdicts, on ``jobs``
    threads, default one per core), Oxigraph writes the same graph's N-Triples, Turtle and
    JSON-LD, and the page and figures read the store (docs/benchmarks.md).

    ``out_dir`` is replaced as one set (:class:`~mlcryst.fileio.OutputSet`): after any failure,
    Ctrl-C or kill it holds the complete previous outputs or the complete new ones, and files of
    the user's own in it are kept. It is claimed before the long work starts, so that an
    unusable folder fails at once.
    """
    import contextlib

    from mlcryst.fileio import OutputSet

    with OutputSet(out_dir) if out_dir is not None else contextlib.nullcontext() as output:
        report = _build(output, data_dir, base, formats, visuals, store, jobs)
    if output is not None:
        report.written = [output.final(p) for p in report.written]
    return report


def _build(
    output: Any,
    data_dir: Path | str | None,
    base: str | None,
    formats: tuple[str, ...] | None,
    visuals: bool,
    store: str,
    jobs: int | None,
) -> BuildReport:
    """:func:`build`, writing into ``output.path`` (the staging folder of an
    :class:`~mlcryst.fileio.OutputSet`) unless ``output`` is None."""
    import os

    from mlcryst.builder.graph import load_vocabularies
    from mlcryst.builder.tagging import tag_dataset, vocabulary_from_graph
    from mlcryst.export.rdflib_writer import BUILD_FORMATS
    from mlcryst.load.dataset import load_dataset
    from mlcryst.stores.oxigraph_store import choose

    ds = load_dataset(data_dir)
    chosen = choose(store, papers=len(ds.papers))
    vocabularies = load_vocabularies()
    tags = tag_dataset(ds, vocabulary_from_graph(vocabularies))
    counts = (len(ds.papers), len(ds.table1()), len(ds.people), len(ds.references))
    graph: Any
    if chosen == "oxigraph":
        from mlcryst.builder.stream import build_store
        from mlcryst.shacl.compiled import check_store
        from mlcryst.stores.oxigraph_store import write_outputs as ox_write_outputs
        from mlcryst.stores.view import StoreView

        oxs = build_store(ds, base, vocabularies, tags)
        del ds, tags  # the records are in the store now: free them before the checks
        warnings = check_store(oxs, jobs=jobs or os.cpu_count() or 1)
        graph = StoreView(oxs)
        size = len(oxs)
    else:
        from mlcryst.builder.graph import build_graph
        from mlcryst.shacl.report import check

        graph = build_graph(ds, base=base, vocabularies=vocabularies, tags=tags)
        warnings = check(graph)
        size = len(graph)
    report = BuildReport(graph, *counts, size, list(warnings))
    if output is None:
        return report
    if chosen == "oxigraph":
        report.written = ox_write_outputs(oxs, output.path, formats or BUILD_FORMATS)
    else:
        from mlcryst.export.rdflib_writer import write_outputs

        report.written = write_outputs(graph, output.path, formats or BUILD_FORMATS)
    if visuals:
        report.written += write_visuals(graph, output.path)
    return report


def write_visuals(graph: Any, out_dir: Path | str) -> list[Path]:
    """The overview page (``mlcryst.html``) and the figures (``figures/``) of ``graph``.

    Written file by file into ``out_dir``: :func:`build` gives the staging folder of its
    :class:`~mlcryst.fileio.OutputSet`, so that they replace the old ones as one set.
    """
    from mlcryst.fileio import write_all_atomic
    from mlcryst.visual.network import index_graph
    from mlcryst.visual.page import write_page
    from mlcryst.visual.plots import figure_files
    from mlcryst.visual.stats import compute_stats

    index = index_graph(graph)
    out = Path(out_dir)
    written = [write_page(graph, out / "mlcryst.html", "overview", index=index)]
    stats = compute_stats(graph, index=index)
    figures = {out / "figures" / name: data for name, data in figure_files(stats).items()}
    write_all_atomic(figures)
    return written + list(figures)


def validate_source(
    source: Path | str | None = None,
    *,
    data_dir: Path | str | None = None,
    store: str = "auto",
    jobs: int | None = None,
) -> tuple[list[object], int]:
    """Validate a graph file, or the graph built from the data: (warnings, triples).

    Raises :class:`~mlcryst.errors.ValidationFailed` on any violation. On the rdflib store the
    shapes run in pySHACL; on Oxigraph (what "auto" picks for a large graph) they run as
    SPARQL (:mod:`mlcryst.shacl.compiled`, the same verdicts) on ``jobs`` threads (default: one
    per core).
    """
    import os

    from mlcryst.stores.oxigraph_store import choose, count_papers

    chosen = (
        choose(store, path=source)
        if source is not None
        else choose(store, papers=count_papers(data_dir))
    )
    if chosen == "oxigraph":
        from mlcryst.shacl.compiled import check_store, file_prefixes
        from mlcryst.stores.oxigraph_store import open_store

        oxs = open_store(source, data_dir=data_dir)
        prefixes = file_prefixes(source) if source is not None else None
        return list(check_store(oxs, jobs=jobs or os.cpu_count() or 1, prefixes=prefixes)), len(oxs)
    from mlcryst.shacl.report import check
    from mlcryst.stores.rdflib_store import open_graph

    graph = open_graph(source, data_dir=data_dir, store="rdflib")
    return list(check(graph)), len(graph)


def push_payload(
    source: Path | str | None = None,
    *,
    data_dir: Path | str | None = None,
    base: str | None = None,
    store: str = "auto",
    validate: bool = True,
    jobs: int | None = None,
) -> tuple[bytes, int]:
    """The graph to load into a SPARQL server, as N-Triples, and its number of triples.

    ``source`` is an RDF file, or None for the graph built from ``data_dir``. Unless
    ``validate`` is false the shapes are checked first (:class:`~mlcryst.errors.ValidationFailed`
    on any violation): nothing invalid leaves the machine. On Oxigraph (what "auto" picks for a
    large graph) the store is built, checked with compiled SHACL and dumped without an rdflib
    graph; the rdflib store writes its canonical N-Triples.
    """
    import os

    from mlcryst.stores.oxigraph_store import choose, count_papers

    chosen = (
        choose(store, path=source)
        if source is not None
        else choose(store, papers=count_papers(data_dir))
    )
    if chosen == "oxigraph":
        import pyoxigraph as ox

        from mlcryst.shacl.compiled import check_store, file_prefixes
        from mlcryst.stores.oxigraph_store import open_store

        oxs = open_store(source, data_dir=data_dir, base=base)
        if validate:
            prefixes = file_prefixes(source) if source is not None else None
            check_store(oxs, jobs=jobs or os.cpu_count() or 1, prefixes=prefixes)
        data = oxs.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""
        return data, data.count(b"\n")  # one line per triple
    from mlcryst.export.rdflib_writer import serialize
    from mlcryst.stores.rdflib_store import open_graph

    graph = open_graph(source, data_dir=data_dir, base=base, store="rdflib")
    if validate:
        from mlcryst.shacl.report import check

        check(graph)
    return serialize(graph, "nt"), len(graph)


def export_graph(
    fmt: str,
    out_file: Path | str | None = None,
    *,
    source: Path | str | None = None,
    data_dir: Path | str | None = None,
    base: str | None = None,
    store: str = "auto",
) -> bytes | None:
    """Serialise the graph (a file, or the build of the data) in ``fmt``.

    With ``out_file`` the file is written atomically and None returned (on Oxigraph, what
    "auto" picks for a large graph, streamed to disk, never whole in memory); without it the
    bytes are returned.
    """
    from mlcryst.stores.oxigraph_store import choose, count_papers

    chosen = (
        choose(store, path=source)
        if source is not None
        else choose(store, papers=count_papers(data_dir))
    )
    if chosen == "oxigraph":
        from mlcryst.stores.oxigraph_store import open_store, serialize, write_file

        oxs = open_store(source, data_dir=data_dir, base=base)
        if out_file is not None:
            write_file(oxs, out_file, fmt)
            return None
        return serialize(oxs, fmt)
    from mlcryst.export.rdflib_writer import serialize as rdflib_serialize
    from mlcryst.fileio import write_atomic
    from mlcryst.stores.rdflib_store import open_graph

    data = rdflib_serialize(open_graph(source, data_dir=data_dir, base=base), fmt)
    if out_file is None:
        return data
    write_atomic(Path(out_file), data)
    return None
