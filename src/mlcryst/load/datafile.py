"""Reading one data file safely: a regular file within its byte budget, nothing else.

Kept apart from the YAML reader (:mod:`mlcryst.load.yamlio`) so that what only needs a
file's bytes (the cache key of a build, the size of a collection) does not import the YAML
library.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from mlcryst.errors import DataError
from mlcryst.limits import MiB

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int, name: str) -> DataError:
    kind = next((what for test, what in _KINDS if test(mode)), "not an ordinary file")
    return DataError(
        f"is {kind}, not an ordinary file: a data file must be a regular file of YAML text",
        file=name,
    )


def _too_big(size: int, limit: int, name: str) -> DataError:
    need = -(-size // MiB) if size >= 0 else 2 * limit // MiB
    return DataError(
        f"{'more than ' if size < 0 else ''}{max(size, limit + 1):,} bytes: over the budget of "
        f"{limit // MiB if limit >= MiB else limit / MiB:g} MB for one data file "
        f"(data_file_bytes); to read it, raise the budget with the environment variable "
        f"MLCRYST_MAX_DATA_FILE_MB (e.g. MLCRYST_MAX_DATA_FILE_MB={max(need, 1)})",
        file=name,
    )


def read_data_file(path: Path, name: str, max_bytes: int) -> bytes:
    """The bytes of the regular file ``path``, refusing anything else or more than ``max_bytes``.

    The file is looked at (stat) before it is opened, so a FIFO, a device or a directory is
    never opened; it is opened without blocking and looked at again, so one swapped in between
    is refused too, and at most ``max_bytes + 1`` bytes are ever read.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError as exc:
        raise DataError("file not found", file=name) from exc
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror or exc}", file=name) from exc
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(st.st_mode, name)
    if st.st_size > max_bytes:
        raise _too_big(st.st_size, max_bytes, name)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror or exc}", file=name) from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(mode, name)
        chunks, left = [], max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 16 * MiB))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror or exc}", file=name) from exc
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise _too_big(-1, max_bytes, name)
    return data
