"""Reading typed fields out of located YAML records, collecting every problem found.

>>> from mlcryst.yamlio import loads
>>> errors = []
>>> rec = Fields(loads("year: 19x7\\n", "p.yaml"), "paper 1", errors)
>>> rec.integer("year") is None, str(errors[0])
(True, "p.yaml:1: paper 1: year: expected a whole number, got '19x7'")
"""

from __future__ import annotations

import re
from typing import Any

from .errors import DataError
from .records import Where
from .yamlio import LocatedDict

PAGES = re.compile(r"^(\d+)\s*[–-]\s*(\d+)$")


class Fields:
    """One record of a data file; each getter records a DataError instead of raising."""

    def __init__(
        self, raw: Any, record: str, errors: list[DataError], *, file: str = "", line: int = 0
    ) -> None:
        self.record = record
        self.errors = errors
        if isinstance(raw, LocatedDict):
            self.raw: dict[str, Any] = raw
            self.file, self.line = raw.file, raw.line
        else:
            self.raw = {}
            self.file, self.line = file, line
            errors.append(
                DataError("expected a mapping of field: value", file=file, line=line, record=record)
            )
        self.used: set[str] = set()

    @property
    def where(self) -> Where:
        return Where(self.file, self.line)

    def line_of(self, key: str) -> int:
        raw = self.raw
        return raw.line_of(key) if isinstance(raw, LocatedDict) else self.line

    def error(self, key: str | None, message: str) -> None:
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

    def text(self, key: str, required: bool = True) -> str | None:
        value = self.get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(key, f"expected non-empty text, got {value!r}")
            return None
        if value != value.strip() or "  " in value:
            self.error(key, f"stray white space in {value!r}")
        return value

    def integer(self, key: str, required: bool = True, minimum: int = 0) -> int | None:
        value = self.get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"expected a whole number, got {value!r}")
            return None
        if value < minimum:
            self.error(key, f"must be at least {minimum}, got {value}")
            return None
        return value

    def year(self, key: str = "year") -> int | None:
        value = self.integer(key)
        if value is not None and not 1000 <= value <= 9999:
            self.error(key, f"expected a four-digit year, got {value}")
            return None
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.get(key, required=False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(key, f"expected true or false, got {value!r}")
            return default
        return value

    def pages(self, key: str = "pages") -> tuple[int, int] | None:
        value = self.get(key)
        if value is None:
            return None
        m = PAGES.match(str(value))
        if not m:
            self.error(key, f"expected pages as first–last (e.g. 13–18), got {value!r}")
            return None
        first, last = int(m.group(1)), int(m.group(2))
        if last < first:
            self.error(key, f"last page {last} is before first page {first}")
            return None
        return first, last

    def text_list(self, key: str, required: bool = True) -> list[str]:
        value = self.get(key, required)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(key, "expected a list of text values")
            return []
        return list(value)

    def finish(self, allowed: set[str] | None = None) -> None:
        """Flag fields nobody asked for (usually a typo in a field name)."""
        extra = set(self.raw) - self.used - (allowed or set())
        for key in sorted(extra):
            self.error(key, "unknown field (misspelt?)")
