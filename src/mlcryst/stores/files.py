"""Reading RDF graph files that may be hostile: the one reader behind ``--graph FILE``.

Every command that reads a graph file (``validate FILE``, ``query``/``export``/``network``/
``viz``/``stats``/``plot``/``push --graph FILE``) comes here, on both stores. A file is read in
three steps:

1. **The path** (in this process, nothing read yet): it must be a regular file (not a FIFO, a
   device, a directory or a socket, also behind a symlink), readable, and within
   ``budgets().graph_file_bytes``.
2. **The bytes** (in a forked child under :func:`mlcryst.bounded.run_limited`, with the time
   and memory limits of ``budgets()``): read once through a non-blocking descriptor (the byte
   budget enforced while reading, so ``/proc`` files cannot lie about their size), then checked
   before any parser sees them: UTF-8 only (a UTF-8 byte-order mark is dropped; UTF-16, NUL
   bytes and invalid UTF-8 are refused with line and column); RDF/XML with a DOCTYPE or an
   ENTITY declaration refused (entity bombs, external entities: nothing is ever expanded,
   fetched or read); nesting of XML elements, JSON arrays and objects and Turtle brackets
   within ``budgets().graph_depth``; JSON-LD naming any context by IRI (``@context`` or
   ``@import``, at any depth) refused, since a parser would fetch it.
3. **The parse**, in the same child: rdflib's parser (``store="rdflib"``; the triples come back
   as a table of distinct terms and an array of indices, and the parent rebuilds the Graph
   from them, much faster than parsing again) or Oxigraph's (the store comes back as
   N-Triples, bulk-loaded by the parent). IRIs that rdflib could not serialise are refused
   with the node named. Whatever still runs away is stopped at the limits
   (:class:`~mlcryst.errors.QueryTimeout`, exit 8).

Syntax errors become :class:`~mlcryst.errors.OutputError` (exit 6) as ``FILE:LINE:COLUMN:
message`` where the parser says where. TriG, N-Quads and JSON-LD named graphs are merged into
the one graph mlcryst works on, on both stores.

:data:`FORMATS` is the one table of the graph file formats and their suffixes
(``store.SUFFIX_FORMATS`` and ``oxterms.SUFFIX_FORMATS`` are derived from it).

>>> format_of("papers.TTL").name, format_of("x.owl").label
('turtle', 'RDF/XML')
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import json
import logging
import os
import re
import stat
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyoxigraph as ox

from mlcryst.errors import MemoryLimitExceeded, OutputError, QueryTimeout
from mlcryst.limits import budgets

if TYPE_CHECKING:
    from rdflib import Graph

    from mlcryst.stores.literals import Rewrite

T = TypeVar("T")


@dataclass(frozen=True)
class GraphFormat:
    """One RDF syntax mlcryst reads: its rdflib parser name, Oxigraph format and suffixes."""

    #: rdflib's name of the parser ("turtle", "nt", "json-ld", "xml", "trig", "nquads")
    name: str
    #: what messages call it
    label: str
    ox: ox.RdfFormat
    suffixes: tuple[str, ...]
    #: "xml", "json", "turtle" (brackets nest) or "lines" (N-Triples, N-Quads: no nesting)
    syntax: str
    #: whether the syntax can hold named graphs (merged into the one graph when read)
    dataset: bool = False


FORMATS: tuple[GraphFormat, ...] = (
    GraphFormat("turtle", "Turtle", ox.RdfFormat.TURTLE, (".ttl", ".turtle"), "turtle"),
    GraphFormat("nt", "N-Triples", ox.RdfFormat.N_TRIPLES, (".nt", ".ntriples"), "lines"),
    GraphFormat("json-ld", "JSON-LD", ox.RdfFormat.JSON_LD, (".jsonld", ".json"), "json", True),
    GraphFormat("xml", "RDF/XML", ox.RdfFormat.RDF_XML, (".rdf", ".xml", ".owl"), "xml"),
    GraphFormat("trig", "TriG", ox.RdfFormat.TRIG, (".trig",), "turtle", True),
    GraphFormat("nquads", "N-Quads", ox.RdfFormat.N_QUADS, (".nq", ".nquads"), "lines", True),
)
#: suffix (lower case, with the dot) -> format
SUFFIXES: dict[str, GraphFormat] = {s: f for f in FORMATS for s in f.suffixes}

_CHUNK = 1 << 20
_OX_POSITION = re.compile(r"^Parser error at line \d+ (between columns \d+ and \d+|column \d+): ")
_BUFFER_LIMIT = "Reached the buffer maximal size"  # Oxigraph's MemoryError for a huge token


def format_of(path: Path | str, fmt: str | ox.RdfFormat | None = None) -> GraphFormat:
    """The format of ``path``: ``fmt`` (an rdflib name or an Oxigraph format) or its suffix."""
    if fmt is not None:
        for f in FORMATS:
            if fmt in (f.name, f.ox):
                return f
        raise OutputError(f"{path}: unknown RDF format {fmt!r}")
    found = SUFFIXES.get(Path(path).suffix.lower())
    if found is None:
        raise OutputError(
            f"{path}: cannot tell the RDF format from the suffix "
            f"(known: {', '.join(sorted(SUFFIXES))})"
        )
    return found


# --- step 1: the path ------------------------------------------------------------------------


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _too_big(path: Path, limit: int) -> OutputError:
    mib = limit / 2**20
    return OutputError(
        f"{path}: the graph file is larger than the budget of {mib:g} MB "
        f"(raise it with MLCRYST_MAX_GRAPH_FILE_MB=MB)"
    )


def check_path(path: Path, limit: int) -> None:
    """Refuse what is not a readable regular file within ``limit`` bytes (nothing is read)."""
    try:
        st = os.stat(path)  # follows symlinks: a link to /dev/zero is a device
    except FileNotFoundError:
        raise OutputError(f"{path}: no such graph file") from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot read the graph file: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(f"{path}: is {_kind(st.st_mode)}, not a regular graph file")
    if st.st_size > limit:
        raise _too_big(path, limit)
    if not os.access(path, os.R_OK):
        raise OutputError(f"{path}: cannot read the graph file: permission denied")


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them (else OutputError).

    Opened non-blocking (a FIFO swapped in after :func:`check_path` cannot hang the read) and
    checked again on the open descriptor. A file that does not change while it is read is
    read in one call into one buffer (no second copy of a large file).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise OutputError(f"{path}: cannot read the graph file: {exc.strerror or exc}") from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OutputError(f"{path}: is {_kind(mode)}, not a regular graph file")
        chunks: list[bytes] = []
        total = 0
        first = min(os.fstat(fd).st_size, limit) + 1  # the whole file, if it stays the same
        while True:
            try:
                chunk = os.read(fd, _CHUNK if chunks else first)
            except OSError as exc:
                if exc.errno in (errno.EAGAIN, errno.EWOULDBLOCK):
                    raise OutputError(f"{path}: the graph file cannot be read now") from exc
                raise OutputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
            if not chunk:
                return chunks[0] if len(chunks) == 1 else b"".join(chunks)
            total += len(chunk)
            if total > limit:
                raise _too_big(path, limit)
            chunks.append(chunk)
    finally:
        os.close(fd)


# --- step 2: the bytes -----------------------------------------------------------------------


def _where(data: bytes, pos: int) -> tuple[int, int]:
    """(line, column), both from 1, of byte offset ``pos`` (the column counts characters)."""
    line_start = data.rfind(b"\n", 0, pos) + 1
    column = len(data[line_start:pos].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, pos) + 1, column


def check_encoding(data: bytes, path: Path) -> bytes:
    """``data`` as UTF-8 without NUL bytes (a leading UTF-8 byte-order mark dropped)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise OutputError(
            f"{path}:1:1: the file is UTF-16 (it starts with a UTF-16 byte-order mark); "
            "graph files must be UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8)"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\0")
    if nul >= 0:
        line, col = _where(data, nul)
        hint = " (is it UTF-16 or UTF-32?)" if nul < 4 else ""
        raise OutputError(
            f"{path}:{line}:{col}: a NUL byte{hint}; graph files are UTF-8 text "
            "(write \\u0000 inside a literal)"
        )
    # validated piece by piece: decoding the whole file at once would hold a text of up to
    # four times its size
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _CHUNK):
            piece = view[start : start + _CHUNK]
            decoder.decode(piece, final=start + _CHUNK >= len(data))
    except UnicodeDecodeError as exc:
        pos = start + exc.start - (len(exc.object) - len(piece))  # bytes held from before
        line, col = _where(data, pos)
        raise OutputError(
            f"{path}:{line}:{col}: not valid UTF-8 (byte 0x{data[pos]:02x}); "
            "graph files must be UTF-8"
        ) from None
    return data


_DTD = re.compile(rb"<!(?i:doctype|entity)")
_XML_DECL = re.compile(rb"\A\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")
_XML_TAG = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[?!].*?>"
    rb"|<(/?)[^\s>/]+(?:[^>\"'/]|\"[^\"]*\"|'[^']*'|/(?!>))*(/?)>",
    re.S,
)


def check_xml(data: bytes, path: Path, max_depth: int) -> None:
    """Refuse DTDs (DOCTYPE, ENTITY: expansion bombs, external entities), a non-UTF-8
    encoding declaration and element nesting deeper than ``max_depth``."""
    found = _DTD.search(data)
    if found:
        line, col = _where(data, found.start())
        what = found.group().decode("ascii", "replace")
        raise OutputError(
            f"{path}:{line}:{col}: the XML declares a document type or an entity ({what}...); "
            "mlcryst refuses DTDs in graph files (entities can expand without bound, and "
            "external ones would read files or the network): expand the entities or convert "
            "the file to Turtle"
        )
    decl = _XML_DECL.match(data)
    if decl and decl.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        name = decl.group(1).decode("ascii", "replace")
        raise OutputError(f"{path}:1: the XML declares encoding {name!r}; graph files are UTF-8")
    if data.count(b"<") <= max_depth:
        return
    depth = 0
    for m in _XML_TAG.finditer(data):
        close, empty = m.group(1), m.group(2)
        if close is None or empty:
            continue  # a comment, CDATA, processing instruction, or <empty/>
        if close:
            depth -= 1
        else:
            depth += 1
            if depth > max_depth:
                raise _too_deep(path, data, m.start(), max_depth, "XML elements")


def _too_deep(path: Path, data: bytes, pos: int, limit: int, what: str) -> OutputError:
    line, col = _where(data, pos)
    return OutputError(
        f"{path}:{line}:{col}: {what} nest deeper than the budget of {limit} "
        "(raise it with MLCRYST_MAX_GRAPH_DEPTH=N)"
    )


_TURTLE_SKIP = re.compile(
    rb'"""(?:[^"\\]|\\.|"(?!""))*+"""'
    rb"|'''(?:[^'\\]|\\.|'(?!''))*+'''"
    rb'|"(?:[^"\\\n\r]|\\.)*+"'
    rb"|'(?:[^'\\\n\r]|\\.)*+'"
    rb"|<[^<>\s\"{}|^`\\]*+>"
    rb"|#[^\n\r]*+",
    re.S,
)


def _check_depth(
    data: bytes, path: Path, limit: int, skip: re.Pattern[bytes], pairs: bytes, what: str
) -> None:
    opening, closing = pairs[0::2], pairs[1::2]
    if sum(data.count(bytes([b])) for b in opening) <= limit:
        return  # fewer opening brackets than the budget: nothing to scan
    if _deepest(skip.sub(b" ", data), opening, closing) <= limit:
        return  # the common case, at C speed; only a refusal needs the position
    runs = re.compile(b"[" + re.escape(opening) + b"]+|[" + re.escape(closing) + b"]+")
    stripped = skip.sub(lambda m: b" " * (m.end() - m.start()), data)
    depth = 0
    for m in runs.finditer(stripped):
        if m.group()[0] in opening:
            depth += m.end() - m.start()
            if depth > limit:
                raise _too_deep(path, data, m.end() - (depth - limit), limit, what)
        else:
            depth -= m.end() - m.start()


def _deepest(stripped: bytes, opening: bytes, closing: bytes) -> int:
    """The deepest nesting of the ``opening``/``closing`` bytes in ``stripped`` (at C speed:
    the brackets kept, then a running sum)."""
    from itertools import accumulate

    steps = [0] * 256
    for b in opening:
        steps[b] = 1
    for b in closing:
        steps[b] = -1
    others = bytes(b for b in range(256) if not steps[b])
    return max(accumulate(map(steps.__getitem__, stripped.translate(None, others))), default=0)


def check_jsonld(data: bytes, path: Path, max_depth: int) -> Any:
    """The JSON document, after refusing nesting beyond ``max_depth`` and remote contexts."""
    try:
        doc = json.loads(data)
    except RecursionError:
        import sys

        # json gives up at about the recursion limit: past the budget, unless that is higher
        limit = f"the budget of {max_depth}"
        if max_depth >= sys.getrecursionlimit() - 100:
            limit = "what the JSON parser can follow"
        raise OutputError(
            f"{path}: JSON arrays and objects nest deeper than {limit} "
            "(raise the budget with MLCRYST_MAX_GRAPH_DEPTH=N)"
        ) from None
    except json.JSONDecodeError as exc:
        where = f"{exc.lineno}:{exc.colno}:"
        raise OutputError(f"{path}:{where} not valid JSON-LD: {exc.msg}") from None
    except ValueError as exc:
        raise OutputError(f"{path}: not valid JSON-LD: {exc}") from None
    refuse_remote_contexts(doc, path, max_depth)
    return doc


def refuse_remote_contexts(doc: Any, path: Path, max_depth: int | None = None) -> None:
    """Refuse any context named by an IRI (absolute or relative: a relative one resolves
    against the file's ``file://`` base), in ``@context`` or ``@import``, at any depth; and
    arrays and objects nested deeper than ``max_depth``."""
    limit = max_depth if max_depth is not None else -1
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit >= 0:
            raise OutputError(
                f"{path}: JSON arrays and objects nest deeper than the budget of {limit} "
                "(raise it with MLCRYST_MAX_GRAPH_DEPTH=N)"
            )
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import"):
                    for item in value if isinstance(value, list) else [value]:
                        if isinstance(item, str):
                            raise OutputError(
                                f"{path}: the JSON-LD names a remote context {item!r} (in "
                                f"{key}); mlcryst never fetches contexts: embed the context "
                                "in the document"
                            )
                if isinstance(value, (dict, list)):
                    stack.append((value, depth + 1))
        else:
            stack.extend((v, depth + 1) for v in node if isinstance(v, (dict, list)))


def check_bytes(
    data: bytes, path: Path, fmt: GraphFormat, max_depth: int, *, recursive: bool = True
) -> bytes:
    """Every check of step 2; ``data`` as the parsers should see it (no byte-order mark).

    Turtle brackets are counted only for a ``recursive`` parser (rdflib's): Oxigraph's
    follows any depth without recursion, and the count costs about 1 s per 20 MB.
    """
    data = check_encoding(data, path)
    if fmt.syntax == "xml":
        check_xml(data, path, max_depth)
    elif fmt.syntax == "json":
        check_jsonld(data, path, max_depth)
    elif fmt.syntax == "turtle" and recursive:
        _check_depth(data, path, max_depth, _TURTLE_SKIP, b"[]()", "brackets")
    return data


# --- step 3: the parse -----------------------------------------------------------------------


def is_panic(exc: BaseException) -> bool:
    """Whether ``exc`` is a Rust panic surfacing from pyoxigraph (``pyo3_runtime.
    PanicException`` derives from BaseException, so ``except Exception`` misses it)."""
    return type(exc).__name__ == "PanicException"


def _xml_position(data: bytes) -> str:
    """Where expat finds ``data`` ill-formed ("LINE:COLUMN:" or ""); only called on data
    without a DTD (:func:`check_xml`), so nothing can be expanded or fetched."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        return f"{exc.lineno}:{exc.offset + 1}:"
    return ""


@contextlib.contextmanager
def oxigraph_errors(path: Path | str, label: str, data: bytes | None = None) -> Iterator[None]:
    """Oxigraph's parse failures (syntax errors, a token over its 16 MiB buffer, a panic)
    as :class:`OutputError` naming ``path`` (and line and column where the parser says; for
    RDF/XML, whose parser gives none, where expat finds ``data`` ill-formed)."""
    try:
        yield
    except SyntaxError as exc:
        text = _OX_POSITION.sub("", str(exc.msg))
        where = f"{exc.lineno}:{exc.offset}:" if exc.lineno else ""
        if not where and data is not None and label == "RDF/XML":
            where = _xml_position(data)
        raise OutputError(f"{path}:{where} not valid {label}: {text}") from None
    except MemoryError as exc:
        if _BUFFER_LIMIT not in str(exc):
            raise
        raise OutputError(
            f"{path}: not valid {label}: a single token (IRI, literal or name) is longer than "
            "the parser's limit of 16 MiB"
        ) from None
    except (OSError, ValueError) as exc:
        raise OutputError(f"{path}: not valid {label}: {exc}") from None
    except BaseException as exc:
        if not is_panic(exc):
            raise
        raise OutputError(f"{path}: not valid {label}: the parser failed ({exc})") from None


def _ox_position(data: bytes, fmt: GraphFormat) -> str:
    """Where Oxigraph's parser finds the first error in ``data`` ("LINE:COLUMN:" or "")."""
    try:
        for _ in ox.parse(data, format=fmt.ox, base_iri="file:///x"):
            pass
    except SyntaxError as exc:
        return f"{exc.lineno}:{exc.offset}:" if exc.lineno else ""
    except BaseException as exc:  # a panic, a huge token: no position to give
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
    return ""


class _QuietTerms(logging.Filter):
    """Drops rdflib's per-literal warnings (ill-typed literals, odd IRIs): they print
    tracebacks; the reader reports what matters itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        return False


@contextlib.contextmanager
def quiet_rdflib() -> Iterator[None]:
    """rdflib's term warnings silenced for the duration (the filter is removed after): the
    logged ones and the Python warnings ("Parsing weird boolean") of ill-typed literals."""
    import warnings

    logger = logging.getLogger("rdflib.term")
    quiet = _QuietTerms()
    logger.addFilter(quiet)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module=r"rdflib\.")
            yield
    finally:
        logger.removeFilter(quiet)


_BAD_IRI = re.compile(r'[<>" {}|\\^`\x00-\x20]')

#: the triples of a graph as (terms, indices, namespaces): terms are (0, iri), (1, bnode id)
#: or (2, lexical form, language, datatype IRI); three indices per triple
Payload = tuple[list[tuple[Any, ...]], bytes, list[tuple[str, str]]]


def _encode(graph: Any, data: bytes, path: Path) -> Payload:
    """The triples of the rdflib ``graph`` compactly, refusing IRIs rdflib cannot write."""
    from rdflib import BNode, Literal

    ids: dict[Any, int] = {}
    terms: list[tuple[Any, ...]] = []
    index = array("I")
    add = index.append
    for triple in graph.triples((None, None, None)):
        for term in triple:
            i = ids.get(term)
            if i is None:
                i = ids[term] = len(terms)
                if isinstance(term, Literal):
                    dt = None if term.datatype is None else str(term.datatype)
                    if dt is not None and _BAD_IRI.search(dt):
                        _refuse_iri(dt, data, path, "datatype IRI")
                    terms.append((2, str(term), term.language, dt))
                elif isinstance(term, BNode):
                    terms.append((1, str(term)))
                else:
                    if _BAD_IRI.search(term):
                        _refuse_iri(str(term), data, path, "IRI")
                    terms.append((0, str(term)))
            add(i)
    namespaces = [(str(prefix), str(ns)) for prefix, ns in graph.namespaces()]
    return terms, index.tobytes(), namespaces


def _refuse_iri(iri: str, data: bytes, path: Path, what: str) -> None:
    at = data.find(iri.encode("utf-8"))
    where = "{}:{}:".format(*_where(data, at)) if at >= 0 else ""
    raise OutputError(
        f"{path}:{where} the {what} <{iri}> has characters an IRI cannot hold (space, quote, "
        "angle bracket, ...); it could not be written out again"
    )


def _decode(payload: Payload) -> Graph:
    """The rdflib Graph of an :func:`_encode` payload (terms made once, triples added)."""
    from rdflib import BNode, Graph, Literal, URIRef

    terms, raw, namespaces = payload
    objs: list[Any] = []
    datatypes: dict[str, URIRef] = {}
    with quiet_rdflib():
        for t in terms:
            if t[0] == 0:
                objs.append(URIRef(t[1]))
            elif t[0] == 1:
                objs.append(BNode(t[1]))
            else:
                dt = None
                if t[3] is not None:
                    dt = datatypes.get(t[3])
                    if dt is None:
                        dt = datatypes[t[3]] = URIRef(t[3])
                objs.append(Literal(t[1], lang=t[2], datatype=dt, normalize=False))
    graph = Graph()
    for prefix, ns in namespaces:
        graph.namespace_manager.bind(prefix, URIRef(ns), override=True, replace=True)
    index = array("I")
    index.frombytes(raw)
    add = graph.store.add
    for i in range(0, len(index), 3):
        add((objs[index[i]], objs[index[i + 1]], objs[index[i + 2]]), graph, False)
    return graph


def _parse_rdflib(path: Path, fmt: GraphFormat, limit: int, depth: int) -> Any:
    """Read, check and parse with rdflib (in the child); the rdflib graph (or Dataset)."""
    from xml.sax import SAXParseException

    from rdflib import Dataset, Graph
    from rdflib.plugins.parsers.notation3 import BadSyntax

    data = check_bytes(read_bytes(path, limit), path, fmt, depth)
    graph: Any = Dataset(default_union=True) if fmt.dataset else Graph()
    base = path.resolve().as_uri()
    from mlcryst.stores.literals import rdflib_reads_as_written

    try:
        with quiet_rdflib(), rdflib_reads_as_written():
            graph.parse(data=data.decode("utf-8"), format=fmt.name, publicID=base)
    except RecursionError:
        raise OutputError(
            f"{path}: not valid {fmt.label}: it nests too deeply for rdflib's parser "
            f"(brackets or elements, even within the budget of {depth})"
        ) from None
    except SAXParseException as exc:
        where = f"{exc.getLineNumber()}:{(exc.getColumnNumber() or 0) + 1}:"
        raise OutputError(f"{path}:{where} not valid {fmt.label}: {exc.getMessage()}") from None
    except BadSyntax as exc:
        text = re.sub(r"^at line \d+ of <[^>]*>:\s*", "", str(exc)).split("\n")[0]
        where = f"{exc.lines + 1}:" if isinstance(exc.lines, int) else ""
        raise OutputError(f"{path}:{where} not valid {fmt.label}: {text}") from None
    except (OutputError, MemoryError):  # the memory limit is the bounded child's to report
        raise
    except Exception as exc:  # rdflib's parsers raise many types: report them uniformly
        where = _ox_position(data, fmt)
        text = str(exc).split("\n")[0][:300]
        raise OutputError(f"{path}:{where} not valid {fmt.label}: {text}") from None
    return graph, data


def _rdflib_child(path: Path, fmt: GraphFormat, limit: int, depth: int) -> Payload:
    graph, data = _parse_rdflib(path, fmt, limit, depth)
    return _encode(graph, data, path)


def _oxigraph_child(
    path: Path, fmt: GraphFormat, limit: int, depth: int
) -> tuple[bytes, list[Rewrite]]:
    store, rewritten = _parse_oxigraph(path, fmt, limit, depth)
    with oxigraph_errors(path, fmt.label):
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""
    return data, rewritten


def _parse_oxigraph(
    path: Path, fmt: GraphFormat, limit: int, depth: int
) -> tuple[ox.Store, list[Rewrite]]:
    from mlcryst.stores.literals import data_rewrites

    data = check_bytes(read_bytes(path, limit), path, fmt, depth, recursive=False)
    store = ox.Store()
    base = path.resolve().as_uri()
    with oxigraph_errors(path, fmt.label, data):
        store.bulk_load(data, format=fmt.ox, base_iri=base, to_graph=ox.DefaultGraph())
        if fmt.dataset and next(iter(store.named_graphs()), None) is not None:
            store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }; DROP NAMED")
        rewritten = data_rewrites(data, fmt.ox, base)
    return store, rewritten


def _limited(path: Path, fn: Callable[[], T]) -> T:
    """``fn()`` under the time and memory budgets, a runaway reported naming ``path``."""
    from mlcryst.bounded import run_limited

    b = budgets()
    try:
        return run_limited(fn, timeout=b.timeout_s or None, memory_mb=b.memory_mb, what="x")
    except QueryTimeout as exc:
        if isinstance(exc, MemoryLimitExceeded):
            detail = f"ran out of memory (the limit is {b.memory_mb} MB"
            knob = "MLCRYST_MAX_MEMORY_MB=MB"
        else:
            detail = f"took too long (the limit is {b.timeout_s:g} s"
            knob = "MLCRYST_TIMEOUT=SECONDS"
        raise QueryTimeout(
            f"{path}: reading the graph file {detail}; raise it with {knob}, 0 for none)"
        ) from None


def _bounded_in_child() -> bool:
    b = budgets()
    return bool(b.timeout_s or b.memory_mb) and hasattr(os, "fork")


def read_rdflib(path: Path | str, fmt: str | None = None) -> Graph:
    """The rdflib Graph of the RDF file ``path``, read safely (see the module docstring)."""
    path = Path(path)
    gf = format_of(path, fmt)
    b = budgets()
    check_path(path, b.graph_file_bytes)
    args = (path, gf, b.graph_file_bytes, b.graph_depth)
    if not _bounded_in_child():  # no limits asked for: parse here, nothing to ship back
        graph, data = _parse_rdflib(*args)
        payload = _encode(graph, data, path)  # refuses IRIs rdflib cannot write
        return _decode(payload) if gf.dataset else graph
    return _decode(_limited(path, lambda: _rdflib_child(*args)))


def read_oxigraph(path: Path | str, fmt: ox.RdfFormat | str | None = None) -> ox.Store:
    """The Oxigraph Store of the RDF file ``path``, read safely (see the module docstring)."""
    return read_oxigraph_checked(path, fmt)[0]


def read_oxigraph_checked(
    path: Path | str, fmt: ox.RdfFormat | str | None = None
) -> tuple[ox.Store, list[Rewrite]]:
    """The Oxigraph Store of the RDF file ``path``, read safely, and the first few literals
    of the file it holds in another form (:mod:`mlcryst.stores.literals`)."""
    path = Path(path)
    gf = format_of(path, fmt)
    b = budgets()
    check_path(path, b.graph_file_bytes)
    args = (path, gf, b.graph_file_bytes, b.graph_depth)
    if not _bounded_in_child():
        return _parse_oxigraph(*args)
    data, rewritten = _limited(path, lambda: _oxigraph_child(*args))
    store = ox.Store()
    with oxigraph_errors(path, gf.label):
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    return store, rewritten


def declared_prefixes(path: Path | str) -> dict[str, str]:
    """The prefixes a Turtle or TriG file declares before its first triple ({} otherwise, and
    for a file that cannot be read or parsed: its reading reports that).

    Read like the graph (a regular file within the byte budget, parsed from bytes, so no
    token limit applies and no parser failure escapes).
    """
    path = Path(path)
    found = SUFFIXES.get(path.suffix.lower())
    if found is None or found.syntax != "turtle":
        return {}
    try:
        limit = budgets().graph_file_bytes
        check_path(path, limit)
        data = check_encoding(read_bytes(path, limit), path)
        with oxigraph_errors(path, found.label):
            parser = ox.parse(data, format=found.ox, base_iri=path.resolve().as_uri())
            next(iter(parser), None)
            return dict(parser.prefixes)
    except OutputError:
        return {}
