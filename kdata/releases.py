"""One version per state of the data: the record of released versions and their file hashes.

``releases.json`` (at the root of the repository) lists, for each released version, its date
and the sha256 of ``datapackage.json`` and of every schema and data file. A release version
(``MAJOR.MINOR.PATCH``) must match its record exactly; between releases the version is a
development version (``MAJOR.MINOR.PATCH.devN`` of the next release), which is never
recorded and never cited. So a change to the data or schemas that keeps a released version
number fails the test suite, and a paper that cites a release names exactly one state.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from kdata.package import DESCRIPTOR, DataPackage, open_package

RECORD = "releases.json"


def is_release(version: str) -> bool:
    """A release version has no development suffix."""
    return ".dev" not in version


def file_hashes(package: DataPackage) -> dict[str, str]:
    """sha256 of the descriptor and of every schema and data file, by relative path."""
    paths = [DESCRIPTOR, *(t.path for t in package.tables.values()),
             *(t.schema_path for t in package.tables.values() if t.schema_path)]
    return {p: hashlib.sha256(package.file(p).read_bytes()).hexdigest() for p in sorted(set(paths))}


def read_record(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"releases": {}}


def record_problems(record_path: Path, package_path: str | Path | None = None) -> list[str]:
    """Why the package's files and version disagree with the record (empty when they agree)."""
    package = open_package(package_path)
    releases = read_record(record_path)["releases"]
    version = package.version
    if not is_release(version):
        if version.split(".dev")[0] in releases:
            return [f"{version} is a development version of {version.split('.dev')[0]}, "
                    "which is already released: the next one needs a higher version"]
        return []
    if version not in releases:
        return [f"version {version} is not in {record_path.name}: run tools/record_release.py, or "
                f"make it a development version ({version}.dev1) until it is released"]
    expected, actual = releases[version]["files"], file_hashes(package)
    return [f"{path}: differs from the {version} release; a change to the data needs a new "
            "version (a .devN one until the next release)"
            for path in sorted(expected.keys() | actual.keys()) if expected.get(path) != actual.get(path)]
