"""The supervision JSON API under ``/api``: a thin adapter over :mod:`layers.storage.supervision`.

Every request authenticates with ``Authorization: Bearer TOKEN`` (``govmap users token NAME``) and nothing else:
the session cookie of the pages is never read here, so the API needs no CSRF token and a page's cookie cannot be
used to call it from another site. Errors come in the one JSON shape ``{"code": …, "description": …}`` with the
status the service gives (401, 403, 404, 409, 412, 413, 422). A report carries an ``ETag`` (its version); ``PUT``
with ``If-Match`` answers 412 when the report changed since, and with ``version`` in the body 409.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, Response, request

from gazetteer.supervision.access import Account
from layers.errors import Invalid, NotAuthenticated, PreconditionFailed, SupervisionError, TooLarge
from layers.export import dumps
from layers.storage import supervision as service
from layers.storage.accounts import authenticate_token
from webmap.pages.supervision import attachment_response
from webmap.state import get_supervision

bp = Blueprint("api", __name__, url_prefix="/api")
_DIGITS = re.compile(r"[0-9]{1,9}")
_ETAG = re.compile(r"v([0-9]{1,9})")
#: Room for the multipart envelope around an attachment (bytes).
_ENVELOPE = 64 * 1024


def _json(payload: Any, status: int = 200, *, version: int | None = None) -> Response:
    response = Response(dumps(payload), status=status, content_type="application/json")
    if version is not None:
        response.set_etag(f"v{version}")
    return response


def _error(exc: SupervisionError) -> Response:
    response = _json(exc.to_dict(), exc.status)
    if isinstance(exc, NotAuthenticated):
        response.headers["WWW-Authenticate"] = 'Bearer realm="govmap"'
    return response


@bp.errorhandler(SupervisionError)
def _supervision_error(exc: SupervisionError) -> Response:
    return _error(exc)


@bp.after_request
def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _account() -> Account:
    """The account of the request's bearer token (the only credential the API accepts)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("请在 Authorization 头中提供访问令牌（Bearer …）")
    return authenticate_token(get_supervision().store, token.strip())


def _int_arg(name: str, *, required: bool = False) -> int | None:
    value = request.args.get(name)
    if value is None or value == "":
        if required:
            raise Invalid(f"缺少参数 {name}")
        return None
    if not _DIGITS.fullmatch(value):
        raise Invalid(f"参数 {name} 应为整数")
    return int(value)


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid("请求体应为 JSON 对象（Content-Type: application/json）")
    return body


def _body_int(body: dict[str, Any], name: str) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"{name} 应为整数")
    return value


def _expected_version(body: dict[str, Any]) -> tuple[int | None, bool]:
    """The version the client read: from ``If-Match`` (a 412 when stale), else ``version`` in the body (409)."""
    if request.headers.get("If-Match") is not None:
        tags = request.if_match
        if tags.star_tag:
            return None, True
        versions = [int(m.group(1)) for tag in tags.as_set() if (m := _ETAG.fullmatch(tag))]
        if not versions:
            raise PreconditionFailed("If-Match 不是本报告的版本标记")
        return max(versions), True
    if "version" in body:
        return _body_int(body, "version"), False
    return None, False


def _report(payload: dict[str, Any], status: int = 200) -> Response:
    return _json(payload, status, version=payload["version"])


# -- views ------------------------------------------------------------------------------------------------------
@bp.get("/assignments")
def assignments() -> Response:
    account = _account()
    return _json(service.assignments_for(get_supervision(), account, year=_int_arg("year", required=True),
                                         unit=request.args.get("unit") or None))


@bp.get("/reports")
def reports() -> Response:
    account = _account()
    return _json(service.list_reports(get_supervision(), account, assignment=request.args.get("assignment") or None,
                                      year=_int_arg("year"), quarter=_int_arg("quarter"),
                                      unit=request.args.get("unit") or None))


@bp.post("/reports")
def create() -> Response:
    account = _account()
    body = _body()
    fields = {k: v for k, v in body.items() if k not in ("assignment", "year", "quarter")}
    assignment = body.get("assignment")
    if not isinstance(assignment, str):
        raise Invalid("assignment 应为任务分工的编号（字符串）")
    created = service.create_report(get_supervision(), account, assignment=assignment,
                                    year=_body_int(body, "year"), quarter=_body_int(body, "quarter"), **fields)
    response = _report(created, 201)
    response.headers["Location"] = f"/api/reports/{created['id']}"
    return response


@bp.get("/reports/<int:report_id>")
def report(report_id: int) -> Response:
    account = _account()
    return _report(service.get_report(get_supervision(), account, report_id))


@bp.put("/reports/<int:report_id>")
def update(report_id: int) -> Response:
    account = _account()
    body = _body()
    expected, precondition = _expected_version(body)
    if expected is None and not precondition:
        raise Invalid("请用 If-Match 头或 version 字段注明所编辑的版本")
    sv = get_supervision()
    if expected is None:  # If-Match: * — whatever the current version is
        expected = service.get_report(sv, account, report_id)["version"]
    fields = {k: v for k, v in body.items() if k != "version"}
    return _report(service.update_report(sv, account, report_id, expected_version=expected,
                                         precondition=precondition, **fields))


def _transition(call: Callable[..., dict[str, Any]], report_id: int, **extra: Any) -> Response:
    account = _account()
    body = request.get_json(silent=True) if request.content_length else {}
    if not isinstance(body, dict):
        raise Invalid("请求体应为 JSON 对象（Content-Type: application/json）")
    expected, precondition = _expected_version(body)
    return _report(call(get_supervision(), account, report_id, expected_version=expected,
                        precondition=precondition, **{k: f(body) for k, f in extra.items()}))


@bp.post("/reports/<int:report_id>/submit")
def submit(report_id: int) -> Response:
    return _transition(service.submit_report, report_id)


@bp.post("/reports/<int:report_id>/approve")
def approve(report_id: int) -> Response:
    return _transition(service.approve_report, report_id)


@bp.post("/reports/<int:report_id>/return")
def send_back(report_id: int) -> Response:
    return _transition(service.return_report, report_id, comment=lambda body: body.get("comment", ""))


@bp.get("/reports/<int:report_id>/events")
def events(report_id: int) -> Response:
    account = _account()
    return _json(service.events_of(get_supervision(), account, report_id))


@bp.post("/reports/<int:report_id>/attachments")
def attach(report_id: int) -> Response:
    account = _account()
    sv = get_supervision()
    request.max_content_length = sv.max_attachment + _ENVELOPE
    if request.content_length is not None and request.content_length > sv.max_attachment + _ENVELOPE:
        raise TooLarge(f"附件过大：至多 {sv.max_attachment / (1024 * 1024):g} MB")
    upload = request.files.get("file")
    if upload is None:
        raise Invalid("请以 multipart/form-data 的 file 字段上传附件")
    data = upload.stream.read(sv.max_attachment + 1)
    return _json(service.add_attachment(sv, account, report_id, filename=upload.filename or "", data=data), 201)


@bp.get("/attachments/<int:attachment_id>")
def attachment(attachment_id: int) -> Response:
    account = _account()
    return attachment_response(*service.get_attachment(get_supervision(), account, attachment_id))


@bp.get("/lights")
def lights() -> Response:
    account = _account()
    on = request.args.get("on")
    try:
        day = dt.date.fromisoformat(on) if on else None
    except ValueError:
        raise Invalid("参数 on 应为日期（YYYY-MM-DD）") from None
    return _json(service.lights(get_supervision(), year=_int_arg("year", required=True),
                                quarter=_int_arg("quarter", required=True), on=day, account=account))


@bp.get("/windows")
def windows() -> Response:
    _account()
    return _json(service.windows(get_supervision(), year=_int_arg("year")))


@bp.get("/deadlines")
def deadlines() -> Response:
    _account()
    return _json(service.deadlines(get_supervision(), year=_int_arg("year", required=True)))


@bp.put("/deadlines/<int:year>/<task>")
def set_deadline(year: int, task: str) -> Response:
    """``{"deadline": "YYYY-MM-DD"}`` over the plan's deadline of ``task`` (12, 第12项, 目标1 or its key)."""
    account = _account()
    given = _body().get("deadline")
    return _json(service.set_deadline(get_supervision(), account, year=year, task=task,
                                      deadline="" if given is None else given))  # null is no date: DELETE clears


@bp.delete("/deadlines/<int:year>/<task>")
def clear_deadline(year: int, task: str) -> Response:
    """Drop the deadline set for ``task``: the plan's own counts again."""
    return _json(service.set_deadline(get_supervision(), _account(), year=year, task=task, deadline=None))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
