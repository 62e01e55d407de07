"""Bibliographic records read from BibTeX, RIS, CSL-JSON, and Crossref or DataCite JSON.

Each reader turns a file into :class:`Work` records and a list of problems
(:class:`~mlcryst.errors.DataError`, naming the file, line or entry and the field); an entry
with a problem is left out, the others are read.

>>> initials("Marie-José")
'M.-J.'
>>> initials("Simon J. L.")
'S. J. L.'
>>> initials("S.J.L.")
'S. J. L.'
>>> initials("C.-H.")
'C.-H.'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlcryst.errors import DataError
from mlcryst.limits import budgets

FORMATS = ("bibtex", "ris", "csl-json", "crossref", "datacite")


@dataclass(frozen=True)
class Author:
    """One author of an imported work: family name, given names (if the source has them),
    initials and ORCID."""

    family: str
    given: str | None = None
    orcid: str | None = None
    given_initials: str | None = None  # when the source gives only initials

    @property
    def initials(self) -> str:
        if self.given_initials is not None:
            return self.given_initials
        return initials(self.given or "")

    @property
    def printed(self) -> str:
        """The IUCr printed form "Family, I. N." (the family name alone if no given names)."""
        return f"{self.family}, {self.initials}" if self.initials else self.family


@dataclass
class Work:
    """One imported work, with where it came from (``origin``: "file:line, entry key")."""

    origin: str
    key: str | None = None
    title: str | None = None
    containers: list[str] = field(default_factory=list)  # journal titles and abbreviations
    issn: list[str] = field(default_factory=list)
    year: int | None = None
    volume: int | None = None
    issue: str | None = None
    first_page: int | None = None
    last_page: int | None = None
    article_number: str | None = None
    doi: str | None = None
    url: str | None = None
    abstract: str | None = None
    keywords: list[str] = field(default_factory=list)
    authors: list[Author] = field(default_factory=list)


def initials(given: str) -> str:
    """Initials of given names as IUCr prints them ("Marie-José" -> "M.-J.")."""
    out: list[str] = []
    for word in given.split():
        joined: list[str] = []
        for piece in word.split("-"):
            letters = [p for p in piece.split(".") if p]
            if letters:
                joined.append(" ".join(f"{p[0].upper()}." for p in letters))
        if joined:
            out.append("-".join(joined))
    return " ".join(out)


class _Entry:
    """Collects the problems of one entry, each naming the file, line, entry and field."""

    def __init__(self, file: str, line: int | None, key: str | None, errors: list[DataError]):
        self.file, self.line, self.key, self.errors = file, line, key, errors
        self.failed = False

    @property
    def origin(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}, entry {self.key}" if self.key else where

    def error(self, fld: str | None, message: str, line: int | None = None) -> None:
        self.failed = True
        self.errors.append(
            DataError(
                message,
                file=self.file,
                line=line or self.line,
                record=f"entry {self.key}" if self.key else None,
                field=fld,
            )
        )

    def whole(self, fld: str, value: Any, *, minimum: int = 1) -> int | None:
        if value is None or value == "":
            return None
        text = str(value).strip()
        if not re.fullmatch(r"\d{1,9}", text) or int(text) < minimum:
            self.error(fld, f"{text!r} is not a whole number")
            return None
        return int(text)

    def pages(self, work: Work, value: Any) -> None:
        if value is None or str(value).strip() == "":
            return
        text = str(value).strip().replace("--", "–").replace("—", "–")
        m = re.fullmatch(r"(\d+)\s*[–-]\s*(\d+)", text)
        if m:
            first, last = int(m.group(1)), int(m.group(2))
            if last < first:
                self.error("pages", f"{text!r}: the last page is before the first")
                return
            work.first_page, work.last_page = first, last
        elif re.fullmatch(r"[A-Za-z]?\d+", text):
            work.article_number = text  # an article number, e.g. 011002 or e1234
        else:
            self.error("pages", f"{text!r} is not first–last pages or an article number")

    def doi(self, value: Any) -> str | None:
        if not value:
            return None
        text = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", str(value).strip(), flags=re.I)
        if not re.fullmatch(r"10\.\d{4,9}/\S+", text):
            self.error("doi", f"{value!r} is not a DOI (10.NNNN/...)")
            return None
        return text


def clean(text: Any) -> str | None:
    """Text with runs of white space made one space (None for empty or missing)."""
    if text is None:
        return None
    out = " ".join(str(text).split())
    return out or None


def strip_markup(text: str | None) -> str | None:
    """Abstracts from Crossref come as JATS XML: keep the text."""
    if text is None:
        return None
    return clean(re.sub(r"<[^>]{1,200}>", " ", text))


def orcid_of(value: Any) -> str | None:
    """An ORCID iD as https://orcid.org/XXXX-XXXX-XXXX-XXXX, or None."""
    if not value:
        return None
    m = re.search(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", str(value))
    return f"https://orcid.org/{m.group(1)}" if m else None


# --- the file ------------------------------------------------------------------------------


def read_works(path: Path, fmt: str | None = None) -> tuple[list[Work], list[DataError]]:
    """Read ``path`` (format from ``fmt``, else the suffix, else the content)."""
    from mlcryst.load.datafile import read_data_file
    from mlcryst.load.yamlio import decode

    name = str(path)
    text = decode(read_data_file(path, name, budgets().data_file_bytes), name)
    return parse_works(text, name, fmt or guess_format(path, text))


def guess_format(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".bib", ".bibtex"):
        return "bibtex"
    if suffix in (".ris", ".nbib"):
        return "ris"
    head = text.lstrip("\ufeff \t\r\n")[:1]
    if head == "@":
        return "bibtex"
    if head in "[{":
        return "json"
    if re.match(r"\s*TY  - ", text):
        return "ris"
    raise DataError(
        "cannot tell the format (expected BibTeX .bib, RIS .ris, or JSON: CSL-JSON, "
        "Crossref or DataCite); give it with --format",
        file=str(path),
        line=1,
    )


def parse_works(text: str, file: str, fmt: str) -> tuple[list[Work], list[DataError]]:
    errors: list[DataError] = []
    if fmt == "bibtex":
        return _bibtex(text, file, errors), errors
    if fmt == "ris":
        return _ris(text, file, errors), errors
    if fmt in ("json", "csl-json", "crossref", "datacite"):
        return _json(text, file, errors), errors
    raise DataError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})", file=file)


# --- BibTeX ----------------------------------------------------------------------------------


def _bibtex(text: str, file: str, errors: list[DataError]) -> list[Work]:
    import bibtexparser  # type: ignore[attr-defined,unused-ignore]
    from bibtexparser import middlewares as mw

    library = bibtexparser.parse_string(  # type: ignore[attr-defined,unused-ignore]
        text,
        append_middleware=[
            mw.LatexDecodingMiddleware(),
            mw.SeparateCoAuthors(),
            mw.SplitNameParts(),
        ],
    )
    for block in library.failed_blocks:
        key = getattr(block, "key", None)
        message = str(getattr(block, "error", "")).splitlines()[0] or "cannot be read"
        _Entry(file, (block.start_line or 0) + 1, key, errors).error(None, f"not BibTeX: {message}")
    works: list[Work] = []
    for entry in library.entries:
        rec = _Entry(file, (entry.start_line or 0) + 1, entry.key, errors)
        lines = {f.key.lower(): (f.start_line or 0) + 1 for f in entry.fields}
        values = {f.key.lower(): f.value for f in entry.fields}
        work = Work(rec.origin, key=entry.key)
        work.title = clean(values.get("title"))
        work.containers = [c for c in (clean(values.get("journal")),) if c]
        if values.get("journaltitle"):
            work.containers.append(clean(values["journaltitle"]) or "")
        if values.get("shortjournal"):
            work.containers.append(clean(values["shortjournal"]) or "")
        work.issn = re.findall(r"\d{4}-\d{3}[\dXx]", str(values.get("issn", "")))
        year = values.get("year") or str(values.get("date", ""))[:4] or None
        work.year = rec.whole("year", year)
        work.volume = rec.whole("volume", values.get("volume"))
        work.issue = clean(values.get("number") or values.get("issue"))
        rec.pages(work, values.get("pages"))
        if values.get("eid") and work.first_page is None:
            work.article_number = clean(values["eid"])
        work.doi = rec.doi(values.get("doi"))
        work.url = clean(values.get("url"))
        work.abstract = clean(values.get("abstract"))
        work.keywords = [
            k.strip() for k in re.split(r"[;,]", str(values.get("keywords", ""))) if k.strip()
        ]
        for i, parts in enumerate(values.get("author") or []):
            family = clean(" ".join([*parts.von, *parts.last]))
            given = clean(" ".join(parts.first))
            if not family:
                rec.error("author", f"author {i + 1} has no family name", lines.get("author"))
                continue
            work.authors.append(_author(family, given, None))
        if not work.authors:
            rec.error("author", "no authors", lines.get("author"))
        if not rec.failed:
            works.append(work)
    return works


def _author(family: str, given: str | None, orcid: str | None) -> Author:
    """An author; a given name written as initials only ("S. J. L.") keeps no given name."""
    if given and re.fullmatch(r"(?:[^\W\d_]{1,2}\.[\s-]*)+", given):
        return Author(family, None, orcid, initials(given))
    return Author(family, given, orcid)


# --- RIS ---------------------------------------------------------------------------------------


def _ris(text: str, file: str, errors: list[DataError]) -> list[Work]:
    import rispy

    works: list[Work] = []
    lines = text.splitlines()
    start: int | None = None
    for n, line in enumerate(lines, start=1):
        if line.startswith("TY  -"):
            if start is not None:
                _Entry(file, start, None, errors).error(None, "entry has no end (ER  -)")
            start = n
        elif line.startswith("ER  -") and start is not None:
            chunk = "\n".join(lines[start - 1 : n]) + "\n"
            _ris_entry(chunk, file, start, errors, works, rispy)
            start = None
        elif line.strip() and start is None:
            _Entry(file, n, None, errors).error(None, "text outside an entry (TY  - ... ER  -)")
    if start is not None:
        _Entry(file, start, None, errors).error(None, "entry has no end (ER  -)")
    return works


def _ris_entry(
    chunk: str, file: str, line: int, errors: list[DataError], works: list[Work], rispy: Any
) -> None:
    try:
        records = rispy.loads(chunk)
    except Exception as exc:  # rispy raises plain IOError/ValueError on malformed entries
        _Entry(file, line, None, errors).error(None, f"not RIS: {exc}")
        return
    for raw in records:
        rec = _Entry(file, line, raw.get("id"), errors)
        work = Work(rec.origin, key=raw.get("id"))
        work.title = clean(raw.get("title") or raw.get("primary_title"))
        for k in ("journal_name", "secondary_title", "alternate_title3", "alternate_title1"):
            value = clean(raw.get(k))
            if value and value not in work.containers:
                work.containers.append(value)
        work.issn = re.findall(r"\d{4}-\d{3}[\dXx]", str(raw.get("issn", "")))
        year = str(raw.get("year") or raw.get("publication_year") or "")[:4]
        work.year = rec.whole("year", year or None)
        work.volume = rec.whole("volume", raw.get("volume"))
        work.issue = clean(raw.get("number"))
        start, end = raw.get("start_page"), raw.get("end_page")
        rec.pages(work, f"{start}–{end}" if start and end else start)
        work.doi = rec.doi(raw.get("doi"))
        work.abstract = clean(raw.get("abstract"))
        work.keywords = [k for k in (clean(x) for x in raw.get("keywords", [])) if k]
        for name in raw.get("authors") or raw.get("first_authors") or []:
            family, _, given = str(name).partition(",")
            if not family.strip():
                rec.error("AU", f"author {name!r} has no family name")
                continue
            work.authors.append(_author(family.strip(), clean(given), None))
        if not work.authors:
            rec.error("AU", "no authors")
        if not rec.failed:
            works.append(work)


# --- JSON: CSL-JSON, Crossref, DataCite ---------------------------------------------------------


def _json(text: str, file: str, errors: list[DataError]) -> list[Work]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            f"not JSON: {exc.msg} (column {exc.colno})", file=file, line=exc.lineno
        ) from None
    if isinstance(doc, dict) and doc.get("message-type") in ("work", "work-list"):
        msg = doc.get("message")
        items = msg.get("items", []) if isinstance(msg, dict) and "items" in msg else [msg]
        reader = _csl
    elif isinstance(doc, dict) and "data" in doc:
        data = doc["data"]
        items = data if isinstance(data, list) else [data]
        reader = _datacite
    else:
        items = doc if isinstance(doc, list) else [doc]
        reader = _csl
    works: list[Work] = []
    for i, item in enumerate(items):
        label = item.get("id") or item.get("DOI") if isinstance(item, dict) else None
        rec = _Entry(file, None, str(label) if label else f"#{i + 1}", errors)
        if not isinstance(item, dict):
            rec.error(None, "expected a JSON object for the work")
            continue
        work = reader(item, rec)
        if not rec.failed:
            works.append(work)
    return works


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        return clean(value[0]) if value else None
    return clean(value)


def _year_of(value: Any) -> Any:
    if isinstance(value, dict):
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            return parts[0][0]
    return None


def _csl(item: dict[str, Any], rec: _Entry) -> Work:
    work = Work(rec.origin, key=str(item.get("id") or item.get("DOI") or rec.key))
    work.title = _first(item.get("title"))
    for k in ("container-title", "container-title-short", "short-container-title"):
        v = item.get(k)
        for c in v if isinstance(v, list) else [v]:
            if clean(c) and clean(c) not in work.containers:
                work.containers.append(clean(c) or "")
    issn = item.get("ISSN") or []
    work.issn = [str(x) for x in (issn if isinstance(issn, list) else [issn])]
    year = None
    for k in ("published-print", "issued", "published", "published-online"):
        year = _year_of(item.get(k))
        if year is not None:
            break
    work.year = rec.whole("issued", year)
    work.volume = rec.whole("volume", item.get("volume"))
    work.issue = clean(item.get("issue"))
    rec.pages(work, item.get("page"))
    if item.get("article-number") and work.first_page is None:
        work.article_number = clean(item["article-number"])
    work.doi = rec.doi(item.get("DOI"))
    work.url = clean(item.get("URL"))
    work.abstract = strip_markup(item.get("abstract"))
    kw = item.get("keyword") or item.get("subject") or []
    work.keywords = (
        [k.strip() for k in kw.split(",") if k.strip()]
        if isinstance(kw, str)
        else [str(k) for k in kw]
    )
    for i, a in enumerate(item.get("author") or []):
        family = clean(a.get("family")) if isinstance(a, dict) else None
        if not family:
            rec.error("author", f"author {i + 1} has no family name")
            continue
        work.authors.append(_author(family, clean(a.get("given")), orcid_of(a.get("ORCID"))))
    if not work.authors:
        rec.error("author", "no authors")
    return work


def _datacite(item: dict[str, Any], rec: _Entry) -> Work:
    attrs = item.get("attributes", item)
    work = Work(rec.origin, key=str(attrs.get("doi") or item.get("id") or rec.key))
    titles = attrs.get("titles") or []
    work.title = clean(titles[0].get("title")) if titles and isinstance(titles[0], dict) else None
    container = attrs.get("container") or {}
    if clean(container.get("title")):
        work.containers.append(clean(container["title"]) or "")
    if container.get("identifierType") == "ISSN" and container.get("identifier"):
        work.issn.append(str(container["identifier"]))
    work.year = rec.whole("publicationYear", attrs.get("publicationYear"))
    work.volume = rec.whole("container.volume", container.get("volume"))
    work.issue = clean(container.get("issue"))
    first, last = container.get("firstPage"), container.get("lastPage")
    rec.pages(work, f"{first}–{last}" if first and last else first)
    work.doi = rec.doi(attrs.get("doi"))
    for d in attrs.get("descriptions") or []:
        if isinstance(d, dict) and d.get("descriptionType") == "Abstract":
            work.abstract = clean(d.get("description"))
    work.keywords = [str(s["subject"]) for s in attrs.get("subjects") or [] if isinstance(s, dict)]
    for i, c in enumerate(attrs.get("creators") or []):
        if not isinstance(c, dict):
            continue
        family = clean(c.get("familyName"))
        given = clean(c.get("givenName"))
        if not family and "," in str(c.get("name", "")):
            family, _, rest = str(c["name"]).partition(",")
            given = clean(rest)
        if not family:
            rec.error("creators", f"creator {i + 1} has no family name")
            continue
        orcid = None
        for ident in c.get("nameIdentifiers") or []:
            if isinstance(ident, dict) and ident.get("nameIdentifierScheme") == "ORCID":
                orcid = orcid_of(ident.get("nameIdentifier"))
        work.authors.append(_author(family.strip(), given, orcid))
    if not work.authors:
        rec.error("creators", "no creators")
    return work
