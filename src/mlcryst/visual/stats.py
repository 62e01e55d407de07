"""Analytics of the graph with networkx: centrality, communities, components, co-occurrence,
the share of deep learning per year and the gap map.

Everything is computed on the projections of :mod:`mlcryst.visual.network` (see
docs/visualisation.md for which view each number comes from) and returned as
:class:`~mlcryst.visual.stats_tables.Table` objects (built in :mod:`mlcryst.visual.stats_tables`),
which
:mod:`mlcryst.visual.stats_render` renders as aligned text, CSV or JSON.

>>> from mlcryst.stores.registry import open_store
>>> s = compute_stats(open_store())
>>> s.tables["deep-learning-share"].columns[:3]
('year', 'papers', 'deep learning')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mlcryst.visual.network import Index, coauthor_view, index_graph, papers_view
from mlcryst.visual.stats_tables import (
    GapMap,
    Table,
    betweenness,
    centrality_table,
    communities_table,
    components_table,
    cooccurrence_tables,
    gap_map_of,
    gap_tables,
    papers_by_year,
    paradigm_mix,
    paradigm_table,
    share_table,
    year_span,
)

if TYPE_CHECKING:
    from rdflib import Graph

    from mlcryst.stores.base import GraphStore


@dataclass
class Stats:
    """All analytics; ``tables`` in report order, plus the structures the figures draw."""

    tables: dict[str, Table]
    by_year: dict[int, dict[str, int]]  # year -> architecture -> papers
    paradigm_by_journal: dict[str, dict[str, int]]  # journal -> paradigm -> papers
    gap_map: GapMap
    summary: dict[str, Any] = field(default_factory=dict)


def compute_stats(
    graph: GraphStore | Graph, *, top: int = 10, seed: int = 42, index: Index | None = None
) -> Stats:
    """Compute every table from a store or an rdflib ``graph`` (``top`` rows for the
    rankings; Louvain ``seed``)."""
    import networkx as nx

    from mlcryst.stores.registry import as_store

    idx = index or index_graph(as_store(graph).view())
    pv = papers_view(idx)
    co = coauthor_view(idx)
    tables: list[Table] = []
    pv_c = (nx.degree_centrality(pv), betweenness(pv, seed))
    co_c = (nx.degree_centrality(co), betweenness(co, seed))

    tables.append(
        centrality_table(
            pv,
            "method",
            "top-methods",
            "Methods: degree (papers) and betweenness in the paper–method–problem view",
            top,
            pv_c,
            (("architecture", "architecture"),),
        )
    )
    tables.append(
        centrality_table(
            pv,
            "problem",
            "top-problems",
            "Problems: degree (papers) and betweenness in the paper–method–problem view",
            top,
            pv_c,
            (("broader", "broader"),),
        )
    )
    tables.append(
        centrality_table(
            co,
            "author",
            "top-authors",
            "Authors: degree (co-authors) and betweenness in the co-authorship network",
            top,
            co_c,
            (("papers", "papers"),),
        )
    )

    tables.append(communities_table(pv, seed))
    comp_table, comp_summary = components_table(co, idx)
    tables.append(comp_table)

    cooc, matrix = cooccurrence_tables(idx)
    tables += [cooc, matrix]

    by_year = papers_by_year(idx)
    tables.append(share_table(by_year))
    paradigm_by_journal = paradigm_mix(idx)
    tables.append(paradigm_table(idx, paradigm_by_journal))

    gap = gap_map_of(idx)
    tables += gap_tables(gap)

    summary: dict[str, Any] = {
        "papers": len(idx.papers),
        "years": year_span(by_year),
        "authors": co.number_of_nodes(),
        "methods used": sum(1 for _, k in pv.nodes(data="kind") if k == "method"),
        "problems used": sum(1 for _, k in pv.nodes(data="kind") if k == "problem"),
        "communities (Louvain, papers view)": len(tables[3].rows),
        **comp_summary,
        "gap map cells": len(gap.areas) * len(gap.families),
        "gaps (area × family never combined)": len(gap.gaps),
    }
    tables.insert(
        0,
        Table("summary", "Summary", ("metric", "value"), tuple((k, v) for k, v in summary.items())),
    )
    return Stats({t.name: t for t in tables}, by_year, paradigm_by_journal, gap, summary)


def figure_stats(graph: GraphStore | Graph, *, index: Index | None = None) -> Stats:
    """Only what the figures draw (papers per year by architecture, paradigms by journal,
    the gap map): none of the centralities, communities or components of
    :func:`compute_stats`, whose betweenness dominates the time on a large graph."""
    from mlcryst.stores.registry import as_store

    idx = index or index_graph(as_store(graph).view())
    return Stats({}, papers_by_year(idx), paradigm_mix(idx), gap_map_of(idx))
