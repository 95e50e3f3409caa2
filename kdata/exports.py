"""``kdata export``: the package in other formats, written to a staging folder and moved into
place only when complete, so that a failure leaves nothing behind."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from kdata.atomic import staged_destination
from kdata.canonical import dump_descriptor
from kdata.errors import import_extra
from kdata.loaders import load
from kdata.package import DESCRIPTOR, DataPackage, Field, Table, open_package
from kdata.types import DATE_FORMAT

FORMATS = ("csv", "parquet", "sqlite", "json")
SQLITE_FILE = "kdata.sqlite"


def export(dest: str | Path, fmt: str = "csv", *, force: bool = False) -> Path:
    """Write the bundled package to the folder ``dest`` as ``fmt`` and return ``dest``.

    A non-empty ``dest`` is refused unless ``force``; a failure leaves ``dest`` as it was.
    """
    writers: dict[str, Callable[[DataPackage, Path], None]] = {
        "csv": _write_csv, "parquet": _write_parquet, "sqlite": _write_sqlite, "json": _write_json,
    }
    if fmt not in writers:
        raise ValueError(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")
    if fmt == "parquet":
        import_extra("pyarrow", "pyarrow", "this", "parquet")
    package = open_package()
    dest = Path(dest)
    with staged_destination(dest, force) as stage:
        writers[fmt](package, stage)
    return dest


def _write_csv(package: DataPackage, stage: Path) -> None:
    """The release as downloaded: datapackage.json, data/ and schemas/, byte for byte."""
    files = [DESCRIPTOR] + [t.path for t in package.tables.values()]
    files += [t.schema_path for t in package.tables.values() if t.schema_path]
    for relative in files:
        target = stage / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(package.file(relative), target)


def _write_parquet(package: DataPackage, stage: Path) -> None:
    """One Parquet file per table: dates as date32, categories as dictionaries."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    for name, table in package.tables.items():
        arrow = pa.Table.from_pandas(load(name), preserve_index=False)
        for f in table.fields:
            if f.type == "date":
                i = arrow.schema.get_field_index(f.name)
                arrow = arrow.set_column(i, f.name, arrow.column(i).cast(pa.date32()))
        pq.write_table(arrow, stage / f"{name}.parquet")


def _write_json(package: DataPackage, stage: Path) -> None:
    """One JSON array of records per table (ISO dates, null for missing), and the descriptor."""
    for name, table in package.tables.items():
        frame = load(name)
        for f in table.fields:
            if f.type == "date":
                frame[f.name] = frame[f.name].dt.strftime(DATE_FORMAT)
        records = json.loads(frame.to_json(orient="records", force_ascii=False, double_precision=15))
        (stage / f"{name}.json").write_text(
            json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (stage / DESCRIPTOR).write_bytes(dump_descriptor(package.descriptor))


_SQL_TYPES = {"number": "REAL", "integer": "INTEGER", "boolean": "INTEGER"}


def sqlite_ddl(table: Table) -> str:
    """CREATE TABLE for one resource: column types, NOT NULL, enum CHECKs, keys."""
    columns = [_sql_column(f) for f in table.fields]
    if table.primary_key:
        columns.append(f"PRIMARY KEY ({', '.join(_q(c) for c in table.primary_key)})")
    for fk in table.foreign_keys:
        columns.append(f"FOREIGN KEY ({', '.join(_q(c) for c in fk.fields)}) REFERENCES "
                       f"{_q(fk.resource)} ({', '.join(_q(c) for c in fk.reference_fields)})")
    return f"CREATE TABLE {_q(table.name)} (\n  " + ",\n  ".join(columns) + "\n)"


def _sql_column(f: Field) -> str:
    sql = f"{_q(f.name)} {_SQL_TYPES.get(f.type, 'TEXT')}"
    if f.required:
        sql += " NOT NULL"
    if f.enum:
        allowed = ", ".join("'" + v.replace("'", "''") + "'" for v in f.enum)
        sql += f" CHECK ({_q(f.name)} IN ({allowed}))"
    return sql


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _write_sqlite(package: DataPackage, stage: Path) -> None:
    """One database, one table per resource, keys declared and checked, keys indexed."""
    connection = sqlite3.connect(stage / SQLITE_FILE)
    try:
        for name, table in package.tables.items():
            connection.execute(sqlite_ddl(table))
            frame = load(name)
            rows = [
                tuple(_sql_value(v, f) for v, f in zip(row, table.fields))
                for row in frame.itertuples(index=False, name=None)
            ]
            marks = ", ".join("?" for _ in table.fields)
            connection.executemany(f"INSERT INTO {_q(name)} VALUES ({marks})", rows)
            for fk in table.foreign_keys:
                index = f"idx_{name}_{'_'.join(fk.fields)}"
                connection.execute(f"CREATE INDEX {_q(index)} ON {_q(name)} "
                                   f"({', '.join(_q(c) for c in fk.fields)})")
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken in the SQLite export: {broken[:5]}")
        connection.commit()
    finally:
        connection.close()


def _sql_value(value: object, field: Field) -> object:
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if field.type == "date":
        return value.strftime(DATE_FORMAT)  # type: ignore[attr-defined]
    if field.type == "integer":  # a numpy integer would be stored as an 8-byte blob
        return int(value)  # type: ignore[call-overload]
    if field.type == "number":
        return float(value)  # type: ignore[arg-type]
    if field.type == "boolean":  # SQLite has no boolean: 1 and 0, as its own functions return
        return int(bool(value))
    return value if field.type in _SQL_TYPES else str(value)
