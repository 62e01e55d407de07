"""Stage 4: answer questions with SPARQL, named (``queries/*.rq``) or given.

Each named query starts with a ``#`` header::

    # Question: How many Table 1 papers appeared each year?
    # Columns: year, papers

Queries never reach the network or the file system: ``SERVICE``, ``FROM``/``FROM NAMED`` and
updates are refused before anything runs. Values are passed with ``initBindings``.

>>> [q.name for q in list_queries()][:1]
['authors-most-prolific']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

from .errors import QueryError
from .resources import resource_dir

HEADER = re.compile(r"^#\s*(?P<key>[A-Za-z]+)\s*:\s*(?P<value>.*)$")
NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    question: str
    columns: tuple[str, ...]
    parameters: tuple[str, ...]

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def is_violation_check(self) -> bool:
        return self.name.endswith("-violation")


def parse_header(path: Path) -> NamedQuery:
    fields: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        m = HEADER.match(line)
        if m:
            fields[m.group("key").lower()] = m.group("value").strip()
    if "question" not in fields or "columns" not in fields:
        raise QueryError(f"{path}: the header must start with '# Question: ...' and "
                         "'# Columns: ...' lines")
    split = lambda s: tuple(c.strip() for c in s.split(",") if c.strip())  # noqa: E731
    return NamedQuery(path.stem, path, fields["question"], split(fields["columns"]),
                      split(fields.get("parameters", "")))


def list_queries(folder: Path | None = None) -> list[NamedQuery]:
    """The named queries, sorted by name."""
    folder = folder or resource_dir("queries")
    return [parse_header(p) for p in sorted(folder.glob("*.rq"))]


def find_query(name_or_path: str, folder: Path | None = None) -> NamedQuery | str:
    """A named query by name, or the text of a ``.rq`` file given by path."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".rq" and candidate.is_file():
        return candidate.read_text(encoding="utf-8")
    for q in list_queries(folder):
        if q.name == name_or_path:
            return q
    names = ", ".join(q.name for q in list_queries(folder))
    raise QueryError(f"no query named {name_or_path!r} (and no such .rq file); known: {names}")


def check_safe(text: str) -> Any:
    """Parse a query and refuse what could reach outside the graph; return the parsed algebra."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        try:
            parseUpdate(text)
        except ParseException:
            raise QueryError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: "
                             f"{exc.msg}\n  {exc.line}") from exc
        raise QueryError("updates (INSERT, DELETE, LOAD, CLEAR, ...) are not allowed: "
                         "queries only read the graph") from exc
    if parsed[1].get("datasetClause"):
        raise QueryError("FROM / FROM NAMED are not allowed: a query reads only the given graph "
                         "(it would otherwise load documents from the web or the disk)")
    if _mentions_service(parsed):
        raise QueryError("SERVICE is not allowed: queries never reach other endpoints")
    try:
        return translateQuery(parsed)
    except Exception as exc:  # rdflib raises plain Exceptions for semantic errors
        raise QueryError(f"invalid query: {exc}") from exc


def _mentions_service(tree: Any) -> bool:
    stack = [tree]
    while stack:
        node = stack.pop()
        if getattr(node, "name", None) == "ServiceGraphPattern":
            return True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    return False


def run(graph: Graph, query: str | NamedQuery,
        bindings: dict[str, URIRef | Literal] | None = None) -> Result:
    """Run a SPARQL query over ``graph`` with values bound through ``initBindings``."""
    from rdflib.plugins.sparql.evaluate import evalQuery

    text = query.text if isinstance(query, NamedQuery) else query
    algebra = check_safe(text)
    if isinstance(query, NamedQuery):
        unknown = set(bindings or {}) - set(query.parameters)
        if unknown:
            raise QueryError(f"query {query.name} has no parameter(s) {sorted(unknown)}; "
                             f"it takes: {', '.join(query.parameters) or 'none'}")
    try:
        return evalQuery(graph, algebra, dict(bindings or {}))  # type: ignore[no-any-return]
    except QueryError:
        raise
    except Exception as exc:
        raise QueryError(f"the query failed: {exc}") from exc


def run_named(graph: Graph, name: str, bindings: dict[str, URIRef | Literal] | None = None
              ) -> Result:
    q = find_query(name)
    return run(graph, q, bindings)


def rows(result: Result) -> list[dict[str, Any]]:
    """SELECT results as a list of dicts of Python values (None for unbound)."""
    out = []
    for row in result:
        out.append({str(v): (None if row[v] is None else row[v].toPython())  # type: ignore[index]
                    for v in result.vars or []})
    return out
