"""The interactive page: self-contained, escaped, and working in a real headless browser.

The browser tests start Debian's chromium through chromedriver (never Selenium Manager) with
the network blocked, load the page from a file:// URL and drive it like a reader would.
Screenshots go to test-artifacts/; set MLCRYST_DOCS_SCREENSHOT=1 to refresh docs/img/page.png.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from mlcryst.cli.main import main
from mlcryst.errors import OutputError, QueryError
from mlcryst.namespaces import FABIO, MLC, MLM, MLP
from mlcryst.visual.network import index_graph, project
from mlcryst.visual.page import DEFAULT_HIDDEN, build_page, render_page, script_json

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
EVIL = '</script><img src=x onerror=alert(1)><img src=y onerror="window.__pwned=1">'
EVIL_PAPER = URIRef("https://w3id.org/mlcryst/paper/evil-1-1")
DATA_RE = re.compile(r'<script type="application/json" id="mlcryst-data">(.*?)</script>', re.S)


def page_json(html: str) -> dict[str, Any]:
    m = DATA_RE.search(html)
    assert m is not None
    return json.loads(m.group(1))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def evil_graph(graph: Graph) -> Graph:
    """A copy of the shipped graph with a paper whose strings try to break out of the page."""
    g = Graph()
    g += graph
    author = URIRef("https://w3id.org/mlcryst/person/evil")
    g.add((author, RDF.type, URIRef("http://xmlns.com/foaf/0.1/Person")))
    g.add((author, RDFS.label, Literal('<a href="javascript:alert(2)">Mallory</a>')))
    for p, o in (
        (RDF.type, FABIO.JournalArticle),
        (RDFS.label, Literal(EVIL)),
        (FABIO.hasPublicationYear, Literal("2023", datatype=XSD.gYear)),
        (MLC.problemStatement, Literal("<b>bold?</b> & more")),
        (DCTERMS.title, Literal('a title with href="x" and <script>alert(3)</script>')),
        (MLC.usesMethod, MLM["convolutional-neural-network"]),
        (MLC.addressesProblem, MLP["computed-tomography"]),
        (DCTERMS.creator, author),
    ):
        g.add((EVIL_PAPER, p, o))
    return g


# --- without a browser ----------------------------------------------------------------------------


def test_page_is_self_contained(graph: Graph) -> None:
    html = build_page(graph, "papers").decode("utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\"?(https?:)?//", html, re.I)
    assert "<script src" not in html and 'rel="stylesheet"' not in html
    assert "sourceMappingURL" not in html
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp and "default-src 'none'" in csp.group(1) and "connect-src 'none'" in csp.group(1)
    # the only scripts that may run are the two inline ones, allowed by hash
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(scripts) == 2
    for code in scripts:
        digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp.group(1)


def test_data_strings_are_escaped(evil_graph: Graph) -> None:
    html = build_page(evil_graph, "papers").decode("utf-8")
    assert "<img" not in html and "</script><img" not in html
    assert "javascript:alert" not in html.split('id="mlcryst-data">')[0]
    data = page_json(html)
    node = next(n for n in data["nodes"] if n["iri"] == str(EVIL_PAPER))
    assert node["label"] == EVIL  # unchanged once parsed: shown as text
    assert ["Title", 'a title with href="x" and <script>alert(3)</script>'] in node["info"]
    assert script_json({"a": "</script>&"}) == '{"a":"\\u003c/script\\u003e\\u0026"}'


def test_page_data_matches_the_projection(graph: Graph) -> None:
    g = project(graph, "overview")
    data = page_json(render_page(g))
    assert (len(data["nodes"]), len(data["edges"])) == (g.number_of_nodes(), g.number_of_edges())
    assert data["hiddenKinds"] == list(DEFAULT_HIDDEN["overview"])
    assert data["years"] == [1977, 2024]
    assert all("x" in n and "y" in n for n in data["nodes"])  # start layout precomputed
    assert {c["label"] for c in data["clusters"]} >= {"computed tomography"}


def test_bad_requests_get_clear_errors(graph: Graph, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="unknown view"):
        build_page(graph, "galaxy")
    with pytest.raises(QueryError, match="returns no graph"):
        build_page(graph, "construct", query="ASK { ?s ?p ?o }")
    with pytest.raises(OutputError, match="empty"):
        render_page(nx.Graph())
    runner = CliRunner()
    out = tmp_path / "p.html"
    bad = runner.invoke(main, ["viz", "--view", "galaxy", "--out", str(out)])
    assert bad.exit_code == 2 and "galaxy" in bad.output
    empty = runner.invoke(
        main,
        ["viz", "--sparql", "CONSTRUCT { ?s ?p ?o } WHERE { ?s <urn:none> ?o }", "--out", str(out)],
    )
    assert empty.exit_code == 5 and "empty graph" in empty.output
    assert not out.exists()
    lonely = runner.invoke(main, ["viz", "--view", "construct", "--out", str(out)])
    assert lonely.exit_code == 2 and "--sparql" in lonely.output


# --- in the browser -------------------------------------------------------------------------------


def start_chromium(profile: Path, *, loopback: bool = False) -> Any:
    """Debian's chromium, headless, with no network: every request goes to a closed local
    port, loopback too unless ``loopback`` (for pages served on 127.0.0.1)."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("Debian's chromium and chromedriver (/usr/bin) are needed for browser tests")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-extensions",
        "--window-size=1400,860",
        f"--user-data-dir={profile}",
        # no network: every request would go to a closed local port
        "--proxy-server=http://127.0.0.1:9",
    ):
        options.add_argument(arg)
    if not loopback:
        options.add_argument("--proxy-bypass-list=<-loopback>")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield driver
    finally:
        driver.quit()


def open_page(driver: Any, path: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(path.resolve().as_uri())
    WebDriverWait(driver, 30, poll_frequency=0.05).until(
        lambda d: d.execute_script("return !!(window.mlcryst && window.mlcryst.ready)")
    )


def open_overview(driver: Any, graph: Graph, tmp_path: Path) -> nx.Graph:
    """The overview view of ``graph``, its page written under ``tmp_path`` and opened."""
    g = project(graph, "overview", index=index_graph(graph))
    page = tmp_path / "overview.html"
    page.write_text(render_page(g), encoding="utf-8")
    open_page(driver, page)
    return g


def settle(driver: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10, poll_frequency=0.05).until(
        lambda d: d.execute_script("return window.mlcryst.idle()")
    )


def counts(driver: Any) -> dict[str, int]:
    return driver.execute_script(  # type: ignore[no-any-return]
        "var m = window.mlcryst; return {total: m.totalNodeCount(), totalEdges: "
        "m.totalEdgeCount(), nodes: m.visibleNodeCount(), edges: m.visibleEdgeCount(), "
        "rendered: m.renderedNodeCount(), renderedEdges: m.renderedEdgeCount()};"
    )


def console_errors(driver: Any) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def screenshot(driver: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    driver.save_screenshot(str(path))
    return path


def shown(g: nx.Graph, hidden: set[str]) -> nx.Graph:
    return g.subgraph([n for n, k in g.nodes(data="kind") if k not in hidden])


def filtered(
    g: nx.Graph, hidden: set[str], years: tuple[int, int] | None = None, arch: str | None = None
) -> set[str]:
    """The documented filter rule (docs/visualisation.md), written out independently."""
    ok_arch = {
        "deep learning": {"deep learning", "both"},
        "conventional": {"conventional", "both"},
        "other": {"other", "non-ML"},
    }

    def own(n: str) -> bool:
        d = g.nodes[n]
        if d["kind"] in hidden:
            return False
        if years and "year" in d and not years[0] <= d["year"] <= years[1]:
            return False
        return not (arch and "architecture" in d and d["architecture"] not in ok_arch[arch])

    papers = {n for n in g if "year" in g.nodes[n] and own(n)}
    out = set(papers) | {
        n
        for n in g
        if n not in papers
        and "year" not in g.nodes[n]
        and own(n)
        and any(m in papers for m in g[n])
    }
    stack = list(out - papers)
    while stack:
        n = stack.pop()
        for m in g[n]:
            e = g.edges[n, m]
            if e["relation"] == "broader" and e["narrower"] == n and own(m) and m not in out:
                out.add(m)
                stack.append(m)
    return out


@pytest.mark.browser
def test_overview_page_in_the_browser(browser: Any, graph: Graph, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    g = open_overview(browser, graph, tmp_path)
    assert console_errors(browser) == []
    assert (
        browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    )  # nothing fetched

    # the whole projection is in the page; the first view leaves out authors and journals
    first = shown(g, set(DEFAULT_HIDDEN["overview"]))
    c = counts(browser)
    assert (c["total"], c["totalEdges"]) == (g.number_of_nodes(), g.number_of_edges()) == (637, 985)
    assert (c["nodes"], c["edges"]) == (first.number_of_nodes(), first.number_of_edges())
    assert (c["rendered"], c["renderedEdges"]) == (c["nodes"], c["edges"]) == (207, 425)
    shot = screenshot(browser, "page-overview.png")
    assert browser.execute_script("return window.mlcryst.isFrozen()") is True
    freeze = browser.find_element(By.ID, "mlc-freeze")
    freeze.click()  # resume the force layout, then freeze it again
    assert browser.execute_script("return window.mlcryst.isFrozen()") is False
    assert freeze.text == "Freeze layout"
    freeze.click()
    assert browser.execute_script("return window.mlcryst.isFrozen()") is True

    if os.environ.get("MLCRYST_DOCS_SCREENSHOT"):  # refresh the README's screenshot, small
        from PIL import Image

        with Image.open(shot) as img:
            img.convert("RGB").quantize(colors=128, method=Image.Quantize.FASTOCTREE).save(
                REPO / "docs" / "img" / "page.png", optimize=True
            )

    # search: the matches and their neighbours
    box = browser.find_element(By.ID, "mlc-search")
    box.send_keys("tomography")
    settle(browser)
    matches = [n for n, label in first.nodes(data="label") if "tomography" in label.lower()]
    keep = set(matches).union(*(set(first[m]) for m in matches))
    assert counts(browser)["nodes"] == len(keep) == 14
    assert set(browser.execute_script("return window.mlcryst.visibleIris()")) == keep
    items = browser.find_elements(By.CSS_SELECTOR, "#mlc-matches button")
    assert sorted(i.text for i in items) == sorted(first.nodes[m]["label"] for m in matches)
    box.clear()
    box.send_keys(" ")  # clear() fires no input event: type a blank, which searches nothing
    settle(browser)
    assert counts(browser)["nodes"] == 207

    # node-type filter: clicking "Author" brings the 425 authors and their edges in
    browser.find_element(By.ID, "mlc-kind-author").click()
    settle(browser)
    with_authors = shown(g, {"journal"})
    assert counts(browser)["nodes"] == with_authors.number_of_nodes() == 632
    assert counts(browser)["edges"] == with_authors.number_of_edges()
    browser.find_element(By.ID, "mlc-kind-author").click()
    settle(browser)

    # year range 2023-2023: exactly the papers of 2023 remain
    browser.execute_script(
        "var f = document.getElementById('mlc-year-from'), t = document.getElementById("
        "'mlc-year-to'); f.value = 2023; f.dispatchEvent(new Event('input')); t.value = 2023;"
        "t.dispatchEvent(new Event('input'));"
    )
    settle(browser)
    visible = set(browser.execute_script("return window.mlcryst.visibleIris()"))
    papers_2023 = {n for n, y in g.nodes(data="year") if y == 2023}
    assert {n for n in visible if g.nodes[n]["kind"] == "paper"} == papers_2023
    assert len(papers_2023) == 18
    hidden = set(DEFAULT_HIDDEN["overview"])
    assert visible == filtered(g, hidden, years=(2023, 2023))
    assert counts(browser)["rendered"] == len(visible) < 207

    # deep learning only (all years again): no conventional or "other" paper is shown
    browser.execute_script("window.mlcryst.setYearRange(1977, 2024)")
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.ID, "mlc-arch")).select_by_value("deep learning")
    settle(browser)
    visible = set(browser.execute_script("return window.mlcryst.visibleIris()"))
    dl = {
        n
        for n, a in g.nodes(data="architecture")
        if g.nodes[n]["kind"] == "paper" and a in ("deep learning", "both")
    }
    assert {n for n in visible if g.nodes[n]["kind"] == "paper"} == dl and len(dl) == 49
    assert visible == filtered(g, hidden, arch="deep learning")
    assert counts(browser)["rendered"] == len(visible)
    screenshot(browser, "page-overview-deep-learning.png")
    assert console_errors(browser) == []


@pytest.mark.browser
def test_hostile_strings_are_shown_as_text(browser: Any, evil_graph: Graph, tmp_path: Path) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    page = tmp_path / "evil.html"
    page.write_bytes(build_page(evil_graph, "overview"))
    open_page(browser, page)
    browser.find_element(By.ID, "mlc-kind-author").click()
    search = browser.find_element(By.ID, "mlc-search")
    search.send_keys("onerror")
    settle(browser)
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert  # noqa: B018
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    assert browser.execute_script("return window.__pwned === undefined") is True
    items = browser.find_elements(By.CSS_SELECTOR, "#mlc-matches button")
    assert [i.get_attribute("textContent") for i in items] == [EVIL]
    browser.execute_script("window.mlcryst.select(arguments[0])", str(EVIL_PAPER))
    details = browser.find_element(By.ID, "mlc-details").get_attribute("textContent")
    assert EVIL in details and "<script>alert(3)</script>" in details
    assert browser.find_elements(By.CSS_SELECTOR, "#mlc-details a, #mlc-details script") == []
    # the author's name with an <a href> is a plain string in the details of that node too
    browser.execute_script(
        "window.mlcryst.select(arguments[0])", "https://w3id.org/mlcryst/person/evil"
    )
    assert '<a href="javascript:alert(2)">Mallory</a>' in browser.find_element(
        By.ID, "mlc-details"
    ).get_attribute("textContent")
    screenshot(browser, "page-escaping.png")
    assert console_errors(browser) == []


@pytest.mark.browser
def test_cooccurrence_and_construct_pages(browser: Any, graph: Graph, tmp_path: Path) -> None:
    runner = CliRunner()
    page = tmp_path / "cooc.html"
    result = runner.invoke(main, ["viz", "--view", "cooccurrence", "--out", str(page)])
    assert result.exit_code == 0, result.output
    open_page(browser, page)
    c = counts(browser)
    assert (c["nodes"], c["edges"], c["rendered"]) == (103, 220, 103)
    assert browser.find_element("id", "mlc-years-box").is_displayed() is False
    construct = tmp_path / "construct.html"
    q = (
        "PREFIX mlc: <https://w3id.org/mlcryst/ontology#> CONSTRUCT { ?p mlc:usesMethod ?m } "
        "WHERE { ?p mlc:usesMethod ?m }"
    )
    result = runner.invoke(main, ["viz", "--sparql", q, "--out", str(construct)])
    assert result.exit_code == 0, result.output
    open_page(browser, construct)
    expected = project(graph, "construct", query=q)
    c = counts(browser)
    assert (c["nodes"], c["edges"]) == (expected.number_of_nodes(), expected.number_of_edges())
    assert (c["nodes"], c["edges"]) == (109, 172)  # 79 papers name a method, 30 methods
    assert console_errors(browser) == []


IN_VIEW_JS = """
var net = window.mlcryst.network(), box = document.getElementById("mlc-network");
var out = {width: box.clientWidth, height: box.clientHeight, nodes: []};
Object.keys(net.getPositions()).forEach(function (id) {
  var b = net.getBoundingBox(id);
  var a = net.canvasToDOM({x: b.left, y: b.top}), c = net.canvasToDOM({x: b.right, y: b.bottom});
  out.nodes.push([window.mlcryst.data.nodes[+id].iri, a.x, a.y, c.x, c.y]);
});
out.labels = window.mlcryst.labelBoxes();
out.captions = window.mlcryst.captionBoxes();
return out;
"""


def _inside(box: list[Any], width: float, height: float) -> bool:
    return box[1] >= 0 and box[2] >= 0 and box[3] <= width and box[4] <= height


def _overlap(a: list[Any], b: list[Any]) -> bool:
    return a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]


@pytest.mark.browser
@pytest.mark.parametrize(
    ("view", "size"),
    [
        ("overview", (1400, 860)),
        ("overview", (1024, 768)),
        ("papers", (1400, 860)),
        ("cooccurrence", (1400, 860)),
    ],
)
def test_first_view_fits_every_node_and_labels_do_not_overlap(
    browser: Any, graph: Graph, tmp_path: Path, view: str, size: tuple[int, int]
) -> None:
    page = tmp_path / f"{view}.html"
    page.write_bytes(build_page(graph, view))
    browser.set_window_size(*size)
    try:
        open_page(browser, page)
        settle(browser)
        got = browser.execute_script(IN_VIEW_JS)
        shot = screenshot(browser, f"page-first-view-{view}-{size[0]}.png")
    finally:
        browser.set_window_size(1400, 860)
    w, h = got["width"], got["height"]
    assert len(got["nodes"]) == counts(browser)["rendered"] > 0
    outside = [n[0] for n in got["nodes"] if not _inside(n, w, h)]
    assert outside == [], shot
    # every drawn label and cluster caption is inside the drawing too, and no two overlap
    assert got["labels"], "no label drawn"
    assert [b[0] for b in got["labels"] + got["captions"] if not _inside(b, w, h)] == []
    boxes = got["labels"] + got["captions"]
    pairs = [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if _overlap(a, b)]
    assert pairs == []
    boxes = got["labels"]
    # zoomed out, no paper label is drawn; the concept hubs are labelled
    kinds = {n["iri"]: n["kind"] for n in page_json(page.read_text())["nodes"]}
    drawn = {kinds[b[0]] for b in boxes}
    assert "paper" not in drawn and drawn & {"method", "problem"}
    assert console_errors(browser) == []


@pytest.mark.browser
def test_search_reveals_hidden_types(browser: Any, graph: Graph, tmp_path: Path) -> None:
    """Authors start hidden; searching "Billinge" finds and shows them with their papers."""
    from selenium.webdriver.common.by import By

    g = open_overview(browser, graph, tmp_path)
    assert "author" in DEFAULT_HIDDEN["overview"]
    first = shown(g, set(DEFAULT_HIDDEN["overview"]))
    browser.find_element(By.ID, "mlc-search").send_keys("Billinge")
    settle(browser)
    authors = {n for n, d in g.nodes(data=True) if "billinge" in d["label"].lower()}
    assert authors and all(g.nodes[a]["kind"] == "author" for a in authors)
    visible = set(browser.execute_script("return window.mlcryst.visibleIris()"))
    assert visible == authors.union(*({m for m in g[a] if m in first} for a in authors))
    assert counts(browser)["rendered"] == len(visible)
    items = browser.find_elements(By.CSS_SELECTOR, "#mlc-matches button")
    assert sorted(i.text for i in items) == sorted(g.nodes[a]["label"] for a in authors)
    note = browser.find_element(By.CSS_SELECTOR, "#mlc-matches .mlc-note").text
    assert "Author" in note
    # the matches and their papers are labelled, and fit in the drawing
    drawn = set(browser.execute_script("return window.mlcryst.drawnLabels()"))
    assert authors <= drawn and drawn <= visible
    got = browser.execute_script(IN_VIEW_JS)
    assert all(_inside(b, got["width"], got["height"]) for b in got["nodes"] + got["labels"])
    screenshot(browser, "page-search-billinge.png")
    # the Author box stays unticked; clearing the search hides the authors again
    assert not browser.find_element(By.ID, "mlc-kind-author").is_selected()
    browser.execute_script("window.mlcryst.setSearch('')")
    settle(browser)
    assert counts(browser)["nodes"] == first.number_of_nodes()
    assert console_errors(browser) == []


@pytest.mark.browser
def test_paper_labels_on_hover_and_zoomed_in(browser: Any, graph: Graph, tmp_path: Path) -> None:
    g = project(graph, "overview")
    page = tmp_path / "overview.html"
    page.write_text(render_page(g), encoding="utf-8")
    open_page(browser, page)
    paper = max((n for n, k in g.nodes(data="kind") if k == "paper"), key=g.degree)
    drawn = browser.execute_script("return window.mlcryst.drawnLabels()")
    assert paper not in drawn  # zoomed out: no paper label
    browser.execute_script("window.mlcryst.hover(arguments[0])", paper)
    boxes = browser.execute_script("return window.mlcryst.labelBoxes()")
    assert paper in [b[0] for b in boxes]
    browser.execute_script("window.mlcryst.hover(null)")
    browser.execute_script(
        "var iri = arguments[0], n = window.mlcryst.network();"
        "var id = window.mlcryst.data.nodes.findIndex(function (x) { return x.iri === iri; });"
        "n.focus(id, {scale: 2, animation: false});",
        paper,
    )
    browser.execute_script("window.mlcryst.network().redraw()")
    labels = {b[0] for b in browser.execute_script("return window.mlcryst.labelBoxes()")}
    assert paper in labels
    kinds = dict(g.nodes(data="kind"))
    assert sum(1 for iri in labels if kinds[iri] == "paper") > 1  # its neighbours' too
    assert console_errors(browser) == []


def test_grouped_page_lists_what_a_group_holds(browser: Any, graph: Graph, tmp_path: Path) -> None:
    """The aggregated page (drawn by default above 2500 nodes; here asked for with --group):
    the note says what was grouped, a click on a group lists its papers, newest first."""
    from mlcryst.visual.aggregate import aggregated

    page = tmp_path / "grouped.html"
    result = CliRunner().invoke(main, ["viz", "--group", "--out", str(page)])
    assert result.exit_code == 0, result.output
    open_page(browser, page)
    expected = aggregated(project(graph, "overview"))
    assert counts(browser)["total"] == expected.number_of_nodes()
    note = browser.find_element("id", "mlc-note").text
    assert "80 papers and 425 people are grouped" in note
    biggest = max(expected.nodes, key=lambda n: expected.nodes[n]["papers"])
    browser.execute_script("window.mlcryst.select(arguments[0]);", biggest)
    items = browser.find_elements("css selector", "#mlc-details .mlc-drill li")
    drill = expected.nodes[biggest]["drill"]
    assert [i.text for i in items] == [f"{d[0]} ({d[1]})" if d[1] else d[0] for d in drill]
    heading = browser.find_element("css selector", "#mlc-details p.mlc-h").get_attribute(
        "textContent"
    )
    assert heading == f"Papers, newest first ({len(drill)} of {expected.nodes[biggest]['papers']})"
    assert console_errors(browser) == []
