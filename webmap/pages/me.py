"""A signed-in account's own pages: ``/me/`` lists exactly what a reporter must report in the quarters open for
reporting (each assignment with its light and its report's state); ``/me/report`` is the form of one assignment ×
quarter (draft, submit, attachment); ``/me/sheet.xlsx`` and ``/me/sheet`` the spreadsheet round trip (download,
upload with a dry run first, then all rows or none)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import Blueprint, Flask, Response, abort, redirect, render_template, request, url_for
from flask_login import login_required

from gazetteer.supervision.lights import Progress
from gazetteer.supervision.periods import Quarter
from gazetteer.supervision.workflow import EDITABLE, State
from layers.errors import SupervisionError
from layers.sheets import MAX_BYTES, SheetError, quarter_sheet, read_sheet
from layers.storage import supervision as service
from layers.storage.uploads import apply_upload, plan_upload, sheet_lines
from webmap.auth import current_account
from webmap.pages.supervision import ACTIONS, _site, current_quarter, quarter_lights
from webmap.state import get_supervision
from webmap.templating import page_title

bp = Blueprint("me", __name__, url_prefix="/me")


def _open_quarters() -> list[Quarter]:
    windows = service.windows(get_supervision())
    return [Quarter(w["year"], w["quarter"]) for w in windows if w["state"] == "open"]


def due(quarter: Quarter) -> list[dict[str, Any]]:
    """The account's assignments of the quarter, each with its light and its report of the quarter (if any)."""
    found = quarter_lights(quarter)
    verdicts = {a["id"]: a for a in found["assignments"]} if found else {}
    rows = []
    for a in service.assignments_for(get_supervision(), current_account(), year=quarter.year):
        report = next((r for r in a["reports"] if r["quarter"] == quarter.number), None)
        rows.append({**a, "report": report, "verdict": verdicts.get(a["id"]),
                     "state": State(report["state"]) if report else None})
    return rows


@bp.get("/")
@login_required
def index() -> str:
    account = current_account()
    quarters = _open_quarters()
    groups = [(q, due(q)) for q in quarters] if account.role == "reporter" else []
    return render_template("me/index.html", title=page_title("我的报送", site=_site()), account=account,
                           groups=groups, quarter=current_quarter())


def _quarter_args(source: Any) -> Quarter:
    try:
        return Quarter(int(source.get("year", "")), int(source.get("quarter", "")))
    except ValueError:
        abort(400, description="请指明年份和季度")


def _assignment(quarter: Quarter, key: str) -> dict[str, Any]:
    found = next((a for a in due(quarter) if a["id"] == key), None)
    if found is None:
        abort(404, description="没有这项本单位的任务分工")
    return found


@bp.get("/report")
@login_required
def report_form() -> str:
    quarter = _quarter_args(request.args)
    assignment = _assignment(quarter, request.args.get("assignment", ""))
    report = service.get_report(get_supervision(), current_account(), assignment["report"]["id"]) \
        if assignment["report"] else None
    return _form(quarter, assignment, report)


def _form(quarter: Quarter, assignment: dict[str, Any], report: dict[str, Any] | None, *, error: str = "",
          status: int = 200, values: dict[str, Any] | None = None) -> Any:
    editable = report is None or State(report["state"]) in EDITABLE
    events = service.events_of(get_supervision(), current_account(), report["id"]) if report else []
    page = render_template("me/report.html", title=page_title("填报", str(quarter), site=_site()),
                           quarter=quarter, assignment=assignment, report=report, editable=editable,
                           statuses=list(Progress), error=error, values=values or report or {}, events=events,
                           actions=ACTIONS, states=State)
    return page, status


@bp.post("/report")
@login_required
def report_save() -> Any:
    sv, account = get_supervision(), current_account()
    quarter = _quarter_args(request.form)
    assignment = _assignment(quarter, request.form.get("assignment", ""))
    form = request.form
    fields = {"status": form.get("status", ""), "done": form.get("done", ""), "problems": form.get("problems", ""),
              "next_steps": form.get("next_steps", "")}
    try:
        fields["progress"] = float(form.get("progress", ""))
    except ValueError:
        fields["progress"] = form.get("progress", "")  # the service says what is wrong with it
    report = None
    try:
        if assignment["report"] is None:
            report = service.create_report(sv, account, assignment=assignment["id"], year=quarter.year,
                                           quarter=quarter.number, **fields)
        else:
            report = service.update_report(sv, account, assignment["report"]["id"],
                                           expected_version=int(form.get("version") or 0), **fields)
        upload = request.files.get("attachment")
        if upload is not None and upload.filename:
            service.add_attachment(sv, account, report["id"], filename=upload.filename, data=upload.read())
        if form.get("action") == "submit":
            service.submit_report(sv, account, report["id"])
    except SupervisionError as error:
        current = report or (service.get_report(sv, account, assignment["report"]["id"])
                             if assignment["report"] else None)
        return _form(quarter, assignment, current, error=error.description, status=error.status,
                     values={**(current or {}), **fields})
    return redirect(url_for(".report_form", assignment=assignment["id"], year=quarter.year, quarter=quarter.number))


# -- the spreadsheet round trip ---------------------------------------------------------------------------------
@bp.get("/sheet.xlsx")
@login_required
def sheet() -> Response:
    quarter = _quarter_args(request.args) if request.args.get("year") else current_quarter()
    if quarter is None:
        abort(404, description="还没有开放报送的季度")
    account = current_account()
    lines = sheet_lines(get_supervision(), account, quarter)
    units = "、".join(sorted(account.units)) or account.name
    data = quarter_sheet(lines, title=f"{units} {quarter}进展报送表")
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition":
                             f'attachment; filename="sheet-{quarter.year}-q{quarter.number}.xlsx"'})


@bp.post("/sheet")
@login_required
def sheet_upload() -> Any:
    sv, account = get_supervision(), current_account()
    quarter = _quarter_args(request.form)
    upload = request.files.get("sheet")
    if upload is not None and upload.filename:
        data = upload.read(MAX_BYTES + 1)
    else:
        try:
            data = base64.b64decode(request.form.get("data", ""), validate=True)
        except (binascii.Error, ValueError):
            data = b""
    errors, changes, applied, problem = [], [], None, ""
    try:
        rows, errors = read_sheet(data)
        changes, more = plan_upload(sv, account, quarter, rows)
        errors = sorted(errors + more, key=lambda e: e.row)
        if not errors and request.form.get("action") == "apply":
            applied = apply_upload(sv, account, quarter, rows)
    except SheetError as error:
        problem = str(error)
    except SupervisionError as error:
        problem = error.description
    status = 422 if (errors or problem) else 200
    page = render_template("me/sheet.html", title=page_title("导入报送表", site=_site()), quarter=quarter,
                           errors=errors, changes=changes, applied=applied, problem=problem,
                           data=base64.b64encode(data).decode("ascii") if not (errors or problem) else "")
    return page, status


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
