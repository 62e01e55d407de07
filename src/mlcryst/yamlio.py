"""Safe YAML reading that remembers where every value came from.

>>> doc = loads("- a: 1\\n  b: two\\n", "x.yaml")
>>> doc[0]["b"], doc[0].line_of("b")
('two', 2)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import DataError


class LocatedDict(dict):  # type: ignore[type-arg]
    """A mapping that knows the file and line of itself and of each key."""

    file: str
    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list):  # type: ignore[type-arg]
    """A sequence that knows the file and line of itself and of each item."""

    file: str
    line: int
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _Loader(yaml.SafeLoader):
    """SafeLoader (no arbitrary objects) that refuses duplicate keys."""


def _convert(node: yaml.Node, file: str, loader: _Loader) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = LocatedDict()
        out.file, out.line, out.key_lines = file, line, {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in out:
                raise DataError(
                    f"duplicate key {key!r}", file=file, line=key_node.start_mark.line + 1
                )
            out[key] = _convert(value_node, file, loader)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = LocatedList()
        seq.file, seq.line, seq.item_lines = file, line, []
        for item in node.value:
            seq.append(_convert(item, file, loader))
            seq.item_lines.append(item.start_mark.line + 1)
        return seq
    return loader.construct_object(node, deep=True)


def loads(text: str, file: str) -> Any:
    """Parse YAML text safely; errors name the file and line."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return _convert(node, file, loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise DataError(f"not valid YAML: {exc.problem or exc}", file=file, line=line) from exc
    except yaml.YAMLError as exc:
        raise DataError(f"not valid YAML: {exc}", file=file) from exc
    finally:
        loader.dispose()


def load_file(path: Path, display: str | None = None) -> Any:
    """Read and parse one YAML file."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataError("file not found", file=name) from exc
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=name) from exc
    return loads(text, name)
