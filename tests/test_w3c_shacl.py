"""The W3C SHACL test suite (tests/w3c/) on every validation path.

Each test runs on pySHACL (rdflib) and on the compiled path (Oxigraph, with pySHACL for the
shapes the compiler does not translate); tests/w3c/suite.py says how reports are compared
(blank nodes are wildcards). A wrong verdict or a traceback fails; a ``refused`` test (an
error naming the shape where a report was expected) is a known deviation, marked xfail
with the reason.
docs/shacl-conformance.md must be current (``python tests/w3c/conformance.py``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .w3c.suite import PATHS, W3CTest, load_tests, run

TESTS = load_tests()
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.name)
def test_w3c(test: W3CTest, path: str) -> None:
    outcome = run(test, path)
    verdict = outcome.verdict(test)
    assert verdict not in ("wrong", "crash"), (
        f"{test.name} on {path}: {verdict}\n{outcome.error or outcome.crash or ''}\n"
        f"expected {sorted(test.expected)}\ngot {sorted(outcome.results)}"
    )
    if verdict != "exact":
        pytest.xfail(f"known deviation ({verdict}): {outcome.error}")


def test_compiled_path_is_mostly_exact() -> None:
    """At least 95% of the core tests give exactly the expected report on the compiled path
    (98 of 98 today, see docs/shacl-conformance.md)."""
    core = [t for t in TESTS if t.name.startswith("core/")]
    verdicts = [run(t, "compiled").verdict(t) for t in core]
    assert verdicts.count("exact") >= 0.95 * len(core)


def test_conformance_table_is_current() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "w3c" / "conformance.py"), "--check"],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, "docs/shacl-conformance.md: run python tests/w3c/conformance.py"


def test_report_graph_reads_back_as_the_results(tmp_path: Path) -> None:
    """validation_report gives a sh:ValidationReport that reads back as the same results,
    on both paths; read_shapes reads files and folders."""
    from rdflib import Graph
    from rdflib.namespace import RDF, SH

    from mlcryst.shacl.compiled import validation_run
    from mlcryst.shacl.report import pyshacl_results, read_shapes, validation_report
    from mlcryst.stores.oxigraph_store import OxigraphStore

    from .w3c.suite import report_keys

    test = next(t for t in TESTS if t.name == "core/path/path-complex-001")
    (tmp_path / "shapes.ttl").write_bytes(test.shapes_file.read_bytes())
    shapes = read_shapes([tmp_path])
    assert len(shapes) == len(read_shapes([tmp_path / "shapes.ttl"])) > 0
    data = test.data()
    for results in (
        validation_run(OxigraphStore.from_triples(data).store, shapes).results,
        pyshacl_results(data, shapes),
    ):
        report = Graph().parse(
            data=validation_report(results, shapes).serialize(format="turtle"), format="turtle"
        )
        top = next(report.subjects(RDF.type, SH.ValidationReport))
        assert report_keys(report, top) == test.expected
