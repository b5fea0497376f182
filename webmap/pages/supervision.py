"""Supervision pages of the 督查室 and reviewers: ``/supervision/review`` (the submitted reports, approve or return
with a comment), ``/supervision/admin`` (open and close each quarter's reporting window, set deadlines),
``/supervision/reports/<id>`` (one report with its log), ``/supervision/attachments/<id>`` (a report's file, to
those who may read the report's draft) and the quarter's 通报, ``/supervision/<year>/<quarter>/
bulletin`` as a printable page and ``bulletin.docx``.

Also what other pages ask: the quarter being supervised (:func:`current_quarter`: the latest open window, else the
latest window) and its lights (:func:`quarter_lights`, computed once per request). Every action goes through
:mod:`layers.storage.supervision`, which checks :func:`~gazetteer.supervision.access.allowed`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, abort, g, redirect, render_template, request, send_file, url_for
from flask_login import login_required

from gazetteer.supervision.bulletin import Entry, bulletin
from gazetteer.supervision.lights import Light, Verdict
from gazetteer.supervision.periods import Quarter
from gazetteer.supervision.workflow import State
from layers import bulletin as docx
from layers.storage import supervision as service
from layers.storage.unit_quarter import unit_quarter
from webmap.auth import current_account
from webmap.pages.planner import home_name
from webmap.state import get_state, get_supervision
from webmap.templating import LIGHT_ORDER, page_title, site_name, unit_words

bp = Blueprint("supervision", __name__, url_prefix="/supervision")

#: What the log calls each action.
ACTIONS = {"create": "新建草稿", "edit": "修改", "submit": "报送", "approve": "审核通过", "return": "退回",
           "attach": "添加附件"}


# -- shared with other pages ------------------------------------------------------------------------------------
def current_quarter() -> Quarter | None:
    """The quarter being supervised: the latest open reporting window, else the latest window, else none."""
    if "govmap_quarter" not in g:
        sv = get_supervision()
        windows = service.windows(sv) if sv is not None else []
        chosen = ([w for w in windows if w["state"] == "open"] or windows or [None])[-1]
        g.govmap_quarter = Quarter(chosen["year"], chosen["quarter"]) if chosen else None
    return g.govmap_quarter


def quarter_lights(quarter: Quarter | None = None) -> dict[str, Any] | None:
    """The lights of ``quarter`` (the current one by default), computed once per request."""
    quarter = quarter or current_quarter()
    if quarter is None:
        return None
    cache = g.setdefault("govmap_lights", {})
    if quarter not in cache:
        cache[quarter] = service.lights(get_supervision(), year=quarter.year, quarter=quarter.number,
                                        account=current_account())
    return cache[quarter]


def task_lights(quarter: Quarter | None = None) -> dict[str, Verdict]:
    """The light of each task of the page's corpus (by its id) in the quarter: the worst of its assignments'."""
    found = quarter_lights(quarter)
    if found is None:
        return {}
    verdicts: dict[str, Verdict] = {}
    for item in found["assignments"]:
        verdict = Verdict(Light(item["light"]), item["reason"])
        held = verdicts.get(item["task_id"])
        if held is None or verdict.light.rank > held.light.rank:
            verdicts[item["task_id"]] = verdict
    return verdicts


def task_reports(task_id: str) -> dict[str, Any] | None:
    """What the task page shows of supervision: the quarter, each assignment's light, the reports the reader may
    see (approved ones to everyone; drafts and returned ones only to the unit, reviewers and admins) with their
    logs. ``None`` when nothing is supervised yet."""
    found = quarter_lights()
    if found is None:
        return None
    sv, account = get_supervision(), current_account()
    assignments = [a for a in found["assignments"] if a["task_id"] == task_id]
    if not assignments:
        return None
    key = assignments[0]["task"]
    if account is None:
        from layers.storage.published import approved_reports

        reports = approved_reports(sv, task=key)
    else:
        reports = [r for r in service.list_reports(sv, account) if r["task"] == key]
    names = {a["id"]: a["unit_name"] for a in assignments}
    return {"quarter": current_quarter(), "assignments": assignments, "task_key": key,
            "year": assignments[0]["year"],
            "reports": [(r, names.get(r["assignment"], r["unit"]), Quarter(r["year"], r["quarter"]),
                         service.events_of(sv, account, r["id"])) for r in reports],
            "may_administer": account is not None and account.role == "admin"}


def unit_supervision(units: Collection[str], *, township: str | None = None) -> dict[str, Any] | None:
    """What a unit's or a township's page shows of supervision for the units whose keys are ``units``: the current
    quarter's assignments, roll-up and what is due (:func:`layers.storage.unit_quarter.unit_quarter`), and for a
    township (its place id) the roll-up of every task linked to it. ``{"agenda": None}`` before any quarter is
    supervised; ``None`` when the app has no supervision."""
    sv = get_supervision()
    if sv is None:
        return None
    found = quarter_lights()
    if found is None:
        return {"agenda": None}
    return {"agenda": unit_quarter(sv, current_account(), found=found, units=units),
            "area": found["townships"].get(township) if township else None}


def _site() -> str:
    return site_name(home_name(get_state()))


def _quarter(year: int, number: int) -> Quarter:
    try:
        return Quarter(year, number)
    except ValueError:
        abort(404, description="没有这个季度")


# -- 通报 -------------------------------------------------------------------------------------------------------
def quarter_bulletin(quarter: Quarter):
    """The 通报 of ``quarter`` from its lights and reports (submitted and approved only)."""
    found = quarter_lights(quarter)
    reports = {r["assignment"]: r for r in _counted_reports(quarter)}
    entries = [Entry(a["task_id"], a["label"], a["section"][0] if a["section"] else service.NO_SECTION, a["text"],
                     a["unit_name"], Verdict(Light(a["light"]), a["reason"]),
                     State(reports[a["id"]]["state"]) if a["id"] in reports else None,
                     late=bool(reports.get(a["id"], {}).get("late")))
               for a in found["assignments"]]
    return bulletin(quarter, entries)


def _counted_reports(quarter: Quarter) -> list[dict[str, Any]]:
    from layers.storage.published import counted_reports

    return counted_reports(get_supervision(), year=quarter.year, quarter=quarter.number)


def _title() -> str:
    deployment = get_state().gazetteer.deployment
    home = get_state().gazetteer.get(get_state().gazetteer.home) if get_state().gazetteer.home else None
    return home.name if home else unit_words(deployment)["whole"]


@bp.get("/<int:year>/<int:number>/bulletin")
def bulletin_page(year: int, number: int) -> str:
    quarter = _quarter(year, number)
    report = quarter_bulletin(quarter)
    heading = f"{_title()}{quarter}重点工作督查通报"
    return render_template("supervision/bulletin.html", title=page_title("通报", str(quarter), site=_site()),
                           heading=heading, report=report, summary=docx.summary(report), statuses=docx.STATUSES,
                           unit_headers=docx.UNIT_HEADERS, task_headers=docx.TASK_HEADERS,
                           section_headers=docx.SECTION_HEADERS, lights=LIGHT_ORDER,
                           docx_url=url_for(".bulletin_docx", year=year, number=number))


@bp.get("/<int:year>/<int:number>/bulletin.docx")
def bulletin_docx(year: int, number: int) -> Response:
    quarter = _quarter(year, number)
    data = docx.bulletin_docx(quarter_bulletin(quarter), title=_title(), issued=dt.date.today())
    name = f"bulletin-{year}-q{number}.docx"
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# -- attachments ------------------------------------------------------------------------------------------------
def attachment_response(record: dict[str, Any], path: Path) -> Response:
    """An attachment as a download under its own name and recognised type, never rendered by the browser (the API
    serves it the same way)."""
    response = send_file(path, mimetype=record["media_type"], as_attachment=True, download_name=record["name"],
                         conditional=False, etag=record["sha256"])
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/attachments/<int:attachment_id>")
@login_required
def attachment(attachment_id: int) -> Response:
    """The file of an attachment, to its unit, reviewers and admins only (to anyone else it does not exist)."""
    return attachment_response(*service.get_attachment(get_supervision(), current_account(), attachment_id))


# -- reports and review -----------------------------------------------------------------------------------------
def _plan(year: int) -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in service.assignments_for(get_supervision(), current_account(), year=year)}


@bp.get("/reports/<int:report_id>")
@login_required
def report(report_id: int) -> str:
    sv, account = get_supervision(), current_account()
    found = service.get_report(sv, account, report_id)
    assignment = _plan(found["year"]).get(found["assignment"])
    return render_template("supervision/report.html", title=page_title("报告", site=_site()), report=found,
                           assignment=assignment, events=service.events_of(sv, account, report_id), actions=ACTIONS,
                           quarter=Quarter(found["year"], found["quarter"]),
                           may_review=found["state"] == State.SUBMITTED and account.role != "reporter"
                           and found["submitted_by"] != account.name)


@bp.get("/review")
@login_required
def review() -> str:
    sv, account = get_supervision(), current_account()
    if account.role == "reporter":
        abort(403, description="只有审核人和管理员可以审核报告")
    waiting = [r for r in service.list_reports(sv, account) if r["state"] == State.SUBMITTED]
    plans = {year: _plan(year) for year in {r["year"] for r in waiting}}
    rows = [(r, plans[r["year"]].get(r["assignment"]), Quarter(r["year"], r["quarter"])) for r in waiting]
    return render_template("supervision/review.html", title=page_title("审核", site=_site()), rows=rows)


@bp.post("/reports/<int:report_id>/approve")
@login_required
def approve(report_id: int) -> Response:
    service.approve_report(get_supervision(), current_account(), report_id,
                           expected_version=_version(request.form.get("version")))
    return redirect(url_for(".review"))


@bp.post("/reports/<int:report_id>/return")
@login_required
def send_back(report_id: int) -> Response:
    service.return_report(get_supervision(), current_account(), report_id,
                          comment=request.form.get("comment", ""),
                          expected_version=_version(request.form.get("version")))
    return redirect(url_for(".review"))


def _version(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


# -- administration ---------------------------------------------------------------------------------------------
@bp.get("/admin")
@login_required
def admin() -> str:
    account = current_account()
    if account.role != "admin":
        abort(403, description="只有管理员（督查室）可以设置报送时间")
    sv = get_supervision()
    today = dt.date.today()
    quarter = current_quarter() or Quarter.of(today)
    return render_template("supervision/admin.html", title=page_title("报送设置", site=_site()),
                           windows=service.windows(sv), today=today, quarter=quarter,
                           deadlines=[d for d in service.deadlines(sv, year=quarter.year) if d["deadline_set"]])


@bp.post("/admin/windows")
@login_required
def window() -> Response:
    sv, account = get_supervision(), current_account()
    year, number = _int(request.form.get("year")), _int(request.form.get("quarter"))
    if request.form.get("action") == "close":
        service.close_window(sv, account, year=year, quarter=number)
    else:
        closes = request.form.get("closes", "").strip()
        until = _day_end(closes) if closes else None
        service.open_window(sv, account, year=year, quarter=number, closes=until)
    return redirect(url_for(".admin"))


@bp.post("/admin/deadline")
@login_required
def deadline() -> Response:
    day = request.form.get("deadline", "").strip()
    service.set_deadline(get_supervision(), current_account(), year=_int(request.form.get("year")),
                         task=request.form.get("task", ""), deadline=day or None)  # the service reads the date
    return redirect(request.form.get("back") if request.form.get("back", "").startswith("/tasks/")
                    else url_for(".admin"))


def _int(raw: str | None) -> int:
    try:
        return int(raw or "")
    except ValueError:
        abort(400, description="年份和季度应为数字")


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        abort(400, description=f"日期“{raw}”应写作 2025-06-30")


def _day_end(raw: str) -> dt.datetime:
    """The end of a day in China Standard Time, as UTC."""
    day = _date(raw)
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=dt.timezone(dt.timedelta(hours=8)))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
