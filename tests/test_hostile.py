"""Packages made hostile on purpose: no command writes or reads outside its package, follows a
link out of it, hangs, prints a traceback or makes a network request. Each case checks a
canary file outside the package, untouched and never printed."""

from __future__ import annotations

import csv
import json
import os
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

import kdata
from kdata.cli import cli

from .conftest import Package
from .test_validate import _resource

CANARY = "canary-secret-3f9a"


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    victim = outside / "victim.csv"
    victim.write_text(f"event_id\n{CANARY}\n", encoding="utf-8")
    return victim


def run(*args: object):  # noqa: ANN201
    return CliRunner().invoke(cli, [str(a) for a in args])


def _assert_refused(result, canary: Path) -> None:  # noqa: ANN001
    assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.output and CANARY not in result.output
    assert canary.read_text(encoding="utf-8") == f"event_id\n{CANARY}\n"


@pytest.mark.parametrize("command", ["format", "validate", "diff", "site"])
def test_a_path_out_of_the_package_is_refused_by_every_command(package: Package, canary: Path,
                                                               command: str) -> None:
    _resource(package, "events", path="../elsewhere/victim.csv")
    site = package.root.parent / "site"
    args = {"format": ["format", package.root], "validate": ["validate", package.root],
            "diff": ["diff", kdata.data_path(), package.root],
            "site": ["site", site, "--package", package.root]}[command]
    _assert_refused(run(*args), canary)
    assert not site.exists()


@pytest.mark.parametrize("command", ["format", "validate", "diff", "site"])
def test_an_absolute_path_is_refused(package: Package, canary: Path, command: str) -> None:
    _resource(package, "events", path=str(canary))
    site = package.root.parent / "site"
    args = {"format": ["format", package.root], "validate": ["validate", "--format", "json", package.root],
            "diff": ["diff", kdata.data_path(), package.root],
            "site": ["site", site, "--package", package.root]}[command]
    _assert_refused(run(*args), canary)
    assert not site.exists()


def test_format_does_not_follow_a_symlinked_data_folder(package: Package, canary: Path) -> None:
    import shutil

    outside = canary.parent / "data"
    shutil.move(str(package.root / "data"), outside)
    (package.root / "data").symlink_to(outside, target_is_directory=True)
    before = {p.name: p.read_bytes() for p in outside.iterdir()}
    (outside / "events.csv").write_bytes(before["events.csv"] + b"")  # unchanged content
    result = run("format", package.root)
    assert result.exit_code == 2 and "symbolic link" in result.output
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == before


def test_a_csv_linked_to_a_file_outside_is_neither_read_nor_rewritten(package: Package, canary: Path) -> None:
    (package.root / "data" / "events.csv").unlink()
    (package.root / "data" / "events.csv").symlink_to(canary)
    for args in (["format", package.root], ["validate", "--format", "json", package.root]):
        _assert_refused(run(*args), canary)


def test_a_link_to_proc_environ_is_not_printed(package: Package, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KDATA_TEST_SECRET", CANARY)
    target = Path("/proc/self/environ")
    if not target.exists():
        pytest.skip("no /proc on this system")  # pragma: no cover
    (package.root / "data" / "sites.csv").unlink()
    (package.root / "data" / "sites.csv").symlink_to(target)
    result = run("validate", "--format", "json", package.root)
    assert result.exit_code == 1 and CANARY not in result.output
    assert "unsafe-path" in result.output


def test_a_fifo_schema_does_not_hang(package: Package) -> None:
    fifo = package.root / "schemas" / "fifo.json"
    os.mkfifo(fifo)
    _resource(package, "sites", schema="schemas/fifo.json")
    for args in (["validate", package.root], ["format", package.root], ["diff", kdata.data_path(), package.root]):
        result = run(*args)
        assert result.exit_code in (1, 2) and "Traceback" not in result.output
        assert "regular file" in result.output


@pytest.mark.parametrize("bad", ["data/\x00events.csv", "data/events\n.csv", "http://example.com/e.csv"])
def test_nul_control_characters_and_urls_in_paths_are_one_line(package: Package, bad: str) -> None:
    _resource(package, "events", path=bad)
    for args in (["validate", package.root], ["format", package.root]):
        result = run(*args)
        assert result.exit_code in (1, 2) and "Traceback" not in result.output
        assert "\x00" not in result.output


def test_a_resource_name_that_is_not_a_safe_file_name_is_refused(package: Package, tmp_path: Path) -> None:
    d = package.descriptor
    d["resources"][0]["name"] = "../escape"
    package.write_descriptor(d)
    result = run("validate", package.root)
    assert result.exit_code == 1 and "resource-name" in result.output
    result = run("format", package.root)
    assert result.exit_code == 2 and "table name" in result.output
    assert not (tmp_path / "escape.json").exists()


@pytest.mark.parametrize("text", ['{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", '{"version": NaN}',
                                  '{"version": "1", "version": "2"}', '{"n": ' + "9" * 5000 + "}"])
def test_hostile_json_is_one_line_exit_2(package: Package, text: str) -> None:
    (package.root / "datapackage.json").write_text(text, encoding="utf-8")
    for args in (["validate", package.root], ["format", package.root],
                 ["site", package.root.parent / "site", "--package", package.root]):
        result = run(*args)
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("where", ["package", "resource"])
def test_validation_never_makes_a_network_request(package: Package, monkeypatch: pytest.MonkeyPatch,
                                                  where: str) -> None:
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    d = package.descriptor
    (d if where == "package" else d["resources"][0])["profile"] = "https://example.com/profile.json"
    package.write_descriptor(d)
    report = kdata.validate(package.root)
    assert not report.ok and {p.rule for p in report.errors} == {"profile"}
    assert attempts == []


def test_diff_of_a_broken_new_package_is_one_line(package: Package) -> None:
    rows = package.rows("weapons")
    package.write_rows("weapons", rows + [rows[1]])  # a duplicated key
    result = run("diff", kdata.data_path(), package.root)
    assert result.exit_code == 2 and "appears twice" in result.output
    (package.root / "data" / "sites.csv").write_bytes("site_id\n".encode("utf-16"))
    package.write_bytes("sites", (package.root / "data" / "sites.csv").read_bytes())
    result = run("diff", kdata.data_path(), package.root)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_the_bundled_package_passes_the_path_policy() -> None:
    assert kdata.validate().ok
    assert json.loads(run("validate", "--format", "json").output)["ok"] is True


def test_a_nul_in_a_csv_header_is_reported_escaped(package: Package) -> None:
    path = package.root / "data" / "sites.csv"
    package.write_bytes("sites", path.read_bytes().replace(b"site_id", b"site\x00id", 1))
    for args in (["validate", package.root], ["format", package.root]):
        result = run(*args)
        assert result.exit_code in (1, 2) and "Traceback" not in result.output
        assert "\x00" not in result.output and "site\\x00id" in result.output


def test_site_into_a_file_or_through_a_nul_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("mine", encoding="utf-8")
    result = run("site", target)
    assert result.exit_code == 2 and "is a file" in result.output
    assert target.read_text(encoding="utf-8") == "mine"
    result = run("site", tmp_path / "bad\nname")  # a shell cannot pass NUL; a newline it can
    assert result.exit_code == 2 and "control characters" in result.output
    assert not list(tmp_path.glob("bad*"))


def test_a_destination_with_nul_is_refused_by_the_library(tmp_path: Path) -> None:
    from kdata.paths import UnsafePath
    from kdata.site import build_site

    for write in (lambda d: kdata.export(d, "csv"), build_site):
        with pytest.raises(UnsafePath, match="control characters"):
            write(tmp_path / "bad\x00name")
    assert list(tmp_path.iterdir()) == []


def _one_table(root: Path, header: list[str], rows: list[list[str]], fields: list[dict],
               **schema: object) -> Path:
    """A package of one table ``t`` (data/t.csv) with these fields and schema keys."""
    (root / "data").mkdir()
    with (root / "data/t.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([header, *rows])
    (root / "datapackage.json").write_text(json.dumps({
        "name": "p", "version": "1.0.0",
        "resources": [{"name": "t", "path": "data/t.csv", "schema": {"fields": fields, **schema}}]}))
    return root


#: For each Table Schema type kdata does not load as such: a value of that type, and one not.
OTHER_TYPES = {
    "year": ("2019", "Beijing"),
    "yearmonth": ("2019-02", "2019-13"),
    "datetime": ("2019-02-27T18:30:00Z", "2019-02-30T18:30:00"),
    "time": ("18:30:00", "25:00:00"),
    "duration": ("P1Y2M3DT4H", "P"),
    "geopoint": ("105.85, 21.02", "Hanoi"),
    "object": ('{"a": 1}', "[1, 2]"),
    "array": ("[1, 2]", '{"a": 1}'),
}


@pytest.mark.parametrize("kind", sorted(OTHER_TYPES))
def test_every_table_schema_type_is_checked(tmp_path: Path, kind: str) -> None:
    """"Beijing" in a field of type year passed as valid; each type's lexical form is now
    checked, and only the value that is not of the type is reported."""
    good, bad = OTHER_TYPES[kind]
    root = _one_table(tmp_path, ["id", "value"], [["a", good], ["b", bad]],
                      [{"name": "id", "type": "string"}, {"name": "value", "type": kind}])
    report = kdata.validate(root)
    assert [(p.line, p.column, p.value, p.rule) for p in report.errors] == [(3, "value", bad, "type")]


def test_validation_loads_neither_pandas_nor_pandera_nor_numpy() -> None:
    """A cold ``kdata validate`` pays for the imports it needs (polars, frictionless, click):
    pandas and pandera together cost more than the whole of frictionless's validation, and
    numpy (about a tenth of the command's time) only a file of irregular structure needs."""
    import subprocess
    import sys

    code = ("import sys, kdata; assert kdata.validate().ok; "
            "loaded = [m for m in ('pandas', 'pandera', 'numpy') if m in sys.modules]; "
            "assert not loaded, loaded")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_an_enum_of_numbers_is_reported_not_a_traceback(tmp_path: Path) -> None:
    """A broken enum of integers raised a TypeError while its message was written."""
    root = _one_table(tmp_path, ["n"], [["1"], ["3"]],
                      [{"name": "n", "type": "integer", "constraints": {"enum": [1, 2]}}])
    result = run("validate", root)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert 'data/t.csv:3: n: "3": enum: not one of: 1, 2' in result.output


@pytest.mark.parametrize("pattern", ["(", "(?=a)a", "a{2,1}"])
def test_a_pattern_that_cannot_be_compiled_is_one_problem(tmp_path: Path, pattern: str) -> None:
    """A schema's pattern the regular-expression engine refuses is reported against the
    descriptor, once, and the rest of the package is still checked."""
    root = _one_table(tmp_path, ["s"], [["a"]], [{"name": "s", "type": "string",
                                                  "constraints": {"pattern": pattern}}])
    report = kdata.validate(root)
    assert [(p.file, p.column, p.rule) for p in report.errors] == [("datapackage.json", "s", "pattern")]


@pytest.mark.parametrize("reference, column, rule", [
    ({"resource": "nowhere", "fields": ["id"]}, "x", "foreign-key"),
    ({"resource": "t", "fields": ["nocolumn"]}, "x", "foreign-key"),
    ({"resource": "t", "fields": ["id"]}, "nocolumn", "descriptor"),  # frictionless's own check
])
def test_a_foreign_key_to_nothing_is_reported(tmp_path: Path, reference: dict, column: str,
                                              rule: str) -> None:
    """A foreign key naming a table the package does not have, or a column that neither table
    has, was ignored (so its values were never checked); it is a problem in the descriptor."""
    root = _one_table(tmp_path, ["id", "x"], [["a", "b"]],
                      [{"name": "id", "type": "string"}, {"name": "x", "type": "string"}],
                      foreignKeys=[{"fields": [column], "reference": reference}])
    report = kdata.validate(root)
    assert [(p.file, p.rule) for p in report.errors] == [("datapackage.json", rule)]


def test_the_command_line_reports_frictionless_s_checks_from_its_child(tmp_path: Path) -> None:
    """`kdata validate`, run as a command, checks the descriptor with frictionless in a child
    interpreter: a problem only frictionless sees still reaches the report, as the library
    reports it in process."""
    import subprocess
    import sys

    root = _one_table(tmp_path, ["id", "x"], [["a", "b"]],
                      [{"name": "id", "type": "string"}, {"name": "x", "type": "string"}],
                      foreignKeys=[{"fields": ["nocolumn"], "reference": {"resource": "t",
                                                                          "fields": ["id"]}}])
    in_process = kdata.validate(root).errors
    command = subprocess.run([sys.executable, "-c", "from kdata.cli import main; main()",
                              "validate", str(root)], capture_output=True, text=True)
    assert command.returncode == 1 and [p.rule for p in in_process] == ["descriptor"]
    assert f"datapackage.json: descriptor: {in_process[0].message}" in command.stderr


def test_a_field_type_no_table_schema_has_is_one_problem_not_a_traceback(tmp_path: Path) -> None:
    """frictionless raises, instead of reporting, on a field type it does not know; the
    validator printed its traceback."""
    root = _one_table(tmp_path, ["a"], [["x"]], [{"name": "a", "type": "no-such-type"}])
    result = run("validate", root)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    message = 'Field is not valid: field type "no-such-type" is not supported'
    assert f"datapackage.json: descriptor: {message}" in result.output
    assert [p.rule for p in kdata.validate(root).errors] == ["descriptor"]
