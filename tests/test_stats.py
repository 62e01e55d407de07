"""Analytics on the shipped data, checked against values computed here from the records.

The expected values are derived independently of mlcryst.visual.stats: by walking the curated records
(``load_dataset``), the tagger's concepts and the ``skos:broader`` links of the vocabulary files.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import SKOS

from mlcryst.builder.graph import load_vocabularies
from mlcryst.builder.tagging import tag_dataset, vocabulary_from_graph
from mlcryst.cli.main import main
from mlcryst.load.records import Dataset
from mlcryst.visual.stats import Stats, compute_stats
from mlcryst.visual.stats_render import render_csv, render_json, render_text

MLM = "https://w3id.org/mlcryst/method/"
MLP = "https://w3id.org/mlcryst/problem/"


@pytest.fixture(scope="module")
def stats(graph: Graph) -> Stats:
    return compute_stats(graph)


@pytest.fixture(scope="module")
def records(dataset: Dataset) -> dict[str, dict[str, object]]:
    """paper key -> year, and the method/problem IRIs with all their broader concepts."""
    vocab = load_vocabularies()
    broader: dict[str, set[str]] = {}
    for s, o in vocab.subject_objects(SKOS.broader):
        broader.setdefault(str(s), set()).add(str(o))

    def up(concept: str) -> set[str]:
        seen, stack = {concept}, [concept]
        while stack:
            for b in broader.get(stack.pop(), ()):
                if b not in seen:
                    seen.add(b)
                    stack.append(b)
        return seen

    tags = tag_dataset(dataset, vocabulary_from_graph(vocab))
    out: dict[str, dict[str, object]] = {}
    for p in dataset.papers:
        t = tags[p.key]
        out[p.key] = {
            "year": p.year,
            "methods": set().union(*(up(str(m)) for m in t.methods)) if t.methods else set(),
            "problems": set().union(*(up(str(q)) for q in t.problems)) if t.problems else set(),
            "direct_methods": {str(m) for m in t.methods},
            "authors": {a.person for a in p.authors},
        }
    return out


def test_share_of_deep_learning_per_year(
    stats: Stats, records: dict[str, dict[str, object]]
) -> None:
    rows = {r["year"]: r for r in stats.tables["deep-learning-share"].records()}
    for year in (2019, 2023):
        papers = [r for r in records.values() if r["year"] == year]
        dl = [r for r in papers if MLM + "deep-learning" in r["methods"]]  # type: ignore[operator]
        assert rows[year]["papers"] == len(papers)
        assert rows[year]["deep-learning share"] == pytest.approx(len(dl) / len(papers), abs=1e-4)
    assert (rows[2023]["papers"], rows[2023]["deep learning"]) == (18, 13)
    assert rows[2023]["deep-learning share"] == pytest.approx(13 / 18, abs=1e-4)
    assert sum(r["papers"] for r in rows.values()) == 80


def test_gap_map_has_known_gaps_and_combinations(
    stats: Stats, records: dict[str, dict[str, object]]
) -> None:
    def combined(family: str, area: str) -> int:
        return sum(
            1
            for r in records.values()
            if MLM + family in r["methods"] and MLP + area in r["problems"]
        )  # type: ignore[operator]

    gm = stats.gap_map
    gaps = set(gm.gaps)
    # a combination: convolutional neural networks on imaging problems
    assert combined("convolutional-neural-network", "imaging") == 7
    cnn, imaging = gm.families.index("convolutional neural network"), gm.areas.index("imaging")
    assert gm.counts[cnn][imaging] == 7
    assert ("imaging", "convolutional neural network") not in gaps
    # gaps: no paper uses a random forest for imaging, nor any model family for spectroscopy
    assert combined("random-forest", "imaging") == 0
    assert ("imaging", "random forest") in gaps
    assert combined("neural-network", "spectroscopy") == 0
    assert all(("spectroscopy", f) in gaps for f in gm.families)
    assert len(gm.families) == 17 and len(gm.areas) == 12
    assert len(gaps) == sum(1 for row in gm.counts for c in row if c == 0) == 154


def test_gap_map_shows_the_family_trees(stats: Stats, graph: Graph) -> None:
    """Each family sits under its nearest broader family (skos:broader, walked here), after it
    in the order, and never counts more papers than it in any cell."""
    gm = stats.gap_map
    names = (SKOS.prefLabel, SKOS.altLabel)  # a long label is shown as its shortest altLabel
    concept = {
        str(o): s for p in names for s, o in graph.subject_objects(p) if str(o) in gm.families
    }
    assert set(concept) == set(gm.families)

    def labels(nodes: object) -> set[str]:
        return {str(o) for n in nodes for p in names for o in graph.objects(n, p)}  # type: ignore[attr-defined]

    for i, (family, parent) in enumerate(zip(gm.families, gm.parents, strict=True)):
        above = labels(graph.transitive_objects(concept[family], SKOS.broader)) - {family}
        if not parent:
            assert not above & set(gm.families)
            continue
        assert parent in above and gm.families.index(parent) < i
        direct = labels(graph.objects(concept[family], SKOS.broader))
        assert parent in direct or not direct & set(gm.families)
        j = gm.families.index(parent)
        assert all(c <= p for c, p in zip(gm.counts[i], gm.counts[j], strict=True))
    assert gm.parents[gm.families.index("convolutional neural network")] == "deep neural network"
    assert gm.parents[gm.families.index("deep neural network")] == "neural network"
    # the text indents each family under its parent; CSV and JSON carry a parent column
    text = render_text(stats).splitlines()
    for family, depth in zip(gm.families, gm.depths, strict=True):
        assert any(line.startswith("  " * depth + family + " ") for line in text), family
    rows = list(csv.reader(io.StringIO(render_csv(stats)["gap-map.csv"])))
    assert rows[0][:2] == ["method family", "parent"]
    assert [r[1] for r in rows[1:]] == list(gm.parents)
    doc = json.loads(render_json(stats))["tables"]["gap-map"]["rows"]
    assert [r["parent"] for r in doc] == list(gm.parents)


def test_only_the_text_cuts_cells(stats: Stats) -> None:
    """Cells cut with "…" in the text table are whole in CSV and JSON."""
    files = render_csv(stats)
    doc = json.loads(render_json(stats))["tables"]
    long_cells = 0
    for name, table in stats.tables.items():
        cells = [list(r) for r in csv.reader(io.StringIO(files[f"{name}.csv"]))]
        assert cells[1:] == [[f"{v}" for v in row] for row in table.rows]
        assert doc[name]["rows"] == table.records()
        long_cells += sum(1 for row in table.rows for v in row if len(str(v)) > 60)
        assert not any("…" in c for row in cells for c in row)
    assert long_cells  # some cell is long enough to be cut in the text
    assert "…" in render_text(stats)


def test_centrality_rankings(stats: Stats, records: dict[str, dict[str, object]]) -> None:
    methods = stats.tables["top-methods"].records()
    uses = Counter(m for r in records.values() for m in r["direct_methods"])  # type: ignore[attr-defined]
    ((top_method, n),) = uses.most_common(1)
    assert top_method == MLM + "supervised-learning"
    assert methods[0]["label"] == "supervised learning" and methods[0]["degree"] == n == 54
    assert methods[0]["betweenness"] == max(m["betweenness"] for m in methods)
    authors = stats.tables["top-authors"].records()
    assert authors[0]["label"] == "Zhang, J." and authors[0]["degree"] == 25
    problems = stats.tables["top-problems"].records()
    assert problems[0]["label"] == "computed tomography" and problems[0]["degree"] == 12


def test_coauthor_components(stats: Stats, records: dict[str, dict[str, object]]) -> None:
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        while parent.setdefault(a, a) != a:
            a = parent[a]
        return a

    for r in records.values():
        people = sorted(r["authors"])  # type: ignore[call-overload]
        for other in people[1:]:
            parent[find(other)] = find(people[0])
        find(people[0])
    sizes = sorted(Counter(find(a) for a in parent).values(), reverse=True)
    comps = stats.tables["coauthor-components"].records()
    assert len(comps) == len(sizes) == 54
    assert [c["authors"] for c in comps] == sizes
    assert comps[0]["authors"] == 43 and "Billinge, S. J. L." in comps[0]["best-connected authors"]


def test_communities_cover_every_paper_and_are_stable(graph: Graph, stats: Stats) -> None:
    comms = stats.tables["communities"].records()
    assert sum(c["papers"] for c in comms) == 80
    assert compute_stats(graph).tables["communities"] == stats.tables["communities"]
    tomography = next(c for c in comms if "computed tomography" in c["top problems"])
    assert "convolutional neural network" in tomography["top methods"]


def test_paradigms_by_journal(stats: Stats) -> None:
    rows = {r["journal"]: r for r in stats.tables["paradigm-by-journal"].records()}
    assert sum(r["papers"] for r in rows.values()) == 80
    assert rows["J. Synchrotron Rad."]["supervised learning"] == 21
    assert rows["Acta Cryst. D"]["no paradigm named"] == 8


def test_renderings(stats: Stats) -> None:
    text = render_text(stats)
    assert "== Gap map" in text and "supervised learning" in text
    doc = json.loads(render_json(stats))
    assert doc["tables"]["summary"]["rows"][0] == {"metric": "papers", "value": 80}
    files = render_csv(stats)
    rows = list(csv.reader(io.StringIO(files["cooccurrence-matrix.csv"])))
    assert rows[0][0] == "method" and len(rows) == 31  # header + 30 methods
    assert files["gaps.csv"].count("\n") == 155


def test_stats_command(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["stats", "--format", "csv", "--out", str(tmp_path / "csv")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "csv" / "deep-learning-share.csv").read_text().startswith("year,papers")
    result = runner.invoke(main, ["stats", "--format", "json", "--top", "3"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["tables"]["top-methods"]["rows"]) == 3
    missing = runner.invoke(main, ["stats", "--graph", str(tmp_path / "none.ttl")])
    assert missing.exit_code == 6 and "no such graph file" in missing.output


def test_results_do_not_depend_on_the_hash_seed(graph: Graph, stats: Stats) -> None:
    """Louvain and the page layout iterate sets of IRIs: they must not follow str hashing."""
    import hashlib
    import os
    import subprocess
    import sys

    from mlcryst.visual.page import build_page

    code = (
        "import hashlib; from mlcryst.stores.registry import open_store; "
        "from mlcryst.visual.stats import compute_stats; from mlcryst.visual.stats_render import render_json; "
        "from mlcryst.visual.page import build_page; g = open_store(); "
        "print(hashlib.sha256(render_json(compute_stats(g)).encode() "
        "+ build_page(g, 'papers')).hexdigest())"
    )
    other = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    ).stdout
    here = hashlib.sha256(render_json(stats).encode() + build_page(graph, "papers")).hexdigest()
    assert other.strip() == here
