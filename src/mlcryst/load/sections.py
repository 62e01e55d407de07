"""Stage 1, continued: the reference list, the catalogue of databases/standards/software,
the editorial, the tagging overrides, and the checks that span files."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from mlcryst.errors import DataError
from mlcryst.load.common import (
    CURIE,
    REFERENCE_TYPES,
    SLUG,
    author_refs,
    map_of,
    nfc_clash,
    seq_of,
)
from mlcryst.load.fields import PAGES, Fields, describe_value, text_problem
from mlcryst.load.records import (
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

if TYPE_CHECKING:
    from mlcryst.load.common import People
    from mlcryst.load.dataset import Document

CITATION_YEAR = re.compile(r"^(?P<authors>.+?) \((?P<year>\d{4})(?P<suffix>[a-z]?)\)\. ")


def load_references(
    source: Document, journals: dict[str, Journal], people: People, errors: list[DataError]
) -> list[Reference]:
    file = source.file
    doc = seq_of(source.value, file, errors)
    out: list[Reference] = []
    keys: set[str] = set()
    for i, raw in enumerate(doc):
        key = raw.get("key") if isinstance(raw, dict) else None
        label = f"reference {key}" if isinstance(key, str) and SLUG.match(key) else None
        rec = Fields(raw, label or f"reference {i + 1}", errors, file=file, line=doc.line_of(i))
        key = rec.text("key")
        citation = rec.text("citation")
        rtype = rec.choice("type", tuple(sorted(REFERENCE_TYPES)))
        table1 = rec.boolean("table1")
        authors = author_refs(rec, "authors", people, organizations=True)
        year = rec.year()
        article = rtype == "article"
        jkey = rec.text("journal", required=article)
        volume = rec.integer("volume", required=article, minimum=1)
        pages = _reference_pages(rec, article)
        opt = {
            k: rec.text(k, required=False, multiline=k == "note")
            for k in ("title", "publisher", "identifier", "note")
        }
        opt["url"] = rec.iri("url", required=False)
        opt["doi"] = rec.doi("doi")
        rec.finish()
        if key and not SLUG.match(key):
            rec.error("key", f"{key!r} must be lowercase letters, digits and hyphens")
        if key in keys:
            rec.error("key", f"duplicate reference key {key!r}")
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
        if article and jkey in journals and journals[jkey].abbreviation and volume and pages:
            expected = _article_citation(
                journals[jkey], [a.name for a in authors], year, suffix, volume, pages
            )
            if expected != citation:
                rec.error("citation", f"does not agree with the fields: they give {expected!r}")
    return out


def _reference_pages(rec: Fields, article: bool) -> str | None:
    """An article's pages: "first–last" (as :meth:`Fields.pages`) or an article number."""
    value = rec.get("pages", required=article)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return str(value)
    problem = text_problem(value)
    if problem:
        rec.error("pages", f"{problem}; expected first–last (e.g. 13–18) or an article number")
        return None
    assert isinstance(value, str)
    if value.isascii() and value.isalnum():
        return value  # an article number, e.g. '011002'
    return value if rec.page_range("pages", value) else None


def _article_citation(
    journal: Journal, names: list[str], year: int, suffix: str, volume: int, pages: str
) -> str:
    sep = "," if journal.comma_after_title else ""
    return (
        f"{format_author_list(names)} ({year}{suffix}). {journal.abbreviation}{sep} "
        f"{volume}, {pages}."
    )


def load_catalogue(
    source: Document, errors: list[DataError]
) -> tuple[dict[str, Database], dict[str, Standard], dict[str, Software]]:
    file = source.file
    doc = map_of(source.value, file, errors, "databases, standards and software")
    databases: dict[str, Database] = {}
    standards: dict[str, Standard] = {}
    software: dict[str, Software] = {}
    for section in sorted(set(doc) - {"databases", "standards", "software"}):
        errors.append(
            DataError(
                "unknown section (expected databases, standards and software)",
                file=file,
                line=doc.line_of(section),
                field=section,
            )
        )
    for section, target in (
        ("databases", databases),
        ("standards", standards),
        ("software", software),
    ):
        if section not in doc:
            errors.append(DataError("missing section", file=file, line=1, field=section))
            continue
        block = map_of(doc.get(section), file, errors, section, line=doc.line_of(section))
        for key, raw in block.items():
            what = section[:-1] if section != "software" else section
            rec = Fields(raw, f"{what} {key}", errors, file=file, line=block.line_of(key))
            if not SLUG.match(key):
                rec.error(None, f"{what} key {key!r} must be lowercase words joined by hyphens")
            title = rec.text("title")
            if section == "software":
                method = rec.text("method", required=False)
                if method and not SLUG.match(method):
                    rec.error("method", f"{method!r} is not a method concept id like alphafold")
                    method = None
                item: object = Software(
                    key,
                    title or "",
                    rec.where,
                    rec.iri("homepage", required=False),
                    rec.text("described_by", required=False),
                    rec.text("derived_from", required=False),
                    method,
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
            if title and SLUG.match(key):
                target[key] = item  # type: ignore[assignment]
    return databases, standards, software


def load_editorial(source: Document, people: People, errors: list[DataError]) -> Editorial:
    file = source.file
    rec = Fields(source.value, "editorial", errors, file=file, line=1)
    title = rec.text("title") or ""
    authors = author_refs(rec, "authors", people, organizations=False)
    keywords = rec.text_list("keywords")
    parts = {}
    for part in ("collection", "related_collection"):
        block = rec.mapping(part)
        parts[part] = ("", "")
        if block is not None:
            sub = Fields(block, part, errors, file=file, line=rec.line_of(part))
            parts[part] = (sub.text("title") or "", sub.iri("url") or "")
            sub.finish()
    caption, columns, abbreviations = "", list[str](), list[tuple[str, str]]()
    table_block = rec.mapping("table1")
    if table_block is not None:
        table = Fields(table_block, "table1", errors, file=file, line=rec.line_of("table1"))
        caption = table.text("caption", multiline=True) or ""
        columns = table.text_list("columns")
        abbreviations = _abbreviations(table)
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
        tuple(abbreviations),
        Where(file, 1),
    )


def _abbreviations(table: Fields) -> list[tuple[str, str]]:
    """The Table 1 abbreviations: a mapping of abbreviation to its meaning, both text."""
    out: list[tuple[str, str]] = []
    block = table.mapping("abbreviations", required=False)
    for abbr, meaning in (block or {}).items():
        line = block.line_of(abbr) if block is not None else table.line
        problem = text_problem(meaning)
        if problem:
            table.error("abbreviations", f"{abbr}: {problem}", line)
        elif abbr != abbr.strip() or "  " in abbr:
            table.error("abbreviations", f"stray white space in the abbreviation {abbr!r}", line)
        else:
            out.append((abbr, meaning))
    return out


def load_overrides(source: Document, errors: list[DataError]) -> list[Override]:
    file = source.file
    doc = map_of(source.value, file, errors, "sections")
    for section in sorted(set(doc) - {"overrides"}):
        errors.append(
            DataError(
                "unknown section (expected overrides)",
                file=file,
                line=doc.line_of(section),
                field=section,
            )
        )
    seq = seq_of(doc.get("overrides"), file, errors, "overrides", line=doc.line_of("overrides"))
    out: list[Override] = []
    seen: dict[tuple[str, str], tuple[int, bool]] = {}
    for i, raw in enumerate(seq):
        rec = Fields(raw, f"override {i + 1}", errors, file=file, line=seq.line_of(i))
        phrase, why = rec.text("phrase"), rec.text("why", multiline=True)
        column = rec.choice("column", ("approach", "problem"))
        concepts = rec.seq("concepts")
        rec.finish()
        if concepts is None:
            continue
        curies: list[str] = []
        for j, c in enumerate(concepts):
            if not isinstance(c, str) or not CURIE.match(c):
                rec.error(
                    "concepts",
                    f"{describe_value(c)} is not a concept CURIE like mlm:deep-learning",
                    concepts.line_of(j),
                )
            else:
                curies.append(c)
        if not (phrase and why and column) or len(curies) != len(concepts):
            continue
        if (phrase, column) in seen:
            line, was_nfc = seen[phrase, column]
            clash = nfc_clash(rec.line_of("phrase"), rec.was_nfc("phrase"), line, was_nfc)
            rec.error("phrase", f"{phrase!r} is already overridden at line {line}{clash}")
        seen[phrase, column] = (rec.line_of("phrase"), rec.was_nfc("phrase"))
        out.append(Override(phrase, column, tuple(curies), why, rec.where))
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
        in_table1 = paper is not None and paper.row is not None
        if r.table1 and not in_table1:
            err(
                "table1",
                "says it is a Table 1 paper, but no Table 1 row of papers.yaml has its "
                "journal, volume and first page"
                + (f" (it is {paper.key}, a paper outside Table 1)" if paper else ""),
            )
        elif not r.table1 and in_table1:
            assert paper is not None
            err(
                "table1",
                f"matches Table 1 row {paper.row} ({paper.short_label()}): set table1: true",
            )
        if paper is not None and r.table1 == in_table1:
            label = f"Table 1 row {paper.row}" if paper.row else f"paper {paper.key}"
            if paper.year != r.year:
                err("year", f"{r.year} but {label} says {paper.year}")
            if f"{paper.first_page}–{paper.last_page}" != r.pages.replace("-", "–"):  # type: ignore[union-attr]
                err("pages", f"{r.pages} but {label} says {paper.pages}")
            if [a.person for a in r.authors] != [a.person for a in paper.authors]:
                err(
                    "authors",
                    f"are not the same people as in {label}: "
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
