"""Exports parse back to an isomorphic graph, are deterministic, and parse offline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic as rdflib_isomorphic

from mlcryst.errors import OutputError
from mlcryst.export.formats import CONTEXT_FILE
from mlcryst.export.formats import EXPORT_FORMATS as FORMATS
from mlcryst.export.rdflib_writer import canonical, isomorphic, serialize, write_outputs
from mlcryst.stores.files import read_rdflib as read_graph

RDFLIB_NAMES = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_round_trip_is_isomorphic(graph: Graph, fmt: str) -> None:
    data = serialize(graph, fmt)
    back = Graph().parse(data=data, format=RDFLIB_NAMES[fmt])
    assert len(back) == len(graph)
    assert isomorphic(back, graph)


def test_outputs_are_written_and_read_back(graph: Graph, tmp_path: Path) -> None:
    written = write_outputs(graph, tmp_path)
    names = sorted(p.name for p in written)
    assert names == ["mlcryst.context.jsonld", "mlcryst.jsonld", "mlcryst.nt", "mlcryst.ttl"]
    for name in ("mlcryst.ttl", "mlcryst.nt", "mlcryst.jsonld"):
        assert isomorphic(read_graph(tmp_path / name), graph), name
    assert not list(tmp_path.glob(".*.tmp"))


def test_jsonld_embeds_its_context_and_the_context_ships(graph: Graph, tmp_path: Path) -> None:
    write_outputs(graph, tmp_path)
    doc = json.loads((tmp_path / "mlcryst.jsonld").read_text(encoding="utf-8"))
    context = json.loads((tmp_path / CONTEXT_FILE).read_text(encoding="utf-8"))
    assert isinstance(doc["@context"], dict)
    assert doc["@context"] == context["@context"]
    assert context["@context"]["fabio"] == "http://purl.org/spar/fabio/"


def test_remote_jsonld_context_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(
        json.dumps({"@context": "https://example.org/context.jsonld", "@id": "urn:x", "name": "y"}),
        encoding="utf-8",
    )
    with pytest.raises(OutputError, match="remote context"):
        read_graph(path)


def test_serialisation_is_deterministic_across_processes(tmp_path: Path) -> None:
    """Two separate builds (fresh processes, fresh blank nodes) give identical bytes."""
    script = (
        "import sys; from mlcryst.load.dataset import load_dataset; "
        "from mlcryst.builder.graph import build_graph; from mlcryst.export.rdflib_writer import write_outputs; "
        "write_outputs(build_graph(load_dataset()), sys.argv[1])"
    )
    for out in ("a", "b"):
        subprocess.run([sys.executable, "-c", script, str(tmp_path / out)], check=True)
    for name in ("mlcryst.ttl", "mlcryst.nt", "mlcryst.jsonld"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_canonical_labels_do_not_depend_on_parse(graph: Graph) -> None:
    again = Graph().parse(data=serialize(graph, "nt"), format="nt")
    assert serialize(canonical(again), "nt") == serialize(graph, "nt")


def test_nt_lines_are_sorted(graph: Graph) -> None:
    lines = serialize(graph, "nt").decode().splitlines()
    assert lines == sorted(lines)


def _paper_subgraph(graph: Graph, key: str) -> Graph:
    """One paper's statements with its author list (a small graph rdflib can compare fast)."""
    from rdflib import URIRef
    from rdflib.namespace import RDF

    paper = URIRef(f"https://w3id.org/mlcryst/paper/{key}")
    sub = Graph()
    stack = [paper]
    while stack:
        node = stack.pop()
        for s, p, o in graph.triples((node, None, None)):
            sub.add((s, p, o))
            if p in (RDF.first, RDF.rest) or (
                s == paper and not isinstance(o, URIRef) and o.__class__.__name__ == "BNode"
            ):
                stack.append(o)
    return sub


def test_fast_isomorphism_agrees_with_rdflib(graph: Graph) -> None:
    sub = _paper_subgraph(graph, "jsr-30-620")  # Fu et al. 2023: ten authors, two Wang, Y.
    again = Graph().parse(data=serialize(sub, "turtle"), format="turtle")
    assert rdflib_isomorphic(sub, again) and isomorphic(sub, again)
    changed = Graph()
    changed += again
    from rdflib.namespace import RDF

    first_cell = next(changed.subjects(RDF.first, None))
    person = changed.value(first_cell, RDF.first)
    changed.remove((first_cell, RDF.first, person))
    changed.add((first_cell, RDF.first, person + "-other"))
    assert not rdflib_isomorphic(sub, changed)
    assert not isomorphic(sub, changed)
