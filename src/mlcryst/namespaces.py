"""The vocabularies the graph uses, and the IRIs of mlcryst's own terms."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from mlcryst.prefixes import DEFAULT_BASE, PREFIXES

MLC = Namespace(PREFIXES["mlc"])
MLM = Namespace(PREFIXES["mlm"])
MLP = Namespace(PREFIXES["mlp"])
FABIO = Namespace(PREFIXES["fabio"])
PRISM = Namespace(PREFIXES["prism"])
BIBO = Namespace(PREFIXES["bibo"])
CITO = Namespace(PREFIXES["cito"])
BIRO = Namespace(PREFIXES["biro"])
CSVW = Namespace(PREFIXES["csvw"])
DCMITYPE = Namespace(PREFIXES["dcmitype"])
VOID = Namespace(PREFIXES["void"])

__all__ = [
    "BIBO",
    "BIRO",
    "CITO",
    "CSVW",
    "DCAT",
    "DCMITYPE",
    "DCTERMS",
    "DEFAULT_BASE",
    "FABIO",
    "FOAF",
    "MLC",
    "MLM",
    "MLP",
    "OWL",
    "PREFIXES",
    "PRISM",
    "PROV",
    "RDF",
    "RDFS",
    "SKOS",
    "VOID",
    "XSD",
    "bind_prefixes",
]


def bind_prefixes(graph: object) -> None:
    """Bind the standard prefixes on an rdflib graph (replacing rdflib's defaults)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)  # type: ignore[attr-defined]
