"""Loaders: each table of the bundled package as a typed pandas DataFrame.

The CSV is read as plain text first and each column converted afterwards (measured faster
than passing dtypes to ``read_csv``); the conversions come from the Table Schemas.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kdata.package import open_package
from kdata.types import to_typed_column

if TYPE_CHECKING:
    import pandas as pd


def load(name: str, path: str | Path | None = None) -> pd.DataFrame:
    """Return table ``name`` as a typed DataFrame (bundled package unless ``path`` is given).

    An unknown ``name`` raises ``ValueError`` naming the valid tables.

    >>> import kdata
    >>> sites = kdata.load("sites")
    >>> str(sites["latitude"].dtype)
    'float64'
    """
    import pandas as pd

    package = open_package(path)
    table = package.table(name)
    frame = pd.read_csv(
        package.file(table.path),
        dtype=str,
        keep_default_na=False,
        na_values=[""],
        encoding="utf-8",
    )
    return pd.DataFrame(
        {f.name: to_typed_column(frame[f.name], f) for f in table.fields}, index=frame.index
    )


def load_all(path: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Return every table, ``{name: DataFrame}``, in the descriptor's order."""
    return {name: load(name, path) for name in open_package(path).tables}


def load_events() -> pd.DataFrame:
    """Events: summits, talks, agreements, tests, sanctions, incidents; one row each.

    Columns and their meanings are in ``docs/codebook.md`` (``kdata codebook``).

    >>> import kdata
    >>> events = kdata.load_events()
    >>> events.loc[events["event_id"] == "2019-hanoi-summit", "start_date"].dt.year.item()
    2019
    """
    return load("events")


def load_actors() -> pd.DataFrame:
    """Actors: people, states, government bodies, organisations, think tanks, media."""
    return load("actors")


def load_sites() -> pd.DataFrame:
    """Sites: facilities, test and launch sites, venues, with coordinates (WGS 84)."""
    return load("sites")


def load_proposals() -> pd.DataFrame:
    """Proposals: one concession or commitment per row, grouped by ``package_id``."""
    return load("proposals")


def load_publications() -> pd.DataFrame:
    """Publications: primary texts, analyses, references and news cited by the data."""
    return load("publications")


def load_event_actors() -> pd.DataFrame:
    """Event participants: (event_id, actor_id, role)."""
    return load("event_actors")


def load_event_sources() -> pd.DataFrame:
    """Event sources: (event_id, publication_id, note); every event has at least one."""
    return load("event_sources")
