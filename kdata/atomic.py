"""Writers that never leave a half-written file or folder behind."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from kdata.errors import DestinationExists


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def staged_destination(dest: Path, force: bool) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces ``dest``, on failure it vanishes.

    A ``dest`` that exists and is not empty is refused unless ``force`` is true.
    """
    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        if not force:
            raise DestinationExists(f"{dest} exists; pass --force to replace it")
    elif dest.is_dir() and any(dest.iterdir()) and not force:
        raise DestinationExists(f"{dest} exists and is not empty; pass --force to replace it")
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    backup = None
    if dest.exists():
        backup = dest.with_name(f".{dest.name}.old")
        shutil.rmtree(backup, ignore_errors=True)
        os.replace(dest, backup)
    os.replace(staging, dest)
    if backup is not None:
        if backup.is_dir():
            shutil.rmtree(backup)
        else:
            backup.unlink()
