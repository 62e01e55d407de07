"""Safe file handling: atomic writes (a temporary file in the same folder, then a rename), and
no JSON-LD that would make a parser fetch a remote context.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
>>> write_atomic(p, b"hello"); p.read_bytes()
b'hello'
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .errors import OutputError


def write_atomic(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new, never half."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
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
    """Write several files, each atomically, only after all of them were produced in memory."""
    for path, data in files.items():
        write_atomic(path, data)


def refuse_remote_contexts(doc: object, path: Path) -> None:
    """JSON-LD may name contexts by URL, which rdflib would fetch: refuse them."""
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import"):
                    items = value if isinstance(value, list) else [value]
                    for item in items:
                        if isinstance(item, str):
                            raise OutputError(
                                f"{path}: the JSON-LD names a remote context {item!r}; mlcryst "
                                "never fetches contexts: embed the context in the document"
                            )
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
