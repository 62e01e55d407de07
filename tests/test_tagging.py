"""Deriving method and problem tags from the Table 1 cells."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from mlcryst.builder.graph import load_vocabularies
from mlcryst.builder.tagging import split_phrases, tag_dataset, vocabulary_from_graph
from mlcryst.errors import DataErrors
from mlcryst.load.dataset import load_dataset
from mlcryst.load.records import Dataset
from mlcryst.namespaces import MLC, MLM

DL = MLM["deep-learning"]
CONVENTIONAL = MLM["conventional-machine-learning"]


@pytest.fixture(scope="module")
def tags(dataset: Dataset) -> dict:
    return tag_dataset(dataset, vocabulary_from_graph(load_vocabularies()))


@pytest.mark.parametrize(
    "cell,phrases",
    [
        ("Supervised ML, DL, classification", ["Supervised ML", "DL", "classification"]),
        (
            "Structure determination from powder diffraction (crystal system, extinction, space group)",
            [
                "Structure determination from powder diffraction (crystal system, extinction, space group)"
            ],
        ),
        (
            "Binary classifier to predict the type of nearest neighbor atoms between C or H. "
            "Pioneering use of neural net",
            [
                "Binary classifier to predict the type of nearest neighbor atoms between C or H",
                "Pioneering use of neural net",
            ],
        ),
        ("AlphaFold", ["AlphaFold"]),
    ],
)
def test_split_phrases(cell: str, phrases: list[str]) -> None:
    assert split_phrases(cell) == phrases


def test_every_phrase_of_the_shipped_data_is_accounted_for(dataset: Dataset, tags: dict) -> None:
    for paper in dataset.table1():
        for pt in tags[paper.key].phrases:
            assert pt.concepts or pt.via.startswith("override"), (paper.row, pt.phrase)


@pytest.mark.parametrize(
    "row,expected",
    [
        (5, {"supervised-learning", "convolutional-neural-network"}),  # Liu et al. 2019
        (2, {"supervised-learning", "classification", "feed-forward-neural-network"}),
        (50, {"self-supervised-learning", "convolutional-neural-network"}),  # Fleiner 2022
    ],
)
def test_known_rows_get_the_expected_methods(
    dataset: Dataset, tags: dict, row: int, expected: set[str]
) -> None:
    paper = dataset.table1()[row - 1]
    got = {str(c).rsplit("/", 1)[-1] for c in tags[paper.key].methods}
    assert expected <= got, (paper.short_label(), got)


def test_self_supervised_is_not_also_supervised(dataset: Dataset, tags: dict) -> None:
    for paper in dataset.table1():
        if paper.approach.startswith("Self-supervised ML"):
            got = set(tags[paper.key].methods)
            assert MLM["self-supervised-learning"] in got
            assert MLM["supervised-learning"] not in got


def test_every_tagged_family_reaches_one_side_of_the_split(graph: Graph) -> None:
    """Each model family sits under exactly one of deep learning / conventional ML."""
    family_facet = MLM["facet-model-family"]
    for family in graph.objects(family_facet, SKOS.member):
        ancestors = set(graph.transitive_objects(family, SKOS.broader))
        assert len({DL, CONVENTIONAL} & ancestors) == 1, family


def test_alphafold_papers_are_deep_learning(graph: Graph) -> None:
    papers = set(graph.subjects(MLC.usesMethod, MLM["alphafold"]))
    assert len(papers) == 6
    for p in papers:
        reach = {
            a
            for m in graph.objects(p, MLC.usesMethod)
            for a in graph.transitive_objects(m, SKOS.broader)
        }
        assert DL in reach


def test_unmatched_phrase_is_reported_with_file_line_and_field(data_copy: Path) -> None:
    papers = data_copy / "papers.yaml"
    text = papers.read_text(encoding="utf-8")
    papers.write_text(
        text.replace(
            "approach: Image recognition, scene analysis",
            "approach: Quantum widgets, scene analysis",
            1,
        ),
        encoding="utf-8",
    )
    ds = load_dataset(data_copy)
    with pytest.raises(DataErrors) as info:
        tag_dataset(ds, vocabulary_from_graph(load_vocabularies()))
    message = str(info.value)
    assert "'Quantum widgets'" in message
    assert "papers.yaml:" in message and "Table 1 row 1" in message and "approach" in message


def test_label_clash_is_refused() -> None:
    vocab = load_vocabularies()
    vocab.add((MLM["lasso"], SKOS.altLabel, vocab.value(MLM["random-forest"], SKOS.prefLabel)))
    with pytest.raises(DataErrors, match="belongs to both"):
        vocabulary_from_graph(vocab)


def test_stale_override_is_refused(data_copy: Path) -> None:
    tagging = data_copy / "tagging.yaml"
    tagging.write_text(
        tagging.read_text(encoding="utf-8")
        + (
            '  - phrase: "Nothing prints this"\n    column: approach\n    concepts: []\n'
            '    why: "test"\n'
        ),
        encoding="utf-8",
    )
    ds = load_dataset(data_copy)
    with pytest.raises(DataErrors, match="remove the override"):
        tag_dataset(ds, vocabulary_from_graph(load_vocabularies()))


def test_uri_of_unknown_override_concept(data_copy: Path) -> None:
    tagging = data_copy / "tagging.yaml"
    text = tagging.read_text(encoding="utf-8").replace(
        "[mlm:neural-network]", "[mlm:no-such-concept]", 1
    )
    tagging.write_text(text, encoding="utf-8")
    ds = load_dataset(data_copy)
    with pytest.raises(DataErrors, match="unknown concept mlm:no-such-concept"):
        tag_dataset(ds, vocabulary_from_graph(load_vocabularies()))
    assert isinstance(MLM["x"], URIRef)
