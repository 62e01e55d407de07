"""Typed records of the curated data, and the small pure helpers that format them.

>>> format_author_list(["Li, Z.", "Li, B."])
'Li, Z. & Li, B.'
>>> split_name("van Beek, W.")
('van Beek', 'W.')
>>> slug("Juhás, P.")
'juhas-p'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Letters that NFKD does not decompose into a base letter plus accents.
_TRANSLIT = str.maketrans(
    {
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
    }
)


def slug(text: str) -> str:
    """A readable, ASCII, hyphenated IRI segment derived from ``text``.

    Not cached here: a process-wide cache would keep the names of every collection it ever
    loaded (callers that slug many names keep a cache for one load)."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    ascii_text = "".join(c for c in ascii_text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def split_name(printed: str) -> tuple[str, str]:
    """Split a printed "Family, I. N." name into family name and initials."""
    family, _, initials = printed.partition(", ")
    return family, initials


def display_name(printed: str) -> str:
    """ "Billinge, S. J. L." -> "S. J. L. Billinge"; an organisation name stays as it is."""
    family, initials = split_name(printed)
    return f"{initials} {family}" if initials else family


def format_author_list(names: list[str] | tuple[str, ...]) -> str:
    """Join printed author names the way IUCr citations do ("A., B. & C.")."""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " & " + names[-1]


@dataclass(frozen=True)
class Where:
    """The file and line a record (or one of its fields) came from."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Journal:
    key: str
    title: str
    abbreviation: str
    where: Where
    comma_after_title: bool = False
    first_year: int | None = None
    first_volume: int | None = None
    issn: tuple[str, ...] = ()  # print and online ISSNs, where the curators give them


@dataclass(frozen=True)
class AuthorRef:
    """One author as printed in one author list, and which person it is."""

    name: str
    person: str  # the person id (IRI slug)
    where: Where


@dataclass(frozen=True)
class Paper:
    """A journal article: a Table 1 row (``row`` set) or a later addition.

    Its methods and problems come from the Table 1 cells (``approach``, ``problem``: free text,
    tagged by :mod:`mlcryst.builder.tagging`), from explicit concept lists (``methods``,
    ``problems``: CURIEs such as ``mlm:deep-learning``), or both; a cell is "" when the record
    gives only the list.
    """

    journal: str
    year: int
    volume: int
    first_page: int
    last_page: int
    authors: tuple[AuthorRef, ...]
    problem: str
    approach: str
    where: Where
    row: int | None = None
    data_sources: tuple[str, ...] = ()
    title: str | None = None
    doi: str | None = None
    source: str | None = None
    #: the explicit concept lists: CURIEs of the methods and problems schemes, as written
    methods: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    #: line of each field in its data file, so errors can point at the field itself
    field_lines: tuple[tuple[str, int], ...] = ()

    def line_of(self, name: str) -> int:
        """The line of a field (``"problem"``), or of one list item (``"methods[0]"``)."""
        lines = dict(self.field_lines)
        return lines.get(name, lines.get(name.partition("[")[0], self.where.line))

    @property
    def record(self) -> str:
        """How messages name the record: "Table 1 row 3", or the paper's key."""
        return f"Table 1 row {self.row}" if self.row is not None else f"paper {self.key}"

    @property
    def key(self) -> str:
        """The IRI slug: journal, volume and first page identify an article."""
        return f"{self.journal}-{self.volume}-{self.first_page}"

    @property
    def pages(self) -> str:
        return f"{self.first_page}–{self.last_page}"

    def short_label(self) -> str:
        """ "Feigenbaum et al. (1977)", "Li & Li (2019)", "Christensen (2002)"."""
        fams = [a.name.partition(", ")[0] for a in self.authors]
        if len(fams) == 1:
            who = fams[0]
        elif len(fams) == 2:
            who = f"{fams[0]} & {fams[1]}"
        else:
            who = f"{fams[0]} et al."
        return f"{who} ({self.year})"


@dataclass(frozen=True)
class Variant:
    form: str
    seen_in: str


@dataclass(frozen=True)
class Person:
    id: str
    name: str  # preferred printed form, "Family, I."
    where: Where | None = None
    given_name: str | None = None
    variants: tuple[Variant, ...] = ()
    note: str | None = None
    is_organization: bool = False
    orcid: str | None = None  # https://orcid.org/..., where the curators give it

    @property
    def family_name(self) -> str:
        return split_name(self.name)[0]


@dataclass(frozen=True)
class Reference:
    """One entry of the editorial's reference list."""

    key: str
    citation: str
    type: str
    table1: bool
    authors: tuple[AuthorRef, ...]
    year: int
    where: Where
    year_suffix: str = ""
    journal: str | None = None
    volume: int | None = None
    pages: str | None = None
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    doi: str | None = None
    identifier: str | None = None
    note: str | None = None

    @property
    def first_page(self) -> str | None:
        return self.pages.split("–")[0] if self.pages else None


@dataclass(frozen=True)
class Database:
    key: str
    title: str
    acronym: str
    described_by: str
    where: Where


@dataclass(frozen=True)
class Standard:
    key: str
    title: str
    acronym: str
    where: Where


@dataclass(frozen=True)
class Software:
    key: str
    title: str
    where: Where
    homepage: str | None = None
    described_by: str | None = None
    derived_from: str | None = None
    method: str | None = None


@dataclass(frozen=True)
class Editorial:
    title: str
    authors: tuple[AuthorRef, ...]
    keywords: tuple[str, ...]
    collection_title: str
    collection_url: str
    related_collection_title: str
    related_collection_url: str
    table_caption: str
    table_columns: tuple[str, ...]
    abbreviations: tuple[tuple[str, str], ...]
    where: Where


@dataclass(frozen=True)
class Override:
    """A curated mapping of one table phrase to concepts (possibly none)."""

    phrase: str
    column: str  # "approach" | "problem"
    concepts: tuple[str, ...]  # CURIEs, e.g. "mlm:supervised-learning"
    why: str
    where: Where


@dataclass
class Dataset:
    """Everything in ``data/``, checked for internal consistency."""

    journals: dict[str, Journal]
    papers: list[Paper]
    people: dict[str, Person]
    references: list[Reference]
    databases: dict[str, Database]
    standards: dict[str, Standard]
    software: dict[str, Software]
    editorial: Editorial
    overrides: list[Override]
    source_dir: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    def table1(self) -> list[Paper]:
        """The Table 1 papers in row order."""
        return sorted((p for p in self.papers if p.row is not None), key=lambda p: p.row or 0)

    def citation(self, paper: Paper) -> str:
        """The citation of a paper, formatted as the editorial prints it."""
        j = self.journals[paper.journal]
        sep = "," if j.comma_after_title else ""
        names = format_author_list([a.name for a in paper.authors])
        return f"{names} ({paper.year}). {j.abbreviation}{sep} {paper.volume}, {paper.pages}."
