"""The index of the RDF graph that :mod:`mlcryst.visual.network` projects: papers, concepts, labels.

:func:`index_graph` reads everything by iterating triples once per predicate (no SPARQL property
paths), so it stays linear in the size of the graph: it reads any
:class:`~mlcryst.stores.base.GraphView` (an rdflib Graph, or the view of an Oxigraph store).
:mod:`mlcryst.visual.network` re-exports every public name here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS
from rdflib.term import Node

from mlcryst.namespaces import BIBO, CITO, FABIO, MLC, MLM, MLP, PRISM
from mlcryst.stores import rdflist as rdflist
from mlcryst.stores.base import GraphView

DEEP_LEARNING = MLM["deep-learning"]
CONVENTIONAL = MLM["conventional-machine-learning"]
NON_ML = MLM["non-machine-learning-method"]
FACET_PARADIGM = MLM["facet-paradigm"]
FACET_MODEL_FAMILY = MLM["facet-model-family"]
METHOD_SCHEME = URIRef(str(MLM))
PROBLEM_SCHEME = URIRef(str(MLP))

#: A paper's architecture (``architecture`` attribute), from the methods it uses.
ARCHITECTURES: tuple[str, ...] = ("deep learning", "conventional", "both", "other")


@dataclass(frozen=True)
class Concept:
    """A SKOS concept as the projection sees it."""

    iri: URIRef
    label: str
    kind: str  # "method", "problem" or "concept"
    scheme: str  # the scheme's label
    broader: tuple[URIRef, ...]
    ancestors: frozenset[URIRef]  # the concept itself and everything skos:broader+ of it
    definition: str
    architecture: str  # "deep learning", "conventional", "non-ML" or "" (methods only)
    short: str = ""  # for tight spaces: the shortest altLabel when the label is long

    @property
    def short_label(self) -> str:
        return self.short or self.label


@dataclass(frozen=True)
class Paper:
    """A paper (anything with a problem statement or method/problem tags)."""

    iri: URIRef
    label: str
    year: int | None
    journal: URIRef | None
    citation: str
    title: str
    doi: str
    authors: tuple[URIRef, ...]
    methods: tuple[URIRef, ...]
    problems: tuple[URIRef, ...]
    software: tuple[URIRef, ...]
    databases: tuple[URIRef, ...]
    architecture: str  # one of ARCHITECTURES
    paradigms: tuple[URIRef, ...]


@dataclass
class Index:
    """What the projection, the analytics and the figures need, read from the graph once."""

    papers: dict[URIRef, Paper]
    concepts: dict[URIRef, Concept]
    labels: dict[Node, str]
    kinds: dict[Node, str]
    titles: dict[Node, str]
    names: dict[Node, str]
    problem_areas: tuple[URIRef, ...]
    method_families: tuple[URIRef, ...]
    paradigms: tuple[URIRef, ...]
    implements: dict[URIRef, tuple[URIRef, ...]] = field(default_factory=dict)

    def label(self, term: Node) -> str:
        """A human label for any term: its label, else the end of its IRI."""
        if term in self.labels:
            return self.labels[term]
        text = str(term)
        return text.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or text

    def kind(self, term: Node) -> str:
        return self.kinds.get(term, "resource")

    def papers_sorted(self) -> list[Paper]:
        """Papers by year, then label, then IRI (the order every view adds them in)."""
        return sorted(self.papers.values(), key=lambda p: (p.year or 0, p.label, str(p.iri)))


def _text(value: Node) -> str:
    return str(value).strip()


def _english(value: Node) -> bool:
    return isinstance(value, Literal) and (
        value.language is None or value.language.startswith("en")
    )


def _first_english(graph: GraphView, pred: URIRef) -> dict[Node, str]:
    """subject -> text of its first (sorted) English literal of ``pred``."""
    found: dict[Node, str] = {}
    for s, o in graph.subject_objects(pred):
        if _english(o):
            text = _text(o)
            if s not in found or text < found[s]:
                found[s] = text
    return found


def _first_of(*by_predicate: dict[Node, str]) -> dict[Node, str]:
    """subject -> the text of the first of ``by_predicate`` (each from :func:`_first_english`)
    that has one."""
    out: dict[Node, str] = {}
    for found in reversed(by_predicate):
        out.update(found)
    return out


def _year(value: Node | None) -> int | None:
    if value is None:
        return None
    text = str(value)[:4]
    return int(text) if text.isdigit() else None


def _multi(graph: GraphView, pred: URIRef) -> dict[Node, list[URIRef]]:
    out: dict[Node, list[URIRef]] = defaultdict(list)
    for s, o in graph.subject_objects(pred):
        if isinstance(o, URIRef):
            out[s].append(o)
    for values in out.values():
        values.sort()
    return out


def _closure(start: URIRef, broader: dict[Node, list[URIRef]]) -> frozenset[URIRef]:
    seen = {start}
    stack = [start]
    while stack:
        for b in broader.get(stack.pop(), ()):
            if b not in seen:
                seen.add(b)
                stack.append(b)
    return frozenset(seen)


def index_graph(graph: GraphView) -> Index:
    """Read papers, concepts, people and labels from ``graph`` (one pass per predicate)."""
    titles = _first_english(graph, DCTERMS.title)  # each predicate read once
    names = _first_english(graph, FOAF.name)
    labels = _first_of(
        _first_english(graph, SKOS.prefLabel), _first_english(graph, RDFS.label), names, titles
    )
    kinds: dict[Node, str] = {}
    for cls, kind in (
        (FOAF.Person, "author"),
        (FOAF.Organization, "author"),
        (FABIO.Journal, "journal"),
        (DCAT.Dataset, "database"),
        (FABIO.ComputerProgram, "software"),
        (SKOS.Concept, "concept"),
    ):
        for s in graph.subjects(RDF.type, cls):
            kinds.setdefault(s, kind)
    short_titles = _first_english(graph, FABIO.hasShortTitle)
    for s, text in short_titles.items():
        if kinds.get(s) == "journal":
            labels[s] = text  # "Acta Cryst. A" reads better than the full title

    broader = _multi(graph, SKOS.broader)
    in_scheme = _multi(graph, SKOS.inScheme)
    definitions = _first_english(graph, SKOS.definition)
    members = _multi(graph, SKOS.member)
    alt: dict[Node, list[str]] = defaultdict(list)
    for s, o in graph.subject_objects(SKOS.altLabel):
        if _english(o):
            alt[s].append(_text(o))
    concepts: dict[URIRef, Concept] = {}
    for s in list(kinds):
        if kinds[s] != "concept" or not isinstance(s, URIRef):
            continue
        schemes = in_scheme.get(s, [])
        kind = (
            "method"
            if METHOD_SCHEME in schemes
            else "problem"
            if PROBLEM_SCHEME in schemes
            else "concept"
        )
        kinds[s] = kind
        ancestors = _closure(s, broader)
        arch = (
            (
                "deep learning"
                if DEEP_LEARNING in ancestors
                else "conventional"
                if CONVENTIONAL in ancestors
                else "non-ML"
                if NON_ML in ancestors
                else ""
            )
            if kind == "method"
            else ""
        )
        label = labels.get(s, str(s))
        short = min(alt[s], key=lambda a: (len(a), a)) if len(label) > 30 and alt[s] else ""
        concepts[s] = Concept(
            s,
            label,
            kind,
            "; ".join(labels.get(sc, str(sc)) for sc in schemes),
            tuple(broader.get(s, ())),
            ancestors,
            definitions.get(s, ""),
            arch,
            short,
        )

    top = sorted(
        {c for c in graph.subjects(SKOS.topConceptOf, PROBLEM_SCHEME) if isinstance(c, URIRef)}
        | {c for c in graph.objects(PROBLEM_SCHEME, SKOS.hasTopConcept) if isinstance(c, URIRef)},
        key=lambda c: labels.get(c, str(c)),
    )
    families = _concept_order(members.get(FACET_MODEL_FAMILY, []), concepts)
    paradigms = tuple(sorted(members.get(FACET_PARADIGM, []), key=lambda c: labels.get(c, str(c))))
    paradigm_set = set(paradigms)

    uses = _multi(graph, MLC.usesMethod)
    addresses = _multi(graph, MLC.addressesProblem)
    software = _multi(graph, MLC.usesSoftware)
    databases = _multi(graph, CITO.citesAsDataSource)
    creators = _multi(graph, DCTERMS.creator)
    part_of = _multi(graph, DCTERMS.isPartOf)
    years = {s: _year(o) for s, o in graph.subject_objects(FABIO.hasPublicationYear)}
    citations = _first_english(graph, DCTERMS.bibliographicCitation)
    dois = _first_english(graph, PRISM.doi)
    author_lists = dict(graph.subject_objects(BIBO.authorList))
    list_cells = _list_cells(graph) if author_lists else ({}, {})
    subjects = set(graph.subjects(MLC.problemStatement)) | set(uses) | set(addresses)

    papers: dict[URIRef, Paper] = {}
    for s in subjects:
        if not isinstance(s, URIRef):
            continue
        kinds[s] = "paper"
        methods = tuple(uses.get(s, ()))
        archs = {concepts[m].architecture for m in methods if m in concepts}
        arch = (
            "both"
            if {"deep learning", "conventional"} <= archs
            else "deep learning"
            if "deep learning" in archs
            else "conventional"
            if "conventional" in archs
            else "other"
        )
        found = {p for m in methods if m in concepts for p in concepts[m].ancestors} & paradigm_set
        journal = next((j for j in part_of.get(s, ()) if kinds.get(j) == "journal"), None)
        papers[s] = Paper(
            s,
            labels.get(s, str(s)),
            years.get(s),
            journal,
            citations.get(s, ""),
            titles.get(s, ""),
            dois.get(s, ""),
            _authors(s, author_lists, list_cells, creators),
            methods,
            tuple(addresses.get(s, ())),
            tuple(software.get(s, ())),
            tuple(databases.get(s, ())),
            arch,
            tuple(sorted(found)),
        )
    return Index(
        papers,
        concepts,
        labels,
        kinds,
        titles,
        names,
        tuple(top),
        families,
        paradigms,
        {
            k: tuple(v)
            for k, v in _multi(graph, MLC.implementsMethod).items()
            if isinstance(k, URIRef)
        },
    )


def _concept_order(items: Iterable[URIRef], concepts: dict[URIRef, Concept]) -> tuple[URIRef, ...]:
    """Deep learning first, then conventional; within each, depth first (parents first)."""
    order = {"deep learning": 0, "conventional": 1, "non-ML": 2, "": 3}

    def chain(c: URIRef) -> list[str]:
        path: list[str] = []
        seen: set[URIRef] = set()
        while c in concepts and c not in seen:
            seen.add(c)
            path.append(concepts[c].label.casefold())
            parents = concepts[c].broader
            if not parents:
                break
            c = parents[0]
        return path[::-1]

    def key(c: URIRef) -> tuple[int, list[str]]:
        concept = concepts.get(c)
        if concept is None:
            return (9, [str(c)])
        return (order[concept.architecture], chain(c))

    return tuple(sorted(items, key=key))


def _list_cells(graph: GraphView) -> tuple[dict[Node, Node], dict[Node, Node]]:
    """Every ``rdf:first`` and ``rdf:rest`` of the graph, read in two passes.

    Walking each author list with one lookup per cell costs a store round trip per cell (on
    Oxigraph, through :class:`mlcryst.stores.view.StoreView`); two bulk reads cost one pass each.
    """
    return dict(graph.subject_objects(RDF.first)), dict(graph.subject_objects(RDF.rest))


def _authors(
    paper: URIRef,
    lists: dict[Node, Node],
    cells: tuple[dict[Node, Node], dict[Node, Node]],
    creators: dict[Node, list[URIRef]],
) -> tuple[URIRef, ...]:
    """Authors in printed order (``bibo:authorList``), else the creators sorted."""
    head = lists.get(paper)
    if head is not None:
        first, rest = cells
        ordered = [a for a in rdflist.items(head, first.get, rest.get) if isinstance(a, URIRef)]
        if ordered:
            return tuple(ordered)
    return tuple(creators.get(paper, ()))
