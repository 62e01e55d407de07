"""``mlcryst release``: every file, checksums, CITATION.cff, the change list, byte-identical
releases of the same inputs, and the refusals (bad VERSION, an existing release)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal, URIRef

from mlcryst.cli.main import main
from mlcryst.collection import init_collection, read_collection
from mlcryst.publish.release import check_version, previous_release, write_release

from .rdfcompare import isomorphic

# one worker builds the releases (a module fixture is built again on each worker)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("release")]

GRAPHS = {
    "mlcryst.ttl": "turtle",
    "mlcryst.nt": "nt",
    "mlcryst.jsonld": "json-ld",
    "mlcryst.rdf": "xml",
}


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("release") / "collection"
    init_collection(root, title="Test collection", creators=("Doe, Jane", "Beamline 7 team"))
    return root


@pytest.fixture(scope="module")
def releases(collection: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Release 0.1.0 of the same collection into two folders."""
    one = tmp_path_factory.mktemp("one") / "releases"
    two = tmp_path_factory.mktemp("two") / "releases"
    for out in (one, two):
        write_release("0.1.0", out, collection=read_collection(collection))
    return one, two


def test_two_releases_of_the_same_inputs_are_byte_identical(releases: tuple[Path, Path]) -> None:
    one, two = (files(r / "0.1.0") for r in releases)
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    assert len(one) > 4000


def test_the_release_holds_every_part(releases: tuple[Path, Path]) -> None:
    folder = releases[0] / "0.1.0"
    graphs = {name: Graph().parse(folder / name, format=fmt) for name, fmt in GRAPHS.items()}
    for name, g in graphs.items():
        assert isomorphic(g, graphs["mlcryst.nt"]), name
        assert (folder / name).read_bytes() == (folder / "site" / name).read_bytes()
    assert len(graphs["mlcryst.nt"]) > 5000
    assert (folder / "mlcryst.context.jsonld").is_file()
    assert (folder / "site/paper/acta-d-58-2043/index.html").is_file()
    void = Graph().parse(folder / "void.ttl", format="turtle")
    dataset = URIRef("https://w3id.org/mlcryst/dataset")
    assert void.value(dataset, URIRef("http://www.w3.org/ns/dcat#version")) == Literal("0.1.0")
    assert "First release" in (folder / "CHANGES.md").read_text()


def test_sha256sums_cover_every_other_file(releases: tuple[Path, Path]) -> None:
    folder = releases[0] / "0.1.0"
    lines = (folder / "SHA256SUMS").read_text().splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert [line.split("  ", 1)[1] for line in lines] == sorted(listed)
    everything = files(folder)
    assert set(listed) == set(everything) - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256(everything[name]).hexdigest() == digest, name


def test_citation_cff(releases: tuple[Path, Path]) -> None:
    cff = yaml.safe_load((releases[0] / "0.1.0" / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["title"] == "Test collection"
    assert cff["version"] == "0.1.0"
    assert cff["license"] == "CC-BY-4.0"
    assert cff["authors"] == [
        {"family-names": "Doe", "given-names": "Jane"},
        {"name": "Beamline 7 team"},
    ]
    (editorial,) = cff["references"]
    assert editorial["title"] == "Machine learning in crystallography and structural science"
    assert [a["family-names"] for a in editorial["authors"]] == ["Billinge", "Proffen"]
    assert "https://journals.iucr.org/special_issues/2024/ML/" in editorial["notes"]


def test_the_next_release_lists_the_changes(
    collection: Path, releases: tuple[Path, Path], runner
) -> None:
    out = releases[0]
    for name in ("papers.yaml", "references.yaml"):  # the two must agree
        path = collection / "data" / name
        path.write_text(path.read_text().replace("633–643", "633–644"))
    toml = collection / "mlcryst.toml"
    toml.write_text(toml.read_text().replace('version = "0.1.0"', 'version = "0.2.0"'))
    result = runner.invoke(
        main, ["release", "0.2.0", "--out", str(out), "--collection", str(collection)]
    )
    assert result.exit_code == 0, result.output
    assert "changes since 0.1.0" in result.output
    changes = (out / "0.2.0" / "CHANGES.md").read_text()
    assert "Changes since 0.1.0." in changes
    assert "633–643" in changes and "633–644" in changes
    assert "acta-a-75-633" in changes
    assert previous_release(out, "0.2.0") == ("0.1.0", out / "0.1.0" / "mlcryst.nt")
    assert previous_release(out, "0.1.5") == ("0.1.0", out / "0.1.0" / "mlcryst.nt")
    assert previous_release(out, "0.3.0") == ("0.2.0", out / "0.2.0" / "mlcryst.nt")
    assert previous_release(out, "0.1.0") is None
    # an existing version is never overwritten
    before = files(out / "0.2.0")
    again = runner.invoke(
        main, ["release", "0.2.0", "--out", str(out), "--collection", str(collection)]
    )
    assert again.exit_code == 6, again.output
    assert "exists already" in again.output
    assert files(out / "0.2.0") == before


@pytest.mark.parametrize(
    "version", ["1.0", "v1.0.0", "../1.0.0", "1.0.0/x", "01.0.0", "1.0.0-", "", "latest"]
)
def test_a_bad_version_is_a_usage_error(runner, tmp_path: Path, version: str) -> None:
    result = runner.invoke(main, ["release", version, "--out", str(tmp_path / "r")])
    assert result.exit_code == 2, result.output
    assert "semantic version" in result.output
    assert not (tmp_path / "r").exists()


def test_versions_that_are_accepted() -> None:
    for version in ("0.1.0", "1.0.0-rc.1", "2.10.3+build.5", "1.0.0-alpha.beta"):
        assert check_version(version) == version


def test_a_version_other_than_the_collections_is_refused(runner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["release", "9.9.9", "--out", str(tmp_path / "r")])
    assert result.exit_code == 2, result.output
    assert 'set version = "9.9.9"' in result.output
    assert not (tmp_path / "r").exists()
