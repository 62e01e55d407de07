"""Stage 1: read the curated files in ``data/`` into checked records.

Every file is read first (:func:`read_documents`): a file that cannot be read, is not YAML
under the rules of :mod:`mlcryst.load.yamlio`, or does not hold the kind of document its format
says (papers.yaml: a non-empty list of records, ...) stops the load there, with only those
messages (checks across files would only repeat them). Then every record is checked; every
problem found is collected and raised together as :class:`~mlcryst.errors.DataErrors` (a
single problem as that :class:`~mlcryst.errors.DataError`), each naming the file, line, record
and field.

>>> ds = load_dataset()
>>> len(ds.table1()), ds.table1()[0].key
(80, 'acta-a-33-13')
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mlcryst.errors import DataError, DataErrors
from mlcryst.load.common import (
    CURIE,
    SLUG,
    People,
    author_refs,
    display_path,
    map_of,
    name_problem,
    nfc_clash,
    seq_of,
)
from mlcryst.load.fields import Fields, describe_value
from mlcryst.load.records import (
    Dataset,
    Journal,
    Paper,
    Person,
    Variant,
    slug,
)
from mlcryst.load.yamlio import LocatedDict, LocatedList, load_file
from mlcryst.resources import default_data_dir

ORCID = re.compile(r"^https://orcid\.org/\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
ISSN = re.compile(r"^\d{4}-\d{3}[\dX]$")

FILES = {
    "journals": "journals.yaml",
    "papers": "papers.yaml",
    "people": "people.yaml",
    "references": "references.yaml",
    "databases": "databases.yaml",
    "editorial": "editorial.yaml",
    "tagging": "tagging.yaml",
}

#: what each file holds at its top: (a list or a mapping, of what, may it be empty)
SHAPES: dict[str, tuple[type, str, bool]] = {
    "journals": (LocatedDict, "journal keys (key: title, abbreviation, ...)", False),
    "papers": (LocatedList, "paper records (- journal: ..., year: ..., ...)", False),
    "people": (LocatedList, "person records (- id: ..., name: ...)", True),
    "references": (LocatedList, "reference records (- key: ..., citation: ...)", True),
    "databases": (LocatedDict, "sections (databases, standards, software)", False),
    "editorial": (LocatedDict, "editorial fields (title, authors, ...)", False),
    "tagging": (LocatedDict, "sections (overrides)", False),
}


class Document:
    """One data file read: its name in messages and its top-level value."""

    def __init__(self, file: str, value: Any) -> None:
        self.file, self.value = file, value


def read_documents(root: Path) -> dict[str, Document]:
    """Read every data file of ``root``; raise DataErrors naming each file that cannot be used."""
    errors: list[DataError] = []
    docs: dict[str, Document] = {}
    for kind, name in FILES.items():
        path = root / name
        file = display_path(path)
        try:
            value = load_file(path, file)
        except DataError as exc:
            errors.extend(exc.errors if isinstance(exc, DataErrors) else [exc])
            continue
        shape, what, may_be_empty = SHAPES[kind]
        if value is None:
            errors.append(DataError(f"the file is empty: expected {what}", file=file, line=1))
        elif not isinstance(value, shape):
            errors.append(
                DataError(
                    f"expected {'a list' if shape is LocatedList else 'a mapping'} of {what}, "
                    f"got {describe_value(value)}",
                    file=file,
                    line=getattr(value, "line", 1),
                )
            )
        elif not value and not may_be_empty:
            line = value.line if isinstance(value, (LocatedDict, LocatedList)) else 1
            errors.append(DataError(f"has no records: expected {what}", file=file, line=line))
        else:
            docs[kind] = Document(file, value)
    if errors:
        raise errors[0] if len(errors) == 1 else DataErrors(errors)
    return docs


def load_journals(source: Document, errors: list[DataError]) -> dict[str, Journal]:
    doc = map_of(source.value, source.file, errors, "journal keys")
    out: dict[str, Journal] = {}
    for key, raw in doc.items():
        rec = Fields(raw, f"journal {key}", errors, file=doc.file, line=doc.line_of(key))
        if not SLUG.match(key):
            rec.error(None, f"journal key {key!r} must be lowercase words joined by hyphens")
        title, abbr = rec.text("title"), rec.text("abbreviation")
        comma = rec.boolean("comma_after_title")
        first_year = rec.year("first_year", required=False)
        first_volume = rec.integer("first_volume", required=False, minimum=1)
        issn = rec.text_list("issn", required=False)
        for value in issn:
            if not ISSN.match(value):
                rec.error("issn", f"{value!r} is not an ISSN like 0108-7673")
        if (first_year is None) != (first_volume is None):
            rec.error("first_year", "give first_year and first_volume together")
        rec.finish()
        # kept even when incomplete (the load fails anyway), so papers do not also call it unknown
        out[key] = Journal(
            key, title or "", abbr or "", rec.where, comma, first_year, first_volume, tuple(issn)
        )
    return out


def load_people(source: Document, errors: list[DataError]) -> dict[str, Person]:
    file = source.file
    doc = seq_of(source.value, file, errors)
    out: dict[str, Person] = {}
    forms: dict[str, tuple[str, int, bool]] = {}  # printed form -> (person id, line, was NFC)
    for i, raw in enumerate(doc):
        rec = Fields(raw, f"person {i + 1}", errors, file=file, line=doc.line_of(i))
        pid, name = rec.text("id"), rec.text("name")
        given = rec.text("given_name", required=False)
        orcid = rec.iri("orcid", required=False)
        if orcid and not ORCID.match(orcid):
            rec.error(
                "orcid", f"{orcid!r} is not an ORCID iD like https://orcid.org/0000-0002-1825-0097"
            )
            orcid = None
        note = rec.text("note", required=False, multiline=True)
        variants: list[tuple[Variant, int, bool]] = []
        forms_seq = rec.seq("variants", required=False)
        for j, v in enumerate(forms_seq or []):
            vrec = Fields(
                v,
                f"person {pid or i + 1} variant {j + 1}",
                errors,
                file=file,
                line=forms_seq.line_of(j) if forms_seq is not None else rec.line,
            )
            form, seen_in = vrec.text("form"), vrec.text("seen_in")
            vrec.finish()
            if form and seen_in:
                entry = (Variant(form, seen_in), vrec.line_of("form"), vrec.was_nfc("form"))
                variants.append(entry)
        rec.finish()
        for fld, value in (("name", name), ("given_name", given)):
            problem = name_problem(value) if value else None
            if problem:
                rec.error(fld, problem)
                name = None if fld == "name" else name
        for variant, line, _ in variants:
            problem = name_problem(variant.form)
            if problem:
                rec.error("variants", problem, line)
        if not (pid and name):
            continue
        rec.record = f"person {pid}"
        if not SLUG.match(pid):
            rec.error("id", f"{pid!r} must be lowercase words joined by hyphens")
        if pid in out:
            rec.error("id", f"duplicate person id {pid!r}")
        entries = [(name, rec.line_of("name"), rec.was_nfc("name"))]
        entries += [(v.form, line, was_nfc) for v, line, was_nfc in variants]
        for form, line, was_nfc in entries:
            other = forms.get(form)
            if other and other[0] != pid and not (form == name and pid != slug(name)):
                rec.error(
                    "variants" if form != name else "name",
                    f"the printed form {form!r} is already person {other[0]!r} (line "
                    f"{other[1]}){nfc_clash(line, was_nfc, other[1], other[2])}",
                    line,
                )
            forms.setdefault(form, (pid, line, was_nfc))
        out[pid] = Person(
            pid, name, rec.where, given, tuple(v for v, _, _ in variants), note, orcid=orcid
        )
    return out


def load_papers(
    document: Document, journals: dict[str, Journal], people: People, errors: list[DataError]
) -> list[Paper]:
    file = document.file
    doc = seq_of(document.value, file, errors)
    papers: list[Paper] = []
    keys: dict[str, int] = {}
    rows: list[tuple[int | None, int]] = []  # the row number of every record, and its line
    for i, raw in enumerate(doc):
        label = f"paper {i + 1}"
        if isinstance(raw, dict) and type(raw.get("row")) is int:
            label = f"Table 1 row {raw['row']}"
        rec = Fields(raw, label, errors, file=file, line=doc.line_of(i))
        row = rec.integer("row", required=False, minimum=1)
        rows.append((row, rec.line_of("row")))
        jkey, year = rec.text("journal"), rec.year()
        volume = rec.integer("volume", minimum=1)
        pages = rec.pages()
        authors = author_refs(rec, "authors", people, organizations=False)
        methods = _concept_list(rec, "methods", "mlm")
        problems = _concept_list(rec, "problems", "mlp")
        listed = set(raw) if isinstance(raw, dict) else set()
        problem = rec.text("problem", required="problems" not in listed)
        approach = rec.text("approach", required="methods" not in listed)
        sources = rec.text_list("data_sources", required=False)
        title, doi = rec.text("title", required=False), rec.doi("doi")
        source = rec.text("source", required=False)
        if source and source.startswith(("http://", "https://")) and rec.iri("source") is None:
            source = None
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
        if None in (jkey, year, volume, pages) or not authors:
            continue
        if (problem is None and problems is None) or (approach is None and methods is None):
            continue
        assert jkey and year and volume and pages
        item_lines = [
            (f"{name}[{j}]", line)
            for name, found in (("methods", methods), ("problems", problems))
            for j, (_, line) in enumerate(found or ())
        ]
        paper = Paper(
            jkey,
            year,
            volume,
            pages[0],
            pages[1],
            authors,
            problem or "",
            approach or "",
            rec.where,
            row,
            tuple(sources),
            title,
            doi,
            source,
            tuple(c for c, _ in methods or ()),
            tuple(c for c, _ in problems or ()),
            tuple(
                [
                    (k, rec.line_of(k))
                    for k in ("problem", "approach", "pages", "methods", "problems")
                ]
                + item_lines
            ),
        )
        if paper.key in keys:
            rec.error(
                "pages",
                f"same journal, volume and first page as the paper at line {keys[paper.key]}",
            )
            continue
        keys[paper.key] = rec.line
        papers.append(paper)
    numbered = [(row, line) for row, line in rows if row is not None]
    bad = next((x for n, x in enumerate(numbered) if x[0] != n + 1), None)
    if bad is not None:
        errors.append(
            DataError(
                f"Table 1 rows must be numbered 1, 2, 3, ... in file order: expected "
                f"{numbered.index(bad) + 1}, got {bad[0]}",
                file=file,
                line=bad[1],
                field="row",
                record=f"Table 1 row {bad[0]}",
            )
        )
    return papers


def _concept_list(rec: Fields, key: str, prefix: str) -> list[tuple[str, int]] | None:
    """An explicit concept list (``methods: [mlm:...]``): CURIEs of one scheme, each with its
    line; None when the field is absent or wrong (each bad item is named with its line). Whether
    each concept exists is checked against the vocabulary when the papers are tagged."""
    value = rec.seq(key, required=False)
    if value is None:
        return None
    out: list[tuple[str, int]] = []
    for j, item in enumerate(value):
        line = value.line_of(j)
        if not isinstance(item, str) or not CURIE.match(item):
            example = "mlm:deep-learning" if prefix == "mlm" else "mlp:phase-retrieval"
            rec.error(key, f"{describe_value(item)} is not a concept CURIE like {example}", line)
        elif not item.startswith(prefix + ":"):
            scheme = "methods (mlm:)" if prefix == "mlm" else "problems (mlp:)"
            rec.error(key, f"{item} is not a concept of the {scheme} scheme", line)
        elif any(item == c for c, _ in out):
            rec.error(key, f"{item} is listed twice", line)
        else:
            out.append((item, line))
    return out if len(out) == len(value) else None


def load_dataset(data_dir: Path | str | None = None) -> Dataset:
    """Read and check every curated file in ``data_dir`` (default: the shipped data)."""
    from mlcryst.load.sections import (
        check_cross_references,
        load_catalogue,
        load_editorial,
        load_overrides,
        load_references,
    )

    root = Path(data_dir) if data_dir is not None else default_data_dir()
    if not root.is_dir():
        raise DataError("data folder not found", file=str(root))
    docs = read_documents(root)
    errors: list[DataError] = []
    journals = load_journals(docs["journals"], errors)
    people = load_people(docs["people"], errors)
    resolver = People(people)
    papers = load_papers(docs["papers"], journals, resolver, errors)
    references = load_references(docs["references"], journals, resolver, errors)
    databases, standards, software = load_catalogue(docs["databases"], errors)
    editorial = load_editorial(docs["editorial"], resolver, errors)
    overrides = load_overrides(docs["tagging"], errors)
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
    if not errors:  # with records left out, the checks across files would report them again
        check_cross_references(ds, errors)
    if errors:
        raise errors[0] if len(errors) == 1 else DataErrors(errors)
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
