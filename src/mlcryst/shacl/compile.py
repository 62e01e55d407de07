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

from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import OWL, RDFS, SH, XSD

from mlcryst.errors import InvalidShapes, QueryError, RecursiveShapes, ShapesError
from mlcryst.shacl.paths import focus_nodes, items, sparql_path, where
from mlcryst.shacl.rules import check_shapes, targeted_shapes
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
SHACL = str(SH)


def _is_true(node: Node | None) -> bool:
    """``node`` is ``"true"^^xsd:boolean`` itself (rdflib's Literal equality would also
    take ``"1"^^xsd:boolean``, which SHACL does not read as true)."""
    return isinstance(node, Literal) and node.datatype == XSD.boolean and str(node) == "true"


class NotCompiled(ShapesError):
    """A shape uses something the translation does not express: it is checked by pySHACL."""


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
    row_path: bool = False  # the rows bind ?path: the result path (sh:closed, SHACL-SPARQL)
    #: SHACL-SPARQL run once per focus node with $this pre-bound (the query of the focus
    #: nodes is ``targets``); empty: ``query`` is set-at-a-time
    targets: str = ""
    value_is_focus: bool = False  # no ?value in a row: the value is the focus node

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
        #: parameters of the constraint components the shapes graph declares
        self.custom = {
            p
            for parameter in shapes.objects(None, SH.parameter)
            for p in shapes.objects(parameter, SH.path)
        }
        self.targets: str = ""  # the focus nodes of the check being compiled

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
            if param in PARAMETERS:
                continue
            if str(param).startswith(SHACL) or param in self.custom:
                raise NotCompiled(
                    f"{where(self.g, shape)}: {param} is not supported by the "
                    "SPARQL translation of the shapes"
                )
            # any other property is an annotation (rdfs:seeAlso, skos:definition, ...):
            # SHACL ignores it
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
                yield "MinCount", self.fewer_than(focus, path, _int(n), "true"), None
            if _int(n) == 1:
                yield "MinCount", absent(f"{focus} {path} {self.fresh('m')}"), None
        for n in g.objects(shape, SH.maxCount):
            yield "MaxCount", self.more_than(focus, path, _int(n), "true"), None
        for x in g.objects(shape, SH.hasValue):
            yield "HasValue", absent(f"{focus} {path} {term(x)}"), None
        if _is_true(g.value(shape, SH.uniqueLang)):
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
            siblings: list[Node] = []
            if _is_true(g.value(shape, SH.qualifiedValueShapesDisjoint)):
                siblings = [
                    s
                    for parent in g.subjects(SH.property, shape)
                    for sibling in g.objects(parent, SH.property)
                    if sibling != shape
                    for s in g.objects(sibling, SH.qualifiedValueShape)
                ]

            def conforms_q(v: str, q: Node = q, siblings: list[Node] = siblings) -> str:
                others = "".join(f" && !({self.conforms(s, v)})" for s in siblings)
                return f"({self.conforms(q, v)}{others})"

            for n in g.objects(shape, SH.qualifiedMinCount):
                if _int(n) == 1:
                    v = self.fresh("q")
                    yield (
                        "QualifiedMinCount",
                        absent(f"{focus} {path} {v} . FILTER ({conforms_q(v)})"),
                        None,
                    )
                elif _int(n) > 1:
                    yield (
                        "QualifiedMinCount",
                        self.fewer_than(focus, path, _int(n), conforms_q),
                        None,
                    )
            for n in g.objects(shape, SH.qualifiedMaxCount):
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
        return self.counted(focus, path, test, f"> {n}")

    def fewer_than(
        self, focus: str, path: str, n: int, condition: str | Callable[[str], str]
    ) -> str:
        """A pattern that matches when ``focus`` has fewer than ``n`` (> 1) such values."""
        test = condition if callable(condition) else (lambda _v: condition)
        return self.counted(focus, path, test, f"< {n}")

    def counted(self, focus: str, path: str, test: Callable[[str], str], compare: str) -> str:
        """The focus nodes whose number of values passing ``test`` is ``compare`` (a count
        above 1): counted over the focus nodes of the check (a whole query's pattern only;
        inside sh:node, sh:or, ... a count above 1 is not translated)."""
        if focus != "?this" or not self.targets:
            raise NotCompiled(f"a count above 1 inside another shape is not translated ({compare})")
        c, k = self.fresh("c"), self.fresh("k")
        return (
            f"{{ SELECT ?this (COUNT(DISTINCT {c}) AS {k}) WHERE {{ {self.targets} "
            f"OPTIONAL {{ ?this {path} {c} . FILTER ({test(c)}) }} }} GROUP BY ?this }} "
            f"FILTER ({k} {compare})"
        )

    def conforms(self, shape: Node, var: str) -> str:
        """A SPARQL expression, true when the node in ``var`` conforms to ``shape``."""
        g = self.g
        if _is_true(g.value(shape, SH.deactivated)):
            return "true"  # a deactivated shape: every node conforms (SHACL 2.1.5)
        if (shape, SH.sparql, None) in g:
            raise NotCompiled(
                f"{where(g, shape)}: SHACL-SPARQL inside sh:node/sh:or/... is not translated"
            )
        saved, self.targets = self.targets, ""  # counts above 1 are whole-query patterns
        try:
            witness = self.witness(shape, var)
            if witness is not None:
                return f"EXISTS {{ {witness} }}"
            parts = [
                f"NOT EXISTS {{ {pattern} }}" for _, pattern, _ in self.constraints(shape, var)
            ]
            closed = self.closed(shape, var, self.fresh("p"), self.fresh("o"))
            if closed is not None:
                parts.append(f"NOT EXISTS {{ {closed} }}")
            path = g.value(shape, SH.path)
            for prop in g.objects(shape, SH.property):
                if path is None:
                    parts.append(self.conforms(prop, var))
                else:  # a property shape's property shapes apply to each of its values
                    v = self.fresh("n")
                    parts.append(
                        f"NOT EXISTS {{ {var} {sparql_path(g, path)} {v} . "
                        f"FILTER (!{self.conforms(prop, v)}) }}"
                    )
            return "(" + (" && ".join(parts) or "true") + ")"
        finally:
            self.targets = saved

    def closed(self, shape: Node, var: str, p: str, o: str) -> str | None:
        """sh:closed: the triples of ``var`` whose predicate (``p``, the result path) no
        property shape of ``shape`` names nor sh:ignoredProperties lists (None: not closed)."""
        g = self.g
        if not _is_true(g.value(shape, SH.closed)):
            return None
        if g.value(shape, SH.path) is not None:
            raise NotCompiled(f"{where(g, shape)}: sh:closed on a property shape")
        allowed: list[Node] = [
            path
            for prop in g.objects(shape, SH.property)
            if isinstance(path := g.value(prop, SH.path), URIRef)
        ]
        for lst in g.objects(shape, SH.ignoredProperties):
            allowed += items(g, lst)
        test = ", ".join(term(a) for a in sorted(set(allowed), key=str))
        return f"{var} {p} {o} ." + (f" FILTER ({p} NOT IN ({test}))" if test else "")

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

    def checks(self, shape: Node, targets: str) -> Iterator[Check]:
        """The checks of ``shape`` on the focus nodes that ``targets`` binds to ?this, and of
        its property shapes (on its value nodes: the focus nodes, for a node shape)."""
        g = self.g
        if _is_true(g.value(shape, SH.deactivated)):
            return
        path = g.value(shape, SH.path)
        self.targets = targets
        for component, pattern, value in self.constraints(shape, "?this", top=True):
            self.targets = targets
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
        self.targets = ""
        closed = self.closed(shape, "?this", "?path", "?value")
        if closed is not None:
            yield Check(
                shape, None, "Closed", None, self.severity(shape), self.message(shape),
                f"{self.prefixes}SELECT DISTINCT ?this ?path ?value WHERE {{ {targets} {closed} }}",
                True, row_path=True,
            )  # fmt: skip
        for sparql in g.objects(shape, SH.sparql):
            if _is_true(g.value(sparql, SH.deactivated)):
                continue
            yield self.sparql(shape, path, sparql, targets)
        if path is None:
            inner = targets
        else:
            f = self.fresh("f")
            inner = (
                f"{{ SELECT DISTINCT ?this WHERE {{ "
                f"{{ SELECT (?this AS {f}) WHERE {{ {targets} }} }} "
                f"{f} {sparql_path(g, path)} ?this . }} }}"
            )
        for prop in g.objects(shape, SH.property):
            yield from self.checks(prop, inner)

    def sparql(self, shape: Node, path: Node | None, constraint: Node, targets: str) -> Check:
        select = str(self.one(constraint, SH.select))
        for var in ("currentShape", "shapesGraph"):
            if re.search(r"[?$]" + var + r"\b", select):
                raise NotCompiled(f"{where(self.g, shape)}: ${var} is not translated")
        if path is not None:
            select = select.replace("$PATH", sparql_path(self.g, path))
        elif "$PATH" in select:
            raise InvalidShapes(
                f"{where(self.g, shape)}: $PATH in a node shape's SPARQL constraint"
            )
        head = select.split("WHERE", 1)[0]
        has_value = re.search(r"[?$]value\b", head) is not None or "*" in head
        row_path = re.search(r"[?$]path\b", head) is not None or "*" in head
        prefixes = self.sparql_prefixes(constraint)
        message = self.message(constraint) or self.message(shape)
        severity = self.severity(shape)
        if joinable(select):
            query = f"{prefixes}SELECT * WHERE {{ {{ {targets} }} {{ {select} }} }}"
            return Check(
                shape, path, "SPARQL", constraint, severity, message, query, has_value,
                row_path=row_path, value_is_focus=path is None,
            )  # fmt: skip
        # Oxigraph's substitution joins rather than pre-binds ($this stays unbound in a BIND
        # or a nested group), so pre-binding there is left to pySHACL
        raise NotCompiled(
            f"{where(self.g, shape)}: its SPARQL needs $this pre-bound outside the triple "
            "patterns of its WHERE group"
        )

    def sparql_prefixes(self, constraint: Node) -> str:
        """The PREFIX lines of a SHACL-SPARQL constraint: its sh:prefixes declarations (all
        declarations of the shapes graph when it names none)."""
        g = self.g
        owners = list(g.objects(constraint, SH.prefixes))
        if not owners:
            return self.prefixes
        seen: set[Node] = set()
        declared: dict[str, str] = {}
        while owners:
            owner = owners.pop()
            if owner in seen:
                continue
            seen.add(owner)
            owners.extend(g.objects(owner, OWL.imports))
            for d in g.objects(owner, SH.declare):
                declared[str(g.value(d, SH.prefix))] = str(g.value(d, SH.namespace))
        return "".join(f"PREFIX {p}: <{n}>\n" for p, n in sorted(declared.items()))


def joinable(select: str) -> bool:
    """Whether ``$this`` pre-bound in ``select`` (SHACL 5.6.1) gives the same rows as
    ``select`` joined with the focus nodes: ``$this`` is in a triple pattern of the WHERE
    group itself, and the query has no nested group (OPTIONAL, UNION, GRAPH, a sub-query)
    other than FILTER [NOT] EXISTS, where the value is substituted as pre-binding does.
    Otherwise the query runs once per focus node with ``$this`` substituted."""
    from mlcryst.sparql.guard import tokenize

    tokens = list(tokenize(select))
    depth = parens = 0
    in_where = False
    bound_at_top = False
    exists_depths: list[int] = []
    previous = ""
    for t in tokens:
        word = t.text.upper() if t.kind == "word" else t.text
        if word in ("OPTIONAL", "UNION", "GRAPH", "SELECT") and in_where:
            return False
        if t.text == "{":
            depth += 1
            if depth == 1:
                in_where = True
            elif previous == "EXISTS":
                exists_depths.append(depth)
            elif not exists_depths:
                return False  # a nested group
        elif t.text == "}":
            if exists_depths and exists_depths[-1] == depth:
                exists_depths.pop()
            depth -= 1
        elif t.text == "(":
            parens += 1
        elif t.text == ")":
            parens -= 1
        elif t.kind == "var" and t.text[1:] == "this" and in_where and depth == 1 and not parens:
            bound_at_top = True
        previous = word
    return bound_at_top


@dataclass(frozen=True)
class Plan:
    """How each targeted shape is validated: its compiled checks, or pySHACL (with why)."""

    checks: tuple[Check, ...]
    compiled: tuple[Node, ...]
    fallback: dict[Node, str]


def compile_plan(shapes: Graph) -> Plan:
    """Every targeted shape compiled to :class:`Check` queries, or left to pySHACL with the
    reason when the translation does not express it. Refused (for both paths, see
    :mod:`mlcryst.shacl.rules`): recursive shapes, SHACL-SPARQL that breaks SHACL's rules."""
    check_shapes(shapes)
    compiler = _Compiler(shapes)
    checks: list[Check] = []
    compiled: list[Node] = []
    fallback: dict[Node, str] = {}
    for shape in targeted_shapes(shapes):
        if _is_true(shapes.value(shape, SH.deactivated)):
            compiled.append(shape)
            continue
        try:
            mine = list(compiler.checks(shape, focus_nodes(shapes, shape)))
        except (RecursiveShapes, InvalidShapes, QueryError):
            raise
        except ShapesError as exc:
            fallback[shape] = str(exc)
            continue
        checks.extend(mine)
        compiled.append(shape)
    return Plan(tuple(checks), tuple(compiled), fallback)


def compile_shapes(shapes: Graph) -> list[Check]:
    """Every constraint of every targeted shape in ``shapes``, as a :class:`Check`; a shape
    the translation does not express is refused (:class:`~mlcryst.errors.ShapesError`)."""
    plan = compile_plan(shapes)
    if plan.fallback:
        raise ShapesError(next(iter(plan.fallback.values())))
    return list(plan.checks)
