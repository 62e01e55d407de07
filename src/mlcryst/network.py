"""The projection of the RDF graph onto networkx graphs: one documented mapping, five views.

docs/visualisation.md describes it node kind by node kind and edge by edge. In short:

* ``overview``: papers, their authors, journals, methods and problems (with the ``skos:broader``
  chain of every tagged concept up to its top concept), databases and software;
* ``papers``: the paper–method–problem view (papers and the concepts they are tagged with);
* ``coauthors``: people, joined when they wrote a paper together (``weight`` = joint papers);
* ``cooccurrence``: methods and problems, joined when a paper combines them (``weight`` = papers);
* ``construct``: the graph a SPARQL ``CONSTRUCT`` (or ``DESCRIBE``) query returns.

Node ids are the IRIs (as strings); every node has ``kind`` and ``label``, every edge
``relation`` and ``weight``. All attribute values are strings or integers, so the graphs export to
GraphML and GEXF as they are.

Everything is read by iterating triples once per predicate (no SPARQL property paths), so the
projection stays linear in the size of the graph.

>>> from mlcryst.store import open_graph
>>> g = project(open_graph(), "papers")
>>> sorted({k for _, k in g.nodes(data="kind")})
['method', 'paper', 'problem']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS
from rdflib.term import Node

from .errors import OutputError, QueryError
from .namespaces import BIBO, CITO, FABIO, MLC, MLM, MLP, PRISM

if TYPE_CHECKING:
    import networkx as nx

    from .query import NamedQuery

#: The views of :func:`project`, with what each shows.
VIEWS: dict[str, str] = {
    "overview": "papers, authors, journals, methods and problems (with their broader concepts), "
                "databases and software",
    "papers": "the paper–method–problem view: papers and the concepts they are tagged with",
    "coauthors": "the co-authorship network: people joined by joint papers",
    "cooccurrence": "methods and problems joined by the number of papers that combine them",
    "construct": "the subgraph a SPARQL CONSTRUCT or DESCRIBE query returns",
}

#: Node kinds, in legend order.
KINDS: tuple[str, ...] = ("paper", "method", "problem", "journal", "author", "database",
                          "software", "concept", "resource")

#: Colour of each node kind (Okabe–Ito palette, readable by colour-blind readers).
KIND_COLORS: dict[str, str] = {
    "paper": "#0072B2", "method": "#D55E00", "problem": "#009E73", "journal": "#CC79A7",
    "author": "#8C8C8C", "database": "#E69F00", "software": "#56B4E9", "concept": "#C9B800",
    "resource": "#4D4D4D",
}

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
    return isinstance(value, Literal) and (value.language is None
                                           or value.language.startswith("en"))


def _first_by_predicate(graph: Graph, predicates: Iterable[URIRef]) -> dict[Node, str]:
    """subject -> text of the first (by predicate order, then sorted) English literal."""
    out: dict[Node, str] = {}
    for pred in reversed(list(predicates)):
        found: dict[Node, str] = {}
        for s, o in graph.subject_objects(pred):
            if _english(o):
                text = _text(o)
                if s not in found or text < found[s]:
                    found[s] = text
        out.update(found)
    return out


def _year(value: Node | None) -> int | None:
    if value is None:
        return None
    text = str(value)[:4]
    return int(text) if text.isdigit() else None


def _multi(graph: Graph, pred: URIRef) -> dict[Node, list[URIRef]]:
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


def index_graph(graph: Graph) -> Index:
    """Read papers, concepts, people and labels from ``graph`` (one pass per predicate)."""
    labels = _first_by_predicate(graph, (SKOS.prefLabel, RDFS.label, FOAF.name, DCTERMS.title))
    titles = _first_by_predicate(graph, (DCTERMS.title,))
    names = _first_by_predicate(graph, (FOAF.name,))
    kinds: dict[Node, str] = {}
    for cls, kind in ((FOAF.Person, "author"), (FOAF.Organization, "author"),
                      (FABIO.Journal, "journal"), (DCAT.Dataset, "database"),
                      (FABIO.ComputerProgram, "software"), (SKOS.Concept, "concept")):
        for s in graph.subjects(RDF.type, cls):
            kinds.setdefault(s, kind)
    short_titles = _first_by_predicate(graph, (FABIO.hasShortTitle,))
    for s, text in short_titles.items():
        if kinds.get(s) == "journal":
            labels[s] = text  # "Acta Cryst. A" reads better than the full title

    broader = _multi(graph, SKOS.broader)
    in_scheme = _multi(graph, SKOS.inScheme)
    definitions = _first_by_predicate(graph, (SKOS.definition,))
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
        kind = ("method" if METHOD_SCHEME in schemes else
                "problem" if PROBLEM_SCHEME in schemes else "concept")
        kinds[s] = kind
        ancestors = _closure(s, broader)
        arch = ("deep learning" if DEEP_LEARNING in ancestors else
                "conventional" if CONVENTIONAL in ancestors else
                "non-ML" if NON_ML in ancestors else "") if kind == "method" else ""
        label = labels.get(s, str(s))
        short = min(alt[s], key=lambda a: (len(a), a)) if len(label) > 30 and alt[s] else ""
        concepts[s] = Concept(
            s, label, kind, "; ".join(labels.get(sc, str(sc)) for sc in schemes),
            tuple(broader.get(s, ())), ancestors, definitions.get(s, ""), arch, short)

    top = sorted({c for c in graph.subjects(SKOS.topConceptOf, PROBLEM_SCHEME)
                  if isinstance(c, URIRef)}
                 | {c for c in graph.objects(PROBLEM_SCHEME, SKOS.hasTopConcept)
                    if isinstance(c, URIRef)},
                 key=lambda c: labels.get(c, str(c)))
    families = _concept_order(members.get(FACET_MODEL_FAMILY, []), concepts)
    paradigms = tuple(sorted(members.get(FACET_PARADIGM, []),
                             key=lambda c: labels.get(c, str(c))))
    paradigm_set = set(paradigms)

    uses = _multi(graph, MLC.usesMethod)
    addresses = _multi(graph, MLC.addressesProblem)
    software = _multi(graph, MLC.usesSoftware)
    databases = _multi(graph, CITO.citesAsDataSource)
    creators = _multi(graph, DCTERMS.creator)
    part_of = _multi(graph, DCTERMS.isPartOf)
    years = {s: _year(o) for s, o in graph.subject_objects(FABIO.hasPublicationYear)}
    citations = _first_by_predicate(graph, (DCTERMS.bibliographicCitation,))
    dois = _first_by_predicate(graph, (PRISM.doi,))
    author_lists = dict(graph.subject_objects(BIBO.authorList))
    subjects = set(graph.subjects(MLC.problemStatement)) | set(uses) | set(addresses)

    papers: dict[URIRef, Paper] = {}
    for s in subjects:
        if not isinstance(s, URIRef):
            continue
        kinds[s] = "paper"
        methods = tuple(uses.get(s, ()))
        archs = {concepts[m].architecture for m in methods if m in concepts}
        arch = ("both" if {"deep learning", "conventional"} <= archs else
                "deep learning" if "deep learning" in archs else
                "conventional" if "conventional" in archs else "other")
        found = {p for m in methods if m in concepts for p in concepts[m].ancestors} & paradigm_set
        journal = next((j for j in part_of.get(s, ()) if kinds.get(j) == "journal"), None)
        papers[s] = Paper(
            s, labels.get(s, str(s)), years.get(s), journal, citations.get(s, ""),
            titles.get(s, ""), dois.get(s, ""), _authors(graph, s, author_lists, creators),
            methods, tuple(addresses.get(s, ())), tuple(software.get(s, ())),
            tuple(databases.get(s, ())), arch, tuple(sorted(found)))
    return Index(papers, concepts, labels, kinds, titles, names, tuple(top), families, paradigms,
                 {k: tuple(v) for k, v in _multi(graph, MLC.implementsMethod).items()
                  if isinstance(k, URIRef)})


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


def _authors(graph: Graph, paper: URIRef, lists: dict[Node, Node],
             creators: dict[Node, list[URIRef]]) -> tuple[URIRef, ...]:
    """Authors in printed order (``bibo:authorList``), else the creators sorted."""
    head = lists.get(paper)
    if head is not None:
        ordered = [a for a in Collection(graph, head) if isinstance(a, URIRef)]
        if ordered:
            return tuple(ordered)
    return tuple(creators.get(paper, ()))


# --- views ---------------------------------------------------------------------------------------

def _new_graph(view: str, title: str) -> nx.Graph:
    import networkx as nx

    g = nx.Graph()
    g.graph.update(view=view, title=title)
    return g


def _add_paper(g: nx.Graph, idx: Index, p: Paper) -> None:
    attrs: dict[str, Any] = {
        "kind": "paper", "label": p.label, "iri": str(p.iri), "citation": p.citation,
        "architecture": p.architecture,
        "methods": "; ".join(idx.label(m) for m in p.methods),
        "problems": "; ".join(idx.label(m) for m in p.problems),
        "paradigms": "; ".join(idx.label(m) for m in p.paradigms),
        "authors": len(p.authors),
    }
    if p.year is not None:
        attrs["year"] = p.year
    if p.journal is not None:
        attrs["journal"] = idx.label(p.journal)
    if p.title:
        attrs["title"] = p.title
    if p.doi:
        attrs["doi"] = p.doi
    g.add_node(str(p.iri), **attrs)


def _add_concept(g: nx.Graph, idx: Index, iri: URIRef, papers: int | None = None) -> None:
    c = idx.concepts.get(iri)
    if c is None:
        g.add_node(str(iri), kind=idx.kind(iri), label=idx.label(iri), iri=str(iri))
        return
    attrs: dict[str, Any] = {
        "kind": c.kind, "label": c.label, "iri": str(iri), "scheme": c.scheme,
        "broader": "; ".join(idx.label(b) for b in c.broader),
    }
    if c.architecture:
        attrs["architecture"] = c.architecture
    if c.definition:
        attrs["definition"] = c.definition
    if papers is not None:
        attrs["papers"] = papers
    g.add_node(str(iri), **attrs)


def _add_other(g: nx.Graph, idx: Index, iri: URIRef, **extra: Any) -> None:
    attrs: dict[str, Any] = {"kind": idx.kind(iri), "label": idx.label(iri), "iri": str(iri)}
    if iri in idx.titles and idx.titles[iri] != attrs["label"]:
        attrs["title"] = idx.titles[iri]
    if iri in idx.names and idx.names[iri] != attrs["label"]:
        attrs["name"] = idx.names[iri]
    attrs.update(extra)
    g.add_node(str(iri), **attrs)


def _edge(g: nx.Graph, a: Node, b: Node, relation: str, weight: int = 1) -> None:
    g.add_edge(str(a), str(b), relation=relation, weight=weight)


def _paper_counts(idx: Index) -> dict[URIRef, int]:
    counts: dict[URIRef, int] = defaultdict(int)
    for p in idx.papers.values():
        for c in {*p.methods, *p.problems, *p.authors, *p.software, *p.databases}:
            counts[c] += 1
        if p.journal is not None:
            counts[p.journal] += 1
    return counts


def papers_view(idx: Index) -> nx.Graph:
    """Papers, the methods and problems they are tagged with, and those tags as edges."""
    g = _new_graph("papers", "Papers, methods and problems")
    counts = _paper_counts(idx)
    papers = idx.papers_sorted()
    for p in papers:
        _add_paper(g, idx, p)
    for c in sorted({c for p in papers for c in (*p.methods, *p.problems)}):
        _add_concept(g, idx, c, counts[c])
    for p in papers:
        for m in p.methods:
            _edge(g, p.iri, m, "uses_method")
        for m in p.problems:
            _edge(g, p.iri, m, "addresses_problem")
    return g


def overview_view(idx: Index) -> nx.Graph:
    """The papers view plus authors, journals, databases, software and the broader chains."""
    g = papers_view(idx)
    g.graph.update(view="overview", title="Papers, people, journals, methods and problems")
    counts = _paper_counts(idx)
    papers = idx.papers_sorted()
    tagged = {c for p in papers for c in (*p.methods, *p.problems)}
    chain = sorted({a for c in tagged if c in idx.concepts for a in idx.concepts[c].ancestors})
    for c in chain:
        if str(c) not in g:
            _add_concept(g, idx, c, counts.get(c, 0))
    for c in chain:
        for b in idx.concepts[c].broader if c in idx.concepts else ():
            if str(b) in g:
                g.add_edge(str(c), str(b), relation="broader", weight=1, narrower=str(c))
    for p in papers:
        if p.journal is not None:
            if str(p.journal) not in g:
                _add_other(g, idx, p.journal, papers=counts[p.journal])
            _edge(g, p.iri, p.journal, "published_in")
        for a in p.authors:
            if str(a) not in g:
                _add_other(g, idx, a, papers=counts[a])
            _edge(g, a, p.iri, "author_of")
        for d in p.databases:
            if str(d) not in g:
                _add_other(g, idx, d, papers=counts[d])
            _edge(g, p.iri, d, "cites_as_data_source")
        for s in p.software:
            if str(s) not in g:
                _add_other(g, idx, s, papers=counts[s])
            _edge(g, p.iri, s, "uses_software")
    for s in sorted(idx.implements):
        if str(s) in g:
            for m in idx.implements[s]:
                if str(m) in g:
                    _edge(g, s, m, "implements_method")
    return g


def coauthor_view(idx: Index) -> nx.Graph:
    """People who wrote papers; an edge per pair of co-authors, ``weight`` = joint papers."""
    g = _new_graph("coauthors", "Co-authorship network")
    counts = _paper_counts(idx)
    joint: dict[tuple[URIRef, URIRef], list[str]] = defaultdict(list)
    years: dict[URIRef, list[int]] = defaultdict(list)
    for p in idx.papers.values():
        for a in p.authors:
            if p.year is not None:
                years[a].append(p.year)
    for p in idx.papers_sorted():
        for a in p.authors:
            if str(a) not in g:
                extra = ({"first_year": min(years[a]), "last_year": max(years[a])}
                         if years[a] else {})
                _add_other(g, idx, a, papers=counts[a], **extra)
        for a, b in combinations(sorted(set(p.authors)), 2):
            joint[a, b].append(p.label)
    for (a, b), labels in sorted(joint.items()):
        g.add_edge(str(a), str(b), relation="coauthor", weight=len(labels),
                   papers="; ".join(labels))
    return g


def cooccurrence_view(idx: Index) -> nx.Graph:
    """Methods and problems; an edge when papers combine them, ``weight`` = those papers."""
    g = _new_graph("cooccurrence", "Method × problem co-occurrence")
    counts = _paper_counts(idx)
    pairs: dict[tuple[URIRef, URIRef], list[str]] = defaultdict(list)
    for p in idx.papers_sorted():
        for m in p.methods:
            for q in p.problems:
                pairs[m, q].append(p.label)
    for c in sorted({c for p in idx.papers.values() for c in (*p.methods, *p.problems)}):
        _add_concept(g, idx, c, counts[c])
    for (m, q), labels in sorted(pairs.items()):
        g.add_edge(str(m), str(q), relation="cooccurs", weight=len(labels),
                   papers="; ".join(labels))
    return g


def construct_view(graph: Graph, query: str | NamedQuery, idx: Index | None = None) -> nx.Graph:
    """The graph a CONSTRUCT/DESCRIBE query returns, its terms classified as in the full graph.

    Resources become nodes; a triple whose object is a resource becomes an edge (``relation`` =
    the predicate as a CURIE); ``rdf:type`` and literal values do not become nodes.
    """
    from .query import run

    result = run(graph, query)
    if result.type not in ("CONSTRUCT", "DESCRIBE") or result.graph is None:
        raise QueryError(f"the query is a {result.type} query and returns no graph: "
                         "write a CONSTRUCT (or DESCRIBE) query to draw its result")
    sub: Graph = result.graph
    if len(sub) == 0:
        raise QueryError("the query returned an empty graph: nothing to draw")
    idx = idx or index_graph(graph)
    nm = graph.namespace_manager
    g = _new_graph("construct", "Query result")

    def add(term: Node) -> None:
        if str(term) in g:
            return
        if isinstance(term, URIRef) and term in idx.papers:
            _add_paper(g, idx, idx.papers[term])
        elif isinstance(term, URIRef) and term in idx.concepts:
            _add_concept(g, idx, term)
        else:
            _add_other(g, idx, term)  # type: ignore[arg-type]

    for s, p, o in sorted(sub):
        if isinstance(s, (URIRef, BNode)):
            add(s)
        if p == RDF.type or not isinstance(o, (URIRef, BNode)):
            continue
        add(o)
        relation = _curie(nm, URIRef(str(p)))
        if g.has_edge(str(s), str(o)):
            old = g.edges[str(s), str(o)]
            if relation not in old["relation"].split("; "):
                old["relation"] += "; " + relation
            old["weight"] += 1
        else:
            _edge(g, s, o, relation)
    if g.number_of_nodes() == 0:
        raise QueryError("the query's graph has no resources to draw (only literals)")
    return g


def _curie(nm: Any, iri: URIRef) -> str:
    try:
        return str(nm.curie(iri, generate=False))
    except (KeyError, ValueError):
        return str(iri)


def project(graph: Graph, view: str = "overview", *, query: str | NamedQuery | None = None,
            index: Index | None = None) -> nx.Graph:
    """The networkx graph of ``view`` (one of :data:`VIEWS`); ``construct`` needs ``query``."""
    if view not in VIEWS:
        raise QueryError(f"unknown view {view!r}; known views: {', '.join(VIEWS)}")
    if view == "construct":
        if query is None:
            raise QueryError("the construct view needs a query (--sparql TEXT or --query NAME)")
        return construct_view(graph, query, index)
    if query is not None:
        raise QueryError(f"a query only goes with the construct view, not {view!r}")
    idx = index or index_graph(graph)
    if not idx.papers:
        raise QueryError("the graph has no papers (nothing with mlc:problemStatement, "
                         "mlc:usesMethod or mlc:addressesProblem): nothing to draw")
    builders = {"overview": overview_view, "papers": papers_view, "coauthors": coauthor_view,
                "cooccurrence": cooccurrence_view}
    g = builders[view](idx)
    if g.number_of_nodes() == 0:
        raise QueryError(f"the {view} view of this graph is empty: nothing to draw")
    return g


def louvain(g: nx.Graph, seed: int = 42, weight: str | None = "weight") -> list[set[Any]]:
    """Louvain communities that are the same in every process.

    networkx iterates sets of nodes, whose order for string nodes changes with Python's hash
    seed; running on integer labels (in ``g``'s node order) makes the result depend on ``seed``
    only.
    """
    import networkx as nx

    nodes = list(g.nodes)
    number = {n: i for i, n in enumerate(nodes)}
    h = nx.Graph()
    h.add_nodes_from(range(len(nodes)))
    h.add_edges_from(sorted((min(number[u], number[v]), max(number[u], number[v]),
                             {"weight": d.get("weight", 1)} if weight else {})
                            for u, v, d in g.edges(data=True)))
    parts = nx.community.louvain_communities(h, seed=seed, weight=weight)
    return [{nodes[i] for i in part} for part in parts]


def induced(g: nx.Graph, keep: Iterable[Any]) -> nx.Graph:
    """The subgraph on ``keep``, its nodes in ``g``'s order (a subgraph view's order can follow
    Python's string hashing, which changes between processes)."""
    import networkx as nx

    wanted = set(keep)
    h = nx.Graph()
    h.graph.update(g.graph)
    h.add_nodes_from((n, d) for n, d in g.nodes(data=True) if n in wanted)
    h.add_edges_from((u, v, d) for u, v, d in g.edges(data=True) if u in wanted and v in wanted)
    return h


# --- export --------------------------------------------------------------------------------------

NETWORK_FORMATS: tuple[str, ...] = ("graphml", "gexf")


def network_bytes(g: nx.Graph, fmt: str) -> bytes:
    """GraphML (Cytoscape, yEd) or GEXF (Gephi, with colours and sizes) of ``g``."""
    import io

    import networkx as nx

    if fmt not in NETWORK_FORMATS:
        raise OutputError(f"unknown network format {fmt!r}; known: {', '.join(NETWORK_FORMATS)}")
    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(g, buf, encoding="utf-8", prettyprint=True)
    else:
        h = g.copy()
        for n, data in h.nodes(data=True):
            color = KIND_COLORS.get(data.get("kind", "resource"), "#4D4D4D")
            r, gg, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
            data["viz"] = {"color": {"r": r, "g": gg, "b": b, "a": 1.0},
                           "size": 5.0 + 2.0 * h.degree(n) ** 0.5}
        nx.write_gexf(h, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def write_network(g: nx.Graph, path: Path | str, fmt: str | None = None) -> Path:
    """Write ``g`` atomically as GraphML or GEXF (format from the suffix unless given)."""
    from .fileio import write_atomic

    path = Path(path)
    fmt = fmt or path.suffix.lower().lstrip(".")
    write_atomic(path, network_bytes(g, fmt))
    return path
