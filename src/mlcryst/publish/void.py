"""The VoID and DCAT description of the published dataset: counts and distributions.

Counts: triples, entities (IRI subjects), distinct classes and properties, papers and
people (VoID class partitions). Each distribution (the graph file in one syntax) with its
media type, byte size and SHA-256 (SPDX checksum).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyoxigraph as ox

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
SPDX = "http://spdx.org/rdf/terms#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
IANA = "https://www.iana.org/assignments/media-types/"


def void_triples(
    base: str,
    counts: Mapping[str, int],
    partitions: Mapping[str, int],
    distributions: Mapping[str, tuple[str, bytes]],
    version: str | None = None,
) -> list[ox.Triple]:
    """The description of ``{base}dataset``: ``counts`` (triples, entities, classes,
    properties), ``partitions`` (class IRI -> entities) and ``distributions`` (file name ->
    (media type, bytes)); ``version`` (of a release) as ``dcat:version``."""
    import pyoxigraph as ox

    dataset = ox.NamedNode(base + "dataset")
    out: list[ox.Triple] = []

    def add(
        s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal
    ) -> None:
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    def integer(n: int, dt: str = XSD + "integer") -> ox.Literal:
        return ox.Literal(str(n), datatype=ox.NamedNode(dt))

    add(dataset, RDF_TYPE, ox.NamedNode(VOID + "Dataset"))
    add(dataset, RDF_TYPE, ox.NamedNode(DCAT + "Dataset"))
    for name in ("triples", "entities", "classes", "properties"):
        add(dataset, VOID + name, integer(counts[name]))
    add(dataset, VOID + "uriSpace", ox.Literal(base))
    if version is not None:
        add(dataset, DCAT + "version", ox.Literal(version))
    add(dataset, VOID + "sparqlEndpoint", ox.NamedNode(base + "sparql"))
    for i, (cls, n) in enumerate(sorted(partitions.items())):
        part = ox.BlankNode(f"partition{i + 1}")
        add(dataset, VOID + "classPartition", part)
        add(part, VOID + "class", ox.NamedNode(cls))
        add(part, VOID + "entities", integer(n))
    for name, (media, data) in sorted(distributions.items()):
        dist = ox.NamedNode(base + name)
        add(dataset, DCAT + "distribution", dist)
        add(dataset, VOID + "dataDump", dist)
        add(dist, RDF_TYPE, ox.NamedNode(DCAT + "Distribution"))
        add(dist, DCAT + "downloadURL", dist)
        add(dist, DCAT + "mediaType", ox.NamedNode(IANA + media))
        add(dist, DCT + "format", ox.Literal(media))
        add(dist, DCAT + "byteSize", integer(len(data), XSD + "nonNegativeInteger"))
        checksum = ox.BlankNode("sha256-" + name.replace(".", "-"))
        add(dist, SPDX + "checksum", checksum)
        add(checksum, RDF_TYPE, ox.NamedNode(SPDX + "Checksum"))
        add(checksum, SPDX + "algorithm", ox.NamedNode(SPDX + "checksumAlgorithm_sha256"))
        add(
            checksum,
            SPDX + "checksumValue",
            ox.Literal(hashlib.sha256(data).hexdigest(), datatype=ox.NamedNode(XSD + "hexBinary")),
        )
    return out
