"""One resource description (a few triples) written as N-Triples, Turtle, JSON-LD and RDF/XML.

The site writes hundreds of thousands of small descriptions; these writers work on the
parsed N-Triples terms of :mod:`pyoxigraph` directly, sort everything, and so are fast and
byte-for-byte deterministic. The terms come from canonical N-Triples (blank node labels are
already canonical), so no writer has to invent labels.

>>> import pyoxigraph as ox
>>> t = ox.Triple(ox.NamedNode("https://e.org/a"), ox.NamedNode("http://purl.org/dc/terms/title"),
...               ox.Literal("A", language="en"))
>>> print(turtle([t]).decode(), end="")
@prefix dcterms: <http://purl.org/dc/terms/> .
<BLANKLINE>
<https://e.org/a> dcterms:title "A"@en .
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from mlcryst.errors import OutputError
from mlcryst.prefixes import PREFIXES

if TYPE_CHECKING:
    import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
#: the prefixes the writers use (the project's table, sorted: the output never depends on order)
WRITER_PREFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        {
            **PREFIXES,
            "schema": "https://schema.org/",
            "void": "http://rdfs.org/ns/void#",
            "spdx": "http://spdx.org/rdf/terms#",
        }.items()
    )
)
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?\Z")
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*\Z")


def ntriples(triples: Iterable[ox.Triple]) -> bytes:
    """N-Triples, one line per triple, lines sorted."""
    return "".join(sorted(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)).encode()


def _curie(iri: str, used: set[str]) -> str:
    for prefix, ns in WRITER_PREFIXES:
        if iri.startswith(ns) and _LOCAL.match(iri[len(ns) :]):
            used.add(prefix)
            return f"{prefix}:{iri[len(ns) :]}"
    return f"<{iri}>"


def _ttl_term(term: Any, used: set[str]) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return _curie(term.value, used)
    return str(term)  # a blank node or a literal: N-Triples syntax is Turtle syntax


def _grouped(triples: Iterable[ox.Triple]) -> list[tuple[str, list[tuple[str, str]]]]:
    """subject -> [(predicate, object)] in N-Triples text, all sorted (subjects IRIs first)."""
    by_subject: dict[str, set[tuple[str, str]]] = {}
    for t in triples:
        by_subject.setdefault(str(t.subject), set()).add((str(t.predicate), str(t.object)))
    return [
        (s, sorted(by_subject[s]))
        for s in sorted(by_subject, key=lambda s: (s.startswith("_:"), s))
    ]


def turtle(triples: Sequence[ox.Triple]) -> bytes:
    """Turtle: prefixes, then one block per subject (``;`` between predicates), sorted."""
    used: set[str] = set()
    blocks = []
    grouped: dict[str, list[ox.Triple]] = {}
    for t in triples:
        grouped.setdefault(str(t.subject), []).append(t)
    for subject_text, _ in _grouped(triples):
        items = sorted(grouped[subject_text], key=lambda t: (str(t.predicate), str(t.object)))
        subject = _ttl_term(items[0].subject, used)
        lines = []
        for t in items:
            pred = "a" if t.predicate.value == RDF_TYPE else _curie(t.predicate.value, used)
            lines.append(f"{pred} {_ttl_term(t.object, used)}")
        blocks.append(subject + " " + " ;\n    ".join(lines) + " .\n")
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in WRITER_PREFIXES if p in used)
    return (head + ("\n" if head else "") + "\n".join(blocks)).encode()


def _json_value(term: Any) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"@id": term.value}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == XSD_STRING:
        return {"@value": term.value}
    return {"@value": term.value, "@type": term.datatype.value}


def jsonld(triples: Sequence[ox.Triple]) -> bytes:
    """JSON-LD (expanded form, in a ``@graph``; no remote context), sorted."""

    nodes: dict[str, dict[str, list[dict[str, str]]]] = {}
    for t in triples:
        s = str(t.subject)
        s = s[1:-1] if s.startswith("<") else s
        node = nodes.setdefault(s, {})
        node.setdefault(t.predicate.value, []).append(_json_value(t.object))
    graph = []
    for s in sorted(nodes, key=lambda s: (s.startswith("_:"), s)):
        item: dict[str, object] = {"@id": s}
        for p in sorted(nodes[s]):
            values = sorted(nodes[s][p], key=lambda v: json.dumps(v, sort_keys=True))
            if p == RDF_TYPE:
                item["@type"] = [v["@id"] for v in values]
            else:
                item[p] = values
        graph.append(item)
    text = json.dumps({"@graph": graph}, ensure_ascii=False, indent=1, sort_keys=False)
    return (text + "\n").encode()


def _xml_escape(text: str, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r", "&#13;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def rdfxml(triples: Sequence[ox.Triple]) -> bytes:
    """RDF/XML: one ``rdf:Description`` per subject, sorted; a predicate whose IRI does not
    end in an XML name cannot be written (:class:`~mlcryst.errors.OutputError`)."""
    namespaces: dict[str, str] = {"http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf"}
    known = {ns: p for p, ns in WRITER_PREFIXES}

    def qname(iri: str) -> str:
        cut = max(iri.rfind("#"), iri.rfind("/"))
        ns, local = iri[: cut + 1], iri[cut + 1 :]
        if not _NCNAME.match(local):
            raise OutputError(f"cannot write the property <{iri}> in RDF/XML")
        if ns not in namespaces:
            namespaces[ns] = known.get(ns, f"ns{len(namespaces)}")
        return f"{namespaces[ns]}:{local}"

    grouped: dict[str, list[ox.Triple]] = {}
    for t in triples:
        grouped.setdefault(str(t.subject), []).append(t)
    body = []
    for subject in sorted(grouped, key=lambda s: (s.startswith("_:"), s)):
        if subject.startswith("_:"):
            about = f'rdf:nodeID="{_xml_escape(subject[2:], True)}"'
        else:
            about = f'rdf:about="{_xml_escape(subject[1:-1], True)}"'
        body.append(f"  <rdf:Description {about}>\n")
        for t in sorted(grouped[subject], key=lambda t: (str(t.predicate), str(t.object))):
            body.append("    " + _xml_property(qname(t.predicate.value), t.object) + "\n")
        body.append("  </rdf:Description>\n")
    decls = "".join(
        f'\n    xmlns:{p}="{_xml_escape(ns, True)}"'
        for ns, p in sorted(namespaces.items(), key=lambda kv: kv[1])
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f"<rdf:RDF{decls}>\n" + "".join(body) + "</rdf:RDF>\n"
    ).encode()


def _xml_property(name: str, term: Any) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return f'<{name} rdf:resource="{_xml_escape(term.value, True)}"/>'
    if isinstance(term, ox.BlankNode):
        return f'<{name} rdf:nodeID="{_xml_escape(term.value, True)}"/>'
    if term.language:
        attr = f' xml:lang="{_xml_escape(term.language, True)}"'
    elif term.datatype.value != XSD_STRING:
        attr = f' rdf:datatype="{_xml_escape(term.datatype.value, True)}"'
    else:
        attr = ""
    return f"<{name}{attr}>{_xml_escape(term.value)}</{name}>"


#: suffix -> writer of the files beside every page (suffixes and media types:
#: :data:`mlcryst.export.formats.EXPORT_FORMATS`)
WRITERS = {"ttl": turtle, "nt": ntriples, "jsonld": jsonld, "rdf": rdfxml}
