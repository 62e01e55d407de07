"""Stage 5, export: the graph written as canonical N-Triples, Turtle, JSON-LD and RDF/XML.

Holds the rdflib writers (:mod:`.rdflib_writer`) and the streamed Oxigraph writers
(:mod:`.oxigraph_writer`), byte-identical N-Triples on both. May import:
:mod:`mlcryst.fileio` (atomic files and sets), :mod:`mlcryst.stores.terms` and the core
modules.
"""
