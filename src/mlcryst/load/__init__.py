"""Stage 1, load: the curated files of ``data/`` read into checked, typed records.

Holds the strict YAML reader (:mod:`.yamlio`), the Unicode checks (:mod:`.text`), typed field
getters (:mod:`.fields`), the records (:mod:`.records`), the loaders of each file
(:mod:`.dataset`, :mod:`.common`, :mod:`.sections`) and the synthetic corpus writer
(:mod:`.synth`). May import: :mod:`mlcryst.errors`, :mod:`mlcryst.limits`,
:mod:`mlcryst.resources`, :mod:`mlcryst.namespaces`, and :mod:`mlcryst.builder.tagging` (the
synthetic corpus checks that its cells tag). Knows nothing of RDF stores.
"""
