"""``NAME=VALUE`` query parameters: the one parser behind ``--param`` on every store.

A value is an IRI when written ``<iri>`` or ``prefix:local`` with one of mlcryst's prefixes
(expanded by :data:`mlcryst.prefixes.CONVERTER`), and a plain string literal otherwise. An
IRI must be an absolute IRI (RFC 3987, checked by :func:`mlcryst.builder.iris.iri_problem`,
the same check as the data's IRIs), whatever store then runs the query; a name must be a
SPARQL variable name. Values are bound, never pasted into the query text.

>>> got = parse_params(["author=Billinge, S. J. L.", "method=mlm:cnn", "x=<https://example.org/a>"])
>>> got["author"], got["method"].value, got["x"].kind
(Param(kind='literal', value='Billinge, S. J. L.'), 'https://w3id.org/mlcryst/method/cnn', 'iri')
>>> parse_params(["x=<https://example.org/a b>"])
Traceback (most recent call last):
...
mlcryst.errors.UsageError: --param x: '<https://example.org/a b>' is not an absolute IRI: U+0020 ...
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mlcryst.errors import UsageError

VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Param:
    """A bound value, before it becomes a term of one store."""

    kind: str  # "iri" or "literal"
    value: str

    def rdflib(self) -> Any:
        """The value as an rdflib term."""
        from rdflib import Literal, URIRef

        return URIRef(self.value) if self.kind == "iri" else Literal(self.value)

    def oxigraph(self) -> Any:
        """The value as a pyoxigraph term."""
        import pyoxigraph as ox

        return ox.NamedNode(self.value) if self.kind == "iri" else ox.Literal(self.value)


def parse_params(items: Iterable[str]) -> dict[str, Param]:
    """``NAME=VALUE`` items as :class:`Param` values; :class:`UsageError` on a bad one."""
    from mlcryst.iri_syntax import iri_problem
    from mlcryst.prefixes import CONVERTER

    out: dict[str, Param] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"--param {item!r}: expected NAME=VALUE")
        if not VARNAME.match(name):
            raise UsageError(f"--param {name!r}: a name is letters, digits and _ only")
        if name in out:
            raise UsageError(f"--param {name}: given twice")
        expanded = CONVERTER.expand(value)
        if value.startswith("<") and value.endswith(">"):
            param = Param("iri", value[1:-1])
        elif expanded is not None:
            param = Param("iri", expanded)
        else:
            param = Param("literal", value)
        problem = iri_problem(param.value) if param.kind == "iri" else None
        if problem:
            raise UsageError(f"--param {name}: {value!r} is {problem}")
        out[name] = param
    return out
