"""The Oxigraph route without rdflib: records -> Store (build_store) -> files (write_outputs)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef

from mlcryst.builder.graph import build_graph, build_ntriples, build_triples, load_vocabularies
from mlcryst.builder.stream import build_store, load_ntriples_stream
from mlcryst.errors import DataError, OutputError
from mlcryst.export.formats import EXPORT_FORMATS
from mlcryst.export.oxigraph_writer import serialize as ox_serialize
from mlcryst.export.oxigraph_writer import write_file, write_outputs
from mlcryst.export.rdflib_writer import serialize
from mlcryst.load.dataset import load_dataset
from mlcryst.load.synth import write_corpus
from mlcryst.sparql.oxigraph import run_query
from mlcryst.stores.oxigraph_store import OxigraphStore
from mlcryst.stores.terms import to_rdflib


def ox_from_graph(graph: Any) -> Any:
    return OxigraphStore.from_triples(graph).store


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("synth"), papers=200, seed=3).folder


def test_build_store_is_the_graph_of_build_graph(dataset, graph: Graph) -> None:  # type: ignore[no-untyped-def]
    store = build_store(dataset)
    assert len(store) == len(graph)
    assert ox_serialize(store, "nt") == serialize(graph, "nt")


def test_build_store_on_a_synthetic_corpus_with_a_base(corpus: Path) -> None:
    ds = load_dataset(corpus)
    vocab = load_vocabularies()
    base = "https://example.org/kg/"
    graph = build_graph(ds, base=base, vocabularies=vocab)
    store = build_store(ds, base, vocab)
    assert ox_serialize(store, "nt") == serialize(graph, "nt")
    assert build_store(corpus, base).__len__() == len(graph)  # a folder works too


def test_ntriples_chunks_are_whole_lines_and_the_same_triples(dataset) -> None:  # type: ignore[no-untyped-def]
    chunks: list[bytes] = []
    lines = build_ntriples(dataset, chunks.append, chunk_lines=500)
    assert len(chunks) > 3
    assert all(chunk.endswith(b" .\n") for chunk in chunks)
    assert lines == sum(chunk.count(b"\n") for chunk in chunks) == len(build_triples(dataset))
    ours = Graph().parse(data=b"".join(chunks).decode("utf-8"), format="nt")
    theirs = Graph()
    theirs.addN((s, p, o, theirs) for s, p, o in build_triples(dataset))
    assert serialize(ours, "nt") == serialize(theirs, "nt")


def test_stream_loader_keeps_one_blank_node_across_chunks() -> None:
    store = ox.Store()

    def produce(emit) -> None:  # type: ignore[no-untyped-def]
        emit(b"<urn:a> <urn:p> _:x .\n")
        emit(b'_:x <urn:q> "tail" .\n')

    load_ntriples_stream(store, produce)
    (row,) = run_query(store, "SELECT ?v WHERE { <urn:a> <urn:p>/<urn:q> ?v }").rows
    assert row[0].value == "tail"


def test_stream_loader_raises_the_producers_error() -> None:
    def produce(emit) -> None:  # type: ignore[no-untyped-def]
        emit(b"<urn:a> <urn:p> <urn:b> .\n")
        raise DataError("stop here", record="paper x")

    with pytest.raises(DataError, match="stop here"):
        load_ntriples_stream(ox.Store(), produce)


def test_stream_loader_reports_invalid_rdf_and_does_not_hang() -> None:
    def produce(emit) -> None:  # type: ignore[no-untyped-def]
        emit(b"<urn:a b> <urn:p> <urn:b> .\n")
        for _ in range(2000):  # far more than a pipe holds once nobody reads it
            emit(b"<urn:a> <urn:p> <urn:b> .\n" * 100)

    with pytest.raises(DataError, match="not valid RDF"):
        load_ntriples_stream(ox.Store(), produce)


def _graph_with(*triples: tuple[object, object, object]) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)  # type: ignore[arg-type]
    return g


def test_canonical_ntriples_match_rdflib_on_escapes_and_blank_nodes() -> None:
    a, p, q = URIRef("urn:a"), URIRef("urn:p"), URIRef("urn:q")
    head, tail = BNode(), BNode()
    text = 'tab\there, "quoted" \\ back\nnew\rret \x01 \x7f _:not-a-node é'
    graph = _graph_with(
        (a, p, head),
        (head, q, tail),
        (tail, q, Literal(text)),
        (a, q, Literal(text, lang="en")),
        (a, q, Literal("1", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))),
        (head, p, Literal(text)),
    )
    store = ox_from_graph(graph)
    assert ox_serialize(store, "nt") == serialize(graph, "nt")


def test_blank_nodes_that_are_not_a_tree_are_refused() -> None:
    shared = BNode()
    graph = _graph_with(
        (URIRef("urn:a"), URIRef("urn:p"), shared), (URIRef("urn:b"), URIRef("urn:p"), shared)
    )
    with pytest.raises(OutputError, match="tree-shaped"):
        ox_serialize(ox_from_graph(graph), "nt")


def test_empty_store_serialises_as_rdflib_does() -> None:
    assert ox_serialize(ox.Store(), "nt") == serialize(Graph(), "nt")


def test_write_outputs_streams_the_same_bytes_as_serialize(graph: Graph, tmp_path: Path) -> None:
    store = ox_from_graph(graph)
    written = write_outputs(store, tmp_path, ("turtle", "nt", "jsonld", "xml"))
    names = sorted(p.name for p in written)
    assert names == [
        "mlcryst.context.jsonld",
        "mlcryst.jsonld",
        "mlcryst.nt",
        "mlcryst.rdf",
        "mlcryst.ttl",
    ]
    for fmt in ("turtle", "nt", "jsonld", "xml"):
        path = tmp_path / EXPORT_FORMATS[fmt].file_name()
        assert path.read_bytes() == ox_serialize(store, fmt), fmt
    assert (tmp_path / "mlcryst.nt").read_bytes() == serialize(graph, "nt")
    assert sorted(p.name for p in tmp_path.iterdir()) == names  # no temporary files left


def test_write_outputs_without_nt_leaves_no_scratch_file(graph: Graph, tmp_path: Path) -> None:
    store = ox_from_graph(graph)
    write_outputs(store, tmp_path, ("turtle",))
    assert [p.name for p in tmp_path.iterdir()] == ["mlcryst.ttl"]


def test_write_outputs_writes_nothing_when_one_file_fails(graph: Graph, tmp_path: Path) -> None:
    store = ox_from_graph(graph)
    (tmp_path / "mlcryst.jsonld").mkdir()  # a folder where a file must go: the rename fails
    with pytest.raises(OutputError):
        write_outputs(store, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mlcryst.jsonld"]


def test_write_file(graph: Graph, tmp_path: Path) -> None:
    store = ox_from_graph(graph)
    path = write_file(store, tmp_path / "sub" / "g.ttl", "turtle")
    assert path.read_bytes() == ox_serialize(store, "turtle")


def test_store_outputs_are_deterministic_across_processes(tmp_path: Path) -> None:
    """Two separate builds (fresh processes, fresh blank nodes) give identical bytes."""
    script = (
        "import sys; from mlcryst.stores.registry import open_store; "
        "open_store('oxigraph').write_outputs(sys.argv[1])"
    )
    for out in ("a", "b"):
        subprocess.run([sys.executable, "-c", script, str(tmp_path / out)], check=True)
    for name in ("mlcryst.ttl", "mlcryst.nt", "mlcryst.jsonld"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_to_rdflib_can_keep_xsd_string() -> None:
    plain = ox.Literal("x")
    assert to_rdflib(plain) == Literal("x")
    kept = to_rdflib(plain, keep_xsd_string=True)
    assert kept.datatype == URIRef("http://www.w3.org/2001/XMLSchema#string")
    assert to_rdflib(ox.Literal("x", language="en"), keep_xsd_string=True) == Literal(
        "x", lang="en"
    )


def test_parallel_serialisation_writes_the_same_bytes(
    graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlcryst.export import oxigraph_writer as oxexport

    store = ox_from_graph(graph)
    write_outputs(store, tmp_path / "one", ("turtle", "nt", "jsonld", "xml"))
    monkeypatch.setattr(oxexport, "PARALLEL_BYTES", 0)  # worker processes even for this graph
    monkeypatch.setattr(oxexport, "_cores", lambda: 4)
    write_outputs(store, tmp_path / "par", ("turtle", "nt", "jsonld", "xml"))
    for path in (tmp_path / "one").iterdir():
        assert (tmp_path / "par" / path.name).read_bytes() == path.read_bytes(), path.name


def test_a_url_that_is_no_iri_is_a_data_error(data_copy: Path) -> None:
    path = data_copy / "databases.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "homepage: https://pdfitc.org", "homepage: https://pdfitc.org/a page"
        ),
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="not an absolute IRI") as err:
        build_store(data_copy)
    assert err.value.field == "homepage"
    assert err.value.file and err.value.file.endswith("databases.yaml")


def test_a_failing_worker_is_an_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlcryst.export import oxigraph_writer as oxexport

    nt = tmp_path / "g.nt"
    nt.write_bytes(b"<urn:a> <urn:p> <urn:b> .\n")
    monkeypatch.setattr(oxexport, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(oxexport, "_cores", lambda: 2)
    jobs = [("turtle", tmp_path / "g.ttl"), ("jsonld", tmp_path / "missing" / "g.jsonld")]
    with pytest.raises(OutputError, match="serialising jsonld failed"):
        oxexport._serialise_all(nt, jobs)


def test_a_blank_subject_that_hangs_off_nothing_is_refused() -> None:
    graph = _graph_with((BNode(), URIRef("urn:p"), Literal("x")))
    with pytest.raises(OutputError, match="tree-shaped"):
        ox_serialize(ox_from_graph(graph), "nt")


def test_a_cycle_of_blank_nodes_is_refused() -> None:
    a, b = BNode(), BNode()
    graph = _graph_with((a, URIRef("urn:p"), b), (b, URIRef("urn:p"), a))
    with pytest.raises(OutputError, match="tree-shaped"):
        ox_serialize(ox_from_graph(graph), "nt")


@pytest.mark.parametrize("sort_bytes", [1, 200, 5_000, 10**9])
def test_sorting_in_runs_gives_the_same_bytes(
    graph: Graph, tmp_path: Path, sort_bytes: int
) -> None:
    """The canonical N-Triples sorted in runs spilled to disk and merged (here forced by a tiny
    run size) are rdflib's bytes, escapes and blank nodes included, and no scratch file stays."""
    import io

    from mlcryst.export.oxigraph_writer import write_canonical

    text = 'tab\there, "quoted" \\ back\nnew\rret \x01 _:not-a-node é'
    extra = _graph_with(
        (URIRef("urn:a"), URIRef("urn:p"), Literal(text)),
        (URIRef("urn:a"), URIRef("urn:q"), BNode()),
    )
    for g in (graph, extra):
        out = io.BytesIO()
        scratch = tmp_path / "scratch"
        scratch.mkdir(exist_ok=True)
        written = write_canonical(ox_from_graph(g), out, scratch, sort_bytes=sort_bytes)
        assert out.getvalue() == serialize(g, "nt")
        assert written == len(out.getvalue())
        assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("shape", ["shared", "hangs-off-nothing"])
def test_a_graph_refused_while_sorting_in_runs_leaves_no_scratch_file(
    tmp_path: Path, shape: str
) -> None:
    """Refused in the first pass (a node shared) or in the second, after runs were spilled (a
    blank subject that hangs off nothing): no scratch file stays."""
    import io

    from mlcryst.export.oxigraph_writer import write_canonical

    shared = BNode()
    bad = (
        [(URIRef("urn:a"), URIRef("urn:p"), shared), (URIRef("urn:b"), URIRef("urn:p"), shared)]
        if shape == "shared"
        else [(BNode(), URIRef("urn:p"), Literal("x"))]
    )
    graph = _graph_with(
        *[(URIRef(f"urn:a{i}"), URIRef("urn:p"), Literal(str(i))) for i in range(50)], *bad
    )
    with pytest.raises(OutputError, match="tree-shaped"):
        write_canonical(ox_from_graph(graph), io.BytesIO(), tmp_path, sort_bytes=100)
    assert list(tmp_path.iterdir()) == []
