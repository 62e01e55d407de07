"""Derive method and problem tags from the free-text cells of Table 1, and from the explicit
concept lists (``methods``, ``problems``) a paper record may give.

A cell is split into phrases at top-level ", " and ". ". A phrase listed in
``data/tagging.yaml`` takes the concepts given there (possibly none). Any other phrase is
matched against the SKOS labels (pref, alt and hidden) of the column's concept scheme, as whole
words, longest label first; it must match at least one.

>>> split_phrases("Structure determination from powder diffraction (crystal system, space group)")
['Structure determination from powder diffraction (crystal system, space group)']
>>> split_phrases("Binary classifier. Pioneering use of neural net")
['Binary classifier', 'Pioneering use of neural net']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from mlcryst.errors import DataError, DataErrors
from mlcryst.load.records import Dataset, Paper
from mlcryst.namespaces import MLM, MLP

COLUMNS = {"approach": MLM, "problem": MLP}
SCHEMES = {URIRef(str(MLM)): "mlm", URIRef(str(MLP)): "mlp"}


def split_phrases(cell: str) -> list[str]:
    """Split a cell at ", " and ". " outside parentheses."""
    phrases: list[str] = []
    depth, start, i = 0, 0, 0
    while i < len(cell):
        ch = cell[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and cell[i : i + 2] in (", ", ". "):
            phrases.append(cell[start:i].strip())
            start = i = i + 2
            continue
        i += 1
    phrases.append(cell[start:].strip().rstrip("."))
    return [p for p in phrases if p]


@dataclass
class Vocabulary:
    """The concepts of the two schemes and a matcher over their labels."""

    scheme_of: dict[URIRef, URIRef]
    patterns: dict[str, re.Pattern[str]]  # column -> compiled label alternation
    by_label: dict[str, dict[str, URIRef]]  # column -> casefolded label -> concept
    _memo: dict[tuple[str, str], list[URIRef]] = field(default_factory=dict, repr=False)

    def match(self, column: str, phrase: str) -> list[URIRef]:
        key = (column, phrase)  # phrases recur across papers: match each one once
        if key not in self._memo:
            self._memo[key] = self._match(column, phrase)
        return list(self._memo[key])

    def _match(self, column: str, phrase: str) -> list[URIRef]:
        found: list[URIRef] = []
        for m in self.patterns[column].finditer(phrase.casefold()):
            concept = self.by_label[column][m.group(0)]
            if concept not in found:
                found.append(concept)
        return found

    def closest(self, curie: str, scheme: str | None = None, n: int = 3) -> list[str]:
        """The concepts (CURIEs) whose CURIE or label is closest to ``curie``, for messages."""
        return closest_concepts(self, curie, scheme, n)

    def curie_to_iri(self, curie: str) -> URIRef | None:
        prefix, _, local = curie.partition(":")
        ns = {"mlm": MLM, "mlp": MLP}.get(prefix)
        iri = URIRef(str(ns) + local) if ns is not None else None
        return iri if iri in self.scheme_of else None


def closest_concepts(
    vocab: Vocabulary, text: str, scheme: str | None = None, n: int = 3
) -> list[str]:
    """CURIEs of the concepts (of ``scheme``, "mlm" or "mlp", or both) closest to ``text``,
    compared with their CURIEs, local names and labels (case and spacing ignored)."""
    import difflib

    wanted = " ".join(text.split()).casefold()
    local = wanted.partition(":")[2] or wanted
    names: dict[str, str] = {}  # a name to compare -> CURIE
    for column, labels in vocab.by_label.items():
        prefix = "mlm" if column == "approach" else "mlp"
        if scheme not in (None, prefix):
            continue
        for label, concept in labels.items():
            curie = f"{prefix}:{str(concept).rsplit('/', 1)[-1]}"
            names.setdefault(label, curie)
            names.setdefault(curie, curie)
            names.setdefault(curie.partition(":")[2], curie)
    found: list[str] = []
    for probe in (wanted, local):
        for name in difflib.get_close_matches(probe, list(names), n=n * 3, cutoff=0.6):
            if names[name] not in found:
                found.append(names[name])
    for name, curie in sorted(names.items()):  # "cnn" is an abbreviation of a label, not close
        if local and local in name.split() and curie not in found:
            found.append(curie)
    return found[:n]


def vocabulary_from_graph(graph: Graph) -> Vocabulary:
    """Index the labels of the methods and problems schemes; labels must not clash."""
    scheme_of: dict[URIRef, URIRef] = {}
    for concept, scheme in graph.subject_objects(SKOS.inScheme):
        is_concept = (concept, RDF.type, SKOS.Concept) in graph
        if isinstance(concept, URIRef) and scheme in SCHEMES and is_concept:
            scheme_of[concept] = scheme  # type: ignore[assignment]
    by_label: dict[str, dict[str, URIRef]] = {c: {} for c in COLUMNS}
    problems: list[DataError] = []
    for column, ns in COLUMNS.items():
        scheme = URIRef(str(ns))
        for concept in sorted(c for c, s in scheme_of.items() if s == scheme):
            for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
                for label in graph.objects(concept, prop):
                    key = " ".join(str(label).split()).casefold()
                    other = by_label[column].setdefault(key, concept)
                    if other != concept:
                        problems.append(
                            DataError(
                                f"the label {str(label)!r} belongs to both {other} and {concept}",
                                file=f"ontology/{'methods' if ns == MLM else 'problems'}.ttl",
                            )
                        )
    if problems:
        raise DataErrors(problems)
    patterns = {
        column: re.compile(
            r"(?<![\w-])(?:"
            + "|".join(re.escape(lbl) for lbl in sorted(labels, key=lambda s: (-len(s), s)))
            + r")(?![\w-])"
        )
        if labels
        else re.compile(r"(?!x)x")
        for column, labels in by_label.items()
    }
    return Vocabulary(scheme_of, patterns, by_label)


@dataclass(frozen=True)
class PhraseTag:
    """How one phrase of one cell was tagged: by labels or by a curated override."""

    column: str  # "approach" or "problem"; "methods" or "problems" for a listed concept
    phrase: str  # the phrase, or the CURIE as listed
    concepts: tuple[URIRef, ...]
    via: str  # "labels", "override <file>:<line>" or "listed <file>:<line>"


@dataclass
class PaperTags:
    methods: list[URIRef] = field(default_factory=list)
    problems: list[URIRef] = field(default_factory=list)
    phrases: list[PhraseTag] = field(default_factory=list)

    def add(self, concepts: Iterable[URIRef], vocab: Vocabulary) -> None:
        """Add concepts to the methods or problems, by their scheme, each once, in order."""
        for c in concepts:
            target = self.methods if vocab.scheme_of[c] == URIRef(str(MLM)) else self.problems
            if c not in target:
                target.append(c)


Overrides = dict[tuple[str, str], tuple[list[URIRef], str]]


def tag_paper(
    paper: Paper,
    vocab: Vocabulary,
    overrides: Overrides,
    errors: list[DataError],
    used: set[tuple[str, str]],
) -> PaperTags:
    tags = PaperTags()
    for column, cell in (("approach", paper.approach), ("problem", paper.problem)):
        for phrase in split_phrases(cell):
            if (phrase, column) in overrides:
                concepts, via = overrides[phrase, column]
                used.add((phrase, column))
            else:
                concepts, via = vocab.match(column, phrase), "labels"
                if not concepts:
                    errors.append(
                        DataError(
                            f"the phrase {phrase!r} matches no concept label; add a label to the "
                            f"vocabulary or an entry to data/tagging.yaml",
                            file=paper.where.file,
                            line=paper.line_of(column),
                            field=column,
                            record=paper.record,
                        )
                    )
            tags.phrases.append(PhraseTag(column, phrase, tuple(concepts), via))
            tags.add(concepts, vocab)
    for fld, curies in (("methods", paper.methods), ("problems", paper.problems)):
        for j, curie in enumerate(curies):
            iri = vocab.curie_to_iri(curie)
            line = paper.line_of(f"{fld}[{j}]")
            if iri is None:
                near = vocab.closest(curie, curie.partition(":")[0])
                hint = f"; closest: {', '.join(near)}" if near else ""
                errors.append(
                    DataError(
                        f"unknown concept {curie}{hint}",
                        file=paper.where.file,
                        line=line,
                        field=fld,
                        record=paper.record,
                    )
                )
                continue
            via = f"listed {paper.where.file}:{line}"
            tags.phrases.append(PhraseTag(fld, curie, (iri,), via))
            tags.add([iri], vocab)
    return tags


def tag_dataset(
    ds: Dataset, vocab: Vocabulary, papers: Iterable[Paper] | None = None
) -> dict[str, PaperTags]:
    """Tag every paper; raise DataErrors naming each unmatched phrase and stale override."""
    errors: list[DataError] = []
    overrides: dict[tuple[str, str], tuple[list[URIRef], str]] = {}
    for o in ds.overrides:
        iris = []
        for curie in o.concepts:
            iri = vocab.curie_to_iri(curie)
            if iri is None:
                errors.append(
                    DataError(
                        f"unknown concept {curie}",
                        file=o.where.file,
                        line=o.where.line,
                        record=f"override {o.phrase!r}",
                        field="concepts",
                    )
                )
            else:
                iris.append(iri)
        overrides[o.phrase, o.column] = (iris, f"override {o.where}")
    used: set[tuple[str, str]] = set()
    result = {
        p.key: tag_paper(p, vocab, overrides, errors, used)
        for p in (ds.papers if papers is None else papers)
    }
    if papers is None:
        for o in ds.overrides:
            if (o.phrase, o.column) not in used:
                errors.append(
                    DataError(
                        f"no {o.column} cell has the phrase {o.phrase!r}: remove the override",
                        file=o.where.file,
                        line=o.where.line,
                        record=f"override {o.phrase!r}",
                        field="phrase",
                    )
                )
    if errors:
        raise DataErrors(errors)
    return result


def tag_report(
    ds: Dataset, vocab: Vocabulary, *, row: int | None = None, paper: str | None = None
) -> list[str]:
    """How each paper's cells and listed concepts became tags, as the lines ``mlcryst tags``
    prints: every paper of the collection (Table 1 first, in row order), or one Table 1 ``row``,
    or one ``paper`` (its key, e.g. ``acta-a-33-13``). :class:`UsageError` names an unknown one."""
    import difflib

    from mlcryst.errors import UsageError
    from mlcryst.prefixes import CONVERTER

    papers = ds.table1() + [p for p in ds.papers if p.row is None]
    if row is not None:
        papers = [p for p in papers if p.row == row]
        if not papers:
            rows = [p.row for p in ds.table1()]
            span = f"rows {rows[0]}-{rows[-1]}" if rows else "no rows"
            raise UsageError(f"--row {row}: no such Table 1 row (the table has {span})")
    if paper is not None:
        keys = [p.key for p in papers]
        papers = [p for p in papers if p.key == paper]
        if not papers:
            near = difflib.get_close_matches(paper, keys, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(repr(k) for k in near)}?" if near else ""
            raise UsageError(f"--paper: no paper with the key {paper!r}{hint}")
    result = tag_dataset(ds, vocab)
    lines: list[str] = []
    for p in papers:
        head = f"row {p.row}" if p.row is not None else f"paper {p.key}"
        lines.append(f"{head}  {p.short_label()}")
        for pt in result[p.key].phrases:
            concepts = ", ".join(CONVERTER.compress(str(c)) for c in pt.concepts) or "(no concept)"
            if pt.via.startswith("listed "):
                lines.append(f"    {pt.column:8} {concepts}  [{pt.via}]")
                continue
            via = "" if pt.via == "labels" else f"  [{pt.via}]"
            lines.append(f"    {pt.column:8} {pt.phrase!r} -> {concepts}{via}")
    return lines
