"""The one place a store is named and chosen: ``--store`` on every command reads this.

:data:`STORES` maps each name to its :class:`~mlcryst.stores.base.GraphStore` class (imported
only when used, so ``mlcryst --help`` stays fast). ``auto`` means the same on every command:
Oxigraph when the graph is large (more than :data:`AUTO_PAPERS` papers in the data, or a
graph file over :data:`AUTO_FILE_BYTES`), rdflib otherwise, so a small graph's outputs are
rdflib's.

>>> resolve("auto", papers=80), resolve("auto", papers=100_000), resolve("rdflib", papers=10**6)
('rdflib', 'oxigraph', 'rdflib')
>>> resolve("nope")
Traceback (most recent call last):
...
mlcryst.errors.UsageError: unknown store 'nope'; choose one of auto, rdflib, oxigraph
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlcryst.errors import UsageError

if TYPE_CHECKING:
    from rdflib import Graph

    from mlcryst.builder.tagging import PaperTags
    from mlcryst.collection import Collection
    from mlcryst.load.records import Dataset
    from mlcryst.stores.base import GraphStore

#: name -> "module:class" of each implementation
STORES: dict[str, str] = {
    "rdflib": "mlcryst.stores.rdflib_store:RdflibStore",
    "oxigraph": "mlcryst.stores.oxigraph_store:OxigraphStore",
}
#: what ``--store`` accepts
STORE_CHOICES: tuple[str, ...] = ("auto", *STORES)
#: above this many papers (or this many bytes of graph file) "auto" picks Oxigraph
AUTO_PAPERS = 2000
AUTO_FILE_BYTES = 5 * 2**20
#: what "auto" picks for a large graph, and for a small one
LARGE, SMALL = "oxigraph", "rdflib"


def store_class(name: str) -> type[GraphStore]:
    """The class of the store ``name`` (a key of :data:`STORES`)."""
    if name not in STORES:
        raise UsageError(f"unknown store {name!r}; choose one of {', '.join(STORE_CHOICES)}")
    module, _, cls = STORES[name].partition(":")
    found: type[GraphStore] = getattr(import_module(module), cls)
    return found


def resolve(store: str, *, papers: int | None = None, path: Path | str | None = None) -> str:
    """The concrete store that ``store`` ("auto" or a name) means for a graph of ``papers``
    papers, or read from ``path``."""
    if store != "auto":
        store_class(store)  # an unknown name is refused here
        return store
    if papers is not None and papers > AUTO_PAPERS:
        return LARGE
    if path is not None:
        try:
            if Path(path).stat().st_size > AUTO_FILE_BYTES:
                return LARGE
        except OSError:
            pass  # the reader reports a missing or unreadable file
    return SMALL


def count_papers(data_dir: Path | str | None) -> int:
    """A cheap estimate of the number of papers in a data folder (records in papers.yaml)."""
    from mlcryst.errors import DataError
    from mlcryst.limits import budgets
    from mlcryst.load.datafile import read_data_file
    from mlcryst.resources import default_data_dir

    path = Path(data_dir or default_data_dir()) / "papers.yaml"
    try:  # read as the loader reads it: a FIFO, a device or an oversized file is not read
        data = read_data_file(path, str(path), budgets().data_file_bytes)
    except (DataError, OSError):
        return 0  # the loader reports the problem
    return data.count(b"\n- ") + data.startswith(b"- ")


def open_store(
    store: str = "auto",
    source: Path | str | None = None,
    *,
    data_dir: Path | str | None = None,
    base: str | None = None,
    collection: Collection | None = None,
) -> GraphStore:
    """The graph to work on, in the store ``store`` means for it: the RDF file ``source`` if
    given (read safely), else the graph built from ``data_dir`` (default: the collection's
    data) with the collection's vocabularies (default collection: the shipped one)."""
    if source is not None:
        return store_class(resolve(store, path=source)).from_file(source)
    from mlcryst.collection import Collection

    collection = collection or Collection.shipped()
    data = Path(data_dir) if data_dir is not None else collection.data_dir
    papers = count_papers(data) if store == "auto" else None  # read only when it decides
    cls = store_class(resolve(store, papers=papers))
    return cls.from_data(data, base or collection.base, collection.ontology_dir)


def build_store(
    store: str,
    dataset: Dataset,
    *,
    base: str | None = None,
    vocabularies: Graph | None = None,
    tags: dict[str, PaperTags] | None = None,
) -> GraphStore:
    """The graph of loaded records, in the store ``store`` means for their size."""
    cls = store_class(resolve(store, papers=len(dataset.papers)))
    return cls.from_dataset(dataset, base=base, vocabularies=vocabularies, tags=tags)


def store_from_text(text: str, fmt: str = "nt", *, store: str = "rdflib") -> GraphStore:
    """RDF given as text, in the store named (trusted input: tests and examples)."""
    return store_class(resolve(store)).from_text(text, fmt)


def as_store(graph: Any) -> GraphStore:
    """A store for ``graph``: a :class:`~mlcryst.stores.base.GraphStore` as it is, or an
    rdflib Graph wrapped in the rdflib store (for library callers holding a Graph)."""
    from mlcryst.stores.base import GraphStore

    if isinstance(graph, GraphStore):
        return graph
    from rdflib import Graph

    if isinstance(graph, Graph):
        from mlcryst.stores.rdflib_store import RdflibStore

        return RdflibStore(graph)
    raise TypeError(f"not a graph or a store: {type(graph).__name__}")
