"""Publishing the collection as linked data: every minted IRI resolves.

* :mod:`~mlcryst.publish.described` reads the graph once (its canonical N-Triples) into the
  descriptions of the resources, grouped by the document (page) each IRI belongs to;
* :mod:`~mlcryst.publish.rdfio` writes one description as N-Triples, Turtle, JSON-LD and
  RDF/XML (small, deterministic writers: no engine round trip per page);
* :mod:`~mlcryst.publish.html` and :mod:`~mlcryst.publish.pages` render the pages for people,
  :mod:`~mlcryst.publish.site` writes the whole static site as one set
  (``mlcryst site``), with the VoID/DCAT description of :mod:`~mlcryst.publish.void`;
* :mod:`~mlcryst.publish.conneg` generates the content-negotiation rules (nginx, Apache
  ``.htaccess``, the w3id.org redirect), :mod:`~mlcryst.publish.serve` runs nginx and the
  Oxigraph SPARQL server on loopback (``mlcryst serve``), :mod:`~mlcryst.publish.release`
  writes a versioned release (``mlcryst release``).

May import: ``stores`` (the :class:`~mlcryst.stores.base.GraphStore` interface), ``visual``
(the index, the network page, the figures and the gap map), ``export.formats``, ``pipeline``
(the build), ``curate.diff`` (a release's change list), core modules.
"""
