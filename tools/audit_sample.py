"""Draw a random sample of events that no audit has read against their pages, for the next audit.

``tools/reference/audited_events.csv`` records every event a random audit has checked, once
per round (``round`` 1 reads every event once; round 2 reads them again, to measure what the
first round left): the release its fixes went into (``fixes_in``), whether the auditor read the
cited pages (``method`` ``pages``) or, when the search budget ran out, checked the row against
the codebook and the other tables only (``codebook``), and whether it needed a fix
(``outcome``: ``ok``, ``fixed``, or ``open`` for a fix no page found so far can support; its
``fixes_in`` is then the release that recorded the reading). Without ``--round`` a sample
holds only events whose pages no audit of any round has read (an event added after round 1
and first read in a later round counts as read); a sample of a round holds only events whose
pages that round has not read. Either way, events checked only against the codebook are drawn
again.

Each event is printed as Markdown with its fields, its actors and roles, its sources (kind,
address, title, publisher, date) and the launches, measures, proposals and UN rows that belong
to it, which is what an auditor needs to check it claim by claim. After the audit, add its rows
to the record.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd

import kdata

RECORD = Path(__file__).resolve().parent / "reference" / "audited_events.csv"
LINKED = ("launches", "measures", "proposals", "un_decisions")
USAGE = "usage: python tools/audit_sample.py SEED SIZE [PACKAGE_DIR] [--round N]"


def read_pages(round_: int | None = None) -> set[str]:
    """The events whose cited pages an audit of this round (of any round, for None) has read."""
    with RECORD.open(encoding="utf-8", newline="") as f:
        return {row["event_id"] for row in csv.DictReader(f)
                if round_ in (None, int(row["round"])) and row["method"] == "pages"}


def parse(argv: list[str]) -> tuple[int, int, str | None, int | None] | None:
    """SEED, SIZE, the package directory (None for the bundled one) and the round (None for
    none given), or None for a call that does not fit the usage."""
    round_ = None
    if "--round" in argv:
        at = argv.index("--round")
        value = argv[at + 1] if at + 1 < len(argv) else ""
        if not value.isdigit() or int(value) < 1:
            return None
        round_, argv = int(value), argv[:at] + argv[at + 2:]
    if len(argv) not in (2, 3) or not all(a.isdigit() for a in argv[:2]):
        return None
    if any(a.startswith("--") for a in argv):
        return None
    return int(argv[0]), int(argv[1]), argv[2] if len(argv) == 3 else None, round_


def given(value: object) -> bool:
    """A cell that holds something (typed frames hold NA for an empty cell)."""
    return not pd.isna(value) and value != ""


def shown(value: object) -> object:
    """A cell as the CSV has it (a date without a time of day)."""
    return value.date() if isinstance(value, pd.Timestamp) else value


def indexed(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables, with events, actors and publications indexed by their ids (once per sample)."""
    keys = {"events": "event_id", "actors": "actor_id", "publications": "publication_id"}
    return {name: frame.set_index(keys[name]) if name in keys else frame
            for name, frame in tables.items()}


def render(event_id: str, tables: dict[str, pd.DataFrame]) -> str:
    """One event as an auditor reads it, from tables made by ``indexed``."""
    event = tables["events"].loc[event_id]
    lines = [f"## {event_id}"]
    lines += [f"- {column}: {shown(value)}" for column, value in event.items() if given(value)]
    roles = tables["event_actors"].query("event_id == @event_id")
    names = tables["actors"]["name"]
    lines.append("- actors: " + "; ".join(f"{names[r.actor_id]} [{r.actor_id}] ({r.role})"
                                          for r in roles.itertuples()))
    for link in tables["event_sources"].query("event_id == @event_id").itertuples():
        p = tables["publications"].loc[link.publication_id]
        lines.append(f"- source [{link.kind}] {link.publication_id}: {p.url} — {p.title} — "
                     f"{p.publisher} ({shown(p.published) if given(p.published) else ''})")
    for name in LINKED:
        for row in tables[name].query("event_id == @event_id").to_dict("records"):
            cells = "; ".join(f"{k}={shown(v)}" for k, v in row.items() if k != "event_id" and given(v))
            lines.append(f"- {name} row: {cells}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    call = parse(argv)
    if call is None:
        print(USAGE, file=sys.stderr)
        return 2
    seed, size, package, round_ = call
    tables = kdata.load_all(package) if package else kdata.load_all()
    unread = sorted(set(tables["events"]["event_id"]) - read_pages(round_))
    sample = sorted(random.Random(seed).sample(unread, min(size, len(unread))))
    where = "by any audit" if round_ is None else f"in round {round_}"
    print(f"<!-- {len(sample)} of {len(unread)} events not yet read against their pages {where}; "
          f"seed {seed} -->\n")
    tables = indexed(tables)
    print("\n".join(render(event_id, tables) for event_id in sample))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
