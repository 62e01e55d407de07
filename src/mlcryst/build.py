"""Stage 2: turn the checked records into one RDF graph (with the vocabularies it uses).

>>> from mlcryst.load import load_dataset
>>> g = build_graph(load_dataset())
>>> from rdflib import URIRef
>>> from mlcryst.namespaces import FABIO
>>> (URIRef("https://w3id.org/mlcryst/paper/acta-a-33-13"), None, FABIO.JournalArticle) in g
True
>>> len(list(g.subjects(predicate=None, object=FABIO.JournalArticle))) >= 80
True
"""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from . import __version__
from .errors import DataError
from .iris import Iris
from .namespaces import (
    BIBO,
    BIRO,
    CITO,
    CSVW,
    DCMITYPE,
    FABIO,
    MLC,
    PRISM,
    bind_prefixes,
)
from .records import AuthorRef, Dataset, Paper, Reference, display_name
from .resources import resource_dir
from .tagging import PaperTags, tag_dataset, vocabulary_from_graph


class _Terms:
    """A namespace whose terms are made once (rdflib makes a new URIRef on every access)."""

    def __init__(self, ns: object) -> None:
        self._ns = ns

    def __getattr__(self, name: str) -> URIRef:
        term = getattr(self._ns, name)
        setattr(self, name, term)
        return term  # type: ignore[no-any-return]


(DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD, BIBO, BIRO, CITO, CSVW, DCMITYPE, FABIO,
 MLC, PRISM) = (_Terms(ns) for ns in (DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD, BIBO,
                                      BIRO, CITO, CSVW, DCMITYPE, FABIO, MLC, PRISM))
_LITERALS: dict[object, Literal] = {}


def _lit(value: int) -> Literal:
    """Literals of small recurring values (volumes, pages, years), made once."""
    lit = _LITERALS.get(value)
    if lit is None:
        lit = _LITERALS[value] = Literal(value)
    return lit


def _year(year: int) -> Literal:
    key = ("year", year)
    lit = _LITERALS.get(key)
    if lit is None:
        lit = _LITERALS[key] = Literal(f"{year:04d}", datatype=XSD.gYear)
    return lit


REFERENCE_CLASSES = {
    "article": FABIO.JournalArticle,
    "preprint": FABIO.Preprint,
    "book": FABIO.Book,
    "software": FABIO.ComputerProgram,
    "dataset": FABIO.Database,
}


def load_vocabularies(folder: Path | None = None) -> Graph:
    """Parse every ``ontology/*.ttl`` (our ontology and the two SKOS schemes)."""
    folder = folder or resource_dir("ontology")
    graph = Graph()
    for path in sorted(folder.glob("*.ttl")):
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser error types
            raise DataError(f"not valid Turtle: {exc}", file=str(path)) from exc
    return graph


def build_graph(ds: Dataset, base: str | None = None, vocabularies: Graph | None = None,
                tags: dict[str, PaperTags] | None = None,
                triples: list[Triple] | None = None) -> Graph:
    """Build the knowledge graph of ``ds`` under the IRI ``base``.

    The vocabularies (``ontology/*.ttl`` unless given) are part of the result, so the graph
    is self-contained for queries that walk ``skos:broader``.
    """
    vocab_graph = vocabularies if vocabularies is not None else load_vocabularies()
    if triples is None:
        triples = build_triples(ds, base, vocab_graph, tags)
    g = Graph()
    bind_prefixes(g)
    g += vocab_graph
    g.addN((s, p, o, g) for s, p, o in triples)
    return g


def build_triples(ds: Dataset, base: str | None = None, vocabularies: Graph | None = None,
                  tags: dict[str, PaperTags] | None = None) -> list[Triple]:
    """The data triples of ``ds`` (without the vocabularies), in build order, as a list.

    Bulk-loading one list is much faster than adding triples one by one, and lets another
    store (Oxigraph, see :mod:`mlcryst.oxstore`) take the same triples.
    """
    vocab_graph = vocabularies if vocabularies is not None else load_vocabularies()
    if tags is None:
        tags = tag_dataset(ds, vocabulary_from_graph(vocab_graph))
    builder = _Builder(ds, Iris(base), vocab_graph, tags)
    builder.run()
    return builder.triples


Triple = tuple[URIRef | BNode, URIRef, URIRef | BNode | Literal]


class _Builder:
    def __init__(self, ds: Dataset, iris: Iris, vocab: Graph, tags: dict[str, PaperTags]) -> None:
        self.ds, self.iris, self.vocab, self.tags = ds, iris, vocab, tags
        self.triples: list[Triple] = []
        self.add = lambda s, p, o: self.triples.append((s, p, o))
        self.people_done: dict[str, URIRef] = {}
        self.journal_iris: dict[str, URIRef] = {}
        self.paper_by_ref: dict[str, URIRef] = {}

    def run(self) -> None:
        self.dataset_description()
        for j in self.ds.journals.values():
            self.journal(j.key)
        editorial = self.editorial()
        table = self.table(editorial)
        collection = self.iris.collection()
        for paper in self.ds.papers:
            self.paper(paper, table, collection)
        self.references(editorial)
        self.catalogue(editorial)

    def dataset_description(self) -> None:
        d = self.iris.dataset()
        self.add(d, RDF.type, DCAT.Dataset)
        self.add(d, DCTERMS.title, Literal("mlcryst knowledge graph", lang="en"))
        self.add(d, DCTERMS.description, Literal(
            "Papers on machine learning in crystallography, their authors, journals, methods, "
            "problems and data sources, from the IUCr virtual-collection editorial by Billinge "
            "& Proffen.", lang="en"))
        self.add(d, OWL.versionInfo, Literal(__version__))
        self.add(d, PROV.wasDerivedFrom, self.iris.editorial())
        self.add(d, DCTERMS.conformsTo, URIRef("https://w3id.org/mlcryst/ontology"))

    def journal(self, key: str) -> URIRef:
        j = self.ds.journals[key]
        node = self.iris.journal(key)
        self.add(node, RDF.type, FABIO.Journal)
        self.add(node, DCTERMS.title, Literal(j.title))
        self.add(node, FABIO.hasShortTitle, Literal(j.abbreviation))
        self.add(node, RDFS.label, Literal(j.title))
        if j.first_year is not None and j.first_volume is not None:
            year = Literal(f"{j.first_year:04d}", datatype=XSD.gYear)
            self.add(node, MLC.firstPublicationYear, year)
            self.add(node, MLC.firstVolume, Literal(j.first_volume))
        return node

    def journal_iri(self, key: str) -> URIRef:
        node = self.journal_iris.get(key)
        if node is None:
            node = self.journal_iris[key] = self.iris.journal(key)
        return node

    def person(self, ref: AuthorRef) -> URIRef:
        done = self.people_done.get(ref.person)
        if done is not None:
            return done
        p = self.ds.people[ref.person]
        node = self.iris.person(p.id, organization=p.is_organization)
        self.people_done[p.id] = node
        if p.is_organization:
            self.add(node, RDF.type, FOAF.Organization)
            self.add(node, FOAF.name, Literal(p.name))
            self.add(node, RDFS.label, Literal(p.name))
            return node
        self.add(node, RDF.type, FOAF.Person)
        self.add(node, FOAF.familyName, Literal(p.family_name))
        self.add(node, FOAF.name, Literal(display_name(p.name)))
        self.add(node, RDFS.label, Literal(p.name))
        if p.given_name:
            self.add(node, FOAF.givenName, Literal(p.given_name))
        for v in p.variants:
            self.add(node, SKOS.altLabel, Literal(v.form))
        if p.note:
            self.add(node, SKOS.editorialNote, Literal(p.note, lang="en"))
        return node

    def author_list(self, work: URIRef, authors: tuple[AuthorRef, ...]) -> None:
        people = [self.person(a) for a in authors]
        for node in people:
            self.add(work, DCTERMS.creator, node)
        head = cell = BNode()
        for i, node in enumerate(people):  # an rdf:List, as rdflib.collection.Collection makes
            if i:
                nxt = BNode()
                self.add(cell, RDF.rest, nxt)
                cell = nxt
            self.add(cell, RDF.first, node)
        self.add(cell, RDF.rest, RDF.nil)
        self.add(work, BIBO.authorList, head)

    def editorial(self) -> URIRef:
        e = self.ds.editorial
        node = self.iris.editorial()
        self.add(node, RDF.type, FABIO.Editorial)
        self.add(node, DCTERMS.title, Literal(e.title, lang="en"))
        self.add(node, RDFS.label, Literal(f"{e.title} (editorial)", lang="en"))
        self.author_list(node, e.authors)
        for kw in e.keywords:
            self.add(node, PRISM.keyword, Literal(kw, lang="en"))
        coll = self.iris.collection()
        self.add(coll, RDF.type, DCMITYPE.Collection)
        self.add(coll, DCTERMS.title, Literal(e.collection_title, lang="en"))
        self.add(coll, RDFS.label, Literal(e.collection_title, lang="en"))
        self.add(coll, FOAF.homepage, URIRef(e.collection_url))
        self.add(node, CITO.describes, coll)
        self.add(node, RDFS.seeAlso, URIRef(e.related_collection_url))
        return node

    def table(self, editorial: URIRef) -> URIRef:
        e = self.ds.editorial
        table = self.iris.table()
        self.add(table, RDF.type, CSVW.Table)
        self.add(table, DCTERMS.isPartOf, editorial)
        self.add(table, DCTERMS.title, Literal("Table 1", lang="en"))
        self.add(table, DCTERMS.description, Literal(e.table_caption, lang="en"))
        scheme = self.iris.abbreviations()
        self.add(scheme, RDF.type, SKOS.ConceptScheme)
        self.add(scheme, SKOS.prefLabel, Literal("Abbreviations of Table 1", lang="en"))
        self.add(table, DCTERMS.references, scheme)
        for abbr, meaning in e.abbreviations:
            node = self.iris.abbreviation(abbr)
            self.add(node, RDF.type, SKOS.Concept)
            self.add(node, SKOS.inScheme, scheme)
            self.add(node, SKOS.topConceptOf, scheme)
            self.add(node, SKOS.notation, Literal(abbr))
            self.add(node, SKOS.prefLabel, Literal(meaning, lang="en"))
        return table

    def paper(self, paper: Paper, table: URIRef, collection: URIRef) -> None:
        node = self.iris.paper(paper.key)
        self.add(node, RDF.type, FABIO.JournalArticle)
        self.add(node, RDFS.label, Literal(paper.short_label()))
        self.add(node, FABIO.hasPublicationYear, _year(paper.year))
        self.add(node, PRISM.volume, _lit(paper.volume))
        self.add(node, PRISM.startingPage, _lit(paper.first_page))
        self.add(node, PRISM.endingPage, _lit(paper.last_page))
        self.add(node, DCTERMS.isPartOf, self.journal_iri(paper.journal))
        self.add(node, DCTERMS.bibliographicCitation, Literal(self.ds.citation(paper)))
        self.add(node, MLC.problemStatement, Literal(paper.problem))
        self.add(node, MLC.approachStatement, Literal(paper.approach))
        if paper.title:
            self.add(node, DCTERMS.title, Literal(paper.title))
        if paper.doi:
            self.add(node, PRISM.doi, Literal(paper.doi))
        self.author_list(node, paper.authors)
        tags = self.tags[paper.key]
        for c in tags.methods:
            self.add(node, MLC.usesMethod, c)
        for c in tags.problems:
            self.add(node, MLC.addressesProblem, c)
        for key in paper.data_sources:
            self.add(node, CITO.citesAsDataSource, self.iris.database(key))
        if paper.row is not None:
            row = self.iris.row(paper.row)
            self.add(row, RDF.type, CSVW.Row)
            self.add(row, CSVW.rownum, Literal(paper.row))
            self.add(row, CSVW.describes, node)
            self.add(table, CSVW.row, row)
            self.add(node, PROV.wasDerivedFrom, row)
            self.add(collection, DCTERMS.hasPart, node)
        elif paper.source:
            self.add(node, DCTERMS.source, Literal(paper.source))

    def references(self, editorial: URIRef) -> None:
        papers = {(p.journal, p.volume, p.first_page): p for p in self.ds.papers}
        for r in self.ds.references:
            work = self.reference_work(r, papers)
            self.paper_by_ref[r.key] = work
            entry = self.iris.reference(r.key)
            self.add(entry, RDF.type, BIRO.BibliographicReference)
            self.add(entry, DCTERMS.isPartOf, editorial)
            self.add(entry, DCTERMS.bibliographicCitation, Literal(r.citation))
            self.add(entry, BIRO.references, work)
            self.add(editorial, CITO.cites, work)

    def reference_work(self, r: Reference, papers: dict[tuple[str, int, int], Paper]) -> URIRef:
        if r.table1 and r.journal and r.volume and r.first_page:
            return self.iris.paper(papers[r.journal, r.volume, int(r.first_page)].key)
        work = self.iris.work(r.key)
        self.add(work, RDF.type, REFERENCE_CLASSES[r.type])
        self.add(work, DCTERMS.bibliographicCitation, Literal(r.citation))
        self.add(work, FABIO.hasPublicationYear, Literal(f"{r.year:04d}", datatype=XSD.gYear))
        self.author_list(work, r.authors)
        fams = [self.ds.people[a.person].family_name for a in r.authors]
        who = fams[0] if len(fams) == 1 else (
            f"{fams[0]} & {fams[1]}" if len(fams) == 2 else f"{fams[0]} et al.")
        self.add(work, RDFS.label, Literal(f"{who} ({r.year}{r.year_suffix})"))
        if r.journal:
            self.add(work, DCTERMS.isPartOf, self.iris.journal(r.journal))
        if r.volume:
            self.add(work, PRISM.volume, Literal(r.volume))
        if r.pages:
            first, _, last = r.pages.partition("–")
            if last and first.isdigit() and last.isdigit():
                self.add(work, PRISM.startingPage, Literal(int(first)))
                self.add(work, PRISM.endingPage, Literal(int(last)))
            else:
                self.add(work, PRISM.pageRange, Literal(r.pages))
        for prop, value in ((DCTERMS.title, r.title), (DCTERMS.publisher, r.publisher),
                            (PRISM.doi, r.doi), (DCTERMS.identifier, r.identifier),
                            (SKOS.note, r.note)):
            if value:
                self.add(work, prop, Literal(value))
        if r.url:
            self.add(work, FOAF.homepage, URIRef(r.url))
        return work

    def catalogue(self, editorial: URIRef) -> None:
        for d in self.ds.databases.values():
            node = self.iris.database(d.key)
            self.add(node, RDF.type, DCAT.Dataset)
            self.add(node, DCTERMS.title, Literal(d.title))
            self.add(node, RDFS.label, Literal(d.acronym))
            self.add(node, SKOS.altLabel, Literal(d.acronym))
            self.add(self.paper_by_ref[d.described_by], CITO.describes, node)
            self.add(editorial, CITO.discusses, node)
        for s in self.ds.standards.values():
            node = self.iris.standard(s.key)
            self.add(node, RDF.type, DCTERMS.Standard)
            self.add(node, DCTERMS.title, Literal(s.title))
            self.add(node, RDFS.label, Literal(s.acronym))
            self.add(node, SKOS.altLabel, Literal(s.acronym))
            self.add(editorial, CITO.discusses, node)
        for sw in self.ds.software.values():
            node = self.iris.software(sw.key)
            self.add(node, RDF.type, FABIO.ComputerProgram)
            self.add(node, DCTERMS.title, Literal(sw.title))
            self.add(node, RDFS.label, Literal(sw.title))
            self.add(editorial, CITO.discusses, node)
            if sw.homepage:
                self.add(node, FOAF.homepage, URIRef(sw.homepage))
            if sw.described_by:
                self.add(self.paper_by_ref[sw.described_by], CITO.describes, node)
            if sw.derived_from:
                self.add(node, PROV.wasDerivedFrom, self.paper_by_ref[sw.derived_from])
            if sw.method:
                concept = URIRef(f"https://w3id.org/mlcryst/method/{sw.method}")
                if (concept, RDF.type, SKOS.Concept) not in self.vocab:
                    raise DataError(f"unknown method concept {sw.method!r}", file=sw.where.file,
                                    line=sw.where.line, record=f"software {sw.key}", field="method")
                self.add(node, MLC.implementsMethod, concept)
                for paper in self.ds.papers:
                    if concept in self.tags[paper.key].methods:
                        self.add(self.iris.paper(paper.key), MLC.usesSoftware, node)
