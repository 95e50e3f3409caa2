"""Named exceptions of the kdata library; the CLI turns each into a one-line message."""


class KdataError(Exception):
    """Base class of every error kdata raises on purpose."""


class PackageUnreadable(KdataError):
    """The data package (its folder or datapackage.json) cannot be found or parsed."""


class UnknownTable(KdataError, ValueError):
    """A table name that the package does not define."""


class DestinationExists(KdataError):
    """An output destination exists and is not empty; pass force=True to replace it."""


class MissingExtra(KdataError):
    """An optional dependency is not installed; the message names the extra to install."""


class UnsupportedFormat(KdataError, ValueError):
    """An output file whose suffix names a format kdata cannot write."""
