"""Remote SPARQL servers: push a graph, run named queries there.

Holds the endpoint operations (:mod:`.endpoint`), HTTP with digest auth (:mod:`.http`),
reading the servers' answers (:mod:`.results`) and rewriting queries for them (:mod:`.rewrite`:
bound values, pages). May import: :mod:`mlcryst.sparql` (the guard), :mod:`mlcryst.bounded`
and the core modules.
"""
