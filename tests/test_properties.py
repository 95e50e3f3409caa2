"""Property tests: corrupting random cells of a valid package never crashes validation and
never lets a broken key, identifier or date through."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
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


#: Cells drawn to stress CSV structure: separators, quotes, line breaks and empties.
CSV_CELLS = st.text(alphabet=st.sampled_from(list('a,"\n\r x\x00')), max_size=6)
#: Raw CSV-like bytes, regular or not: stray quotes, ragged rows, blank lines.
CSV_BYTES = st.text(alphabet=st.sampled_from(list('ab,"\n\r ')), max_size=60).map(str.encode)


def _csv_module_structure(data: bytes) -> tuple[list[int], list[int]]:
    import csv
    import io

    reader = csv.reader(io.StringIO(data.decode(), newline=""))
    next(reader, None)
    lines, counts, previous = [], [], reader.line_num
    for record in reader:
        lines.append(previous + 1)
        counts.append(len(record))
        previous = reader.line_num
    return lines, counts


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.lists(CSV_CELLS, min_size=1, max_size=4), min_size=1, max_size=6))
def test_fast_structure_agrees_with_the_csv_module_on_written_csv(rows: list[list[str]]) -> None:
    import csv
    import io

    from kdata.validation.csvtext import _structure

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    data = out.getvalue().encode()
    structure = _structure(data)
    if b"\r" in data or b"\x00" in data:
        assert structure is None
        return
    assert structure is not None, data
    lines, counts = structure
    assert (list(lines[1:]), list(counts[1:])) == _csv_module_structure(data)


@settings(max_examples=300, deadline=None)
@given(data=CSV_BYTES)
def test_fast_structure_agrees_with_the_csv_module_or_declines(data: bytes) -> None:
    from kdata.validation.csvtext import _structure

    try:
        expected = _csv_module_structure(data)
    except Exception:  # the csv module rejects it: the fast path must not accept it
        assert _structure(data) is None
        return
    structure = _structure(data)
    if structure is not None:
        assert (list(structure[0][1:]), list(structure[1][1:])) == expected, data


KEYS = st.one_of(st.none(), st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h"]))


@settings(max_examples=300, deadline=None)
@given(values=st.lists(KEYS, max_size=40), allowed=st.lists(KEYS, max_size=40),
       interned=st.sampled_from(["neither", "values", "allowed", "both"]))
@example(values=["a", None, "z"], allowed=["a", "b", None] * 8, interned="both")
@example(values=["a", None, "z"] * 8, allowed=["a", None], interned="values")
def test_member_of_is_set_membership_whether_keys_are_interned_or_not(values: list, allowed: list,
                                                                     interned: str) -> None:
    """Whether it compares interned codes (key columns) or hashes text, ``member_of`` says
    exactly which values are among the allowed, and a missing value never is."""
    import polars as pl

    from kdata.validation.checks import member_of

    ours = pl.Series(values, dtype=pl.String)
    theirs = pl.Series(allowed, dtype=pl.String)
    if interned in ("values", "both"):
        ours = ours.cast(pl.Categorical)
    if interned in ("allowed", "both"):
        theirs = theirs.cast(pl.Categorical)
    found = member_of(ours, theirs)
    expected = [v is not None and v in set(allowed) - {None} for v in values]
    assert found.to_list() == expected


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.tuples(KEYS, KEYS), max_size=30), allowed=st.lists(st.tuples(KEYS, KEYS), max_size=30))
def test_member_of_matches_keys_of_several_columns(values: list, allowed: list) -> None:
    """A key of two columns is among the allowed only when both parts match one allowed row;
    a key with a missing part never is."""
    import polars as pl

    from kdata.validation.checks import member_of

    def frame(rows: list) -> pl.DataFrame:
        return pl.DataFrame({"a": [r[0] for r in rows], "b": [r[1] for r in rows]},
                            schema={"a": pl.String, "b": pl.String})

    found = member_of(frame(values), frame(allowed))
    known = {r for r in allowed if None not in r}
    assert found.to_list() == [None not in v and v in known for v in values]
