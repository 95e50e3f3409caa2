"""Property tests: corrupting random cells of a valid package never crashes validation and
never lets a broken key, identifier or date through."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kdata

from .conftest import Package, copy_package

TEMPLATE = copy_package(Path(tempfile.mkdtemp(prefix="kdata-template-")) / "pkg")

#: (table, column, a value that must be rejected there)
BAD_VALUES = st.sampled_from([
    ("events", "event_id", "Not A Slug"),
    ("events", "start_date", "2019-13-01"),
    ("events", "start_date", "2021-02-29"),
    ("events", "start_date", "yesterday"),
    ("events", "site_id", "no-such-site"),
    ("event_sources", "publication_id", "no-such-publication"),
    ("event_sources", "event_id", "no-such-event"),
    ("event_actors", "actor_id", "nobody-at-all"),
    ("proposals", "publication_id", "missing-pub"),
    ("actors", "affiliation_id", "ghost-org"),
    ("sites", "latitude", "not-a-number"),
    ("publications", "published", "2020-02-30"),
])
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bad=BAD_VALUES, row=st.integers(min_value=0, max_value=40))
def test_corrupted_key_id_or_date_never_passes(bad: tuple[str, str, str], row: int) -> None:
    table, column, value = bad
    with tempfile.TemporaryDirectory() as tmp:
        package = Package(Path(shutil.copytree(TEMPLATE, Path(tmp) / "pkg")))
        line = package.set_cell(table, row, column, value)
        report = kdata.validate(package.root)
        assert not report.ok
        assert any(p.file == f"data/{table}.csv" and p.line == line for p in report.errors)


@settings(max_examples=25, deadline=None)
@given(table=st.sampled_from(["events", "actors", "sites", "proposals"]),
       row=st.integers(min_value=0, max_value=40), column_index=st.integers(min_value=0, max_value=8),
       value=ANY_TEXT)
def test_any_cell_value_never_crashes(table: str, row: int, column_index: int, value: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        package = Package(Path(shutil.copytree(TEMPLATE, Path(tmp) / "pkg")))
        columns = package.rows(table)[0]
        package.set_cell(table, row, columns[column_index % len(columns)], value)
        report = kdata.validate(package.root)
        assert report.ok in (True, False)
        for problem in report.problems:
            assert "\n" not in problem.format()
