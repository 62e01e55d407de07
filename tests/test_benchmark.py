"""The benchmark script runs end to end on a small corpus and reports every stage."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


@pytest.mark.slow
def test_benchmark_runs_and_prints_its_table(tmp_path: Path) -> None:
    figures = tmp_path / "figures.json"
    cmd = [sys.executable, str(SCRIPT), "--sizes", "100", "--sides", "mlcryst", "--no-cold"]
    cmd += ["--cap", "30", "--work", str(tmp_path / "work"), "--json", str(figures)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(figures.read_text())
    stages = [r["stage"] for r in results["sizes"]["100"]["mlcryst"]]
    assert stages[:6] == [
        "generate (mlcryst synth)",
        "load (YAML -> checked records)",
        "tag (cells -> concepts)",
        "build (records -> Oxigraph)",
        "validate (SHACL)",
        "export (ttl+nt+jsonld)",
    ]
    assert stages[-1] == "network view (co-authors)"
    assert "query papers-per-year" in stages and "query all:all-coauthor-pairs" in stages
    assert all(r["status"] == "ok" for r in results["sizes"]["100"]["mlcryst"])
    assert results["sizes"]["100"]["baseline"] == []
    table = subprocess.run(
        [sys.executable, str(SCRIPT), "--table", str(figures)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "| 100 | **load + build + validate + export** |" in table
    assert "| 100 | query papers-per-year |" in table
    # the baseline did not run: its columns say so rather than showing zeros
    assert "| 100 | **end to end** |" in table and table.rstrip().endswith("| – | – | – |")
