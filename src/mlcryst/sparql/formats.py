"""The text formats of a query's answer (``--format`` of ``mlcryst query``); nothing heavy is
imported, so the command line builds its choices from it."""

from __future__ import annotations

#: a table for people, then the SPARQL 1.1 results formats
RESULT_FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json", "xml")
