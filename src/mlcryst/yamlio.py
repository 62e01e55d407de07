"""Safe YAML reading that remembers where every value came from.

>>> doc = loads("- a: 1\\n  b: two\\n", "x.yaml")
>>> doc[0]["b"], doc[0].line_of("b")
('two', 2)
"""

from __future__ import annotations

import re
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


#: libyaml's C parser when PyYAML was built with it (about 10x faster), else pure Python.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """SafeLoader (no arbitrary objects) that refuses duplicate keys."""


def _convert(node: yaml.Node, file: str, loader: _Loader) -> Any:
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value  # the common case, without the constructor's bookkeeping
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
    """Parse YAML text safely; errors name the file and line.

    The block-style subset the data files use is read by a fast path (:class:`_Fast`) that
    gives exactly what PyYAML gives; a top-level record it does not handle, and any file with
    an error, go through PyYAML, so values, lines and messages are always PyYAML's.
    """
    try:
        return _Fast(text, file).document()
    except _Unsupported:
        return _yaml_loads(text, file)


def _yaml_loads(text: str, file: str) -> Any:
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


class _Unsupported(Exception):
    """The fast path does not handle this text: PyYAML must read it."""


#: what PyYAML's reader refuses (it would raise; the fast path must not accept it)
_NON_PRINTABLE = re.compile("[^\x09\x0a\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_.-]*):(?: +(.*))?$")
_DOUBLE = re.compile(r'"([^"\\]*)"(?: +#.*)?$')
_SINGLE = re.compile(r"'((?:[^']|'')*)'(?: +#.*)?$")
_FLOW_SEQ = re.compile(r"\[([^\[\]{}\"'#:]*)\](?: +#.*)?$")
_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
_plain_cache: dict[str, Any] = {}
_RESOLVERS = _BaseLoader.yaml_implicit_resolvers  # first character -> [(tag, regexp)]


def _plain(text: str) -> Any:
    """The value PyYAML gives a one-line plain scalar (int, bool, null, str, ...)."""
    try:
        return _plain_cache[text]
    except KeyError:
        pass
    if (
        not text
        or text[0] in _PLAIN_START
        or ": " in text
        or text.endswith(":")
        or "\t" in text
        or " #" in text
    ):
        raise _Unsupported(text)
    if not any(regexp.match(text) for _, regexp in _RESOLVERS.get(text[0], ())):
        return text  # no implicit type matches: PyYAML's resolver would say str
    try:
        value = yaml.load(text, Loader=_BaseLoader)  # a safe loader
    except yaml.YAMLError as exc:
        raise _Unsupported(text) from exc
    if isinstance(value, (dict, list)):
        raise _Unsupported(text)
    if len(_plain_cache) < 200_000:
        _plain_cache[text] = value
    return value


_STR_KEYS: set[str] = set()


def _simple_double(text: str) -> bool:
    """A double-quoted scalar without escapes: its value is the text between the quotes."""
    return (
        len(text) > 1
        and text[0] == '"'
        and text[-1] == '"'
        and '"' not in text[1:-1]
        and "\\" not in text
    )


def _str_key(key: str) -> bool:
    if isinstance(_plain(key), str) and _plain(key) == key:
        _STR_KEYS.add(key)
        return True
    return False


class _Fast:
    """A reader of block mappings and sequences of one-line scalars, with PyYAML's result.

    Anything else (block or multi-line scalars, flow mappings, anchors, tags, escapes,
    duplicate keys, odd indentation) raises :class:`_Unsupported`. In a file that is a
    sequence of records, only the record concerned is then handed to PyYAML.
    """

    def __init__(self, text: str, file: str) -> None:
        if "\r" in text or text.startswith("\ufeff") or _NON_PRINTABLE.search(text):
            raise _Unsupported("special characters")
        self.text, self.file = text, file
        self.raw = text.split("\n")
        rows: list[list[Any]] = []  # [line, indent, content]
        for n, line in enumerate(self.raw, 1):
            content = line.lstrip(" ").rstrip()
            if not content or content[0] == "#":
                continue
            indent = len(line) - len(line.lstrip(" "))
            if content[0] == "\t" or (indent == 0 and content.startswith(("---", "...", "%"))):
                raise _Unsupported("tab, directive or document marker")
            rows.append([n, indent, content])
        self.rows = rows

    def document(self) -> Any:
        if not self.rows or self.rows[0][1] != 0:
            raise _Unsupported("empty or indented document")
        node, i = self.block(0, 0, top=True)
        if i != len(self.rows):
            raise _Unsupported("trailing content")
        return node

    def block(self, i: int, indent: int, top: bool = False) -> tuple[Any, int]:
        content = self.rows[i][2]
        if content == "-" or content.startswith("- "):
            return self.seq(i, indent, top)
        return self.mapping(i, indent)

    def _deeper(self, i: int, indent: int) -> bool:
        return i < len(self.rows) and self.rows[i][1] > indent

    def scalar(self, text: str) -> Any:
        first = text[0]
        if first == '"':
            m = _DOUBLE.match(text)
            if not m:
                raise _Unsupported(text)
            return m.group(1)
        if first == "'":
            m = _SINGLE.match(text)
            if not m:
                raise _Unsupported(text)
            return m.group(1).replace("''", "'")
        if first == "[":
            return None  # handled by flow()
        cut = text.find(" #")
        return _plain(text[:cut].rstrip() if cut >= 0 else text)

    def value(self, text: str, line: int) -> Any:
        if text[0] == "[":
            m = _FLOW_SEQ.match(text)
            if not m:
                raise _Unsupported(text)
            seq = LocatedList()
            seq.file, seq.line, seq.item_lines = self.file, line, []
            inner = m.group(1).strip()
            if inner:
                for item in inner.split(","):
                    seq.append(_plain(item.strip()))
                    seq.item_lines.append(line)
            return seq
        return self.scalar(text)

    def seq(self, i: int, indent: int, top: bool = False) -> tuple[LocatedList, int]:
        rows = self.rows
        out = LocatedList()
        out.file, out.line, out.item_lines = self.file, rows[i][0], []
        while (
            i < len(rows)
            and rows[i][1] == indent
            and (rows[i][2] == "-" or rows[i][2].startswith("- "))
        ):
            start = i
            try:
                item, line, i = self.item(i, indent)
            except _Unsupported:
                if not top:
                    raise
                item, line, i = self.by_pyyaml(start)
            out.append(item)
            out.item_lines.append(line)
        if self._deeper(i, indent):
            raise _Unsupported("bad indentation")
        return out, i

    def item(self, i: int, indent: int) -> tuple[Any, int, int]:
        row = self.rows[i]
        rest = row[2][1:].lstrip(" ")
        if not rest or rest[0] == "#" or rest.startswith(("- ", "? ")) or rest == "-":
            raise _Unsupported("nested or empty item")
        if rest[0] not in "\"'[" and _KEY.match(rest):
            inner = indent + len(row[2]) - len(rest)
            self.rows[i] = [row[0], inner, rest]
            try:
                node, j = self.mapping(i, inner)
            finally:
                self.rows[i] = row
            return node, row[0], j
        if self._deeper(i + 1, indent):
            raise _Unsupported("continued scalar")
        if _simple_double(rest):
            return rest[1:-1], row[0], i + 1
        return self.value(rest, row[0]), row[0], i + 1

    def mapping(self, i: int, indent: int) -> tuple[LocatedDict, int]:
        rows = self.rows
        out = LocatedDict()
        out.file, out.line, out.key_lines = self.file, rows[i][0], {}
        while i < len(rows) and rows[i][1] == indent:
            line, _, content = rows[i]
            m = _KEY.match(content)
            if not m:
                raise _Unsupported(content)
            key, rest = m.group(1), m.group(2)
            if key in out or (key not in _STR_KEYS and not _str_key(key)):
                raise _Unsupported(key)
            i += 1
            if rest and rest[0] != "#":
                if i < len(rows) and rows[i][1] > indent:
                    raise _Unsupported("continued scalar")
                if _simple_double(rest):
                    value: Any = rest[1:-1]
                else:
                    value = self.value(rest, line)
            elif self._deeper(i, indent):
                value, i = self.block(i, rows[i][1])
            elif (
                i < len(rows)
                and rows[i][1] == indent
                and (rows[i][2] == "-" or rows[i][2].startswith("- "))
            ):
                value, i = self.seq(i, indent)
            else:
                value = None
            out[key] = value
            out.key_lines[key] = line
        if self._deeper(i, indent):
            raise _Unsupported("bad indentation")
        return out, i

    def by_pyyaml(self, i: int) -> tuple[Any, int, int]:
        """Hand the top-level record at row ``i`` to PyYAML (lines kept by padding)."""
        j = i + 1
        while j < len(self.rows) and self.rows[j][1] > 0:
            j += 1
        first = self.rows[i][0]
        last = self.rows[j][0] - 1 if j < len(self.rows) else len(self.raw)
        chunk = "\n" * (first - 1) + "\n".join(self.raw[first - 1 : last]) + "\n"
        try:
            doc = _yaml_loads(chunk, self.file)
        except DataError as exc:
            raise _Unsupported("error") from exc
        if not isinstance(doc, LocatedList) or len(doc) != 1:
            raise _Unsupported("record")
        return doc[0], doc.item_lines[0], j


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
