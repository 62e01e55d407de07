"""The output formats: one table, read by both writers, the release files and ``--format``.

Imports nothing heavy, so the command line builds its choices from it without loading rdflib
or Oxigraph.

>>> [f.file_name() for f in EXPORT_FORMATS.values()]
['mlcryst.ttl', 'mlcryst.nt', 'mlcryst.jsonld', 'mlcryst.rdf']
>>> check_formats(["turtle", "n3"])
Traceback (most recent call last):
...
mlcryst.errors.OutputError: unknown format 'n3'; choose one of turtle, nt, jsonld, xml
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from mlcryst.errors import OutputError
from mlcryst.prefixes import PREFIXES


@dataclass(frozen=True)
class OutputFormat:
    """One RDF syntax mlcryst writes."""

    #: the name on the command line (``--format``)
    name: str
    #: the suffix of the file ``mlcryst build`` writes (without the dot)
    suffix: str
    media_type: str
    #: the name of the syntax in rdflib (and in :data:`mlcryst.stores.files.FORMATS`)
    rdflib: str
    #: what people call the syntax (links to a page's descriptions)
    label: str

    def file_name(self, stem: str = "mlcryst") -> str:
        return f"{stem}.{self.suffix}"


#: name -> format, in the order the formats are listed
EXPORT_FORMATS: dict[str, OutputFormat] = {
    f.name: f
    for f in (
        OutputFormat("turtle", "ttl", "text/turtle", "turtle", "Turtle"),
        OutputFormat("nt", "nt", "application/n-triples", "nt", "N-Triples"),
        OutputFormat("jsonld", "jsonld", "application/ld+json", "json-ld", "JSON-LD"),
        OutputFormat("xml", "rdf", "application/rdf+xml", "xml", "RDF/XML"),
    )
}
#: the formats ``mlcryst build`` writes
BUILD_FORMATS: tuple[str, ...] = ("turtle", "nt", "jsonld")
#: the JSON-LD context written beside the JSON-LD
CONTEXT_FILE = "mlcryst.context.jsonld"


def check_formats(formats: Iterable[str]) -> None:
    """:class:`~mlcryst.errors.OutputError` for a name that is not in :data:`EXPORT_FORMATS`."""
    for fmt in formats:
        if fmt not in EXPORT_FORMATS:
            raise OutputError(f"unknown format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")


def jsonld_context() -> dict[str, object]:
    """The compact JSON-LD context: our prefixes, so IRIs read as CURIEs."""
    return {"@context": dict(sorted(PREFIXES.items()))}


def context_bytes() -> bytes:
    """The file :data:`CONTEXT_FILE`."""
    return (json.dumps(jsonld_context(), indent=2) + "\n").encode()
