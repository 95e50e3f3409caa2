"""Print every event whose `note` records a disagreement or an uncertainty, for review.

    python tools/notes.py            # id, date and note of each such event
    python tools/notes.py --ids      # the ids only, one line
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import kdata  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", action="store_true", help="print the ids only")
    args = parser.parse_args()
    events = kdata.load_events()
    noted = events[events["note"].notna()].sort_values("start_date")
    if args.ids:
        print(", ".join(noted["event_id"]))
    else:
        for row in noted.itertuples():
            print(f"{row.event_id} ({row.start_date:%Y-%m-%d})")
            print(textwrap.indent(textwrap.fill(row.note, 96), "    "))
    print(f"{len(noted)} of {len(events)} events have a note", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
