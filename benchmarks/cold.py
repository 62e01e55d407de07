"""Cold named queries: a fresh ``mlcryst query NAME --graph FILE`` per query, old path and new.

    python benchmarks/cold.py --sizes 1000,10000 [--work DIR] [--repeat 3] [--json OUT]

For each size a synthetic corpus is written (``mlcryst synth``) and its graph exported once as
N-Triples (``corpus-N.nt``). Then, for every named query, in fresh processes and alternating:

* ``new``: ``mlcryst query NAME --graph corpus-N.nt``, the cache on: the graph is opened
  read-only from the persisted store of :mod:`mlcryst.stores.cache` (made by a first call,
  not timed);
* ``old``: the same with ``MLCRYST_NO_CACHE=1``: the file is parsed again on every call (what
  every call did before the persisted store). At the larger sizes this takes most of a minute a
  call, so it runs for the first ``--old-queries`` queries only (it is the same parse for
  every query);
* ``python -c pass``: bare Python start-up, the floor of any command.

Each figure is the median of ``--repeat`` runs; the one-minute load average before and after
each size is printed with the figures (the machine may be shared). A call stopped at the
query time limit (``--limit``, default 30 s) shows as ``>30`` and is not repeated.
``--bounded`` also measures what the limits of :mod:`mlcryst.bounded` add to a query in one
process (the query with its limits minus the same query without): on the persisted store (a
small process) and on the graph in memory (the process that parsed the file).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from measure import run_command

MLCRYST = [sys.executable, "-m", "mlcryst"]


def _load() -> float:
    return os.getloadavg()[0]


def _median_run(cmd: list[str], repeat: int, env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(repeat):
        times.append(_timed(cmd, env))
    return statistics.median(times)


def _timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    """Seconds ``cmd`` took; ``inf`` when it stopped at the query's time limit (exit 8)."""
    import subprocess

    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode == 8:
        return float("inf")
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr.decode()}")
    return seconds


def _queries() -> list[str]:
    from mlcryst.sparql.named import list_queries

    return [q.name for q in list_queries()]


def cold_queries(nt: Path, repeat: int, old_queries: int, limit: float) -> list[dict[str, Any]]:
    """Per named query: median seconds of a fresh process, new path and old (and Python)."""
    cache_on = dict(os.environ)
    cache_on.pop("MLCRYST_NO_CACHE", None)
    cache_off = dict(os.environ, MLCRYST_NO_CACHE="1")
    names = _queries()
    _timed([*MLCRYST, "query", names[0], "--graph", str(nt)], cache_on)  # make the store
    rows = []
    for i, name in enumerate(names):
        cmd = [*MLCRYST, "query", name, "--graph", str(nt), "--timeout", f"{limit:g}"]
        new: list[float] = []
        old: list[float] = []
        bare: list[float] = []
        for _ in range(repeat):  # alternate, so that a change of load hits all alike
            if not new or new[-1] != float("inf"):  # a query stopped once is not run again
                new.append(_timed(cmd, cache_on))
            if i < old_queries and (not old or old[-1] != float("inf")):
                old.append(_timed(cmd, cache_off))
            bare.append(_timed([sys.executable, "-c", "pass"]))
        row = {
            "query": name,
            "new_s": statistics.median(new),
            "old_s": statistics.median(old) if old else None,
            "python_s": statistics.median(bare),
        }
        rows.append(row)
        old_text = f"{row['old_s']:8.3f}" if old else "       –"  # inf: stopped
        print(
            f"  {name:42} new {row['new_s']:7.3f}  old {old_text}  python {row['python_s']:.3f}",
            file=sys.stderr,
            flush=True,
        )
    return rows


def bounded_overhead(nt: Path, repeat: int) -> list[dict[str, Any]]:
    """What the limits add to one small query, on the persisted store and in memory."""
    from mlcryst.stores.oxigraph_store import OxigraphStore
    from mlcryst.stores.registry import store_class

    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?o } LIMIT 1"
    persisted = OxigraphStore.from_file(nt)  # the store made by cold_queries
    os.environ["MLCRYST_NO_CACHE"] = "1"
    try:
        in_memory = store_class("oxigraph").from_file(nt)
    finally:
        del os.environ["MLCRYST_NO_CACHE"]
    out = []
    for label, store in (("persisted store", persisted), ("in memory", in_memory)):
        store.query(text)  # the guard's verdict is remembered after the first call
        limited, free = [], []
        for _ in range(max(repeat, 5)):
            start = time.perf_counter()
            store.query(text)
            limited.append(time.perf_counter() - start)
            start = time.perf_counter()
            store.query(text, timeout=0, memory_mb=0)
            free.append(time.perf_counter() - start)
        overhead = statistics.median(limited) - statistics.median(free)
        out.append(
            {
                "store": label,
                "limited_s": statistics.median(limited),
                "unlimited_s": statistics.median(free),
                "overhead_s": overhead,
                "rss_mb": _rss_mb(),
            }
        )
        print(f"  bounded on the {label}: +{overhead * 1000:.1f} ms a query", file=sys.stderr)
    return out


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def table(results: dict[str, Any]) -> str:
    lines = []
    for size, fig in results["sizes"].items():
        lines += [
            f"{size} papers (load average {fig['load_before']:.1f} before, "
            f"{fig['load_after']:.1f} after; median of {fig['repeat']})",
            "",
            "| query | new: persisted store, s | old: re-parse, s | python -c pass, s "
            "| new/python |",
            "|---|---:|---:|---:|---:|",
        ]
        cap = f">{fig.get('limit_s', 0):g}"

        def cell(x: float | None, cap: str = cap) -> str:
            return "–" if x is None else cap if x == float("inf") else f"{x:.3f}"

        for r in fig["queries"]:
            ratio = r["new_s"] / r["python_s"]
            lines.append(
                f"| {r['query']} | {cell(r['new_s'])} | {cell(r['old_s'])} "
                f"| {r['python_s']:.3f} | {cap if ratio == float('inf') else f'{ratio:.1f}×'} |"
            )
        for b in fig.get("bounded", []):
            lines.append(
                f"\nbounded query on the {b['store']} (process {b['rss_mb']:.0f} MB): "
                f"{b['limited_s'] * 1000:.1f} ms with limits, "
                f"{b['unlimited_s'] * 1000:.1f} ms without: +{b['overhead_s'] * 1000:.1f} ms"
            )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "mlcryst-cold")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--old-queries", type=int, default=30, help="queries run on the old path")
    ap.add_argument("--limit", type=float, default=30.0, help="--timeout of each query call")
    ap.add_argument("--bounded", action="store_true", help="also measure the bounded overhead")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--table", type=Path, metavar="JSON", help="only print a saved run")
    args = ap.parse_args()
    if args.table:
        print(table(json.loads(args.table.read_text())))
        return
    from report import machine

    results: dict[str, Any] = {"machine": machine(), "sizes": {}}
    if args.json and args.json.is_file():
        results = json.loads(args.json.read_text())
    for size in [int(s) for s in args.sizes.split(",")]:
        data = args.work / f"corpus-{size}"
        nt = args.work / f"corpus-{size}.nt"
        if not nt.is_file():
            run_command([*MLCRYST, "synth", "--papers", str(size), "--out", str(data)])
            cmd = [*MLCRYST, "export", "--format", "nt", "--data", str(data), "--out", str(nt)]
            run_command([*cmd, "--store", "oxigraph"])
        print(f"== {size} papers ({nt.stat().st_size / 2**20:.0f} MB N-Triples)", file=sys.stderr)
        fig: dict[str, Any] = {"load_before": _load(), "repeat": args.repeat}
        fig["limit_s"] = args.limit
        fig["queries"] = cold_queries(nt, args.repeat, args.old_queries, args.limit)
        if args.bounded:
            fig["bounded"] = bounded_overhead(nt, args.repeat)
        fig["load_after"] = _load()
        results["sizes"][str(size)] = fig
        if args.json:
            args.json.write_text(json.dumps(results, indent=1))
    print(results["machine"])
    print(table(results))


if __name__ == "__main__":
    main()
