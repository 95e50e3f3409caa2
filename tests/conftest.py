"""Shared fixtures: a writable copy of the bundled package, and helpers that break it."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest

from kdata.package import data_path

ROOT = data_path()


def copy_package(dest: Path) -> Path:
    """Copy datapackage.json, data/ and schemas/ of the bundled package into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "datapackage.json", dest / "datapackage.json")
    shutil.copytree(ROOT / "data", dest / "data")
    shutil.copytree(ROOT / "schemas", dest / "schemas")
    return dest


class Package:
    """A writable package with small, explicit ways to break it."""

    def __init__(self, root: Path):
        self.root = root

    @property
    def descriptor(self) -> dict:
        return json.loads((self.root / "datapackage.json").read_text(encoding="utf-8"))

    def write_descriptor(self, descriptor: dict) -> None:
        (self.root / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")

    def rows(self, table: str) -> list[list[str]]:
        text = (self.root / "data" / f"{table}.csv").read_text(encoding="utf-8")
        return list(csv.reader(io.StringIO(text, newline="")))

    def write_rows(self, table: str, rows: list[list[str]]) -> None:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        self.write_bytes(table, buffer.getvalue().encode("utf-8"))

    def write_bytes(self, table: str, data: bytes) -> None:
        """Replace a table's file and refresh its hash, so only the intended fault remains."""
        (self.root / "data" / f"{table}.csv").write_bytes(data)
        descriptor = self.descriptor
        for resource in descriptor["resources"]:
            if resource["name"] == table:
                resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
                resource["bytes"] = len(data)
        self.write_descriptor(descriptor)

    def set_cell(self, table: str, row: int, column: str, value: str) -> int:
        """Set one cell (row 0 = first data row) and return its line number in the file."""
        rows = self.rows(table)
        rows[row + 1][rows[0].index(column)] = value
        self.write_rows(table, rows)
        return row + 2

    def find_row(self, table: str, column: str, value: str) -> int:
        rows = self.rows(table)
        i = rows[0].index(column)
        return next(n for n, r in enumerate(rows[1:]) if r[i] == value)


@pytest.fixture
def package(tmp_path: Path) -> Package:
    return Package(copy_package(tmp_path / "pkg"))
