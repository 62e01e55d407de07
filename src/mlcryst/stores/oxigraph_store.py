"""The Oxigraph store: the graph in a ``pyoxigraph.Store``, for large graphs.

Three ways to open one: build it (in memory) from records or a data folder, read an RDF file,
or open a persisted store read-only (:meth:`OxigraphStore.open_persisted`; the cache of built
graphs, :mod:`mlcryst.stores.cache`, keeps every graph so, and ``from_data``/``from_file`` use it).

At the scale of the whole literature rdflib's in-memory store, SPARQL engine and serialisers
are 10-1000x slower than Oxigraph's (docs/benchmarks.md). This implementation of
:class:`~mlcryst.stores.base.GraphStore` never makes an rdflib copy of the graph: records
stream into the store as N-Triples (:mod:`mlcryst.builder.stream`), the shapes run as SPARQL
(:mod:`mlcryst.shacl.compiled`, pySHACL's verdicts), queries run on Oxigraph
(:mod:`mlcryst.sparql.oxigraph`), the writers stream (:mod:`mlcryst.export.oxigraph_writer`),
and the network code reads it through :class:`~mlcryst.stores.view.StoreView`. The canonical
N-Triples are byte-identical to the rdflib store's.

>>> store = OxigraphStore.from_text('<urn:a> <urn:p> "x" .', "nt")
>>> print(store.query("SELECT ?s ?o WHERE { ?s ?p ?o }").render("table"), end="")
s      o
-----  -
urn:a  x
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import pyoxigraph as ox

from mlcryst.stores.base import GraphStore

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rdflib import Graph

    from mlcryst.builder.tagging import PaperTags
    from mlcryst.load.records import Dataset
    from mlcryst.shacl.report import ValidationRun, Violation
    from mlcryst.sparql.answer import Answer
    from mlcryst.stores.view import StoreView


class OxigraphStore(GraphStore):
    """A :class:`~mlcryst.stores.base.GraphStore` over a ``pyoxigraph.Store``."""

    name: ClassVar[str] = "oxigraph"

    def __init__(self, store: ox.Store, prefixes: dict[str, str] | None = None) -> None:
        self.store = store
        self.prefixes = dict(prefixes or {})

    # --- making one ------------------------------------------------------------------------

    @classmethod
    def from_dataset(
        cls,
        dataset: Dataset,
        *,
        base: str | None = None,
        vocabularies: Graph | None = None,
        tags: dict[str, PaperTags] | None = None,
    ) -> OxigraphStore:
        from mlcryst.builder.stream import build_store

        return cls(build_store(dataset, base, vocabularies, tags))

    @classmethod
    def from_data(
        cls,
        data_dir: Path | str | None = None,
        base: str | None = None,
        ontology_dir: Path | None = None,
    ) -> OxigraphStore:
        """The graph of a data folder, from the cache of builds when it is there
        (:mod:`mlcryst.stores.cache`)."""
        from mlcryst.stores.cache import cached_store

        return cls(cached_store(data_dir, base, ontology_dir))

    @classmethod
    def from_file(cls, path: Path | str) -> OxigraphStore:
        """The graph of an RDF file: its persisted store when the file has not changed since
        it was last read (:mod:`mlcryst.stores.cache`), else read safely (and persisted)."""
        from mlcryst.stores.cache import cached_file_store
        from mlcryst.stores.files import declared_prefixes, read_oxigraph

        def read() -> tuple[ox.Store, dict[str, str]]:
            return read_oxigraph(path), declared_prefixes(path)

        return cls(*cached_file_store(path, read))

    @classmethod
    def open_persisted(cls, path: Path | str) -> OxigraphStore | None:
        """The graph persisted at ``path`` (:func:`mlcryst.stores.cache.persist`), opened
        read-only in milliseconds whatever its size; None when there is no complete store of
        this version there (a broken one is removed, to be rebuilt)."""
        from mlcryst.stores.cache import open_persisted

        found = open_persisted(path)
        return None if found is None else cls(*found)

    @classmethod
    def from_text(cls, text: str, fmt: str = "nt") -> OxigraphStore:
        from mlcryst.export.formats import check_formats
        from mlcryst.stores.terms import FORMAT_NAMES

        check_formats([fmt])
        store = ox.Store()
        store.bulk_load(text.encode("utf-8"), format=FORMAT_NAMES[fmt], to_graph=ox.DefaultGraph())
        return cls(store)

    @classmethod
    def from_triples(
        cls, triples: Iterable[tuple[Any, Any, Any]], *, vocabularies: bool = False
    ) -> OxigraphStore:
        """A store of rdflib ``triples`` (plus the shipped vocabularies if asked)."""
        from mlcryst.stores.terms import ToOx

        store = ox.Store()
        if vocabularies:
            from mlcryst.builder.graph import load_vocabularies
            from mlcryst.builder.stream import load_vocabularies_into

            load_vocabularies_into(store, load_vocabularies())
        conv = ToOx()
        store.extend(ox.Quad(conv(s), conv(p), conv(o)) for s, p, o in triples)
        return cls(store)

    # --- reading ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.store)

    def view(self) -> StoreView:
        from mlcryst.stores.view import StoreView

        return StoreView(self.store)

    def _query(
        self,
        text: str,
        bindings: dict[str, Any],
        timeout: float | None,
        memory_mb: int | None,
        what: str,
    ) -> Answer:
        from mlcryst.sparql.answer import OxigraphAnswer
        from mlcryst.sparql.oxigraph import run_query
        from mlcryst.sparql.params import Param

        terms = {k: v.oxigraph() if isinstance(v, Param) else v for k, v in bindings.items()}
        return OxigraphAnswer(
            run_query(self.store, text, terms, timeout=timeout, memory_mb=memory_mb, what=what)
        )

    # --- validating and writing ------------------------------------------------------------

    def validation_run(
        self, shapes: Graph | None = None, *, jobs: int | None = None
    ) -> ValidationRun:
        import os

        from mlcryst.shacl.compiled import validation_run

        return validation_run(self.store, shapes, jobs=jobs or os.cpu_count() or 1)

    def violations(self, run: ValidationRun, shapes: Graph) -> list[Violation]:
        from mlcryst.shacl.compiled import violations

        return violations(self.store, run.results, shapes, self.prefixes or None)

    def serialize(self, fmt: str) -> bytes:
        from mlcryst.export.oxigraph_writer import serialize

        return serialize(self.store, fmt)

    def write(self, path: Path | str, fmt: str) -> Path:
        from mlcryst.export.oxigraph_writer import write_file

        return write_file(self.store, path, fmt)

    def write_outputs(
        self, out_dir: Path | str, formats: tuple[str, ...] | None = None
    ) -> list[Path]:
        from mlcryst.export.formats import BUILD_FORMATS
        from mlcryst.export.oxigraph_writer import write_outputs

        return write_outputs(self.store, out_dir, formats or BUILD_FORMATS)

    def ntriples(self) -> bytes:
        from mlcryst.stores.files import oxigraph_errors

        with oxigraph_errors("the store", "N-Triples"):
            data = self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        return data or b""

    def to_graph(self) -> Graph:
        """The store's graph as an rdflib Graph (mlcryst's prefixes bound)."""
        from rdflib import Graph

        from mlcryst.namespaces import bind_prefixes
        from mlcryst.stores.files import quiet_rdflib

        graph = Graph()
        bind_prefixes(graph)
        with quiet_rdflib():
            graph.parse(data=self.ntriples().decode("utf-8"), format="nt")
        return graph
