"""Stage 1, continued: the reference list, the catalogue of databases/standards/software,
the editorial, the tagging overrides, and the checks that span files."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DataError
from .fields import PAGES, Fields
from .load_common import (
    CURIE,
    REFERENCE_TYPES,
    SLUG,
    _authors,
    _display,
    _map,
    _seq,
)
from .records import (
    Database,
    Dataset,
    Editorial,
    Journal,
    Override,
    Reference,
    Software,
    Standard,
    Where,
    format_author_list,
)
from .yamlio import load_file

if TYPE_CHECKING:
    from .load_common import _People

CITATION_YEAR = re.compile(r"^(?P<authors>.+?) \((?P<year>\d{4})(?P<suffix>[a-z]?)\)\. ")


def load_references(
    path: Path, journals: dict[str, Journal], people: _People, errors: list[DataError]
) -> list[Reference]:
    file = _display(path)
    doc = _seq(load_file(path, file), file, errors)
    out: list[Reference] = []
    keys: set[str] = set()
    for i, raw in enumerate(doc):
        key = raw.get("key") if isinstance(raw, dict) else None
        rec = Fields(raw, f"reference {key or i + 1}", errors, file=file, line=doc.line_of(i))
        key = rec.text("key")
        citation = rec.text("citation")
        rtype = rec.text("type")
        table1 = rec.boolean("table1")
        authors = _authors(rec, "authors", people, organizations=True)
        year = rec.year()
        jkey = rec.text("journal", required=rtype == "article")
        volume = rec.integer("volume", required=rtype == "article", minimum=1)
        pages = rec.text("pages", required=rtype == "article") if rtype == "article" else None
        if isinstance(rec.raw.get("pages"), int):
            pages = str(rec.raw["pages"])
        opt = {
            k: rec.text(k, required=False)
            for k in ("title", "publisher", "url", "doi", "identifier", "note")
        }
        rec.finish()
        if key and not SLUG.match(key):
            rec.error("key", f"{key!r} must be lowercase letters, digits and hyphens")
        if key in keys:
            rec.error("key", f"duplicate reference key {key!r}")
        if rtype and rtype not in REFERENCE_TYPES:
            rec.error("type", f"unknown type {rtype!r}; expected one of {sorted(REFERENCE_TYPES)}")
        if jkey and jkey not in journals:
            rec.error("journal", f"unknown journal {jkey!r} (not in journals.yaml)")
        suffix = ""
        if citation and year:
            m = CITATION_YEAR.match(citation)
            if not m or int(m.group("year")) != year:
                rec.error("citation", f"the printed citation does not carry the year {year}")
            else:
                suffix = m.group("suffix")
        if not (key and citation and rtype and authors and year):
            continue
        keys.add(key)
        out.append(
            Reference(
                key,
                citation,
                rtype,
                table1,
                authors,
                year,
                rec.where,
                suffix,
                jkey,
                volume,
                pages,
                **opt,
            )
        )
        if rtype == "article" and jkey in journals and volume and pages:
            expected = _article_citation(
                journals[jkey], [a.name for a in authors], year, suffix, volume, pages
            )
            if expected != citation:
                rec.error("citation", f"does not agree with the fields: they give {expected!r}")
    return out


def _article_citation(
    journal: Journal, names: list[str], year: int, suffix: str, volume: int, pages: str
) -> str:
    sep = "," if journal.comma_after_title else ""
    return (
        f"{format_author_list(names)} ({year}{suffix}). {journal.abbreviation}{sep} "
        f"{volume}, {pages}."
    )


def load_catalogue(
    path: Path, errors: list[DataError]
) -> tuple[dict[str, Database], dict[str, Standard], dict[str, Software]]:
    file = _display(path)
    doc = _map(load_file(path, file), file, errors, "databases, standards and software")
    databases: dict[str, Database] = {}
    standards: dict[str, Standard] = {}
    software: dict[str, Software] = {}
    for section in sorted(set(doc) - {"databases", "standards", "software"}):
        errors.append(
            DataError("unknown section", file=file, line=doc.line_of(section), field=section)
        )
    for section, target in (
        ("databases", databases),
        ("standards", standards),
        ("software", software),
    ):
        block = _map(doc.get(section), file, errors, section)
        for key, raw in block.items():
            rec = Fields(
                raw,
                f"{section[:-1] if section != 'software' else section} {key}",
                errors,
                file=file,
                line=block.line_of(key),
            )
            title = rec.text("title")
            if section == "software":
                item: object = Software(
                    key,
                    title or "",
                    rec.where,
                    rec.text("homepage", required=False),
                    rec.text("described_by", required=False),
                    rec.text("derived_from", required=False),
                    rec.text("method", required=False),
                )
            elif section == "databases":
                item = Database(
                    key,
                    title or "",
                    rec.text("acronym") or "",
                    rec.text("described_by") or "",
                    rec.where,
                )
            else:
                item = Standard(key, title or "", rec.text("acronym") or "", rec.where)
            rec.finish()
            if title:
                target[key] = item  # type: ignore[assignment]
    return databases, standards, software


def load_editorial(path: Path, people: _People, errors: list[DataError]) -> Editorial:
    file = _display(path)
    raw = load_file(path, file)
    rec = Fields(raw, "editorial", errors, file=file, line=1)
    title = rec.text("title") or ""
    authors = _authors(rec, "authors", people, organizations=False)
    keywords = rec.text_list("keywords")
    parts = {}
    for part in ("collection", "related_collection"):
        sub = Fields(rec.get(part), part, errors, file=file, line=rec.line_of(part))
        parts[part] = (sub.text("title") or "", sub.text("url") or "")
        sub.finish()
    table = Fields(rec.get("table1"), "table1", errors, file=file, line=rec.line_of("table1"))
    caption = table.text("caption") or ""
    columns = table.text_list("columns")
    abbreviations = table.get("abbreviations") or {}
    table.finish()
    rec.finish()
    return Editorial(
        title,
        authors,
        tuple(keywords),
        *parts["collection"],
        *parts["related_collection"],
        caption,
        tuple(columns),
        tuple((str(k), str(v)) for k, v in abbreviations.items()),
        Where(file, 1),
    )


def load_overrides(path: Path, errors: list[DataError]) -> list[Override]:
    file = _display(path)
    doc = _map(load_file(path, file), file, errors, "sections")
    seq = _seq(doc.get("overrides"), file, errors)
    out: list[Override] = []
    seen: dict[tuple[str, str], int] = {}
    for i, raw in enumerate(seq):
        rec = Fields(raw, f"override {i + 1}", errors, file=file, line=seq.line_of(i))
        phrase, column, why = rec.text("phrase"), rec.text("column"), rec.text("why")
        concepts = rec.get("concepts")
        rec.finish()
        if concepts is None or not isinstance(concepts, list):
            if concepts is not None:
                rec.error("concepts", "expected a list of concepts ([] for none)")
            continue
        for c in concepts:
            if not isinstance(c, str) or not CURIE.match(c):
                rec.error("concepts", f"{c!r} is not a concept CURIE like mlm:deep-learning")
        if column not in ("approach", "problem"):
            rec.error("column", f"expected approach or problem, got {column!r}")
            continue
        if not (phrase and why):
            continue
        if (phrase, column) in seen:
            rec.error("phrase", f"{phrase!r} is already overridden at line {seen[phrase, column]}")
        seen[phrase, column] = rec.line
        out.append(Override(phrase, column, tuple(concepts), why, rec.where))
    return out


def check_cross_references(ds: Dataset, errors: list[DataError]) -> None:
    """Checks that need more than one file: references <-> Table 1, catalogue links."""
    by_key = {(p.journal, p.volume, p.first_page): p for p in ds.papers}
    ref_keys = {r.key: r for r in ds.references}
    for r in ds.references:
        err = _reporter(errors, r.where, f"reference {r.key}")
        paper = None
        if r.journal and r.volume and r.pages and PAGES.match(r.pages):
            first = int(PAGES.match(r.pages).group(1))  # type: ignore[union-attr]
            paper = by_key.get((r.journal, r.volume, first))
        if r.table1 and paper is None:
            err(
                "table1",
                "says it is a Table 1 paper, but no paper in papers.yaml has its "
                "journal, volume and first page",
            )
        elif not r.table1 and paper is not None:
            err(
                "table1",
                f"matches Table 1 row {paper.row} ({paper.short_label()}): set table1: true",
            )
        elif paper is not None:
            if paper.year != r.year:
                err("year", f"{r.year} but Table 1 row {paper.row} says {paper.year}")
            if f"{paper.first_page}–{paper.last_page}" != r.pages.replace("-", "–"):  # type: ignore[union-attr]
                err("pages", f"{r.pages} but Table 1 row {paper.row} says {paper.pages}")
            if [a.person for a in r.authors] != [a.person for a in paper.authors]:
                err(
                    "authors",
                    f"are not the same people as in Table 1 row {paper.row}: "
                    f"{[a.name for a in r.authors]} vs {[a.name for a in paper.authors]}"
                    " (a spelling variant must be listed in people.yaml)",
                )
    for p in ds.papers:
        report = _reporter(errors, p.where, f"Table 1 row {p.row}" if p.row else p.key)
        for key in p.data_sources:
            if key not in ds.databases:
                report("data_sources", f"unknown database {key!r} (not in databases.yaml)")
    for d in ds.databases.values():
        if d.described_by not in ref_keys:
            report = _reporter(errors, d.where, f"database {d.key}")
            report("described_by", f"unknown reference {d.described_by!r}")
    for s in ds.software.values():
        report = _reporter(errors, s.where, f"software {s.key}")
        for fld in ("described_by", "derived_from"):
            value = getattr(s, fld)
            if value is not None and value not in ref_keys:
                report(fld, f"unknown reference {value!r}")


def _reporter(errors: list[DataError], where: Where, record: str) -> Callable[[str, str], None]:
    def report(fld: str, message: str) -> None:
        errors.append(
            DataError(message, file=where.file, line=where.line, record=record, field=fld)
        )

    return report
