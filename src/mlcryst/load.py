"""Stage 1: read the curated files in ``data/`` into checked records.

Every problem found is collected and raised together as :class:`~mlcryst.errors.DataErrors`,
each naming the file, line, record and field.

>>> ds = load_dataset()
>>> len(ds.table1()), ds.table1()[0].key
(80, 'acta-a-33-13')
"""

from __future__ import annotations

from pathlib import Path

from .errors import DataError, DataErrors
from .fields import Fields
from .load_common import (
    SLUG,
    _authors,
    _display,
    _map,
    _People,
    _seq,
)
from .records import (
    Dataset,
    Journal,
    Paper,
    Person,
    Variant,
    slug,
)
from .resources import default_data_dir
from .yamlio import load_file

FILES = {
    "journals": "journals.yaml",
    "papers": "papers.yaml",
    "people": "people.yaml",
    "references": "references.yaml",
    "databases": "databases.yaml",
    "editorial": "editorial.yaml",
    "tagging": "tagging.yaml",
}


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


def load_papers(
    path: Path, journals: dict[str, Journal], people: _People, errors: list[DataError]
) -> list[Paper]:
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
            rec.error(
                "source", "a paper that is not a Table 1 row needs a source (where it is from)"
            )
        journal = journals.get(jkey or "")
        if jkey and journal is None:
            rec.error("journal", f"unknown journal {jkey!r} (not in journals.yaml)")
        if journal and year and journal.first_year and year < journal.first_year:
            rec.error("year", f"{year} is before {journal.title} began ({journal.first_year})")
        if journal and year and volume and journal.first_year and journal.first_volume:
            expected = year - journal.first_year + journal.first_volume
            if volume != expected:
                rec.error(
                    "volume",
                    f"{journal.abbreviation} volume {volume} does not match year "
                    f"{year} (that year's volume is {expected})",
                )
        if None in (jkey, year, volume, pages, problem, approach) or not authors:
            continue
        assert jkey and year and volume and pages and problem and approach
        paper = Paper(
            jkey,
            year,
            volume,
            pages[0],
            pages[1],
            authors,
            problem,
            approach,
            rec.where,
            row,
            tuple(sources),
            title,
            doi,
            source,
            tuple((k, rec.line_of(k)) for k in ("problem", "approach", "pages")),
        )
        if paper.key in keys:
            rec.error(
                "pages",
                f"same journal, volume and first page as the paper at line {keys[paper.key]}",
            )
            continue
        keys[paper.key] = rec.line
        papers.append(paper)
    rows = [p.row for p in papers if p.row is not None]
    if rows and rows != list(range(1, len(rows) + 1)):
        bad = next((p for n, p in enumerate(p for p in papers if p.row) if p.row != n + 1), None)
        errors.append(
            DataError(
                "Table 1 rows must be numbered 1, 2, 3, ... in file order",
                file=file,
                line=bad.where.line if bad else 1,
                field="row",
                record=f"Table 1 row {bad.row}" if bad else None,
            )
        )
    return papers


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
    ds = Dataset(
        journals,
        papers,
        dict(people),
        references,
        databases,
        standards,
        software,
        editorial,
        overrides,
        source_dir=str(root),
    )
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
            ds.people[a.person] = Person(
                a.person, a.name, a.where, is_organization="," not in a.name
            )
