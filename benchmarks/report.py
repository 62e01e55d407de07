"""The benchmark's figures as Markdown tables (``python benchmarks/run.py --table JSON``)."""

from __future__ import annotations

import os
import platform
import time
from typing import Any


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
        for label, keep in (("load + build + validate + export", pipeline), ("end to end", None)):
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
            ran = bool(sides["baseline"])
            base = f"{sums['baseline']:.1f}" if ran else "–"
            base_mb = f"{peaks['baseline']:.0f}" if ran else "–"
            ratio = f"{sums['baseline'] / sums['mlcryst']:.1f}×" if ran else "–"
            lines.append(
                f"| {size} | **{label}** | {sums['mlcryst']:.1f} | "
                f"{peaks['mlcryst']:.0f} | {base} | {base_mb} | {ratio} |"
            )
    return "\n".join(lines)
