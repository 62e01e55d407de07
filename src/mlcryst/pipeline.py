"""The main job, as one function: data -> graph -> SHACL -> files.

Kept apart from the command line so it can be called from Python too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlcryst.collection import Collection

if TYPE_CHECKING:
    from rdflib import Graph

    from mlcryst.shacl.report import ValidationRun, Violation
    from mlcryst.stores.base import GraphStore


@dataclass
class BuildReport:
    graph: GraphStore
    papers: int
    table1_rows: int
    people: int
    references: int
    triples: int
    warnings: list[Violation] = field(default_factory=list)
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
    shapes: list[Path] | None = None,
    collection: Collection | None = None,
) -> BuildReport:
    """Load, build and validate; write the outputs only if the graph conforms.

    ``shapes`` (files or folders) replace the shipped shapes.

    With ``visuals`` also write the interactive page (``mlcryst.html``) and the figures
    (``figures/*.png|svg``) into ``out_dir``. ``store`` is a name of
    :mod:`mlcryst.stores.registry` ("auto" picks by the number of papers), and every step
    after loading goes through that store's :class:`~mlcryst.stores.base.GraphStore`
    interface. Oxigraph (what "auto" picks above 2000 papers) never makes an rdflib graph:
    the shapes run there as SPARQL on ``jobs`` threads (default one per core), and the page
    and figures read the store (docs/benchmarks.md).

    ``out_dir`` is replaced as one set (:class:`~mlcryst.fileio.OutputSet`): after any failure,
    Ctrl-C or kill it holds the complete previous outputs or the complete new ones, and files of
    the user's own in it are kept. The graph is also kept in the cache of built graphs as an
    on-disk Oxigraph store (:mod:`mlcryst.stores.cache`), which ``mlcryst query`` on the same
    data opens read-only instead of building again. It is claimed before the long work starts,
    so that an unusable folder fails at once.
    """
    import contextlib

    from mlcryst.fileio import OutputSet

    with OutputSet(out_dir) if out_dir is not None else contextlib.nullcontext() as output:
        report = _build(output, data_dir, base, formats, visuals, store, jobs, shapes, collection)
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
    shapes: list[Path] | None = None,
    collection: Collection | None = None,
) -> BuildReport:
    """:func:`build`, writing into ``output.path`` (the staging folder of an
    :class:`~mlcryst.fileio.OutputSet`) unless ``output`` is None."""
    from mlcryst.builder.graph import load_vocabularies
    from mlcryst.builder.tagging import tag_dataset, vocabulary_from_graph
    from mlcryst.limits import return_freed_memory
    from mlcryst.load.dataset import load_dataset
    from mlcryst.stores.registry import build_store

    collection = collection or Collection.shipped()
    shapes_graph = _shapes(shapes, collection)  # bad shapes fail first
    data = Path(data_dir) if data_dir is not None else collection.data_dir
    ds = load_dataset(data)
    base = base or collection.base
    vocabularies = load_vocabularies(collection.ontology_dir)
    tags = tag_dataset(ds, vocabulary_from_graph(vocabularies))
    counts = (len(ds.papers), len(ds.table1()), len(ds.people), len(ds.references))
    graph = build_store(store, ds, base=base, vocabularies=vocabularies, tags=tags)
    del ds, tags  # the records are in the store now: free them before the checks
    return_freed_memory()
    warnings = graph.check(shapes_graph, jobs=jobs)
    triples = len(graph)
    if output is None:
        return BuildReport(graph, *counts, triples, list(warnings))
    written = graph.write_outputs(output.path, formats)
    if visuals:
        written += write_visuals(graph, output.path)
    # what `mlcryst query` on the same data opens next, read-only, without building again
    from mlcryst.stores.cache import enabled, persist_file, persist_graph
    from mlcryst.stores.oxigraph_store import OxigraphStore

    nt = next((p for p in written if p.name == "mlcryst.nt"), None)
    if nt is None or not enabled() or not isinstance(graph, OxigraphStore):
        persist_graph(graph, data, base, collection.ontology_dir, nt)
        return BuildReport(graph, *counts, triples, list(warnings), written)
    # The in-memory store is released before the on-disk one is loaded from the N-Triples
    # just written (at 100,000 papers the two held 3.7 GB together, 2.6 GB is the build's own
    # peak); the report then holds the persisted store, the same graph read-only.
    prefixes, rewrites = graph.prefixes, graph.rewrites
    del graph
    return_freed_memory()  # else the freed store stays in the process, under the next one
    path = persist_file(nt, data, base, collection.ontology_dir, prefixes, rewrites)
    reopened = OxigraphStore.open_persisted(path) if path is not None else None
    if reopened is None:  # the cache could not be written: the graph is read from the file
        reopened = OxigraphStore.from_file(nt)
    return BuildReport(reopened, *counts, triples, list(warnings), written)


def write_visuals(graph: GraphStore, out_dir: Path | str) -> list[Path]:
    """The overview page (``mlcryst.html``) and the figures (``figures/``) of ``graph``.

    Written file by file into ``out_dir``: :func:`build` gives the staging folder of its
    :class:`~mlcryst.fileio.OutputSet`, so that they replace the old ones as one set.
    """
    from mlcryst.fileio import write_all_atomic
    from mlcryst.visual.network import index_graph
    from mlcryst.visual.page import write_page
    from mlcryst.visual.plots import figure_files
    from mlcryst.visual.stats import figure_stats

    index = index_graph(graph.view())
    out = Path(out_dir)
    written = [write_page(graph, out / "mlcryst.html", "overview", index=index)]
    stats = figure_stats(graph, index=index)
    figures = {out / "figures" / name: data for name, data in figure_files(stats).items()}
    write_all_atomic(figures)
    return written + list(figures)


@dataclass
class ValidationReport:
    """What :func:`validate_source` found: every violation and warning described for people,
    the number of triples, where each shape ran, and the report file written (if asked)."""

    violations: list[Violation]
    triples: int
    run: ValidationRun
    shapes: Graph
    written: Path | None = None

    def check(self) -> list[Violation]:
        """Raise :class:`~mlcryst.errors.ValidationFailed` on any violation; else the
        warnings."""
        from mlcryst.shacl.report import raise_on_violations

        return raise_on_violations(self.violations)


def validate_source(
    source: Path | str | None = None,
    *,
    data_dir: Path | str | None = None,
    store: str = "auto",
    jobs: int | None = None,
    shapes: list[Path] | None = None,
    report: Path | str | None = None,
    collection: Collection | None = None,
) -> ValidationReport:
    """Validate a graph file, or the graph built from the data, against ``shapes`` (files or
    folders; default: the shipped shapes).

    With ``report`` the standard ``sh:ValidationReport`` (Turtle) is written there atomically,
    whatever the verdict. Nothing is raised for violations: call the outcome's ``check()``.
    The rdflib store runs the shapes in pySHACL; Oxigraph (what "auto" picks for a large
    graph) compiles them to SPARQL (on ``jobs`` threads) and checks in pySHACL only the shapes
    it does not translate (``run`` says which).
    """
    from mlcryst.shacl.report import validation_report
    from mlcryst.stores.registry import open_store

    collection = collection or Collection.shipped()
    shapes_graph = _shapes(shapes, collection)
    graph = open_store(store, source, data_dir=data_dir, collection=collection)
    run = graph.validation_run(shapes_graph, jobs=jobs)
    written = None
    if report is not None:
        from mlcryst.fileio import write_atomic

        written = Path(report)
        data = validation_report(run.results, shapes_graph).serialize(format="turtle")
        write_atomic(written, data.encode("utf-8"))
    found = graph.violations(run, shapes_graph)
    return ValidationReport(found, len(graph), run, shapes_graph, written)


def push_payload(
    source: Path | str | None = None,
    *,
    data_dir: Path | str | None = None,
    base: str | None = None,
    store: str = "auto",
    validate: bool = True,
    jobs: int | None = None,
    collection: Collection | None = None,
) -> tuple[bytes, int]:
    """The graph to load into a SPARQL server, as N-Triples, and its number of triples.

    ``source`` is an RDF file, or None for the graph built from ``data_dir``. Unless
    ``validate`` is false the shapes are checked first (:class:`~mlcryst.errors.ValidationFailed`
    on any violation): nothing invalid leaves the machine.
    """
    from mlcryst.stores.registry import open_store

    collection = collection or Collection.shipped()
    graph = open_store(store, source, data_dir=data_dir, base=base, collection=collection)
    if validate:
        graph.check(_shapes(None, collection), jobs=jobs)
    return graph.ntriples(), len(graph)


def export_graph(
    fmt: str,
    out_file: Path | str | None = None,
    *,
    source: Path | str | None = None,
    data_dir: Path | str | None = None,
    base: str | None = None,
    store: str = "auto",
    collection: Collection | None = None,
) -> bytes | None:
    """Serialise the graph (a file, or the build of the data) in ``fmt``.

    With ``out_file`` the file is written atomically and None returned (on Oxigraph, what
    "auto" picks for a large graph, streamed to disk, never whole in memory); without it the
    bytes are returned.
    """
    from mlcryst.export.formats import check_formats
    from mlcryst.stores.registry import open_store

    check_formats([fmt])
    graph = open_store(store, source, data_dir=data_dir, base=base, collection=collection)
    if out_file is None:
        return graph.serialize(fmt)
    graph.write(out_file, fmt)
    return None


def _shapes(paths: list[Path] | None, collection: Collection) -> Graph:
    """The shapes to check against: the files and folders given, else the collection's."""
    from mlcryst.shacl.report import load_shapes, read_shapes

    return read_shapes(list(paths)) if paths else load_shapes(collection.shapes_dir)
