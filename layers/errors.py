"""Exceptions of the layers package. Each carries its HTTP status and an OGC exception code, so that one place
(:func:`error_body`) turns any of them into the one JSON error shape ``{"code": ..., "description": ...}``."""

from __future__ import annotations

from typing import Any


class LayerError(Exception):
    """Root of every error raised by :mod:`layers`; ``status`` is the HTTP status, ``code`` the OGC code.

    >>> LayerError("出错了").to_dict()
    {'code': 'NoApplicableCode', 'description': '出错了'}
    """

    status: int = 500
    code: str = "NoApplicableCode"

    def __init__(self, description: str, *, status: int | None = None, code: str | None = None) -> None:
        super().__init__(description)
        self.description = description
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code

    def to_dict(self) -> dict[str, Any]:
        """The one JSON error shape (the OGC API exception shape)."""
        return {"code": self.code, "description": self.description}


class InvalidParameter(LayerError, ValueError):
    """A query parameter is malformed or out of range (HTTP 400).

    >>> InvalidParameter("bbox 须为 4 个数").status
    400
    """

    status = 400
    code = "InvalidParameterValue"


class NotFound(LayerError, LookupError):
    """No such layer, collection or feature (HTTP 404)."""

    status = 404
    code = "NotFound"


class WriteError(LayerError, OSError):
    """A layer could not be written where asked (missing folder, a directory, no permission)."""

    code = "WriteError"


def error_body(code: str, description: str) -> dict[str, Any]:
    """The JSON error shape for errors that are not :class:`LayerError` (e.g. an unknown place).

    >>> error_body("NotFound", "没有这个地点")
    {'code': 'NotFound', 'description': '没有这个地点'}
    """
    return {"code": code, "description": description}
