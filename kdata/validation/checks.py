"""Checks of single cells and columns, vectorised: types and text hygiene here, and the
Table Schema's constraints through a pandera schema derived from it.

Each check returns ``Problem`` values that name the file line of the row, so a contributor
can go straight to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kdata.package import Field, Table
from kdata.types import DATE_FORMAT
from kdata.validation.csvtext import MAX_CELL_CHARS
from kdata.validation.report import Problem

if TYPE_CHECKING:
    import pandera.pandas as pa

FORMULA_PREFIXES = ("=", "+", "-", "@")
_DATE_SHAPE = r"\d{4}-\d{2}-\d{2}"
#: ``member_of`` probes the larger side against the smaller when one is this many times larger.
_FEW_OF_MANY = 8


class Located:
    """Turns boolean masks over a table's rows into problems that name file lines."""

    def __init__(self, file: str, table: str, lines: Sequence[int]):
        self.file, self.table = file, table
        self.lines = np.asarray(lines, dtype=np.int64)

    def problems(
        self,
        mask: pd.Series | np.ndarray,
        column: str | None,
        values: pd.Series | None,
        rule: str,
        message: str,
        severity: str = "error",
    ) -> list[Problem]:
        rows = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(rows):
            return []
        shown = values.iloc[rows].to_numpy(dtype=object) if values is not None else [None] * len(rows)
        return [
            Problem(self.file, int(self.lines[r]), column, _text(v), rule, message, self.table, severity)  # type: ignore[arg-type]
            for r, v in zip(rows, shown)
        ]


def member_of(values: pd.Series | pd.MultiIndex, allowed: pd.Series | pd.MultiIndex) -> np.ndarray:
    """Which of ``values`` occur among ``allowed``, as a boolean mask (missing values never do).

    The smaller side is hashed and the larger probed against it, so that a few hundred keys
    checked against a million (or the reverse) cost one pass over the million. When both are
    large, both are hashed once into shared integer codes: ``Series.isin`` with a large
    ``allowed`` turns arrow strings into Python objects one by one.
    """
    if isinstance(values, pd.MultiIndex):
        return allowed.dropna().unique().get_indexer(values) >= 0
    if len(values) * _FEW_OF_MANY <= len(allowed):
        found = allowed[allowed.isin(values.dropna().unique())].unique()
        return values.isin(found).to_numpy(dtype=bool)
    if len(allowed) * _FEW_OF_MANY <= len(values):
        return values.isin(allowed.dropna().unique()).to_numpy(dtype=bool)
    codes, _ = pd.factorize(pd.concat([values, allowed], ignore_index=True))
    ours, theirs = codes[: len(values)], codes[len(values):]
    known = np.zeros(codes.max(initial=-1) + 2, dtype=bool)
    known[theirs[theirs >= 0]] = True
    return known[ours] & (ours >= 0)


def _text(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime(DATE_FORMAT)
    return str(value)


def typed_columns(
    frame: pd.DataFrame, table: Table, where: Located, *, may_break_lines: bool = True
) -> tuple[dict[str, pd.Series], list[Problem]]:
    """Parse each column of text into its schema type; report cells that do not parse, and
    text that would harm a spreadsheet or a diff. Cells that fail are missing afterwards.
    ``may_break_lines=False`` (known from the file's structure) skips the line-break search."""
    typed: dict[str, pd.Series] = {}
    problems: list[Problem] = []
    for field in table.fields:
        if field.name not in frame:
            continue
        text = frame[field.name]
        empty = (text == "").to_numpy()
        column, bad, message = _parse(text, field, empty)
        if bad.any():
            problems += where.problems(bad, field.name, text, "type", message)
        problems += where.problems(empty & field.required, field.name, text, "required",
                                   "a value is required")
        too_long = (text.str.len() > MAX_CELL_CHARS).to_numpy()
        problems += where.problems(too_long, field.name, text, "cell-size",
                                   f"the cell is longer than {MAX_CELL_CHARS} characters")
        if field.type == "string":
            problems += _hygiene(text, field, where, may_break_lines)
        typed[field.name] = column
    return typed, problems


def _parse(text: pd.Series, field: Field, empty: np.ndarray) -> tuple[pd.Series, np.ndarray, str]:
    if field.type == "date":
        shaped = text.str.fullmatch(_DATE_SHAPE).to_numpy(dtype=bool)
        parsed = pd.to_datetime(text.where(shaped), format=DATE_FORMAT, errors="coerce")
        bad = ~empty & parsed.isna().to_numpy()
        return parsed, bad, "not a calendar date in the form YYYY-MM-DD"
    if field.type in ("number", "integer"):
        parsed = pd.to_numeric(text.where(~empty), errors="coerce").astype("float64")
        values = parsed.to_numpy()
        bad = ~empty & ~np.isfinite(values)
        if field.type == "integer":
            bad |= np.isfinite(values) & (values != np.round(values))
            return parsed, bad, "not a whole number"
        return parsed, bad, "not a number"
    if field.type == "boolean":
        parsed = text.map({"true": True, "false": False})
        return parsed, ~empty & parsed.isna().to_numpy(), "not true or false"
    return text.where(~empty).astype("string"), np.zeros(len(text), dtype=bool), ""


def _hygiene(text: pd.Series, field: Field, where: Located, may_break_lines: bool) -> list[Problem]:
    padded = (text != text.str.strip()).to_numpy()
    formula = text.str.startswith(FORMULA_PREFIXES).to_numpy(dtype=bool)
    problems = (
        where.problems(padded, field.name, text, "whitespace", "leading or trailing white space")
        + where.problems(formula, field.name, text, "formula",
                         "text begins with =, +, - or @, which spreadsheets run as a formula")
    )
    if may_break_lines:
        broken = text.str.contains("[\r\n]", regex=True).to_numpy(dtype=bool)
        problems += where.problems(broken, field.name, text, "line-break",
                                   "a line break inside a cell; keep text on one line", "warning")
    return problems


# -- the Table Schema's constraints, through pandera -----------------------------------------

#: pandera's names of its failed checks (by prefix), mapped to the Table Schema's rule names.
_PANDERA_RULES = {
    "not_nullable": "required",
    "field_uniqueness": "unique",
    "multiple_fields_uniqueness": "primary-key",
    "str_matches(": "pattern",
    "isin(": "enum",
    "greater_than_or_equal_to(": "minimum",
    "less_than_or_equal_to(": "maximum",
    "str_length(None": "maxLength",
    "str_length(": "minLength",
}
_ENUM_LISTED = 20


def constraint_message(rule: str, field: Field | None) -> str:
    """Plain words for a broken constraint, naming the limit the value broke."""
    if rule == "required":
        return "a value is required"
    if rule == "unique":
        return "the value must be unique in its column, and it is repeated"
    if rule == "primary-key":
        return "another row has the same primary key"
    assert field is not None
    if rule == "pattern":
        return f"does not match the pattern {field.pattern}"
    if rule == "enum":
        allowed = field.enum or ()
        if len(allowed) > _ENUM_LISTED:
            return f"not one of the {len(allowed)} allowed values (see the codebook)"
        return "not one of: " + ", ".join(allowed)
    limits = {"minimum": field.minimum, "maximum": field.maximum,
              "minLength": field.min_length, "maxLength": field.max_length}
    words = {"minimum": "less than the minimum", "maximum": "more than the maximum",
             "minLength": "shorter than the minimum length", "maxLength": "longer than the maximum length"}
    return f"{words[rule]}, {limits[rule]}"


def pandera_schema(table: Table) -> pa.DataFrameSchema:
    """Derive a pandera schema from the Table Schema (required, unique, pattern, enum,
    minimum/maximum, lengths, primary key), to run on the typed columns.

    Built from the parsed schema rather than with ``pandera.io.from_frictionless_schema``:
    that converter doubles the pattern anchors, maps dates to strings, and raises inside range
    checks on values it could not coerce, hiding the rest of the column's failures.
    """
    import pandera.pandas as pa

    columns = {}
    for f in table.fields:
        checks = []
        if f.pattern is not None:
            checks.append(pa.Check.str_matches(f.pattern))
        if f.enum is not None:
            checks.append(pa.Check.isin(list(f.enum)))
        if f.minimum is not None:
            checks.append(pa.Check.ge(f.minimum))
        if f.maximum is not None:
            checks.append(pa.Check.le(f.maximum))
        if f.min_length is not None:
            checks.append(pa.Check.str_length(min_value=f.min_length))
        if f.max_length is not None:
            checks.append(pa.Check.str_length(max_value=f.max_length))
        columns[f.name] = pa.Column(
            checks=checks, nullable=not f.required, unique=f.unique, required=False, coerce=False
        )
    primary_key = list(table.primary_key) if len(table.primary_key) > 1 else None
    return pa.DataFrameSchema(columns, unique=primary_key, name=table.name)


def constraint_problems(
    typed: dict[str, pd.Series], table: Table, where: Located, text: pd.DataFrame
) -> list[Problem]:
    """Run the derived pandera schema lazily on the typed columns, and turn its failure cases
    into problems that show each value as written in the file (``text``)."""
    import pandera.errors

    frame = pd.DataFrame(typed)
    try:
        pandera_schema(table).validate(frame, lazy=True)
        return []
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    problems = []
    for column, check, index in zip(cases["column"], cases["check"], cases["index"]):
        rule = _rule_name(str(check))
        if rule is None or index is None or pd.isna(index):
            continue
        row = int(index)
        if rule == "primary-key" or column not in frame:
            column = ",".join(table.primary_key)
            value = "|".join(str(text[c].iat[row]) for c in table.primary_key)
            field = None
        else:
            value = text[column].iat[row]
            field = table.field(column)
        problems.append(
            Problem(where.file, int(where.lines[row]), column, value, rule,
                    constraint_message(rule, field), table.name)
        )
    return problems


def _rule_name(check: str) -> str | None:
    return next((rule for key, rule in _PANDERA_RULES.items() if check.startswith(key)), None)

