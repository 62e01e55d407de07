"""Integrity of the curated files in data/, checked against the source editorial."""

from __future__ import annotations

from collections import Counter

import pytest

from mlcryst.load.records import Dataset

from .conftest import SEED
from .seedtable import references, table1

SEED_ROWS = table1(SEED)
SEED_TEXT = SEED.read_text(encoding="utf-8")


def test_table1_papers_per_journal(dataset: Dataset) -> None:
    counts = Counter(dataset.journals[p.journal].title for p in dataset.table1())
    assert counts == Counter(r.journal for r in SEED_ROWS)
    assert len(dataset.table1()) == 80


@pytest.mark.parametrize("seed", SEED_ROWS, ids=lambda r: f"row{r.row}")
def test_record_matches_seed(dataset: Dataset, seed: object) -> None:
    paper = dataset.table1()[seed.row - 1]  # type: ignore[attr-defined]
    where = f"data/papers.yaml:{paper.where.line} (Table 1 row {paper.row})"
    assert paper.row == seed.row, where  # type: ignore[attr-defined]
    assert str(paper.year) == seed.year, where  # type: ignore[attr-defined]
    assert paper.problem == seed.problem, where  # type: ignore[attr-defined]
    assert paper.approach == seed.approach, where  # type: ignore[attr-defined]
    assert dataset.citation(paper) == seed.citation, where  # type: ignore[attr-defined]
    assert dataset.journals[paper.journal].title == seed.journal, where  # type: ignore[attr-defined]


def test_fu_2023_has_two_different_wang_y(dataset: Dataset) -> None:
    fu = next(p for p in dataset.table1() if p.authors[0].name == "Fu, T." and p.year == 2023)
    wangs = [a for a in fu.authors if a.name == "Wang, Y."]
    assert len(wangs) == 2
    assert wangs[0].person != wangs[1].person
    assert len(fu.authors) == len({a.person for a in fu.authors}) == 10


@pytest.mark.parametrize(
    "pid,forms",
    [
        ("ioerger-t-r", {"Ioerger, T. R.", "Iorger, T. R."}),
        ("katona-g", {"Katona, G.", "Kantona"}),
        ("christensen-s-w", {"Christensen, S. W.", "Christiansen"}),
        ("gradzielski-m", {"Gradzielski, M.", "Gradzinski, M."}),
        ("juhas-p", {"Juhás, P.", "Juhas, P."}),
        ("kjaer-e-t-s", {"Kjær, E. T. S.", "Kjaer, E. T. S."}),
    ],
)
def test_spelling_variants_resolve_to_one_person(
    dataset: Dataset, pid: str, forms: set[str]
) -> None:
    person = dataset.people[pid]
    assert {person.name, *(v.form for v in person.variants)} == forms
    # Every recorded form is printed somewhere in the source: nothing invented.
    for form in forms:
        assert form.split(",")[0] in SEED_TEXT


def test_every_printed_name_in_people_file_occurs_in_source(dataset: Dataset) -> None:
    for person in dataset.people.values():
        assert person.family_name in SEED_TEXT, person.id
        for v in person.variants:
            assert v.form.split(",")[0] in SEED_TEXT, (person.id, v.form)


def test_authors_with_variants_are_one_person_across_papers(dataset: Dataset) -> None:
    papers_of = Counter(a.person for p in dataset.table1() for a in p.authors)
    assert papers_of["juhas-p"] == 2  # Yang et al. 2020 (Juhás) and Wu et al. 2021 (Juhas)
    assert papers_of["billinge-s-j-l"] == 4


def test_reference_list(dataset: Dataset) -> None:
    printed = references(SEED)
    assert [r.citation for r in dataset.references] == printed
    in_table = {r.key for r in dataset.references if r.table1}
    assert len(dataset.references) == 31
    assert len(in_table) == 16
    assert "gao2019" not in in_table  # cited only in the text
    assert {"christensen2002", "ioerger2002", "berntson2003", "yang2021"} <= in_table


def test_databases_and_what_describes_them(dataset: Dataset) -> None:
    assert sorted(d.acronym for d in dataset.databases.values()) == sorted(
        ["CSD", "ICDD PDF", "ICSD", "COD", "Materials Project", "PDB", "OQMD", "BMCD"]
    )
    assert dataset.databases["bmcd"].described_by == "gilliland1988"
    assert dataset.databases["icsd"].described_by == "levin2018"
    used = {(p.short_label(), key) for p in dataset.papers for key in p.data_sources}
    assert used == {("Gopalakrishnan et al. (2004)", "bmcd")}
    assert sorted(s.acronym for s in dataset.standards.values()) == ["CIF", "PDB"]
    assert {s.title for s in dataset.software.values()} == {"spacegroupMining", "AlphaFold"}


def test_journal_volumes_follow_years(dataset: Dataset) -> None:
    for p in dataset.papers:
        j = dataset.journals[p.journal]
        if j.first_year is not None and j.first_volume is not None:
            assert p.volume == p.year - j.first_year + j.first_volume, p.where
