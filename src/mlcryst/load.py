"""Stage 1: read the curated files in ``data/`` into checked records.

Every problem found is collected and raised together as :class:`~mlcryst.errors.DataErrors`,
each naming the file, line, record and field.

>>> ds = load_dataset()
>>> len(ds.table1()), ds.table1()[0].key
(80, 'acta-a-33-13')
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .errors import DataError, DataErrors
from .fields import Fields
from .records import (
    AuthorRef,
    Dataset,
    Journal,
    Paper,
    Person,
    Variant,
    Where,
    slug,
)
from .resources import default_data_dir
from .yamlio import LocatedDict, LocatedList, load_file

FILES = {
    "journals": "journals.yaml",
    "papers": "papers.yaml",
    "people": "people.yaml",
    "references": "references.yaml",
    "databases": "databases.yaml",
    "editorial": "editorial.yaml",
    "tagging": "tagging.yaml",
}
PERSON_NAME = re.compile(r"^[^\W\d][^,]*, (?:[^\W\d_]{1,2}\.(?:[ -](?=[^\W\d_]))?)+$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CURIE = re.compile(r"^(mlm|mlp):[a-z0-9]+(?:-[a-z0-9]+)*$")
REFERENCE_TYPES = {"article", "preprint", "book", "software", "dataset"}


def _seq(doc: Any, file: str, errors: list[DataError]) -> LocatedList:
    if isinstance(doc, LocatedList):
        return doc
    errors.append(DataError("expected a list of records", file=file, line=1))
    empty = LocatedList()
    empty.file, empty.line, empty.item_lines = file, 1, []
    return empty


def _map(doc: Any, file: str, errors: list[DataError], what: str) -> LocatedDict:
    if isinstance(doc, LocatedDict):
        return doc
    errors.append(DataError(f"expected a mapping of {what}", file=file, line=1))
    empty = LocatedDict()
    empty.file, empty.line, empty.key_lines = file, 1, {}
    return empty


class _People:
    """Resolves printed author names to person ids (see data/people.yaml).

    A people.yaml entry whose id is the slug of its name claims that name and its variants.
    An entry with an id of its own (a second person printed like another, e.g. ``wang-y-2``)
    claims nothing: an author list reaches it only with ``{name: ..., person: <id>}``.
    """

    def __init__(self, people: dict[str, Person]) -> None:
        self.people = people
        self.by_form: dict[str, str] = {}
        for p in people.values():
            if not _explicit_only(p):
                for form in (p.name, *(v.form for v in p.variants)):
                    self.by_form[form] = p.id
        self.default_ids: dict[str, str] = {}  # slug -> the printed name that claimed it

    def resolve(self, name: str, explicit: str | None, rec: Fields, key: str) -> str | None:
        if explicit is not None:
            person = self.people.get(explicit)
            if person is None:
                rec.error(key, f"person {explicit!r} is not in people.yaml")
                return None
            if name not in (person.name, *(v.form for v in person.variants)):
                rec.error(key, f"{name!r} is not a printed form of person {explicit!r}")
            return explicit
        if name in self.by_form:
            return self.by_form[name]
        pid = slug(name)
        if not pid:
            rec.error(key, f"cannot derive an id from the name {name!r}")
            return None
        claimed = self.default_ids.setdefault(pid, name)
        if claimed != name:
            rec.error(key, f"{name!r} and {claimed!r} give the same person id {pid!r}: if they "
                           "are one person list the variant in people.yaml, if not give one an "
                           "id of its own there")
        elif pid in self.people:
            rec.error(key, f"{name!r} gives the id {pid!r} of {self.people[pid].name!r} in "
                           "people.yaml: list it there as a variant, or give it an id of its own")
        return pid


def _explicit_only(person: Person) -> bool:
    return person.id != slug(person.name)


def _authors(rec: Fields, key: str, people: _People, organizations: bool) -> tuple[AuthorRef, ...]:
    raw = rec.get(key)
    if raw is None:
        return ()
    if not isinstance(raw, LocatedList) or not raw:
        rec.error(key, "expected a non-empty list of authors")
        return ()
    out: list[AuthorRef] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(raw):
        line = raw.line_of(i)
        explicit = None
        if isinstance(item, dict):
            name, explicit = item.get("name"), item.get("person")
            extra = set(item) - {"name", "person"}
            if extra:
                rec.error(key, f"author {i + 1}: unknown field(s) {sorted(extra)}")
        else:
            name = item
        if not isinstance(name, str) or not name.strip():
            rec.error(key, f"author {i + 1}: expected a printed name, got {name!r}")
            continue
        if not PERSON_NAME.match(name) and not (organizations and "," not in name):
            rec.errors.append(DataError(
                f"author {i + 1}: {name!r} is not a printed name of the form 'Family, I. N.'",
                file=rec.file, line=line, record=rec.record, field=key))
            continue
        pid = people.resolve(name, explicit, rec, key)
        if pid is None:
            continue
        if pid in seen:
            rec.errors.append(DataError(
                f"author {i + 1}: {name!r} is the same person as author {seen[pid]}; if they are "
                "two people printed alike, give one an id in people.yaml and write "
                "{name: ..., person: ...} here", file=rec.file, line=line, record=rec.record,
                field=key))
        seen[pid] = i + 1
        out.append(AuthorRef(name, pid, Where(rec.file, line)))
    return tuple(out)


def load_journals(path: Path, errors: list[DataError]) -> dict[str, Journal]:
    doc = _map(load_file(path, _display(path)), _display(path), errors, "journal keys")
    out: dict[str, Journal] = {}
    for key, raw in doc.items():
        rec = Fields(raw, f"journal {key}", errors, file=doc.file, line=doc.line_of(key))
        if not SLUG.match(key):
            rec.error(None, f"journal key {key!r} must be lowercase words joined by hyphens")
        title, abbr = rec.text("title"), rec.text("abbreviation")
        comma = rec.boolean("comma_after_title")
        first_year = rec.integer("first_year", required=False)
        first_volume = rec.integer("first_volume", required=False, minimum=1)
        if (first_year is None) != (first_volume is None):
            rec.error("first_year", "give first_year and first_volume together")
        rec.finish()
        if title and abbr:
            out[key] = Journal(key, title, abbr, rec.where, comma, first_year, first_volume)
    return out


def load_people(path: Path, errors: list[DataError]) -> dict[str, Person]:
    file = _display(path)
    doc = _seq(load_file(path, file), file, errors)
    out: dict[str, Person] = {}
    forms: dict[str, str] = {}
    for i, raw in enumerate(doc):
        rec = Fields(raw, f"person {i + 1}", errors, file=file, line=doc.line_of(i))
        pid, name = rec.text("id"), rec.text("name")
        given = rec.text("given_name", required=False)
        note = rec.text("note", required=False)
        variants: list[Variant] = []
        for j, v in enumerate(rec.get("variants", required=False) or []):
            vrec = Fields(v, f"person {pid} variant {j + 1}", errors, file=file, line=rec.line)
            form, seen_in = vrec.text("form"), vrec.text("seen_in")
            vrec.finish()
            if form and seen_in:
                variants.append(Variant(form, seen_in))
        rec.finish()
        if not (pid and name):
            continue
        rec.record = f"person {pid}"
        if not SLUG.match(pid):
            rec.error("id", f"{pid!r} must be lowercase words joined by hyphens")
        if pid in out:
            rec.error("id", f"duplicate person id {pid!r}")
        for form in (name, *(v.form for v in variants)):
            other = forms.get(form)
            if other and other != pid and not (form == name and pid != slug(name)):
                rec.error("variants", f"the printed form {form!r} is already person {other!r}")
            forms.setdefault(form, pid)
        out[pid] = Person(pid, name, rec.where, given, tuple(variants), note)
    return out


def load_papers(path: Path, journals: dict[str, Journal], people: _People,
                errors: list[DataError]) -> list[Paper]:
    file = _display(path)
    doc = _seq(load_file(path, file), file, errors)
    papers: list[Paper] = []
    keys: dict[str, int] = {}
    for i, raw in enumerate(doc):
        label = f"paper {i + 1}"
        if isinstance(raw, dict) and "row" in raw:
            label = f"Table 1 row {raw['row']}"
        rec = Fields(raw, label, errors, file=file, line=doc.line_of(i))
        row = rec.integer("row", required=False, minimum=1)
        jkey, year = rec.text("journal"), rec.year()
        volume = rec.integer("volume", minimum=1)
        pages = rec.pages()
        authors = _authors(rec, "authors", people, organizations=False)
        problem, approach = rec.text("problem"), rec.text("approach")
        sources = rec.text_list("data_sources", required=False)
        title, doi = rec.text("title", required=False), rec.text("doi", required=False)
        source = rec.text("source", required=False)
        rec.finish()
        if row is None and source is None:
            rec.error("source",
                      "a paper that is not a Table 1 row needs a source (where it is from)")
        journal = journals.get(jkey or "")
        if jkey and journal is None:
            rec.error("journal", f"unknown journal {jkey!r} (not in journals.yaml)")
        if journal and year and journal.first_year and year < journal.first_year:
            rec.error("year", f"{year} is before {journal.title} began ({journal.first_year})")
        if journal and year and volume and journal.first_year and journal.first_volume:
            expected = year - journal.first_year + journal.first_volume
            if volume != expected:
                rec.error("volume", f"{journal.abbreviation} volume {volume} does not match year "
                                    f"{year} (that year's volume is {expected})")
        if None in (jkey, year, volume, pages, problem, approach) or not authors:
            continue
        assert jkey and year and volume and pages and problem and approach
        paper = Paper(jkey, year, volume, pages[0], pages[1], authors, problem, approach,
                      rec.where, row, tuple(sources), title, doi, source,
                      tuple((k, rec.line_of(k)) for k in ("problem", "approach", "pages")))
        if paper.key in keys:
            rec.error("pages", f"same journal, volume and first page as the paper at line "
                               f"{keys[paper.key]}")
            continue
        keys[paper.key] = rec.line
        papers.append(paper)
    rows = [p.row for p in papers if p.row is not None]
    if rows and rows != list(range(1, len(rows) + 1)):
        bad = next((p for n, p in enumerate(p for p in papers if p.row) if p.row != n + 1), None)
        errors.append(DataError(
            "Table 1 rows must be numbered 1, 2, 3, ... in file order",
            file=file, line=bad.where.line if bad else 1, field="row",
            record=f"Table 1 row {bad.row}" if bad else None))
    return papers


def _display(path: Path) -> str:
    """How a data file is named in messages: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_dataset(data_dir: Path | str | None = None) -> Dataset:
    """Read and check every curated file in ``data_dir`` (default: the shipped data)."""
    from .load_more import (
        check_cross_references,
        load_catalogue,
        load_editorial,
        load_overrides,
        load_references,
    )

    root = Path(data_dir) if data_dir is not None else default_data_dir()
    if not root.is_dir():
        raise DataError("data folder not found", file=str(root))
    errors: list[DataError] = []
    journals = load_journals(root / FILES["journals"], errors)
    people = load_people(root / FILES["people"], errors)
    resolver = _People(people)
    papers = load_papers(root / FILES["papers"], journals, resolver, errors)
    references = load_references(root / FILES["references"], journals, resolver, errors)
    databases, standards, software = load_catalogue(root / FILES["databases"], errors)
    editorial = load_editorial(root / FILES["editorial"], resolver, errors)
    overrides = load_overrides(root / FILES["tagging"], errors)
    ds = Dataset(journals, papers, dict(people), references, databases, standards, software,
                 editorial, overrides, source_dir=str(root))
    _add_default_people(ds)
    check_cross_references(ds, errors)
    if errors:
        raise DataErrors(errors)
    return ds


def _add_default_people(ds: Dataset) -> None:
    """Give every author not listed in people.yaml a Person record of its own."""
    refs = [a for p in ds.papers for a in p.authors]
    refs += [a for r in ds.references for a in r.authors] + list(ds.editorial.authors)
    for a in refs:
        if a.person not in ds.people:
            ds.people[a.person] = Person(a.person, a.name, a.where,
                                         is_organization="," not in a.name)

