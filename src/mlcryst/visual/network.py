"""The projection of the RDF graph onto networkx graphs: one documented mapping, five views.

docs/visualisation.md describes it node kind by node kind and edge by edge. In short:

* ``overview``: papers, their authors, journals, methods and problems (with the ``skos:broader``
  chain of every tagged concept up to its top concept), databases and software;
* ``papers``: the paper–method–problem view (papers and the concepts they are tagged with);
* ``coauthors``: people, joined when they wrote a paper together (``weight`` = joint papers);
* ``cooccurrence``: methods and problems, joined when a paper combines them (``weight`` = papers);
* ``construct``: the graph a SPARQL ``CONSTRUCT`` (or ``DESCRIBE``) query returns.

Node ids are the IRIs (as strings); every node has ``kind`` and ``label``, every edge
``relation`` and ``weight``. All attribute values are strings or integers, so the graphs export to
GraphML and GEXF as they are.

Everything is read by iterating triples once per predicate (no SPARQL property paths), so the
projection stays linear in the size of the graph.

>>> from mlcryst.stores.registry import open_store
>>> g = project(open_store(), "papers")
>>> sorted({k for _, k in g.nodes(data="kind")})
['method', 'paper', 'problem']
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from mlcryst.errors import OutputError, QueryError
from mlcryst.visual.index import (
    ARCHITECTURES,
    CONVENTIONAL,
    DEEP_LEARNING,
    FACET_MODEL_FAMILY,
    FACET_PARADIGM,
    METHOD_SCHEME,
    NON_ML,
    PROBLEM_SCHEME,
    Concept,
    Index,
    Paper,
    index_graph,
)
from mlcryst.visual.views import (
    coauthor_view,
    construct_view,
    cooccurrence_view,
    induced,
    louvain,
    overview_view,
    papers_view,
)

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph

    from mlcryst.sparql.named import NamedQuery
    from mlcryst.stores.base import GraphStore

__all__ = [
    "ARCHITECTURES",
    "CONVENTIONAL",
    "DEEP_LEARNING",
    "FACET_MODEL_FAMILY",
    "FACET_PARADIGM",
    "KINDS",
    "KIND_COLORS",
    "METHOD_SCHEME",
    "NETWORK_FORMATS",
    "NON_ML",
    "PROBLEM_SCHEME",
    "VIEWS",
    "Concept",
    "Index",
    "Paper",
    "coauthor_view",
    "construct_view",
    "cooccurrence_view",
    "index_graph",
    "induced",
    "louvain",
    "network_bytes",
    "overview_view",
    "papers_view",
    "project",
    "write_network",
]

#: The views of :func:`project`, with what each shows.
VIEWS: dict[str, str] = {
    "overview": "papers, authors, journals, methods and problems (with their broader concepts), "
    "databases and software",
    "papers": "the paper–method–problem view: papers and the concepts they are tagged with",
    "coauthors": "the co-authorship network: people joined by joint papers",
    "cooccurrence": "methods and problems joined by the number of papers that combine them",
    "construct": "the subgraph a SPARQL CONSTRUCT or DESCRIBE query returns",
}

#: Node kinds, in legend order.
KINDS: tuple[str, ...] = (
    "paper",
    "method",
    "problem",
    "journal",
    "author",
    "database",
    "software",
    "concept",
    "resource",
)

#: Colour of each node kind (Okabe–Ito palette, readable by colour-blind readers).
KIND_COLORS: dict[str, str] = {
    "paper": "#0072B2",
    "method": "#D55E00",
    "problem": "#009E73",
    "journal": "#CC79A7",
    "author": "#8C8C8C",
    "database": "#E69F00",
    "software": "#56B4E9",
    "concept": "#C9B800",
    "resource": "#4D4D4D",
}


def project(
    graph: GraphStore | Graph,
    view: str = "overview",
    *,
    query: str | NamedQuery | None = None,
    index: Index | None = None,
    fold: bool = False,
) -> nx.Graph:
    """The networkx graph of ``view`` (one of :data:`VIEWS`) of a store (or an rdflib Graph);
    ``construct`` needs ``query``. ``fold``: the ``overview`` and ``papers`` views without
    paper and author nodes, each other node listing its papers (:func:`papers_view`), for
    :func:`mlcryst.visual.aggregate.aggregated`; other views ignore it."""
    from mlcryst.stores.registry import as_store

    store = as_store(graph)
    if view not in VIEWS:
        raise QueryError(f"unknown view {view!r}; known views: {', '.join(VIEWS)}")
    if view == "construct":
        if query is None:
            raise QueryError("the construct view needs a query (--sparql TEXT or --query NAME)")
        return construct_view(store, query, index)
    if query is not None:
        raise QueryError(f"a query only goes with the construct view, not {view!r}")
    idx = index or index_graph(store.view())
    if not idx.papers:
        raise QueryError(
            "the graph has no papers (nothing with mlc:problemStatement, "
            "mlc:usesMethod or mlc:addressesProblem): nothing to draw"
        )
    if view == "overview":
        g = overview_view(idx, fold)
    elif view == "papers":
        g = papers_view(idx, fold)
    else:
        g = coauthor_view(idx) if view == "coauthors" else cooccurrence_view(idx)
    if g.number_of_nodes() == 0:
        raise QueryError(f"the {view} view of this graph is empty: nothing to draw")
    return g


# --- export --------------------------------------------------------------------------------------

NETWORK_FORMATS: tuple[str, ...] = ("graphml", "gexf")


def network_bytes(g: nx.Graph, fmt: str) -> bytes:
    """GraphML (Cytoscape, yEd) or GEXF (Gephi, with colours and sizes) of ``g``."""
    import io

    buf = io.BytesIO()
    _write(g, fmt, buf)
    return buf.getvalue()


def write_network(g: nx.Graph, path: Path | str, fmt: str | None = None) -> Path:
    """Write ``g`` atomically as GraphML or GEXF (format from the suffix unless given).

    GraphML is streamed to the file in blocks (:mod:`mlcryst.visual.graphml`, networkx's
    bytes): no document tree of the whole network is held (at 100,000 papers the co-author
    network is 2 million edges, 567 MB of GraphML; an XML tree of it took 5 GB)."""
    from mlcryst.fileio import atomic_file

    path = Path(path)
    fmt = fmt or path.suffix.lower().lstrip(".")
    _check_format(fmt)  # before the file is opened
    with atomic_file(path) as fh:
        _write(g, fmt, fh)
    return path


def _check_format(fmt: str) -> None:
    if fmt not in NETWORK_FORMATS:
        raise OutputError(f"unknown network format {fmt!r}; known: {', '.join(NETWORK_FORMATS)}")


def _write(g: nx.Graph, fmt: str, fh: BinaryIO) -> None:
    import networkx as nx

    _check_format(fmt)
    if fmt == "graphml":
        from mlcryst.visual.graphml import write_graphml

        write_graphml(g, fh)
    else:
        h = g.copy()
        for n, data in h.nodes(data=True):
            color = KIND_COLORS.get(data.get("kind", "resource"), "#4D4D4D")
            r, gg, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
            data["viz"] = {
                "color": {"r": r, "g": gg, "b": b, "a": 1.0},
                "size": 5.0 + 2.0 * h.degree(n) ** 0.5,
            }
        nx.write_gexf(h, fh, encoding="utf-8", prettyprint=True)
