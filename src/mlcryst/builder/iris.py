"""Stable, readable IRIs for the things in the graph, all under one configurable base.

>>> iris = Iris("https://example.org/kg/")
>>> str(iris.paper("acta-a-33-13"))
'https://example.org/kg/paper/acta-a-33-13'
>>> str(iris.person("juhas-p"))
'https://example.org/kg/person/juhas-p'
>>> iri_problem("https://pdfitc.org") is None, iri_problem("https://example.org/a b")
(True, 'not an absolute IRI: U+0020 SPACE at character 22 is not allowed in an IRI')
>>> doi_problem("10.1107/S2052252521005066") is None
True
>>> print(doi_problem("doi:10.1107/x"))  # doctest: +ELLIPSIS
a DOI is written 10.<registrant>/<suffix>, e.g. 10.1107/S2052252521005066 (no 'doi:' or ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from rdflib import URIRef

from mlcryst.errors import UsageError
from mlcryst.iri_syntax import doi_problem, iri_problem
from mlcryst.load.records import slug
from mlcryst.prefixes import DEFAULT_BASE

__all__ = ["Iris", "doi_problem", "iri_problem"]


class Iris:
    """Mints IRIs for data items under ``base`` (which must end in ``/`` or ``#``).

    ``make`` turns the IRI string into the term returned: an rdflib ``URIRef`` by default;
    :class:`mlcryst.builder.terms.NTriplesTerms` passes its own (N-Triples text ``<iri>``).
    """

    def __init__(self, base: str | None = None, make: Callable[[str], Any] = URIRef) -> None:
        base = base or DEFAULT_BASE
        parts = urlsplit(base)
        absolute = parts.netloc or parts.scheme == "urn"
        if parts.scheme not in ("http", "https", "urn") or not absolute:
            raise UsageError(f"the IRI base {base!r} is not an absolute http(s) IRI")
        problem = iri_problem(base)
        if problem:
            raise UsageError(f"the IRI base {base!r}: {problem}")
        if not base.endswith(("/", "#")):
            base += "/"
        self.base = base
        self.make = make

    def _iri(self, *segments: str) -> URIRef:
        return self.make(self.base + "/".join(segments))  # type: ignore[no-any-return]

    def dataset(self) -> URIRef:
        return self._iri("dataset")

    def paper(self, key: str) -> URIRef:
        return self._iri("paper", key)

    def work(self, key: str) -> URIRef:
        return self._iri("work", key)

    def person(self, pid: str, organization: bool = False) -> URIRef:
        return self._iri("organization" if organization else "person", pid)

    def journal(self, key: str) -> URIRef:
        return self._iri("journal", key)

    def editorial(self) -> URIRef:
        return self._iri("editorial")

    def collection(self) -> URIRef:
        return self._iri("collection")

    def table(self) -> URIRef:
        return self._iri("editorial", "table-1")

    def row(self, n: int) -> URIRef:
        return self._iri("editorial", "table-1", f"row-{n}")

    def abbreviations(self) -> URIRef:
        return self._iri("editorial", "table-1", "abbreviations")

    def abbreviation(self, abbr: str) -> URIRef:
        return self._iri("editorial", "table-1", "abbreviations", slug(abbr))

    def reference(self, key: str) -> URIRef:
        return self._iri("editorial", "reference", key)

    def database(self, key: str) -> URIRef:
        return self._iri("database", key)

    def standard(self, key: str) -> URIRef:
        return self._iri("standard", key)

    def software(self, key: str) -> URIRef:
        return self._iri("software", key)
