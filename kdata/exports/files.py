"""Text exports: the package as downloaded (CSV), CSV for spreadsheets, and typed JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from kdata.exports.metadata import column_descriptions, package_metadata
from kdata.loaders import read_table
from kdata.package import DESCRIPTOR, DataPackage

#: What Excel needs to read a CSV as UTF-8 when it is double-clicked.
BYTE_ORDER_MARK = b"\xef\xbb\xbf"
METADATA_FILE = "metadata.json"


def write_csv(package: DataPackage, stage: Path) -> None:
    """The release as downloaded: datapackage.json, data/ and schemas/, byte for byte."""
    paths = [DESCRIPTOR] + [t.path for t in package.tables.values()]
    paths += [t.schema_path for t in package.tables.values() if t.schema_path]
    for relative in paths:
        target = stage / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(package.file(relative), target)


def write_excel_csv(package: DataPackage, stage: Path) -> None:
    """One CSV per table with a UTF-8 byte-order mark and CRLF line ends, so that Excel shows
    Hangul and dashes as written; plus metadata.json. Not a data package: the hashes would
    differ, so it carries no datapackage.json."""
    for name, table in package.tables.items():
        text = package.file(table.path).read_bytes().decode("utf-8")
        (stage / f"{name}.csv").write_bytes(BYTE_ORDER_MARK + text.replace("\n", "\r\n").encode("utf-8"))
    _write_metadata(package, stage)


def write_json(package: DataPackage, stage: Path) -> None:
    """One JSON file per table in pandas' Table Schema orient, so that
    ``pandas.read_json(path, orient="table")`` restores every type (dates, categories,
    nullable integers); plus metadata.json with the version, licenses and citation."""
    for name in package.tables:
        text = read_table(package, name).to_json(orient="table", index=False, date_format="iso",
                                                 force_ascii=False, double_precision=15)
        (stage / f"{name}.json").write_text(text + "\n", encoding="utf-8")
    _write_metadata(package, stage)


def _write_metadata(package: DataPackage, stage: Path) -> None:
    meta = dict(package_metadata(package))
    tables = {name: {"description": t.description, "columns": column_descriptions(t)}
              for name, t in package.tables.items()}
    (stage / METADATA_FILE).write_text(
        json.dumps({**meta, "tables": tables}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
