"""The one guard every SPARQL text passes before any engine sees it.

A query is refused if it could reach outside the graph it is given (``SERVICE``, ``FROM`` /
``FROM NAMED``, ``LOAD`` and every other update) or if it is over its budget (length, nesting
depth: :mod:`mlcryst.limits`). The rule that makes this hold whatever engine runs the query:
**the text that is checked is the text that runs.**

* Codepoint escapes (``\\u0022``, ``\\U00000022``) are expanded first, everywhere, as the
  SPARQL grammar says (§19.2) and rdflib does; Oxigraph expands them only inside strings, so an
  escape could otherwise make the checker and the engine read two different queries. The
  expanded text is what every engine then receives; an escape that survives one expansion
  (``\\u005Cu0022``) would be read differently again, so it is refused.
  Above, the first text is what every engine runs: the SERVICE is in a comment.
* The expanded text is read by a lexer that follows the SPARQL terminals (strings, IRIs,
  comments, variables, prefixed names) and refuses the text if a forbidden keyword stands
  anywhere in it as a keyword, or if it cannot be lexed at all: a conservative reading that
  needs no SPARQL parser.
* :func:`parse_checked` adds rdflib's full parse of the same text (a second, independent
  reading; its algebra is what the rdflib store evaluates).
* Where the query runs in a child process (:mod:`mlcryst.bounded`) the child also has no
  network at all, where the operating system allows it.

>>> guard('SELECT * WHERE { ?s ?p "\\\\u00e9" }')
'SELECT * WHERE { ?s ?p "é" }'
>>> guard('SELECT * WHERE { BIND("\\\\u0022 AS ?x) } #" AS ?y) SERVICE <http://h/> { ?s ?p ?o } }')
'SELECT * WHERE { BIND("" AS ?x) } #" AS ?y) SERVICE <http://h/> { ?s ?p ?o } }'
>>> guard('SELECT * WHERE { BIND("\\\\u0022 AS ?x) SERVICE <http://h/> { ?s ?p ?o } #" AS ?y) }')
Traceback (most recent call last):
...
mlcryst.errors.QueryError: SERVICE is not allowed: ... (at line 1, column 33)
>>> guard('SELECT * WHERE { ?s ?p "SERVICE <http://h/>" }')  # in a string: not a keyword
'SELECT * WHERE { ?s ?p "SERVICE <http://h/>" }'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from mlcryst.errors import QueryError

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

    from mlcryst.limits import Budgets

#: keywords that read or write outside the given graph, and the reason given for each
FORBIDDEN: dict[str, str] = {
    "SERVICE": "SERVICE is not allowed: queries never reach other endpoints",
    "FROM": "FROM / FROM NAMED are not allowed: a query reads only the given graph "
    "(it would otherwise load documents from the web or the disk)",
}
#: keywords of SPARQL Update only: a query that has one is an update
UPDATE_WORDS = frozenset(
    ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH", "USING")
)
UPDATE_REFUSED = (
    "updates (INSERT, DELETE, LOAD, CLEAR, ...) are not allowed: queries only read the graph"
)

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: what any SPARQL reader could still take for a codepoint escape (rdflib takes \u + 8 digits)
_ESCAPE_LEFT = re.compile(r"\\[uU][0-9A-Fa-f]{4}")


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
_VAR = re.compile(r"[?$][A-Za-z0-9_\u00b7\u00c0-\ufffd\U00010000-\U000effff]+")
_WORD = re.compile(r"[A-Za-z0-9_:.\-\u00b7\u00c0-\ufffd\U00010000-\U000effff%\\@]+")


def expand_escapes(text: str) -> str:
    """``text`` with every ``\\uXXXX`` and ``\\UXXXXXXXX`` replaced by its character.

    >>> expand_escapes('"caf\\\\u00E9" \\\\U0001F600')
    '"café" 😀'
    """

    def char(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryError(f"invalid codepoint escape {m.group(0)!r} in the query")
        return chr(code)

    if "\\" not in text:
        return text
    out = _CODEPOINT.sub(char, text)
    left = _ESCAPE_LEFT.search(out)
    if left:
        raise QueryError(
            f"the codepoint escapes of the query make another escape ({left.group(0)!r}): "
            "write the character itself"
        )
    return out


def tokenize(text: str) -> Iterator[Token]:
    """The significant tokens of a SPARQL text (comments and white space dropped).

    >>> [t.text for t in tokenize('SELECT ?x { ?x <urn:a> "b" } # c')]
    ['SELECT', '?x', '{', '?x', '<urn:a>', '"b"', '}']
    """
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c == "#":
            j = text.find("\n", i)
            k = text.find("\r", i)
            ends = [e for e in (j, k) if e >= 0]
            i = min(ends) + 1 if ends else n
            continue
        m = None
        kind = "punct"
        if c in "'\"":
            m, kind = _STRING.match(text, i), "string"
            if m is None:
                raise QueryError(f"unterminated string in the query ({where(text, i)})")
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


def where(text: str, offset: int) -> str:
    """``line L, column C`` of a character offset (both from 1)."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def _budgets(b: Budgets | None) -> Budgets:
    if b is not None:
        return b
    from mlcryst.limits import budgets

    return budgets()


def guard(text: str, limits: Budgets | None = None) -> str:
    """The text to run: escapes expanded, checked lexically; else :class:`QueryError`.

    Refused: a text over the length or depth budget, one that cannot be lexed, one with a
    forbidden keyword (``SERVICE``, ``FROM``) or an update keyword anywhere outside strings,
    IRIs and comments.
    """
    b = _budgets(limits)
    if len(text) > b.query_chars:
        raise QueryError(
            f"the query has {len(text):,} characters, over the budget of {b.query_chars:,} "
            "(MLCRYST_MAX_QUERY_CHARS raises it)"
        )
    if "\x00" in text:
        raise QueryError(f"the query has a NUL character ({where(text, text.index(chr(0)))})")
    out = expand_escapes(text)
    depth = 0
    tokens = 0
    for tok in tokenize(out):
        tokens += 1
        if tok.kind == "punct":
            if tok.text in "{([":
                depth += 1
                if depth > b.query_depth:
                    raise QueryError(
                        f"the query nests groups and brackets more than {b.query_depth} deep "
                        f"({where(out, tok.start)}; MLCRYST_MAX_QUERY_DEPTH raises the budget)"
                    )
            elif tok.text in "})]":
                depth = max(0, depth - 1)
        elif tok.kind == "word":
            word = tok.text.upper()
            if word in FORBIDDEN:
                raise QueryError(f"{FORBIDDEN[word]} (at {where(out, tok.start)})")
            if word in UPDATE_WORDS:
                raise QueryError(UPDATE_REFUSED)
    if not tokens:
        raise QueryError("the query is empty (only white space and comments)")
    return out


def parse_checked(text: str, namespaces: dict[str, str] | None = None) -> Query:
    """rdflib's algebra of a guarded text, refusing what rdflib's parse shows is unsafe.

    ``text`` must be the output of :func:`guard` (so that rdflib reads what the engine runs);
    ``namespaces`` are prefixes the text may use without declaring them (as ``prepareQuery``'s
    ``initNs``).
    This imports rdflib's SPARQL parser: call it where the time and memory limits apply.
    """
    import sys

    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    deep = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(max(deep, 20000))  # pyparsing recurses per nesting level
        try:
            parsed = parseQuery(text)
        except ParseException as exc:
            try:
                parseUpdate(text)
            except ParseException:
                raise QueryError(
                    f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: "
                    f"{exc.msg}\n  {exc.line}"
                ) from None
            raise QueryError(UPDATE_REFUSED) from None
        if "datasetClause" in parsed[1] and parsed[1]["datasetClause"]:
            raise QueryError(FORBIDDEN["FROM"])
        if _mentions_service(parsed):
            raise QueryError(FORBIDDEN["SERVICE"])
        try:
            return translateQuery(parsed, initNs=namespaces)
        except RecursionError:
            raise
        except Exception as exc:  # rdflib raises plain Exceptions for semantic errors
            raise QueryError(f"invalid query: {exc}") from None
    except RecursionError:
        raise QueryError("the query is nested too deeply to be read") from None
    finally:
        sys.setrecursionlimit(deep)


def _mentions_service(tree: Any) -> bool:
    stack = [tree]
    while stack:
        node = stack.pop()
        if getattr(node, "name", None) == "ServiceGraphPattern":
            return True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(node)  # parseQuery gives pyparsing ParseResults at the top
    return False


def check(text: str, limits: Budgets | None = None) -> Any:
    """:func:`guard` then :func:`parse_checked`: rdflib's algebra of the text that runs.

    >>> check("SELECT ?s WHERE { ?s ?p ?o }").algebra.name
    'SelectQuery'
    """
    return parse_checked(guard(text, limits))
