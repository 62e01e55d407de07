"""A faceted search over the collection's papers (``mlcryst find``).

Every facet is optional; the facets given are combined with AND:

* ``method`` / ``problem``: a concept IRI (``mlm:convolutional-neural-network``) or one of its
  labels (``CNN``, any case); papers tagged with the concept **or any narrower one**
  (``skos:broader*``) are found, so ``mlm:neural-network`` finds the CNN papers;
* ``author``: a person IRI or a printed form of a name, matched ignoring case, spacing,
  punctuation and diacritics (:func:`mlcryst.sparql.resolve.resolve_author`);
* ``journal``: a journal key (``acta-d``, the last part of its IRI), its title or its
  abbreviation (``Acta Cryst. D``), matched the same way, or its IRI;
* ``years``: ``2019``, ``2018-2020``, ``2018-`` or ``-2005`` (inclusive);
* ``table1``: only the papers of Table 1.

Each value is resolved against the graph first (a value that names nothing is a
:class:`~mlcryst.errors.UsageError` with the closest names), then passed to one query as a
bound value; the query is put together from fixed fragments, one per facet given, so no value
is ever written into its text.

>>> parse_years("2018-2020"), parse_years("2019"), parse_years("2018-"), parse_years("-2005")
((2018, 2020), (2019, 2019), (2018, None), (None, 2005))
>>> parse_years("2020-2018")
Traceback (most recent call last):
...
mlcryst.errors.UsageError: --years 2020-2018: the first year is after the last
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlcryst.errors import UsageError
from mlcryst.sparql.params import Param

if TYPE_CHECKING:
    from mlcryst.sparql.answer import Answer
    from mlcryst.stores.base import GraphStore

_PREFIXES = """PREFIX csvw: <http://www.w3.org/ns/csvw#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX fabio: <http://purl.org/spar/fabio/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX mlc: <https://w3id.org/mlcryst/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX void: <http://rdfs.org/ns/void#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

_HEAD = """SELECT ?row ?year ?journal ?citation ?paper
  (GROUP_CONCAT(DISTINCT COALESCE(?methodLabel, ""); separator="; ") AS ?methods)
  (GROUP_CONCAT(DISTINCT COALESCE(?problemLabel, ""); separator="; ") AS ?problems)
WHERE {
"""

#: The fixed fragments, one per facet; each is used as written, its value bound by name.
FRAGMENTS: dict[str, str] = {
    "collection": "  ?paper void:inDataset ?collection .\n",
    "table1": "  ?t1row csvw:describes ?paper .\n",
    "method": "  ?paper mlc:usesMethod ?taggedMethod .\n  ?taggedMethod skos:broader* ?method .\n",
    "problem": (
        "  ?paper mlc:addressesProblem ?taggedProblem .\n"
        "  ?taggedProblem skos:broader* ?problem .\n"
    ),
    # a person (an IRI), or every person with that printed form of a name (a literal)
    "author": "  ?paper dcterms:creator ?author .\n",
    "author-name": (
        "  ?person rdfs:label|skos:altLabel|foaf:name|foaf:familyName ?authorName .\n"
        "  ?paper dcterms:creator ?person .\n"
    ),
    "journal": "  ?paper dcterms:isPartOf ?journalIri .\n  FILTER (?journalIri = ?inJournal)\n",
    "from": "  FILTER (?year >= xsd:integer(?fromYear))\n",
    "to": "  FILTER (?year <= xsd:integer(?toYear))\n",
}

_BODY = """  ?paper rdfs:label ?citation ;
    fabio:hasPublicationYear ?published ;
    dcterms:isPartOf/fabio:hasShortTitle ?journal .
  BIND (xsd:integer(STR(?published)) AS ?year)
  OPTIONAL { ?r csvw:describes ?paper ; csvw:rownum ?row }
  OPTIONAL {
    ?paper mlc:usesMethod ?methodTag .
    ?methodTag skos:prefLabel ?methodLabel .
    FILTER (LANGMATCHES(LANG(?methodLabel), "en") || LANG(?methodLabel) = "")
  }
  OPTIONAL {
    ?paper mlc:addressesProblem ?problemTag .
    ?problemTag skos:prefLabel ?problemLabel .
    FILTER (LANGMATCHES(LANG(?problemLabel), "en") || LANG(?problemLabel) = "")
  }
"""

_TAIL = """}
GROUP BY ?row ?year ?journal ?citation ?paper
ORDER BY (!BOUND(?row)) ?row ?year ?citation ?paper
"""

#: The variable each facet binds.
_VARIABLE = {
    "method": "method",
    "problem": "problem",
    "author": "author",
    "author-name": "authorName",
    "journal": "inJournal",
    "from": "fromYear",
    "to": "toYear",
}

#: Between the labels of one paper's methods (problems).
SEPARATOR = "; "

_YEARS = re.compile(r"^\s*(\d{4})?\s*(-)?\s*(\d{4})?\s*$")

_JOURNALS = """PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX fabio: <http://purl.org/spar/fabio/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?journal ?name WHERE {
  ?journal a fabio:Journal ;
    dcterms:title|fabio:hasShortTitle|rdfs:label ?name .
}"""

_LABELLED = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?concept ?label WHERE {
  ?concept skos:inScheme ?scheme ;
    skos:prefLabel|skos:altLabel|skos:hiddenLabel ?label .
}"""


@dataclass(frozen=True)
class Facets:
    """What to look for; None: that facet is not used."""

    method: str | None = None
    problem: str | None = None
    author: str | None = None
    journal: str | None = None
    years: str | None = None
    table1: bool = False


def parse_years(text: str) -> tuple[int | None, int | None]:
    """``2019``, ``2018-2020``, ``2018-`` or ``-2005`` as (first, last), None where open."""
    m = _YEARS.match(text)
    if not m or not (m.group(1) or m.group(3)) or (m.group(1) and m.group(3) and not m.group(2)):
        raise UsageError(
            f"--years {text!r}: expected a year (2019) or a range (2018-2020, 2018-, -2005)"
        )
    first = int(m.group(1)) if m.group(1) else None
    last = int(m.group(3)) if m.group(3) else None
    if not m.group(2):
        last = first
    if first is not None and last is not None and first > last:
        raise UsageError(f"--years {text}: the first year is after the last")
    return first, last


def _value(text: str) -> Param:
    """A command-line value as a bound value: ``<iri>`` or ``prefix:local`` give an IRI."""
    from mlcryst.sparql.params import parse_params

    return parse_params([f"value={text}"])["value"]


def resolve_concept_iri(store: GraphStore, facet: str, text: str) -> Param:
    """The concept of the ``facet`` scheme (``method``/``problem``) meant by ``text``: its IRI,
    CURIE or one of its labels (any case); UsageError with the closest names otherwise."""
    from mlcryst.sparql.resolve import SCHEMES, resolve_concept

    param = resolve_concept(store, facet, _value(text))  # raises with the closest names
    if param.kind == "iri":
        return param
    scheme = Param("iri", SCHEMES[facet][0])
    found = sorted(
        {
            str(row["concept"])
            for row in store.query(_LABELLED, {"scheme": scheme}, timeout=0, memory_mb=0).rows()
            if str(row["label"]).casefold() == param.value.casefold()
        }
    )
    if len(found) > 1:
        from mlcryst.prefixes import CONVERTER

        names = ", ".join(CONVERTER.compress(iri) for iri in found)
        raise UsageError(f"--{facet} {text!r} is a label of several concepts: {names}")
    return Param("iri", found[0])


def resolve_journal(store: GraphStore, text: str) -> Param:
    """The journal meant by ``text``: its key (the last part of its IRI), title, abbreviation
    or IRI, compared ignoring case, spacing and punctuation; UsageError with the closest."""
    from mlcryst.sparql.resolve import normalise

    names: dict[str, set[str]] = {}  # normalised name -> journal IRIs
    shown: dict[str, str] = {}  # normalised name -> the name as printed, for hints
    for row in store.query(_JOURNALS, timeout=0, memory_mb=0).rows():
        iri, name = str(row["journal"]), str(row["name"])
        key = iri.rstrip("/").rsplit("/", 1)[-1]
        for form in (name, key, iri):
            names.setdefault(normalise(form), set()).add(iri)
            if form is not iri:
                shown.setdefault(normalise(form), form)
    param = _value(text)
    wanted = normalise(param.value)
    found = {param.value} & set().union(*names.values()) if param.kind == "iri" else set()
    found = found or names.get(wanted, set())
    if len(found) == 1:
        return Param("iri", found.pop())
    if found:
        raise UsageError(f"--journal {text!r} names several journals: {', '.join(sorted(found))}")
    near = difflib.get_close_matches(wanted, list(shown), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(shown[n]) for n in near)}?" if near else ""
    raise UsageError(f"no journal {text!r}{hint}")


def find_query(facets: Facets) -> tuple[str, list[str]]:
    """The query text for the facets given (fixed fragments only) and the facets it binds."""
    used: list[str] = []
    if facets.method is not None:
        used.append("method")
    if facets.problem is not None:
        used.append("problem")
    if facets.author is not None:
        used.append("author" if _value(facets.author).kind == "iri" else "author-name")
    if facets.journal is not None:
        used.append("journal")
    if facets.years is not None:
        first, last = parse_years(facets.years)
        used += (["from"] if first is not None else []) + (["to"] if last is not None else [])
    where = FRAGMENTS["table1" if facets.table1 else "collection"]
    where += "".join(FRAGMENTS[name] for name in used if name not in ("from", "to"))
    where += _BODY
    where += "".join(FRAGMENTS[name] for name in used if name in ("from", "to"))
    return _PREFIXES + _HEAD + where + _TAIL, used


def find_bindings(store: GraphStore, facets: Facets) -> dict[str, Param]:
    """Each facet given, resolved against ``store``, as the value bound to its variable."""
    from mlcryst.sparql.resolve import resolve_author

    out: dict[str, Param] = {}
    if facets.method is not None:
        out["method"] = resolve_concept_iri(store, "method", facets.method)
    if facets.problem is not None:
        out["problem"] = resolve_concept_iri(store, "problem", facets.problem)
    if facets.author is not None:
        person = resolve_author(store, _value(facets.author))
        out["author" if person.kind == "iri" else "authorName"] = person
    if facets.journal is not None:
        out["inJournal"] = resolve_journal(store, facets.journal)
    if facets.years is not None:
        first, last = parse_years(facets.years)
        if first is not None:
            out["fromYear"] = Param("literal", str(first))
        if last is not None:
            out["toYear"] = Param("literal", str(last))
    return out


def find_papers(
    store: GraphStore,
    facets: Facets,
    *,
    timeout: float | None = None,
    memory_mb: int | None = None,
) -> Answer:
    """The papers matching every facet given: row, year, journal, citation, paper, methods and
    problems, Table 1 papers first in row order, then the others by year."""
    text, used = find_query(facets)
    bindings = find_bindings(store, facets)
    assert {_VARIABLE[name] for name in used} == set(bindings)
    values: dict[str, Any] = dict(bindings)
    answer = store.query(text, values, timeout=timeout, memory_mb=memory_mb)
    return _sorted_lists(answer)


def _sorted_lists(answer: Answer) -> Answer:
    """The answer with each joined list (methods, problems) in alphabetical order: SPARQL
    leaves the order of GROUP_CONCAT open, and stores differ in it."""
    from collections.abc import Mapping, MutableSequence

    from rdflib import Literal, Variable
    from rdflib.term import Identifier

    from mlcryst.sparql.answer import RdflibAnswer

    result = answer.to_rdflib()
    rows: MutableSequence[Mapping[Variable, Identifier]] = []
    for row in result.bindings:
        out = dict(row)
        for name in ("methods", "problems"):
            value = out.get(Variable(name))
            if value is not None:  # "" stands for an unbound label (rdflib cannot join those)
                labels = sorted(x for x in str(value).split(SEPARATOR) if x)
                out[Variable(name)] = Literal(SEPARATOR.join(labels))
        rows.append(out)
    result.bindings = rows
    return RdflibAnswer(result)
