"""The start layout of the interactive page (:mod:`mlcryst.visual.page`), computed on the networkx
view.

Louvain communities of the nodes shown when the page opens, a caption for each, and start
positions that pack every community as a sunflower disk, so the page opens already laid out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx


def communities(g: nx.Graph, core: list[Any], seed: int = 7) -> list[list[Any]]:
    """Louvain communities of the ``core`` subgraph, largest first, hubs first in each."""
    from mlcryst.visual.network import induced, louvain

    sub = induced(g, core)
    parts = louvain(sub, seed=seed) if core else []
    return sorted(
        (sorted(c, key=lambda n: (-sub.degree(n), str(n))) for c in parts),
        key=lambda c: (-len(c), str(c[0])),
    )


def caption(g: nx.Graph, members: list[Any]) -> str:
    """What a community is about: its best-connected problem (else method, else author)."""
    inside = set(members)
    best: dict[str, tuple[int, str]] = {}
    for n in members:
        kind = g.nodes[n].get("kind")
        if kind in ("problem", "method", "author"):
            score = sum(1 for m in g[n] if m in inside)
            label = str(g.nodes[n].get("label", n))
            if kind not in best or (score, label) > best[kind]:
                best[kind] = (score, label)
    return next((best[k][1] for k in ("problem", "method", "author") if k in best), "")


def seed_positions(
    g: nx.Graph, parts: list[list[Any]], spacing: float = 30.0
) -> dict[Any, tuple[float, float]]:
    """Start positions that already show the structure, so no long layout run is needed.

    Each community (of the nodes shown when the page opens) is a sunflower-packed disk, the
    largest nearest the centre, hubs in the middle of their disk. Every other node starts next
    to its first placed neighbour.
    """
    import math

    golden = math.pi * (3 - math.sqrt(5))
    pos: dict[Any, tuple[float, float]] = {}
    gap = 110.0
    radii = [spacing * (math.sqrt(len(m) + 2) + 0.5) for m in parts]
    # shelf packing: rows of disks, about as wide as a screen is wider than tall
    width = max([2 * r for r in radii] + [math.sqrt(1.6 * sum((2 * r + gap) ** 2 for r in radii))])
    rows: list[list[int]] = [[]]
    used = 0.0
    for i, r in enumerate(radii):
        if rows[-1] and used + 2 * r > width:
            rows.append([])
            used = 0.0
        rows[-1].append(i)
        used += 2 * r + gap
    top = 0.0
    for row in rows:
        height = max(radii[i] for i in row)
        x = -(sum(2 * radii[i] + gap for i in row) - gap) / 2
        for i in row:
            cx, cy = x + radii[i], top + height
            for j, n in enumerate(parts[i]):
                r = spacing * math.sqrt(j + 2) if j else 0.0  # room around the hub
                pos[n] = (cx + r * math.cos(j * golden), cy + r * math.sin(j * golden))
            x += 2 * radii[i] + gap
        top += 2 * height + gap
    around: dict[Any, int] = {}
    for n in g.nodes:
        if n in pos:
            continue
        hub = next((m for m in g[n] if m in pos), None)
        near = pos[hub] if hub is not None else (0.0, 0.0)
        k = around[hub] = around.get(hub, 0) + 1
        r = spacing * (1.2 + 0.25 * k)
        pos[n] = (near[0] + r * math.cos(k * golden), near[1] + r * math.sin(k * golden))
    return pos
