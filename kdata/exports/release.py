"""``kdata release``: one zip per released version, the same bytes every time it is built.

The zip holds the package as released (datapackage.json, data/, schemas/), the Parquet,
SQLite and Excel exports, the codebook, CITATION.cff, the licenses, and SHA256SUMS. Only a
version recorded in releases.json whose files match that record can be released: a
development version, or a package edited since its release, is refused.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from kdata.atomic import staged_destination
from kdata.errors import KdataError
from kdata.exports import WRITERS, excel, parquet
from kdata.exports.zipfiles import package_date, zip_bytes
from kdata.package import DISTRIBUTION, open_package
from kdata.releases import RECORD, is_release, record_problems

#: Files of the repository (or the wheel's package folder) that travel with every release.
DOCUMENTS = ("CITATION.cff", "LICENSE", "LICENSE-DATA")
#: Exports inside the zip, each in a folder of its own name.
INCLUDED = ("csv", "parquet", "sqlite", "xlsx")


class NotReleasable(KdataError):
    """The package's version and files do not match a recorded release."""


def release(dest: str | Path, *, force: bool = False, path: str | Path | None = None) -> Path:
    """Write ``kdata-korea-VERSION.zip`` to the folder ``dest`` and return the zip's path.

    ``path`` is a package folder holding releases.json and the documents (default: bundled).
    """
    from kdata.docs import codebook

    package = open_package(path)
    if not is_release(package.version):
        raise NotReleasable(f"{package.version} is a development version; only releases are zipped")
    problems = record_problems(package.root / RECORD, package.root)  # a missing record: not in it
    if problems:
        raise NotReleasable(problems[0])
    parquet.require()
    excel.require()
    name = f"{DISTRIBUTION}-{package.version}"
    entries: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in INCLUDED:
            folder = Path(tmp) / fmt
            folder.mkdir()
            WRITERS[fmt](package, folder)
            prefix = "" if fmt == "csv" else f"{fmt}/"
            for written in sorted(p for p in folder.rglob("*") if p.is_file()):
                entries[f"{name}/{prefix}{written.relative_to(folder).as_posix()}"] = written.read_bytes()
    entries[f"{name}/codebook.md"] = codebook(path).encode("utf-8")
    for document in DOCUMENTS:
        entries[f"{name}/{document}"] = (package.root / document).read_bytes()
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {entry.split('/', 1)[1]}\n"
                   for entry, data in sorted(entries.items()))
    entries[f"{name}/SHA256SUMS"] = sums.encode("utf-8")
    dest = Path(dest)
    with staged_destination(dest, force) as stage:
        (stage / f"{name}.zip").write_bytes(zip_bytes(entries, package_date(package.created)))
    return dest / f"{name}.zip"
