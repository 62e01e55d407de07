"""An independent reading of the source editorial, for comparing the data and graph against it.

Deliberately separate from mlcryst's own code: it parses the seed text directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SECTIONS = {
    "Acta Crystallographica Section A": "Acta Crystallographica Section A",
    "Acta Crystallographica Section B": "Acta Crystallographica Section B",
    "Acta Crystallographica Section D": "Acta Crystallographica Section D",
    "Journal of Synchrotron Radiation": "Journal of Synchrotron Radiation",
    "IUCrJ": "IUCrJ",
}


@dataclass(frozen=True)
class SeedRow:
    row: int
    journal: str  # the section heading, e.g. "Acta Crystallographica Section A"
    year: str
    problem: str
    approach: str
    citation: str


def plain(cell: str) -> str:
    """Remove the conversion's markup: <i>, <b>, LaTeX maths, the stray space before commas."""
    cell = re.sub(r"</?[ib]>", "", cell)
    cell = cell.replace("$P(r)$", "P(r)").replace("$\\text{CO}_2$", "CO₂")
    return cell.replace(" , ", ", ")


def table1(path: Path) -> list[SeedRow]:
    rows: list[SeedRow] = []
    section = None
    for line in path.read_text(encoding="utf-8").splitlines():
        heading = re.fullmatch(r"<i>(.+)</i>\t\t\t", line)
        if heading and heading.group(1) in SECTIONS:
            section = SECTIONS[heading.group(1)]
            continue
        cells = line.split("\t")
        if len(cells) == 4 and re.fullmatch(r"\d{4}", cells[0]):
            assert section is not None
            year, problem, approach, citation = (plain(c) for c in cells)
            rows.append(SeedRow(len(rows) + 1, section, year, problem, approach, citation))
    return rows


def references(path: Path) -> list[str]:
    """The reference list entries, markup removed (Markdown emphasis and <...> around URLs)."""
    text = path.read_text(encoding="utf-8")
    refs = text.split("## References", 1)[1]
    out = []
    for line in refs.splitlines():
        if line.startswith("- "):
            entry = line[2:].replace("*", "")
            out.append(re.sub(r"<(https?://[^>]+)>", r"\1", entry))
    return out
