"""Load test of ``mlcryst serve`` on this computer: concurrent clients over the named queries
and the site's pages, for a bounded time and number of requests, on loopback only.

    python benchmarks/serve_load.py --url http://127.0.0.1:8080/ [--clients 20] [--seconds 30]
    python benchmarks/serve_load.py --site site/ [--clients 20] [--seconds 30]   # starts it

With ``--site`` the script starts ``mlcryst serve`` on a free port and stops it afterwards;
with ``--url`` it uses a server that runs already. Either way only 127.0.0.1, ``localhost``
or ``::1`` is accepted: this never loads anyone else's server.

The requests: every named query (its parameters bound as the store tests bind them; the
SPARQL 1.1 protocol, GET, JSON results) and pages from the site's ``sitemap.xml`` (HTML, and
Turtle through content negotiation), in a fixed round-robin order shifted per client. Each
client keeps one connection open (HTTP/1.1 keep-alive). A request is an error when it fails,
times out, or answers other than 200. Printed: requests, errors, requests per second, and
p50/p95/p99/max latency, overall and per kind; ``--json OUT`` saves the same.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import posixpath
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_CLIENTS = 200
MAX_SECONDS = 600.0
MAX_PAGES = 200


def named_requests() -> list[tuple[str, str, str]]:
    """(kind, path, Accept) for every named query, bound as tests/test_store_contract.py does."""
    from mlcryst.builder.iris import Iris
    from mlcryst.namespaces import MLM
    from mlcryst.remote.rewrite import bind_values
    from mlcryst.sparql.named import list_queries

    out = []
    for q in list_queries():
        bindings: dict[str, Any] = {}
        if "author" in q.parameters:
            bindings = {"author": Iris().person("billinge-s-j-l")}
        elif "method" in q.parameters:
            bindings = {"method": MLM["convolutional-neural-network"]}
        text = bind_values(q.text, bindings)
        out.append(("query", "sparql?query=" + quote(text), "application/sparql-results+json"))
    return out


def page_requests(conn: http.client.HTTPConnection, prefix: str) -> list[tuple[str, str, str]]:
    """(kind, path, Accept) for up to MAX_PAGES pages of the sitemap, HTML and Turtle."""
    conn.request("GET", prefix + "sitemap.xml")
    resp = conn.getresponse()
    body = resp.read().decode()
    if resp.status != 200:
        raise SystemExit(f"serve_load: {prefix}sitemap.xml answered {resp.status}")
    locs = re.findall(r"<loc>([^<]+)</loc>", body)
    paths = sorted({urlsplit(loc).path for loc in locs})
    # the site is served at the root; the sitemap names the IRIs under the base's path
    base_path = posixpath.commonpath(paths).rstrip("/") + "/"
    step = max(1, len(paths) // MAX_PAGES)
    out = []
    for i, path in enumerate(paths[::step][:MAX_PAGES]):
        relative = path[len(base_path) :]
        accept = "text/turtle" if i % 2 else "text/html"
        out.append(("page", relative, accept))
    return out


class Client(threading.Thread):
    def __init__(
        self,
        number: int,
        host: str,
        port: int,
        prefix: str,
        work: list[tuple[str, str, str]],
        stop_at: float,
        budget: Any,
        timeout: float,
    ) -> None:
        super().__init__(daemon=True)
        self.number, self.host, self.port, self.prefix = number, host, port, prefix
        self.work, self.stop_at, self.budget, self.timeout = work, stop_at, budget, timeout
        self.results: list[tuple[str, float, bool]] = []

    def run(self) -> None:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        i = self.number
        while time.monotonic() < self.stop_at and self.budget.take():
            kind, path, accept = self.work[i % len(self.work)]
            i += 1
            start = time.perf_counter()
            ok = False
            try:
                conn.request("GET", self.prefix + path, headers={"Accept": accept})
                resp = conn.getresponse()
                body = resp.read()
                ok = resp.status == 200 and len(body) > 0
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.results.append((kind, time.perf_counter() - start, ok))
        conn.close()


class Budget:
    """The total number of requests, shared by the clients."""

    def __init__(self, count: int) -> None:
        self.left = count
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0:
                return False
            self.left -= 1
            return True


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def summarise(results: list[tuple[str, float, bool]], seconds: float) -> dict[str, Any]:
    def one(rows: list[tuple[str, float, bool]]) -> dict[str, Any]:
        latencies = sorted(r[1] for r in rows)
        return {
            "requests": len(rows),
            "errors": sum(1 for r in rows if not r[2]),
            "requests_per_s": round(len(rows) / seconds, 1) if seconds else 0.0,
            **{f"p{p}_ms": round(1000 * percentile(latencies, p), 2) for p in (50, 95, 99)},
            "max_ms": round(1000 * latencies[-1], 2) if latencies else float("nan"),
        }

    out = {"all": one(results)}
    for kind in sorted({r[0] for r in results}):
        out[kind] = one([r for r in results if r[0] == kind])
    return out


def start_serve(site: Path) -> tuple[subprocess.Popen[str], str]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    mlcryst = str(Path(sys.executable).parent / "mlcryst")
    process = subprocess.Popen(
        [mlcryst, "serve", "--site", str(site), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if "Ctrl-C" in line:
            return process, f"http://127.0.0.1:{port}/"
        print(line, end="", file=sys.stderr)
    raise SystemExit(f"serve_load: mlcryst serve did not start (exit {process.wait()})")


def run(
    url: str, clients: int, seconds: float, max_requests: int, timeout: float
) -> dict[str, Any]:
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK:
        raise SystemExit(f"serve_load: {url}: only http://127.0.0.1, localhost or ::1 (loopback)")
    host, port = parts.hostname, parts.port or 80
    prefix = parts.path if parts.path.endswith("/") else parts.path + "/"
    probe = http.client.HTTPConnection(host, port, timeout=timeout)
    work = named_requests()
    pages = page_requests(probe, prefix)
    probe.close()
    # one page, one query, one page ...: the queries cycle among the pages
    queries = itertools.cycle(work)
    mixed = [r for page in pages for r in (page, next(queries))]
    budget = Budget(max_requests)
    began = time.monotonic()
    stop_at = began + seconds
    threads = [
        Client(
            n * (len(mixed) // clients or 1), host, port, prefix, mixed, stop_at, budget, timeout
        )
        for n in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + timeout + 30)
    elapsed = time.monotonic() - began
    results = [r for t in threads for r in t.results]
    summary = summarise(results, elapsed)
    summary["setup"] = {
        "url": url,
        "clients": clients,
        "seconds": round(elapsed, 2),
        "queries": len(work),
        "pages": len(pages),
    }
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="a running mlcryst serve (loopback only)")
    where.add_argument("--site", type=Path, help="start mlcryst serve on this site folder")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    parser.add_argument("--timeout", type=float, default=30.0, help="of one request (s)")
    parser.add_argument("--json", type=Path, help="also save the figures here")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= MAX_CLIENTS:
        parser.error(f"--clients: 1 to {MAX_CLIENTS}")
    if not 0 < args.seconds <= MAX_SECONDS:
        parser.error(f"--seconds: more than 0, at most {MAX_SECONDS:g}")
    if args.max_requests < 1:
        parser.error("--max-requests: 1 or more")
    process = None
    url = args.url
    if args.site is not None:
        process, url = start_serve(args.site)
    try:
        summary = run(url, args.clients, args.seconds, args.max_requests, args.timeout)
    finally:
        if process is not None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
    setup = summary["setup"]
    print(
        f"{setup['clients']} clients for {setup['seconds']} s against {setup['url']} "
        f"({setup['queries']} named queries, {setup['pages']} pages)"
    )
    print(
        f"{'kind':<6} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    for kind in ("all", "query", "page"):
        if kind in summary:
            s = summary[kind]
            print(
                f"{kind:<6} {s['requests']:>9} {s['errors']:>7} {s['requests_per_s']:>8} "
                f"{s['p50_ms']:>8} {s['p95_ms']:>8} {s['p99_ms']:>8} {s['max_ms']:>8}"
            )
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
