"""SPARQL on a ``pyoxigraph.Store``: safe, bounded queries and their rendering.

* :func:`run_query`: a SPARQL query, checked by :mod:`mlcryst.sparql.guard` (SERVICE,
  FROM and updates refused; the checked text is the text that runs), with a time and memory
  limit in a child process with no network (:mod:`mlcryst.bounded`);
* :func:`render`: the same table as :mod:`mlcryst.sparql.results`, without importing rdflib (the
  other results formats go through rdflib's serialisers, byte-identical).

>>> from mlcryst.stores.oxigraph_store import OxigraphStore
>>> store = OxigraphStore.from_text('<urn:a> <urn:p> "x" .', "nt").store
>>> print(render(run_query(store, "SELECT ?s ?o WHERE { ?s ?p ?o }"), "table"), end="")
s      o
-----  -
urn:a  x
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from mlcryst.errors import QueryError
from mlcryst.prefixes import CONVERTER
from mlcryst.sparql.texttable import aligned
from mlcryst.stores.terms import ToOx, cache_dir, to_rdflib

if TYPE_CHECKING:
    from rdflib.query import Result


# --- queries ---------------------------------------------------------------------------------


@dataclass
class OxResult:
    """A materialised query result (picklable, so it can come back from a child process)."""

    type: str  # SELECT | ASK | CONSTRUCT
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    answer: bool | None = None
    triples: list[tuple[Any, Any, Any]] = field(default_factory=list)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.rows if self.type == "SELECT" else self.triples)

    def __len__(self) -> int:
        return len(self.rows if self.type == "SELECT" else self.triples)


def _fingerprint() -> str:
    """What a remembered verdict depends on: the guard's code and the readers' versions (of
    rdflib and pyparsing: the stamp of their installed files, found without importing them or
    reading package metadata, which would cost a cold query tens of milliseconds)."""
    from importlib.util import find_spec

    from mlcryst import __version__
    from mlcryst.sparql import guard as sparql_guard

    parts = [
        hashlib.sha256(Path(sparql_guard.__file__).read_bytes()).hexdigest(),
        ox.__version__,
        f"mlcryst={__version__}",
    ]
    for dist in ("rdflib", "pyparsing"):
        spec = find_spec(dist)
        origin = spec.origin if spec is not None else None
        try:
            st = os.stat(origin) if origin else None
        except OSError:
            st = None
        parts.append(f"{dist}={origin}:{st.st_size}:{st.st_mtime_ns}" if st else f"{dist}=?")
    return "\0".join(parts)


def _verdict_file(text: str) -> Path:
    key = hashlib.sha256(f"oxigraph\0{_fingerprint()}\0{text}".encode()).hexdigest()
    return cache_dir() / "safe-queries" / key


def check_safe(text: str) -> str:
    """:func:`mlcryst.sparql.guard.guard`, then rdflib's parse as a second reading
    (:func:`second_reading`); the text that runs is returned."""
    from mlcryst.sparql.guard import guard

    text = guard(text)
    second_reading(text)
    return text


def second_reading(text: str) -> None:
    """rdflib's parse of a guarded text (:func:`mlcryst.sparql.guard.parse_checked`).

    The parse (0.3 s to import) is remembered for a text that passed it, keyed by the text,
    the store, the guard's own code and the versions of mlcryst, rdflib, pyparsing and
    Oxigraph: a new version or another store never reuses a verdict.
    """
    from mlcryst.sparql.guard import parse_checked

    marker = _verdict_file(text)
    if marker.is_file():
        return
    parse_checked(text)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass


_SKIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>'
    r"|#[^\n]*"
)


def substitute(text: str, bindings: dict[Any, Any]) -> str:
    """Write bound values into the query text (outside strings, IRIs and comments), as
    rdflib's ``initBindings`` binds them: ``BOUND(?v)`` becomes true, ``?v`` the value."""
    out: list[str] = []
    pos = 0

    def code(chunk: str) -> str:
        for var, term in bindings.items():
            name = re.escape(var.value)
            chunk = re.sub(rf"(?i)\bBOUND\s*\(\s*[?$]{name}\s*\)", "true", chunk)

            def bound_text(_m: re.Match[str], t: Any = term) -> str:
                return str(t)

            chunk = re.sub(
                rf"[?$]{name}(?![\w\u00b7\u0300-\u036f\u203f-\u2040])",
                bound_text,
                chunk,
            )
        return chunk

    for m in _SKIP.finditer(text):
        out.append(code(text[pos : m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(code(text[pos:]))
    return "".join(out)


def _materialise(result: Any) -> OxResult:
    if isinstance(result, ox.QueryBoolean):
        return OxResult("ASK", answer=bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return OxResult(
            "SELECT", names, [tuple(sol[i] for i in range(len(names))) for sol in result]
        )
    return OxResult("CONSTRUCT", triples=[(t.subject, t.predicate, t.object) for t in result])


def _ox_binding(value: Any) -> Any:
    if isinstance(value, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return value
    return ToOx()(value)


def run_query(
    store: ox.Store,
    text: str,
    bindings: dict[str, Any] | None = None,
    *,
    timeout: float | None = 0,
    memory_mb: int | None = 0,
    union: bool = False,
    what: str = "the query",
) -> OxResult:
    """Run a SPARQL query on ``store`` (checked as safe), optionally under limits.

    ``bindings`` maps variable names to pyoxigraph or rdflib terms, substituted as in
    rdflib's ``initBindings``. The default here is no limit (``timeout=0``, ``memory_mb=0``);
    ``memory_mb=None`` is the default limit of :mod:`mlcryst.bounded`.
    """
    from mlcryst.sparql.guard import guard

    text = guard(text)  # refused without starting a process; rdflib's reading runs bounded
    subs = {ox.Variable(k): _ox_binding(v) for k, v in (bindings or {}).items()}

    def evaluate() -> OxResult:
        try:
            try:
                second_reading(text)  # guarded above, before the process started
                return _materialise(
                    store.query(
                        text,
                        substitutions=subs or None,
                        use_default_graph_as_union=union,
                    )
                )
            except RuntimeError as exc:
                # Oxigraph substitutes only projected variables; rdflib's initBindings binds
                # any variable: write the values into the text instead (same semantics)
                if not subs or "projection" not in str(exc):
                    raise
                return _materialise(
                    store.query(
                        check_safe(substitute(text, subs)), use_default_graph_as_union=union
                    )
                )
        except QueryError:
            raise
        except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"the query failed: {exc}") from None
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except BaseException as exc:  # a panic inside Oxigraph (pyo3's PanicException)
            raise QueryError(f"the query engine failed: {type(exc).__name__}: {exc}") from None

    if not timeout and memory_mb == 0:
        return evaluate()
    from mlcryst.bounded import run_limited

    return run_limited(evaluate, timeout=timeout, memory_mb=memory_mb, what=what)


# --- rendering -------------------------------------------------------------------------------


def curie(iri: str) -> str:
    """The CURIE of ``iri`` under mlcryst's prefixes, or the IRI itself (as every table shows)."""
    return CONVERTER.compress(iri)


def _cell(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return curie(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def table(result: OxResult, width: int | None = None) -> str:
    """The aligned plain-text table of :func:`mlcryst.sparql.results.table`."""
    if result.type == "ASK":
        return ("true" if result.answer else "false") + "\n"
    names = result.vars
    body = [[_cell(t) for t in row] for row in result.rows]
    return aligned(names, body, width)


def to_rdflib_result(result: OxResult) -> Result:
    """The result as an rdflib ``Result`` (for the SPARQL results formats of results.py)."""
    from rdflib import Graph, Variable
    from rdflib.query import Result

    out = Result(result.type)
    if result.type == "ASK":
        out.askAnswer = bool(result.answer)
    elif result.type == "SELECT":
        out.vars = [Variable(v) for v in result.vars]
        out.bindings = [
            {
                Variable(v): to_rdflib(t)
                for v, t in zip(result.vars, row, strict=True)
                if t is not None
            }
            for row in result.rows
        ]
    else:
        g = Graph()
        for s, p, o in result.triples:
            g.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
        out.graph = g
    return out


def render(result: OxResult, fmt: str) -> str:
    """Render as :func:`mlcryst.sparql.results.render` does (the table without importing rdflib)."""
    if fmt == "table" and result.type != "CONSTRUCT":
        return table(result)
    from mlcryst.sparql.results import render as rdflib_render

    return rdflib_render(to_rdflib_result(result), fmt)
