"""Reading an untrusted CSV file as text, finding structural problems on the way.

The ``csv`` module is the judge of structure: every record's line number and field count are
its reading of the file. Files are read into a polars frame of exact text cells. A regular file
(each record on its own line, quotes only around whole fields, every row as wide as the header)
is proved so from counts alone and never goes through the ``csv`` module (nor numpy, whose
import would cost more than reading kdata's own files); anything else is measured record by
record (with numpy where the quoting allows, the ``csv`` module otherwise), and a file with
ragged rows is built from the ``csv`` records, padded, so that its cells can still be checked.
"""

from __future__ import annotations

import csv
import io
from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kdata.validation.report import Problem

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

BOM = b"\xef\xbb\xbf"
#: Files larger than this are refused unread.
MAX_FILE_BYTES = 2 * 1024**3
#: Cells longer than this are an error (and a sign of a broken quote).
MAX_CELL_CHARS = 10_000

csv.field_size_limit(MAX_FILE_BYTES)


@dataclass
class TextTable:
    """A CSV file as text cells: ``frame`` has one String column per header name ('' = empty)."""

    frame: pl.DataFrame | None
    #: The file line on which each record starts.
    lines: pl.Series | np.ndarray | list[int] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: False when no cell can hold a line break: no CR, and one line per record.
    may_break_lines: bool = True


def read_text_table(raw: bytes, file: str, table: str, expected: list[str]) -> TextTable:
    """Check the bytes of one CSV file (shown as ``file``): encoding, structure and header."""
    found = TextTable(frame=None)

    def problem(line: int | None, rule: str, message: str, value: str | None = None) -> None:
        found.problems.append(Problem(file, line, None, value, rule, message, table))

    if raw.startswith(BOM):
        problem(1, "bom", "the file begins with a byte-order mark; save it as UTF-8 without BOM")
        raw = raw[len(BOM):]
    if not raw or raw.isspace():  # (strip() would copy a large file to find out)
        problem(None, "empty-file", "the file is empty; it needs at least the header line")
        return found
    has_cr = b"\r" in raw
    if has_cr:
        found.problems.append(
            Problem(file, raw.count(b"\n", 0, raw.index(b"\r")) + 1, None, None, "line-ending",
                    "CR or CRLF line endings; `kdata format` rewrites them as LF", table, "warning")
        )

    quotes = _positions(raw, b'"')
    plain_quotes = _quotes_wrap_whole_fields(raw, quotes)
    regular = _regular(raw, quotes) if plain_quotes and not has_cr else None
    if regular is not None:  # polars has checked that every cell is UTF-8
        found.header, found.lines, found.frame, found.may_break_lines = regular
        found.problems += _header_problems(found.header, expected, file, table)
        return found
    try:
        raw.isascii() or raw.decode("utf-8")  # ASCII is UTF-8, and checked a hundred times faster
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        bad = raw[exc.start : exc.end].hex(" ")
        problem(line, "encoding", f"bytes {bad} are not UTF-8; save the file as UTF-8", bad)
        raw = raw.decode("utf-8", errors="replace").encode("utf-8")
        plain_quotes = _quotes_wrap_whole_fields(raw, _positions(raw, b'"'))
    try:
        found.header, found.lines, counts = _records(raw)
    except csv.Error as exc:
        problem(exc.args[1] if len(exc.args) > 1 else None, "csv-syntax",
                f"the CSV cannot be parsed here: {exc.args[0]}")
        return found

    import numpy as np

    found.problems += _header_problems(found.header, expected, file, table)
    width = len(found.header)
    ragged = np.flatnonzero(counts != width)
    for i in ragged:
        if counts[i] == 0:
            problem(int(found.lines[i]), "blank-row", "an empty line inside the table")
        else:
            problem(int(found.lines[i]), "row-length", f"the row has {counts[i]} fields, the header has {width}")
    physical_lines = raw.count(b"\n") + (not raw.endswith(b"\n"))
    found.may_break_lines = has_cr or physical_lines != len(found.lines) + 1
    names = _unique_names(found.header)
    same_reading = plain_quotes and not has_cr and not len(ragged)  # polars reads it as csv does
    frame = _frame_from_polars(raw, names) if same_reading else None
    found.frame = frame if frame is not None else _frame_from_records(raw, names)
    return found


def _regular(data: bytes, quotes: list[int] | np.ndarray
             ) -> tuple[list[str], pl.Series, pl.DataFrame, bool] | None:
    """The header, each record's first line, the frame and whether any cell holds a line
    break, for a file proved regular from counts alone; None for any other file.

    The caller has checked that the file has no CR and that its quotes (at ``quotes``) wrap
    whole fields, so polars reads the cells the ``csv`` module would. polars refuses a row with
    too many fields; a row with too few would read as padded, but it leaves the file short of
    separators outside quotes, which the count catches (a blank line has none). Line numbers
    follow from the line breaks inside each row's cells.
    """
    if b"\x00" in data or data.startswith(b"\n"):
        return None
    end = data.find(b"\n")
    first_line = data if end == -1 else data[:end]
    if first_line.count(b'"') % 2:  # a quoted line break in the header
        return None
    try:
        header = next(csv.reader([first_line.decode("utf-8")]), [])
    except UnicodeDecodeError:
        return None
    if not header or len(header) == 1 and b"\n\n" in data:  # a blank line has no separator to miss
        return None
    frame = _frame_from_polars(data, _unique_names(header))
    if frame is None or frame.width != len(header):
        return None
    import polars as pl

    rows, width = frame.height, len(header)
    if isinstance(quotes, list):  # few quotes: count inside the quoted spans
        spans = list(zip(quotes[0::2], quotes[1::2]))
        quoted = sum(data.count(b",", start, end) for start, end in spans)
        broken = any(data.find(b"\n", start, end) != -1 for start, end in spans)
    else:  # or, for many of them, inside the cells (only quoted cells hold either)
        inside = frame.select(
            pl.sum_horizontal(pl.all().str.count_matches(",", literal=True)).sum().alias("commas"),
            pl.sum_horizontal(pl.all().str.count_matches("\n", literal=True)).sum().alias("breaks"))
        quoted, broken = int(inside["commas"][0]), bool(inside["breaks"][0])
    if data.count(b",") - quoted != (rows + 1) * (width - 1):
        return None
    lines = pl.int_range(2, rows + 2, dtype=pl.Int64, eager=True)
    if broken:  # a record starts below the line breaks in the cells of the records above it
        breaks = frame.select(
            pl.sum_horizontal(pl.all().str.count_matches("\n", literal=True))).to_series()
        lines += breaks.cast(pl.Int64).cum_sum().shift(1, fill_value=0)
    return header, lines.alias("line"), frame, broken


#: The bytes that may stand next to a quote that opens or closes a field (a quote beside a
#: quote is a doubled one).
_FIELD_EDGES = b',\n"'


def _quotes_wrap_whole_fields(data: bytes, quotes: list[int] | np.ndarray) -> bool:
    """True when every quote opens a field, closes it (before a separator, a line end or the
    end of the file) or doubles a quote inside it: the quoting on which polars and the ``csv``
    module read the same cells."""
    if not len(quotes):
        return True
    if len(quotes) % 2:
        return False
    if isinstance(quotes, list):  # few of them: a scan in Python costs less than numpy's import
        last = len(data) - 1
        return (all(at == 0 or data[at - 1] in _FIELD_EDGES for at in quotes[0::2])
                and all(at == last or data[at + 1] in _FIELD_EDGES for at in quotes[1::2]))
    import numpy as np

    buf = np.frombuffer(data, dtype=np.uint8)
    opening, closing = quotes[0::2], quotes[1::2]
    doubled_before = np.append(False, closing[:-1] + 1 == opening[1:])
    before = buf[np.maximum(opening - 1, 0)]
    opens_field = (opening == 0) | (before == ord(",")) | (before == ord("\n")) | doubled_before
    doubled_after = np.append(closing[:-1] + 1 == opening[1:], False)
    after = buf[np.minimum(closing + 1, len(buf) - 1)]
    closes_field = (closing == len(buf) - 1) | (after == ord(",")) | (after == ord("\n")) | doubled_after
    return bool(opens_field.all() and closes_field.all())


#: Up to this many quotes in a file are found one ``bytes.find`` at a time (a C scan between
#: them); past it, one numpy pass over the whole file is cheaper.
_FEW_QUOTES = 100_000


def _positions(data: bytes, byte: bytes) -> list[int] | np.ndarray:
    """Offsets of every occurrence of ``byte`` in ``data``: a list, or for more than
    ``_FEW_QUOTES`` of them a numpy array."""
    found: list[int] = []
    at = data.find(byte)
    while at != -1 and len(found) < _FEW_QUOTES:
        found.append(at)
        at = data.find(byte, at + 1)
    if at == -1:
        return found
    import numpy as np

    return np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == byte[0])


def _text_lines(data: bytes) -> io.TextIOWrapper:
    """UTF-8 bytes as the line source the ``csv`` module wants (no newline translation)."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")


def _records(data: bytes) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The header, then for each record below it the file line where it starts and its
    number of fields."""
    import numpy as np

    reader = csv.reader(_text_lines(data))
    try:
        header = next(reader)
        structure = _structure(data)
        if structure is not None:
            return header, structure[0][1:], structure[1][1:]
        lines, counts = array("q"), array("q")
        previous = reader.line_num
        for record in reader:
            lines.append(previous + 1)
            counts.append(len(record))
            previous = reader.line_num
    except csv.Error as exc:
        raise csv.Error(str(exc), reader.line_num) from exc
    return header, np.asarray(lines, dtype=np.int64), np.asarray(counts, dtype=np.int64)


def _structure(data: bytes) -> tuple[np.ndarray, np.ndarray] | None:
    """Each record's first line and field count, from array operations over the bytes: about
    five times faster than the ``csv`` module on large files.

    Quoted fields are found by the parity of the quotes before each separator, which is exact
    when every quoted field opens at the start of a field (text after a closing quote is read
    alike by both). Returns None for anything else (CR, NUL, a quote opening mid-field, an odd
    number of quotes), so that the ``csv`` module reads such a file as it always has.
    """
    if b"\r" in data or b"\x00" in data:
        return None
    import numpy as np

    buf = np.frombuffer(data, dtype=np.uint8)
    comma, newline, quote = (ord(c) for c in ',\n"')
    quotes = np.flatnonzero(buf == quote)
    if len(quotes) % 2:
        return None
    opening, closing = quotes[0::2], quotes[1::2]
    doubled = np.append(False, closing[:-1] + 1 == opening[1:])  # "" inside a quoted field
    before = buf[np.maximum(opening - 1, 0)]
    if not ((opening == 0) | (before == comma) | (before == newline) | doubled).all():
        return None

    def unquoted(positions: np.ndarray) -> np.ndarray:
        return positions[np.searchsorted(quotes, positions) % 2 == 0]

    newlines = np.flatnonzero(buf == newline)
    ends = unquoted(newlines)
    if not data.endswith(b"\n"):
        ends = np.append(ends, len(buf))
    starts = np.append(0, ends[:-1] + 1)
    commas = unquoted(np.flatnonzero(buf == comma))
    counts = np.searchsorted(commas, ends) - np.searchsorted(commas, starts) + 1
    counts[starts == ends] = 0
    return np.searchsorted(newlines, starts) + 1, counts


def _header_problems(header: list[str], expected: list[str], file: str, table: str) -> list[Problem]:
    problems = []

    def add(column: str, rule: str, message: str) -> None:
        problems.append(Problem(file, 1, column, None, rule, message, table))

    seen: set[str] = set()
    for name in header:
        if name in seen:
            add(name, "header-duplicate", "the column appears more than once in the header")
        elif name not in expected:
            add(name, "header-extra", f"the schema has no column {name!r}")
        seen.add(name)
    for name in expected:
        if name not in seen:
            add(name, "header-missing", "the schema's column is missing from the header")
    present = [n for n in dict.fromkeys(header) if n in expected]
    if present != [n for n in expected if n in seen]:
        problems.append(
            Problem(file, 1, None, None, "header-order",
                    "columns are not in the schema's order: " + ", ".join(expected), table)
        )
    return problems


def _unique_names(header: list[str]) -> list[str]:
    """The header, with later duplicates renamed so that the frame can hold every column."""
    names: list[str] = []
    taken: set[str] = set()  # a set: a list's `in` made a header of 100,000 columns take a minute
    for name in header:
        candidate, n = name, 1
        while candidate in taken:
            n += 1
            candidate = f"{name} ({n})"
        names.append(candidate)
        taken.add(candidate)
    return names


def _frame_from_polars(data: bytes, names: list[str]) -> pl.DataFrame | None:
    """Every cell as its exact text, or None where polars reads the file differently from
    the ``csv`` module (it refuses a quote in mid-field, which the module keeps as text)."""
    import polars as pl

    try:
        return pl.read_csv(data, has_header=True, new_columns=names, infer_schema=False,
                           empty_string_is_null=False, quote_char='"', raise_if_empty=False)
    except (pl.exceptions.PolarsError, ValueError):
        return None


def _frame_from_records(data: bytes, names: list[str]) -> pl.DataFrame:
    import polars as pl

    width = len(names)
    columns: list[list[str]] = [[] for _ in names]
    reader = csv.reader(_text_lines(data))
    next(reader)
    for record in reader:
        padded = (record + [""] * width)[:width]
        for column, value in zip(columns, padded):
            column.append(value)
    return pl.DataFrame({name: pl.Series(name, values, dtype=pl.String)
                         for name, values in zip(names, columns)})
