"""The persisted stores of :mod:`mlcryst.stores.cache`: written atomically, rebuilt when the
data or the file change or the store is broken, used by ``mlcryst query``, same answers."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from mlcryst.cli.main import main
from mlcryst.pipeline import build
from mlcryst.sparql.named import list_queries
from mlcryst.stores import cache
from mlcryst.stores.oxigraph_store import OxigraphStore
from mlcryst.stores.rdflib_store import RdflibStore


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("MLCRYST_NO_CACHE", raising=False)
    return tmp_path / "xdg" / "mlcryst"


def _stores(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("store-*") if (p / cache.MARKER).is_file())


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".")] if folder.exists() else []


def test_a_failed_fill_leaves_nothing(xdg: Path) -> None:
    def fill(store: ox.Store) -> None:
        store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("x")))
        raise RuntimeError("stopped half-way")

    with pytest.raises(RuntimeError):
        cache.persist(fill, cache.store_path("k" * 32))
    assert _stores(xdg) == [] and not cache.store_path("k" * 32).exists()
    assert _leftovers(xdg) == []


def test_persisted_store_is_read_only_and_complete(xdg: Path) -> None:
    source = OxigraphStore.from_text('<urn:a> <urn:p> "x" .\n<urn:b> <urn:p> "y" .', "nt")
    path = cache.persist(cache.copy_from(source.store), cache.store_path("a" * 32), {"ex": "urn:"})
    opened = OxigraphStore.open_persisted(path)
    assert opened is not None
    assert len(opened) == 2 and opened.prefixes == {"ex": "urn:"}
    assert opened.ntriples().count(b"\n") == 2
    with pytest.raises(RuntimeError, match="read-write"):
        opened.store.add(ox.Quad(ox.NamedNode("urn:c"), ox.NamedNode("urn:p"), ox.Literal("z")))


@pytest.mark.parametrize("damage", ["marker", "version", "database", "no-marker"])
def test_a_broken_store_is_removed_not_an_error(xdg: Path, damage: str) -> None:
    source = OxigraphStore.from_text('<urn:a> <urn:p> "x" .', "nt")
    path = cache.persist(cache.copy_from(source.store), cache.store_path("b" * 32))
    marker = path / cache.MARKER
    if damage == "marker":
        marker.write_text("{not json", encoding="utf-8")
    elif damage == "version":
        text = marker.read_text()
        assert f'"layout": {cache.LAYOUT}' in text
        marker.write_text(text.replace(f'"layout": {cache.LAYOUT}', '"layout": 0'))
    elif damage == "database":
        for f in path.iterdir():
            if f.name != cache.MARKER:
                f.write_bytes(b"garbage")
    else:
        marker.unlink()
    assert OxigraphStore.open_persisted(path) is None
    assert not path.exists()


def test_data_store_rebuilt_when_the_data_change(xdg: Path, data_copy: Path) -> None:
    first = OxigraphStore.from_data(data_copy)
    assert len(_stores(xdg)) == 1
    again = OxigraphStore.from_data(data_copy)  # opened, not built: read-only
    with pytest.raises(RuntimeError, match="read-write"):
        again.store.add(ox.Quad(ox.NamedNode("urn:c"), ox.NamedNode("urn:p"), ox.Literal("z")))
    assert sorted(again.ntriples().splitlines()) == sorted(first.ntriples().splitlines())
    assert len(again) == len(first)
    journals = data_copy / "journals.yaml"
    text = journals.read_text(encoding="utf-8")
    assert "title: IUCrJ" in text
    journals.write_text(text.replace("title: IUCrJ", "title: IUCr Journal"), encoding="utf-8")
    changed = OxigraphStore.from_data(data_copy)
    assert len(_stores(xdg)) == 2
    titles = {str(r["journal"]) for r in changed.query("papers-per-journal").rows()}
    assert "IUCr Journal" in titles and "IUCrJ" not in titles


def test_file_store_follows_the_file(xdg: Path, tmp_path: Path) -> None:
    path = tmp_path / "g.nt"
    path.write_text('<urn:a> <urn:p> "x" .\n', encoding="utf-8")
    assert len(OxigraphStore.from_file(path)) == 1
    assert len(_stores(xdg)) == 1
    assert len(OxigraphStore.from_file(path)) == 1  # from the persisted store
    assert len(_stores(xdg)) == 1
    time.sleep(0.01)
    path.write_text('<urn:a> <urn:p> "x" .\n<urn:a> <urn:p> "y" .\n', encoding="utf-8")
    assert len(OxigraphStore.from_file(path)) == 2
    os.environ["MLCRYST_MAX_GRAPH_FILE_MB"] = "0"  # a smaller budget reads the file again
    try:
        from mlcryst.errors import MlcrystError

        with pytest.raises(MlcrystError):
            OxigraphStore.from_file(path)
    finally:
        del os.environ["MLCRYST_MAX_GRAPH_FILE_MB"]


def test_turtle_prefixes_survive_the_store(xdg: Path, tmp_path: Path) -> None:
    path = tmp_path / "g.ttl"
    path.write_text('@prefix ex: <urn:ex:> .\nex:a ex:p "x" .\n', encoding="utf-8")
    assert OxigraphStore.from_file(path).prefixes == {"ex": "urn:ex:"}
    assert OxigraphStore.from_file(path).prefixes == {"ex": "urn:ex:"}


def test_no_cache_means_no_store(xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLCRYST_NO_CACHE", "1")
    OxigraphStore.from_text('<urn:a> <urn:p> "x" .', "nt")
    OxigraphStore.from_data()
    assert not xdg.exists() or _stores(xdg) == []


def test_only_the_most_recent_stores_are_kept(xdg: Path) -> None:
    source = OxigraphStore.from_text('<urn:a> <urn:p> "x" .', "nt")
    legacy = cache.cache_dir() / ("graph-" + "f" * 32 + ".nt")  # an earlier version's cache
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_bytes(b'<urn:a> <urn:p> "x" .\n')
    paths = []
    for i in range(cache.KEEP + 2):
        paths.append(cache.persist(cache.copy_from(source.store), cache.store_path(f"{i}" * 32)))
        os.utime(paths[-1] / cache.MARKER, (1000 + i, 1000 + i))
    assert _stores(xdg) == sorted(paths[-cache.KEEP :])
    assert not legacy.exists()


def test_build_leaves_the_store_query_opens(
    xdg: Path, tmp_path: Path, data_copy: Path, runner
) -> None:  # type: ignore[no-untyped-def]
    report = build(tmp_path / "out", data_dir=data_copy, visuals=False, store="rdflib")
    stores = _stores(xdg)
    assert len(stores) == 1
    opened = OxigraphStore.open_persisted(stores[0])
    assert opened is not None and len(opened) == report.triples
    # the query opens that store (same key): it is used, not rebuilt, so no second store
    result = runner.invoke(main, ["query", "papers-per-year", "--data", str(data_copy)])
    assert result.exit_code == 0, result.output
    assert _stores(xdg) == stores


def test_an_oxigraph_build_hands_over_to_the_persisted_store(
    xdg: Path, tmp_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An Oxigraph build releases its in-memory store before the on-disk one is loaded from
    the N-Triples it wrote: the report then holds the persisted store, the same graph."""
    report = build(tmp_path / "out", data_dir=data_copy, visuals=False, store="oxigraph")
    stores = _stores(xdg)
    assert len(stores) == 1
    assert isinstance(report.graph, OxigraphStore) and len(report.graph) == report.triples
    with pytest.raises(RuntimeError, match="read-write"):  # on disk, read-only: the persisted one
        report.graph.store.add(
            ox.Quad(ox.NamedNode("urn:c"), ox.NamedNode("urn:p"), ox.Literal("z"))
        )
    nt = (tmp_path / "out" / "mlcryst.nt").read_bytes()
    assert report.graph.serialize("nt") == nt  # canonical N-Triples: the file written
    monkeypatch.setenv("MLCRYST_NO_CACHE", "1")
    kept = build(tmp_path / "out2", data_dir=data_copy, visuals=False, store="oxigraph")
    kept.graph.store.add(ox.Quad(ox.NamedNode("urn:c"), ox.NamedNode("urn:p"), ox.Literal("z")))
    assert _stores(xdg) == stores


def test_same_answers_on_the_persisted_store(xdg: Path) -> None:
    built = RdflibStore.from_data()
    OxigraphStore.from_data()  # builds and persists
    persisted = OxigraphStore.from_data()
    with pytest.raises(RuntimeError, match="read-write"):
        persisted.store.add(ox.Quad(ox.NamedNode("urn:c"), ox.NamedNode("urn:p"), ox.Literal("z")))
    for q in list_queries():
        if q.parameters:
            continue
        want = sorted(repr(r) for r in built.query(q).rows())
        got = sorted(repr(r) for r in persisted.query(q).rows())
        assert got == want, q.name


def test_a_cold_query_imports_no_rdflib(xdg: Path) -> None:
    """`mlcryst query NAME` on a persisted store answers without importing rdflib or pyyaml's
    parser in the calling process (the cold start is Python's, the store's open and the query)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from mlcryst.cli.main import main\n"
        "main(['query', 'papers-per-year'], standalone_mode=False)\n"
        "print(sorted(m for m in ('rdflib', 'pyshacl') if m in sys.modules))\n"
    )
    env = dict(os.environ, XDG_CACHE_HOME=str(xdg.parent))
    for _ in range(2):  # the first builds the store
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
    assert done.stdout.splitlines()[-1] == "[]", done.stdout
    assert "2024" in done.stdout
