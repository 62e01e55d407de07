"""Aggregated views for large graphs (mlcryst.visual.aggregate): every count is the view's own.

The page draws a view of more than PAGE_NODE_LIMIT nodes grouped; these tests check the groups
against the ungrouped view of the shipped graph and of a synthetic corpus above the limit.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from mlcryst.visual.aggregate import DRILL, PAGE_NODE_LIMIT, aggregated, needs_aggregation
from mlcryst.visual.network import project


def _papers_of(g: nx.Graph, n: str) -> set[str]:
    return {m for m in g[n] if g.nodes[m].get("kind") == "paper"}


@pytest.mark.parametrize("view", ["overview", "papers"])
def test_groups_count_the_papers_of_the_view(graph: Any, view: str) -> None:
    g = project(graph, view)
    a = aggregated(g)
    assert a.graph["aggregated"] is True
    assert not any(k in ("paper", "author") for _, k in a.nodes(data="kind"))
    kept = {n for n, k in g.nodes(data="kind") if k not in ("paper", "author")}
    assert set(a.nodes) == kept
    for n in a.nodes:
        papers = _papers_of(g, n)
        assert a.nodes[n]["papers"] == len(papers) or not papers
        drill = a.nodes[n]["drill"]
        assert len(drill) == min(len(papers), DRILL)
        assert {d[2] for d in drill} <= {g.nodes[p]["iri"] for p in papers}
        years = [d[1] or 0 for d in drill]
        assert years == sorted(years, reverse=True)
    from mlcryst.visual.aggregate import STRONGEST

    for u, v, data in a.edges(data=True):
        if data["relation"] == "shared_papers":
            assert data["weight"] == len(_papers_of(g, u) & _papers_of(g, v)) > 0
        else:
            assert g.has_edge(u, v)
    for n in a.nodes:  # each group keeps its strongest links: no stronger one is left out
        shared = sorted(
            (len(_papers_of(g, n) & _papers_of(g, m)), str(m)) for m in a.nodes if m != n
        )
        weights = [w for w, _ in shared if w]
        if weights:
            kth = sorted(weights, reverse=True)[:STRONGEST][-1]
            for w, m in shared:
                if w > kth:
                    assert a.has_edge(n, m), (n, m, w)

    if view == "overview":  # every paper is in exactly one journal
        journals = [n for n, k in a.nodes(data="kind") if k == "journal"]
        assert sum(a.nodes[j]["papers"] for j in journals) == sum(
            1 for _, k in g.nodes(data="kind") if k == "paper"
        )
        assert "425 people" in a.graph["note"] and "80 papers" in a.graph["note"]


def test_coauthor_communities_hold_every_person(graph: Any) -> None:
    g = project(graph, "coauthors")
    a = aggregated(g)
    assert sum(a.nodes[n]["people"] for n in a.nodes) == g.number_of_nodes()
    cross = Counter()
    members = {n: {d[2] for d in a.nodes[n]["drill"]} for n in a.nodes}
    assert all(len(m) == min(a.nodes[n]["people"], DRILL) for n, m in members.items())
    where = {iri: n for n, m in members.items() for iri in m}
    for u, v in g.edges():
        iu, iv = g.nodes[u]["iri"], g.nodes[v]["iri"]
        if iu in where and iv in where and where[iu] != where[iv]:
            cross[tuple(sorted((where[iu], where[iv])))] += 1
    for (x, y), count in cross.items():  # every person is listed: communities under DRILL
        assert a[x][y]["weight"] == count
    assert aggregated(g).nodes == a.nodes  # the same groups every time (fixed seed)


def test_the_page_groups_only_large_views(graph: Any, tmp_path: Path) -> None:
    from mlcryst.load.synth import write_corpus
    from mlcryst.stores.oxigraph_store import OxigraphStore
    from mlcryst.visual.page import build_page

    def data(html: bytes) -> dict[str, Any]:
        found = re.search(rb'id="mlcryst-data">(.*?)</script>', html, re.S)
        assert found is not None
        return json.loads(found.group(1))  # type: ignore[no-any-return]

    small = data(build_page(graph, "overview"))
    assert small["note"] == "" and not any("drill" in n for n in small["nodes"])
    grouped = data(build_page(graph, "overview", aggregate=True))
    assert grouped["note"] and all("drill" in n for n in grouped["nodes"])
    folder = write_corpus(tmp_path, papers=900, seed=5).folder
    store = OxigraphStore.from_data(folder)
    g = project(store, "overview")
    assert needs_aggregation(g) and g.number_of_nodes() > PAGE_NODE_LIMIT
    large = data(build_page(store, "overview"))
    assert "900 papers" in large["note"] and len(large["nodes"]) < PAGE_NODE_LIMIT
    full = data(build_page(store, "overview", aggregate=False))
    assert len(full["nodes"]) == g.number_of_nodes()


@pytest.mark.parametrize("view", ["overview", "papers"])
def test_a_view_built_folded_groups_the_same(graph: Any, view: str) -> None:
    """Large views are built folded (never holding the papers as nodes): the same groups,
    members, links and note as grouping the whole view."""
    whole = aggregated(project(graph, view))
    folded_view = project(graph, view, fold=True)
    assert not any(k in ("paper", "author") for _, k in folded_view.nodes(data="kind"))
    folded = aggregated(folded_view)
    assert dict(folded.nodes(data=True)) == dict(whole.nodes(data=True))
    assert {frozenset((u, v)): d for u, v, d in folded.edges(data=True)} == {
        frozenset((u, v)): d for u, v, d in whole.edges(data=True)
    }
    assert folded.graph == whole.graph
