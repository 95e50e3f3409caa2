"""Excel: one workbook with an "about" sheet (version, licenses, citation), a "codebook" sheet
(every column, its type and meaning), and one sheet per table with a frozen header row and
dates stored as dates; the same bytes for the same version. Needs the ``xlsx`` extra
(openpyxl)."""

from __future__ import annotations

from pathlib import Path

from kdata.errors import import_extra
from kdata.exports.metadata import column_descriptions, package_metadata
from kdata.exports.zipfiles import normalise_office_file, package_date
from kdata.loaders import read_table
from kdata.package import DataPackage
from kdata.types import dtype_name

FILE = "kdata.xlsx"


def require() -> None:
    import_extra("openpyxl", "openpyxl", "this", "xlsx")


def write(package: DataPackage, stage: Path) -> None:
    import pandas as pd

    about = pd.DataFrame(list(package_metadata(package).items()), columns=["key", "value"])
    codebook = pd.DataFrame(
        [(name, f.name, f.type, dtype_name(f), "yes" if f.required else "", column_descriptions(t)[f.name])
         for name, t in package.tables.items() for f in t.fields],
        columns=["table", "column", "type", "loaded as", "required", "description"])
    with pd.ExcelWriter(stage / FILE, engine="openpyxl") as writer:
        for sheet, frame in (("about", about), ("codebook", codebook)):
            frame.to_excel(writer, sheet_name=sheet, index=False)
        for name, table in package.tables.items():
            frame = read_table(package, name)
            for f in table.fields:  # text, categories and nullable numbers as plain cells
                if f.type != "date":
                    frame[f.name] = frame[f.name].astype(object).where(frame[f.name].notna(), None)
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for i, f in enumerate(table.fields, start=1):
                if f.type == "date":
                    for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                        cell.number_format = "yyyy-mm-dd"
        for sheet in writer.sheets.values():
            sheet.freeze_panes = "A2"
    normalise_office_file(stage / FILE, package_date(package.created))
