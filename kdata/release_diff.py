"""``kdata diff``: what changed between two versions of the package, table by table."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kdata.errors import PackageUnreadable
from kdata.package import DataPackage, Table, open_package


@dataclass
class TableDiff:
    """Rows added and removed (by primary key), cells changed, and schema changes."""

    table: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[dict[str, str]] = field(default_factory=list)
    schema: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.schema)


@dataclass
class PackageDiff:
    """The difference between two versions of a package."""

    old_version: str
    new_version: str
    tables: list[TableDiff] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"old_version": self.old_version, "new_version": self.new_version,
                "tables": [asdict(t) for t in self.tables if not t.empty]}

    def to_text(self) -> str:
        """A readable summary, usable as the data section of a CHANGELOG entry."""
        lines = [f"kdata {self.old_version} → {self.new_version}"]
        for t in self.tables:
            if t.empty:
                continue
            lines.append(f"\n{t.table}: {len(t.added)} added, {len(t.removed)} removed, "
                         f"{len(t.changed)} cells changed")
            lines += [f"  schema: {s}" for s in t.schema]
            lines += [f"  + {k}" for k in t.added]
            lines += [f"  - {k}" for k in t.removed]
            lines += [f"  ~ {c['key']} {c['column']}: {c['old']!r} → {c['new']!r}" for c in t.changed]
        if len(lines) == 1:
            lines.append("no differences")
        return "\n".join(lines)


def diff(old: str | Path, new: str | Path) -> PackageDiff:
    """Compare two packages (folders or descriptors), cell by cell, as text."""
    a, b = open_package(old), open_package(new)
    result = PackageDiff(a.version, b.version)
    for name in list(dict.fromkeys([*a.tables, *b.tables])):
        t = TableDiff(name)
        if name not in a.tables:
            t.schema.append("table added")
            t.added = sorted(_keys(b, b.tables[name]))
        elif name not in b.tables:
            t.schema.append("table removed")
            t.removed = sorted(_keys(a, a.tables[name]))
        else:
            t.schema = _schema_changes(a.tables[name], b.tables[name])
            _row_changes(a, b, name, t)
        result.tables.append(t)
    return result


def _schema_changes(old: Table, new: Table) -> list[str]:
    changes = []
    old_fields = {f.name: f for f in old.fields}
    new_fields = {f.name: f for f in new.fields}
    changes += [f"column {n} added" for n in new_fields if n not in old_fields]
    changes += [f"column {n} removed" for n in old_fields if n not in new_fields]
    for n in old_fields.keys() & new_fields.keys():
        if old_fields[n] != new_fields[n]:
            before, after = asdict(old_fields[n]), asdict(new_fields[n])
            what = sorted(k for k in before if before[k] != after[k])
            changes.append(f"column {n} changed ({', '.join(what)})")
    if old.primary_key != new.primary_key:
        changes.append(f"primary key {list(old.primary_key)} → {list(new.primary_key)}")
    return sorted(changes)


def _text_frame(package: DataPackage, table: Table):  # type: ignore[no-untyped-def]
    """The table's cells as text, indexed by its primary key; a file that cannot be compared
    (not UTF-8, ragged, empty, a key missing or repeated) is one line of PackageUnreadable."""
    import pandas as pd

    path = package.file(table.path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise PackageUnreadable(f"{table.path}: cannot be compared ({exc.__class__.__name__}); "
                                "run `kdata validate` on the package") from None
    if table.primary_key:
        missing = [c for c in table.primary_key if c not in frame.columns]
        if missing:
            raise PackageUnreadable(f"{table.path}: has no column {missing[0]!r} of its primary key")
        frame.index = frame[list(table.primary_key)].agg("|".join, axis=1)
        repeated = frame.index[frame.index.duplicated()]
        if len(repeated):
            raise PackageUnreadable(f"{table.path}: the key {repeated[0]!r} appears twice; "
                                    "run `kdata validate` on the package")
    return frame


def _keys(package: DataPackage, table: Table) -> list[str]:
    """The primary keys of a table's rows (its line numbers where it declares no key)."""
    frame = _text_frame(package, table)
    return list(frame.index) if table.primary_key else [str(i + 2) for i in range(len(frame))]


def _row_changes(a: DataPackage, b: DataPackage, name: str, t: TableDiff) -> None:
    old_table, new_table = a.tables[name], b.tables[name]
    if old_table.primary_key != new_table.primary_key or not new_table.primary_key:
        return
    old, new = _text_frame(a, old_table), _text_frame(b, new_table)
    t.added = sorted(set(new.index) - set(old.index))
    t.removed = sorted(set(old.index) - set(new.index))
    common = sorted(set(old.index) & set(new.index))
    columns = [c for c in new.columns if c in old.columns]
    before = old.loc[common, columns].to_numpy()
    after = new.loc[common, columns].to_numpy()
    rows, cols = np.nonzero(before != after)  # row-major: key by key, then column by column
    t.changed = [{"key": common[r], "column": columns[c], "old": before[r, c], "new": after[r, c]}
                 for r, c in zip(rows, cols)]
