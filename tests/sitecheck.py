"""Shared by the site tests: the site of the shipped data, and what its graph says."""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Graph, URIRef

BASE = "https://w3id.org/mlcryst/"
RDF_SUFFIXES = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml"}


def document_of(iri: str) -> str:
    """The site path of the page describing ``iri``."""
    return iri[len(BASE) :].split("#", 1)[0]


def minted(graph: Graph) -> set[str]:
    """Every IRI under the base that the graph uses (subject or object)."""
    out = set()
    for s, _p, o in graph:
        for term in (s, o):
            if isinstance(term, URIRef) and str(term).startswith(BASE):
                out.add(str(term))
    return out


def own_triples(graph: Graph, iri: str) -> set[tuple[URIRef, URIRef, object]]:
    """The triples about ``iri`` whose object is not a blank node (lists are checked apart)."""
    return {
        (s, p, o)
        for s, p, o in graph.triples((URIRef(iri), None, None))
        if not isinstance(o, BNode)
    }


def kinds(iris: set[str]) -> dict[str, str]:
    """One IRI of every kind (the first path segments), for the per-kind checks."""
    out: dict[str, str] = {}
    for iri in sorted(iris):
        path = document_of(iri)
        parts = path.rstrip("/").split("/")
        key = (
            "/".join(parts[:-1])
            if len(parts) > 1
            else parts[0] + ("/" if path.endswith("/") else "")
        )
        if "#" in iri:
            key = "ontology#"
        out.setdefault(key, iri)
    return out


def read(path: Path, fmt: str) -> Graph:
    return Graph().parse(data=path.read_bytes(), format=fmt)
