"""``mlcryst serve`` for real: the command as a subprocess on a free loopback port, queried
with SPARQLWrapper (every named query gives the embedded store's answers), pages and RDF
fetched through the same port, YASGUI's files served, and SIGTERM stopping everything."""

from __future__ import annotations

import io
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph
from rdflib.query import Result

from mlcryst.namespaces import MLM
from mlcryst.publish.site import write_site
from mlcryst.remote.rewrite import bind_values
from mlcryst.sparql.named import NamedQuery, list_queries
from mlcryst.stores.registry import open_store

from .queryhelp import IRIS
from .servers import free_port, result_rows
from .sitecheck import own_triples
from .test_viz_page import start_chromium

# one worker builds the graph and starts the servers (module fixtures are per worker)
pytestmark = [pytest.mark.server, pytest.mark.slow, pytest.mark.xdist_group("serve")]

MLCRYST = str(Path(sys.executable).parent / "mlcryst")
QUERIES = list_queries()
PAPER = "paper/acta-d-58-2043"


def need_binaries() -> None:
    from mlcryst.errors import ServerError
    from mlcryst.publish.serve import find_binary

    try:
        find_binary("nginx")
        find_binary("oxigraph")
    except ServerError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{exc}: .ci/run must install it")
        pytest.skip(str(exc))


@dataclass
class Served:
    url: str
    site: Path
    process: subprocess.Popen[str]
    tmp: Path
    output: list[str]
    lines: queue.Queue[str] = field(default_factory=queue.Queue)


def _children(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def start_serve(args: list[str], tmp: Path, *, wait: bool = True) -> Served:
    """``mlcryst serve ARGS`` with its own TMPDIR, until it prints its URLs."""
    tmp.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [MLCRYST, "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp)},
    )
    output: list[str] = []
    served = Served("", Path(), process, tmp, output)
    if not wait:
        return served
    assert process.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    stdout = process.stdout

    def read() -> None:
        for line in stdout:
            lines.put(line)
        lines.put("")

    threading.Thread(target=read, daemon=True).start()
    served.lines = lines
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1.0)
        except queue.Empty:
            continue
        if not line:
            break
        output.append(line)
        if line.strip().startswith("site:"):
            served.url = line.split(":", 1)[1].strip()
        if line.startswith("serving "):
            served.site = Path(line.split()[1])
        if "Ctrl-C" in line:
            return served
    process.kill()
    pytest.fail("mlcryst serve did not start:\n" + "".join(output))


def stop(served: Served, sig: int = signal.SIGTERM) -> int:
    served.process.send_signal(sig)
    code = served.process.wait(timeout=60)
    while True:
        line = served.lines.get(timeout=10)
        if not line:
            break
        served.output.append(line)
    return code


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serve") / "site"
    write_site(out, store="rdflib", visuals=False)
    return out


@pytest.fixture(scope="module")
def served(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    need_binaries()
    running = start_serve(
        ["--site", str(site), "--port", str(free_port())], tmp_path_factory.mktemp("tmp")
    )
    yield running
    if running.process.poll() is None:
        stop(running)


def bindings_for(query: NamedQuery) -> dict[str, Any]:
    """The parameters as tests/test_store_contract.py binds them."""
    if "author" in query.parameters:
        return {"author": IRIS.person("billinge-s-j-l")}
    if "method" in query.parameters:
        return {"method": MLM["convolutional-neural-network"]}
    return {}


def ask_server(url: str, text: str, method: str, form: str = "SELECT") -> Result:
    from SPARQLWrapper import GET, JSON, POST, SPARQLWrapper

    client = SPARQLWrapper(url)
    client.setQuery(text)
    client.queryType = form  # its guess reads words in comments ("describe") as the form
    client.setMethod(POST if method == "POST" else GET)
    client.setReturnFormat(JSON)
    client.setTimeout(60)
    data = client.query().response.read()
    return Result.parse(io.BytesIO(data), format="json")


@pytest.fixture(scope="module")
def embedded(site: Path) -> Any:
    return open_store("rdflib", site / "mlcryst.nt")


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_named_queries_answer_as_the_embedded_store(
    served: Served, embedded: Any, query: NamedQuery
) -> None:
    bindings = bindings_for(query)
    expected = embedded.query(query, bindings, timeout=0, memory_mb=0).to_rdflib()
    method = "POST" if len(query.text) % 2 else "GET"  # both, across the queries
    got = ask_server(served.url + "sparql", bind_values(query.text, bindings), method)
    assert [str(v) for v in got.vars or []] == [str(v) for v in expected.vars or []]
    rows, want = result_rows(got), result_rows(expected)
    assert Counter(rows) == Counter(want), query.name
    assert rows == want, f"{query.name}: the same rows in another order"
    if not query.name.endswith("-violation"):
        assert want, f"{query.name}: no rows, so the comparison shows nothing"


def fetch(url: str, accept: str | None = None) -> tuple[int, str, bytes, dict[str, str]]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with opener.open(request, timeout=20) as resp:
            return (
                resp.status,
                resp.headers.get("Content-Type", ""),
                resp.read(),
                dict(resp.headers),
            )
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read(), dict(exc.headers)


def test_pages_and_rdf_through_the_same_port(served: Served, site: Path) -> None:
    status, ctype, body, _ = fetch(served.url + PAPER, "text/html")
    assert status == 200 and ctype.startswith("text/html") and b"<!DOCTYPE html>" in body
    status, ctype, body, _ = fetch(served.url + PAPER, "text/turtle")
    assert status == 200 and ctype.startswith("text/turtle")
    full = Graph().parse(site / "mlcryst.nt", format="nt")
    iri = "https://w3id.org/mlcryst/" + PAPER
    assert own_triples(full, iri) <= set(Graph().parse(data=body, format="turtle"))
    status, ctype, body, _ = fetch(served.url + PAPER + "/index.ttl")
    assert status == 200 and ctype.startswith("text/turtle")
    assert body == (site / PAPER / "index.ttl").read_bytes()


def test_the_query_editor_is_served(served: Served) -> None:
    status, _ctype, _body, headers = fetch(served.url + "sparql", "text/html")
    assert status == 303 and headers["Location"] == "/sparql/yasgui/"
    status, ctype, page, headers = fetch(served.url + "sparql/yasgui/")
    assert status == 200 and ctype.startswith("text/html") and b"Yasgui" in page
    assert "connect-src 'self'" in headers["Content-Security-Policy"]
    for name in ("yasgui.min.js", "yasgui.min.css"):
        status, _ctype, body, _ = fetch(served.url + "sparql/yasgui/" + name)
        assert status == 200 and len(body) > 1000, name
    # the page queries <page>/sparql
    answer = ask_server(served.url + "sparql/yasgui/sparql", "ASK { ?s ?p ?o }", "POST", "ASK")
    assert answer.askAnswer is True


@pytest.mark.browser
def test_yasgui_runs_a_query_in_the_browser(
    served: Served,
    tmp_path: Path,
    embedded: Any,
) -> None:
    """The editor loads from the site (no request leaves the computer) and its query button
    gets the endpoint's answer."""

    browser = start_chromium(tmp_path / "profile", loopback=True)
    try:
        check_yasgui(browser, served, str(len(embedded)))
    finally:
        browser.quit()


def check_yasgui(browser: Any, served: Served, expected: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(served.url + "sparql")  # a browser is sent to the editor
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".CodeMirror"))
    assert browser.current_url == served.url + "sparql/yasgui/"
    browser.execute_script(
        "document.querySelector('.CodeMirror').CodeMirror.setValue(arguments[0])",
        "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }",
    )
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    WebDriverWait(browser, 30).until(
        lambda d: any(expected in e.text for e in d.find_elements(By.CSS_SELECTOR, ".yasr td"))
    )
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    # the page asks for /logo.svg at the root of the site (not ours): a 404; its request to
    # prefix.cc (prefix completion) is refused by the Content-Security-Policy before it leaves
    others = [
        e["message"]
        for e in errors
        if "/logo.svg" not in e["message"] and "Content Security Policy" not in e["message"]
    ]
    assert others == []


def test_updates_and_other_methods_are_refused(served: Served) -> None:
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(served.url + "sparql", updateEndpoint=served.url + "sparql")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)):
        client.query()
    request = urllib.request.Request(served.url + "sparql", method="DELETE")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=10)
    assert err.value.code in (403, 405)
    answer = ask_server(served.url + "sparql", "ASK { <urn:a> <urn:b> <urn:c> }", "GET", "ASK")
    assert answer.askAnswer is False


def test_a_port_in_use_is_exit_code_9(site: Path, tmp_path: Path) -> None:
    need_binaries()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        done = subprocess.run(
            [MLCRYST, "serve", "--site", str(site), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 9, done.stderr
    assert f"port {port} on 127.0.0.1 is in use" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("variable", "package"),
    [("MLCRYST_NGINX", "apt-get install nginx"), ("MLCRYST_OXIGRAPH", "pip install oxigraph")],
)
def test_a_missing_binary_names_its_package(
    site: Path, tmp_path: Path, variable: str, package: str
) -> None:
    done = subprocess.run(
        [MLCRYST, "serve", "--site", str(site), "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, variable: str(tmp_path / "no-such-binary")},
    )
    assert done.returncode == 9, done.stderr
    assert package in done.stderr and "Traceback" not in done.stderr


def test_a_folder_that_is_not_a_site_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    done = subprocess.run(
        [MLCRYST, "serve", "--site", str(tmp_path), "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "holds no site" in done.stderr
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_a_short_load_test_has_no_errors(served: Served, tmp_path: Path) -> None:
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "serve_load.py"
    figures = tmp_path / "load.json"
    args = ["--url", served.url, "--clients", "8", "--seconds", "3", "--json", str(figures)]
    done = subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(figures.read_text())
    assert summary["all"]["errors"] == 0, done.stdout
    assert summary["query"]["requests"] > 0 and summary["page"]["requests"] > 0
    assert summary["setup"]["queries"] == len(QUERIES)
    assert "p95" in done.stdout and "req/s" in done.stdout


def test_the_load_test_refuses_other_hosts() -> None:
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "serve_load.py"
    done = subprocess.run(
        [sys.executable, str(script), "--url", "http://example.org/", "--seconds", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "loopback" in done.stderr


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_sigterm_stops_everything(site: Path, tmp_path: Path, sig: int) -> None:
    """Last in the file: a server of its own, stopped by SIGTERM (or Ctrl-C's SIGINT); no
    process and no temporary folder outlives it."""
    need_binaries()
    running = start_serve(["--site", str(site), "--port", str(free_port())], tmp_path / "tmp")
    children = _children(running.process.pid)
    assert len(children) >= 2  # oxigraph, nginx (and its worker)
    assert any(running.tmp.iterdir())  # the store, logs and nginx's files
    assert fetch(running.url)[0] == 200
    assert stop(running, sig) == 0, "".join(running.output)
    assert "stopped" in "".join(running.output)
    assert [pid for pid in children if _alive(pid)] == []
    assert list(running.tmp.iterdir()) == []
    with pytest.raises(OSError):
        urllib.request.urlopen(running.url, timeout=2)
