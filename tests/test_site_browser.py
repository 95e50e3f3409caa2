"""The site in a real browser: headless Chromium (Debian's ``chromium``, driven by
Playwright), opening the pages from disk and over ``python -m http.server``.

Every request the pages make is recorded; any to a non-local address fails the test.
Chromium is a system package: ``.ci/run`` installs it with apt-get when it is missing.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import kdata
from kdata.site import build_site

from .conftest import Package

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install '.[test]'")


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("no Chromium on PATH: install it (apt-get install chromium); .ci/run does")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("browser") / "site").dest


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path())
        yield chromium
        chromium.close()


class Visit:
    """A page with its console errors and every URL it asked for."""

    def __init__(self, browser, *, javascript: bool = True) -> None:  # noqa: ANN001
        self.context = browser.new_context(java_script_enabled=javascript,
                                           viewport={"width": 390, "height": 844})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))
        self.context.route("**/*", self._route)

    def _route(self, route) -> None:  # noqa: ANN001
        url = route.request.url
        self.requests.append(url)
        if url.startswith(("file://", "http://127.0.0.1:", "data:")):
            route.continue_()
        else:
            route.abort()

    def open(self, url: str):  # noqa: ANN201
        self.page.goto(url)
        return self.page

    def close(self) -> None:
        assert not self.errors, self.errors
        outside = [u for u in self.requests if not u.startswith(("file://", "http://127.0.0.1:", "data:"))]
        assert not outside, f"requests left the page: {outside}"
        self.context.close()


@pytest.fixture
def visit(browser) -> Iterator[Visit]:  # noqa: ANN001
    v = Visit(browser)
    yield v
    v.close()


def shown(page) -> int:  # noqa: ANN001
    return int(page.locator("#count strong").inner_text())


def expected_count(query: str = "", **filters: str) -> int:
    """What the timeline should show, computed with pandas on the same data: every
    whitespace-separated term in the title or the summary (case-insensitive), and the filters."""
    events = kdata.load_events()
    mask = events["event_id"].notna()
    text_title = events["title"].str.lower()
    text_summary = events["summary"].fillna("").str.lower()
    for term in query.lower().split():
        mask &= text_title.str.contains(term, regex=False) | text_summary.str.contains(term, regex=False)
    if "type" in filters:
        mask &= events["event_type"] == filters["type"]
    if "actor" in filters:
        roles = kdata.load_event_actors()
        mask &= events["event_id"].isin(roles.loc[roles["actor_id"] == filters["actor"], "event_id"])
    if "from" in filters:
        mask &= events["start_date"].dt.year >= int(filters["from"])
    return int(mask.sum())


def test_the_front_page_lists_every_event_and_searches(site: Path, visit: Visit) -> None:
    page = visit.open((site / "index.html").as_uri())
    assert shown(page) == len(kdata.load_events())
    assert page.locator("#events > li").count() == len(kdata.load_events())
    page.fill("#q", "nuclear test")
    assert shown(page) == expected_count("nuclear test") > 0
    assert page.locator("#events > li:not([hidden])").count() == shown(page)
    page.select_option("#type", "summit")
    page.fill("#q", "")
    assert shown(page) == expected_count(type="summit")


def test_filters_live_in_the_address(site: Path, visit: Visit) -> None:
    url = (site / "index.html").as_uri() + "?actor=kim-jong-un&type=summit&from=2018"
    page = visit.open(url)
    assert shown(page) == expected_count(actor="kim-jong-un", type="summit", **{"from": "2018"}) > 0
    page.fill("#q", "xi")
    address = page.evaluate("location.href")
    assert "q=xi" in address and "actor=kim-jong-un" in address


def test_an_event_page_lists_its_sources(site: Path, visit: Visit) -> None:
    page = visit.open((site / "index.html").as_uri())
    page.fill("#q", "hanoi")
    page.locator("#events > li:not([hidden]) a", has_text="Second Trump-Kim summit").first.click()
    assert page.url.endswith("events/2019-hanoi-summit.html")
    sources = kdata.load_event_sources().query("event_id == '2019-hanoi-summit'")
    titles = kdata.load_publications().set_index("publication_id").loc[sources["publication_id"], "title"]
    items = page.locator("ol.sources > li")
    assert items.count() == len(sources)
    listed = "\n".join(items.all_inner_texts())
    assert all(title in listed for title in titles)
    assert page.locator("img[alt]").count() == 1  # the small map


def test_the_map_has_one_marker_per_site(site: Path, visit: Visit) -> None:
    page = visit.open((site / "map.html").as_uri())
    sites = kdata.load_sites().dropna(subset=["latitude", "longitude"])
    markers = page.locator("a.marker")
    assert markers.count() == len(sites)
    assert sorted(markers.evaluate_all("ms => ms.map(m => m.dataset.site)")) == sorted(sites["site_id"])
    page.locator('a.marker[data-site="panmunjom"]').focus()  # by keyboard: circles overlap
    page.keyboard.press("Enter")
    assert page.url.endswith("#site-panmunjom")
    assert page.locator("#site-panmunjom li").count() == int((kdata.load_events()["site_id"] == "panmunjom").sum())


def test_the_tracker_shows_a_package_item_by_item(site: Path, visit: Visit) -> None:
    package_id = "six-party-joint-statement-2005"
    page = visit.open((site / f"proposals/{package_id}.html").as_uri())
    proposals = kdata.load_proposals().query("package_id == @package_id")
    rows = page.locator("tr[data-proposal]")
    assert sorted(rows.evaluate_all("rs => rs.map(r => r.dataset.proposal)")) == sorted(proposals["proposal_id"])
    for _, item in proposals.iterrows():
        status = page.locator(f'tr[id="{item["proposal_id"]}"] td.status').inner_text()
        assert status == item["status"].replace("-", " ")


def test_pages_read_without_javascript(site: Path, browser) -> None:  # noqa: ANN001
    visit = Visit(browser, javascript=False)
    page = visit.open((site / "index.html").as_uri() + "?type=summit")
    assert page.locator("#events > li:visible").count() == len(kdata.load_events())
    visit.close()


def test_the_site_works_served_over_http(site: Path, visit: Visit) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        page = visit.open(f"http://127.0.0.1:{server.server_address[1]}/index.html?type=summit")
        assert shown(page) == expected_count(type="summit")
        page.click("text=About")
        assert "How to cite" in page.content()
    finally:
        server.shutdown()


def test_a_script_in_the_data_shows_as_text(package: Package, tmp_path: Path, browser) -> None:  # noqa: ANN001
    from kdata.canonical import format_package

    row = package.find_row("events", "event_id", "2019-hanoi-summit")
    package.set_cell("events", row, "summary", "<script>alert('x')</script><img src=x onerror=alert(1)>")
    format_package(package.root)
    dest = build_site(tmp_path / "site", package.root).dest
    visit = Visit(browser)
    page = visit.open((dest / "events/2019-hanoi-summit.html").as_uri())
    assert "<script>alert('x')</script>" in page.inner_text("main")
    front = visit.open((dest / "index.html").as_uri())
    front.fill("#q", "onerror")
    assert shown(front) == 1
    visit.close()  # no dialog opened, no console error
