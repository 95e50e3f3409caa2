"""``kdata site``: the whole record as static HTML pages that open from a folder or any static
host, with no server and no request leaving the page.

Every page is pre-rendered, so it reads with JavaScript off; one small script (``site.js``,
written here) adds the timeline's filters and search. Text from the data is escaped by the
templates (Jinja2 with autoescaping). The maps are SVG drawn from the coastlines of the
``plot`` extra. The build is deterministic: the same package gives byte-identical files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kdata.atomic import staged_destination
from kdata.errors import KdataError, import_extra
from kdata.validation.report import Report


class InvalidPackage(KdataError):
    """The package does not validate; the site is built only from valid data."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.summary())
        self.report = report


@dataclass(frozen=True)
class SiteResult:
    """Where the site was written, and how many pages and files it holds."""

    dest: Path
    pages: int
    files: int
    size: int


def require() -> None:
    """Fail now, before anything is read or written, if the ``site`` extra is missing."""
    import_extra("jinja2", "jinja2", "kdata site", "site")
    from kdata.figures.coastlines import data_dir

    data_dir()


def build_site(dest: str | Path, path: str | Path | None = None, *, force: bool = False) -> SiteResult:
    """Write the site of the package at ``path`` (bundled by default) to the folder ``dest``.

    The package is validated first: an invalid one raises ``InvalidPackage`` (with the
    report) and nothing is written. A non-empty ``dest`` is refused unless ``force``; a
    failure leaves ``dest`` as it was.
    """
    require()
    from kdata.package import open_package
    from kdata.site.pages import render_site
    from kdata.validation import validate

    report = validate(path)
    if not report.ok:
        raise InvalidPackage(report)
    package = open_package(path)
    dest = Path(dest)
    with staged_destination(dest, force) as stage:
        files = render_site(package, stage)
    pages = sum(1 for name in files if name.endswith(".html"))
    size = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    return SiteResult(dest, pages, len(files), size)
