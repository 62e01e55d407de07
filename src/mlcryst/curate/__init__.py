"""Curation: bringing next year's papers into a collection without reading code.

Holds the readers of bibliographic files (:mod:`.works`: BibTeX, RIS, CSL-JSON, Crossref and
DataCite JSON), the fetch of one work by DOI (:mod:`.fetch`, only when asked for), the matching
of an imported work against the collection (:mod:`.match`: journals, people, duplicates), the
concept suggestions (:mod:`.suggest`), the staging file of drafts and their review, acceptance
and rejection (:mod:`.staging`, :mod:`.yamltext`), and the curator's diff of two versions of
a collection (:mod:`.diff`).

Everything works on a data folder path (``data/`` of a collection), so it serves any
collection. May import: :mod:`mlcryst.errors`, :mod:`mlcryst.limits`, :mod:`mlcryst.fileio`,
:mod:`mlcryst.load`, :mod:`mlcryst.builder` (tagging vocabulary, graph building),
:mod:`mlcryst.pipeline` (the normal build, to check an accepted record), :mod:`mlcryst.stores`
and :mod:`mlcryst.prefixes`. Nothing here reaches the network except :mod:`.fetch`, which runs
only on an explicit request.
"""
