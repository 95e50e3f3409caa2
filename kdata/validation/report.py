"""Validation findings as values: one ``Problem`` per finding, gathered in a ``Report``."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]

#: Rules that make every other finding on the same cell redundant.
_CELL_SUPERSEDING_RULES = frozenset({"type", "encoding"})
_VALUE_SHOWN = 60
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Problem:
    """One finding: where it is (file, line, column), the value, the rule broken, and why."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    rule: str
    message: str
    table: str | None = None
    severity: Severity = "error"

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.file, self.line or 0, self.column or "", self.rule)

    def format(self) -> str:
        """``file:line: column: value: rule: message``, leaving out the parts that do not apply."""
        place = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [place]
        if self.column is not None:
            parts.append(self.column)
        if self.value is not None:
            parts.append(_show(self.value))
        parts += [self.rule, self.message]
        text = _escape(": ".join(parts))  # a column name or message can carry raw bytes too
        return f"warning: {text}" if self.severity == "warning" else text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _escape(text: str) -> str:
    """Control characters (NUL, carriage return, terminal escapes) written as escapes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _show(value: str) -> str:
    """A value as printed in a report: quoted, shortened, and with every control character
    (NUL, carriage return, terminal escapes) written as an escape, never sent raw."""
    shown = value if len(value) <= _VALUE_SHOWN else value[: _VALUE_SHOWN - 1] + "…"
    shown = shown.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + _escape(shown) + '"'


@dataclass
class Report:
    """The outcome of validating one package: ``ok`` when it has no errors (warnings allowed)."""

    package: str
    problems: list[Problem] = field(default_factory=list)
    max_errors: int | None = None

    def __post_init__(self) -> None:
        self.problems = _merge(self.problems)

    @property
    def errors(self) -> list[Problem]:
        found = [p for p in self.problems if p.severity == "error"]
        return found if self.max_errors is None else found[: self.max_errors]

    @property
    def error_count(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def files_with_errors(self) -> list[str]:
        return sorted({p.file for p in self.problems if p.severity == "error"})

    def summary(self) -> str:
        """One closing line: the counts, in plain words."""
        files = len(self.files_with_errors)
        if self.ok:
            text = "valid"
        else:
            text = f"{_count(self.error_count, 'error')} in {_count(files, 'file')}"
        if self.warnings:
            text += f", {_count(len(self.warnings), 'warning')}"
        return text

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with stable keys (see the README's validation section)."""
        return {
            "ok": self.ok,
            "package": self.package,
            "error_count": self.error_count,
            "warning_count": len(self.warnings),
            "files_with_errors": self.files_with_errors,
            "truncated": len(self.errors) < self.error_count,
            "errors": [p.to_dict() for p in self.errors],
            "warnings": [p.to_dict() for p in self.warnings],
        }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _merge(problems: list[Problem]) -> list[Problem]:
    """Sort by file and line, drop exact repeats, and drop findings on a cell already failed
    by its type or encoding (the other checks cannot judge a value that did not parse)."""
    superseded = {
        (p.file, p.line, p.column)
        for p in problems
        if p.rule in _CELL_SUPERSEDING_RULES and p.column is not None
    }
    seen: set[tuple[Any, ...]] = set()
    merged = []
    for p in sorted(problems, key=Problem.sort_key):
        key = (p.file, p.line, p.column, p.value, p.rule, p.message, p.severity)
        if key in seen:
            continue
        if p.rule not in _CELL_SUPERSEDING_RULES and (p.file, p.line, p.column) in superseded:
            continue
        seen.add(key)
        merged.append(p)
    return merged
