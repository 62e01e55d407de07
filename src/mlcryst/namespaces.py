"""The vocabularies the graph uses, and the IRIs of mlcryst's own terms."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

#: Default base of the IRIs minted for data (papers, people, journals, ...).
DEFAULT_BASE = "https://w3id.org/mlcryst/"

MLC = Namespace("https://w3id.org/mlcryst/ontology#")
MLM = Namespace("https://w3id.org/mlcryst/method/")
MLP = Namespace("https://w3id.org/mlcryst/problem/")
FABIO = Namespace("http://purl.org/spar/fabio/")
PRISM = Namespace("http://prismstandard.org/namespaces/basic/2.0/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
CITO = Namespace("http://purl.org/spar/cito/")
BIRO = Namespace("http://purl.org/spar/biro/")
CSVW = Namespace("http://www.w3.org/ns/csvw#")
DCMITYPE = Namespace("http://purl.org/dc/dcmitype/")

#: prefix -> namespace, used for serialisation, the JSON-LD context and queries.
PREFIXES: dict[str, str] = {
    "mlc": str(MLC),
    "mlm": str(MLM),
    "mlp": str(MLP),
    "fabio": str(FABIO),
    "prism": str(PRISM),
    "bibo": str(BIBO),
    "cito": str(CITO),
    "biro": str(BIRO),
    "csvw": str(CSVW),
    "dcmitype": str(DCMITYPE),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "xsd": str(XSD),
}


def bind_prefixes(graph: object) -> None:
    """Bind the standard prefixes on an rdflib graph (replacing rdflib's defaults)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)  # type: ignore[attr-defined]
