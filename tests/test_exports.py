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
    back = pd.read_json(dest / f"{name}.json", orient="table", precise_float=True)
    expected = _expected(name)
    pd.testing.assert_frame_equal(_as_text(back), _as_text(expected))
    for column in expected:  # types survive: dates, categories, nullable integers, text
        assert str(back[column].dtype).split("[")[0] == str(expected[column].dtype).split("[")[0], column


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

    monkeypatch.setitem(exports.WRITERS, "json", broken)
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


def test_json_export_carries_its_metadata_and_no_stale_descriptor(tmp_path: Path) -> None:
    dest = kdata.export(tmp_path / "js", "json")
    meta = json.loads((dest / "metadata.json").read_text(encoding="utf-8"))
    assert meta["version"] == kdata.__version__ and meta["citation"] == kdata.cite()
    assert "Creative Commons Attribution 4.0" in meta["license"]
    assert set(meta["tables"]) == set(TABLES)
    assert not (dest / "datapackage.json").exists()  # its paths would name files not exported


def test_excel_csv_has_a_byte_order_mark_and_the_same_cells(tmp_path: Path) -> None:
    dest = kdata.export(tmp_path / "x", "excel-csv")
    raw = (dest / "sites.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    back = pd.read_csv(dest / "sites.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    original = pd.read_csv(kdata.data_path() / "data/sites.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(back, original)
    assert "평양" in raw.decode("utf-8-sig") or "청와대" in raw.decode("utf-8-sig")


def test_parquet_carries_version_license_and_column_descriptions(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    dest = kdata.export(tmp_path / "pq", "parquet")
    schema = pq.read_schema(dest / "events.parquet")
    meta = {k.decode(): v.decode() for k, v in schema.metadata.items()}
    assert meta["kdata.version"] == kdata.__version__
    assert "Creative Commons Attribution 4.0" in meta["kdata.license"]
    assert meta["kdata.citation"] == kdata.cite()
    assert schema.field("start_date").type == "date32[day]"
    assert b"Values: summit" in schema.field("event_type").metadata[b"description"]


def test_duckdb_reads_parquet_dates_as_dates(tmp_path: Path) -> None:
    import duckdb

    dest = kdata.export(tmp_path / "pq", "parquet")
    path = str(dest / "launches.parquet")
    assert duckdb.sql(f"SELECT count(*) FROM '{path}'").fetchall()[0][0] == len(kdata.load_launches())
    events = str(dest / "events.parquet")
    ((kind,),) = duckdb.sql(f"SELECT typeof(start_date) FROM '{events}' LIMIT 1").fetchall()
    assert kind == "DATE"


def test_sqlite_has_metadata_search_and_views(tmp_path: Path) -> None:
    dest = kdata.export(tmp_path / "db", "sqlite")
    con = sqlite3.connect(dest / "kdata.sqlite")
    assert dict(con.execute("SELECT key, value FROM _metadata"))["version"] == kdata.__version__
    hits = {r[0] for r in con.execute(
        "SELECT e.event_id FROM events_fts JOIN events e ON e.rowid = events_fts.rowid "
        "WHERE events_fts MATCH 'Cheonan'")}
    assert "2010-cheonan-sinking" in hits
    (row,) = con.execute("SELECT site_name, sources FROM events_detailed WHERE event_id = '2019-hanoi-summit'")
    assert row[0] and row[1] >= 2
    assert con.execute("SELECT count(*) FROM launches_detailed").fetchone()[0] == len(kdata.load_launches())
    described = con.execute("SELECT count(*) FROM _columns").fetchone()[0]
    assert described == sum(len(t.fields) for t in TABLES.values())
    con.close()


def test_datasette_serves_the_export_with_its_metadata_and_search(tmp_path: Path) -> None:
    import asyncio

    from datasette.app import Datasette

    dest = kdata.export(tmp_path / "db", "sqlite")
    metadata = json.loads((dest / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["databases"]["kdata"]["tables"]["events"]["columns"]["start_date"]

    async def ask() -> tuple[dict, list]:
        ds = Datasette([str(dest / "kdata.sqlite")], metadata=metadata)
        table = (await ds.client.get("/kdata/events.json?_search=Cheonan&_shape=objects")).json()
        about = (await ds.client.get("/-/metadata.json")).json()
        return about, table["rows"]

    about, rows = asyncio.run(ask())
    assert about["title"].endswith(f"({kdata.__version__})")
    assert "2010-cheonan-sinking" in {r["event_id"] for r in rows}


def test_stata_files_have_labels_and_read_back(tmp_path: Path) -> None:
    dest = kdata.export(tmp_path / "dta", "dta")
    with pd.io.stata.StataReader(dest / "events.dta") as reader:
        labels = reader.variable_labels()
        back = reader.read()
        assert reader.data_label.startswith(f"kdata {kdata.__version__}")
    assert labels["start_date"].startswith("First day of the event")
    assert isinstance(back["event_type"].dtype, pd.CategoricalDtype)
    assert pd.api.types.is_datetime64_any_dtype(back["start_date"])
    expected = _expected("events")
    assert back["event_id"].tolist() == expected["event_id"].tolist()
    assert (back["start_date"] == expected["start_date"]).all()


def test_xlsx_has_a_sheet_per_table_a_codebook_and_typed_dates(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    dest = kdata.export(tmp_path / "xl", "xlsx")
    sheets = pd.read_excel(dest / "kdata.xlsx", sheet_name=None)
    assert list(sheets) == ["about", "codebook", *TABLES]
    assert pd.api.types.is_datetime64_any_dtype(sheets["events"]["start_date"])
    assert len(sheets["launches"]) == len(kdata.load_launches())
    assert set(sheets["codebook"]["table"]) == set(TABLES)
    book = load_workbook(dest / "kdata.xlsx", read_only=False)
    assert book["events"].freeze_panes == "A2"


def test_cli_offers_every_export_format() -> None:
    from click.testing import CliRunner

    import kdata.exports as exports
    from kdata.cli import cli

    help_text = CliRunner().invoke(cli, ["export", "--help"]).output
    for fmt in exports.FORMATS:
        assert fmt in help_text


def _releasable_copy(tmp_path: Path) -> Path:
    """A copy of the bundled package, released as 9.9.9 in its own releases.json, with the
    documents beside it."""
    import shutil

    from kdata.releases import file_hashes

    from .conftest import copy_package

    root = copy_package(tmp_path / "pkg")
    repo = Path(__file__).resolve().parent.parent
    for name in ("CITATION.cff", "LICENSE", "LICENSE-DATA"):
        shutil.copyfile(repo / name, root / name)
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["version"] = "9.9.9"  # a release, whatever the version of the checkout
    (root / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    files = file_hashes(open_package(root))
    record = {"releases": {"9.9.9": {"date": "2026-11-29", "files": files}}}
    (root / "releases.json").write_text(json.dumps(record), encoding="utf-8")
    return root


def test_release_zip_is_reproducible_and_complete(tmp_path: Path) -> None:
    import hashlib
    import zipfile

    from kdata.exports.release import release

    root = _releasable_copy(tmp_path)
    first = release(tmp_path / "a", path=root)
    second = release(tmp_path / "b", path=root)
    assert first.read_bytes() == second.read_bytes()
    assert first.name == "kdata-korea-9.9.9.zip"
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        prefix = first.stem + "/"
        for needed in ("datapackage.json", "data/events.csv", "schemas/events.json",
                       "parquet/events.parquet", "sqlite/kdata.sqlite", "xlsx/kdata.xlsx",
                       "codebook.md", "CITATION.cff", "LICENSE", "LICENSE-DATA", "SHA256SUMS"):
            assert prefix + needed in names, needed
        for line in archive.read(prefix + "SHA256SUMS").decode().splitlines():
            digest, name = line.split("  ")
            assert hashlib.sha256(archive.read(prefix + name)).hexdigest() == digest


def test_release_is_refused_for_edited_data_or_a_development_version(tmp_path: Path) -> None:
    from kdata.errors import KdataError
    from kdata.exports.release import release

    from .conftest import Package

    root = _releasable_copy(tmp_path)
    package = Package(root)
    package.set_cell("events", 0, "title", "Edited after the release")
    with pytest.raises(KdataError, match="differs from the"):
        release(tmp_path / "out", path=root)
    d = package.descriptor
    d["version"] = "1.1.0.dev1"
    package.write_descriptor(d)
    with pytest.raises(KdataError, match="development version"):
        release(tmp_path / "out", path=root)
    assert not (tmp_path / "out").exists()


def test_a_file_as_destination_is_refused_even_with_force(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kdata.cli import cli

    target = tmp_path / "notes.txt"
    target.write_text("mine")
    result = CliRunner().invoke(cli, ["export", str(target), "--format", "json", "--force"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "is a file" in result.output
    assert target.read_text() == "mine"
