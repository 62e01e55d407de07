"""The rdflib store: the graph as an rdflib ``Graph``, validated by pySHACL.

The reference implementation of :class:`~mlcryst.stores.base.GraphStore`: the small graph's
outputs are rdflib's (Turtle, JSON-LD), SHACL runs in pySHACL, SPARQL in rdflib's engine.

>>> store = RdflibStore.from_data()            # built in memory from the shipped data
>>> len(store) > 1000
True
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rdflib import Graph

from mlcryst.stores.base import GraphStore

if TYPE_CHECKING:
    from mlcryst.builder.tagging import PaperTags
    from mlcryst.load.records import Dataset
    from mlcryst.shacl.report import ValidationRun, Violation
    from mlcryst.sparql.answer import Answer


class RdflibStore(GraphStore):
    """A :class:`~mlcryst.stores.base.GraphStore` over an rdflib ``Graph``."""

    name: ClassVar[str] = "rdflib"

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.prefixes = {str(p): str(ns) for p, ns in graph.namespaces()}

    @classmethod
    def from_dataset(
        cls,
        dataset: Dataset,
        *,
        base: str | None = None,
        vocabularies: Graph | None = None,
        tags: dict[str, PaperTags] | None = None,
    ) -> RdflibStore:
        from mlcryst.builder.graph import build_graph

        return cls(build_graph(dataset, base=base, vocabularies=vocabularies, tags=tags))

    @classmethod
    def from_file(cls, path: Path | str) -> RdflibStore:
        from mlcryst.stores.files import read_rdflib

        return cls(read_rdflib(path))

    @classmethod
    def from_text(cls, text: str, fmt: str = "nt") -> RdflibStore:
        from mlcryst.export.formats import EXPORT_FORMATS, check_formats
        from mlcryst.stores.literals import rdflib_reads_as_written

        check_formats([fmt])
        with rdflib_reads_as_written():
            return cls(Graph().parse(data=text, format=EXPORT_FORMATS[fmt].rdflib))

    def __len__(self) -> int:
        return len(self.graph)

    def view(self) -> Graph:
        return self.graph

    def _query(
        self,
        text: str,
        bindings: dict[str, Any],
        timeout: float | None,
        memory_mb: int | None,
        what: str,
    ) -> Answer:
        from mlcryst.sparql.answer import RdflibAnswer
        from mlcryst.sparql.named import run_guarded

        terms = {name: _rdflib_term(value) for name, value in bindings.items()}
        return RdflibAnswer(
            run_guarded(self.graph, text, terms, timeout=timeout, memory_mb=memory_mb, what=what)
        )

    def validation_run(
        self, shapes: Graph | None = None, *, jobs: int | None = None
    ) -> ValidationRun:
        from mlcryst.shacl.report import pyshacl_run

        return pyshacl_run(self.graph, shapes)

    def violations(self, run: ValidationRun, shapes: Graph) -> list[Violation]:
        from mlcryst.shacl.report import describe_results

        return describe_results(self.graph, shapes, run.results)

    def serialize(self, fmt: str) -> bytes:
        from mlcryst.export.rdflib_writer import serialize

        return serialize(self.graph, fmt)

    def write(self, path: Path | str, fmt: str) -> Path:
        from mlcryst.fileio import write_atomic

        path = Path(path)
        write_atomic(path, self.serialize(fmt))
        return path

    def write_outputs(
        self, out_dir: Path | str, formats: tuple[str, ...] | None = None
    ) -> list[Path]:
        from mlcryst.export.formats import BUILD_FORMATS
        from mlcryst.export.rdflib_writer import write_outputs

        return write_outputs(self.graph, out_dir, formats or BUILD_FORMATS)

    def ntriples(self) -> bytes:
        return self.serialize("nt")


def _rdflib_term(value: Any) -> Any:
    """A binding as an rdflib term (a :class:`~mlcryst.sparql.params.Param`, or one already)."""
    from mlcryst.sparql.params import Param

    return value.rdflib() if isinstance(value, Param) else value
