"""The named queries (queries/*.rq), each compared in full with an independent expectation.

Every expectation is computed WITHOUT SPARQL: from the curated records (``dataset``), from the
seed text (``tests/seedtable.py`` reads it on its own), or by walking the rdflib graph in Python
(``transitive_objects`` over ``skos:broader``). Results are compared row for row, value for
value, in order. Facts the editorial states are also asserted literally.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import combinations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from mlcryst.load.records import Dataset, Paper, display_name
from mlcryst.namespaces import FABIO, MLC, MLM, MLP, PREFIXES
from mlcryst.sparql.named import NamedQuery, find_query, list_queries, run

from .conftest import SEED
from .queryhelp import (
    ANSWERS,
    AUTHOR_VALUES,
    CML,
    DL,
    IRIS,
    METHOD_VALUES,
    Row,
    answer,
    methods,
    table,
)
from .seedtable import references as seed_references
from .seedtable import table1 as seed_table1

QUERIES = list_queries()
NAMES = [q.name for q in QUERIES]
VIOLATIONS = [q.name for q in QUERIES if q.is_violation_check]
SEED_ROWS = seed_table1(SEED)
METHOD_SCHEME = URIRef(str(MLM))
PROBLEM_SCHEME = URIRef(str(MLP))


# --- running the queries ----------------------------------------------------------------------


# --- plain-Python views of the graph and the records -----------------------------------------


def label(graph: Graph, node: object) -> str:
    found = graph.value(node, SKOS.prefLabel)  # type: ignore[arg-type]
    assert found is not None, node
    return str(found)


def ancestors(graph: Graph, concept: URIRef) -> set[URIRef]:
    """The concept and everything above it (skos:broader*)."""
    return set(graph.transitive_objects(concept, SKOS.broader))  # type: ignore[arg-type]


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


def expect_methods_for_problem(graph: Graph, dataset: Dataset) -> list[Row]:
    users: dict[URIRef, list[Paper]] = defaultdict(list)
    for p in dataset.papers:
        if problems(graph, p):
            for m in methods(graph, p):
                users[m].append(p)
    rows = [
        (
            label(graph, m),
            len(ps),
            p.short_label(),
            p.year,
            dataset.journals[p.journal].abbreviation,
            str(m),
            str(IRIS.paper(p.key)),
        )
        for m, ps in users.items()
        for p in ps
    ]
    rows.sort(key=lambda r: (-r[1], r[0], r[5], r[3], r[2], r[6]))
    return [r[:5] for r in rows]


def expect_coauthors_of(graph: Graph, dataset: Dataset) -> list[Row]:
    pairs: Counter[tuple[str, str]] = Counter()
    for p in dataset.papers:
        for a in persons(p):
            for b in persons(p):
                if a != b:
                    pairs[a, b] += 1
    rows = [
        (IRIS.person(a), dataset.people[a].name, IRIS.person(b), dataset.people[b].name, n)
        for (a, b), n in pairs.items()
    ]
    rows.sort(key=lambda r: (r[1], str(r[0]), -r[4], r[3], str(r[2])))
    return rows


EXPECTATIONS: dict[str, Callable[[Graph, Dataset], list[Row]]] = {
    "methods-for-problem": expect_methods_for_problem,
    "coauthors-of": expect_coauthors_of,
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
    columns, _, _ = ANSWERS[query.name, ()]
    assert tuple(columns) == query.columns


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_query_matches_independent_expectation(graph: Graph, dataset: Dataset, name: str) -> None:
    expected = EXPECTATIONS[name](graph, dataset)
    assert expected, "an expectation with no rows proves nothing"
    assert answer(graph, name) == expected


@pytest.mark.parametrize("name", VIOLATIONS)
def test_violation_check_passes_on_shipped_graph(graph: Graph, name: str) -> None:
    assert answer(graph, name) == []


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
