"""How the benchmark measures: wall time and peak memory of a stage, a query, a command.

Time is wall-clock (``time.perf_counter``). Memory is the peak resident set size of the
process during the stage, sampled from ``/proc/self/statm`` every 10 ms by a thread; it
includes what the process already holds (e.g. the graph built by an earlier stage), which is
what a user running the pipeline pays. Work run in a forked child (queries, pySHACL, the
baseline export) adds the child's own peak (``VmHWM``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss() -> int:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * PAGE


def _hwm() -> int:
    """Peak RSS of this process so far (VmHWM), in bytes."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


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


class Stages:
    """The figures of one side of one size, stage after stage (``records``)."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self._child_peak = 0

    def in_child(self, fn: Callable[[], Any], cap: float, what: str) -> Any:
        """``fn()`` in a forked child under a time limit (as user queries run); the child's
        peak RSS counts towards the stage's figure."""
        from mlcryst.bounded import run_limited

        value, hwm = run_limited(lambda: (fn(), _hwm()), timeout=cap, memory_mb=0, what=what)
        self._child_peak = max(self._child_peak, hwm)
        return value

    def _record(self, stage: str, seconds: float, peak: float, status: str, note: str) -> None:
        self.records.append(
            {
                "stage": stage,
                "seconds": seconds,
                "peak_mb": max(peak, self._child_peak) / 2**20,
                "status": status,
                "note": note,
            }
        )

    def measure(self, stage: str, fn: Callable[[], Any], note: str = "") -> Any:
        """Run one stage; a stopped or failed stage is a figure too (its status says why)."""
        self._child_peak = 0
        with Peak() as peak:
            start = time.perf_counter()
            try:
                value = fn()
                status = "ok"
            except Exception as exc:
                value, status = None, f"{type(exc).__name__}: {str(exc)[:120]}"
            seconds = time.perf_counter() - start
        self._record(stage, seconds, peak.peak, status, note)
        last = self.records[-1]
        print(
            f"  {stage:38} {seconds:9.3f} s {last['peak_mb']:8.0f} MB  {status} {note}",
            file=sys.stderr,
            flush=True,
        )
        return value

    def query(self, name: str, once: Callable[[], int], cap: float, repeat: int = 5) -> None:
        """The median of up to ``repeat`` runs of ``once`` (fewer when one run is long)."""
        self._child_peak = 0
        times: list[float] = []
        rows: int | None = None
        status = "ok"
        with Peak() as peak:
            try:
                for _ in range(repeat):
                    start = time.perf_counter()
                    rows = once()
                    times.append(time.perf_counter() - start)
                    if sum(times) > cap / 2:
                        break
            except Exception as exc:
                times, rows, status = [cap], None, type(exc).__name__
        seconds = statistics.median(times)
        note = f"median of {len(times)}, {rows} rows"
        self._record(f"query {name}", seconds, peak.peak, status, note)
        print(
            f"  query {name:32} {seconds:9.3f} s  {status} ({len(times)} runs, {rows} rows)",
            file=sys.stderr,
            flush=True,
        )


def run_command(cmd: list[str]) -> tuple[float, float, str]:
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
    mlcryst = [sys.executable, "-m", "mlcryst.cli.main"]
    cases = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("mlcryst --help", [*mlcryst, "--help"]),
        ("mlcryst query papers-per-year", [*mlcryst, "query", "papers-per-year"]),
        (
            "mlcryst query papers-per-year --store rdflib",
            [*mlcryst, "query", "papers-per-year", "--store", "rdflib"],
        ),
    ]
    run_command(cases[2][1])  # fill the cache
    for label, cmd in cases:
        times, peaks = [], []
        for _ in range(repeat):
            seconds, peak, _ = run_command(cmd)
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
