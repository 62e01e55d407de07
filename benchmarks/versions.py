"""Compare two versions of mlcryst on one corpus, stage by stage, side by side.

    python benchmarks/versions.py --before OLD_CHECKOUT --after NEW_CHECKOUT --data CORPUS \
        [--repeat 3] [--jobs 2] [--json OUT]

Each version runs in fresh Python processes (``PYTHONPATH=<checkout>/src``), the two
alternating (before, after, before, after, ...) so that a change in the machine's load hits
both alike. One process times the stages of the large-graph path through functions both
versions have: load the data, build the Oxigraph store, validate it (compiled SHACL, ``jobs``
threads), write the outputs; its peak memory is read from the kernel. The table gives the
median of each stage, the ratio after/before and the load average during the run.
``benchmarks/run.py`` compares mlcryst with plain rdflib + pySHACL; this compares mlcryst
with itself.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

#: what one process runs: only functions that every version since the stream builder has
STAGES = r"""
import json, resource, sys, tempfile, time
from mlcryst.load.dataset import load_dataset
from mlcryst.builder.stream import build_store
from mlcryst.shacl.compiled import validate_store
from mlcryst.export.oxigraph_writer import write_outputs

data, jobs = sys.argv[1], int(sys.argv[2])
out = {}
t = time.perf_counter(); ds = load_dataset(data); out["load"] = time.perf_counter() - t
t = time.perf_counter(); store = build_store(ds); out["build"] = time.perf_counter() - t
del ds
t = time.perf_counter(); found = validate_store(store, jobs=jobs)
out["validate"] = time.perf_counter() - t
assert not [v for v in found if v.severity == "Violation"], found[:3]
with tempfile.TemporaryDirectory() as d:
    t = time.perf_counter(); write_outputs(store, d); out["export"] = time.perf_counter() - t
out["peak MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""
ORDER = ("load", "build", "validate", "export", "peak MB")


def run_once(checkout: Path, data: Path, jobs: int) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(checkout / "src"), MLCRYST_NO_CACHE="1")
    done = subprocess.run(
        [sys.executable, "-c", STAGES, str(data), str(jobs)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tempfile.gettempdir(),
    )
    if done.returncode != 0:
        raise SystemExit(f"{checkout}: the run failed:\n{done.stderr[-2000:]}")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def table(before: list[dict[str, float]], after: list[dict[str, float]], load: str) -> str:
    lines = [
        f"load average during the runs: {load}",
        "",
        "| stage | before (median) | after (median) | after / before |",
        "|---|---|---|---|",
    ]
    for key in ORDER:
        b = statistics.median(r[key] for r in before)
        a = statistics.median(r[key] for r in after)
        unit = "" if key == "peak MB" else " s"
        lines.append(f"| {key} | {b:.2f}{unit} | {a:.2f}{unit} | {a / b:.2f} |")
    total_b = statistics.median(sum(r[k] for k in ORDER[:4]) for r in before)
    total_a = statistics.median(sum(r[k] for k in ORDER[:4]) for r in after)
    lines.append(f"| **total** | {total_b:.2f} s | {total_a:.2f} s | {total_a / total_b:.2f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", type=Path, required=True, help="checkout of the old version")
    ap.add_argument("--after", type=Path, required=True, help="checkout of the new version")
    ap.add_argument("--data", type=Path, required=True, help="a corpus (mlcryst synth)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    runs: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
    loads = []
    for i in range(args.repeat):
        for side in ("before", "after"):
            runs[side].append(run_once(getattr(args, side), args.data, args.jobs))
            loads.append(os.getloadavg()[0])
            print(f"run {i + 1} {side}: {json.dumps(runs[side][-1])}", file=sys.stderr)
    load = f"{min(loads):.1f}–{max(loads):.1f} (1-minute, {os.cpu_count()} cores)"
    print(f"corpus {args.data}, jobs={args.jobs}, {args.repeat} runs each, alternating")
    print(table(runs["before"], runs["after"], load), end="")
    if args.json:
        args.json.write_text(json.dumps({"load": load, **runs}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
