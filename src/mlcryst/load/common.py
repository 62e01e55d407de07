"""Helpers shared by the loaders of the data files: list/mapping checks, author names and
the resolution of printed names to people.

>>> PERSON_NAME.match("Garcia-Bonete, M.-J.") is not None
True
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mlcryst.errors import DataError
from mlcryst.load.fields import Fields, describe_value, text_problem
from mlcryst.load.records import AuthorRef, Person, Where, slug
from mlcryst.load.text import mixed_script
from mlcryst.load.yamlio import LocatedDict, LocatedList

PERSON_NAME = re.compile(r"^[^\W\d][^,]*, (?:[^\W\d_]{1,2}\.(?:[ -](?=[^\W\d_]))?)+$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CURIE = re.compile(r"^(mlm|mlp):[a-z0-9]+(?:-[a-z0-9]+)*$")
REFERENCE_TYPES = {"article", "preprint", "book", "software", "dataset"}


def _got(doc: Any) -> str:
    return "the file is empty (no YAML document)" if doc is None else f"got {describe_value(doc)}"


def seq_of(
    doc: Any, file: str, errors: list[DataError], what: str = "records", line: int = 1
) -> LocatedList:
    """``doc`` when it is a list, else an empty list (and the error recorded)."""
    if isinstance(doc, LocatedList):
        return doc
    errors.append(DataError(f"expected a list of {what}, {_got(doc)}", file=file, line=line))
    empty = LocatedList()
    empty.file, empty.line, empty.item_lines = file, line, []
    return empty


def map_of(doc: Any, file: str, errors: list[DataError], what: str, line: int = 1) -> LocatedDict:
    """``doc`` when it is a mapping, else an empty mapping (and the error recorded)."""
    if isinstance(doc, LocatedDict):
        return doc
    errors.append(DataError(f"expected a mapping of {what}, {_got(doc)}", file=file, line=line))
    empty = LocatedDict()
    empty.file, empty.line, empty.key_lines = file, line, {}
    return empty


def name_problem(name: str) -> str | None:
    """What is wrong with a printed person or organisation name beyond its form, or None."""
    mixed = mixed_script(name)
    if mixed is None:
        return None
    return f"{name!r} has {mixed}: a look-alike letter? write the name in one script"


def nfc_clash(line: int, was_nfc: bool, other_line: int, other_was_nfc: bool) -> str:
    """The part of a collision message that says which line was written in decomposed form."""
    if was_nfc and other_was_nfc:
        return ""
    edited, kept = (other_line, line) if was_nfc else (line, other_line)
    return (
        f" (line {edited} writes it in decomposed Unicode, not NFC; after normalisation it "
        f"is the same text as at line {kept})"
    )


class People:
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
        self.slugs: dict[str, str] = {}  # printed name -> its slug, for this load only

    def resolve(
        self, name: str, explicit: str | None, rec: Fields, key: str, line: int | None = None
    ) -> str | None:
        """The person id of the printed ``name`` (``explicit``: the id the data gives)."""
        if explicit is not None:
            person = self.people.get(explicit)
            if person is None:
                rec.error(key, f"person {explicit!r} is not in people.yaml", line)
                return None
            if name not in (person.name, *(v.form for v in person.variants)):
                rec.error(key, f"{name!r} is not a printed form of person {explicit!r}", line)
            return explicit
        if name in self.by_form:
            return self.by_form[name]
        pid = self.slugs.get(name)
        if pid is None:
            pid = self.slugs[name] = slug(name)
        if not pid:
            rec.error(key, f"cannot derive an id from the name {name!r}", line)
            return None
        claimed = self.default_ids.setdefault(pid, name)
        if claimed != name:
            rec.error(
                key,
                f"{name!r} and {claimed!r} give the same person id {pid!r}: if they "
                "are one person list the variant in people.yaml, if not give one an "
                "id of its own there",
                line,
            )
        elif pid in self.people:
            rec.error(
                key,
                f"{name!r} gives the id {pid!r} of {self.people[pid].name!r} in "
                "people.yaml: list it there as a variant, or give it an id of its own",
                line,
            )
        return pid


def _explicit_only(person: Person) -> bool:
    return person.id != slug(person.name)


def author_refs(
    rec: Fields, key: str, people: People, organizations: bool
) -> tuple[AuthorRef, ...]:
    """The author list ``key`` of ``rec``: printed names, or ``{name: ..., person: <id>}``."""
    raw = rec.get(key)
    if raw is None:
        return ()
    if not isinstance(raw, LocatedList) or not raw:
        rec.error(key, f"expected a non-empty list of authors, got {describe_value(raw)}")
        return ()
    out: list[AuthorRef] = []
    seen: dict[str, tuple[int, int, bool]] = {}  # person id -> (author number, line, was NFC)
    changed, lines = raw.changed, raw.item_lines
    for i, item in enumerate(raw):
        line = lines[i] if i < len(lines) else raw.line
        explicit = None
        if type(item) is str and item.isascii() and PERSON_NAME.match(item):
            name, was_nfc = item, True  # the common case, checked cheaply
            if "  " in name or "\t" in name or "\n" in name:
                _author_error(rec, key, i, line, f"expected a printed name: {text_problem(name)}")
                continue
        else:
            checked = _author_entry(rec, key, i, line, item, organizations)
            if checked is None:
                continue
            name, explicit, was_nfc = checked
            was_nfc = was_nfc and i not in changed
        pid = people.resolve(name, explicit, rec, key, line)
        if pid is None:
            continue
        if pid in seen:
            number, other_line, other_nfc = seen[pid]
            _author_error(
                rec,
                key,
                i,
                line,
                f"{name!r} is the same person as author {number}"
                f"{nfc_clash(line, was_nfc, other_line, other_nfc)}; if they are two people "
                "printed alike, give one an id in people.yaml and write "
                "{name: ..., person: ...} here",
            )
        seen[pid] = (i + 1, line, was_nfc)
        out.append(AuthorRef(name, pid, Where(rec.file, line)))
    return tuple(out)


def _author_error(rec: Fields, key: str, i: int, line: int, message: str) -> None:
    rec.error(key, f"author {i + 1}: {message}", line)


def _author_entry(
    rec: Fields, key: str, i: int, line: int, item: Any, organizations: bool
) -> tuple[str, str | None, bool] | None:
    """(printed name, explicit person id, was NFC) of one author entry, or None if it is bad."""
    explicit, was_nfc = None, True
    if isinstance(item, LocatedDict):
        name, explicit = item.get("name"), item.get("person")
        was_nfc = "name" not in item.changed
        extra = set(item) - {"name", "person"}
        if extra:
            _author_error(
                rec,
                key,
                i,
                line,
                f"unknown field(s) {sorted(extra)}; an author is a printed name or "
                "{name: ..., person: <id of people.yaml>}",
            )
        if "person" in item:
            problem = text_problem(explicit)
            if problem:
                message = f"person: {problem} (an id of people.yaml)"
                _author_error(rec, key, i, item.line_of("person"), message)
                return None
    elif isinstance(item, list):
        _author_error(rec, key, i, line, f"expected a printed name, got {describe_value(item)}")
        return None
    else:
        name = item
    problem = text_problem(name)
    if problem:
        _author_error(rec, key, i, line, f"expected a printed name: {problem}")
        return None
    assert isinstance(name, str)
    if not PERSON_NAME.match(name) and not (organizations and "," not in name):
        message = f"{name!r} is not a printed name of the form 'Family, I. N.'"
        _author_error(rec, key, i, line, message)
        return None
    problem = name_problem(name)
    if problem:
        _author_error(rec, key, i, line, problem)
        return None
    return name, explicit, was_nfc


def display_path(path: Path) -> str:
    """How a data file is named in messages: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
