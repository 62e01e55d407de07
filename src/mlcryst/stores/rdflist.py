"""Walking an ``rdf:List``, whatever answers the ``rdf:first``/``rdf:rest`` lookups.

The network index reads every list cell of a large graph in two bulk passes and walks the
lists from those dictionaries; :class:`mlcryst.stores.view.StoreView` walks one list with a store
lookup per cell. Both walk through :func:`items`.

>>> first = {"a": 1, "b": 2}
>>> rest = {"a": "b", "b": "nil"}
>>> list(items("a", first.get, rest.get))
[1, 2]
>>> list(items("a", first.get, {"a": "a"}.get))
Traceback (most recent call last):
...
ValueError: List contains a recursive rdf:rest reference
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import TypeVar

N = TypeVar("N", bound=Hashable)
T = TypeVar("T")


def items(head: N, first: Callable[[N], T | None], rest: Callable[[N], N | None]) -> Iterator[T]:
    """The members of the list at ``head``, as :meth:`rdflib.Graph.items` gives them: a cell
    without ``rdf:first`` adds nothing, the walk ends where ``rdf:rest`` is missing (after
    ``rdf:nil``), and a cell met twice is an error."""
    seen = {head}
    node: N | None = head
    while node is not None:
        item = first(node)
        if item is not None:
            yield item
        node = rest(node)
        if node in seen:
            raise ValueError("List contains a recursive rdf:rest reference")
        seen.add(node)  # type: ignore[arg-type]
