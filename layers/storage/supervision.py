"""The service layer of supervision (一季度一督办一通报): every action of pages, the API and the command line on
reports, reporting windows, deadlines and attachments, framework-free.

Each function takes a :class:`Supervision` (the store, the deployment, the folder of attachments) and the
:class:`~gazetteer.supervision.access.Account` acting; it asks :func:`~gazetteer.supervision.access.allowed`,
changes the report through :mod:`gazetteer.supervision.workflow`, and writes the change and its event in one
transaction. Errors are :class:`layers.errors.SupervisionError`\\ s carrying their HTTP status: 401
:class:`NotAuthenticated`, 403 :class:`Forbidden`, 404 :class:`NoSuchRecord`, 409 :class:`Conflict`, 412
:class:`PreconditionFailed`, 413 :class:`TooLarge`, 422 :class:`Invalid`.

Visibility: a submitted or approved report is seen by every account; a draft or a returned report only by its
unit, the reviewers and the admins — to anyone else it does not exist (404, never 403, so that a reporter cannot
learn that another unit has a draft). A reader without an account (``account=None``) gets approved reports only,
without their attachments, and the lights without the figures of reports not yet approved: the pages hide the
rest too, and the service does not rely on them. Assignments (the plan) are public, so writing to another unit's
assignment is 403.

An assignment is ``TASKKEY:UNIT`` — the task's stable key (kept across versions and years of the plan) and the
unit's key (:func:`gazetteer.linking.units.corpus_key_function`: 区水利局 → 水利局) — so that a report outlives
a new version of the plan. Supervision writes do not raise the change counter: nothing the map shows depends on
them, and lights are computed when read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from gazetteer.corpus import DECOMPOSITION
from gazetteer.linking.units import corpus_key_function
from gazetteer.model import TaskKind
from gazetteer.reading.numerals import chinese_value
from gazetteer.supervision import workflow
from gazetteer.supervision.access import Account, Action, Role, allowed
from gazetteer.supervision.lights import Light, Progress, Reading, RollUp, light, roll_up
from gazetteer.supervision.periods import Quarter
from gazetteer.supervision.workflow import COUNTED, EDITABLE, TEXT_LIMIT, State, WorkflowError
from geodata.deployment import Deployment
from layers.errors import (Conflict, Forbidden, Invalid, NoSuchRecord, NotAuthenticated, PreconditionFailed,
                           SupervisionError, TooLarge)
from layers.storage import attachments as files
from layers.storage import models
from layers.storage.database import Store
from layers.storage.ingest import ensure_deployment

#: The fields of a report its unit writes, and what the pages call them.
FIELDS: dict[str, str] = {"progress": "进度", "status": "状态", "done": "进展情况", "problems": "存在问题",
                          "next_steps": "下步打算"}
TEXT_FIELDS = ("done", "problems", "next_steps")
#: The years a report may be for.
YEARS = range(2000, 2101)
#: Separates the task's key and the unit's in an assignment's key.
SEP = ":"
#: The name of a section roll-up for tasks outside any section.
NO_SECTION = "（未分节）"
#: The reason of a light shown to a reader who may not read the report it comes from (its figures stay private).
PENDING = "已报送，待审核（进度在审核通过后公开）"

NotFound = NoSuchRecord  # the name the HTTP table uses

__all__ = ["Conflict", "FIELDS", "Forbidden", "Invalid", "NoSuchRecord", "NotAuthenticated", "NotFound",
           "PreconditionFailed", "Supervision", "SupervisionError", "TooLarge", "add_attachment", "approve_report",
           "assignments_for", "close_window", "create_report", "deadlines", "events_of", "find_task",
           "get_attachment", "get_report", "lights", "list_reports", "open_window", "return_report", "set_deadline",
           "submit_report", "update_report", "windows"]


# -- the context ------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Supervision:
    """What every function works on: the database, the deployment, and the folder attachments are kept in (the
    deployment's data folder, never a web root)."""

    store: Store
    deployment: Deployment
    files: Path
    max_attachment: int = files.MAX_BYTES

    @classmethod
    def of(cls, store: Store, deployment: Deployment, *, data_dir: Path,
           max_attachment: int = files.MAX_BYTES) -> Supervision:
        """Attachments in ``data_dir``/attachments."""
        return cls(store, deployment, Path(data_dir) / files.FOLDER, max_attachment)

    def unit_key(self, session: Session | None = None) -> Callable[[str], str]:
        """The key function of the units the stored plans write (the same keys the unit pages use)."""
        if session is None:
            with self.store.read() as session:
                return self.unit_key(session)
        return corpus_key_function(self._written_units(session), self.deployment)

    def units(self) -> list[str]:
        """The keys of every unit the stored plans name (what ``govmap users add --unit`` accepts)."""
        with self.store.read() as session:
            written = self._written_units(session)
        key = corpus_key_function(written, self.deployment)
        return sorted({key(u) for u in written})

    def _written_units(self, session: Session) -> list[str]:
        return list(session.scalars(select(models.Assignment.unit).distinct().join(models.Task)
                                    .join(models.Document).join(models.Deployment)
                                    .where(models.Deployment.key == self.deployment.key)))


@dataclass(frozen=True, slots=True)
class Assignment:
    """One unit's part in one task of a year's plan, as supervision sees it."""

    key: str
    task_key: str
    task_id: str
    kind: TaskKind
    number: str
    section: tuple[str, ...]
    text: str
    unit: str
    unit_name: str
    role: str
    year: int
    deadline: dt.date | None
    deadline_text: str | None
    deadline_set: bool
    plan_deadline: dt.date | None

    @property
    def label(self) -> str:
        """The task as the plan numbers it: 第12项, 目标一."""
        return self.kind.label(self.number)

    def record(self) -> dict[str, Any]:
        return {"id": self.key, "task": self.task_key, "task_id": self.task_id, "kind": str(self.kind),
                "number": self.number, "label": self.label, "section": list(self.section), "text": self.text,
                "unit": self.unit, "unit_name": self.unit_name, "role": self.role, "year": self.year,
                "deadline": self.deadline.isoformat() if self.deadline else None,
                "deadline_text": self.deadline_text, "deadline_set": self.deadline_set,
                "plan_deadline": self.plan_deadline.isoformat() if self.plan_deadline else None}


# -- reading the plan -------------------------------------------------------------------------------------------
def assignments_for(sv: Supervision, account: Account | None, *, year: int,
                    unit: str | None = None) -> list[dict[str, Any]]:
    """The assignments of ``year``'s plan the account works on — a reporter's units', everyone's for reviewers and
    admins (``unit``, its key or as the plan writes it, narrows them) — each with the reports of its quarters the
    account may see."""
    _require(account)
    _year(year)
    with sv.store.read() as session:
        unit = _unit(session, sv, unit)
        if unit is not None and account.role == Role.REPORTER and unit not in account.units:
            raise Forbidden("只能查看本单位的任务")
        plan = [a for a in _plan(session, sv, year)
                if (unit is None or a.unit == unit)
                and (account.role != Role.REPORTER or a.unit in account.units)]
        reports = _reports_by_assignment(session, sv, year, [a.key for a in plan])
        return [{**a.record(), "reports": [_brief(r) for r in reports.get(a.key, []) if _visible(account, r)]}
                for a in plan]


def _plan(session: Session, sv: Supervision, year: int) -> list[Assignment]:
    key = sv.unit_key(session)
    deployment_id = _deployment_id(session, sv)
    if deployment_id is None:
        return []
    tasks = session.scalars(select(models.Task).join(models.Document).where(
        models.Document.deployment_id == deployment_id, models.Document.year == year,
        models.Document.kind == DECOMPOSITION).order_by(models.Document.name, models.Task.position))
    overrides = dict(session.execute(select(models.TaskDeadline.task_key, models.TaskDeadline.deadline).where(
        models.TaskDeadline.deployment_id == deployment_id, models.TaskDeadline.year == year)).all())
    seen: dict[str, Assignment] = {}
    for task in tasks:
        own = dt.date.fromisoformat(task.deadline_date) if task.deadline_date else None
        deadline = overrides.get(task.key, own)
        for assignment in task.assignments:
            unit = key(assignment.unit)
            item = Assignment(f"{task.key}{SEP}{unit}", task.key, task.task_id, TaskKind(task.kind), task.number,
                              tuple(task.section), task.text, unit, assignment.unit, assignment.role, year, deadline,
                              task.deadline_text, task.key in overrides, own)
            seen.setdefault(item.key, item)  # a unit both leads and shares: its first role (牵头 is written first)
    return list(seen.values())


def _assignment(session: Session, sv: Supervision, key: str, year: int) -> Assignment:
    if not isinstance(key, str) or SEP not in key or len(key) > 300:
        raise NoSuchRecord("没有这项任务分工")
    found = next((a for a in _plan(session, sv, year) if a.key == key), None)
    if found is None:
        raise NoSuchRecord(f"{year}年的方案中没有这项任务分工")
    return found


# -- reports ----------------------------------------------------------------------------------------------------
def get_report(sv: Supervision, account: Account | None, report_id: int) -> dict[str, Any]:
    """A report; a draft or a returned one only to those who may read it, to a reader without an account only an
    approved one, without its attachments (else 404)."""
    with sv.store.read() as session:
        record = report_record(_readable(session, sv, account, report_id))
        return record if account is not None else {**record, "attachments": []}


def list_reports(sv: Supervision, account: Account | None, *, assignment: str | None = None,
                 year: int | None = None, quarter: int | None = None,
                 unit: str | None = None) -> list[dict[str, Any]]:
    """The reports the account may see, narrowed by assignment, year, quarter and unit (its key, or as the plan
    writes it)."""
    _require(account)
    if unit is not None:
        unit = _unit(None, sv, unit)
    query = select(models.Report).join(models.Deployment).where(models.Deployment.key == sv.deployment.key)
    for column, value in ((models.Report.assignment, assignment), (models.Report.unit, unit),
                          (models.Report.year, None if year is None else _year(year)),
                          (models.Report.quarter, None if quarter is None else _quarter(quarter))):
        if value is not None:
            query = query.where(column == value)
    with sv.store.read() as session:
        rows = session.scalars(query.order_by(models.Report.year, models.Report.quarter, models.Report.id))
        return [report_record(r) for r in rows if _visible(account, r)]


def create_report(sv: Supervision, account: Account | None, *, assignment: str, year: int, quarter: int,
                  **fields: Any) -> dict[str, Any]:
    """A new draft of the account's unit on ``assignment`` for the quarter (409 if the unit has one already)."""
    _require(account)
    period = Quarter(_year(year), _quarter(quarter))
    values = clean_fields(fields)
    now = _now()
    try:
        with _write(sv) as session:
            found = _assignment(session, sv, assignment, period.year)
            _may_write(account, found.unit)
            draft = workflow.Report(found.key, period, **values)
            row = models.Report(deployment_id=ensure_deployment(session, sv.deployment), assignment=found.key,
                                task_key=found.task_key, unit=found.unit, year=period.year, quarter=period.number,
                                created_by=account.name, created_at=now, comment="", late=False)
            _copy(draft, row)
            session.add(row)
            session.flush()
            _log(session, row, by=account.name, at=now, action="create", before="", after=str(State.DRAFT))
            return report_record(row)
    except IntegrityError:
        raise Conflict("本单位这项任务本季度已有报告，请打开它继续填写") from None


def update_report(sv: Supervision, account: Account | None, report_id: int, *, expected_version: int,
                  precondition: bool = False, **fields: Any) -> dict[str, Any]:
    """Change a draft or a returned report read at ``expected_version``; a stale version is a :class:`Conflict`
    (:class:`PreconditionFailed` when it came from ``If-Match``: ``precondition``)."""
    values = clean_fields(fields)
    with _changing(sv, account, report_id, expected_version, precondition) as (session, row, report):
        _may_write(account, row.unit)
        changed, event = _workflow(lambda: workflow.edit(report, by=account.name, at=_now(), **values))
        return _apply(session, row, changed, event)


def submit_report(sv: Supervision, account: Account | None, report_id: int, *,
                  expected_version: int | None = None, precondition: bool = False) -> dict[str, Any]:
    """Submit a draft or a returned report; the quarter's window must be open, and after it closes the report is
    marked late."""
    with _changing(sv, account, report_id, expected_version, precondition) as (session, row, report):
        _may_write(account, row.unit)
        window = _window(session, sv, row.year, row.quarter)
        now = _now()
        if window is None or _aware(window.opens) > now:
            raise Conflict(f"{Quarter(row.year, row.quarter)}的报送尚未开放")
        changed, event = _workflow(lambda: workflow.submit(report, by=account.name, at=now))
        if window.closes is not None and now > _aware(window.closes):
            changed, event = replace(changed, late=True), replace(event, note="逾期报送")
        return _apply(session, row, changed, event)


def approve_report(sv: Supervision, account: Account | None, report_id: int, *,
                   expected_version: int | None = None, precondition: bool = False) -> dict[str, Any]:
    """Approve a submitted report (a reviewer or an admin, never its submitter)."""
    with _changing(sv, account, report_id, expected_version, precondition) as (session, row, report):
        _may_review(account, row)
        now = _now()
        changed, event = _workflow(lambda: workflow.approve(report, by=account.name, at=now))
        row.reviewed_by, row.reviewed_at = account.name, now
        return _apply(session, row, changed, event)


def return_report(sv: Supervision, account: Account | None, report_id: int, *, comment: str,
                  expected_version: int | None = None, precondition: bool = False) -> dict[str, Any]:
    """Return a submitted report to its unit with a comment (required)."""
    comment = _text("comment", comment)
    with _changing(sv, account, report_id, expected_version, precondition) as (session, row, report):
        _may_review(account, row)
        now = _now()
        changed, event = _workflow(lambda: workflow.send_back(report, by=account.name, at=now, comment=comment))
        row.reviewed_by, row.reviewed_at = account.name, now
        return _apply(session, row, changed, event)


def events_of(sv: Supervision, account: Account | None, report_id: int) -> list[dict[str, Any]]:
    """The log of a report, oldest first (to those who may read the report)."""
    with sv.store.read() as session:
        row = _readable(session, sv, account, report_id)
        events = session.scalars(select(models.Event).where(models.Event.report_id == row.id)
                                 .order_by(models.Event.id))
        return [{"by": e.by, "at": _aware(e.at).isoformat(), "action": e.action, "before": e.before,
                 "after": e.after, "note": e.note} for e in events]


def clean_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The report fields of ``fields``, checked: progress 0–100, a status of :class:`Progress`, texts of at most
    :data:`TEXT_LIMIT` characters without control characters; anything else is :class:`Invalid`.

    >>> clean_fields({"progress": 40, "status": "推进中", "done": "<b>完成</b>"})
    {'progress': 40.0, 'status': <Progress.UNDER_WAY: '推进中'>, 'done': '<b>完成</b>'}
    >>> clean_fields({"progress": "40; DROP TABLE reports"})
    Traceback (most recent call last):
    ...
    layers.errors.Invalid: 进度应为 0 到 100 之间的数
    """
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise Invalid(f"未知字段：{', '.join(map(str, unknown))}")
    values: dict[str, Any] = {}
    if "progress" in fields:
        progress = fields["progress"]
        if isinstance(progress, bool) or not isinstance(progress, int | float) or not math.isfinite(progress) \
                or not 0 <= progress <= 100:
            raise Invalid("进度应为 0 到 100 之间的数")
        values["progress"] = float(progress)
    if "status" in fields:
        try:
            values["status"] = Progress(fields["status"])
        except (ValueError, TypeError):
            raise Invalid(f"状态应为 {'、'.join(p.value for p in Progress)} 之一") from None
    for name in TEXT_FIELDS:
        if name in fields:
            values[name] = _text(name, fields[name])
    return values


def _text(name: str, value: Any) -> str:
    label = FIELDS.get(name, "意见")
    if not isinstance(value, str):
        raise Invalid(f"{label}应为文字")
    if len(value) > TEXT_LIMIT:
        raise Invalid(f"{label}过长（超过 {TEXT_LIMIT} 字）")
    if any(ord(c) < 32 and c not in "\t\n\r" or c == "\x7f" for c in value):
        raise Invalid(f"{label}含有控制字符")
    return value


def report_record(row: models.Report) -> dict[str, Any]:
    """A report as the API and the pages show it (texts as written: escaping is the page's job)."""
    return {"id": row.id, "assignment": row.assignment, "task": row.task_key, "unit": row.unit, "year": row.year,
            "quarter": row.quarter, "progress": row.progress, "status": row.status, "done": row.done,
            "problems": row.problems, "next_steps": row.next_steps, "state": row.state,
            "state_label": State(row.state).label, "created_by": row.created_by,
            "created_at": _iso(row.created_at), "submitted_by": row.submitted_by,
            "submitted_at": _iso(row.submitted_at), "reviewed_by": row.reviewed_by,
            "reviewed_at": _iso(row.reviewed_at), "comment": row.comment, "late": row.late,
            "version": row.version, "attachments": [attachment_record(a) for a in row.attachments]}


def _brief(row: models.Report) -> dict[str, Any]:
    return {"id": row.id, "quarter": row.quarter, "state": row.state, "progress": row.progress,
            "status": row.status, "version": row.version}


# -- reporting windows and deadlines ----------------------------------------------------------------------------
def open_window(sv: Supervision, account: Account | None, *, year: int, quarter: int,
                closes: dt.datetime | None = None) -> dict[str, Any]:
    """Open (or reopen) the reporting of a quarter now, until ``closes`` if given."""
    _may_administer(account)
    period = Quarter(_year(year), _quarter(quarter))
    now = _now()
    if closes is not None and _aware(closes) <= now:
        raise Invalid("截止时间应晚于现在")
    with _write(sv) as session:
        window = _window(session, sv, period.year, period.number)
        before = _window_state(window, now)
        if window is None:
            window = models.ReportingWindow(deployment_id=ensure_deployment(session, sv.deployment),
                                            year=period.year, quarter=period.number, opens=now, opened_by="")
            session.add(window)
        window.opens, window.opened_by, window.closes, window.closed_by = now, account.name, closes, None
        session.flush()
        _log(session, None, by=account.name, at=now, action="window-open", before=before, after="open",
             note=str(period), deployment_id=window.deployment_id)
        return window_record(window)


def close_window(sv: Supervision, account: Account | None, *, year: int, quarter: int) -> dict[str, Any]:
    """Close the reporting of a quarter now: reports submitted later are late."""
    _may_administer(account)
    period = Quarter(_year(year), _quarter(quarter))
    now = _now()
    with _write(sv) as session:
        window = _window(session, sv, period.year, period.number)
        if window is None:
            raise NoSuchRecord(f"{period}的报送尚未开放过")
        before = _window_state(window, now)
        window.closes, window.closed_by = now, account.name
        _log(session, None, by=account.name, at=now, action="window-close", before=before, after="closed",
             note=str(period), deployment_id=window.deployment_id)
        return window_record(window)


def windows(sv: Supervision, *, year: int | None = None) -> list[dict[str, Any]]:
    """The deployment's reporting windows (public: when to report is no secret)."""
    query = select(models.ReportingWindow).join(models.Deployment).where(
        models.Deployment.key == sv.deployment.key)
    if year is not None:
        query = query.where(models.ReportingWindow.year == _year(year))
    with sv.store.read() as session:
        return [window_record(w) for w in session.scalars(query.order_by(models.ReportingWindow.year,
                                                                          models.ReportingWindow.quarter))]


def window_record(window: models.ReportingWindow) -> dict[str, Any]:
    return {"year": window.year, "quarter": window.quarter, "label": str(Quarter(window.year, window.quarter)),
            "opens": _iso(window.opens), "closes": _iso(window.closes), "opened_by": window.opened_by,
            "closed_by": window.closed_by, "state": _window_state(window, _now())}


def _window_state(window: models.ReportingWindow | None, now: dt.datetime) -> str:
    if window is None:
        return "none"
    return "closed" if window.closes is not None and _aware(window.closes) <= now else "open"


def set_deadline(sv: Supervision, account: Account | None, *, year: int, task: str,
                 deadline: dt.date | str | None) -> dict[str, Any]:
    """Set the deadline of a task of ``year``'s plan over the plan's own (``None`` restores the plan's). ``task`` is
    what a user types (:func:`find_task`: 12, 第12项, 目标1, or the task's key); ``deadline`` a date or
    ``YYYY-MM-DD``, in the plan's year or later. The task's lights use it from then on. Admins only."""
    _may_administer(account)
    _year(year)
    now = _now()
    with _write(sv) as session:
        plan = _plan(session, sv, year)
        key = find_task(plan, task, year=year)
        deadline = _deadline(deadline, year)
        deployment_id = ensure_deployment(session, sv.deployment)
        row = session.scalar(select(models.TaskDeadline).where(
            models.TaskDeadline.deployment_id == deployment_id, models.TaskDeadline.year == year,
            models.TaskDeadline.task_key == key))
        before = row.deadline.isoformat() if row is not None else ""
        if deadline is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(models.TaskDeadline(deployment_id=deployment_id, year=year, task_key=key,
                                            deadline=deadline, set_by=account.name, set_at=now))
        else:
            row.deadline, row.set_by, row.set_at = deadline, account.name, now
        _log(session, None, by=account.name, at=now, action="deadline", before=before,
             after=deadline.isoformat() if deadline else "", note=f"{year} {key}", deployment_id=deployment_id)
        session.flush()
        return next(d for d in _deadlines(session, sv, year) if d["task"] == key)


def deadlines(sv: Supervision, *, year: int) -> list[dict[str, Any]]:
    """Every task of ``year``'s plan with an assignment, in plan order: its label, the plan's deadline (as written
    and as a date), the admin's if set (by whom, when) and the one its lights use (public, like the plan)."""
    _year(year)
    with sv.store.read() as session:
        return _deadlines(session, sv, year)


def _deadlines(session: Session, sv: Supervision, year: int) -> list[dict[str, Any]]:
    set_rows = {row.task_key: row for row in session.scalars(
        select(models.TaskDeadline).join(models.Deployment).where(
            models.Deployment.key == sv.deployment.key, models.TaskDeadline.year == year))}
    return [{"year": year, "task": a.task_key, "task_id": a.task_id, "label": a.label, "kind": str(a.kind),
             "number": a.number, "text": a.text, "deadline_text": a.deadline_text,
             "plan_deadline": a.plan_deadline.isoformat() if a.plan_deadline else None,
             "deadline": a.deadline.isoformat() if a.deadline else None, "deadline_set": a.deadline_set,
             "set_by": set_rows[a.task_key].set_by if a.deadline_set else None,
             "set_at": _iso(set_rows[a.task_key].set_at) if a.deadline_set else None}
            for a in _tasks_of(_plan(session, sv, year))]


#: A task as a user types its number: 12, 12., 第12项, （3）, 目标1, 目标一, 目标（一）.
_TYPED_TASK = re.compile(r"(?P<target>目标|指标)?\s*第?\s*[(（]?\s*(?P<number>\d{1,4}|[一二三四五六七八九十]{1,4})\s*"
                         r"[)）]?\s*(?:项|条)?\s*[.．、]?")


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def find_task(plan: Sequence[Assignment], typed: Any, *, year: int) -> str:
    """The key of the task of ``plan`` (one year's assignments) that ``typed`` names: its key or id in the
    document, or its number as the plan writes it (12 or 第12项 for task 12, 目标1 or 目标一 for target (一); a bare
    number is a task's, else a target's). Unknown is :class:`NoSuchRecord`; a number that two tasks share (two plans
    in a year, a numbering that restarts) is :class:`Invalid`, naming their keys.

    >>> task = Assignment("k12:发改局", "k12", "d.t12", TaskKind.TASK, "12", (), "…", "发改局", "区发改局", "牵头",
    ...                   2025, None, None, False, None)
    >>> target = replace(task, key="k1:发改局", task_key="k1", task_id="d.target1", kind=TaskKind.TARGET, number="一")
    >>> [find_task([task, target], t, year=2025) for t in ("12", "第12项", "目标1", "目标一", "k12", "d.target1")]
    ['k12', 'k12', 'k1', 'k1', 'k12', 'k1']
    >>> find_task([task], "13", year=2025)
    Traceback (most recent call last):
    ...
    layers.errors.NoSuchRecord: 2025年的方案中没有“13”这项任务（可写任务的序号如 12、目标的序号如 目标1，或任务的编号）
    """
    text = typed.strip() if isinstance(typed, str) else ""
    tasks = _tasks_of(plan)
    exact = [a for a in tasks if text in (a.task_key, a.task_id)]
    if exact:
        return exact[0].task_key
    match = _TYPED_TASK.fullmatch(text) if len(text) <= 20 else None
    found: list[Assignment] = []
    if match:
        value = _number_value(match["number"])
        kinds = (TaskKind.TARGET,) if match["target"] else (TaskKind.TASK, TaskKind.TARGET)
        for kind in kinds:
            found = [a for a in tasks if a.kind == kind and _number_value(a.number) == value]
            if found:
                break
    if not found:
        shown = text[:40] or "（空）"
        raise NoSuchRecord(f"{year}年的方案中没有“{shown}”这项任务（可写任务的序号如 12、目标的序号如 目标1，或任务的编号）")
    if len(found) > 1:
        raise Invalid(f"{year}年的方案中有 {len(found)} 项“{text}”：" + "；".join(
            f"{a.label}（编号 {a.task_key}）{a.text[:20]}" for a in found) + "。请用任务的编号指明")
    return found[0].task_key


def _tasks_of(plan: Iterable[Assignment]) -> list[Assignment]:
    """The first assignment of each task of ``plan``, in plan order."""
    first: dict[str, Assignment] = {}
    for a in plan:
        first.setdefault(a.task_key, a)
    return list(first.values())


def _number_value(number: str) -> int | None:
    return int(number) if number.isdigit() else chinese_value(number)


def _deadline(value: Any, year: int) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value) if _ISO_DAY.fullmatch(value) else None
        except ValueError:  # 2025-02-30
            value = None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise Invalid(f"完成时限应为日期，写作 {year}-06-30")
    if not year <= value.year < YEARS.stop:
        raise Invalid(f"{year}年方案的完成时限应在 {year} 年到 {YEARS.stop - 1} 年之间")
    return value


# -- attachments ------------------------------------------------------------------------------------------------
def add_attachment(sv: Supervision, account: Account | None, report_id: int, *, filename: str,
                   data: bytes) -> dict[str, Any]:
    """Attach a file to a draft or a returned report of the account's unit: at most
    :attr:`Supervision.max_attachment` bytes, PDF, JPEG, PNG, DOCX or XLSX by its content (:mod:`.attachments`)."""
    if len(data) > sv.max_attachment:
        raise TooLarge(f"附件过大：至多 {sv.max_attachment / (1024 * 1024):g} MB")
    name = files.clean_name(filename or "")
    with _write(sv) as session:
        row = _readable(session, sv, account, report_id, lock=True)
        _may_write(account, row.unit)
        if State(row.state) not in EDITABLE:
            raise Conflict(f"报告{State(row.state).label}，不能再添加附件")
        if len(row.attachments) >= files.MAX_PER_REPORT:
            raise Conflict(f"一份报告至多 {files.MAX_PER_REPORT} 个附件")
        kind = files.sniff(data, name)
        stored = files.save(sv.files, data, kind)
        try:
            now = _now()
            attachment = models.Attachment(report_id=row.id, original_name=name, stored_name=stored,
                                           media_type=kind.media_type, size=len(data),
                                           sha256=hashlib.sha256(data).hexdigest(), added_by=account.name,
                                           added_at=now)
            session.add(attachment)
            session.flush()
            _log(session, row, by=account.name, at=now, action="attach", before=row.state, after=row.state,
                 note=name)
            return attachment_record(attachment)
        except BaseException:
            (sv.files / stored).unlink(missing_ok=True)
            raise


def get_attachment(sv: Supervision, account: Account | None, attachment_id: int) -> tuple[dict[str, Any], Path]:
    """An attachment's record and file, only to its unit, reviewers and admins (else 404, whatever the report's
    state: evidence is not published with the figures)."""
    _require(account)
    with sv.store.read() as session:
        attachment = session.get(models.Attachment, _id(attachment_id))
        report = session.get(models.Report, attachment.report_id) if attachment is not None else None
        if report is None or not _of_deployment(session, sv, report) \
                or not allowed(account, Action.READ_DRAFT, unit=report.unit):
            raise NoSuchRecord("没有这个附件")
        path = files.path_of(sv.files, attachment.stored_name)
        if not path.is_file():
            raise NoSuchRecord("附件文件已不在")
        return attachment_record(attachment), path


def attachment_record(attachment: models.Attachment) -> dict[str, Any]:
    return {"id": attachment.id, "report": attachment.report_id, "name": attachment.original_name,
            "media_type": attachment.media_type, "size": attachment.size, "sha256": attachment.sha256,
            "added_by": attachment.added_by, "added_at": _iso(attachment.added_at)}


# -- lights -----------------------------------------------------------------------------------------------------
def lights(sv: Supervision, *, year: int, quarter: int, on: dt.date | None = None,
           account: Account | None = None) -> dict[str, Any]:
    """The 红黄绿 of every assignment of ``year``'s plan in ``quarter``, judged ``on`` a day (today), from the
    submitted and approved reports and the deadlines, with roll-ups by task, section (the first level), unit and
    township (by place id: the townships the task is linked to). Computed on every call, never stored; public (drafts
    do not count). The colours are the same for every reader; where ``account`` may not read the report a light
    comes from (no account: one not yet approved), its reason says only :data:`PENDING` and its id is left out."""
    period = Quarter(_year(year), _quarter(quarter))
    on = on or dt.date.today()
    with sv.store.read() as session:
        plan = _plan(session, sv, period.year)
        window = _window(session, sv, period.year, period.number)
        closed = window is not None and window.closes is not None and on > _aware(window.closes).date()
        counted = {r.assignment: r for r in session.scalars(select(models.Report).join(models.Deployment).where(
            models.Deployment.key == sv.deployment.key, models.Report.year == period.year,
            models.Report.quarter == period.number, models.Report.state.in_([str(s) for s in COUNTED])))}
        townships = _townships(session, sv, {a.task_id for a in plan})
    items = []
    for a in plan:
        row = counted.get(a.key)
        reading = Reading(row.progress, Progress(row.status)) if row is not None else Reading()
        verdict = light(quarter=period, deadline=a.deadline, reading=reading, window_closed=closed, on=on)
        if row is not None and not _visible(account, row):
            verdict, row = replace(verdict, reason=PENDING), None
        items.append((a, verdict, row))
    groups: dict[str, dict[str, list[Light]]] = {name: defaultdict(list) for name in
                                                 ("tasks", "sections", "units", "townships")}
    for a, verdict, _ in items:
        groups["tasks"][a.task_key].append(verdict.light)
        groups["units"][a.unit].append(verdict.light)
    task_lights = {key: roll_up(values).light for key, values in groups["tasks"].items()}
    for a in {a.task_key: a for a, _, _ in items}.values():
        groups["sections"][a.section[0] if a.section else NO_SECTION].append(task_lights[a.task_key])
        for township in townships.get(a.task_id, ()):
            groups["townships"][township].append(task_lights[a.task_key])
    return {"year": period.year, "quarter": period.number, "label": str(period), "on": on.isoformat(),
            "window_closed": closed,
            "assignments": [{**a.record(), "light": str(v.light), "light_label": v.light.label, "reason": v.reason,
                             "report": row.id if row is not None else None} for a, v, row in items],
            **{name: {key: _roll_up_record(roll_up(values)) for key, values in group.items()}
               for name, group in groups.items()}}


def _roll_up_record(rolled: RollUp) -> dict[str, Any]:
    return {"light": str(rolled.light) if rolled.light else None,
            "light_label": rolled.light.label if rolled.light else None,
            "counts": {str(k): v for k, v in rolled.counts.items()}, "total": rolled.total}


def _townships(session: Session, sv: Supervision, task_ids: set[str]) -> dict[str, list[str]]:
    """The townships (place ids) each task is linked to: responsible, or containing one of its places."""
    deployment_id = _deployment_id(session, sv)
    if not task_ids or deployment_id is None:
        return {}
    rows = session.execute(select(models.Link.owner, models.Link.place_id).join(models.Document).where(
        models.Document.deployment_id == deployment_id, models.Link.type.in_(["responsible", "contained"]),
        models.Link.owner.in_(sorted(task_ids))).order_by(models.Link.id))
    found: dict[str, list[str]] = defaultdict(list)
    for owner, place_id in rows:
        if place_id not in found[owner]:
            found[owner].append(place_id)
    return found


# -- helpers ----------------------------------------------------------------------------------------------------
@contextmanager
def _write(sv: Supervision) -> Iterator[Session]:
    """One transaction of supervision (it does not raise the change counter: see the module's notes)."""
    with sv.store.write(bump_counter=False) as session:
        yield session


@contextmanager
def _changing(sv: Supervision, account: Account | None, report_id: int, expected_version: int | None,
              precondition: bool) -> Iterator[tuple[Session, models.Report, workflow.Report]]:
    """The locked report row (404 if the account may not see it) at the version expected, and its workflow value;
    a concurrent change that slips in between is caught by the row's version counter."""
    try:
        with _write(sv) as session:
            row = _readable(session, sv, account, report_id, lock=True)
            if expected_version is not None and expected_version != row.version:
                stale = PreconditionFailed if precondition else Conflict
                raise stale(f"报告已被他人修改（现为第 {row.version} 版，您打开的是第 {expected_version} 版），"
                            f"请重新打开后再编辑")
            yield session, row, _value(row)
    except StaleDataError:
        raise (PreconditionFailed if precondition else Conflict)("报告已被他人修改，请重新打开后再编辑") from None


def _readable(session: Session, sv: Supervision, account: Account | None, report_id: int, *,
              lock: bool = False) -> models.Report:
    query = select(models.Report).where(models.Report.id == _id(report_id))
    row = session.scalar(query.with_for_update() if lock else query)
    if row is None or not _of_deployment(session, sv, row) or not _visible(account, row):
        raise NoSuchRecord("没有这份报告")
    return row


def _of_deployment(session: Session, sv: Supervision, row: models.Report) -> bool:
    return row.deployment_id == _deployment_id(session, sv)


def _visible(account: Account | None, row: models.Report) -> bool:
    """Drafts and returned reports to their unit, reviewers and admins; submitted ones to every account too;
    to a reader without an account approved ones only."""
    if account is None:
        return State(row.state) == State.APPROVED
    return State(row.state) in COUNTED or allowed(account, Action.READ_DRAFT, unit=row.unit)


def _unit(session: Session | None, sv: Supervision, unit: str | None) -> str | None:
    """``unit`` as the key the stored plans' assignments use (区水利局 → 水利局; a key stays itself)."""
    if not isinstance(unit, str) or not unit.strip():
        return None
    return sv.unit_key(session)(unit.strip()[:100])


def _require(account: Account | None) -> Account:
    if account is None:
        raise NotAuthenticated("请先登录")
    return account


def _may_write(account: Account | None, unit: str) -> None:
    _require(account)
    if not allowed(account, Action.WRITE, unit=unit):
        raise Forbidden("只有本单位的填报人可以填写和报送本单位的报告" if account.role == Role.REPORTER
                        else "报告由责任单位自己填报，管理员和审核人不能代填")


def _may_review(account: Account | None, row: models.Report) -> None:
    _require(account)
    if not allowed(account, Action.REVIEW, unit=row.unit):
        raise Forbidden("只有审核人和管理员可以审核报告")
    if row.submitted_by == account.name:
        raise Forbidden("审核人不能审核自己报送的报告")


def _may_administer(account: Account | None) -> None:
    _require(account)
    if not allowed(account, Action.ADMINISTER, unit=""):
        raise Forbidden("只有管理员可以设置报送时间和完成时限")


def _workflow(change: Callable[[], tuple[workflow.Report, workflow.Event]]) -> tuple[workflow.Report,
                                                                                       workflow.Event]:
    try:
        return change()
    except WorkflowError as error:
        raise Conflict(str(error)) from None
    except ValueError as error:
        raise Invalid(str(error)) from None


def _value(row: models.Report) -> workflow.Report:
    return workflow.Report(row.assignment, Quarter(row.year, row.quarter), progress=row.progress,
                           status=Progress(row.status), done=row.done, problems=row.problems,
                           next_steps=row.next_steps, state=State(row.state), submitted_by=row.submitted_by,
                           submitted_at=row.submitted_at, late=row.late, comment=row.comment, version=row.version)


def _copy(report: workflow.Report, row: models.Report) -> None:
    row.progress, row.status, row.state, row.version = report.progress, str(report.status), str(report.state), \
        report.version
    row.done, row.problems, row.next_steps = report.done, report.problems, report.next_steps
    row.submitted_by, row.submitted_at, row.late, row.comment = report.submitted_by, report.submitted_at, \
        report.late, report.comment


def _apply(session: Session, row: models.Report, changed: workflow.Report, event: workflow.Event) -> dict[str, Any]:
    _copy(changed, row)
    session.flush()  # the UPDATE … WHERE version = old: a concurrent change makes it fail here
    _log(session, row, by=event.by, at=event.at, action=event.action, before=event.before, after=event.after,
         note=event.note)
    return report_record(row)


def _log(session: Session, row: models.Report | None, *, by: str, at: dt.datetime, action: str, before: str,
         after: str, note: str = "", deployment_id: int | None = None) -> None:
    session.add(models.Event(deployment_id=row.deployment_id if row is not None else deployment_id,
                             report_id=row.id if row is not None else None, by=by, at=at, action=action,
                             before=before, after=after, note=note))


def _reports_by_assignment(session: Session, sv: Supervision, year: int,
                           keys: Iterable[str]) -> dict[str, list[models.Report]]:
    keys = list(keys)
    found: dict[str, list[models.Report]] = defaultdict(list)
    if not keys:
        return found
    for row in session.scalars(select(models.Report).join(models.Deployment).where(
            models.Deployment.key == sv.deployment.key, models.Report.year == year,
            models.Report.assignment.in_(keys)).order_by(models.Report.quarter)):
        found[row.assignment].append(row)
    return found


def _window(session: Session, sv: Supervision, year: int, quarter: int) -> models.ReportingWindow | None:
    return session.scalar(select(models.ReportingWindow).join(models.Deployment).where(
        models.Deployment.key == sv.deployment.key, models.ReportingWindow.year == year,
        models.ReportingWindow.quarter == quarter))


def _deployment_id(session: Session, sv: Supervision) -> int | None:
    return session.scalar(select(models.Deployment.id).where(models.Deployment.key == sv.deployment.key))


def _id(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2 ** 63:
        raise NoSuchRecord("没有这条记录")
    return value


def _year(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in YEARS:
        raise Invalid(f"年份应在 {YEARS.start} 到 {YEARS.stop - 1} 之间")
    return value


def _quarter(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
        raise Invalid("季度应为 1 到 4")
    return value


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes of what was stored in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _iso(value: dt.datetime | None) -> str | None:
    return _aware(value).isoformat() if value is not None else None
