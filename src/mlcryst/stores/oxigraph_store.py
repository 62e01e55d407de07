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
    from collections.abc import Callable, Iterable

    from rdflib import Graph

    from mlcryst.builder.tagging import PaperTags
    from mlcryst.load.records import Dataset
    from mlcryst.shacl.report import ValidationRun, Violation
    from mlcryst.sparql.answer import Answer
    from mlcryst.stores.literals import Rewrite
    from mlcryst.stores.view import StoreView


class OxigraphStore(GraphStore):
    """A :class:`~mlcryst.stores.base.GraphStore` over a ``pyoxigraph.Store``."""

    name: ClassVar[str] = "oxigraph"

    def __init__(
        self,
        store: ox.Store,
        prefixes: dict[str, str] | None = None,
        *,
        rewrites: Iterable[Rewrite] = (),
        as_written: Callable[[], Graph] | None = None,
    ) -> None:
        """``rewrites``: literals of the source the store holds in another form
        (:mod:`mlcryst.stores.literals`); ``as_written`` then gives the source as an rdflib
        Graph, which validation checks instead of the store."""
        self.store = store
        self.prefixes = dict(prefixes or {})
        self.rewrites: tuple[Rewrite, ...] = tuple(rewrites)
        self._as_written = as_written
        self._written: Graph | None = None

    def as_written(self) -> Graph | None:
        """The data as written, when the store holds some of its literals in another form
        (read once); None when the store holds the data exactly."""
        if not self.rewrites:
            return None
        if self._as_written is None:
            from mlcryst.errors import DataError

            raise DataError(
                f"the store holds literals in another form than written ({self.rewrites[0]}) "
                "and the data as written is not at hand: validate the graph file itself"
            )
        if self._written is None:
            self._written = self._as_written()
        return self._written

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
        it was last read (:mod:`mlcryst.stores.cache`), else read safely (and persisted). The
        literals of the file the store holds in another form are kept with it
        (:mod:`mlcryst.stores.literals`)."""
        from mlcryst.stores.cache import cached_file_store
        from mlcryst.stores.files import declared_prefixes, read_oxigraph_checked, read_rdflib

        def read() -> tuple[ox.Store, dict[str, str], list[Rewrite]]:
            store, rewritten = read_oxigraph_checked(path)
            return store, declared_prefixes(path), rewritten

        store, prefixes, rewritten = cached_file_store(path, read)
        return cls(store, prefixes, rewrites=rewritten, as_written=lambda: read_rdflib(path))

    @classmethod
    def open_persisted(cls, path: Path | str) -> OxigraphStore | None:
        """The graph persisted at ``path`` (:func:`mlcryst.stores.cache.persist`), opened
        read-only in milliseconds whatever its size; None when there is no complete store of
        this version there (a broken one is removed, to be rebuilt)."""
        from mlcryst.stores.cache import open_persisted

        found = open_persisted(path)
        if found is None:
            return None
        store, prefixes, rewritten = found
        return cls(store, prefixes, rewrites=rewritten)

    @classmethod
    def from_text(cls, text: str, fmt: str = "nt") -> OxigraphStore:
        from mlcryst.export.formats import check_formats
        from mlcryst.stores.literals import data_rewrites
        from mlcryst.stores.terms import FORMAT_NAMES

        check_formats([fmt])
        store = ox.Store()
        data = text.encode("utf-8")
        store.bulk_load(data, format=FORMAT_NAMES[fmt], to_graph=ox.DefaultGraph())

        def as_written() -> Graph:
            from mlcryst.stores.rdflib_store import RdflibStore

            return RdflibStore.from_text(text, fmt).graph

        return cls(store, rewrites=data_rewrites(data, FORMAT_NAMES[fmt]), as_written=as_written)

    @classmethod
    def from_triples(
        cls, triples: Iterable[tuple[Any, Any, Any]], *, vocabularies: bool = False
    ) -> OxigraphStore:
        """A store of rdflib ``triples`` (plus the shipped vocabularies if asked)."""
        from rdflib import Graph

        from mlcryst.stores.literals import literal_rewrites
        from mlcryst.stores.terms import ToOx

        graph = Graph()
        if vocabularies:
            from mlcryst.builder.graph import load_vocabularies

            graph += load_vocabularies()
        for triple in triples:
            graph.add(triple)
        conv = ToOx()
        quads = [ox.Quad(conv(s), conv(p), conv(o)) for s, p, o in graph]
        store = ox.Store()
        store.extend(quads)
        return cls(
            store, rewrites=literal_rewrites(q.object for q in quads), as_written=lambda: graph
        )

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

        written = self.as_written()
        if written is not None:
            why = (
                f"the data has literals the store holds in another form ({self.rewrites[0]}): "
                "checked on the data as written"
            )
            return validation_run(self.store, shapes, as_written=(written, why))
        return validation_run(self.store, shapes, jobs=jobs or os.cpu_count() or 1)

    def violations(self, run: ValidationRun, shapes: Graph) -> list[Violation]:
        from mlcryst.shacl.compiled import violations
        from mlcryst.shacl.report import describe_results

        written = self.as_written()
        if written is not None:
            return describe_results(written, shapes, run.results)
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
