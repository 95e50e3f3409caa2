"""The coverage statement: what the events table claims to hold, class by class.

``datapackage.json`` carries a ``coverage`` section. Each class names its event types and says
whether it is ``complete`` (every event of its kind in a period, checked against a reference
list kept in the repository) or ``selective`` (the events its one-sentence rule admits). Every
event type belongs to exactly one class, so no count is left without a statement of what it
counts. The codebook and ``kdata info`` print it; the validator checks its shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kdata.package import DESCRIPTOR
from kdata.validation.report import Problem

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


def coverage_classes(descriptor: dict[str, Any]) -> list[CoverageClass]:
    """The classes of a descriptor's coverage section (empty if it has none)."""
    section = descriptor.get("coverage")
    if not isinstance(section, dict) or not isinstance(section.get("classes"), list):
        return []
    return [
        CoverageClass(
            name=str(c.get("name", "")), title=str(c.get("title", "")),
            event_types=tuple(c.get("event_types") or ()), status=str(c.get("status", "")),
            rule=str(c.get("rule", "")), start=str(c.get("start", "")),
            end=str(c.get("end", "")), checked_against=str(c.get("checked_against", "")),
        )
        for c in section["classes"] if isinstance(c, dict)
    ]


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
        if c.status not in STATUSES:
            problem(c.status, f"class {c.name!r}: status must be one of {', '.join(STATUSES)}")
        if not c.rule:
            problem(c.name, f"class {c.name!r} needs a rule: one sentence saying what it holds")
        if c.status == "complete" and not (c.start and c.end and c.checked_against):
            problem(c.name, f"complete class {c.name!r} needs start, end and checked_against")
        for t in c.event_types:
            if event_types is not None and t not in event_types:
                problem(t, f"class {c.name!r} names an event type the events schema does not have")
            if t in claimed:
                problem(t, f"event type in two classes: {claimed[t]!r} and {c.name!r}")
            claimed[t] = c.name
    for t in event_types or ():
        if t not in claimed:
            problem(t, "this event type belongs to no coverage class")
    return problems


def coverage_lines(descriptor: dict[str, Any]) -> list[str]:
    """The coverage statement as text lines, for ``kdata info``."""
    return [f"  {c.title}: {c.summary}. {c.rule}" for c in coverage_classes(descriptor)]
