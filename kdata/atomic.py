"""Writers that never leave a half-written file or folder behind."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from kdata.errors import DestinationExists
from kdata.paths import destination


def refuse_existing(path: Path, force: bool) -> None:
    """Raise ``DestinationExists`` if ``path`` exists and replacing it was not asked for."""
    if path.exists() and not force:
        raise DestinationExists(f"{path} exists; pass --force to replace it")


def _default_mode(kind: int) -> int:
    """The mode a plain ``open`` or ``mkdir`` would give (0o666 or 0o777 less the umask);
    ``tempfile`` makes private 0o600 files and 0o700 folders instead."""
    umask = os.umask(0)
    os.umask(umask)
    return kind & ~umask


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place, keeping
    the mode of the file it replaces (or the usual mode for a new file)."""
    write_files_atomic([(path, data)])


def write_files_atomic(files: list[tuple[Path, bytes]]) -> None:
    """Write several files all or nothing: every new content is first written in full to a
    temporary file beside its target; only when all are written are they renamed into place,
    in the order given (put the file that vouches for the others, such as a descriptor with
    their hashes, last). A failure while writing leaves every target as it was."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            staged.append((_write_temporary(path, data), path))
    except BaseException:
        for temporary, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        raise
    for temporary, path in staged:
        os.replace(temporary, path)


def _write_temporary(path: Path, data: bytes) -> str:
    mode = path.stat().st_mode & 0o7777 if path.exists() else _default_mode(0o666)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temporary, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return temporary


@contextlib.contextmanager
def staged_destination(dest: Path, force: bool) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces ``dest``, on failure it vanishes,
    with any parent folders this call created.

    A ``dest`` that is a file is refused; one that is a non-empty folder is refused unless
    ``force`` is true. While the staging folder exists, a second writer to the same ``dest``
    is refused (``DestinationExists``), so two concurrent exports cannot both succeed.
    """
    dest = destination(dest)
    if dest.exists() and not dest.is_dir():
        raise DestinationExists(f"{dest} is a file; the destination must be a folder (new or empty)")
    if dest.is_dir() and any(dest.iterdir()) and not force:
        raise DestinationExists(f"{dest} exists and is not empty; pass --force to replace it")
    created = _make_parents(dest.parent)
    staging = dest.with_name(f".{dest.name}.staging")
    try:
        staging.mkdir(mode=_default_mode(0o777))  # exclusive: the lock against a second writer
    except FileExistsError:
        raise DestinationExists(f"{dest} is being written by another kdata process "
                                f"(or one that was killed: remove {staging.name})") from None
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
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


def _make_parents(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return those created, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir(exist_ok=True)
    return list(reversed(missing))
