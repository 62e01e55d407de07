"""Reading typed fields out of located YAML records, collecting every problem found.

Every getter checks the type the format documents (text, whole number, true/false, list,
mapping, IRI, DOI) and records a :class:`~mlcryst.errors.DataError` naming file, line, record
and field, saying what it found and what it expected, instead of raising.

>>> from mlcryst.load.yamlio import loads
>>> errors = []
>>> rec = Fields(loads("year: 19x7\\nvolume: 076\\n", "p.yaml"), "paper 1", errors)
>>> rec.integer("year") is None, str(errors[0])
(True, "p.yaml:1: paper 1: year: expected a whole number, got '19x7'")
>>> rec.integer("volume") is None
True
>>> print(errors[1])  # doctest: +ELLIPSIS
p.yaml:2: paper 1: volume: 076 has a leading zero: write 76; YAML 1.1 readers take 076 as ...
"""

from __future__ import annotations

import re
from typing import Any

from mlcryst.builder.iris import doi_problem, iri_problem
from mlcryst.errors import DataError
from mlcryst.load.records import Where
from mlcryst.load.yamlio import LocatedDict, LocatedList, Numeral

#: pages as "first–last" (en dash or hyphen): ASCII digits, no leading zero, at most 9 digits
PAGES = re.compile(r"^([1-9][0-9]{0,8})\s*[–-]\s*([1-9][0-9]{0,8})$")
_LOOSE_PAGES = re.compile(r"^\s*(\S+?)\s*[–-]\s*(\S+?)\s*$")
_SEXAGESIMAL = re.compile(r"^[0-9]+(?::[0-5]?[0-9])+$")
#: the largest whole number any field takes (volumes, rows, first volumes)
MAX_NUMBER = 999_999_999


def describe_value(value: Any) -> str:
    """What a YAML value is, for a message: ``'abc'``, ``the number 5``, ``a list``, ..."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, (int, float, Numeral)):
        return f"the number {value!r}"
    if isinstance(value, list):
        return f"a list of {len(value)} item(s)"
    if isinstance(value, dict):
        return "a mapping (field: value)"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "...'"


def text_problem(value: Any, multiline: bool = False) -> str | None:
    """What is wrong with ``value`` as a text field, or None when it is fine text."""
    if not isinstance(value, str):
        hint = ""
        if isinstance(value, (bool, int, float, Numeral)):
            hint = " (put it in quotes if it is meant as text)"
        return f"expected text, got {describe_value(value)}{hint}"
    if not value.strip():
        return f"expected non-empty text, got {describe_value(value)}"
    if not multiline and ("\n" in value or "\t" in value):
        return f"a line break or tab in one-line text: {describe_value(value)}"
    if value != value.strip() or "  " in value:
        return f"stray white space in {describe_value(value)}"
    return None


class Fields:
    """One record of a data file; each getter records a DataError instead of raising."""

    def __init__(
        self, raw: Any, record: str, errors: list[DataError], *, file: str = "", line: int = 0
    ) -> None:
        """``raw``: the record's mapping; ``file`` and ``line``: where it is (its key's line)."""
        self.record = record
        self.errors = errors
        if isinstance(raw, LocatedDict):
            self.raw: dict[str, Any] = raw
            # a keyed record (journals, catalogue) is named by the line of its key
            self.file, self.line = raw.file, line or raw.line
        else:
            self.raw = {}
            self.file, self.line = file, line
            what = "missing" if raw is None else f"got {describe_value(raw)}"
            errors.append(
                DataError(
                    f"expected a mapping of field: value, {what}",
                    file=file,
                    line=line,
                    record=record,
                )
            )
        self.used: set[str] = set()

    @property
    def where(self) -> Where:
        return Where(self.file, self.line)

    def line_of(self, key: str) -> int:
        """The line of the field ``key``, or of the record when the field is absent."""
        raw = self.raw
        if isinstance(raw, LocatedDict) and key in raw.key_lines:
            return raw.key_lines[key]
        return self.line

    def was_nfc(self, key: str) -> bool:
        """Whether the field's key and text were NFC as written (see ``yamlio``)."""
        return key not in getattr(self.raw, "changed", ())

    def error(self, key: str | None, message: str, line: int | None = None) -> None:
        if line is None:
            line = self.line_of(key) if key else self.line
        self.errors.append(
            DataError(message, file=self.file, line=line, record=self.record, field=key)
        )

    def get(self, key: str, required: bool = True) -> Any:
        self.used.add(key)
        if key not in self.raw or self.raw[key] is None:
            if required:
                self.error(key, "missing required field")
            return None
        return self.raw[key]

    def text(self, key: str, required: bool = True, multiline: bool = False) -> str | None:
        """A text field: non-empty, no stray white space, one line unless ``multiline``."""
        value = self.get(key, required)
        if value is None:
            return None
        problem = text_problem(value, multiline)
        if problem:
            self.error(key, problem)
            return None
        assert isinstance(value, str)
        return value

    def choice(self, key: str, options: tuple[str, ...], required: bool = True) -> str | None:
        """A text field that must be one of ``options``."""
        value = self.text(key, required)
        if value is not None and value not in options:
            self.error(key, f"expected one of {', '.join(options)}, got {describe_value(value)}")
            return None
        return value

    def integer(
        self, key: str, required: bool = True, minimum: int = 0, maximum: int = MAX_NUMBER
    ) -> int | None:
        """A whole number from ``minimum`` to ``maximum``, written in plain decimal."""
        value = self.get(key, required)
        if value is None:
            return None
        if isinstance(value, Numeral):
            self.error(key, value.problem())
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            hint = ""
            if isinstance(value, str) and _SEXAGESIMAL.match(value):
                hint = " (YAML 1.1 readers would take it as a base-60 number)"
            self.error(key, f"expected a whole number, got {describe_value(value)}{hint}")
            return None
        if not minimum <= value <= maximum:
            self.error(key, f"expected a whole number from {minimum} to {maximum}, got {value}")
            return None
        return int(value)

    def year(self, key: str = "year", required: bool = True) -> int | None:
        value = self.integer(key, required, minimum=-(10**9))
        if value is not None and not 1000 <= value <= 9999:
            self.error(key, f"expected a four-digit year, got {value}")
            return None
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.get(key, required=False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(key, f"expected true or false, got {describe_value(value)}")
            return default
        return value

    def pages(self, key: str = "pages", required: bool = True) -> tuple[int, int] | None:
        """Pages "first–last": positive whole numbers, no leading zero, first <= last."""
        value = self.get(key, required)
        if value is None:
            return None
        return self.page_range(key, value)

    def page_range(self, key: str, value: Any) -> tuple[int, int] | None:
        if not isinstance(value, str):
            self.error(
                key, f"expected pages as first–last (e.g. 13–18), got {describe_value(value)}"
            )
            return None
        m = PAGES.match(value)
        if not m:
            loose = _LOOSE_PAGES.match(value)
            why = "positive whole numbers without leading zeros"
            digits = loose and all(p.isdigit() and p.isascii() for p in loose.groups())
            if loose and digits and "0" in (loose.group(1)[0], loose.group(2)[0]):
                why = "page numbers start at 1 and have no leading zeros"
            self.error(key, f"expected pages as first–last (e.g. 13–18), {why}; got {value!r}")
            return None
        first, last = int(m.group(1)), int(m.group(2))
        if last < first:
            self.error(key, f"last page {last} is before first page {first}")
            return None
        return first, last

    def seq(self, key: str, required: bool = True) -> LocatedList | None:
        """A list field (possibly empty)."""
        value = self.get(key, required)
        if value is None:
            return None
        if not isinstance(value, LocatedList):
            self.error(key, f"expected a list, got {describe_value(value)}")
            return None
        return value

    def mapping(self, key: str, required: bool = True) -> LocatedDict | None:
        """A mapping field (``name: value`` lines below it)."""
        value = self.get(key, required)
        if value is None:
            return None
        if not isinstance(value, LocatedDict):
            self.error(key, f"expected a mapping (name: value), got {describe_value(value)}")
            return None
        return value

    def text_list(self, key: str, required: bool = True) -> list[str]:
        """A list of text items (possibly empty); each bad item is named with its line."""
        value = self.seq(key, required)
        if value is None:
            return []
        out: list[str] = []
        for i, item in enumerate(value):
            problem = text_problem(item)
            if problem:
                self.error(key, f"item {i + 1}: {problem}", value.line_of(i))
            else:
                out.append(item)
        return out if len(out) == len(value) else []

    def iri(
        self, key: str, required: bool = True, schemes: tuple[str, ...] = ("http", "https")
    ) -> str | None:
        """An absolute IRI (RFC 3987) of one of ``schemes``, e.g. ``https://journals.iucr.org/``.

        Web addresses (homepages, collection URLs) become links on the interactive page, so
        they are http(s) only: no ``javascript:`` or ``data:``.
        """
        value = self.text(key, required)
        if value is None:
            return None
        problem = iri_problem(value)
        scheme = value.partition(":")[0].lower()
        if problem is None and schemes and scheme not in schemes:
            problem = f"expected an IRI of scheme {' or '.join(schemes)}, not {scheme}:"
        if problem:
            self.error(key, f"{value[:200]!r}: {problem}")
            return None
        return value

    def doi(self, key: str = "doi", required: bool = False) -> str | None:
        """A DOI name, ``10.1107/...``."""
        value = self.text(key, required)
        if value is None:
            return None
        problem = doi_problem(value)
        if problem:
            self.error(key, f"{value[:200]!r}: {problem}")
            return None
        return value

    def finish(self, allowed: set[str] | None = None) -> None:
        """Flag fields nobody asked for (usually a typo in a field name)."""
        extra = set(self.raw) - self.used - (allowed or set())
        for key in sorted(extra):
            self.error(key, "unknown field (misspelt?)")
