"""Safe file handling: atomic files, atomic sets of files, and no JSON-LD that would make a
parser fetch a remote context.

One file (``mlcryst export --out FILE``, ``mlcryst viz --out FILE``) is written by
:func:`write_atomic`: a temporary file in the same folder, synced, then renamed over the target.

A set of files (``mlcryst build``'s ``dist/``, ``mlcryst plot``'s figures) is written by
:class:`OutputSet` (or :func:`write_set`): after any kill -9, SIGINT, SIGTERM, full disk or
exception the output folder holds the complete old set or the complete new one, never a mix.

* The new set is written into a staging folder beside the output folder (same parent, so the
  same file system), ``.NAME.mlcryst-stage-PID-TOKEN``; every file is synced.
* Its manifest (``SHA-256  path`` lines, the format ``sha256sum -c`` reads) is stored on the
  folder itself as the extended attribute ``user.mlcryst.manifest`` (:func:`read_manifest`):
  it travels with the folder in the same rename, and the folder holds only the outputs.
* The staging folder and the output folder are swapped in one step (Linux
  ``renameat2(RENAME_EXCHANGE)``); the old set, now in the staging folder, is deleted. Where
  the exchange is not available it is two renames (output -> ``.NAME.mlcryst-old-PID-TOKEN``,
  staging -> output), and a crash between them is rolled back (:func:`recover`).
* Files in the output folder that are not in its manifest (the user's) are carried over into the
  new set (hard links, so nothing is copied), before the swap and once more after it for any file
  that appeared meanwhile. A file with the name of one of the new set's files is replaced by it.
  A folder without a manifest (a build by an older mlcryst) is all "the user's", so old outputs
  that the new set no longer writes stay.
* A small janitor process, started in its own session and holding the read end of a pipe from
  the writer, waits for the pipe to close (the writer finished, failed or died, even by kill -9)
  and then runs :func:`recover`: the staging folder never outlives its writer. Each set written
  also sweeps leftovers of writers that are dead (a janitor killed too, a power cut).
* SIGTERM is turned into ``KeyboardInterrupt`` while a set is being written, so that the same
  clean-up runs as on Ctrl-C.

The output folder must not be a mount point (it is replaced as a whole): give a folder inside
it. A symbolic link to a folder stays a link; the folder it points to is replaced.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
>>> write_atomic(p, b"hello"); p.read_bytes()
b'hello'
>>> out = p.parent / "set"
>>> [f.name for f in write_set(out, {"a.txt": b"A", "sub/b.txt": b"B"})]
['a.txt', 'b.txt']
>>> sorted(read_manifest(out))
['a.txt', 'sub/b.txt']
>>> sorted(f.name for f in p.parent.iterdir())  # no staging folder left
['set', 'x.txt']
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from mlcryst.errors import OutputError

#: the extended attribute of a set's folder that holds its manifest
MANIFEST_XATTR = "user.mlcryst.manifest"
_LEFTOVER = re.compile(r"\.(?P<name>.+)\.mlcryst-(?:stage|old)-(?P<pid>\d+)-(?P<token>[0-9a-f]+)")
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def write_atomic(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new, never half."""
    with atomic_file(path) as fh:
        fh.write(data)


@contextlib.contextmanager
def atomic_file(path: Path | str) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through, streamed: what is written goes to a temporary
    file in the same folder, synced and renamed over ``path`` when the block ends without an
    exception; on an exception (or Ctrl-C) it is removed and ``path`` is untouched. An OSError
    while writing (a full disk) is an :class:`~mlcryst.errors.OutputError` naming ``path``.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_file(p) as fh:
    ...     _ = fh.write(b"one, ")
    ...     _ = fh.write(b"two")
    >>> p.read_bytes()
    b'one, two'
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_all_atomic(files: Mapping[Path, bytes]) -> None:
    """Write several files, each atomically, only after all of them were produced in memory.

    The files are not atomic as a set: inside an :class:`OutputSet` they are.
    """
    for path, data in files.items():
        write_atomic(path, data)


# --- sets of files -----------------------------------------------------------------------


def write_set(out_dir: Path | str, files: Mapping[str, bytes]) -> list[Path]:
    """Replace the folder ``out_dir`` with ``files`` (relative path -> bytes) as one set.

    Returns the paths written, in ``out_dir``. See :class:`OutputSet`.
    """
    with OutputSet(out_dir) as output:
        for name, data in files.items():
            write_atomic(output.path / name, data)
    return output.written


class OutputSet:
    """A folder of outputs replaced as a whole: the complete old set or the complete new one.

    Write the files into :attr:`path` (a staging folder) inside the ``with`` block; when the
    block ends without an exception the set is synced, its manifest stored, the user's own files
    carried over and the folders swapped; on an exception (or Ctrl-C) the staging folder is
    removed and the output folder is untouched. :attr:`written` then lists the files of the set
    as paths in the output folder. Errors are :class:`~mlcryst.errors.OutputError`, naming the
    output path and the reason.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "dist"
    >>> with OutputSet(out) as output:
    ...     _ = (output.path / "a.txt").write_bytes(b"new")
    >>> [str(p.relative_to(out)) for p in output.written], (out / "a.txt").read_bytes()
    (['a.txt'], b'new')
    """

    def __init__(self, out_dir: Path | str) -> None:
        self.out = Path(out_dir)
        #: the staging folder to write the new set into (set on entering the block)
        self.path = Path()
        #: the files of the committed set, as paths in the output folder
        self.written: list[Path] = []
        self._target = Path()
        self._old = Path()
        self._janitor: subprocess.Popen[bytes] | None = None
        self._pipe: int | None = None
        self._signals = contextlib.ExitStack()

    def final(self, path: Path | str) -> Path:
        """Where a file of the staging folder ends up in the output folder."""
        return self.out / Path(path).relative_to(self.path)

    def __enter__(self) -> OutputSet:
        out = self.out
        target = Path(os.path.realpath(out) if out.is_symlink() else os.path.abspath(out))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{out}: cannot write: {exc.strerror or exc}") from exc
        if os.path.lexists(target) and not target.is_dir():
            raise OutputError(f"{out}: cannot write the outputs there: it is a file, not a folder")
        if target.is_dir() and os.path.ismount(target):
            raise OutputError(
                f"{out}: is a mount point, and the output folder is replaced as a whole: "
                "give a folder inside it"
            )
        sweep(target)
        token = os.urandom(6).hex()
        self._target = target
        self.path, self._old = _leftover_names(target, os.getpid(), token)
        self._start_janitor()  # first: a kill right after the mkdir is cleaned up too
        try:
            os.mkdir(self.path, 0o700)
            mode = stat.S_IMODE(target.stat().st_mode) if target.is_dir() else 0o777 & ~_umask()
            os.chmod(self.path, mode)  # the output folder keeps its mode
        except OSError as exc:
            self._close()
            raise OutputError(f"{out}: cannot write: {exc.strerror or exc}") from exc
        self._signals.enter_context(sigterm_interrupts())
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc is None:
                self.written = self._commit()
            elif isinstance(exc, OutputError):  # name the output, not the staging folder
                raise OutputError(str(exc).replace(str(self.path), str(self.out))) from exc
            elif isinstance(exc, OSError):
                raise OutputError(f"{self.out}: cannot write: {exc.strerror or exc}") from exc
        finally:
            self._close()

    def _commit(self) -> list[Path]:
        stage, target = self.path, self._target
        try:
            files = _files(stage)
            lines = [f"{_sync_and_hash(stage / name)}  {name}\n" for name in files]
            with contextlib.suppress(OSError):  # a file system without user xattrs: no manifest
                os.setxattr(stage, MANIFEST_XATTR, "".join(lines).encode("utf-8"))
            ours = set(read_manifest(target)) if target.is_dir() else set()
            if target.is_dir():
                _carry(target, stage, ours, move=False)
            for folder in sorted({(stage / n).parent for n in files}, reverse=True):
                _fsync(folder)
            _fsync(stage)
            exchanged = _swap(stage, target, self._old)
            if exchanged or os.path.isdir(self._old):  # files made during the swap
                _carry(stage if exchanged else self._old, target, ours, move=True)
            _fsync(target.parent)
        except OSError as exc:
            where = exc.filename if isinstance(exc.filename, str) else str(self.out)
            where = where.replace(str(stage), str(self.out))
            raise OutputError(f"{where}: cannot write: {exc.strerror or exc}") from exc
        return [self.out / name for name in files]

    def _start_janitor(self) -> None:
        if not sys.executable:
            return
        code = (
            "import sys; sys.path.insert(0, sys.argv[1]); "
            "from mlcryst.fileio import janitor_main; janitor_main(sys.argv[2:])"
        )
        read_end, write_end = os.pipe()
        try:
            self._janitor = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    code,
                    str(Path(__file__).resolve().parent.parent),
                    *map(str, (self._target, self.path, self._old)),
                ],
                stdin=read_end,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C at the terminal does not reach it
                cwd="/",
            )
        except OSError:
            os.close(write_end)  # no janitor: the next run's sweep cleans up after a crash
            return
        finally:
            os.close(read_end)
        self._pipe = write_end

    def _close(self) -> None:
        """Remove what is left of the staging (the old set after a swap, the partial new set
        after a failure), stop the janitor and restore SIGTERM."""
        try:
            recover(self._target, self.path, self._old)
        finally:
            if self._pipe is not None:
                os.close(self._pipe)
                self._pipe = None
            if self._janitor is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._janitor.wait(timeout=10)
                self._janitor = None
            self._signals.close()


def read_manifest(folder: Path | str) -> dict[str, str]:
    """The manifest of a set written by :class:`OutputSet`: relative path -> SHA-256 (hex).

    Empty for a folder that holds no manifest (not written by mlcryst, or on a file system
    without user extended attributes).
    """
    try:
        text = os.getxattr(folder, MANIFEST_XATTR).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    out = {}
    for line in text.splitlines():
        digest, sep, name = line.partition("  ")
        if sep:
            out[name] = digest
    return out


def verify_set(folder: Path | str) -> list[str]:
    """What differs between ``folder`` and its manifest (empty: the set is complete and intact).

    >>> verify_set("/nonexistent")
    ['/nonexistent: no manifest']
    """
    manifest = read_manifest(folder)
    if not manifest:
        return [f"{folder}: no manifest"]
    problems = []
    for name, digest in sorted(manifest.items()):
        path = Path(folder) / name
        try:
            got = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            problems.append(f"{path}: {exc.strerror or exc}")
            continue
        if got != digest:
            problems.append(f"{path}: SHA-256 {got}, the manifest says {digest}")
    return problems


def _leftover_names(target: Path, pid: int, token: str) -> tuple[Path, Path]:
    """The staging folder and the old-set folder of a writer of ``target``."""
    stem = f".{target.name}.mlcryst-"
    return (
        target.parent / f"{stem}stage-{pid}-{token}",
        target.parent / f"{stem}old-{pid}-{token}",
    )


def _files(folder: Path) -> list[str]:
    """The regular files below ``folder``, as sorted relative POSIX paths."""
    out = []
    for dirpath, _dirs, names in os.walk(folder):
        rel = Path(dirpath).relative_to(folder)
        out += [(rel / n).as_posix() for n in names if os.path.isfile(Path(dirpath) / n)]
    return sorted(out)


def _sync_and_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
        os.fsync(fh.fileno())
    return h.hexdigest()


def _fsync(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _carry(source: Path, dest: Path, ours: set[str], *, move: bool) -> None:
    """Bring the user's files (not in ``ours``, the old manifest) from ``source`` to ``dest``,
    where ``dest`` has nothing of that name: hard links (or ``move``: renames)."""
    for dirpath, dirs, names in os.walk(source):
        here = Path(dirpath)
        rel = here.relative_to(source)
        there = dest / rel
        if rel.parts and not there.is_dir():
            if os.path.lexists(there):
                dirs.clear()  # the new set has a file where the user had a folder: it wins
                continue
            there.mkdir()
            shutil.copystat(here, there, follow_symlinks=False)
        entries = names + [d for d in dirs if (here / d).is_symlink()]
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
        for name in entries:
            key = (rel / name).as_posix()
            if key in ours or os.path.lexists(there / name):
                continue
            if move:
                os.rename(here / name, there / name)
            elif (here / name).is_symlink():
                os.symlink(os.readlink(here / name), there / name)
            else:
                try:
                    os.link(here / name, there / name)
                except OSError:
                    shutil.copy2(here / name, there / name)


def _renameat2(source: Path, dest: Path, flags: int) -> bool:
    """``renameat2(2)``; False where the C library or the file system does not offer it."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        call = libc.renameat2
    except (OSError, AttributeError):
        return False
    done = call(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(dest), ctypes.c_uint(flags))
    if done == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(dest))


def _swap(stage: Path, target: Path, old: Path) -> bool:
    """Put the staging folder in the target's place; True when the old set is now in ``stage``
    (exchanged), False when it is in ``old`` (two renames) or there was none."""
    if not os.path.lexists(target):
        if not _renameat2(stage, target, _RENAME_NOREPLACE):
            os.rename(stage, target)
        return False
    if _renameat2(stage, target, _RENAME_EXCHANGE):
        return True
    os.rename(target, old)
    os.rename(stage, target)  # a crash between the renames: recover() puts the old set back
    return False


def recover(target: Path | str, stage: Path | str, old: Path | str) -> None:
    """Clean up after a writer of ``target``: put its old set back if the writer died between
    the two renames of a swap, and delete its staging and old-set folders.

    Run by the writer at the end, by its janitor when the writer is gone and by :func:`sweep`.
    """
    target, stage, old = Path(target), Path(stage), Path(old)
    if not os.path.lexists(target) and old.is_dir() and not old.is_symlink():
        with contextlib.suppress(OSError):
            os.rename(old, target)
    for path in (stage, old):
        for _ in range(3):  # a second remover (sweep, janitor) may race: try again
            if not os.path.lexists(path):
                break
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    path.unlink()


def sweep(target: Path | str) -> list[Path]:
    """Recover the leftovers of dead writers of ``target`` (a staging folder outlives its writer
    only if the janitor died too); return the leftovers found."""
    target = Path(target)
    found = []
    with contextlib.suppress(OSError), os.scandir(target.parent) as entries:
        for entry in entries:
            match = _LEFTOVER.fullmatch(entry.name)
            if not match or match["name"] != target.name or _alive(int(match["pid"])):
                continue
            found.append(Path(entry.path))
            recover(target, *_leftover_names(target, int(match["pid"]), match["token"]))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def janitor_main(argv: list[str]) -> None:
    """The janitor process: ``TARGET STAGE OLD``; waits for its standard input (the writer's
    pipe) to close, then runs :func:`recover`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        sys.stdin.buffer.read()
    target, stage, old = argv
    recover(target, stage, old)


@contextlib.contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """Inside the block SIGTERM raises ``KeyboardInterrupt`` (so that ``finally`` clean-ups
    run, as on Ctrl-C); outside it the previous handler is back. Only in the main thread
    (elsewhere the block runs unchanged)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
