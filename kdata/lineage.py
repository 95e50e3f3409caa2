"""The lineage of an idea: proposals linked by ``proposals.follows_id`` across negotiations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kdata.errors import UnknownRow
from kdata.loaders import load

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd


def proposal_lineage(proposal_id: str, path: str | Path | None = None) -> pd.DataFrame:
    """Every proposal on the line of ``proposal_id``: the earlier ones it takes up (following
    ``follows_id`` back), itself, and the later ones that take it up, oldest first, with the
    date of the event where each was made.

    >>> import kdata
    >>> chain = kdata.proposal_lineage("panmunjom-declaration-2018-end-of-war-peace-treaty")
    >>> chain["proposal_id"].iloc[0]
    'basic-agreement-1991-armistice-to-peace'
    """
    proposals = load("proposals", path)
    if proposal_id not in set(proposals["proposal_id"]):
        raise UnknownRow(f"no proposal {proposal_id!r}")
    follows = dict(zip(proposals["proposal_id"], proposals["follows_id"]))
    line, current = [], proposal_id
    while isinstance(current, str) and current not in line:  # back to the first, cycle-safe
        line.append(current)
        current = follows.get(current)
    frontier = {proposal_id}
    while frontier:  # forward to everything that takes it up
        frontier = {p for p, f in follows.items() if f in frontier and p not in line}
        line += sorted(frontier)
    events = load("events", path)[["event_id", "start_date"]]
    chain = proposals[proposals["proposal_id"].isin(line)].merge(events, on="event_id", how="left")
    columns = ["proposal_id", "start_date", "package_id", "title", "status", "follows_id"]
    return chain.sort_values(["start_date", "proposal_id"], na_position="last")[columns].reset_index(drop=True)
