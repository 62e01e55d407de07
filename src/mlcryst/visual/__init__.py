"""Stage 6, look: networks, analytics, figures and the interactive page of a graph.

Holds the projection of the graph to networkx (:mod:`.index`, :mod:`.views`, :mod:`.network`),
the analytics (:mod:`.stats`, :mod:`.stats_tables`, :mod:`.stats_render`), the figures
(:mod:`.plots`) and the self-contained page (:mod:`.page`, :mod:`.layout`, ``templates/``).
Reads any rdflib-like graph (an rdflib Graph or :class:`mlcryst.stores.view.StoreView`).
May import: :mod:`mlcryst.sparql` (construct views) and the core modules.
"""
