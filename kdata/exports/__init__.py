"""``kdata export``: the package in other formats, one module per format, each written to a
staging folder and moved into place only when complete, so that a failure leaves nothing.

Every format carries the package's metadata (version, licenses, citation, column
descriptions) in the place its readers look for it: ``datapackage.json`` for CSV, the schema
inside each JSON file, key-value metadata in Parquet, a metadata table and a Datasette
``metadata.json`` beside SQLite, variable and value labels in Stata, a codebook sheet in Excel.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kdata.atomic import staged_destination
from kdata.exports import excel, files, parquet, sqlite, stata
from kdata.package import DataPackage, open_package

#: Format name → writer of the package into a staging folder.
WRITERS: dict[str, Callable[[DataPackage, Path], None]] = {
    "csv": files.write_csv,
    "excel-csv": files.write_excel_csv,
    "json": files.write_json,
    "parquet": parquet.write,
    "sqlite": sqlite.write,
    "dta": stata.write,
    "xlsx": excel.write,
}
FORMATS = tuple(WRITERS)
#: Formats that need an optional dependency, checked before anything is written.
NEEDS = {"parquet": parquet.require, "xlsx": excel.require}


def export(dest: str | Path, fmt: str = "csv", *, force: bool = False) -> Path:
    """Write the bundled package to the folder ``dest`` as ``fmt`` and return ``dest``.

    A non-empty ``dest`` is refused unless ``force``; a failure leaves ``dest`` as it was.
    """
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")
    if fmt in NEEDS:
        NEEDS[fmt]()
    package = open_package()
    dest = Path(dest)
    with staged_destination(dest, force) as stage:
        WRITERS[fmt](package, stage)
    return dest
