"""Serialise a ``pyoxigraph.Store`` deterministically, fast and without holding it twice.

* N-Triples are canonical and byte-identical to :func:`mlcryst.export.rdflib_writer.serialize`:
  Oxigraph dumps the graph, and Python only touches what differs from rdflib's form: the
  lines with blank nodes (relabelled by the rule of
  :func:`mlcryst.export.rdflib_writer.canonical`: a hash of the parent and the property
  leading to the node) and the rare literals whose escapes differ; then the lines are sorted,
  in runs spilled to scratch files and merged when the graph is large
  (:func:`write_canonical`), so no list of all its lines is ever held.
* Turtle, JSON-LD and RDF/XML are the same graph in Oxigraph's layout: its serialisers read
  the sorted canonical N-Triples, so the statements come out in that order with the same
  blank-node labels, under mlcryst's prefixes.

:func:`write_outputs` streams each file to a temporary file next to its target and renames
them all only when every one is complete (all files or none); to replace a previous set of
outputs as one, write into the staging folder of a :class:`mlcryst.fileio.OutputSet` (as
``mlcryst build`` does).

>>> from mlcryst.stores.oxigraph_store import OxigraphStore
>>> store = OxigraphStore.from_text('<urn:a> <urn:p> _:x . _:x <urn:q> "b" .', "turtle").store
>>> print(serialize(store, "nt").decode(), end="")
<urn:a> <urn:p> _:b89875f1467aa82c8c6dd .
_:b89875f1467aa82c8c6dd <urn:q> "b" .
"""

from __future__ import annotations

import contextlib
import errno
import gc
import hashlib
import heapq
import io
import itertools
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from mlcryst.errors import OutputError
from mlcryst.export.formats import (
    BUILD_FORMATS,
    CONTEXT_FILE,
    EXPORT_FORMATS,
    check_formats,
    context_bytes,
)
from mlcryst.prefixes import PREFIXES
from mlcryst.stores.terms import FORMAT_NAMES, RDF_LANG_STRING, XSD_STRING

NT = ox.RdfFormat.N_TRIPLES


def _nt_literal(lit: ox.Literal) -> str:
    """A literal written as rdflib's N-Triples serialiser writes it."""
    text = (
        lit.value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )
    if lit.language:
        return f'"{text}"@{lit.language}'
    dtype = lit.datatype.value
    if dtype in (XSD_STRING, RDF_LANG_STRING):
        return f'"{text}"'
    return f'"{text}"^^<{dtype}>'


def _nt_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return _nt_literal(term)


def _as_rdflib_writes(line: bytes) -> bytes:
    """One line of Oxigraph's N-Triples as rdflib writes it: Oxigraph escapes tabs and other
    control characters (``\\t``, ``\\u0001``) that rdflib writes as they are."""
    quad = next(iter(ox.parse(line, format=NT)))
    text = f"{_nt_term(quad.subject)} {_nt_term(quad.predicate)} {_nt_term(quad.object)} .\n"
    return text.encode("utf-8")


def _dump(store: ox.Store, scratch: Path | None) -> Path:
    """The default graph dumped by Oxigraph as N-Triples into a temporary file in ``scratch``
    (default: the temporary folder); the caller removes it."""
    fd, tmp = tempfile.mkstemp(prefix=".mlcryst-dump-", suffix=".nt", dir=scratch)
    os.close(fd)
    try:
        store.dump(tmp, format=NT, from_graph=ox.DefaultGraph())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _canonical_names(parents: dict[bytes, tuple[bytes, bytes]]) -> dict[bytes, bytes] | None:
    """Canonical labels of tree-shaped blank nodes: ``b`` + the first 20 hex digits of the
    SHA-1 of the parent (its IRI, or its own label) and the property leading to the node, as
    :func:`mlcryst.export.rdflib_writer.canonical` names them. None when the blank nodes are not a
    forest.

    ``parents`` maps a blank node's label to the (N-Triples) subject and predicate of the one
    triple that has it as object. (A blank subject that is no one's object gets no name.)
    """
    names: dict[bytes, bytes] = {}
    sha1 = hashlib.sha1
    limit = len(parents) + 1
    for b in parents:
        if b in names:
            continue
        chain = [b]  # b, its blank parent, its blank grandparent, ... up to a named one
        parent = parents[b][0]
        while parent[:2] == b"_:":
            cur = parent[2:]
            if cur in names:
                break
            if cur not in parents:
                return None
            chain.append(cur)
            if len(chain) > limit:
                return None  # a cycle of blank nodes
            parent = parents[cur][0]
        for node in reversed(chain):
            parent, pred = parents[node]
            pname = names[parent[2:]] if parent[:2] == b"_:" else parent[1:-1]
            names[node] = b"b%s" % sha1(pname + b"\x00" + pred[1:-1]).hexdigest()[:20].encode()
    if len(set(names.values())) != len(names):
        return None  # two blank nodes hang off the same subject by the same property
    return names


_NOT_A_TREE = (
    "the graph has blank nodes that are not tree-shaped: export it with "
    "--store rdflib (general canonicalisation)"
)


def _blocks(path: Path, size: int) -> Iterator[list[bytes]]:
    """The lines of a file, about ``size`` bytes of them at a time (read in C, not line by
    line in Python)."""
    with open(path, "rb") as fh:
        while block := fh.readlines(size):
            yield block


def _add_parents(
    lines: list[bytes], parents: dict[bytes, tuple[bytes, bytes]], predicates: dict[bytes, bytes]
) -> None:
    """Note the parent (subject and predicate) of each blank object in ``lines`` (lines with
    a blank node, as rdflib writes them); OutputError when a node has two parents."""
    for line in lines:
        s, p, rest = line.split(b" ", 2)
        if rest[:2] != b"_:":
            continue  # a blank subject (named from its parent), or "_:" in a literal
        label = rest[2:-3]  # "_:label .\n"
        if label in parents:
            raise OutputError(_NOT_A_TREE)  # the object of two triples
        parents[label] = (s, predicates.setdefault(p, p))


def _relabel(line: bytes, names: dict[bytes, bytes]) -> bytes:
    """A line with a blank node (as rdflib writes it) with the canonical labels."""
    s, p, rest = line.split(b" ", 2)
    try:
        if s[:2] == b"_:":
            s = b"_:" + names[s[2:]]
        if rest[:2] == b"_:":
            rest = b"_:%s .\n" % names[rest[2:-3]]
    except KeyError:  # a blank subject that hangs off nothing
        raise OutputError(_NOT_A_TREE) from None
    return b"%s %s %s" % (s, p, rest)


#: bytes of lines sorted in memory at a time: a larger graph is sorted in runs, each written
#: to a scratch file, and the runs merged as they are written out
SORT_BYTES = 128 * 2**20
#: bytes of lines read from a scratch file at a time
READ_BYTES = 8 * 2**20
#: lines written to a file at a time
WRITE_LINES = 100_000


def _write_lines(out: BinaryIO, lines: Iterable[bytes]) -> int:
    """Write ``lines`` in blocks of :data:`WRITE_LINES`; how many bytes."""
    written = 0
    if isinstance(lines, list):
        for start in range(0, len(lines), WRITE_LINES):
            written += out.write(b"".join(lines[start : start + WRITE_LINES]))
        return written
    source = iter(lines)
    while block := list(itertools.islice(source, WRITE_LINES)):
        written += out.write(b"".join(block))
    return written


def write_canonical(
    store: ox.Store, out: BinaryIO, scratch: Path | None = None, sort_bytes: int = SORT_BYTES
) -> int:
    """Write the store's default graph to ``out`` as canonical N-Triples: the bytes of
    :func:`mlcryst.export.rdflib_writer.serialize` (format "nt") of the same graph. Returns how
    many bytes were written (0 for an empty graph).

    Streams: Oxigraph dumps the graph into a scratch file in ``scratch`` (default: the
    temporary folder), read back a block at a time. The lines without a blank node go into
    runs of about ``sort_bytes``, each sorted and spilled to a scratch file; the lines with
    one are put aside (spilled to scratch files too when they grow) while their parents are
    noted, and relabelled into runs once every blank node has its name. The runs are merged
    as they are written. So memory holds one run and the blank nodes' names, never the whole
    graph's lines, whatever its size.

    Raises :class:`OutputError` when the blank nodes are not tree-shaped (the rdflib store's
    general canonicalisation handles those).
    """
    collecting = gc.isenabled()
    gc.disable()  # millions of small objects, none cyclic: the collector would only rescan
    dump = _dump(store, scratch)
    scratch_files = [dump]
    runs: list[Path] = []
    run: list[bytes] = []
    size = 0

    def add(lines: list[bytes]) -> None:
        nonlocal run, size
        run += lines
        size += sum(map(len, lines))
        if size >= sort_bytes:
            run.sort()  # with or without the newline: no line is a prefix of another
            runs.append(_spill(run, scratch))
            scratch_files.append(runs[-1])
            run, size = [], 0

    try:
        parents: dict[bytes, tuple[bytes, bytes]] = {}
        predicates: dict[bytes, bytes] = {}  # one object per predicate, not one per line
        aside: list[bytes] = []  # the lines with a blank node, spilled when they grow
        aside_bytes = 0
        spilled: list[Path] = []
        for block in _blocks(dump, min(sort_bytes, READ_BYTES)):
            for i in [i for i, line in enumerate(block) if b"\\" in line]:
                block[i] = _as_rdflib_writes(block[i])  # an escape: make sure it is rdflib's
            with_blank = [line for line in block if b"_:" in line]
            if with_blank:
                _add_parents(with_blank, parents, predicates)
                aside += with_blank
                aside_bytes += sum(map(len, with_blank))
                if aside_bytes >= sort_bytes:
                    spilled.append(_spill(aside, scratch))
                    scratch_files.append(spilled[-1])
                    aside, aside_bytes = [], 0
                block = [line for line in block if b"_:" not in line]
            add(block)
        names = _canonical_names(parents)
        if names is None:
            raise OutputError(_NOT_A_TREE)
        del parents, predicates
        for path in spilled:
            for block in _blocks(path, min(sort_bytes, READ_BYTES)):
                add([_relabel(line, names) for line in block])
        add([_relabel(line, names) for line in aside])
        del aside
        run.sort()
        if not runs:
            return _write_lines(out, run)
        runs.append(_spill(run, scratch))
        scratch_files.append(runs[-1])
        run = []
        with contextlib.ExitStack() as files:
            opened = [files.enter_context(open(r, "rb", buffering=2**20)) for r in runs]
            return _write_lines(out, heapq.merge(*opened))
    finally:
        for f in scratch_files:
            f.unlink(missing_ok=True)
        if collecting:
            gc.enable()


def _spill(lines: list[bytes], scratch: Path | None) -> Path:
    """A sorted run written to a scratch file."""
    fd, tmp = tempfile.mkstemp(prefix=".mlcryst-run-", suffix=".nt", dir=scratch)
    try:
        with os.fdopen(fd, "wb") as fh:
            _write_lines(fh, lines)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _from_ntriples(source: bytes | Path, fmt: str, output: Path | None = None) -> bytes | None:
    """Canonical N-Triples (bytes, or a file) re-serialised by Oxigraph in ``fmt``."""
    quads = (
        ox.parse(source, format=NT)
        if isinstance(source, bytes)
        else ox.parse(path=str(source), format=NT)
    )
    return ox.serialize(
        quads,
        None if output is None else str(output),
        format=FORMAT_NAMES[fmt],
        prefixes=dict(sorted(PREFIXES.items())),
    )


def serialize(store: ox.Store, fmt: str) -> bytes:
    """Serialise deterministically: "nt" exactly as :func:`mlcryst.export.rdflib_writer.serialize`
    does;
    "turtle", "jsonld" and "xml" the same graph in Oxigraph's layout (sorted statements,
    canonical blank nodes, mlcryst's prefixes)."""
    return serialize_all(store, (fmt,))[fmt]


def serialize_all(store: ox.Store, formats: tuple[str, ...]) -> dict[str, bytes]:
    """:func:`serialize` in several formats, canonicalising and sorting once (all in memory:
    for large graphs :func:`write_outputs` streams to files instead)."""
    check_formats(formats)
    buffer = io.BytesIO()
    nt = buffer.getvalue() if write_canonical(store, buffer) else b"\n"
    out: dict[str, bytes] = {}
    for fmt in formats:
        data = nt if fmt == "nt" else _from_ntriples(nt, fmt)
        assert data is not None
        out[fmt] = data
    return out


class _Staged:
    """Temporary files next to their targets, renamed into place together (or all removed)."""

    def __init__(self) -> None:
        self.files: dict[Path, Path] = {}  # target -> temporary file

    def new(self, target: Path) -> Path:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        except OSError as exc:
            raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from exc
        os.close(fd)
        self.files[target] = Path(tmp)
        return Path(tmp)

    def commit(self, targets: list[Path]) -> None:
        """Make the staged ``targets`` ordinary files (synced, the umask's mode), then rename
        them into place; the other staged files are scratch and are removed.

        Every target is checked first (a folder in the way fails before anything is renamed);
        a rename that fails after that (rare: the folder changed meanwhile) leaves the files
        renamed before it in place, as :func:`mlcryst.fileio.write_all_atomic` does.
        """
        umask = os.umask(0)
        os.umask(umask)
        for target in targets:
            tmp = self.files[target]
            try:
                if target.is_dir():
                    raise IsADirectoryError(errno.EISDIR, "is a folder")
                fd = os.open(tmp, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
                os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600
            except OSError as exc:
                raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from exc
        for target in targets:
            try:
                os.replace(self.files[target], target)
            except OSError as exc:
                raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from exc
            del self.files[target]

    def discard(self) -> None:
        for tmp in self.files.values():
            tmp.unlink(missing_ok=True)
        self.files.clear()


#: canonical N-Triples from this size up are re-serialised in parallel worker processes
PARALLEL_BYTES = 32 * 2**20


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _worker(nt: Path, fmt: str, output: Path) -> subprocess.Popen[bytes] | None:
    """A fresh Python process serialising ``fmt`` from ``nt`` (None when there is no Python
    executable to start). A new interpreter, not a fork: it shares nothing with this (large)
    process, and unlike multiprocessing's spawn it never re-runs the caller's main script."""
    if not sys.executable:
        return None
    # the same interpreter and environment, so the same installed mlcryst
    code = (
        "import sys; from mlcryst.export.oxigraph_writer import main_serialise; "
        "main_serialise(sys.argv[1:])"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code, str(nt), fmt, str(output)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def main_serialise(argv: list[str]) -> None:
    """The worker's entry point: ``NT_FILE FORMAT OUTPUT``."""
    nt, fmt, output = argv
    _from_ntriples(Path(nt), fmt, Path(output))


def _serialise_all(nt: Path, jobs: list[tuple[str, Path]]) -> None:
    """Serialise each ``(format, output)`` job from the canonical N-Triples file ``nt``.

    Oxigraph's parser and serialisers hold the GIL (every statement passes through Python),
    so with several jobs on a large graph all but one run in worker processes, as many as
    there are other cores.
    """
    workers = min(len(jobs) - 1, _cores() - 1)
    if workers < 1 or nt.stat().st_size < PARALLEL_BYTES:
        workers = 0
    running: list[tuple[subprocess.Popen[bytes], str]] = []
    try:
        for fmt, output in jobs[len(jobs) - workers :]:
            proc = _worker(nt, fmt, output)
            if proc is None:
                break
            running.append((proc, fmt))
        for fmt, output in jobs[: len(jobs) - len(running)]:
            _from_ntriples(nt, fmt, output)
        for proc, fmt in running:
            _, err = proc.communicate()
            if proc.returncode != 0:
                tail = err.decode("utf-8", "replace").strip().splitlines()[-1:]
                raise OutputError(f"serialising {fmt} failed: {' '.join(tail) or proc.returncode}")
    finally:
        for proc, _ in running:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def write_files(
    store: ox.Store, targets: dict[str, Path], extra: dict[Path, bytes] | None = None
) -> list[Path]:
    """Write ``store`` in each format of ``targets`` (format -> file), and the ``extra`` files
    (path -> bytes): all files or none.

    The canonical N-Triples are made once and written first; the other formats are
    serialised from that file, streaming (in parallel processes for a large graph), after the
    lines are freed.
    """
    check_formats(list(targets))
    staged = _Staged()
    try:
        nt = staged.new(
            targets["nt"] if "nt" in targets else next(iter(targets.values())).with_suffix(".nt")
        )
        # the scratch files beside the outputs: inside an OutputSet they go with the staging
        with open(nt, "wb") as fh:
            if not write_canonical(store, fh, nt.parent):
                fh.write(b"\n")  # an empty graph: one empty line, as rdflib writes it
        _serialise_all(nt, [(f, staged.new(t)) for f, t in targets.items() if f != "nt"])
        for path, data in (extra or {}).items():
            staged.new(path).write_bytes(data)
        written = [*targets.values(), *(extra or {})]
        staged.commit(written)
    except OSError as exc:
        folder = next(iter(targets.values())).parent
        raise OutputError(f"{folder}: cannot write the outputs: {exc.strerror or exc}") from exc
    finally:
        staged.discard()
    return written


def write_file(store: ox.Store, path: Path | str, fmt: str) -> Path:
    """Write ``store`` in ``fmt`` to ``path`` atomically, streaming (``mlcryst export --out``)."""
    return write_files(store, {fmt: Path(path)})[0]


def write_outputs(
    store: ox.Store,
    out_dir: Path | str,
    formats: tuple[str, ...] = BUILD_FORMATS,
    stem: str = "mlcryst",
) -> list[Path]:
    """:func:`mlcryst.export.rdflib_writer.write_outputs` for a Store: ``{stem}.ttl`` etc. in
    ``out_dir``
    (plus the JSON-LD context file with JSON-LD); all files or none."""
    check_formats(formats)
    out = Path(out_dir)
    extra = {}
    if "jsonld" in formats:
        extra[out / CONTEXT_FILE] = context_bytes()
    targets = {fmt: out / EXPORT_FORMATS[fmt].file_name(stem) for fmt in formats}
    return write_files(store, targets, extra)
