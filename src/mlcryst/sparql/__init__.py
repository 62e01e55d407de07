"""Stage 4, query: the guard every SPARQL text passes, named queries, parameters, results.

Holds the guard (:mod:`.guard`: the text checked is the text that runs), the named queries and
their run on rdflib (:mod:`.named`), the run on Oxigraph (:mod:`.oxigraph`), ``--param``
parsing (:mod:`.params`), the faceted search (:mod:`.find`) and the rendering of results
(:mod:`.results`, :mod:`.texttable`).
May import: :mod:`mlcryst.bounded`, :mod:`mlcryst.limits`, :mod:`mlcryst.stores.terms` and
the core modules.
"""
