"""Parquet: one file per table, dates as date32, enumerations as dictionaries, and the
package's metadata (version, licenses, citation) and each column's description inside the
file, where pyarrow, DuckDB and Spark read them."""

from __future__ import annotations

from pathlib import Path

from kdata.errors import import_extra
from kdata.exports.metadata import column_descriptions, package_metadata
from kdata.loaders import read_table
from kdata.package import DataPackage


def require() -> None:
    import_extra("pyarrow", "pyarrow", "this", "parquet")


def write(package: DataPackage, stage: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    meta = {f"kdata.{k}": v for k, v in package_metadata(package).items()}
    for name, table in package.tables.items():
        arrow = pa.Table.from_pandas(read_table(package, name), preserve_index=False)
        descriptions = column_descriptions(table)
        fields = []
        for f in table.fields:
            field = arrow.schema.field(f.name)
            if f.type == "date":
                field = field.with_type(pa.date32())
            fields.append(field.with_metadata({"description": descriptions[f.name]}))
        schema = pa.schema(fields, metadata={**(arrow.schema.metadata or {}), **meta,
                                             "kdata.table": name,
                                             "kdata.table_description": table.description})
        pq.write_table(arrow.cast(schema), stage / f"{name}.parquet")
