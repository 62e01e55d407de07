"""Stage 2, build (the builder): records -> RDF triples, under mlcryst's IRIs and vocabularies.

Holds the IRIs (:mod:`.iris`), the tagging of Table 1 cells with concepts (:mod:`.tagging`),
the one walk over the records that states the triples (:mod:`.walk`) with its term factories
(:mod:`.terms`), the rdflib graph it makes (:mod:`.graph`) and the N-Triples stream it feeds to
Oxigraph (:mod:`.stream`). May import: :mod:`mlcryst.load` and the core modules.
"""
