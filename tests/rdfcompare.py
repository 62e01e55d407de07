"""Graph isomorphism for tests, decided by an engine other than the one that wrote the files.

rdflib's general algorithm (``rdflib.compare.isomorphic``) takes about 30 s on the shipped
graph (its author lists are hundreds of blank nodes); Oxigraph's RDFC-1.0 canonicalisation
labels the blank nodes of both graphs canonically in a fraction of a second, and the graphs are
isomorphic exactly when their canonical forms are equal.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from mlcryst.stores.terms import ToOx


def canonical_quads(graph: Graph) -> set[ox.Quad]:
    """The triples of ``graph`` with canonical blank-node labels (RDFC-1.0)."""
    to_ox = ToOx()
    dataset = ox.Dataset(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def isomorphic(a: Graph, b: Graph) -> bool:
    """Whether ``a`` and ``b`` are the same graph up to blank-node labels."""
    return len(a) == len(b) and canonical_quads(a) == canonical_quads(b)
