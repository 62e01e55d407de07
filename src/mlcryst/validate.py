"""Stage 3: check the graph against the SHACL shapes in ``shapes/`` (pyshacl).

Violations are reported the way a curator knows the data: the paper (Table 1 row and short
citation) or other record, the data field, and what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import RDFS, SH

from .errors import DataError, ValidationFailed
from .namespaces import CSVW, PROV
from .resources import resource_dir

#: predicate local name -> the field a curator edits (data/*.yaml)
FIELD_NAMES = {
    "hasPublicationYear": "year",
    "volume": "volume",
    "startingPage": "pages (first)",
    "endingPage": "pages (last)",
    "isPartOf": "journal",
    "creator": "authors",
    "authorList": "authors",
    "bibliographicCitation": "citation",
    "problemStatement": "problem",
    "approachStatement": "approach",
    "usesMethod": "approach (tags)",
    "addressesProblem": "problem (tags)",
    "citesAsDataSource": "data_sources",
    "familyName": "author name",
    "name": "name",
}


@dataclass(frozen=True)
class Violation:
    """One SHACL result, described for people."""

    focus: str  # IRI of the focus node
    what: str  # "Table 1 row 18, Iorger & Sacchettini (2002)" or the node's label
    field: str  # the data field (or the property CURIE)
    message: str
    value: str | None
    severity: str  # Violation | Warning | Info
    shape: str

    def __str__(self) -> str:
        value = f" (value: {self.value})" if self.value is not None else ""
        return f"{self.what}: {self.field}: {self.message}{value}"


def load_shapes(folder: Path | None = None) -> Graph:
    folder = folder or resource_dir("shapes")
    shapes = Graph()
    for path in sorted(folder.glob("*.ttl")):
        try:
            shapes.parse(path, format="turtle")
        except Exception as exc:  # rdflib parser errors come in many types
            raise DataError(f"not valid Turtle: {exc}", file=str(path)) from exc
    return shapes


def describe(graph: Graph, node: Node) -> str:
    """A name for a focus node that a curator recognises."""
    label = graph.value(node, RDFS.label)
    row = graph.value(node, PROV.wasDerivedFrom)
    rownum = graph.value(row, CSVW.rownum) if row is not None else None
    text = str(label) if label is not None else _short(graph, node)
    if rownum is not None:
        return f"Table 1 row {rownum}, {text}"
    if label is not None and isinstance(node, URIRef):
        return f"{text} <{_short(graph, node)}>"
    return text


def _short(graph: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.curie(str(node), generate=False)
        except (ValueError, KeyError):
            return str(node)
    return str(node)


def validate(graph: Graph, shapes: Graph | None = None) -> list[Violation]:
    """All SHACL results for ``graph`` (empty when it conforms), sorted."""
    from pyshacl import validate as shacl_validate

    shapes = shapes if shapes is not None else load_shapes()
    _, report, _ = shacl_validate(graph, shacl_graph=shapes, inference="none", advanced=True,
                                  allow_warnings=True)
    out: list[Violation] = []
    for result in report.subjects(predicate=SH.focusNode):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        severity = report.value(result, SH.resultSeverity)
        message = report.value(result, SH.resultMessage)
        shape = report.value(result, SH.sourceShape)
        local = ""
        if isinstance(path, URIRef):
            local = str(path).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        field = FIELD_NAMES.get(local) or (_short(graph, path) if path is not None else "-")
        out.append(Violation(
            str(focus), describe(graph, focus) if focus is not None else "?", field,
            str(message) if message is not None else "violates a constraint",
            None if value is None else (str(value) if isinstance(value, Literal)
                                        else _short(graph, value)),
            str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            _short(shapes, shape) if shape is not None else ""))
    return sorted(set(out), key=lambda v: (v.what, v.field, v.message, v.value or ""))


def check(graph: Graph, shapes: Graph | None = None) -> list[Violation]:
    """Raise :class:`ValidationFailed` on any violation; return warnings otherwise."""
    results = validate(graph, shapes)
    errors = [v for v in results if v.severity == "Violation"]
    if errors:
        raise ValidationFailed(errors)  # type: ignore[arg-type]
    return results
