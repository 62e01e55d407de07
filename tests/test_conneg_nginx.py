"""Content negotiation for real: nginx on a loopback port with the generated configuration.

Every kind of resource under every Accept header (status, Content-Type, the body parses to
the resource's triples), and a crawl of the served site: no broken internal link.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from rdflib import Graph

from mlcryst.publish.conneg import nginx_main
from mlcryst.publish.site import write_site

from .servers import free_port
from .sitecheck import BASE, document_of, kinds, minted, own_triples
from .test_site import Links

pytestmark = pytest.mark.server

ACCEPT = {
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8": ("text/html", None),
    "text/turtle": ("text/turtle", "turtle"),
    "application/n-triples": ("application/n-triples", "nt"),
    "application/ld+json": ("application/ld+json", "json-ld"),
    "application/rdf+xml": ("application/rdf+xml", "xml"),
    "text/turtle;q=1.0, text/html;q=0.5": ("text/turtle", "turtle"),
}


def nginx_binary() -> str:
    path = shutil.which("nginx", path=os.environ.get("PATH", "") + os.pathsep + "/usr/sbin")
    if path is None:
        message = "nginx is not installed (apt-get install nginx)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}: .ci/run must install it")
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    binary = nginx_binary()
    folder = tmp_path_factory.mktemp("nginx")
    site = folder / "site"
    write_site(site, store="rdflib")
    prefix = folder / "prefix"
    (prefix / "tmp").mkdir(parents=True)
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_main(str(site), "127.0.0.1", port, str(prefix)))
    process = subprocess.Popen(
        [binary, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except (urllib.error.URLError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    err = process.stderr.read().decode() if process.stderr else ""
                    pytest.fail(f"nginx did not start: {err}")
                time.sleep(0.1)
        yield url, site
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(url: str, accept: str | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def test_every_kind_under_every_accept_header(served: tuple[str, Path]) -> None:
    url, site = served
    full = Graph().parse(site / "mlcryst.nt", format="nt")
    checked = 0
    for kind, iri in kinds(minted(full)).items():
        path = iri[len(BASE) :].split("#", 1)[0]
        for accept, (media, fmt) in ACCEPT.items():
            status, ctype, body = fetch(url + path, accept)
            assert status == 200, (kind, accept)
            assert ctype.split(";")[0] == media, (kind, accept, ctype)
            if fmt is None:
                assert b"<!DOCTYPE html>" in body
                continue
            g = Graph().parse(data=body, format=fmt)
            assert own_triples(full, iri) <= set(g), (kind, accept)
            checked += 1
        status, ctype, body = fetch(url + path)  # no Accept header: the page
        assert status == 200 and ctype.startswith("text/html")
    assert checked >= 5 * len(kinds(minted(full)))
    assert fetch(url + "paper/no-such-paper")[0] == 404
    status, _ctype, body = fetch(url + "paper/no-such-paper", "text/html")
    assert b"Not found" in body
    assert document_of(BASE + "ontology#usesMethod") == "ontology"


def test_crawl_finds_no_broken_internal_link(served: tuple[str, Path]) -> None:
    url, _site = served
    host = urlsplit(url).netloc
    seen, queue, broken = {url}, [url], []
    while queue:
        page = queue.pop()
        status, ctype, body = fetch(page)
        if status != 200:
            broken.append(page)
            continue
        if not ctype.startswith("text/html"):
            continue
        parser = Links()
        parser.feed(body.decode("utf-8"))
        for link in parser.links:
            target = urldefrag(urljoin(page, link))[0]
            if urlsplit(target).netloc != host or urlsplit(target).scheme != "http":
                continue
            target = target.split("?", 1)[0]
            if target not in seen:
                seen.add(target)
                queue.append(target)
    assert broken == []
    assert len(seen) > 900
