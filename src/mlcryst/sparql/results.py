"""Write query results: a readable table for people, SPARQL 1.1 results formats for programs.

``csv``, ``json`` and ``xml`` are rdflib's serialisers; ``tsv`` (which rdflib only parses) is
written here, following SPARQL 1.1 Query Results CSV and TSV Formats: a header of ``?name``
fields, then each term in Turtle/N-Triples syntax, unbound values empty.

>>> from rdflib import Graph
>>> g = Graph().parse(data="<urn:x> <urn:p> 1 .", format="turtle")
>>> print(render(g.query("SELECT ?s ?o WHERE { ?s ?p ?o }"), "table", g), end="")
s      o
-----  -
urn:x  1
>>> render(g.query("SELECT ?s ?o WHERE { ?s ?p ?o }"), "tsv", g).split("\\n")
['?s\\t?o', '<urn:x>\\t"1"^^<http://www.w3.org/2001/XMLSchema#integer>', '']
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result

from mlcryst.errors import QueryError
from mlcryst.sparql.texttable import aligned

#: --format choices; the last four are the SPARQL 1.1 results formats.
FORMATS = ("table", "csv", "tsv", "json", "xml")


def _cell(term: object, graph: Graph | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        if graph is not None:
            try:
                return graph.namespace_manager.curie(str(term), generate=False)
            except (ValueError, KeyError):
                return str(term)
        return str(term)
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


def table(result: Result, graph: Graph | None = None, width: int | None = None) -> str:
    """An aligned plain-text table; long cells are clipped to fit the terminal."""
    if result.type == "ASK":
        return ("true" if result.askAnswer else "false") + "\n"
    names = [str(v) for v in result.vars or []]
    body = [[_cell(row[i], graph) for i in range(len(names))] for row in result]  # type: ignore[index]
    return aligned(names, body, width)


def render(result: Result, fmt: str, graph: Graph | None = None) -> str:
    """Render a result in ``fmt`` (one of ``FORMATS``); CONSTRUCT/DESCRIBE give Turtle."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown results format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        g = result.graph
        assert g is not None
        if graph is not None:
            for prefix, ns in graph.namespaces():
                g.bind(prefix, ns, override=True)
        return g.serialize(format="turtle")
    if fmt == "table":
        return table(result, graph)
    if result.type == "ASK" and fmt in ("csv", "tsv"):
        return table(result, graph)  # the formats define no boolean: "true" or "false"
    if fmt == "tsv":
        return tsv(result)
    data = result.serialize(format=fmt, encoding="utf-8")
    assert data is not None
    text = data.decode("utf-8")
    return text if text.endswith("\n") else text + "\n"
