"""The staging file of a data folder (``staging.yaml``): drafts waiting for review.

``mlcryst add`` turns each imported work into a draft: the record as it will join
``papers.yaml`` (the problem and approach still to be chosen), the journal it matched or a
proposed ``journals.yaml`` entry, each author matched to a person of the collection or asked
about, and the suggested concepts. ``mlcryst review`` lists the drafts; ``--accept`` checks the
record by the normal build of a temporary copy of the data folder with it added, then appends
it to ``papers.yaml`` (and any new person or journal to ``people.yaml``/``journals.yaml``) as
plain text, so comments and layout survive; ``--reject`` drops a draft. The collection's files
are replaced together, with Ctrl-C and SIGTERM held off while they are: they hold the old
state or the new, never half.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlcryst.curate.match import (
    PeopleIndex,
    describe_paper,
    duplicate_of,
    journal_proposal,
    match_journal,
    title_similarity,
)
from mlcryst.curate.works import Work
from mlcryst.curate.yamltext import append_text, dump
from mlcryst.errors import DataError, OutputError, UsageError
from mlcryst.load.records import Dataset, slug
from mlcryst.resources import default_data_dir

STAGING = "staging.yaml"
EXAMPLE = {"methods": "mlm:deep-learning", "problems": "mlp:phase-identification"}
HEADER = """\
# Drafts imported by `mlcryst add`, waiting for `mlcryst review` (see data/README.md,
# "Importing papers"). Nothing here is part of the collection until it is accepted:
#   mlcryst review                       list the drafts, their suggestions and questions
#   mlcryst review --accept KEY ...      check the record and append it to papers.yaml
#   mlcryst review --reject KEY          drop the draft
"""


@dataclass
class AddResult:
    staged: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # duplicates, each naming the record
    problems: list[DataError] = field(default_factory=list)


def data_root(data_dir: Path | str | None) -> Path:
    return Path(data_dir) if data_dir is not None else default_data_dir()


def read_staging(root: Path) -> list[dict[str, Any]]:
    """The drafts of ``root/staging.yaml`` (none when there is no such file)."""
    from mlcryst.load.yamlio import load_file

    path = root / STAGING
    if not path.exists():
        return []
    value = load_file(path, str(path))
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(d, dict) and "draft" in d for d in value):
        raise DataError("expected a list of drafts (- draft: KEY ...)", file=str(path), line=1)
    return [dict(d) for d in value]


def render_staging(drafts: list[dict[str, Any]]) -> bytes:
    return (HEADER + ("\n" + dump(drafts) if drafts else "")).encode("utf-8")


# --- add ----------------------------------------------------------------------------------------


def stage_works(works: list[Work], data_dir: Path | str | None, source_name: str) -> AddResult:
    """Turn ``works`` into drafts in the staging file; duplicates are refused."""
    from mlcryst.curate.suggest import load_vocabulary, suggest
    from mlcryst.load.dataset import load_dataset

    root = data_root(data_dir)
    ds = load_dataset(root)
    people = PeopleIndex(ds)
    vocab = load_vocabulary(root)
    drafts = read_staging(root)
    result = AddResult()
    keys = {d["draft"] for d in drafts}
    for work in works:
        journal, how = match_journal(work, ds.journals)
        jkey = journal.key if journal else None
        dup = duplicate_of(work, jkey, ds.papers)
        if dup is not None:
            paper, why = dup
            notes = _spelling_notes(work, paper, people)
            result.refused.append(
                f"{work.origin}: already in the collection ({why}): {describe_paper(paper)}"
                + "".join(f"\n    {n}" for n in notes)
            )
            continue
        staged = _staged_duplicate(work, jkey, drafts)
        if staged is not None:
            result.refused.append(f"{work.origin}: already staged as draft {staged}")
            continue
        draft = _draft(work, ds, people, journal, how, source_name)
        draft["suggestions"] = {
            k: [s.as_dict() for s in v] for k, v in suggest(work, vocab).items()
        }
        key, n = draft["draft"], 2
        while key in keys:
            key, n = f"{draft['draft']}-{n}", n + 1
        draft["draft"] = key
        keys.add(key)
        drafts.append(draft)
        result.staged.append(draft)
    if result.staged:
        replace_files({root / STAGING: render_staging(drafts)})
    return result


def _staged_duplicate(work: Work, jkey: str | None, drafts: list[dict[str, Any]]) -> str | None:
    for d in drafts:
        rec = d.get("record", {})
        if work.doi and rec.get("doi") and work.doi.lower() == str(rec["doi"]).lower():
            return str(d["draft"])
        first = str(rec.get("pages", "")).split("–")[0]
        same_place = jkey and rec.get("journal") == jkey and rec.get("volume") == work.volume
        if same_place and work.first_page is not None and first == str(work.first_page):
            return str(d["draft"])
        same_year = work.title and rec.get("title") and rec.get("year") == work.year
        if same_year and title_similarity(work.title or "", str(rec["title"])) >= 0.9:
            return str(d["draft"])
    return None


def _spelling_notes(work: Work, paper: Any, people: PeopleIndex) -> list[str]:
    """How the imported author names differ from the recorded ones (spelling variants)."""
    notes = []
    for i, (a, b) in enumerate(zip(work.authors, paper.authors, strict=False)):
        if a.printed == b.name:
            continue
        m = people.match(a)
        if m.person == b.person:
            notes.append(
                f"author {i + 1}: printed {a.printed!r} here, {b.name!r} in the record: "
                f"a {m.how} of person {b.person}"
            )
        else:
            notes.append(
                f"author {i + 1}: printed {a.printed!r} here, {b.name!r} in the record: a "
                "spelling variant? (list it in people.yaml if it is the same person)"
            )
    if len(work.authors) != len(paper.authors):
        notes.append(f"{len(work.authors)} authors here, {len(paper.authors)} in the record")
    return notes


def _draft(
    work: Work, ds: Dataset, people: PeopleIndex, journal: Any, how: str, source_name: str
) -> dict[str, Any]:
    first_family = slug(work.authors[0].family).replace("-", "") if work.authors else "anon"
    draft: dict[str, Any] = {"draft": f"{first_family}{work.year or ''}", "from": work.origin}
    record: dict[str, Any] = {}
    if journal is not None:
        record["journal"] = journal.key
        draft["journal_match"] = f"{journal.key} (by {how})"
    else:
        proposal = journal_proposal(work, ds.journals)
        record["journal"] = proposal["key"]
        draft["new_journal"] = proposal
    for k in ("year", "volume"):
        if getattr(work, k) is not None:
            record[k] = getattr(work, k)
    if work.first_page is not None:
        record["pages"] = f"{work.first_page}–{work.last_page}"
    record["authors"] = [a.printed for a in work.authors]
    if work.title:
        record["title"] = work.title
    if work.doi:
        record["doi"] = work.doi
    record["source"] = (
        f"https://doi.org/{work.doi}" if work.doi else f"{source_name}, entry {work.key}"
    )
    draft["record"] = record
    extra = {
        "issue": work.issue,
        "article_number": work.article_number,
        "abstract": work.abstract,
        "keywords": work.keywords or None,
    }
    draft.update({k: v for k, v in extra.items() if v is not None})
    authors = []
    for a in work.authors:
        m = people.match(a)
        entry: dict[str, Any] = {"printed": a.printed}
        if a.given:
            entry["given"] = a.given
        if a.orcid:
            entry["orcid"] = a.orcid
        if m.person:
            entry["person"] = m.person
            entry["matched_by"] = m.how
        elif m.likely:
            entry["likely"] = m.likely
        else:
            entry["new_person"] = slug(a.printed)
        authors.append(entry)
    draft["authors"] = authors
    return draft


# --- review ----------------------------------------------------------------------------------


def questions(draft: dict[str, Any]) -> list[str]:
    """The name questions of a draft: printed names that are probably a known person."""
    out = []
    for a in draft.get("authors", []):
        for c in a.get("likely", []):
            out.append(f"{a['printed']!r}: person {c['person']} ({c['name']})? {c['why']}")
    return out


def review_listing(data_dir: Path | str | None) -> list[dict[str, Any]]:
    """Every draft, with its duplicates in the collection as it is now."""
    from mlcryst.load.dataset import load_dataset

    root = data_root(data_dir)
    drafts = read_staging(root)
    if not drafts:
        return []
    ds = load_dataset(root)
    for d in drafts:
        rec = d["record"]
        first = str(rec.get("pages", "")).split("–")[0]
        work = Work(
            str(d.get("from")),
            title=rec.get("title"),
            year=rec.get("year"),
            volume=rec.get("volume"),
            first_page=int(first) if first.isdigit() else None,
            doi=rec.get("doi"),
        )
        dup = duplicate_of(work, rec.get("journal"), ds.papers)
        d["duplicate_of"] = f"{describe_paper(dup[0])} ({dup[1]})" if dup else None
        d["questions"] = questions(d)
    return drafts


def reject(data_dir: Path | str | None, key: str) -> None:
    root = data_root(data_dir)
    drafts = read_staging(root)
    if not any(d["draft"] == key for d in drafts):
        raise UsageError(f"no draft {key!r} in {root / STAGING}")
    replace_files({root / STAGING: render_staging([d for d in drafts if d["draft"] != key])})


@dataclass
class Accepted:
    key: str
    record: dict[str, Any]
    files: list[Path]
    new_people: list[str]
    new_journal: str | None


def accept(
    data_dir: Path | str | None,
    key: str,
    methods: list[str] | None = None,
    problems: list[str] | None = None,
    persons: Mapping[str, str] | None = None,
) -> Accepted:
    """Check the draft's record by building a copy of the data folder with it added; then
    append it to papers.yaml (and people.yaml, journals.yaml) and drop the draft."""
    from mlcryst.curate.suggest import load_vocabulary
    from mlcryst.load.dataset import load_dataset

    root = data_root(data_dir)
    drafts = read_staging(root)
    draft = next((d for d in drafts if d["draft"] == key), None)
    if draft is None:
        raise UsageError(f"no draft {key!r} in {root / STAGING}")
    ds = load_dataset(root)
    persons = dict(persons or {})
    record = dict(draft["record"])
    if "pages" not in record:
        number = draft.get("article_number")
        raise UsageError(
            f"draft {key}: papers.yaml takes first–last pages"
            + (f"; this work has only the article number {number}" if number else "")
        )
    # the concepts: chosen, or the exact-label suggestions
    vocab = load_vocabulary(root)
    chosen = {"approach": methods, "problem": problems}
    for column, kind in (("approach", "methods"), ("problem", "problems")):
        curies = chosen[column]
        if curies is None:
            curies = [
                s["concept"]
                for s in draft.get("suggestions", {}).get(kind, [])
                if float(s["score"]) >= 1.0
            ]
        if not curies:
            raise UsageError(
                f"draft {key}: no {kind} chosen and no exact-label suggestion: give "
                f"--{kind} with concept ids (e.g. {EXAMPLE[kind]})"
            )
        labels = []
        for curie in curies:
            iri = vocab.curie_to_iri(curie)
            prefix = "mlm" if column == "approach" else "mlp"
            if iri is None or not curie.startswith(prefix + ":"):
                raise UsageError(f"--{kind}: {curie!r} is not a concept of the {kind} scheme")
            labels.append(_pref_label(vocab, column, iri, root))
        record[column] = ", ".join(labels)
    # the people
    people_text = (root / "people.yaml").read_bytes()
    authors: list[Any] = []
    new_people: list[str] = []
    known_ids = set(ds.people)
    open_questions = []
    for a in draft["authors"]:
        printed = a["printed"]
        answer = persons.pop(printed, None)
        if answer is None and "person" in a:
            authors.append(_author_entry(printed, a["person"], ds))
            continue
        if answer is None and a.get("likely"):
            open_questions.append(a)
            continue
        if answer in (None, "new"):
            pid = slug(printed)
            explicit = pid in known_ids
            n = 2
            while pid in known_ids:
                pid, n = f"{slug(printed)}-{n}", n + 1
            known_ids.add(pid)
            if explicit or a.get("given") or a.get("orcid"):
                entry: dict[str, Any] = {"id": pid, "name": printed}
                if a.get("given"):
                    entry["given_name"] = a["given"]
                if a.get("orcid"):
                    entry["orcid"] = a["orcid"]
                entry["note"] = f"Added with {_citation(record, ds)} by mlcryst review."
                people_text = append_text(people_text, dump([entry]))
            authors.append({"name": printed, "person": pid} if explicit else printed)
            new_people.append(pid)
            continue
        if answer not in ds.people:
            raise UsageError(f"--person {printed}={answer}: no person {answer!r} in the collection")
        person = ds.people[answer]
        if printed not in (person.name, *(v.form for v in person.variants)):
            people_text = _add_variant(people_text, person, printed, _citation(record, ds))
        authors.append(_author_entry(printed, answer, ds))
    if open_questions:
        lines = [q for a in open_questions for q in questions({"authors": [a]})]
        raise UsageError(
            f"draft {key}: answer the name questions with --person 'PRINTED=ID' (the same "
            "person) or --person 'PRINTED=new' (someone else):\n  " + "\n  ".join(lines)
        )
    if persons:
        raise UsageError(f"--person: no author printed {sorted(persons)[0]!r} in draft {key}")
    record["authors"] = authors
    ordered = {
        k: record[k]
        for k in (
            "journal",
            "year",
            "volume",
            "pages",
            "authors",
            "problem",
            "approach",
            "title",
            "doi",
            "source",
        )
        if k in record
    }
    changes = {
        root / "papers.yaml": append_text((root / "papers.yaml").read_bytes(), dump([ordered])),
        root / STAGING: render_staging([d for d in drafts if d["draft"] != key]),
    }
    if people_text != (root / "people.yaml").read_bytes():
        changes[root / "people.yaml"] = people_text
    new_journal = draft.get("new_journal")
    if new_journal:
        entry = {k: v for k, v in new_journal.items() if k != "key"}
        text = append_text((root / "journals.yaml").read_bytes(), dump({new_journal["key"]: entry}))
        changes[root / "journals.yaml"] = text
    check_with(root, changes)
    replace_files(changes)
    return Accepted(
        key, ordered, list(changes), new_people, new_journal["key"] if new_journal else None
    )


def _author_entry(printed: str, pid: str, ds: Dataset) -> Any:
    """A printed name, or {name, person} where the name alone would not reach ``pid``."""
    p = ds.people.get(pid)
    if p is not None and pid != slug(p.name):
        return {"name": printed, "person": pid}
    return printed


def _pref_label(vocab: Any, column: str, iri: Any, root: Path) -> str:
    labels = [lbl for lbl, c in vocab.by_label[column].items() if c == iri]
    from rdflib.namespace import SKOS

    from mlcryst.builder.graph import load_vocabularies
    from mlcryst.collection import collection_of_data

    pref = load_vocabularies(collection_of_data(root).ontology_dir).value(iri, SKOS.prefLabel)
    return str(pref) if pref is not None else labels[0]


def _citation(record: dict[str, Any], ds: Dataset) -> str:
    j = ds.journals.get(record.get("journal", ""))
    abbr = j.abbreviation if j else record.get("journal", "")
    return f"{abbr} {record.get('volume')}, {record.get('pages')} ({record.get('year')})"


def _add_variant(text: bytes, person: Any, form: str, seen_in: str) -> bytes:
    """people.yaml with ``form`` recorded as a variant of ``person``: its entry rewritten in
    place if it has one, else a new entry appended."""
    entry: dict[str, Any] = {"id": person.id, "name": person.name}
    if person.given_name:
        entry["given_name"] = person.given_name
    if person.orcid:
        entry["orcid"] = person.orcid
    variants = [{"form": v.form, "seen_in": v.seen_in} for v in person.variants]
    entry["variants"] = [*variants, {"form": form, "seen_in": f"papers.yaml, {seen_in}"}]
    entry["note"] = person.note or f"{form} added as a variant by mlcryst review."
    new = dump([entry]).encode("utf-8")
    where = person.where
    if where is None or not where.file.endswith("people.yaml"):
        return append_text(text, new.decode("utf-8"))
    lines = text.splitlines(keepends=True)
    start = where.line - 1
    end = start + 1
    while end < len(lines) and (lines[end].startswith((b" ", b"\t")) or not lines[end].strip()):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return b"".join([*lines[:start], new, *lines[end:]])


# --- checking and writing -----------------------------------------------------------------------


def check_with(root: Path, changes: Mapping[Path, bytes]) -> None:
    """Build a temporary copy of the data folder with ``changes`` (the loader's checks and
    SHACL, as ``mlcryst build``): raises the build's error, naming the copy's file as the
    collection's."""
    from mlcryst.collection import collection_of_data
    from mlcryst.errors import DataErrors
    from mlcryst.pipeline import build

    with tempfile.TemporaryDirectory(prefix="mlcryst-accept-") as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(root, copy)
        for path, data in changes.items():
            (copy / path.name).write_bytes(data)
        try:
            # the copy keeps the vocabularies and shapes of the collection it came from
            collection = collection_of_data(root)
            build(None, data_dir=copy, visuals=False, store="rdflib", collection=collection)
        except DataErrors as exc:
            for e in exc.errors:
                _rename(e, copy, root)
            raise
        except DataError as exc:
            _rename(exc, copy, root)
            raise


def _rename(exc: DataError, copy: Path, root: Path) -> None:
    if exc.file and str(copy) in exc.file:
        exc.file = exc.file.replace(str(copy), str(root))
        exc.args = (str(exc),)


def replace_files(files: Mapping[Path, bytes]) -> None:
    """Write every file to a temporary sibling first, then rename them all into place with
    SIGINT and SIGTERM held off: an interrupted run leaves the old files or the new ones."""
    temps: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append((Path(tmp), path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
            os.chmod(tmp, mode)
        held = {signal.SIGINT, signal.SIGTERM}
        old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
        try:
            for tmp_path, path in temps:
                os.replace(tmp_path, path)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
    except OSError as exc:
        raise OutputError(f"cannot write the collection's files: {exc}") from exc
    finally:
        for tmp_path, _ in temps:
            tmp_path.unlink(missing_ok=True)
