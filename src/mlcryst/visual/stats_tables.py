"""The tables of :mod:`mlcryst.visual.stats` and the functions that build them.

:class:`Table` (one result table) and :class:`GapMap` (problem areas × method families), and
one builder per analysis: centrality rankings, Louvain communities, co-authorship components,
method × problem co-occurrence, papers per year by architecture, paradigms per journal and the
gap map. :func:`mlcryst.visual.stats.compute_stats` calls them in report order.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from mlcryst.visual.network import Index

if TYPE_CHECKING:
    import networkx as nx

#: Betweenness is exact up to this many nodes, then estimated from this many sampled sources.
EXACT_BETWEENNESS_LIMIT = 2000


@dataclass(frozen=True)
class Table:
    """One result table: a name (file stem), a title, column names and rows of plain values."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    note: str = ""
    text: bool = True  # shown by the text renderer (wide matrices go to CSV/JSON only)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass
class GapMap:
    """Problem areas × method families: how many papers combine each pair (0 = a gap)."""

    areas: tuple[str, ...]
    families: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]  # counts[family][area]
    family_groups: tuple[str, ...] = ()  # architecture of each family ("deep learning", ...)
    #: the nearest broader family of each family ("" for the top of a family tree); families
    #: come in tree order, each after its parent, so a parent's counts include its children's
    parents: tuple[str, ...] = ()

    @property
    def depths(self) -> tuple[int, ...]:
        """How deep each family sits in its family tree (0 for a top family)."""
        depth: dict[str, int] = {}
        for f, parent in zip(
            self.families, self.parents or ("",) * len(self.families), strict=True
        ):
            depth[f] = depth.get(parent, -1) + 1 if parent else 0
        return tuple(depth[f] for f in self.families)

    def indented(self, step: str = "  ") -> tuple[str, ...]:
        """The family labels indented by their depth (for text and figures)."""
        return tuple(step * d + f for f, d in zip(self.families, self.depths, strict=True))

    @property
    def gaps(self) -> list[tuple[str, str]]:
        """(area, family) pairs no paper has combined, areas in order, then families."""
        return [
            (a, f)
            for j, a in enumerate(self.areas)
            for i, f in enumerate(self.families)
            if self.counts[i][j] == 0
        ]


def _round(x: float) -> float:
    return round(float(x), 4)


def betweenness(g: nx.Graph, seed: int) -> dict[Any, float]:
    import networkx as nx

    n = g.number_of_nodes()
    k = None if n <= EXACT_BETWEENNESS_LIMIT else min(500, n)
    return nx.betweenness_centrality(g, k=k, seed=seed)  # type: ignore[no-any-return]


def centrality_table(
    g: nx.Graph,
    kind: str,
    name: str,
    title: str,
    top: int,
    centrality: tuple[dict[Any, float], dict[Any, float]],
    extra: Sequence[tuple[str, str]] = (),
) -> Table:
    degree, between = centrality
    nodes = [n for n, k in g.nodes(data="kind") if k == kind]
    nodes.sort(key=lambda n: (-g.degree(n), -between[n], g.nodes[n]["label"]))
    rows = []
    for n in nodes[:top]:
        data = g.nodes[n]
        rows.append(
            (
                data["label"],
                *(data.get(key, "") for key, _ in extra),
                g.degree(n),
                _round(degree[n]),
                _round(between[n]),
            )
        )
    return Table(
        name,
        title,
        ("label", *(col for _, col in extra), "degree", "degree centrality", "betweenness"),
        tuple(rows),
    )


def year_span(years: Iterable[int]) -> str:
    """``first–last`` of the years, or ``""`` when there are none."""
    seen = list(years)
    return f"{min(seen)}–{max(seen)}" if seen else ""


def _numbered(
    name: str, title: str, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]
) -> Table:
    """A table of groups: ``rows`` in the order given, each numbered from 1 in a first column."""
    return Table(name, title, columns, tuple((i, *row) for i, row in enumerate(rows, 1)))


COMMUNITIES = "Communities (Louvain) of the paper–method–problem view"
COMMUNITY_COLUMNS = ("community", "papers", "years", "top methods", "top problems")


def communities_table(pv: nx.Graph, seed: int) -> Table:
    from mlcryst.visual.network import louvain

    if pv.number_of_edges() == 0:
        return _numbered("communities", COMMUNITIES, COMMUNITY_COLUMNS, ())
    parts = louvain(pv, seed=seed)
    described = []
    for nodes in parts:
        papers = [n for n in nodes if pv.nodes[n]["kind"] == "paper"]
        years = [pv.nodes[n]["year"] for n in papers if "year" in pv.nodes[n]]
        about: dict[str, Counter[str]] = {"method": Counter(), "problem": Counter()}
        for p in papers:
            for q in pv[p]:
                kind = pv.nodes[q]["kind"]
                if kind in about and q in nodes:
                    about[kind][pv.nodes[q]["label"]] += 1
        top = {
            k: ", ".join(
                f"{label} ({n})" for label, n in sorted(c.items(), key=lambda x: (-x[1], x[0]))[:3]
            )
            for k, c in about.items()
        }
        described.append((len(papers), len(nodes), year_span(years), top["method"], top["problem"]))
    described.sort(key=lambda r: (-r[0], -r[1], r[3], r[4]))
    title = f"{COMMUNITIES}, described by their most frequent methods and problems"
    rows = ((n, span, methods, problems) for n, _, span, methods, problems in described)
    return _numbered("communities", title, COMMUNITY_COLUMNS, rows)


def components_table(co: nx.Graph, idx: Index) -> tuple[Table, dict[str, Any]]:
    import networkx as nx

    comps = sorted(
        (sorted(c) for c in nx.connected_components(co)),
        key=lambda c: (-len(c), co.nodes[c[0]]["label"]),
    )
    papers_of: dict[str, set[str]] = defaultdict(set)
    years_of: dict[str, int] = {}
    for p in idx.papers.values():
        for a in p.authors:
            papers_of[str(a)].add(str(p.iri))
        if p.year is not None:
            years_of[str(p.iri)] = p.year
    rows = []
    for c in comps:
        papers = set().union(*(papers_of[a] for a in c))
        core = sorted(c, key=lambda a: (-co.degree(a), co.nodes[a]["label"]))[:4]
        span = year_span(years_of[p] for p in papers if p in years_of)
        rows.append((len(c), len(papers), span, "; ".join(co.nodes[a]["label"] for a in core)))
    summary = {
        "co-authorship components": len(comps),
        "largest component (authors)": len(comps[0]) if comps else 0,
        "single-author components": sum(1 for c in comps if len(c) == 1),
    }
    title = (
        "Connected components of the co-authorship network "
        "(largest first; each is usually one paper's author list)"
    )
    columns = ("component", "authors", "papers", "years", "best-connected authors")
    return _numbered("coauthor-components", title, columns, rows), summary


def cooccurrence_tables(idx: Index) -> tuple[Table, Table]:
    pairs: Counter[tuple[URIRef, URIRef]] = Counter()
    for p in idx.papers.values():
        for m in set(p.methods):
            for q in set(p.problems):
                pairs[m, q] += 1
    label = idx.label
    long = sorted(
        ((label(m), label(q), n) for (m, q), n in pairs.items()), key=lambda r: (-r[2], r[0], r[1])
    )
    methods = sorted({m for p in idx.papers.values() for m in p.methods}, key=label)
    problems = sorted({q for p in idx.papers.values() for q in p.problems}, key=label)
    matrix = tuple((label(m), *(pairs.get((m, q), 0) for q in problems)) for m in methods)
    return (
        Table(
            "cooccurrence",
            "Method × problem co-occurrence: papers tagged with both "
            "(non-zero pairs, most frequent first)",
            ("method", "problem", "papers"),
            tuple(long),
        ),
        Table(
            "cooccurrence-matrix",
            "Method × problem co-occurrence matrix (papers)",
            ("method", *(label(q) for q in problems)),
            matrix,
            text=False,
        ),
    )


def papers_by_year(idx: Index) -> dict[int, dict[str, int]]:
    from mlcryst.visual.network import ARCHITECTURES

    out: dict[int, dict[str, int]] = {}
    for p in idx.papers.values():
        if p.year is None:
            continue
        out.setdefault(p.year, dict.fromkeys(ARCHITECTURES, 0))[p.architecture] += 1
    return dict(sorted(out.items()))


def share_table(by_year: dict[int, dict[str, int]]) -> Table:
    rows = []
    for year, c in by_year.items():
        total = sum(c.values())
        dl = c["deep learning"] + c["both"]
        rows.append(
            (
                year,
                total,
                c["deep learning"],
                c["conventional"],
                c["both"],
                c["other"],
                _round(dl / total),
            )
        )
    return Table(
        "deep-learning-share",
        "Papers per year by architecture; share = papers using "
        "deep learning (skos:broader* mlm:deep-learning) / papers of the year",
        ("year", "papers", "deep learning", "conventional", "both", "other", "deep-learning share"),
        tuple(rows),
    )


NO_PARADIGM = "no paradigm named"


def paradigm_mix(idx: Index) -> dict[str, dict[str, int]]:
    names = [idx.label(p) for p in idx.paradigms] + [NO_PARADIGM]
    out: dict[str, dict[str, int]] = {}
    for p in idx.papers_sorted():
        journal = idx.label(p.journal) if p.journal is not None else "(no journal)"
        row = out.setdefault(journal, dict.fromkeys(names, 0))
        for q in p.paradigms:
            row[idx.label(q)] += 1
        if not p.paradigms:
            row[NO_PARADIGM] += 1
    return dict(sorted(out.items()))


def paradigm_table(idx: Index, mix: dict[str, dict[str, int]]) -> Table:
    per_journal = Counter(
        idx.label(p.journal) if p.journal is not None else "(no journal)"
        for p in idx.papers.values()
    )
    names = [idx.label(p) for p in idx.paradigms] + [NO_PARADIGM]
    rows = tuple((j, per_journal[j], *(mix[j][n] for n in names)) for j in mix)
    return Table(
        "paradigm-by-journal",
        "Learning paradigms (members of mlm:facet-paradigm "
        "reached by skos:broader*) named by the papers of each journal; a paper can "
        "name several",
        ("journal", "papers", *names),
        rows,
    )


def gap_map_of(idx: Index) -> GapMap:
    families = idx.method_families
    areas = idx.problem_areas
    counts = [[0] * len(areas) for _ in families]
    fam_pos = {f: i for i, f in enumerate(families)}
    area_pos = {a: j for j, a in enumerate(areas)}

    def reached(concepts: Iterable[URIRef], pos: dict[URIRef, int]) -> set[int]:
        """The positions of the ancestors of ``concepts`` that ``pos`` lists."""
        known = (idx.concepts[c] for c in concepts if c in idx.concepts)
        return {pos[a] for concept in known for a in concept.ancestors if a in pos}

    for p in idx.papers.values():
        problem_areas = reached(p.problems, area_pos)
        for i in reached(p.methods, fam_pos):
            for j in problem_areas:
                counts[i][j] += 1

    def short(c: URIRef) -> str:
        return idx.concepts[c].short_label if c in idx.concepts else idx.label(c)

    def parent(c: URIRef) -> str:
        """The nearest family above ``c`` (breadth first up skos:broader), or ""."""
        seen = {c}
        level = list(idx.concepts[c].broader) if c in idx.concepts else []
        while level:
            for b in level:
                if b in fam_pos:
                    return short(b)
            seen.update(level)
            level = [
                b
                for c2 in level
                if c2 in idx.concepts
                for b in idx.concepts[c2].broader
                if b not in seen
            ]
        return ""

    return GapMap(
        tuple(short(a) for a in areas),
        tuple(short(f) for f in families),
        tuple(tuple(r) for r in counts),
        tuple(idx.concepts[f].architecture if f in idx.concepts else "" for f in families),
        tuple(parent(f) for f in families),
    )


def gap_tables(gap: GapMap) -> list[Table]:
    matrix = Table(
        "gap-map",
        "Gap map: papers combining a method family (rows, members of "
        "mlm:facet-model-family) with a problem area (columns, top concepts of mlp:); "
        "0 = a gap; a family counts its narrower families' papers too (parent: the family "
        "it belongs to)",
        ("method family", "parent", *gap.areas),
        tuple(
            (f, gap.parents[i] if gap.parents else "", *gap.counts[i])
            for i, f in enumerate(gap.families)
        ),
    )
    gaps = Table(
        "gaps",
        "Gaps: problem area × method family pairs that no paper combines",
        ("problem area", "method family"),
        tuple(gap.gaps),
        text=False,
    )
    return [matrix, gaps]
