"""Matching an imported work against the collection: its journal, its authors, duplicates.

>>> fold("Juhás")
'juhas'
>>> initials_extend("S.", "S. J. L."), initials_extend("S. J.", "S. W.")
(True, False)
>>> edit_distance("Gradzinski", "Gradzielski")
2
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mlcryst.curate.works import Author, Work
from mlcryst.load.records import Dataset, Journal, Paper, slug, split_name


def fold(text: str) -> str:
    """Lower case without diacritics (ø, æ, ł too): the form two spellings are compared in."""
    return slug(text).replace("-", "")


def words(text: str) -> str:
    """A title or journal name reduced to lower-case words (for comparing)."""
    return " ".join(re.findall(r"[a-z0-9]+", slug(text).replace("-", " ")))


def initials_extend(a: str, b: str) -> bool:
    """True when one list of initials starts with the other ("S." and "S. J. L.")."""
    x, y = re.findall(r"\w", a.lower()), re.findall(r"\w", b.lower())
    return bool(x) and bool(y) and (x[: len(y)] == y or y[: len(x)] == x)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (small strings: names)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


# --- journals --------------------------------------------------------------------------------


def match_journal(work: Work, journals: dict[str, Journal]) -> tuple[Journal | None, str]:
    """The journal of ``work`` and how it was found (ISSN, title or abbreviation)."""
    issns = {i.upper() for i in work.issn}
    for j in journals.values():
        if issns & {i.upper() for i in j.issn}:
            return j, "ISSN"
    names = [words(c) for c in work.containers if c]
    for j in journals.values():
        for what, value in (("title", j.title), ("abbreviation", j.abbreviation)):
            if value and words(value) in names:
                return j, what
    # a longer title, e.g. "Acta Crystallographica Section A Foundations and Advances"
    best: tuple[int, Journal] | None = None
    for j in journals.values():
        w = words(j.title)
        longer = len(w.split()) >= 3 and any(n.startswith(w + " ") for n in names)
        if longer and (best is None or len(w) > best[0]):
            best = (len(w), j)
    return (best[1], "title") if best else (None, "")


def journal_proposal(work: Work, journals: dict[str, Journal]) -> dict[str, Any]:
    """A proposed journals.yaml entry for a journal the collection does not have yet."""
    titles = [c for c in work.containers if c]
    abbreviation = next((c for c in titles if "." in c), titles[-1] if titles else "")
    title = next((c for c in titles if "." not in c), abbreviation)
    key = slug(abbreviation or title) or "journal"
    n, base = 2, key
    while key in journals:
        key, n = f"{base}-{n}", n + 1
    entry: dict[str, Any] = {"key": key, "title": title, "abbreviation": abbreviation}
    if work.issn:
        entry["issn"] = list(work.issn)
    return entry


# --- people ------------------------------------------------------------------------------------


@dataclass
class NameMatch:
    """What is known of one imported author: the person it is, or the question to ask."""

    printed: str
    person: str | None = None  # a person id, when the printed form is known
    how: str = ""  # "printed form", "recorded variant", "ORCID"
    likely: list[dict[str, str]] = field(default_factory=list)  # candidates and why

    @property
    def question(self) -> bool:
        return self.person is None and bool(self.likely)


class PeopleIndex:
    """Every person of the collection by printed form, variant and ORCID."""

    def __init__(self, ds: Dataset) -> None:
        self.people = ds.people
        self.forms: dict[str, tuple[str, str]] = {}
        self.orcids: dict[str, str] = {}
        for p in ds.people.values():
            self.forms.setdefault(p.name, (p.id, "printed form"))
            for v in p.variants:
                self.forms.setdefault(v.form, (p.id, "recorded variant"))
            orcid = p.orcid
            if orcid:
                self.orcids[orcid] = p.id
        # explicit-only people (an id of their own) are reached only by their id
        for pid, p in ds.people.items():
            if pid != slug(p.name) and self.forms.get(p.name, ("", ""))[0] == pid:
                del self.forms[p.name]

    def match(self, author: Author) -> NameMatch:
        printed = author.printed
        if author.orcid and author.orcid in self.orcids:
            return NameMatch(printed, self.orcids[author.orcid], "ORCID")
        if printed in self.forms:
            pid, how = self.forms[printed]
            return NameMatch(printed, pid, how)
        out = NameMatch(printed)
        family, given = split_name(printed)
        for form, (pid, _) in sorted(self.forms.items()):
            why = _likely(family, given, *split_name(form))
            if why and all(c["person"] != pid for c in out.likely):
                out.likely.append({"person": pid, "name": self.people[pid].name, "why": why})
        return out


def _likely(family: str, given: str, other_family: str, other_given: str) -> str | None:
    """Why two printed names are probably one person, or None."""
    same_family = fold(family) == fold(other_family)
    if family == other_family and given != other_given and initials_extend(given, other_given):
        return f"initials {given!r} and {other_given!r} extend each other"
    if same_family and family != other_family and initials_extend(given, other_given):
        return "the same name but for diacritics"
    a, b = fold(family), fold(other_family)
    if (
        not same_family
        and min(len(a), len(b)) >= 5
        and edit_distance(a, b) <= 2
        and initials_extend(given, other_given)
    ):
        return (
            f"family names {family!r} and {other_family!r} differ by {edit_distance(a, b)} letters"
        )
    return None


# --- duplicates -------------------------------------------------------------------------------


def title_similarity(a: str, b: str) -> float:
    """Share of common words of two titles (1.0: the same words)."""
    x, y = set(words(a).split()), set(words(b).split())
    return len(x & y) / max(len(x | y), 1)


def duplicate_of(work: Work, journal: str | None, papers: list[Paper]) -> tuple[Paper, str] | None:
    """The paper of the collection ``work`` is, and why, or None."""
    for p in papers:
        if work.doi and p.doi and work.doi.lower() == p.doi.lower():
            return p, f"the same DOI {p.doi}"
    for p in papers:
        if journal == p.journal and work.volume == p.volume and work.first_page == p.first_page:
            return p, "the same journal, volume and first page"
    for p in papers:
        same_year = work.title and p.title and work.year == p.year
        if same_year and title_similarity(work.title or "", p.title or "") >= 0.9:
            return p, "a near-identical title in the same year"
    return None


def describe_paper(p: Paper) -> str:
    where = f"Table 1 row {p.row}, " if p.row else ""
    return f"{where}{p.short_label()}, {p.journal} {p.volume}, {p.pages} ({p.where})"
