"""Standard SPARQL servers: push the graph with the Graph Store Protocol, query it remotely.

An :class:`Endpoint` holds the three URLs a SPARQL 1.1 server exposes (query, update, graph
store) and the credentials; :func:`push` replaces a named graph with the built graph and
:func:`query` runs a query against it, returning an rdflib ``Result`` that
:mod:`mlcryst.sparql.results` renders like an embedded one. Only the standard library speaks HTTP
(``urllib``: digest and basic authentication).

Push never leaves a half-loaded graph: the data goes to a staging graph first (a plain
Graph Store ``PUT`` is not atomic on every server: Virtuoso keeps the triples it parsed before an
error), is counted there, and only then replaces the target in one ``MOVE`` update. On failure,
Ctrl-C or SIGTERM the staging graph is dropped (``DROP SILENT``) and the target is untouched.
The staging graph's name is derived from the target (:func:`staging_graph`), so a push after
one that was killed (kill -9, a power cut) finds what it left, drops it and says so.

>>> e = Endpoint.at("http://127.0.0.1:8890/sparql", user="mlcryst", password="x")
>>> e.update_url, e.store_url
('http://127.0.0.1:8890/sparql-auth', 'http://127.0.0.1:8890/sparql-graph-crud-auth')
>>> Endpoint.at("http://127.0.0.1:7878").store_url
'http://127.0.0.1:7878/store'
"""

from __future__ import annotations

import contextlib
import hashlib
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib.query import Result
from rdflib.term import Node

from mlcryst.errors import EndpointError, QueryError
from mlcryst.remote.http import Http
from mlcryst.remote.results import boolean_columns, parse_graph, parse_json, to_result
from mlcryst.remote.rewrite import Paging, bind_values, check_iri, paged, paging

#: The named graph ``mlcryst push`` replaces and ``mlcryst query --endpoint`` reads by default.
DEFAULT_GRAPH_IRI = "https://w3id.org/mlcryst/graph"
#: Staging graphs are named with this prefix and a hash of the target graph's IRI.
STAGING_PREFIX = "urn:mlcryst:staging:"
#: Dropping a staging graph after a failure or an interrupt waits at most this long.
CLEANUP_TIMEOUT = 30.0
MAX_ROWS_HEADER = "X-SPARQL-MaxRows"  # Virtuoso: the result was cut at ResultSetMaxRows
MAX_PAGES = 1000
RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"


@dataclass(frozen=True)
class Endpoint:
    """Where a SPARQL 1.1 server answers, and who we are to it."""

    query_url: str
    update_url: str
    store_url: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 120.0

    @classmethod
    def at(
        cls,
        url: str,
        *,
        user: str | None = None,
        password: str | None = None,
        update_url: str | None = None,
        store_url: str | None = None,
        timeout: float = 120.0,
    ) -> Endpoint:
        """An endpoint from its query URL, the update and store URLs guessed from the layout.

        ``.../sparql`` or ``.../sparql-auth`` is Virtuoso's (``/sparql-auth`` and
        ``/sparql-graph-crud-auth`` when a user is given); ``.../query`` or a bare server root
        is Oxigraph's (``/query``, ``/update``, ``/store``). Other servers: give the URLs.
        """
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise EndpointError(f"{url!r} is not an http(s) URL")
        path = parts.path.rstrip("/")
        root, _, last = path.rpartition("/")

        def sibling(name: str) -> str:
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"{root}/{name}", "", ""))

        query_url = url
        if last in ("sparql", "sparql-auth"):
            auth = "-auth" if (user or last == "sparql-auth") else ""
            guessed_update, guessed_store = (
                sibling(f"sparql{auth}"),
                sibling(f"sparql-graph-crud{auth}"),
            )
        elif last == "query" or path == "":
            if path == "":
                root = ""
                query_url = sibling("query")
            guessed_update, guessed_store = sibling("update"), sibling("store")
        else:
            guessed_update = guessed_store = ""
        update_url = update_url or guessed_update
        store_url = store_url or guessed_store
        if not update_url or not store_url:
            raise EndpointError(
                f"cannot tell the update and graph-store URLs of {url!r}: "
                "give them (--update-url, --store-url)"
            )
        if password is not None and user is None:
            raise EndpointError("a password was given without a user name")
        return cls(query_url, update_url, store_url, user, password, timeout)


@dataclass
class PushReport:
    named_graph: str
    triples: int
    previous: int
    #: triples in a staging graph an interrupted push had left, removed first (0: none)
    leftover: int = 0


def staging_graph(named_graph: str) -> str:
    """The staging graph of pushes to ``named_graph``: always the same for one target.

    >>> staging_graph("https://w3id.org/mlcryst/graph")
    'urn:mlcryst:staging:121044f8407e1479576730bdf79946ac'
    """
    return STAGING_PREFIX + hashlib.sha256(named_graph.encode("utf-8")).hexdigest()[:32]


def _http(endpoint: Endpoint) -> Http:
    return Http(endpoint.user, endpoint.password, endpoint.timeout)


def _graph_url(base: str, graph_iri: str) -> str:
    sep = "&" if urllib.parse.urlsplit(base).query else "?"
    return f"{base}{sep}{urllib.parse.urlencode({'graph': graph_iri})}"


# --- queries -----------------------------------------------------------------------------


def query(
    endpoint: Endpoint,
    text: str,
    bindings: Mapping[str, Node] | None = None,
    *,
    named_graph: str | None = DEFAULT_GRAPH_IRI,
) -> Result:
    """Run a read-only query on the server against ``named_graph`` as its default graph.

    ``bindings`` (name -> IRI or literal) travel as VALUES blocks. A result the server cut at
    its row cap is fetched again in ordered pages. ``named_graph=None`` reads the server's own
    default graph.
    """
    from mlcryst.sparql.guard import guard

    text = guard(text)  # the text as written, checked
    sent = guard(bind_values(text, dict(bindings or {})))  # the text that is sent, checked
    form, names, booleans, paging = _read_query(sent, text)
    fields = {"query": sent}
    if named_graph:
        fields["default-graph-uri"] = check_iri(named_graph, "named graph")
    http = _http(endpoint)
    if form in ("ConstructQuery", "DescribeQuery"):
        headers, body = http.form(endpoint.query_url, fields, NTRIPLES)
        result = Result(form[:-5].upper())
        result.graph = parse_graph(body)
        cap = headers.get(MAX_ROWS_HEADER) or _row_cap_at_most(http, endpoint, len(result.graph))
        if cap:
            raise EndpointError(
                f"the server cuts results at {cap} rows and the {result.type} "
                f"answer has {len(result.graph)} triples, so it may be cut; "
                "raise the cap (Virtuoso: ResultSetMaxRows) or use SELECT"
            )
        return result
    headers, body = http.form(endpoint.query_url, fields, RESULTS_JSON)
    doc = parse_json(body)
    cap = headers.get(MAX_ROWS_HEADER)
    if (
        form == "SelectQuery"
        and cap
        and len(doc.get("results", {}).get("bindings", [])) >= int(cap)
    ):
        try:
            pages = _pages(http, endpoint, fields, sent, paging, names, int(cap))
        except QueryError as exc:
            raise EndpointError(
                f"the server cut the result at its row cap ({cap} rows) and "
                f"{exc}; raise the cap (Virtuoso: ResultSetMaxRows)"
            ) from exc
        doc = {"head": {"vars": names}, "results": {"bindings": pages}}
    return to_result(doc, form, booleans)


def _read_query(sent: str, text: str) -> tuple[str, list[str], set[str], Paging | None]:
    """rdflib's reading of the text to send, checked, under the time and memory limits:
    (query form, projected variables, boolean columns, how to page it)."""
    from mlcryst.bounded import run_limited
    from mlcryst.limits import budgets

    def read() -> tuple[str, list[str], set[str], Paging | None]:
        from rdflib.plugins.sparql.parser import parseQuery

        from mlcryst.sparql.guard import parse_checked

        try:
            algebra = parse_checked(sent)
        except QueryError:
            if sent != text:
                parse_checked(text)  # report the problem in the text as written
            raise
        node = algebra.algebra
        if node.name != "SelectQuery":
            return node.name, [], boolean_columns(node), None
        names = [str(v) for v in node.PV]
        return node.name, names, boolean_columns(node), paging(parseQuery(sent))

    b = budgets()
    return run_limited(read, timeout=b.timeout_s, memory_mb=b.memory_mb, what="reading the query")


def _row_cap_at_most(http: Http, endpoint: Endpoint, rows: int) -> str | None:
    """The server's row cap if it is ``rows`` or fewer, else None.

    Virtuoso cuts CONSTRUCT answers at ResultSetMaxRows without saying so: a SELECT that
    makes ``rows + 1`` rows from nothing (VALUES of digits) tells whether the cap is that low.
    """
    if rows == 0:
        return None
    digits = len(str(rows + 1))
    names = [f"?d{i}" for i in range(digits)]
    text = (
        "SELECT * WHERE { "
        + " ".join(f"VALUES {n} {{ 0 1 2 3 4 5 6 7 8 9 }}" for n in names)
        + f" }} LIMIT {rows + 1}"
    )
    headers, body = http.form(endpoint.query_url, {"query": text}, RESULTS_JSON)
    got = len(parse_json(body).get("results", {}).get("bindings", []))
    if headers.get(MAX_ROWS_HEADER) or got <= rows:
        return str(headers.get(MAX_ROWS_HEADER) or got)
    return None


def _pages(
    http: Http,
    endpoint: Endpoint,
    fields: dict[str, str],
    sent: str,
    parsed: Any,
    names: list[str],
    size: int,
) -> list[dict[str, Any]]:
    from mlcryst.sparql.guard import guard

    rows: list[dict[str, Any]] = []
    for page in range(MAX_PAGES):
        text = guard(paged(sent, parsed, names, size, page * size))
        _, body = http.form(endpoint.query_url, {**fields, "query": text}, RESULTS_JSON)
        got = parse_json(body).get("results", {}).get("bindings", [])
        rows += got
        if len(got) < size:
            return rows
    raise EndpointError(f"more than {MAX_PAGES} pages of {size} rows: narrow the query")


def count_triples(endpoint: Endpoint, graph_iri: str, http: Http | None = None) -> int:
    """How many triples the server holds in ``graph_iri``."""
    http = http or _http(endpoint)
    _, body = http.form(
        endpoint.query_url,
        {
            "query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
            "default-graph-uri": check_iri(graph_iri, "named graph"),
        },
        RESULTS_JSON,
    )
    rows = parse_json(body).get("results", {}).get("bindings", [])
    try:
        return int(rows[0]["n"]["value"])
    except (IndexError, KeyError, ValueError) as exc:
        raise EndpointError(f"the server did not count the triples of <{graph_iri}>") from exc


# --- push --------------------------------------------------------------------------------


def push(
    endpoint: Endpoint,
    data: bytes,
    named_graph: str = DEFAULT_GRAPH_IRI,
    *,
    triples: int | None = None,
    content_type: str = NTRIPLES,
) -> PushReport:
    """Replace ``named_graph`` on the server with ``data`` (N-Triples by default), atomically.

    ``triples`` is how many triples ``data`` holds: the staging graph must hold as many before
    it replaces the target. Raises EndpointError, leaving the target as it was, on any failure;
    on a failure, Ctrl-C or SIGTERM the staging graph is dropped before the error goes on. A
    staging graph left by a push that could not clean up (killed) is dropped first and counted
    in :attr:`PushReport.leftover`.

    Two pushes to the same target at the same time share the staging graph: one of them fails
    its count check (or the check after the move), never silently.
    """
    from mlcryst.fileio import sigterm_interrupts

    check_iri(named_graph, "named graph")
    http = _http(endpoint)
    previous = count_triples(endpoint, named_graph, http)
    staging = staging_graph(named_graph)
    with sigterm_interrupts():
        leftover = count_triples(endpoint, staging, http)
        if leftover:
            _update(http, endpoint, f"DROP SILENT GRAPH <{staging}>")
        try:
            http.send(
                "PUT",
                _graph_url(endpoint.store_url, staging),
                data,
                {"Content-Type": f"{content_type}; charset=utf-8"},
            )
            staged = count_triples(endpoint, staging, http)
            if triples is not None and staged != triples:
                raise EndpointError(
                    f"the server holds {staged} triples of the {triples} sent; "
                    f"<{named_graph}> was left as it was"
                )
            _update(http, endpoint, f"MOVE GRAPH <{staging}> TO GRAPH <{named_graph}>")
            now = count_triples(endpoint, named_graph, http)
            if now != staged:
                raise EndpointError(
                    f"<{named_graph}> holds {now} triples after the move, not the {staged} staged"
                )
        except BaseException:
            _drop_quietly(endpoint, staging)
            raise
    return PushReport(named_graph, now, previous, leftover)


def _update(http: Http, endpoint: Endpoint, text: str) -> None:
    http.form(endpoint.update_url, {"update": text}, RESULTS_JSON)


def _drop_quietly(endpoint: Endpoint, graph_iri: str) -> None:
    """Drop a staging graph; a failure here must not hide the error that led here.

    A fresh connection with a short timeout: the one in use may be what failed.
    """
    http = Http(endpoint.user, endpoint.password, min(endpoint.timeout, CLEANUP_TIMEOUT))
    with contextlib.suppress(EndpointError):
        _update(http, endpoint, f"DROP SILENT GRAPH <{graph_iri}>")
