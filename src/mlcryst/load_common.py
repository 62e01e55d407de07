"""Helpers shared by the loaders of the data files: list/mapping checks, author names and
the resolution of printed names to people.

>>> PERSON_NAME.match("Garcia-Bonete, M.-J.") is not None
True
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .errors import DataError
from .fields import Fields
from .records import AuthorRef, Person, Where, slug
from .yamlio import LocatedDict, LocatedList

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
            rec.error(
                key,
                f"{name!r} and {claimed!r} give the same person id {pid!r}: if they "
                "are one person list the variant in people.yaml, if not give one an "
                "id of its own there",
            )
        elif pid in self.people:
            rec.error(
                key,
                f"{name!r} gives the id {pid!r} of {self.people[pid].name!r} in "
                "people.yaml: list it there as a variant, or give it an id of its own",
            )
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
            rec.errors.append(
                DataError(
                    f"author {i + 1}: {name!r} is not a printed name of the form 'Family, I. N.'",
                    file=rec.file,
                    line=line,
                    record=rec.record,
                    field=key,
                )
            )
            continue
        pid = people.resolve(name, explicit, rec, key)
        if pid is None:
            continue
        if pid in seen:
            rec.errors.append(
                DataError(
                    f"author {i + 1}: {name!r} is the same person as author {seen[pid]}; "
                    "if they are two people printed alike, give one an id in people.yaml and write "
                    "{name: ..., person: ...} here",
                    file=rec.file,
                    line=line,
                    record=rec.record,
                    field=key,
                )
            )
        seen[pid] = i + 1
        out.append(AuthorRef(name, pid, Where(rec.file, line)))
    return tuple(out)


def _display(path: Path) -> str:
    """How a data file is named in messages: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
