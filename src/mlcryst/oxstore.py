"""The Oxigraph-backed paths: build into, read, query and serialise a ``pyoxigraph.Store``.

rdflib stays the API of the pipeline (validation, networks and the small seed graph use its
``Graph``), but at the scale of the whole literature its in-memory store, SPARQL engine and
serialisers are 10-1000x slower than Oxigraph's (see docs/benchmarks.md). This module gives
the heavy paths an Oxigraph route with the same results:

* :func:`store_from_triples` / :func:`build_store`: the triples of :func:`mlcryst.build.
  build_triples` plus the vocabularies, bulk-loaded into a Store;
* :func:`read_store`: parse an RDF file with Oxigraph's parsers (never fetching anything);
* :func:`run_query`: a SPARQL query, checked by :func:`mlcryst.query.check_safe` (SERVICE,
  FROM and updates refused), with a time and memory limit (:mod:`mlcryst.bounded`);
* :func:`render`: the same table as :mod:`mlcryst.results`, without importing rdflib;
* :func:`serialize`: canonical N-Triples byte-identical to :func:`mlcryst.export.serialize`,
  Turtle and JSON-LD of the same graph (Oxigraph's layout);
* :func:`cached_store`: the graph built from a data folder, cached as N-Triples under
  ``$XDG_CACHE_HOME/mlcryst`` keyed by a hash of the data, vocabularies and code, so that a
  cold ``mlcryst query NAME`` costs little more than Python's start-up.

This module imports rdflib only where it has to (conversion to and from rdflib objects).

>>> store = read_store_text('<urn:a> <urn:p> "x" .', "nt")
>>> print(render(run_query(store, "SELECT ?s ?o WHERE { ?s ?p ?o }"), "table"), end="")
s      o
-----  -
urn:a  x
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .errors import OutputError, QueryError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rdflib import Graph
    from rdflib.query import Result

#: mlcryst.namespaces.PREFIXES, repeated here so the query path does not import rdflib
#: (tests/test_stores.py checks that the two agree)
PREFIXES: dict[str, str] = {
    "mlc": "https://w3id.org/mlcryst/ontology#",
    "mlm": "https://w3id.org/mlcryst/method/",
    "mlp": "https://w3id.org/mlcryst/problem/",
    "fabio": "http://purl.org/spar/fabio/",
    "prism": "http://prismstandard.org/namespaces/basic/2.0/",
    "bibo": "http://purl.org/ontology/bibo/",
    "cito": "http://purl.org/spar/cito/",
    "biro": "http://purl.org/spar/biro/",
    "csvw": "http://www.w3.org/ns/csvw#",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
MAX_CELL = 70  # as mlcryst.results.MAX_CELL
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
STORES = ("auto", "rdflib", "oxigraph")
#: above this many papers (or this many bytes of graph file) "auto" picks Oxigraph
AUTO_PAPERS = 2000
AUTO_FILE_BYTES = 5 * 2**20

SUFFIX_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
}
FORMAT_NAMES = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                "jsonld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}


# --- choosing a store ------------------------------------------------------------------------

def choose(store: str, *, papers: int | None = None, path: Path | str | None = None) -> str:
    """Resolve ``store`` ("auto", "rdflib" or "oxigraph") to a concrete store name.

    "auto" is Oxigraph above :data:`AUTO_PAPERS` papers or :data:`AUTO_FILE_BYTES` of input
    file, rdflib below (the small graph's outputs stay exactly rdflib's).
    """
    if store not in STORES:
        raise QueryError(f"unknown store {store!r}; choose one of {', '.join(STORES)}")
    if store != "auto":
        return store
    if papers is not None and papers > AUTO_PAPERS:
        return "oxigraph"
    if path is not None:
        try:
            if Path(path).stat().st_size > AUTO_FILE_BYTES:
                return "oxigraph"
        except OSError:
            pass
    return "rdflib"


def count_papers(data_dir: Path | str | None) -> int:
    """A cheap estimate of the number of papers in a data folder (records in papers.yaml)."""
    from .resources import default_data_dir

    path = Path(data_dir or default_data_dir()) / "papers.yaml"
    try:
        with path.open("rb") as fh:
            return sum(1 for line in fh if line.startswith(b"- "))
    except OSError:
        return 0


# --- terms -----------------------------------------------------------------------------------

class _ToOx:
    """rdflib terms -> pyoxigraph terms, with IRIs and datatypes made once."""

    def __init__(self) -> None:
        self.iris: dict[str, ox.NamedNode] = {}
        self.bnodes: dict[str, ox.BlankNode] = {}

    def iri(self, value: str) -> ox.NamedNode:
        node = self.iris.get(value)
        if node is None:
            node = self.iris[value] = ox.NamedNode(value)
        return node

    def __call__(self, term: Any) -> Any:
        from rdflib import BNode, Literal

        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=self.iri(str(term.datatype)))
            return ox.Literal(str(term))
        if isinstance(term, BNode):
            node = self.bnodes.get(term)
            if node is None:
                node = self.bnodes[term] = ox.BlankNode()
            return node
        return self.iri(str(term))


def to_rdflib(term: Any) -> Any:
    """A pyoxigraph term as an rdflib term (None stays None)."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    dtype = term.datatype.value
    return Literal(term.value, datatype=None if dtype == XSD_STRING else URIRef(dtype))


# --- stores ----------------------------------------------------------------------------------

def _load_vocabularies(store: ox.Store, folder: Path | None = None) -> None:
    from .resources import resource_dir

    for path in sorted((folder or resource_dir("ontology")).glob("*.ttl")):
        try:
            store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE,
                            base_iri=path.resolve().as_uri())
        except (SyntaxError, OSError) as exc:
            from .errors import DataError

            raise DataError(f"not valid Turtle: {exc}", file=str(path)) from exc


def store_from_triples(triples: Iterable[tuple[Any, Any, Any]], *,
                       vocabularies: bool = True) -> ox.Store:
    """An in-memory Store of rdflib ``triples`` (plus the vocabularies unless told not to)."""
    store = ox.Store()
    if vocabularies:
        _load_vocabularies(store)
    conv = _ToOx()
    store.extend(ox.Quad(conv(s), conv(p), conv(o)) for s, p, o in triples)
    return store


def store_from_graph(graph: Graph) -> ox.Store:
    """An rdflib Graph copied into a Store."""
    return store_from_triples(graph, vocabularies=False)


def build_store(data_dir: Path | str | None = None, base: str | None = None) -> ox.Store:
    """Load, tag and build the curated data straight into a Store (no rdflib Graph)."""
    from .build import build_triples
    from .load import load_dataset

    return store_from_triples(build_triples(load_dataset(data_dir), base))


def to_graph(store: ox.Store) -> Graph:
    """The Store's default graph as an rdflib Graph (prefixes bound)."""
    from rdflib import Graph

    from .namespaces import bind_prefixes

    graph = Graph()
    bind_prefixes(graph)
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def _refuse_remote_contexts(data: bytes, path: Path | str) -> None:
    from .store import _refuse_remote_contexts

    try:
        doc = json.loads(data)
    except ValueError as exc:
        raise OutputError(f"{path}: not valid json-ld: {exc}") from exc
    _refuse_remote_contexts(doc, Path(path))


def read_store(path: Path | str, fmt: ox.RdfFormat | None = None) -> ox.Store:
    """Parse an RDF file into a Store (format from the suffix), never touching the network."""
    path = Path(path)
    fmt = fmt or SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise OutputError(f"{path}: cannot tell the RDF format from the suffix "
                          f"(known: {', '.join(sorted(SUFFIX_FORMATS))})")
    if not path.is_file():
        raise OutputError(f"{path}: no such graph file")
    store = ox.Store()
    try:
        if fmt == ox.RdfFormat.JSON_LD:
            data = path.read_bytes()
            _refuse_remote_contexts(data, path)
            store.bulk_load(data, format=fmt, base_iri=path.resolve().as_uri())
        else:
            kwargs: dict[str, Any] = {}
            if not fmt.supports_datasets:
                kwargs["to_graph"] = ox.DefaultGraph()
            store.bulk_load(path=str(path), format=fmt, base_iri=path.resolve().as_uri(),
                            **kwargs)
    except OutputError:
        raise
    except (SyntaxError, OSError, ValueError) as exc:
        raise OutputError(f"{path}: not valid {fmt.name}: {exc}") from exc
    return store


def read_store_text(text: str, fmt: str = "nt") -> ox.Store:
    """A Store of RDF given as text ("nt" or "turtle")."""
    store = ox.Store()
    store.bulk_load(text.encode("utf-8"), format=FORMAT_NAMES[fmt], to_graph=ox.DefaultGraph())
    return store


# --- the graph cache -------------------------------------------------------------------------

def cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "mlcryst"


def cache_key(data_dir: Path | str | None = None, base: str | None = None) -> str:
    """A hash of everything the built graph depends on: data, vocabularies, code, base."""
    from . import __version__
    from .resources import default_data_dir, resource_dir

    h = hashlib.sha256(f"{__version__}\0{base or ''}\0".encode())
    here = Path(__file__).resolve().parent
    folders = [(Path(data_dir) if data_dir else default_data_dir(), "*.yaml"),
               (resource_dir("ontology"), "*.ttl"), (here, "*.py")]
    for folder, pattern in folders:
        for path in sorted(folder.glob(pattern)):
            h.update(path.name.encode() + b"\0")
            h.update(path.read_bytes())
            h.update(b"\0")
    return h.hexdigest()[:32]


def cached_ntriples(data_dir: Path | str | None = None, base: str | None = None) -> Path:
    """The N-Triples file of the graph built from ``data_dir`` (built and cached if absent)."""
    from .fileio import write_atomic

    path = cache_dir() / f"graph-{cache_key(data_dir, base)}.nt"
    if path.is_file():
        return path
    store = build_store(data_dir, base)
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    try:
        write_atomic(path, data)
    except OutputError:  # an unwritable cache is not an error: build each time instead
        tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f"mlcryst-{os.getpid()}.nt"
        write_atomic(tmp, data)
        return tmp
    return path


def cached_store(data_dir: Path | str | None = None, base: str | None = None) -> ox.Store:
    """The Store of the graph built from ``data_dir``, read from the cache when it is there."""
    if os.environ.get("MLCRYST_NO_CACHE"):
        return build_store(data_dir, base)
    return read_store(cached_ntriples(data_dir, base), ox.RdfFormat.N_TRIPLES)


def open_store(source: Path | str | None = None, *, data_dir: Path | str | None = None,
               base: str | None = None) -> ox.Store:
    """Like :func:`mlcryst.store.open_graph`, as a Store: ``source`` if given, else the build."""
    if source is not None:
        return read_store(source)
    return cached_store(data_dir, base)


# --- queries ---------------------------------------------------------------------------------

@dataclass
class OxResult:
    """A materialised query result (picklable, so it can come back from a child process)."""

    type: str  # SELECT | ASK | CONSTRUCT
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    answer: bool | None = None
    triples: list[tuple[Any, Any, Any]] = field(default_factory=list)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.rows if self.type == "SELECT" else self.triples)

    def __len__(self) -> int:
        return len(self.rows if self.type == "SELECT" else self.triples)


def _verdict_file(text: str) -> Path:
    return cache_dir() / "safe-queries" / hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_safe(text: str) -> None:
    """:func:`mlcryst.query.check_safe`, remembered: a text that passed once is not re-parsed.

    The check needs rdflib's SPARQL parser (0.3 s to import); the verdict for a given text
    never changes, so it is cached by the hash of the text.
    """
    marker = _verdict_file(text)
    if marker.is_file():
        return
    from .query import check_safe as full_check

    full_check(text)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass


_SKIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>'
    r"|#[^\n]*")


def substitute(text: str, bindings: dict[Any, Any]) -> str:
    """Write bound values into the query text (outside strings, IRIs and comments), as
    rdflib's ``initBindings`` binds them: ``BOUND(?v)`` becomes true, ``?v`` the value."""
    out: list[str] = []
    pos = 0

    def code(chunk: str) -> str:
        for var, term in bindings.items():
            name = re.escape(var.value)
            chunk = re.sub(rf"(?i)\bBOUND\s*\(\s*[?$]{name}\s*\)", "true", chunk)
            chunk = re.sub(rf"[?$]{name}(?![\w\u00b7\u0300-\u036f\u203f-\u2040])",
                           lambda _m, t=term: str(t), chunk)
        return chunk

    for m in _SKIP.finditer(text):
        out.append(code(text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(code(text[pos:]))
    return "".join(out)


def _materialise(result: Any) -> OxResult:
    if isinstance(result, ox.QueryBoolean):
        return OxResult("ASK", answer=bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return OxResult("SELECT", names, [tuple(sol[i] for i in range(len(names)))
                                          for sol in result])
    return OxResult("CONSTRUCT", triples=[(t.subject, t.predicate, t.object) for t in result])


def _ox_binding(value: Any) -> Any:
    if isinstance(value, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return value
    return _ToOx()(value)


def run_query(store: ox.Store, text: str, bindings: dict[str, Any] | None = None, *,
              timeout: float | None = 0, memory_mb: int | None = 0,
              union: bool = False, what: str = "the query") -> OxResult:
    """Run a SPARQL query on ``store`` (checked as safe), optionally under limits.

    ``bindings`` maps variable names to pyoxigraph or rdflib terms, substituted as in
    rdflib's ``initBindings``. The default here is no limit (``timeout=0``, ``memory_mb=0``);
    ``memory_mb=None`` is the default limit of :mod:`mlcryst.bounded`.
    """
    check_safe(text)
    subs = {ox.Variable(k): _ox_binding(v) for k, v in (bindings or {}).items()}

    def evaluate() -> OxResult:
        try:
            try:
                return _materialise(store.query(text, substitutions=subs or None,
                                                use_default_graph_as_union=union))
            except RuntimeError as exc:
                # Oxigraph substitutes only projected variables; rdflib's initBindings binds
                # any variable: write the values into the text instead (same semantics)
                if not subs or "projection" not in str(exc):
                    raise
                return _materialise(store.query(substitute(text, subs),
                                                use_default_graph_as_union=union))
        except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"the query failed: {exc}") from None

    if not timeout and memory_mb == 0:
        return evaluate()
    from .bounded import run_limited

    return run_limited(evaluate, timeout=timeout, memory_mb=memory_mb, what=what)


# --- rendering -------------------------------------------------------------------------------

_NAME_START = {"Ll", "Lu", "Lo", "Lt", "Nl"}
_SPLIT_START = _NAME_START | {"Nd"}
_NAME = _NAME_START | {"Mc", "Me", "Mn", "Lm", "Nd"}
_ALLOWED = {"\u00b7", "\u0387", "-", ".", "_", "%", "(", ")"}
_BY_NAMESPACE = {ns: prefix for prefix, ns in PREFIXES.items()}


def _split_uri(uri: str) -> tuple[str, str] | None:
    """rdflib.namespace.split_uri: where an IRI splits into namespace and local name."""
    category = unicodedata.category
    length = len(uri)
    for i in range(length):
        c = uri[-i - 1]
        if category(c) not in _NAME:
            if c in _ALLOWED:
                continue
            for j in range(-1 - i, length):
                if category(uri[j]) in _SPLIT_START or uri[j] == "_":
                    ns = uri[:j]
                    if not ns:
                        break
                    return ns, uri[j:]
            break
    return None


def curie(iri: str) -> str:
    """The CURIE of ``iri`` under mlcryst's prefixes, or the IRI itself (as results.py shows)."""
    split = _split_uri(iri)
    if split is None:
        return iri
    namespace = split[0]
    best = max((ns for ns in _BY_NAMESPACE if iri.startswith(ns) and ns.startswith(namespace)),
               key=len, default=None)
    if best is not None:
        return f"{_BY_NAMESPACE[best]}:{iri[len(best):]}"
    return iri


def _cell(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return curie(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def table(result: OxResult, width: int | None = None) -> str:
    """The aligned plain-text table of :func:`mlcryst.results.table`."""
    import shutil

    if result.type == "ASK":
        return ("true" if result.answer else "false") + "\n"
    names = result.vars
    body = [[_cell(t) for t in row] for row in result.rows]
    total = width or shutil.get_terminal_size((120, 24)).columns
    limit = max(12, min(MAX_CELL, (total - 2 * len(names)) // max(1, len(names)) * 2))
    body = [[_clip(c, limit) for c in row] for row in body]
    widths = [max([len(n)] + [len(r[i]) for r in body]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
              for row in body]
    return "\n".join(lines) + "\n"


def to_rdflib_result(result: OxResult) -> Result:
    """The result as an rdflib ``Result`` (for the SPARQL results formats of results.py)."""
    from rdflib import Graph, Variable
    from rdflib.query import Result

    out = Result(result.type)
    if result.type == "ASK":
        out.askAnswer = bool(result.answer)
    elif result.type == "SELECT":
        out.vars = [Variable(v) for v in result.vars]
        out.bindings = [{Variable(v): to_rdflib(t) for v, t in zip(result.vars, row, strict=True)
                         if t is not None} for row in result.rows]
    else:
        g = Graph()
        for s, p, o in result.triples:
            g.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
        out.graph = g
    return out


def render(result: OxResult, fmt: str) -> str:
    """Render as :func:`mlcryst.results.render` does (the table without importing rdflib)."""
    if fmt == "table" and result.type != "CONSTRUCT":
        return table(result)
    from rdflib import Graph

    from .namespaces import bind_prefixes
    from .results import render as rdflib_render

    prefixes = Graph()
    bind_prefixes(prefixes)
    return rdflib_render(to_rdflib_result(result), fmt, prefixes)


def parse_params(params: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """``NAME=VALUE`` query parameters as pyoxigraph terms (the rules of ``mlcryst query``)."""
    out: dict[str, Any] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ValueError(f"{item!r}: expected NAME=VALUE")
        prefix, colon, local = value.partition(":")
        if value.startswith("<") and value.endswith(">"):
            out[name] = ox.NamedNode(value[1:-1])
        elif colon and prefix in PREFIXES and not local.startswith("//"):
            out[name] = ox.NamedNode(PREFIXES[prefix] + local)
        else:
            out[name] = ox.Literal(value)
    return out


# --- serialising -----------------------------------------------------------------------------

def _canonical_labels(triples: list[Any]) -> dict[str, str] | None:
    """The blank-node labels of :func:`mlcryst.export.canonical` (tree-shaped blank nodes)."""
    parents: dict[str, tuple[Any, str]] = {}
    subjects: set[str] = set()
    for s, p, o in triples:
        if isinstance(o, ox.BlankNode):
            if o.value in parents:
                return None
            parents[o.value] = (s, p.value)
        if isinstance(s, ox.BlankNode):
            subjects.add(s.value)
    names: dict[str, str] = {}
    for b in subjects | set(parents):
        chain: list[str] = []
        cur = b
        while cur not in names:
            if cur not in parents:
                return None
            chain.append(cur)
            parent = parents[cur][0]
            if not isinstance(parent, ox.BlankNode):
                break
            cur = parent.value
            if len(chain) > len(parents) + 1:
                return None
        for node in reversed(chain):
            parent, pred = parents[node]
            pname = names[parent.value] if isinstance(parent, ox.BlankNode) else parent.value
            digest = hashlib.sha1(f"{pname}\x00{pred}".encode()).hexdigest()[:20]
            names[node] = f"b{digest}"
    if len(set(names.values())) != len(names):
        return None
    return names


def _nt_literal(lit: ox.Literal) -> str:
    """A literal written as rdflib's N-Triples serialiser writes it."""
    text = (lit.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r"))
    if lit.language:
        return f'"{text}"@{lit.language}'
    dtype = lit.datatype.value
    if dtype in (XSD_STRING, RDF_LANG_STRING):
        return f'"{text}"'
    return f'"{text}"^^<{dtype}>'


def _canonical_triples(store: ox.Store) -> tuple[list[Any], dict[str, str]]:
    triples = [(q.subject, q.predicate, q.object)
               for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    names = _canonical_labels(triples)
    if names is None:
        raise OutputError("the graph has blank nodes that are not tree-shaped: export it with "
                          "--store rdflib (general canonicalisation)")
    return triples, names


def _nt_lines(triples: list[Any], names: dict[str, str]) -> list[str]:
    cache: dict[Any, str] = {}

    def term(t: Any) -> str:
        text = cache.get(t)
        if text is None:
            if isinstance(t, ox.NamedNode):
                text = f"<{t.value}>"
            elif isinstance(t, ox.BlankNode):
                text = f"_:{names.get(t.value, t.value)}"
            else:
                text = _nt_literal(t)
            cache[t] = text
        return text

    return sorted({f"{term(s)} {term(p)} {term(o)} ." for s, p, o in triples})


def serialize(store: ox.Store, fmt: str) -> bytes:
    """Serialise deterministically: "nt" exactly as :func:`mlcryst.export.serialize` does;
    "turtle", "jsonld" and "xml" the same graph in Oxigraph's layout (sorted statements,
    canonical blank nodes, mlcryst's prefixes)."""
    return serialize_all(store, (fmt,))[fmt]


def serialize_all(store: ox.Store, formats: tuple[str, ...]) -> dict[str, bytes]:
    """:func:`serialize` in several formats, canonicalising and sorting once."""
    for fmt in formats:
        if fmt not in FORMAT_NAMES:
            raise OutputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMAT_NAMES)}")
    triples, names = _canonical_triples(store)
    lines = _nt_lines(triples, names)
    del triples
    nt = ("\n".join(lines) + "\n").encode("utf-8")
    del lines
    out: dict[str, bytes] = {}
    ordered: list[ox.Triple] | None = None
    for fmt in formats:
        if fmt == "nt":
            out[fmt] = nt
            continue
        if ordered is None:  # the sorted statements, as Oxigraph terms
            ordered = [ox.Triple(q.subject, q.predicate, q.object)
                       for q in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)]
        data = ox.serialize(ordered, format=FORMAT_NAMES[fmt],
                            prefixes=dict(sorted(PREFIXES.items())))
        assert data is not None
        out[fmt] = data
    return out


def write_outputs(store: ox.Store, out_dir: Path | str,
                  formats: tuple[str, ...] = ("turtle", "nt", "jsonld"),
                  stem: str = "mlcryst") -> list[Path]:
    """:func:`mlcryst.export.write_outputs` for a Store: all files or none."""
    from .export import CONTEXT_FILE, FORMATS, jsonld_context
    from .fileio import write_all_atomic

    out = Path(out_dir)
    files: dict[Path, bytes] = {}
    for fmt, data in serialize_all(store, formats).items():
        files[out / f"{stem}.{FORMATS[fmt][1]}"] = data
    if "jsonld" in formats:
        files[out / CONTEXT_FILE] = (json.dumps(jsonld_context(), indent=2) + "\n").encode()
    write_all_atomic(files)
    return list(files)
