"""The interactive page: one self-contained, offline HTML file drawing a network view.

vis-network's script and style come from the pyvis package and are inlined; the page template
(``templates/page.html``, ``page.css``, ``page.js``) is ours, so nothing is fetched from a CDN.
A Content-Security-Policy in the page forbids every network request and every script but the
two inline ones (by hash), so an injected ``onerror=`` attribute could not run even if it got in.
The start layout (communities, their captions, node positions) comes from
:mod:`mlcryst.visual.layout`.

Data enter the page only as JSON inside ``<script type="application/json">`` with ``<``, ``>``
and ``&`` escaped, and the page script puts every string into the DOM with ``textContent``.

>>> from mlcryst.stores.registry import open_store
>>> html = build_page(open_store(), "papers").decode()
>>> any(s in html for s in ('<script src', 'https://cdn', '<link rel="stylesheet'))
False
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlcryst import __version__
from mlcryst.errors import OutputError
from mlcryst.visual.layout import caption, communities, seed_positions
from mlcryst.visual.network import KIND_COLORS, KINDS, VIEWS, Index, project

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph

    from mlcryst.sparql.named import NamedQuery
    from mlcryst.stores.base import GraphStore

#: Label and vis-network shape of each node kind (colours: network.KIND_COLORS).
KIND_STYLE: dict[str, tuple[str, str]] = {
    "paper": ("Paper", "dot"),
    "method": ("Method", "diamond"),
    "problem": ("Problem", "square"),
    "journal": ("Journal", "star"),
    "author": ("Author", "dot"),
    "database": ("Database", "hexagon"),
    "software": ("Software", "triangle"),
    "concept": ("Other concept", "triangleDown"),
    "resource": ("Other resource", "dot"),
}

#: Extra repulsion of hubs: a node of degree d has vis-network mass 1 + HUB_MASS * sqrt(d).
HUB_MASS = 0.0

#: Views with more nodes than this start from vis-network's own random layout.
SEED_LAYOUT_LIMIT = 20000

#: Distance between neighbouring start positions; wider where most nodes carry labels.
SPACING: dict[str, float] = {"cooccurrence": 42.0, "construct": 42.0}

#: Communities with at least this many nodes get a caption drawn above them.
MIN_CAPTIONED = 6

#: Label sizes per kind, drawn by the page script without overlaps: font px from log degree
#: between ``min`` and ``max``, at least ``floor`` px on screen, hidden below ``drawThreshold``
#: px on screen. Concept labels stay readable zoomed out (where there is room for them); paper
#: and author labels appear as one zooms in, or on hover.
LABELS: dict[str, dict[str, float]] = {
    "paper": {"min": 9, "max": 14, "floor": 0, "drawThreshold": 10},
    "author": {"min": 9, "max": 14, "floor": 0, "drawThreshold": 10},
}
DEFAULT_LABELS: dict[str, float] = {"min": 11, "max": 22, "floor": 10.5, "drawThreshold": 9}

#: Kinds not shown when the page opens (the legend's checkboxes bring them back).
DEFAULT_HIDDEN: dict[str, tuple[str, ...]] = {"overview": ("author", "journal")}

#: Node attributes shown in tooltips and the details panel, in this order.
FIELDS: tuple[tuple[str, str], ...] = (
    ("citation", "Citation"),
    ("title", "Title"),
    ("name", "Name"),
    ("year", "Year"),
    ("journal", "Journal"),
    ("architecture", "Architecture"),
    ("methods", "Methods"),
    ("problems", "Problems"),
    ("paradigms", "Paradigms"),
    ("scheme", "Scheme"),
    ("broader", "Broader"),
    ("papers", "Papers"),
    ("people", "People"),
    ("first_year", "First paper"),
    ("last_year", "Latest paper"),
    ("authors", "Authors"),
    ("definition", "Definition"),
    ("doi", "DOI"),
    ("iri", "IRI"),
)

#: vis-network options. Pages start from mlcryst's positions with the physics off (frozen);
#: "Resume layout" turns the force layout on. Without start positions (huge views) the layout
#: runs 300 iterations in one batch, then freezes.
VIS_OPTIONS: dict[str, Any] = {
    "autoResize": True,
    "layout": {"improvedLayout": False, "randomSeed": 7},
    "nodes": {
        "borderWidth": 1,
        "font": {
            "size": 14,
            "face": "system-ui, sans-serif",
            "color": "#1a1a1a",
            "strokeWidth": 3,
            "strokeColor": "#ffffff",
        },
        "scaling": {
            "min": 4,
            "max": 24,
            "label": {"enabled": True, "min": 11, "max": 22, "drawThreshold": 9, "maxVisible": 26},
        },
    },
    "edges": {
        "color": {"color": "rgba(110,110,110,0.22)", "highlight": "#222", "hover": "#222"},
        "smooth": False,
        "scaling": {"min": 1, "max": 7},
        "hoverWidth": 0.5,
        "selectionWidth": 1,
    },
    "physics": {
        "enabled": True,
        "solver": "barnesHut",
        "barnesHut": {
            "gravitationalConstant": -1500,
            "centralGravity": 0.15,
            "springLength": 60,
            "springConstant": 0.03,
            "damping": 0.5,
            "avoidOverlap": 0.3,
        },
        "maxVelocity": 40,
        "minVelocity": 1,
        "timestep": 0.5,
        "stabilization": {"enabled": True, "iterations": 300, "updateInterval": 300, "fit": True},
    },
    "interaction": {
        "hover": True,
        "tooltipDelay": 150,
        "hideEdgesOnDrag": True,
        "multiselect": True,
    },
}


def _template(name: str) -> str:
    return (resources.files("mlcryst.visual") / "templates" / name).read_text(encoding="utf-8")


def vis_assets() -> tuple[str, str]:
    """vis-network's minified script and its stylesheet, from the installed pyvis package."""
    try:
        lib = resources.files("pyvis") / "lib"
    except ModuleNotFoundError as exc:
        raise OutputError("the page needs pyvis (pip install pyvis): it ships vis-network") from exc

    def version(name: str) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", name))

    candidates = sorted(
        (d for d in lib.iterdir() if d.name.startswith("vis-9")),
        key=lambda d: version(d.name),
        reverse=True,
    )
    for d in candidates:
        js, css = d / "vis-network.min.js", d / "vis-network.css"
        if js.is_file() and css.is_file():
            return js.read_text(encoding="utf-8"), css.read_text(encoding="utf-8")
    raise OutputError("pyvis does not ship vis-network 9 (pyvis/lib/vis-9.*/vis-network.min.js)")


def script_json(obj: object) -> str:
    """JSON safe inside a ``<script>`` element: ``<``, ``>``, ``&`` (and U+2028/9) escaped."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, esc)
    return text


def _inline_script(code: str) -> str:
    """Script text that cannot end its ``<script>`` element early, without source-map fetches."""
    code = re.sub(r"//[#@]\s*sourceMappingURL=\S*", "", code)
    return (
        code.replace("</script", "<\\/script")
        .replace("</SCRIPT", "<\\/SCRIPT")
        .replace("<!--", "<\\!--")
    )


def _csp(scripts: list[str]) -> str:
    hashes = " ".join(
        "'sha256-"
        + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii")
        + "'"
        for s in scripts
    )
    return (
        "default-src 'none'; script-src " + hashes + "; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:; connect-src 'none'; form-action 'none'; "
        "base-uri 'none'"
    )


def _darker(color: str) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{int(v * 0.7):02x}" for v in (r, g, b))


def page_data(g: nx.Graph, hidden_kinds: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The JSON the page script reads: kinds (legend), nodes, edges, year span, options."""
    ids = {n: i for i, n in enumerate(g.nodes)}
    counts: dict[str, int] = {}
    nodes: list[dict[str, Any]] = []
    years: list[int] = []
    for n, data in g.nodes(data=True):
        kind = data.get("kind", "resource")
        kind = kind if kind in KIND_STYLE else "resource"
        counts[kind] = counts.get(kind, 0) + 1
        item: dict[str, Any] = {
            "id": ids[n],
            "iri": data.get("iri", str(n)),
            "label": str(data.get("label", n)),
            "kind": kind,
            "deg": int(data.get("size", g.degree(n))),  # a group: how much it holds
            "info": [
                [title, str(data[key])]
                for key, title in FIELDS
                if key in data and data[key] not in ("", None)
            ],
        }
        span = (
            (data["year"], data["year"])
            if "year" in data
            else (data["first_year"], data["last_year"])
            if "first_year" in data
            else None
        )
        if span is not None:
            item["y0"], item["y1"] = int(span[0]), int(span[1])
            years += [int(span[0]), int(span[1])]
        if data.get("architecture"):
            item["arch"] = data["architecture"]
        if "drill" in data:  # a super-node of an aggregated view: what it holds
            people = "people" in data
            item["drill"] = {
                "what": "Members, most papers first" if people else "Papers, newest first",
                "total": int(data["people"] if people else data.get("papers", 0)),
                "items": data["drill"],
            }
        nodes.append(item)
    edges: list[dict[str, Any]] = []
    for u, v, data in g.edges(data=True):
        info = [["weight", str(data.get("weight", 1))]]
        if data.get("papers"):
            info.append(["papers", str(data["papers"])])
        edges.append(
            {
                "from": ids[u],
                "to": ids[v],
                "rel": str(data.get("relation", "")),
                "w": int(data.get("weight", 1)),
                "info": info,
            }
        )
        narrower = data.get("narrower")
        if data.get("relation") == "broader" and narrower in ids:
            child, parent = (u, v) if narrower == u else (v, u)
            nodes[ids[child]].setdefault("up", []).append(ids[parent])
    view = str(g.graph.get("view", ""))
    hidden = DEFAULT_HIDDEN.get(view, ()) if hidden_kinds is None else hidden_kinds
    clusters: list[dict[str, Any]] = []
    if g.number_of_nodes() <= SEED_LAYOUT_LIMIT:
        parts = communities(g, [n for n, k in g.nodes(data="kind") if k not in hidden])
        spacing = SPACING.get(view, 30.0)
        for n, (x, y) in seed_positions(g, parts, spacing).items():
            nodes[ids[n]]["x"], nodes[ids[n]]["y"] = round(x, 1), round(y, 1)
        clusters = [
            {"label": caption(g, c), "members": [ids[n] for n in c]}
            for c in parts
            if len(c) >= MIN_CAPTIONED
        ]
    kinds = [
        {
            "kind": k,
            "label": KIND_STYLE[k][0],
            "shape": KIND_STYLE[k][1],
            "color": KIND_COLORS[k],
            "border": _darker(KIND_COLORS[k]),
            "count": counts[k],
            "labels": {"enabled": True, **LABELS.get(k, DEFAULT_LABELS)},
        }
        for k in KINDS
        if k in counts
    ]
    return {
        "view": view,
        "note": str(g.graph.get("note", "")),
        "kinds": kinds,
        "hiddenKinds": [k for k in hidden if k in counts],
        "years": [min(years), max(years)] if years else None,
        "nodes": nodes,
        "edges": edges,
        "clusters": clusters,
        "options": VIS_OPTIONS,
        "hubMass": HUB_MASS,
    }


def render_page(
    g: nx.Graph,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    hidden_kinds: tuple[str, ...] | None = None,
) -> str:
    """The whole HTML page for the networkx graph ``g`` (nodes need ``kind`` and ``label``)."""
    if g.number_of_nodes() == 0:
        raise OutputError("the network is empty: there is nothing to draw")
    vis_js, vis_css = vis_assets()
    vis_js = _inline_script(vis_js)
    page_js = _inline_script(_template("page.js"))
    view = str(g.graph.get("view", ""))
    title = title or f"mlcryst: {g.graph.get('title', view or 'network')}"
    subtitle = subtitle or VIEWS.get(view, "")
    values = {
        "CSP": html.escape(_csp([vis_js, page_js]), quote=False).replace('"', "&quot;"),
        "VERSION": html.escape(__version__),
        "TITLE": html.escape(title),
        "SUBTITLE": html.escape(subtitle),
        "VIS_CSS": vis_css.replace("</style", "<\\/style"),
        "PAGE_CSS": _template("page.css"),
        "DATA": script_json(page_data(g, hidden_kinds)),
        "VIS_JS": vis_js,
        "PAGE_JS": page_js,
    }
    # one pass over the template: substituted text is never scanned for placeholders again
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: values[m.group(1)], _template("page.html"))


def build_page(
    graph: GraphStore | Graph,
    view: str = "overview",
    *,
    query: str | NamedQuery | None = None,
    index: Index | None = None,
    aggregate: bool | None = None,
) -> bytes:
    """The page of ``view`` of a store or an rdflib ``graph`` (``construct`` takes a query),
    as UTF-8. ``aggregate``: draw papers and people grouped (:mod:`mlcryst.visual.aggregate`);
    None: when the view has more nodes than a page reads well."""
    from mlcryst.stores.registry import as_store
    from mlcryst.visual.aggregate import aggregated, needs_aggregation, too_many_to_draw
    from mlcryst.visual.network import index_graph

    fold = False
    if view in ("overview", "papers") and aggregate is not False:  # large: never drawn whole
        index = index or index_graph(as_store(graph).view())
        people = {a for p in index.papers.values() for a in p.authors} if view == "overview" else ()
        fold = bool(aggregate) or too_many_to_draw(len(index.papers), len(people))
    g = project(graph, view, query=query, index=index, fold=fold)
    if fold or aggregate or (aggregate is None and needs_aggregation(g)):
        g = aggregated(g)
    return render_page(g).encode("utf-8")


def write_page(
    graph: GraphStore | Graph,
    path: Path | str,
    view: str = "overview",
    *,
    query: str | NamedQuery | None = None,
    index: Index | None = None,
    aggregate: bool | None = None,
) -> Path:
    """Write the page of ``view`` to ``path`` atomically."""
    from mlcryst.fileio import write_atomic

    path = Path(path)
    page = build_page(graph, view, query=query, index=index, aggregate=aggregate)
    write_atomic(path, page)
    return path
