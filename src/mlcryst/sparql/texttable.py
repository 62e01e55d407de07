"""The aligned plain-text table that ``mlcryst query`` prints, whichever store answered.

No rdflib or Oxigraph here: the caller turns its terms into cell strings first.

>>> print(aligned(["s", "o"], [["urn:x", "1"]], width=80), end="")
s      o
-----  -
urn:x  1
>>> clip("https://w3id.org/mlcryst/paper/acta-a-33-13", 16)
'…er/acta-a-33-13'
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence

#: the widest a cell gets, however wide the terminal
MAX_CELL = 70


def clip(text: str, width: int) -> str:
    """``text`` on one line, at most ``width`` characters; an IRI keeps its end."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    if "://" in text and " " not in text:
        return "…" + text[len(text) - width + 1 :]  # an IRI: its end tells IRIs apart
    return text[: width - 1] + "…"


def aligned(names: Sequence[str], body: Sequence[Sequence[str]], width: int | None = None) -> str:
    """A header, a rule and one line per row; cells are clipped to fit ``width`` (default:
    the terminal's)."""
    total = width or shutil.get_terminal_size((120, 24)).columns
    limit = max(12, min(MAX_CELL, (total - 2 * len(names)) // max(1, len(names)) * 2))
    rows = [[clip(c, limit) for c in row] for row in body]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = [
        "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    return "\n".join(lines) + "\n"
