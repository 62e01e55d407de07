"""Interrupted pushes against a real Oxigraph server on loopback.

The push runs as a real ``python -m mlcryst push`` through a small TCP proxy that can hold a
request (so the process is struck at a known step: in the middle of the upload, or after the
upload while it counts) or cut the connection (an upload failure). Afterwards the target graph
holds its old triples or all the new ones, and no staging graph is left once the push cleaned up
(SIGINT, SIGTERM, failures) or the next push ran (kill -9, which nothing can catch).
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from mlcryst.remote.endpoint import STAGING_PREFIX, count_triples, push, query, staging_graph

from .conftest import TRACEBACK

#: one Oxigraph server for the module, its state carried from test to test: one xdist worker
pytestmark = [pytest.mark.server, pytest.mark.xdist_group("hostile-push")]

TARGET = "https://example.org/graph/interrupted"
OLD_TRIPLES = 500
NEW_TRIPLES = 10_000  # about 400 kB of N-Triples: an upload the proxy can stop half-way
#: the upload is held once this many bytes of its request went through
HOLD_AT = 96 * 1024


def _lines(count: int, tag: str) -> bytes:
    return "".join(f'<urn:{tag}:s{i}> <urn:p> "{tag} {i}" .\n' for i in range(count)).encode()


@dataclass
class Proxy:
    """A loopback TCP proxy to ``upstream``: one request per connection (urllib closes them).

    ``hold_at`` holds the first request that passes that many bytes (mid-upload);
    ``hold_after_upload`` holds the first request after the upload (a ``PUT``): the count of
    the staging graph; ``cut_at`` closes both sides of the upload half-way instead. ``struck``
    is set when it holds or cuts; a held request waits until :meth:`close`.
    """

    upstream: tuple[str, int]
    hold_at: int | None = None
    hold_after_upload: bool = False
    cut_at: int | None = None
    struck: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    saw_put: threading.Event = field(default_factory=threading.Event)
    port: int = 0
    sockets: list[socket.socket] = field(default_factory=list)

    def start(self) -> Proxy:
        listener = socket.create_server(("127.0.0.1", 0))
        self.port = listener.getsockname()[1]
        self.sockets.append(listener)
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.release.set()
        for s in self.sockets:
            s.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            self.sockets += [client, server]
            threading.Thread(target=self._up, args=(client, server), daemon=True).start()
            threading.Thread(target=self._down, args=(server, client), daemon=True).start()

    def _strike(self, client: socket.socket, server: socket.socket, cut: bool) -> None:
        self.struck.set()
        if cut:
            for s in (client, server):
                s.shutdown(socket.SHUT_RDWR)
            return
        self.release.wait(120)

    def _after_put_first_time(self) -> bool:
        return self.saw_put.is_set() and not self.struck.is_set()

    def _up(self, client: socket.socket, server: socket.socket) -> None:
        sent = 0
        try:
            while chunk := client.recv(64 * 1024):
                first = sent == 0
                if first and chunk.startswith(b"PUT "):
                    self.saw_put.set()
                elif first and self.hold_after_upload and self._after_put_first_time():
                    return self._strike(client, server, cut=False)
                server.sendall(chunk)
                sent += len(chunk)
                if self.cut_at is not None and sent >= self.cut_at and not self.struck.is_set():
                    return self._strike(client, server, cut=True)
                if self.hold_at is not None and sent >= self.hold_at and not self.struck.is_set():
                    return self._strike(client, server, cut=False)
            server.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        finally:
            if self.struck.is_set():
                for s in (client, server):
                    s.close()

    def _down(self, server: socket.socket, client: socket.socket) -> None:
        try:
            while chunk := server.recv(64 * 1024):
                client.sendall(chunk)
            client.shutdown(socket.SHUT_WR)
        except OSError:
            pass


@pytest.fixture(scope="module")
def ox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from ..servers import start_oxigraph

    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph-push"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def new_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("payload") / "new.nt"
    path.write_bytes(_lines(NEW_TRIPLES, "new"))
    return path


@pytest.fixture
def target(ox: Any) -> Any:
    """The target graph holding OLD_TRIPLES triples, and no staging graph on the server."""
    push(ox.endpoint(), _lines(OLD_TRIPLES, "old"), TARGET, triples=OLD_TRIPLES)
    assert _staging_graphs(ox) == []
    return ox


def _staging_graphs(server: Any) -> list[str]:
    rows = query(server.endpoint(), "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", named_graph=None)
    return [str(r.g) for r in rows if str(r.g).startswith(STAGING_PREFIX)]


def _target_state(server: Any) -> str:
    n = count_triples(server.endpoint(), TARGET)
    old = query(server.endpoint(), 'ASK { <urn:old:s0> <urn:p> "old 0" }', named_graph=TARGET)
    assert (n, old.askAnswer) in ((OLD_TRIPLES, True), (NEW_TRIPLES, False)), n
    return "old" if n == OLD_TRIPLES else "new"


def _address(server: Any) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(server.query_url)
    assert parts.hostname is not None and parts.port is not None
    return parts.hostname, parts.port


def _push(url: str, path: Path) -> subprocess.Popen[str]:
    args = ["push", "--endpoint", url, "--graph", str(path), "--no-validate"]
    return subprocess.Popen(
        [sys.executable, "-m", "mlcryst", *args, "--named-graph", TARGET, "--store", "oxigraph"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _strike(proxy: Proxy, proc: subprocess.Popen[str], sig: int | None) -> tuple[int, str, str]:
    """Wait until the proxy struck, send ``sig`` (None: nothing) and let the push end."""
    try:
        deadline = time.monotonic() + 60
        while not proxy.struck.wait(0.05):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the push never reached the proxy's moment"
        if sig is not None:
            proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
    finally:
        proxy.close()
    assert TRACEBACK not in err, err[-3000:]
    return proc.returncode, out, err


def _next_push(server: Any, path: Path) -> str:
    """A push straight to the server that completes: its output."""
    proc = _push(server.query_url, path)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err[-3000:]
    assert f"{NEW_TRIPLES} triples (was " in out
    assert _target_state(server) == "new"
    assert _staging_graphs(server) == []
    return out


@pytest.mark.slow
@pytest.mark.parametrize(
    ("when", "sig"),
    [
        ("uploading", signal.SIGINT),
        ("uploading", signal.SIGTERM),
        ("counting", signal.SIGINT),
        ("counting", signal.SIGTERM),
    ],
    ids=["int-uploading", "term-uploading", "int-counting", "term-counting"],
)
def test_an_interrupted_push_drops_its_staging_graph(
    target: Any, new_graph: Path, when: str, sig: int
) -> None:
    proxy = Proxy(
        _address(target),
        hold_at=HOLD_AT if when == "uploading" else None,
        hold_after_upload=when == "counting",
    ).start()
    code, _, err = _strike(proxy, _push(proxy.url, new_graph), sig)
    assert code == 130, err[-3000:]
    assert err.strip().splitlines()[-1] == "mlcryst: error: interrupted", err[-3000:]
    assert _target_state(target) == "old"
    assert _staging_graphs(target) == []


@pytest.mark.slow
@pytest.mark.parametrize("when", ["uploading", "counting"])
def test_a_killed_push_leaves_the_target_and_the_next_push_cleans_up(
    target: Any, new_graph: Path, when: str
) -> None:
    proxy = Proxy(
        _address(target),
        hold_at=HOLD_AT if when == "uploading" else None,
        hold_after_upload=when == "counting",
    ).start()
    code, _, _ = _strike(proxy, _push(proxy.url, new_graph), signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert _target_state(target) == "old"
    left = _staging_graphs(target)
    if when == "counting":  # the upload was complete: its staging graph is there, in full
        assert left == [staging_graph(TARGET)]
        assert count_triples(target.endpoint(), left[0]) == NEW_TRIPLES
    out = _next_push(target, new_graph)
    if left:
        assert "removed a leftover staging graph from an interrupted push" in out
        assert f"({NEW_TRIPLES} triples)" in out


@pytest.mark.slow
def test_a_failed_upload_keeps_the_target_and_leaves_no_staging_graph(
    target: Any, new_graph: Path
) -> None:
    proxy = Proxy(_address(target), cut_at=HOLD_AT).start()
    code, _, err = _strike(proxy, _push(proxy.url, new_graph), None)
    assert code == 7, err[-3000:]
    assert "mlcryst: error: PUT " in err, err[-3000:]
    assert _target_state(target) == "old"
    assert _staging_graphs(target) == []
    out = _next_push(target, new_graph)
    assert "leftover" not in out
