"""What changed between two versions of a collection, in a curator's terms (``mlcryst diff``).

Both versions are read as graphs through the one store interface
(:meth:`~mlcryst.stores.base.GraphStore.view`: triple reads, the author lists walked as
``rdf:List`` cells, so blank nodes are compared by position, never by label), from two graph
files or from two git revisions of a collection (:func:`revision_store`: the revision's
``data/``, ``ontology/`` and ``mlcryst.toml`` read with ``git ls-tree`` and ``git cat-file``
into a temporary folder and built by the normal build; the work tree is never touched).

:func:`diff_graphs` returns a :class:`Diff`:

- **papers** (``fabio:JournalArticle``) added, removed, and changed field by field (title,
  year, journal, volume, pages, DOI, authors in order, databases, software, Table 1 row,
  problem and approach cells, source), each old → new;
- **tags** (``mlc:usesMethod``, ``mlc:addressesProblem``) added and removed per paper present
  in both;
- **people** (``foaf:Person``, ``foaf:Organization``) added, removed, **merged** (two or more
  person IRIs of OLD whose author positions all belong to one person of NEW), **split** (the
  reverse), and changed (name, family and given names, name variants, note);
- **concepts** (``skos:Concept``) added, removed, and changed (preferred label, alternative
  and hidden labels, definition, broader concepts, scheme).

Each change is reported once: a person absorbed by a merge is not also "removed", an author
position explained by a merge or split is not also a change of the paper's authors, and tag
changes are not repeated among a paper's field changes. The paper's label and citation text
are derived from its fields and not compared themselves; :attr:`Diff.triples` gives the size of
both graphs. :func:`render` writes a :class:`Diff` as ``table``, ``json`` or ``markdown``.

>>> from mlcryst.stores.registry import store_from_text
>>> paper = '<https://e.org/p> a <http://purl.org/spar/fabio/JournalArticle> ; '
>>> old = store_from_text(paper + '<http://purl.org/dc/terms/title> "Old" .', "turtle")
>>> new = store_from_text(paper + '<http://purl.org/dc/terms/title> "New" .', "turtle")
>>> diff_graphs(old, old).empty
True
>>> diff_graphs(old, new).papers.changed[0].changes
(FieldChange(field='title', old='Old', new='New', added=(), removed=()),)
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Set
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from mlcryst.errors import DataError, UsageError

if TYPE_CHECKING:
    from mlcryst.collection import Collection
    from mlcryst.stores.base import GraphStore, GraphView

#: output formats of :func:`render`
FORMATS = ("table", "json", "markdown")

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF = "http://xmlns.com/foaf/0.1/"
DCTERMS = "http://purl.org/dc/terms/"
PRISM = "http://prismstandard.org/namespaces/basic/2.0/"
FABIO = "http://purl.org/spar/fabio/"
MLC = "https://w3id.org/mlcryst/ontology#"
BIBO_AUTHOR_LIST = "http://purl.org/ontology/bibo/authorList"

#: paper fields compared as one value: name -> predicate (IRI objects shown by their labels)
PAPER_VALUES: tuple[tuple[str, str], ...] = (
    ("title", DCTERMS + "title"),
    ("year", FABIO + "hasPublicationYear"),
    ("journal", DCTERMS + "isPartOf"),
    ("volume", PRISM + "volume"),
    ("doi", PRISM + "doi"),
    ("problem (Table 1 cell)", MLC + "problemStatement"),
    ("approach (Table 1 cell)", MLC + "approachStatement"),
    ("source", DCTERMS + "source"),
)
#: paper fields compared as sets
PAPER_SETS: tuple[tuple[str, str], ...] = (
    ("databases", "http://purl.org/spar/cito/citesAsDataSource"),
    ("software", MLC + "usesSoftware"),
)
#: the tags of a paper, compared as sets
TAGS: tuple[tuple[str, str], ...] = (
    ("methods", MLC + "usesMethod"),
    ("problems", MLC + "addressesProblem"),
)
PERSON_VALUES: tuple[tuple[str, str], ...] = (
    ("name", RDFS + "label"),
    ("display name", FOAF + "name"),
    ("family name", FOAF + "familyName"),
    ("given name", FOAF + "givenName"),
    ("note", SKOS + "editorialNote"),
)
PERSON_SETS: tuple[tuple[str, str], ...] = (("name variants", SKOS + "altLabel"),)
CONCEPT_VALUES: tuple[tuple[str, str], ...] = (
    ("preferred label", SKOS + "prefLabel"),
    ("definition", SKOS + "definition"),
)
CONCEPT_SETS: tuple[tuple[str, str], ...] = (
    ("alternative labels", SKOS + "altLabel"),
    ("hidden labels", SKOS + "hiddenLabel"),
    ("broader", SKOS + "broader"),
    ("scheme", SKOS + "inScheme"),
)

Value = str | tuple[str, ...] | None


# --- the result ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """A paper, person or concept: its IRI and what a curator calls it."""

    iri: str
    label: str


@dataclass(frozen=True)
class FieldChange:
    """One field of an item, old → new; for a set-valued field also what was added and
    removed (``old`` and ``new`` are then the sorted members)."""

    field: str
    old: Value
    new: Value
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Changed:
    """An item present in both graphs whose fields differ."""

    iri: str
    label: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Position:
    """Author ``position`` (from 1) of the work ``work``."""

    work: str
    label: str
    position: int


@dataclass(frozen=True)
class Regrouping:
    """People of OLD whose author positions belong to other people in NEW: a merge (several
    ``old`` into one ``new``) or a split (one ``old`` into several ``new``)."""

    old: tuple[Item, ...]
    new: tuple[Item, ...]
    #: the positions whose person changed, with the person each now belongs to
    moved: tuple[tuple[Position, str, str], ...]


@dataclass(frozen=True)
class Section:
    """Added, removed and changed items of one kind."""

    added: tuple[Item, ...] = ()
    removed: tuple[Item, ...] = ()
    changed: tuple[Changed, ...] = ()


@dataclass(frozen=True)
class Diff:
    """What changed from ``old`` to ``new`` (see the module docstring)."""

    old: str
    new: str
    papers: Section
    tags: tuple[Changed, ...]
    people: Section
    merged: tuple[Regrouping, ...]
    split: tuple[Regrouping, ...]
    concepts: Section
    triples: tuple[int, int]

    @property
    def empty(self) -> bool:
        """Whether nothing a curator tracks changed."""
        sections = (self.papers, self.people, self.concepts)
        return not (
            any(s.added or s.removed or s.changed for s in sections)
            or self.tags
            or self.merged
            or self.split
        )

    def counts(self) -> dict[str, int]:
        """How many changes of each kind (the keys of the JSON ``summary``)."""
        return {
            "papers_added": len(self.papers.added),
            "papers_removed": len(self.papers.removed),
            "papers_changed": len(self.papers.changed),
            "papers_retagged": len(self.tags),
            "people_added": len(self.people.added),
            "people_removed": len(self.people.removed),
            "people_merged": len(self.merged),
            "people_split": len(self.split),
            "people_changed": len(self.people.changed),
            "concepts_added": len(self.concepts.added),
            "concepts_removed": len(self.concepts.removed),
            "concepts_changed": len(self.concepts.changed),
        }


# --- reading one graph -----------------------------------------------------------------------


def _curie(iri: str) -> str:
    from mlcryst.prefixes import CONVERTER

    return CONVERTER.compress(iri)


class _Reader:
    """The parts of one graph the diff compares, read predicate by predicate."""

    def __init__(self, view: GraphView) -> None:
        from rdflib import URIRef

        self.view = view
        self.uri = URIRef
        self._cache: dict[str, dict[Any, list[Any]]] = {}

    def by_subject(self, predicate: str) -> dict[Any, list[Any]]:
        found = self._cache.get(predicate)
        if found is None:
            found = {}
            for s, o in self.view.subject_objects(self.uri(predicate)):
                found.setdefault(s, []).append(o)
            self._cache[predicate] = found
        return found

    def typed(self, *classes: str) -> list[Any]:
        rdf_type = self.uri(RDF + "type")
        out: set[Any] = set()
        for c in classes:
            out.update(s for s in self.view.subjects(rdf_type, self.uri(c)) if _is_iri(s))
        return sorted(out, key=str)

    def show(self, node: Any) -> str:
        """A node as a curator reads it: a literal's text, an IRI's short title or label (a
        journal, a database), else its CURIE."""
        from rdflib import Literal

        if isinstance(node, Literal):
            return str(node)
        for predicate in (FABIO + "hasShortTitle", RDFS + "label", SKOS + "prefLabel"):
            values = self.by_subject(predicate).get(node)
            if values:
                return min(str(v) for v in values)
        return _curie(str(node))

    def value(self, node: Any, predicate: str) -> str | None:
        values = self.by_subject(predicate).get(node)
        if not values:
            return None
        return " | ".join(sorted(self.show(v) for v in values))

    def members(self, node: Any, predicate: str, *, curie: bool = False) -> tuple[str, ...]:
        values = self.by_subject(predicate).get(node, [])
        return tuple(sorted(_curie(str(v)) if curie else self.show(v) for v in values))

    def authors(self, work: Any) -> tuple[Any, ...]:
        """The members of the work's author list, in order (the list cells are blank nodes:
        they are walked, never compared by label)."""
        from mlcryst.stores.rdflist import items

        heads = self.by_subject(BIBO_AUTHOR_LIST).get(work)
        if not heads:
            return ()
        first = self.by_subject(RDF + "first")
        rest = self.by_subject(RDF + "rest")

        def one(table: dict[Any, list[Any]], n: Any) -> Any:
            values = table.get(n)
            return values[0] if values else None

        return tuple(items(heads[0], lambda n: one(first, n), lambda n: one(rest, n)))

    def pages(self, paper: Any) -> str | None:
        first = self.value(paper, PRISM + "startingPage")
        last = self.value(paper, PRISM + "endingPage")
        if first and last:
            return f"{first}–{last}"
        return first or last or self.value(paper, PRISM + "pageRange")

    def row(self, paper: Any) -> str | None:
        rownums = self.by_subject("http://www.w3.org/ns/csvw#rownum")
        derived = self.by_subject("http://www.w3.org/ns/prov#wasDerivedFrom").get(paper, [])
        rows = sorted(str(n) for d in derived for n in rownums.get(d, []))
        return ", ".join(rows) or None

    def citation_label(self, paper: Any) -> str:
        """ "Feigenbaum et al. (1977), Acta Cryst. A 33, 13–18"."""
        label = self.value(paper, RDFS + "label") or _curie(str(paper))
        where = " ".join(
            v
            for v in (self.value(paper, DCTERMS + "isPartOf"), self.value(paper, PRISM + "volume"))
            if v
        )
        pages = self.pages(paper)
        return ", ".join(x for x in (label, where, pages) if x)

    def person_label(self, person: Any) -> str:
        return (
            self.value(person, RDFS + "label")
            or self.value(person, FOAF + "name")
            or _curie(str(person))
        )


def _is_iri(node: Any) -> bool:
    from rdflib import URIRef

    return isinstance(node, URIRef)


@dataclass
class _Snapshot:
    """What the diff compares, read from one graph."""

    papers: dict[str, dict[str, Value]] = field(default_factory=dict)
    paper_labels: dict[str, str] = field(default_factory=dict)
    tags: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    people: dict[str, dict[str, Value]] = field(default_factory=dict)
    person_labels: dict[str, str] = field(default_factory=dict)
    concepts: dict[str, dict[str, Value]] = field(default_factory=dict)
    concept_labels: dict[str, str] = field(default_factory=dict)
    #: work IRI -> its authors' IRIs in order
    author_lists: dict[str, tuple[str, ...]] = field(default_factory=dict)
    work_labels: dict[str, str] = field(default_factory=dict)
    triples: int = 0


def snapshot(store: GraphStore) -> _Snapshot:
    """Read what :func:`diff_graphs` compares from ``store``."""
    r = _Reader(store.view())
    snap = _Snapshot(triples=len(store))
    for paper in r.typed(FABIO + "JournalArticle"):
        iri = str(paper)
        fields: dict[str, Value] = {}
        for name, predicate in PAPER_VALUES[:4]:
            fields[name] = r.value(paper, predicate)
        fields["pages"] = r.pages(paper)
        fields["authors"] = None  # compared by position in diff_graphs
        for name, predicate in PAPER_VALUES[4:]:
            fields[name] = r.value(paper, predicate)
        fields["Table 1 row"] = r.row(paper)
        for name, predicate in PAPER_SETS:
            fields[name] = r.members(paper, predicate)
        snap.papers[iri] = fields
        snap.paper_labels[iri] = r.citation_label(paper)
        snap.tags[iri] = {name: r.members(paper, p, curie=True) for name, p in TAGS}
    for work in r.by_subject(BIBO_AUTHOR_LIST):
        if _is_iri(work):
            snap.author_lists[str(work)] = tuple(str(a) for a in r.authors(work))
            snap.work_labels[str(work)] = (
                snap.paper_labels.get(str(work))
                or r.value(work, RDFS + "label")
                or _curie(str(work))
            )
    for person in r.typed(FOAF + "Person", FOAF + "Organization"):
        iri = str(person)
        snap.person_labels[iri] = r.person_label(person)
        fields = {name: r.value(person, p) for name, p in PERSON_VALUES}
        fields.update({name: r.members(person, p) for name, p in PERSON_SETS})
        snap.people[iri] = fields
    for concept in r.typed(SKOS + "Concept"):
        iri = str(concept)
        fields = {name: r.value(concept, p) for name, p in CONCEPT_VALUES}
        fields.update(
            {
                name: r.members(concept, p, curie=name in ("broader", "scheme"))
                for name, p in CONCEPT_SETS
            }
        )
        snap.concepts[iri] = fields
        snap.concept_labels[iri] = str(fields["preferred label"] or _curie(iri))
    return snap


# --- comparing -------------------------------------------------------------------------------


def _field_changes(old: Mapping[str, Value], new: Mapping[str, Value]) -> tuple[FieldChange, ...]:
    out = []
    for name in dict.fromkeys([*old, *new]):
        a, b = old.get(name), new.get(name)
        if a == b:
            continue
        if isinstance(a, tuple) and isinstance(b, tuple) and name != "authors":
            out.append(
                FieldChange(
                    name,
                    a,
                    b,
                    added=tuple(x for x in b if x not in a),
                    removed=tuple(x for x in a if x not in b),
                )
            )
        else:
            out.append(FieldChange(name, a, b))
    return tuple(out)


def _section(
    old: Mapping[str, Mapping[str, Value]],
    new: Mapping[str, Mapping[str, Value]],
    old_labels: Mapping[str, str],
    new_labels: Mapping[str, str],
    skip_added: Set[str] = frozenset(),
    skip_removed: Set[str] = frozenset(),
) -> Section:
    added = tuple(Item(i, new_labels[i]) for i in sorted(new.keys() - old.keys() - skip_added))
    removed = tuple(Item(i, old_labels[i]) for i in sorted(old.keys() - new.keys() - skip_removed))
    changed = []
    for iri in sorted(old.keys() & new.keys()):
        changes = _field_changes(old[iri], new[iri])
        if changes:
            changed.append(Changed(iri, new_labels[iri], changes))
    return Section(added, removed, tuple(changed))


def _regroupings(
    old: _Snapshot, new: _Snapshot
) -> tuple[list[Regrouping], list[Regrouping], set[tuple[str, str]]]:
    """Merges and splits: the connected groups of people linked by shared author positions
    (the same work, the same position, in works whose author lists have the same length in
    both graphs) with several people on one side and one on the other. Returns them and the
    (old, new) person pairs they explain."""
    links: dict[tuple[str, str], list[Position]] = {}
    for work, before in old.author_lists.items():
        after = new.author_lists.get(work)
        if after is None or len(after) != len(before):
            continue
        for i, (a, b) in enumerate(zip(before, after, strict=True)):
            label = new.work_labels.get(work, work)
            links.setdefault((a, b), []).append(Position(work, label, i + 1))
    # connected components of the bipartite graph old person -- new person
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        parent[find(("old", a))] = find(("new", b))
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for a, b in links:
        groups.setdefault(find(("old", a)), []).append((a, b))
    merged: list[Regrouping] = []
    split: list[Regrouping] = []
    explained: set[tuple[str, str]] = set()
    for pairs in groups.values():
        olds = sorted({a for a, _ in pairs})
        news = sorted({b for _, b in pairs})
        if len(olds) == 1 and len(news) == 1:
            continue
        if len(olds) > 1 and len(news) > 1:
            continue  # several people on both sides: the papers' author changes say it
        moved = tuple(
            sorted(
                ((pos, a, b) for (a, b) in pairs if a != b for pos in links[a, b]),
                key=lambda m: (m[0].work, m[0].position),
            )
        )
        group = Regrouping(
            tuple(Item(a, old.person_labels.get(a, _curie(a))) for a in olds),
            tuple(Item(b, new.person_labels.get(b, _curie(b))) for b in news),
            moved,
        )
        (merged if len(olds) > 1 else split).append(group)
        explained.update(pairs)
    key = lambda g: (g.new[0].iri, g.old[0].iri)  # noqa: E731
    return sorted(merged, key=key), sorted(split, key=key), explained


def diff_graphs(
    old: GraphStore, new: GraphStore, old_name: str = "OLD", new_name: str = "NEW"
) -> Diff:
    """What changed from the graph ``old`` to the graph ``new``."""
    a, b = snapshot(old), snapshot(new)
    merged, split, explained = _regroupings(a, b)
    for iri in a.papers.keys() & b.papers.keys():
        before, after = a.author_lists.get(iri, ()), b.author_lists.get(iri, ())
        same = len(before) == len(after) and all(
            x == y or (x, y) in explained for x, y in zip(before, after, strict=True)
        )
        if not same:
            a.papers[iri]["authors"] = tuple(a.person_labels.get(x, _curie(x)) for x in before)
            b.papers[iri]["authors"] = tuple(b.person_labels.get(y, _curie(y)) for y in after)
            if a.papers[iri]["authors"] == b.papers[iri]["authors"]:  # same names, other IRIs
                a.papers[iri]["authors"] = tuple(_curie(x) for x in before)
                b.papers[iri]["authors"] = tuple(_curie(y) for y in after)
    papers = _section(a.papers, b.papers, a.paper_labels, b.paper_labels)
    tags = []
    for iri in sorted(a.tags.keys() & b.tags.keys()):
        changes = _field_changes(a.tags[iri], b.tags[iri])
        if changes:
            tags.append(Changed(iri, b.paper_labels[iri], changes))
    gone = {i.iri for g in merged for i in g.old}
    came = {i.iri for g in split for i in g.new}
    people = _section(
        a.people, b.people, a.person_labels, b.person_labels, skip_added=came, skip_removed=gone
    )
    concepts = _section(a.concepts, b.concepts, a.concept_labels, b.concept_labels)
    return Diff(
        old_name,
        new_name,
        papers,
        tuple(tags),
        people,
        tuple(merged),
        tuple(split),
        concepts,
        (a.triples, b.triples),
    )


# --- reading a revision of a collection from git ---------------------------------------------


def _git(top: Path, *args: str, what: str) -> bytes:
    env = {
        **os.environ,
        "GIT_PAGER": "cat",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_OPTIONAL_LOCKS": "0",
        "LC_ALL": "C",
    }
    try:
        done = subprocess.run(
            ["git", "-c", "core.fsmonitor=false", "-C", str(top), *args],
            capture_output=True,
            env=env,
            timeout=120,
            check=False,
        )
    except FileNotFoundError:
        raise UsageError("--git needs the git command, which is not installed") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"git did not answer within 120 s ({what})") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"{what}: {message[-1] if message else 'git failed'}")
    return done.stdout


@dataclass(frozen=True)
class Repository:
    """Where a collection sits in its git repository."""

    top: Path
    #: the collection folder relative to ``top`` ("" at the top, else "sub/dir/")
    prefix: str


def repository_of(collection: Collection) -> Repository:
    """The git repository holding ``collection`` (:class:`UsageError` when there is none)."""
    if collection.root is None:
        raise UsageError(
            "--git compares revisions of a collection folder in a git repository; no "
            "mlcryst.toml here or above (give --collection DIR)"
        )
    root = collection.root.resolve()
    top = Path(
        _git(root, "rev-parse", "--show-toplevel", what=f"{root}: not in a git repository")
        .decode("utf-8")
        .strip()
    ).resolve()
    rel = root.relative_to(top).as_posix()
    return Repository(top, "" if rel == "." else rel + "/")


def resolve_revision(repo: Repository, rev: str) -> str:
    """The commit ``rev`` names (:class:`UsageError` for an unknown revision)."""
    if not rev or rev.startswith("-"):
        raise UsageError(f"{rev!r} is not a git revision")
    out = _git(
        repo.top,
        "rev-parse",
        "--verify",
        "--quiet",
        f"{rev}^{{commit}}",
        what=f"unknown git revision {rev!r} in {repo.top}",
    )
    return out.decode("ascii").strip()


@contextmanager
def revision_folder(repo: Repository, rev: str) -> Iterator[tuple[Path, str]]:
    """A temporary collection folder holding the ``data/``, ``ontology/`` and
    ``mlcryst.toml`` of the collection at revision ``rev`` (read with ``git ls-tree`` and
    ``git cat-file``, within the data file budget), and the commit; removed afterwards."""
    import shutil

    from mlcryst.collection import CONFIG_FILE
    from mlcryst.limits import budgets

    commit = resolve_revision(repo, rev)
    limit = budgets().data_file_bytes
    listing = _git(
        repo.top,
        "ls-tree",
        "-r",
        "-l",
        "-z",
        "--full-tree",
        commit,
        "--",
        f"{repo.prefix}data",
        f"{repo.prefix}ontology",
        f"{repo.prefix}{CONFIG_FILE}",
        what=f"cannot list revision {rev}",
    )
    tmp = Path(tempfile.mkdtemp(prefix="mlcryst-diff-"))
    try:
        found: set[str] = set()
        for entry in listing.split(b"\0"):
            if not entry:
                continue
            meta, _, raw_path = entry.partition(b"\t")
            mode, kind, sha, size = meta.split()
            path = PurePosixPath(raw_path.decode("utf-8", "surrogateescape"))
            rel = path.relative_to(repo.prefix) if repo.prefix else path
            if kind != b"blob" or mode == b"120000" or ".." in rel.parts:
                continue  # submodules and symbolic links are not collection files
            if int(size) > limit:
                raise DataError(
                    f"over the budget of {limit:,} bytes (MLCRYST_MAX_DATA_FILE_MB raises it)",
                    file=f"{rev}:{path}",
                )
            blob = _git(
                repo.top, "cat-file", "blob", sha.decode("ascii"), what=f"cannot read {rev}:{path}"
            )
            target = tmp.joinpath(*rel.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(blob)
            found.add(rel.parts[0])
        for folder in ("data", "ontology"):
            if folder not in found:
                raise UsageError(f"revision {rev} has no {repo.prefix}{folder}/ folder")
        yield tmp, commit
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _built(store: str, folder: Path, collection: Collection, where: str, prefix: str) -> GraphStore:
    from mlcryst.stores.registry import open_store

    try:
        return open_store(store, data_dir=folder / "data", collection=collection)
    except DataError as exc:  # name the file as it is in the revision, not the temporary copy
        text = str(exc).replace(str(folder) + os.sep, f"{where}:{prefix}")
        raise DataError(f"{text}") from None


def diff_revisions(
    collection: Collection, old_rev: str, new_rev: str | None, *, store: str = "auto"
) -> Diff:
    """The diff of the collection at git revision ``old_rev`` and at ``new_rev`` (None: the
    work tree as it is, uncommitted edits included), each built by the normal build."""
    from mlcryst.collection import CONFIG_FILE, Collection, read_collection

    repo = repository_of(collection)

    def at(folder: Path) -> Collection:
        if (folder / CONFIG_FILE).is_file():
            return read_collection(folder)
        return Collection(folder)

    with revision_folder(repo, old_rev) as (folder, commit):
        old = _built(store, folder, at(folder), old_rev, repo.prefix)
        old_name = f"{old_rev} ({commit[:12]})"
    if new_rev is None:
        from mlcryst.stores.registry import open_store

        new = open_store(store, data_dir=collection.data_dir, collection=collection)
        new_name = "the work tree"
    else:
        with revision_folder(repo, new_rev) as (folder, commit):
            new = _built(store, folder, at(folder), new_rev, repo.prefix)
            new_name = f"{new_rev} ({commit[:12]})"
    return diff_graphs(old, new, old_name, new_name)


def diff_files(old: Path, new: Path, *, store: str = "auto") -> Diff:
    """The diff of two graph files, each read safely (budgets, no network)."""
    from mlcryst.stores.registry import open_store

    return diff_graphs(open_store(store, old), open_store(store, new), str(old), str(new))


# --- rendering -------------------------------------------------------------------------------


def to_json(diff: Diff) -> dict[str, Any]:
    """The diff as plain data with stable keys (what ``--format json`` writes)."""

    def item(i: Item) -> dict[str, str]:
        return {"iri": i.iri, "label": i.label}

    def change(c: FieldChange) -> dict[str, Any]:
        out: dict[str, Any] = {"field": c.field, "old": _plain(c.old), "new": _plain(c.new)}
        if isinstance(c.old, tuple) and c.field != "authors":
            out["added"] = list(c.added)
            out["removed"] = list(c.removed)
        return out

    def changed(c: Changed) -> dict[str, Any]:
        return {"iri": c.iri, "label": c.label, "changes": [change(f) for f in c.changes]}

    def section(s: Section) -> dict[str, Any]:
        return {
            "added": [item(i) for i in s.added],
            "removed": [item(i) for i in s.removed],
            "changed": [changed(c) for c in s.changed],
        }

    def regrouping(g: Regrouping) -> dict[str, Any]:
        return {
            "old": [item(i) for i in g.old],
            "new": [item(i) for i in g.new],
            "positions": [
                {"work": p.work, "label": p.label, "position": p.position, "old": a, "new": b}
                for p, a, b in g.moved
            ],
        }

    people = section(diff.people)
    people["merged"] = [regrouping(g) for g in diff.merged]
    people["split"] = [regrouping(g) for g in diff.split]
    return {
        "old": diff.old,
        "new": diff.new,
        "changed": not diff.empty,
        "summary": diff.counts(),
        "papers": section(diff.papers),
        "tags": [changed(c) for c in diff.tags],
        "people": people,
        "concepts": section(diff.concepts),
        "triples": {"old": diff.triples[0], "new": diff.triples[1]},
    }


def _plain(value: Value) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _text(value: Value) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, tuple):
        return "; ".join(value) if value else "(none)"
    return value


def _summary(diff: Diff) -> str:
    parts = []
    for kind, keys in (
        ("papers", ("added", "removed", "changed", "retagged")),
        ("people", ("added", "removed", "merged", "split", "changed")),
        ("concepts", ("added", "removed", "changed")),
    ):
        counts = diff.counts()
        said = [f"{counts[f'{kind}_{k}']} {k}" for k in keys if counts[f"{kind}_{k}"]]
        if said:
            parts.append(f"{kind}: " + ", ".join(said))
    return "; ".join(parts) if parts else "no changes"


def _change_lines(c: FieldChange) -> list[tuple[str, str]]:
    """(field, text) lines of one field change: a set as its additions and removals, an
    author list of unchanged length by the positions that changed."""
    if isinstance(c.old, tuple) and c.field != "authors":
        said = [f"+ {x}" for x in c.added] + [f"- {x}" for x in c.removed]
        return [(c.field, "   ".join(said))]
    if (
        c.field == "authors"
        and isinstance(c.old, tuple)
        and isinstance(c.new, tuple)
        and len(c.old) == len(c.new)
    ):
        return [
            (f"author {i}", f"{a} → {b}")
            for i, (a, b) in enumerate(zip(c.old, c.new, strict=True), 1)
            if a != b
        ]
    return [(c.field, f"{_text(c.old)} → {_text(c.new)}")]


@dataclass(frozen=True)
class _Entry:
    """One line of a rendered report, and the field lines under it."""

    mark: str
    label: str
    iri: str
    details: list[tuple[str, str]]


def _details(c: Changed) -> list[tuple[str, str]]:
    return [line for f in c.changes for line in _change_lines(f)]


def _entries(diff: Diff) -> Iterator[tuple[str, _Entry]]:
    """(heading, entry) for every change, in report order."""
    for title, section in (("Papers", diff.papers), ("People", diff.people)):
        for heading, items, mark in (
            (f"{title} added", section.added, "+"),
            (f"{title} removed", section.removed, "-"),
        ):
            for i in items:
                yield heading, _Entry(mark, i.label, i.iri, [])
        if title == "Papers":
            for c in section.changed:
                yield "Papers changed", _Entry("", c.label, c.iri, _details(c))
            for c in diff.tags:
                yield "Tags changed", _Entry("", c.label, c.iri, _details(c))
    for heading, groups in (("People merged", diff.merged), ("People split", diff.split)):
        for g in groups:
            who = " + ".join(i.label for i in g.old) + " → " + " + ".join(i.label for i in g.new)
            iris = " + ".join(i.iri for i in g.old) + " → " + " + ".join(i.iri for i in g.new)
            details = [(f"author {p.position}", f"{p.label}: {a} → {b}") for p, a, b in g.moved]
            yield heading, _Entry("", who, iris, details)
    for c in diff.people.changed:
        yield "People changed", _Entry("", c.label, c.iri, _details(c))
    for heading, items, mark in (
        ("Concepts added", diff.concepts.added, "+"),
        ("Concepts removed", diff.concepts.removed, "-"),
    ):
        for i in items:
            yield heading, _Entry(mark, f"{_curie(i.iri)} {i.label}", i.iri, [])
    for c in diff.concepts.changed:
        yield "Concepts changed", _Entry("", f"{_curie(c.iri)} {c.label}", c.iri, _details(c))


def _grouped(diff: Diff) -> list[tuple[str, list[_Entry]]]:
    out: list[tuple[str, list[_Entry]]] = []
    for heading, entry in _entries(diff):
        if not out or out[-1][0] != heading:
            out.append((heading, []))
        out[-1][1].append(entry)
    return out


def render_table(diff: Diff) -> str:
    """Aligned text for a terminal."""
    lines = [f"{diff.old} → {diff.new}: {_summary(diff)}"]
    for heading, entries in _grouped(diff):
        lines += ["", f"{heading} ({len(entries)})"]
        for e in entries:
            lines.append(f"  {e.mark + ' ' if e.mark else ''}{e.label}  <{e.iri}>")
            width = max((len(f) for f, _ in e.details), default=0)
            lines += [f"      {f.ljust(width)}  {text}" for f, text in e.details]
    lines += ["", f"triples: {diff.triples[0]} → {diff.triples[1]}"]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text safe in a Markdown table cell or list item."""
    out = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    for ch in "*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    return out


def _code(text: str) -> str:
    """``text`` as Markdown code (IRIs): a backtick inside is fenced by two."""
    fence = "``" if "`" in text else "`"
    return f"{fence}{text.replace('|', '%7C')}{fence}"


def render_markdown(diff: Diff) -> str:
    """Markdown for a pull-request comment."""
    summary = _summary(diff)
    lines = [
        f"### Collection changes: {_md(diff.old)} → {_md(diff.new)}",
        "",
        _md(summary[:1].upper() + summary[1:]) + ".",
    ]
    for heading, entries in _grouped(diff):
        lines += ["", f"#### {heading} ({len(entries)})", ""]
        for e in entries:
            lines.append(f"- {_md(e.label)} ({_code(e.iri)})")
            if e.details:
                lines += ["", "  | field | change |", "  |---|---|"]
                lines += [f"  | {_md(f)} | {_md(text)} |" for f, text in e.details]
                lines.append("")
    lines += ["", f"Triples: {diff.triples[0]} → {diff.triples[1]}."]
    return "\n".join(lines) + "\n"


def render(diff: Diff, fmt: str) -> str:
    """The diff as ``table``, ``json`` or ``markdown`` text."""
    if fmt == "json":
        return json.dumps(to_json(diff), ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        return render_markdown(diff)
    if fmt == "table":
        return render_table(diff)
    raise UsageError(f"unknown diff format {fmt!r}; choose one of {', '.join(FORMATS)}")
