"""Figures (PNG and SVG) from the analytics: the editorial's story at a glance.

* ``papers-per-year``: Table 1 papers per year, deep learning / conventional / other;
* ``paradigm-by-journal``: the learning paradigms the papers of each journal name;
* ``gap-map``: method family × problem area, papers combining them, gaps marked.

Figures are built on :class:`matplotlib.figure.Figure` objects (no pyplot state), rendered in
memory and written as one set; SVG output carries no date, so rebuilding gives the same file.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from mlcryst.fileio import write_set

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from rdflib import Graph

    from mlcryst.stores.base import GraphStore
    from mlcryst.visual.stats import Stats

#: Colours of the architectures (Okabe–Ito), shared with the page's palette.
ARCH_COLORS: dict[str, str] = {
    "deep learning": "#0072B2",
    "conventional": "#E69F00",
    "both": "#009E73",
    "other": "#BBBBBB",
}
ARCH_LABELS: dict[str, str] = {
    "deep learning": "deep learning",
    "conventional": "conventional ML",
    "both": "both",
    "other": "other (no model family named)",
}
PARADIGM_COLORS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
NONE_COLOR = "#D9D9D9"
GAP_COLOR = "#FBE3D2"
FORMATS: tuple[str, ...] = ("png", "svg")


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    return fig


def _style(ax: object) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)  # type: ignore[attr-defined]


def papers_per_year(stats: Stats) -> Figure:
    """Stacked bars: papers per year split by architecture (deep learning first)."""
    from matplotlib.ticker import MaxNLocator

    fig = _figure(8.0, 4.2)
    ax = fig.add_subplot()
    years = list(stats.by_year)
    archs = [a for a in ARCH_COLORS if any(stats.by_year[y][a] for y in years)]
    bottom = [0] * len(years)
    for arch in archs:
        values = [stats.by_year[y][arch] for y in years]
        ax.bar(
            years,
            values,
            bottom=bottom,
            width=0.8,
            color=ARCH_COLORS[arch],
            label=ARCH_LABELS[arch],
            edgecolor="white",
            linewidth=0.5,
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xlabel("Publication year")
    ax.set_ylabel("Papers")
    ax.set_title(
        "Papers per year by method architecture", loc="left", fontsize=12, fontweight="bold"
    )
    total = sum(bottom)
    dl = sum(stats.by_year[y]["deep learning"] + stats.by_year[y]["both"] for y in years)
    ax.text(
        0.01,
        0.97,
        f"{total} papers, {dl} of them with deep learning",
        transform=ax.transAxes,
        va="top",
        fontsize=9,
        color="#444",
    )
    if years:
        ax.set_xlim(min(years) - 1.5, max(years) + 1.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(0.0, 0.9))
    _style(ax)
    return fig


def paradigm_by_journal(stats: Stats) -> Figure:
    """Horizontal stacked bars: how many papers of each journal name each paradigm."""
    from matplotlib.ticker import MaxNLocator

    from mlcryst.visual.stats_tables import NO_PARADIGM

    mix = stats.paradigm_by_journal
    journals = list(mix)[::-1]
    names = [
        n for n in (next(iter(mix.values())) if mix else {}) if any(mix[j][n] for j in journals)
    ]
    fig = _figure(8.0, 1.4 + 0.5 * max(len(journals), 1))
    ax = fig.add_subplot()
    left = [0] * len(journals)
    colors = iter(PARADIGM_COLORS)
    for name in names:
        values = [mix[j][name] for j in journals]
        color = NONE_COLOR if name == NO_PARADIGM else next(colors)
        ax.barh(
            journals,
            values,
            left=left,
            color=color,
            label=name,
            edgecolor="white",
            linewidth=0.5,
            height=0.7,
        )
        left = [a + v for a, v in zip(left, values, strict=True)]
    ax.set_xlabel("Papers naming the paradigm (a paper can name several)")
    ax.set_title("Learning paradigms by journal", loc="left", fontsize=12, fontweight="bold")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    _style(ax)
    return fig


def gap_map(stats: Stats) -> Figure:
    """Heat map of method family × problem area; cells no paper combines are shaded as gaps."""
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    gm = stats.gap_map
    counts = np.array(gm.counts, dtype=float).reshape(len(gm.families), len(gm.areas))
    fig = _figure(9.0, 2.2 + 0.3 * max(len(gm.families), 1))
    ax = fig.add_subplot()
    cmap = ListedColormap(colormaps["Blues"](np.linspace(0.25, 0.95, 256))).with_extremes(
        bad=GAP_COLOR
    )
    vmax = max(1.0, float(counts.max()) if counts.size else 1.0)
    image = ax.imshow(
        np.ma.masked_where(counts == 0, counts),
        cmap=cmap,
        vmin=1,
        vmax=vmax,
        aspect="auto",
        interpolation="nearest",
    )
    for (i, j), value in np.ndenumerate(counts):
        if value:
            ax.text(
                j,
                i,
                str(int(value)),
                ha="center",
                va="center",
                fontsize=8,
                color="white" if value > vmax * 0.55 else "#1a1a1a",
            )
    ax.set_xticks(range(len(gm.areas)), gm.areas, rotation=35, ha="right", fontsize=9)
    # the family trees, read from the left: each family indented under the one it belongs to
    # (whose row counts its papers too)
    tree = [
        ("   " * (d - 1) + " └ " if d else "") + f
        for f, d in zip(gm.families, gm.depths, strict=True)
    ]
    ax.set_yticks(range(len(gm.families)), tree, fontsize=9, ha="left")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()  # type: ignore[no-untyped-call]
    width = max((t.get_window_extent(renderer).width for t in ax.get_yticklabels()), default=0.0)
    ax.tick_params(axis="y", pad=width * 72 / fig.dpi + 4)
    ax.set_xticks([x - 0.5 for x in range(1, len(gm.areas))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(gm.families))], minor=True)
    ax.grid(which="minor", color="white", linewidth=1.2)
    ax.tick_params(which="both", length=0)
    ax.set_xlabel("Problem area (top concepts of the problem scheme)")
    ax.set_ylabel("Method family")
    ax.set_title(
        "Gap map: method family × problem area", loc="left", fontsize=12, fontweight="bold"
    )
    fig.legend(
        handles=[
            Patch(
                facecolor=GAP_COLOR,
                label=f"gap: no paper yet ({len(gm.gaps)} of {counts.size} cells)",
            )
        ],
        loc="outside lower right",
        frameon=False,
        fontsize=9,
    )
    groups = gm.family_groups
    splits = [i for i in range(1, len(groups)) if groups[i] != groups[i - 1]]
    for i in splits:
        ax.axhline(i - 0.5, color="#333333", linewidth=1.2)
    if splits:
        order = list(dict.fromkeys(groups))
        ax.set_ylabel(
            "Method family ("
            + " | ".join(f"{g} below" if k else f"{g} above" for k, g in enumerate(order[:2]))
            + " the line)"
        )
    bar = fig.colorbar(image, ax=ax, shrink=0.6, pad=0.01)
    bar.set_label("Papers")
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    for spine in ax.spines.values():
        spine.set_visible(False)
    return fig


#: figure name -> builder
FIGURES: dict[str, Callable[[Stats], Figure]] = {
    "papers-per-year": papers_per_year,
    "paradigm-by-journal": paradigm_by_journal,
    "gap-map": gap_map,
}


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """Render ``fig`` as PNG or SVG (SVG without a date and with fixed ids)."""
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "mlcryst", "svg.fonttype": "path"}):
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buf, format=fmt, metadata=metadata, dpi=150 if fmt == "png" else None)
    return buf.getvalue()


def figure_files(stats: Stats, formats: tuple[str, ...] = FORMATS) -> dict[str, bytes]:
    """Every figure in every format, rendered in memory: file name -> bytes."""
    files: dict[str, bytes] = {}
    for name, build in FIGURES.items():
        fig = build(stats)
        for fmt in formats:
            files[f"{name}.{fmt}"] = figure_bytes(fig, fmt)
    return files


def write_figures(
    source: GraphStore | Graph | Stats, out_dir: Path | str, formats: tuple[str, ...] = FORMATS
) -> list[Path]:
    """Write every figure in every format to ``out_dir``; return the paths written.

    The folder is replaced as one set (:func:`mlcryst.fileio.write_set`): the old figures or
    the new ones, never a mix; files of the user's own in it are kept.
    """
    from mlcryst.visual.stats import Stats, figure_stats

    stats = source if isinstance(source, Stats) else figure_stats(source)
    return write_set(out_dir, figure_files(stats, formats))
