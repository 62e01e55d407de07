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
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from rdflib import Literal, URIRef, Variable
from rdflib.term import Node

from .errors import QueryError

VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
IRI_CHARS = re.compile(r'^[^\x00-\x20<>"{}|^`\\]*$')
ABSOLUTE_IRI = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>"{}|^`\\]*$')
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
    """``iri`` if it is an absolute IRI that can be written as ``<iri>``; else QueryError."""
    if not ABSOLUTE_IRI.match(iri):
        raise QueryError(
            f"{what} {iri!r} is not an absolute IRI (scheme:..., no spaces, "
            "quotes or angle brackets)"
        )
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


class Token(NamedTuple):
    kind: str  # "iri", "string", "var", "word", "punct"
    text: str
    start: int
    end: int


_STRING = re.compile(
    r"""'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|"""
    r"""'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*\"""",
    re.S,
)
_IRIREF = re.compile(r'<[^\x00-\x20<>"{}|^`\\]*>')
_VAR = re.compile(r"[?$][A-Za-z0-9_\u00b7\u00c0-\ufffd]+")
_WORD = re.compile(r"[A-Za-z0-9_:.\-\u00b7\u00c0-\ufffd%\\@]+")


def tokenize(text: str) -> Iterator[Token]:
    """The significant tokens of a SPARQL text (comments and white space dropped)."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        m = None
        kind = "punct"
        if c in "'\"":
            m, kind = _STRING.match(text, i), "string"
            if m is None:
                raise QueryError("unterminated string in the query")
        elif c == "<":
            m, kind = _IRIREF.match(text, i), "iri"
        elif c in "?$":
            m, kind = _VAR.match(text, i), "var"
        elif _WORD.match(c):
            m, kind = _WORD.match(text, i), "word"
        if m is None or m.end() == i:
            yield Token("punct", c, i, i + 1)
            i += 1
        else:
            yield Token(kind, m.group(), i, m.end())
            i = m.end()


def refuse_service(text: str) -> None:
    """QueryError if the text has a SERVICE clause: servers would run it (Oxigraph does)."""
    if any(t.kind == "word" and t.text.upper() == "SERVICE" for t in tokenize(text)):
        raise QueryError("SERVICE is not allowed: queries never reach other endpoints")


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


def paged(text: str, parsed: Any, variables: list[str], size: int, offset: int) -> str:
    """A page of a SELECT query: a total order over its columns, then LIMIT/OFFSET.

    The query's own ORDER BY comes first, the columns it does not sort on yet break its ties,
    so pages neither overlap nor miss rows. (A column must not be repeated as a sort key:
    Virtuoso 7.2 then returns rows that mix values of different solutions.) Queries with their
    own LIMIT, OFFSET or trailing VALUES are not paged.
    """
    body = parsed[1]

    def clause(key: str) -> Any:  # CompValue.get(key) gives the key back when it is absent
        return body[key] if key in body else None  # noqa: SIM401

    for key, what in (("limitoffset", "LIMIT/OFFSET"), ("valuesClause", "a final VALUES")):
        if clause(key):
            raise QueryError(f"the query has {what} of its own, so it cannot be paged")
    order = clause("orderby")
    sorted_on = {_sort_variable(c) for c in order["condition"]} if order else set()
    ties = " ".join(f"?{v}" for v in variables if v not in sorted_on)
    keys = (f"\n{ties}" if ties else "") if order else f"\nORDER BY {ties}"
    return f"{text}{keys}\nLIMIT {size}\nOFFSET {offset}\n"


def _sort_variable(condition: Any) -> str | None:
    """The variable an ORDER BY condition sorts on, if it is a bare (ASC/DESC) variable."""
    node = condition  # OrderCondition(order?, expr) around single-"expr" wrappers
    while hasattr(node, "keys") and "expr" in node and set(node.keys()) <= {"expr", "order"}:
        node = node["expr"]
    return str(node) if isinstance(node, Variable) else None
