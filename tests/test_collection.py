"""A curator's collection: ``mlcryst init``, finding ``mlcryst.toml``, edits taking effect.

Every command works on the collection found from the current folder upward (or
``--collection DIR``), reads its data, vocabularies, shapes and queries afresh, and says on
standard error which collection it used; outside any collection the shipped one is used.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mlcryst.cli.main import main
from mlcryst.collection import CONFIG_FILE, FOLDERS, Collection, find_collection, read_collection
from mlcryst.errors import DataError

SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/shapes#> .
@prefix fabio: <http://purl.org/spar/fabio/> .
@prefix prism: <http://prismstandard.org/namespaces/basic/2.0/> .
ex:Pages a sh:NodeShape ; sh:targetClass fabio:JournalArticle ;
  sh:property [ sh:path prism:startingPage ; sh:maxInclusive 2000 ;
                sh:message "our own rule: first page at most 2000" ] .
"""
QUERY = """# Question: How many papers are there?
# Columns: papers
SELECT (COUNT(*) AS ?papers) WHERE { ?p a <http://purl.org/spar/fabio/JournalArticle> }
"""


@pytest.fixture
def collection(tmp_path: Path, runner: CliRunner) -> Path:
    folder = tmp_path / "my-collection"
    out = runner.invoke(main, ["init", str(folder), "--title", "ML in powder diffraction"])
    assert out.exit_code == 0, out.output
    return folder


def test_init_writes_the_four_folders_and_the_config(collection: Path) -> None:
    assert sorted(p.name for p in collection.iterdir()) == sorted([*FOLDERS, CONFIG_FILE])
    for kind in FOLDERS:
        shipped = sorted(p.name for p in Collection.shipped().folder(kind).iterdir())
        assert sorted(p.name for p in (collection / kind).iterdir()) == shipped
    made = read_collection(collection)
    assert made.title == "ML in powder diffraction" and made.root == collection


def test_init_refuses_a_folder_in_use(runner: CliRunner, collection: Path, tmp_path: Path) -> None:
    out = runner.invoke(main, ["init", str(collection)])
    assert out.exit_code == 6 and "not an empty folder" in out.output
    out = runner.invoke(main, ["init", str(tmp_path / "bad"), "--base", "ftp://x/"])
    assert out.exit_code == 3 and "base" in out.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-collection"]  # nothing left


def test_commands_use_the_collection_they_stand_in(
    runner: CliRunner, collection: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    journals = collection / "data" / "journals.yaml"
    text = journals.read_text(encoding="utf-8")
    journals.write_text(text.replace("Acta Crystallographica Section A", "Acta Cryst A (ours)"))
    (collection / "queries" / "paper-count.rq").write_text(QUERY, encoding="utf-8")
    (collection / "shapes" / "ours.ttl").write_text(SHAPE, encoding="utf-8")
    monkeypatch.chdir(collection / "data")  # a folder below the collection
    for store in ("oxigraph", "rdflib"):
        out = runner.invoke(main, ["query", "papers-per-journal", "--store", store])
        assert out.exit_code == 0, out.output
        assert "Acta Cryst A (ours)" in out.stdout
        assert f"collection: ML in powder diffraction ({collection / CONFIG_FILE})" in out.stderr
    out = runner.invoke(main, ["queries"])
    assert "paper-count" in out.stdout
    out = runner.invoke(main, ["query", "paper-count", "--format", "csv"])
    same = runner.invoke(main, ["query", "--sparql", QUERY, "--format", "csv"])
    assert out.stdout.splitlines()[0] == "papers" and out.stdout == same.stdout
    out = runner.invoke(main, ["validate"])
    assert out.exit_code == 4 and "our own rule: first page at most 2000" in out.output
    # the same from anywhere with --collection, and the shipped collection outside any
    monkeypatch.chdir(tmp_path)
    out = runner.invoke(main, ["queries", "--collection", str(collection)])
    assert "paper-count" in out.stdout
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    out = runner.invoke(main, ["query", "papers-per-journal"])
    assert "Acta Crystallographica Section A" in out.stdout
    assert "collection: the shipped collection" in out.stderr


def test_vocabulary_edits_take_effect(
    runner: CliRunner, collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    methods = collection / "ontology" / "methods.ttl"
    text = methods.read_text(encoding="utf-8")
    assert '"convolutional neural network"@en' in text
    methods.write_text(
        text.replace('"convolutional neural network"@en', '"ConvNet (our label)"@en', 1),
        encoding="utf-8",
    )
    monkeypatch.chdir(collection)
    out = runner.invoke(main, ["query", "papers-per-method", "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert "ConvNet (our label)" in out.stdout


def test_bad_collections(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = runner.invoke(main, ["queries", "--collection", str(tmp_path)])
    assert out.exit_code == 3 and "no mlcryst.toml" in out.output
    (tmp_path / CONFIG_FILE).write_text("[collection]\ntitle = 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = runner.invoke(main, ["queries"])
    assert (
        out.exit_code == 3 and f"{tmp_path / CONFIG_FILE}" in out.output and "title" in out.output
    )
    (tmp_path / CONFIG_FILE).write_text("[collection\n", encoding="utf-8")
    with pytest.raises(DataError, match="not valid TOML"):
        find_collection()


def test_the_repository_is_a_collection() -> None:
    repo = Path(__file__).resolve().parent.parent
    found = find_collection(start=repo / "src")
    assert found.root == repo and found.data_dir == repo / "data"
