"""Stage 5: serialise the graph deterministically (Turtle, N-Triples, JSON-LD, RDF/XML).

Blank nodes (the ``bibo:authorList`` lists) get canonical labels and statements are sorted,
so two builds of the same data give byte-identical files and diffs are meaningful.

>>> from rdflib import Graph
>>> g = Graph().parse(data="<urn:a> <urn:b> 'c' .", format="turtle")
>>> serialize(g, "nt").decode().strip()
'<urn:a> <urn:b> "c" .'
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.term import Node

from mlcryst.export.formats import (
    BUILD_FORMATS,
    CONTEXT_FILE,
    EXPORT_FORMATS,
    check_formats,
    context_bytes,
    jsonld_context,
)
from mlcryst.fileio import write_all_atomic
from mlcryst.namespaces import bind_prefixes


def canonical(graph: Graph) -> Graph:
    """A copy of ``graph`` whose blank nodes have labels that depend only on the data.

    The blank nodes mlcryst writes are tree-shaped (author lists hanging off a work), so each
    one is named by a hash of its single parent and the property that leads to it. Graphs with
    other blank-node shapes fall back to rdflib's general (and much slower) canonicalisation.
    """
    names = _tree_labels(graph)
    out = Graph()
    bind_prefixes(out)
    if names is None:
        from rdflib.compare import to_canonical_graph

        out += to_canonical_graph(graph)
        return out
    if not names:
        out += graph
        return out

    def relabel(term: Node) -> Node:
        return names[term] if isinstance(term, BNode) else term

    for s, p, o in graph:
        out.add((relabel(s), p, relabel(o)))
    return out


def _tree_labels(graph: Graph) -> dict[BNode, BNode] | None:
    parents: dict[BNode, tuple[Node, Node]] = {}
    for s, p, o in graph:
        if isinstance(o, BNode):
            if o in parents:
                return None  # shared blank node: not a tree
            parents[o] = (s, p)
    bnodes = {t for t in graph.subjects() if isinstance(t, BNode)} | set(parents)
    names: dict[BNode, BNode] = {}

    for b in bnodes:
        if _walk_named(b, parents, names) is None:
            return None
    if len(set(names.values())) != len(names):
        return None  # two blank nodes hang off the same subject by the same property
    return names


def _walk_named(
    b: BNode, parents: dict[BNode, tuple[Node, Node]], names: dict[BNode, BNode]
) -> BNode | None:
    """Name ``b`` iteratively (lists are long chains of rdf:rest) then return its label."""
    chain = []
    cur: Node = b
    while isinstance(cur, BNode) and cur not in names:
        if cur not in parents:
            return None
        chain.append(cur)
        cur = parents[cur][0]
        if len(chain) > len(parents) + 1:
            return None  # a cycle of blank nodes
    for node in reversed(chain):
        parent, pred = parents[node]
        pname = names[parent] if isinstance(parent, BNode) else parent
        digest = hashlib.sha1(f"{pname}\x00{pred}".encode()).hexdigest()[:20]
        names[node] = BNode(f"b{digest}")
    return names[b]


def isomorphic(a: Graph, b: Graph) -> bool:
    """Whether two graphs are the same up to blank-node labels.

    Fast for mlcryst's tree-shaped blank nodes (compares canonical N-Triples); otherwise
    rdflib's general algorithm decides.
    """
    if len(a) != len(b):
        return False
    if _tree_labels(a) is None or _tree_labels(b) is None:
        from rdflib.compare import isomorphic as general

        return general(a, b)
    return serialize(a, "nt") == serialize(b, "nt")


def serialize(graph: Graph, fmt: str, *, already_canonical: bool = False) -> bytes:
    """Serialise ``graph`` in ``fmt`` (a key of
    :data:`~mlcryst.export.formats.EXPORT_FORMATS`), deterministically."""
    check_formats([fmt])
    g = graph if already_canonical else canonical(graph)
    if fmt == "nt":
        lines = g.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
        return ("\n".join(sorted(set(line for line in lines if line.strip()))) + "\n").encode()
    if fmt == "jsonld":
        ctx = jsonld_context()["@context"]
        text = g.serialize(format="json-ld", context=ctx, auto_compact=True, encoding="utf-8")
        doc = _sorted_jsonld(json.loads(text))
        return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    return g.serialize(format=EXPORT_FORMATS[fmt].rdflib, encoding="utf-8")


def _sorted_jsonld(node: object, in_list: bool = False) -> object:
    """Sort every JSON-LD array except ``@list`` values (whose order is data)."""
    if isinstance(node, dict):
        return {k: _sorted_jsonld(v, in_list=k == "@list") for k, v in node.items()}
    if isinstance(node, list):
        items = [_sorted_jsonld(v) for v in node]
        if in_list:
            return items
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node


def write_outputs(
    graph: Graph,
    out_dir: Path | str,
    formats: tuple[str, ...] = BUILD_FORMATS,
    stem: str = "mlcryst",
) -> list[Path]:
    """Write the graph in each format, plus the JSON-LD context; all or nothing is produced."""
    check_formats(formats)
    out = Path(out_dir)
    g = canonical(graph)
    files: dict[Path, bytes] = {}
    for fmt in formats:
        name = EXPORT_FORMATS[fmt].file_name(stem)
        files[out / name] = serialize(g, fmt, already_canonical=True)
    if "jsonld" in formats:
        files[out / CONTEXT_FILE] = context_bytes()
    write_all_atomic(files)
    return list(files)
