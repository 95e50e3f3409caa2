"""The loader list, and the tables added with it: a table needs its schema, its CSV, its
resource and one line in kdata.tables, and every generic feature covers it."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import kdata
from kdata.package import open_package
from kdata.release_diff import diff
from kdata.tables import TABLES


def test_the_loader_list_names_the_descriptor_tables_in_order() -> None:
    assert list(TABLES) == list(open_package().tables)


@pytest.mark.parametrize("name", TABLES)
def test_each_table_has_a_documented_loader(name: str) -> None:
    loader = getattr(kdata, f"load_{name}")
    assert loader.__name__ == f"load_{name}"
    assert open_package().table(name).description in loader.__doc__
    pd.testing.assert_frame_equal(loader(), kdata.load(name))
    assert f"load_{name}" in dir(kdata)


def test_launches_load_typed_and_joined_to_events_and_weapons() -> None:
    launches = kdata.load_launches()
    assert str(launches["missiles"].dtype) == "Int64"
    assert str(launches["apogee_km"].dtype) == "float64"
    assert isinstance(launches["outcome"].dtype, pd.CategoricalDtype)
    events = kdata.load_events().set_index("event_id")
    assert set(events.loc[launches["event_id"], "event_type"]) <= {"missile-test", "satellite-launch"}
    assert set(launches["weapon_id"]) <= set(kdata.load_weapons()["weapon_id"])


@pytest.mark.parametrize("name", ["weapons", "launches", "measures"])
def test_codebook_documents_the_new_tables(name: str) -> None:
    book = kdata.codebook()
    assert f"## {name}" in book
    for field in open_package().table(name).fields:
        assert f"`{field.name}`" in book


def test_diff_counts_the_rows_of_an_added_table(tmp_path) -> None:
    from .conftest import copy_package

    old = copy_package(tmp_path / "old")
    d = json.loads((old / "datapackage.json").read_text(encoding="utf-8"))
    d["resources"] = [r for r in d["resources"] if r["name"] != "offices"]
    (old / "datapackage.json").write_text(json.dumps(d), encoding="utf-8")
    changes = {t.table: t for t in diff(old, kdata.data_path()).tables}
    assert changes["offices"].schema == ["table added"]
    assert len(changes["offices"].added) == len(kdata.load("offices"))
    assert len(changes["offices"].added) > 0


def test_diff_covers_a_new_table(tmp_path) -> None:
    from .conftest import Package, copy_package

    old = Package(copy_package(tmp_path / "old"))
    rows = old.rows("weapons")
    old.write_rows("weapons", rows[:-1])
    changes = {t.table: t for t in diff(old.root, kdata.data_path()).tables}
    assert changes["weapons"].added == [rows[-1][0]]
