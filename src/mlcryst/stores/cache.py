"""The cache of built graphs: the graph of a data folder, kept as N-Triples.

A cold ``mlcryst query NAME --store oxigraph`` would otherwise rebuild the graph from the YAML
on every call; the cache keeps the N-Triples of each build under
``$XDG_CACHE_HOME/mlcryst``, keyed by a hash of the data, the vocabularies, the code and the
base, so any edit makes a new key.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

import pyoxigraph as ox

from mlcryst.builder.stream import build_store
from mlcryst.stores.terms import cache_dir


def _read_cache(path: Path) -> ox.Store:
    """The Store of a cache file mlcryst wrote itself (N-Triples; trusted: no checks)."""
    from mlcryst.stores.files import oxigraph_errors

    store = ox.Store()
    with oxigraph_errors(path, "N-Triples"):
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    return store


# --- the graph cache -------------------------------------------------------------------------


def cache_key(
    data_dir: Path | str | None = None,
    base: str | None = None,
    ontology_dir: Path | None = None,
) -> str:
    """A hash of everything the built graph depends on: data, vocabularies, code, base."""
    from mlcryst import __version__
    from mlcryst.resources import default_data_dir, resource_dir

    h = hashlib.sha256(f"{__version__}\0{base or ''}\0".encode())
    here = Path(__file__).resolve().parent.parent  # the whole package: any code change counts
    folders = [
        (Path(data_dir) if data_dir else default_data_dir(), "*.yaml"),
        (ontology_dir or resource_dir("ontology"), "*.ttl"),
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


def cached_store(
    data_dir: Path | str | None = None,
    base: str | None = None,
    ontology_dir: Path | None = None,
) -> ox.Store:
    """The Store of the graph built from ``data_dir``, read from the cache when it is there
    (and put there when it is not, unless ``MLCRYST_NO_CACHE`` is set)."""

    def build() -> ox.Store:
        from mlcryst.builder.graph import load_vocabularies

        return build_store(data_dir, base, load_vocabularies(ontology_dir))

    if os.environ.get("MLCRYST_NO_CACHE"):
        return build()
    path = cache_dir() / f"graph-{cache_key(data_dir, base, ontology_dir)}.nt"
    if path.is_file():
        return _read_cache(path)
    store = build()
    with contextlib.suppress(OSError):  # an unwritable cache is not an error: build next time
        _write_cache(store, path)
    return store
