"""Print the coverage figures of the bundled data: rows per table, events per decade and per
track, the share of events with two or more sources, and proposals per package and status."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import kdata  # noqa: E402


def main() -> int:
    tables = kdata.load_all()
    print("rows per table:")
    for name, frame in tables.items():
        print(f"  {name:<14} {len(frame):>5}")
    events = tables["events"]
    decade = (events["start_date"].dt.year // 10 * 10).astype(str) + "s"
    print("\nevents per decade:")
    print(decade.value_counts().sort_index().to_string())
    print("\nevents per track:")
    print(events["track"].value_counts().to_string())
    per_event = tables["event_sources"].groupby("event_id").size()
    two = (per_event.reindex(events["event_id"]).fillna(0) >= 2).mean()
    print(f"\nevents with two or more sources: {two:.0%}")
    proposals = tables["proposals"]
    print(f"\nproposals: {len(proposals)} in {proposals['package_id'].nunique()} packages")
    print(proposals.groupby("package_id").size().to_string())
    print("\nproposals per status:")
    print(proposals["status"].value_counts().to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
