"""The rdflib-like view of an Oxigraph store reads the same graph as rdflib does."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from mlcryst.namespaces import BIBO, DCTERMS
from mlcryst.stores.oxigraph_store import OxigraphStore
from mlcryst.stores.view import StoreView
from mlcryst.visual.network import coauthor_view, index_graph


def store_from_graph(graph: Graph) -> object:
    return OxigraphStore.from_triples(graph).store


def test_index_from_the_store_equals_index_from_rdflib(graph: Graph) -> None:
    view = StoreView(store_from_graph(graph))
    assert index_graph(view) == index_graph(graph)
    a, b = coauthor_view(index_graph(view)), coauthor_view(index_graph(graph))
    assert sorted(a.nodes(data=True)) == sorted(b.nodes(data=True))
    assert sorted(a.edges(data=True)) == sorted(b.edges(data=True))


def test_triple_patterns(graph: Graph) -> None:
    view = StoreView(store_from_graph(graph))
    paper = URIRef("https://w3id.org/mlcryst/paper/acta-d-58-2043")
    assert len(view) == len(graph)
    assert set(view.objects(paper, DCTERMS.creator)) == set(graph.objects(paper, DCTERMS.creator))
    assert set(view.subjects(RDF.type, None)) == set(graph.subjects(RDF.type, None))
    assert (paper, DCTERMS.creator, None) in view
    head = graph.value(paper, BIBO.authorList)
    assert list(view.items(view.value(paper, BIBO.authorList))) == list(graph.items(head))
    assert view.value(paper, URIRef("urn:none")) is None
