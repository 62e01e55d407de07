"""Rendering of :class:`~mlcryst.visual.stats.Stats`: aligned text for a terminal, one CSV per
table, or one JSON document.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlcryst.visual.stats import Stats
    from mlcryst.visual.stats_tables import GapMap


def _cell(value: Any, width: int | None = None) -> str:
    text = f"{value:.3f}" if isinstance(value, float) else str(value)
    if width is not None and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def _matrix_text(gm: GapMap) -> str:
    """The gap map as rows with numbered columns and a legend ('·' marks a zero); each family
    indented under the family it belongs to, whose counts include it."""
    labels = [_cell(label, 34) for label in gm.indented()]
    w = max([len(x) for x in labels] + [len("method family")])
    header = (
        "method family".ljust(w) + " " + " ".join(f"{j:>3}" for j in range(1, len(gm.areas) + 1))
    )
    lines = [header]
    for label, row in zip(labels, gm.counts, strict=True):
        lines.append(
            label.ljust(w) + " " + " ".join(f"{('·' if v == 0 else str(v)):>3}" for v in row)
        )
    legend = "; ".join(f"{j} {c}" for j, c in enumerate(gm.areas, 1))
    return "\n".join([*lines, "columns: " + legend])


def render_text(stats: Stats, *, max_rows: int = 15) -> str:
    """Aligned tables for a terminal: long tables cut at ``max_rows`` rows, long cells cut
    with "…" (only here: CSV and JSON give every row and cell in full)."""
    out: list[str] = []
    for t in stats.tables.values():
        if not t.text:
            continue
        out.append(f"== {t.title}")
        if t.name == "gap-map":
            out.append(_matrix_text(stats.gap_map))
            out.append("")
            continue
        rows = [[_cell(v, 60) for v in r] for r in t.rows[:max_rows]]
        widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(t.columns)]
        numeric = [
            all(isinstance(r[i], (int, float)) for r in t.rows) for i in range(len(t.columns))
        ]

        def fmt(
            cells: Sequence[str], widths: list[int] = widths, numeric: list[bool] = numeric
        ) -> str:
            return "  ".join(
                c.rjust(w) if num else c.ljust(w)
                for c, w, num in zip(cells, widths, numeric, strict=True)
            ).rstrip()

        out.append(fmt(list(t.columns)))
        out.append(fmt(["-" * w for w in widths]))
        out += [fmt(r) for r in rows]
        if len(t.rows) > max_rows:
            out.append(f"… {len(t.rows) - max_rows} more rows (all of them: --format csv/json)")
        out.append("")
    return "\n".join(out)


def render_csv(stats: Stats) -> dict[str, str]:
    """One CSV text per table, keyed by file name (``{table}.csv``)."""
    files: dict[str, str] = {}
    for t in stats.tables.values():
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(t.columns)
        writer.writerows(t.rows)
        files[f"{t.name}.csv"] = buf.getvalue()
    return files


def render_json(stats: Stats) -> str:
    """All tables as one JSON document: ``{"tables": {name: {title, columns, rows}}}``."""
    doc = {
        "tables": {
            t.name: {"title": t.title, "columns": list(t.columns), "rows": t.records()}
            for t in stats.tables.values()
        }
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
