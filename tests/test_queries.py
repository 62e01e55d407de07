"""The named queries (queries/*.rq), each compared in full with an independent expectation.

Every expectation is computed WITHOUT SPARQL: from the curated records (``dataset``), from the
seed text (``tests/seedtable.py`` reads it on its own), or by walking the rdflib graph in Python
(``transitive_objects`` over ``skos:broader``). Results are compared row for row, value for
value, in order. Facts the editorial states are also asserted literally.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from itertools import combinations
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD
from rdflib.query import Result

from mlcryst.cli import main
from mlcryst.iris import Iris
from mlcryst.namespaces import FABIO, MLC, MLM, MLP, PREFIXES
from mlcryst.query import NamedQuery, find_query, list_queries, run
from mlcryst.records import Dataset, Paper, display_name

from .conftest import SEED
from .seedtable import references as seed_references
from .seedtable import table1 as seed_table1

IRIS = Iris()
QUERIES = list_queries()
NAMES = [q.name for q in QUERIES]
VIOLATIONS = [q.name for q in QUERIES if q.is_violation_check]
SEED_ROWS = seed_table1(SEED)
METHOD_SCHEME = URIRef(str(MLM))
PROBLEM_SCHEME = URIRef(str(MLP))
DL = MLM["deep-learning"]
CML = MLM["conventional-machine-learning"]

Row = tuple[Any, ...]


# --- running the queries ----------------------------------------------------------------------


def value(term: object) -> object:
    """A result term as a comparable Python value: int/bool for typed literals, str for text."""
    if isinstance(term, Literal):
        if term.language or term.datatype in (None, XSD.string):
            return str(term)
        return term.toPython()
    return term


def table(result: Result) -> list[Row]:
    names = list(result.vars or [])
    return [tuple(value(b.get(v)) for v in names) for b in result.bindings]


_CACHE: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[list[str], list[Row], float]] = {}


def answer(graph: Graph, name: str, **params: URIRef | Literal) -> list[Row]:
    """Rows of a named query (in process, cached); the CPU time is kept for the timing test."""
    key = (name, tuple(sorted((k, v.n3()) for k, v in params.items())))
    if key not in _CACHE:
        query = find_query(name)
        assert isinstance(query, NamedQuery)
        start = time.process_time()
        result = run(graph, query, dict(params), timeout=0, memory_mb=0)
        rows = table(result)
        _CACHE[key] = ([str(v) for v in result.vars or []], rows, time.process_time() - start)
    return _CACHE[key][1]


# --- plain-Python views of the graph and the records -----------------------------------------


def label(graph: Graph, node: object) -> str:
    found = graph.value(node, SKOS.prefLabel)  # type: ignore[arg-type]
    assert found is not None, node
    return str(found)


def ancestors(graph: Graph, concept: URIRef) -> set[URIRef]:
    """The concept and everything above it (skos:broader*)."""
    return set(graph.transitive_objects(concept, SKOS.broader))  # type: ignore[arg-type]


def methods(graph: Graph, paper: Paper) -> set[URIRef]:
    return set(graph.objects(IRIS.paper(paper.key), MLC.usesMethod))  # type: ignore[arg-type]


def problems(graph: Graph, paper: Paper) -> set[URIRef]:
    return set(graph.objects(IRIS.paper(paper.key), MLC.addressesProblem))  # type: ignore[arg-type]


def reaches(graph: Graph, paper: Paper, target: URIRef) -> bool:
    return any(target in ancestors(graph, m) for m in methods(graph, paper))


def top_concepts(graph: Graph, scheme: URIRef) -> set[URIRef]:
    return set(graph.subjects(SKOS.topConceptOf, scheme))  # type: ignore[arg-type]


def in_scheme(graph: Graph, scheme: URIRef) -> set[URIRef]:
    return set(graph.subjects(SKOS.inScheme, scheme))  # type: ignore[arg-type]


def journals_in_printed_order(dataset: Dataset) -> list[str]:
    return list(dict.fromkeys(p.journal for p in dataset.table1()))


def persons(paper: Paper) -> list[str]:
    return list(dict.fromkeys(a.person for a in paper.authors))


def work_label(dataset: Dataset, key: str) -> str:
    """The label of a cited work: "Gilliland (1988)", "Gates-Rector & Blanton (2019)"."""
    ref = next(r for r in dataset.references if r.key == key)
    fams = [dataset.people[a.person].family_name for a in ref.authors]
    who = (
        fams[0]
        if len(fams) == 1
        else (f"{fams[0]} & {fams[1]}" if len(fams) == 2 else f"{fams[0]} et al.")
    )
    return f"{who} ({ref.year}{ref.year_suffix})"


def by_row(dataset: Dataset) -> dict[int, Paper]:
    return {p.row: p for p in dataset.table1() if p.row is not None}


# --- the expectations -------------------------------------------------------------------------


def expect_papers_per_year(graph: Graph, dataset: Dataset) -> list[Row]:
    return sorted(Counter(p.year for p in dataset.table1()).items())


def expect_deep_vs_conventional_per_year(graph: Graph, dataset: Dataset) -> list[Row]:
    per_year: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for p in dataset.table1():
        dl, cml = reaches(graph, p, DL), reaches(graph, p, CML)
        counts = per_year[p.year]
        for i, flag in enumerate((True, dl, cml, dl and cml, not dl and not cml)):
            counts[i] += int(flag)
    return [(year, *counts) for year, counts in sorted(per_year.items())]


def expect_paradigm_per_journal(graph: Graph, dataset: Dataset) -> list[Row]:
    paradigms = sorted(
        graph.objects(MLM["facet-paradigm"], SKOS.member), key=lambda c: (label(graph, c), str(c))
    )
    rows = []
    for j in journals_in_printed_order(dataset):
        papers = [p for p in dataset.table1() if p.journal == j]
        for c in paradigms:
            n = sum(reaches(graph, p, c) for p in papers)  # type: ignore[arg-type]
            rows.append((dataset.journals[j].title, label(graph, c), n))
    return rows


def expect_neural_network_first_uses(graph: Graph, dataset: Dataset) -> list[Row]:
    nn = [p for p in dataset.table1() if reaches(graph, p, MLM["neural-network"])]
    return [
        (p.year, p.row, p.short_label(), dataset.journals[p.journal].abbreviation, p.approach)
        for p in sorted(nn, key=lambda p: (p.year, p.row))
    ]


def expect_methods_per_problem_area(graph: Graph, dataset: Dataset) -> list[Row]:
    tops = top_concepts(graph, PROBLEM_SCHEME)
    groups: dict[tuple[URIRef, URIRef, URIRef], set[str]] = defaultdict(set)
    for p in dataset.table1():
        areas = {t for c in problems(graph, p) for t in ancestors(graph, c) & tops}
        for m in methods(graph, p):
            for arch in ancestors(graph, m) & {DL, CML}:
                for area in areas:
                    groups[area, arch, m].add(p.key)
    rows = [
        (label(graph, a), label(graph, arch), label(graph, m), len(ps), str(m))
        for (a, arch, m), ps in groups.items()
    ]
    rows.sort(key=lambda r: (r[0], r[1], -r[3], r[2], r[4]))
    return [r[:4] for r in rows]


def expect_problem_areas_without_deep_learning(graph: Graph, dataset: Dataset) -> list[Row]:
    tops = top_concepts(graph, PROBLEM_SCHEME)
    deep = {p.key for p in dataset.table1() if reaches(graph, p, DL)}
    rows = []
    for c in in_scheme(graph, PROBLEM_SCHEME):
        tackled = {
            p.key
            for p in dataset.table1()
            if any(c in ancestors(graph, pc) for pc in problems(graph, p))
        }
        if tackled and not tackled & deep:
            for area in ancestors(graph, c) & tops:
                rows.append((label(graph, area), label(graph, c), len(tackled), str(c)))
    rows.sort(key=lambda r: (r[0], r[1], r[3]))
    return [r[:3] for r in rows]


def expect_papers_per_database(graph: Graph, dataset: Dataset) -> list[Row]:
    rows = []
    for db in dataset.databases.values():
        citing = sorted(p.short_label() for p in dataset.papers if db.key in p.data_sources)
        described = work_label(dataset, db.described_by)
        for paper in citing or [None]:
            rows.append((db.acronym, db.title, described, len(citing), paper))
    rows.sort(key=lambda r: (-r[3], r[0], r[4] or ""))
    return rows


def expect_authors_most_prolific(graph: Graph, dataset: Dataset) -> list[Row]:
    counts = Counter(pid for p in dataset.table1() for pid in persons(p))
    rows = [
        (IRIS.person(pid), dataset.people[pid].name, n)
        for pid, n in counts.items()
        if n >= 2 and not dataset.people[pid].is_organization
    ]
    rows.sort(key=lambda r: (-r[2], r[1], str(r[0])))
    return rows


def expect_coauthor_pairs(graph: Graph, dataset: Dataset) -> list[Row]:
    pairs: Counter[tuple[str, str]] = Counter()
    for p in dataset.table1():
        for a, b in combinations(sorted(persons(p), key=lambda pid: str(IRIS.person(pid))), 2):
            pairs[a, b] += 1
    rows = []
    for (a, b), n in pairs.items():
        if n > 1:
            first, second = sorted((dataset.people[a].name, dataset.people[b].name))
            rows.append((first, second, n, str(IRIS.person(a)), str(IRIS.person(b))))
    rows.sort(key=lambda r: (-r[2], r[0], r[1], r[3], r[4]))
    return [r[:3] for r in rows]


def expect_papers_per_journal(graph: Graph, dataset: Dataset) -> list[Row]:
    counts = Counter(p.journal for p in dataset.table1())
    return [
        (dataset.journals[j].title, dataset.journals[j].abbreviation, counts[j])
        for j in journals_in_printed_order(dataset)
    ]


def expect_table_1(graph: Graph, dataset: Dataset) -> list[Row]:
    return [
        (
            p.row,
            dataset.journals[p.journal].title,
            p.year,
            p.problem,
            p.approach,
            dataset.citation(p),
        )
        for p in dataset.table1()
    ]


def person_forms(dataset: Dataset, pid: str) -> set[str]:
    person = dataset.people[pid]
    return {
        person.name,
        display_name(person.name),
        person.family_name,
        *(v.form for v in person.variants),
    }


def expect_papers_by_author(dataset: Dataset, author: URIRef | Literal | None) -> list[Row]:
    rows = []
    for p in dataset.table1():
        for pid in persons(p):
            iri = IRIS.person(pid)
            if (
                author is None
                or author == iri
                or (isinstance(author, Literal) and str(author) in person_forms(dataset, pid))
            ):
                rows.append(
                    (
                        p.row,
                        p.year,
                        p.short_label(),
                        iri,
                        dataset.people[pid].name,
                        dataset.citation(p),
                    )
                )
    rows.sort(key=lambda r: (r[0], r[4], str(r[3])))
    return rows


def concept_labels(graph: Graph, concept: URIRef) -> set[str]:
    return {
        str(o)
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
        for o in graph.objects(concept, prop)
    }


def expect_papers_using_method(
    graph: Graph, dataset: Dataset, method: URIRef | Literal | None
) -> list[Row]:
    if method is None:
        targets = top_concepts(graph, METHOD_SCHEME)
    elif isinstance(method, URIRef):
        targets = {method}
    else:
        targets = {
            c
            for c in in_scheme(graph, METHOD_SCHEME)
            if str(method).lower() in {x.lower() for x in concept_labels(graph, c)}
        }
    under = {c for t in targets for c in graph.transitive_subjects(SKOS.broader, t)}
    return [
        (p.row, p.year, p.short_label(), dataset.journals[p.journal].abbreviation, p.approach)
        for p in dataset.table1()
        if methods(graph, p) & under
    ]


def expect_name_variants(graph: Graph, dataset: Dataset) -> list[Row]:
    rows = [
        (IRIS.person(p.id, organization=p.is_organization), p.name, v.form, p.note)
        for p in dataset.people.values()
        for v in p.variants
    ]
    rows.sort(key=lambda r: (r[1], r[2], str(r[0])))
    return rows


REFERENCE_CLASSES = {
    "article": FABIO.JournalArticle,
    "preprint": FABIO.Preprint,
    "book": FABIO.Book,
    "software": FABIO.ComputerProgram,
    "dataset": FABIO.Database,
}


def expect_reference_list(graph: Graph, dataset: Dataset) -> list[Row]:
    table1 = {(p.journal, p.volume, p.first_page): p for p in dataset.table1()}
    rows = []
    for r in dataset.references:
        if r.table1:
            assert r.first_page is not None
            paper = table1[r.journal, r.volume, int(r.first_page)]
            rows.append((r.citation, paper.short_label(), FABIO.JournalArticle, True, paper.row))
        else:
            rows.append(
                (r.citation, work_label(dataset, r.key), REFERENCE_CLASSES[r.type], False, None)
            )
    return sorted(rows, key=lambda r: r[0])


def expect_papers_per_method(graph: Graph, dataset: Dataset) -> list[Row]:
    rows = []
    for c in in_scheme(graph, METHOD_SCHEME):
        direct = sum(c in methods(graph, p) for p in dataset.table1())
        total = sum(reaches(graph, p, c) for p in dataset.table1())
        facets = list(graph.subjects(SKOS.member, c))
        assert len(facets) == 1, c
        rows.append((label(graph, facets[0]), label(graph, c), direct, total, str(c)))
    rows.sort(key=lambda r: (r[0], -r[3], r[1], r[4]))
    return [r[:4] for r in rows]


def expect_method_problem_cooccurrence(graph: Graph, dataset: Dataset) -> list[Row]:
    counts: Counter[tuple[URIRef, URIRef]] = Counter()
    for p in dataset.table1():
        for m in methods(graph, p):
            for c in problems(graph, p):
                counts[m, c] += 1
    rows = [
        (label(graph, m), label(graph, c), n, str(m), str(c))
        for (m, c), n in counts.items()
        if n >= 2
    ]
    rows.sort(key=lambda r: (-r[2], r[0], r[1], r[3], r[4]))
    return [r[:3] for r in rows]


EXPECTATIONS: dict[str, Callable[[Graph, Dataset], list[Row]]] = {
    "papers-per-year": expect_papers_per_year,
    "deep-vs-conventional-per-year": expect_deep_vs_conventional_per_year,
    "paradigm-per-journal": expect_paradigm_per_journal,
    "neural-network-first-uses": expect_neural_network_first_uses,
    "methods-per-problem-area": expect_methods_per_problem_area,
    "problem-areas-without-deep-learning": expect_problem_areas_without_deep_learning,
    "papers-per-database": expect_papers_per_database,
    "authors-most-prolific": expect_authors_most_prolific,
    "coauthor-pairs": expect_coauthor_pairs,
    "papers-per-journal": expect_papers_per_journal,
    "table-1": expect_table_1,
    "papers-by-author": lambda g, ds: expect_papers_by_author(ds, None),
    "papers-using-method": lambda g, ds: expect_papers_using_method(g, ds, None),
    "name-variants": expect_name_variants,
    "reference-list": expect_reference_list,
    "papers-per-method": expect_papers_per_method,
    "method-problem-cooccurrence": expect_method_problem_cooccurrence,
}


# --- every query: header, columns, full result ------------------------------------------------


def test_every_query_is_covered() -> None:
    assert len(EXPECTATIONS) >= 12
    assert set(NAMES) == set(EXPECTATIONS) | set(VIOLATIONS)
    assert not set(EXPECTATIONS) & set(VIOLATIONS)


@pytest.mark.parametrize("query", QUERIES, ids=NAMES)
def test_header_and_prefixes(query: NamedQuery) -> None:
    text = query.text
    assert text.startswith(f"# Question: {query.question}\n# Columns: ")
    assert query.question.endswith("?")
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", query.name)
    declared = dict(re.findall(r"^PREFIX (\w*): <([^>]*)>$", text, flags=re.M))
    assert declared, "prefixes are declared in the file"
    for prefix, ns in declared.items():
        assert PREFIXES.get(prefix) == ns, f"{prefix}: is not the standard prefix"
    body = "\n".join(
        line.split("#", 1)[0] if not line.lstrip().startswith("PREFIX") else ""
        for line in text.splitlines()
    )
    body = re.sub(r'"[^"]*"|<[^>]*>', "", body)
    used = set(re.findall(r"(?<![\w?$])([a-z]\w*):", body))
    assert used <= set(declared), f"undeclared prefixes {used - set(declared)}"
    assert re.search(r"^ORDER BY ", text, flags=re.M), "every SELECT is ordered"
    for parameter in query.parameters:
        assert f"?{parameter}" in body and parameter not in query.columns
        assert "# Bind `" + parameter + "`" in text, "the header says how to bind it"


@pytest.mark.parametrize("query", QUERIES, ids=NAMES)
def test_columns_are_the_select_variables(graph: Graph, query: NamedQuery) -> None:
    answer(graph, query.name)
    columns, _, _ = _CACHE[query.name, ()]
    assert tuple(columns) == query.columns


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_query_matches_independent_expectation(graph: Graph, dataset: Dataset, name: str) -> None:
    expected = EXPECTATIONS[name](graph, dataset)
    assert expected, "an expectation with no rows proves nothing"
    assert answer(graph, name) == expected


@pytest.mark.parametrize("name", VIOLATIONS)
def test_violation_check_passes_on_shipped_graph(graph: Graph, name: str) -> None:
    assert answer(graph, name) == []


def test_each_query_is_fast(graph: Graph) -> None:
    """CPU time in this process (robust to a busy machine); the slowest are well under 3 s."""
    for name in NAMES:
        answer(graph, name)
    slow = {key[0]: round(t, 2) for key, (_, _, t) in _CACHE.items() if t > 3.0}
    assert not slow


def test_limited_run_gives_the_same_rows(graph: Graph) -> None:
    """The default run (child process with time and memory limits) agrees with in-process."""
    result = run(graph, find_query("coauthor-pairs"))  # type: ignore[arg-type]
    assert table(result) == answer(graph, "coauthor-pairs")


# --- what the editorial says, asserted literally ----------------------------------------------


def test_papers_per_year_facts(graph: Graph) -> None:
    years = dict(answer(graph, "papers-per-year"))
    assert sum(years.values()) == 80
    assert years[1977] == 1  # Feigenbaum et al.: "the earliest AI publication"
    assert years[1993] == 1  # Fortier et al.
    assert years[2002] == 2  # Christensen; Ioerger & Sacchettini
    assert years[2003] == 1  # Berntson et al.
    assert min(years) == 1977 and max(years) == 2024
    assert 1978 not in years and 2001 not in years  # the 25-year gap
    assert years == dict(Counter(int(r.year) for r in SEED_ROWS))


def test_papers_per_journal_facts(graph: Graph) -> None:
    assert [(r[1], r[2]) for r in answer(graph, "papers-per-journal")] == [
        ("Acta Cryst. A", 14),
        ("Acta Cryst. B", 2),
        ("Acta Cryst. D", 19),
        ("J. Synchrotron Rad.", 25),
        ("IUCrJ", 20),
    ]
    seed = list(Counter(r.journal for r in SEED_ROWS).items())  # in printed order
    assert [(r[0], r[2]) for r in answer(graph, "papers-per-journal")] == seed


def test_table_1_is_the_printed_table(graph: Graph) -> None:
    rows = answer(graph, "table-1")
    assert rows[0][:3] == (1, "Acta Crystallographica Section A", 1977)
    assert rows[0][5].startswith("Feigenbaum, E. A., Engelmore, R. S. & Johnson, C. K. (1977)")
    assert [
        (r.row, r.journal, int(r.year), r.problem, r.approach, r.citation) for r in SEED_ROWS
    ] == rows


def test_deep_vs_conventional_facts(graph: Graph) -> None:
    by_year = {r[0]: r[1:] for r in answer(graph, "deep-vs-conventional-per-year")}
    assert by_year[1977] == (1, 0, 0, 0, 1)  # scene analysis: symbolic AI, not ML
    assert by_year[1993] == (1, 0, 0, 0, 1)
    assert by_year[2002] == (2, 2, 0, 0, 0)  # two shallow neural nets
    assert by_year[2016] == (1, 0, 1, 0, 0)  # Muthig et al.: RVM and LASSO, conventional
    for papers, deep, conventional, both, neither in by_year.values():
        assert deep + conventional - both + neither == papers


def test_paradigm_facts(graph: Graph) -> None:
    rows = answer(graph, "paradigm-per-journal")
    assert len(rows) == 5 * 6
    # generative ML is described by the editorial but no Table 1 paper uses it
    assert {r[2] for r in rows if r[1] == "generative modelling"} == {0}
    # supervised learning: every approach cell that says "supervised" (not un-/self-supervised)
    said = sum(bool(re.search(r"(?i)(?<![\w-])supervised", r.approach)) for r in SEED_ROWS)
    assert sum(r[2] for r in rows if r[1] == "supervised learning") == said
    said = sum("unsupervised" in r.approach.lower() for r in SEED_ROWS)
    assert sum(r[2] for r in rows if r[1] == "unsupervised learning") == said


def test_neural_network_pioneers_come_first(graph: Graph) -> None:
    rows = answer(graph, "neural-network-first-uses")
    # "The next AI papers did not appear ... until 2002 (Christensen, 2002; Ioerger &
    # Sacchettini, 2002)", then Berntson et al. (2003) with correlation cascade nets
    assert [r[:3] for r in rows[:3]] == [
        (2002, 2, "Christensen (2002)"),
        (2002, 18, "Iorger & Sacchettini (2002)"),
        (2003, 36, "Berntson et al. (2003)"),
    ]
    # "Starting in 2017 (Park et al., 2017), with a deep convolutional neural net"
    assert rows[3][0] == 2017 and "Park et al. (2017)" in {r[2] for r in rows if r[0] == 2017}
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)


def test_problem_areas_without_deep_learning_facts(graph: Graph) -> None:
    problems_ = {r[1] for r in answer(graph, "problem-areas-without-deep-learning")}
    assert {"spectrometer design", "gas adsorption", "literature search"} <= problems_
    assert not {"computed tomography", "cryo-electron microscopy"} & problems_


def test_papers_per_database_facts(graph: Graph) -> None:
    rows = answer(graph, "papers-per-database")
    # "Gopalakrishnan et al. (2004) used the Biological Macromolecule Crystallization
    # Database (BMCD) (Gilliland, 1988)"; no other paper's data source is stated
    assert rows[0] == (
        "BMCD",
        "Biological Macromolecule Crystallization Database",
        "Gilliland (1988)",
        1,
        "Gopalakrishnan et al. (2004)",
    )
    assert len(rows) == 8 and all(r[3] == 0 and r[4] is None for r in rows[1:])
    assert {r[0]: r[2] for r in rows}["ICSD"] == "Levin (2018)"


def test_prolific_authors_count_people_not_spellings(graph: Graph) -> None:
    rows = {r[1]: r[2] for r in answer(graph, "authors-most-prolific")}
    assert rows["Juhás, P."] == 2  # printed Juhás (2020) and Juhas (2021)
    assert "Juhas, P." not in rows
    assert rows["Billinge, S. J. L."] == 4
    assert answer(graph, "authors-most-prolific")[0][2] == max(rows.values())


def test_coauthor_pairs_facts(graph: Graph) -> None:
    rows = answer(graph, "coauthor-pairs")
    assert all(r[2] >= 2 for r in rows) and all(r[0] <= r[1] for r in rows)
    assert ("Juhás, P.", "Yang, L.", 1) not in rows
    assert ("Carazo, J. M.", "Sorzano, C. O. S.", 3) in rows  # Sanchez-Garcia; Ramírez-Aportela x2


def test_reference_list_facts(graph: Graph, dataset: Dataset) -> None:
    rows = answer(graph, "reference-list")
    # sorting by the printed citation reproduces the printed (alphabetical) order
    assert [r[0] for r in rows] == [r.citation for r in dataset.references]
    assert len(rows) == len(seed_references(SEED)) == 31
    assert sum(r[3] for r in rows) == 16
    gao = next(r for r in rows if r[0].startswith("Gao, Z."))
    assert gao[1:] == ("Gao et al. (2019)", FABIO.JournalArticle, False, None)  # not in Table 1
    assert next(r for r in rows if r[0].startswith("Feigenbaum"))[3:] == (True, 1)


def test_name_variants_facts(graph: Graph) -> None:
    pairs = {(r[1], r[2]) for r in answer(graph, "name-variants")}
    assert {
        ("Juhás, P.", "Juhas, P."),
        ("Ioerger, T. R.", "Iorger, T. R."),
        ("Gradzielski, M.", "Gradzinski, M."),
        ("Kjær, E. T. S.", "Kjaer, E. T. S."),
    } <= pairs


def test_papers_per_method_facts(graph: Graph) -> None:
    rows = {r[1]: r[2:] for r in answer(graph, "papers-per-method")}
    assert rows["AlphaFold"] == (6, 6)
    assert rows["neural network"][1] == len(answer(graph, "neural-network-first-uses"))
    assert rows["generative modelling"] == (0, 0)


# --- parameters -------------------------------------------------------------------------------

AUTHOR_VALUES = [
    IRIS.person("juhas-p"),
    Literal("Juhas, P."),
    Literal("Juhás, P."),
    Literal("Juhás"),
    Literal("P. Juhás"),
    Literal("Wang, Y."),
    IRIS.person("wang-y-2"),
    Literal("Billinge"),
    Literal("Christiansen"),
    Literal("nobody, N."),
]


@pytest.mark.parametrize("author", AUTHOR_VALUES, ids=str)
def test_papers_by_author(graph: Graph, dataset: Dataset, author: URIRef | Literal) -> None:
    assert answer(graph, "papers-by-author", author=author) == expect_papers_by_author(
        dataset, author
    )


def test_papers_by_author_facts(graph: Graph) -> None:
    juhas = answer(graph, "papers-by-author", author=Literal("Juhas, P."))
    assert [r[0] for r in juhas] == [8, 68]
    assert answer(graph, "papers-by-author", author=IRIS.person("juhas-p")) == juhas
    wang = answer(graph, "papers-by-author", author=Literal("Wang, Y."))
    assert [(r[0], r[3]) for r in wang] == [
        (49, IRIS.person("wang-y")),
        (57, IRIS.person("wang-y")),
        (57, IRIS.person("wang-y-2")),
    ]
    assert len(answer(graph, "papers-by-author")) == 480  # every authorship of Table 1


METHOD_VALUES = [
    MLM["convolutional-neural-network"],
    MLM["neural-network"],
    MLM["deep-learning"],
    MLM["machine-learning"],
    MLM["alphafold"],
    MLM["non-machine-learning-method"],
    MLM["generative-modelling"],
    Literal("CNN"),
    Literal("random forest"),
    Literal("lasso"),
    Literal("no such method"),
]


@pytest.mark.parametrize("method", METHOD_VALUES, ids=str)
def test_papers_using_method(graph: Graph, dataset: Dataset, method: URIRef | Literal) -> None:
    assert answer(graph, "papers-using-method", method=method) == expect_papers_using_method(
        graph, dataset, method
    )


def test_papers_using_method_facts(graph: Graph) -> None:
    alphafold = answer(graph, "papers-using-method", method=MLM["alphafold"])
    assert [r[0] for r in alphafold] == [r.row for r in SEED_ROWS if "AlphaFold" in r.approach]
    cnn = answer(graph, "papers-using-method", method=MLM["convolutional-neural-network"])
    assert [r[0] for r in cnn] == [
        r.row for r in SEED_ROWS if "convolutional" in r.approach.lower()
    ]
    assert answer(graph, "papers-using-method", method=Literal("cnn")) == cnn
    every = answer(graph, "papers-using-method")
    assert [r[0] for r in every] == [r for r in range(1, 81) if r != 14]  # 14: "Various"


# --- the violation checks catch what they are meant to catch ----------------------------------


def _copy(graph: Graph) -> Graph:
    g = Graph()
    for prefix, ns in graph.namespaces():
        g.bind(prefix, ns)
    g += graph
    return g


def _rows(g: Graph, name: str) -> list[Row]:
    return table(run(g, find_query(name), timeout=0, memory_mb=0))  # type: ignore[arg-type]


def _paper(dataset: Dataset, row: int) -> URIRef:
    return IRIS.paper(by_row(dataset)[row].key)


def _set_literal(g: Graph, s: URIRef, p: URIRef, new: Literal) -> None:
    g.remove((s, p, None))
    g.add((s, p, new))


Mutation = Callable[[Graph, Dataset], Iterable[object]]


def _no_methods(g: Graph, ds: Dataset) -> Iterable[object]:
    g.remove((_paper(ds, 2), MLC.usesMethod, None))
    return [2]


def _no_problems(g: Graph, ds: Dataset) -> Iterable[object]:
    g.remove((_paper(ds, 1), MLC.addressesProblem, None))
    return [1]


def _wrong_scheme(g: Graph, ds: Dataset) -> Iterable[object]:
    g.add((_paper(ds, 5), MLC.usesMethod, MLP["diffraction"]))
    return [_paper(ds, 5), MLP["diffraction"]]


def _orphan(g: Graph, ds: Dataset) -> Iterable[object]:
    g.remove((MLM["autoencoder"], SKOS.broader, None))
    return [MLM["autoencoder"]]


def _loop(g: Graph, ds: Dataset) -> Iterable[object]:
    g.remove((MLP["indexing"], SKOS.broader, None))
    g.add((MLP["indexing"], SKOS.broader, MLP["phasing"]))
    g.remove((MLP["phasing"], SKOS.broader, None))
    g.add((MLP["phasing"], SKOS.broader, MLP["indexing"]))
    return [MLP["indexing"]]  # and phasing, and everything under them


def _two_architectures(g: Graph, ds: Dataset) -> Iterable[object]:
    g.add((MLM["autoencoder"], SKOS.broader, CML))
    return [MLM["autoencoder"], 2]


def _no_architecture(g: Graph, ds: Dataset) -> Iterable[object]:
    g.remove((MLM["lasso"], SKOS.broader, None))
    g.add((MLM["lasso"], SKOS.broader, MLM["regression"]))
    return [MLM["lasso"], 0]


def _two_facets(g: Graph, ds: Dataset) -> Iterable[object]:
    g.add((MLM["facet-task"], SKOS.member, MLM["autoencoder"]))
    return [MLM["autoencoder"], 2]


def _creator_dropped(g: Graph, ds: Dataset) -> Iterable[object]:
    g.remove((_paper(ds, 8), URIRef("http://purl.org/dc/terms/creator"), IRIS.person("juhas-p")))
    return [_paper(ds, 8), IRIS.person("juhas-p"), "in the author list but not a creator"]


def _creator_added(g: Graph, ds: Dataset) -> Iterable[object]:
    g.add((_paper(ds, 8), URIRef("http://purl.org/dc/terms/creator"), IRIS.person("proffen-t")))
    return [_paper(ds, 8), IRIS.person("proffen-t"), "creator missing from the author list"]


def _variant_forgotten(g: Graph, ds: Dataset) -> Iterable[object]:
    g.remove((IRIS.person("gradzielski-m"), SKOS.altLabel, None))
    return [IRIS.person("gradzielski-m"), "not printed in the reference-list entry"]


def _row_gap(g: Graph, ds: Dataset) -> Iterable[object]:
    _set_literal(g, IRIS.row(40), URIRef("http://www.w3.org/ns/csvw#rownum"), Literal(140))
    return [41, "the row before it is missing"]


def _row_twice(g: Graph, ds: Dataset) -> Iterable[object]:
    _set_literal(g, IRIS.row(40), URIRef("http://www.w3.org/ns/csvw#rownum"), Literal(39))
    return [39, "two rows have this number"]


def _year_out_of_order(g: Graph, ds: Dataset) -> Iterable[object]:
    _set_literal(g, _paper(ds, 3), FABIO.hasPublicationYear, Literal("1990", datatype=XSD.gYear))
    return [3, "year earlier than the row before, in the same journal"]


def _journal_split(g: Graph, ds: Dataset) -> Iterable[object]:
    g.remove((_paper(ds, 80), URIRef("http://purl.org/dc/terms/isPartOf"), None))
    g.add((_paper(ds, 80), URIRef("http://purl.org/dc/terms/isPartOf"), IRIS.journal("acta-a")))
    return [80, "its journal's block ended before this row"]


def _wrong_volume(g: Graph, ds: Dataset) -> Iterable[object]:
    _set_literal(
        g,
        _paper(ds, 1),
        URIRef("http://prismstandard.org/namespaces/basic/2.0/volume"),
        Literal(34),
    )
    return [_paper(ds, 1), 1977, 34, 33]


MUTATIONS: list[tuple[str, Mutation]] = [
    ("paper-without-method-violation", _no_methods),
    ("paper-without-problem-violation", _no_problems),
    ("tag-scheme-violation", _wrong_scheme),
    ("concept-without-broader-violation", _orphan),
    ("concept-without-broader-violation", _loop),
    ("unreachable-family-violation", _two_architectures),
    ("unreachable-family-violation", _no_architecture),
    ("facet-membership-violation", _two_facets),
    ("creator-list-mismatch-violation", _creator_dropped),
    ("creator-list-mismatch-violation", _creator_added),
    ("creator-citation-mismatch-violation", _variant_forgotten),
    ("table-row-violation", _row_gap),
    ("table-row-violation", _row_twice),
    ("table-order-violation", _year_out_of_order),
    ("table-order-violation", _journal_split),
    ("volume-year-violation", _wrong_volume),
]


def test_every_violation_check_is_exercised() -> None:
    assert {name for name, _ in MUTATIONS} == set(VIOLATIONS)


@pytest.mark.parametrize(
    ("name", "mutate"), MUTATIONS, ids=[f"{n}-{m.__name__.strip('_')}" for n, m in MUTATIONS]
)
def test_violation_check_catches_a_planted_fault(
    graph: Graph, dataset: Dataset, name: str, mutate: Mutation
) -> None:
    g = _copy(graph)
    wanted = list(mutate(g, dataset))
    rows = _rows(g, name)
    assert rows, "the planted fault is reported"
    assert any(all(w in row for w in wanted) for row in rows), rows


def test_the_review_is_the_only_table_1_paper_without_a_method(
    graph: Graph, dataset: Dataset
) -> None:
    """Why paper-without-method-violation exempts reviews: row 14 says "Various"."""
    bare = [p.row for p in dataset.table1() if not methods(graph, p)]
    assert bare == [14] and by_row(dataset)[14].approach == "Various"
    assert (_paper(dataset, 14), MLC.addressesProblem, MLP["literature-review"]) in graph


# --- the command line: listing and every results format ---------------------------------------


def test_queries_command_lists_every_question(runner: CliRunner) -> None:
    out = runner.invoke(main, ["queries"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert len(lines) == len(QUERIES)
    width = max(len(n) for n in NAMES)
    assert lines == [f"{q.name.ljust(width)}  {q.question}" for q in QUERIES]


def _cli(runner: CliRunner, *args: str) -> str:
    out = runner.invoke(main, ["query", *args])
    assert out.exit_code == 0, (out.output, out.exception)
    return out.output


def _text_cells(rows: list[Row]) -> list[list[str]]:
    return [["" if v is None else str(v) for v in r] for r in rows]


@pytest.mark.parametrize("store", ["auto", "rdflib"])
def test_csv_parses_back_with_the_columns_as_header(
    runner: CliRunner, graph: Graph, store: str
) -> None:
    query = find_query("table-1")
    assert isinstance(query, NamedQuery)
    data = list(
        csv.reader(io.StringIO(_cli(runner, "table-1", "--format", "csv", "--store", store)))
    )
    assert tuple(data[0]) == query.columns
    assert data[1:] == _text_cells(answer(graph, "table-1"))


def test_tsv_parses_back(runner: CliRunner, graph: Graph) -> None:
    text = _cli(runner, "papers-per-database", "--format", "tsv", "--store", "rdflib")
    parsed = Result.parse(io.StringIO(text), format="tsv")
    assert [str(v) for v in parsed.vars or []] == list(
        find_query(  # type: ignore[union-attr]
            "papers-per-database"
        ).columns
    )
    assert table(parsed) == answer(graph, "papers-per-database")
    assert text.splitlines()[0] == "?database\t?title\t?described_by\t?papers\t?paper"


@pytest.mark.parametrize("store", ["auto", "rdflib"])
def test_json_is_sparql_results_json(runner: CliRunner, graph: Graph, store: str) -> None:
    text = _cli(runner, "deep-vs-conventional-per-year", "--format", "json", "--store", store)
    doc = json.loads(text)
    assert doc["head"]["vars"] == [
        "year",
        "papers",
        "deep_learning",
        "conventional_ml",
        "both",
        "neither",
    ]
    first = doc["results"]["bindings"][0]
    assert first["year"] == {"type": "literal", "value": "1977", "datatype": str(XSD.integer)}
    parsed = Result.parse(io.StringIO(text), format="json")
    assert table(parsed) == answer(graph, "deep-vs-conventional-per-year")


def test_xml_parses_back(runner: CliRunner, graph: Graph) -> None:
    text = _cli(runner, "name-variants", "--format", "xml")
    parsed = Result.parse(io.BytesIO(text.encode("utf-8")), format="xml")
    assert table(parsed) == answer(graph, "name-variants")


@pytest.mark.parametrize("store", ["auto", "rdflib"])
def test_table_is_readable(runner: CliRunner, store: str) -> None:
    lines = _cli(runner, "papers-per-journal", "--store", store).splitlines()
    assert lines[0].split() == ["journal", "abbreviation", "papers"]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].startswith("Acta Crystallographica Section A  Acta Cryst. A")
    assert lines[2].split()[-1] == "14" and len(lines) == 2 + 5


def test_parameters_through_the_cli(runner: CliRunner, graph: Graph) -> None:
    by_name = _cli(runner, "papers-by-author", "--param", "author=Juhas, P.", "--format", "csv")
    by_iri = _cli(
        runner,
        "papers-by-author",
        "--param",
        f"author=<{IRIS.person('juhas-p')}>",
        "--format",
        "csv",
    )
    assert by_name == by_iri
    assert list(csv.reader(io.StringIO(by_name)))[1:] == _text_cells(
        answer(graph, "papers-by-author", author=Literal("Juhas, P."))
    )
    cnn = _cli(
        runner,
        "papers-using-method",
        "--param",
        "method=mlm:convolutional-neural-network",
        "--format",
        "csv",
    )
    assert list(csv.reader(io.StringIO(cnn)))[1:] == _text_cells(
        answer(graph, "papers-using-method", method=MLM["convolutional-neural-network"])
    )


@pytest.mark.parametrize("name", NAMES)
def test_oxigraph_gives_the_same_rows(graph: Graph, embedded_oxigraph: Any, name: str) -> None:
    """A second engine (the CLI's default store) agrees with rdflib on every query."""
    from mlcryst.oxstore import run_query, to_rdflib_result

    result = to_rdflib_result(run_query(embedded_oxigraph, find_query(name).text))  # type: ignore[union-attr]
    assert table(result) == answer(graph, name)


@pytest.mark.parametrize(
    ("key", "bound"),
    [("author", v) for v in AUTHOR_VALUES] + [("method", v) for v in METHOD_VALUES],
    ids=str,
)
def test_oxigraph_gives_the_same_rows_with_parameters(
    graph: Graph, embedded_oxigraph: Any, key: str, bound: Any
) -> None:
    from mlcryst.oxstore import run_query, to_rdflib_result

    name = "papers-by-author" if key == "author" else "papers-using-method"
    text = find_query(name).text  # type: ignore[union-attr]
    result = to_rdflib_result(run_query(embedded_oxigraph, text, {key: bound}))
    assert table(result) == answer(graph, name, **{key: bound})


def test_table1_rows_are_typed_as_the_model_says(graph: Graph) -> None:
    """The queries find Table 1 papers through csvw:describes; only rows carry it."""
    describers = set(graph.subjects(URIRef("http://www.w3.org/ns/csvw#describes"), None))
    assert len(describers) == 80
    assert all((r, RDF.type, URIRef("http://www.w3.org/ns/csvw#Row")) in graph for r in describers)
