"""The one table of prefixes, and the one converter between IRIs and CURIEs.

Everything that writes or reads a CURIE goes through :data:`CONVERTER`: ``--param`` values
(``mlm:cnn``), the query tables of every store, the network views, the serialisers' prefix
declarations and the JSON-LD context. Imports nothing heavy (no rdflib), so the query path
starts fast.

A CURIE is only made where the rest of the IRI is a name that Turtle and rdflib accept as a
local name (the rule of :func:`rdflib.namespace.split_uri`), so a compressed IRI always reads
back as the same IRI, and a table shows the same text on every store.

>>> CONVERTER.compress("https://w3id.org/mlcryst/method/convolutional-neural-network")
'mlm:convolutional-neural-network'
>>> CONVERTER.compress("https://example.org/other")
'https://example.org/other'
>>> CONVERTER.expand("mlm:cnn")
'https://w3id.org/mlcryst/method/cnn'
>>> CONVERTER.expand("nope:cnn") is None
True
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

#: Default base of the IRIs minted for data (papers, people, journals, ...).
DEFAULT_BASE = "https://w3id.org/mlcryst/"

#: prefix -> namespace: serialisation, the JSON-LD context, queries, tables and ``--param``
PREFIXES: Mapping[str, str] = MappingProxyType(
    {
        "mlc": "https://w3id.org/mlcryst/ontology#",
        "mlm": "https://w3id.org/mlcryst/method/",
        "mlp": "https://w3id.org/mlcryst/problem/",
        "fabio": "http://purl.org/spar/fabio/",
        "prism": "http://prismstandard.org/namespaces/basic/2.0/",
        "bibo": "http://purl.org/ontology/bibo/",
        "cito": "http://purl.org/spar/cito/",
        "biro": "http://purl.org/spar/biro/",
        "csvw": "http://www.w3.org/ns/csvw#",
        "dcmitype": "http://purl.org/dc/dcmitype/",
        "dcterms": "http://purl.org/dc/terms/",
        "dcat": "http://www.w3.org/ns/dcat#",
        "foaf": "http://xmlns.com/foaf/0.1/",
        "owl": "http://www.w3.org/2002/07/owl#",
        "prov": "http://www.w3.org/ns/prov#",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "void": "http://rdfs.org/ns/void#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
    }
)

_NAME_START = {"Ll", "Lu", "Lo", "Lt", "Nl"}
_SPLIT_START = _NAME_START | {"Nd"}
_NAME = _NAME_START | {"Mc", "Me", "Mn", "Lm", "Nd"}
_ALLOWED = {"\u00b7", "\u0387", "-", ".", "_", "%", "(", ")"}


def split_iri(iri: str) -> tuple[str, str] | None:
    """Where ``iri`` splits into a namespace and a local name, as rdflib splits it.

    >>> split_iri("https://w3id.org/mlcryst/paper/a-1")
    ('https://w3id.org/mlcryst/paper/', 'a-1')
    """
    category = unicodedata.category
    length = len(iri)
    for i in range(length):
        c = iri[-i - 1]
        if category(c) not in _NAME:
            if c in _ALLOWED:
                continue
            for j in range(-1 - i, length):
                if category(iri[j]) in _SPLIT_START or iri[j] == "_":
                    ns = iri[:j]
                    if not ns:
                        break
                    return ns, iri[j:]
            break
    return None


class Converter:
    """IRIs to CURIEs and back under one prefix table (longest namespace first)."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes: Mapping[str, str] = MappingProxyType(dict(prefixes))
        self._by_namespace = {ns: prefix for prefix, ns in prefixes.items()}

    def compress(self, iri: str) -> str:
        """The CURIE of ``iri``, or ``iri`` itself where no prefix fits."""
        split = split_iri(iri)
        if split is None:
            return iri
        namespace = split[0]
        best = max(
            (ns for ns in self._by_namespace if iri.startswith(ns) and ns.startswith(namespace)),
            key=len,
            default=None,
        )
        if best is None:
            return iri
        return f"{self._by_namespace[best]}:{iri[len(best) :]}"

    def expand(self, curie: str) -> str | None:
        """The IRI of ``prefix:local``, or None when the prefix is not in the table (or the
        text is an absolute IRI such as ``https://...``)."""
        prefix, colon, local = curie.partition(":")
        if not colon or prefix not in self.prefixes or local.startswith("//"):
            return None
        return self.prefixes[prefix] + local


#: the converter every part of mlcryst uses
CONVERTER = Converter(PREFIXES)


def with_prefixes(query: str) -> str:
    """``query`` with a ``PREFIX`` declaration for each of mlcryst's prefixes it does not
    declare itself, put before it on its first line (so a user's ``--sparql`` text may write
    ``mlm:`` without declaring it, and an error names the line of the user's text). The guard
    then reads this whole text, the text that runs.

    >>> print(with_prefixes("PREFIX mlm: <urn:x#> SELECT * { ?s mlm:p ?o }").count("PREFIX mlm:"))
    1
    >>> "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>" in with_prefixes("ASK {}")
    True
    """
    import re

    declared = {m.group(1) for m in re.finditer(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*|)\s*:", query)}
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p not in declared]
    return " ".join([*lines, query]) if lines else query
