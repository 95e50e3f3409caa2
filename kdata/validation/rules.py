"""Rules across rows and tables (DESIGN §2): keys that must resolve, dates that must agree
with each other and with the release, coordinates that must fall in their country, and rows
that must be reachable. Every rule is vectorised over whole columns (polars Series)."""

from __future__ import annotations

import csv
import datetime as dt
import operator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache, reduce
from importlib import resources
from typing import TYPE_CHECKING

from kdata.package import DataPackage, Table
from kdata.validation.checks import Located, as_mask, member_of
from kdata.validation.report import Problem

if TYPE_CHECKING:
    import polars as pl

#: Each event must be cited by at least one row of this table and column.
SOURCE_OF_EVENTS = ("events", "event_id", "event_sources", "event_id")
#: Degrees by which a country's box is widened: Natural Earth's 1:110m outlines drop small
#: islands (Yeonpyeong and Baengnyeong lie west of South Korea's mainland box).
COUNTRY_MARGIN = 1.5


@dataclass
class Loaded:
    """One table's typed columns and where its rows are in the file, for cross-table rules."""

    table: Table
    columns: dict[str, pl.Series]
    where: Located


#: Keys linking two tables of at least this many rows are interned before they are matched.
LARGE_TABLE = 100_000


def intern_large_keys(loaded: dict[str, Loaded]) -> None:
    """Intern, as polars categoricals, the text of the key columns that link two large tables
    (a foreign key and the key it references): one pass over each, after which every rule
    that matches them compares integers, where hashing a million strings per rule would not
    pay. Small tables keep their text; matching them is cheap either way."""
    import polars as pl

    def large(name: str) -> bool:
        return name in loaded and len(loaded[name].where.lines) >= LARGE_TABLE

    wanted: set[tuple[str, str]] = set()
    for item in loaded.values():
        for fk in item.table.foreign_keys:
            if large(item.table.name) and large(fk.resource):
                wanted |= {(item.table.name, f) for f in fk.fields}
                wanted |= {(fk.resource, f) for f in fk.reference_fields}
    text = [(table, name) for table, name in sorted(wanted)
            if getattr(loaded[table].columns.get(name), "dtype", None) == pl.String]

    def intern(key: tuple[str, str]) -> pl.Series:
        return loaded[key[0]].columns[key[1]].to_frame().select(pl.all().cast(pl.Categorical)).to_series()

    with ThreadPoolExecutor(max_workers=2) as pool:  # polars lets both run at once
        for (table, name), column in zip(text, pool.map(intern, text)):
            loaded[table].columns[name] = column


def cross_table_problems(package: DataPackage, loaded: dict[str, Loaded], *,
                         orphans: bool = False) -> list[Problem]:
    """Every rule that looks at more than one cell of a row, or at more than one table; rows
    that nothing refers to are listed (as warnings) only when ``orphans`` is asked for."""
    from kdata.validation.codebook_rules import codebook_problems

    intern_large_keys(loaded)
    problems: list[Problem] = []
    for item in loaded.values():
        problems += foreign_key_problems(item, loaded)
        problems += date_problems(item, package.created[:10])
        problems += coordinate_problems(item)
    problems += unsourced_event_problems(loaded)
    problems += codebook_problems(loaded)
    if orphans:
        problems += orphan_problems(loaded)
    return problems


def _key(columns: dict[str, pl.Series], names: tuple[str, ...],
         as_names: tuple[str, ...] | None = None) -> pl.Series | pl.DataFrame:
    """A key of one column as its Series; of several, as a frame (its columns renamed to
    ``as_names``, so that two tables' keys can be joined)."""
    import polars as pl

    if len(names) == 1:
        return columns[names[0]]
    return pl.DataFrame({new: columns[n] for n, new in zip(names, as_names or names)})


def foreign_key_problems(item: Loaded, loaded: dict[str, Loaded]) -> list[Problem]:
    """Each non-empty foreign key must match a row of the table it references."""
    problems = []
    for fk in item.table.foreign_keys:
        parent = loaded.get(fk.resource)
        if parent is None or not set(fk.fields) <= item.columns.keys():
            continue
        if not set(fk.reference_fields) <= parent.columns.keys():
            continue
        child = _key(item.columns, fk.fields)
        present = reduce(operator.and_, [as_mask(item.columns[f].is_not_null()) for f in fk.fields])
        known = _key(parent.columns, fk.reference_fields, fk.fields)
        dangling = present & ~member_of(child, known)
        column = ",".join(fk.fields)
        values = item.columns[fk.fields[0]] if len(fk.fields) == 1 else None
        target = f"{fk.resource}.{','.join(fk.reference_fields)}"
        problems += item.where.problems(
            dangling, column, values, "foreign-key", f"no row of {target} has this value"
        )
    return problems


def date_problems(item: Loaded, release: str) -> list[Problem]:
    """End after start, dates in the form their precision says, and none after the release."""
    cols, where = item.columns, item.where
    problems = []
    start, end = cols.get("start_date"), cols.get("end_date")
    if start is not None and end is not None:
        problems += where.problems(end < start, "end_date", end, "date-order",
                                   "the end date is before the start date")
    dates = {n: c for n, c in cols.items() if item.table.field(n).type == "date"}
    precision = cols.get("date_precision")
    if precision is not None:
        for name, column in dates.items():
            day, month_of_year = column.dt.day(), column.dt.month()
            month = (precision == "month") & (day != 1)
            year = (precision == "year") & ((day != 1) | (month_of_year != 1))
            problems += where.problems(month, name, column, "date-precision",
                                       "precision is month, so the date must be the 1st of the month")
            problems += where.problems(year, name, column, "date-precision",
                                       "precision is year, so the date must be 1 January")
    limit = _release_date(release)
    if limit is not None and item.table.name == SOURCE_OF_EVENTS[0]:
        for name, column in dates.items():
            problems += where.problems(column > limit, name, column, "after-release",
                                       f"the date is after the package's release ({release})")
    return problems


def _release_date(release: str) -> dt.date | None:
    """The package's ``created`` date, if it is one (frictionless reports a malformed one)."""
    try:
        return dt.date.fromisoformat(release[:10])
    except ValueError:
        return None


@lru_cache(maxsize=1)
def country_bounds() -> dict[str, tuple[float, float, float, float]]:
    """Bounding boxes (min lon, min lat, max lon, max lat) from Natural Earth, by ISO alpha-3."""
    text = resources.files("kdata").joinpath("country_bounds.csv").read_text(encoding="utf-8")
    rows = csv.reader(text.splitlines()[1:])
    return {r[0]: (float(r[1]), float(r[2]), float(r[3]), float(r[4])) for r in rows}


def coordinate_problems(item: Loaded) -> list[Problem]:
    """Coordinates must fall inside the box of the country the row names (with a margin)."""
    cols = item.columns
    if not {"latitude", "longitude", "country"} <= cols.keys():
        return []
    import polars as pl

    boxes = country_bounds()
    country = cols["country"].cast(pl.String)
    lat, lon = cols["latitude"].cast(pl.Float64), cols["longitude"].cast(pl.Float64)
    min_lon, min_lat, max_lon, max_lat = (
        country.replace_strict({c: box[i] for c, box in boxes.items()}, default=None,
                               return_dtype=pl.Float64)
        for i in range(4))
    m = COUNTRY_MARGIN
    outside = (lat < min_lat - m) | (lat > max_lat + m) | (lon < min_lon - m) | (lon > max_lon + m)
    values = pl.select(pl.concat_str([pl.lit(lat.cast(pl.String)), pl.lit(lon.cast(pl.String))],
                                     separator=", ")).to_series()
    return item.where.problems(outside, "latitude,longitude", values, "outside-country",
                               "the coordinates fall outside the country the row names")


def unsourced_event_problems(loaded: dict[str, Loaded]) -> list[Problem]:
    """Every event needs at least one row in event_sources."""
    table, key, source_table, source_key = SOURCE_OF_EVENTS
    events, sources = loaded.get(table), loaded.get(source_table)
    if events is None or sources is None or key not in events.columns:
        return []
    if source_key not in sources.columns:
        return []
    keys = events.columns[key]
    missing = as_mask(keys.is_not_null()) & ~member_of(keys, sources.columns[source_key])
    return events.where.problems(missing, key, events.columns[key], "unsourced",
                                 f"the event has no source in {source_table}")


def orphan_problems(loaded: dict[str, Loaded]) -> list[Problem]:
    """Warn about rows that no other table points to (derived from the foreign keys)."""
    referrers: dict[str, list[pl.Series]] = {}
    for item in loaded.values():
        for fk in item.table.foreign_keys:
            if len(fk.fields) == 1 and fk.fields[0] in item.columns:
                referrers.setdefault(fk.resource, []).append(item.columns[fk.fields[0]])
    problems = []
    for name, columns in referrers.items():
        item = loaded.get(name)
        if item is None or len(item.table.primary_key) != 1:
            continue
        key = item.table.primary_key[0]
        if key not in item.columns:
            continue
        keys = item.columns[key]
        referred = reduce(operator.or_, [member_of(keys, c) for c in columns])
        orphan = as_mask(keys.is_not_null()) & ~referred
        problems += item.where.problems(orphan, key, keys, "orphan",
                                        "no other row refers to this one", "warning")
    return problems
