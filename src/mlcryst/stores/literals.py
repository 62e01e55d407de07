"""Literals an Oxigraph store holds in another form than they are written.

Oxigraph normalises literals as it stores them, and has no switch to turn that off
(oxigraph/oxigraph#526): ``"4.0"^^xsd:decimal`` is stored as ``"4"``, ``"5"^^xsd:int`` as
``"5"^^xsd:integer``, ``"1"^^xsd:boolean`` as ``"true"`` (and so becomes the same value as a
``"true"`` beside it). A SHACL check on the store would judge the
stored form: ``sh:datatype xsd:int`` would fail on data that has it, ``sh:maxCount 1`` would
pass two values that became one. So a store read from a file or text records which of its
literals were rewritten, and validation then checks the data as written
(:meth:`mlcryst.stores.oxigraph_store.OxigraphStore.validation_run`).

Which literals change is asked of Oxigraph itself: each distinct typed literal is put in a
scratch store and read back. (Language tags are read in lower case by Oxigraph's parser;
rdflib and SHACL compare them regardless of case, so that changes no verdict.)

>>> rewrites(ox.parse(b'<urn:s> <urn:p> "05"^^<http://www.w3.org/2001/XMLSchema#int> .',
...                   format=ox.RdfFormat.N_TRIPLES))
[Rewrite(written='"05"^^<http://www.w3.org/2001/XMLSchema#int>', stored='"5"^^<http://www.w3.org/2001/XMLSchema#integer>')]
>>> rewrites(ox.parse(b'<urn:s> <urn:p> "5" , "x"@en .', format=ox.RdfFormat.TURTLE))
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pyoxigraph as ox

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

#: how many rewritten literals are kept to name in messages
EXAMPLES = 3

#: an N-Triples / N-Quads literal with a datatype.
#: A literal cannot span lines in these syntaxes, its quotes inside are escaped, and a
#: comment runs to the end of its line: so every such literal of the data is matched, and a
#: match that is not one (text in a comment) only adds a candidate, never hides one.
_NT_CANDIDATE = re.compile(rb'"(?:[^"\\\r\n]|\\.)*"\^\^<[^>\r\n]*>')


@dataclass(frozen=True)
class Rewrite:
    """A literal as written and as the store holds it (both in N-Triples); ``stored`` is
    empty for a literal that could not be checked (then it counts as rewritten)."""

    written: str
    stored: str

    def __str__(self) -> str:
        if not self.stored:
            return f"{self.written} could not be checked"
        return f"{self.written} is stored as {self.stored}"


def _unchecked(text: bytes | str) -> Rewrite:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return Rewrite(text if len(text) <= 80 else text[:60] + "...", "")


def _changeable(term: object) -> bool:
    if not isinstance(term, ox.Literal) or term.language is not None:
        return False
    return term.datatype.value != _XSD_STRING


def rewrites(triples: Iterable[ox.Triple | ox.Quad], limit: int = EXAMPLES) -> list[Rewrite]:
    """The first ``limit`` distinct literals among the objects of ``triples`` that an Oxigraph
    store holds in another form (in the order first met)."""
    return literal_rewrites((t.object for t in triples), limit)


def literal_rewrites(literals: Iterable[object], limit: int = EXAMPLES) -> list[Rewrite]:
    """The first ``limit`` distinct ``literals`` an Oxigraph store holds in another form."""
    seen: set[object] = set()
    batch: list[ox.Literal] = []
    found: list[Rewrite] = []
    for term in literals:
        if isinstance(term, Rewrite):  # a literal that could not be checked
            found.append(term)
            if len(found) >= limit:
                return found[:limit]
            continue
        if _changeable(term) and term not in seen:
            seen.add(term)
            batch.append(term)  # type: ignore[arg-type]
            if len(batch) >= 4096:
                found += _stored_differently(batch)
                batch = []
                if len(found) >= limit:
                    return found[:limit]
    found += _stored_differently(batch)
    return found[:limit]


def _stored_differently(literals: list[ox.Literal]) -> list[Rewrite]:
    if not literals:
        return []
    store = ox.Store()
    predicate = ox.NamedNode("urn:mlcryst:value")
    store.extend(
        ox.Quad(ox.NamedNode(f"urn:mlcryst:{i}"), predicate, lit, ox.DefaultGraph())
        for i, lit in enumerate(literals)
    )
    out: dict[int, Rewrite] = {}
    for quad in store:
        i = int(quad.subject.value.rsplit(":", 1)[1])
        if quad.object != literals[i]:
            out[i] = Rewrite(str(literals[i]), str(quad.object))
    return [out[i] for i in sorted(out)]


def _ntriples_literals(data: bytes) -> Iterator[object]:
    """The candidate literals of N-Triples or N-Quads ``data``, each parsed by Oxigraph; one
    that does not parse alone (text in a comment, or a token over the parser's 16 MiB) is
    given as an unchecked :class:`Rewrite`."""
    for candidate in sorted(set(_NT_CANDIDATE.findall(data))):
        try:
            (triple,) = ox.parse(
                b"<urn:s> <urn:p> " + candidate + b" .\n", format=ox.RdfFormat.N_TRIPLES
            )
        except (SyntaxError, ValueError, MemoryError):  # MemoryError: its buffer limit
            yield _unchecked(candidate)
            continue
        yield triple.object


def data_rewrites(data: bytes, fmt: ox.RdfFormat, base_iri: str | None = None) -> list[Rewrite]:
    """The first few literals of RDF ``data`` (in ``fmt``, already read by the store) that an
    Oxigraph store holds in another form. N-Triples and N-Quads are scanned for their literals
    (fast); other syntaxes are parsed."""
    if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        return literal_rewrites(_ntriples_literals(data))
    try:
        return rewrites(ox.parse(data, format=fmt, base_iri=base_iri))
    # read by the store, but not by the streaming parser (a token over its 16 MiB buffer):
    # the literals are taken as rewritten
    except (SyntaxError, ValueError, MemoryError) as exc:
        return [_unchecked(f"the file's literals ({str(exc).split(chr(10))[0]})")]


@contextmanager
def rdflib_reads_as_written() -> Iterator[None]:
    """rdflib's parsers keep literals as written while this runs.

    They otherwise rewrite them too (``"01"^^xsd:integer`` as ``"1"``, the ill-formed
    ``"none"^^xsd:boolean`` as ``"false"``, which then passes ``sh:datatype``). rdflib's one
    switch for that is its module setting ``NORMALIZE_LITERALS``: it is set off for the parse
    and restored after.
    """
    import rdflib

    saved = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = saved
