"""Zip archives that are the same byte for byte each time they are built from the same files:
entries in name order, one fixed timestamp, fixed permissions, one compression level."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

#: docProps/core.xml of an Office file stamps the time of saving; it is set to ``when``.
_OFFICE_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def zip_bytes(entries: dict[str, bytes], when: tuple[int, int, int]) -> bytes:
    """A deterministic zip of ``entries`` (name → content), every entry dated ``when``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=(*when, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever the machine
            archive.writestr(info, entries[name], compresslevel=9)
    return buffer.getvalue()


def normalise_office_file(path: Path, when: tuple[int, int, int]) -> None:
    """Rewrite an .xlsx (a zip) deterministically, with its save-time stamps set to ``when``."""
    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    stamp = f"{when[0]:04d}-{when[1]:02d}-{when[2]:02d}T00:00:00Z".encode()
    if "docProps/core.xml" in entries:
        entries["docProps/core.xml"] = _OFFICE_STAMP.sub(
            lambda m: m.group(1) + stamp + m.group(3), entries["docProps/core.xml"])
    path.write_bytes(zip_bytes(entries, when))


def package_date(created: str) -> tuple[int, int, int]:
    """The package's ``created`` date as (year, month, day); 1980-01-01 (zip's epoch) if absent."""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", created or "")
    return (int(match[1]), int(match[2]), int(match[3])) if match else (1980, 1, 1)
