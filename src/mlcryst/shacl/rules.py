"""What every validation path checks of a shapes graph before it runs: which shapes have
focus nodes, that no shape refers to itself, and the SHACL-SPARQL rules of the specification.

Both paths (pySHACL on rdflib, :mod:`mlcryst.shacl.report`; the compiled queries on
Oxigraph, :mod:`mlcryst.shacl.compiled`) call :func:`check_shapes`, so a shapes graph is
refused the same way on both.

>>> from rdflib import Graph
>>> g = Graph().parse(data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
...     ex:S sh:targetNode ex:a ; sh:node ex:T . ex:T sh:property [ sh:path ex:p ; sh:node ex:S ] .
... ''', format="turtle")
>>> check_shapes(g)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
mlcryst.errors.RecursiveShapes: shape https://example.org/S refers to itself (...
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal, Node
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from mlcryst.errors import InvalidShapes, RecursiveShapes

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
#: shape -> shape references (a list of shapes for sh:and, sh:or, sh:xone)
REFERENCES = (SH.node, SH.property, SH["not"], SH.qualifiedValueShape)
LISTS = (SH["and"], SH["or"], SH.xone)


def is_shape(g: Graph, node: Node) -> bool:
    return (node, RDF.type, SH.NodeShape) in g or (node, RDF.type, SH.PropertyShape) in g


def implicit_class(g: Graph, node: Node) -> bool:
    """``node`` is a shape and a class: it targets its own instances (SHACL 2.1.3.3)."""
    return is_shape(g, node) and (
        (node, RDF.type, RDFS.Class) in g or (node, RDF.type, OWL.Class) in g
    )


def targeted_shapes(g: Graph) -> list[Node]:
    """The shapes that have focus nodes: explicit targets, or implicit class targets."""
    found = {s for t in TARGETS for s in g.subjects(t, None)}
    found |= {s for s in g.subjects(RDF.type, None) if implicit_class(g, s)}
    return sorted(found, key=lambda n: (type(n).__name__, str(n)))


def referenced(g: Graph, shape: Node) -> list[Node]:
    """The shapes ``shape`` refers to directly."""
    out = [o for p in REFERENCES for o in g.objects(shape, p)]
    for p in LISTS:
        for lst in g.objects(shape, p):
            out.extend(Collection(g, lst))
    return out


def check_recursion(g: Graph) -> None:
    """Refuse a shape that refers to itself (:class:`~mlcryst.errors.RecursiveShapes`)."""
    done: set[Node] = set()

    def visit(shape: Node, stack: list[Node]) -> None:
        if shape in stack:
            cycle = stack[stack.index(shape) :]
            names = " -> ".join(str(s) for s in cycle[:3])
            raise RecursiveShapes(
                f"shape {shape} refers to itself ({names} -> ...); "
                "SHACL leaves recursive shapes undefined"
            )
        if shape in done:
            return
        stack.append(shape)
        for inner in referenced(g, shape):
            visit(inner, stack)
        stack.pop()
        done.add(shape)

    for shape in targeted_shapes(g):
        visit(shape, [])


#: variables SHACL-SPARQL pre-binds
PRE_BOUND = ("this", "shapesGraph", "currentShape", "value", "PATH")


def sparql_problem(text: str) -> str | None:
    """Why a SHACL-SPARQL query breaks the rules of SHACL 5.6.1 (None if it keeps them): no
    MINUS, VALUES or SERVICE, no ``AS ?var`` for a pre-bound variable, and every sub-query
    returns ``$this``. Read from the tokens (strings, IRIs and comments do not count)."""
    from mlcryst.sparql.guard import tokenize

    tokens = list(tokenize(text))
    words = [t.text.upper() if t.kind == "word" else t.text for t in tokens]
    for bad in ("MINUS", "VALUES", "SERVICE"):
        if bad in words:
            return f"{bad} is not allowed in SHACL-SPARQL"
    for i, w in enumerate(words):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if w == "AS" and nxt is not None and nxt.kind == "var" and nxt.text[1:] in PRE_BOUND:
            return f"AS {tokens[i + 1].text}: a pre-bound variable cannot be assigned"
    selects = [i for i, w in enumerate(words) if w == "SELECT"]
    for i in selects[1:]:  # a sub-query must return $this (SHACL: all pre-bound variables)
        projection: list[str] = []
        for t in tokens[i + 1 :]:
            if t.text == "{" or t.text.upper() == "WHERE":
                break
            projection.append(t.text)
        if "*" not in projection and not any(re.fullmatch(r"[?$]this", p) for p in projection):
            return "a sub-query must return $this"
    return None


def check_sparql(g: Graph) -> None:
    """Refuse SHACL-SPARQL that breaks the rules of the specification."""
    for constraint, text in g.subject_objects(SH.select):
        problem = sparql_problem(str(text))
        if problem is not None:
            owner = next(g.subjects(SH.sparql, constraint), constraint)
            raise InvalidShapes(f"shape {owner}: its SPARQL is invalid: {problem}")


def check_shapes(g: Graph) -> None:
    """Everything both paths refuse before validating (see the module docstring)."""
    check_recursion(g)
    check_sparql(g)


TRUE = Literal(True)


def activated(g: Graph, parameter: Node, value: Node) -> bool:
    """A boolean parameter (sh:uniqueLang, sh:closed, ...) holds only as ``true``
    (``"1"^^xsd:boolean`` is a different literal and leaves it off)."""
    return (
        isinstance(value, Literal)
        and value.datatype == XSD.boolean
        and str(value) == "true"
        and parameter is not None
    )


def normalised(g: Graph) -> Graph:
    """The shapes graph as mlcryst gives it to pySHACL: boolean parameters that are not
    ``true`` (pySHACL reads ``"1"^^xsd:boolean`` as true; SHACL does not) removed."""
    off = [
        (s, p, o)
        for p in (SH.uniqueLang, SH.closed, SH.qualifiedValueShapesDisjoint, SH.deactivated)
        for s, o in g.subject_objects(p)
        if not activated(g, p, o)
    ]
    if not off:
        return g
    out = Graph(namespace_manager=g.namespace_manager)
    out += g
    for triple in off:
        out.remove(triple)
    return out


def only_targets_of(g: Graph, keep: list[Node]) -> Graph:
    """A copy of the shapes graph in which only the shapes ``keep`` have focus nodes: the
    targets of every other targeted shape removed (its implicit class target too). The
    shapes stay, so that ``keep`` can still refer to them."""
    out = Graph(namespace_manager=g.namespace_manager)
    out += g
    for shape in targeted_shapes(g):
        if shape in keep:
            continue
        for t in TARGETS:
            out.remove((shape, t, None))
        for c in (RDFS.Class, OWL.Class):
            out.remove((shape, RDF.type, c))
    return out
