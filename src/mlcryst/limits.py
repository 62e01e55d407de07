"""Budgets for every input mlcryst reads: bytes, nesting depth, counts, time and memory.

Every reader checks its input against these before (or while) parsing it, and every query,
parse and validation runs under the time and memory limits of :mod:`mlcryst.bounded`. An input
over its budget is refused with a clear error that names the file and the budget, never
parsed "to see".

The defaults suit collections far larger than the editorial (the 100,000-paper synthetic
corpus fits in all of them). Each can be changed for one run with an environment variable
(``MLCRYST_MAX_DATA_FILE_MB=1024 mlcryst build``); :func:`budgets` reads them afresh at every
call, so nothing global is mutated.

>>> b = budgets({})
>>> b.data_file_bytes == 512 * 2**20, b.yaml_depth, b.query_chars
(True, 64, 1000000)
>>> budgets({"MLCRYST_MAX_QUERY_CHARS": "5000"}).query_chars
5000
>>> budgets({"MLCRYST_MAX_QUERY_CHARS": "many"})
Traceback (most recent call last):
...
mlcryst.errors.UsageError: MLCRYST_MAX_QUERY_CHARS='many': expected a whole number greater than 0
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from mlcryst.errors import UsageError

MiB = 2**20


@dataclass(frozen=True)
class Budgets:
    """The size and depth budgets of the inputs (see the README, "Security and limits")."""

    #: bytes of one curated data file (YAML) or one import file (BibTeX, RIS, JSON)
    data_file_bytes: int = 512 * MiB
    #: nesting depth of a YAML document (mappings and lists inside each other)
    yaml_depth: int = 64
    #: bytes of one RDF graph file (Turtle, N-Triples, JSON-LD, RDF/XML, TriG, N-Quads)
    graph_file_bytes: int = 4096 * MiB
    #: nesting depth of a JSON-LD document, or of brackets in Turtle
    graph_depth: int = 256
    #: characters of one SPARQL query (named, from a file, or --sparql)
    query_chars: int = 1_000_000
    #: nesting depth of groups, brackets and parentheses in one SPARQL query
    query_depth: int = 100
    #: seconds a query, a parse of a graph file or a validation may take (0: no limit)
    timeout_s: float = 60.0
    #: megabytes of memory a query, parse or validation may take beyond what is loaded
    memory_mb: int = 2048


#: environment variable -> field of :class:`Budgets`
ENVIRONMENT: dict[str, str] = {
    "MLCRYST_MAX_DATA_FILE_MB": "data_file_bytes",
    "MLCRYST_MAX_YAML_DEPTH": "yaml_depth",
    "MLCRYST_MAX_GRAPH_FILE_MB": "graph_file_bytes",
    "MLCRYST_MAX_GRAPH_DEPTH": "graph_depth",
    "MLCRYST_MAX_QUERY_CHARS": "query_chars",
    "MLCRYST_MAX_QUERY_DEPTH": "query_depth",
    "MLCRYST_TIMEOUT": "timeout_s",
    "MLCRYST_MAX_MEMORY_MB": "memory_mb",
}


def budgets(environ: Mapping[str, str] | None = None) -> Budgets:
    """The budgets in force: the defaults, changed by any ``MLCRYST_MAX_*`` variable set."""
    env = os.environ if environ is None else environ
    changes: dict[str, float | int] = {}
    kinds = {f.name: f.type for f in fields(Budgets)}
    for var, name in ENVIRONMENT.items():
        raw = env.get(var)
        if raw is None or raw.strip() == "":
            continue
        try:
            value = float(raw) if kinds[name] in (float, "float") else int(raw)
        except ValueError:
            value = -1
        zero_ok = name in ("timeout_s", "memory_mb")
        if value < 0 or (value == 0 and not zero_ok):
            what = "a number" if kinds[name] in (float, "float") else "a whole number"
            bound = "0 or more" if zero_ok else "greater than 0"
            raise UsageError(f"{var}={raw!r}: expected {what} {bound}")
        changes[name] = int(value * MiB) if name.endswith("_bytes") else value
    return Budgets(**changes)  # type: ignore[arg-type]


def describe(b: Budgets | None = None) -> list[tuple[str, str, str]]:
    """(variable, what, value in force) for every budget: for ``--help`` and the docs."""
    b = b or budgets()
    rows = []
    for var, name in ENVIRONMENT.items():
        value = getattr(b, name)
        shown = f"{value // MiB} MB" if name.endswith("_bytes") else f"{value:g}"
        rows.append((var, name, shown))
    return rows


def return_freed_memory() -> bool:
    """Give the memory of what was just released back to the operating system; whether the
    C library could.

    Two things keep it otherwise. A large object can still be reachable from a reference cycle
    (a closure of the thread pool that ran the SHACL checks holds the store until the cycle
    collector next runs), so cycles are collected first. And glibc keeps freed small
    allocations in its arenas: after a 100,000-paper in-memory store (millions of small
    nodes) is released, the process would still hold its 1.5 GB under the next large step
    (loading the on-disk store); ``malloc_trim(0)`` returns those pages. Elsewhere than glibc
    (musl, macOS) only the collection is done, and False is returned.
    """
    import ctypes
    import gc

    gc.collect()
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return False
    trim.argtypes = [ctypes.c_size_t]
    return bool(trim(0))
