"""Shared parts of the hostile-input suite: a loopback server that counts the requests it gets,
and the real ``mlcryst`` command run in a child process (tracebacks and hangs are failures)."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

#: what any uncaught Python exception prints
TRACEBACK = "Traceback (most recent call last)"


@dataclass
class Loopback:
    """An HTTP server on 127.0.0.1 that answers every request with an empty SPARQL result
    (so a leak would look like success) and records the request."""

    url: str
    hits: list[str] = field(default_factory=list)


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    box = Loopback("")

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            box.hits.append(f"{self.command} {self.path}")
            body = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield box
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str


def run_cli(
    *args: str | Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    stdin: str | None = None,
) -> Ran:
    """Run ``mlcryst ARGS`` in a child process; fail on a traceback, a hang or exit code 1."""
    environ = dict(os.environ)
    environ.update(env or {})
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "mlcryst", *map(str, args)],
            cwd=cwd,
            env=environ,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(
            f"mlcryst {' '.join(map(str, args))[:200]} hung: no answer in {timeout} s ({exc})"
        )
    ran = Ran(proc.returncode, proc.stdout, proc.stderr)
    assert TRACEBACK not in ran.stderr, ran.stderr[-3000:]
    assert ran.code != 1, f"exit 1 (an internal error):\n{ran.stderr[-3000:]}"
    return ran


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (names relative to it) with its bytes: a snapshot to compare."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
