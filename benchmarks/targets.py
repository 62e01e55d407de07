"""The scale targets of the whole pipeline, each measured side by side with the baseline in one run.

    python benchmarks/targets.py [--c10k DIR] [--c100k DIR] [--skip-100k] [--cap SECONDS]
                                 [--no-baseline] [--json OUT]

Every row runs the ``mlcryst`` command line in fresh processes (``/usr/bin/time`` gives the
wall time and peak memory of each), two ways, one after the other:

* **mlcryst**: as a user runs it (Oxigraph, the compiled shapes, the persisted store of the
  last build, grouped pages);
* **baseline**: the rdflib + pySHACL path of the same command (``--store rdflib``, no
  persisted store: ``MLCRYST_NO_CACHE=1``, the page drawn whole: ``--no-group``), with no
  memory budget (``MLCRYST_MAX_MEMORY_MB=0``) so that it is measured, not refused, and stopped
  after ``--cap`` seconds (default 600); a row it does not finish says so.

The "issue" column repeats the figures the targets were set against (the same machine class:
2 shared cores). Corpora are made with ``mlcryst synth`` when the folders do not hold one.
Rows at 100k papers take several minutes each way; ``--skip-100k`` leaves them out.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: the baseline: rdflib + pySHACL, nothing persisted, measured rather than refused
BASELINE_ENV = {"MLCRYST_NO_CACHE": "1", "MLCRYST_MAX_MEMORY_MB": "0", "MLCRYST_TIMEOUT": "0"}


@dataclass
class Run:
    wall: float
    mb: float
    code: int  # -1: stopped at the cap

    @property
    def ok(self) -> bool:
        return self.code == 0

    def text(self, extra: str = "") -> str:
        if self.code == -1:
            return f"not done in {self.wall:.0f} s (stopped)"
        told = "" if self.ok else f", exit {self.code}"
        return f"{self.wall:.1f} s, {self.mb:.0f} MB{extra}{told}"


@dataclass
class Row:
    what: str
    issue: str
    target: str
    measured: str = ""
    baseline: str = "–"
    ratio: str = "–"
    met: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


def run(args: list[str], env: dict[str, str] | None = None, cap: float | None = None) -> Run:
    """Wall seconds, peak MB and exit code of ``mlcryst ARGS`` in a fresh process (stopped,
    with everything it started, after ``cap`` seconds)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        cmd = ["/usr/bin/time", "-o", out.name, "-f", "%e %M", sys.executable, "-m", "mlcryst"]
        started = time.perf_counter()
        proc = subprocess.Popen(
            [*cmd, *args],
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            proc.wait(timeout=cap)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return Run(time.perf_counter() - started, float("nan"), -1)
        fields = out.read().split()
    wall, kb = fields[-2:] if len(fields) >= 2 else ("nan", "0")
    return Run(float(wall), int(kb) / 1024, proc.returncode)


def baseline(args: list[str], cap: float) -> Run:
    return run([*args, "--store", "rdflib"], BASELINE_ENV, cap)


def ratio(base: Run | None, new: Run) -> str:
    if base is None:
        return "–"
    if base.code == -1:
        return f"> {base.wall / new.wall:.0f}×"
    if not base.ok:
        return "–"
    return f"{base.wall / new.wall:.1f}×"


def bare_python() -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - t


def corpus(folder: Path, papers: int) -> Path:
    if not (folder / "papers.yaml").exists():
        run(["synth", "--papers", str(papers), "--out", str(folder)])
    return folder


def named_queries() -> list[str]:
    return sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def page_ready(page: Path, shots: Path, wait: float) -> tuple[float, str]:
    """Seconds until the page is ready in Chromium (nan when not within ``wait``), nodes."""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "page.py"),
            str(page),
            "--shots",
            str(shots),
            "--wait",
            str(wait),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    last = [line for line in done.stdout.splitlines() if line.startswith(f"| {page.name}")]
    cells = last[0].strip("|").split("|") if last else []
    return (float(cells[4]) if cells else float("nan")), (cells[2].strip() if cells else "?")


def measure(
    c10k: Path, c100k: Path | None, scratch: Path, shots: Path, cap: float | None
) -> list[Row]:
    """Every row; ``cap`` None: no baseline."""
    rows: list[Row] = []

    # the page and figures at 10k: a fresh build (no persisted graph)
    def build10k(out: str) -> list[str]:
        return ["build", "--data", str(c10k), "--out", str(scratch / out)]

    new = run([*build10k("b10k"), "--store", "oxigraph"], {"MLCRYST_NO_CACHE": "1"})
    base = baseline(build10k("base10k"), cap) if cap else None
    rows.append(
        Row(
            "`mlcryst build` (page and figures) at 10k",
            "336 s",
            "≤ 20 s",
            new.text(),
            base.text() if base else "–",
            ratio(base, new),
            verdict(new.wall <= 20 and new.ok),
        )
    )

    # cold query on the shipped graph against bare Python
    py = min(bare_python() for _ in range(5))
    cold = min((run(["query", "table-1"]) for _ in range(5)), key=lambda r: r.wall)
    cold_base = (
        min((baseline(["query", "table-1"], cap) for _ in range(3)), key=lambda r: r.wall)
        if cap
        else None
    )
    rows.append(
        Row(
            "cold `mlcryst query table-1` on the shipped graph",
            "0.131 s vs 0.013 s bare Python (10×)",
            "≤ 3× bare Python",
            f"{cold.wall:.3f} s vs {py:.3f} s ({cold.wall / py:.1f}×)",
            f"{cold_base.wall:.3f} s ({cold_base.wall / py:.1f}×)" if cold_base else "–",
            ratio(cold_base, cold),
            verdict(cold.wall <= 3 * py and cold.ok),
        )
    )

    # the 10k page in Chromium: grouped (mlcryst) and drawn whole (baseline)
    page = scratch / "b10k" / "mlcryst.html"
    if page.exists():
        ready, nodes = page_ready(page, shots, 300)
        base_text = "–"
        if cap:
            whole = scratch / "whole10k.html"
            made = baseline(["viz", "--data", str(c10k), "--out", str(whole), "--no-group"], cap)
            if made.ok:
                base_ready, base_nodes = page_ready(whole, shots, min(cap, 300))
                base_text = (
                    f"ready in {base_ready:.1f} s, {base_nodes} nodes"
                    if base_ready == base_ready
                    else f"not ready in {min(cap, 300):.0f} s"
                )
            else:
                base_text = f"viz: {made.text()}"
        rows.append(
            Row(
                "the 10k page in Chromium",
                "blank for 65 s, then an unreadable hairball",
                "interactive ≤ 5 s, readable",
                f"ready in {ready:.2f} s, {nodes} nodes drawn ({shots / 'mlcryst.png'})",
                base_text,
                "–",
                verdict(ready <= 5),
            )
        )
    if c100k is None:
        return rows

    # build without the page and figures at 100k
    def build100k(out: str) -> list[str]:
        return ["build", "--data", str(c100k), "--out", str(scratch / out), "--no-visuals"]

    new = run([*build100k("b100k"), "--store", "oxigraph"])
    base = baseline(build100k("base100k"), cap) if cap else None
    rows.append(
        Row(
            "`mlcryst build --no-visuals` at 100k",
            "98.7 s, 3.0 GiB",
            "≤ 30 s, ≤ 2 GB",
            new.text(),
            base.text() if base else "–",
            ratio(base, new),
            verdict(new.wall <= 30 and new.mb <= 2000 and new.ok),
        )
    )

    # named queries, each in a fresh process, from the store the build persisted
    times: dict[str, Run] = {}
    for name in named_queries():
        times[name] = run(["query", name, "--data", str(c100k), "--timeout", "30"])
    wall = {n: (r.wall if r.ok else float("inf")) for n, r in times.items()}  # exit 8: > 30 s
    slow = {n: t for n, t in wall.items() if t > 0.5}
    worst = max(wall.items(), key=lambda kv: kv[1])
    within_5 = len([t for t in wall.values() if t <= 5])
    nt = scratch / "b100k" / "mlcryst.nt"
    one = "papers-per-year"  # the baseline parses the graph for every query: one query
    base = baseline(["query", one, "--graph", str(nt)], cap) if cap and nt.exists() else None
    rows.append(
        Row(
            "every named query from the command line at 100k (cold)",
            "23.7 s, 1.9 GiB (re-parse per call)",
            "≤ 0.5 s each",
            f"{len(wall) - len(slow)} of {len(wall)} ≤ 0.5 s, {within_5} ≤ 5 s; "
            f"{one} {times[one].wall:.2f} s; "
            f"slowest {worst[0]} {worst[1]:.1f} s; peak "
            f"{max(r.mb for r in times.values()):.0f} MB",
            f"{one}: {base.text()}" if base else "–",
            ratio(base, times[one]),
            verdict(not slow),
            {"queries": {n: r.__dict__ for n, r in times.items()}},
        )
    )

    for view, what, issue in (
        ("overview", "`mlcryst viz` at 100k", "316 s, 8.2 GiB, a 205 MB page"),
        ("coauthors", "`mlcryst network --view coauthors` at 100k", "353 s, 7.6 GiB"),
    ):
        if view == "overview":
            out = scratch / "p100k.html"
            args = ["viz", "--data", str(c100k), "--out", str(out)]
        else:
            out = scratch / "co.graphml"
            args = ["network", "--data", str(c100k), "--view", view, "--out", str(out)]
        new = run([*args, "--store", "oxigraph"])
        size = f", {out.stat().st_size / 1e6:.1f} MB file" if out.exists() else ""
        base_args = [a if a != str(out) else str(out.with_stem("base")) for a in args]
        if view == "overview":
            base_args.append("--no-group")
        base = baseline(base_args, cap) if cap else None
        rows.append(
            Row(
                what,
                issue,
                "≤ 60 s, ≤ 2 GB",
                new.text(size),
                base.text() if base else "–",
                ratio(base, new),
                verdict(new.wall <= 60 and new.mb <= 2000 and new.ok),
            )
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--c10k", type=Path, default=Path("corpus-10k"))
    ap.add_argument("--c100k", type=Path, default=Path("corpus-100k"))
    ap.add_argument("--skip-100k", action="store_true")
    ap.add_argument("--cap", type=float, default=600, help="seconds a baseline run may take")
    ap.add_argument("--no-baseline", action="store_true", help="measure mlcryst only")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--shots", type=Path, default=Path("benchmark-shots"))
    args = ap.parse_args()
    c10k = corpus(args.c10k, 10_000)
    c100k = None if args.skip_100k else corpus(args.c100k, 100_000)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        rows = measure(c10k, c100k, Path(tmp), args.shots, None if args.no_baseline else args.cap)
    print(f"load average before: {load:.1f}; after: {os.getloadavg()[0]:.1f} (2 cores)\n")
    print("| path | issue | target | mlcryst | baseline (rdflib + pySHACL) | speed-up | |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r.what} | {r.issue} | {r.target} | {r.measured} | {r.baseline} | {r.ratio} "
            f"| {r.met} |"
        )
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in rows], indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
