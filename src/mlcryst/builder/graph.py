"""Stage 2: turn the checked records into one RDF graph (with the vocabularies it uses).

One builder (:mod:`mlcryst.builder.walk`) walks the records and states the triples; a *term
factory* (:mod:`mlcryst.builder.terms`) decides what a term is:

* rdflib terms, for :func:`build_triples` and :func:`build_graph` (the small graph,
  validation and the networks work on rdflib);
* N-Triples text, for :func:`build_ntriples`, which hands the data to Oxigraph in chunks of
  lines (:func:`mlcryst.builder.stream.build_store`): no rdflib term and no list of every triple is
  made, which at 100k papers is most of the time and memory of a build.

Both give the same graph (tests/test_stores.py compares them).

>>> from mlcryst.load.dataset import load_dataset
>>> g = build_graph(load_dataset())
>>> from rdflib import URIRef
>>> from mlcryst.namespaces import FABIO
>>> (URIRef("https://w3id.org/mlcryst/paper/acta-a-33-13"), None, FABIO.JournalArticle) in g
True
>>> len(list(g.subjects(predicate=None, object=FABIO.JournalArticle))) >= 80
True
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from mlcryst.builder.iris import Iris
from mlcryst.builder.tagging import PaperTags, tag_dataset, vocabulary_from_graph
from mlcryst.builder.terms import CHUNK_LINES, NTriplesTerms, RdflibTerms, Triple
from mlcryst.builder.walk import Builder
from mlcryst.errors import DataError
from mlcryst.load.records import Dataset
from mlcryst.namespaces import bind_prefixes
from mlcryst.resources import resource_dir

__all__ = ["build_graph", "build_ntriples", "build_triples", "load_vocabularies"]


def load_vocabularies(folder: Path | None = None) -> Graph:
    """Parse every ``ontology/*.ttl`` (our ontology and the two SKOS schemes)."""
    folder = folder or resource_dir("ontology")
    graph = Graph()
    from mlcryst.stores.literals import rdflib_reads_as_written

    for path in sorted(folder.glob("*.ttl")):
        try:
            with rdflib_reads_as_written():
                graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser error types
            raise DataError(f"not valid Turtle: {exc}", file=str(path)) from exc
    return graph


def build_graph(
    ds: Dataset,
    base: str | None = None,
    vocabularies: Graph | None = None,
    tags: dict[str, PaperTags] | None = None,
    triples: list[Triple] | None = None,
) -> Graph:
    """Build the knowledge graph of ``ds`` under the IRI ``base``.

    The vocabularies (``ontology/*.ttl`` unless given) are part of the result, so the graph
    is self-contained for queries that walk ``skos:broader``.
    """
    vocab_graph = vocabularies if vocabularies is not None else load_vocabularies()
    if triples is None:
        triples = build_triples(ds, base, vocab_graph, tags)
    g = Graph()
    bind_prefixes(g)
    g += vocab_graph
    g.addN((s, p, o, g) for s, p, o in triples)
    return g


def build_triples(
    ds: Dataset,
    base: str | None = None,
    vocabularies: Graph | None = None,
    tags: dict[str, PaperTags] | None = None,
) -> list[Triple]:
    """The data triples of ``ds`` (without the vocabularies), in build order, as a list.

    Bulk-loading one list is much faster than adding triples one by one, and lets another
    store (Oxigraph, see :mod:`mlcryst.stores.oxigraph_store`) take the same triples.
    """
    vocab_graph = vocabularies if vocabularies is not None else load_vocabularies()
    if tags is None:
        tags = tag_dataset(ds, vocabulary_from_graph(vocab_graph))
    builder = Builder(ds, Iris(base), vocab_graph, tags, RdflibTerms())
    builder.run()
    return builder.triples


def build_ntriples(
    ds: Dataset,
    emit: Callable[[bytes], object],
    base: str | None = None,
    vocabularies: Graph | None = None,
    tags: dict[str, PaperTags] | None = None,
    chunk_lines: int = CHUNK_LINES,
) -> int:
    """The data triples of ``ds`` (without the vocabularies) as N-Triples text, in build order.

    ``emit`` is called with UTF-8 chunks of whole lines (about ``chunk_lines`` lines each), so
    the text can be parsed while it is made and is never held whole. Blank nodes are labelled
    ``_:b1``, ``_:b2``, …: one label is one node across all chunks, so the chunks must go to
    one parser (``Store.load`` of the concatenation, as
    :func:`mlcryst.stores.oxigraph_store.build_store` does). Returns the number of lines written (a
    triple
    stated twice is written twice; a store keeps it once).
    """
    vocab_graph = vocabularies if vocabularies is not None else load_vocabularies()
    if tags is None:
        tags = tag_dataset(ds, vocabulary_from_graph(vocab_graph))
    terms = NTriplesTerms()
    builder = Builder(ds, Iris(base, make=terms.iri), vocab_graph, tags, terms, emit, chunk_lines)
    builder.run()
    return builder.written
