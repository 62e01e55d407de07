"""The cache of built graphs: each graph kept as an on-disk Oxigraph store, opened read-only.

A cold ``mlcryst query NAME`` would otherwise rebuild the graph from the YAML (or re-parse a
``--graph`` file) on every call. The cache keeps each graph as a persisted ``pyoxigraph.Store``
(a folder ``store-<key>`` under ``$XDG_CACHE_HOME/mlcryst``) that the next process opens
read-only in milliseconds, whatever the size of the graph:

* the graph of a data folder is keyed by a hash of the data, the vocabularies, the package's
  code, its version and the base (:func:`cache_key`), so any edit makes a new key;
  ``mlcryst build`` leaves the store of what it built there (:func:`persist_graph`);
* the graph of an RDF file is keyed by the file's resolved path, size, modification time and a
  hash of its first and last 64 KiB, plus the code (:func:`file_key`).

A store is written into a temporary folder next to its place and renamed into place only when
complete (its marker file, written last, holds the key, the number of triples and the
prefixes); a folder without a valid marker, or that Oxigraph cannot open, is removed and
rebuilt, never reported as an error. Only the :data:`KEEP` most recently used stores are kept.
``MLCRYST_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from mlcryst.stores.terms import cache_dir

if TYPE_CHECKING:
    from mlcryst.stores.base import GraphStore
    from mlcryst.stores.literals import Rewrite

#: the marker file of a complete store (written last)
MARKER = "mlcryst-store.json"
#: how many persisted stores are kept (the most recently used)
KEEP = 3
#: bytes hashed at each end of a graph file for its key
FILE_HEAD = 64 * 1024
#: bump when the layout of a persisted store changes (2: the marker keeps the rewrites)
LAYOUT = 2


def enabled() -> bool:
    """Whether the cache is on (``MLCRYST_NO_CACHE`` unset or empty)."""
    return not os.environ.get("MLCRYST_NO_CACHE")


def _code_hash() -> Any:
    """A hash started with the package's version, its source files' stamps (path, size,
    modification time), Oxigraph's version and the reading budgets."""
    from mlcryst import __version__
    from mlcryst.limits import budgets

    b = budgets()  # a file read under a larger budget is read again under a smaller one
    read = (b.data_file_bytes, b.yaml_depth, b.graph_file_bytes, b.graph_depth)
    h = hashlib.sha256(f"{__version__}\0{ox.__version__}\0{LAYOUT}\0{read}\0".encode())
    here = Path(__file__).resolve().parent.parent  # the whole package: any code change counts
    for path in sorted(here.rglob("*.py")):  # by stamp, as Python's own bytecode cache does
        st = path.stat()
        h.update(f"{path.relative_to(here)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h


def cache_key(
    data_dir: Path | str | None = None,
    base: str | None = None,
    ontology_dir: Path | None = None,
) -> str:
    """A hash of everything the built graph depends on: data, vocabularies, code, base."""
    from mlcryst.limits import budgets
    from mlcryst.load.datafile import read_data_file
    from mlcryst.prefixes import DEFAULT_BASE
    from mlcryst.resources import default_data_dir, resource_dir

    h = _code_hash()
    h.update(f"data\0{base or DEFAULT_BASE}\0".encode())  # no base means the default one
    folders = [
        (Path(data_dir) if data_dir else default_data_dir(), "*.yaml"),
        (ontology_dir or resource_dir("ontology"), "*.ttl"),
    ]
    limit = budgets().data_file_bytes
    for folder, pattern in folders:
        for path in sorted(folder.glob(pattern)):
            h.update(str(path.relative_to(folder)).encode() + b"\0")
            h.update(read_data_file(path, str(path), limit))  # DataError for a FIFO, a device...
            h.update(b"\0")
    key: str = h.hexdigest()[:32]
    return key


def file_key(path: Path | str) -> str | None:
    """The key of an RDF file's graph: its resolved path, size, modification and change times
    (ns), inode and a hash of its first and last :data:`FILE_HEAD` bytes, plus the code; None
    for what is not a regular file (its reading reports the problem)."""
    import stat

    path = Path(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            return None
        h = _code_hash()
        stamp = (path.resolve(), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
        h.update(f"file\0{stamp}\0".encode())
        with path.open("rb") as fh:
            h.update(fh.read(FILE_HEAD))
            if st.st_size > 2 * FILE_HEAD:
                fh.seek(st.st_size - FILE_HEAD)
            h.update(fh.read(FILE_HEAD))
    except OSError:
        return None
    key: str = h.hexdigest()[:32]
    return key


# --- persisted stores ------------------------------------------------------------------------


def store_path(key: str) -> Path:
    """Where the store of ``key`` lives."""
    return cache_dir() / f"store-{key}"


def _remove(path: Path) -> None:
    """Remove a store folder (renamed aside first, so no reader finds it half-removed)."""
    aside = path.with_name(f".gone-{path.name}-{os.getpid()}")
    try:
        os.rename(path, aside)
    except OSError:
        return
    shutil.rmtree(aside, ignore_errors=True)


def open_persisted(
    path: Path | str,
) -> tuple[ox.Store, dict[str, str], list[Rewrite]] | None:
    """The store persisted at ``path`` opened read-only, the prefixes of its graph and the
    literals of its source it holds in another form (:mod:`mlcryst.stores.literals`); None
    when there is none or it is not a complete store of this version (then it is removed, to be
    rebuilt). Completeness is the marker's (written last, before the rename); the triples are
    not counted, which would take seconds at 100k papers."""
    path = Path(path)
    marker = path / MARKER
    try:
        info = json.loads(marker.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if path.exists():
            _remove(path)
        return None
    except (OSError, ValueError):
        _remove(path)
        return None
    try:
        if info.get("layout") != LAYOUT or info.get("oxigraph") != ox.__version__:
            raise ValueError("another version")
        store = ox.Store.read_only(str(path))
        if not isinstance(info["triples"], int):
            raise ValueError("no count")
        prefixes = {str(k): str(v) for k, v in dict(info.get("prefixes") or {}).items()}
        from mlcryst.stores.literals import Rewrite

        rewritten = [Rewrite(str(w), str(s)) for w, s in info.get("rewrites") or []]
    except Exception:  # a corrupt or foreign store (OSError from RocksDB, ValueError, ...)
        _remove(path)
        return None
    with contextlib.suppress(OSError):
        os.utime(marker)  # most recently used
    return store, prefixes, rewritten


def persist(
    fill: Callable[[ox.Store], None],
    path: Path | str,
    prefixes: dict[str, str] | None = None,
    rewrites: list[Rewrite] | None = None,
) -> Path:
    """Make the store at ``path``: ``fill`` loads the graph into an empty on-disk store in a
    temporary folder beside it, which is renamed into place once complete (a store already
    there is kept). Raises OSError when the cache cannot be written."""
    import tempfile

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        store = ox.Store(str(tmp))
        try:
            fill(store)
            store.flush()
            store.optimize()
            info = {
                "layout": LAYOUT,
                "oxigraph": ox.__version__,
                "triples": len(store),
                "prefixes": prefixes or {},
                "rewrites": [[r.written, r.stored] for r in rewrites or []],
            }
        finally:
            del store  # closes the database before it moves
        (tmp / MARKER).write_text(json.dumps(info), encoding="utf-8")
        try:
            os.rename(tmp, path)
        except OSError:
            if not (path / MARKER).is_file():
                raise  # not another process's complete store: a real failure
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _evict(path)
    return path


def _evict(keep: Path) -> None:
    """Remove all but the :data:`KEEP` most recently used stores (and stale temporaries)."""
    import time

    folder = keep.parent
    stores: list[tuple[float, Path]] = []
    for p in folder.glob("store-*"):
        with contextlib.suppress(OSError):
            stores.append((p.joinpath(MARKER).stat().st_mtime if p != keep else time.time(), p))
    for _, p in sorted(stores, reverse=True)[KEEP:]:
        _remove(p)
    day = time.time() - 86400
    for p in folder.glob("graph-*.nt"):  # the N-Triples cache of earlier versions
        with contextlib.suppress(OSError):
            p.unlink()
    for p in [*folder.glob(".store-*.tmp"), *folder.glob(".gone-store-*")]:
        with contextlib.suppress(OSError):
            if p.stat().st_mtime < day:  # left behind by a killed process
                shutil.rmtree(p, ignore_errors=True)


def copy_from(source: ox.Store) -> Callable[[ox.Store], None]:
    """A ``fill`` for :func:`persist` that copies the default graph of ``source``."""

    def fill(store: ox.Store) -> None:
        store.bulk_extend(source.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    return fill


def load_ntriples(
    *, path: Path | None = None, data: bytes | None = None
) -> Callable[[ox.Store], None]:
    """A ``fill`` for :func:`persist` that bulk-loads N-Triples from a file or bytes."""

    def fill(store: ox.Store) -> None:
        if path is not None:
            store.bulk_load(
                path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph()
            )
        else:
            store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())

    return fill


def _persist_quietly(
    fill: Callable[[ox.Store], None],
    key: str,
    prefixes: Any = None,
    rewrites: list[Rewrite] | None = None,
) -> None:
    # an unwritable or full cache is not an error: the graph is built again next time
    with contextlib.suppress(OSError, RuntimeError, ValueError):
        persist(fill, store_path(key), prefixes, rewrites)


# --- what the stores call --------------------------------------------------------------------


def cached_store(
    data_dir: Path | str | None = None,
    base: str | None = None,
    ontology_dir: Path | None = None,
) -> ox.Store:
    """The Store of the graph built from ``data_dir``: the persisted one when it is there
    (read-only), else built (and persisted, unless ``MLCRYST_NO_CACHE`` is set)."""

    def build() -> ox.Store:
        from mlcryst.builder.graph import load_vocabularies
        from mlcryst.builder.stream import build_store

        return build_store(data_dir, base, load_vocabularies(ontology_dir))

    if not enabled():
        return build()
    key = cache_key(data_dir, base, ontology_dir)
    found = open_persisted(store_path(key))
    if found is not None:
        return found[0]
    store = build()
    _persist_quietly(copy_from(store), key)
    return store


def cached_file_store(
    path: Path | str, read: Callable[[], tuple[ox.Store, dict[str, str], list[Rewrite]]]
) -> tuple[ox.Store, dict[str, str], list[Rewrite]]:
    """The Store of the RDF file ``path``, its declared prefixes and rewritten literals: the
    persisted one when the file has not changed, else ``read()`` (and persisted)."""
    key = file_key(path) if enabled() else None
    if key is None:
        return read()
    found = open_persisted(store_path(key))
    if found is not None:
        return found
    store, prefixes, rewritten = read()
    _persist_quietly(copy_from(store), key, prefixes, rewritten)
    return store, prefixes, rewritten


def persist_graph(
    graph: GraphStore,
    data_dir: Path | str | None = None,
    base: str | None = None,
    ontology_dir: Path | None = None,
    ntriples: Path | None = None,
) -> Path | None:
    """Keep the graph just built from ``data_dir`` (any store) as the persisted store that the
    next ``mlcryst query`` on the same data opens; its path, or None (cache off or
    unwritable). ``ntriples``: the graph's N-Triples file, just written by the build, which
    Oxigraph's bulk loader reads straight into the on-disk store (at 100k papers 26 s instead of
    37 s copying the in-memory store quad by quad)."""
    from mlcryst.stores.oxigraph_store import OxigraphStore

    if ntriples is not None and ntriples.is_file():
        return persist_file(ntriples, data_dir, base, ontology_dir, graph.prefixes, graph.rewrites)

    def fill() -> Callable[[ox.Store], None]:
        if isinstance(graph, OxigraphStore):
            return copy_from(graph.store)
        return load_ntriples(data=graph.ntriples())

    return _persist_keyed(data_dir, base, ontology_dir, fill, graph.prefixes, graph.rewrites)


def persist_file(
    ntriples: Path,
    data_dir: Path | str | None,
    base: str | None,
    ontology_dir: Path | None,
    prefixes: dict[str, str],
    rewrites: Sequence[Rewrite],
) -> Path | None:
    """:func:`persist_graph` from the N-Triples file a build just wrote, with the prefixes and
    rewrites of its graph: the graph itself need not be held (a build releases its in-memory
    store first, :func:`mlcryst.pipeline.build`)."""
    return _persist_keyed(
        data_dir, base, ontology_dir, lambda: load_ntriples(path=ntriples), prefixes, rewrites
    )


def _persist_keyed(
    data_dir: Path | str | None,
    base: str | None,
    ontology_dir: Path | None,
    fill: Callable[[], Callable[[ox.Store], None]],
    prefixes: dict[str, str],
    rewrites: Sequence[Rewrite],
) -> Path | None:
    if not enabled():
        return None
    key = cache_key(data_dir, base, ontology_dir)
    path = store_path(key)
    if (path / MARKER).is_file():
        with contextlib.suppress(OSError):
            os.utime(path / MARKER)
        return path
    try:
        return persist(fill(), path, prefixes, list(rewrites))
    except (OSError, RuntimeError, ValueError):
        return None
