"""Real SPARQL servers for the endpoint tests: Oxigraph and Virtuoso on loopback.

Each server runs in a temporary folder on free 127.0.0.1 ports, is polled until it answers (for
a bounded time) and is always stopped. A missing binary skips the tests locally and fails them
in CI (CI=true), where .ci/run installs both.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from mlcryst.remote.endpoint import Endpoint

OXIGRAPH = "oxigraph"  # pip install oxigraph (the test extra)
VIRTUOSO = "virtuoso-t"  # apt-get install virtuoso-opensource (.ci/run)
ISQL = "isql-vt"
#: Virtuoso's row cap in the tests: low, so that paging is exercised by real queries.
VIRTUOSO_MAX_ROWS = 400


def require(binary: str, how: str) -> str:
    """The path of ``binary``; skip (or, in CI, fail) when it is not installed."""
    # the test environment's own scripts first: `pip install oxigraph` puts the server there,
    # and the README's test command does not activate the virtual environment
    here = str(Path(sys.executable).parent)
    path = shutil.which(binary, path=os.pathsep.join([here, os.environ.get("PATH", "")]))
    if path is None:
        message = f"{binary} is not installed ({how})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}: .ci/run must install it")
        pytest.skip(message)
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class Server:
    """A running server process and how to reach it."""

    name: str
    process: subprocess.Popen[bytes]
    folder: Path
    query_url: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    started_in: float = 0.0

    def endpoint(self, *, auth: bool = True, **kwargs: Any) -> Endpoint:
        if auth and self.user:
            return Endpoint.at(self.query_url, user=self.user, password=self.password, **kwargs)
        return Endpoint.at(self.query_url, **kwargs)

    def log(self) -> str:
        path = self.folder / "server.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        start = time.monotonic()
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.process.returncode}:\n{self.log()}"
                )
            if _answers(self.query_url):
                self.started_in = time.monotonic() - start
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {timeout} s:\n{self.log()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _spawn(args: list[str], folder: Path) -> subprocess.Popen[bytes]:
    log = (folder / "server.log").open("wb")
    try:
        return subprocess.Popen(
            args, cwd=folder, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    finally:
        log.close()


def start_oxigraph(folder: Path) -> Server:
    binary = require(OXIGRAPH, "pip install oxigraph")
    port = free_port()
    process = _spawn(
        [binary, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"], folder
    )
    server = Server("oxigraph", process, folder, f"http://127.0.0.1:{port}/query")
    server.wait_ready(30)
    return server


VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {d}/virtuoso.db
ErrorLogFile       = {d}/virtuoso.log
LockFile           = {d}/virtuoso.lck
TransactionFile    = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {d}/virtuoso-temp.db
TransactionFile    = {d}/virtuoso-temp.trx

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
CheckpointInterval = 0
DirsAllowed        = .
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000

[HTTPServer]
ServerPort         = 127.0.0.1:{http_port}
ServerRoot         = {d}
ServerThreads      = 4
Charset            = UTF-8

[SPARQL]
ResultSetMaxRows          = {max_rows}
MaxQueryExecutionTime     = 60
MaxQueryCostEstimationTime = 60
"""


def start_virtuoso(folder: Path, max_rows: int = VIRTUOSO_MAX_ROWS) -> Server:
    """Virtuoso with a fresh database, a random dba password and a user ``mlcryst`` that may
    update (SPARQL_UPDATE) through digest auth on /sparql-auth and /sparql-graph-crud-auth."""
    binary = require(VIRTUOSO, "apt-get install virtuoso-opensource")
    isql = require(ISQL, "apt-get install virtuoso-opensource")
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(d=folder, sql_port=sql_port, http_port=http_port, max_rows=max_rows)
    )
    process = _spawn([binary, "+foreground", "+configfile", str(ini)], folder)
    password, dba_password = secrets.token_hex(8), secrets.token_hex(8)
    server = Server(
        "virtuoso",
        process,
        folder,
        f"http://127.0.0.1:{http_port}/sparql",
        user="mlcryst",
        password=password,
    )
    server.wait_ready(90)
    sql = (
        f"DB.DBA.USER_CREATE('mlcryst', '{password}');\n"
        'GRANT SPARQL_UPDATE TO "mlcryst";\n'
        f"DB.DBA.USER_CHANGE_PASSWORD('dba', 'dba', '{dba_password}');\n"
    )
    try:
        done = subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba"],
            input=sql.encode(),
            capture_output=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        server.stop()
        raise RuntimeError("isql-vt did not finish the setup") from exc
    out = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
    if done.returncode != 0 or "Error" in out:
        server.stop()
        raise RuntimeError(f"setting up Virtuoso failed:\n{out}")
    return server


# --- comparing answers -------------------------------------------------------------------

NUMERIC = {
    str(XSD[t])
    for t in (
        "integer",
        "decimal",
        "double",
        "float",
        "int",
        "long",
        "short",
        "nonNegativeInteger",
        "positiveInteger",
    )
}


def cell_key(term: Any) -> tuple[Any, ...] | None:
    """A term as compared across engines: numbers by value, blank nodes as one kind."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return ("bnode",)
    if isinstance(term, URIRef):
        return ("iri", str(term))
    assert isinstance(term, Literal), term
    if term.datatype is not None and str(term.datatype) in NUMERIC:
        try:
            return ("number", Decimal(str(term)).normalize())
        except InvalidOperation:
            return ("number", str(term))
    datatype = None if term.datatype in (None, XSD.string) else str(term.datatype)
    return ("literal", str(term), (term.language or "").lower() or None, datatype)


def result_rows(result: Any) -> list[tuple[Any, ...]]:
    """The rows of an rdflib SELECT result as tuples of :func:`cell_key`, in result order."""
    names = [str(v) for v in result.vars]
    return [
        tuple(cell_key(row.get(n) if isinstance(row, dict) else row[n]) for n in names)
        for row in _bindings(result)
    ]


def _bindings(result: Any) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in b.items()} for b in result.bindings]


def oxigraph_rows(store: Any, text: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Answer ``text`` with embedded (in-process) Oxigraph: the reference for the servers."""
    from mlcryst.stores.terms import to_rdflib

    solutions = store.query(text)
    names = [v.value for v in solutions.variables]
    rows = [
        tuple(cell_key(to_rdflib(s[n], keep_xsd_string=True)) for n in names) for s in solutions
    ]
    return names, rows


# --- the named queries, with sample values for their parameters ---------------------------

#: sample values per parameter name (the named queries document these forms)
SAMPLE_VALUES: dict[str, list[Any]] = {
    "author": [
        URIRef("https://w3id.org/mlcryst/person/juhas-p"),
        Literal("Juhas, P."),
        Literal("wang, y."),
    ],
    "method": [
        URIRef("https://w3id.org/mlcryst/method/convolutional-neural-network"),
        Literal("CNN"),
    ],
}


def sent_text(q: Any, bindings: dict[str, Any]) -> str:
    """The text ``mlcryst.remote.endpoint.query`` sends for a named query and its bindings."""
    from mlcryst.remote.rewrite import bind_values

    return bind_values(q.text, bindings)


def named_query_cases() -> list[Any]:
    """pytest params (query, bindings) for every named query, unbound and with samples."""
    from mlcryst.sparql.named import list_queries

    cases = []
    for q in list_queries():
        cases.append(pytest.param(q, {}, id=q.name))
        for name in q.parameters:
            for value in SAMPLE_VALUES.get(name, []):
                cases.append(pytest.param(q, {name: value}, id=f"{q.name}[{name}={value}]"))
    return cases


def assert_same_answers(
    result: Any, expected: tuple[list[str], list[tuple[Any, ...]]], what: str
) -> None:
    """A remote SELECT result equals the embedded answer: columns, rows and their order."""
    names, rows = expected
    assert [str(v) for v in result.vars] == names, what
    got = result_rows(result)
    missing = [r for r in rows if r not in got]
    extra = [r for r in got if r not in rows]
    assert not missing and not extra, (
        f"{what}: {len(got)} rows vs {len(rows)} embedded; missing {missing[:3]}, extra {extra[:3]}"
    )
    assert got == rows, f"{what}: same rows, other order"
