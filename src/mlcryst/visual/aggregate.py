"""Views too large to read as single nodes, drawn as groups that open on a click.

A page of ten thousand papers and their authors is a hairball that a browser lays out for a
minute. Above :data:`PAGE_NODE_LIMIT` nodes the page draws an aggregated view instead:

* a view with papers keeps what papers are tagged with and published in (methods, problems
  and their broader concepts, journals, databases, software) as super-nodes; the papers and
  their authors are folded into them. Each super-node carries how many papers it has and
  the newest :data:`DRILL` of them (the drill-down list the page shows on a click); each
  super-node is joined to the :data:`STRONGEST` others it shares most papers with (the
  weight: how many).
* a view of people only (co-authorship) folds them into communities (label propagation, a
  fixed seed), each named after its most prolific member and listing its members; two
  communities are joined by the co-author pairs between them.

Nothing is invented: every count is a count of the view's own nodes and edges.

>>> import networkx as nx
>>> g = nx.Graph(view="papers")
>>> g.add_node("m", kind="method", label="CNN")
>>> for i in range(3):
...     g.add_node(f"p{i}", kind="paper", label=f"Paper {i}", year=2020 + i, iri=f"urn:p{i}")
...     g.add_edge(f"p{i}", "m")
>>> a = aggregated(g)
>>> a.nodes["m"]["papers"], [p[0] for p in a.nodes["m"]["drill"]]
(3, ['Paper 2', 'Paper 1', 'Paper 0'])
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

#: a view with more nodes than this is drawn aggregated on the page
PAGE_NODE_LIMIT = 2500
#: how many members a super-node lists for the drill-down
DRILL = 100
#: node kinds folded into super-nodes in a view with papers
FOLDED = ("paper", "author")
#: the links of shared papers drawn: each group's strongest ones (all of them would join nearly
#: every pair of groups, a hairball again)
STRONGEST = 5


def needs_aggregation(g: nx.Graph, limit: int = PAGE_NODE_LIMIT) -> bool:
    """Whether the page should draw ``g`` aggregated."""
    return bool(g.number_of_nodes() > limit)


def aggregated(g: nx.Graph) -> nx.Graph:
    """``g`` with papers and people folded into super-nodes (see the module docstring).

    A view built folded (``project(..., fold=True)``: no paper or author nodes, the member
    lists in ``g.graph["members"]``) is grouped without ever holding the papers as nodes."""
    if "members" in g.graph:
        folded = g.graph["folded"]
        return _grouped(g, g.graph["members"], folded.get("paper", 0), folded.get("author", 0))
    kinds = Counter(k for _, k in g.nodes(data="kind"))
    if kinds.get("paper"):
        return _by_tags(g)
    return _by_community(g)


def too_many_to_draw(papers: int, people: int, limit: int = PAGE_NODE_LIMIT) -> bool:
    """Whether a view with at least this many papers and people needs grouping (decided before
    the view is built, so a large one can be built folded)."""
    return papers + people > limit


def _entry(g: nx.Graph, n: Any) -> tuple[str, int | None, str]:
    data = g.nodes[n]
    year = data.get("year", data.get("last_year"))
    return (str(data.get("label", n)), None if year is None else int(year), str(data.get("iri", n)))


def _newest(entries: list[tuple[str, int | None, str]]) -> list[list[Any]]:
    entries.sort(key=lambda e: (-(e[1] or 0), e[0], e[2]))
    return [list(e) for e in entries[:DRILL]]


def _by_tags(g: nx.Graph) -> nx.Graph:
    """The members of each kept node from the paper nodes of ``g``, then :func:`_grouped`."""
    keep = {n for n, k in g.nodes(data="kind") if k not in FOLDED}
    papers = [n for n, k in g.nodes(data="kind") if k == "paper"]
    people = sum(1 for _, k in g.nodes(data="kind") if k == "author")
    members: dict[Any, list[tuple[str, int | None, str]]] = defaultdict(list)
    for p in papers:
        entry = _entry(g, p)
        for m in g[p]:
            if m in keep:
                members[m].append(entry)
    return _grouped(g.subgraph(keep), members, len(papers), people)


def _grouped(
    g: nx.Graph, members: dict[Any, list[tuple[str, int | None, str]]], papers: int, people: int
) -> nx.Graph:
    """The super-node graph: ``g``'s nodes (none of them papers or people) with their member
    papers, ``g``'s own edges, and each node's strongest links by shared papers."""
    import networkx as nx

    out = nx.Graph()
    view = str(g.graph.get("view", ""))
    out.graph.update({k: v for k, v in g.graph.items() if k not in ("members", "folded")})
    out.graph.update(
        aggregated=True,
        title=f"{g.graph.get('title', view)}: grouped",
        note=(
            f"{papers:,} papers"
            + (f" and {people:,} people" if people else "")
            + " are grouped under what they are tagged with and published in; "
            f"lines: each group's {STRONGEST} strongest links by shared papers; "
            "click a node for its papers, newest first."
        ),
    )
    keep = {n for n, k in g.nodes(data="kind") if k not in FOLDED}
    of_paper: dict[str, list[Any]] = defaultdict(list)
    for n, entries in members.items():
        if n in keep:
            for e in entries:
                of_paper[e[2]].append(n)
    shared: Counter[tuple[Any, Any]] = Counter()
    for around in of_paper.values():
        for a, b in combinations(sorted(set(around), key=str), 2):
            shared[a, b] += 1
    for n in sorted(keep, key=str):
        data = dict(g.nodes[n])
        data["papers"] = len(members.get(n, ())) or data.get("papers", 0)
        data["drill"] = _newest(list(members.get(n, [])))
        data["size"] = data["papers"]
        out.add_node(n, **data)
    for u, v, data in g.edges(data=True):  # the view's own edges between kept nodes
        if u in keep and v in keep:
            out.add_edge(u, v, **{k: x for k, x in data.items() if k != "papers"})
    strongest: dict[Any, list[tuple[int, str, Any, Any]]] = defaultdict(list)
    for (a, b), count in shared.items():
        strongest[a].append((-count, str(b), a, b))
        strongest[b].append((-count, str(a), a, b))
    for n in sorted(strongest, key=str):
        for minus, _, a, b in sorted(strongest[n])[:STRONGEST]:
            if not out.has_edge(a, b):
                out.add_edge(a, b, relation="shared_papers", weight=-minus)
    return out


def _by_community(g: nx.Graph) -> nx.Graph:
    import networkx as nx

    out = nx.Graph()
    out.graph.update(g.graph)
    parts = sorted(
        (
            sorted(c, key=lambda n: (-int(g.nodes[n].get("papers", 0)), str(n)))
            for c in nx.community.fast_label_propagation_communities(g, weight="weight", seed=7)
        ),
        key=lambda c: (-len(c), str(c[0])),
    )
    out.graph.update(
        aggregated=True,
        title=f"{g.graph.get('title', '')}: grouped",
        note=(
            f"{g.number_of_nodes():,} people are grouped into {len(parts):,} communities of "
            "co-authors, each named after its most prolific member; click one for its members."
        ),
    )
    where: dict[Any, int] = {}
    for i, members in enumerate(parts):
        head = g.nodes[members[0]]
        for n in members:
            where[n] = i
        out.add_node(
            f"community-{i + 1}",
            kind=head.get("kind", "author"),
            label=f"{head.get('label', members[0])} (+{len(members) - 1})"
            if len(members) > 1
            else str(head.get("label", members[0])),
            iri=str(head.get("iri", members[0])),
            people=len(members),
            size=len(members),
            papers=sum(int(g.nodes[n].get("papers", 0)) for n in members),
            drill=[list(_entry(g, n)) for n in members[:DRILL]],
        )
    between: Counter[tuple[int, int]] = Counter()
    for u, v in g.edges():
        a, b = sorted((where[u], where[v]))
        if a != b:
            between[a, b] += 1
    for (a, b), count in sorted(between.items()):
        out.add_edge(f"community-{a + 1}", f"community-{b + 1}", relation="coauthor", weight=count)
    return out
