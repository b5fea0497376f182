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


class SupervisionError(LayerError):
    """Root of the errors of supervision (:mod:`layers.storage.supervision`): each carries the HTTP status that the
    API answers with and a Chinese message for the user.

    >>> Forbidden("只能填报本单位的任务").to_dict()
    {'code': 'Forbidden', 'description': '只能填报本单位的任务'}
    """

    status = 400
    code = "BadRequest"


class NotAuthenticated(SupervisionError, PermissionError):
    """No account, a wrong password, or an unknown or revoked token (HTTP 401)."""

    status = 401
    code = "NotAuthenticated"


class Forbidden(SupervisionError, PermissionError):
    """The account may not do this (HTTP 403)."""

    status = 403
    code = "Forbidden"


class NoSuchRecord(SupervisionError, NotFound):
    """No such report, assignment, attachment or user — or one the account may not know of (HTTP 404)."""

    status = 404
    code = "NotFound"


class Conflict(SupervisionError, ValueError):
    """The change conflicts with the record's state: a report edited meanwhile, already submitted, a duplicate
    (HTTP 409)."""

    status = 409
    code = "Conflict"


class PreconditionFailed(Conflict):
    """``If-Match`` names a version that is no longer the current one (HTTP 412)."""

    status = 412
    code = "PreconditionFailed"


class Invalid(SupervisionError, ValueError):
    """A value is malformed or out of range (HTTP 422)."""

    status = 422
    code = "InvalidValue"


class TooLarge(Invalid):
    """An attachment is larger than allowed (HTTP 413)."""

    status = 413
    code = "TooLarge"


def error_body(code: str, description: str) -> dict[str, Any]:
    """The JSON error shape for errors that are not :class:`LayerError` (e.g. an unknown place).

    >>> error_body("NotFound", "没有这个地点")
    {'code': 'NotFound', 'description': '没有这个地点'}
    """
    return {"code": code, "description": description}
