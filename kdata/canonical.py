"""``kdata format``: rewrite a package's CSVs in canonical form and refresh its hashes.

Canonical form: columns in the schema's order, rows sorted by primary key, UTF-8 without BOM,
LF line endings, minimal quoting. Cells are copied as text, never re-parsed, so no value can
change; a package that does not validate structurally is refused rather than guessed at.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kdata.atomic import write_files_atomic
from kdata.errors import KdataError, PackageUnreadable
from kdata.package import open_package, read_json, resolve_descriptor
from kdata.paths import UnsafePath
from kdata.validation.csvtext import read_text_table
from kdata.validation.report import Problem

#: Structural problems that `format` cannot repair without guessing.
BLOCKING_RULES = frozenset({
    "encoding", "csv-syntax", "row-length", "blank-row", "empty-file",
    "header-duplicate", "header-extra", "header-missing",
})


class NotFormattable(KdataError):
    """The package is structurally broken, so rewriting it could lose data."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"refusing to format: {len(problems)} structural problem(s); "
                         "fix them first (see `kdata validate`)")


@dataclass
class FormatResult:
    """Files that differ from canonical form (and were rewritten, unless only checking)."""

    changed: list[str] = field(default_factory=list)
    written: bool = False


def canonical_csv(header: list[str], rows: list[list[str]]) -> bytes:
    """Serialise rows as canonical CSV bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def format_package(path: str | Path = ".", *, check: bool = False) -> FormatResult:
    """Bring the package at ``path`` to canonical form; with ``check``, only report."""
    descriptor_path = resolve_descriptor(path)
    package = open_package(descriptor_path)
    outputs: dict[Path, bytes] = {}
    blocking: list[Problem] = []
    for table in package.tables.values():
        try:
            file = package.file(table.path)
        except UnsafePath:
            raise
        except PackageUnreadable:
            blocking.append(Problem(table.path, None, None, None, "missing-file", "no such file", table.name))
            continue
        text = read_text_table(file.read_bytes(), table.path, table.name, table.field_names)
        blocking += [p for p in text.problems if p.rule in BLOCKING_RULES]
        if text.frame is None or any(p.file == table.path for p in blocking):
            continue
        frame = text.frame.select(table.field_names)
        if table.primary_key:
            frame = frame.sort(list(table.primary_key), maintain_order=True)
        outputs[file] = canonical_csv(table.field_names, frame.rows())
    if blocking:
        raise NotFormattable(blocking)

    descriptor = read_json(descriptor_path)
    for resource in descriptor.get("resources", []):
        data = outputs.get(package.file(resource["path"]))
        if data is not None:
            resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
            resource["bytes"] = len(data)
    outputs[descriptor_path] = dump_descriptor(descriptor)

    result = FormatResult()
    for file, data in outputs.items():
        if file.read_bytes() != data:
            result.changed.append(str(file.relative_to(package.root)))
    if not check:  # all files or none, the descriptor (which holds their hashes) last
        changed = [(f, d) for f, d in outputs.items() if str(f.relative_to(package.root)) in result.changed]
        changed.sort(key=lambda item: item[0] == descriptor_path)
        write_files_atomic(changed)
        result.written = bool(result.changed)
    return result


def dump_descriptor(descriptor: dict[str, Any]) -> bytes:
    """The descriptor as canonical JSON: two-space indent, UTF-8, final newline."""
    return (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

