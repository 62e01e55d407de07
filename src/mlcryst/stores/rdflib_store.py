"""The one place a graph comes from: built from the curated data, or read from a file.

Everything downstream takes the rdflib ``Graph`` this returns, so a faster store or a remote
endpoint can be swapped in here without touching the other stages.

>>> g = open_graph()            # built in memory from the shipped data
>>> len(g) > 1000
True
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from mlcryst.stores.files import SUFFIXES, format_of, read_rdflib

#: suffix -> rdflib parser name (derived from :data:`mlcryst.stores.files.FORMATS`, the one table)
SUFFIX_FORMATS: dict[str, str] = {suffix: f.name for suffix, f in SUFFIXES.items()}


def guess_format(path: Path) -> str:
    """rdflib's name of the format of ``path`` (from its suffix), or OutputError."""
    return format_of(path).name


def read_graph(path: Path | str, fmt: str | None = None) -> Graph:
    """Parse an RDF file (format from its suffix unless given), never touching the network.

    Read by :func:`mlcryst.stores.files.read_rdflib`: special files, oversized, malformed or
    hostile files (entity bombs, remote JSON-LD contexts, deep nesting) are refused with
    :class:`~mlcryst.errors.OutputError` naming the file, and the parse runs under the time
    and memory budgets (:class:`~mlcryst.errors.QueryTimeout` past them).
    """
    return read_rdflib(path, fmt)


def open_graph(
    source: Path | str | None = None,
    *,
    data_dir: Path | str | None = None,
    base: str | None = None,
    store: str = "rdflib",
) -> Graph:
    """The graph to work on: ``source`` if given, else built from the curated data.

    With ``store="oxigraph"`` (or "auto" and a large file) a file is parsed by Oxigraph's
    parsers, much faster than rdflib's, then handed over as an rdflib Graph.
    """
    if source is not None:
        if store != "rdflib":
            from mlcryst.stores.oxigraph_store import choose, read_store, to_graph

            if choose(store, path=source) == "oxigraph":
                return to_graph(read_store(source))
        return read_graph(source)
    from mlcryst.builder.graph import build_graph
    from mlcryst.load.dataset import load_dataset

    return build_graph(load_dataset(data_dir), base=base)
