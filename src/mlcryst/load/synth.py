"""A synthetic corpus of any size, in the curated data format of ``data/``.

It stands in for the whole ML-in-crystallography literature (tens of thousands of papers) so
the real pipeline (load, tag, build, validate, query, export) can be run and measured at scale.
The corpus is the shipped data folder with ``papers.yaml`` extended by synthetic papers:

* journals and years follow Table 1's mix of journals, with years skewed to the recent past
  (the literature grows roughly exponentially) and volumes that agree with the year;
* authors come from a Yule-Simon (preferential attachment) process: a few prolific authors
  and a long tail of one-paper authors, i.e. a Zipf-like rank-frequency law (Lotka's law);
  the number of authors per paper follows Table 1;
* the problem and approach cells are recombinations of Table 1 phrases, so the method and
  problem tags keep Table 1's mix and every phrase tags exactly as in the real data;
* about one paper in ten names a structural database as its data source.

The 80 Table 1 papers stay as they are (the tagging overrides need them), so ``papers`` is the
total number of papers, at least the number in the seed data.

>>> import tempfile
>>> out = write_corpus(tempfile.mkdtemp(), papers=120, seed=1)
>>> from mlcryst.load.dataset import load_dataset
>>> len(load_dataset(out.folder).papers)
120
"""

from __future__ import annotations

import json
import random
import shutil
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from mlcryst.builder.tagging import split_phrases
from mlcryst.errors import DataError, OutputError
from mlcryst.load.dataset import FILES, load_dataset
from mlcryst.load.records import Dataset, slug
from mlcryst.resources import default_data_dir

#: newest year of the synthetic literature (the editorial's last Table 1 year)
LAST_YEAR = 2024
#: fraction of author slots that go to a new author (Yule-Simon parameter)
NEW_AUTHOR = 0.45
#: share of papers that name a structural database as data source
DATA_SOURCE_SHARE = 0.1

_ONSETS = [
    "b",
    "br",
    "ch",
    "d",
    "dr",
    "f",
    "g",
    "gr",
    "h",
    "j",
    "k",
    "kr",
    "l",
    "m",
    "n",
    "p",
    "pr",
    "r",
    "s",
    "sch",
    "sh",
    "st",
    "t",
    "tr",
    "v",
    "w",
    "z",
    "zh",
]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ei", "ou", "ia", "io"]
_CODAS = ["", "", "", "n", "r", "s", "l", "k", "m", "nd", "rt", "st", "ng"]
_INITIALS = "ABCDEFGHIJKLMNOPRSTVWXYZ"


@dataclass(frozen=True)
class Corpus:
    """What :func:`write_corpus` wrote."""

    folder: Path
    papers: int
    synthetic_papers: int
    authors: int


class _Names:
    """Unique printed person names ("Family, I. J.") whose slugs are not taken."""

    def __init__(self, rng: random.Random, taken: set[str]) -> None:
        self.rng, self.taken = rng, taken

    def _family(self) -> str:
        rng = self.rng
        parts = [
            rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
            for _ in range(rng.choice((2, 2, 3)))
        ]
        return "".join(parts).capitalize()

    def new(self) -> str:
        rng = self.rng
        while True:
            initials = " ".join(f"{c}." for c in rng.sample(_INITIALS, rng.choice((1, 1, 2))))
            name = f"{self._family()}, {initials}"
            key = slug(name)
            if key not in self.taken:
                self.taken.add(key)
                return name


class _Sampler:
    """Draws from a fixed empirical distribution."""

    def __init__(self, items: list, weights: list[float]) -> None:  # type: ignore[type-arg]
        self.items = items
        self.cum = list(accumulate(weights))

    def __call__(self, rng: random.Random):  # type: ignore[no-untyped-def]
        return self.items[bisect(self.cum, rng.random() * self.cum[-1])]


def _empirical(values: list) -> _Sampler:  # type: ignore[type-arg]
    counts: dict[object, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    items = sorted(counts, key=str)
    return _Sampler(items, [counts[i] for i in items])


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _taken_slugs(ds: Dataset) -> set[str]:
    taken = set(ds.people)
    for p in ds.people.values():
        taken.add(slug(p.name))
        taken.update(slug(v.form) for v in p.variants)
    return taken


def _used_keys(ds: Dataset) -> set[tuple[str, int, int]]:
    used = {(p.journal, p.volume, p.first_page) for p in ds.papers}
    for r in ds.references:
        if r.journal and r.volume and r.pages:
            first = r.pages.replace("-", "–").split("–")[0]
            if first.isdigit():
                used.add((r.journal, r.volume, int(first)))
    return used


def generate_papers(ds: Dataset, count: int, seed: int = 0) -> tuple[str, int]:
    """YAML text of ``count`` synthetic paper records (for appending to papers.yaml)."""
    rng = random.Random(seed)
    table1 = ds.table1() or ds.papers
    journal_of = _empirical([p.journal for p in table1])
    n_authors = _empirical([len(p.authors) for p in table1])
    approach_phrases = _empirical([ph for p in table1 for ph in split_phrases(p.approach)])
    problem_phrases = _empirical([ph for p in table1 for ph in split_phrases(p.problem)])
    n_approach = _empirical([len(split_phrases(p.approach)) for p in table1])
    n_problem = _empirical([len(split_phrases(p.problem)) for p in table1])
    databases = sorted(ds.databases)
    names = _Names(rng, _taken_slugs(ds))
    used = _used_keys(ds)
    next_page: dict[tuple[str, int], int] = {}
    slots: list[str] = []  # every author slot so far: preferential attachment draws from it
    authors: set[str] = set()
    out: list[str] = []
    year_cache: dict[int, _Sampler] = {}

    def years_from(first: int) -> _Sampler:
        if first not in year_cache:
            span = list(range(first, LAST_YEAR + 1))
            year_cache[first] = _Sampler(span, [1.16 ** (y - LAST_YEAR) for y in span])
        return year_cache[first]

    def cell(phrases: _Sampler, how_many: _Sampler) -> str:
        while True:
            k = how_many(rng)
            chosen: list[str] = []
            for _ in range(k * 3):
                ph = phrases(rng)
                if ph not in chosen:
                    chosen.append(ph)
                if len(chosen) == k:
                    break
            text = ", ".join(chosen)
            if split_phrases(text) == chosen:
                return text

    for n in range(count):
        jkey = journal_of(rng)
        journal = ds.journals[jkey]
        first_year = journal.first_year or 1968
        year = years_from(first_year)(rng)
        volume = year - first_year + (journal.first_volume or 1)
        page = next_page.get((jkey, volume)) or rng.randint(1, 40)
        while (jkey, volume, page) in used:
            page += 1
        length = rng.randint(4, 16)
        next_page[jkey, volume] = page + length + 1
        used.add((jkey, volume, page))
        team: list[str] = []
        for _ in range(n_authors(rng)):
            for _attempt in range(10):
                if not slots or rng.random() < NEW_AUTHOR:
                    name = names.new()
                else:
                    name = slots[int(rng.random() * len(slots))]
                if name not in team:
                    break
            else:
                name = names.new()
            team.append(name)
        slots.extend(team)
        authors.update(team)
        lines = [
            f"- journal: {jkey}",
            f"  year: {year}",
            f"  volume: {volume}",
            f"  pages: {page}–{page + length}",
            "  authors:",
        ]
        lines += [f"    - {_q(a)}" for a in team]
        lines.append(f"  problem: {_q(cell(problem_phrases, n_problem))}")
        lines.append(f"  approach: {_q(cell(approach_phrases, n_approach))}")
        if databases and rng.random() < DATA_SOURCE_SHARE:
            lines.append(f"  data_sources: [{rng.choice(databases)}]")
        lines.append(f"  source: synthetic paper {n + 1} (mlcryst synth, seed {seed})")
        out.append("\n".join(lines))
    return "\n".join(out) + "\n" if out else "", len(authors)


def write_corpus(
    out_dir: Path | str, papers: int, seed: int = 0, data_dir: Path | str | None = None
) -> Corpus:
    """Write a data folder of ``papers`` papers: the seed data plus synthetic papers."""
    src = Path(data_dir) if data_dir is not None else default_data_dir()
    ds = load_dataset(src)
    if papers < len(ds.papers):
        raise DataError(
            f"a corpus needs at least the {len(ds.papers)} papers of the seed data, not {papers}",
            file=str(src),
        )
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name in FILES.values():
            if name != FILES["papers"]:
                shutil.copyfile(src / name, out / name)
        text, authors = generate_papers(ds, papers - len(ds.papers), seed)
        seed_text = (src / FILES["papers"]).read_text(encoding="utf-8").rstrip("\n") + "\n"
        header = (
            f"\n# --- synthetic papers (mlcryst synth --papers {papers} --seed {seed}) ---\n"
            if text
            else ""
        )
        (out / FILES["papers"]).write_text(seed_text + header + text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"{out}: cannot write the corpus: {exc.strerror or exc}") from exc
    return Corpus(out, papers, papers - len(ds.papers), authors)
