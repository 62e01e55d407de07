"""The Oxigraph-backed paths: build into, read, query and serialise a ``pyoxigraph.Store``.

rdflib stays the API of the small-data paths (validation, networks and the seed graph use its
``Graph``), but at the scale of the whole literature its in-memory store, SPARQL engine and
serialisers are 10-1000x slower than Oxigraph's (see docs/benchmarks.md). The Oxigraph route
gives the same results; this module is its entry point and re-exports the others:

* stores (here): :func:`choose` the store, :func:`read_store` (Oxigraph's parsers, never
  fetching anything), :func:`store_from_triples` (rdflib triples), :func:`cached_store` (the
  graph built from a data folder, cached as N-Triples under ``$XDG_CACHE_HOME/mlcryst`` keyed by
  a hash of the data, vocabularies and code, so that a cold ``mlcryst query NAME`` costs little
  more than Python's start-up), :func:`open_store`;
* :mod:`mlcryst.builder.stream`: :func:`build_store`, a Dataset straight into a Store (N-Triples
  text
  streamed into ``bulk_load``; no rdflib term, no rdflib Graph);
* :mod:`mlcryst.sparql.oxigraph`: :func:`run_query` (checked as safe, optionally bounded) and
  :func:`render` (the table without importing rdflib);
* :mod:`mlcryst.export.oxigraph_writer`: :func:`serialize` / :func:`write_outputs` (canonical
  N-Triples
  byte-identical to :func:`mlcryst.export.rdflib_writer.serialize`; Turtle, JSON-LD and RDF/XML of
  the same
  graph in Oxigraph's layout), streaming files atomically;
* :mod:`mlcryst.stores.terms`: prefixes, formats and term conversion (:func:`to_rdflib`).

This module imports rdflib only where it has to (conversion to and from rdflib objects).

>>> store = read_store_text('<urn:a> <urn:p> "x" .', "nt")
>>> print(render(run_query(store, "SELECT ?s ?o WHERE { ?s ?p ?o }"), "table"), end="")
s      o
-----  -
urn:a  x
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from mlcryst.builder.stream import build_store, load_ntriples_stream
from mlcryst.errors import OutputError, QueryError
from mlcryst.export.oxigraph_writer import (
    canonical_lines,
    serialize,
    serialize_all,
    write_file,
    write_outputs,
)
from mlcryst.sparql.oxigraph import (
    OxResult,
    check_safe,
    curie,
    render,
    run_query,
    substitute,
    table,
    to_rdflib_result,
)
from mlcryst.stores.terms import (
    FORMAT_NAMES,
    PREFIXES,
    RDF_LANG_STRING,
    SUFFIX_FORMATS,
    XSD_STRING,
    _ToOx,
    cache_dir,
    to_rdflib,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rdflib import Graph

__all__ = [
    "AUTO_FILE_BYTES",
    "AUTO_PAPERS",
    "FORMAT_NAMES",
    "PREFIXES",
    "RDF_LANG_STRING",
    "STORES",
    "SUFFIX_FORMATS",
    "XSD_STRING",
    "OxResult",
    "build_store",
    "cache_dir",
    "cache_key",
    "cached_ntriples",
    "cached_store",
    "canonical_lines",
    "check_safe",
    "choose",
    "count_papers",
    "curie",
    "load_ntriples_stream",
    "open_store",
    "read_store",
    "read_store_text",
    "render",
    "run_query",
    "serialize",
    "serialize_all",
    "store_from_graph",
    "store_from_triples",
    "substitute",
    "table",
    "to_graph",
    "to_rdflib",
    "to_rdflib_result",
    "write_file",
    "write_outputs",
]

STORES = ("auto", "rdflib", "oxigraph")
#: above this many papers (or this many bytes of graph file) "auto" picks Oxigraph
AUTO_PAPERS = 2000
AUTO_FILE_BYTES = 5 * 2**20


# --- choosing a store ------------------------------------------------------------------------


def choose(store: str, *, papers: int | None = None, path: Path | str | None = None) -> str:
    """Resolve ``store`` ("auto", "rdflib" or "oxigraph") to a concrete store name.

    "auto" is Oxigraph above :data:`AUTO_PAPERS` papers or :data:`AUTO_FILE_BYTES` of input
    file, rdflib below (the small graph's outputs stay exactly rdflib's).
    """
    if store not in STORES:
        raise QueryError(f"unknown store {store!r}; choose one of {', '.join(STORES)}")
    if store != "auto":
        return store
    if papers is not None and papers > AUTO_PAPERS:
        return "oxigraph"
    if path is not None:
        try:
            if Path(path).stat().st_size > AUTO_FILE_BYTES:
                return "oxigraph"
        except OSError:
            pass
    return "rdflib"


def count_papers(data_dir: Path | str | None) -> int:
    """A cheap estimate of the number of papers in a data folder (records in papers.yaml)."""
    from mlcryst.errors import DataError
    from mlcryst.limits import budgets
    from mlcryst.load.yamlio import read_data_file
    from mlcryst.resources import default_data_dir

    path = Path(data_dir or default_data_dir()) / "papers.yaml"
    try:  # read as the loader reads it: a FIFO, a device or an oversized file is not read
        data = read_data_file(path, str(path), budgets().data_file_bytes)
    except (DataError, OSError):
        return 0  # the loader reports the problem
    return data.count(b"\n- ") + data.startswith(b"- ")


# --- stores ----------------------------------------------------------------------------------


def _load_vocabularies(store: ox.Store, folder: Path | None = None) -> None:
    from mlcryst.resources import resource_dir

    for path in sorted((folder or resource_dir("ontology")).glob("*.ttl")):
        try:
            store.bulk_load(
                path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()
            )
        except (SyntaxError, OSError) as exc:
            from mlcryst.errors import DataError

            raise DataError(f"not valid Turtle: {exc}", file=str(path)) from exc


def store_from_triples(
    triples: Iterable[tuple[Any, Any, Any]], *, vocabularies: bool = True
) -> ox.Store:
    """An in-memory Store of rdflib ``triples`` (plus the vocabularies unless told not to)."""
    store = ox.Store()
    if vocabularies:
        _load_vocabularies(store)
    conv = _ToOx()
    store.extend(ox.Quad(conv(s), conv(p), conv(o)) for s, p, o in triples)
    return store


def store_from_graph(graph: Graph) -> ox.Store:
    """An rdflib Graph copied into a Store."""
    return store_from_triples(graph, vocabularies=False)


def to_graph(store: ox.Store) -> Graph:
    """The Store's default graph as an rdflib Graph (prefixes bound)."""
    from rdflib import Graph

    from mlcryst.namespaces import bind_prefixes
    from mlcryst.stores.files import oxigraph_errors, quiet_rdflib

    graph = Graph()
    bind_prefixes(graph)
    with oxigraph_errors("the store", "N-Triples"):
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    with quiet_rdflib():
        graph.parse(data=(data or b"").decode("utf-8"), format="nt")
    return graph


def read_store(path: Path | str, fmt: ox.RdfFormat | None = None) -> ox.Store:
    """Parse an RDF file into a Store (format from the suffix), never touching the network.

    Read by :func:`mlcryst.stores.files.read_oxigraph`: special files, oversized, malformed or
    hostile files are refused with :class:`~mlcryst.errors.OutputError` naming the file, and
    the parse runs under the time and memory budgets (:class:`~mlcryst.errors.QueryTimeout`).
    """
    from mlcryst.stores.files import read_oxigraph

    return read_oxigraph(path, fmt)


def _read_cache(path: Path) -> ox.Store:
    """The Store of a cache file mlcryst wrote itself (N-Triples; trusted: no checks)."""
    from mlcryst.stores.files import oxigraph_errors

    store = ox.Store()
    with oxigraph_errors(path, "N-Triples"):
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    return store


def read_store_text(text: str, fmt: str = "nt") -> ox.Store:
    """A Store of RDF given as text ("nt" or "turtle")."""
    store = ox.Store()
    store.bulk_load(text.encode("utf-8"), format=FORMAT_NAMES[fmt], to_graph=ox.DefaultGraph())
    return store


# --- the graph cache -------------------------------------------------------------------------


def cache_key(data_dir: Path | str | None = None, base: str | None = None) -> str:
    """A hash of everything the built graph depends on: data, vocabularies, code, base."""
    from mlcryst import __version__
    from mlcryst.resources import default_data_dir, resource_dir

    h = hashlib.sha256(f"{__version__}\0{base or ''}\0".encode())
    here = Path(__file__).resolve().parent.parent  # the whole package: any code change counts
    folders = [
        (Path(data_dir) if data_dir else default_data_dir(), "*.yaml"),
        (resource_dir("ontology"), "*.ttl"),
        (here, "*.py"),
    ]
    from mlcryst.limits import budgets
    from mlcryst.load.yamlio import read_data_file

    limit = budgets().data_file_bytes
    for folder, pattern in folders:
        for path in sorted(folder.rglob(pattern) if folder == here else folder.glob(pattern)):
            h.update(str(path.relative_to(folder)).encode() + b"\0")
            h.update(read_data_file(path, str(path), limit))  # DataError for a FIFO, a device...
            h.update(b"\0")
    return h.hexdigest()[:32]


def _write_cache(store: ox.Store, path: Path) -> None:
    """Dump ``store`` as N-Triples to ``path`` atomically (streamed, never whole in memory)."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        store.dump(tmp, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; as fileio.write_atomic
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def cached_ntriples(data_dir: Path | str | None = None, base: str | None = None) -> Path:
    """The N-Triples file of the graph built from ``data_dir`` (built and cached if absent)."""
    path = cache_dir() / f"graph-{cache_key(data_dir, base)}.nt"
    if path.is_file():
        return path
    store = build_store(data_dir, base)
    try:
        _write_cache(store, path)
    except OSError:  # an unwritable cache is not an error: build each time instead
        tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f"mlcryst-{os.getpid()}.nt"
        try:
            _write_cache(store, tmp)
        except OSError as exc:
            raise OutputError(f"{tmp}: cannot write: {exc.strerror or exc}") from exc
        return tmp
    return path


def cached_store(data_dir: Path | str | None = None, base: str | None = None) -> ox.Store:
    """The Store of the graph built from ``data_dir``, read from the cache when it is there
    (and put there when it is not, unless ``MLCRYST_NO_CACHE`` is set)."""
    if os.environ.get("MLCRYST_NO_CACHE"):
        return build_store(data_dir, base)
    path = cache_dir() / f"graph-{cache_key(data_dir, base)}.nt"
    if path.is_file():
        return _read_cache(path)
    store = build_store(data_dir, base)
    with contextlib.suppress(OSError):  # an unwritable cache is not an error: build next time
        _write_cache(store, path)
    return store


def open_store(
    source: Path | str | None = None, *, data_dir: Path | str | None = None, base: str | None = None
) -> ox.Store:
    """Like :func:`mlcryst.stores.rdflib_store.open_graph`, as a Store: ``source`` if given, else
    the build."""
    if source is not None:
        return read_store(source)
    return cached_store(data_dir, base)
