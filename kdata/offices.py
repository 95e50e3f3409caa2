"""Questions about office holders: who held an office on a day, and what they took part in.

Both answer from the ``offices`` table (one row per holder and term) joined to ``events`` and
``event_actors``; a term with no end date runs on past the package's last event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kdata.loaders import load

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    import pandas as pd


def office_holders(office: str, on: str | date, path: str | Path | None = None) -> pd.DataFrame:
    """The ``offices`` rows of ``office`` whose term includes the day ``on`` (usually one row;
    none if the office was vacant or is not recorded).

    >>> import kdata
    >>> kdata.office_holders("President of the Republic of Korea", "2019-02-27")["actor_id"].tolist()
    ['moon-jae-in']
    """
    import pandas as pd

    offices = load("offices", path)
    day = pd.Timestamp(on)
    held = (offices["office"] == office) & (offices["start_date"] <= day)
    held &= offices["end_date"].isna() | (offices["end_date"] >= day)
    return offices[held.to_numpy(dtype=bool)].reset_index(drop=True)


def events_with_office_holder(office: str, start: str | date | None = None,
                              end: str | date | None = None,
                              path: str | Path | None = None) -> pd.DataFrame:
    """Events from ``start`` to ``end`` (both optional, inclusive) in which the holder of
    ``office`` on the event's first day took part, with the holder's ``actor_id`` and ``role``.

    >>> import kdata
    >>> moon = kdata.events_with_office_holder("President of the Republic of Korea",
    ...                                        "2018-04-27", "2018-04-27")
    >>> moon[["event_id", "actor_id"]].drop_duplicates().values.tolist()
    [['2018-panmunjom-summit', 'moon-jae-in']]
    """
    import pandas as pd

    offices = load("offices", path)
    terms = offices[offices["office"] == office][["actor_id", "start_date", "end_date"]]
    events = load("events", path)
    if start is not None:
        events = events[events["start_date"] >= pd.Timestamp(start)]
    if end is not None:
        events = events[events["start_date"] <= pd.Timestamp(end)]
    taking_part = load("event_actors", path).merge(events, on="event_id")
    joined = taking_part.merge(terms.rename(columns={"start_date": "term_start",
                                                     "end_date": "term_end"}), on="actor_id")
    in_term = (joined["start_date"] >= joined["term_start"]) & (
        joined["term_end"].isna() | (joined["start_date"] <= joined["term_end"]))
    columns = ["event_id", "start_date", "title", "event_type", "actor_id", "role"]
    return (joined[in_term.to_numpy(dtype=bool)][columns]
            .sort_values(["start_date", "event_id", "role"]).reset_index(drop=True))
