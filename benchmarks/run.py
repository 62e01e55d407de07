"""Benchmark the mlcryst pipeline at scale against a plain rdflib + pyshacl baseline.

    python benchmarks/run.py --sizes 1000,10000,100000 [--work DIR] [--cap 120] [--json OUT]

For each size a synthetic corpus is written (``mlcryst synth``), then two fresh Python
processes run the pipeline stage by stage on it, one after the other (never at once):

* ``mlcryst``: the scalable paths -- records streamed as N-Triples into Oxigraph (no rdflib
  graph at any stage), the SHACL shapes compiled to SPARQL and run on the store on every core
  (:mod:`mlcryst.shacl.compiled`, pySHACL's verdicts), Oxigraph serialisers, Oxigraph SPARQL,
  and the network view read through :class:`mlcryst.stores.view.StoreView`;
* ``baseline``: the same pipeline on plain rdflib (``--store rdflib``): rdflib Graph, rdflib
  SPARQL, rdflib serialisers, pyshacl as is.

Both sides share the YAML loader and tagger (stage ``load``), so the ratio of that stage is 1.

Time and memory are measured as :mod:`measure` says (wall clock; peak resident set size,
children included). Each named query runs as a user query does (a child process under the
time limit of :mod:`mlcryst.bounded`), up to 5 times; the median is given.
A baseline query or stage still running after ``--cap`` seconds is stopped and shown as
``>cap``. The ``generate`` stage and the cold start are measured in fresh processes.
``--table JSON`` prints the tables of a saved run (:mod:`report`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

from measure import Stages, cold_start, run_command
from report import machine, table

HERE = Path(__file__).resolve().parent
BENCH_QUERIES = HERE / "queries"


#: the store each side runs on, and what its validation is
STORE_OF_SIDE = {"mlcryst": "oxigraph", "baseline": "rdflib"}
BUILT_INTO = {"mlcryst": "Oxigraph", "baseline": "rdflib Graph"}  # as report.py pairs them
VALIDATION_NOTE = {"mlcryst": "SPARQL on Oxigraph, jobs={jobs}", "baseline": "pySHACL"}


# --- one side of one size --------------------------------------------------------------------


def _queries() -> list[tuple[str, str, Any]]:
    from mlcryst.sparql.named import list_queries, parse_header

    out = [(q.name, q.text, q) for q in list_queries()]
    out += [
        (f"all:{p.stem}", p.read_text(encoding="utf-8"), parse_header(p))
        for p in sorted(BENCH_QUERIES.glob("*.rq"))
    ]
    return out


def run_side(
    side: str, data: Path, cap: float, jobs: int, shacl_cap: float
) -> list[dict[str, Any]]:
    from mlcryst.builder.graph import load_vocabularies
    from mlcryst.builder.iris import Iris
    from mlcryst.builder.tagging import tag_dataset, vocabulary_from_graph
    from mlcryst.load.dataset import load_dataset
    from mlcryst.stores.registry import store_class
    from mlcryst.visual.network import coauthor_view, index_graph

    st = Stages()
    ds = st.measure("load (YAML -> checked records)", lambda: load_dataset(data))
    vocab = load_vocabularies()
    tags = st.measure(
        "tag (cells -> concepts)", partial(tag_dataset, ds, vocabulary_from_graph(vocab))
    )
    # the named queries are about Table 1: bind its most prolific author; the all-paper
    # queries bind the most prolific author of the whole corpus
    table1 = Counter(a.person for p in ds.papers if p.row for a in p.authors)
    everyone = Counter(a.person for p in ds.papers for a in p.authors)
    authors = {
        True: Iris().person(everyone.most_common(1)[0][0]),
        False: Iris().person(table1.most_common(1)[0][0]),
    }
    del table1, everyone
    out_dir = Path(tempfile.mkdtemp(prefix=f"mlcryst-bench-{side}-"))
    # the two sides are the same code on two stores of the registry
    cls = store_class(STORE_OF_SIDE[side])
    store = st.measure(
        f"build (records -> {BUILT_INTO[side]})",
        partial(cls.from_dataset, ds, vocabularies=vocab, tags=tags),
    )
    del ds, tags  # as mlcryst build does: the records are in the store now
    st.measure(
        "validate (SHACL)",
        lambda: st.in_child(lambda: len(store.validate(jobs=jobs)), shacl_cap, "validation"),
        note=VALIDATION_NOTE[side].format(jobs=jobs),
    )
    st.measure(
        "export (ttl+nt+jsonld)",
        lambda: st.in_child(lambda: store.write_outputs(out_dir) and None, cap * 2, "export"),
    )

    def run_query(text: str, bindings: dict[str, Any]) -> int:
        return len(store.query(text, bindings, timeout=0, memory_mb=0))

    for name, text, q in _queries():
        author = authors[name.startswith("all:")]
        bindings = {"author": author} if "author" in q.parameters else {}

        def once(text: str = text, bindings: dict[str, Any] = bindings) -> int:
            return st.in_child(lambda: run_query(text, bindings), cap, "query")

        st.query(name, once, cap)
    st.measure("network view (co-authors)", lambda: coauthor_view(index_graph(store.view())))
    return st.records


# --- driver ----------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "mlcryst-bench")
    ap.add_argument(
        "--cap",
        type=float,
        default=120.0,
        help="stop a baseline query or export after this many seconds",
    )
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument(
        "--shacl-cap",
        type=float,
        default=600.0,
        help="stop the SHACL stage after this many seconds",
    )
    ap.add_argument(
        "--sides",
        default="mlcryst,baseline",
        help="which sides to run (the baseline at 100k papers takes hours)",
    )
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--side", choices=("mlcryst", "baseline"), help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--no-cold", action="store_true", help="skip the cold-start timing")
    ap.add_argument(
        "--table",
        type=Path,
        metavar="JSON",
        help="only print the table of the figures in this file",
    )
    args = ap.parse_args()
    if args.table:
        print(table(json.loads(args.table.read_text())))
        return
    if args.side:  # one side, in a fresh process: figures as JSON on standard output
        print(
            json.dumps(run_side(args.side, args.data, args.cap, args.jobs, args.shacl_cap)),
            flush=True,
        )
        os._exit(0)  # freeing millions of objects at exit takes minutes at 100k papers
    if args.json and args.json.is_file():  # add to the figures of an earlier run
        results: dict[str, Any] = json.loads(args.json.read_text())
    else:
        results = {"machine": machine(), "sizes": {}}
    print(results["machine"], file=sys.stderr)
    if not args.no_cold:
        results["cold"] = cold_start()
    for size in [int(s) for s in args.sizes.split(",")]:
        data = args.work / f"corpus-{size}"
        print(f"== {size} papers", file=sys.stderr)
        seconds, peak, _ = run_command(
            [
                sys.executable,
                "-m",
                "mlcryst.cli.main",
                "synth",
                "--papers",
                str(size),
                "--out",
                str(data),
            ]
        )
        sides: dict[str, Any] = {}
        for side in ("mlcryst", "baseline"):
            if side not in args.sides.split(","):
                sides[side] = []
                continue
            print(f"-- {side}", file=sys.stderr)
            _, _, out = run_command(
                [
                    sys.executable,
                    __file__,
                    "--side",
                    side,
                    "--data",
                    str(data),
                    "--cap",
                    str(args.cap),
                    "--jobs",
                    str(args.jobs),
                    "--shacl-cap",
                    str(args.shacl_cap),
                ]
            )
            sides[side] = json.loads(out)
        sides["mlcryst"].insert(
            0,
            {
                "stage": "generate (mlcryst synth)",
                "seconds": seconds,
                "peak_mb": peak,
                "status": "ok",
                "note": "",
            },
        )
        results["sizes"][str(size)] = sides
        if args.json:
            args.json.write_text(json.dumps(results, indent=1))
    print(table(results))
    for r in results.get("cold", []):
        print(f"{r['stage']}: {r['seconds']:.3f} s (median of 10), peak {r['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
