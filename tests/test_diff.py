"""`mlcryst diff`: what changed between two versions of a collection, in curator terms.

A copy of the shipped collection is changed as a curator would change it (a paper added by
hand, one removed, one's pages and one author corrected, one's approach cell re-tagged, two
printed forms of one person merged, a concept relabelled); both versions are built by the
normal build, and every change must be reported exactly once, in all three formats, on both
stores. The expectations are computed from the data, not written down.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mlcryst.cli.main import main
from mlcryst.collection import Collection
from mlcryst.curate.diff import diff_graphs, render, to_json
from mlcryst.load.dataset import load_dataset
from mlcryst.load.records import Dataset
from mlcryst.resources import resource_dir
from mlcryst.stores.registry import open_store

BASE = "https://w3id.org/mlcryst/"
NEW_RECORD = """
- journal: iucrj
  year: 2025
  volume: 12
  pages: 101–112
  authors:
    - Doe, J. A.
    - Billinge, S. J. L.
  problem: Protein structure solution
  approach: DL, convolutional NN, supervised ML
  source: https://doi.org/10.1107/S205225252500000X
"""
MERGE = """- id: cowtan-k-d
  name: Cowtan, K. D.
  variants:
    - form: Cowtan, K.
      seen_in: Table 1 (a test of merging two printed forms)
"""
OLD_LABEL = '"data-analysis task"@en'
NEW_LABEL = '"data analysis task"@en'


def _record(text: str, row: int) -> str:
    """The text of the record of Table 1 row ``row`` in papers.yaml."""
    start = text.index(f"- row: {row}\n")
    end = text.find("\n- ", start + 1)
    return text[start : end + 1 if end >= 0 else len(text)]


def curate(root: Path) -> dict[str, Any]:
    """Change the collection at ``root`` (data/, ontology/) as a curator would; say what."""
    papers = root / "data" / "papers.yaml"
    text = papers.read_text(encoding="utf-8")
    removed = _record(text, 80)
    text = text.replace(removed, "")
    changed = _record(text, 79)
    edited = changed.replace("pages: 487–496", "pages: 487–497").replace("Jin, S.", "Jinn, S.")
    text = text.replace(changed, edited)
    retagged = _record(text, 78)
    assert "approach: DL, convolutional NN, supervised ML" in retagged
    text = text.replace(retagged, retagged.replace("supervised ML", "unsupervised ML"))
    papers.write_text(text + NEW_RECORD.lstrip("\n"), encoding="utf-8")
    people = root / "data" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + MERGE, encoding="utf-8")
    methods = root / "ontology" / "methods.ttl"
    ttl = methods.read_text(encoding="utf-8")
    assert ttl.count(OLD_LABEL) == 1
    methods.write_text(ttl.replace(OLD_LABEL, NEW_LABEL), encoding="utf-8")
    return {"removed_row": 80, "changed_row": 79, "retagged_row": 78}


def _people(ds: Dataset) -> set[str]:
    return (
        {a.person for p in ds.papers for a in p.authors}
        | {a.person for r in ds.references for a in r.authors}
        | {a.person for a in ds.editorial.authors}
    )


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The shipped graph and a curated copy's, as Turtle files, and both datasets."""
    tmp = tmp_path_factory.mktemp("diff")
    root = tmp / "collection"
    for kind in ("data", "ontology"):
        shutil.copytree(resource_dir(kind), root / kind)
    what = curate(root)
    old, new = tmp / "old.ttl", tmp / "new.ttl"
    open_store("rdflib").write(old, "turtle")
    open_store("rdflib", data_dir=root / "data", collection=Collection(root)).write(new, "turtle")
    return {
        "old": old,
        "new": new,
        "old_ds": load_dataset(),
        "new_ds": load_dataset(root / "data"),
        **what,
    }


def _paper_iri(ds: Dataset, row: int) -> str:
    paper = next(p for p in ds.papers if p.row == row)
    return f"{BASE}paper/{paper.key}"


def _person_iri(pid: str) -> str:
    return f"{BASE}person/{pid}"


def test_every_change_is_reported_once(versions: dict[str, Any], runner: CliRunner) -> None:
    old_ds, new_ds = versions["old_ds"], versions["new_ds"]
    out = runner.invoke(main, ["diff", str(versions["old"]), str(versions["new"]), "--format",
                               "json"])  # fmt: skip
    assert out.exit_code == 0, out.output  # differences are a report, not a failure
    d = json.loads(out.stdout)

    # papers: the one appended, the one taken out
    added = {p.key for p in new_ds.papers} - {p.key for p in old_ds.papers}
    assert [p["iri"] for p in d["papers"]["added"]] == [f"{BASE}paper/{k}" for k in added]
    assert d["papers"]["added"][0]["label"] == "Doe & Billinge (2025), IUCrJ 12, 101–112"
    gone = next(p for p in old_ds.papers if p.row == versions["removed_row"])
    assert d["papers"]["removed"] == [
        {"iri": f"{BASE}paper/{gone.key}",
         "label": f"{gone.short_label()}, IUCrJ {gone.volume}, {gone.pages}"}
    ]  # fmt: skip

    # the changed paper: pages and one author, old -> new; the re-tagged one: its cell
    old79 = next(p for p in old_ds.papers if p.row == versions["changed_row"])
    new79 = next(p for p in new_ds.papers if p.row == versions["changed_row"])
    changed = {c["iri"]: c for c in d["papers"]["changed"]}
    assert set(changed) == {_paper_iri(old_ds, 79), _paper_iri(old_ds, 78)}
    fields = {f["field"]: f for f in changed[_paper_iri(old_ds, 79)]["changes"]}
    assert set(fields) == {"pages", "authors"}
    assert (fields["pages"]["old"], fields["pages"]["new"]) == (old79.pages, new79.pages)
    assert fields["authors"]["old"] == [old_ds.people[a.person].name for a in old79.authors]
    assert fields["authors"]["new"] == [new_ds.people[a.person].name for a in new79.authors]
    cell = changed[_paper_iri(old_ds, 78)]["changes"]
    assert [c["field"] for c in cell] == ["approach (Table 1 cell)"]
    # its tags, once, in the tags section
    assert [t["iri"] for t in d["tags"]] == [_paper_iri(old_ds, 78)]
    (methods,) = d["tags"][0]["changes"]
    assert methods["field"] == "methods"
    assert methods["added"] == ["mlm:unsupervised-learning"]
    assert methods["removed"] == ["mlm:supervised-learning"]

    # people: the merge, and who came and went (computed from the two datasets)
    (merge,) = d["people"]["merged"]
    assert [p["iri"] for p in merge["old"]] == [_person_iri("cowtan-k"), _person_iri("cowtan-k-d")]
    assert [p["iri"] for p in merge["new"]] == [_person_iri("cowtan-k-d")]
    assert {(p["old"], p["new"]) for p in merge["positions"]} == {
        (_person_iri("cowtan-k"), _person_iri("cowtan-k-d"))
    }
    assert d["people"]["split"] == []
    before, after = _people(old_ds), _people(new_ds)
    assert "cowtan-k" in before - after  # merged away: said once, as the merge
    assert [p["iri"] for p in d["people"]["added"]] == sorted(
        _person_iri(p) for p in after - before
    )
    assert [p["iri"] for p in d["people"]["removed"]] == sorted(
        _person_iri(p) for p in before - after - {"cowtan-k"}
    )
    assert {"jinn-s", "doe-j-a"} <= after - before and "jin-s" in before - after
    (variant,) = d["people"]["changed"]
    assert variant["iri"] == _person_iri("cowtan-k-d")
    assert variant["changes"] == [
        {"field": "name variants", "old": [], "new": ["Cowtan, K."], "added": ["Cowtan, K."],
         "removed": []}
    ]  # fmt: skip

    # concepts: the relabelled one
    assert d["concepts"]["added"] == d["concepts"]["removed"] == []
    (concept,) = d["concepts"]["changed"]
    assert concept["iri"] == "https://w3id.org/mlcryst/method/data-analysis-task"
    assert concept["changes"] == [
        {"field": "preferred label", "old": "data-analysis task", "new": "data analysis task"}
    ]
    assert d["summary"] == {
        "papers_added": 1, "papers_removed": 1, "papers_changed": 2, "papers_retagged": 1,
        "people_added": len(after - before), "people_removed": len(before - after) - 1,
        "people_merged": 1, "people_split": 0, "people_changed": 1,
        "concepts_added": 0, "concepts_removed": 0, "concepts_changed": 1,
    }  # fmt: skip


def test_table_and_markdown_say_the_same_once(versions: dict[str, Any], runner: CliRunner) -> None:
    old_ds = versions["old_ds"]
    texts = {}
    for fmt in ("table", "markdown"):
        out = runner.invoke(main, ["diff", str(versions["old"]), str(versions["new"]),
                                   "--format", fmt])  # fmt: skip
        assert out.exit_code == 0, out.output
        texts[fmt] = out.stdout
    table, md = texts["table"], texts["markdown"]
    gone = next(p for p in old_ds.papers if p.row == 80)
    for text in (table, md):
        assert text.count(f"paper/{gone.key}") == 1
        assert text.count("Doe & Billinge (2025), IUCrJ 12, 101–112") == 1
        assert text.count("487–496 → 487–497") == 1
        assert text.count("Jin, S. → Jinn, S.") == 1
        assert text.count("mlm:unsupervised-learning") == 1
        assert text.count("data-analysis task → data analysis task") == 1
        # the merge (each side) and the new variant of the person kept
        assert text.count("Cowtan, K. D.") == 3
    removed = table.split("People removed (")[1].split("\n\n")[0]
    assert "Jin, S." in removed and "Cowtan" not in removed  # merged away: said once
    assert "Papers added (1)\n  + Doe & Billinge (2025)" in table
    assert "      pages     487–496 → 487–497\n      author 2  Jin, S. → Jinn, S." in table
    assert "#### People merged (1)" in md and "| author 2 | Jin, S. → Jinn, S. |" in md


def test_the_same_on_every_store(versions: dict[str, Any]) -> None:
    stores = [
        (open_store(s, versions["old"]), open_store(s, versions["new"]))
        for s in ("rdflib", "oxigraph")
    ]
    a, b = (to_json(diff_graphs(old, new)) for old, new in stores)
    assert a == b and a["changed"]


def test_identical_graphs_give_no_changes(
    versions: dict[str, Any], runner: CliRunner, tmp_path: Path
) -> None:
    nt = tmp_path / "same.nt"  # the same graph in another syntax, blank nodes relabelled
    open_store("oxigraph", versions["new"]).write(nt, "nt")
    out = runner.invoke(main, ["diff", str(versions["new"]), str(nt), "--out",
                               str(tmp_path / "r.md"), "--format", "markdown"])  # fmt: skip
    assert out.exit_code == 0, out.output
    assert out.stdout == f"wrote {tmp_path / 'r.md'}\n"
    assert "No changes." in (tmp_path / "r.md").read_text(encoding="utf-8")
    out = runner.invoke(main, ["diff", str(versions["new"]), str(nt)])
    assert out.exit_code == 0 and out.stdout.splitlines()[0].endswith(": no changes")
    d = diff_graphs(open_store("rdflib", versions["new"]), open_store("rdflib", nt))
    assert d.empty and render(d, "json") == render(d, "json")


def test_bad_input_is_named(
    versions: dict[str, Any], runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "missing.ttl"
    out = runner.invoke(main, ["diff", str(versions["old"]), str(missing)])
    assert out.exit_code == 6 and f"{missing}: no such graph file" in out.stderr
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    out = runner.invoke(main, ["diff", str(broken), str(versions["old"])])
    assert out.exit_code == 6 and str(broken) in out.stderr
    out = runner.invoke(main, ["diff", str(versions["old"])])
    assert out.exit_code == 2 and "two graph files" in out.output
    monkeypatch.chdir(tmp_path)  # outside any collection: no revisions to compare
    out = runner.invoke(main, ["diff", "--git", "HEAD"])
    assert out.exit_code == 2 and "no mlcryst.toml here or above" in out.stderr


# --- git revisions ---------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Curator", "GIT_AUTHOR_EMAIL": "c@example.org",
           "GIT_COMMITTER_NAME": "Curator", "GIT_COMMITTER_EMAIL": "c@example.org"}  # fmt: skip
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, runner: CliRunner) -> Path:
    """A git repository holding a collection (made by `mlcryst init`) in a subfolder, with
    two commits: the shipped data, then the curator's changes."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    top = tmp_path / "repo"
    top.mkdir()
    _git(top, "init", "-q")
    folder = top / "collections" / "ml"
    out = runner.invoke(main, ["init", str(folder), "--base", BASE])
    assert out.exit_code == 0, out.output
    _git(top, "add", "-A")
    _git(top, "commit", "-q", "-m", "the editorial")
    curate(folder)
    _git(top, "commit", "-q", "-am", "a year of curation")
    return folder


def test_git_revisions(repo: Path, runner: CliRunner, versions: dict[str, Any]) -> None:
    files = runner.invoke(main, ["diff", str(versions["old"]), str(versions["new"]), "--format",
                                 "json"])  # fmt: skip
    expected = json.loads(files.stdout)
    status = _git(repo, "status", "--porcelain")
    out = runner.invoke(main, ["diff", "--git", "HEAD~1", "HEAD", "--collection", str(repo),
                               "--format", "json"])  # fmt: skip
    assert out.exit_code == 0, out.output
    got = json.loads(out.stdout)
    assert got["old"].startswith("HEAD~1 (") and got["new"].startswith("HEAD (")
    for key in ("summary", "papers", "tags", "people", "concepts"):
        assert got[key] == expected[key], key  # the same as building the two versions by hand
    assert _git(repo, "status", "--porcelain") == status  # the work tree untouched

    # HEAD alone: HEAD against the work tree, uncommitted edits included
    out = runner.invoke(main, ["diff", "--git", "HEAD", "--collection", str(repo)])
    assert out.exit_code == 0 and ": no changes" in out.stdout.splitlines()[0]
    papers = repo / "data" / "papers.yaml"  # an edit not yet committed
    text = papers.read_text(encoding="utf-8")
    assert text.count("pages: 487–497\n") == 1
    papers.write_text(text.replace("pages: 487–497\n", "pages: 487–498\n"), encoding="utf-8")
    out = runner.invoke(main, ["diff", "--git", "HEAD", "--collection", str(repo),
                               "--format", "json"])  # fmt: skip
    assert out.exit_code == 0, out.output
    (changed,) = json.loads(out.stdout)["papers"]["changed"]
    assert changed["changes"] == [{"field": "pages", "old": "487–497", "new": "487–498"}]
    assert json.loads(out.stdout)["new"] == "the work tree"


def test_git_errors(repo: Path, runner: CliRunner, tmp_path: Path) -> None:
    out = runner.invoke(main, ["diff", "--git", "no-such-rev", "HEAD", "--collection", str(repo)])
    assert out.exit_code == 2 and "unknown git revision 'no-such-rev'" in out.stderr
    out = runner.invoke(main, ["diff", "--git", "--collection", str(repo)])
    assert out.exit_code == 2 and "REV1 [REV2]" in out.output
    papers = repo / "data" / "papers.yaml"
    papers.write_text(papers.read_text(encoding="utf-8") + "- year: nope\n", encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "a broken record")
    out = runner.invoke(main, ["diff", "--git", "HEAD~1", "HEAD", "--collection", str(repo)])
    assert out.exit_code == 3 and "HEAD:collections/ml/data/papers.yaml:" in out.stderr
    loose = tmp_path / "loose"
    runner.invoke(main, ["init", str(loose)])
    out = runner.invoke(main, ["diff", "--git", "HEAD", "--collection", str(loose)])
    assert out.exit_code == 2 and "not in a git repository" in out.stderr


def test_the_reverse_is_a_split(versions: dict[str, Any]) -> None:
    """NEW → OLD undoes every change: the merge reads as a split, added as removed."""
    old, new = open_store("rdflib", versions["old"]), open_store("rdflib", versions["new"])
    forward, back = to_json(diff_graphs(old, new)), to_json(diff_graphs(new, old))
    assert back["people"]["merged"] == []
    (split,) = back["people"]["split"]
    assert split["old"] == forward["people"]["merged"][0]["new"]
    assert split["new"] == forward["people"]["merged"][0]["old"]
    for kind in ("papers", "people", "concepts"):
        assert back[kind]["added"] == forward[kind]["removed"]
        assert back[kind]["removed"] == forward[kind]["added"]
    (tags,) = back["tags"]
    assert tags["changes"][0]["added"] == forward["tags"][0]["changes"][0]["removed"]
