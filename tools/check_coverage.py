"""Check every class that datapackage.json declares ``complete`` against its reference list.

A reference list (``tools/reference/*.csv``) holds one row per expected event with its date, a
label and the URL of the source that lists it, and optionally ``event_id``: where a list has
that column, a row is covered only by the event it names (and an empty cell, a row not yet
built, by none), since several of a leader's meetings can share a month. ``status`` is
``expected``, or ``excluded: why`` for a row a source lists but the codebook's rule leaves out
(a surface-to-air missile, say), so that every decision is written down. Dates are Korea time
unless ``basis`` is ``utc``: a UTC date with no known time may fall on the next day in Korea, so
either day matches.

Prints what is missing from the data and what the data holds beyond the list; exits 1 if
either is non-empty. ``python tools/check_coverage.py [PACKAGE_DIR] [--checklists]``; with
``--checklists``, also says how far the data has got through the checklists of the series
still declared selective (which do not change the exit code). The classes and series come
from the ``coverage`` section of datapackage.json.

It also checks that every agreement and declaration has its commitments in ``proposals``, or
a row of ``tools/reference/texts_without_items.csv`` saying why it has none (``reason``, and
``items_event_id`` where the commitments are items of another event).
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import kdata  # noqa: E402
from kdata.coverage import coverage_classes, coverage_series  # noqa: E402
from kdata.package import open_package  # noqa: E402

REPOSITORY = Path(__file__).resolve().parent.parent
WITHOUT_ITEMS = "tools/reference/texts_without_items.csv"
#: Why an agreement or declaration has no items of its own; True where the reason names the
#: event whose items hold its commitments.
NO_ITEMS_REASONS = {
    "in-force": True,            # a text entering into force; its items belong to the signing
    "implements": True,          # carries out an item of another agreement
    "itemised-elsewhere": True,  # its pledge is an item of another event's package
    "renunciation": False,       # withdraws from or suspends an earlier commitment
    "claim": False,              # a claim or disclosure of fact
    "policy-statement": False,   # one side's policy or intent, no undertaking to another
}


@dataclass(frozen=True)
class Expected:
    """One row of a reference list."""

    day: date
    precision: str
    basis: str
    label: str
    url: str
    #: The event that covers the row; None where the list matches by date alone.
    event_id: str | None = None

    def days(self) -> set[date]:
        """The Korea-time days this row may fall on."""
        if self.basis == "utc":
            return {self.day, self.day + timedelta(days=1)}
        return {self.day}


def read_reference(path: Path) -> list[Expected]:
    """The rows of a reference list whose status is ``expected``."""
    with path.open(encoding="utf-8", newline="") as f:
        return [
            Expected(date.fromisoformat(r["date"]), r["date_precision"], r.get("basis") or "kst", r["label"],
                     r["source_url"], r.get("event_id"))
            for r in csv.DictReader(f) if r["status"] == "expected"
        ]


def compare(events: list[tuple[str, date, date, str]], expected: list[Expected],
            start: date, end: date) -> tuple[list[Expected], list[str]]:
    """Reference rows no event covers, and events (in the period) no reference row names.

    ``events`` are (event_id, start, end, precision). A day-precision row is covered by an
    event whose span includes one of its days; a month-precision row, or any row whose event
    is dated only to the month, by a month-precision event of the same month; a row that names
    its event, by that event alone, on those terms.
    """
    covered: set[str] = set()
    missing = []
    for row in expected:
        hits = [e for e in events if _covers(e, row)]
        covered.update(e[0] for e in hits)
        if not hits:
            missing.append(row)
    extra = [e[0] for e in events if start <= e[1] <= end and e[0] not in covered]
    return missing, extra


def _covers(event: tuple[str, date, date, str], row: Expected) -> bool:
    event_id, first, last, precision = event
    if row.event_id is not None and event_id != row.event_id:
        return False
    same_month = (first.year, first.month) == (row.day.year, row.day.month)
    if row.precision == "month" or precision == "month":  # an event dated to its month only
        return precision == "month" and same_month
    return any(first <= d <= last for d in row.days())


def spans(rows: pd.DataFrame) -> list[tuple[str, date, date, str]]:
    """(event_id, first day, last day, precision) of each event, as ``compare`` takes them."""
    return [(r.event_id, r.start_date.date(),
             (r.start_date if pd.isna(r.end_date) else r.end_date).date(), r.date_precision)
            for r in rows.itertuples()]


def check(name: str, events: pd.DataFrame, reference: str, start: str, end: str) -> bool:
    """Compare one complete class or series with its reference; print the result; True if
    nothing is missing and nothing is extra."""
    spans_ = spans(events)
    expected = read_reference(REPOSITORY / reference)
    missing, extra = compare(spans_, expected, date.fromisoformat(start), date.fromisoformat(end))
    print(f"{name}: {len(expected)} expected in {reference}, {len(spans_)} events, "
          f"{len(missing)} missing, {len(extra)} not in the reference")
    for row in missing:
        print(f"  missing: {row.day} ({row.precision}) {row.label}  <{row.url}>")
    for event_id in extra:
        print(f"  not in the reference: {event_id}")
    return not (missing or extra)


def checklist_progress(events: pd.DataFrame,
                       reference: str) -> tuple[list[Expected], list[Expected]]:
    """The rows of a checklist and those of them no event covers yet."""
    expected = read_reference(REPOSITORY / reference)
    missing, _ = compare(spans(events), expected, date.min, date.min)
    return expected, missing


def progress(name: str, events: pd.DataFrame, reference: str) -> None:
    """How far a selective series has got through its checklist (a guide, not a test)."""
    expected, missing = checklist_progress(events, reference)
    print(f"{name} (selective): {len(expected) - len(missing)} of {len(expected)} rows of {reference} "
          "in the data")
    for row in missing:
        print(f"  not yet: {row.day} {row.label}  <{row.url}>")


def check_items(tables: dict[str, pd.DataFrame]) -> bool:
    """Every agreement and declaration has rows in ``proposals`` or a reason in
    WITHOUT_ITEMS; print the result; True if every one is accounted for."""
    events = tables["events"]
    texts = set(events.loc[events["event_type"].isin(["agreement", "declaration"]), "event_id"])
    itemised = set(tables["proposals"]["event_id"].dropna())
    with (REPOSITORY / WITHOUT_ITEMS).open(encoding="utf-8", newline="") as f:
        listed = {r["event_id"]: r for r in csv.DictReader(f)}
    problems = [f"no items and no reason in {WITHOUT_ITEMS}: {e}"
                for e in sorted(texts - itemised - listed.keys())]
    for event_id, row in listed.items():
        names_event = NO_ITEMS_REASONS.get(row["reason"])
        if event_id not in texts:
            problems.append(f"listed but not an agreement or declaration: {event_id}")
        elif event_id in itemised:
            problems.append(f"listed without items but has items: {event_id}")
        elif names_event is None:
            problems.append(f"unknown reason {row['reason']!r}: {event_id}")
        elif names_event and row["items_event_id"] not in itemised:
            problems.append(f"reason {row['reason']!r} needs items_event_id, an event with items: "
                            f"{event_id} -> {row['items_event_id'] or '(empty)'}")
    print(f"agreements and declarations: {len(texts)} events, {len(texts & itemised)} itemised in "
          f"proposals, {len(texts & listed.keys())} without items for a stated reason, "
          f"{len(problems)} problems")
    for problem in problems:
        print(f"  {problem}")
    return not problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    checklists = "--checklists" in args
    args = [a for a in args if a != "--checklists"]
    package_dir = args[0] if args else None
    descriptor = open_package(package_dir).descriptor
    tables = kdata.load_all(package_dir)
    table = tables["events"]
    ok = True
    for c in coverage_classes(descriptor):
        if c.status == "complete":
            ok &= check(c.name, table[table["event_type"].isin(c.event_types)], c.checked_against,
                        c.start, c.end)
    for s in coverage_series(descriptor):
        if s.status == "complete":
            ok &= check(s.name, s.events(tables), s.checked_against, s.start, s.end)
        elif checklists and s.checked_against:
            progress(s.name, s.events(tables), s.checked_against)
    ok &= check_items(tables)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
