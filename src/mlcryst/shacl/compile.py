"""The SHACL shapes of ``shapes/`` compiled to SPARQL, one SELECT query per constraint.

pySHACL walks every focus node in Python, which takes minutes at 100k papers. The same
shapes, read here and turned into SPARQL, run as set-at-a-time queries on Oxigraph
(:mod:`mlcryst.shacl.compiled`). The shapes stay the one source of truth: nothing here names
a shape of ours; every SHACL Core component our shapes use is translated from its
definition in the SHACL specification, and anything not translated is refused
(:class:`~mlcryst.errors.ShapesError`), never skipped. tests/test_shacl_store.py checks
that the verdicts equal pySHACL's on every corruption case of tests/shapes/ and on the
shipped graph.

Each :class:`Check` query returns one row per validation result: ``?this`` (the focus node),
``?value`` where SHACL reports a value, and, for SHACL-SPARQL constraints, the variables the
message template names.

>>> from mlcryst.shacl.report import load_shapes
>>> checks = compile_shapes(load_shapes())
>>> len(checks) > 100
True
>>> sorted({c.component for c in checks})[:3]
['Class', 'Datatype', 'Equals']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import cast

from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import RDFS, SH

from mlcryst.errors import ShapesError
from mlcryst.shacl.paths import focus_nodes, items, sparql_path, where
from mlcryst.shacl.terms import (
    NOT_PARAMETERS,
    PARAMETERS,
    datatype_test,
    language_test,
    member_test,
    node_kind_test,
    string,
    term,
)

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def _int(node: Node) -> int:
    """The value of an integer parameter (sh:minCount, sh:maxLength, ...): a literal, which
    rdflib types as any Node (the object of a triple)."""
    return int(cast(Literal, node))


@dataclass(frozen=True)
class Check:
    """One constraint of one targeted shape, as a SPARQL query that returns its results."""

    shape: Node  # the shape that reports (the property shape, or the node shape)
    path: Node | None  # its sh:path in the shapes graph (None at node level)
    component: str  # "MinCount", "SPARQL", ... (sh:<component>ConstraintComponent)
    constraint: Node | None  # the sh:SPARQLConstraint, for SHACL-SPARQL
    severity: URIRef
    message: str | None  # sh:message; SHACL-SPARQL templates name {?var}
    query: str
    has_value: bool  # the rows bind ?value

    @property
    def component_iri(self) -> URIRef:
        return SH[f"{self.component}ConstraintComponent"]


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self.count = 0
        self.prefixes = "".join(
            f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
            for d in sorted(
                shapes.objects(None, SH.declare), key=lambda d: str(shapes.value(d, SH.prefix))
            )
        )

    # --- helpers --------------------------------------------------------------------------

    def fresh(self, stem: str) -> str:
        self.count += 1
        return f"?{stem}{self.count}"

    def one(self, shape: Node, param: URIRef) -> Node:
        values = list(self.g.objects(shape, param))
        if len(values) != 1:
            raise ShapesError(
                f"{where(self.g, shape)}: needs exactly one {param.n3(self.g.namespace_manager)}"
            )
        return values[0]

    # --- constraints ----------------------------------------------------------------------

    def constraints(
        self, shape: Node, focus: str, top: bool = False
    ) -> Iterator[tuple[str, str, str | None]]:
        """(component, violation pattern, value variable) of each constraint of ``shape``.

        The pattern matches, for the focus node in variable ``focus``, each validation
        result (binding the value variable where SHACL reports a value). ``top``: the
        pattern is a whole query's (not inside EXISTS), so "no such triple" can be written
        as MINUS, which Oxigraph evaluates set-at-a-time (FILTER NOT EXISTS over a path
        with both ends bound is evaluated row by row: 5,000x slower on our author lists).
        """

        def absent(pattern: str) -> str:
            if top and re.search(r"[*+/^|]|\)\?", re.sub(r"<[^>]*>", "", pattern)):  # a path
                return f"MINUS {{ {pattern} }}"
            return f"FILTER NOT EXISTS {{ {pattern} }}"

        g = self.g
        path_node = g.value(shape, SH.path)
        # rdflib types a predicate as any Node; a parsed graph's predicates are IRIs (ordered)
        predicates = cast("set[URIRef]", set(g.predicates(shape, None)))
        for param in sorted(predicates - NOT_PARAMETERS - {SH.sparql}):
            if param not in PARAMETERS:
                raise ShapesError(
                    f"{where(self.g, shape)}: {param} is not supported by the "
                    "SPARQL translation of the shapes"
                )
        if path_node is not None:
            value = self.fresh("v")
            values = f"{focus} {sparql_path(self.g, path_node)} {value} ."
        else:
            value, values = focus, ""

        def each(component: str, condition: str) -> tuple[str, str, str | None]:
            """A value-based constraint: one result per value node failing ``condition``."""
            return component, f"{values} FILTER (!({condition}))", value

        for c in g.objects(shape, SH["class"]):
            yield "Class", f"{values} {absent(f'{value} a/<{RDFS.subClassOf}>* {term(c)}')}", value
        for d in g.objects(shape, SH.datatype):
            yield each("Datatype", datatype_test(value, d))
        for k in g.objects(shape, SH.nodeKind):
            yield each("NodeKind", node_kind_test(value, k))
        for lst in g.objects(shape, SH["in"]):
            yield each("In", member_test(value, items(self.g, lst)))
        for pat in g.objects(shape, SH.pattern):
            flags = g.value(shape, SH.flags)
            args = string(str(pat)) + (f", {string(str(flags))}" if flags else "")
            yield each("Pattern", f"!isBlank({value}) && REGEX(STR({value}), {args})")
        for param, op in (
            (SH.minInclusive, ">="),
            (SH.maxInclusive, "<="),
            (SH.minExclusive, ">"),
            (SH.maxExclusive, "<"),
        ):
            for bound in g.objects(shape, param):
                name = str(param).rsplit("#", 1)[-1]
                yield each(
                    name[0].upper() + name[1:], f"COALESCE({value} {op} {term(bound)}, false)"
                )
        for param, op in ((SH.minLength, ">="), (SH.maxLength, "<=")):
            for n in g.objects(shape, param):
                name = str(param).rsplit("#", 1)[-1]
                yield each(
                    name[0].upper() + name[1:],
                    f"!isBlank({value}) && COALESCE(STRLEN(STR({value})) {op} {_int(n)}, false)",
                )
        for lst in g.objects(shape, SH.languageIn):
            yield each("LanguageIn", language_test(value, items(self.g, lst)))
        for s in g.objects(shape, SH["not"]):
            yield each("Not", f"!({self.conforms(s, value)})")
        for lst in g.objects(shape, SH["and"]):
            yield each("And", " && ".join(self.conforms(s, value) for s in items(self.g, lst)))
        for lst in g.objects(shape, SH["or"]):
            members = [self.witness(s, value) for s in items(self.g, lst)]
            if top and all(members):  # each member holds when a pattern matches: MINUS each
                yield "Or", values + " ".join(f"MINUS {{ {m} }}" for m in members), value
            else:
                yield each("Or", " || ".join(self.conforms(s, value) for s in items(self.g, lst)))
        for lst in g.objects(shape, SH.xone):
            count = " + ".join(f"IF({self.conforms(s, value)}, 1, 0)" for s in items(self.g, lst))
            yield each("Xone", f"({count}) = 1")
        for s in g.objects(shape, SH.node):
            yield each("Node", self.conforms(s, value))
        for other in g.objects(shape, SH.equals):
            p = term(other)
            yield "Equals", f"{values} {absent(f'{focus} {p} {value}')}", value
            eq = self.fresh("e")
            yield "Equals", self.not_in_path(focus, path_node, p, eq, absent), eq
        for other in g.objects(shape, SH.disjoint):
            yield "Disjoint", f"{values} {focus} {term(other)} {value} .", value
        for param, op in ((SH.lessThan, "<"), (SH.lessThanOrEquals, "<=")):
            for other in g.objects(shape, param):
                o = self.fresh("o")
                name = str(param).rsplit("#", 1)[-1]
                yield (
                    name[0].upper() + name[1:],
                    f"{values} {focus} {term(other)} {o} . "
                    f"FILTER (!COALESCE({value} {op} {o}, false))",
                    value,
                )
        yield from self.counts(shape, focus, path_node, absent)

    def not_in_path(
        self, focus: str, path_node: Node | None, other: str, eq: str, absent: Callable[[str], str]
    ) -> str:
        """Values of ``focus other`` (in ``eq``) that are not values of the shape's path."""
        if path_node is None:
            return f"{focus} {other} {eq} . FILTER (!sameTerm({eq}, {focus}))"
        return f"{focus} {other} {eq} . {absent(f'{focus} {sparql_path(self.g, path_node)} {eq}')}"

    def counts(
        self, shape: Node, focus: str, path_node: Node | None, absent: Callable[[str], str]
    ) -> Iterator[tuple[str, str, str | None]]:
        """Cardinality constraints: one result per focus node, no value."""
        g = self.g
        if path_node is None:
            if any(
                (shape, p, None) in g
                for p in (
                    SH.minCount,
                    SH.maxCount,
                    SH.uniqueLang,
                    SH.hasValue,
                    SH.qualifiedValueShape,
                )
            ):
                hv = list(g.objects(shape, SH.hasValue))
                if len(hv) == 1 and not any(
                    (shape, p, None) in g
                    for p in (SH.minCount, SH.maxCount, SH.uniqueLang, SH.qualifiedValueShape)
                ):
                    yield "HasValue", f"FILTER (!sameTerm({focus}, {term(hv[0])}))", None
                    return
                raise ShapesError(f"{where(self.g, shape)}: cardinality needs a sh:path")
            return
        path = sparql_path(self.g, path_node)
        for n in g.objects(shape, SH.minCount):
            if _int(n) > 1:
                raise ShapesError(f"{where(self.g, shape)}: sh:minCount above 1 is not supported")
            if _int(n) == 1:
                yield "MinCount", absent(f"{focus} {path} {self.fresh('m')}"), None
        for n in g.objects(shape, SH.maxCount):
            yield "MaxCount", self.more_than(focus, path, _int(n), "true"), None
        for x in g.objects(shape, SH.hasValue):
            yield "HasValue", absent(f"{focus} {path} {term(x)}"), None
        if g.value(shape, SH.uniqueLang) == Literal(True):
            a, b = self.fresh("l"), self.fresh("l")
            yield (
                "UniqueLang",
                (
                    f"{focus} {path} {a} . {focus} {path} {b} . FILTER "
                    f'(!sameTerm({a}, {b}) && LANG({a}) != "" && '
                    f"LANG({a}) = LANG({b}))"
                ),
                None,
            )
        for q in g.objects(shape, SH.qualifiedValueShape):
            if g.value(shape, SH.qualifiedValueShapesDisjoint) == Literal(True):
                raise ShapesError(
                    f"{where(self.g, shape)}: sh:qualifiedValueShapesDisjoint is not supported"
                )
            for n in g.objects(shape, SH.qualifiedMinCount):
                if _int(n) > 1:
                    raise ShapesError(
                        f"{where(self.g, shape)}: sh:qualifiedMinCount above 1 is not supported"
                    )
                if _int(n) == 1:
                    v = self.fresh("q")
                    yield (
                        "QualifiedMinCount",
                        absent(f"{focus} {path} {v} . FILTER ({self.conforms(q, v)})"),
                        None,
                    )
            for n in g.objects(shape, SH.qualifiedMaxCount):

                def conforms_q(v: str, q: Node = q) -> str:
                    return self.conforms(q, v)

                yield (
                    "QualifiedMaxCount",
                    self.more_than(focus, path, _int(n), conforms_q),
                    None,
                )

    def more_than(
        self, focus: str, path: str, n: int, condition: str | Callable[[str], str]
    ) -> str:
        """A pattern that matches when ``focus`` has more than ``n`` (0 or 1) such values."""
        test = condition if callable(condition) else (lambda _v: condition)
        if n == 0:
            v = self.fresh("c")
            return f"{focus} {path} {v} . FILTER ({test(v)})"
        if n == 1:
            a, b = self.fresh("c"), self.fresh("c")
            return (
                f"{focus} {path} {a} . {focus} {path} {b} . "
                f"FILTER (!sameTerm({a}, {b}) && {test(a)} && {test(b)})"
            )
        raise ShapesError(f"a maximum count above 1 is not supported ({n})")

    def conforms(self, shape: Node, var: str) -> str:
        """A SPARQL expression, true when the node in ``var`` conforms to ``shape``."""
        if (shape, SH.sparql, None) in self.g:
            raise ShapesError(
                f"{where(self.g, shape)}: SHACL-SPARQL inside sh:node/sh:or/... is not supported"
            )
        witness = self.witness(shape, var)
        if witness is not None:
            return f"EXISTS {{ {witness} }}"
        parts = [f"NOT EXISTS {{ {pattern} }}" for _, pattern, _ in self.constraints(shape, var)]
        for prop in self.g.objects(shape, SH.property):
            parts += [
                f"NOT EXISTS {{ {pattern} }}" for _, pattern, _ in self.constraints(prop, var)
            ]
        return "(" + (" && ".join(parts) or "true") + ")"

    def witness(self, shape: Node, var: str) -> str | None:
        """A pattern that matches exactly when ``var`` conforms to ``shape``, for the simple
        shapes that say "has a type" (one sh:class) or "has a value" (a path, sh:minCount 1);
        None for any other shape."""
        params = set(self.g.predicates(shape, None)) - NOT_PARAMETERS
        if self.g.value(shape, SH.property) is not None:
            return None
        path = self.g.value(shape, SH.path)
        if (
            path is None
            and params == {SH["class"]}
            and len(list(self.g.objects(shape, SH["class"]))) == 1
        ):
            the_class = cast(Node, self.g.value(shape, SH["class"]))  # there is one (above)
            return f"{var} a/<{RDFS.subClassOf}>* {term(the_class)}"
        if (
            path is not None
            and params == {SH.minCount}
            and self.g.value(shape, SH.minCount) == Literal(1)
        ):
            return f"{var} {sparql_path(self.g, path)} {self.fresh('w')}"
        return None

    # --- whole checks ---------------------------------------------------------------------

    def severity(self, shape: Node) -> URIRef:
        value = self.g.value(shape, SH.severity)
        return value if isinstance(value, URIRef) else SH.Violation

    def message(self, node: Node) -> str | None:
        value = self.g.value(node, SH.message)
        return None if value is None else str(value)

    def checks(self, node_shape: Node) -> Iterator[Check]:
        targets = focus_nodes(self.g, node_shape)
        for shape in [node_shape, *self.g.objects(node_shape, SH.property)]:
            if self.g.value(shape, SH.deactivated) == Literal(True):
                continue
            path = self.g.value(shape, SH.path) if shape != node_shape else None
            for component, pattern, value in self.constraints(shape, "?this", top=True):
                select = "?this" + (
                    f" ({value} AS ?value)"
                    if value and value != "?this"
                    else " (?this AS ?value)"
                    if value
                    else ""
                )
                yield Check(
                    shape,
                    path,
                    component,
                    None,
                    self.severity(shape),
                    self.message(shape),
                    f"{self.prefixes}SELECT DISTINCT {select} WHERE {{ {targets} {pattern} }}",
                    value is not None,
                )
            for sparql in self.g.objects(shape, SH.sparql):
                yield self.sparql(shape, path, sparql, targets)

    def sparql(self, shape: Node, path: Node | None, constraint: Node, targets: str) -> Check:
        select = str(self.one(constraint, SH.select))
        for var in ("$currentShape", "$shapesGraph"):
            if var in select:
                raise ShapesError(f"{where(self.g, shape)}: {var} is not supported")
        if path is not None:
            select = select.replace("$PATH", sparql_path(self.g, path))
        elif "$PATH" in select:
            raise ShapesError(f"{where(self.g, shape)}: $PATH in a node shape's SPARQL constraint")
        has_value = re.search(r"[?$]value\b", select.split("WHERE", 1)[0]) is not None
        query = f"{self.prefixes}SELECT * WHERE {{ {{ {targets} }} {{ {select} }} }}"
        message = self.message(constraint) or self.message(shape)
        return Check(
            shape, path, "SPARQL", constraint, self.severity(shape), message, query, has_value
        )


def compile_shapes(shapes: Graph) -> list[Check]:
    """Every constraint of every targeted shape in ``shapes``, as a :class:`Check`."""
    compiler = _Compiler(shapes)
    targeted = sorted({s for t in TARGETS for s in shapes.subjects(t, None)}, key=str)
    out: list[Check] = []
    for shape in targeted:
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        if isinstance(shape, BNode):
            raise ShapesError(f"a targeted shape must be named (an IRI): {shape}")
        out.extend(compiler.checks(shape))
    return out
