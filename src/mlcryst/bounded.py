"""Run a user query with a time limit and a memory limit, in a child process.

A SPARQL query can run away (a cartesian product, a deep property path) and neither rdflib nor
Oxigraph can be interrupted from Python. So each user query runs in a forked child process that
shares the loaded graph (copy-on-write, no re-loading), whose address space is capped with
``RLIMIT_AS`` (the graph already mapped plus ``memory_mb``), and which is killed when the wall
clock passes ``timeout`` seconds. The caller gets the result, or :class:`~mlcryst.errors.
QueryTimeout` with a clear message; the process and the machine never hang.

The child also has no network: before it runs ``fn`` it moves into a network namespace of its
own (Linux ``unshare``; as root directly, otherwise inside a user namespace), where no address
but a loopback that is down exists, so no query engine, parser or validator in it can open a
connection whatever it is asked (:func:`offline`). Where the system does not allow it, the
checks of :mod:`mlcryst.sparql.guard` still refuse every query that could.

Defaults: 60 s and 2048 MB (at most half the machine's memory). ``timeout=0`` (or ``None``)
removes the time limit, ``memory_mb=0`` (or ``None``) the memory limit; with neither limit the
query runs in the calling process. Where ``fork`` does not exist (Windows) queries run in the
calling process without limits.

>>> run_limited(lambda: 6 * 7, timeout=5)
42
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import time
from collections.abc import Callable
from typing import Any, TypeVar

from mlcryst.errors import MemoryLimitExceeded, MlcrystError, TimeLimitExceeded

T = TypeVar("T")

DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_MB = 2048


def default_memory_mb() -> int:
    """``MLCRYST_MAX_MEMORY_MB`` where it is set; else 2048 MB, or half the physical memory if
    that is less."""
    if os.environ.get("MLCRYST_MAX_MEMORY_MB", "").strip():
        from mlcryst.limits import budgets

        return budgets().memory_mb
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError, AttributeError):
        return DEFAULT_MEMORY_MB
    return max(256, min(DEFAULT_MEMORY_MB, total // 2))


def _address_space() -> int:
    """Bytes of address space this process has mapped now."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


def offline() -> bool:
    """Cut this process off from every network (a new, empty network namespace).

    True when done. Meant for a freshly forked, single-threaded child: a user namespace can
    only be entered by a process with one thread.
    """
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        unshare = libc.unshare
    except (OSError, AttributeError):
        return False
    if unshare(_CLONE_NEWNET) == 0:
        return True
    uid, gid = os.getuid(), os.getgid()
    if unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
        return False
    # keep our own ids inside the user namespace, so files stay readable as before
    maps = (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1"))
    for name, text in maps:
        with contextlib.suppress(OSError), open(f"/proc/self/{name}", "w", encoding="ascii") as fh:
            fh.write(text)
    return True


def _child(fn: Callable[[], Any], fd: int, memory_mb: int | None) -> None:
    status: str
    try:
        import faulthandler

        faulthandler.disable()  # a child stopped at the memory limit should die quietly
        import sys

        # generators torn down by a MemoryError report "Exception ignored in ..." with a
        # traceback on stderr; the parent reports the limit instead
        sys.unraisablehook = lambda _unraisable: None
        offline()
        if memory_mb:
            import resource

            limit = _address_space() + memory_mb * 2**20
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            payload: Any = fn()
            status = "ok"
        except MemoryError:
            status, payload = "memory", None
        except RecursionError:
            status, payload = "failed", "it is nested too deeply to be handled"
        except MlcrystError as exc:
            status, payload = "error", exc
        except BaseException as exc:  # any failure of the engine (pyo3 panics are BaseException)
            status, payload = "failed", f"{type(exc).__name__}: {exc}"
        try:
            data = pickle.dumps((status, payload), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(("memory", None))
        except Exception as exc:  # an unpicklable result
            data = pickle.dumps(("failed", f"cannot return the result: {exc}"))
        with os.fdopen(fd, "wb") as out:
            out.write(data)
    finally:
        os._exit(0)


def _read_all(fd: int, deadline: float | None) -> bytes | None:
    """Read the child's answer until EOF; None when the deadline passes first."""
    import selectors

    chunks: list[bytes] = []
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            if wait is not None and wait <= 0:
                return None
            if not sel.select(wait):
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def run_limited(
    fn: Callable[[], T],
    *,
    timeout: float | None = None,
    memory_mb: int | None = None,
    what: str = "the query",
) -> T:
    """Return ``fn()`` computed in a child process under the limits, or raise QueryTimeout.

    ``fn``'s result (and any :class:`MlcrystError` it raises) must be picklable.
    ``memory_mb=None`` means the default (:func:`default_memory_mb`); 0 means no limit.
    ``timeout=None`` means the default (``MLCRYST_TIMEOUT``, else 60 s); 0 means no limit.
    """
    if memory_mb is None:
        memory_mb = default_memory_mb()
    if timeout is None:
        from mlcryst.limits import budgets

        timeout = budgets().timeout_s
    if (not timeout and not memory_mb) or not hasattr(os, "fork"):
        return fn()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child leaves through os._exit
        os.close(read_fd)
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)  # its own process group: stopping it stops what it started
        _child(fn, write_fd, memory_mb or None)
    with contextlib.suppress(OSError):
        os.setpgid(pid, pid)
    os.close(write_fd)
    deadline = time.monotonic() + timeout if timeout else None
    data: bytes | None = None
    try:
        data = _read_all(read_fd, deadline)
    finally:
        os.close(read_fd)
        if data is None:
            _kill(pid)
    _, wait_status = os.waitpid(pid, 0)
    _kill(pid)  # anything the child started and left behind (e.g. after a crash)
    if data is None:
        raise TimeLimitExceeded(
            f"{what} was stopped after {timeout:g} s (the time limit; raise it "
            "with --timeout SECONDS, or 0 for none)"
        )
    if not data:
        how = ""
        if os.WIFSIGNALED(wait_status):
            number = os.WTERMSIG(wait_status)
            try:
                how = f" (it ended with {signal.Signals(number).name})"
            except ValueError:
                how = f" (it ended with signal {number})"
        raise MemoryLimitExceeded(
            f"{what} ran out of memory (the memory limit of {memory_mb} MB) or crashed{how}"
        )
    status, payload = pickle.loads(data)
    if status == "ok":
        return payload  # type: ignore[no-any-return]
    if status == "memory":
        raise MemoryLimitExceeded(
            f"{what} ran out of memory: it was stopped at the memory limit of {memory_mb} MB"
        )
    if status == "error":
        raise payload
    from mlcryst.errors import QueryError

    raise QueryError(f"the query failed: {payload}")


def _kill(pid: int) -> None:
    """Kill the child ``pid`` and its process group (the processes it forked)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def run_parallel(
    fns: list[Callable[[], T]], *, timeout: float | None = None, what: str = "the work"
) -> list[T]:
    """``[fn() for fn in fns]``, each in its own forked child at once (sharing this process's
    memory copy-on-write); results must be picklable. Without ``fork``: one after another."""
    if len(fns) < 2 or not hasattr(os, "fork"):
        return [fn() for fn in fns]
    import selectors

    children: dict[int, tuple[int, int]] = {}  # read fd -> (index, pid)
    for i, fn in enumerate(fns):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child leaves through os._exit
            os.close(read_fd)
            _child(fn, write_fd, None)
        os.close(write_fd)
        children[read_fd] = (i, pid)
    chunks: dict[int, list[bytes]] = {fd: [] for fd in children}
    deadline = time.monotonic() + timeout if timeout else None
    open_fds = set(children)
    try:
        with selectors.DefaultSelector() as sel:
            for fd in children:
                sel.register(fd, selectors.EVENT_READ)
            while open_fds:
                wait = None if deadline is None else deadline - time.monotonic()
                if wait is not None and wait <= 0:
                    raise TimeLimitExceeded(f"{what} was stopped after {timeout:g} s")
                for key, _ in sel.select(wait):
                    data = os.read(key.fd, 1 << 20)
                    if data:
                        chunks[key.fd].append(data)
                    else:
                        sel.unregister(key.fd)
                        open_fds.discard(key.fd)
    finally:
        for fd, (_, pid) in children.items():
            os.close(fd)
            if open_fds:
                _kill(pid)
            os.waitpid(pid, 0)
    results: list[Any] = [None] * len(fns)
    for fd, (i, _) in children.items():
        data = b"".join(chunks[fd])
        if not data:
            raise MemoryLimitExceeded(f"{what}: a worker process died (out of memory?)")
        status, payload = pickle.loads(data)
        if status == "error":
            raise payload
        if status != "ok":
            from mlcryst.errors import MlcrystError as Failed

            raise Failed(f"{what} failed in a worker: {payload}")
        results[i] = payload
    return results
