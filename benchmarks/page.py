"""The interactive page of a large collection in a real browser: how long until it is usable,
and what it looks like.

Opens each page in Debian's headless chromium (through chromedriver; no network: every
request goes to a closed local port), measures the time from navigation until the page script
says it is ready (the first view drawn, controls live) and the time a click on the largest
node takes to list what it holds, and saves a screenshot.

    python benchmarks/page.py PAGE.html [PAGE.html ...] [--shots DIR]

Prints one row per page: size, nodes and edges drawn, seconds to ready, seconds to the
drill-down list, console errors and the screenshot path.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def start(profile: Path) -> Any:
    """Debian's chromium as the browser tests start it (no network)."""
    sys.path.insert(0, str(ROOT))
    from tests.test_viz_page import start_chromium

    return start_chromium(profile)


def measure(driver: Any, page: Path, shots: Path, wait: float = 300) -> dict[str, Any]:
    from selenium.webdriver.support.ui import WebDriverWait

    start_at = time.perf_counter()
    driver.get(page.resolve().as_uri())
    WebDriverWait(driver, wait, poll_frequency=0.05).until(
        lambda d: d.execute_script("return !!(window.mlcryst && window.mlcryst.ready)")
    )
    ready = time.perf_counter() - start_at
    counts = driver.execute_script(
        "var m = window.mlcryst; return [m.visibleNodeCount(), m.visibleEdgeCount()];"
    )
    shot = shots / (page.stem + ".png")
    driver.save_screenshot(str(shot))
    biggest = driver.execute_script(
        "var n = window.mlcryst.data.nodes, best = 0;"
        "n.forEach(function (x, i) { if ((x.deg || 0) > (n[best].deg || 0)) { best = i; } });"
        "return n[best].iri;"
    )
    click_at = time.perf_counter()
    listed = driver.execute_script(
        "window.mlcryst.select(arguments[0]);"
        "return document.querySelectorAll('#mlc-details .mlc-drill li').length;",
        biggest,
    )
    drill = time.perf_counter() - click_at
    driver.save_screenshot(str(shots / (page.stem + "-clicked.png")))
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    return {
        "page": page.name,
        "MB": page.stat().st_size / 1e6,
        "nodes": counts[0],
        "edges": counts[1],
        "ready_s": ready,
        "drill_s": drill,
        "listed": listed,
        "errors": len(errors),
        "shot": str(shot),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--shots", type=Path, default=Path("."))
    parser.add_argument("--wait", type=float, default=300, help="seconds to wait for ready")
    args = parser.parse_args()
    args.shots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        driver = start(Path(profile))
        try:
            rows = [measure(driver, page, args.shots, args.wait) for page in args.pages]
        finally:
            driver.quit()
    print("| page | MB | nodes | edges | ready, s | drill-down, s | listed | errors | screenshot |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(
            f"| {r['page']} | {r['MB']:.1f} | {r['nodes']} | {r['edges']} | {r['ready_s']:.2f} "
            f"| {r['drill_s']:.3f} | {r['listed']} | {r['errors']} | {r['shot']} |"
        )


if __name__ == "__main__":
    main()
