"""The projection of the RDF graph onto networkx: counts checked against the curated records."""

from __future__ import annotations

import io
from collections import Counter
from itertools import combinations, pairwise
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from mlcryst.builder.graph import load_vocabularies
from mlcryst.builder.tagging import tag_dataset, vocabulary_from_graph
from mlcryst.cli.main import main
from mlcryst.errors import QueryError
from mlcryst.load.records import Dataset
from mlcryst.visual.graphml import write_graphml
from mlcryst.visual.network import (
    VIEWS,
    index_graph,
    network_bytes,
    project,
    write_network,
)

MLM = "https://w3id.org/mlcryst/method/"
MLP = "https://w3id.org/mlcryst/problem/"


@pytest.fixture(scope="module")
def tags(dataset: Dataset) -> dict[str, tuple[set[str], set[str]]]:
    """paper key -> (method IRIs, problem IRIs), from the tagger, not from the graph."""
    result = tag_dataset(dataset, vocabulary_from_graph(load_vocabularies()))
    return {
        k: ({str(m) for m in t.methods}, {str(p) for p in t.problems}) for k, t in result.items()
    }


@pytest.fixture(scope="module")
def views(graph: Graph) -> dict[str, nx.Graph]:
    idx = index_graph(graph)
    return {v: project(graph, v, index=idx) for v in VIEWS if v != "construct"}


def test_papers_view_counts_match_the_records(
    views: dict[str, nx.Graph], dataset: Dataset, tags: dict[str, tuple[set[str], set[str]]]
) -> None:
    g = views["papers"]
    methods = set().union(*(m for m, _ in tags.values()))
    problems = set().union(*(p for _, p in tags.values()))
    kinds = Counter(k for _, k in g.nodes(data="kind"))
    assert kinds == {"paper": len(dataset.papers), "method": len(methods), "problem": len(problems)}
    assert (kinds["paper"], kinds["method"], kinds["problem"]) == (80, 30, 73)
    assert g.number_of_edges() == sum(len(m) + len(p) for m, p in tags.values()) == 307
    relations = Counter(r for *_, r in g.edges(data="relation"))
    assert relations == {
        "uses_method": sum(len(m) for m, _ in tags.values()),
        "addresses_problem": sum(len(p) for _, p in tags.values()),
    }


def test_paper_attributes_come_from_the_graph(views: dict[str, nx.Graph]) -> None:
    g = views["papers"]
    feigenbaum = g.nodes["https://w3id.org/mlcryst/paper/acta-a-33-13"]
    assert feigenbaum["label"] == "Feigenbaum et al. (1977)"
    assert feigenbaum["year"] == 1977
    assert feigenbaum["journal"] == "Acta Cryst. A"
    assert feigenbaum["architecture"] == "other"  # image recognition, scene analysis: no model
    assert "scene analysis" in feigenbaum["methods"]
    cnn = g.nodes[MLM + "convolutional-neural-network"]
    assert cnn["kind"] == "method" and cnn["architecture"] == "deep learning"
    assert cnn["broader"] == "deep neural network"
    assert cnn["scheme"] == "mlcryst machine-learning methods"
    # every paper tagged with a CNN is a deep-learning paper
    for paper in g[MLM + "convolutional-neural-network"]:
        assert g.nodes[paper]["architecture"] in ("deep learning", "both")


def test_coauthor_network_matches_the_author_lists(
    views: dict[str, nx.Graph], dataset: Dataset
) -> None:
    g = views["coauthors"]
    authors = {a.person for p in dataset.papers for a in p.authors}
    pairs: Counter[tuple[str, str]] = Counter()
    for p in dataset.papers:
        for a, b in combinations(sorted({a.person for a in p.authors}), 2):
            pairs[a, b] += 1
    assert g.number_of_nodes() == len(authors) == 425
    assert g.number_of_edges() == len(pairs) == 1597
    assert sum(w for *_, w in g.edges(data="weight")) == sum(pairs.values())
    billinge = next(n for n, label in g.nodes(data="label") if label == "Billinge, S. J. L.")
    assert g.nodes[billinge]["papers"] == sum(
        1 for p in dataset.papers if any(a.name.startswith("Billinge") for a in p.authors)
    )


def test_cooccurrence_weights_count_papers(
    views: dict[str, nx.Graph], tags: dict[str, tuple[set[str], set[str]]]
) -> None:
    g = views["cooccurrence"]
    pairs = Counter((m, p) for ms, ps in tags.values() for m in ms for p in ps)
    assert g.number_of_edges() == len(pairs) == 220
    (m, p), n = pairs.most_common(1)[0]
    assert g.edges[m, p]["weight"] == n == 9  # supervised learning × computed tomography
    assert g.nodes[m]["label"] == "supervised learning"


def test_overview_adds_people_journals_and_broader_chains(
    views: dict[str, nx.Graph], dataset: Dataset
) -> None:
    g = views["overview"]
    kinds = Counter(k for _, k in g.nodes(data="kind"))
    assert kinds["paper"] == 80 and kinds["author"] == 425 and kinds["journal"] == 5
    relations = Counter(r for *_, r in g.edges(data="relation"))
    assert relations["published_in"] == 80
    assert relations["author_of"] == sum(len({a.person for a in p.authors}) for p in dataset.papers)
    # CNN hangs below deep learning through the broader chain
    path = nx.shortest_path(
        g.subgraph([n for n, k in g.nodes(data="kind") if k == "method"]),
        MLM + "convolutional-neural-network",
        MLM + "deep-learning",
    )
    assert len(path) == 4  # CNN -> deep neural network -> neural network -> deep learning
    assert all(g.edges[a, b]["relation"] == "broader" for a, b in pairwise(path))
    assert g.edges[path[0], path[1]]["narrower"] == path[0]


def test_construct_view_and_its_errors(graph: Graph) -> None:
    q = (
        "PREFIX mlc: <https://w3id.org/mlcryst/ontology#>\n"
        "CONSTRUCT { ?p mlc:usesMethod ?m } WHERE { ?p mlc:usesMethod ?m . "
        "FILTER(?m = <" + MLM + "convolutional-neural-network>) }"
    )
    g = project(graph, "construct", query=q)
    assert Counter(k for _, k in g.nodes(data="kind")) == {"paper": 26, "method": 1}
    assert {r for *_, r in g.edges(data="relation")} == {"mlc:usesMethod"}
    with pytest.raises(QueryError, match="returns no graph"):
        project(graph, "construct", query="SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
    with pytest.raises(QueryError, match="empty graph"):
        project(
            graph,
            "construct",
            query="CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . ?s <urn:no-such-property> ?o }",
        )
    with pytest.raises(QueryError, match="needs a query"):
        project(graph, "construct")
    with pytest.raises(QueryError, match="unknown view 'galaxy'"):
        project(graph, "galaxy")


def test_a_graph_without_papers_is_refused() -> None:
    g = Graph()
    g.add((URIRef("urn:x"), RDFS.label, Literal("x")))
    with pytest.raises(QueryError, match="no papers"):
        project(g, "overview")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_exports_read_back(views: dict[str, nx.Graph], tmp_path: Path, fmt: str) -> None:
    g = views["papers"]
    path = write_network(g, tmp_path / f"papers.{fmt}")
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    node = back.nodes[MLM + "convolutional-neural-network"]
    assert node["kind"] == "method" and node["label"] == "convolutional neural network"
    assert network_bytes(g, fmt) == path.read_bytes()  # deterministic


def _networkx_graphml(g: nx.Graph) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml_lxml(g, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def _our_graphml(g: nx.Graph) -> bytes:
    buf = io.BytesIO()
    write_graphml(g, buf)
    return buf.getvalue()


def test_graphml_is_the_bytes_networkx_writes(views: dict[str, nx.Graph]) -> None:
    """Every view of the collection, as the streaming writer writes it and as networkx's
    (lxml) writer does: the same bytes."""
    for name, g in views.items():
        assert _our_graphml(g) == _networkx_graphml(g), name


def test_graphml_escapes_and_types_as_networkx_does() -> None:
    awkward = "a & b < c > \"d\" 'e' \r\n\t é 😀 ]]>"
    g = nx.DiGraph(view=awkward, id="g&1")
    g.add_node(awkward, label=awkward, papers=3, share=0.5, grouped=True)
    g.add_node("alone")
    g.add_edge(awkward, "alone", relation="coauthor", weight=2, papers=awkward)
    g.add_edge("alone", "other")
    g.add_node("mixed", year=1999)
    g.add_node("mixed too", year="unknown")  # two keys named year: long and string
    assert _our_graphml(g) == _networkx_graphml(g)
    assert _our_graphml(nx.Graph()) == _networkx_graphml(nx.Graph())
    back = nx.read_graphml(io.BytesIO(_our_graphml(g)))
    assert back.nodes[awkward]["label"] == awkward and back.nodes[awkward]["papers"] == 3


@pytest.mark.parametrize(
    ("value", "error"), [("x\x00y", ValueError), ("x\x0by", ValueError), ({"a"}, TypeError)]
)
def test_graphml_refuses_what_networkx_refuses(value: object, error: type[Exception]) -> None:
    g = nx.Graph()
    g.add_node("a", label=value)
    with pytest.raises(error):
        _networkx_graphml(g)
    with pytest.raises(error):
        _our_graphml(g)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_a_network_that_fails_while_written_leaves_the_old_file(
    views: dict[str, nx.Graph], tmp_path: Path, fmt: str
) -> None:
    """GraphML is streamed to the file: a writer that fails part-way (here on an attribute
    GraphML and GEXF cannot hold) leaves the previous file as it was and no temporary file."""
    path = tmp_path / f"papers.{fmt}"
    write_network(views["papers"], path)
    before = path.read_bytes()
    bad = views["papers"].copy()
    bad.add_node("urn:x:broken", kind="paper", label="broken", extra={"a", "b"})
    with pytest.raises(TypeError, match="not"):
        write_network(bad, path)
    assert path.read_bytes() == before
    assert sorted(f.name for f in tmp_path.iterdir()) == [path.name]


def test_network_command(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "co.gexf"
    result = runner.invoke(main, ["network", "--view", "cooccurrence", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "103 nodes, 220 edges" in result.output
    assert nx.read_gexf(out).number_of_edges() == 220
    bad = runner.invoke(main, ["network", "--view", "galaxy", "--out", str(out)])
    assert bad.exit_code == 2 and "galaxy" in bad.output
    nofmt = runner.invoke(main, ["network", "--out", str(tmp_path / "x.txt")])
    assert nofmt.exit_code == 2 and "--format" in nofmt.output


def test_authors_come_in_printed_order(graph: Graph, dataset: Dataset) -> None:
    idx = index_graph(graph)
    by_key = {str(iri).rsplit("/", 1)[-1]: p for iri, p in idx.papers.items()}
    assert len(by_key) == len(dataset.papers) == 80
    for paper in dataset.papers:
        got = [str(a).rsplit("/", 1)[-1] for a in by_key[paper.key].authors]
        assert got == [a.person for a in paper.authors], paper.key


def test_a_cyclic_author_list_is_an_error(graph: Graph) -> None:
    from rdflib import BNode
    from rdflib.namespace import RDF

    from mlcryst.namespaces import BIBO

    g = Graph()
    for triple in graph:
        g.add(triple)
    paper = URIRef("https://w3id.org/mlcryst/paper/acta-a-33-13")
    head = g.value(paper, BIBO.authorList)
    assert head is not None
    loop = BNode()
    g.set((head, RDF.rest, loop))
    g.add((loop, RDF.first, URIRef("https://w3id.org/mlcryst/person/x")))
    g.add((loop, RDF.rest, head))
    with pytest.raises(ValueError, match="recursive"):
        index_graph(g)
