"""Stage 4: answer questions with SPARQL, named (``queries/*.rq``) or given.

Each named query starts with a ``#`` header::

    # Question: How many Table 1 papers appeared each year?
    # Columns: year, papers

Queries never reach the network or the file system: ``SERVICE``, ``FROM``/``FROM NAMED`` and
updates are refused before anything runs (:mod:`mlcryst.sparql.guard`), and the query runs in
a child process with no network under time and memory limits. Values are passed with
``initBindings``.

>>> [q.name for q in list_queries()][:1]
['authors-most-prolific']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from mlcryst.bounded import run_limited
from mlcryst.errors import QueryError
from mlcryst.resources import resource_dir

if TYPE_CHECKING:  # rdflib is imported only when a query runs on it (fast cold start)
    from collections.abc import Callable, Iterable

    from rdflib import Graph, Literal, URIRef
    from rdflib.query import Result, ResultRow
    from rdflib.term import IdentifiedNode

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
        raise QueryError(
            f"{path}: the header must start with '# Question: ...' and '# Columns: ...' lines"
        )
    split: Callable[[str], tuple[str, ...]] = lambda s: tuple(  # noqa: E731
        c.strip() for c in s.split(",") if c.strip()
    )
    return NamedQuery(
        path.stem,
        path,
        fields["question"],
        split(fields["columns"]),
        split(fields.get("parameters", "")),
    )


def list_queries(folder: Path | None = None) -> list[NamedQuery]:
    """The named queries, sorted by name."""
    folder = folder or resource_dir("queries")
    return [parse_header(p) for p in sorted(folder.glob("*.rq"))]


def find_query(name_or_path: str, folder: Path | None = None) -> NamedQuery | str:
    """A named query by name, or the text of a ``.rq`` file given by path."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".rq" and candidate.exists():
        return read_query_file(candidate)
    for q in list_queries(folder):
        if q.name == name_or_path:
            return q
    names = ", ".join(q.name for q in list_queries(folder))
    raise QueryError(f"no query named {name_or_path!r} (and no such .rq file); known: {names}")


def read_query_file(path: Path) -> str:
    """The text of a ``.rq`` file: a regular file within the query budget, UTF-8."""
    import stat

    from mlcryst.limits import budgets

    limit = budgets().query_chars
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise QueryError(f"{path}: not a regular file (a query file must be one)")
        if info.st_size > 4 * limit:
            raise QueryError(
                f"{path}: {info.st_size:,} bytes, over the query budget of {limit:,} "
                "characters (MLCRYST_MAX_QUERY_CHARS raises it)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise QueryError(f"{path}: cannot read the query: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise QueryError(f"{path}:{line}: the query is not UTF-8 text ({exc.reason})") from None


def check_safe(text: str) -> Any:
    """Refuse what could reach outside the graph or is over budget; return rdflib's algebra.

    The whole guard of :mod:`mlcryst.sparql.guard`: :func:`~mlcryst.sparql.guard.guard` (the
    lexical check, escapes expanded) then rdflib's parse of that same text.
    """
    from mlcryst.sparql.guard import check

    return check(text)


def run(
    graph: Graph,
    query: str | NamedQuery,
    bindings: dict[str, URIRef | Literal] | None = None,
    *,
    timeout: float | None = None,
    memory_mb: int | None = None,
) -> Result:
    """Run a SPARQL query over ``graph`` with values bound through ``initBindings``.

    The text is guarded first (:func:`mlcryst.sparql.guard.guard`: refused queries are
    reported without starting a process); then rdflib's parse and the evaluation run under a
    time limit (``timeout`` seconds, default ``MLCRYST_TIMEOUT`` or 60; 0 for none) and a
    memory limit (``memory_mb``, default :func:`mlcryst.bounded.default_memory_mb`; 0 for
    none) in a child process with no network, raising :class:`~mlcryst.errors.QueryTimeout`
    past either.
    """
    from mlcryst.sparql.guard import guard

    text = guard(query.text if isinstance(query, NamedQuery) else query)
    if isinstance(query, NamedQuery):
        check_parameters(query, bindings or {})
    what = f"query {query.name}" if isinstance(query, NamedQuery) else "the query"
    return run_guarded(graph, text, bindings, timeout=timeout, memory_mb=memory_mb, what=what)


def run_guarded(
    graph: Graph,
    text: str,
    bindings: dict[str, URIRef | Literal] | None = None,
    *,
    timeout: float | None = None,
    memory_mb: int | None = None,
    what: str = "the query",
) -> Result:
    """:func:`run` for a text that :func:`mlcryst.sparql.guard.guard` has passed."""
    if timeout or memory_mb != 0:
        payload = run_limited(
            lambda: _materialise(_evaluate(graph, text, bindings)),
            timeout=timeout,
            memory_mb=memory_mb,
            what=what,
        )
        return _result(payload)
    return _evaluate(graph, text, bindings)


def _evaluate(graph: Graph, text: str, bindings: dict[str, URIRef | Literal] | None) -> Result:
    """rdflib's parse (checked) and evaluation of a guarded text."""
    from rdflib.plugins.sparql.evaluate import evalQuery
    from rdflib.plugins.sparql.processor import SPARQLResult

    from mlcryst.sparql.guard import parse_checked

    algebra = parse_checked(text)
    try:
        # evalQuery gives a plain dict (and lazy SELECT bindings): wrap it in a Result and
        # evaluate now, so that failures surface here as QueryError.
        result = SPARQLResult(evalQuery(graph, algebra, dict(bindings or {})))
        if result.type == "SELECT":
            result.bindings  # noqa: B018
        return result
    except (QueryError, MemoryError):
        raise  # a memory error is the memory limit's, reported as such
    except RecursionError:
        raise QueryError("the query is nested too deeply to be evaluated") from None
    except Exception as exc:
        raise QueryError(f"the query failed: {exc}") from exc


def check_parameters(query: NamedQuery, bindings: dict[str, Any]) -> None:
    """Refuse values for variables the named query does not declare as parameters."""
    unknown = set(bindings) - set(query.parameters)
    if unknown:
        raise QueryError(
            f"query {query.name} has no parameter(s) {sorted(unknown)}; "
            f"it takes: {', '.join(query.parameters) or 'none'}"
        )


def _materialise(result: Result) -> tuple[str, Any]:
    """A result as plain picklable data (to come back from the child process)."""
    if result.type == "ASK":
        return "ASK", bool(result.askAnswer)
    if result.type == "SELECT":
        # each row keeps its own key order: the JSON results are then byte-identical
        return "SELECT", (list(result.vars or []), [dict(row.items()) for row in result.bindings])
    return result.type, list(result.graph or ())


def _result(payload: tuple[str, Any]) -> Result:
    from rdflib import Graph
    from rdflib.query import Result

    kind, data = payload
    out = Result(kind)
    if kind == "ASK":
        out.askAnswer = data
    elif kind == "SELECT":
        names, table = data
        out.vars = names
        out.bindings = table
    else:
        g = Graph()
        for triple in data:
            g.add(triple)
        out.graph = g
    return out


def run_named(
    graph: Graph,
    name: str,
    bindings: dict[str, URIRef | Literal] | None = None,
    *,
    timeout: float | None = None,
    memory_mb: int | None = None,
) -> Result:
    q = find_query(name)
    return run(graph, q, bindings, timeout=timeout, memory_mb=memory_mb)


def rows(result: Result) -> list[dict[str, Any]]:
    """SELECT results as a list of dicts of Python values (None for unbound)."""
    out = []
    # rdflib types a result's rows as those of any kind of result, and a row's terms as
    # Identifier (no toPython); a SELECT result's rows are ResultRows of URIRefs, BNodes and
    # Literals
    for row in cast("Iterable[ResultRow]", result):
        out.append(
            {
                str(v): (
                    None if row[v] is None else cast("IdentifiedNode | Literal", row[v]).toPython()
                )
                for v in result.vars or []
            }
        )
    return out
