"""Hostile curated data: every file and field mutated, YAML traps, encodings, invisible and
confusable characters, special files and bombs.

Each mutation must end in exit code 3 (bad input data), with a message naming the file and
the line of the mutation (computed from the mutated text), no traceback, and the output
folder untouched. Most cases run the command in-process (click's CliRunner) for speed; the
special files and the bombs run the real ``python -m mlcryst`` in a child process with a time
limit (:func:`run_cli`).
"""

from __future__ import annotations

import os
import shutil
import unicodedata
from dataclasses import astuple, dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlcryst.cli.main import main
from mlcryst.load.dataset import load_dataset
from mlcryst.load.text import _SUSPECT, is_refused
from mlcryst.resources import resource_dir

from .conftest import TRACEBACK, run_cli, tree_bytes

NFD_E = unicodedata.normalize("NFD", "é")  # "e" + COMBINING ACUTE ACCENT
NFD_A = unicodedata.normalize("NFD", "á")


@dataclass(frozen=True)
class Case:
    """Replace the first ``old`` of ``file`` by ``new``; expect ``expect`` in the message at
    the line of ``at`` (a part of ``new``; default: where ``new`` begins) or, when ``at`` is
    not in ``new``, of the last ``at`` before the change (the record's first line)."""

    id: str
    file: str
    old: str
    new: str
    expect: str
    at: str | None = None


def mutate(folder: Path, case: Case) -> tuple[Path, int]:
    """Apply ``case`` to the data in ``folder``; return the file and the expected line."""
    path = folder / case.file
    text = path.read_text(encoding="utf-8")
    start = text.find(case.old)
    assert start >= 0, f"{case.id}: {case.old!r} is not in {case.file}"
    mutated = text[:start] + case.new + text[start + len(case.old) :]
    path.write_bytes(mutated.encode("utf-8", "surrogatepass"))
    if case.at is None or case.at in case.new:
        index = start + (
            case.new.index(case.at) if case.at else len(case.new) - len(case.new.lstrip("\n"))
        )
    else:
        index = mutated.rindex(case.at, 0, start + 1)
    return path, mutated.count("\n", 0, index) + 1


ROW1 = "- row: 1\n"
FEIGENBAUM = "    - Feigenbaum, E. A.\n"
ROW1_PROBLEM = "  problem: Assigning amino-acid sequences to electron-density maps\n"
ROW1_APPROACH = "  approach: Image recognition, scene analysis\n"

CASES = [
    # --- journals.yaml: key -> title, abbreviation, comma_after_title, first_year/volume ---
    Case(
        "journal-title-list",
        "journals.yaml",
        "  title: Acta Crystallographica Section A",
        "  title: [Acta]",
        "expected text, got a list",
    ),
    Case(
        "journal-abbreviation-null",
        "journals.yaml",
        "  abbreviation: Acta Cryst. A\n",
        "  abbreviation:\n",
        "missing required field",
        "  abbreviation:",
    ),
    Case(
        "journal-abbreviations-list",
        "journals.yaml",
        "  abbreviation: Acta Cryst. A\n",
        "  abbreviations: [ML]\n",
        "unknown field",
    ),
    Case(
        "journal-comma-yes",
        "journals.yaml",
        "  comma_after_title: true",
        "  comma_after_title: yes",
        "expected true or false, got 'yes'",
    ),
    Case(
        "journal-first-year-text",
        "journals.yaml",
        "  first_year: 1968",
        '  first_year: "1968"',
        "expected a whole number, got '1968'",
    ),
    Case(
        "journal-first-year-short",
        "journals.yaml",
        "  first_year: 1968",
        "  first_year: 68",
        "four-digit year",
    ),
    Case(
        "journal-first-volume-octal",
        "journals.yaml",
        "  first_volume: 24",
        "  first_volume: 024",
        "leading zero",
    ),
    Case(
        "journal-first-volume-zero",
        "journals.yaml",
        "  first_volume: 24",
        "  first_volume: 0",
        "from 1 to",
    ),
    Case("journal-key-not-slug", "journals.yaml", "acta-b:\n", "Acta B:\n", "must be lowercase"),
    Case(
        "journal-record-list",
        "journals.yaml",
        "powder-diffr:\n  title: Powder Diffr.\n  abbreviation: Powder Diffr.\n",
        "powder-diffr: [Powder Diffr.]\n",
        "expected a mapping of field: value",
    ),
    # --- people.yaml: id, name, given_name, variants (form, seen_in), note -----------------
    Case(
        "people-variants-number",
        "people.yaml",
        '  variants:\n    - form: Christiansen\n      seen_in: body text, "Christiansen (2002)'
        ' used it to predict ..."\n',
        "  variants: 5\n",
        "expected a list, got the number 5",
    ),
    Case(
        "people-variant-string",
        "people.yaml",
        '    - form: Kantona\n      seen_in: body text, "Garcia-Bonete & Kantona, 2019"\n',
        "    - Kantona\n",
        "expected a mapping of field: value",
    ),
    Case(
        "people-variant-no-seen-in",
        "people.yaml",
        '      seen_in: body text, "Garcia-Bonete & Kantona, 2019"\n',
        "",
        "seen_in: missing required field",
        "    - form: Kantona",
    ),
    Case(
        "people-id-not-slug", "people.yaml", "- id: katona-g", "- id: Katona G", "must be lowercase"
    ),
    Case(
        "people-id-number",
        "people.yaml",
        "- id: katona-g",
        "- id: 5",
        "expected text, got the number 5",
    ),
    Case(
        "people-name-null",
        "people.yaml",
        "  name: Katona, G.",
        "  name: ~",
        "missing required field",
    ),
    Case(
        "people-given-name-list",
        "people.yaml",
        "  given_name: Thomas",
        "  given_name: [Thomas]",
        "expected text, got a list",
    ),
    Case(
        "people-note-number",
        "people.yaml",
        "  note: Table 1 prints Kjær.",
        "  note: 5",
        "expected text, got the number 5",
    ),
    Case(
        "people-name-cyrillic-a",
        "people.yaml",
        "  name: Katona, G.",
        "  name: K\u0430tona, G.",
        "more than one script",
    ),
    Case(
        "people-variant-greek-o",
        "people.yaml",
        "    - form: Kantona",
        "    - form: Kant\u03bfna",
        "more than one script",
    ),
    Case(
        "people-duplicate-id",
        "people.yaml",
        "- id: proffen-t\n  name: Proffen, T.",
        "- id: katona-g\n  name: Proffen, T.",
        "duplicate person id",
        "- id: katona-g",
    ),
    Case(
        "people-unknown-field",
        "people.yaml",
        "  note: Table 1 prints Kjær.",
        "  nmae: Kjær",
        "unknown field",
    ),
    Case(
        "people-entry-string",
        "people.yaml",
        "- id: proffen-t\n  name: Proffen, T.\n"
        '  given_name: Thomas\n  note: Author of the editorial (byline "Thomas Proffen").\n',
        "- proffen-t\n",
        "expected a mapping of field: value",
    ),
    Case(
        "people-variant-nfd-clash",
        "people.yaml",
        "      seen_in: reference list, Yang et al. (2021)\n",
        "      seen_in: reference list, Yang et al. (2021)\n"
        f"    - form: Juh{NFD_A}s, P.\n      seen_in: nowhere\n",
        "decomposed Unicode",
        "    - form: Juh",
    ),
    # --- papers.yaml: row, journal, year, volume, pages, authors, problem, approach, ... --
    Case("paper-row-text", "papers.yaml", ROW1, '- row: "1"\n', "expected a whole number, got '1'"),
    Case("paper-row-float", "papers.yaml", ROW1, "- row: 1.5\n", "got the number 1.5"),
    Case("paper-row-zero", "papers.yaml", ROW1, "- row: 0\n", "from 1 to"),
    Case(
        "paper-journal-list",
        "papers.yaml",
        "  journal: acta-a\n  year: 1977",
        "  journal: [acta-a]\n  year: 1977",
        "expected text, got a list",
    ),
    Case(
        "paper-journal-unknown",
        "papers.yaml",
        "  journal: acta-a\n  year: 1977",
        "  journal: acta-z\n  year: 1977",
        "unknown journal 'acta-z'",
    ),
    Case(
        "paper-year-timestamp",
        "papers.yaml",
        "  year: 1977",
        "  year: 1977-01-02",
        "expected a whole number, got '1977-01-02'",
    ),
    Case(
        "paper-year-exponent", "papers.yaml", "  year: 1977", "  year: 1e3", "got the number 1000.0"
    ),
    Case("paper-year-inf", "papers.yaml", "  year: 1977", "  year: .inf", "the number inf"),
    Case("paper-year-hex", "papers.yaml", "  year: 1977", "  year: 0x7B9", "base prefix"),
    Case("paper-year-huge", "papers.yaml", "  year: 1977", "  year: " + "9" * 5000, "5000 digits"),
    Case(
        "paper-year-null", "papers.yaml", "  year: 1977", "  year: null", "missing required field"
    ),
    Case("paper-volume-octal", "papers.yaml", "  volume: 33", "  volume: 041", "octal number 33"),
    Case("paper-volume-sexagesimal", "papers.yaml", "  volume: 33", "  volume: 1:15", "base-60"),
    Case("paper-volume-plus", "papers.yaml", "  volume: 33", "  volume: +33", "plus sign"),
    Case("paper-volume-negative", "papers.yaml", "  volume: 33", "  volume: -33", "from 1 to"),
    Case(
        "paper-volume-yes",
        "papers.yaml",
        "  volume: 33",
        "  volume: on",
        "expected a whole number, got 'on'",
    ),
    Case(
        "paper-volume-true", "papers.yaml", "  volume: 33", "  volume: true", "got the boolean true"
    ),
    Case(
        "paper-volume-huge",
        "papers.yaml",
        "  volume: 33",
        "  volume: 99999999999999",
        "from 1 to 999999999",
    ),
    Case(
        "paper-pages-zero",
        "papers.yaml",
        "  pages: 13–18",
        "  pages: 0–18",
        "page numbers start at 1",
    ),
    Case(
        "paper-pages-reversed",
        "papers.yaml",
        "  pages: 13–18",
        "  pages: 18–13",
        "last page 13 is before first page 18",
    ),
    Case(
        "paper-pages-leading-zero",
        "papers.yaml",
        "  pages: 13–18",
        "  pages: 013–018",
        "no leading zeros",
    ),
    Case("paper-pages-number", "papers.yaml", "  pages: 13–18", "  pages: 13", "got the number 13"),
    Case("paper-pages-list", "papers.yaml", "  pages: 13–18", "  pages: [13, 18]", "got a list"),
    Case(
        "paper-pages-arabic-digits",
        "papers.yaml",
        "  pages: 13–18",
        "  pages: ١٣–١٨",
        "expected pages as first–last",
    ),
    Case(
        "paper-authors-empty",
        "papers.yaml",
        "  authors:\n    - Feigenbaum, E. A.\n    - Engelmore, R. S.\n    - Johnson, C. K.\n",
        "  authors: []\n",
        "non-empty list of authors",
    ),
    Case(
        "paper-authors-string",
        "papers.yaml",
        "  authors:\n    - Feigenbaum, E. A.\n    - Engelmore, R. S.\n    - Johnson, C. K.\n",
        "  authors: Feigenbaum E. A.\n",
        "non-empty list of authors",
    ),
    Case(
        "author-person-list",
        "papers.yaml",
        FEIGENBAUM,
        '    - {name: "Feigenbaum, E. A.", person: [x]}\n',
        "person: expected text",
    ),
    Case(
        "author-person-unknown",
        "papers.yaml",
        FEIGENBAUM,
        '    - {name: "Feigenbaum, E. A.", person: nobody}\n',
        "not in people.yaml",
    ),
    Case(
        "author-name-list",
        "papers.yaml",
        FEIGENBAUM,
        "    - {name: [x]}\n",
        "expected a printed name",
    ),
    Case(
        "author-unknown-field",
        "papers.yaml",
        FEIGENBAUM,
        '    - {nmae: "Feigenbaum, E. A."}\n',
        "unknown field",
    ),
    Case(
        "author-number",
        "papers.yaml",
        FEIGENBAUM,
        "    - 5\n",
        "expected a printed name: expected text, got the number 5",
    ),
    Case(
        "author-nested-list",
        "papers.yaml",
        FEIGENBAUM,
        "    - [Feigenbaum, E. A.]\n",
        "expected a printed name, got a list",
    ),
    Case(
        "author-not-printed-form",
        "papers.yaml",
        FEIGENBAUM,
        "    - Feigenbaum E A\n",
        "not a printed name of the form",
    ),
    Case(
        "author-cyrillic-e", "papers.yaml", FEIGENBAUM, "    - F\u0435igenbaum, E. A.\n", "CYRILLIC"
    ),
    Case(
        "author-greek-omicron",
        "papers.yaml",
        "    - Johnson, C. K.\n",
        "    - J\u03bfhnson, C. K.\n",
        "GREEK",
    ),
    Case(
        "author-zero-width-space",
        "papers.yaml",
        FEIGENBAUM,
        "    - Feigen\u200bbaum, E. A.\n",
        "U+200B ZERO WIDTH SPACE",
    ),
    Case(
        "author-rtl-override",
        "papers.yaml",
        FEIGENBAUM,
        "    - \u202eFeigenbaum, E. A.\n",
        "U+202E RIGHT-TO-LEFT OVERRIDE",
    ),
    Case(
        "author-lrm",
        "papers.yaml",
        FEIGENBAUM,
        "    - Feigenbaum\u200e, E. A.\n",
        "U+200E LEFT-TO-RIGHT MARK",
    ),
    Case(
        "author-isolate",
        "papers.yaml",
        FEIGENBAUM,
        "    - \u2066Feigenbaum, E. A.\u2069\n",
        "U+2066",
    ),
    Case(
        "author-soft-hyphen",
        "papers.yaml",
        FEIGENBAUM,
        "    - Feigen\u00adbaum, E. A.\n",
        "U+00AD SOFT HYPHEN",
    ),
    Case(
        "author-bom-inside", "papers.yaml", FEIGENBAUM, "    - Feigen\ufeffbaum, E. A.\n", "U+FEFF"
    ),
    Case(
        "author-no-break-space",
        "papers.yaml",
        FEIGENBAUM,
        "    - Feigenbaum,\u00a0E. A.\n",
        "U+00A0 NO-BREAK SPACE",
    ),
    Case(
        "author-hangul-filler",
        "papers.yaml",
        FEIGENBAUM,
        "    - Feigenbaum\u3164, E. A.\n",
        "U+3164",
    ),
    Case(
        "author-nfd-twice",
        "papers.yaml",
        "    - Orglmeister, R.\n",
        f"    - Pr{NFD_E}vost, S.\n",
        "decomposed Unicode",
        f"Pr{NFD_E}vost",
    ),
    Case(
        "problem-zero-width-space",
        "papers.yaml",
        ROW1_PROBLEM,
        "  problem: Assigning amino-acid sequences to electron-density ma\u200bps\n",
        "problem: U+200B ZERO WIDTH SPACE",
        "  problem:",
    ),
    Case(
        "problem-empty", "papers.yaml", ROW1_PROBLEM, '  problem: ""\n', "expected non-empty text"
    ),
    Case("problem-number", "papers.yaml", ROW1_PROBLEM, "  problem: 5\n", "put it in quotes"),
    Case(
        "problem-mapping",
        "papers.yaml",
        ROW1_PROBLEM,
        "  problem: {a: b}\n",
        "expected text, got a mapping",
    ),
    Case(
        "problem-stray-space",
        "papers.yaml",
        ROW1_PROBLEM,
        '  problem: " Assigning amino-acid sequences"\n',
        "stray white space",
    ),
    Case(
        "problem-tab-escape",
        "papers.yaml",
        ROW1_PROBLEM,
        '  problem: "Assigning\\tamino-acid sequences"\n',
        "a line break or tab",
    ),
    Case(
        "problem-literal-block",
        "papers.yaml",
        ROW1_PROBLEM,
        "  problem: |\n    Assigning amino-acid\n    sequences\n",
        "a line break or tab",
    ),
    Case(
        "approach-zwsp-escape",
        "papers.yaml",
        ROW1_APPROACH,
        '  approach: "Image recog\\u200bnition"\n',
        "written as an escape",
    ),
    Case("approach-nul-escape", "papers.yaml", ROW1_APPROACH, '  approach: "Image\\0"\n', "U+0000"),
    Case(
        "approach-nul", "papers.yaml", ROW1_APPROACH, "  approach: Image\x00recognition\n", "U+0000"
    ),
    Case(
        "approach-bell",
        "papers.yaml",
        ROW1_APPROACH,
        "  approach: Image\x07recognition\n",
        "U+0007",
    ),
    Case(
        "approach-delete",
        "papers.yaml",
        ROW1_APPROACH,
        "  approach: Image\x7frecognition\n",
        "U+007F",
    ),
    Case(
        "approach-next-line", "papers.yaml", ROW1_APPROACH, "  approach: Image\x85recog\n", "U+0085"
    ),
    Case(
        "approach-line-separator",
        "papers.yaml",
        ROW1_APPROACH,
        "  approach: Image\u2028recognition\n",
        "U+2028 LINE SEPARATOR",
    ),
    Case(
        "approach-private-use", "papers.yaml", ROW1_APPROACH, "  approach: Image\ue000\n", "U+E000"
    ),
    Case(
        "approach-unassigned", "papers.yaml", ROW1_APPROACH, "  approach: Image\u0378\n", "U+0378"
    ),
    Case(
        "approach-lone-cr",
        "papers.yaml",
        ROW1_APPROACH,
        "  approach: Image\rrecognition\n",
        "U+000D",
    ),
    Case(
        "paper-data-sources-string",
        "papers.yaml",
        ROW1_APPROACH,
        ROW1_APPROACH + "  data_sources: csd\n",
        "expected a list",
        "  data_sources",
    ),
    Case(
        "paper-data-sources-nested",
        "papers.yaml",
        ROW1_APPROACH,
        ROW1_APPROACH + "  data_sources: [[csd]]\n",
        "item 1: expected text",
        "  data_sources",
    ),
    Case(
        "paper-data-sources-unknown",
        "papers.yaml",
        ROW1_APPROACH,
        ROW1_APPROACH + "  data_sources: [nope]\n",
        "unknown database 'nope'",
        ROW1,
    ),
    Case(
        "paper-title-number",
        "papers.yaml",
        ROW1_APPROACH,
        ROW1_APPROACH + "  title: 1984\n",
        "expected text, got the number 1984",
        "  title",
    ),
    Case(
        "paper-doi-prefix",
        "papers.yaml",
        ROW1_APPROACH,
        ROW1_APPROACH + "  doi: doi:10.1107/x\n",
        "a DOI is written",
        "  doi",
    ),
    Case(
        "paper-doi-space",
        "papers.yaml",
        ROW1_APPROACH,
        ROW1_APPROACH + '  doi: "10.1107/a b"\n',
        "not allowed in a DOI",
        "  doi",
    ),
    Case(
        "paper-source-bad-url",
        "papers.yaml",
        ROW1_APPROACH,
        ROW1_APPROACH + '  source: "https://example.org/a b"\n',
        "not allowed in an IRI",
        "  source",
    ),
    Case("paper-unknown-field", "papers.yaml", "  year: 1977", "  yaer: 1977", "unknown field"),
    Case(
        "paper-record-string",
        "papers.yaml",
        ROW1,
        "- just text\n- row: 1\n",
        "expected a mapping of field: value",
        "- just text",
    ),
    Case(
        "paper-duplicate-key",
        "papers.yaml",
        "  year: 1977\n",
        "  year: 1977\n  year: 1978\n",
        "duplicate key 'year' (first at line",
        "  year: 1978",
    ),
    Case(
        "paper-anchor-alias",
        "papers.yaml",
        "  year: 1977",
        "  year: &y 1977",
        "YAML anchor '&y' refused",
    ),
    Case("paper-alias", "papers.yaml", "  volume: 33", "  volume: *v", "YAML alias"),
    Case(
        "paper-tag-python",
        "papers.yaml",
        "  volume: 33",
        "  volume: !!python/object/apply:os.system [echo]",
        "YAML tag '!!python/object",
    ),
    Case("paper-tag-local", "papers.yaml", "  volume: 33", "  volume: !foo 33", "YAML tag '!foo'"),
    Case(
        "paper-tag-str", "papers.yaml", "  volume: 33", '  volume: !!str "33"', "YAML tag '!!str'"
    ),
    Case(
        "paper-deep-flow",
        "papers.yaml",
        ROW1_APPROACH,
        ROW1_APPROACH + "  title: " + "[" * 100 + "]" * 100 + "\n",
        "levels deep",
        "  title",
    ),
    Case("paper-tab-indent", "papers.yaml", "  volume: 33", "\tvolume: 33", "not valid YAML"),
    Case(
        "paper-quote-then-text", "papers.yaml", "  volume: 33", "  volume: '33' x", "not valid YAML"
    ),
    Case(
        "papers-second-document",
        "papers.yaml",
        ROW1,
        "- row: 1\n--- # a second\n",
        "a second YAML document",
        "--- # a second",
    ),
    # --- references.yaml -------------------------------------------------------------------
    Case(
        "reference-key-list",
        "references.yaml",
        "- key: berman2000",
        "- key: [berman2000]",
        "expected text, got a list",
    ),
    Case(
        "reference-key-duplicate",
        "references.yaml",
        "- key: berntson2003",
        "- key: berman2000",
        "duplicate reference key",
    ),
    Case(
        "reference-citation-number",
        "references.yaml",
        "  citation: OpenAI (2024a). ChatGPT. https://chat.openai.com.",
        "  citation: 5",
        "expected text, got the number 5",
    ),
    Case(
        "reference-type-unknown",
        "references.yaml",
        "  type: software\n",
        "  type: program\n",
        "expected one of",
    ),
    Case(
        "reference-table1-no",
        "references.yaml",
        "  table1: false",
        "  table1: no",
        "expected true or false, got 'no'",
    ),
    Case(
        "reference-year-text",
        "references.yaml",
        "  year: 2000",
        '  year: "2000"',
        "expected a whole number",
    ),
    Case(
        "reference-volume-octal", "references.yaml", "  volume: 28", "  volume: 028", "leading zero"
    ),
    Case(
        "reference-pages-zero",
        "references.yaml",
        "  pages: 235–242",
        "  pages: 0–242",
        "page numbers start at 1",
    ),
    Case(
        "reference-pages-list",
        "references.yaml",
        "  pages: 235–242",
        "  pages: [235, 242]",
        "expected text, got a list",
    ),
    Case(
        "reference-url-space",
        "references.yaml",
        "  url: https://chat.openai.com",
        '  url: "https://chat.openai.com/a b"',
        "U+0020 SPACE",
    ),
    Case(
        "reference-url-javascript",
        "references.yaml",
        "  url: https://chat.openai.com",
        '  url: "javascript:alert(1)"',
        "scheme http or https",
    ),
    Case(
        "reference-url-no-scheme",
        "references.yaml",
        "  url: https://chat.openai.com",
        "  url: chat.openai.com",
        "begin with a scheme",
    ),
    Case(
        "reference-doi-url",
        "references.yaml",
        "  doi: 10.18434/M32147",
        "  doi: https://doi.org/10.18434/M32147",
        "a DOI is written",
    ),
    Case(
        "reference-organisation-mixed",
        "references.yaml",
        "  authors: [OpenAI]",
        "  authors: [Open\u0410I]",
        "more than one script",
    ),
    Case(
        "reference-note-list",
        "references.yaml",
        "  title: ChatGPT",
        "  note: [a]",
        "expected text, got a list",
    ),
    # --- databases.yaml --------------------------------------------------------------------
    Case("database-key-space", "databases.yaml", "  csd:\n", "  CSD db:\n", "must be lowercase"),
    Case(
        "database-title-number",
        "databases.yaml",
        "    title: Cambridge Structural Database",
        "    title: 5",
        "expected text, got the number 5",
    ),
    Case(
        "database-acronym-missing",
        "databases.yaml",
        "    acronym: CSD\n",
        "",
        "acronym: missing required field",
        "  csd:",
    ),
    Case(
        "database-described-by-list",
        "databases.yaml",
        "    described_by: groom2016",
        "    described_by: [groom2016]",
        "expected text, got a list",
    ),
    Case(
        "catalogue-unknown-section",
        "databases.yaml",
        "standards:\n",
        "programs: {}\nstandards:\n",
        "unknown section",
        "programs",
    ),
    Case(
        "catalogue-databases-list",
        "databases.yaml",
        "databases:\n",
        "databases: [csd]\nx:\n",
        "expected a mapping of databases",
        "databases",
    ),
    Case(
        "software-homepage-quote",
        "databases.yaml",
        "    homepage: https://pdfitc.org",
        '    homepage: "https://pdfitc.org/\\"x"',
        "U+0022 QUOTATION MARK",
    ),
    Case(
        "software-homepage-angle",
        "databases.yaml",
        "    homepage: https://pdfitc.org",
        "    homepage: https://pdfitc.org/<x>",
        "U+003C",
    ),
    Case(
        "software-homepage-caret",
        "databases.yaml",
        "    homepage: https://pdfitc.org",
        "    homepage: https://pdfitc.org/a^b",
        "U+005E",
    ),
    Case(
        "software-homepage-backtick",
        "databases.yaml",
        "    homepage: https://pdfitc.org",
        "    homepage: https://pdfitc.org/a`b",
        "U+0060",
    ),
    Case(
        "software-homepage-pipe",
        "databases.yaml",
        "    homepage: https://pdfitc.org",
        "    homepage: https://pdfitc.org/a|b",
        "U+007C",
    ),
    Case(
        "software-homepage-backslash",
        "databases.yaml",
        "    homepage: https://pdfitc.org",
        "    homepage: https://pdfitc.org/a\\b",
        "U+005C",
    ),
    Case(
        "software-method-not-slug",
        "databases.yaml",
        "    method: alphafold",
        "    method: Alpha Fold",
        "not a method concept id",
    ),
    # --- editorial.yaml --------------------------------------------------------------------
    Case(
        "editorial-title-list",
        "editorial.yaml",
        "title: Machine learning in crystallography and structural science\n",
        "title: [x]\n",
        "expected text, got a list",
    ),
    Case(
        "editorial-authors-mapping",
        "editorial.yaml",
        "authors:\n  - Billinge, S. J. L.\n  - Proffen, T.\n",
        "authors: {a: b}\n",
        "non-empty list of authors",
    ),
    Case(
        "editorial-keywords-string",
        "editorial.yaml",
        "keywords:\n  - machine learning\n"
        "  - artificial intelligence\n  - deep learning\n  - neural networks\n"
        "  - IUCr Journals\n",
        "keywords: machine learning\n",
        "expected a list",
    ),
    Case(
        "editorial-keyword-number",
        "editorial.yaml",
        "  - deep learning\n",
        "  - 5\n",
        "item 3: expected text",
    ),
    Case(
        "editorial-collection-url-space",
        "editorial.yaml",
        "  url: https://journals.iucr.org/special_issues/2024/ML/",
        "  url: https://journals.iucr.org/special issues/",
        "U+0020 SPACE",
    ),
    Case(
        "editorial-collection-string",
        "editorial.yaml",
        "collection:\n  title: Machine learning in crystallography and structural science "
        "(virtual collection)\n  url: https://journals.iucr.org/special_issues/2024/ML/\n",
        "collection: https://journals.iucr.org/\n",
        "expected a mapping",
    ),
    Case(
        "editorial-related-url-brace",
        "editorial.yaml",
        "  url: https://journals.iucr.org/special_issues/2024/ANNs/",
        "  url: https://journals.iucr.org/{ANNs}/",
        "U+007B",
    ),
    Case(
        "editorial-caption-list",
        "editorial.yaml",
        "  caption: >-",
        "  caption: [x]\n  x: >-",
        "expected text, got a list",
        "  caption",
    ),
    Case(
        "editorial-columns-mapping",
        "editorial.yaml",
        "  columns: [Year, Crystallographic problem, Machine-learning approach, Citation]",
        "  columns: {Year: 1}",
        "expected a list",
    ),
    Case(
        "editorial-abbreviations-list",
        "editorial.yaml",
        "  abbreviations:\n    ML: machine learning\n",
        "  abbreviations: [ML]\n  x:\n    ML: machine learning\n",
        "expected a mapping",
        "  abbreviations",
    ),
    Case(
        "editorial-abbreviation-number",
        "editorial.yaml",
        "    ML: machine learning",
        "    ML: 5",
        "ML: expected text, got the number 5",
    ),
    Case(
        "editorial-abbreviation-nfd-key",
        "editorial.yaml",
        "    ML: machine learning\n",
        f"    ML: machine learning\n    Caf\u00e9: x\n    Caf{NFD_E}: y\n",
        "decomposed Unicode",
        f"Caf{NFD_E}",
    ),
    # --- tagging.yaml ----------------------------------------------------------------------
    Case(
        "overrides-mapping",
        "tagging.yaml",
        "overrides:\n",
        "overrides: {}\nx:\n",
        "expected a list of overrides",
        "overrides",
    ),
    Case(
        "override-concepts-string",
        "tagging.yaml",
        "    concepts: [mlm:supervised-learning, mlm:unsupervised-learning]",
        "    concepts: mlm:supervised-learning",
        "expected a list",
    ),
    Case(
        "override-concept-not-curie",
        "tagging.yaml",
        "    concepts: []",
        "    concepts: [Deep Learning]",
        "is not a concept CURIE",
    ),
    Case(
        "override-column-unknown",
        "tagging.yaml",
        "    column: approach",
        "    column: methods",
        "expected one of approach, problem",
    ),
    Case(
        "override-why-number",
        "tagging.yaml",
        '    why: "The 2024 review (Matinyan et al.) surveys many deep-learning applications'
        ' and names no single approach."',
        "    why: 5",
        "expected text, got the number 5",
    ),
    Case(
        "override-phrase-nfd-duplicate",
        "tagging.yaml",
        "overrides:\n",
        f'overrides:\n  - phrase: "Caf\u00e9"\n    column: approach\n    concepts: []\n'
        f'    why: "x"\n  - phrase: "Caf{NFD_E}"\n    column: approach\n    concepts: []\n'
        '    why: "y"\n',
        "decomposed Unicode",
        f'  - phrase: "Caf{NFD_E}"',
    ),
    Case(
        "tagging-unknown-section",
        "tagging.yaml",
        "overrides:\n",
        "overides: []\noverrides:\n",
        "unknown section",
        "overides",
    ),
]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("pristine") / "data"
    shutil.copytree(resource_dir("data"), target)
    return target


@pytest.fixture
def data(pristine: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(pristine, target)
    return target


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder holding an earlier build's file, which must stay as it is."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "mlcryst.nt").write_text("<urn:a> <urn:b> <urn:c> .\n")
    return folder


def build_in_process(data: Path, out: Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["build", "--data", str(data), "--out", str(out), "--no-visuals"], env=env
    )
    assert TRACEBACK not in result.output
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), repr(exc)
    return result.exit_code, result.output


def assert_refused(code: int, output: str, file: str, line: int, expect: str) -> None:
    assert code == 3, output[-3000:]
    where = f"{file}:{line}: "
    lines = [m for m in output.splitlines() if where in m]
    assert lines, f"no message at {where}:\n{output[-3000:]}"
    assert any(expect in m for m in lines), f"{expect!r} not at {where}:\n{output[-3000:]}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_mutation_is_refused_with_file_and_line(case: Case, data: Path, out: Path) -> None:
    _, line = mutate(data, case)
    before = tree_bytes(out)
    code, output = build_in_process(data, out)
    assert_refused(code, output, case.file, line, case.expect)
    assert tree_bytes(out) == before


def test_enough_cases() -> None:
    assert len(CASES) >= 80
    assert {c.file for c in CASES} == {
        "journals.yaml", "people.yaml", "papers.yaml", "references.yaml",
        "databases.yaml", "editorial.yaml", "tagging.yaml",
    }  # fmt: skip


# --- whole files: empty, wrong shape, encodings, budgets -----------------------------------


@pytest.mark.parametrize(
    "text,expect",
    [
        ("", "the file is empty"),
        ("# only a comment\n", "the file is empty"),
        ("[]\n", "has no records"),
        ("row: 1\n", "expected a list of paper records"),
        ("hello\n", "expected a list of paper records"),
    ],
    ids=["empty", "comment-only", "empty-list", "mapping", "scalar"],
)
def test_papers_file_without_records(data: Path, out: Path, text: str, expect: str) -> None:
    (data / "papers.yaml").write_text(text, encoding="utf-8")
    code, output = build_in_process(data, out)
    assert_refused(code, output, "papers.yaml", 1, expect)
    assert output.count("\n") <= 2, output  # one clear message, not a cascade
    assert "references.yaml" not in output


@pytest.mark.parametrize(
    "name,text,expect",
    [
        ("journals.yaml", "- acta-a\n", "expected a mapping of journal keys"),
        ("people.yaml", "id: x\n", "expected a list of person records"),
        ("references.yaml", "key: x\n", "expected a list of reference records"),
        ("databases.yaml", "[csd]\n", "expected a mapping of sections"),
        ("editorial.yaml", "- title\n", "expected a mapping of editorial fields"),
        ("tagging.yaml", "- phrase: x\n", "expected a mapping of sections"),
        ("tagging.yaml", "", "the file is empty"),
    ],
)
def test_file_of_the_wrong_shape(data: Path, out: Path, name: str, text: str, expect: str) -> None:
    (data / name).write_text(text, encoding="utf-8")
    code, output = build_in_process(data, out)
    assert_refused(code, output, name, 1, expect)


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16"])
def test_file_not_utf8_names_line_and_column(data: Path, out: Path, encoding: str) -> None:
    path = data / "papers.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode(encoding, "replace"))
    first = 0  # the byte-order mark of UTF-16
    if encoding != "utf-16":
        first = next(i for i, c in enumerate(text) if not c.encode(encoding, "replace").isascii())
    line = text.count("\n", 0, first) + 1
    code, output = build_in_process(data, out)
    assert_refused(code, output, "papers.yaml", line, "not UTF-8 text")
    column = first - text.rfind("\n", 0, first)
    assert f"at column {column} " in output, output


def test_data_file_over_the_budget(data: Path, out: Path) -> None:
    path = data / "papers.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "#" * (2 * 2**20) + "\n")
    before = tree_bytes(out)
    code, output = build_in_process(data, out, env={"MLCRYST_MAX_DATA_FILE_MB": "1"})
    assert code == 3, output
    assert "papers.yaml: " in output and "MLCRYST_MAX_DATA_FILE_MB" in output
    assert "budget" in output
    assert tree_bytes(out) == before


def test_depth_budget_from_the_environment(data: Path, out: Path) -> None:
    text = (data / "papers.yaml").read_text(encoding="utf-8")
    line = text[: text.index("  authors:")].count("\n") + 2  # the first author
    code, output = build_in_process(data, out, env={"MLCRYST_MAX_YAML_DEPTH": "2"})
    assert_refused(code, output, "papers.yaml", line, "MLCRYST_MAX_YAML_DEPTH")


# --- accepted: what normalisation and a byte-order mark must not change --------------------


def test_nfd_spelling_is_read_as_nfc(data: Path) -> None:
    path = data / "papers.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Prévost", f"Pr{NFD_E}vost"))
    paper = next(p for p in load_dataset(data).papers if p.row == 3)
    assert paper.authors[1].name == "Prévost, S." and paper.authors[1].person == "prevost-s"


def test_bom_and_crlf_are_read_as_the_same_data(data: Path, pristine: Path) -> None:
    path = data / "journals.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))

    def journals(folder: Path) -> list[tuple[object, ...]]:
        return [
            (*astuple(j)[:3], *astuple(j)[4:], j.where.line)
            for j in load_dataset(folder).journals.values()
        ]

    assert journals(data) == journals(pristine)


def test_surely_fine_ranges_hold_no_refused_character() -> None:
    fine = [chr(c) for c in range(0x30000) if not _SUSPECT.match(chr(c))]
    assert "\u00ad" not in fine and "\u200b" not in fine
    assert [c for c in fine if is_refused(c)] == []


# --- special files, bombs: the real command in a child process, with a time limit ----------


def _child(data: Path, out: Path, **env: str) -> tuple[int, str]:
    ran = run_cli("build", "--data", data, "--out", out, "--no-visuals", timeout=30, env=env)
    return ran.code, ran.stderr


def test_papers_fifo_is_refused_not_read(data: Path, out: Path) -> None:
    (data / "papers.yaml").unlink()
    os.mkfifo(data / "papers.yaml")
    before = tree_bytes(out)
    code, err = _child(data, out)
    assert code == 3 and "papers.yaml: is a FIFO" in err, err
    assert tree_bytes(out) == before


def test_papers_symlink_to_dev_zero_is_refused(data: Path, out: Path) -> None:
    (data / "papers.yaml").unlink()
    (data / "papers.yaml").symlink_to("/dev/zero")
    code, err = _child(data, out)
    assert code == 3 and "papers.yaml: is a character device" in err, err


def test_papers_directory_is_refused(data: Path, out: Path) -> None:
    (data / "papers.yaml").unlink()
    (data / "papers.yaml").mkdir()
    code, err = _child(data, out)
    assert code == 3 and "papers.yaml: is a directory" in err, err


def test_missing_file_is_named(data: Path, out: Path) -> None:
    (data / "tagging.yaml").unlink()
    code, err = _child(data, out)
    assert code == 3 and "tagging.yaml: file not found" in err, err


def test_alias_bomb_is_refused_at_once(data: Path, out: Path) -> None:
    path = data / "journals.yaml"
    text = path.read_text(encoding="utf-8")
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    bomb += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path.write_text(text + "\n".join(bomb) + "\n")
    line = text.count("\n") + 1
    before = tree_bytes(out)
    code, err = _child(data, out)
    assert_refused(code, err, "journals.yaml", line, "YAML anchor '&a0' refused")
    assert tree_bytes(out) == before


def test_self_referencing_alias_is_refused(data: Path, out: Path) -> None:
    (data / "people.yaml").write_text("# people\n- &x\n  - *x\n")
    code, err = _child(data, out)
    assert_refused(code, err, "people.yaml", 2, "YAML anchor '&x' refused")


def test_deep_nesting_with_a_huge_depth_budget_does_not_crash(data: Path, out: Path) -> None:
    path = data / "papers.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "- title: " + "[" * 900 + "]" * 900 + "\n")
    code, err = _child(data, out, MLCRYST_MAX_YAML_DEPTH="1000000")
    assert code == 3, err  # read fully (no recursion), then refused as a record
    assert f"papers.yaml:{text.count(chr(10)) + 1}: " in err, err
