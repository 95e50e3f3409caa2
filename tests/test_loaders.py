"""Loaders: every table typed as its Table Schema says."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import kdata
from kdata.package import open_package

TABLES = list(open_package().tables)


@pytest.mark.parametrize("name", TABLES)
def test_each_table_loads_with_schema_types(name: str) -> None:
    table = open_package().table(name)
    frame = kdata.load(name)
    assert list(frame.columns) == table.field_names
    assert len(frame) > 0
    for field in table.fields:
        dtype = frame[field.name].dtype
        if field.type == "date":
            assert pd.api.types.is_datetime64_any_dtype(dtype), field.name
        elif field.enum is not None:
            assert isinstance(dtype, pd.CategoricalDtype), field.name
            assert list(dtype.categories) == list(field.enum)
        elif field.type == "number":
            assert dtype == "float64", field.name
        elif field.type == "integer":
            assert dtype == "Int64", field.name
        elif field.type == "boolean":
            assert dtype == "boolean", field.name
        else:
            assert isinstance(dtype, pd.StringDtype), field.name
        assert not (frame[field.name].astype("string") == "").any(), f"{field.name}: empty string, not NA"


@pytest.mark.parametrize("name", TABLES)
def test_named_loader_matches_generic_loader(name: str) -> None:
    pd.testing.assert_frame_equal(getattr(kdata, f"load_{name}")(), kdata.load(name))


def test_load_all_returns_every_table_in_order() -> None:
    assert list(kdata.load_all()) == TABLES


def test_unknown_table_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="events, actors"):
        kdata.load("treaties")


def test_version_is_the_descriptors() -> None:
    assert kdata.__version__ == open_package().version


def test_import_is_light() -> None:
    code = ("import sys, kdata; kdata.load_events(); "
            "heavy = [m for m in ('pandera', 'polars', 'frictionless', 'click') if m in sys.modules]; "
            "assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_seed_facts_are_in_the_data() -> None:
    events = kdata.load_events().set_index("event_id")
    hanoi = events.loc["2019-hanoi-summit"]
    assert (hanoi.start_date, hanoi.end_date) == (pd.Timestamp("2019-02-27"), pd.Timestamp("2019-02-28"))
    assert hanoi.site_id == "metropole-hanoi"
    assert events.loc["2018-singapore-summit"].site_id == "capella-singapore"
    assert events.loc["1994-agreed-framework"].start_date == pd.Timestamp("1994-10-21")
    sites = set(kdata.load_sites()["site_id"])
    assert {"yongbyon", "punggye-ri", "sohae", "capella-singapore", "metropole-hanoi"} <= sites
    seed = kdata.load_proposals().query("package_id == 'usip-hanoi-recommendation-2019'")
    assert len(seed) == 7 and set(seed["proposed_by_id"]) == {"frank-aum"}


def test_pandera_schema_accepts_every_table_and_catches_an_edited_cell() -> None:
    """``kdata.pandera_schema`` checks a pandas frame against the Table Schema's constraints:
    every bundled table passes, and an identifier edited out of its pattern is caught."""
    import pandera.errors

    for name, frame in kdata.load_all().items():
        kdata.pandera_schema(name).validate(frame, lazy=True)
    sites = kdata.load_sites()
    sites.loc[3, "site_id"] = "Not A Slug"
    with pytest.raises(pandera.errors.SchemaErrors) as caught:
        kdata.pandera_schema("sites").validate(sites, lazy=True)
    cases = caught.value.failure_cases
    assert set(cases["column"]) == {"site_id"}
    assert "Not A Slug" in set(cases["failure_case"])


def test_polars_backend_gives_the_same_tables_typed_alike() -> None:
    """``backend="polars"`` returns every table with the pandas loader's rows, columns and
    values, in the polars types of the same mapping (dates as Date, enumerations as Enum)."""
    import pandas as pd
    import polars as pl

    for name, frame in kdata.load_all().items():
        other = kdata.load(name, backend="polars")
        assert other.columns == list(frame.columns) and other.height == len(frame)
        table = open_package().table(name)
        for field in table.fields:
            ours, theirs = frame[field.name], other[field.name]
            if field.type == "date":
                assert theirs.dtype == pl.Date
                ours = ours.dt.strftime("%Y-%m-%d")
                theirs = theirs.dt.strftime("%Y-%m-%d")
            elif field.enum is not None:
                assert theirs.dtype == pl.Enum(list(field.enum))
            assert [None if pd.isna(v) else str(v) for v in ours.astype(object).tolist()] == [
                None if v is None else str(v) for v in theirs.to_list()], (name, field.name)


def test_an_unknown_backend_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="pandas, polars"):
        kdata.load_events(backend="arrow")
