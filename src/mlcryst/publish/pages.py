"""The page of each kind of resource, and the index pages, as HTML text.

Each resource page leads with what a person needs (a paper's citation, authors, methods,
problems, data sources, DOI and its Table 1 row; a person's papers, co-authors and printed
name variants; a concept's definition, broader and narrower concepts, mappings, papers by
year, and for problems the method families never tried), then every statement about it and
every link into it. Links are relative (:func:`mlcryst.publish.html.rel`).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mlcryst.prefixes import CONVERTER
from mlcryst.publish.described import Described, page_path
from mlcryst.publish.html import SEARCH_JS, TABLE_JS, esc, file_of, rel, shell

if TYPE_CHECKING:
    from rdflib import URIRef

    from mlcryst.visual.index import Concept, Index, Paper
    from mlcryst.visual.stats_tables import GapMap

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ROWNUM = "http://www.w3.org/ns/csvw#rownum"
DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
MAPPINGS = (SKOS + "exactMatch", SKOS + "closeMatch", SKOS + "broadMatch", SKOS + "narrowMatch")


@dataclass
class Site:
    """What every page reads: the descriptions, the index and the derived maps."""

    found: Described
    index: Index
    gap: GapMap
    papers_of: dict[str, list[Paper]] = field(default_factory=dict)  # person/concept -> papers
    narrower: dict[str, list[str]] = field(default_factory=dict)
    paper_at: dict[str, Paper] = field(default_factory=dict)
    concept_at: dict[str, Concept] = field(default_factory=dict)

    @classmethod
    def make(cls, found: Described, index: Index, gap: GapMap) -> Site:
        site = cls(found, index, gap)
        papers_of: dict[str, list[Paper]] = defaultdict(list)
        for p in index.papers_sorted():
            for term in {*p.authors, *p.methods, *p.problems, *p.databases, *p.software}:
                papers_of[str(term)].append(p)
            if p.journal is not None:
                papers_of[str(p.journal)].append(p)
        site.papers_of = dict(papers_of)
        site.paper_at = {str(p.iri): p for p in index.papers.values()}
        site.concept_at = {str(c.iri): c for c in index.concepts.values()}
        narrower: dict[str, list[str]] = defaultdict(list)
        for c in index.concepts.values():
            for b in c.broader:
                narrower[str(b)].append(str(c.iri))
        site.narrower = {k: sorted(v, key=found.label) for k, v in narrower.items()}
        return site

    def path(self, iri: str) -> str | None:
        return page_path(iri, self.found.base)

    def link(self, here: str, iri: str, text: str | None = None) -> str:
        """A link to ``iri``: to its page when the site has one, else to the IRI itself."""
        label = esc(text if text is not None else self.found.label(iri))
        target = self.path(iri)
        if target is None:
            if iri.startswith(("http://", "https://")):
                return f'<a href="{esc(iri)}" rel="external">{label}</a>'
            return label
        fragment = "#" + iri.split("#", 1)[1] if "#" in iri else ""
        return f'<a href="{esc(rel(here, target + fragment))}">{label}</a>'

    def links(self, here: str, iris: Iterable[Any]) -> str:
        return ", ".join(self.link(here, str(i)) for i in iris) or '<span class="muted">none</span>'


def _curie(iri: str) -> str:
    return CONVERTER.compress(iri)


def _value(site: Site, here: str, term: Any) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return site.link(here, term.value)
    if isinstance(term, ox.BlankNode):
        return '<span class="muted">(a list or structured value: see the RDF)</span>'
    lang = f' <span class="muted">@{esc(term.language)}</span>' if term.language else ""
    return esc(term.value) + lang


def statements(site: Site, here: str, iri: str) -> str:
    """Every statement about ``iri`` and every link into it, as two tables."""
    rows = []
    for t in sorted(
        site.found.by_subject.get(f"<{iri}>", ()), key=lambda t: (str(t.predicate), str(t.object))
    ):
        rows.append(
            f"<tr><td>{site.link(here, t.predicate.value, _curie(t.predicate.value))}</td>"
            f"<td>{_value(site, here, t.object)}</td></tr>"
        )
    out = ""
    if rows:
        out += (
            "<details><summary>All statements about this resource "
            f"({len(rows)})</summary><table><tr><th>property</th><th>value</th></tr>"
            + "".join(rows)
            + "</table></details>"
        )
    into = site.found.incoming.get(iri, [])
    if into:
        out += (
            f"<details><summary>Linked from ({len(into)})</summary><table>"
            "<tr><th>resource</th><th>property</th></tr>"
            + "".join(
                f"<tr><td>{site.link(here, s)}</td><td>{site.link(here, p, _curie(p))}</td></tr>"
                for s, p in into
            )
            + "</table></details>"
        )
    return out


def _facts(items: list[tuple[str, str]]) -> str:
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in items if v)
    return f'<dl class="facts">{rows}</dl>' if rows else ""


def _schema(obj: dict[str, Any]) -> str:
    from mlcryst.visual.page import script_json

    return script_json({"@context": "https://schema.org", **obj})


def _values(site: Site, iri: str, predicate: str) -> list[Any]:
    return sorted(
        (
            t.object
            for t in site.found.by_subject.get(f"<{iri}>", ())
            if t.predicate.value == predicate
        ),
        key=str,
    )


def _texts(site: Site, iri: str, predicate: str) -> list[str]:
    return [v.value for v in _values(site, iri, predicate) if not str(v).startswith(("<", "_:"))]


def _types(site: Site, iri: str) -> set[str]:
    return {v.value for v in _values(site, iri, RDF_TYPE) if str(v).startswith("<")}


def paper_section(site: Site, here: str, p: Paper) -> tuple[str, dict[str, Any]]:
    iri = str(p.iri)
    rows = [site.link(here, v.value) for v in _values(site, iri, DERIVED) if str(v).startswith("<")]
    row_nums = [
        site.link(here, v.value, f"row {n}")  # the row's number, not its IRI's last part
        for v in _values(site, iri, DERIVED)
        if str(v).startswith("<")
        for n in _texts(site, v.value, ROWNUM)
    ]
    doi = f'<a href="https://doi.org/{esc(p.doi)}" rel="external">{esc(p.doi)}</a>' if p.doi else ""
    stmt = _texts(site, iri, "https://w3id.org/mlcryst/ontology#problemStatement")
    appr = _texts(site, iri, "https://w3id.org/mlcryst/ontology#approachStatement")
    body = (f'<p class="cite">{esc(p.citation)}</p>' if p.citation else "") + _facts(
        [
            ("Title", esc(p.title)),
            ("Year", esc(p.year) if p.year else ""),
            ("Journal", site.link(here, str(p.journal)) if p.journal else ""),
            ("Authors", site.links(here, p.authors)),
            ("Methods", site.links(here, p.methods)),
            ("Problems", site.links(here, p.problems)),
            ("Databases", site.links(here, p.databases) if p.databases else ""),
            ("Software", site.links(here, p.software) if p.software else ""),
            ("DOI", doi),
            ("Table 1 row", ", ".join(row_nums or rows)),
            ("Problem (as printed)", esc("; ".join(stmt))),
            ("Approach (as printed)", esc("; ".join(appr))),
        ]
    )
    schema: dict[str, Any] = {
        "@type": "ScholarlyArticle",
        "@id": iri,
        "name": p.title or p.citation or p.label,
        "author": [
            {"@type": "Person", "@id": str(a), "name": site.found.label(str(a))} for a in p.authors
        ],
        "about": [
            {"@type": "DefinedTerm", "@id": str(c), "name": site.found.label(str(c))}
            for c in (*p.methods, *p.problems)
        ],
    }
    if p.year:
        schema["datePublished"] = str(p.year)
    if p.citation:
        schema["citation"] = p.citation
    if p.journal is not None:
        schema["isPartOf"] = {
            "@type": "Periodical",
            "@id": str(p.journal),
            "name": site.found.label(str(p.journal)),
        }
    if p.doi:
        schema["sameAs"] = f"https://doi.org/{p.doi}"
    return body, schema


def _paper_list(site: Site, here: str, papers: list[Paper]) -> str:
    if not papers:
        return '<p class="muted">No papers.</p>'
    by_year: dict[int, list[Paper]] = defaultdict(list)
    for p in papers:
        by_year[p.year or 0].append(p)
    out = []
    for year in sorted(by_year):
        items = "".join(
            f"<li>{site.link(here, str(p.iri))}"
            + (f' <span class="muted">{esc(p.citation)}</span>' if p.citation else "")
            + "</li>"
            for p in by_year[year]
        )
        out.append(f"<h3>{esc(year or 'year unknown')}</h3><ul>{items}</ul>")
    return "".join(out)


def person_section(site: Site, here: str, iri: str) -> tuple[str, dict[str, Any]]:
    papers = site.papers_of.get(iri, [])
    co: Counter[str] = Counter()
    for p in papers:
        co.update(str(a) for a in p.authors if str(a) != iri)
    names = sorted(
        {
            *_texts(site, iri, RDFS_LABEL),
            *_texts(site, iri, SKOS + "altLabel"),
            *_texts(site, iri, "http://xmlns.com/foaf/0.1/name"),
        }
    )
    notes = _texts(site, iri, SKOS + "editorialNote")
    coauthors = ", ".join(
        f"{site.link(here, a)} ({n})"
        for a, n in sorted(co.items(), key=lambda kv: (-kv[1], site.found.label(kv[0]), kv[0]))
    )
    body = (
        _facts(
            [
                ("Printed forms", esc(" · ".join(names))),
                ("Note", esc(" ".join(notes))),
                ("Papers", str(len(papers))),
                ("Co-authors", coauthors or '<span class="muted">none</span>'),
            ]
        )
        + "<h2>Papers</h2>"
        + _paper_list(site, here, papers)
    )
    schema = {
        "@type": "Person",
        "@id": iri,
        "name": site.found.label(iri),
        "alternateName": [n for n in names if n != site.found.label(iri)],
    }
    return body, schema


def concept_section(site: Site, here: str, iri: str) -> tuple[str, dict[str, Any]]:
    concept = site.concept_at[iri]
    papers = site.papers_of.get(iri, [])
    mappings = [
        f"{esc(_curie(m))}: "
        + ", ".join(
            f'<a href="{esc(v.value)}" rel="external">{esc(_curie(v.value))}</a>'
            for v in _values(site, iri, m)
        )
        for m in MAPPINGS
        if _values(site, iri, m)
    ]
    alt = _texts(site, iri, SKOS + "altLabel")
    facts = [
        ("Definition", esc(concept.definition)),
        ("Also called", esc(" · ".join(alt))),
        ("Scheme", site.links(here, _iris(_values(site, iri, SKOS + "inScheme")))),
        ("Broader", site.links(here, concept.broader)),
        ("Narrower", site.links(here, site.narrower.get(iri, []))),
        ("Related", site.links(here, _iris(_values(site, iri, SKOS + "related")))),
        ("Mappings (AIO and others)", "<br>".join(mappings)),
        ("Scope note", esc(" ".join(_texts(site, iri, SKOS + "scopeNote")))),
        ("Papers", str(len(papers))),
    ]
    body = _facts(facts)
    other_kind = "problem" if concept.kind == "method" else "method"
    counts: Counter[str] = Counter()
    for p in papers:
        counts.update(str(c) for c in (p.problems if concept.kind == "method" else p.methods))
    if counts:
        title = "Problems it was used on" if concept.kind == "method" else "Methods used on it"
        body += (
            f"<h2>{title}</h2><table><tr><th>{other_kind}</th><th>papers</th></tr>"
            + "".join(
                f"<tr><td>{site.link(here, c)}</td><td>{n}</td></tr>"
                for c, n in sorted(
                    counts.items(), key=lambda kv: (-kv[1], site.found.label(kv[0]), kv[0])
                )
            )
            + "</table>"
        )
    if concept.kind == "problem":
        body += gap_section(site, here, concept.ancestors)
    body += "<h2>Papers by year</h2>" + _paper_list(site, here, papers)
    schema: dict[str, Any] = {
        "@type": "DefinedTerm",
        "@id": iri,
        "name": concept.label,
        "description": concept.definition,
        "inDefinedTermSet": [str(s.value) for s in _values(site, iri, SKOS + "inScheme")],
    }
    if alt:
        schema["alternateName"] = alt
    return body, schema


def _iris(values: Iterable[Any]) -> list[str]:
    return [v.value for v in values if str(v).startswith("<")]


def gap_section(site: Site, here: str, ancestors: Iterable[URIRef]) -> str:
    """The gap map row of the problem areas above a problem: method families never tried."""
    idx, gap = site.index, site.gap
    out = []
    for j, area in enumerate(idx.problem_areas):
        if area not in set(ancestors):
            continue
        never = [idx.method_families[i] for i in range(len(gap.families)) if gap.counts[i][j] == 0]
        tried = [
            f"{site.link(here, str(idx.method_families[i]))} ({gap.counts[i][j]})"
            for i in range(len(gap.families))
            if gap.counts[i][j]
        ]
        out.append(
            f"<h2>Gap map: {site.link(here, str(area))}</h2>"
            f"<p>Method families never combined with this problem area in the collection: "
            f"{site.links(here, never)}.</p>"
            f'<p class="muted">Tried (papers): {", ".join(tried) or "none"}.</p>'
        )
    return "".join(out)


def tree(site: Site, here: str, roots: list[str]) -> str:
    """Concepts as nested lists under ``roots`` (skos:broader inverted; a concept with two
    parents appears under both)."""

    def walk(iri: str, seen: frozenset[str]) -> str:
        n = len(site.papers_of.get(iri, []))
        kids = [k for k in site.narrower.get(iri, []) if k not in seen]
        inner = "".join(walk(k, seen | {k}) for k in kids)
        return (
            f'<li>{site.link(here, iri)} <span class="muted">({n})</span>'
            + (f'<ul class="tree">{inner}</ul>' if inner else "")
            + "</li>"
        )

    return '<ul class="tree">' + "".join(walk(r, frozenset({r})) for r in roots) + "</ul>"


def scheme_section(site: Site, here: str, iri: str) -> str:
    tops = sorted(
        set(_iris(_values(site, iri, SKOS + "hasTopConcept")))
        | {s for s, p in site.found.incoming.get(iri, []) if p == SKOS + "topConceptOf"},
        key=site.found.label,
    )
    members = [
        c
        for c in site.index.concepts.values()
        if any(str(s) == iri for s in _scheme_iris(site, str(c.iri)))
    ]
    orphans = sorted(
        (str(c.iri) for c in members if not c.broader and str(c.iri) not in tops),
        key=site.found.label,
    )
    return (
        f"<p>{len(members)} concepts. The number after each is the papers tagged with it.</p>"
        + tree(site, here, tops + orphans)
    )


def _scheme_iris(site: Site, iri: str) -> list[str]:
    return _iris(_values(site, iri, SKOS + "inScheme"))


def ontology_section(site: Site, here: str, doc_iris: Iterable[str]) -> str:
    rows = []
    for iri in sorted(doc_iris):
        if "#" not in iri:
            continue
        local = iri.split("#", 1)[1]
        kinds = ", ".join(_curie(t) for t in sorted(_types(site, iri)))
        facts = _facts(
            [
                ("IRI", f"<code>{esc(iri)}</code>"),
                ("Type", esc(kinds)),
                (
                    "Comment",
                    esc(
                        " ".join(_texts(site, iri, "http://www.w3.org/2000/01/rdf-schema#comment"))
                    ),
                ),
                (
                    "Domain",
                    site.links(
                        here,
                        _iris(_values(site, iri, "http://www.w3.org/2000/01/rdf-schema#domain")),
                    ),
                ),
                (
                    "Range",
                    site.links(
                        here,
                        _iris(_values(site, iri, "http://www.w3.org/2000/01/rdf-schema#range")),
                    ),
                ),
                (
                    "Sub-property of",
                    site.links(
                        here,
                        _iris(
                            _values(site, iri, "http://www.w3.org/2000/01/rdf-schema#subPropertyOf")
                        ),
                    ),
                ),
            ]
        )
        rows.append(
            f'<section id="{esc(local)}"><h3>{esc(site.found.label(iri))} '
            f"<code>mlc:{esc(local)}</code></h3>{facts}</section>"
        )
    return "<h2>Terms</h2>" + "".join(rows)


def resource_page(site: Site, path: str, iris: set[str]) -> str:
    """The page of the document at ``path`` (one IRI, or an ontology and its ``#`` terms)."""
    found = site.found
    main_iri = found.base + path
    if main_iri not in iris:
        main_iri = sorted(iris)[0]
    title = found.label(main_iri)
    types = _types(site, main_iri)
    kind = ", ".join(_curie(t) for t in sorted(types)) or "resource"
    body = ""
    schema: dict[str, Any] = {"@type": "Thing", "@id": main_iri, "name": title}
    if main_iri in site.paper_at:
        body, schema = paper_section(site, path, site.paper_at[main_iri])
    elif "http://xmlns.com/foaf/0.1/Person" in types:
        body, schema = person_section(site, path, main_iri)
    elif main_iri in site.concept_at:
        body, schema = concept_section(site, path, main_iri)
    elif SKOS + "ConceptScheme" in types:
        body = scheme_section(site, path, main_iri)
        schema = {"@type": "DefinedTermSet", "@id": main_iri, "name": title}
    elif "http://www.w3.org/2002/07/owl#Ontology" in types:
        body = _facts(
            [
                (
                    "Description",
                    esc(" ".join(_texts(site, main_iri, "http://purl.org/dc/terms/description"))),
                )
            ]
        )
        body += ontology_section(site, path, iris)
    elif main_iri in site.papers_of:  # a journal, database or software with papers
        body = "<h2>Papers</h2>" + _paper_list(site, path, site.papers_of[main_iri])
        if "http://purl.org/spar/fabio/Journal" in types:
            schema = {"@type": "Periodical", "@id": main_iri, "name": title}
    rows = _table_rows(site, path, main_iri)
    body += rows
    for iri in sorted(iris):
        body += statements(site, path, iri) if iri == main_iri or "#" not in iri else ""
    head = f'<h1>{esc(title)}</h1><p class="kind">{esc(kind)}</p>'
    return shell(path, title, head + body, iri=main_iri, rdf=True, schema=_schema(schema))


def _table_rows(site: Site, here: str, iri: str) -> str:
    """The rows of Table 1 on the table's page."""
    rows = [s for s, p in site.found.incoming.get(iri, []) if p == "http://www.w3.org/ns/csvw#row"]
    rows += _iris(_values(site, iri, "http://www.w3.org/ns/csvw#row"))
    if not rows:
        return ""

    def num(r: str) -> int:
        texts = _texts(site, r, ROWNUM)
        return int(texts[0]) if texts and texts[0].isdigit() else 0

    items = []
    for r in sorted(set(rows), key=lambda r: (num(r), r)):
        described = _iris(_values(site, r, "http://www.w3.org/ns/csvw#describes"))
        items.append(
            f"<tr><td>{site.link(here, r, str(num(r)))}</td>"
            f"<td>{site.links(here, described)}</td></tr>"
        )
    return "<h2>Rows</h2><table><tr><th>row</th><th>paper</th></tr>" + "".join(items) + "</table>"


# --- index pages -------------------------------------------------------------------------


def papers_index(site: Site) -> str:
    here = "paper/"
    rows = []
    for p in site.index.papers_sorted():
        if site.path(str(p.iri)) is None:
            continue
        rows.append(
            "<tr>"
            f'<td data-key="{esc(p.year or 0)}">{esc(p.year or "")}</td>'
            f"<td>{site.link(here, str(p.iri))}</td>"
            f"<td>{site.link(here, str(p.journal)) if p.journal else ''}</td>"
            f"<td>{esc(len(p.authors))}</td>"
            f"<td>{', '.join(esc(site.found.label(str(m))) for m in p.methods)}</td>"
            f"<td>{', '.join(esc(site.found.label(str(m))) for m in p.problems)}</td>"
            "</tr>"
        )
    body = (
        f'<h1>Papers</h1><p><label>Filter <input id="filter" type="search"></label> '
        f'<span id="shown">{len(rows)}</span> of {len(rows)} shown; click a heading to sort.</p>'
        '<table id="papers"><thead><tr><th>year</th><th>paper</th><th>journal</th>'
        "<th>authors</th><th>methods</th><th>problems</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )
    return shell(here, "Papers", body, scripts=(TABLE_JS,))


def people_index(site: Site) -> str:
    here = "person/"
    names = sorted(
        (
            iri
            for path, iris in site.found.documents.items()
            if path.startswith(("person/", "organization/"))
            for iri in iris
        ),
        key=lambda i: (site.found.label(i).casefold(), i),
    )
    groups: dict[str, list[str]] = defaultdict(list)
    for iri in names:
        first = site.found.label(iri)[:1].upper()
        groups[first if first.isalpha() else "#"].append(iri)
    letters = " ".join(f'<a href="#letter-{esc(k)}">{esc(k)}</a>' for k in sorted(groups))
    parts = []
    for k in sorted(groups):
        items = "".join(
            f"<li>{site.link(here, i)} "
            f'<span class="muted">({len(site.papers_of.get(i, []))})</span></li>'
            for i in groups[k]
        )
        parts.append(f'<h2 id="letter-{esc(k)}">{esc(k)}</h2><ul>{items}</ul>')
    body = f"<h1>People A–Z</h1><p>{len(names)} people and organizations; papers in brackets.</p>"
    body += f'<p class="letters">{letters}</p>' + "".join(parts)
    return shell(here, "People", body)


def list_index(site: Site, here: str, title: str, prefixes: tuple[str, ...]) -> str:
    iris = sorted(
        (
            i
            for path, found in site.found.documents.items()
            if path.startswith(prefixes)
            for i in found
        ),
        key=lambda i: (site.found.label(i).casefold(), i),
    )
    items = "".join(
        f"<li>{site.link(here, i)} "
        f'<span class="muted">({len(site.papers_of.get(i, []))} papers)</span></li>'
        for i in iris
    )
    return shell(here, title, f"<h1>{esc(title)}</h1><ul>{items}</ul>")


def search_page(site: Site) -> str:
    from mlcryst.visual.page import script_json

    here = "search/"
    items = []
    for path in sorted(site.found.documents):
        for iri in sorted(site.found.documents[path]):
            target = site.path(iri)
            assert target is not None
            fragment = "#" + iri.split("#", 1)[1] if "#" in iri else ""
            kinds = sorted(_curie(t) for t in _types(site, iri))
            items.append([site.found.label(iri), rel(here, target + fragment), ", ".join(kinds)])
    items.sort(key=lambda it: (it[0].casefold(), it[1]))
    data = f'<script type="application/json" id="labels">{script_json(items)}</script>'
    body = (
        '<h1>Search</h1><p><input id="q" type="search" placeholder="a label, e.g. neural" '
        f'aria-label="Search"> over {len(items)} labels (works offline).</p><ul id="results"></ul>'
    )
    return shell(here, "Search", body, scripts=(SEARCH_JS,), data=data)


def json_text(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)


__all__ = ["Site", "file_of"]
