"""Checks of single cells and columns, vectorised in polars: each cell parsed into its Table
Schema type, text hygiene, and the schema's constraints (required, unique, primary key,
pattern, enum, minimum and maximum, lengths).

Every check of a table is one polars expression, and all of them run in one pass over the
frame; only the checks that find something are turned into ``Problem`` values, each naming
the file line of its row so that a contributor can go straight to it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from kdata.package import DESCRIPTOR, Field, Table
from kdata.types import DATE_FORMAT
from kdata.validation.csvtext import MAX_CELL_CHARS
from kdata.validation.report import Problem

if TYPE_CHECKING:
    import polars as pl

FORMULA_PREFIXES = ("=", "+", "-", "@")
_ENUM_LISTED = 20
#: Lexical forms of the Table Schema types that are checked by their shape (Rust regex syntax).
_SHAPES = {
    "date": r"^\d{4}-\d{2}-\d{2}$",
    "datetime": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$",
    "time": r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?$",
    "year": r"^-?\d{4}$",
    "yearmonth": r"^\d{4}-(0[1-9]|1[0-2])$",
    "duration": r"^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$",
    "geopoint": r"^-?\d+(\.\d+)?, ?-?\d+(\.\d+)?$",
}
_TYPE_MESSAGES = {
    "date": "not a calendar date in the form YYYY-MM-DD",
    "datetime": "not a date and time in the form YYYY-MM-DDThh:mm:ss",
    "time": "not a time in the form hh:mm:ss",
    "year": "not a year (four digits)",
    "yearmonth": "not a year and month in the form YYYY-MM",
    "duration": "not an ISO 8601 duration (such as P1Y2M or PT3H)",
    "geopoint": 'not a point in the form "longitude, latitude"',
    "number": "not a number",
    "integer": "not a whole number",
    "boolean": "not true or false",
    "object": "not a JSON object",
    "array": "not a JSON array",
    "geojson": "not a JSON object",
}


class Check(NamedTuple):
    """One vectorised check: the rows where ``expr`` holds break ``rule`` in ``field``."""

    expr: pl.Expr
    field: Field
    rule: str
    message: str
    severity: str = "error"


class Located:
    """Turns boolean masks over a table's rows into problems that name file lines."""

    def __init__(self, file: str, table: str, lines: pl.Series | Sequence[int]):
        import polars as pl

        self.file, self.table = file, table
        if not isinstance(lines, pl.Series):
            lines = pl.Series("line", lines, dtype=pl.Int64)
        self.lines = lines

    def problems(
        self,
        mask: pl.Series,
        column: str | None,
        values: pl.Series | None,
        rule: str,
        message: str,
        severity: str = "error",
    ) -> list[Problem]:
        rows = as_mask(mask).arg_true()
        if not len(rows):
            return []
        shown = values.gather(rows).to_list() if values is not None else [None] * len(rows)
        return [
            Problem(self.file, line, column, _text(v), rule, message, self.table, severity)
            for line, v in zip(self.lines.gather(rows).to_list(), shown)
        ]


def as_mask(condition: pl.Series) -> pl.Series:
    """A condition as a boolean mask without gaps; a missing result never fails a rule (the
    cell's own check reports a missing or unparsable value)."""
    return condition.fill_null(False)


def mask_of(length: int, rows: pl.Series | Sequence[int] | int = ()) -> pl.Series:
    """A mask of ``length`` rows, true at ``rows`` (at none by default)."""
    import polars as pl

    return pl.repeat(False, length, dtype=pl.Boolean, eager=True).scatter(rows, True)


def member_of(values: pl.Series | pl.DataFrame, allowed: pl.Series | pl.DataFrame) -> pl.Series:
    """Which of ``values`` occur among ``allowed``, as a boolean mask (missing values never do).

    Keys that link two large tables arrive interned as categoricals
    (``rules.intern_large_keys``), whose codes are shared across tables, so they compare as
    integers; other columns are hashed by polars' ``is_in``; keys of several columns (two
    frames with the same column names) are matched by a semi-join on the row index.
    """
    import polars as pl

    if isinstance(values, pl.DataFrame):
        indexed = values.with_row_index("__row")
        found = indexed.join(allowed.unique(), on=list(values.columns), how="semi", nulls_equal=False)
        return indexed["__row"].is_in(found["__row"].implode())
    if values.dtype == pl.Categorical or allowed.dtype == pl.Categorical:
        values, allowed = values.cast(pl.Categorical), allowed.cast(pl.Categorical)
        return as_mask(values.to_physical().is_in(allowed.to_physical().drop_nulls().implode()))
    if values.dtype != allowed.dtype:
        allowed = allowed.cast(values.dtype, strict=False)
    return as_mask(values.is_in(allowed.drop_nulls().implode()))


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.date):
        return value.strftime(DATE_FORMAT)
    return str(value)


# -- types and hygiene ------------------------------------------------------------------------


def typed_columns(
    frame: pl.DataFrame, table: Table, where: Located, *, may_break_lines: bool = True
) -> tuple[dict[str, pl.Series], list[Problem]]:
    """Parse each column of text into its schema type; report cells that do not parse, and
    text that would harm a spreadsheet or a diff. Cells that fail are missing afterwards.
    ``may_break_lines=False`` (known from the file's structure) skips the line-break search."""
    import polars as pl

    fields = [f for f in table.fields if f.name in frame.columns]
    parsed = frame.select([_parse(f).alias(f.name) for f in fields])
    checks: list[Check] = []
    for f in fields:
        text, value = pl.col(f.name), parsed[f.name]
        empty = text == ""
        if f.type in _TYPE_MESSAGES:
            checks.append(Check(~empty & pl.lit(value.is_null()), f, "type", _TYPE_MESSAGES[f.type]))
        if f.required:
            checks.append(Check(empty, f, "required", "a value is required"))
        checks.append(Check(text.str.len_chars() > MAX_CELL_CHARS, f, "cell-size",
                            f"the cell is longer than {MAX_CELL_CHARS} characters"))
        if f.type == "string":
            checks += [
                Check(text != text.str.strip_chars(), f, "whitespace", "leading or trailing white space"),
                Check(pl.any_horizontal([text.str.starts_with(p) for p in FORMULA_PREFIXES]), f, "formula",
                      "text begins with =, +, - or @, which spreadsheets run as a formula"),
            ]
            if may_break_lines:
                checks.append(Check(text.str.contains("[\r\n]"), f, "line-break",
                                    "a line break inside a cell; keep text on one line", "warning"))
    problems = _run(frame, checks, where, lambda f: frame[f.name])
    return {f.name: parsed[f.name] for f in fields}, problems


def _run(frame: pl.DataFrame, checks: list[Check], where: Located,
         shown: Callable[[Field], pl.Series]) -> list[Problem]:
    """Evaluate every check in one pass over ``frame``; build problems only for the checks that
    found something, each showing the value ``shown`` gives for its field."""
    if not checks or not frame.height:
        return []
    masks = frame.select([c.expr.fill_null(False).alias(str(i)) for i, c in enumerate(checks)])
    problems: list[Problem] = []
    for check, column, count in zip(checks, masks.columns, masks.sum().row(0)):
        if count:
            problems += where.problems(masks[column], check.field.name, shown(check.field),
                                       check.rule, check.message, check.severity)
    return problems


def _parse(f: Field) -> pl.Expr:
    """The column's values in its type: Date, Int64, Float64, Boolean or String (missing when
    the text is empty or does not parse). Whole numbers stay Int64, so that a rule reports
    "732" as the file writes it, not "732.0"."""
    import polars as pl

    text = pl.col(f.name)
    blank = text == ""
    if f.type == "date":
        return (pl.when(text.str.contains(_SHAPES["date"]))
                .then(text.str.to_date(DATE_FORMAT, strict=False)).otherwise(None))
    if f.type in ("number", "integer"):
        number = pl.when(blank).then(None).otherwise(text.str.strip_chars()).cast(pl.Float64, strict=False)
        if f.type == "number":
            return pl.when(number.is_finite()).then(number).otherwise(None)
        whole = number.is_finite() & (number == number.round(0)) & (number.abs() < 2.0**63)
        return pl.when(whole).then(number).otherwise(None).cast(pl.Int64)
    if f.type == "boolean":
        return pl.when(text == "true").then(True).when(text == "false").then(False).otherwise(None)
    if f.type in ("datetime", "time", "year", "yearmonth", "duration", "geopoint"):
        shaped = text.str.contains(_SHAPES[f.type])
        if f.type == "datetime":
            shaped = shaped & text.str.slice(0, 10).str.to_date(DATE_FORMAT, strict=False).is_not_null()
        if f.type == "duration":
            shaped = shaped & ~text.str.ends_with("T") & (text != "P")
        return pl.when(shaped).then(text).otherwise(None)
    if f.type in ("object", "array", "geojson"):
        wanted = list if f.type == "array" else dict
        return pl.when(blank).then(None).otherwise(
            text.map_elements(lambda s: s if _json_of(s, wanted) else None, return_dtype=pl.String))
    return pl.when(blank).then(None).otherwise(text)


def _json_of(text: str, wanted: type) -> bool:
    try:
        return isinstance(json.loads(text), wanted)
    except ValueError:
        return False


# -- the Table Schema's constraints ------------------------------------------------------------


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
        return "not one of: " + ", ".join(map(str, allowed))
    limits = {"minimum": field.minimum, "maximum": field.maximum,
              "minLength": field.min_length, "maxLength": field.max_length}
    words = {"minimum": "less than the minimum", "maximum": "more than the maximum",
             "minLength": "shorter than the minimum length", "maxLength": "longer than the maximum length"}
    return f"{words[rule]}, {limits[rule]}"


def constraint_problems(
    typed: dict[str, pl.Series], table: Table, where: Located, text: pl.DataFrame
) -> list[Problem]:
    """The Table Schema's constraints on the typed columns (a missing value breaks only
    ``required``, which ``typed_columns`` reports), each shown as written in the file."""
    import polars as pl

    frame = pl.DataFrame(typed) if typed else pl.DataFrame()
    checks: list[Check] = []
    problems: list[Problem] = []
    for f in table.fields:
        if f.name not in typed:
            continue
        value = pl.col(f.name)
        if f.unique and (repeated := _repeated(typed[f.name])).any():
            problems += where.problems(repeated, f.name, text[f.name], "unique",
                                       constraint_message("unique", f))
        if f.pattern is not None:
            if (bad_pattern := _pattern_problem(f, table)) is not None:
                problems.append(bad_pattern)
            else:
                checks.append(Check(~value.cast(pl.String).str.contains(f"^(?:{f.pattern})$"), f,
                                    "pattern", constraint_message("pattern", f)))
        if f.enum is not None:
            allowed = pl.Series(list(f.enum)).cast(typed[f.name].dtype, strict=False)
            checks.append(Check(~value.is_in(allowed.implode()), f, "enum", constraint_message("enum", f)))
        for rule, limit, compare in (("minimum", f.minimum, value.__lt__),
                                     ("maximum", f.maximum, value.__gt__)):
            if limit is not None and (bound := _bound(limit, typed[f.name].dtype)) is not None:
                checks.append(Check(compare(bound), f, rule, constraint_message(rule, f)))
        string = value.cast(pl.String)
        if f.min_length is not None:
            checks.append(Check(string.str.len_chars() < f.min_length, f, "minLength",
                                constraint_message("minLength", f)))
        if f.max_length is not None:
            checks.append(Check(string.str.len_chars() > f.max_length, f, "maxLength",
                                constraint_message("maxLength", f)))
    problems += _run(frame, checks, where, lambda f: text[f.name])
    return problems + _primary_key_problems(typed, table, where, text)


def _primary_key_problems(typed: dict[str, pl.Series], table: Table, where: Located,
                          text: pl.DataFrame) -> list[Problem]:
    """Rows whose primary key another row repeats (a key of one column that is also declared
    unique is left to the unique check)."""
    import polars as pl

    key = list(table.primary_key)
    if not key or not set(key) <= typed.keys():
        return []
    if len(key) == 1 and table.field(key[0]).unique:
        return []
    repeated = _repeated(pl.DataFrame({c: typed[c] for c in key}).select(pl.struct(key)).to_series(),
                         missing_count=True)
    if not repeated.any():
        return []
    shown = text.select(pl.concat_str([pl.col(c) for c in key], separator="|")).to_series()
    return where.problems(repeated, ",".join(key), shown, "primary-key",
                          constraint_message("primary-key", None))


def _repeated(values: pl.Series, *, missing_count: bool = False) -> pl.Series:
    """Rows whose value another row repeats (missing values only when ``missing_count``).

    Suspects are the rows whose 64-bit hash repeats (equal values hash alike); only they are
    compared as values, so a million distinct keys cost a hash each, not a comparison of text.
    """
    suspect = as_mask(values.hash().is_duplicated())
    if not suspect.any():
        return suspect
    rows = suspect.arg_true()
    among = values.gather(rows)
    confirmed = among.is_duplicated() if missing_count else among.is_not_null() & among.is_duplicated()
    return mask_of(len(values), rows.filter(as_mask(confirmed)))


def _pattern_problem(f: Field, table: Table) -> Problem | None:
    """A pattern that the regular-expression engine cannot compile, as a schema problem."""
    import polars as pl

    try:
        pl.Series([""], dtype=pl.String).str.contains(f"^(?:{f.pattern})$")
    except pl.exceptions.PolarsError as exc:
        reason = " ".join(str(exc).split())[:160]
        return Problem(DESCRIPTOR, None, f.name, f.pattern, "pattern",
                       f"{table.name}: the pattern cannot be compiled ({reason})", table.name)
    return None


def _bound(limit: Any, dtype: pl.DataType) -> Any:
    """A minimum or maximum in the column's type (a date for dates), or None if it has none."""
    import polars as pl

    if dtype == pl.Date:
        try:
            return dt.date.fromisoformat(str(limit))
        except ValueError:
            return None
    if isinstance(limit, bool) or not isinstance(limit, (int, float)):
        try:
            return float(str(limit))
        except ValueError:
            return None
    return limit
