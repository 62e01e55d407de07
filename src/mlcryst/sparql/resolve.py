"""Check ``--param`` values against the graph before a query runs: a value that names nothing
is an error (:class:`~mlcryst.errors.UsageError`, exit 2) that gives the closest names.

* ``author``: a person IRI, or a printed form of a person's name, looked up ignoring case,
  spacing, punctuation and diacritics (``billinge``, ``Billinge, S.J.L.`` find
  "Billinge, S. J. L."); a form that matches is bound as printed, so a name two people share
  still finds both.
* ``method`` / ``problem``: a concept IRI of the methods / problems scheme, or one of its labels
  (any case).
* ``table1``: ``true`` (only the Table 1 papers) or ``false`` (the whole collection: the
  parameter is dropped).

Every lookup is a query bound with values, on any :class:`~mlcryst.stores.base.GraphStore`.

>>> normalise("  Billinge,   S.J.L. ") == normalise("billinge, s. j. l.")
True
>>> normalise("Juhás") == normalise("JUHAS")
True
"""

from __future__ import annotations

import difflib
import unicodedata
from typing import TYPE_CHECKING

from mlcryst.errors import UsageError
from mlcryst.sparql.params import Param

if TYPE_CHECKING:
    from mlcryst.stores.base import GraphStore

SCHEMES = {
    "method": ("https://w3id.org/mlcryst/method/", "method concept"),
    "problem": ("https://w3id.org/mlcryst/problem/", "problem concept"),
}

_FORMS = """PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?person ?form WHERE {
  ?person a foaf:Person ;
    rdfs:label|skos:altLabel|foaf:name|foaf:familyName ?form .
}"""

_PERSON = """PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT ?person WHERE { ?person a foaf:Person . FILTER (?person = ?value) }"""

_CONCEPTS = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?concept ?label WHERE {
  ?concept skos:inScheme ?scheme ;
    skos:prefLabel|skos:altLabel|skos:hiddenLabel ?label .
}"""


def normalise(text: str) -> str:
    """A name as compared: no case, diacritics, spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def _did_you_mean(what: str, value: str, found: list[str]) -> UsageError:
    hint = f"; did you mean {', '.join(repr(n) for n in found)}?" if found else ""
    return UsageError(f"no {what} {value!r}{hint}")


def resolve_author(store: GraphStore, param: Param) -> Param:
    if param.kind == "iri":
        if store.query(_PERSON, {"value": param}, timeout=0, memory_mb=0).rows():
            return param
        raise UsageError(f"no person <{param.value}> in the graph")
    forms: dict[str, set[str]] = {}  # normalised form -> forms as printed
    labels: dict[str, str] = {}  # normalised label -> preferred printed form, for hints
    for row in store.query(_FORMS, timeout=0, memory_mb=0).rows():
        form = str(row["form"])
        forms.setdefault(normalise(form), set()).add(form)
        if "," in form:
            labels.setdefault(normalise(form), form)
    wanted = normalise(param.value)
    if param.value in forms.get(wanted, set()):
        return param  # exactly as printed
    matches = sorted(forms.get(wanted, set()))
    if matches:
        return Param("literal", matches[0])
    near = difflib.get_close_matches(wanted, list(labels), n=3, cutoff=0.6)
    raise _did_you_mean("person", param.value, [labels[n] for n in near])


def resolve_concept(store: GraphStore, name: str, param: Param) -> Param:
    scheme, what = SCHEMES[name]
    concepts: dict[str, set[str]] = {}
    answer = store.query(_CONCEPTS, {"scheme": Param("iri", scheme)}, timeout=0, memory_mb=0)
    for row in answer.rows():
        concepts.setdefault(str(row["concept"]), set()).add(str(row["label"]))
    if param.kind == "iri" and param.value in concepts:
        return param
    if param.kind == "literal" and any(
        param.value.casefold() == label.casefold()
        for labels in concepts.values()
        for label in labels
    ):
        return param
    from mlcryst.prefixes import CONVERTER

    probe = param.value.rsplit("/", 1)[-1] if param.kind == "iri" else param.value
    names: dict[str, str] = {}
    for iri, labels in concepts.items():
        curie = CONVERTER.compress(iri)
        names.setdefault(normalise(iri.rsplit("/", 1)[-1]), curie)
        for label in labels:
            names.setdefault(normalise(label), curie)
    near = difflib.get_close_matches(normalise(probe), list(names), n=6, cutoff=0.6)
    found = list(dict.fromkeys(names[n] for n in near))[:3]
    shown = CONVERTER.compress(param.value) if param.kind == "iri" else param.value
    raise _did_you_mean(what, shown, found)


def resolve_params(store: GraphStore, params: dict[str, Param]) -> dict[str, Param]:
    """``params`` checked against ``store`` (see the module docstring); a new mapping."""
    out: dict[str, Param] = {}
    for name, param in params.items():
        if name == "table1":
            if param.kind != "literal" or param.value not in ("true", "false"):
                raise UsageError(f"--param table1: expected true or false, not {param.value!r}")
            if param.value == "true":
                out[name] = param
        elif name == "author":
            out[name] = resolve_author(store, param)
        elif name in SCHEMES:
            out[name] = resolve_concept(store, name, param)
        else:
            out[name] = param
    return out
