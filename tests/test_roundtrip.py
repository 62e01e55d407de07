"""Table 1 regenerated from the graph alone matches the source editorial, field by field."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDFS, SKOS

from mlcryst.namespaces import BIBO, CSVW, FABIO, MLC, PRISM, PROV

from .conftest import SEED
from .seedtable import SeedRow, references, table1

SEED_ROWS = table1(SEED)


def graph_table1(graph: Graph) -> dict[int, dict[str, object]]:
    """Read every Table 1 row back out of the graph, using only the graph."""
    out: dict[int, dict[str, object]] = {}
    for row in graph.subjects(predicate=CSVW.rownum):
        paper = graph.value(row, CSVW.describes)
        assert (paper, PROV.wasDerivedFrom, row) in graph
        journal = graph.value(paper, DCTERMS.isPartOf)
        authors = list(Collection(graph, graph.value(paper, BIBO.authorList)))
        out[int(graph.value(row, CSVW.rownum))] = {
            "paper": paper,
            "journal": str(graph.value(journal, DCTERMS.title)),
            "abbreviation": str(graph.value(journal, FABIO.hasShortTitle)),
            "year": str(graph.value(paper, FABIO.hasPublicationYear)),
            "volume": int(graph.value(paper, PRISM.volume)),
            "pages": (
                int(graph.value(paper, PRISM.startingPage)),
                int(graph.value(paper, PRISM.endingPage)),
            ),
            "problem": str(graph.value(paper, MLC.problemStatement)),
            "approach": str(graph.value(paper, MLC.approachStatement)),
            "citation": str(graph.value(paper, DCTERMS.bibliographicCitation)),
            "authors": authors,
        }
    return out


def test_the_seed_has_80_rows_in_five_sections() -> None:
    counts: dict[str, int] = {}
    for r in SEED_ROWS:
        counts[r.journal] = counts.get(r.journal, 0) + 1
    assert counts == {
        "Acta Crystallographica Section A": 14,
        "Acta Crystallographica Section B": 2,
        "Acta Crystallographica Section D": 19,
        "Journal of Synchrotron Radiation": 25,
        "IUCrJ": 20,
    }


@pytest.fixture(scope="module")
def from_graph(graph: Graph) -> dict[int, dict[str, object]]:
    return graph_table1(graph)


def test_graph_has_exactly_the_seed_rows(from_graph: dict[int, dict[str, object]]) -> None:
    assert sorted(from_graph) == [r.row for r in SEED_ROWS]


@pytest.mark.parametrize("seed", SEED_ROWS, ids=lambda r: f"row{r.row}")
def test_row_matches_seed_field_by_field(
    graph: Graph, from_graph: dict[int, dict[str, object]], seed: SeedRow
) -> None:
    got = from_graph[seed.row]
    assert got["journal"] == seed.journal
    assert got["year"] == seed.year
    assert got["problem"] == seed.problem
    assert got["approach"] == seed.approach
    assert got["citation"] == seed.citation
    # The structured fields agree with the printed citation, too.
    volume, (first, last) = got["volume"], got["pages"]
    sep = "," if got["abbreviation"] == "IUCrJ" else ""
    assert seed.citation.endswith(
        f"({seed.year}). {got['abbreviation']}{sep} {volume}, {first}–{last}."
    )
    printed = seed.citation.split(f" ({seed.year}). ")[0]
    names = printed.replace(" & ", ", ").split(", ")
    printed_authors = [f"{names[i]}, {names[i + 1]}" for i in range(0, len(names), 2)]
    assert len(printed_authors) == len(got["authors"])
    for form, person in zip(printed_authors, got["authors"], strict=True):
        forms = {str(graph.value(person, RDFS.label))}
        forms |= {str(v) for v in graph.objects(person, SKOS.altLabel)}
        assert form in forms, f"{form!r} is not a recorded form of {person}"


def test_reference_list_round_trips(graph: Graph) -> None:
    editorial = URIRef("https://w3id.org/mlcryst/editorial")
    entries = [
        e
        for e in graph.subjects(DCTERMS.isPartOf, editorial)
        if (e, None, None) in graph and graph.value(e, DCTERMS.bibliographicCitation)
    ]
    printed = sorted(str(graph.value(e, DCTERMS.bibliographicCitation)) for e in entries)
    assert printed == sorted(references(SEED))
    assert len(printed) == 31
