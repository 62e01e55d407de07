"""Hostile RDF graph files through every command that reads one, on both stores.

Each case writes one hostile file, runs the real ``mlcryst`` command on it and checks: the
documented exit code (6: the file cannot be read; 8: its parse passed the time or memory
limit), a message naming the file (and the line where the parser says), nothing written at
``--out``, no request to the loopback server the file points to, no traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import Loopback, Ran, run_cli

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SECRET = "s3cr3t-graph-files-7f1c"
#: small limits, so that what gets through the checks is stopped quickly
LIMITED = {"MLCRYST_MAX_MEMORY_MB": "512", "MLCRYST_TIMEOUT": "20"}


@dataclass(frozen=True)
class Hostile:
    """One hostile file: its name, how to make it, and what the refusal must say."""

    name: str
    suffix: str
    make: Callable[[Path, str], bytes]
    #: text the message must contain besides the file name ("LINE:" for a position)
    says: str = ""
    code: int = 6
    env: tuple[tuple[str, str], ...] = ()
    #: the stores that refuse it (the others read it)
    stores: tuple[str, ...] = ("rdflib", "oxigraph")


def _bomb(_: Path, url: str) -> bytes:
    levels = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY e0 "lol">{levels}]>\n'
        f'<rdf:RDF xmlns:rdf="{RDF_NS}"><rdf:Description rdf:about="urn:a">'
        f"<rdf:value>&e9;</rdf:value></rdf:Description></rdf:RDF>\n"
    ).encode()


def _external(kind: str) -> Callable[[Path, str], bytes]:
    def make(tmp: Path, url: str) -> bytes:
        secret = tmp / "secret.txt"
        secret.write_text(SECRET)
        target = secret.as_uri() if kind == "file" else f"{url}/entity"
        decl = f'SYSTEM "{target}"' if kind != "public" else f'PUBLIC "-//x//y" "{url}/p"'
        return (
            f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY x {decl}> ]>\n'
            f'<rdf:RDF xmlns:rdf="{RDF_NS}"><rdf:Description rdf:about="urn:a">'
            f"<rdf:value>&x;</rdf:value></rdf:Description></rdf:RDF>\n"
        ).encode()

    return make


def _external_dtd(_: Path, url: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n\n<!doctype rdf:RDF SYSTEM "{url}/dtd">\n'
        f'<rdf:RDF xmlns:rdf="{RDF_NS}"/>\n'
    ).encode()


def _jsonld(doc: str) -> Callable[[Path, str], bytes]:
    return lambda _, url: doc.replace("URL", url).encode()


def _deep_json(_: Path, url: str) -> bytes:
    return ('{"@id": "urn:a", "urn:p": ' + "[" * 5000 + "1" + "]" * 5000 + "}").encode()


def _deep_ttl(opening: str, closing: str) -> Callable[[Path, str], bytes]:
    inner = "<urn:p> " if opening == "[" else ""
    return lambda _, url: (
        "<urn:a> <urn:b> " + (opening + inner) * 3000 + "1" + closing * 3000 + " .\n"
    ).encode()


def _deep_xml(_: Path, url: str) -> bytes:
    open_ = '<rdf:Description rdf:about="urn:a"><rdf:value>' * 2000
    close = "</rdf:value></rdf:Description>" * 2000
    return f'<rdf:RDF xmlns:rdf="{RDF_NS}">{open_}x{close}</rdf:RDF>'.encode()


def _text(text: str | bytes) -> Callable[[Path, str], bytes]:
    data = text if isinstance(text, bytes) else text.encode()
    return lambda _, url: data.replace(b"URL", url.encode())


def _huge_token(_: Path, url: str) -> bytes:
    return b'<urn:a> <urn:b> "' + b"x" * (17 * 2**20) + b'" .\n'


def _big_nt(_: Path, url: str) -> bytes:
    line = b'<urn:a%d> <urn:b> "' + b"y" * 60 + b'" .\n'
    return b"".join(line % i for i in range(400_000))


OK_TRIPLE = '<urn:a> <urn:b> "x" .\n'
HOSTILE = [
    # 1. XML entities: bombs, external entities (files, the network), external DTDs
    Hostile("billion-laughs", ".rdf", _bomb, "2:1: the XML declares a document type"),
    Hostile("external-file-entity", ".rdf", _external("file"), "2:1:"),
    Hostile("external-http-entity", ".owl", _external("http"), "2:1:"),
    Hostile("external-public-entity", ".xml", _external("public"), "2:1:"),
    Hostile("external-dtd-lowercase", ".rdf", _external_dtd, "3:1:"),
    # 2. JSON-LD: depth, remote contexts in every place a parser would fetch them
    Hostile("jsonld-deep", ".jsonld", _deep_json, "budget of 256"),
    Hostile("jsonld-remote", ".jsonld", _jsonld('{"@context": "URL/ctx", "@id": "urn:a"}')),
    Hostile(
        "jsonld-import",
        ".json",
        _jsonld('{"@context": {"@version": 1.1, "@import": "URL/i"}, "@id": "urn:a"}'),
        "@import",
    ),
    Hostile(
        "jsonld-scoped",
        ".jsonld",
        _jsonld('{"@context": {"p": {"@id": "urn:p", "@context": "URL/s"}}, "p": {"a": 1}}'),
    ),
    Hostile(
        "jsonld-array",
        ".jsonld",
        _jsonld('{"@context": [{"x": "urn:x"}, "URL/a"], "@id": "urn:a"}'),
    ),
    Hostile(
        "jsonld-nested",
        ".jsonld",
        _jsonld('{"@graph": [{"@context": "URL/n", "@id": "urn:a"}]}'),
    ),
    Hostile(
        "jsonld-relative",
        ".jsonld",
        _jsonld('{"@context": "secret.txt", "@id": "urn:a"}'),
        "secret.txt",
    ),
    # 3. nesting too deep for rdflib's recursive parser
    # (Oxigraph's Turtle parser is not recursive: it reads them)
    Hostile("turtle-deep-bnodes", ".ttl", _deep_ttl("[", "]"), "budget of 256", stores=("rdflib",)),
    Hostile("turtle-deep-lists", ".trig", _deep_ttl("(", ")"), "budget of 256", stores=("rdflib",)),
    Hostile("xml-deep", ".rdf", _deep_xml, "budget of 256"),
    # 5. what passes the checks but runs away is stopped at the limits
    Hostile(
        "memory-limit",
        ".nt",
        _big_nt,
        "ran out of memory",
        code=8,
        env=(("MLCRYST_MAX_MEMORY_MB", "40"),),
    ),
    Hostile(
        "time-limit",
        ".nt",
        _big_nt,
        "took too long",
        code=8,
        env=(("MLCRYST_TIMEOUT", "0.05"),),
    ),
    # 6. malformed in each format
    Hostile("ttl-syntax", ".ttl", _text(OK_TRIPLE + '<urn:a> <urn:b> "x .\n'), "2:"),
    Hostile("nt-syntax", ".nt", _text(OK_TRIPLE + "<urn:a> <urn:b> x .\n"), "2:"),
    Hostile("nt-space-iri", ".nt", _text(OK_TRIPLE + "<urn:a> <urn:b> <http://a b> .\n"), "2:"),
    Hostile("ttl-space-iri", ".ttl", _text(OK_TRIPLE + "<urn:a> <urn:b> <http://a b> .\n"), "2:"),
    Hostile("ttl-quote-iri", ".ttl", _text('<urn:a> <urn:b> <http://a"b> .\n'), "1:"),
    Hostile("ttl-bad-lang", ".ttl", _text(OK_TRIPLE + '<urn:a> <urn:b> "x"@123 .\n'), "2:"),
    Hostile("nq-bad-lang", ".nq", _text(OK_TRIPLE + '<urn:a> <urn:b> "x"@-en .\n'), "2:"),
    Hostile(
        "bad-datatype",
        ".ttl",
        _text(OK_TRIPLE + '<urn:a> <urn:b> "x"^^<http://a b> .\n'),
        "2:",
    ),
    Hostile(
        "xml-syntax",
        ".rdf",
        _text(f'<rdf:RDF xmlns:rdf="{RDF_NS}">\n<rdf:Description>\n</rdf:RDF>'),
        "3:",
    ),
    Hostile("jsonld-syntax", ".jsonld", _text('{"@id": "urn:a",\n "urn:b": }'), "2:"),
    Hostile("trig-syntax", ".trig", _text("<urn:g> {\n<urn:a> <urn:b> .\n}"), "2:"),
    Hostile("nul-byte", ".ttl", _text(OK_TRIPLE + '<urn:a> <urn:b> "x\0" .\n'), "2:19: a NUL"),
    Hostile("bad-utf8", ".nt", _text(OK_TRIPLE.encode() + b'<urn:a> <urn:b> "\xff" .\n'), "2:18:"),
    Hostile("utf16", ".ttl", _text(OK_TRIPLE.encode("utf-16")), "UTF-16"),
    Hostile("utf16-no-bom", ".nt", _text(OK_TRIPLE.encode("utf-16-le")), "NUL"),
    Hostile("xml-latin1", ".rdf", _text('<?xml version="1.0" encoding="ISO-8859-1"?>\n<a/>'), "1:"),
    # 4. the size budget
    Hostile(
        "over-size-budget",
        ".nt",
        _text(OK_TRIPLE * 60_000),
        "MLCRYST_MAX_GRAPH_FILE_MB",
        env=(("MLCRYST_MAX_GRAPH_FILE_MB", "1"),),
    ),
]

#: every command that reads a graph file: (name, arguments before and after the file)
COMMANDS: dict[str, Callable[[Path, Path, str], list[str | Path]]] = {
    "validate": lambda f, out, store: ["validate", f, "--store", store],
    "query": lambda f, out, store: [
        "query",
        "--sparql",
        "SELECT * WHERE { ?s ?p ?o }",
        "--graph",
        f,
        "--store",
        store,
    ],
    "export": lambda f, out, store: ["export", "--graph", f, "--out", out, "--store", store],
    "network": lambda f, out, store: ["network", "--graph", f, "--out", out.with_suffix(".gexf")],
    "viz": lambda f, out, store: ["viz", "--graph", f, "--out", out.with_suffix(".html")],
    "stats": lambda f, out, store: ["stats", "--graph", f, "--out", out],
    "plot": lambda f, out, store: ["plot", "--graph", f, "--out", out],
}


def _check(ran: Ran, path: Path, out: Path, loopback: Loopback, case: Hostile) -> None:
    assert ran.code == case.code, (ran.code, ran.stdout[-500:], ran.stderr[-2000:])
    message = ran.stderr
    assert str(path) in message, message
    if case.says.endswith(":") and case.says[:-1].replace(":", "").isdigit():
        assert f"{path}:{case.says}" in message, message
    else:
        assert case.says in message, message
    assert not list(out.parent.glob(out.stem + "*")), "an output was written"
    assert loopback.hits == [], loopback.hits
    assert SECRET not in ran.stdout + ran.stderr


def _write(tmp_path: Path, case: Hostile, url: str) -> Path:
    path = tmp_path / f"{case.name}{case.suffix}"
    path.write_bytes(case.make(tmp_path, url))
    return path


@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("case", HOSTILE, ids=lambda c: c.name)
def test_hostile_file_refused_on_both_stores(
    tmp_path: Path, loopback: Loopback, case: Hostile, store: str
) -> None:
    path = _write(tmp_path, case, loopback.url)
    out = tmp_path / "out" / "result.nt"
    command = (
        "export" if case.code == 8 or case.name.startswith(("jsonld", "billion")) else ("validate")
    )
    env = {**LIMITED, **dict(case.env)}
    ran = run_cli(*COMMANDS[command](path, out, store), env=env, cwd=tmp_path)
    if store not in case.stores:
        assert ran.code == 0, ran.stderr
        return
    _check(ran, path, out, loopback, case)


#: a sample of the hostile files through every other command that reads a graph file
SAMPLE = ["billion-laughs", "jsonld-remote", "turtle-deep-lists", "nt-space-iri"]


@pytest.mark.parametrize("command", ["query", "network", "viz", "stats", "plot"])
@pytest.mark.parametrize("name", SAMPLE)
def test_every_command_refuses(tmp_path: Path, loopback: Loopback, name: str, command: str) -> None:
    case = next(c for c in HOSTILE if c.name == name)
    path = _write(tmp_path, case, loopback.url)
    out = tmp_path / "out" / "result"
    store = "oxigraph" if command == "query" and "oxigraph" in case.stores else "rdflib"
    ran = run_cli(*COMMANDS[command](path, out, store), env=LIMITED, cwd=tmp_path)
    _check(ran, path, out, loopback, case)


def test_push_refuses_before_any_request(tmp_path: Path, loopback: Loopback) -> None:
    case = next(c for c in HOSTILE if c.name == "jsonld-remote")
    path = _write(tmp_path, case, loopback.url)
    for store in ("rdflib", "oxigraph"):
        ran = run_cli(
            "push",
            "--endpoint",
            f"{loopback.url}/sparql",
            "--graph",
            path,
            "--store",
            store,
            env=LIMITED,
        )
        _check(ran, path, tmp_path / "out" / "x", loopback, case)


# --- 4. special files ---------------------------------------------------------------------


def _fifo(tmp: Path) -> Path:
    path = tmp / "pipe.ttl"
    os.mkfifo(path)
    return path


def _device(tmp: Path) -> Path:
    path = tmp / "zero.nt"
    path.symlink_to("/dev/zero")
    return path


def _loop(tmp: Path) -> Path:
    path = tmp / "loop.ttl"
    path.symlink_to(path)
    return path


def _missing(tmp: Path) -> Path:
    path = tmp / "dangling.ttl"
    path.symlink_to(tmp / "nowhere.ttl")
    return path


def _unreadable(tmp: Path) -> Path:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = tmp / "locked.ttl"
    path.write_text(OK_TRIPLE)
    path.chmod(0)
    return path


SPECIAL = {
    "fifo": (_fifo, "FIFO"),
    "dev-zero": (_device, "a device"),
    "symlink-loop": (_loop, "cannot read"),
    "dangling": (_missing, "no such graph file"),
    "unreadable": (_unreadable, "permission denied"),
}


@pytest.mark.parametrize(
    ("command", "store"),
    [("validate", "rdflib"), ("validate", "oxigraph"), ("export", "rdflib"), ("query", "oxigraph")],
)
@pytest.mark.parametrize("kind", list(SPECIAL))
def test_special_files(
    tmp_path: Path, loopback: Loopback, kind: str, command: str, store: str
) -> None:
    make, says = SPECIAL[kind]
    path = make(tmp_path)
    out = tmp_path / "out" / "result.nt"
    ran = run_cli(*COMMANDS[command](path, out, store), env=LIMITED, timeout=30)
    _check(ran, path, out, loopback, Hostile(kind, "", _text(""), says))


def test_a_directory_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder.ttl"
    folder.mkdir()
    ran = run_cli("validate", folder)
    assert ran.code == 2 and str(folder) in ran.stderr  # click refuses it as usage
    from mlcryst.errors import OutputError
    from mlcryst.stores.files import read_oxigraph, read_rdflib

    for read in (read_rdflib, read_oxigraph):
        with pytest.raises(OutputError, match="is a directory"):
            read(folder)


# --- what must keep working -----------------------------------------------------------------


GOOD = {
    "bom.ttl": "\ufeff" + OK_TRIPLE,
    "named.trig": '<urn:g> { <urn:a> <urn:b> "x" . }\n',
    "named.nq": '<urn:a> <urn:b> "x" <urn:g> .\n',
    "ill-typed.ttl": '<urn:a> <urn:b> "abc"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
    "plain.owl": f'<rdf:RDF xmlns:rdf="{RDF_NS}"><rdf:Description rdf:about="urn:a">'
    "<rdf:value>x</rdf:value></rdf:Description></rdf:RDF>\n",
}


@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("name", list(GOOD))
def test_ordinary_files_still_read_the_same(tmp_path: Path, name: str, store: str) -> None:
    path = tmp_path / name
    path.write_text(GOOD[name], encoding="utf-8")
    ran = run_cli("export", "--graph", path, "--format", "nt", "--store", store)
    assert ran.code == 0, ran.stderr
    assert ran.stdout.count("\n") == 1 and ran.stdout.startswith("<urn:a> "), ran.stdout


@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
def test_a_token_over_16_mib_is_read_on_both_stores(tmp_path: Path, store: str) -> None:
    """Oxigraph's 16 MiB token buffer only limits streamed reads: the reader hands it bytes."""
    path = tmp_path / "huge.ttl"
    path.write_bytes(_huge_token(tmp_path, ""))
    ran = run_cli("validate", path, "--store", store)
    assert ran.code == 0 and "conforms (1 triples)" in ran.stdout, ran.stderr


class PanicException(BaseException):
    """Stands in for ``pyo3_runtime.PanicException`` (not importable)."""


@pytest.mark.parametrize(
    "failure",
    [PanicException("index out of bounds"), MemoryError("Reached the buffer maximal size of 1")],
)
def test_oxigraph_failures_become_output_errors(failure: BaseException) -> None:
    from mlcryst.errors import OutputError
    from mlcryst.stores.files import oxigraph_errors

    with (
        pytest.raises(OutputError, match=r"g\.ttl: not valid Turtle"),
        oxigraph_errors("g.ttl", "Turtle"),
    ):
        raise failure
    # what is not a parser's failure goes through
    with pytest.raises(KeyboardInterrupt), oxigraph_errors("g.ttl", "Turtle"):
        raise KeyboardInterrupt


# --- the UTF-8 check works piece by piece: its verdict and position are the whole text's ---


@pytest.mark.parametrize("bad", [b"\xff", b"\xe2\x82", b"\xc3", b"\xf0\x9f\x98"])
@pytest.mark.parametrize("offset", [-3, -2, -1, 0, 1, 2])
def test_utf8_errors_found_where_a_whole_decode_finds_them(bad: bytes, offset: int) -> None:
    from mlcryst.errors import OutputError
    from mlcryst.stores.files import _CHUNK, check_encoding

    head = "é\n".encode() * (_CHUNK // 3) + "🙂".encode()  # crosses the piece boundary
    head += b"a" * max(0, _CHUNK + offset - len(head))
    for data in (head + bad + b"xyz", head + bad):  # in the middle, and cut off at the end
        with pytest.raises(UnicodeDecodeError) as whole:
            data.decode("utf-8")
        pos = whole.value.start
        line = data.count(b"\n", 0, pos) + 1
        column = len(data[data.rfind(b"\n", 0, pos) + 1 : pos].decode()) + 1
        with pytest.raises(OutputError) as found:
            check_encoding(data, Path("g.nt"))
        assert f"g.nt:{line}:{column}: not valid UTF-8 (byte 0x{data[pos]:02x})" in str(found.value)
    check_encoding(head, Path("g.nt"))  # valid across the boundary
