"""Exceptions of the gazetteer package; each also inherits the natural built-in."""


class GazetteerError(Exception):
    """Root of every error raised by :mod:`gazetteer`."""


class DataError(GazetteerError, ValueError):
    """The gazetteer's data (curated file, reference files, user imports) is inconsistent or unreadable."""


class DocumentError(GazetteerError, ValueError):
    """A text cannot be read: empty, binary, too large, wrongly encoded or truncated."""


class UnknownPlace(GazetteerError, LookupError):
    """No place has that id."""
