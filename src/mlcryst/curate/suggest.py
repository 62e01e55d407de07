"""Suggested method and problem concepts for an imported work, from its title, abstract and
keywords, through the SKOS labels (prefLabel, altLabel, hiddenLabel) of the two schemes.

Exact label phrases first (the tagger's own matcher, :mod:`mlcryst.builder.tagging`: whole
words, longest label first), then close matches: phrases of one to three words that equal a
label once plurals and hyphens are set aside ("neural networks", "auto-encoder"). Each
suggestion names the field and the phrase that is its evidence, and a score: 1.0 for an exact
label in the title or keywords, 0.9 in the abstract; 0.7 and 0.6 for close matches.

>>> norm_words("Convolutional Neural-Networks")
('convolutional', 'neural', 'network')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mlcryst.curate.works import Work

if TYPE_CHECKING:
    from mlcryst.builder.tagging import Vocabulary

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


@dataclass(frozen=True)
class Suggestion:
    concept: str  # CURIE, e.g. mlm:neural-network
    label: str  # the label matched
    field: str  # title | keywords | abstract
    evidence: str  # the phrase of the work
    score: float

    def as_dict(self) -> dict[str, object]:
        return {
            "concept": self.concept,
            "label": self.label,
            "field": self.field,
            "evidence": self.evidence,
            "score": self.score,
        }


def _singular(w: str) -> str:
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "ches", "shes", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def norm_words(text: str) -> tuple[str, ...]:
    return tuple(_singular(w) for w in WORD.findall(text.casefold().replace("-", " ")))


def suggest(work: Work, vocab: Vocabulary) -> dict[str, list[Suggestion]]:
    """``{"methods": [...], "problems": [...]}``, best first, one suggestion per concept."""
    from mlcryst.prefixes import CONVERTER

    fields = [("title", work.title or ""), ("keywords", "; ".join(work.keywords))]
    fields.append(("abstract", work.abstract or ""))
    out: dict[str, list[Suggestion]] = {}
    for column, key in (("approach", "methods"), ("problem", "problems")):
        found: dict[str, Suggestion] = {}
        # exact labels, as the tagger matches them
        for fname, text in fields:
            folded = text.casefold()
            for m in vocab.patterns[column].finditer(folded):
                concept = CONVERTER.compress(str(vocab.by_label[column][m.group(0)]))
                score = 0.9 if fname == "abstract" else 1.0
                s = Suggestion(concept, m.group(0), fname, text[m.start() : m.end()], score)
                if concept not in found or found[concept].score < score:
                    found[concept] = s
        # close matches: 1-3 word phrases equal to a label but for plurals and hyphens
        labels: dict[tuple[str, ...], tuple[str, str]] = {}
        for label, iri in vocab.by_label[column].items():
            n = norm_words(label)
            if 1 <= len(n) <= 3:
                labels.setdefault(n, (label, CONVERTER.compress(str(iri))))
        for fname, text in fields:
            spans = [(m.group(0), m.start(), m.end()) for m in WORD.finditer(text)]
            normed = [norm_words(w)[0] if norm_words(w) else "" for w, _, _ in spans]
            for size in (3, 2, 1):
                for i in range(len(spans) - size + 1):
                    hit = labels.get(tuple(normed[i : i + size]))
                    if hit is None:
                        continue
                    label, concept = hit
                    if concept in found:
                        continue
                    score = 0.6 if fname == "abstract" else 0.7
                    evidence = text[spans[i][1] : spans[i + size - 1][2]]
                    found[concept] = Suggestion(concept, label, fname, evidence, score)
        out[key] = sorted(found.values(), key=lambda s: (-s.score, s.concept))
    return out


def load_vocabulary(data_dir: Path | None = None) -> Vocabulary:
    """The tagger's vocabulary of the schemes of the collection whose data folder is
    ``data_dir`` (the shipped schemes for a bare data folder)."""
    from mlcryst.builder.graph import load_vocabularies
    from mlcryst.builder.tagging import vocabulary_from_graph
    from mlcryst.collection import collection_of_data

    return vocabulary_from_graph(load_vocabularies(collection_of_data(data_dir).ontology_dir))
