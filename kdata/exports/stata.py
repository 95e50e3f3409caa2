"""Stata: one .dta file per table (format 118, Unicode), with the table's title as the data
label, each column's description as its variable label, enumerations as value labels, and
dates as Stata dates."""

from __future__ import annotations

from pathlib import Path

from kdata.exports.metadata import column_descriptions, package_metadata
from kdata.loaders import read_table
from kdata.package import DataPackage

#: Stata's limits: labels of at most 80 characters; longer text goes in strL columns.
LABEL_CHARS, STR_CHARS = 80, 2045


def write(package: DataPackage, stage: Path) -> None:
    version = package_metadata(package)["version"]
    for name, table in package.tables.items():
        frame = read_table(package, name)
        dates, long_text = {}, []
        for f in table.fields:
            column = frame[f.name]
            if f.type == "date":
                dates[f.name] = "td"
            elif f.enum is None and f.type in ("integer", "boolean", "number"):
                frame[f.name] = column.astype("float64")  # Stata's missing value for NA
            elif f.enum is None:
                frame[f.name] = column.astype(object).where(column.notna(), "")
                if frame[f.name].str.len().max() > STR_CHARS:
                    long_text.append(f.name)
        labels = {c: _label(text) for c, text in column_descriptions(table).items()}
        frame.to_stata(stage / f"{name}.dta", write_index=False, version=118,
                       convert_dates=dates, convert_strl=long_text, variable_labels=labels,
                       data_label=_label(f"kdata {version}: {table.title}"))


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"
