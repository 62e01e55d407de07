"""``mlcryst serve``: the site and its SPARQL endpoint on this computer, in one command.

nginx serves the static site (with the content negotiation of :mod:`mlcryst.publish.conneg`)
and proxies ``/sparql`` to an Oxigraph server (``oxigraph serve-read-only``) that holds the
site's graph (its ``mlcryst.nt``), loaded into a fresh store in a temporary folder. Oxigraph
listens on 127.0.0.1 only, on a port of its own; nginx on ``host:port`` (127.0.0.1 unless
told otherwise). Queries have a time limit (Oxigraph's, and nginx's read limit on the proxy).
A browser asking for ``/sparql`` (no query) is sent to YASGUI (``/sparql/yasgui/``), the
query editor Oxigraph ships.

:func:`start` checks the binaries and the port, builds the site when the folder does not hold
one yet, loads the store and starts both servers; leaving its ``with`` block (Ctrl-C,
SIGTERM, an error) stops both and removes the temporary folder. Errors are
:class:`~mlcryst.errors.ServerError` (exit code 9): a port in use, a binary missing (naming
the Debian or pip package), a server that does not start or stops.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mlcryst.collection import Collection
from mlcryst.errors import ServerError, UsageError

#: where the SPARQL query editor is served, under the site
YASGUI_PATH = "sparql/yasgui/"
#: how long each server may take to answer after it was started (seconds)
START_TIMEOUT = 30.0
#: how long each server may take to stop before it is killed (seconds)
STOP_TIMEOUT = 10.0
#: the environment variables that name the binaries, and how to install them
BINARIES = {
    "nginx": ("MLCRYST_NGINX", "Debian package nginx: apt-get install nginx"),
    "oxigraph": (
        "MLCRYST_OXIGRAPH",
        "the Oxigraph server, Python package oxigraph: pip install oxigraph",
    ),
}


@dataclass
class Running:
    """The servers of one ``mlcryst serve``: where they answer, and their processes."""

    site: Path
    url: str
    folder: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    triples: int = 0
    built: bool = False

    @property
    def sparql_url(self) -> str:
        return self.url + "sparql"

    @property
    def yasgui_url(self) -> str:
        return self.url + YASGUI_PATH

    def wait(self) -> None:
        """Serve until Ctrl-C or SIGTERM (then return); :class:`ServerError` when a server
        stops on its own."""
        try:
            while True:
                for name, process in self.processes.items():
                    if process.poll() is not None:
                        raise ServerError(
                            f"{name} stopped (exit code {process.returncode}): "
                            + _log_tail(self.folder / f"{name}.log")
                        )
                time.sleep(0.5)
        except KeyboardInterrupt:
            return


def find_binary(name: str) -> str:
    """The path of ``nginx`` or ``oxigraph``: the environment variable naming it
    (``MLCRYST_NGINX``, ``MLCRYST_OXIGRAPH``), else the first on the ``PATH`` (nginx: also
    ``/usr/sbin``; oxigraph: first beside this Python, where ``pip install`` puts it)."""
    variable, how = BINARIES[name]
    explicit = os.environ.get(variable, "").strip()
    if explicit:
        path = shutil.which(explicit)
        if path is None:
            raise ServerError(f"{variable}={explicit!r} is not an executable ({name}: {how})")
        return path
    folders = os.environ.get("PATH", "").split(os.pathsep)
    if name == "nginx":
        folders += ["/usr/sbin", "/usr/local/sbin"]
    else:
        folders.insert(0, str(Path(sys.executable).parent))
    path = shutil.which(name, path=os.pathsep.join(f for f in folders if f))
    if path is None:
        raise ServerError(f"{name} is not installed ({how})")
    return path


def check_host(host: str) -> str:
    """``host`` as nginx's ``listen`` needs it: an IP address (``localhost`` is 127.0.0.1);
    an IPv6 address in brackets. A name is a :class:`UsageError`."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise UsageError(
            f"--host {host!r} is not an IP address (127.0.0.1, ::1, or an address of this "
            "computer; 0.0.0.0 for every one)"
        ) from None
    return f"[{address}]" if address.version == 6 else str(address)


def check_port(host: str, port: int) -> None:
    """:class:`ServerError` when nothing can listen on ``host:port`` (in use, or refused)."""
    if not 1 <= port <= 65535:
        raise UsageError(f"--port {port} is not a port number (1-65535)")
    bare = host.strip("[]")
    family = socket.AF_INET6 if ":" in bare else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as nginx does
        try:
            s.bind((bare, port))
        except OSError as exc:
            if exc.errno in (98, 48):  # EADDRINUSE (Linux, BSD)
                raise ServerError(
                    f"port {port} on {bare} is in use: stop what listens there, or give "
                    "another with --port"
                ) from None
            raise ServerError(f"cannot listen on {bare}:{port}: {exc.strerror or exc}") from None


def free_loopback_port() -> int:
    """A port that is free on 127.0.0.1 now (for the Oxigraph server behind nginx)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def site_graph(site: Path) -> Path | None:
    """The graph file of a site folder (``mlcryst.nt`` beside ``index.html``), else None."""
    nt = site / "mlcryst.nt"
    return nt if nt.is_file() and (site / "index.html").is_file() else None


def resolve_site(site: Path) -> Path:
    """The site to serve for ``--site DIR``: DIR when it is a site; DIR/site when DIR is a
    release (``mlcryst release``); DIR itself when it does not exist yet (to be built)."""
    if site_graph(site) is not None or not site.exists():
        return site
    if site_graph(site / "site") is not None:
        return site / "site"
    raise UsageError(
        f"--site {site}: exists but holds no site (no index.html and mlcryst.nt): give a "
        "site folder written by `mlcryst site` or `mlcryst release`, or a new folder"
    )


def _log_tail(path: Path, limit: int = 1500) -> str:
    try:
        text = path.read_text(errors="replace").strip()
    except OSError:
        return "(no log)"
    return text[-limit:] if text else "(the log is empty)"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """In the child, before exec: get SIGTERM when mlcryst dies (even by kill -9; Linux)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _spawn(name: str, args: list[str], folder: Path) -> subprocess.Popen[bytes]:
    with (folder / f"{name}.log").open("wb") as log:
        return subprocess.Popen(
            args,
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )


def _wait_ready(name: str, process: subprocess.Popen[bytes], url: str, folder: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = _log_tail(folder / f"{name}.log")
            if "Address already in use" in log or "address in use" in log.lower():
                raise ServerError(f"{name} could not listen, the port is in use: {log}")
            raise ServerError(f"{name} did not start (exit code {process.returncode}): {log}")
        if _answers(url):
            return
        time.sleep(0.1)
    raise ServerError(
        f"{name} did not answer within {START_TIMEOUT:g} s: " + _log_tail(folder / f"{name}.log")
    )


def _stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(sig)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)


def load_store(oxigraph: str, graph: Path, location: Path, folder: Path) -> None:
    """Load the N-Triples file ``graph`` into a new Oxigraph store at ``location`` (within
    the graph file budget and the time limit of :mod:`mlcryst.limits`)."""
    from mlcryst.limits import budgets

    limits = budgets()
    size = graph.stat().st_size
    if size > limits.graph_file_bytes:
        raise ServerError(
            f"{graph}: {size:,} bytes, over the graph file budget of "
            f"{limits.graph_file_bytes:,} (MLCRYST_MAX_GRAPH_FILE_MB)"
        )
    log = folder / "load.log"
    try:
        with log.open("wb") as out:
            done = subprocess.run(
                [oxigraph, "load", "--location", str(location), "--file", str(graph)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=limits.timeout_s or None,
                check=False,
            )
    except subprocess.TimeoutExpired:
        raise ServerError(
            f"{graph}: loading took longer than {limits.timeout_s:g} s (MLCRYST_TIMEOUT)"
        ) from None
    if done.returncode != 0:
        raise ServerError(f"{graph}: Oxigraph could not load it: {_log_tail(log)}")


def _count_lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for line in f if line.strip() and not line.startswith(b"#"))


@contextlib.contextmanager
def start(
    site: Path | str = "site",
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    timeout: int = 30,
    rebuild: bool = False,
    store: str = "auto",
    collection: Collection | None = None,
) -> Iterator[Running]:
    """Serve ``site`` (built first when the folder does not exist, or with ``rebuild``) on
    ``host:port`` with its SPARQL endpoint; everything stops when the block is left."""
    from mlcryst.fileio import sigterm_interrupts
    from mlcryst.publish.conneg import nginx_main

    if timeout < 1:
        raise UsageError(f"--timeout {timeout}: a query time limit is 1 second or more")
    listen_host = check_host(host)
    nginx = find_binary("nginx")
    oxigraph = find_binary("oxigraph")
    check_port(listen_host, port)
    site = resolve_site(Path(site))
    with sigterm_interrupts():
        built = False
        if rebuild or site_graph(site) is None:
            from mlcryst.publish.site import write_site

            write_site(site, store=store, collection=collection)
            built = True
        graph = site_graph(site)
        assert graph is not None
        check_port(listen_host, port)  # again: building takes a while
        folder = Path(tempfile.mkdtemp(prefix="mlcryst-serve-"))
        url_host = "127.0.0.1" if listen_host in ("0.0.0.0", "[::]") else listen_host
        running = Running(site.resolve(), f"http://{url_host}:{port}/", folder, built=built)
        try:
            load_store(oxigraph, graph, folder / "db", folder)
            running.triples = _count_lines(graph)
            ox_port = free_loopback_port()
            running.processes["oxigraph"] = _spawn(
                "oxigraph",
                [
                    oxigraph,
                    "serve-read-only",
                    "--location",
                    str(folder / "db"),
                    "--bind",
                    f"127.0.0.1:{ox_port}",
                    "--timeout-s",
                    str(timeout),
                ],
                folder,
            )
            _wait_ready(
                "oxigraph",
                running.processes["oxigraph"],
                f"http://127.0.0.1:{ox_port}/query?query=ASK%7B%7D",
                folder,
            )
            prefix = folder / "nginx"
            (prefix / "tmp").mkdir(parents=True)
            conf = prefix / "nginx.conf"
            conf.write_text(
                nginx_main(
                    str(running.site),
                    listen_host,
                    port,
                    str(prefix),
                    sparql=f"127.0.0.1:{ox_port}",
                    sparql_timeout=timeout,
                )
            )
            running.processes["nginx"] = _spawn(
                "nginx",
                [nginx, "-p", str(prefix), "-c", str(conf), "-e", str(folder / "nginx.log")],
                folder,
            )
            _wait_ready("nginx", running.processes["nginx"], running.url, folder)
            yield running
        finally:
            with _uninterrupted():  # a second Ctrl-C does not leave a server running
                for name in ("nginx", "oxigraph"):
                    if name in running.processes:
                        # nginx: SIGQUIT is its graceful stop (finish the requests in flight)
                        sig = signal.SIGQUIT if name == "nginx" else signal.SIGTERM
                        _stop(running.processes[name], sig)
                shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _uninterrupted() -> Iterator[None]:
    """SIGINT and SIGTERM ignored inside the block (main thread only; the clean-up is
    bounded by the stop timeouts)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
