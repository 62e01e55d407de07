"""Serialise a ``pyoxigraph.Store`` deterministically, fast and without holding it twice.

* N-Triples are canonical and byte-identical to :func:`mlcryst.export.rdflib_writer.serialize`:
  Oxigraph
  dumps the graph, and Python only touches what differs from rdflib's form: the lines with
  blank nodes (relabelled by the rule of :func:`mlcryst.export.rdflib_writer.canonical`: a hash of
  the
  parent and the property leading to the node) and the rare literals whose escapes differ;
  then the lines are sorted.
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

import errno
import gc
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

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


def _dump_lines(store: ox.Store, scratch: Path | None = None) -> list[bytes]:
    """The default graph as Oxigraph's N-Triples lines (each with its ``\\n``), in its order.

    The dump goes through a temporary file (in ``scratch``, default the temporary folder), so
    that the whole text and its lines are never in memory together.
    """
    fd, tmp = tempfile.mkstemp(prefix=".mlcryst-dump-", suffix=".nt", dir=scratch)
    os.close(fd)
    try:
        store.dump(tmp, format=NT, from_graph=ox.DefaultGraph())
        with open(tmp, "rb") as fh:
            return fh.readlines()
    finally:
        Path(tmp).unlink(missing_ok=True)


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


def canonical_lines(store: ox.Store, scratch: Path | None = None) -> list[bytes]:
    """The store's default graph as canonical N-Triples lines, each ending in ``\\n``, sorted:
    joined, the bytes of :func:`mlcryst.export.rdflib_writer.serialize` (format "nt") of the same
    graph.

    Raises :class:`OutputError` when the blank nodes are not tree-shaped (the rdflib store's
    general canonicalisation handles those). The dump's scratch file goes in ``scratch``
    (default: the temporary folder).
    """
    collecting = gc.isenabled()
    gc.disable()  # millions of small objects, none cyclic: the collector would only rescan
    try:
        return _canonical_lines(store, scratch)
    finally:
        if collecting:
            gc.enable()


def _canonical_lines(store: ox.Store, scratch: Path | None) -> list[bytes]:
    lines = _dump_lines(store, scratch)
    parents: dict[bytes, tuple[bytes, bytes]] = {}
    predicates: dict[bytes, bytes] = {}  # one object per predicate, not one per line
    rows: list[int] = []
    shared = False
    for i, line in enumerate(lines):
        if b"\\" in line:  # an escape in a literal: make sure it is rdflib's
            line = lines[i] = _as_rdflib_writes(line)
        if b"_:" not in line:
            continue
        s, p, rest = line.split(b" ", 2)
        if rest[:2] != b"_:":
            if s[:2] == b"_:":
                rows.append(i)
            continue  # (or "_:" inside a literal)
        rows.append(i)
        label = rest[2:-3]  # "_:label .\n"
        if label in parents:
            shared = True  # the object of two triples: not a tree
            break
        parents[label] = (s, predicates.setdefault(p, p))
    names = None if shared else _canonical_names(parents)
    del parents, predicates
    try:
        if names is None:
            raise KeyError
        for i in rows:
            s, p, rest = lines[i].split(b" ", 2)
            if s[:2] == b"_:":
                s = b"_:" + names[s[2:]]  # KeyError: a blank subject that hangs off nothing
            if rest[:2] == b"_:":
                rest = b"_:%s .\n" % names[rest[2:-3]]
            lines[i] = b"%s %s %s" % (s, p, rest)
    except KeyError:
        raise OutputError(
            "the graph has blank nodes that are not tree-shaped: export it with "
            "--store rdflib (general canonicalisation)"
        ) from None
    lines.sort()  # with or without the newline: no line is a prefix of another
    return lines


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
    nt = b"".join(canonical_lines(store)) or b"\n"
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
#: lines written to a file at a time
WRITE_LINES = 100_000


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
        # the scratch dump beside the outputs: inside an OutputSet it goes with the staging
        lines = canonical_lines(store, nt.parent) or [b"\n"]
        with open(nt, "wb") as fh:
            for start in range(0, len(lines), WRITE_LINES):
                fh.write(b"".join(lines[start : start + WRITE_LINES]))
        del lines
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
