"""The package's tables as plain records for the site's templates, with the cross-references
each page lists (an event's actors and sources, an actor's events, a publication's citers).

Records are dicts of display-ready values: missing cells are ``None``, dates ISO strings, and
every list is in a fixed order, so that the same data always gives the same pages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kdata.loaders import read_table
from kdata.package import DataPackage

if TYPE_CHECKING:
    import pandas as pd

Record = dict[str, Any]
#: Tables the site needs; the others (launches, measures, ...) are shown where they exist.
REQUIRED = ("events", "actors", "sites", "publications", "event_actors", "event_sources")
OPTIONAL = ("proposals", "measures", "launches", "weapons", "un_decisions", "offices")


@dataclass
class RecordSet:
    """Every table as records, keyed by id where the table has one, plus the indexes."""

    events: dict[str, Record]
    actors: dict[str, Record]
    sites: dict[str, Record]
    publications: dict[str, Record]
    proposals: dict[str, Record] = field(default_factory=dict)
    weapons: dict[str, Record] = field(default_factory=dict)
    by_event: dict[str, dict[str, list[Record]]] = field(default_factory=dict)
    by_actor: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    by_publication: dict[str, list[str]] = field(default_factory=dict)
    by_site: dict[str, list[str]] = field(default_factory=dict)
    offices: dict[str, list[Record]] = field(default_factory=dict)
    packages: dict[str, list[Record]] = field(default_factory=dict)
    followers: dict[str, list[str]] = field(default_factory=dict)
    proposals_citing: dict[str, list[Record]] = field(default_factory=dict)

    def event_list(self, event_ids: Iterable[str]) -> list[Record]:
        """The events of ``event_ids``, oldest first (ties by id)."""
        return sorted((self.events[e] for e in set(event_ids)), key=event_order)


def event_order(event: Record) -> tuple[str, str]:
    return event["start_date"], event["event_id"]


def read_records(package: DataPackage) -> RecordSet:
    """Read the tables the site shows and build the indexes between them."""
    frames = {name: read_table(package, name) for name in REQUIRED + OPTIONAL
              if name in package.tables}
    missing = [name for name in REQUIRED if name not in frames]
    if missing:
        from kdata.errors import PackageUnreadable

        raise PackageUnreadable(f"the site needs the tables {', '.join(missing)}, "
                                "which this package does not have")
    rows = {name: _records(frame) for name, frame in frames.items()}
    data = RecordSet(
        events=_keyed(rows["events"], "event_id"),
        actors=_keyed(rows["actors"], "actor_id"),
        sites=_keyed(rows["sites"], "site_id"),
        publications=_keyed(rows["publications"], "publication_id"),
        proposals=_keyed(rows.get("proposals", []), "proposal_id"),
        weapons=_keyed(rows.get("weapons", []), "weapon_id"),
    )
    by_event: dict[str, dict[str, list[Record]]] = defaultdict(lambda: defaultdict(list))
    by_actor: dict[str, list[tuple[str, str]]] = defaultdict(list)
    by_publication: dict[str, list[str]] = defaultdict(list)
    for row in rows["event_actors"]:
        by_event[row["event_id"]]["actors"].append(row)
        by_actor[row["actor_id"]].append((row["event_id"], row["role"]))
    for row in rows["event_sources"]:
        by_event[row["event_id"]]["sources"].append(row)
        by_publication[row["publication_id"]].append(row["event_id"])
    for name in ("measures", "launches", "un_decisions"):
        for row in rows.get(name, []):
            by_event[row["event_id"]][name].append(row)
            if row.get("publication_id"):
                by_publication[row["publication_id"]].append(row["event_id"])
    for proposal in data.proposals.values():
        if proposal["event_id"]:
            by_event[proposal["event_id"]]["proposals"].append(proposal)
        data.packages.setdefault(proposal["package_id"], []).append(proposal)
        if proposal["follows_id"]:
            data.followers.setdefault(proposal["follows_id"], []).append(proposal["proposal_id"])
        for cited in {proposal["publication_id"], proposal["status_publication_id"]} - {None}:
            data.proposals_citing.setdefault(cited, []).append(proposal)
    by_site: dict[str, list[str]] = defaultdict(list)
    for event in data.events.values():
        if event["site_id"]:
            by_site[event["site_id"]].append(event["event_id"])
    for row in rows.get("offices", []):
        data.offices.setdefault(row["actor_id"], []).append(row)
    data.by_event = {k: dict(v) for k, v in by_event.items()}
    data.by_actor = dict(by_actor)
    data.by_publication = {k: sorted(set(v)) for k, v in by_publication.items()}
    data.by_site = dict(by_site)
    return data


def _records(frame: pd.DataFrame) -> list[Record]:
    """A DataFrame's rows as dicts: dates as ISO text, every missing value as ``None``."""
    import pandas as pd

    columns = {}
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            column = column.dt.strftime("%Y-%m-%d")
        columns[name] = column.astype(object).where(column.notna(), None)
    return pd.DataFrame(columns).to_dict("records")


def _keyed(rows: list[Record], key: str) -> dict[str, Record]:
    return {row[key]: row for row in sorted(rows, key=lambda r: r[key])}
