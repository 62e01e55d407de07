"""Output sets under faults: kill -9, Ctrl-C and SIGTERM at many moments of a real
``python -m mlcryst build --out D``, a full disk, an unwritable parent, a file in the way.

After each, D holds the complete previous set (built with another ``--base``, so old and new
differ) byte for byte or the complete new set (equal to a reference build), and nothing of the
build's own is left beside D. Kill moments are found by watching the staging folder: no hook
in mlcryst, no environment variable.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mlcryst.errors import OutputError
from mlcryst.fileio import OutputSet, read_manifest, verify_set, write_set

from .conftest import TRACEBACK, run_cli, tree_bytes

OLD_BASE = "https://example.org/x/"
#: how long a leftover may take to disappear after a kill (the janitor starts a Python)
JANITOR_WAIT = 15.0
BUILD_TIMEOUT = 240.0


def _start_build(out: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "mlcryst", "build", "--out", str(out), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@dataclass(frozen=True)
class Sets:
    old: dict[str, bytes]
    new: dict[str, bytes]
    old_folder: Path

    @property
    def new_rdf(self) -> dict[str, bytes]:
        """The new set of ``build --no-visuals``: the same RDF files, no page, no figures."""
        return {k: v for k, v in self.new.items() if k.startswith("mlcryst.") and "html" not in k}


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> Sets:
    """The previous set (``--base`` OLD_BASE) and the reference new set, built side by side."""
    root = tmp_path_factory.mktemp("reference")
    old, new = root / "old" / "dist", root / "new" / "dist"
    procs = [_start_build(old, "--base", OLD_BASE), _start_build(new)]
    for proc in procs:
        _, err = proc.communicate(timeout=BUILD_TIMEOUT)
        assert proc.returncode == 0, err[-3000:]
    result = Sets(tree_bytes(old), tree_bytes(new), old)
    assert result.old != result.new
    assert verify_set(old) == [] and verify_set(new) == []
    assert sorted(read_manifest(new)) == sorted(result.new)
    return result


def _with_old_set(sets: Sets, parent: Path) -> Path:
    out = parent / "dist"
    shutil.copytree(sets.old_folder, out)  # copystat carries the manifest (an xattr) along
    return out


def _leftovers(parent: Path, keep: tuple[str, ...] = ("dist",)) -> list[str]:
    """Entries of ``parent`` that are not the output folder, once the janitor had its time."""
    deadline = time.monotonic() + JANITOR_WAIT
    while True:
        extra = sorted(p.name for p in parent.iterdir() if p.name not in keep)
        if not extra or time.monotonic() > deadline:
            return extra
        time.sleep(0.05)


def _assert_old_or_new(out: Path, old: dict[str, bytes], new: dict[str, bytes]) -> str:
    got = tree_bytes(out) if out.exists() else {}
    assert got in (old, new), (
        f"{out} is a mix: {sorted(got)}; "
        f"differs from old in {sorted(k for k in got if got[k] != old.get(k))}"
    )
    assert verify_set(out) == []
    return "old" if got == old else "new"


def _staging(parent: Path) -> Path | None:
    for entry in parent.iterdir():
        if ".mlcryst-stage-" in entry.name:
            return entry
    return None


# --- moments to strike: each waits for a state of the staging folder (or a time) -------------

Moment = Callable[[Path, float], bool]


def after(seconds: float) -> Moment:
    return lambda parent, started: time.monotonic() - started >= seconds


def staged(name: str, delay: float = 0.0) -> Moment:
    """When a file whose name contains ``name`` is in the staging folder (then ``delay`` s)."""
    seen: list[float] = []

    def moment(parent: Path, started: float) -> bool:
        if not seen:
            stage = _staging(parent)
            if stage is None:
                return False
            if name and not any(name in str(p.relative_to(stage)) for p in stage.rglob("*")):
                return False
            seen.append(time.monotonic())
        return time.monotonic() - seen[0] >= delay

    return moment


def swapped(new: dict[str, bytes]) -> Moment:
    """When the output folder carries the new set's manifest (the swap is done)."""
    import hashlib

    manifest = {name: hashlib.sha256(data).hexdigest() for name, data in new.items()}
    return lambda parent, started: read_manifest(parent / "dist") == manifest


#: name -> (build --no-visuals?, the moment); the RDF-only builds end sooner, so most strike
#: there; the rest strike while the page and the figures are written
MOMENTS: dict[str, tuple[bool, Callable[[Sets], Moment]]] = {
    "interpreter-start": (True, lambda s: after(0.05)),
    "staging-appears": (True, lambda s: staged("")),
    "loading": (True, lambda s: staged("", 1.0)),
    "validating": (True, lambda s: staged("", 3.0)),
    "first-temp-file": (True, lambda s: staged(".mlcryst.ttl.")),
    "ntriples": (True, lambda s: staged("mlcryst.nt")),
    "context": (True, lambda s: staged("mlcryst.context.jsonld")),
    "commit-10ms": (True, lambda s: staged("mlcryst.context.jsonld", 0.01)),
    "commit-40ms": (True, lambda s: staged("mlcryst.context.jsonld", 0.04)),
    "after-swap": (True, lambda s: swapped(s.new_rdf)),
    "page-temp": (False, lambda s: staged(".mlcryst.html.")),
    "figures-folder": (False, lambda s: staged("figures")),
    "last-figure": (False, lambda s: staged("gap-map.svg", 0.01)),
}


@dataclass
class Strike:
    name: str
    parent: Path
    proc: subprocess.Popen[str]
    moment: Moment
    started: float
    sig: int = signal.SIGKILL
    killed: bool = False
    stderr: str = ""


def _run_strikes(strikes: list[Strike]) -> None:
    """Poll every running build; strike each at its moment; wait for all to end."""
    deadline = time.monotonic() + BUILD_TIMEOUT
    running = list(strikes)
    while running and time.monotonic() < deadline:
        for s in list(running):
            if s.proc.poll() is not None:
                running.remove(s)
            elif s.moment(s.parent, s.started):
                s.proc.send_signal(s.sig)
                s.killed = True
                running.remove(s)
        time.sleep(0.001)
    for s in strikes:
        s.stderr = s.proc.communicate(timeout=BUILD_TIMEOUT)[1]


@pytest.mark.slow
def test_kill_9_at_any_moment_leaves_the_old_or_the_new_set(sets: Sets, tmp_path: Path) -> None:
    names = list(MOMENTS)
    outcome: dict[str, str] = {}
    for batch in (names[i : i + 2] for i in range(0, len(names), 2)):  # two builds at a time
        strikes = []
        for name in batch:
            rdf_only, moment = MOMENTS[name]
            parent = tmp_path / name
            parent.mkdir()
            out = _with_old_set(sets, parent)
            proc = _start_build(out, *(["--no-visuals"] if rdf_only else []))
            strikes.append(Strike(name, parent, proc, moment(sets), time.monotonic()))
        _run_strikes(strikes)
        for s in strikes:
            assert _leftovers(s.parent) == [], f"{s.name}: left beside the output"
            new = sets.new_rdf if MOMENTS[s.name][0] else sets.new
            outcome[s.name] = _assert_old_or_new(s.parent / "dist", sets.old, new) + (
                "" if s.killed else " (ended before the kill)"
            )
    print("kill -9 outcomes:", outcome)
    assert sum(not o.endswith(")") for o in outcome.values()) >= 12, outcome
    assert outcome["staging-appears"] == "old" and outcome["after-swap"] == "new", outcome


@pytest.mark.slow
def test_ctrl_c_and_sigterm_keep_the_old_set(sets: Sets, tmp_path: Path) -> None:
    """SIGINT (Ctrl-C) and SIGTERM while the RDF files are staged: exit 130, one line."""
    strikes = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        parent = tmp_path / sig.name
        parent.mkdir()
        out = _with_old_set(sets, parent)
        proc = _start_build(out, "--no-visuals")
        strikes.append(Strike(sig.name, parent, proc, staged("mlcryst.nt"), time.monotonic(), sig))
    _run_strikes(strikes)
    for s in strikes:
        err = s.stderr
        assert s.killed, s.name
        assert s.proc.returncode == 130, err[-3000:]
        assert TRACEBACK not in err
        assert err.strip().splitlines() == ["mlcryst: error: interrupted"], err[-3000:]
        assert tree_bytes(s.parent / "dist") == sets.old
        assert _leftovers(s.parent) == []


@pytest.fixture
def tmpfs() -> Iterator[Callable[[Path, str], Path]]:
    """Mount small tmpfs file systems (as root only); all unmounted at the end."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    mounted: list[Path] = []

    def mount(where: Path, options: str) -> Path:
        where.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs: {done.stderr.strip()}")
        mounted.append(where)
        return where

    try:
        yield mount
    finally:
        for where in reversed(mounted):
            subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.mark.slow
def test_a_full_disk_leaves_the_old_set_or_nothing(
    sets: Sets, tmp_path: Path, tmpfs: Callable[[Path, str], Path]
) -> None:
    # room for one set, not two: the new set cannot be staged beside the old one
    roomy = tmpfs(tmp_path / "one-set", "size=5m")
    out = _with_old_set(sets, roomy)
    # room for part of one set, and no old set
    tiny = tmpfs(tmp_path / "tiny", "size=2m")
    procs = [_start_build(out), _start_build(tiny / "dist")]
    for proc, folder in zip(procs, (out, tiny / "dist"), strict=True):
        _, err = proc.communicate(timeout=BUILD_TIMEOUT)
        assert proc.returncode == 6, err[-3000:]
        assert TRACEBACK not in err
        assert "No space left on device" in err and str(folder) in err, err[-3000:]
    assert tree_bytes(out) == sets.old
    assert _leftovers(roomy) == []
    assert sorted(tiny.iterdir()) == []  # not even a lone mlcryst.ttl


def test_an_unwritable_parent_fails_at_once_and_keeps_the_old_set(
    sets: Sets, tmp_path: Path
) -> None:
    """As root permissions bind nothing, so the parent is a tmpfs remounted read-only."""
    parent = tmp_path / "parent"
    parent.mkdir()
    root = os.geteuid() == 0
    if root:
        if shutil.which("mount") is None:
            pytest.skip("root without mount(8): permissions do not bind root")
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(parent)], check=True)
    try:
        out = _with_old_set(sets, parent)
        if root:
            subprocess.run(["mount", "-o", "remount,ro", str(parent)], check=True)
        else:
            parent.chmod(0o555)
        started = time.monotonic()
        ran = run_cli("build", "--out", out, timeout=BUILD_TIMEOUT)
        reason = "Read-only file system" if root else "Permission denied"
        assert ran.code == 6, ran.stderr
        assert str(out) in ran.stderr and reason in ran.stderr, ran.stderr
        assert time.monotonic() - started < 30  # before loading and validating anything
        assert tree_bytes(out) == sets.old
        assert _leftovers(parent) == []
    finally:
        if root:
            subprocess.run(["umount", "-l", str(parent)], check=False)
        else:
            parent.chmod(0o755)


def test_an_out_path_that_is_a_file_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "dist"
    path.write_bytes(b"mine")
    ran = run_cli("build", "--out", path)
    assert ran.code == 2 and "is a file" in ran.stderr, ran.stderr
    ran = run_cli("build", "--out", path / "sub")  # a file where a parent folder must be
    assert ran.code == 6 and str(path / "sub") in ran.stderr, ran.stderr
    with pytest.raises(OutputError, match="it is a file, not a folder"), OutputSet(path):
        pass
    assert path.read_bytes() == b"mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_the_users_files_survive_and_old_outputs_go(tmp_path: Path) -> None:
    """Files that are not in the old set's manifest are carried over; the old set's own files
    that the new set does not write are gone; an exception keeps everything as it was."""
    out = tmp_path / "dist"
    write_set(out, {"a.txt": b"1", "old-only.txt": b"x", "sub/b.txt": b"2"})
    (out / "notes.md").write_bytes(b"mine")
    (out / "sub" / "mine.txt").write_bytes(b"mine too")
    (out / "empty").mkdir()
    before = tree_bytes(out)
    with pytest.raises(RuntimeError), OutputSet(out) as output:
        (output.path / "a.txt").write_bytes(b"half")
        raise RuntimeError("boom")
    assert tree_bytes(out) == before
    write_set(out, {"a.txt": b"new", "sub/b.txt": b"new"})
    assert tree_bytes(out) == {
        "a.txt": b"new",
        "notes.md": b"mine",
        "sub/b.txt": b"new",
        "sub/mine.txt": b"mine too",
    }
    assert (out / "empty").is_dir()
    assert sorted(read_manifest(out)) == ["a.txt", "sub/b.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_a_dead_writers_leftovers_are_swept(tmp_path: Path) -> None:
    """A staging folder whose writer and janitor both died goes at the next write."""
    out = tmp_path / "dist"
    write_set(out, {"a.txt": b"1"})
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True
    )
    pid = int(dead.stdout)
    (tmp_path / f".dist.mlcryst-stage-{pid}-abc123").mkdir()
    (tmp_path / f".dist.mlcryst-stage-{pid}-abc123" / "half").write_bytes(b"x")
    write_set(out, {"a.txt": b"2"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]
    assert (out / "a.txt").read_bytes() == b"2"
