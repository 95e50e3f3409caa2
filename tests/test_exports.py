"""Exports: each format read back equals the loaders' frames; failures leave nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

import kdata
from kdata.errors import DestinationExists
from kdata.package import open_package

TABLES = open_package().tables


def _expected(name: str) -> pd.DataFrame:
    return kdata.load(name)


def _as_text(frame: pd.DataFrame, booleans_as_ints: bool = False) -> pd.DataFrame:
    """Compare values, not dtypes: every cell as text, missing as None."""
    out = frame.copy()
    for c in out:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.strftime("%Y-%m-%d")
        if booleans_as_ints and pd.api.types.is_bool_dtype(out[c]):  # as SQLite keeps them
            out[c] = out[c].astype("Int64")
        out[c] = out[c].astype(object).where(out[c].notna(), None).map(lambda v: None if v is None else str(v))
    return out.reset_index(drop=True)


def test_csv_export_is_a_valid_package(tmp_path: Path) -> None:
    dest = kdata.export(tmp_path / "csv", "csv")
    assert kdata.validate(dest).ok
    for name, table in TABLES.items():
        assert (dest / table.path).read_bytes() == (kdata.data_path() / table.path).read_bytes()


@pytest.mark.parametrize("name", list(TABLES))
def test_parquet_round_trip(tmp_path: Path, name: str) -> None:
    dest = kdata.export(tmp_path / "pq", "parquet")
    back = pd.read_parquet(dest / f"{name}.parquet")
    pd.testing.assert_frame_equal(_as_text(back), _as_text(_expected(name)))


@pytest.mark.parametrize("name", list(TABLES))
def test_json_round_trip(tmp_path: Path, name: str) -> None:
    dest = kdata.export(tmp_path / "js", "json")
    back = pd.DataFrame(json.loads((dest / f"{name}.json").read_text(encoding="utf-8")),
                        columns=TABLES[name].field_names, dtype=object)
    pd.testing.assert_frame_equal(_as_text(back), _as_text(_expected(name)))


def test_sqlite_round_trip_and_keys(tmp_path: Path) -> None:
    dest = kdata.export(tmp_path / "db", "sqlite")
    con = sqlite3.connect(dest / "kdata.sqlite")
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    for name, table in TABLES.items():
        back = pd.read_sql_query(f'SELECT * FROM "{name}"', con, dtype_backend="numpy_nullable")
        pd.testing.assert_frame_equal(_as_text(back), _as_text(_expected(name), booleans_as_ints=True))
        assert con.execute(f'PRAGMA foreign_key_list("{name}")').fetchall() or not table.foreign_keys
    con.close()


def test_failure_leaves_no_partial_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kdata.exports as exports

    def broken(package, stage):  # noqa: ANN001
        (stage / "half.json").write_text("[")
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "_write_json", broken)
    with pytest.raises(RuntimeError):
        kdata.export(tmp_path / "out", "json")
    assert not (tmp_path / "out").exists()
    assert list(tmp_path.iterdir()) == []


def test_force_replaces_and_refusal_keeps(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("x")
    with pytest.raises(DestinationExists):
        kdata.export(out, "csv")
    kdata.export(out, "csv", force=True)
    assert not (out / "old.txt").exists() and (out / "datapackage.json").is_file()
