"""The quarter's sheet round trip through the service on both backends: the unit's own assignments only, by any
account, forged rows and versions, all or nothing, and the dry run giving the answer the upload gives."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from gazetteer.supervision.access import Account, Role
from gazetteer.supervision.lights import Progress
from gazetteer.supervision.periods import Quarter
from layers.errors import Invalid, NotAuthenticated
from layers.sheets import DONE, HEADER_ROW, PROGRESS, STATUS, FilledRow, quarter_sheet, read_sheet
from layers.storage import models
from layers.storage import supervision as sv_
from layers.storage.uploads import apply_upload, plan_upload, sheet_lines
from tests.layers.storage.test_supervision import _count

Q1 = Quarter(2025, 1)
#: alice's account with a second unit of task 2 (the plan gives 向阳湖镇 one assignment only)
BOTH = Account("alice", Role.REPORTER, frozenset({"向阳湖镇", "汀泗桥镇"}))


def _row(number, assignment, version=0, progress=40.0, done="进展"):
    return FilledRow(number, assignment, version, progress, Progress.UNDER_WAY, done, "", "")


def _filled(desk, who, values):
    """``who``'s downloaded sheet with ``values`` ({row offset: (progress, text)}) filled in, read back."""
    book = load_workbook(io.BytesIO(quarter_sheet(sheet_lines(desk.sv, who, Q1), title="报送表")))
    sheet = book.active
    headers = [c.value for c in sheet[HEADER_ROW]]
    for offset, (progress, text) in values.items():
        for name, value in ((PROGRESS, progress), (STATUS, "推进中"), (DONE, text)):
            sheet.cell(HEADER_ROW + 1 + offset, headers.index(name) + 1, value)
    out = io.BytesIO()
    book.save(out)
    return read_sheet(out.getvalue())


def test_a_unit_downloads_fills_and_uploads_its_own_sheet(desk):
    assert {line.assignment.split(":")[1] for line in sheet_lines(desk.sv, BOTH, Q1)} == {"向阳湖镇", "汀泗桥镇"}
    rows, errors = _filled(desk, BOTH, {0: (45, "<b>疏浚</b>"), 1: (60, "清淤")})
    assert errors == [] and len(rows) == 2
    changes, refused = plan_upload(desk.sv, BOTH, Q1, rows)
    assert refused == [] and len(changes) == 2 and _count(desk.sv.store, models.Report) == 0  # a dry run
    assert apply_upload(desk.sv, BOTH, Q1, rows) == 2
    reports = sv_.list_reports(desk.sv, BOTH, year=2025, quarter=1)
    assert sorted(r["progress"] for r in reports) == [45.0, 60.0] and {r["state"] for r in reports} == {"draft"}
    assert {r["done"] for r in reports} == {"<b>疏浚</b>", "清淤"}  # kept as written
    again, _ = _filled(desk, BOTH, {})
    assert plan_upload(desk.sv, BOTH, Q1, again) == ([], [])  # the same values again change nothing


def test_another_units_rows_are_refused_and_nothing_is_written(desk):
    theirs = sheet_lines(desk.sv, desk.alice, Q1)[0].assignment
    rows, _ = _filled(desk, desk.bob, {0: (30, "本单位")})
    forged = [*rows, _row(rows[-1].row + 1, theirs, done="替别人填")]
    changes, errors = plan_upload(desk.sv, desk.bob, Q1, forged)
    assert [str(e) for e in errors] == [f"第 {forged[-1].row} 行：这一行不是本单位本季度的分工，不能报送"]
    with pytest.raises(Invalid, match=f"第 {forged[-1].row} 行"):
        apply_upload(desk.sv, desk.bob, Q1, forged)
    assert _count(desk.sv.store, models.Report) == 0  # not even bob's own good row: all or nothing


@pytest.mark.parametrize("who", ["carol", "dave"], ids=["reviewer", "admin"])
def test_a_reviewer_or_admin_cannot_type_a_units_report_by_sheet(desk, who):
    account = getattr(desk, who)
    rows = [_row(HEADER_ROW + 1, desk.a)]
    changes, errors = plan_upload(desk.sv, account, Q1, rows)  # the dry run says so already
    assert changes == [] and [e.row for e in errors] == [HEADER_ROW + 1]
    with pytest.raises(Invalid):
        apply_upload(desk.sv, account, Q1, rows)
    assert _count(desk.sv.store, models.Report) == 0


def test_forged_versions_repeats_and_changed_submitted_reports_are_refused(desk):
    submitted = desk.submitted()  # alice's desk.a, version 2
    other = next(line.assignment for line in sheet_lines(desk.sv, BOTH, Q1) if line.assignment != desk.a)
    rows = [_row(3, desk.a, version=submitted["version"], progress=90),  # submitted: cannot change
            _row(4, other, version=7),                                   # a version that never was
            _row(5, other), _row(6, other)]                              # the same assignment again
    _, errors = plan_upload(desk.sv, BOTH, Q1, rows)
    assert [(e.row, e.message) for e in errors] == [
        (3, "报告已报送，不能再修改"), (4, "下载后该任务的报告已在网上修改，请重新下载报送表再填写"),
        (5, "与第 4 行是同一项任务"), (6, "与第 4 行是同一项任务")]
    with pytest.raises(Invalid):
        apply_upload(desk.sv, BOTH, Q1, rows)
    assert sv_.get_report(desk.sv, desk.alice, submitted["id"])["progress"] == 30.0
    assert _count(desk.sv.store, models.Report) == 1


def test_a_reader_without_an_account_gets_no_sheet_and_uploads_nothing(desk):
    for call in (lambda: sheet_lines(desk.sv, None, Q1),
                 lambda: plan_upload(desk.sv, None, Q1, [_row(3, desk.a)]),
                 lambda: apply_upload(desk.sv, None, Q1, [_row(3, desk.a)])):
        with pytest.raises(NotAuthenticated):
            call()
