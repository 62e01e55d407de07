"""A read-only, rdflib-like view of an Oxigraph store, for the code that walks triples.

:func:`mlcryst.visual.network.index_graph` (and so the page, the figures and the network views)
reads
the graph by iterating triples of one predicate at a time. :class:`StoreView` answers those
calls from a pyoxigraph Store, converting only the triples asked for, so a graph of 100k
papers can be drawn and analysed without an rdflib copy of all of it.

>>> from mlcryst.builder.stream import build_store
>>> from mlcryst.visual.network import index_graph
>>> len(index_graph(StoreView(build_store())).papers)
80
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rdflib import BNode, Node
from rdflib.namespace import RDF


class StoreView:
    """The triple-pattern methods of :class:`rdflib.Graph` over a pyoxigraph Store."""

    def __init__(self, store: Any) -> None:
        from mlcryst.stores.terms import ToOx, ToRdflib

        self.store = store
        self._to_ox = ToOx()
        self._to_rdflib = ToRdflib()

    def _ox(self, node: Node | None) -> Any:
        import pyoxigraph as ox

        if node is None:
            return None
        if isinstance(node, BNode):
            return ox.BlankNode(str(node))
        return self._to_ox(node)

    def triples(
        self, pattern: tuple[Node | None, Node | None, Node | None]
    ) -> Iterator[tuple[Node, Node, Node]]:
        import pyoxigraph as ox

        to_rdflib = self._to_rdflib
        s, p, o = pattern
        for q in self.store.quads_for_pattern(
            self._ox(s), self._ox(p), self._ox(o), ox.DefaultGraph()
        ):
            yield (
                s if s is not None else to_rdflib(q.subject),
                p if p is not None else to_rdflib(q.predicate),
                o if o is not None else to_rdflib(q.object),
            )

    def __contains__(self, triple: tuple[Node, Node, Node]) -> bool:
        return next(self.triples(triple), None) is not None

    def __len__(self) -> int:
        return len(self.store)

    def subjects(self, predicate: Node | None = None, object: Node | None = None) -> Iterator[Node]:
        return (s for s, _, _ in self.triples((None, predicate, object)))

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        return (o for _, _, o in self.triples((subject, predicate, None)))

    def subject_objects(self, predicate: Node | None = None) -> Iterator[tuple[Node, Node]]:
        return ((s, o) for s, _, o in self.triples((None, predicate, None)))

    def value(
        self, subject: Node | None = None, predicate: Node = RDF.value, object: Node | None = None
    ) -> Node | None:
        for s, _, o in self.triples((subject, predicate, object)):
            return o if object is None else s
        return None

    def items(self, head: Node) -> Iterator[Node]:
        """The members of the rdf:List at ``head`` (as :meth:`rdflib.Graph.items`)."""
        from mlcryst.stores.rdflist import items

        return items(head, lambda n: self.value(n, RDF.first), lambda n: self.value(n, RDF.rest))
