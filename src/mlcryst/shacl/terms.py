"""SPARQL text for the SHACL translation (:mod:`mlcryst.shacl.compile`): RDF terms and
the tests a value node must pass (datatype, node kind, membership, language).

>>> node_kind_test("?v", SH.BlankNodeOrIRI)
'isBlank(?v) || isIRI(?v)'
>>> term(Literal("en", lang="en"))
'"en"@en'
"""

from __future__ import annotations

from rdflib import Literal, Node, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

from mlcryst.errors import ShapesError

INTEGER_TYPES = (
    XSD.byte, XSD.short, XSD.int, XSD.long, XSD.unsignedByte, XSD.unsignedShort,
    XSD.unsignedInt, XSD.unsignedLong, XSD.nonNegativeInteger, XSD.positiveInteger,
    XSD.negativeInteger, XSD.nonPositiveInteger,
)  # fmt: skip

INTEGER_TYPES = (
    XSD.byte, XSD.short, XSD.int, XSD.long, XSD.unsignedByte, XSD.unsignedShort,
    XSD.unsignedInt, XSD.unsignedLong, XSD.nonNegativeInteger, XSD.positiveInteger,
    XSD.negativeInteger, XSD.nonPositiveInteger,
)  # fmt: skip

#: lexical forms of the datatypes whose values pySHACL checks (an ill-typed literal fails
#: sh:datatype); for other datatypes, xsd:gYear among them, it checks only the datatype IRI,
#: and so does the translation (our shapes add a sh:pattern where the form matters).
LEXICAL = {
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.decimal: r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    XSD.boolean: r"^(true|false|1|0)$",
    XSD.date: r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.dateTime: (
        r"^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:"
        r"[0-5][0-9](\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$"
    ),
    # the integer types (a value out of range: Oxigraph keeps only a valid xsd:byte, ...)
    **dict.fromkeys(INTEGER_TYPES, r"^[+-]?[0-9]+$"),
}


def term(node: Node) -> str:
    """A term written for SPARQL.

    >>> term(Literal(3)), term(URIRef("https://example.org/a"))
    ('"3"^^<http://www.w3.org/2001/XMLSchema#integer>', '<https://example.org/a>')
    """
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        text = string(str(node))
        if node.language:
            return f"{text}@{node.language}"
        return f"{text}^^<{node.datatype or XSD.string}>"
    raise ShapesError(f"a blank node cannot be written into a query: {node}")


def string(text: str) -> str:
    """A SPARQL string literal.

    >>> print(string('a "b" \\\\S'))
    "a \\"b\\" \\\\S"
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r") + '"'


def datatype_test(v: str, d: Node) -> str:
    if d == XSD.string:
        return f"isLiteral({v}) && sameTerm(DATATYPE({v}), <{XSD.string}>)"
    if d == RDF.langString:
        return f'isLiteral({v}) && LANG({v}) != ""'
    if d == RDFS.Literal:
        return f"isLiteral({v})"
    test = f"isLiteral({v}) && sameTerm(DATATYPE({v}), {term(d)})"
    lexical = LEXICAL.get(d)  # type: ignore[call-overload]
    return test + (f" && REGEX(STR({v}), {string(lexical)})" if lexical else "")


def node_kind_test(v: str, kind: Node) -> str:
    tests = {
        SH.IRI: "isIRI({v})",
        SH.BlankNode: "isBlank({v})",
        SH.Literal: "isLiteral({v})",
        SH.BlankNodeOrIRI: "isBlank({v}) || isIRI({v})",
        SH.BlankNodeOrLiteral: "isBlank({v}) || isLiteral({v})",
        SH.IRIOrLiteral: "isIRI({v}) || isLiteral({v})",
    }
    if kind not in tests:
        raise ShapesError(f"unknown sh:nodeKind {kind}")
    return tests[kind].format(v=v)  # type: ignore[index]


def member_test(v: str, items: list[Node]) -> str:
    return " || ".join(f"sameTerm({v}, {term(i)})" for i in items) or "false"


def language_test(v: str, items: list[Node]) -> str:
    tags = " || ".join(f"langMatches(LANG({v}), {string(str(t))})" for t in items)
    return f"isLiteral({v}) && ({tags or 'false'})"


#: predicates of a shape that are not constraint parameters
NOT_PARAMETERS = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.path,
    SH.name,
    SH.description,
    SH.message,
    SH.severity,
    SH.order,
    SH.group,
    SH.property,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.target,
    SH.deactivated,
    SH.defaultValue,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,  # read with sh:qualifiedValueShape
}

#: the constraint parameters the translation understands (anything else is refused)
PARAMETERS = {
    SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.pattern, SH.flags, SH.minInclusive,
    SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.minLength, SH.maxLength,
    SH.languageIn, SH.hasValue, SH.minCount, SH.maxCount, SH.uniqueLang, SH.equals,
    SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH["not"], SH["and"], SH["or"], SH.xone,
    SH.node, SH.qualifiedValueShape, SH.qualifiedValueShapesDisjoint, SH.closed,
    SH.ignoredProperties,
}  # fmt: skip
