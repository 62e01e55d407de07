"""What the Oxigraph modules share: mlcryst's prefixes, format names and term conversion.

Imports neither rdflib (except inside the conversions) nor the other ``ox*`` modules, so
:mod:`mlcryst.stores.oxigraph_store` (stores), :mod:`mlcryst.sparql.oxigraph` (queries and their
rendering),
:mod:`mlcryst.builder.stream` (building a store from records) and
:mod:`mlcryst.export.oxigraph_writer`
(serialisation) can all depend on it.

>>> to_rdflib(ox.Literal("x")).n3()
'"x"'
>>> to_rdflib(ox.Literal("x"), keep_xsd_string=True).n3()
'"x"^^<http://www.w3.org/2001/XMLSchema#string>'
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from mlcryst.export.formats import EXPORT_FORMATS
from mlcryst.stores.files import SUFFIXES, format_of

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: suffix -> Oxigraph format (derived from :data:`mlcryst.stores.files.FORMATS`, the one table)
SUFFIX_FORMATS: dict[str, ox.RdfFormat] = {suffix: f.ox for suffix, f in SUFFIXES.items()}
#: output format name (:data:`mlcryst.export.formats.EXPORT_FORMATS`) -> Oxigraph format
FORMAT_NAMES: dict[str, ox.RdfFormat] = {
    name: format_of(name, f.rdflib).ox for name, f in EXPORT_FORMATS.items()
}


def cache_dir() -> Path:
    """Where mlcryst caches built graphs and query verdicts (``$XDG_CACHE_HOME/mlcryst``)."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "mlcryst"


class ToOx:
    """rdflib terms -> pyoxigraph terms, with IRIs and datatypes made once."""

    def __init__(self) -> None:
        self.iris: dict[str, ox.NamedNode] = {}
        self.bnodes: dict[str, ox.BlankNode] = {}

    def iri(self, value: str) -> ox.NamedNode:
        node = self.iris.get(value)
        if node is None:
            node = self.iris[value] = ox.NamedNode(value)
        return node

    def __call__(self, term: Any) -> Any:
        from rdflib import BNode, Literal

        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=self.iri(str(term.datatype)))
            return ox.Literal(str(term))
        if isinstance(term, BNode):
            node = self.bnodes.get(term)
            if node is None:
                node = self.bnodes[term] = ox.BlankNode()
            return node
        return self.iri(str(term))


class ToRdflib:
    """pyoxigraph terms -> rdflib terms, each IRI made once (rdflib checks every IRI it makes;
    the network index converts every triple of the graph, most IRIs many times).

    Use one for one pass over a graph: it keeps the IRIs it has made."""

    def __init__(self, keep_iris: bool = True) -> None:
        from rdflib import BNode, Literal, URIRef

        self.bnode, self.literal, self.uriref = BNode, Literal, URIRef
        self.iris: dict[str, Any] | None = {} if keep_iris else None

    def __call__(self, term: Any, keep_xsd_string: bool = False) -> Any:
        if term is None:
            return None
        if isinstance(term, ox.NamedNode):
            if self.iris is None:
                return self.uriref(term.value)
            value = term.value
            node = self.iris.get(value)
            if node is None:  # the store holds valid IRIs: rdflib's check is skipped
                node = self.iris[value] = str.__new__(self.uriref, value)
            return node
        if isinstance(term, ox.BlankNode):
            return self.bnode(term.value)
        if term.language:
            return self.literal(term.value, lang=term.language)
        dtype = term.datatype.value
        if dtype == XSD_STRING and not keep_xsd_string:
            return self.literal(term.value)
        return self.literal(term.value, datatype=self.uriref(dtype), normalize=False)


@cache
def _to_rdflib() -> ToRdflib:
    return ToRdflib(keep_iris=False)  # shared by every caller: it keeps nothing


def to_rdflib(term: Any, *, keep_xsd_string: bool = False) -> Any:
    """A pyoxigraph term as an rdflib term (None stays None).

    A plain string (``xsd:string``) becomes a Literal without datatype, as rdflib parses it,
    unless ``keep_xsd_string``: then its datatype stays explicit (as a SPARQL server's results
    say it; the endpoint tests compare those). A typed literal keeps its lexical form.
    """
    return _to_rdflib()(term, keep_xsd_string)
