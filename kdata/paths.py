"""One path policy for every command: a package names its files by relative paths that stay
inside its folder, and its tables by names safe to use as file names.

Every reader and writer of a package's files goes through :func:`inside`: no URL, no absolute
path, no ``..``, no NUL or control character, no symbolic link that leads out of the folder,
and, for a file that is read, nothing but a regular file (a FIFO would block, a device or
``/proc`` file would leak). A refusal is a one-line ``UnsafePath`` naming the path and why.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from kdata.errors import PackageUnreadable

#: Table names are used as file names by the exports: lowercase letters, digits, _ and -.
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UnsafePath(PackageUnreadable):
    """A path or name that the package may not use."""


def unsafe_reason(path: object) -> str | None:
    """Why ``path`` may not name a file of a package, or None if it may (textual checks only)."""
    if not isinstance(path, str) or not path:
        return "a path must be a non-empty string"
    if _CONTROL.search(path):
        return "a path may not contain NUL or control characters"
    if "://" in path or "\\" in path or path.startswith("~"):
        return "a path must be a relative path inside the package, not a URL"
    p = Path(path)
    if p.is_absolute() or ".." in p.parts:
        return "a path must be relative and stay inside the package folder"
    return None


def unsafe_name(name: object) -> str | None:
    """Why ``name`` may not name a table (it becomes a file name in exports), or None."""
    if not isinstance(name, str) or not SAFE_NAME.match(name):
        return "a table name must be lowercase letters, digits, '_' or '-' (at most 64)"
    return None


def destination(dest: str | Path) -> Path:
    """A folder to write into, given by the user: any place is allowed, but not a name with NUL
    or control characters (the OS refuses NUL with a traceback; the others hide in listings)."""
    if _CONTROL.search(str(dest)):
        raise UnsafePath(f"{_shown(str(dest))}: a destination may not contain NUL or control "
                         "characters; nothing written")
    return Path(dest)


def inside(root: Path, relative: object, *, existing: bool = True) -> Path:
    """``root / relative``, after checking that it stays inside ``root`` once every symbolic
    link is followed, and (``existing``) that it is a regular file.

    Raises ``UnsafePath`` with a one-line reason; never opens anything.
    """
    reason = unsafe_reason(relative)
    if reason:
        raise UnsafePath(f"{_shown(relative)}: {reason}; refused without reading")
    base = Path(root).resolve()
    target = Path(root) / str(relative)
    resolved = target.resolve()
    if not resolved.is_relative_to(base):
        raise UnsafePath(f"{_shown(relative)}: leads out of the package folder (a symbolic link); "
                         "refused without reading")
    if existing:
        try:
            mode = os.stat(resolved).st_mode
        except OSError:
            raise PackageUnreadable(f"{_shown(relative)}: no such file") from None
        if not stat.S_ISREG(mode):
            raise UnsafePath(f"{_shown(relative)}: not a regular file; refused without reading")
    return target


def _shown(value: object) -> str:
    """A path as it may be printed: control characters escaped, length bounded."""
    text = repr(value) if not isinstance(value, str) else value
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text if len(text) <= 120 else text[:119] + "…"
