"""Output sets under faults: kill -9, Ctrl-C and SIGTERM at many moments of a real
``python -m mlcryst build --out D``, a full disk, an unwritable parent, a file in the way.

After each, D holds the complete previous set (built with another ``--base``, so old and new
differ) byte for byte or the complete new set (equal to a reference build), and nothing of the
build's own is left beside D. Kill moments are found by watching the staging folder: no hook
in mlcryst, no environment variable. Most strikes run ``--store oxigraph`` (the same set
writer, a build five times cheaper); Ctrl-C also strikes the default store.
"""

from __future__ import annotations

import contextlib
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

#: the reference sets (``sets``, two builds) are made once for the module: one pytest-xdist worker
pytestmark = pytest.mark.xdist_group("output-sets")

OLD_BASE = "https://example.org/x/"
#: how long a leftover may take to disappear after a kill (the janitor starts a Python)
JANITOR_WAIT = 15.0
BUILD_TIMEOUT = 240.0
#: builds run at the same time in the kill test
PARALLEL = 2
#: how often a strike whose build finished before its moment came is run again
STRIKE_ATTEMPTS = 5
OX = ("--store", "oxigraph")


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
    """The previous set (``--base`` OLD_BASE) and the reference new set (Oxigraph store),
    built side by side."""
    root = tmp_path_factory.mktemp("reference")
    old, new = root / "old" / "dist", root / "new" / "dist"
    procs = [_start_build(old, *OX, "--base", OLD_BASE), _start_build(new, *OX)]
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
    for entry in os.scandir(parent):
        if ".mlcryst-stage-" in entry.name:
            return Path(entry.path)
    return None


def _names(folder: Path) -> Iterator[str]:
    """Relative paths of everything below ``folder`` (cheap: polled every 2 ms)."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            yield entry.name
            if entry.is_dir(follow_symlinks=False):
                yield from (f"{entry.name}/{n}" for n in _names(Path(entry.path)))


# --- moments to strike: each waits for a state of the staging folder (or a time) -------------

Moment = Callable[[Path, float], bool]


def after(seconds: float) -> Moment:
    return lambda parent, started: time.monotonic() - started >= seconds


def staged(name: str = "", delay: float = 0.0, *, temp: bool = False) -> Moment:
    """When the staging folder holds ``name`` (a relative path; ``temp``: a temporary file
    whose name starts with ``.name``), then ``delay`` seconds later."""
    seen: list[float] = []

    def found(stage: Path) -> bool:
        if not name:
            return True
        if temp:
            return any(n.rpartition("/")[2].startswith(f".{name}") for n in _names(stage))
        return os.path.lexists(stage / name)

    def moment(parent: Path, started: float) -> bool:
        if not seen:
            stage = _staging(parent)
            if stage is None or not found(stage):
                return False
            seen.append(time.monotonic())
        return time.monotonic() - seen[0] >= delay

    return moment


def swapped(new: dict[str, bytes]) -> Moment:
    """When the output folder carries the new set's manifest (the swap is done)."""
    import hashlib

    manifest = {name: hashlib.sha256(data).hexdigest() for name, data in new.items()}
    return lambda parent, started: read_manifest(parent / "dist") == manifest


#: name -> (the build's options, the new set it makes, the moment). The RDF-only builds are
#: quick, so most strike there; three strike while the page and the figures are written.
MOMENTS: dict[str, tuple[tuple[str, ...], Callable[[Sets], dict[str, bytes]], Moment]] = {
    "figures-folder": ((*OX,), lambda s: s.new, staged("figures")),
    "last-figure": ((*OX,), lambda s: s.new, staged("figures/gap-map.svg", 0.01)),
    "page-temp": ((*OX,), lambda s: s.new, staged("mlcryst.html", temp=True)),
    "interpreter-start": ((*OX, "--no-visuals"), lambda s: s.new_rdf, after(0.05)),
    "staging-appears": ((*OX, "--no-visuals"), lambda s: s.new_rdf, staged()),
    "loading": ((*OX, "--no-visuals"), lambda s: s.new_rdf, staged("", 0.5)),
    "validating": ((*OX, "--no-visuals"), lambda s: s.new_rdf, staged("", 1.5)),
    "dump": ((*OX, "--no-visuals"), lambda s: s.new_rdf, staged("mlcryst-dump", temp=True)),
    "turtle-temp": ((*OX, "--no-visuals"), lambda s: s.new_rdf, staged("mlcryst.ttl", temp=True)),
    "renames": ((*OX, "--no-visuals"), lambda s: s.new_rdf, staged("mlcryst.ttl")),
    "commit": ((*OX, "--no-visuals"), lambda s: s.new_rdf, staged("mlcryst.context.jsonld")),
    "commit-10ms": (
        (*OX, "--no-visuals"),
        lambda s: s.new_rdf,
        staged("mlcryst.context.jsonld", 0.01),
    ),
    "commit-40ms": (
        (*OX, "--no-visuals"),
        lambda s: s.new_rdf,
        staged("mlcryst.context.jsonld", 0.04),
    ),
}


@dataclass
class Strike:
    name: str
    parent: Path
    args: tuple[str, ...]
    moment: Moment
    sig: int = signal.SIGKILL
    proc: subprocess.Popen[str] | None = None
    started: float = 0.0
    killed: bool = False
    stderr: str = ""

    def start(self) -> None:
        self.proc = _start_build(self.parent / "dist", *self.args)
        self.started = time.monotonic()


def _run_strikes(strikes: list[Strike], parallel: int = PARALLEL) -> None:
    """Run the builds, ``parallel`` at a time; strike each at its moment; wait for all."""
    deadline = time.monotonic() + 2 * BUILD_TIMEOUT
    pending, running = list(strikes), list[Strike]()
    while (pending or running) and time.monotonic() < deadline:
        while pending and len(running) < parallel:
            pending[0].start()
            running.append(pending.pop(0))
        for s in list(running):
            assert s.proc is not None
            if s.proc.poll() is not None:
                running.remove(s)
            elif s.moment(s.parent, s.started):
                s.proc.send_signal(s.sig)
                s.killed = True
                running.remove(s)
        time.sleep(0.002)
    for s in strikes:
        assert s.proc is not None, f"{s.name} never started"
        s.stderr = s.proc.communicate(timeout=BUILD_TIMEOUT)[1]


@pytest.mark.slow
def test_kill_9_at_any_moment_leaves_the_old_or_the_new_set(sets: Sets, tmp_path: Path) -> None:
    strikes = []
    for name, (args, _, moment) in MOMENTS.items():
        _with_old_set(sets, tmp_path / name)
        strikes.append(Strike(name, tmp_path / name, args, moment))
    strikes.append(Strike("after-swap", tmp_path / "after-swap", (*OX,), swapped(sets.new)))
    _with_old_set(sets, tmp_path / "after-swap")
    _run_strikes(strikes)
    outcome: dict[str, str] = {}
    for s in strikes:
        assert _leftovers(s.parent) == [], f"{s.name}: left beside the output"
        new = MOMENTS[s.name][1](sets) if s.name in MOMENTS else sets.new
        outcome[s.name] = _assert_old_or_new(s.parent / "dist", sets.old, new) + (
            "" if s.killed else " (ended before the kill)"
        )
    print("kill -9 outcomes:", outcome)
    assert sum(not o.endswith(")") for o in outcome.values()) >= 12, outcome
    assert outcome["staging-appears"] == "old" and outcome["after-swap"] == "new", outcome


#: the line every command starts with on standard error, naming the collection it works on
COLLECTION = "mlcryst: collection: "


@pytest.mark.slow
def test_ctrl_c_and_sigterm_keep_the_old_set(sets: Sets, tmp_path: Path) -> None:
    """SIGINT (Ctrl-C; also on the default store) and SIGTERM while files are staged: exit
    130 and one line."""
    cases = {
        "int-default": (signal.SIGINT, ("--no-visuals",), lambda: staged("mlcryst.nt", temp=True)),
        "int": (signal.SIGINT, OX, lambda: staged("mlcryst.html", temp=True)),
        "term": (signal.SIGTERM, OX, lambda: staged("mlcryst.ttl", temp=True)),
    }

    def strike(name: str) -> Strike:
        sig, args, moment = cases[name]
        parent = tmp_path / name
        shutil.rmtree(parent, ignore_errors=True)
        _with_old_set(sets, parent)
        return Strike(name, parent, args, moment(), sig)

    strikes = {name: strike(name) for name in cases}
    _run_strikes(list(strikes.values()), parallel=len(strikes))
    for _ in range(STRIKE_ATTEMPTS - 1):
        # A build that ended before its moment was seen (a temporary file lives a few ms, and
        # the 2 ms poll can miss it on a busy machine) struck nothing: strike it again, afresh.
        # Likewise a signal that landed only after the new set was swapped in (exit 0).
        again = [
            strike(s.name)
            for s in strikes.values()
            if not s.killed or (s.proc is not None and s.proc.returncode == 0)
        ]
        if not again:
            break
        strikes.update((s.name, s) for s in again)
        _run_strikes(again, parallel=len(again))
    for s in strikes.values():
        assert s.killed, s.name
        assert s.proc is not None and s.proc.returncode == 130, s.stderr[-3000:]
        assert TRACEBACK not in s.stderr
        said = [ln for ln in s.stderr.strip().splitlines() if not ln.startswith(COLLECTION)]
        assert said == ["mlcryst: error: interrupted"], s.stderr[-3000:]
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
    procs = [_start_build(out, *OX), _start_build(tiny / "dist", *OX)]
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
