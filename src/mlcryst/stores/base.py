"""The store interface: what every stage after the build asks of the graph it works on.

A :class:`GraphStore` holds one RDF graph in one engine. :mod:`mlcryst.stores.rdflib_store`
and :mod:`mlcryst.stores.oxigraph_store` implement it; :mod:`mlcryst.stores.registry` names
them and picks one (``--store``). The stages (validate, query, export, the network views, the
page, push) are each written once against this class and never ask which engine they have.

>>> from mlcryst.stores.registry import open_store
>>> store = open_store("rdflib")                  # built from the shipped data
>>> store.name, len(store) > 5000
('rdflib', True)
>>> store.query("papers-per-journal").rows()[0]["papers"]
14
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    from mlcryst.builder.tagging import PaperTags
    from mlcryst.load.records import Dataset
    from mlcryst.shacl.report import ValidationRun, Violation
    from mlcryst.sparql.answer import Answer
    from mlcryst.sparql.named import NamedQuery
    from mlcryst.stores.literals import Rewrite


class GraphView(Protocol):
    """The triple-pattern reads of :class:`rdflib.Graph` that the network code makes.

    An rdflib Graph is one; :class:`mlcryst.stores.view.StoreView` is one over Oxigraph.
    """

    def triples(
        self, pattern: tuple[Node | None, Node | None, Node | None]
    ) -> Iterator[tuple[Node, Node, Node]]: ...

    def subjects(
        self, predicate: Node | None = ..., object: Node | None = ...
    ) -> Iterator[Node]: ...

    def objects(
        self, subject: Node | None = ..., predicate: Node | None = ...
    ) -> Iterator[Node]: ...

    def subject_objects(self, predicate: Node | None = ...) -> Iterator[tuple[Node, Node]]: ...

    def value(
        self, subject: Node | None = ..., predicate: Node = ..., object: Node | None = ...
    ) -> Node | None: ...

    def items(self, head: Node) -> Iterator[Node]: ...

    def __len__(self) -> int: ...


class GraphStore(ABC):
    """One RDF graph held by one engine.

    Made by the class methods (from records, a data folder, a file or text); then queried,
    validated, serialised and read through one interface, whatever the engine.
    """

    #: the store's name in :data:`mlcryst.stores.registry.STORES` and on ``--store``
    name: ClassVar[str]
    #: the prefixes the graph file declared (used to name nodes in violation reports)
    prefixes: dict[str, str]
    #: the first few literals of the source the store holds in another form than written
    #: (:mod:`mlcryst.stores.literals`); validation then checks the data as written
    rewrites: tuple[Rewrite, ...] = ()

    # --- making a store ------------------------------------------------------------------

    @classmethod
    @abstractmethod
    def from_dataset(
        cls,
        dataset: Dataset,
        *,
        base: str | None = None,
        vocabularies: Graph | None = None,
        tags: dict[str, PaperTags] | None = None,
    ) -> GraphStore:
        """The knowledge graph of loaded records (the vocabularies included)."""

    @classmethod
    def from_data(
        cls,
        data_dir: Path | str | None = None,
        base: str | None = None,
        ontology_dir: Path | None = None,
    ) -> GraphStore:
        """The knowledge graph of a data folder (None: the shipped data), with the
        vocabularies of ``ontology_dir`` (None: the shipped ones)."""
        from mlcryst.builder.graph import load_vocabularies
        from mlcryst.load.dataset import load_dataset

        vocabularies = load_vocabularies(ontology_dir)
        return cls.from_dataset(load_dataset(data_dir), base=base, vocabularies=vocabularies)

    @classmethod
    @abstractmethod
    def from_file(cls, path: Path | str) -> GraphStore:
        """An RDF file, read safely (:mod:`mlcryst.stores.files`: budgets, no network)."""

    @classmethod
    @abstractmethod
    def from_text(cls, text: str, fmt: str = "nt") -> GraphStore:
        """RDF given as text in an output format ("nt", "turtle", ...); trusted input."""

    # --- reading ---------------------------------------------------------------------------

    @abstractmethod
    def __len__(self) -> int:
        """The number of triples."""

    @abstractmethod
    def view(self) -> GraphView:
        """A read view for code that walks triples (the network index)."""

    def query(
        self,
        query: str | NamedQuery,
        bindings: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
        memory_mb: int | None = None,
    ) -> Answer:
        """Run a SPARQL query (a text, or a named query by name or object).

        ``bindings`` maps variable names to :class:`~mlcryst.sparql.params.Param` values or
        rdflib terms; they are bound, never pasted into the text. The text passes
        :func:`mlcryst.sparql.guard.guard` before any engine sees it, and the query runs in a
        child process with no network under ``timeout`` seconds and ``memory_mb`` (None: the
        defaults of :mod:`mlcryst.limits`; 0: no limit), raising
        :class:`~mlcryst.errors.QueryTimeout` past either.
        """
        from mlcryst.sparql.guard import guard
        from mlcryst.sparql.named import NamedQuery, check_parameters, find_query

        if isinstance(query, str) and _is_name(query):
            query = find_query(query)
        if isinstance(query, NamedQuery):
            check_parameters(query, dict(bindings or {}))
            text, what = query.text, f"query {query.name}"
        else:
            text, what = query, "the query"
        text = guard(text)  # refused before any process starts
        return self._query(text, dict(bindings or {}), timeout, memory_mb, what)

    @abstractmethod
    def _query(
        self,
        text: str,
        bindings: dict[str, Any],
        timeout: float | None,
        memory_mb: int | None,
        what: str,
    ) -> Answer:
        """Evaluate a guarded text on this engine, under the limits."""

    # --- validating -------------------------------------------------------------------------

    @abstractmethod
    def validation_run(
        self, shapes: Graph | None = None, *, jobs: int | None = None
    ) -> ValidationRun:
        """Every SHACL result for the graph, and which shapes ran where; ``shapes`` default
        to the shipped ones, ``jobs`` is the number of threads where the engine can use them
        (default: one per core). A shape is never skipped."""

    @abstractmethod
    def violations(self, run: ValidationRun, shapes: Graph) -> list[Violation]:
        """The results of ``run`` described for people (the record and field a curator
        knows), sorted."""

    def validate(self, shapes: Graph | None = None, *, jobs: int | None = None) -> list[Violation]:
        """Every SHACL result for the graph, described for people (empty when it conforms)."""
        from mlcryst.shacl.report import load_shapes

        shapes = shapes if shapes is not None else load_shapes()
        return self.violations(self.validation_run(shapes, jobs=jobs), shapes)

    def check(self, shapes: Graph | None = None, *, jobs: int | None = None) -> list[Violation]:
        """Raise :class:`~mlcryst.errors.ValidationFailed` on any violation; else return the
        warnings."""
        from mlcryst.shacl.report import raise_on_violations

        return raise_on_violations(self.validate(shapes, jobs=jobs))

    # --- writing ----------------------------------------------------------------------------

    @abstractmethod
    def serialize(self, fmt: str) -> bytes:
        """The graph in an output format (:data:`mlcryst.export.formats.EXPORT_FORMATS`),
        deterministic: canonical N-Triples are byte-identical on every store."""

    @abstractmethod
    def write(self, path: Path | str, fmt: str) -> Path:
        """Write the graph in ``fmt`` to ``path`` atomically."""

    @abstractmethod
    def write_outputs(
        self, out_dir: Path | str, formats: tuple[str, ...] | None = None
    ) -> list[Path]:
        """Write ``mlcryst.ttl`` etc. (default: :data:`~mlcryst.export.formats.BUILD_FORMATS`)
        and the JSON-LD context into ``out_dir``: all files or none."""

    @abstractmethod
    def ntriples(self) -> bytes:
        """The graph as N-Triples in any order (the fastest dump; what a push sends)."""


def _is_name(text: str) -> bool:
    """Whether ``text`` names a query (a name or a ``.rq`` path) rather than being one."""
    from mlcryst.sparql.named import NAME

    return bool(NAME.match(text)) or (text.endswith(".rq") and Path(text).exists())
