"""Dtypes derived from Table Schema fields (pandas, and polars for ``backend="polars"``): one
mapping shared by loaders and exports."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

    from kdata.package import Field

DATE_FORMAT = "%Y-%m-%d"


def to_typed_column(values: pd.Series, field: Field) -> pd.Series:
    """Convert a column of text (missing as NA) to the dtype its schema field declares.

    Dates become datetime64, enumerations Categorical with the schema's categories in schema
    order, numbers float64, integers nullable Int64, and everything else pandas' string dtype.
    """
    import pandas as pd

    if field.type == "date":
        return pd.to_datetime(values, format=DATE_FORMAT)
    if field.enum is not None:
        return values.astype(pd.CategoricalDtype(categories=list(field.enum)))
    if field.type == "number":
        return pd.to_numeric(values).astype("float64")
    if field.type == "integer":
        return pd.to_numeric(values).astype("Int64")
    if field.type == "boolean":
        return values.map({"true": True, "false": False}).astype("boolean")
    return values.astype("string")


def polars_column(field: Field) -> pl.Expr:
    """The column of text named by ``field``, typed as its schema declares, for polars: the
    same mapping as ``to_typed_column`` (enumerations as ``pl.Enum`` in schema order)."""
    import polars as pl

    text = pl.col(field.name)
    if field.type == "date":
        return text.str.to_date(DATE_FORMAT)
    if field.enum is not None:
        return text.cast(pl.Enum(list(field.enum)))
    if field.type == "number":
        return text.cast(pl.Float64)
    if field.type == "integer":
        return text.cast(pl.Float64).cast(pl.Int64)
    if field.type == "boolean":
        return text.replace_strict({"true": True, "false": False}, return_dtype=pl.Boolean)
    return text


def dtype_name(field: Field) -> str:
    """A short, human name of the loaded dtype of ``field`` (for the codebook and `info`)."""
    if field.type == "date":
        return "datetime64"
    if field.enum is not None:
        return "category"
    return {"number": "float64", "integer": "Int64", "boolean": "boolean"}.get(field.type, "string")
