"""Query text rewriting for remote endpoints: bound values and result pages.

A remote server cannot take rdflib's ``initBindings``, so a bound value travels inside the query
text: a one-row ``VALUES`` block opens every group pattern of the query, which gives every
FILTER, OPTIONAL and EXISTS in it the variable already bound, as ``initBindings`` does. Values
are written by :func:`sparql_term` (escaped, checked), never pasted in as typed.

>>> from rdflib import Literal
>>> print(bind_values("SELECT ?x WHERE { ?x ?p ?v }", {"v": Literal('say "hi"')}))
SELECT ?x WHERE { VALUES (?v) { ("say \\"hi\\"") } ?x ?p ?v }
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef, Variable
from rdflib.term import Node

from mlcryst.errors import QueryError
from mlcryst.sparql.guard import tokenize
from mlcryst.sparql.params import VARNAME

LANGTAG = re.compile(r"^[A-Za-z]+(-[A-Za-z0-9]+)*$")
_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def check_iri(iri: str, what: str = "IRI") -> str:
    """``iri`` if it is an absolute IRI (RFC 3987, as the data's and ``--param``'s IRIs are
    checked) that can be written as ``<iri>``; else QueryError."""
    from mlcryst.iri_syntax import iri_problem

    problem = iri_problem(iri)
    if problem:
        raise QueryError(f"{what} {iri!r} is {problem}")
    return iri


def sparql_term(term: Node | None) -> str:
    """A term as SPARQL text: ``<iri>``, an escaped literal, or ``UNDEF`` for None."""
    if term is None:
        return "UNDEF"
    if isinstance(term, URIRef):
        return f"<{check_iri(str(term))}>"
    if isinstance(term, Literal):
        text = '"' + "".join(_ESCAPES.get(c, c) for c in str(term)) + '"'
        if term.language:
            if not LANGTAG.match(term.language):
                raise QueryError(f"bad language tag {term.language!r}")
            return f"{text}@{term.language}"
        if term.datatype:
            return f"{text}^^<{check_iri(str(term.datatype), 'datatype')}>"
        return text
    raise QueryError(f"cannot bind {term!r}: only IRIs and literals can be bound")


def group_openings(text: str) -> list[int]:
    """Offsets just after each ``{`` that opens a group graph pattern.

    Skipped: a CONSTRUCT template, VALUES data blocks, and the ``{`` of a sub-select (a group
    that holds ``SELECT`` cannot take other patterns).
    """
    tokens = list(tokenize(text))
    out: list[int] = []
    form: str | None = None
    skip_block = values_head = False
    for k, tok in enumerate(tokens):
        upper = tok.text.upper() if tok.kind == "word" else ""
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if skip_block:
            skip_block = tok.text != "}" or tok.kind != "punct"
            continue
        if upper in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE") and form is None:
            form = upper
            if upper == "CONSTRUCT" and nxt is not None and nxt.text == "{":
                skip_block = True  # the template: its "{" is the next token
            continue
        if upper == "VALUES":
            values_head = True
            continue
        if tok.kind == "punct" and tok.text == "{":
            if values_head:
                values_head = False
                skip_block = True
            elif nxt is not None and nxt.kind == "word" and nxt.text.upper() == "SELECT":
                continue
            elif form is not None:
                out.append(tok.end)
    return out


def bind_values(text: str, bindings: Mapping[str, Node | None]) -> str:
    """``text`` with a one-row VALUES block (``UNDEF`` for None) opening every group pattern."""
    if not bindings:
        return text
    for name in bindings:
        if not VARNAME.match(name):
            raise QueryError(f"bad parameter name {name!r}: letters, digits and _ only")
    names = sorted(bindings)
    block = (
        " VALUES ("
        + " ".join(f"?{n}" for n in names)
        + ") { ("
        + " ".join(sparql_term(bindings[n]) for n in names)
        + ") }"
    )
    places = group_openings(text)
    if not places:
        raise QueryError("cannot bind values: the query has no group pattern { ... }")
    parts, last = [], 0
    for at in places:
        parts += [text[last:at], block]
        last = at
    parts.append(text[last:])
    return "".join(parts)


@dataclass(frozen=True)
class Paging:
    """What paging needs to know of a SELECT query (picklable: read in a bounded child)."""

    refused: str | None  # why the query cannot be paged, or None
    ordered: bool  # it has an ORDER BY of its own
    sorted_on: frozenset[str | None]  # the variables its ORDER BY sorts on


def paging(parsed: Any) -> Paging:
    """The :class:`Paging` of rdflib's parse of a query (``parseQuery``)."""
    body = parsed[1]

    def clause(key: str) -> Any:  # CompValue.get(key) gives the key back when it is absent
        return body[key] if key in body else None  # noqa: SIM401

    refused = None
    for key, what in (("limitoffset", "LIMIT/OFFSET"), ("valuesClause", "a final VALUES")):
        if clause(key) and refused is None:
            refused = f"the query has {what} of its own, so it cannot be paged"
    order = clause("orderby")
    sorted_on = frozenset(_sort_variable(c) for c in order["condition"]) if order else frozenset()
    return Paging(refused, bool(order), sorted_on)


def paged(text: str, parsed: Any, variables: list[str], size: int, offset: int) -> str:
    """A page of a SELECT query: a total order over its columns, then LIMIT/OFFSET.

    ``parsed`` is rdflib's parse of ``text`` or its :class:`Paging`. The query's own ORDER BY
    comes first, the columns it does not sort on yet break its ties, so pages neither overlap
    nor miss rows. (A column must not be repeated as a sort key: Virtuoso 7.2 then returns
    rows that mix values of different solutions.) Queries with their own LIMIT, OFFSET or
    trailing VALUES are not paged.
    """
    info = parsed if isinstance(parsed, Paging) else paging(parsed)
    if info.refused:
        raise QueryError(info.refused)
    ties = " ".join(f"?{v}" for v in variables if v not in info.sorted_on)
    keys = (f"\n{ties}" if ties else "") if info.ordered else f"\nORDER BY {ties}"
    return f"{text}{keys}\nLIMIT {size}\nOFFSET {offset}\n"


def _sort_variable(condition: Any) -> str | None:
    """The variable an ORDER BY condition sorts on, if it is a bare (ASC/DESC) variable."""
    node = condition  # OrderCondition(order?, expr) around single-"expr" wrappers
    while hasattr(node, "keys") and "expr" in node and set(node.keys()) <= {"expr", "order"}:
        node = node["expr"]
    return str(node) if isinstance(node, Variable) else None
