"""A wheel built from the repository works from any directory: resources ship inside it."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installed_elsewhere_builds_and_queries(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
        check=True,
    )
    (wheel,) = wheels.glob("mlcryst-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    # The dependencies come from the test environment (no download): its site-packages is put
    # on the new venv's path *after* the venv's own, so the wheel's mlcryst is the one imported
    # (a path named in a .pth file is only appended; the .pth files in it, such as the editable
    # install's, are not read).
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "test-environment.pth").write_text("\n".join(sorted(ours)) + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [str(python), "-c", "import mlcryst.resources as r; print(r.resource_dir('data'))"],
        cwd=elsewhere,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert "_resources" in where and str(REPO) not in where
    assert where.startswith(str(env_dir))  # the wheel's copy, not the repository's
    mlcryst = env_dir / "bin" / "mlcryst"
    listing = subprocess.run(
        [str(mlcryst), "queries"], cwd=elsewhere, check=True, capture_output=True, text=True
    ).stdout
    assert "papers-per-year" in listing
    out = subprocess.run(
        [str(mlcryst), "query", "papers-per-journal", "--format", "csv"],
        cwd=elsewhere,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "IUCrJ" in out
    tags = subprocess.run(
        [str(mlcryst), "tags", "--row", "1"],
        cwd=elsewhere,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Feigenbaum" in tags
