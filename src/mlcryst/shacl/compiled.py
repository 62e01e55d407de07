"""Stage 3 at scale: the SHACL shapes run as SPARQL on an Oxigraph store.

The shapes are compiled once (:mod:`mlcryst.shacl.compile`), each constraint a SELECT query,
and the queries run on the store, on as many threads as asked (Oxigraph evaluates a query
without holding Python's lock). The results are the same :class:`~mlcryst.shacl.report.Violation`
records that :func:`mlcryst.shacl.report.validate` makes from pySHACL's report: same focus node,
field, message, value, severity and shape (tests/test_shacl_store.py checks this on every
case of tests/shapes/ and on the shipped graph). No rdflib copy of the data is made: only
the few triples that name a failing node are read back to describe it.

>>> from mlcryst.builder.stream import build_store
>>> validate_store(build_store())
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Node, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from mlcryst.namespaces import BIBO, CSVW
from mlcryst.shacl.compile import Check, compile_plan
from mlcryst.shacl.report import (
    ShapeResult,
    ValidationRun,
    Violation,
    describe_results,
    raise_on_violations,
)

#: what :func:`mlcryst.shacl.report.describe` reads about a node to name it
NAMING = (RDF.type, CSVW.rownum, RDFS.label, DCTERMS.title, PROV.wasDerivedFrom)


@dataclass(frozen=True)
class Result:
    """One validation result of a compiled check (rdflib terms)."""

    focus: Node
    check: Check
    value: Node | None
    message: str | None
    row_path: Node | None = None  # the path a row gave (sh:closed, SHACL-SPARQL ?path)

    @property
    def path(self) -> Node | None:
        return self.row_path if self.row_path is not None else self.check.path

    def shape_result(self) -> ShapeResult:
        return ShapeResult(
            self.focus,
            self.path,
            self.check.component_iri,
            self.value,
            self.check.severity,
            self.check.shape,
            self.check.constraint,
            self.message,
        )


@dataclass(frozen=True)
class _Plan:
    checks: tuple[Check, ...]
    compiled: tuple[Node, ...]
    fallback: dict[Node, str]


@lru_cache(maxsize=4)
def _compiled(shapes: Graph) -> _Plan:
    """The shapes' checks, each query passed through the SPARQL guard: the text that runs is
    the text that was checked (a ``SERVICE`` in a shape's ``sh:select`` is refused here, and
    in a shape left to pySHACL by its run)."""
    from dataclasses import replace

    from mlcryst.errors import QueryError
    from mlcryst.shacl.report import guard_shapes
    from mlcryst.sparql.guard import guard

    guard_shapes(shapes)
    plan = compile_plan(shapes)
    out = []
    for check in plan.checks:
        try:
            out.append(
                replace(
                    check,
                    query=guard(check.query),
                    targets=guard(check.targets) if check.targets else "",
                )
            )
        except QueryError as exc:
            raise QueryError(f"shape {check.shape}: its SPARQL is refused: {exc}") from None
    return _Plan(tuple(out), plan.compiled, plan.fallback)


def _fill(template: str | None, row: dict[str, Node]) -> str | None:
    """sh:message with {?var} / {$var} replaced by the row's values (as pySHACL does)."""
    if template is None:
        return None
    for name, value in row.items():

        def value_text(_m: re.Match[str], v: Node = value) -> str:
            return str(v)

        template = re.sub(r"\{[?$]" + re.escape(name) + r"\}", value_text, template)
    return template


def run_check(store: Any, check: Check) -> list[Result]:
    """The results of one compiled constraint on ``store`` (a pyoxigraph Store)."""
    import pyoxigraph as ox

    from mlcryst.stores.terms import to_rdflib

    if check.targets:  # $this pre-bound: the query once per focus node
        this = ox.Variable("this")
        runs = [
            (s[this], store.query(check.query, substitutions={this: s[this]}))
            for s in store.query(check.targets)
        ]
    else:
        runs = [(None, store.query(check.query))]
    out = []
    for focus, solutions in runs:
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            row = {n: to_rdflib(solution[n]) for n in names if solution[n] is not None}
            if focus is not None:
                row["this"] = to_rdflib(focus)
            value = row.get("value") if check.has_value else None
            if value is None and check.value_is_focus:
                value = row["this"]
            path = row.get("path") if check.row_path else None
            message = _fill(check.message, row) if check.constraint is not None else check.message
            out.append(Result(row["this"], check, value, message, path))
    return out


def run_checks(store: Any, checks: Iterable[Check], jobs: int = 1) -> list[Result]:
    """All results of ``checks`` on ``store``, the queries spread over ``jobs`` threads."""
    checks = list(checks)
    if jobs <= 1:
        return [r for c in checks for r in run_check(store, c)]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return [r for found in pool.map(lambda c: run_check(store, c), checks) for r in found]


def naming_graph(
    store: Any, nodes: Iterable[Node], prefixes: dict[str, str] | None = None
) -> Graph:
    """The triples that :func:`~mlcryst.shacl.report.describe` needs to name ``nodes``.

    For a list cell (a blank node) that is the chain of cells up to the work's author list.
    ``prefixes`` (those of the file the data came from) are bound for shorter names.
    """
    import pyoxigraph as ox

    from mlcryst.namespaces import bind_prefixes
    from mlcryst.stores.terms import ToOx, to_rdflib

    graph = Graph()
    bind_prefixes(graph)
    for prefix, namespace in (prefixes or {}).items():
        graph.bind(prefix, namespace, override=True, replace=True)
    to_ox = ToOx()

    def ox_node(node: Node) -> Any:
        return ox.BlankNode(str(node)) if isinstance(node, BNode) else to_ox(node)

    def add(s: Node | None, p: Node | None, o: Node | None) -> list[Node]:
        found = []
        for q in store.quads_for_pattern(
            None if s is None else ox_node(s),
            None if p is None else ox_node(p),
            None if o is None else ox_node(o),
            ox.DefaultGraph(),
        ):
            triple = (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
            graph.add(triple)
            found.append(triple[0] if s is None else triple[2])
        return found

    def name(node: Node, depth: int = 0) -> None:
        for p in NAMING:
            for o in add(node, p, None):
                if p == PROV.wasDerivedFrom and depth == 0:
                    name(o, 1)
        if isinstance(node, BNode):  # climb to the head of the list, then to its work
            head: Node = node
            seen: set[Node] = {node}
            while True:
                ups = [u for u in add(None, RDF.rest, head) if u not in seen]
                if not ups:
                    break
                head = ups[0]
                seen.add(head)
            for work in add(None, BIBO.authorList, head):
                name(work, depth + 1)

    for node in nodes:
        if isinstance(node, (URIRef, BNode)):
            name(node)
    return graph


def violations(
    store: Any, results: list[ShapeResult], shapes: Graph, prefixes: dict[str, str] | None = None
) -> list[Violation]:
    """The results described for people (sorted), as :func:`mlcryst.shacl.report.validate`
    describes them: only the triples that name the focus nodes are read back."""
    names = naming_graph(store, {r.focus for r in results}, prefixes)
    return describe_results(names, shapes, results)


def _data_graph(store: Any) -> Graph:
    """The store's default graph as an rdflib Graph, blank node labels kept (the results
    name the store's own nodes)."""
    import pyoxigraph as ox

    from mlcryst.stores.terms import to_rdflib

    graph = Graph()
    for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return graph


def validation_run(
    store: Any,
    shapes: Graph | None = None,
    jobs: int = 1,
    *,
    as_written: tuple[Graph, str] | None = None,
) -> ValidationRun:
    """Every SHACL result for the data in ``store``, with which shapes ran where.

    A shape the compiler translates runs as SPARQL on the store; any other targeted shape is
    checked by pySHACL (:func:`mlcryst.shacl.report.shacl_report`, only those shapes) on a
    copy of the whole store: its value nodes may need triples any number of hops away, and
    the whole data is the one copy that is right for every shape. No shape is skipped.

    ``as_written``: the data as written and why the store is not it (it holds some literals
    in another form, :mod:`mlcryst.stores.literals`): then every shape is checked by pySHACL
    on that graph, with that reason.
    """
    from mlcryst.shacl.report import load_shapes

    shapes = shapes if shapes is not None else load_shapes()
    plan = _compiled(shapes)
    if as_written is not None:
        from mlcryst.shacl.report import pyshacl_results

        graph, why = as_written
        targeted = [*plan.compiled, *plan.fallback]
        results = pyshacl_results(graph, shapes, targeted)
        return ValidationRun(results, [], {s: plan.fallback.get(s, why) for s in targeted})
    found = [r.shape_result() for r in run_checks(store, plan.checks, jobs)]
    if plan.fallback:
        from mlcryst.shacl.report import pyshacl_results

        found += pyshacl_results(_data_graph(store), shapes, list(plan.fallback))
    return ValidationRun(found, list(plan.compiled), dict(plan.fallback))


def validate_store(
    store: Any, shapes: Graph | None = None, jobs: int = 1, prefixes: dict[str, str] | None = None
) -> list[Violation]:
    """All SHACL results for the data in ``store`` (empty when it conforms), sorted.

    ``jobs`` threads run the queries; ``prefixes`` shorten the IRIs in the descriptions.
    """
    from mlcryst.shacl.report import load_shapes

    shapes = shapes if shapes is not None else load_shapes()
    return violations(store, validation_run(store, shapes, jobs).results, shapes, prefixes)


def check_store(
    store: Any, shapes: Graph | None = None, jobs: int = 1, prefixes: dict[str, str] | None = None
) -> list[Violation]:
    """Raise :class:`~mlcryst.errors.ValidationFailed` on any violation; else the warnings."""
    return raise_on_violations(validate_store(store, shapes, jobs, prefixes))


def file_prefixes(path: Path | str) -> dict[str, str]:
    """The prefixes a Turtle or TriG file declares before its first triple ({} otherwise)."""
    from mlcryst.stores.files import declared_prefixes

    return declared_prefixes(path)
