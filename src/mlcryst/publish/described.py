"""The graph read once into what the site needs: every resource's triples, grouped by the
document (page) its IRI belongs to, the links into each resource, and labels.

Read from the store's canonical N-Triples (:meth:`GraphStore.serialize`, byte-identical on
every store), so blank node labels are canonical and every page is the same on every run;
one pass over the triples, so the cost grows linearly with the graph.

A *document* is the IRI without its fragment: ``.../ontology#usesMethod`` is described on
the page of ``.../ontology``. Only IRIs under the base get pages (:func:`page_path`).

>>> page_path("https://w3id.org/mlcryst/paper/acta-d-58-2043", "https://w3id.org/mlcryst/")
'paper/acta-d-58-2043'
>>> page_path("https://w3id.org/mlcryst/ontology#usesMethod", "https://w3id.org/mlcryst/")
'ontology'
>>> page_path("https://w3id.org/mlcryst/method/", "https://w3id.org/mlcryst/")
'method/'
>>> page_path("https://doi.org/10.1107/x", "https://w3id.org/mlcryst/") is None
True
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mlcryst.errors import OutputError

if TYPE_CHECKING:
    import pyoxigraph as ox

    from mlcryst.stores.base import GraphStore

#: predicates whose values name a resource (first found wins, in this order)
LABELS = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://xmlns.com/foaf/0.1/name",
    "http://purl.org/dc/terms/title",
)
_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+\Z")


def page_path(iri: str, base: str) -> str | None:
    """The site path of the page of ``iri`` (relative to the base; a trailing ``/`` kept),
    or None for an IRI outside the base. A path that could escape the site is refused."""
    if not iri.startswith(base):
        return None
    path = iri[len(base) :].split("#", 1)[0]
    if path in ("", "/"):
        return ""
    parts = path.rstrip("/").split("/")
    for part in parts:
        if not _SEGMENT.match(part) or part in (".", ".."):
            raise OutputError(f"cannot publish <{iri}>: its path has an unsafe segment {part!r}")
    return path


@dataclass
class Described:
    """Every document's subjects and triples, incoming links, labels."""

    base: str
    #: subject (N-Triples text) -> its triples
    by_subject: dict[str, list[ox.Triple]] = field(default_factory=lambda: defaultdict(list))
    #: document path -> the IRIs described there (subjects or objects under the base)
    documents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: object IRI -> [(subject IRI, predicate IRI)] (links into it)
    incoming: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    #: IRI -> its label
    labels: dict[str, str] = field(default_factory=dict)
    triples: int = 0
    classes: set[str] = field(default_factory=set)
    properties: set[str] = field(default_factory=set)

    def label(self, iri: str) -> str:
        """A label for people: the label in the graph, else the end of the IRI."""
        if iri in self.labels:
            return self.labels[iri]
        return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri

    def description(self, path: str) -> list[ox.Triple]:
        """The triples of the document at ``path``: its resources' triples, the blank nodes
        they reach (author lists), and the labels of the IRIs they link to."""
        import pyoxigraph as ox

        out: dict[str, ox.Triple] = {}
        queue = [f"<{iri}>" for iri in sorted(self.documents.get(path, ()))]
        seen = set(queue)
        linked: set[str] = set()
        while queue:
            for t in self.by_subject.get(queue.pop(), ()):
                out[str(t)] = t
                o = t.object
                if isinstance(o, ox.BlankNode) and str(o) not in seen:
                    seen.add(str(o))
                    queue.append(str(o))
                elif isinstance(o, ox.NamedNode) and f"<{o.value}>" not in seen:
                    linked.add(f"<{o.value}>")
        for subject in sorted(linked):
            for t in self.by_subject.get(subject, ()):
                if t.predicate.value in LABELS:
                    out[str(t)] = t
        return [out[k] for k in sorted(out)]


def describe(store: GraphStore, base: str) -> Described:
    """Read ``store`` once (its canonical N-Triples)."""
    import pyoxigraph as ox

    data = store.serialize("nt")
    found = Described(base)
    label_rank: dict[str, int] = {}
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    for quad in ox.parse(data, ox.RdfFormat.N_TRIPLES):
        t = quad.triple
        found.triples += 1
        s, p, o = t.subject, t.predicate.value, t.object
        found.properties.add(p)
        found.by_subject[str(s)].append(t)
        if isinstance(s, ox.NamedNode):
            path = page_path(s.value, base)
            if path is not None:
                found.documents[path].add(s.value)
            if p in LABELS and isinstance(o, ox.Literal):
                rank = LABELS.index(p)
                known = label_rank.get(s.value, 99)
                if rank < known or (rank == known and o.value < found.labels[s.value]):
                    found.labels[s.value], label_rank[s.value] = o.value, rank
        if isinstance(o, ox.NamedNode):
            if p == rdf_type:
                found.classes.add(o.value)
            path = page_path(o.value, base)
            if path is not None:
                found.documents[path].add(o.value)
            if isinstance(s, ox.NamedNode):
                found.incoming[o.value].append((s.value, p))
    for links in found.incoming.values():
        links.sort()
    found.by_subject = dict(found.by_subject)
    found.documents = dict(found.documents)
    found.incoming = dict(found.incoming)
    return found
