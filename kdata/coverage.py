"""The coverage statement: what the events table claims to hold, class by class.

``datapackage.json`` carries a ``coverage`` section. Each class names its event types and says
whether it is ``complete`` (every event of its kind in a period, checked against a reference
list kept in the repository) or ``selective`` (the events its one-sentence rule admits). Every
event type belongs to exactly one class, so no count is left without a statement of what it
counts. Within a selective class, a *series* can be complete on its own: the summits of a
North Korean leader, the Security Council's decisions, the rounds of named negotiations. A
series selects its events by type and by one of: a leader who took part, a value of
``events.series``, or the body of a ``un_decisions`` row. The codebook, ``kdata info`` and the
site print the statement; the validator checks its shape; ``tools/check_coverage.py`` checks
every complete class and series against its reference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kdata.package import DESCRIPTOR
from kdata.validation.report import Problem

if TYPE_CHECKING:
    import pandas as pd

STATUSES = ("complete", "selective")


@dataclass(frozen=True)
class CoverageClass:
    """One class of events and what the package claims about it."""

    name: str
    title: str
    event_types: tuple[str, ...]
    status: str
    rule: str
    start: str = ""
    end: str = ""
    checked_against: str = ""

    @property
    def summary(self) -> str:
        """One line: ``complete 1984-01-01 to 2024-12-31`` or ``selective``."""
        if self.status == "complete":
            return f"complete from {self.start} to {self.end}"
        return self.status


#: How a series may narrow its event types: the key in ``select`` and what it matches.
SELECTORS = {
    "leaders": "an actor who took part as `leader` (event_actors)",
    "series": "a value of `events.series`",
    "un_bodies": "the `body` of the event's `un_decisions` row",
}


@dataclass(frozen=True)
class Series(CoverageClass):
    """A subset of events, complete or selective on its own, chosen by ``select``."""

    select: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def events(self, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
        """The rows of ``tables["events"]`` that belong to the series."""
        events = tables["events"]
        keep = events["event_type"].isin(self.event_types)
        for key, values in self.select:
            if key == "leaders":
                roles = tables["event_actors"]
                ids = roles.loc[roles["actor_id"].isin(values) & (roles["role"] == "leader"), "event_id"]
            elif key == "un_bodies":
                decisions = tables["un_decisions"]
                ids = decisions.loc[decisions["body"].isin(values), "event_id"]
            else:
                ids = events.loc[events["series"].isin(values), "event_id"]
            keep &= events["event_id"].isin(ids)
        return events[keep]


def coverage_classes(descriptor: dict[str, Any]) -> list[CoverageClass]:
    """The classes of a descriptor's coverage section (empty if it has none)."""
    return [CoverageClass(**_common(c)) for c in _entries(descriptor, "classes")]


def coverage_series(descriptor: dict[str, Any]) -> list[Series]:
    """The series of a descriptor's coverage section (empty if it has none)."""
    return [Series(**_common(c), select=_select(c.get("select")))
            for c in _entries(descriptor, "series")]


def _entries(descriptor: dict[str, Any], key: str) -> list[dict[str, Any]]:
    section = descriptor.get("coverage")
    entries = section.get(key) if isinstance(section, dict) else None
    return [c for c in entries if isinstance(c, dict)] if isinstance(entries, list) else []


def _common(c: dict[str, Any]) -> dict[str, Any]:
    """The fields classes and series share, as text (a malformed value is reported, not raised)."""
    text = {k: str(c.get(k, "")) for k in ("name", "title", "status", "rule", "start", "end",
                                             "checked_against")}
    return {**text, "event_types": tuple(c.get("event_types") or ())}


def _select(raw: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``{"leaders": ["kim-jong-un"]}`` as pairs; a malformed value becomes an empty list,
    which the shape check reports."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        return (("select", ()),)
    return tuple((str(k), tuple(str(x) for x in v) if isinstance(v, list) else ()) for k, v in raw.items())


def coverage_problems(descriptor: dict[str, Any], event_types: tuple[str, ...] | None) -> list[Problem]:
    """The coverage section must give each event type exactly one class, a known status, and,
    for a complete class, its period and the reference it was checked against."""
    if "coverage" not in descriptor:
        return []
    problems: list[Problem] = []

    def problem(value: str | None, message: str) -> None:
        problems.append(Problem(DESCRIPTOR, None, "coverage", value, "coverage", message))

    classes = coverage_classes(descriptor)
    if not classes:
        problem(None, "the coverage section needs a list of classes")
    claimed: dict[str, str] = {}
    for c in classes:
        shape_problems("class", c, event_types, problem)
        for t in c.event_types:
            if t in claimed:
                problem(t, f"event type in two classes: {claimed[t]!r} and {c.name!r}")
            claimed[t] = c.name
    for t in event_types or ():
        if t not in claimed:
            problem(t, "this event type belongs to no coverage class")
    names: set[str] = set()
    for c in coverage_series(descriptor):
        if c.name in names or not c.name:
            problem(c.name, f"series {c.name!r}: every series needs a name of its own")
        names.add(c.name)
        shape_problems("series", c, event_types, problem)
        for key, values in c.select:
            if key not in SELECTORS or not values:
                problem(key, f"series {c.name!r}: select takes a non-empty list under one of "
                             f"{', '.join(SELECTORS)}")
    return problems


def shape_problems(kind: str, c: CoverageClass, event_types: tuple[str, ...] | None,
                   problem: Callable[[str | None, str], None]) -> None:
    """What a class and a series must both have: a known status, a rule, event types the
    schema knows, and for a complete one its period and reference."""
    if c.status not in STATUSES:
        problem(c.status, f"{kind} {c.name!r}: status must be one of {', '.join(STATUSES)}")
    if not c.rule or not c.event_types:
        problem(c.name, f"{kind} {c.name!r} needs event_types and a rule: one sentence saying what it holds")
    if c.status == "complete" and not (c.start and c.end and c.checked_against):
        problem(c.name, f"complete {kind} {c.name!r} needs start, end and checked_against")
    for t in c.event_types:
        if event_types is not None and t not in event_types:
            problem(t, f"{kind} {c.name!r} names an event type the events schema does not have")


def coverage_lines(descriptor: dict[str, Any]) -> list[str]:
    """The coverage statement as text lines, for ``kdata info``."""
    lines = [f"  {c.title}: {c.summary}. {c.rule}" for c in coverage_classes(descriptor)]
    series = coverage_series(descriptor)
    if series:
        lines.append("  Series within them:")
        lines += [f"    {c.title}: {c.summary}. {c.rule}" for c in series]
    return lines
