"""Pandas dtypes derived from Table Schema fields: one mapping shared by loaders and exports."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

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


def dtype_name(field: Field) -> str:
    """A short, human name of the loaded dtype of ``field`` (for the codebook and `info`)."""
    if field.type == "date":
        return "datetime64"
    if field.enum is not None:
        return "category"
    return {"number": "float64", "integer": "Int64", "boolean": "boolean"}.get(field.type, "string")
