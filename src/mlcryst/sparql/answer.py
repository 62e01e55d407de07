"""A query's answer, whatever store gave it: its kind, its size, and its rendering.

:meth:`mlcryst.stores.base.GraphStore.query` returns an :class:`Answer`. The rdflib store's
answers are rdflib ``Result`` objects underneath, Oxigraph's are materialised pyoxigraph terms
(:class:`mlcryst.sparql.oxigraph.OxResult`); both render the same text in every format, and
both convert to an rdflib ``Result`` for code that wants rdflib terms.

>>> from mlcryst.stores.registry import store_from_text
>>> for name in ("rdflib", "oxigraph"):
...     answer = store_from_text('<urn:a> <urn:p> "x" .', "nt", store=name).query(
...         "SELECT ?s ?o WHERE { ?s ?p ?o }")
...     print(answer.type, len(answer), answer.rows())
SELECT 1 [{'s': 'urn:a', 'o': 'x'}]
SELECT 1 [{'s': 'urn:a', 'o': 'x'}]
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.query import Result

    from mlcryst.sparql.oxigraph import OxResult


class Answer(ABC):
    """The answer of a SELECT, ASK, CONSTRUCT or DESCRIBE query."""

    #: "SELECT", "ASK", "CONSTRUCT" or "DESCRIBE"
    type: str

    @abstractmethod
    def __len__(self) -> int:
        """Rows of a SELECT, triples of a graph answer (0 for ASK)."""

    @abstractmethod
    def render(self, fmt: str) -> str:
        """The answer as text: ``table``, or a SPARQL 1.1 results format (``csv``, ``tsv``,
        ``json``, ``xml``); a graph answer is Turtle in every format."""

    @abstractmethod
    def to_rdflib(self) -> Result:
        """The answer as an rdflib ``Result`` (rdflib terms)."""

    @property
    def boolean(self) -> bool | None:
        """The answer of an ASK query (None for the other kinds)."""
        return bool(self.to_rdflib().askAnswer) if self.type == "ASK" else None

    def graph(self) -> Graph:
        """The triples of a CONSTRUCT or DESCRIBE answer as an rdflib Graph."""
        from mlcryst.errors import QueryError

        result = self.to_rdflib()
        if self.type not in ("CONSTRUCT", "DESCRIBE") or result.graph is None:
            raise QueryError(f"a {self.type} query returns no graph")
        return result.graph

    def rows(self) -> list[dict[str, Any]]:
        """SELECT rows as dicts of Python values (None for unbound), in the answer's order."""
        from mlcryst.sparql.named import rows

        return rows(self.to_rdflib())


class RdflibAnswer(Answer):
    """An answer computed by rdflib."""

    def __init__(self, result: Result) -> None:
        self.result = result
        self.type = result.type

    def __len__(self) -> int:
        if self.type == "ASK":
            return 0
        if self.type == "SELECT":
            return len(self.result.bindings)
        return len(self.result.graph or ())

    def render(self, fmt: str) -> str:
        from mlcryst.sparql.results import render

        return render(self.result, fmt)

    def to_rdflib(self) -> Result:
        return self.result


class OxigraphAnswer(Answer):
    """An answer computed by Oxigraph (rendered as a table without importing rdflib)."""

    def __init__(self, result: OxResult) -> None:
        self.result = result
        self.type = result.type

    def __len__(self) -> int:
        return 0 if self.type == "ASK" else len(self.result)

    def render(self, fmt: str) -> str:
        from mlcryst.sparql.oxigraph import render

        return render(self.result, fmt)

    def to_rdflib(self) -> Result:
        from mlcryst.sparql.oxigraph import to_rdflib_result

        return to_rdflib_result(self.result)

    @property
    def boolean(self) -> bool | None:
        return bool(self.result.answer) if self.type == "ASK" else None
