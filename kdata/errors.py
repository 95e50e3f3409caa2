"""Named exceptions of the kdata library; the CLI turns each into a one-line message."""

from __future__ import annotations

from types import ModuleType


class KdataError(Exception):
    """Base class of every error kdata raises on purpose."""


class PackageUnreadable(KdataError):
    """The data package (its folder or datapackage.json) cannot be found or parsed."""


class UnknownTable(KdataError, ValueError):
    """A table name that the package does not define."""


class UnknownRow(KdataError, KeyError):
    """A key names no row of its table."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class DestinationExists(KdataError):
    """An output destination exists and is not empty; pass force=True to replace it."""


class MissingExtra(KdataError):
    """An optional dependency is not installed; the message names the extra to install."""


class UnsupportedFormat(KdataError, ValueError):
    """An output file whose suffix names a format kdata cannot write."""


def import_extra(module: str, name: str, purpose: str, extra: str) -> ModuleType:
    """Import an optional dependency, or raise ``MissingExtra`` with the one-line install hint."""
    import importlib

    from kdata.package import DISTRIBUTION

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(f"{name} is needed for {purpose}; install it with: "
                           f"pip install '{DISTRIBUTION}[{extra}]'") from None
