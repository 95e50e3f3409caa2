"""Speed of ``kdata site`` and of its front page in headless Chromium, against baselines run
in the same invocation.

Prints the build time against validating the same package (the build's first step), then, for
the front page opened from disk: the time until the full list is shown with the script
against the same page with JavaScript off (the script's cost), and the time from a search
keystroke to the next painted frame (the issue's budget: 200 ms). Median and range over
--repeat runs. Needs the ``site`` extra, Playwright and Chromium (``apt-get install chromium``).

    python benchmarks/site.py [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import kdata  # noqa: E402
from kdata.site import build_site  # noqa: E402

KEYSTROKE = """async () => {
  const box = document.getElementById("q");
  const times = [];
  for (const text of ["n", "nu", "nuc", "nucl", "nuclear", ""]) {
    const start = performance.now();
    box.value = text;
    box.dispatchEvent(new Event("input", {bubbles: true}));
    await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
    times.push(performance.now() - start);
  }
  return Math.max(...times);
}"""
#: Milliseconds from navigation to the end of the load event (the script runs before it).
LOADED = "() => performance.getEntriesByType('navigation')[0].loadEventEnd"


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):8.1f} ms  (min {min(values):.1f}, max {max(values):.1f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="kdata-site-bench-"))
    try:
        builds, copies = [], []
        for i in range(max(3, args.repeat // 2)):
            start = time.perf_counter()
            build_site(work / f"site{i}")
            builds.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            kdata.validate()
            copies.append((time.perf_counter() - start) * 1000)
        site = work / "site0"
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        print(f"kdata site build      {spread(builds)}")
        print(f"kdata.validate()       {spread(copies)}   ratio {statistics.median(builds) / statistics.median(copies):.1f}x")
        print(f"site size             {size / 1e6:8.1f} MB  (budget 15 MB)")
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if not chromium:
            print("no Chromium on PATH: browser figures skipped (apt-get install chromium)")
            return 1
        url = (site / "index.html").as_uri()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium)
            loads = {True: [], False: []}
            keys = []
            for _ in range(args.repeat):
                for javascript in (False, True):
                    context = browser.new_context(java_script_enabled=javascript)
                    page = context.new_page()
                    page.goto(url, wait_until="load")
                    loads[javascript].append(page.evaluate(LOADED))
                    if javascript:
                        keys.append(page.evaluate(KEYSTROKE))
                    context.close()
            browser.close()
        print(f"front page, no script {spread(loads[False])}")
        print(f"front page, script    {spread(loads[True])}   ratio "
              f"{statistics.median(loads[True]) / statistics.median(loads[False]):.2f}x  (budget 200 ms)")
        print(f"search keystroke      {spread(keys)}   (budget 200 ms, worst of 6 keystrokes a run)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
