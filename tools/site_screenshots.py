"""Screenshots of the site for the README: the front page and one event page, taken in
headless Chromium at a laptop's width. ``python tools/site_screenshots.py SITE OUT_DIR``
(build SITE first with ``kdata site SITE``)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

PAGES = {"site-front.png": "index.html?type=summit&track=us-dprk",
         "site-event.png": "events/2019-hanoi-summit.html"}


def main(site: Path, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("no Chromium on PATH (apt-get install chromium)")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        page = browser.new_page(viewport={"width": 1100, "height": 760})
        for name, relative in PAGES.items():
            path, mark, query = relative.partition("?")
            page.goto((site / path).as_uri() + mark + query)
            page.screenshot(path=str(out / name))
            print(f"wrote {out / name}")
        browser.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]))
