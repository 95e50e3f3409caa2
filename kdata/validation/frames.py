"""``kdata.pandera_schema``: the Table Schema's constraints as a pandera schema, to check a
pandas DataFrame that you built or edited (from ``kdata.load_*`` or your own) before you write
it back or analyse it.

``kdata validate`` checks the files themselves, with the same constraints as polars
expressions (``kdata.validation.checks``): importing pandera pulls in its pandas back end,
which would double the time a cold ``kdata validate`` takes on the bundled package.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kdata.package import Table, open_package

if TYPE_CHECKING:
    import pandera.pandas as pa


def pandera_schema(name: str, path: str | Path | None = None) -> pa.DataFrameSchema:
    """A pandera schema for table ``name`` (bundled package unless ``path`` is given): the
    columns' required, unique, pattern, enum, minimum/maximum and length constraints, and the
    primary key. Dtypes are not checked, so that a frame read your own way can be checked too.

    >>> import kdata
    >>> schema = kdata.pandera_schema("sites")
    >>> schema.validate(kdata.load_sites(), lazy=True).shape == kdata.load_sites().shape
    True
    """
    return schema_of(open_package(path).table(name))


def schema_of(table: Table) -> pa.DataFrameSchema:
    """The pandera schema of a parsed ``Table``."""
    import pandera.pandas as pa

    columns = {}
    for f in table.fields:
        checks = []
        if f.pattern is not None:
            checks.append(pa.Check.str_matches(f"^(?:{f.pattern})$"))
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
        columns[f.name] = pa.Column(checks=checks, nullable=not f.required, unique=f.unique,
                                    required=False, coerce=False)
    primary_key = list(table.primary_key) or None
    return pa.DataFrameSchema(columns, unique=primary_key, name=table.name)
