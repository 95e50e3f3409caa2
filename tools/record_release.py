"""Record the current version of the package in releases.json, with its date and file hashes.

Refuses a development version, and refuses to change the record of a version already
released (a release names one state of the data). ``python tools/record_release.py DATE``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kdata.package import open_package  # noqa: E402
from kdata.releases import RECORD, file_hashes, is_release, read_record  # noqa: E402

REPOSITORY = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tools/record_release.py YYYY-MM-DD", file=sys.stderr)
        return 2
    package = open_package(REPOSITORY)
    version, path = package.version, REPOSITORY / RECORD
    if not is_release(version):
        print(f"{version} is a development version; set the release version first", file=sys.stderr)
        return 2
    record = read_record(path)
    entry = {"date": argv[0], "files": file_hashes(package)}
    if version in record["releases"] and record["releases"][version] != entry:
        print(f"{version} is already recorded with other files; release a new version", file=sys.stderr)
        return 1
    record["releases"][version] = entry
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded {version} ({len(entry['files'])} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
