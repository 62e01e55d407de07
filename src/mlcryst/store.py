"""The one place a graph comes from: built from the curated data, or read from a file.

Everything downstream takes the rdflib ``Graph`` this returns, so a faster store or a remote
endpoint can be swapped in here without touching the other stages.

>>> g = open_graph()            # built in memory from the shipped data
>>> len(g) > 1000
True
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph

from .errors import OutputError
from .fileio import refuse_remote_contexts

SUFFIX_FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
    ".trig": "trig",
    ".nq": "nquads",
}


def guess_format(path: Path) -> str:
    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise OutputError(
            f"{path}: cannot tell the RDF format from the suffix "
            f"(known: {', '.join(sorted(SUFFIX_FORMATS))})"
        )
    return fmt


def read_graph(path: Path | str, fmt: str | None = None) -> Graph:
    """Parse an RDF file (format from its suffix unless given), never touching the network."""
    path = Path(path)
    fmt = fmt or guess_format(path)
    if not path.is_file():
        raise OutputError(f"{path}: no such graph file")
    graph = Graph()
    try:
        if fmt == "json-ld":
            doc = json.loads(path.read_text(encoding="utf-8"))
            refuse_remote_contexts(doc, path)
            graph.parse(data=json.dumps(doc), format="json-ld", base=path.resolve().as_uri())
        else:
            graph.parse(path, format=fmt)
    except OutputError:
        raise
    except Exception as exc:  # parsers raise many types; report them uniformly
        raise OutputError(f"{path}: not valid {fmt}: {exc}") from exc
    return graph


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
            from .oxstore import choose, read_store, to_graph

            if choose(store, path=source) == "oxigraph":
                return to_graph(read_store(source))
        return read_graph(source)
    from .build import build_graph
    from .load import load_dataset

    return build_graph(load_dataset(data_dir), base=base)
