"""The view builders of :func:`mlcryst.visual.network.project`, and deterministic graph helpers.

Each builder turns an :class:`~mlcryst.visual.index.Index` into a networkx graph whose nodes have
``kind`` and ``label`` and whose edges have ``relation`` and ``weight`` (see
:mod:`mlcryst.visual.network`, which re-exports every public name here).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import TYPE_CHECKING, Any

from rdflib import BNode, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from mlcryst.errors import QueryError
from mlcryst.prefixes import CONVERTER
from mlcryst.visual.index import Index, Paper, index_graph

if TYPE_CHECKING:
    import networkx as nx

    from mlcryst.sparql.named import NamedQuery
    from mlcryst.stores.base import GraphStore


def _new_graph(view: str, title: str) -> nx.Graph:
    import networkx as nx

    g = nx.Graph()
    g.graph.update(view=view, title=title)
    return g


def _add_paper(g: nx.Graph, idx: Index, p: Paper) -> None:
    attrs: dict[str, Any] = {
        "kind": "paper",
        "label": p.label,
        "iri": str(p.iri),
        "citation": p.citation,
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
        "kind": c.kind,
        "label": c.label,
        "iri": str(iri),
        "scheme": c.scheme,
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


def _entry(p: Paper) -> tuple[str, int | None, str]:
    """A paper as a group lists it: label, year, IRI."""
    return (p.label, p.year, str(p.iri))


def _paper_edge(
    g: nx.Graph, p: Paper, to: Node, relation: str, members: dict[str, list[Any]] | None
) -> None:
    """The edge from paper ``p`` to ``to``; in a folded view (``members`` given) ``p`` is
    listed under ``to`` instead."""
    if members is None:
        _edge(g, p.iri, to, relation)
    else:
        members[str(to)].append(_entry(p))


def _fold(g: nx.Graph, fold: bool) -> dict[str, list[Any]] | None:
    """The member lists of a folded view (kept in ``g.graph["members"]``), or None."""
    if not fold:
        return None
    members: dict[str, list[Any]] = defaultdict(list)
    g.graph["members"] = members
    return members


def papers_view(idx: Index, fold: bool = False) -> nx.Graph:
    """Papers, the methods and problems they are tagged with, and those tags as edges.

    ``fold``: no paper nodes; each concept lists its papers in ``g.graph["members"]`` (for
    :mod:`mlcryst.visual.aggregate`, which draws large views grouped)."""
    g = _new_graph("papers", "Papers, methods and problems")
    members = _fold(g, fold)
    if fold:
        g.graph["folded"] = {"paper": len(idx.papers)}
    counts = _paper_counts(idx)
    papers = idx.papers_sorted()
    if not fold:
        for p in papers:
            _add_paper(g, idx, p)
    for c in sorted({c for p in papers for c in (*p.methods, *p.problems)}):
        _add_concept(g, idx, c, counts[c])
    for p in papers:
        for m in p.methods:
            _paper_edge(g, p, m, "uses_method", members)
        for m in p.problems:
            _paper_edge(g, p, m, "addresses_problem", members)
    return g


def overview_view(idx: Index, fold: bool = False) -> nx.Graph:
    """The papers view plus authors, journals, databases, software and the broader chains.

    ``fold``: no paper or author nodes (as :func:`papers_view`)."""
    g = papers_view(idx, fold)
    members: dict[str, list[Any]] | None = g.graph.get("members")
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
    people: set[URIRef] = set()
    for p in papers:
        if p.journal is not None:
            if str(p.journal) not in g:
                _add_other(g, idx, p.journal, papers=counts[p.journal])
            _paper_edge(g, p, p.journal, "published_in", members)
        for a in p.authors:
            if members is not None:
                people.add(a)
                continue
            if str(a) not in g:
                _add_other(g, idx, a, papers=counts[a])
            _edge(g, a, p.iri, "author_of")
        for d in p.databases:
            if str(d) not in g:
                _add_other(g, idx, d, papers=counts[d])
            _paper_edge(g, p, d, "cites_as_data_source", members)
        for s in p.software:
            if str(s) not in g:
                _add_other(g, idx, s, papers=counts[s])
            _paper_edge(g, p, s, "uses_software", members)
    if members is not None:
        g.graph["folded"] = {"paper": len(idx.papers), "author": len(people)}
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
    # pairs keyed by IRI strings: sorting strings is C code, sorting URIRefs calls
    # Identifier.__lt__ (same order) 2 million times at 100,000 papers
    joint: dict[tuple[str, str], list[str]] = defaultdict(list)
    years: dict[URIRef, list[int]] = defaultdict(list)
    for p in idx.papers.values():
        for a in p.authors:
            if p.year is not None:
                years[a].append(p.year)
    for p in idx.papers_sorted():
        for a in p.authors:
            if str(a) not in g:
                extra = (
                    {"first_year": min(years[a]), "last_year": max(years[a])} if years[a] else {}
                )
                _add_other(g, idx, a, papers=counts[a], **extra)
        for one, other in combinations(sorted({str(a) for a in p.authors}), 2):
            joint[one, other].append(p.label)
    for (one, other), labels in sorted(joint.items()):
        g.add_edge(one, other, relation="coauthor", weight=len(labels), papers="; ".join(labels))
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
        g.add_edge(
            str(m), str(q), relation="cooccurs", weight=len(labels), papers="; ".join(labels)
        )
    return g


def construct_view(
    store: GraphStore, query: str | NamedQuery, idx: Index | None = None
) -> nx.Graph:
    """The graph a CONSTRUCT/DESCRIBE query returns, its terms classified as in the full graph.

    Resources become nodes; a triple whose object is a resource becomes an edge (``relation`` =
    the predicate as a CURIE); ``rdf:type`` and literal values do not become nodes.
    """
    answer = store.query(query)
    if answer.type not in ("CONSTRUCT", "DESCRIBE"):
        raise QueryError(
            f"the query is a {answer.type} query and returns no graph: "
            "write a CONSTRUCT (or DESCRIBE) query to draw its result"
        )
    sub = answer.graph()
    if len(sub) == 0:
        raise QueryError("the query returned an empty graph: nothing to draw")
    idx = idx or index_graph(store.view())
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
        relation = CONVERTER.compress(str(p))
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
    h.add_edges_from(
        sorted(
            (
                min(number[u], number[v]),
                max(number[u], number[v]),
                {"weight": d.get("weight", 1)} if weight else {},
            )
            for u, v, d in g.edges(data=True)
        )
    )
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
