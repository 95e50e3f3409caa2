"""One version per state of the data: releases.json pins every released version's files, and a
change that keeps a released version number fails here."""

from __future__ import annotations

import json
from pathlib import Path

from kdata.package import open_package
from kdata.releases import RECORD, file_hashes, record_problems

from .conftest import Package

REPO = Path(__file__).resolve().parent.parent


def test_the_package_agrees_with_the_release_record() -> None:
    assert record_problems(REPO / RECORD, REPO) == []


def test_every_recorded_release_lists_its_files() -> None:
    releases = json.loads((REPO / RECORD).read_text(encoding="utf-8"))["releases"]
    assert "0.2.0" in releases
    for version, entry in releases.items():
        assert ".dev" not in version
        assert "datapackage.json" in entry["files"] and any(p.startswith("data/") for p in entry["files"])


def _released(package: Package, tmp_path: Path, version: str = "9.9.9") -> Path:
    """Give the copy a release version and record its files as that release."""
    d = package.descriptor
    d["version"] = version
    package.write_descriptor(d)
    record = tmp_path / RECORD
    files = file_hashes(open_package(package.root))
    record.write_text(json.dumps({"releases": {version: {"date": "2026-01-01", "files": files}}}))
    return record


def test_a_data_edit_under_a_released_version_fails(package: Package, tmp_path: Path) -> None:
    record = _released(package, tmp_path)
    assert record_problems(record, package.root) == []
    package.set_cell("events", 0, "title", "Another title")
    problems = record_problems(record, package.root)
    assert any(p.startswith("data/events.csv: differs from the 9.9.9 release") for p in problems)


def test_an_unrecorded_release_version_fails(package: Package, tmp_path: Path) -> None:
    record = _released(package, tmp_path)
    d = package.descriptor
    d["version"] = "9.9.10"
    package.write_descriptor(d)
    assert "not in releases.json" in record_problems(record, package.root)[0]


def test_a_development_version_after_its_release_fails(package: Package, tmp_path: Path) -> None:
    record = _released(package, tmp_path)
    d = package.descriptor
    d["version"] = "9.9.9.dev3"
    package.write_descriptor(d)
    assert "already released" in record_problems(record, package.root)[0]
