"""Importing papers: `mlcryst add`, `review`, `--accept`, on a copy of the shipped data."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlcryst.cli.main import main
from mlcryst.curate.staging import read_staging
from mlcryst.load.dataset import load_dataset
from mlcryst.load.records import format_author_list

from .conftest import FIXTURES

BIB = FIXTURES / "import" / "editorial-references.bib"
TABLE1 = {"christensen2002", "muthig2016", "yang2021", "ioerger2002"}


def _add(runner: CliRunner, data: Path, *files: Path) -> str:
    result = runner.invoke(main, ["add", *map(str, files), "--data", str(data)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_ten_references_match_the_printed_citations(runner: CliRunner, data_copy: Path) -> None:
    out = _add(runner, data_copy, BIB)
    refs = {r.key: r for r in load_dataset(data_copy).references}
    drafts = {d["draft"]: d for d in read_staging(data_copy)}
    assert set(drafts) | TABLE1 == {
        "christensen2002", "muthig2016", "yang2021", "ioerger2002", "gao2019", "groom2016",
        "grazulis2009", "berman2000", "gatesrector2019", "mcculloch1943",
    }  # fmt: skip
    assert not set(drafts) & TABLE1
    ds = load_dataset(data_copy)
    for key, d in drafts.items():
        ref, rec = refs[key], d["record"]
        assert rec["authors"] == [a.name for a in ref.authors]
        assert (rec["journal"], rec["year"], rec["volume"]) == (ref.journal, ref.year, ref.volume)
        assert rec["pages"] == ref.pages
        j = ds.journals[rec["journal"]]
        sep = "," if j.comma_after_title else ""
        printed = (
            f"{format_author_list(rec['authors'])} ({rec['year']}). {j.abbreviation}{sep} "
            f"{rec['volume']}, {rec['pages']}."
        )
        assert printed == ref.citation
    # Table 1 papers are refused naming the record, with the printed spelling variants
    for key in TABLE1:
        assert f"entry {key}: already in the collection" in out
    assert "'Gradzinski, M.' here, 'Gradzielski, M.' in the record" in out
    assert "'Kjaer, E. T. S.' here, 'Kjær, E. T. S.' in the record" in out
    assert "'Ioerger, T. R.' here, 'Iorger, T. R.' in the record" in out
    # nothing in the collection changed
    assert (data_copy / "papers.yaml").read_bytes() == (
        FIXTURES.parent.parent / "data" / "papers.yaml"
    ).read_bytes()


def test_a_second_add_refuses_the_staged_drafts(runner: CliRunner, data_copy: Path) -> None:
    _add(runner, data_copy, BIB)
    before = (data_copy / "staging.yaml").read_bytes()
    out = _add(runner, data_copy, BIB)
    assert "already staged as draft gao2019" in out
    assert (data_copy / "staging.yaml").read_bytes() == before


def test_likely_variants_are_questions_not_merges(
    runner: CliRunner, data_copy: Path, tmp_path: Path
) -> None:
    bib = tmp_path / "variants.bib"
    # a made-up entry (no such paper): names close to people of the collection
    bib.write_text(
        "@article{x, author = {Prevost, S. and Billinge, Simon and Gradzielsky, M.},"
        " year = {2025}, journal = {IUCrJ}, volume = {12}, pages = {1--9},"
        " title = {Convolutional neural networks for space group determination}}\n",
        encoding="utf-8",
    )
    _add(runner, data_copy, bib)
    (d,) = read_staging(data_copy)
    likely = {a["printed"]: [c["person"] for c in a.get("likely", [])] for a in d["authors"]}
    assert likely["Prevost, S."] == ["prevost-s"]
    assert "billinge-s-j-l" in likely["Billinge, S."]
    assert likely["Gradzielsky, M."] == ["gradzielski-m"]
    assert d["authors"][1]["given"] == "Simon"
    methods = {s["concept"] for s in d["suggestions"]["methods"]}
    problems = {s["concept"] for s in d["suggestions"]["problems"]}
    assert "mlm:convolutional-neural-network" in methods
    assert "mlp:space-group-determination" in problems
    # accepting without answering the questions is refused; nothing is written
    before = {p.name: p.read_bytes() for p in data_copy.iterdir()}
    result = runner.invoke(main, ["review", "--data", str(data_copy), "--accept", "prevost2025"])
    assert result.exit_code == 2, result.output
    assert "answer the name questions" in result.output
    assert {p.name: p.read_bytes() for p in data_copy.iterdir()} == before
    # answered: a variant is recorded for the same person, a new person for the other
    result = runner.invoke(
        main,
        ["review", "--data", str(data_copy), "--accept", "prevost2025",
         "--person", "Prevost, S.=prevost-s", "--person", "Billinge, S.=billinge-s-j-l",
         "--person", "Gradzielsky, M.=new"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    ds = load_dataset(data_copy)
    assert [v.form for v in ds.people["billinge-s-j-l"].variants] == ["Billinge, S."]
    assert [v.form for v in ds.people["prevost-s"].variants] == ["Prevost, S."]
    assert ds.people["gradzielsky-m"].name == "Gradzielsky, M."


def test_bad_entries_are_named_and_the_others_import(
    runner: CliRunner, data_copy: Path, tmp_path: Path
) -> None:
    bib = tmp_path / "bad.bib"
    good = BIB.read_text(encoding="utf-8").split("@article{groom2016")[1].split("\n}\n")[0]
    bib.write_text(
        "@article{bad1, author = {Doe, J.}, year = {20x9}, journal = {IUCrJ}, volume = {1},"
        " pages = {1--2}}\n"
        "@article{bad2, author = {Doe, J.}, year = {2019}, journal = {IUCrJ}, volume = {6},"
        " pages = {9--2}}\n"
        "@article{groom2016" + good + "\n}\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["add", str(bib), "--data", str(data_copy)])
    assert result.exit_code == 3
    assert f"{bib}:1: entry bad1: year: '20x9' is not a whole number" in result.output
    assert f"{bib}:2: entry bad2: pages: '9–2': the last page is before the first" in result.output
    assert [d["draft"] for d in read_staging(data_copy)] == ["groom2016"]


def test_ris_and_csl_json(runner: CliRunner, data_copy: Path, tmp_path: Path) -> None:
    ris = tmp_path / "groom.ris"
    ris.write_text(
        "TY  - JOUR\nAU  - Groom, C. R.\nAU  - Bruno, I. J.\nAU  - Lightfoot, M. P.\n"
        "AU  - Ward, S. C.\nPY  - 2016\nJO  - Acta Cryst. B\nVL  - 72\nSP  - 171\nEP  - 179\n"
        "ER  - \n",
        encoding="utf-8",
    )
    csl = tmp_path / "gates.json"
    csl.write_text(
        json.dumps(
            [{"id": "g", "type": "article-journal", "container-title": "Powder Diffr.",
              "author": [{"family": "Gates-Rector", "given": "S."},
                         {"family": "Blanton", "given": "T."}],
              "issued": {"date-parts": [[2019]]}, "volume": "34", "page": "352-360"}]
        ),
        encoding="utf-8",
    )  # fmt: skip
    _add(runner, data_copy, ris, csl)
    recs = [d["record"] for d in read_staging(data_copy)]
    assert [(r["journal"], r["volume"], r["pages"], r["authors"][0]) for r in recs] == [
        ("acta-b", 72, "171–179", "Groom, C. R."),
        ("powder-diffr", 34, "352–360", "Gates-Rector, S."),
    ]


@pytest.fixture
def resolver() -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A DOI resolver on loopback answering CSL-JSON for one DOI, recording the requests."""
    seen: list[dict[str, str]] = []
    body = json.dumps(
        {"DOI": "10.5555/example.1", "type": "article-journal", "container-title": "IUCrJ",
         "author": [{"family": "Doe", "given": "Jane A.", "ORCID": "https://orcid.org/0000-0002-1825-0097"}],
         "title": "A test work", "issued": {"date-parts": [[2024]]}, "volume": "11",
         "page": "1-10"}
    ).encode()  # fmt: skip

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append({"path": self.path, "accept": self.headers.get("Accept", "")})
            self.send_response(200 if self.path == "/10.5555/example.1" else 404)
            self.send_header("Content-Type", "application/vnd.citationstyles.csl+json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", seen
    server.shutdown()


def test_doi_fetch_needs_the_flag_and_uses_content_negotiation(
    runner: CliRunner, data_copy: Path, resolver: tuple[str, list[dict[str, str]]]
) -> None:
    url, seen = resolver
    args = ["add", "--doi", "10.5555/example.1", "--data", str(data_copy), "--resolver", url]
    result = runner.invoke(main, args)
    assert result.exit_code == 2 and "--fetch" in result.output and not seen
    result = runner.invoke(main, [*args, "--fetch"])
    assert result.exit_code == 0, result.output
    assert seen == [
        {"path": "/10.5555/example.1", "accept": "application/vnd.citationstyles.csl+json"}
    ]
    (d,) = read_staging(data_copy)
    assert d["record"]["doi"] == "10.5555/example.1"
    assert d["record"]["source"] == "https://doi.org/10.5555/example.1"
    assert d["authors"][0] == {
        "printed": "Doe, J. A.", "given": "Jane A.",
        "orcid": "https://orcid.org/0000-0002-1825-0097", "new_person": "doe-j-a",
    }  # fmt: skip
    result = runner.invoke(main, ["add", "--doi", "10.5555/missing", "--fetch", "--resolver",
                                  url, "--data", str(data_copy)])  # fmt: skip
    assert result.exit_code == 7 and "HTTP 404" in result.output


def test_add_review_accept_build_query(runner: CliRunner, data_copy: Path, tmp_path: Path) -> None:
    """The worked example of data/README.md, end to end."""
    papers_before = (data_copy / "papers.yaml").read_bytes()
    _add(runner, data_copy, BIB)
    listing = runner.invoke(main, ["review", "--data", str(data_copy)])
    assert (
        listing.exit_code == 0
        and "gao2019  Gao et al. (2019), acta-a 75, 223–238" in listing.output
    )
    result = runner.invoke(
        main,
        ["review", "--data", str(data_copy), "--accept", "gao2019",
         "--methods", "mlm:machine-learning",
         "--problems", "mlp:computed-tomography,mlp:small-angle-scattering"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    after = (data_copy / "papers.yaml").read_bytes()
    assert after.startswith(papers_before)  # comments and layout kept byte for byte
    assert "gao2019" not in [d["draft"] for d in read_staging(data_copy)]
    out = tmp_path / "dist"
    result = runner.invoke(
        main, ["build", "--data", str(data_copy), "--no-visuals", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("81 papers (80 Table 1 rows)")
    q = (
        "PREFIX prism: <http://prismstandard.org/namespaces/basic/2.0/> "
        "PREFIX mlc: <https://w3id.org/mlcryst/ontology#> "
        "SELECT ?label ?problem WHERE { ?p prism:volume 75 ; prism:startingPage 223 ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label ; mlc:addressesProblem ?problem }"
        " ORDER BY ?problem"
    )
    result = runner.invoke(
        main, ["query", "--data", str(data_copy), "--sparql", q, "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        "Gao et al. (2019),https://w3id.org/mlcryst/problem/computed-tomography",
        "Gao et al. (2019),https://w3id.org/mlcryst/problem/small-angle-scattering",
    ]


def test_reject_drops_the_draft(runner: CliRunner, data_copy: Path) -> None:
    _add(runner, data_copy, BIB)
    result = runner.invoke(main, ["review", "--data", str(data_copy), "--reject", "groom2016"])
    assert result.exit_code == 0
    assert "groom2016" not in [d["draft"] for d in read_staging(data_copy)]


def test_reference_of_a_paper_outside_table1_is_not_told_to_set_table1(
    runner: CliRunner, data_copy: Path
) -> None:
    """The error once said 'matches Table 1 row None ... set table1: true'."""
    _add(runner, data_copy, BIB)
    result = runner.invoke(
        main, ["review", "--data", str(data_copy), "--accept", "groom2016",
               "--methods", "mlm:machine-learning", "--problems", "mlp:information-retrieval"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (data_copy / "references.yaml").read_text(encoding="utf-8")
    (data_copy / "references.yaml").write_text(
        text.replace(
            "  table1: false\n  authors:\n    - Groom", "  table1: true\n  authors:\n    - Groom"
        ),
        encoding="utf-8",
    )
    result = runner.invoke(
        main,
        ["build", "--data", str(data_copy), "--no-visuals", "--out", str(data_copy.parent / "d")],
    )
    assert result.exit_code == 3
    assert "Table 1 row None" not in result.output
    assert "it is acta-b-72-171, a paper outside Table 1" in result.output


def test_worked_example_in_a_new_collection(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """data/README.md's worked example: init, add a BibTeX file, review, accept, build and
    find the paper, every command run inside the new collection with no --data."""
    folder = tmp_path / "my-collection"
    made = runner.invoke(main, ["init", str(folder), "--title", "ML in crystallography, ours"])
    assert made.exit_code == 0, made.output
    monkeypatch.chdir(folder)
    papers_before = (folder / "data" / "papers.yaml").read_bytes()
    added = runner.invoke(main, ["add", str(BIB)])
    assert added.exit_code == 0, added.output
    assert "staged gao2019: Gao et al. (2019), acta-a 75, 223–238" in added.stdout
    listing = runner.invoke(main, ["review"])
    assert "gao2019" in listing.stdout
    accepted = runner.invoke(
        main,
        ["review", "--accept", "gao2019", "--methods", "mlm:machine-learning",
         "--problems", "mlp:computed-tomography,mlp:small-angle-scattering"],
    )  # fmt: skip
    assert accepted.exit_code == 0, accepted.output
    assert (folder / "data" / "papers.yaml").read_bytes().startswith(papers_before)
    built = runner.invoke(main, ["build", "--no-visuals"])
    assert built.exit_code == 0, built.output
    assert built.stdout.startswith("81 papers (80 Table 1 rows)")
    assert (folder / "dist" / "mlcryst.nt").is_file()
    found = runner.invoke(main, ["find", "--author", "Gao, Z.", "--format", "csv"])
    assert found.exit_code == 0, found.output
    assert "Gao et al. (2019)" in found.stdout
    per_year = runner.invoke(main, ["query", "papers-per-year", "--format", "csv"])
    shipped = runner.invoke(
        main, ["query", "papers-per-year", "--format", "csv", "--param", "table1=true"]
    )
    counts = dict(line.split(",") for line in per_year.stdout.splitlines()[1:])
    table1 = dict(line.split(",") for line in shipped.stdout.splitlines()[1:])
    assert int(counts["2019"]) == int(table1["2019"]) + 1
    assert {y: n for y, n in counts.items() if y != "2019"} == {
        y: n for y, n in table1.items() if y != "2019"
    }
