"""The coverage statement: every complete class matches its reference list row by row, and the
check fails when the data and the list disagree."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import kdata
from kdata.cli import cli
from kdata.coverage import coverage_classes
from kdata.package import open_package

from .conftest import Package

REPO = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("check_coverage", REPO / "tools" / "check_coverage.py")
check_coverage = importlib.util.module_from_spec(spec)
sys.modules["check_coverage"] = check_coverage  # dataclasses look their module up by name
spec.loader.exec_module(check_coverage)  # type: ignore[union-attr]


def test_every_complete_class_matches_its_reference_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_coverage.main([]) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert "launches:" in out and "0 missing, 0 not in the reference" in out


def test_a_moved_launch_is_missing_and_extra(package: Package, capsys: pytest.CaptureFixture[str]) -> None:
    row = package.find_row("events", "event_id", "2017-hwasong-15-launch")
    package.set_cell("events", row, "start_date", "2017-11-30")
    assert check_coverage.main([str(package.root)]) == 1
    out = capsys.readouterr().out
    assert "missing: 2017-11-29" in out
    assert "not in the reference: 2017-hwasong-15-launch" in out


def test_launches_and_nuclear_tests_are_complete_and_the_rest_selective() -> None:
    classes = {c.name: c for c in coverage_classes(open_package().descriptor)}
    assert classes["launches"].status == "complete"
    assert classes["nuclear-tests"].status == "complete"
    event_types = open_package().table("events").field("event_type").enum
    assert sorted(t for c in classes.values() for t in c.event_types) == sorted(event_types)


def test_info_and_codebook_state_the_coverage() -> None:
    out = CliRunner().invoke(cli, ["info"]).output
    assert "coverage" in out and "complete from 1984-01-01 to 2024-12-31" in out
    assert "## Coverage" in kdata.codebook()


def test_every_reference_row_names_a_source() -> None:
    import csv

    for c in coverage_classes(open_package().descriptor):
        if c.checked_against:
            with (REPO / c.checked_against).open(encoding="utf-8") as f:
                rows = list(csv.DictReader(f))
            assert rows and all(r["source_url"].startswith("http") and r["label"] for r in rows)
