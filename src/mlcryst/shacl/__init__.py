"""Stage 3, validate: the SHACL shapes, run by pySHACL on rdflib or compiled to SPARQL.

Holds the report in curator terms and the pySHACL run (:mod:`.report`), the compiler of
shapes to SPARQL (:mod:`.compile`, :mod:`.paths`, :mod:`.terms`) and its run on an Oxigraph
store (:mod:`.compiled`). May import: :mod:`mlcryst.sparql` (every query passes its guard),
:mod:`mlcryst.stores` (term conversion) and the core modules.
"""
