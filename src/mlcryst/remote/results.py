"""SPARQL JSON results from a server, read back as the terms the embedded store gives.

Servers differ in small ways that must not change an answer: Virtuoso types plain strings as
``xsd:string``, answers booleans as ``1``/``0``, names blank nodes ``nodeID://…`` and answers
ASK as one row. :func:`to_result` smooths these over so a remote result renders and compares
like an embedded one.

>>> json_term({"type": "literal", "value": "x", "datatype": str(XSD.string)})
rdflib.term.Literal('x')
>>> json_term({"type": "literal", "value": "1", "datatype": str(XSD.boolean)}).toPython()
True
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Identifier

from mlcryst.errors import EndpointError
from mlcryst.remote.http import error_text

#: SPARQL expressions whose value is a boolean (Virtuoso returns them as integers 0 and 1)
BOOLEAN_EXPRESSIONS = {
    "RelationalExpression",
    "ConditionalAndExpression",
    "ConditionalOrExpression",
    "UnaryNot",
    "Builtin_BOUND",
    "Builtin_sameTerm",
    "Builtin_isIRI",
    "Builtin_isBLANK",
    "Builtin_isLITERAL",
    "Builtin_isNUMERIC",
    "Builtin_REGEX",
    "Builtin_CONTAINS",
    "Builtin_STRSTARTS",
    "Builtin_STRENDS",
    "Builtin_LANGMATCHES",
    "Builtin_EXISTS",
    "Builtin_NOTEXISTS",
}


def boolean_columns(node: Any) -> set[str]:
    """The variables a query binds (BIND or SELECT expression) to a boolean expression."""
    out: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if (
                getattr(item, "name", None) == "Extend"
                and getattr(item.get("expr"), "name", None) in BOOLEAN_EXPRESSIONS
            ):
                out.add(str(item["var"]))
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return out


def parse_json(body: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise EndpointError(
            f"the server did not answer with SPARQL JSON results: {error_text(body, 200)}"
        ) from exc
    if not isinstance(doc, dict) or not ("boolean" in doc or "results" in doc):
        raise EndpointError("the server's answer is not a SPARQL JSON results document")
    return doc


def parse_graph(body: bytes) -> Graph:
    graph = Graph()
    try:
        graph.parse(data=body.decode("utf-8"), format="nt")
    except Exception as exc:  # rdflib parsers raise many types
        raise EndpointError(f"the server's N-Triples answer did not parse: {exc}") from exc
    return graph


def to_result(
    doc: dict[str, Any], form: str, booleans: frozenset[str] | set[str] = frozenset()
) -> Result:
    """The JSON document as an rdflib Result, with server quirks smoothed (see ``json_term``)."""
    bindings = doc.get("results", {}).get("bindings", [])
    if form == "AskQuery":
        result = Result("ASK")
        if "boolean" in doc:
            result.askAnswer = bool(doc["boolean"])
        else:  # Virtuoso answers ASK as one row of __ASK_RETVAL 1 or 0
            cells = [c for row in bindings for c in row.values()]
            result.askAnswer = bool(cells) and str(cells[0].get("value")) in ("1", "true")
        return result
    result = Result("SELECT")
    result.vars = [Variable(v) for v in doc.get("head", {}).get("vars", [])]
    try:
        result.bindings = [
            {Variable(k): json_term(v, k in booleans) for k, v in row.items()} for row in bindings
        ]
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise EndpointError(f"the server's JSON results did not parse: {exc!r}") from exc
    return result


def json_term(cell: Mapping[str, str], boolean: bool = False) -> Identifier:
    """One JSON results cell as the term the embedded store would give.

    ``"x"^^xsd:string`` is the plain literal ``"x"`` (RDF 1.1; Virtuoso types it); Virtuoso's
    booleans ``"1"``/``"0"`` are ``"true"``/``"false"``, and so are its integers 1 and 0 in a
    ``boolean`` column (one bound to a boolean expression); its blank nodes ``nodeID://b12``
    are ``_:b12``; ``typed-literal`` (SPARQL 1.0 JSON) is a literal.
    """
    kind, value = cell["type"], cell["value"]
    if kind == "uri":
        if value.startswith("nodeID://"):
            return BNode(value[len("nodeID://") :])
        return URIRef(value)
    if kind == "bnode":
        return BNode(value[len("nodeID://") :] if value.startswith("nodeID://") else value)
    if kind not in ("literal", "typed-literal"):
        raise ValueError(f"unknown term type {kind!r}")
    lang, datatype = cell.get("xml:lang"), cell.get("datatype")
    if lang:
        return Literal(value, lang=lang)
    if not datatype or datatype == str(XSD.string):
        return Literal(value)
    if value in ("0", "1") and (
        datatype == str(XSD.boolean) or (boolean and datatype == str(XSD.integer))
    ):
        return Literal("true" if value == "1" else "false", datatype=XSD.boolean)
    return Literal(value, datatype=URIRef(datatype))
