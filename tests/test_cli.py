"""The command line through click's CliRunner: exit codes, messages, and JSON = to_dict()."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import kdata
from kdata.cli import cli

from .conftest import Package
from .test_validate import CASES


@pytest.fixture
def run():
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_version(run) -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.output.strip() == f"kdata {kdata.__version__}"


def test_validate_bundled_exits_0(run) -> None:
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].startswith("valid")


def test_validate_json_is_exactly_the_report(run, package: Package) -> None:
    CASES["impossible_date"](package)
    result = run("validate", package.root, "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output) == kdata.validate(package.root).to_dict()


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_broken_package_exits_1_naming_file_line_and_rule(run, package: Package, name: str) -> None:
    file, line, column, rule = CASES[name](package)
    result = run("validate", package.root)
    assert result.exit_code == 1
    place = file if line is None else f"{file}:{line}"
    expected = [place] + ([column] if column else [])
    assert any(l.startswith(": ".join(expected)) and f": {rule}: " in l for l in result.output.splitlines()), result.output
    assert "Traceback" not in result.output
    assert result.output.strip().splitlines()[-1].endswith(tuple(("file", "files")))  or "error" in result.output.splitlines()[-1]


def test_missing_path_exits_2_with_one_line(run, tmp_path: Path) -> None:
    result = run("validate", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "no such file" in result.output


def test_invalid_json_exits_2(run, package: Package) -> None:
    (package.root / "datapackage.json").write_text("{", encoding="utf-8")
    result = run("validate", package.root)
    assert result.exit_code == 2 and "invalid JSON" in result.output


def test_usage_error_exits_2(run) -> None:
    assert run("validate", "--format", "xml").exit_code == 2


def test_max_errors(run, package: Package) -> None:
    rows = package.rows("events")
    for r in rows[1:5]:
        r[rows[0].index("event_type")] = "party"
    package.write_rows("events", rows)
    result = run("validate", package.root, "--max-errors", "1")
    # Four bad types, and whatever else the changed rows break (a UN decision on a non-UN event)
    total = int(re.search(r"(\d+) errors in", result.output).group(1))
    assert result.exit_code == 1 and total >= 4
    assert result.output.count("enum") == 1 and f"... and {total - 1} more errors" in result.output


def test_path_prints_the_package_folder(run) -> None:
    result = run("path")
    assert (Path(result.output.strip()) / "datapackage.json").is_file()


def test_info_shows_tables_and_citation(run) -> None:
    result = run("info")
    assert result.exit_code == 0
    for name in kdata.load_all():
        assert name in result.output
    assert kdata.cite() in result.output


@pytest.mark.parametrize("fmt", ["text", "apa", "bibtex"])
def test_cite_names_the_version(run, fmt: str) -> None:
    result = run("cite", "--format", fmt)
    assert result.exit_code == 0 and kdata.__version__ in result.output


def test_format_check_and_rewrite(run, package: Package) -> None:
    rows = package.rows("sites")
    package.write_rows("sites", [rows[0]] + rows[1:][::-1])
    assert run("format", package.root, "--check").exit_code == 1
    assert run("format", package.root).exit_code == 0
    assert run("format", package.root, "--check").exit_code == 0


def test_format_refuses_a_structurally_broken_package(run, package: Package) -> None:
    CASES["ragged_long_row"](package)
    before = (package.root / "data/events.csv").read_bytes()
    result = run("format", package.root)
    assert result.exit_code == 2 and "row-length" in result.output
    assert (package.root / "data/events.csv").read_bytes() == before


def test_export_refuses_non_empty_destination(run, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    result = run("export", tmp_path / "out")
    assert result.exit_code == 2 and "--force" in result.output
    assert (tmp_path / "out" / "keep.txt").read_text() == "mine"


def test_codebook_refuses_to_overwrite(run, tmp_path: Path) -> None:
    target = tmp_path / "codebook.md"
    target.write_text("mine")
    assert run("codebook", "-o", target).exit_code == 2
    assert run("codebook", "-o", target, "--force").exit_code == 0
    assert target.read_text().startswith("# Codebook")


def test_diff_of_identical_packages(run) -> None:
    result = run("diff", kdata.data_path(), kdata.data_path())
    assert result.exit_code == 0 and "no differences" in result.output
