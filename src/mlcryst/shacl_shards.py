"""SHACL over several cores: the shapes split into shards, one pyshacl run per shard.

The shapes in ``shapes/`` stay the one source of truth and pyshacl the one engine, so the
verdicts are pyshacl's by construction: each worker validates the whole graph against a copy
of the shapes graph in which only its shard of shapes keeps its targets (``sh:targetClass``,
``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, ``sh:target``). Shapes
that other shapes reference (``sh:node``, ``sh:property``, ``sh:qualifiedValueShape``, ...)
are in every copy, so nested checks work as before; a result belongs to the shape whose
targets produced it, so the union over the shards is exactly the single run's result set.

Workers are forked children that share the built graph copy-on-write; shards are balanced
by the number of target instances. On 2 cores this halves the wall time at best (see
docs/benchmarks.md for the figures and the other options measured).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Graph

    from .validate import Violation

#: below this many triples the graph is validated in one process (forking costs more)
MIN_TRIPLES = 50_000


def shard_shapes(shapes: Graph, graph: Graph, jobs: int) -> list[Graph]:
    """``jobs`` copies of ``shapes``, each keeping the targets of one shard of shapes."""
    from rdflib import Graph as RdfGraph
    from rdflib.namespace import RDF, SH

    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
               SH.target)
    targeted: dict[object, list[tuple[object, object, object]]] = {}
    for pred in targets:
        for s, o in shapes.subject_objects(pred):
            targeted.setdefault(s, []).append((s, pred, o))
    cost: dict[object, int] = {}
    for shape, triples in targeted.items():
        n = 1
        for _, pred, o in triples:
            if pred == SH.targetClass:
                n += sum(1 for _ in graph.subjects(RDF.type, o))
            elif pred in (SH.targetSubjectsOf, SH.targetObjectsOf):
                n += sum(1 for _ in graph.triples((None, o, None)))
            else:
                n += 100
        cost[shape] = n
    loads = [0] * jobs
    owner: dict[object, int] = {}
    for shape in sorted(cost, key=lambda s: (-cost[s], str(s))):  # longest first
        k = loads.index(min(loads))
        owner[shape] = k
        loads[k] += cost[shape]
    out = []
    for k in range(jobs):
        copy = RdfGraph()
        for prefix, ns in shapes.namespaces():
            copy.bind(prefix, ns)
        drop = {t for shape, ts in targeted.items() if owner[shape] != k for t in ts}
        for triple in shapes:
            if triple not in drop:
                copy.add(triple)
        out.append(copy)
    return out


def validate_sharded(graph: Graph, shapes: Graph | None = None,
                     jobs: int | None = None) -> list[Violation]:
    """What :func:`mlcryst.validate.validate` returns, computed on ``jobs`` cores (default:
    all cores for a graph of :data:`MIN_TRIPLES` or more, else one)."""
    from .bounded import run_parallel
    from .validate import load_shapes, validate

    shapes = shapes if shapes is not None else load_shapes()
    if jobs is None:
        jobs = (os.cpu_count() or 1) if len(graph) >= MIN_TRIPLES else 1
    if jobs <= 1:
        return validate(graph, shapes)
    shards = shard_shapes(shapes, graph, jobs)
    parts = run_parallel([lambda s=s: validate(graph, s) for s in shards], what="validation")
    merged = {v for part in parts for v in part}
    return sorted(merged, key=lambda v: (v.what, v.field, v.message, v.value or ""))


def check_sharded(graph: Graph, shapes: Graph | None = None,
                  jobs: int | None = None) -> list[Violation]:
    """:func:`mlcryst.validate.check` on several cores: raise on violations, else warnings."""
    from .errors import ValidationFailed

    results = validate_sharded(graph, shapes, jobs)
    errors = [v for v in results if v.severity == "Violation"]
    if errors:
        raise ValidationFailed(errors)  # type: ignore[arg-type]
    return results
