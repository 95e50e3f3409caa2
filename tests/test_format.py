"""`kdata format`: canonical CSVs without losing a row or a value."""

from __future__ import annotations

import csv
import io
import random

import pytest

from kdata.canonical import NotFormattable, format_package
from kdata.package import open_package

from .conftest import Package


def _cells(package: Package) -> dict[str, set[tuple[tuple[str, str], ...]]]:
    out = {}
    for table in open_package(package.root).tables.values():
        text = (package.root / table.path).read_text(encoding="utf-8")
        out[table.name] = {tuple(sorted(r.items())) for r in csv.DictReader(io.StringIO(text, newline=""))}
    return out


def test_format_keeps_every_cell_and_makes_canonical_files(package: Package) -> None:
    rng = random.Random(7)
    for name in ("events", "actors", "event_sources"):
        rows = package.rows(name)
        header, body = rows[0], rows[1:]
        rng.shuffle(body)
        order = list(range(len(header)))
        rng.shuffle(order)
        text = io.StringIO()
        csv.writer(text, lineterminator="\r\n", quoting=csv.QUOTE_ALL).writerows(
            [[r[i] for i in order] for r in [header] + body])
        package.write_bytes(name, text.getvalue().encode("utf-8"))
    before = _cells(package)
    result = format_package(package.root)
    assert set(result.changed) >= {"data/events.csv", "data/actors.csv", "data/event_sources.csv"}
    assert _cells(package) == before
    import kdata

    assert kdata.validate(package.root).ok
    raw = (package.root / "data/events.csv").read_bytes()
    assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf")
    assert format_package(package.root, check=True).changed == []


def test_check_writes_nothing(package: Package) -> None:
    rows = package.rows("sites")
    package.write_rows("sites", [rows[0]] + rows[1:][::-1])
    before = (package.root / "data/sites.csv").read_bytes()
    assert set(format_package(package.root, check=True).changed) == {"data/sites.csv", "datapackage.json"}
    assert (package.root / "data/sites.csv").read_bytes() == before


def test_refuses_structural_damage(package: Package) -> None:
    path = package.root / "data/sites.csv"
    path.write_bytes(path.read_bytes() + b"a,b\n")
    with pytest.raises(NotFormattable):
        format_package(package.root)


def test_format_writes_every_file_or_none(package, monkeypatch) -> None:  # noqa: ANN001
    """A descriptor that cannot be written means no CSV changes (the hashes would lie)."""
    import pytest

    import kdata.atomic as atomic
    from kdata.canonical import format_package

    rows = package.rows("sites")
    package.write_rows("sites", [rows[0]] + rows[1:][::-1])  # out of order: format rewrites it
    before = {p: p.read_bytes() for p in package.root.rglob("*") if p.is_file()}
    real = atomic._write_temporary

    def refuse_descriptor(path, data):  # noqa: ANN001, ANN202
        if path.name == "datapackage.json":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, data)

    monkeypatch.setattr(atomic, "_write_temporary", refuse_descriptor)
    with pytest.raises(PermissionError):
        format_package(package.root)
    after = {p: p.read_bytes() for p in package.root.rglob("*") if p.is_file()}
    assert after == before
