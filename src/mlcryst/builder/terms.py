r"""The builder's term factories: what a term is when :mod:`mlcryst.builder.walk` states a triple.

* :class:`RdflibTerms`: rdflib terms (``URIRef``, ``Literal``, ``BNode``);
* :class:`NTriplesTerms`: the text that stands for the term in an N-Triples line, so a large
  graph goes to Oxigraph without one rdflib term being made.

>>> NTriplesTerms.year(1977), NTriplesTerms.en('say "hi"')
('"1977"^^<http://www.w3.org/2001/XMLSchema#gYear>', '"say \\"hi\\""@en')
>>> RdflibTerms.year(1977).n3()
'"1977"^^<http://www.w3.org/2001/XMLSchema#gYear>'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib import namespace as _rdflib_ns

from mlcryst import namespaces as _mlcryst_ns

#: a term as the builder's factory makes it: an rdflib term or a piece of N-Triples text
Term = Any
Triple = tuple[URIRef | BNode, URIRef, URIRef | BNode | Literal]
#: lines of N-Triples text handed over at a time by :func:`build_ntriples`
CHUNK_LINES = 20_000
#: an absolute IRI as N-Triples allows it between ``<>`` (no escapes)
IRI_TEXT = re.compile(r'[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>"{}|^`\\]*\Z')


class _Terms:
    """A namespace whose terms are made once (rdflib makes a new URIRef on every access),
    optionally converted by ``make`` (an IRI string -> the factory's term)."""

    def __init__(self, ns: object, make: Callable[[str], Term] | None = None) -> None:
        self._ns = ns
        self._make = make

    def __getattr__(self, name: str) -> Term:
        term = getattr(self._ns, name)
        if self._make is not None:
            term = self._make(str(term))
        setattr(self, name, term)
        return term


# fmt: off
_NAMESPACES: dict[str, object] = {
    "DCAT": _rdflib_ns.DCAT, "DCTERMS": _rdflib_ns.DCTERMS, "FOAF": _rdflib_ns.FOAF,
    "OWL": _rdflib_ns.OWL, "PROV": _rdflib_ns.PROV, "RDF": _rdflib_ns.RDF,
    "RDFS": _rdflib_ns.RDFS, "SKOS": _rdflib_ns.SKOS, "XSD": _rdflib_ns.XSD,
    "BIBO": _mlcryst_ns.BIBO, "BIRO": _mlcryst_ns.BIRO, "CITO": _mlcryst_ns.CITO,
    "CSVW": _mlcryst_ns.CSVW, "DCMITYPE": _mlcryst_ns.DCMITYPE, "FABIO": _mlcryst_ns.FABIO,
    "MLC": _mlcryst_ns.MLC, "PRISM": _mlcryst_ns.PRISM, "VOID": _mlcryst_ns.VOID}
# the module's namespaces (a _Terms over the rdflib or mlcryst namespace of the name)
(DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD, BIBO, BIRO, CITO, CSVW, DCMITYPE, FABIO,
 MLC, PRISM, VOID) = (_Terms(ns) for ns in _NAMESPACES.values())
# fmt: on
_LITERALS: dict[object, Literal] = {}


def _lit(value: int) -> Literal:
    """Literals of small recurring values (volumes, pages, years), made once."""
    lit = _LITERALS.get(value)
    if lit is None:
        lit = _LITERALS[value] = Literal(value)
    return lit


def _year(year: int) -> Literal:
    key = ("year", year)
    lit = _LITERALS.get(key)
    if lit is None:
        lit = _LITERALS[key] = Literal(f"{year:04d}", datatype=XSD.gYear)
    return lit


REFERENCE_CLASSES = {
    "article": FABIO.JournalArticle,
    "preprint": FABIO.Preprint,
    "book": FABIO.Book,
    "software": FABIO.ComputerProgram,
    "dataset": FABIO.Database,
}


class Namespaces:
    """The namespaces of the builder (``n.RDF.type``), their terms made by one factory."""

    def __init__(self, make: Callable[[str], Term] | None) -> None:
        module = globals()
        for name, ns in _NAMESPACES.items():  # rdflib terms: the module's (made-once) terms
            setattr(self, name, module[name] if make is None else _Terms(ns, make))

    def __getattr__(self, name: str) -> Any:  # (the namespaces are set in __init__)
        raise AttributeError(name)


class RdflibTerms:
    """The builder's term factory for rdflib terms."""

    #: None: the namespace terms are the module's rdflib terms
    make_namespace_term: Callable[[str], Term] | None = None

    iri = staticmethod(URIRef)
    text = staticmethod(Literal)  # a plain (xsd:string) literal
    bnode = staticmethod(BNode)

    @staticmethod
    def en(value: str) -> Literal:
        """A literal tagged ``@en``."""
        return Literal(value, lang="en")

    @staticmethod
    def integer(value: int) -> Literal:
        """An ``xsd:integer`` literal."""
        return _lit(value)

    @staticmethod
    def year(value: int) -> Literal:
        """An ``xsd:gYear`` literal (four digits)."""
        return _year(value)

    @staticmethod
    def node(term: URIRef) -> URIRef:
        """An rdflib IRI (a tag's concept) as this factory's term."""
        return term


_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_XSD_GYEAR = "http://www.w3.org/2001/XMLSchema#gYear"


def nt_escape(value: str) -> str:
    """The characters N-Triples requires escaped in a string (as rdflib's serialiser does)."""
    if "\\" in value or '"' in value or "\n" in value or "\r" in value:
        return (
            value.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


class NTriplesTerms:
    """The builder's term factory for N-Triples text: a term is the text that stands for it in
    an N-Triples line (``<iri>``, ``"text"@en``, ``_:b12``)."""

    def __init__(self) -> None:
        self._bnodes = 0
        self.make_namespace_term = self.iri

    @staticmethod
    def iri(value: str) -> str:
        return f"<{value}>"

    @staticmethod
    def text(value: str) -> str:
        return f'"{nt_escape(value)}"'

    @staticmethod
    def en(value: str) -> str:
        return f'"{nt_escape(value)}"@en'

    @staticmethod
    def integer(value: int) -> str:
        return f'"{int(value)}"^^<{_XSD_INTEGER}>'

    @staticmethod
    def year(value: int) -> str:
        return f'"{value:04d}"^^<{_XSD_GYEAR}>'

    @staticmethod
    def node(term: URIRef) -> str:
        return f"<{term}>"

    def bnode(self) -> str:
        self._bnodes += 1
        return f"_:b{self._bnodes}"
