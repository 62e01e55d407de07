"""Safe YAML reading that remembers where every value came from.

The data files are read under strict rules, the same on the fast path and on PyYAML's:

* only ordinary files, at most ``budgets().data_file_bytes`` of UTF-8 text (``limits.py``);
* no refused character anywhere (:mod:`mlcryst.load.text`: control, invisible, format, ...);
* no anchors, aliases or tags, no more than ``budgets().yaml_depth`` levels of nesting,
  one document per file, no duplicate keys; mapping keys are the text written;
* plain scalars are read by the YAML 1.2 core schema (``yes``/``on`` and ``2019-01-02`` are
  text, ``076`` is not octal), except that a whole number written with leading zeros, a sign
  or a base prefix is a :class:`Numeral` that every field refuses;
* every string is NFC; the keys (mapping) or indices (list) whose text was not NFC as written
  are in ``changed``, so a collision can name the line that was edited.

>>> doc = loads("- a: 1\\n  b: two\\n", "x.yaml")
>>> doc[0]["b"], doc[0].line_of("b")
('two', 2)
>>> loads("v: 076", "x.yaml")["v"], loads("v: yes", "x.yaml")["v"], loads("v: 1e3", "x.yaml")["v"]
(076, 'yes', 1000.0)
>>> try:
...     loads("a: &x 1\\nb: *x\\n", "x.yaml")
... except DataError as exc:
...     print(exc)  # doctest: +ELLIPSIS
x.yaml:1: YAML anchor '&x' refused: the data files do not use anchors or aliases (write ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mlcryst.errors import DataError
from mlcryst.limits import ENVIRONMENT, budgets
from mlcryst.load.datafile import read_data_file
from mlcryst.load.text import describe, line_column, nfc, refused


class LocatedDict(dict):  # type: ignore[type-arg]
    """A mapping that knows the file and line of itself and of each key."""

    file: str
    line: int
    key_lines: dict[str, int]
    #: keys whose key or text value was not NFC as written (normalised on reading)
    changed: frozenset[str] | set[str] = frozenset()

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list):  # type: ignore[type-arg]
    """A sequence that knows the file and line of itself and of each item."""

    file: str
    line: int
    item_lines: list[int]
    #: indices of the text items that were not NFC as written (normalised on reading)
    changed: frozenset[int] | set[int] = frozenset()

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


@dataclass(frozen=True)
class Numeral:
    """A plain scalar that YAML 1.2 reads as a whole number but YAML 1.1 readers read
    differently, or that is too long to be one: ``076`` (octal 62 in YAML 1.1), ``+5``,
    ``0x1F``, ``0o17``, twenty digits. Every field refuses it, with :meth:`problem`."""

    text: str

    def __repr__(self) -> str:
        return self.text

    def problem(self) -> str:
        t = self.text
        if t.lstrip("+-").startswith(("0x", "0o")):
            return f"{t} is written with a base prefix: write the whole number in decimal"
        digits = t.lstrip("+-")
        if len(digits) > 18:
            return f"{t[:20]}... has {len(digits)} digits: too large to be a count or number"
        if t.startswith("+"):
            return f"{t} has a plus sign: write {int(t)}"
        octal = ""
        if digits.strip("01234567") == "":
            octal = f"; YAML 1.1 readers take {t} as the octal number {int(t, 8)}"
        return f"{t} has a leading zero: write {int(t)}{octal}"


_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})\Z")
_OTHER_INT = re.compile(r"[-+]?[0-9]+\Z|0o[0-7]+\Z|0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z"
    r"|[-+]?\.(?:inf|Inf|INF)\Z|\.(?:nan|NaN|NAN)\Z"
)


def resolve_plain(text: str) -> Any:
    """The value of a plain (unquoted) scalar: the YAML 1.2 core schema, with :class:`Numeral`.

    >>> [resolve_plain(t) for t in ("~", "No", "TRUE", "12", "-0", "1:15", "2019-01-02")]
    [None, 'No', True, 12, 0, '1:15', '2019-01-02']
    >>> [resolve_plain(t) for t in ("076", "0x1F", ".inf", "1e3")]
    [076, 0x1F, inf, 1000.0]
    """
    if text in _NULL:
        return None
    flag = _BOOL.get(text)
    if flag is not None:
        return flag
    if text[0] in "-+.0123456789":
        if _INT.match(text):
            return int(text)
        if _OTHER_INT.match(text):
            return Numeral(text)
        if _FLOAT.match(text):
            return float(text.replace(".", "", 1) if text[-1] in "fFnN" else text)
    return text


#: libyaml's C parser when PyYAML was built with it (about 10x faster), else pure Python.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Only the parser is used: :func:`_compose` makes the values from its events."""


def _tag_text(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


class _Composer:
    """Makes located values from the parser's events, refusing what the data never needs.

    Iterative (an explicit stack), so no nesting the depth budget allows can exhaust Python's
    recursion limit.
    """

    def __init__(self, loader: Any, file: str, max_depth: int) -> None:
        self.loader, self.file, self.max_depth = loader, file, max_depth

    def fail(self, message: str, mark: Any) -> DataError:
        return DataError(message, file=self.file, line=mark.line + 1)

    def document(self) -> Any:
        loader = self.loader
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            return None
        loader.get_event()  # document start
        root = self.node()
        loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            raise self.fail(
                "a second YAML document (after ---): a data file holds one document",
                loader.peek_event().start_mark,
            )
        return root

    def refuse_extras(self, event: Any) -> None:
        if isinstance(event, yaml.AliasEvent):
            raise self.fail(
                f"YAML alias '*{event.anchor}' refused: the data files do not use anchors or "
                "aliases (write the value out)",
                event.start_mark,
            )
        if event.anchor is not None:
            raise self.fail(
                f"YAML anchor '&{event.anchor}' refused: the data files do not use anchors or "
                "aliases (write the value out)",
                event.start_mark,
            )
        if event.tag is not None:
            raise self.fail(
                f"YAML tag '{_tag_text(event.tag)}' refused: the data files use no tags "
                "(write plain values; quote text that looks like something else)",
                event.start_mark,
            )

    def scalar(self, event: Any) -> tuple[Any, bool]:
        """The value of a scalar event and whether its text was NFC as written."""
        if event.style in (None, "") and event.implicit[0]:
            value = resolve_plain(event.value)
            if not isinstance(value, str):
                return value, True
        else:
            value = event.value
            if event.style == '"':  # escapes can write any character
                bad = refused(value, 1)
                if bad:
                    raise self.fail(
                        f"{describe(bad[0][1])} (written as an escape) refused: curated text "
                        "must not contain invisible, format or control characters",
                        event.start_mark,
                    )
        return nfc(value)

    def node(self) -> Any:
        loader = self.loader
        # each frame: [container, pending key or None, line of that key]
        stack: list[list[Any]] = []
        while True:
            event = loader.get_event()
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                value, was_nfc = stack.pop()[0], True
                line = value.line
            else:
                self.refuse_extras(event)
                line = event.start_mark.line + 1
                is_key = bool(stack) and isinstance(stack[-1][0], dict) and stack[-1][1] is None
                if isinstance(event, yaml.ScalarEvent):
                    if is_key:
                        self.key(stack[-1], event)
                        continue
                    value, was_nfc = self.scalar(event)
                else:
                    if is_key:
                        raise self.fail("a mapping key must be text", event.start_mark)
                    if len(stack) >= self.max_depth:
                        raise self.fail(
                            f"nested more than {self.max_depth} levels deep (the YAML depth "
                            f"budget; {_env('yaml_depth')} raises it)",
                            event.start_mark,
                        )
                    box: LocatedDict | LocatedList
                    if isinstance(event, yaml.MappingStartEvent):
                        box = LocatedDict()
                        box.key_lines = {}
                    else:
                        box = LocatedList()
                        box.item_lines = []
                    box.file, box.line = self.file, line
                    stack.append([box, None, 0])
                    continue
            if not stack:
                return value
            self.put(stack[-1], value, line, was_nfc)

    def key(self, frame: list[Any], event: Any) -> None:
        box: LocatedDict = frame[0]
        key, was_nfc = nfc(event.value)
        line = event.start_mark.line + 1
        if not key:
            raise self.fail("an empty mapping key", event.start_mark)
        if key in box:
            other = box.key_lines[key]
            if not was_nfc or key in box.changed:
                edited, kept = (line, other) if not was_nfc else (other, line)
                raise self.fail(
                    f"duplicate key {key!r}: line {edited} writes it in decomposed Unicode "
                    f"(not NFC), which reads the same as the key at line {kept}",
                    event.start_mark,
                )
            raise self.fail(f"duplicate key {key!r} (first at line {other})", event.start_mark)
        frame[1], frame[2] = key, line
        if not was_nfc:
            frame.append(key)  # remembered until the value is put

    def put(self, frame: list[Any], value: Any, line: int, was_nfc: bool) -> None:
        box = frame[0]
        if isinstance(box, LocatedList):
            if not was_nfc:
                box.changed = {*box.changed, len(box)}
            box.append(value)
            box.item_lines.append(line)
            return
        key = frame[1]
        box[key] = value
        box.key_lines[key] = frame[2]
        if not was_nfc or len(frame) > 3:
            box.changed = {*box.changed, key}
        del frame[3:]
        frame[1] = None


def _env(name: str) -> str:
    var = next(v for v, f in ENVIRONMENT.items() if f == name)
    return f"the environment variable {var}"


def loads(text: str, file: str, max_depth: int | None = None) -> Any:
    """Parse YAML text under the rules above; errors name the file and line.

    The block-style subset the data files use is read by a fast path (:class:`_Fast`) that
    gives exactly what :class:`_Composer` gives; a top-level record it does not handle, and
    any file with an error or with text that is not NFC, go through the composer, so values,
    lines and messages are always the composer's.
    """
    depth = budgets().yaml_depth if max_depth is None else max_depth
    check_characters(text, file)
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark at the very start is allowed (YAML 1.2)
    if text.isascii() or nfc(text)[1]:
        try:
            return _Fast(text, file, depth).document()
        except (_Unsupported, RecursionError):
            pass
    return _yaml_loads(text, file, depth)


def check_characters(text: str, file: str) -> None:
    """Refuse a text with any refused character (:mod:`mlcryst.load.text`), naming line and
    column."""
    found = refused(text[1:] if text.startswith("\ufeff") else text)
    if not found:
        return
    offset = 1 if text.startswith("\ufeff") else 0
    problems = []
    for index, ch in found:
        line, column = line_column(text, index + offset)
        m = _field_of(text, text.rfind("\n", 0, index + offset) + 1)
        problems.append(
            DataError(
                f"{describe(ch)} at column {column} refused: curated text must not contain "
                "invisible, format or control characters (delete it, or write the visible "
                "character meant)",
                file=file,
                line=line,
                field=m.group(1) if m else None,
            )
        )
    if len(problems) == 1:
        raise problems[0]
    from mlcryst.errors import DataErrors

    raise DataErrors(problems)


def _field_of(text: str, start: int) -> re.Match[str] | None:
    """The key on the line at ``start``, or on the nearest line above indented less."""
    indent = len(text) - start
    for _ in range(1000):
        end = text.find("\n", start)
        line = text[start : end if end >= 0 else len(text)]
        spaces = len(line) - len(line.lstrip(" "))
        if line.strip() and not line.lstrip().startswith("#") and spaces < indent:
            m = _FIELD_AT.match(text, start)
            if m:
                return m
            indent = spaces
        if start == 0:
            return None
        start = text.rfind("\n", 0, start - 1) + 1
    return None


_FIELD_AT = re.compile(r"[ \t]*(?:- +)*([A-Za-z0-9_][A-Za-z0-9_.-]*):(?:[ \t]|$)", re.M)


def _yaml_loads(text: str, file: str, max_depth: int | None = None) -> Any:
    """The composer's reading of ``text`` (what the fast path must agree with)."""
    depth = budgets().yaml_depth if max_depth is None else max_depth
    loader = _Loader(text)
    try:
        return _Composer(loader, file, depth).document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = f" (column {mark.column + 1})" if mark else ""
        problem = exc.problem or exc
        raise DataError(f"not valid YAML: {problem}{column}", file=file, line=line) from exc
    except yaml.YAMLError as exc:
        raise DataError(f"not valid YAML: {exc}", file=file) from exc
    finally:
        loader.dispose()


class _Unsupported(Exception):
    """The fast path does not handle this text: the composer must read it."""


_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_.-]*):(?: +(.*))?$")
_DOUBLE = re.compile(r'"([^"\\]*)"(?: +#.*)?$')
_SINGLE = re.compile(r"'((?:[^']|'')*)'(?: +#.*)?$")
_FLOW_SEQ = re.compile(r"\[([^\[\]{}\"'#:]*)\](?: +#.*)?$")
_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")


def _simple_double(text: str) -> bool:
    """A double-quoted scalar without escapes: its value is the text between the quotes."""
    return (
        len(text) > 1
        and text[0] == '"'
        and text[-1] == '"'
        and '"' not in text[1:-1]
        and "\\" not in text
    )


class _Fast:
    """A reader of block mappings and sequences of one-line scalars, with the composer's result.

    Anything else (block or multi-line scalars, flow mappings, anchors, tags, escapes,
    duplicate keys, odd indentation, nesting over the depth budget) raises
    :class:`_Unsupported`. In a file that is a sequence of records, only the record concerned
    is then handed to the composer.
    """

    def __init__(self, text: str, file: str, max_depth: int) -> None:
        if "\r" in text:
            raise _Unsupported("carriage return")
        self.text, self.file, self.max_depth = text, file, max_depth
        self.cache: dict[str, Any] = {}  # plain scalar text -> value
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

    def plain(self, text: str) -> Any:
        """The value of a one-line plain scalar (see :func:`resolve_plain`)."""
        try:
            return self.cache[text]
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
        value = self.cache[text] = resolve_plain(text)
        return value

    def document(self) -> Any:
        if not self.rows or self.rows[0][1] != 0:
            raise _Unsupported("empty or indented document")
        node, i = self.block(0, 0, 1, top=True)
        if i != len(self.rows):
            raise _Unsupported("trailing content")
        return node

    def block(self, i: int, indent: int, depth: int, top: bool = False) -> tuple[Any, int]:
        if depth > self.max_depth:
            raise _Unsupported("too deep")
        content = self.rows[i][2]
        if content == "-" or content.startswith("- "):
            return self.seq(i, indent, depth, top)
        return self.mapping(i, indent, depth)

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
        cut = text.find(" #")
        return self.plain(text[:cut].rstrip() if cut >= 0 else text)

    def value(self, text: str, line: int, depth: int) -> Any:
        if text[0] == "[":
            m = _FLOW_SEQ.match(text)
            if not m or depth > self.max_depth:
                raise _Unsupported(text)
            seq = LocatedList()
            seq.file, seq.line, seq.item_lines = self.file, line, []
            inner = m.group(1).strip()
            if inner:
                for item in inner.split(","):
                    seq.append(self.plain(item.strip()))
                    seq.item_lines.append(line)
            return seq
        return self.scalar(text)

    def seq(self, i: int, indent: int, depth: int, top: bool = False) -> tuple[LocatedList, int]:
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
                item, line, i = self.item(i, indent, depth + 1)
            except _Unsupported:
                if not top:
                    raise
                item, line, i = self.by_composer(start)
            out.append(item)
            out.item_lines.append(line)
        if self._deeper(i, indent):
            raise _Unsupported("bad indentation")
        return out, i

    def item(self, i: int, indent: int, depth: int) -> tuple[Any, int, int]:
        """The item at row ``i`` of a sequence; ``depth`` is the depth it would have."""
        row = self.rows[i]
        rest = row[2][1:].lstrip(" ")
        if not rest or rest[0] == "#" or rest.startswith(("- ", "? ")) or rest == "-":
            raise _Unsupported("nested or empty item")
        if rest[0] not in "\"'[" and _KEY.match(rest):
            if depth > self.max_depth:
                raise _Unsupported("too deep")
            inner = indent + len(row[2]) - len(rest)
            self.rows[i] = [row[0], inner, rest]
            try:
                node, j = self.mapping(i, inner, depth)
            finally:
                self.rows[i] = row
            return node, row[0], j
        if self._deeper(i + 1, indent):
            raise _Unsupported("continued scalar")
        if _simple_double(rest):
            return rest[1:-1], row[0], i + 1
        return self.value(rest, row[0], depth), row[0], i + 1

    def mapping(self, i: int, indent: int, depth: int) -> tuple[LocatedDict, int]:
        rows = self.rows
        out = LocatedDict()
        out.file, out.line, out.key_lines = self.file, rows[i][0], {}
        while i < len(rows) and rows[i][1] == indent:
            line, _, content = rows[i]
            m = _KEY.match(content)
            if not m:
                raise _Unsupported(content)
            key, rest = m.group(1), m.group(2)
            if key in out:
                raise _Unsupported(key)
            i += 1
            if rest and rest[0] != "#":
                if i < len(rows) and rows[i][1] > indent:
                    raise _Unsupported("continued scalar")
                if _simple_double(rest):
                    value: Any = rest[1:-1]
                else:
                    value = self.value(rest, line, depth + 1)
            elif self._deeper(i, indent):
                value, i = self.block(i, rows[i][1], depth + 1)
            elif (
                i < len(rows)
                and rows[i][1] == indent
                and (rows[i][2] == "-" or rows[i][2].startswith("- "))
            ):
                if depth + 1 > self.max_depth:
                    raise _Unsupported("too deep")
                value, i = self.seq(i, indent, depth + 1)
            else:
                value = None
            out[key] = value
            out.key_lines[key] = line
        if self._deeper(i, indent):
            raise _Unsupported("bad indentation")
        return out, i

    def by_composer(self, i: int) -> tuple[Any, int, int]:
        """Hand the top-level record at row ``i`` to the composer (lines kept by padding)."""
        j = i + 1
        while j < len(self.rows) and self.rows[j][1] > 0:
            j += 1
        first = self.rows[i][0]
        last = self.rows[j][0] - 1 if j < len(self.rows) else len(self.raw)
        chunk = "\n" * (first - 1) + "\n".join(self.raw[first - 1 : last]) + "\n"
        try:
            doc = _yaml_loads(chunk, self.file, self.max_depth)
        except DataError as exc:
            raise _Unsupported("error") from exc
        if not isinstance(doc, LocatedList) or len(doc) != 1:
            raise _Unsupported("record")
        return doc[0], doc.item_lines[0], j


def load_file(path: Path, display: str | None = None) -> Any:
    """Read and parse one data file under the budgets in force (``limits.budgets()``)."""
    name = display or str(path)
    b = budgets()
    data = read_data_file(path, name, b.data_file_bytes)
    return loads(decode(data, name), name, b.yaml_depth)


def decode(data: bytes, name: str) -> str:
    """UTF-8 text of ``data``; a byte that is not UTF-8 is named by line and column."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[start : exc.start].decode("utf-8", "replace")) + 1
        raise DataError(
            f"not UTF-8 text: byte 0x{data[exc.start]:02X} at column {column} is "
            f"{exc.reason} (save the file as UTF-8; a Latin-1 or Windows-1252 file is not)",
            file=name,
            line=line,
        ) from exc
