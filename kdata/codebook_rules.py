"""The codebook's definitions that a program can check, as declarative rules.

Generic rules (keys, dates, coordinates) live in ``kdata.rules`` and follow from the Table
Schemas alone. The rules here encode what the codebook says a category *means*: a launch row
belongs to a launch event, a launch event has its launches, an incident is an armed act. Each
rule is one line of data in ``CODEBOOK_RULES``; the classes below say how each kind is checked.
A rule whose tables or columns are missing from a package is skipped: the schema checks
already report those.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kdata.checks import member_of

if TYPE_CHECKING:
    from kdata.report import Problem
    from kdata.rules import Loaded

LAUNCH_EVENT_TYPES = ("missile-test", "satellite-launch")


def _values_in(column: pd.Series, allowed: tuple[str, ...]) -> np.ndarray:
    return column.astype("string").isin(allowed).to_numpy(dtype=bool, na_value=False)


@dataclass(frozen=True)
class ParentIn:
    """Each row of ``table`` must point (by ``key``) to a ``parent`` row whose ``column`` is one
    of ``allowed``: e.g. a launch must belong to a missile-test or satellite-launch event."""

    table: str
    key: str
    parent: str
    parent_key: str
    column: str
    allowed: tuple[str, ...]
    rule: str
    #: Only rows whose column (first) is one of the values (second), when given.
    only: tuple[str, tuple[str, ...]] | None = None

    def describe(self) -> str:
        only = f" where {self.only[0]} is {'/'.join(self.only[1])}" if self.only else ""
        return (f"`{self.table}.{self.key}`{only} must point to a row of `{self.parent}` whose "
                f"`{self.column}` is {', '.join(f'`{v}`' for v in self.allowed)}")

    def problems(self, loaded: dict[str, Loaded]) -> list[Problem]:
        child, parent = loaded.get(self.table), loaded.get(self.parent)
        if child is None or parent is None or self.key not in child.columns:
            return []
        if self.only is not None and self.only[0] not in child.columns:
            return []
        if not {self.parent_key, self.column} <= parent.columns.keys():
            return []
        fitting = parent.columns[self.parent_key][_values_in(parent.columns[self.column], self.allowed)]
        known = parent.columns[self.parent_key]
        keys = child.columns[self.key]
        bad = member_of(keys, known) & ~member_of(keys, fitting)
        if self.only is not None:
            bad &= _values_in(child.columns[self.only[0]], self.only[1])
        return child.where.problems(
            bad, self.key, keys, self.rule,
            f"{self.parent}.{self.column} of this row must be one of: {', '.join(self.allowed)}")


@dataclass(frozen=True)
class NeedsChild:
    """Each ``table`` row whose ``column`` is one of ``values`` needs at least one row in
    ``child`` pointing to it: e.g. every launch event has a row in launches."""

    table: str
    key: str
    column: str
    values: tuple[str, ...]
    child: str
    child_key: str
    rule: str

    def describe(self) -> str:
        return (f"`{self.table}` rows with `{self.column}` {', '.join(f'`{v}`' for v in self.values)}"
                f" need a row in `{self.child}`")

    def problems(self, loaded: dict[str, Loaded]) -> list[Problem]:
        item, child = loaded.get(self.table), loaded.get(self.child)
        if item is None or child is None or not {self.key, self.column} <= item.columns.keys():
            return []
        keys = item.columns[self.key]
        referred = child.columns.get(self.child_key, pd.Series(dtype="string"))
        bad = _values_in(item.columns[self.column], self.values) & ~member_of(keys, referred)
        return item.where.problems(
            bad, self.key, keys, self.rule,
            f"a row with {self.column} {'/'.join(self.values)} needs a row in {self.child}")


@dataclass(frozen=True)
class AtLeast:
    """Each ``table`` row whose ``column`` is one of ``values`` needs at least ``count`` rows in
    ``child`` whose ``child_column`` is ``child_value``: e.g. a summit has two leaders."""

    table: str
    key: str
    column: str
    values: tuple[str, ...]
    child: str
    child_key: str
    child_column: str
    child_value: str
    count: int
    rule: str

    def describe(self) -> str:
        return (f"`{self.table}` rows with `{self.column}` {', '.join(f'`{v}`' for v in self.values)}"
                f" need at least {self.count} `{self.child}` rows with `{self.child_column}` "
                f"`{self.child_value}`")

    def problems(self, loaded: dict[str, Loaded]) -> list[Problem]:
        item, child = loaded.get(self.table), loaded.get(self.child)
        if item is None or child is None or not {self.key, self.column} <= item.columns.keys():
            return []
        if not {self.child_key, self.child_column} <= child.columns.keys():
            return []
        chosen = child.columns[self.child_column].astype("string") == self.child_value
        counts = child.columns[self.child_key][chosen.to_numpy(dtype=bool, na_value=False)].value_counts()
        keys = item.columns[self.key]
        found = counts.reindex(keys.to_numpy(dtype=object)).fillna(0).to_numpy()
        bad = _values_in(item.columns[self.column], self.values) & (found < self.count)
        return item.where.problems(
            bad, self.key, keys, self.rule,
            f"a row with {self.column} {'/'.join(self.values)} needs at least {self.count} rows in "
            f"{self.child} with {self.child_column} {self.child_value}")


@dataclass(frozen=True)
class Implies:
    """Within one table: where ``column`` is one of ``values``, ``then_column`` must be one of
    ``then_values``: e.g. an incident is an armed or coercive act in PLOVER's terms."""

    table: str
    column: str
    values: tuple[str, ...]
    then_column: str
    then_values: tuple[str, ...]
    rule: str

    def describe(self) -> str:
        return (f"in `{self.table}`, `{self.column}` {', '.join(f'`{v}`' for v in self.values)} "
                f"requires `{self.then_column}` {', '.join(f'`{v}`' for v in self.then_values)}")

    def problems(self, loaded: dict[str, Loaded]) -> list[Problem]:
        item = loaded.get(self.table)
        if item is None or not {self.column, self.then_column} <= item.columns.keys():
            return []
        then = item.columns[self.then_column]
        bad = _values_in(item.columns[self.column], self.values) & ~_values_in(then, self.then_values)
        return item.where.problems(
            bad, self.then_column, then.astype("string"), self.rule,
            f"where {self.column} is {'/'.join(self.values)}, {self.then_column} must be one of: "
            f"{', '.join(self.then_values)}")


@dataclass(frozen=True)
class Paired:
    """Within one table, ``column`` is filled exactly where ``partner`` is: e.g. a site's
    precision is given for every event with a site, and only for those."""

    table: str
    column: str
    partner: str
    rule: str

    def describe(self) -> str:
        return f"in `{self.table}`, `{self.column}` is given exactly where `{self.partner}` is"

    def problems(self, loaded: dict[str, Loaded]) -> list[Problem]:
        item = loaded.get(self.table)
        if item is None or not {self.column, self.partner} <= item.columns.keys():
            return []
        ours = item.columns[self.column].notna().to_numpy()
        theirs = item.columns[self.partner].notna().to_numpy()
        return (item.where.problems(theirs & ~ours, self.column, None, self.rule,
                                    f"{self.column} is required where {self.partner} is given")
                + item.where.problems(ours & ~theirs, self.column,
                                      item.columns[self.column].astype("string"), self.rule,
                                      f"{self.column} must be empty where {self.partner} is"))


@dataclass(frozen=True)
class Ordered:
    """Within one row, the filled ones of ``columns`` never decrease (low <= best <= high), and
    at least ``columns[1]`` or both ends are given."""

    table: str
    columns: tuple[str, str, str]
    rule: str

    def describe(self) -> str:
        low, mid, high = self.columns
        return (f"in `{self.table}`, `{low}` ≤ `{mid}` ≤ `{high}`, and `{mid}` or both `{low}` "
                f"and `{high}` are given")

    def problems(self, loaded: dict[str, Loaded]) -> list[Problem]:
        item = loaded.get(self.table)
        if item is None or not set(self.columns) <= item.columns.keys():
            return []
        low, mid, high = (item.columns[c].astype("float64") for c in self.columns)
        problems = []
        for (a, b), (x, y) in (((low, mid), self.columns[:2]), ((mid, high), self.columns[1:]),
                               ((low, high), self.columns[::2])):
            bad = (a > b).to_numpy(dtype=bool, na_value=False)
            problems += item.where.problems(bad, y, b.astype("string"), self.rule,
                                            f"{y} must not be below {x}")
        empty = mid.isna() & (low.isna() | high.isna())
        problems += item.where.problems(empty.to_numpy(dtype=bool), self.columns[1], None, self.rule,
                                        f"give {self.columns[1]}, or both {self.columns[0]} and "
                                        f"{self.columns[2]}")
        return problems


@dataclass(frozen=True)
class EarliestChild:
    """``table.column`` names the earliest ``event`` among the rows of ``child`` that share the
    table's key: e.g. a weapon's first launch is the earliest launch of that weapon."""

    table: str
    key: str
    column: str
    child: str
    child_key: str
    child_event: str
    rule: str

    def describe(self) -> str:
        return (f"`{self.table}.{self.column}` is the earliest event among the `{self.child}` rows "
                f"of the same `{self.key}`")

    def problems(self, loaded: dict[str, Loaded]) -> list[Problem]:
        item, child, events = loaded.get(self.table), loaded.get(self.child), loaded.get("events")
        if item is None or child is None or events is None:
            return []
        if not {self.key, self.column} <= item.columns.keys():
            return []
        if not {self.child_key, self.child_event} <= child.columns.keys():
            return []
        start = pd.Series(events.columns["start_date"].to_numpy(),
                          index=events.columns["event_id"].to_numpy(dtype=object))
        start = start[~start.index.duplicated()]
        links = pd.DataFrame({"key": child.columns[self.child_key].to_numpy(dtype=object),
                              "start": start.reindex(child.columns[self.child_event]
                                                     .to_numpy(dtype=object)).to_numpy()})
        earliest = links.dropna().groupby("key")["start"].min()
        expected = earliest.reindex(item.columns[self.key].to_numpy(dtype=object)).to_numpy()
        named = start.reindex(item.columns[self.column].to_numpy(dtype=object)).to_numpy()
        bad = ~pd.isna(expected) & ~(named == expected)
        return item.where.problems(
            bad, self.column, item.columns[self.column].astype("string"), self.rule,
            f"must be the earliest event in {self.child} for this {self.key}")


#: The unit each measure is given in (measure "other" may use any unit).
MEASURE_UNITS = {
    "persons": ("deaths", "wounded", "missing", "detained", "participants"),
    "kt": ("yield-kt",), "magnitude": ("body-wave-magnitude",), "tonnes": ("aid-tonnes",),
    "usd": ("aid-value-usd",),
}

CODEBOOK_RULES = (
    ParentIn("launches", "event_id", "events", "event_id", "event_type", LAUNCH_EVENT_TYPES,
             "launch-event-type"),
    NeedsChild("events", "event_id", "event_type", LAUNCH_EVENT_TYPES, "launches", "event_id",
               "launch-missing"),
    Implies("events", "event_type", ("incident",), "plover_category", ("ASSAULT", "COERCE"),
            "incident-plover"),
    ParentIn("event_actors", "actor_id", "actors", "actor_id", "actor_type", ("person",),
             "leader-person", only=("role", ("leader",))),
    AtLeast("events", "event_id", "event_type", ("summit",), "event_actors", "event_id", "role",
            "leader", 2, "summit-leaders"),
    Paired("events", "site_precision", "site_id", "site-precision"),
    ParentIn("events", "site_id", "sites", "site_id", "site_type", ("city",), "site-precision-city",
             only=("site_precision", ("city",))),
    EarliestChild("weapons", "weapon_id", "first_launch_event_id", "launches", "weapon_id",
                  "event_id", "first-launch"),
    Ordered("measures", ("low", "best", "high"), "measure-range"),
    *(Implies("measures", "measure", measures, "unit", (unit,), "measure-unit")
      for unit, measures in MEASURE_UNITS.items()),
)


def codebook_problems(loaded: dict[str, Loaded]) -> list[Problem]:
    """Every codebook rule, applied to the loaded tables."""
    return [p for rule in CODEBOOK_RULES for p in rule.problems(loaded)]
