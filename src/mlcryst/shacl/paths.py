"""SHACL property paths and targets written as SPARQL, for :mod:`mlcryst.shacl.compile`.

>>> from rdflib import Graph
>>> g = Graph().parse(data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
...     ex:S sh:targetClass ex:Paper ; sh:property [ sh:path ( ex:a [ sh:inversePath ex:b ] ) ] .
... ''', format="turtle")
>>> shape = URIRef("https://example.org/S")
>>> print(sparql_path(g, g.value(g.value(shape, SH.property), SH.path)))
(<https://example.org/a>/(^<https://example.org/b>))
>>> print(focus_nodes(g, shape))
{ ?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <https://example.org/Paper> . }
"""

from __future__ import annotations

from rdflib import Graph, Node, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

from mlcryst.errors import ShapesError
from mlcryst.shacl.terms import term


def where(g: Graph, node: Node) -> str:
    """How an error message names a shape."""
    label = g.value(node, RDFS.label) or g.value(node, SH.name)
    return f"shape {label or node}"


def items(g: Graph, node: Node) -> list[Node]:
    """The members of an RDF list in the shapes graph."""
    return list(Collection(g, node))


def sparql_path(g: Graph, node: Node) -> str:
    """A SHACL property path as a SPARQL property path."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if (node, RDF.first, None) in g:
        return "(" + "/".join(sparql_path(g, p) for p in items(g, node)) + ")"
    for key, fmt in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = g.value(node, key)
        if inner is not None:
            return "(" + fmt.format(sparql_path(g, inner)) + ")"
    alternatives = g.value(node, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(sparql_path(g, p) for p in items(g, alternatives)) + ")"
    raise ShapesError(f"not a SHACL path: {node}")


def focus_nodes(g: Graph, shape: Node) -> str:
    """A group pattern binding ?this to each focus node of ``shape``."""
    from mlcryst.shacl.rules import implicit_class

    parts = []
    classes = list(g.objects(shape, SH.targetClass))
    if implicit_class(g, shape):
        classes.append(shape)
    for c in classes:
        parts.append(f"?this a/<{RDFS.subClassOf}>* {term(c)} .")
    for n in g.objects(shape, SH.targetNode):
        parts.append(f"VALUES ?this {{ {term(n)} }}")
    for p in g.objects(shape, SH.targetSubjectsOf):
        parts.append(f"?this {term(p)} [] .")
    for p in g.objects(shape, SH.targetObjectsOf):
        parts.append(f"[] {term(p)} ?this .")
    for t in g.objects(shape, SH.target):
        select = g.value(t, SH.select)
        if (t, RDF.type, SH.SPARQLTarget) not in g or select is None:
            raise ShapesError(f"{where(g, shape)}: only SPARQL targets (sh:select) are supported")
        parts.append(f"{{ {select} }}")
    # a node reached by two targets (a list cell is the subject of rdf:first and of
    # rdf:rest) is one focus node, checked once: each target keeps only the nodes that
    # no earlier one reached (cheaper on Oxigraph than a DISTINCT over the union)
    branches = []
    for k, part in enumerate(parts):
        earlier = "".join(f" FILTER NOT EXISTS {{ {p} }}" for p in parts[:k])
        branches.append(f"{{ {part}{earlier} }}")
    return " UNION ".join(branches)
