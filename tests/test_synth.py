"""The synthetic corpus: the real loader reads it, and it has the shape it claims."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from mlcryst.cli.main import main
from mlcryst.load import yamlio
from mlcryst.load.dataset import FILES, load_dataset
from mlcryst.load.synth import write_corpus
from mlcryst.resources import default_data_dir


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("synth"), papers=300, seed=7).folder


def test_the_real_loader_reads_it(corpus: Path) -> None:
    ds = load_dataset(corpus)
    assert len(ds.papers) == 300
    assert len(ds.table1()) == 80  # the seed's Table 1 stays as it is
    synthetic = [p for p in ds.papers if p.row is None]
    assert len(synthetic) == 220
    assert all(p.source and "synthetic" in p.source for p in synthetic)


def test_it_has_a_realistic_shape(corpus: Path) -> None:
    ds = load_dataset(corpus)
    synthetic = [p for p in ds.papers if p.row is None]
    papers_per_author = Counter(a.person for p in synthetic for a in p.authors)
    counts = sorted(papers_per_author.values(), reverse=True)
    assert counts[0] >= 5  # a few prolific authors ...
    assert sum(1 for c in counts if c == 1) > len(counts) / 2  # ... and a long tail
    table1_journals = {p.journal for p in ds.table1()}
    assert {p.journal for p in synthetic} <= table1_journals
    assert max(p.year for p in synthetic) <= 2024
    assert sum(p.year >= 2015 for p in synthetic) > len(synthetic) / 2  # recent growth
    assert any(p.data_sources for p in synthetic)


def test_same_seed_same_corpus(tmp_path: Path) -> None:
    a = write_corpus(tmp_path / "a", papers=120, seed=3).folder
    b = write_corpus(tmp_path / "b", papers=120, seed=3).folder
    c = write_corpus(tmp_path / "c", papers=120, seed=4).folder
    text = lambda d: (d / FILES["papers"]).read_text(encoding="utf-8")  # noqa: E731
    assert text(a) == text(b) != text(c)


def test_it_tags_and_builds(corpus: Path) -> None:
    from mlcryst.builder.graph import build_triples

    triples = build_triples(load_dataset(corpus))
    assert len(triples) > 300 * 20


def test_command(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(main, ["synth", "--papers", "100", "--out", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert "100 papers (20 synthetic)" in result.output
    assert len(load_dataset(tmp_path / "c").papers) == 100
    result = runner.invoke(main, ["synth", "--papers", "10", "--out", str(tmp_path / "d")])
    assert result.exit_code == 3
    assert "at least the 80 papers" in result.output


def _same(a: object, b: object, path: str = "$") -> None:
    assert type(a) is type(b), path
    if isinstance(a, yamlio.LocatedDict):
        assert isinstance(b, yamlio.LocatedDict)
        assert (a.file, a.line, a.key_lines) == (b.file, b.line, b.key_lines), path
        assert list(a) == list(b), path
        for k in a:
            _same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, yamlio.LocatedList):
        assert isinstance(b, yamlio.LocatedList)
        assert (a.file, a.line, a.item_lines) == (b.file, b.line, b.item_lines), path
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{path}[{i}]")
    else:
        assert a == b, path


@pytest.mark.parametrize("name", sorted(FILES.values()))
def test_fast_yaml_reads_as_pyyaml_does(name: str, corpus: Path) -> None:
    for folder in (default_data_dir(), corpus):
        text = (folder / name).read_text(encoding="utf-8")
        _same(yamlio.loads(text, name), yamlio._yaml_loads(text, name))


@pytest.mark.parametrize(
    "text",
    [
        'a: 1\nb:\n  - x\n  - "y z"\nc: [a, b]\n',
        "- a: 1\n  b: 2\n- a: 3\n  a: 4\n",  # duplicate key: PyYAML's path reports it
        'a: b # c\nd: "x" # y\n',
        "a: yes\nb: ~\nc: 1.5\nd: 2020-01-01\ne: '1'\n",
        "- x\n- y: [1, 2]\n  z:\n  - q\n",
        "k:\n  m: 1\n n: 2\n",
        "a: b\n  c\n",
        "a: 'it''s'\n",
        "a: {x: 1}\n",
        "- a\n-\n",
        '- "a\\"b"\n',
        'a: "x" y\n',
        'a: "\n',
        "- a: 1\n b: 2\n",
        "a: >-\n  folded\n  text\n",
        "\t- x\n",
        "",
    ],
)
def test_fast_yaml_edge_cases(text: str) -> None:
    def read(fn):  # type: ignore[no-untyped-def]
        try:
            return fn(text, "f.yaml"), None
        except Exception as exc:
            return None, str(exc)

    fast, fast_err = read(yamlio.loads)
    slow, slow_err = read(yamlio._yaml_loads)
    assert fast_err == slow_err
    if fast_err is None:
        _same(fast, slow)
