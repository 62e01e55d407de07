"""The walk over the records that states the knowledge graph's triples, one term factory
(:mod:`mlcryst.builder.terms`) deciding what the terms are; :mod:`mlcryst.builder.graph` runs it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rdflib import Graph, URIRef

from mlcryst import __version__
from mlcryst.builder.iris import Iris
from mlcryst.builder.tagging import PaperTags
from mlcryst.builder.terms import (
    CHUNK_LINES,
    IRI_TEXT,
    RDF,
    REFERENCE_CLASSES,
    SKOS,
    Namespaces,
    Term,
    Triple,
)
from mlcryst.errors import DataError
from mlcryst.load.records import AuthorRef, Dataset, Paper, Reference, display_name


class Builder:
    """States the triples of a dataset, with terms made by ``terms`` (see the module docstring).

    Without ``emit`` the triples are collected in :attr:`triples`; with it they are written as
    N-Triples lines and handed to ``emit`` in chunks (``terms`` must then make N-Triples text).
    """

    def __init__(
        self,
        ds: Dataset,
        iris: Iris,
        vocab: Graph,
        tags: dict[str, PaperTags],
        terms: Any,
        emit: Callable[[bytes], object] | None = None,
        chunk_lines: int = CHUNK_LINES,
    ) -> None:
        self.ds, self.iris, self.vocab, self.tags = ds, iris, vocab, tags
        self.t = terms
        self.n = Namespaces(terms.make_namespace_term)
        self.triples: list[Triple] = []
        self.lines: list[str] = []
        self.emit, self.chunk_lines, self.written = emit, chunk_lines, 0
        if emit is None:
            append = self.triples.append
            self.add: Callable[[Term, Term, Term], None] = lambda s, p, o: append((s, p, o))
        else:
            put = self.lines.append
            self.add = lambda s, p, o: put(f"{s} {p} {o} .\n")
        self.people_done: dict[str, Term] = {}
        self.journal_iris: dict[str, Term] = {}
        self.paper_by_ref: dict[str, Term] = {}

    def url(self, value: str, record: Any, what: str, field: str) -> Term:
        """An IRI written in the data (a homepage, a URL), checked (see :meth:`checked`)."""
        return self.checked(self.t.iri(value), record, what, field)

    def checked(self, node: Term, record: Any, what: str, field: str) -> Term:
        """``node``, an IRI made from the data, checked when it is N-Triples text: Oxigraph
        parses the builder's text leniently, without checking IRIs, so the few IRIs not
        minted from checked slugs (URLs, catalogue keys) are checked here. rdflib terms keep
        rdflib's leniency."""
        if self.emit is not None and not IRI_TEXT.match(node[1:-1]):
            raise DataError(
                f"{node[1:-1]!r} is not an absolute IRI (no spaces, quotes, <>{{}}|^` or "
                "backslash)",
                file=record.where.file,
                line=record.where.line,
                record=what,
                field=field,
            )
        return node

    def flush(self, at_least: int = 0) -> None:
        """Hand the lines made so far to ``emit`` (when there are ``at_least`` of them)."""
        if self.emit is not None and self.lines and len(self.lines) >= at_least:
            self.written += len(self.lines)
            self.emit("".join(self.lines).encode("utf-8"))
            self.lines.clear()

    def run(self) -> None:
        self.dataset_description()
        for j in self.ds.journals.values():
            self.journal(j.key)
        editorial = self.editorial()
        table = self.table(editorial)
        collection = self.iris.collection()
        for paper in self.ds.papers:
            self.paper(paper, table, collection)
            self.flush(self.chunk_lines)
        self.references(editorial)
        self.catalogue(editorial)
        self.flush()

    def dataset_description(self) -> None:
        n, t = self.n, self.t
        d = self.iris.dataset()
        self.add(d, n.RDF.type, n.DCAT.Dataset)
        self.add(d, n.DCTERMS.title, t.en("mlcryst knowledge graph"))
        self.add(
            d,
            n.DCTERMS.description,
            t.en(
                "Papers on machine learning in crystallography, their authors, journals, methods, "
                "problems and data sources, from the IUCr virtual-collection editorial by Billinge "
                "& Proffen."
            ),
        )
        self.add(d, n.OWL.versionInfo, t.text(__version__))
        self.add(d, n.PROV.wasDerivedFrom, self.iris.editorial())
        self.add(d, n.DCTERMS.conformsTo, t.iri("https://w3id.org/mlcryst/ontology"))

    def journal(self, key: str) -> Term:
        n, t = self.n, self.t
        j = self.ds.journals[key]
        node = self.iris.journal(key)
        self.add(node, n.RDF.type, n.FABIO.Journal)
        self.add(node, n.DCTERMS.title, t.text(j.title))
        self.add(node, n.FABIO.hasShortTitle, t.text(j.abbreviation))
        self.add(node, n.RDFS.label, t.text(j.title))
        if j.first_year is not None and j.first_volume is not None:
            year = t.year(j.first_year)
            self.add(node, n.MLC.firstPublicationYear, year)
            self.add(node, n.MLC.firstVolume, t.integer(j.first_volume))
        return node

    def journal_iri(self, key: str) -> Term:
        node = self.journal_iris.get(key)
        if node is None:
            node = self.journal_iris[key] = self.iris.journal(key)
        return node

    def person(self, ref: AuthorRef) -> Term:
        n, t = self.n, self.t
        done = self.people_done.get(ref.person)
        if done is not None:
            return done
        p = self.ds.people[ref.person]
        node = self.iris.person(p.id, organization=p.is_organization)
        self.people_done[p.id] = node
        if p.is_organization:
            self.add(node, n.RDF.type, n.FOAF.Organization)
            self.add(node, n.FOAF.name, t.text(p.name))
            self.add(node, n.RDFS.label, t.text(p.name))
            return node
        self.add(node, n.RDF.type, n.FOAF.Person)
        self.add(node, n.FOAF.familyName, t.text(p.family_name))
        self.add(node, n.FOAF.name, t.text(display_name(p.name)))
        self.add(node, n.RDFS.label, t.text(p.name))
        if p.given_name:
            self.add(node, n.FOAF.givenName, t.text(p.given_name))
        for v in p.variants:
            self.add(node, n.SKOS.altLabel, t.text(v.form))
        if p.note:
            self.add(node, n.SKOS.editorialNote, t.en(p.note))
        return node

    def author_list(self, work: Term, authors: tuple[AuthorRef, ...]) -> None:
        n, t = self.n, self.t
        people = [self.person(a) for a in authors]
        for node in people:
            self.add(work, n.DCTERMS.creator, node)
        head = cell = t.bnode()
        for i, node in enumerate(people):  # an rdf:List, as rdflib.collection.Collection makes
            if i:
                nxt = t.bnode()
                self.add(cell, n.RDF.rest, nxt)
                cell = nxt
            self.add(cell, n.RDF.first, node)
        self.add(cell, n.RDF.rest, n.RDF.nil)
        self.add(work, n.BIBO.authorList, head)

    def editorial(self) -> Term:
        n, t = self.n, self.t
        e = self.ds.editorial
        node = self.iris.editorial()
        self.add(node, n.RDF.type, n.FABIO.Editorial)
        self.add(node, n.DCTERMS.title, t.en(e.title))
        self.add(node, n.RDFS.label, t.en(f"{e.title} (editorial)"))
        self.author_list(node, e.authors)
        for kw in e.keywords:
            self.add(node, n.PRISM.keyword, t.en(kw))
        coll = self.iris.collection()
        self.add(coll, n.RDF.type, n.DCMITYPE.Collection)
        self.add(coll, n.DCTERMS.title, t.en(e.collection_title))
        self.add(coll, n.RDFS.label, t.en(e.collection_title))
        self.add(
            coll, n.FOAF.homepage, self.url(e.collection_url, e, "editorial", "collection_url")
        )
        self.add(node, n.CITO.describes, coll)
        self.add(
            node,
            n.RDFS.seeAlso,
            self.url(e.related_collection_url, e, "editorial", "related_collection_url"),
        )
        return node

    def table(self, editorial: Term) -> Term:
        n, t = self.n, self.t
        e = self.ds.editorial
        table = self.iris.table()
        self.add(table, n.RDF.type, n.CSVW.Table)
        self.add(table, n.DCTERMS.isPartOf, editorial)
        self.add(table, n.DCTERMS.title, t.en("Table 1"))
        self.add(table, n.DCTERMS.description, t.en(e.table_caption))
        scheme = self.iris.abbreviations()
        self.add(scheme, n.RDF.type, n.SKOS.ConceptScheme)
        self.add(scheme, n.SKOS.prefLabel, t.en("Abbreviations of Table 1"))
        self.add(table, n.DCTERMS.references, scheme)
        for abbr, meaning in e.abbreviations:
            node = self.iris.abbreviation(abbr)
            self.add(node, n.RDF.type, n.SKOS.Concept)
            self.add(node, n.SKOS.inScheme, scheme)
            self.add(node, n.SKOS.topConceptOf, scheme)
            self.add(node, n.SKOS.notation, t.text(abbr))
            self.add(node, n.SKOS.prefLabel, t.en(meaning))
        return table

    def paper(self, paper: Paper, table: Term, collection: Term) -> None:
        n, t = self.n, self.t
        node = self.iris.paper(paper.key)
        self.add(node, n.RDF.type, n.FABIO.JournalArticle)
        self.add(node, n.RDFS.label, t.text(paper.short_label()))
        self.add(node, n.FABIO.hasPublicationYear, t.year(paper.year))
        self.add(node, n.PRISM.volume, t.integer(paper.volume))
        self.add(node, n.PRISM.startingPage, t.integer(paper.first_page))
        self.add(node, n.PRISM.endingPage, t.integer(paper.last_page))
        self.add(node, n.DCTERMS.isPartOf, self.journal_iri(paper.journal))
        self.add(node, n.DCTERMS.bibliographicCitation, t.text(self.ds.citation(paper)))
        if paper.problem:  # "" when the record gives only the explicit concept lists
            self.add(node, n.MLC.problemStatement, t.text(paper.problem))
        if paper.approach:
            self.add(node, n.MLC.approachStatement, t.text(paper.approach))
        if paper.title:
            self.add(node, n.DCTERMS.title, t.text(paper.title))
        if paper.doi:
            self.add(node, n.PRISM.doi, t.text(paper.doi))
        self.author_list(node, paper.authors)
        tags = self.tags[paper.key]
        for c in tags.methods:
            self.add(node, n.MLC.usesMethod, t.node(c))
        for c in tags.problems:
            self.add(node, n.MLC.addressesProblem, t.node(c))
        for key in paper.data_sources:
            self.add(node, n.CITO.citesAsDataSource, self.iris.database(key))
        if paper.row is not None:
            row = self.iris.row(paper.row)
            self.add(row, n.RDF.type, n.CSVW.Row)
            self.add(row, n.CSVW.rownum, t.integer(paper.row))
            self.add(row, n.CSVW.describes, node)
            self.add(table, n.CSVW.row, row)
            self.add(node, n.PROV.wasDerivedFrom, row)
            self.add(collection, n.DCTERMS.hasPart, node)  # the IUCr virtual collection
        elif paper.source:
            self.add(node, n.DCTERMS.source, t.text(paper.source))
        # every paper of data/papers.yaml is described in this dataset (the curated
        # collection); only Table 1's are part of the IUCr virtual collection
        self.add(node, n.VOID.inDataset, self.iris.dataset())

    def references(self, editorial: Term) -> None:
        n, t = self.n, self.t
        papers = {(p.journal, p.volume, p.first_page): p for p in self.ds.papers}
        for r in self.ds.references:
            work = self.reference_work(r, papers)
            self.paper_by_ref[r.key] = work
            entry = self.iris.reference(r.key)
            self.add(entry, n.RDF.type, n.BIRO.BibliographicReference)
            self.add(entry, n.DCTERMS.isPartOf, editorial)
            self.add(entry, n.DCTERMS.bibliographicCitation, t.text(r.citation))
            self.add(entry, n.BIRO.references, work)
            self.add(editorial, n.CITO.cites, work)

    def reference_work(self, r: Reference, papers: dict[tuple[str, int, int], Paper]) -> Term:
        n, t = self.n, self.t
        if r.table1 and r.journal and r.volume and r.first_page:
            return self.iris.paper(papers[r.journal, r.volume, int(r.first_page)].key)
        work = self.iris.work(r.key)
        self.add(work, n.RDF.type, t.node(REFERENCE_CLASSES[r.type]))
        self.add(work, n.DCTERMS.bibliographicCitation, t.text(r.citation))
        self.add(work, n.FABIO.hasPublicationYear, t.year(r.year))
        self.author_list(work, r.authors)
        fams = [self.ds.people[a.person].family_name for a in r.authors]
        who = (
            fams[0]
            if len(fams) == 1
            else (f"{fams[0]} & {fams[1]}" if len(fams) == 2 else f"{fams[0]} et al.")
        )
        self.add(work, n.RDFS.label, t.text(f"{who} ({r.year}{r.year_suffix})"))
        if r.journal:
            self.add(work, n.DCTERMS.isPartOf, self.iris.journal(r.journal))
        if r.volume:
            self.add(work, n.PRISM.volume, t.integer(r.volume))
        if r.pages:
            first, _, last = r.pages.partition("–")
            if last and first.isdigit() and last.isdigit():
                self.add(work, n.PRISM.startingPage, t.integer(int(first)))
                self.add(work, n.PRISM.endingPage, t.integer(int(last)))
            else:
                self.add(work, n.PRISM.pageRange, t.text(r.pages))
        for prop, value in (
            (n.DCTERMS.title, r.title),
            (n.DCTERMS.publisher, r.publisher),
            (n.PRISM.doi, r.doi),
            (n.DCTERMS.identifier, r.identifier),
            (n.SKOS.note, r.note),
        ):
            if value:
                self.add(work, prop, t.text(value))
        if r.url:
            self.add(work, n.FOAF.homepage, self.url(r.url, r, f"reference {r.key}", "url"))
        return work

    def catalogue(self, editorial: Term) -> None:
        n, t = self.n, self.t
        for d in self.ds.databases.values():
            node = self.checked(self.iris.database(d.key), d, f"database {d.key}", "key")
            self.add(node, n.RDF.type, n.DCAT.Dataset)
            self.add(node, n.DCTERMS.title, t.text(d.title))
            self.add(node, n.RDFS.label, t.text(d.acronym))
            self.add(node, n.SKOS.altLabel, t.text(d.acronym))
            self.add(self.paper_by_ref[d.described_by], n.CITO.describes, node)
            self.add(editorial, n.CITO.discusses, node)
        for s in self.ds.standards.values():
            node = self.checked(self.iris.standard(s.key), s, f"standard {s.key}", "key")
            self.add(node, n.RDF.type, n.DCTERMS.Standard)
            self.add(node, n.DCTERMS.title, t.text(s.title))
            self.add(node, n.RDFS.label, t.text(s.acronym))
            self.add(node, n.SKOS.altLabel, t.text(s.acronym))
            self.add(editorial, n.CITO.discusses, node)
        for sw in self.ds.software.values():
            node = self.checked(self.iris.software(sw.key), sw, f"software {sw.key}", "key")
            self.add(node, n.RDF.type, n.FABIO.ComputerProgram)
            self.add(node, n.DCTERMS.title, t.text(sw.title))
            self.add(node, n.RDFS.label, t.text(sw.title))
            self.add(editorial, n.CITO.discusses, node)
            if sw.homepage:
                self.add(
                    node,
                    n.FOAF.homepage,
                    self.url(sw.homepage, sw, f"software {sw.key}", "homepage"),
                )
            if sw.described_by:
                self.add(self.paper_by_ref[sw.described_by], n.CITO.describes, node)
            if sw.derived_from:
                self.add(node, n.PROV.wasDerivedFrom, self.paper_by_ref[sw.derived_from])
            if sw.method:
                concept = URIRef(f"https://w3id.org/mlcryst/method/{sw.method}")
                if (concept, RDF.type, SKOS.Concept) not in self.vocab:
                    raise DataError(
                        f"unknown method concept {sw.method!r}",
                        file=sw.where.file,
                        line=sw.where.line,
                        record=f"software {sw.key}",
                        field="method",
                    )
                self.add(node, n.MLC.implementsMethod, t.node(concept))
                for paper in self.ds.papers:
                    if concept in self.tags[paper.key].methods:
                        self.add(self.iris.paper(paper.key), n.MLC.usesSoftware, node)
