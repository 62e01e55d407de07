"""Write query results: a readable table for people, SPARQL 1.1 results formats for programs.

``csv``, ``json`` and ``xml`` are rdflib's serialisers; ``tsv`` (which rdflib only parses) is
written here, following SPARQL 1.1 Query Results CSV and TSV Formats: a header of ``?name``
fields, then each term in Turtle/N-Triples syntax, unbound values empty.

>>> from rdflib import Graph
>>> g = Graph().parse(data="<urn:x> <urn:p> 1 .", format="turtle")
>>> print(render(g.query("SELECT ?s ?o WHERE { ?s ?p ?o }"), "table"), end="")
s      o
-----  -
urn:x  1
>>> render(g.query("SELECT ?s ?o WHERE { ?s ?p ?o }"), "tsv").split("\\n")
['?s\\t?o', '<urn:x>\\t"1"^^<http://www.w3.org/2001/XMLSchema#integer>', '']
"""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result

from mlcryst.errors import QueryError
from mlcryst.namespaces import bind_prefixes
from mlcryst.prefixes import CONVERTER
from mlcryst.sparql.formats import RESULT_FORMATS
from mlcryst.sparql.texttable import aligned

#: --format choices; the last four are the SPARQL 1.1 results formats.
FORMATS = RESULT_FORMATS


def _cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return CONVERTER.compress(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        return str(term)
    return str(term)


def _escape(text: str) -> str:
    """Escape a lexical form for a quoted Turtle/N-Triples string (and a TSV field)."""
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )


def _tsv_term(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        quoted = f'"{_escape(str(term))}"'
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{quoted}^^<{term.datatype}>"
        return quoted
    return _escape(str(term))


def tsv(result: Result) -> str:
    """SPARQL 1.1 TSV results: ``?var`` header, terms in Turtle syntax, empty when unbound."""
    names = [str(v) for v in result.vars or []]
    lines = ["\t".join("?" + n for n in names)]
    lines += [
        "\t".join(_tsv_term(row[i]) for i in range(len(names)))  # type: ignore[index]
        for row in result
    ]
    return "\n".join(lines) + "\n"


def table(result: Result, width: int | None = None) -> str:
    """An aligned plain-text table; long cells are clipped to fit the terminal. IRIs are
    shown as CURIEs of mlcryst's prefixes (:data:`mlcryst.prefixes.CONVERTER`), as on every
    store."""
    if result.type == "ASK":
        return ("true" if result.askAnswer else "false") + "\n"
    names = [str(v) for v in result.vars or []]
    body = [[_cell(row[i]) for i in range(len(names))] for row in result]  # type: ignore[index]
    return aligned(names, body, width)


def render(result: Result, fmt: str) -> str:
    """Render a result in ``fmt`` (one of ``FORMATS``); CONSTRUCT/DESCRIBE give Turtle (with
    mlcryst's prefixes)."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown results format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        g = result.graph
        assert g is not None
        bind_prefixes(g)
        return g.serialize(format="turtle")
    if fmt == "table":
        return table(result)
    if result.type == "ASK" and fmt in ("csv", "tsv"):
        return table(result)  # the formats define no boolean: "true" or "false"
    if fmt == "tsv":
        return tsv(result)
    if result.type == "SELECT":  # each binding's terms in the order of the columns
        ordered = Result("SELECT")
        ordered.vars = result.vars
        ordered.bindings = [
            {v: row[v] for v in result.vars or [] if row.get(v) is not None}
            for row in result.bindings
        ]
        result = ordered
    data = result.serialize(format=fmt, encoding="utf-8")
    assert data is not None
    text = data.decode("utf-8")
    return text if text.endswith("\n") else text + "\n"
