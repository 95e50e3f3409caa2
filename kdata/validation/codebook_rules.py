"""The codebook's definitions that a program can check, as declarative rules.

Generic rules (keys, dates, coordinates) live in ``kdata.validation.rules`` and follow from the Table
Schemas alone. The rules here encode what the codebook says a category *means*: a launch row
belongs to a launch event, a launch event has its launches, an incident is an armed act. Each
rule is one line of data in ``CODEBOOK_RULES``; the classes below say how each kind is checked.
A rule whose tables or columns are missing from a package is skipped: the schema checks
already report those.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from kdata.validation.checks import as_mask, mask_of, member_of

if TYPE_CHECKING:
    import polars as pl

    from kdata.validation.report import Problem
    from kdata.validation.rules import Loaded

LAUNCH_EVENT_TYPES = ("missile-test", "satellite-launch")


def _start_dates(events: Loaded) -> pl.DataFrame:
    """Each event's start date by event_id (the first row of a duplicated id), as a frame of
    ``key`` and ``value``; built once per validation and shared by the rules that need it."""
    import polars as pl

    cached = events.__dict__.get("_start_dates")
    if cached is None:
        start = pl.DataFrame({"key": events.columns["event_id"], "value": events.columns["start_date"]})
        cached = events.__dict__["_start_dates"] = start.unique("key", keep="first")
    return cached


def _lookup(keys: pl.Series, table: pl.DataFrame) -> pl.Series:
    """The ``value`` of ``table`` for each of ``keys`` (missing where a key has none)."""
    import polars as pl

    keys = keys.cast(table["key"].dtype, strict=False)
    if len(keys) * 8 < table.height:  # a few keys in a large table: keep only their rows
        table = table.filter(pl.col("key").is_in(keys.drop_nulls().implode()))
    return pl.DataFrame({"key": keys}).join(table, on="key", how="left", maintain_order="left")["value"]


def _values_in(column: pl.Series, allowed: tuple[str, ...]) -> pl.Series:
    import polars as pl

    return as_mask(column.cast(pl.String).is_in(list(allowed)))


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
        allowed = _values_in(parent.columns[self.column], self.allowed)
        fitting = parent.columns[self.parent_key].filter(allowed)
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
        referred = child.columns.get(self.child_key)
        cited = member_of(keys, referred) if referred is not None else mask_of(len(keys))
        bad = _values_in(item.columns[self.column], self.values) & ~cited
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
        import polars as pl

        chosen = _values_in(child.columns[self.child_column], (self.child_value,))
        counts = (child.columns[self.child_key].filter(chosen).value_counts(name="value")
                  .rename({self.child_key: "key"}) if chosen.any() else
                  pl.DataFrame({"key": [], "value": []}, schema={"key": pl.String, "value": pl.UInt32}))
        keys = item.columns[self.key]
        found = _lookup(keys, counts).fill_null(0)
        bad = _values_in(item.columns[self.column], self.values) & (found < self.count)
        return item.where.problems(
            bad, self.key, keys, self.rule,
            f"a row with {self.column} {'/'.join(self.values)} needs at least {self.count} rows in "
            f"{self.child} with {self.child_column} {self.child_value}")


@dataclass(frozen=True)
class FirstHand:
    """An event dated to the day has a source about the event itself: a report, its text, or
    a later account devoted to it (not only list entries or context). Events dated only to
    the month or year (the secret missile tests of 1984-1992) are known only from later
    compilations; a row without a ``kind`` is reported by the schema, not here."""

    table: str = "events"
    child: str = "event_sources"
    kinds: tuple[str, ...] = ("report", "text", "account")
    rule: str = "first-hand-source"

    def describe(self) -> str:
        return (f"an event dated to the day has a `{self.child}` row of kind "
                f"{', '.join(f'`{k}`' for k in self.kinds[:-1])} or `{self.kinds[-1]}`")

    def problems(self, loaded: dict[str, Loaded]) -> list[Problem]:
        item, child = loaded.get(self.table), loaded.get(self.child)
        if item is None or child is None or not {"event_id", "kind"} <= child.columns.keys():
            return []
        kind = child.columns["kind"]
        cited = child.columns["event_id"]
        keys = item.columns["event_id"]
        unclassified = member_of(keys, cited.filter(as_mask(kind.is_null())))
        first_hand = member_of(keys, cited.filter(_values_in(kind, self.kinds)))
        lacking = member_of(keys, cited) & ~unclassified & ~first_hand
        precision = item.columns.get("date_precision")
        by_day = ~mask_of(len(keys)) if precision is None else _values_in(precision, ("day",))
        bad = lacking & by_day
        return item.where.problems(bad, "event_id", keys, self.rule,
                                   f"no source of kind {', '.join(self.kinds)} reports this event")


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
            bad, self.then_column, then, self.rule,
            f"where {self.column} is {'/'.join(self.values)}, {self.then_column} must be one of: "
            f"{', '.join(self.then_values)}")


@dataclass(frozen=True)
class RequiredUnless:
    """Within one table, ``column`` is given unless ``unless_column`` is one of ``unless``: e.g.
    every event has a PLOVER category except those the ontology has none for."""

    table: str
    column: str
    unless_column: str
    unless: tuple[str, ...]
    rule: str

    def describe(self) -> str:
        return (f"in `{self.table}`, `{self.column}` is given unless `{self.unless_column}` is "
                f"{', '.join(f'`{v}`' for v in self.unless)}")

    def problems(self, loaded: dict[str, Loaded]) -> list[Problem]:
        item = loaded.get(self.table)
        if item is None or not {self.column, self.unless_column} <= item.columns.keys():
            return []
        value = item.columns[self.column]
        bad = as_mask(value.is_null()) & ~_values_in(item.columns[self.unless_column], self.unless)
        return item.where.problems(
            bad, self.column, value, self.rule,
            f"is required unless {self.unless_column} is {'/'.join(self.unless)}")


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
        ours = as_mask(item.columns[self.column].is_not_null())
        theirs = as_mask(item.columns[self.partner].is_not_null())
        return (item.where.problems(theirs & ~ours, self.column, None, self.rule,
                                    f"{self.column} is required where {self.partner} is given")
                + item.where.problems(ours & ~theirs, self.column, item.columns[self.column], self.rule,
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
        import polars as pl

        low, mid, high = (item.columns[c].cast(pl.Float64, strict=False) for c in self.columns)
        problems = []
        for (a, b), (x, y) in (((low, mid), self.columns[:2]), ((mid, high), self.columns[1:]),
                               ((low, high), self.columns[::2])):
            problems += item.where.problems(a > b, y, b, self.rule, f"{y} must not be below {x}")
        empty = mid.is_null() & (low.is_null() | high.is_null())
        problems += item.where.problems(empty, self.columns[1], None, self.rule,
                                        f"give {self.columns[1]}, or both {self.columns[0]} and "
                                        f"{self.columns[2]}")
        return problems


@dataclass(frozen=True)
class CouncilVotes:
    """A Security Council vote, where recorded, accounts for every member of the Council on
    the day: 11 members before 1966, 15 from 1966 (the enlargement under Article 23)."""

    table: str = "un_decisions"
    rule: str = "council-votes"
    enlarged: str = "1966-01-01"
    columns: tuple[str, ...] = ("votes_for", "votes_against", "votes_abstain", "votes_not_voting")

    def describe(self) -> str:
        return (f"in `{self.table}`, a Security Council vote's {', '.join(f'`{c}`' for c in self.columns)}"
                f" add up to the Council's membership: 11 before {self.enlarged}, 15 after")

    def problems(self, loaded: dict[str, Loaded]) -> list[Problem]:
        item, events = loaded.get(self.table), loaded.get("events")
        needed = {"event_id", "body", *self.columns}
        if item is None or events is None or not needed <= item.columns.keys():
            return []
        import datetime as dt

        import polars as pl

        dates = _lookup(item.columns["event_id"], _start_dates(events))
        before = as_mask(dates < dt.date.fromisoformat(self.enlarged))
        members = pl.select(pl.when(pl.lit(before)).then(11).otherwise(15)).to_series()
        votes = pl.DataFrame([item.columns[c].cast(pl.Float64, strict=False) for c in self.columns])
        total = votes.select(pl.sum_horizontal(pl.all().fill_null(0))).to_series()
        recorded = as_mask(votes[self.columns[0]].is_not_null())
        council = _values_in(item.columns["body"], ("security-council",))
        bad = council & recorded & as_mask(dates.is_not_null()) & (total != members)
        shown = total.cast(pl.Int64).cast(pl.String)
        return item.where.problems(bad, "votes_for", shown, self.rule,
                                   "the votes do not add up to the Council's membership on that date")


@dataclass(frozen=True)
class NoOverlap:
    """Within each value of ``group``, the periods [start, end] of the rows do not overlap:
    one holder per office at a time. A successor may start on the day the predecessor's term
    ends; an empty end is an open term."""

    table: str
    group: str
    start: str
    end: str
    rule: str

    def describe(self) -> str:
        return (f"in `{self.table}`, the `{self.start}`-`{self.end}` periods of one `{self.group}`"
                " do not overlap (a successor may start on the predecessor's last day)")

    def problems(self, loaded: dict[str, Loaded]) -> list[Problem]:
        item = loaded.get(self.table)
        if item is None or not {self.group, self.start, self.end} <= item.columns.keys():
            return []
        import datetime as dt

        import polars as pl

        start = item.columns[self.start]
        latest = start.max()
        open_end = latest + dt.timedelta(days=1) if latest is not None else None  # open term
        columns = {"group": item.columns[self.group], "start": start, "end": item.columns[self.end]}
        frame = (pl.DataFrame(columns)
                 .with_row_index("row")
                 .with_columns(pl.col("end").fill_null(open_end))
                 .drop_nulls(["group", "start"])
                 .sort(["group", "start"], maintain_order=True)
                 .with_columns(pl.col("end").shift().over("group").alias("previous_end"))
                 .with_columns(pl.col("previous_end").cum_max().over("group").alias("running_end")))
        overlapping = frame.filter(pl.col("start") < pl.col("running_end"))["row"]
        bad = mask_of(len(start), overlapping)
        return item.where.problems(
            bad, self.start, item.columns[self.start], self.rule,
            f"this {self.group} already has a holder on this day (periods overlap)")


@dataclass(frozen=True)
class Lineage:
    """``follows_id`` points to another row that is not later than this one (by the date of
    its event), and following it never comes back to where it started."""

    table: str = "proposals"
    key: str = "proposal_id"
    column: str = "follows_id"
    rule: str = "lineage"

    def describe(self) -> str:
        return (f"`{self.table}.{self.column}` names an earlier (or same-day) {self.table} row, "
                "never itself, and never forms a cycle")

    def problems(self, loaded: dict[str, Loaded]) -> list[Problem]:
        item, events = loaded.get(self.table), loaded.get("events")
        if item is None or not {self.key, self.column, "event_id"} <= item.columns.keys():
            return []
        keys = item.columns[self.key].to_list()
        follows = item.columns[self.column].to_list()
        dates: dict = {}
        if events is not None:
            for k, d in zip(keys, _lookup(item.columns["event_id"], _start_dates(events)).to_list()):
                if d is not None:
                    dates.setdefault(k, d)
        parent = {k: f for k, f in zip(keys, follows) if isinstance(f, str)}
        messages = {}
        for i, (k, f) in enumerate(zip(keys, follows)):
            if not isinstance(f, str):
                continue
            if f == k:
                messages[i] = "a proposal cannot follow itself"
            elif f in dates and k in dates and dates[f] > dates[k]:
                messages[i] = "the proposal it follows is later than this one"
            else:
                seen, current = {k}, f
                while current in parent and current not in seen:
                    seen.add(current)
                    current = parent[current]
                if current in seen:
                    messages[i] = "following follows_id comes back to this proposal (a cycle)"
        problems = []
        for i, message in messages.items():
            problems += item.where.problems(mask_of(len(keys), i), self.column,
                                            item.columns[self.column], self.rule, message)
        return problems


@lru_cache(maxsize=1)
def country_codes() -> dict[str, dict[str, str]]:
    """The shipped crosswalk (kdata/country_codes.csv): ISO alpha-3 to COW and G-W codes."""
    text = resources.files("kdata").joinpath("country_codes.csv").read_text(encoding="utf-8")
    return {row["iso3"]: row for row in csv.DictReader(io.StringIO(text))}


@dataclass(frozen=True)
class CrosswalkMatch:
    """A state's ``column`` code is the one the shipped crosswalk gives for its ISO code, and a
    state the crosswalk lists carries it (an empty code would drop the state from any merge
    with COW or G-W data)."""

    column: str
    crosswalk_column: str
    rule: str
    table: str = "actors"

    def describe(self) -> str:
        return (f"a state's `{self.column}` is the one `kdata/country_codes.csv` gives for its "
                "`country`, and is given wherever that file lists the country")

    def problems(self, loaded: dict[str, Loaded]) -> list[Problem]:
        item = loaded.get(self.table)
        if item is None or not {self.column, "country"} <= item.columns.keys():
            return []
        import polars as pl

        codes = {iso: float(row[self.crosswalk_column]) for iso, row in country_codes().items()}
        country = item.columns["country"].cast(pl.String)
        expected = country.replace_strict(codes, default=None, return_dtype=pl.Float64)
        given = item.columns[self.column].cast(pl.Float64, strict=False)
        wrong = as_mask(given.is_not_null()) & ~as_mask(given == expected)
        problems = item.where.problems(
            wrong, self.column, item.columns[self.column], self.rule,
            "does not match the crosswalk's code for the row's country")
        if "actor_type" in item.columns:
            state = _values_in(item.columns["actor_type"], ("state",))
            missing = state & as_mask(given.is_null()) & as_mask(expected.is_not_null())
            problems += item.where.problems(
                missing, self.column, None, self.rule,
                "is required for a state the crosswalk lists (kdata/country_codes.csv)")
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
        import polars as pl

        start = _start_dates(events)
        links = pl.DataFrame({"key": child.columns[self.child_key],
                              "value": _lookup(child.columns[self.child_event], start)})
        earliest = links.drop_nulls().group_by("key").agg(pl.col("value").min())
        expected = _lookup(item.columns[self.key], earliest)
        named = _lookup(item.columns[self.column], start)
        bad = as_mask(expected.is_not_null()) & ~as_mask(named == expected)
        return item.where.problems(
            bad, self.column, item.columns[self.column], self.rule,
            f"must be the earliest event in {self.child} for this {self.key}")


#: Event types that may have no PLOVER category: a change of leader or office holder
#: (leadership-change, other), a defection (other), a claim about a weapon (declaration).
PLOVER_EXEMPT = ("leadership-change", "other", "declaration")

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
    FirstHand(),
    Implies("events", "event_type", ("incident",), "plover_category", ("ASSAULT", "COERCE"),
            "incident-plover"),
    RequiredUnless("events", "plover_category", "event_type", PLOVER_EXEMPT, "plover-required"),
    ParentIn("event_actors", "actor_id", "actors", "actor_id", "actor_type", ("person",),
             "leader-person", only=("role", ("leader",))),
    AtLeast("events", "event_id", "event_type", ("summit",), "event_actors", "event_id", "role",
            "leader", 2, "summit-leaders"),
    Paired("events", "site_precision", "site_id", "site-precision"),
    ParentIn("events", "site_id", "sites", "site_id", "site_type", ("city",), "site-precision-city",
             only=("site_precision", ("city",))),
    EarliestChild("weapons", "weapon_id", "first_launch_event_id", "launches", "weapon_id",
                  "event_id", "first-launch"),
    NeedsChild("events", "event_id", "event_type", ("nuclear-test",), "measures", "event_id",
               "test-measures"),
    Ordered("measures", ("low", "best", "high"), "measure-range"),
    ParentIn("un_decisions", "event_id", "events", "event_id", "event_type", ("un-action",),
             "un-decision-type"),
    AtLeast("un_decisions", "event_id", "kind", ("vetoed-draft",), "event_actors", "event_id",
            "role", "vetoer", 1, "veto-without-vetoer"),
    CouncilVotes(),
    CrosswalkMatch("cow_code", "cow_code", "cow-code"),
    CrosswalkMatch("gw_code", "gw_code", "gw-code"),
    Lineage(),
    NoOverlap("offices", "office", "start_date", "end_date", "office-overlap"),
    *(Implies("measures", "measure", measures, "unit", (unit,), "measure-unit")
      for unit, measures in MEASURE_UNITS.items()),
)


def codebook_problems(loaded: dict[str, Loaded]) -> list[Problem]:
    """Every codebook rule, applied to the loaded tables."""
    try:
        return [p for rule in CODEBOOK_RULES for p in rule.problems(loaded)]
    finally:  # the shared date index is large at a million events: free it with the rules
        for item in loaded.values():
            item.__dict__.pop("_start_dates", None)
