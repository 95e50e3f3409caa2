"""SQLite: one table per resource with its types, keys and enumeration checks; a metadata
table and a table of column descriptions; a full-text index of the events' titles and
summaries; views users ask for; and a Datasette metadata.json beside the database."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from kdata.exports.metadata import column_descriptions, datasette_metadata, package_metadata
from kdata.loaders import read_table
from kdata.package import DataPackage, Field, Table
from kdata.types import DATE_FORMAT

FILE = "kdata.sqlite"
DATASETTE_METADATA = "metadata.json"
_SQL_TYPES = {"number": "REAL", "integer": "INTEGER", "boolean": "INTEGER"}

#: Views for the questions users ask first. Each is plain SQL over the exported tables.
VIEWS = {
    "events_detailed": """
        SELECT e.*, s.name AS site_name, s.latitude, s.longitude,
               (SELECT group_concat(a.name || ' (' || ea.role || ')', '; ')
                  FROM event_actors ea JOIN actors a USING (actor_id)
                 WHERE ea.event_id = e.event_id) AS actors,
               (SELECT count(*) FROM event_sources es WHERE es.event_id = e.event_id) AS sources
          FROM events e LEFT JOIN sites s USING (site_id)""",
    "launches_detailed": """
        SELECT e.start_date, l.*, w.name AS weapon, w.weapon_class, s.name AS site_name,
               s.latitude, s.longitude
          FROM launches l JOIN events e USING (event_id) JOIN weapons w USING (weapon_id)
          LEFT JOIN sites s ON s.site_id = l.site_id""",
}


def write(package: DataPackage, stage: Path) -> None:
    connection = sqlite3.connect(stage / FILE)
    try:
        for name, table in package.tables.items():
            _write_table(connection, package, name, table)
        _write_metadata(connection, package)
        _write_search(connection)
        for view, sql in VIEWS.items():
            connection.execute(f"CREATE VIEW {_q(view)} AS {sql.strip()}")
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken in the SQLite export: {broken[:5]}")
        connection.commit()
    finally:
        connection.close()
    (stage / DATASETTE_METADATA).write_text(
        json.dumps(datasette_metadata(package, Path(FILE).stem), ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8")


def _write_table(connection: sqlite3.Connection, package: DataPackage, name: str,
                 table: Table) -> None:
    connection.execute(sqlite_ddl(table))
    rows = [tuple(_sql_value(v, f) for v, f in zip(row, table.fields))
            for row in read_table(package, name).itertuples(index=False, name=None)]
    marks = ", ".join("?" for _ in table.fields)
    connection.executemany(f"INSERT INTO {_q(name)} VALUES ({marks})", rows)
    for fk in table.foreign_keys:
        index = f"idx_{name}_{'_'.join(fk.fields)}"
        connection.execute(f"CREATE INDEX {_q(index)} ON {_q(name)} "
                           f"({', '.join(_q(c) for c in fk.fields)})")


def _write_metadata(connection: sqlite3.Connection, package: DataPackage) -> None:
    connection.execute("CREATE TABLE _metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    connection.executemany("INSERT INTO _metadata VALUES (?, ?)", package_metadata(package).items())
    connection.execute("CREATE TABLE _columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, "
                       "type TEXT NOT NULL, description TEXT NOT NULL, "
                       "PRIMARY KEY (table_name, column_name))")
    connection.executemany("INSERT INTO _columns VALUES (?, ?, ?, ?)", [
        (name, f.name, f.type, column_descriptions(table)[f.name])
        for name, table in package.tables.items() for f in table.fields])


def _write_search(connection: sqlite3.Connection) -> None:
    """An external-content FTS5 index of the events' titles and summaries, which Datasette
    finds by itself (``content=[events]``)."""
    connection.execute("CREATE VIRTUAL TABLE events_fts USING fts5(title, summary, "
                       "content=[events], content_rowid=[rowid])")
    connection.execute("INSERT INTO events_fts (rowid, title, summary) "
                       "SELECT rowid, title, summary FROM events")


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
