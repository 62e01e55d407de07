"""Literals a store rewrites never change a SHACL verdict (mlcryst.stores.literals).

Oxigraph stores ``"5"^^xsd:int`` as an ``xsd:integer``, ``"4.0"^^xsd:decimal`` as ``"4"``,
``"1"^^xsd:boolean`` as ``"true"`` (two values become one); rdflib's parsers rewrite some of
them too. Validation must judge the data as written, on both stores, through the CLI.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from mlcryst.stores.literals import data_rewrites, literal_rewrites, rewrites

from .hostile.conftest import run_cli

XSD = "http://www.w3.org/2001/XMLSchema#"

REWRITTEN = [
    ("5", "int"),
    ("5", "nonNegativeInteger"),
    ("01", "integer"),
    ("4.0", "decimal"),
    ("1", "boolean"),
    ("1.50", "float"),
    ("2020-01-01T00:00:00+00:00", "dateTime"),
]
KEPT = [("5", "integer"), ("4", "decimal"), ("true", "boolean"), ("2020", "gYear"), ("x", "string")]


@pytest.mark.parametrize(("value", "datatype"), REWRITTEN)
def test_rewritten_literals_are_found(value: str, datatype: str) -> None:
    lit = ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))
    (found,) = literal_rewrites([lit])
    assert found.written == str(lit) and found.stored and found.stored != str(lit)


@pytest.mark.parametrize(("value", "datatype"), KEPT)
def test_literals_stored_as_written_are_not(value: str, datatype: str) -> None:
    assert literal_rewrites([ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))]) == []


def _nt(value: str, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def test_the_ntriples_scan_finds_what_a_full_parse_finds() -> None:
    """The fast N-Triples path against a full parse, on literals hidden among escapes."""
    lines = [
        '<urn:a> <urn:p> "he said \\"5\\"^^<http://www.w3.org/2001/XMLSchema#int>" .',
        f"<urn:a> <urn:p> {_nt('7', 'integer')} .",
        '<urn:a> <urn:p> "tab\\t\\\\" .',
        '<urn:a> <urn:p> "x"@en .',
        '<urn:a> <urn:p> "back\\\\"^^<http://www.w3.org/2001/XMLSchema#string> .',
    ]
    clean = "\n".join(lines).encode() + b"\n"
    assert data_rewrites(clean, ox.RdfFormat.N_TRIPLES) == []
    assert rewrites(ox.parse(clean, format=ox.RdfFormat.N_TRIPLES)) == []
    for value, datatype in REWRITTEN:
        data = clean + f"<urn:b> <urn:q> {_nt(value, datatype)} .\n".encode()
        fast = data_rewrites(data, ox.RdfFormat.N_TRIPLES)
        full = rewrites(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        assert fast == full and len(fast) == 1, (value, datatype)
    escaped = b'<urn:a> <urn:p> "5"^^<http://www.w3.org/2001/XMLSchema\\u0023int> .\n'
    assert len(data_rewrites(escaped, ox.RdfFormat.N_TRIPLES)) == 1
    quads = b'<urn:a> <urn:p> "1"^^<http://www.w3.org/2001/XMLSchema#boolean> <urn:g> .\n'
    assert len(data_rewrites(quads, ox.RdfFormat.N_QUADS)) == 1


def test_a_literal_the_scan_cannot_check_counts_as_rewritten() -> None:
    comment = b'<urn:a> <urn:p> "x" . # "y"^^<not an iri>\n'
    (found,) = data_rewrites(comment, ox.RdfFormat.N_TRIPLES)
    assert found.stored == "" and "could not be checked" in str(found)


SHAPES = """\
@prefix ex: <https://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:property [ sh:path ex:n ; sh:datatype xsd:int ] ;
  sh:property [ sh:path ex:flag ; sh:maxCount 1 ] ;
  sh:property [ sh:path ex:b ; sh:datatype xsd:boolean ] ;
  sh:property [ sh:path ex:d ; sh:pattern "^4\\\\.0$" ] ;
  sh:property [ sh:path ex:z ; sh:hasValue "01"^^xsd:integer ] .
"""
PREFIXES = """\
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
GOOD = 'ex:a a ex:Thing ; ex:n "5"^^xsd:int ; ex:flag "1"^^xsd:boolean ; ex:d 4.0 ; ex:z "01"^^xsd:integer .\n'
BAD = 'ex:a a ex:Thing ; ex:n "5"^^xsd:int ; ex:flag "1"^^xsd:boolean, "true"^^xsd:boolean ; ex:b "none"^^xsd:boolean ; ex:d 4.0 ; ex:z "01"^^xsd:integer .\n'


@pytest.mark.parametrize("fmt", ["ttl", "nt"])
@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
def test_validation_judges_the_data_as_written(tmp_path: Path, store: str, fmt: str) -> None:
    """Data that conforms as written conforms on both stores (the Oxigraph store says why the
    shapes ran on pySHACL); data that does not is reported the same on both."""
    from rdflib import Graph

    (tmp_path / "shapes.ttl").write_text(SHAPES, encoding="utf-8")
    for name, body, code in (("good", GOOD, 0), ("bad", BAD, 4)):
        path = tmp_path / f"{name}.{fmt}"
        text = PREFIXES + body
        if fmt == "nt":
            from mlcryst.stores.files import quiet_rdflib
            from mlcryst.stores.literals import rdflib_reads_as_written

            with rdflib_reads_as_written(), quiet_rdflib():
                text = Graph().parse(data=text, format="turtle").serialize(format="nt")
            assert ('"01"^^' in text and '"none"^^' in text) or name == "good"
        path.write_text(text, encoding="utf-8")
        for _ in range(2):  # the second time from the persisted store of the file
            ran = run_cli("validate", path, "--store", store, "--shapes", tmp_path / "shapes.ttl")
            assert ran.code == code, (name, ran.stdout, ran.stderr)
            assert "Traceback" not in ran.stderr and "Warning" not in ran.stderr
            if store == "oxigraph":
                assert "stored as" in ran.stdout, ran.stdout
            if code:
                assert "2 violation(s)" in ran.stderr
                named = ran.stderr.replace("https://example.org/", "ex:")
                assert "ex:b: " in named and "ex:flag: " in named
