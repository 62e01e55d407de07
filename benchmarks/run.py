"""Benchmark the mlcryst pipeline at scale against a plain rdflib + pyshacl baseline.

    python benchmarks/run.py --sizes 1000,10000,100000 [--work DIR] [--cap 120] [--json OUT]

For each size a synthetic corpus is written (``mlcryst synth``), then two fresh Python
processes run the pipeline stage by stage on it, one after the other (never at once):

* ``mlcryst``: the scalable paths -- records streamed as N-Triples into Oxigraph (no rdflib
  graph at any stage), the SHACL shapes compiled to SPARQL and run on the store on every core
  (:mod:`mlcryst.shacl_store`, pySHACL's verdicts), Oxigraph serialisers, Oxigraph SPARQL,
  and the network view read through :class:`mlcryst.oxview.StoreView`;
* ``baseline``: the same pipeline on plain rdflib (``--store rdflib``): rdflib Graph, rdflib
  SPARQL, rdflib serialisers, pyshacl as is.

Both sides share the YAML loader and tagger (stage ``load``), so the ratio of that stage is 1.

Time is wall-clock (``time.perf_counter``). Memory is the peak resident set size of the
process during the stage, sampled from ``/proc/self/statm`` every 10 ms by a thread; it
includes what the process already holds (e.g. the graph built by an earlier stage), which is
what a user running the pipeline pays. Each named query runs as a user query does (a child
process under the time limit of :mod:`mlcryst.bounded`), up to 5 times; the median is given.
A baseline query or stage still running after ``--cap`` seconds is stopped and shown as
``>cap``. The ``generate`` stage and the cold start are measured in fresh processes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BENCH_QUERIES = HERE / "queries"
PAGE = os.sysconf("SC_PAGE_SIZE")


# --- measuring -------------------------------------------------------------------------------


def _rss() -> int:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * PAGE


class Peak:
    """The peak RSS of this process while the block runs."""

    def __enter__(self) -> Peak:
        self.peak = _rss()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self) -> None:
        while not self.done.wait(0.01):
            self.peak = max(self.peak, _rss())

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()
        self.peak = max(self.peak, _rss())


CHILD_PEAK = [0]


def _hwm() -> int:
    """Peak RSS of this process so far (VmHWM), in bytes."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def in_child(fn: Callable[[], Any], cap: float, what: str) -> Any:
    """``fn()`` in a forked child under a time limit (as user queries run); the child's peak
    RSS is recorded so that the stage's figure includes it."""
    from mlcryst.bounded import run_limited

    value, hwm = run_limited(lambda: (fn(), _hwm()), timeout=cap, memory_mb=0, what=what)
    CHILD_PEAK[0] = max(CHILD_PEAK[0], hwm)
    return value


def measure(
    records: list[dict[str, Any]], stage: str, fn: Callable[[], Any], note: str = ""
) -> Any:
    CHILD_PEAK[0] = 0
    with Peak() as peak:
        start = time.perf_counter()
        try:
            value = fn()
            status = "ok"
        except Exception as exc:  # a stopped or failed stage is a figure too
            value, status = None, f"{type(exc).__name__}: {str(exc)[:120]}"
        seconds = time.perf_counter() - start
    peak.peak = max(peak.peak, CHILD_PEAK[0])
    records.append(
        {
            "stage": stage,
            "seconds": seconds,
            "peak_mb": peak.peak / 2**20,
            "status": status,
            "note": note,
        }
    )
    print(
        f"  {stage:38} {seconds:9.3f} s {peak.peak / 2**20:8.0f} MB  {status} {note}",
        file=sys.stderr,
        flush=True,
    )
    return value


def median_runs(fn: Callable[[], Any], cap: float, repeat: int = 5) -> tuple[float, int, Any]:
    """Median wall time of up to ``repeat`` runs (fewer when one run is long)."""
    times: list[float] = []
    value = None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
        if sum(times) > cap / 2:
            break
    return statistics.median(times), len(times), value


# --- one side of one size --------------------------------------------------------------------


def _queries() -> list[tuple[str, str, Any]]:
    from mlcryst.query import list_queries, parse_header

    out = [(q.name, q.text, q) for q in list_queries()]
    out += [
        (f"all:{p.stem}", p.read_text(encoding="utf-8"), parse_header(p))
        for p in sorted(BENCH_QUERIES.glob("*.rq"))
    ]
    return out


def run_side(
    side: str, data: Path, cap: float, jobs: int, shacl_cap: float
) -> list[dict[str, Any]]:
    from mlcryst import oxstore
    from mlcryst.build import build_graph, load_vocabularies
    from mlcryst.iris import Iris
    from mlcryst.load import load_dataset
    from mlcryst.tagging import tag_dataset, vocabulary_from_graph

    rec: list[dict[str, Any]] = []
    ds = measure(rec, "load (YAML -> checked records)", lambda: load_dataset(data))
    vocab = load_vocabularies()
    tags = measure(
        rec, "tag (cells -> concepts)", lambda: tag_dataset(ds, vocabulary_from_graph(vocab))
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
    store = graph = None
    if side == "mlcryst":
        from mlcryst.oxbuild import build_store

        store = measure(
            rec,
            "build (records -> Oxigraph)",
            lambda: build_store(ds, vocabularies=vocab, tags=tags),
        )
        del ds, tags  # as mlcryst build does: the records are in the store now
        measure(
            rec,
            "validate (SHACL)",
            lambda: _validate_store(store, jobs, shacl_cap),
            note=f"SPARQL on Oxigraph, jobs={jobs}",
        )
    else:
        graph = measure(
            rec,
            "build (records -> rdflib Graph)",
            lambda: build_graph(ds, vocabularies=vocab, tags=tags),
        )
        del ds, tags
        measure(rec, "validate (SHACL)", lambda: _validate(graph, shacl_cap), note="pySHACL")
    out_dir = Path(tempfile.mkdtemp(prefix=f"mlcryst-bench-{side}-"))
    if side == "mlcryst":
        measure(rec, "export (ttl+nt+jsonld)", lambda: oxstore.write_outputs(store, out_dir))
    else:
        from mlcryst.export import write_outputs

        measure(
            rec,
            "export (ttl+nt+jsonld)",
            lambda: in_child(lambda: write_outputs(graph, out_dir) and None, cap * 2, "export"),
        )
    for name, text, q in _queries():
        author = authors[name.startswith("all:")]
        bindings = {"author": author} if "author" in q.parameters else {}
        if side == "mlcryst":

            def once(text: str = text, bindings: dict[str, Any] = bindings) -> Any:
                return in_child(lambda: len(oxstore.run_query(store, text, bindings)), cap, "query")
        else:
            from mlcryst.query import run

            def once(text: str = text, bindings: dict[str, Any] = bindings) -> Any:
                return in_child(
                    lambda: len(run(graph, text, bindings, timeout=0, memory_mb=0)), cap, "query"
                )

        CHILD_PEAK[0] = 0
        with Peak() as peak:
            try:
                seconds, runs, rows = median_runs(once, cap)
                status = "ok"
            except Exception as exc:
                seconds, runs, rows, status = cap, 1, None, f"{type(exc).__name__}"
        peak.peak = max(peak.peak, CHILD_PEAK[0])
        rec.append(
            {
                "stage": f"query {name}",
                "seconds": seconds,
                "peak_mb": peak.peak / 2**20,
                "status": status,
                "note": f"median of {runs}, {rows} rows",
            }
        )
        print(
            f"  query {name:32} {seconds:9.3f} s  {status} ({runs} runs, {rows} rows)",
            file=sys.stderr,
            flush=True,
        )
    from mlcryst.network import coauthor_view, index_graph

    if side == "mlcryst":
        from mlcryst.oxview import StoreView

        measure(
            rec, "network view (co-authors)", lambda: coauthor_view(index_graph(StoreView(store)))
        )
    else:
        measure(rec, "network view (co-authors)", lambda: coauthor_view(index_graph(graph)))
    return rec


def _validate(graph: Any, cap: float) -> int:
    from mlcryst.validate import validate

    return in_child(lambda: len(validate(graph)), cap, "validation")


def _validate_store(store: Any, jobs: int, cap: float) -> int:
    from mlcryst.shacl_store import validate_store

    return in_child(lambda: len(validate_store(store, jobs=jobs)), cap, "validation")


# --- driver ----------------------------------------------------------------------------------


def _child(cmd: list[str]) -> tuple[float, float, str]:
    """Run a command; its wall time, peak RSS (MB) and standard output."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed ({status}): {' '.join(cmd)}")
    return seconds, usage.ru_maxrss / 1024, out


def cold_start(repeat: int = 10) -> list[dict[str, Any]]:
    """Median wall time of a fresh `mlcryst query NAME` on the seed graph, cache warm."""
    out = []
    mlcryst = [sys.executable, "-m", "mlcryst.cli"]
    cases = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("mlcryst --help", [*mlcryst, "--help"]),
        ("mlcryst query papers-per-year", [*mlcryst, "query", "papers-per-year"]),
        (
            "mlcryst query papers-per-year --store rdflib",
            [*mlcryst, "query", "papers-per-year", "--store", "rdflib"],
        ),
    ]
    _child(cases[2][1])  # fill the cache
    for label, cmd in cases:
        times, peaks = [], []
        for _ in range(repeat):
            seconds, peak, _ = _child(cmd)
            times.append(seconds)
            peaks.append(peak)
        out.append(
            {
                "stage": f"cold: {label}",
                "seconds": statistics.median(times),
                "peak_mb": max(peaks),
                "status": "ok",
                "note": f"median of {repeat}",
            }
        )
        print(f"  cold {label:45} {statistics.median(times):7.3f} s", file=sys.stderr)
    return out


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import pyoxigraph
    import pyshacl
    import rdflib

    return (
        f"{platform.node()}: {os.cpu_count()} cores, {mem:.0f} GiB RAM, "
        f"Python {platform.python_version()}, rdflib {rdflib.__version__}, "
        f"pyoxigraph {pyoxigraph.__version__}, pyshacl {pyshacl.__version__}, "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}"
    )


def table(results: dict[str, Any]) -> str:
    lines = [
        "| papers | stage | mlcryst s | mlcryst MB | baseline s | baseline MB | ratio |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for size, sides in results["sizes"].items():
        base = {r["stage"].replace("rdflib Graph", "store"): r for r in sides["baseline"]}
        for r in sides["mlcryst"]:
            key = r["stage"].replace("Oxigraph", "store")
            b = base.get(key)
            if r["stage"] == "validate: make rdflib graph":
                b = None

            def fmt(x: dict[str, Any] | None) -> tuple[str, str]:
                if x is None:
                    return "–", "–"
                flag = "" if x["status"] == "ok" else ">"
                return f"{flag}{x['seconds']:.3f}", f"{x['peak_mb']:.0f}"

            ms, mm = fmt(r)
            bs, bm = fmt(b)
            ratio = "–"
            if b is not None and r["seconds"] > 0:
                ratio = f"{b['seconds'] / r['seconds']:.1f}×"
                if b["status"] != "ok":
                    ratio = ">" + ratio
            lines.append(f"| {size} | {key} | {ms} | {mm} | {bs} | {bm} | {ratio} |")
        pipeline = ("load", "tag", "build", "validate", "export")
        for label, keep in (("build + validate + export", pipeline), ("end to end", None)):
            sums = {
                side: sum(
                    x["seconds"]
                    for x in sides[side]
                    if not x["stage"].startswith("generate")
                    and (keep is None or x["stage"].startswith(keep))
                )
                for side in ("mlcryst", "baseline")
            }
            peaks = {
                side: max(
                    [
                        x["peak_mb"]
                        for x in sides[side]
                        if keep is None or x["stage"].startswith(keep)
                    ]
                    or [0]
                )
                for side in ("mlcryst", "baseline")
            }
            base = f"{sums['baseline']:.1f}" if sums["baseline"] else "–"
            ratio = f"{sums['baseline'] / sums['mlcryst']:.1f}×" if sums["baseline"] else "–"
            lines.append(
                f"| {size} | **{label}** | {sums['mlcryst']:.1f} | "
                f"{peaks['mlcryst']:.0f} | {base} | {peaks['baseline'] or 0:.0f} | "
                f"{ratio} |"
            )
    return "\n".join(lines)


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
        seconds, peak, _ = _child(
            [
                sys.executable,
                "-m",
                "mlcryst.cli",
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
            _, _, out = _child(
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
