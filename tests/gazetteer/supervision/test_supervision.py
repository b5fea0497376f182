"""红黄绿 lights, the report workflow and who may do what, as tables of cases."""

from __future__ import annotations

import datetime as dt

import pytest

from gazetteer.supervision.access import Account, Action, Role, allowed
from gazetteer.supervision.lights import Light, Progress, Reading, light, roll_up
from gazetteer.supervision.periods import Quarter
from gazetteer.supervision.workflow import Report, State, WorkflowError, approve, edit, send_back, submit

Q2 = Quarter(2025, 2)
YEAR_END = dt.date(2025, 12, 31)
AFTER_Q2 = dt.date(2025, 7, 10)
AT = dt.datetime(2025, 7, 3, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(("deadline", "reading", "closed", "on", "expected", "reason"), [
    pytest.param(YEAR_END, Reading(100, Progress.DONE), True, AFTER_Q2, Light.GREEN, "已完成", id="done"),
    pytest.param(dt.date(2025, 5, 31), Reading(80, Progress.UNDER_WAY), True, AFTER_Q2, Light.RED, "已逾期",
                 id="overdue"),
    pytest.param(YEAR_END, Reading(), True, AFTER_Q2, Light.RED, "未报送", id="not-reported-window-closed"),
    pytest.param(YEAR_END, Reading(), False, dt.date(2025, 6, 20), Light.YELLOW, "尚未报送", id="not-yet-reported"),
    pytest.param(YEAR_END, Reading(10, Progress.CANNOT), True, AFTER_Q2, Light.RED, "无法完成", id="cannot"),
    pytest.param(YEAR_END, Reading(60, Progress.LATE), True, AFTER_Q2, Light.YELLOW, "滞后", id="reported-late"),
    pytest.param(dt.date(2025, 6, 30), Reading(90, Progress.UNDER_WAY), False, dt.date(2025, 6, 1), Light.YELLOW,
                 "本季度到期", id="due-this-quarter"),
    pytest.param(YEAR_END, Reading(30, Progress.UNDER_WAY), True, AFTER_Q2, Light.YELLOW, "进度落后", id="behind"),
    pytest.param(YEAR_END, Reading(45, Progress.UNDER_WAY), True, AFTER_Q2, Light.GREEN, "按进度", id="on-track"),
    pytest.param(None, Reading(30, Progress.UNDER_WAY), True, AFTER_Q2, Light.YELLOW, "进度落后",
                 id="ongoing-measured-to-year-end"),
])
def test_lights(deadline, reading, closed, on, expected, reason):
    verdict = light(quarter=Q2, deadline=deadline, reading=reading, window_closed=closed, on=on)
    assert verdict.light == expected and reason in verdict.reason


def test_roll_up_is_the_worst_with_counts():
    rolled = roll_up([Light.GREEN, Light.YELLOW, Light.GREEN])
    assert rolled.light == Light.YELLOW and rolled.counts == {Light.GREEN: 2, Light.YELLOW: 1, Light.RED: 0}


def test_a_quarter_runs_through_return_and_resubmission():
    report = Report("t1/向阳湖镇", Q2, progress=20, status=Progress.UNDER_WAY)
    report, _ = edit(report, by="xyh", at=AT, expected_version=1, progress=40.0, done="完成设计")
    report, _ = submit(report, by="xyh", at=AT, window_closes=dt.date(2025, 7, 15))
    assert report.state == State.SUBMITTED and not report.late
    with pytest.raises(WorkflowError, match="须写明原因"):
        send_back(report, by="dcs", at=AT, comment=" ")
    report, event = send_back(report, by="dcs", at=AT, comment="请补充照片")
    assert (report.state, event.action, event.note) == (State.RETURNED, "return", "请补充照片")
    report, _ = edit(report, by="xyh", at=AT, problems="资金未到位")
    report, _ = submit(report, by="xyh", at=dt.datetime(2025, 7, 20, tzinfo=dt.UTC), window_closes=dt.date(2025, 7, 15))
    assert report.late
    report, event = approve(report, by="dcs", at=AT)
    assert (report.state, event.before, event.after) == (State.APPROVED, "submitted", "approved")
    with pytest.raises(WorkflowError):
        edit(report, by="xyh", at=AT, progress=50.0)


@pytest.mark.parametrize("change", [
    pytest.param(lambda r: approve(r, by="xyh", at=AT), id="reviewer-is-submitter"),
    pytest.param(lambda r: submit(r, by="xyh", at=AT), id="submitted-twice"),
    pytest.param(lambda r: edit(r, by="xyh", at=AT, progress=10.0), id="edit-after-submit"),
])
def test_refused_changes(change):
    submitted, _ = submit(Report("t1/向阳湖镇", Q2), by="xyh", at=AT)
    with pytest.raises(WorkflowError):
        change(submitted)


def test_a_concurrent_edit_is_a_conflict_not_a_silent_loss():
    report = Report("t1/向阳湖镇", Q2)
    first, _ = edit(report, by="a", at=AT, expected_version=1, done="甲")
    with pytest.raises(WorkflowError, match="已被他人修改"):
        edit(first, by="b", at=AT, expected_version=1, done="乙")


@pytest.mark.parametrize("bad", [{"progress": 120}, {"progress": -1}, {"done": "字" * 4001}],
                         ids=["over-100", "negative", "too-long"])
def test_bad_reports_are_refused(bad):
    with pytest.raises(ValueError):
        Report("t1/向阳湖镇", Q2, **bad)


@pytest.mark.parametrize(("account", "action", "unit", "expected"), [
    pytest.param(None, Action.READ_DRAFT, "向阳湖镇", False, id="anonymous-reads-no-draft"),
    pytest.param(Account("xyh", Role.REPORTER, frozenset({"向阳湖镇"})), Action.WRITE, "向阳湖镇", True, id="own-unit"),
    pytest.param(Account("xyh", Role.REPORTER, frozenset({"向阳湖镇"})), Action.WRITE, "浮山街道", False,
                 id="another-unit"),
    pytest.param(Account("xyh", Role.REPORTER, frozenset({"向阳湖镇"})), Action.READ_DRAFT, "浮山街道", False,
                 id="another-units-draft"),
    pytest.param(Account("xyh", Role.REPORTER, frozenset({"向阳湖镇"})), Action.REVIEW, "向阳湖镇", False,
                 id="reporter-reviews"),
    pytest.param(Account("dcs", Role.REVIEWER), Action.WRITE, "向阳湖镇", False, id="reviewer-writes"),
    pytest.param(Account("root", Role.ADMIN), Action.WRITE, "向阳湖镇", False, id="admin-types-units-reports"),
    pytest.param(Account("root", Role.ADMIN), Action.ADMINISTER, "", True, id="admin-administers"),
])
def test_who_may_do_what(account, action, unit, expected):
    assert allowed(account, action, unit=unit) is expected
