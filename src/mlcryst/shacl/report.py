"""Stage 3: check the graph against the SHACL shapes in ``shapes/`` (pyshacl).

Violations are reported the way a curator knows the data: the paper (Table 1 row and short
citation) or other record, the data field, and what is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH

from mlcryst.errors import DataError, QueryError, ShapesError, ValidationFailed
from mlcryst.namespaces import BIBO, CSVW
from mlcryst.resources import resource_dir
from mlcryst.sparql.guard import guard, parse_checked

if TYPE_CHECKING:
    from collections.abc import Mapping

    from rdflib.plugins.sparql.sparql import Query
    from rdflib.query import Processor, Result
    from rdflib.term import Identifier

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
    "rownum": "row",
    "row": "row",
    "pageRange": "pages",
    "doi": "doi",
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


@dataclass(frozen=True)
class ShapeResult:
    """One SHACL validation result, as a sh:ValidationReport states it (rdflib terms); the
    path is a node of the shapes graph (or the predicate, for sh:closed)."""

    focus: Node
    path: Node | None
    component: URIRef  # sh:...ConstraintComponent
    value: Node | None
    severity: URIRef
    shape: Node  # sh:sourceShape
    constraint: Node | None  # sh:sourceConstraint (SHACL-SPARQL)
    message: str | None


@dataclass
class ValidationRun:
    """The results of one validation and which shapes ran where: ``compiled`` (SPARQL on the
    store) or ``fallback`` (pySHACL, with the reason the compiler gave); on the rdflib store
    every shape is checked by pySHACL (``pyshacl``). Every targeted shape is in one of them."""

    results: list[ShapeResult]
    compiled: list[Node]
    fallback: dict[Node, str]
    pyshacl: list[Node] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """SHACL's sh:conforms: no result at all (warnings included)."""
        return not self.results

    def summary(self, shapes: Graph | None = None) -> str:
        """Where the shapes ran, for people (shape names under ``shapes``' prefixes)."""
        if self.pyshacl:
            return f"{len(self.pyshacl)} shape(s) checked by pySHACL"
        name = (lambda s: shape_name(shapes, s)) if shapes is not None else str
        return (
            f"{len(self.compiled)} shape(s) compiled to SPARQL, "
            f"{len(self.fallback)} checked by pySHACL"
            + "".join(f"\n  {name(s)}: {why}" for s, why in self.fallback.items())
        )


def load_shapes(folder: Path | None = None) -> Graph:
    """The shapes of the ``*.ttl`` files of ``folder`` (the shipped ``shapes/`` by default)."""
    folder = folder or resource_dir("shapes")
    shapes = Graph()
    from mlcryst.stores.literals import rdflib_reads_as_written

    for path in sorted(folder.glob("*.ttl")):
        try:
            with rdflib_reads_as_written():
                shapes.parse(path, format="turtle")
        except Exception as exc:  # rdflib parser errors come in many types
            raise DataError(f"not valid Turtle: {exc}", file=str(path)) from exc
    return shapes


#: the suffixes of shapes files read from a folder
SHAPE_SUFFIXES = (".ttl", ".nt", ".n3", ".trig", ".nq", ".jsonld", ".rdf", ".owl", ".xml")


def read_shapes(sources: list[Path | str] | None = None) -> Graph:
    """The shapes graph of the given files and folders (every RDF file of a folder, sorted;
    not its sub-folders), each read safely (:func:`mlcryst.stores.files.read_rdflib`: within
    the byte, time and memory budgets, nothing fetched). No sources: the shipped ``shapes/``.
    """
    from mlcryst.stores.files import read_rdflib

    if not sources:
        sources = [resource_dir("shapes")]
    shapes = Graph()
    for source in sources:
        source = Path(source)
        if source.is_dir():
            files = sorted(
                p for p in source.iterdir() if p.suffix.lower() in SHAPE_SUFFIXES and p.is_file()
            )
            if not files:
                raise DataError("no shapes file in the folder", file=str(source))
        else:
            files = [source]
        for path in files:
            graph = read_rdflib(path)
            shapes += graph
            for prefix, namespace in graph.namespaces():
                shapes.bind(prefix, namespace, override=False)
    return shapes


def _first(graph: Graph, node: Node | None, *predicates: Node) -> Node | None:
    """The least value of the first predicate that ``node`` has (a node with two labels is
    named the same whatever order the store keeps its triples in)."""
    for p in predicates:
        found = min(graph.objects(node, p), key=str, default=None)
        if found is not None:
            return found
    return None


def describe(graph: Graph, node: Node) -> str:
    """A name for a focus node that a curator recognises."""
    rownum = _first(graph, node, CSVW.rownum)
    if (node, RDF.type, CSVW.Row) in graph and rownum is not None:
        return f"Table 1 row {rownum}"
    if isinstance(node, BNode):  # a cell of an author list: name the work it belongs to
        head: Node = node
        seen: set[Node] = {node}
        while (up := graph.value(predicate=RDF.rest, object=head)) is not None and up not in seen:
            head = up
            seen.add(up)
        work = graph.value(predicate=BIBO.authorList, object=head)
        if work is not None:
            return f"{describe(graph, work)}, author list"
    label = _first(graph, node, RDFS.label, DCTERMS.title)
    row = _first(graph, node, PROV.wasDerivedFrom)
    rownum = _first(graph, row, CSVW.rownum) if row is not None else None
    text = str(label) if label is not None else _short(graph, node)
    if rownum is not None:
        return f"Table 1 row {rownum}, {text}"
    if label is not None and isinstance(node, URIRef):
        return f"{text} <{_short(graph, node)}>"
    return text


def _short(graph: Graph, node: Node) -> str:
    """A CURIE under mlcryst's prefixes (:data:`mlcryst.prefixes.CONVERTER`; ``mlm:`` for the
    namespace itself), else under the prefixes the graph's file declared, else the IRI: the
    same text from every store."""
    if isinstance(node, URIRef):
        from mlcryst.prefixes import CONVERTER

        short = CONVERTER.compress(str(node))
        if short != str(node):
            return short
        for prefix, namespace in CONVERTER.prefixes.items():
            if str(node) == namespace:  # a scheme: the namespace itself
                return f"{prefix}:"
        try:
            return graph.namespace_manager.curie(str(node), generate=False)
        except (ValueError, KeyError):
            return str(node)
    return str(node)


class _PreparedQueries(Graph):
    """A view of a graph (same store) that parses each SPARQL text once.

    pySHACL sends the same SHACL-SPARQL query text once per focus node, with ``$this`` as an
    initial binding; parsing dominates (tens of ms each), so cache the prepared query.
    """

    def __init__(self, graph: Graph) -> None:
        super().__init__(
            store=graph.store,
            identifier=graph.identifier,
            namespace_manager=graph.namespace_manager,
        )

    def query(
        self,
        query_object: str | Query,
        processor: str | Processor = "sparql",
        result: str | type[Result] = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Identifier] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if not isinstance(query_object, str) or processor != "sparql":
            raise QueryError("pySHACL sent a query that is not SPARQL text: refused")
        # every SPARQL text pySHACL runs (its own, and every sh:select / sh:ask of a shape,
        # with the prefixes and values it writes in) passes the guard first: the text checked
        # is the text that runs
        query_object = guard(query_object)
        if not initNs:
            # as rdflib would parse it: prefixes the text does not declare come from the graph
            namespaces = tuple(sorted((p, str(n)) for p, n in self.namespaces()))
            query_object = _prepare(query_object, namespaces)
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )


@lru_cache(maxsize=256)
def _prepare(text: str, namespaces: tuple[tuple[str, str], ...]) -> Query:
    # rdflib's reading (prepareQuery's), refusing what the lexical guard let pass
    return parse_checked(text, dict(namespaces))


def path_predicate(report: Graph, path: Node | None) -> Node | None:
    """The first property of a SHACL path (``( bibo:authorList [...] )`` -> bibo:authorList)."""
    for _ in range(10):
        if path is None or isinstance(path, URIRef):
            return path
        inner = report.value(path, RDF.first)
        for key in (
            SH.inversePath,
            SH.zeroOrMorePath,
            SH.oneOrMorePath,
            SH.zeroOrOnePath,
            SH.alternativePath,
        ):
            inner = inner if inner is not None else report.value(path, key)
        path = inner
    return None


#: the SHACL(-AF) properties whose values are SPARQL texts
SPARQL_TEXTS: tuple[Node, ...] = (SH.select, SH.ask, SH.construct, SH.update)


def guard_shapes(shapes: Graph) -> None:
    """Pass every SPARQL text of the shapes through the guard (SERVICE, FROM and updates
    refused, budgets kept), naming the shape; what pySHACL then runs is guarded again."""
    for subject, prop, text in shapes.triples_choices((None, list(SPARQL_TEXTS), None)):
        try:
            guard(str(text))
        except QueryError as exc:
            owner = next(shapes.subjects(SH.sparql, subject), subject)
            iri = cast(URIRef, prop)  # one of SPARQL_TEXTS
            raise QueryError(f"shape {owner}: its {shapes.qname(iri)} is refused: {exc}") from None


def shacl_report(
    graph: Graph,
    shapes: Graph | None = None,
    *,
    allow_warnings: bool = True,
    focus_nodes: list[URIRef] | None = None,
) -> tuple[bool, Graph]:
    """Run pySHACL the way mlcryst does: (conforms, the sh:ValidationReport graph).

    ``graph`` is not modified. ``focus_nodes`` limits the check to those nodes (IRIs).
    """
    from pyshacl import validate as shacl_validate

    from mlcryst.errors import ShapesError
    from mlcryst.shacl.rules import check_shapes, normalised
    from mlcryst.stores.files import quiet_rdflib

    shapes = shapes if shapes is not None else load_shapes()
    guard_shapes(shapes)
    check_shapes(shapes)  # recursive shapes, invalid SHACL-SPARQL: refused as on Oxigraph
    try:
        # inplace: no defensive copy of the data graph (the shapes have no SHACL rules to
        # add triples); ill-typed literals are reported by the shapes, not as rdflib warnings
        with quiet_rdflib():
            conforms, report, _ = shacl_validate(
                _PreparedQueries(graph),
                shacl_graph=normalised(shapes),
                inference="none",
                advanced=True,
                allow_warnings=allow_warnings,
                inplace=True,
                # pyshacl only reads the lists, but annotates them as list[str | URIRef]
                focus_nodes=cast("list[str | URIRef] | None", focus_nodes),
            )
    except (NotImplementedError, RecursionError) as exc:  # what pySHACL cannot do
        raise ShapesError(f"the shapes cannot be used: {type(exc).__name__}: {exc}") from None
    except Exception as exc:
        from pyshacl.errors import ConstraintLoadError, ReportableRuntimeError, ShapeLoadError

        if isinstance(exc, (ShapeLoadError, ConstraintLoadError, ReportableRuntimeError)):
            raise ShapesError(f"the shapes cannot be used: {exc}") from None
        raise
    if not isinstance(report, Graph):  # pySHACL gives its failure (a bad shape) as the report
        raise ShapesError(f"the shapes cannot be used: {report}")
    return bool(conforms), report


def pyshacl_results(
    graph: Graph, shapes: Graph, use_shapes: list[Node] | None = None
) -> list[ShapeResult]:
    """The results of pySHACL on ``graph`` (of the shapes ``use_shapes`` only, when given:
    the others lose their targets), each result path given as the node of the shapes graph
    where the source shape has it."""
    from mlcryst.shacl.rules import only_targets_of

    only = shapes if use_shapes is None else only_targets_of(shapes, use_shapes)
    _, report = shacl_report(graph, only)
    return report_results(report, shapes)


def report_results(report: Graph, shapes: Graph) -> list[ShapeResult]:
    """The top-level results of a pySHACL report (not the nested sh:detail ones)."""
    out = []
    for r in report.objects(None, SH.result):
        shape = report.value(r, SH.sourceShape)
        path = report.value(r, SH.resultPath)
        if isinstance(path, BNode):  # the report copies the path: name the shape's own
            own = shapes.value(shape, SH.path)
            path = own if own is not None else path
        message = report.value(r, SH.resultMessage)
        out.append(
            ShapeResult(
                cast(Node, report.value(r, SH.focusNode)),
                path,
                cast(URIRef, report.value(r, SH.sourceConstraintComponent)),
                report.value(r, SH.value),
                cast(URIRef, report.value(r, SH.resultSeverity) or SH.Violation),
                cast(Node, shape),
                report.value(r, SH.sourceConstraint),
                None if message is None else str(message),
            )
        )
    return out


def make_violation(
    graph: Graph,
    shapes: Graph,
    focus: Node | None,
    path: Node | None,
    value: Node | None,
    severity: Node | None,
    message: Node | str | None,
    shape: Node | None,
) -> Violation:
    """One SHACL result described for people; ``graph`` holds what names the focus node
    (:func:`describe`), ``path`` is the first property of the result path."""
    local = ""
    if isinstance(path, URIRef):
        local = str(path).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    field = FIELD_NAMES.get(local) or (_short(graph, path) if path is not None else "-")
    return Violation(
        str(focus),
        describe(graph, focus) if focus is not None else "?",
        field,
        str(message) if message is not None else "violates a constraint",
        None
        if value is None
        else (str(value) if isinstance(value, Literal) else _short(graph, value)),
        str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        shape_name(shapes, shape) if shape is not None else "",
    )


def shape_name(shapes: Graph, shape: Node) -> str:
    """A name of ``shape`` that is the same in every reading of the shapes: its CURIE, or for
    a blank node the name of the nearest named shape above it and the path of each property
    shape on the way (``mlcs:PaperShape/prism:doi``)."""
    from mlcryst.shacl.paths import sparql_path

    steps: list[str] = []
    node: Node | None = shape
    seen: set[Node] = set()
    while isinstance(node, BNode) and node not in seen:
        seen.add(node)
        path = shapes.value(node, SH.path)
        if path is not None:
            try:
                text = (
                    _short(shapes, path) if isinstance(path, URIRef) else sparql_path(shapes, path)
                )
            except ShapesError:  # an ill-formed path is reported by the validation itself
                text = "?"
            steps.append(text)
        node = min(shapes.subjects(None, node), key=str, default=None)
    top = _short(shapes, node) if isinstance(node, URIRef) else "_"
    return "/".join([top, *reversed(steps)])


def sort_violations(found: list[Violation]) -> list[Violation]:
    """Distinct violations in the order they are reported."""
    return sorted(set(found), key=lambda v: (v.what, v.field, v.message, v.value or ""))


def validate(
    graph: Graph, shapes: Graph | None = None, focus_nodes: list[URIRef] | None = None
) -> list[Violation]:
    """All SHACL results for ``graph`` (empty when it conforms), sorted.

    ``focus_nodes`` limits the check to those nodes (IRIs), e.g. to re-check one paper.
    """
    shapes = shapes if shapes is not None else load_shapes()
    _, report = shacl_report(graph, shapes, focus_nodes=focus_nodes)
    return describe_results(graph, shapes, report_results(report, shapes))


def describe_results(
    names: Graph, shapes: Graph, results: Iterable[ShapeResult]
) -> list[Violation]:
    """Results of either path described for people, sorted; ``names`` holds what names the
    focus nodes (the data graph, or the few triples read back from a store)."""
    return sort_violations(
        [
            make_violation(
                names,
                shapes,
                r.focus,
                path_predicate(shapes, r.path),
                r.value,
                r.severity,
                r.message,
                r.shape,
            )
            for r in results
        ]
    )


def pyshacl_run(graph: Graph, shapes: Graph | None = None) -> ValidationRun:
    """:func:`pyshacl_results` of every shape, as a :class:`ValidationRun` (every targeted
    shape checked by pySHACL)."""
    from mlcryst.shacl.rules import targeted_shapes

    shapes = shapes if shapes is not None else load_shapes()
    return ValidationRun(pyshacl_results(graph, shapes), [], {}, targeted_shapes(shapes))


def check(graph: Graph, shapes: Graph | None = None) -> list[Violation]:
    """Raise :class:`ValidationFailed` on any violation; return warnings otherwise."""
    return raise_on_violations(validate(graph, shapes))


def raise_on_violations(results: list[Violation]) -> list[Violation]:
    """Raise :class:`ValidationFailed` if any result is a violation; else return them."""
    errors = [v for v in results if v.severity == "Violation"]
    if errors:
        raise ValidationFailed(errors)
    return results


def validation_report(results: list[ShapeResult], shapes: Graph) -> Graph:
    """A standard ``sh:ValidationReport`` of ``results`` (from either path), readable by
    other SHACL tools: sh:conforms, and one sh:result per result with its focus node, path
    (a complex path copied from the shapes graph), value, severity, constraint component,
    source shape (and SHACL-SPARQL constraint) and message."""
    report = Graph()
    report.bind("sh", SH)
    top = BNode()
    report.add((top, RDF.type, SH.ValidationReport))
    report.add((top, SH.conforms, Literal(not results)))

    def copy(node: Node) -> None:  # the triples of a path's blank nodes
        if isinstance(node, BNode):
            for p, o in shapes.predicate_objects(node):
                report.add((node, p, o))
                copy(o)

    for r in results:
        node = BNode()
        report.add((top, SH.result, node))
        report.add((node, RDF.type, SH.ValidationResult))
        report.add((node, SH.focusNode, r.focus))
        report.add((node, SH.resultSeverity, r.severity))
        report.add((node, SH.sourceConstraintComponent, r.component))
        report.add((node, SH.sourceShape, r.shape))
        if r.path is not None:
            report.add((node, SH.resultPath, r.path))
            copy(r.path)
        if r.value is not None:
            report.add((node, SH.value, r.value))
        if r.constraint is not None:
            report.add((node, SH.sourceConstraint, r.constraint))
        if r.message is not None:
            report.add((node, SH.resultMessage, Literal(r.message)))
    return report
