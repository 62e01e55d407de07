"""Where a graph is held: the rdflib and the Oxigraph store, and reading graph files safely.

Holds the safe reader of RDF files (:mod:`.files`), the rdflib side (:mod:`.rdflib_store`),
the Oxigraph side (:mod:`.oxigraph_store`: choosing a store, reading, the build cache), term
conversion (:mod:`.terms`), an rdflib-like read view of an Oxigraph store (:mod:`.view`) and
the rdf:List walk (:mod:`.rdflist`). The only package that may branch on the store's name.
May import: :mod:`mlcryst.builder`, :mod:`mlcryst.load`, :mod:`mlcryst.sparql`,
:mod:`mlcryst.export` and the core modules.
"""
