"""Exceptions of the geodata package; each also inherits the natural built-in."""


class GeodataError(Exception):
    """Root of every error raised by :mod:`geodata`."""


class ImportFileError(GeodataError, ValueError):
    """A file offered for import is unusable: unreadable, no CRS, missing field, nothing matched."""


class UserDataError(GeodataError, OSError):
    """The user's data folder cannot be written (not a folder, no space, no permission)."""
