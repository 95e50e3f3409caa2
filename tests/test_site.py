"""``kdata site``: what the static site holds, that it is well-formed HTML, deterministic,
escaped, and refused on bad input. The browser tests are in test_site_browser.py."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner

import kdata
from kdata.cli import cli
from kdata.site import build_site

from .conftest import Package, copy_package

#: The issue's budget: the whole site for the data of its day (2.1.0, about 3,550 pages) under
#: 15 MB. The record grows by its pages, so the budget is held per page: the site, downloads
#: included, averages no more per page than 15 MB over those 3,550.
MAX_BYTES_PER_PAGE = 15_000_000 // 3_550


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("site") / "site").dest


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_page_for_every_record(site: Path) -> None:
    assert {p.stem for p in (site / "events").glob("*.html")} == set(kdata.load_events()["event_id"])
    assert {p.stem for p in (site / "actors").glob("*.html")} == set(kdata.load_actors()["actor_id"])
    assert ({p.stem for p in (site / "publications").glob("*.html")}
            == set(kdata.load_publications()["publication_id"]))
    assert ({p.stem for p in (site / "proposals").glob("*.html")}
            == set(kdata.load_proposals()["package_id"]))
    for page in ("index", "map", "proposals", "actors", "publications", "about"):
        assert (site / f"{page}.html").is_file()


def test_the_downloads_are_the_package_as_released(site: Path) -> None:
    from kdata.package import data_path

    for table in kdata.load_all():
        assert ((site / "downloads/package/data" / f"{table}.csv").read_bytes()
                == (data_path() / "data" / f"{table}.csv").read_bytes())
    import sqlite3
    import zipfile

    with zipfile.ZipFile(site / f"downloads/kdata-{kdata.__version__}-sqlite.zip") as archive:
        (site / "unpacked.sqlite").write_bytes(archive.read("kdata.sqlite"))
    try:
        connection = sqlite3.connect(site / "unpacked.sqlite")
        count = connection.execute("SELECT count(*) FROM events").fetchone()[0]
        connection.close()
    finally:
        (site / "unpacked.sqlite").unlink()
    assert count == len(kdata.load_events())
    about = (site / "about.html").read_text(encoding="utf-8")
    assert 'href="downloads/package/datapackage.json"' in about
    assert kdata.__version__ in about


def test_the_site_fits_its_size_budget(site: Path) -> None:
    """A page does not grow heavier as the record grows (the site passed 15 MB at 2.35.0 with
    about 4,140 pages, 3.6 KB a page with the downloads, as at 2.1.0)."""
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    pages = sum(1 for _ in site.rglob("*.html"))
    assert size / pages < MAX_BYTES_PER_PAGE


def test_the_same_package_gives_the_same_bytes(site: Path, tmp_path: Path) -> None:
    assert digest(build_site(tmp_path / "again").dest) == digest(site)


class Outline:
    """What the accessibility checks need from a page, from html5lib's strict parse."""

    def __init__(self, text: str) -> None:
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        self.tree = parser.parse(text)  # raises on any parse error

    def all(self, tag: str) -> list:
        return list(self.tree.iter(tag))


def test_every_page_is_well_formed_and_accessible(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 3000
    for page in pages:
        where = page.relative_to(site)
        text = page.read_text(encoding="utf-8")
        try:
            outline = Outline(text)
        except html5lib.html5parser.ParseError as exc:
            pytest.fail(f"{where}: not valid HTML5: {exc}")
        assert text.startswith("<!DOCTYPE html>"), where
        titles = outline.all("title")
        assert len(titles) == 1 and titles[0].text.strip(), f"{where}: no title"
        levels = [int(h.tag[1]) for h in outline.tree.iter()
                  if isinstance(h.tag, str) and re.fullmatch(r"h[1-6]", h.tag)]
        assert levels and levels[0] == 1 and levels.count(1) == 1, f"{where}: one h1 first"
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), f"{where}: headings skip a level"
        labelled = {label.get("for") for label in outline.all("label")}
        for control in outline.all("input") + outline.all("select"):
            assert control.get("id") in labelled, f"{where}: {control.get('id')} has no label"
        for image in outline.all("img"):
            assert image.get("alt"), f"{where}: an image without alt text"


def test_nothing_is_loaded_from_elsewhere(site: Path) -> None:
    """Scripts, styles and images come from the site folder; only links to sources go out."""
    loaded = re.compile(r'<(?:script|img|link|iframe|source)\b[^>]*?(?:src|href)="([^"]*)"')
    for page in site.rglob("*.html"):
        for url in loaded.findall(page.read_text(encoding="utf-8")):
            assert "//" not in url and not url.startswith("/"), f"{page.name} loads {url}"
    for name in ("site.css", "site.js"):
        assert "http" not in (site / "static" / name).read_text(encoding="utf-8")


def test_text_from_the_data_is_escaped(package: Package, tmp_path: Path) -> None:
    from kdata.canonical import format_package

    row = package.find_row("events", "event_id", "2019-hanoi-summit")
    package.set_cell("events", row, "summary", "<script>alert('x')</script> & <b>bold</b>")
    format_package(package.root)
    dest = build_site(tmp_path / "site", package.root).dest
    page = (dest / "events/2019-hanoi-summit.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "<script>alert" not in page and "<b>bold" not in page


def test_an_invalid_package_is_refused_and_nothing_written(package: Package, tmp_path: Path) -> None:
    row = package.find_row("events", "event_id", "2019-hanoi-summit")
    package.set_cell("events", row, "start_date", "2019-02-30")
    dest = tmp_path / "site"
    result = CliRunner().invoke(cli, ["site", str(dest), "--package", str(package.root)])
    assert result.exit_code == 1
    assert "events.csv" in result.output and "2019-02-30" in result.output
    assert "Traceback" not in result.output
    assert not dest.exists()


def test_a_non_empty_destination_needs_force(tmp_path: Path) -> None:
    dest = tmp_path / "site"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["site", str(dest)])
    assert result.exit_code == 2
    assert "--force" in result.output
    assert (dest / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_the_command_reports_what_it_wrote(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["site", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"wrote .*site: \d+ pages, \d+ files, \d+\.\d MB\n", result.output)


def test_an_id_that_cannot_name_a_page_is_refused(package: Package, tmp_path: Path) -> None:
    """A package whose schemas allow any event id is valid, but ``../x`` may not name a file."""
    import json

    for schema in (package.root / "schemas").glob("*.json"):
        data = json.loads(schema.read_text(encoding="utf-8"))
        for field in data["fields"]:
            if field["name"] == "event_id":
                field.get("constraints", {}).pop("pattern", None)
        schema.write_text(json.dumps(data, indent=2), encoding="utf-8")
    for csv_file in (package.root / "data").glob("*.csv"):
        text = csv_file.read_text(encoding="utf-8")
        csv_file.write_text(text.replace("2019-hanoi-summit,", "../../escape,"), encoding="utf-8")
    from kdata.canonical import format_package

    format_package(package.root)
    assert kdata.validate(package.root).ok
    dest = tmp_path / "out" / "site"
    result = CliRunner().invoke(cli, ["site", str(dest), "--package", str(package.root)])
    assert result.exit_code == 2
    assert "../../escape" in result.output and "cannot name a page" in result.output
    assert not (tmp_path / "escape.html").exists() and not dest.exists()


def test_site_is_copied_with_a_package_path(tmp_path: Path) -> None:
    root = copy_package(tmp_path / "pkg")
    dest = build_site(tmp_path / "site", root / "datapackage.json").dest
    assert (dest / "index.html").is_file()
