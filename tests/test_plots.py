"""Figures: written as PNG and SVG, labelled, deterministic; `mlcryst build` writes them too."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from mlcryst.cli.main import main
from mlcryst.visual.plots import FIGURES, figure_bytes
from mlcryst.visual.stats import Stats, compute_stats

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def stats(graph: Graph) -> Stats:
    return compute_stats(graph)


def test_plot_command_writes_every_figure_in_both_formats(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["plot", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = sorted(tmp_path.iterdir())
    assert sorted(p.name for p in written) == sorted(
        f"{name}.{fmt}" for name in FIGURES for fmt in ("png", "svg")
    )
    for path in written:
        data = path.read_bytes()
        assert 10_000 < len(data) < 400_000, path
        if path.suffix == ".png":
            assert data.startswith(PNG_MAGIC)
        else:
            assert ET.fromstring(data).tag.endswith("svg")


def test_axes_are_labelled(stats: Stats) -> None:
    fig = FIGURES["papers-per-year"](stats)
    ax = fig.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Publication year", "Papers")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "deep learning",
        "conventional ML",
        "other (no model family named)",
    ]
    heights = sum(p.get_height() for p in ax.patches)
    assert heights == 80  # every paper is in one bar segment
    gap = FIGURES["gap-map"](stats).axes[0]
    assert gap.get_xlabel().startswith("Problem area")
    ticks = [t.get_text() for t in gap.get_yticklabels()]
    # the family trees: each family indented under the family it belongs to
    assert ticks[:2] == ["neural network", " └ autoencoder"]
    assert "    └ convolutional neural network" in ticks
    assert {t.get_horizontalalignment() for t in gap.get_yticklabels()} == {"left"}
    journals = FIGURES["paradigm-by-journal"](stats).axes[0]
    assert "J. Synchrotron Rad." in [t.get_text() for t in journals.get_yticklabels()]


def test_svg_is_deterministic(stats: Stats) -> None:
    fig = FIGURES["paradigm-by-journal"](stats)
    assert figure_bytes(fig, "svg") == figure_bytes(FIGURES["paradigm-by-journal"](stats), "svg")
    assert b"<dc:date>" not in figure_bytes(fig, "svg")


def test_build_writes_the_page_and_the_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mlcryst.export.rdflib_writer
    import mlcryst.shacl.report

    # SHACL and the RDF files are tested elsewhere: here only that the visuals are written
    monkeypatch.setattr(mlcryst.shacl.report, "check", lambda graph: [])
    monkeypatch.setattr(
        mlcryst.export.rdflib_writer, "write_outputs", lambda graph, out, formats: []
    )
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "mlcryst.html").stat().st_size > 500_000  # vis-network inlined
    assert {p.name for p in (tmp_path / "figures").iterdir()} == {
        f"{n}.{fmt}" for n in FIGURES for fmt in ("png", "svg")
    }
    assert "wrote " + str(tmp_path / "mlcryst.html") in result.output
    skipped = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "bare"), "--no-visuals"])
    assert skipped.exit_code == 0, skipped.output
    assert not (tmp_path / "bare" / "mlcryst.html").exists()
