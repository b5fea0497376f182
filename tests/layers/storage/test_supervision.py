"""The supervision service on both backends, from the side of an attacker as much as of a user: who may read and
write which report, stale versions and concurrent edits, windows and deadlines, attachments, the event log."""

from __future__ import annotations

import datetime as dt
import io
import threading
import zipfile

import pytest
from sqlalchemy import delete, func, select, text, update

from gazetteer.supervision.access import Account, Role
from layers.errors import (Conflict, Forbidden, Invalid, NoSuchRecord, NotAuthenticated, PreconditionFailed,
                           TooLarge)
from layers.storage import accounts, models
from layers.storage import supervision as sv_

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
INJECTIONS = ["' OR '1'='1", "1; DROP TABLE reports; --", "\" OR 1=1 --", "向阳湖镇' --", "%' OR unit LIKE '%",
              "1 UNION SELECT password_hash FROM users"]


def _office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(part, "<x/>")
    return buffer.getvalue()


def _count(store, model) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(model))


# -- the workflow -----------------------------------------------------------------------------------------------
def test_a_report_goes_from_draft_to_approved_with_an_event_each(desk):
    sv = desk.sv
    report = desk.draft(done="完成河道清淤")
    assert (report["state"], report["version"], report["unit"]) == ("draft", 1, "向阳湖镇")
    report = sv_.update_report(sv, desk.alice, report["id"], expected_version=1, progress=60)
    sv_.open_window(sv, desk.dave, year=2025, quarter=1)
    report = sv_.submit_report(sv, desk.alice, report["id"])
    report = sv_.approve_report(sv, desk.carol, report["id"])
    assert (report["state"], report["progress"], report["reviewed_by"], report["late"]) == (
        "approved", 60.0, "carol", False)
    assert [(e["action"], e["before"], e["after"], e["by"]) for e in sv_.events_of(sv, desk.alice, report["id"])] \
        == [("create", "", "draft", "alice"), ("edit", "draft", "draft", "alice"),
            ("submit", "draft", "submitted", "alice"), ("approve", "submitted", "approved", "carol")]


def test_a_returned_report_is_edited_and_submitted_again(desk):
    report = desk.submitted()
    returned = sv_.return_report(desk.sv, desk.carol, report["id"], comment="请补充佐证材料")
    assert (returned["state"], returned["comment"]) == ("returned", "请补充佐证材料")
    with pytest.raises(Conflict):
        sv_.return_report(desk.sv, desk.carol, report["id"], comment="again")
    edited = sv_.update_report(desk.sv, desk.alice, report["id"], expected_version=returned["version"], progress=45)
    assert sv_.submit_report(desk.sv, desk.alice, edited["id"])["state"] == "submitted"


def test_a_return_needs_a_comment(desk):
    report = desk.submitted()
    with pytest.raises(Conflict, match="原因"):
        sv_.return_report(desk.sv, desk.carol, report["id"], comment="  ")


def test_one_report_per_assignment_and_quarter(desk):
    desk.draft()
    with pytest.raises(Conflict):
        desk.draft()


def test_submitting_needs_an_open_window_and_after_it_closes_is_late(desk):
    report = desk.draft()
    with pytest.raises(Conflict, match="尚未开放"):
        sv_.submit_report(desk.sv, desk.alice, report["id"])
    sv_.open_window(desk.sv, desk.dave, year=2025, quarter=1)
    sv_.close_window(desk.sv, desk.dave, year=2025, quarter=1)
    submitted = sv_.submit_report(desk.sv, desk.alice, report["id"])
    assert submitted["late"] is True
    assert sv_.events_of(desk.sv, desk.alice, report["id"])[-1]["note"] == "逾期报送"
    assert [w["state"] for w in sv_.windows(desk.sv, year=2025)] == ["closed"]


# -- who may do what --------------------------------------------------------------------------------------------
def test_a_reporter_never_learns_of_another_units_draft(desk):
    draft = desk.draft()
    for call in (lambda: sv_.get_report(desk.sv, desk.bob, draft["id"]),
                 lambda: sv_.events_of(desk.sv, desk.bob, draft["id"]),
                 lambda: sv_.update_report(desk.sv, desk.bob, draft["id"], expected_version=1, progress=99),
                 lambda: sv_.submit_report(desk.sv, desk.bob, draft["id"]),
                 lambda: sv_.add_attachment(desk.sv, desk.bob, draft["id"], filename="a.pdf", data=PDF)):
        with pytest.raises(NoSuchRecord) as caught:
            call()
        assert caught.value.status == 404 and caught.value.description == "没有这份报告"
    assert sv_.list_reports(desk.sv, desk.bob) == []
    assert sv_.list_reports(desk.sv, desk.bob, assignment=desk.a) == []
    assert sv_.get_report(desk.sv, desk.alice, draft["id"])["progress"] == 30
    assert sv_.get_report(desk.sv, desk.carol, draft["id"])["state"] == "draft"


def _one_of_each_state(desk):
    """alice's reports on one assignment: a draft (Q1), a submitted (Q2), a returned (Q3), an approved one (Q4),
    each with a figure and a text of its own, the approved one with an attachment."""
    made = {}
    for quarter, state in enumerate(("draft", "submitted", "returned", "approved"), 1):
        report = sv_.create_report(desk.sv, desk.alice, assignment=desk.a, year=2025, quarter=quarter,
                                   progress=quarter * 11, status="推进中", done=f"第{quarter}季度的秘密进展")
        if state == "approved":
            sv_.add_attachment(desk.sv, desk.alice, report["id"], filename="证明.pdf", data=PDF)
        if state != "draft":
            sv_.open_window(desk.sv, desk.dave, year=2025, quarter=quarter)
            sv_.submit_report(desk.sv, desk.alice, report["id"])
        if state == "returned":
            sv_.return_report(desk.sv, desk.carol, report["id"], comment="请补充")
        if state == "approved":
            sv_.approve_report(desk.sv, desk.carol, report["id"])
        made[state] = report["id"]
    return made


def test_a_reader_without_an_account_gets_approved_reports_only(desk):
    made = _one_of_each_state(desk)
    for state in ("draft", "submitted", "returned"):
        for call in (sv_.get_report, sv_.events_of):
            with pytest.raises(NoSuchRecord):
                call(desk.sv, None, made[state])
    assert sv_.get_report(desk.sv, desk.bob, made["submitted"])["state"] == "submitted"  # any account sees it
    approved = sv_.get_report(desk.sv, None, made["approved"])
    assert (approved["state"], approved["progress"], approved["attachments"]) == ("approved", 44.0, [])
    assert len(sv_.get_report(desk.sv, desk.alice, made["approved"])["attachments"]) == 1
    assert [e["action"] for e in sv_.events_of(desk.sv, None, made["approved"])][-1] == "approve"
    for call in (lambda: sv_.list_reports(desk.sv, None), lambda: sv_.assignments_for(desk.sv, None, year=2025),
                 lambda: sv_.get_attachment(desk.sv, None, 1)):
        with pytest.raises(NotAuthenticated):
            call()
    from layers.storage.published import approved_reports, counted_reports

    assert [r["id"] for r in approved_reports(desk.sv, unit="向阳湖镇")] == [made["approved"]]
    assert approved_reports(desk.sv, task=desk.a.split(":")[0])[0]["attachments"] == []
    shown = counted_reports(desk.sv, year=2025, quarter=2)
    assert shown == [{"assignment": desk.a, "unit": "向阳湖镇", "state": "submitted", "late": False}]


def test_the_lights_show_no_figure_of_a_report_not_yet_approved_to_a_reader_without_an_account(desk):
    made = _one_of_each_state(desk)
    for quarter, state in ((2, "submitted"), (4, "approved")):
        public, staff = (next(a for a in sv_.lights(desk.sv, year=2025, quarter=quarter, on=dt.date(2025, 12, 1),
                                                    account=who)["assignments"] if a["id"] == desk.a)
                         for who in (None, desk.carol))
        assert public["light"] == staff["light"] and "进度" in staff["reason"]
        assert staff["report"] == made[state]
        if state == "submitted":
            assert (public["reason"], public["report"]) == (sv_.PENDING, None)
        else:
            assert (public["reason"], public["report"]) == (staff["reason"], made[state])


def test_guessing_ids_finds_nothing_but_ones_own(desk):
    mine = desk.draft(desk.bob)["id"]
    desk.draft()
    found = []
    for guess in range(1, 40):
        try:
            found.append(sv_.get_report(desk.sv, desk.bob, guess)["id"])
        except NoSuchRecord:
            pass
    assert found == [mine]
    for guess in (0, -1, 2 ** 70, "1", True, None):
        with pytest.raises(NoSuchRecord):
            sv_.get_report(desk.sv, desk.bob, guess)


def test_a_reporter_cannot_write_for_another_unit(desk):
    with pytest.raises(Forbidden):
        sv_.create_report(desk.sv, desk.bob, assignment=desk.a, year=2025, quarter=1, progress=10)
    submitted = desk.submitted()
    assert sv_.get_report(desk.sv, desk.bob, submitted["id"])["state"] == "submitted"  # counted: public
    with pytest.raises(Forbidden):
        sv_.update_report(desk.sv, desk.bob, submitted["id"], expected_version=submitted["version"], progress=1)
    with pytest.raises(Forbidden):
        sv_.approve_report(desk.sv, desk.bob, submitted["id"])
    with pytest.raises(NotAuthenticated):
        sv_.create_report(desk.sv, None, assignment=desk.a, year=2025, quarter=1)


@pytest.mark.parametrize("who", ["carol", "dave"], ids=["reviewer", "admin"])
def test_an_admin_or_reviewer_cannot_type_a_units_report(desk, who):
    with pytest.raises(Forbidden, match="不能代填"):
        sv_.create_report(desk.sv, getattr(desk, who), assignment=desk.a, year=2025, quarter=1, progress=50)
    draft = desk.draft()
    with pytest.raises(Forbidden):
        sv_.update_report(desk.sv, getattr(desk, who), draft["id"], expected_version=1, progress=90)


def test_a_reviewer_cannot_approve_their_own_report(desk):
    # carol reported for 向阳湖镇 before she became a reviewer
    as_reporter = Account("carol", Role.REPORTER, frozenset({"向阳湖镇"}))
    report = desk.submitted(as_reporter)
    for call in (lambda: sv_.approve_report(desk.sv, desk.carol, report["id"]),
                 lambda: sv_.return_report(desk.sv, desk.carol, report["id"], comment="自己退回")):
        with pytest.raises(Forbidden, match="自己"):
            call()
    assert sv_.approve_report(desk.sv, desk.dave, report["id"])["state"] == "approved"


def test_only_an_admin_opens_windows_and_sets_deadlines(desk):
    task = desk.a.split(":")[0]
    for who in (desk.alice, desk.carol):
        with pytest.raises(Forbidden):
            sv_.open_window(desk.sv, who, year=2025, quarter=1)
        with pytest.raises(Forbidden):
            sv_.set_deadline(desk.sv, who, year=2025, task=task, deadline=dt.date(2025, 3, 1))
    with pytest.raises(NoSuchRecord):
        sv_.set_deadline(desk.sv, desk.dave, year=2025, task="k-no-such-task", deadline=dt.date(2025, 3, 1))


# -- deadlines --------------------------------------------------------------------------------------------------
def _light(desk, key, on=dt.date(2025, 3, 20)):
    return next(a for a in sv_.lights(desk.sv, year=2025, quarter=1, on=on)["assignments"] if a["id"] == key)


def test_a_deadline_set_by_the_plans_number_turns_the_light_and_clearing_restores_the_plans(desk):
    task = desk.b.split(":")[0]  # 温泉街道's task: 3. in the plan
    assert _light(desk, desk.b)["light"] == "yellow"
    shown = sv_.set_deadline(desk.sv, desk.dave, year=2025, task="3", deadline="2025-03-01")
    assert (shown["task"], shown["label"], shown["deadline"], shown["plan_deadline"], shown["set_by"]) == (
        task, "第3项", "2025-03-01", None, "dave")
    assert (_light(desk, desk.b)["light"], _light(desk, desk.b)["reason"]) == ("red", "已逾期（完成时限 2025-03-01）")
    assert _light(desk, desk.a)["light"] == "yellow"  # the other tasks keep the plan's
    moved = sv_.set_deadline(desk.sv, desk.dave, year=2025, task="第3项", deadline=dt.date(2025, 3, 31))
    assert moved["deadline"] == "2025-03-31" and _light(desk, desk.b)["reason"] == "本季度尚未报送"
    listed = {d["task"]: d for d in sv_.deadlines(desk.sv, year=2025)}
    assert [d["label"] for d in listed.values()] == ["第1项", "第2项", "第3项"]
    assert listed[task]["deadline_set"] and not listed[desk.a.split(":")[0]]["deadline_set"]
    cleared = sv_.set_deadline(desk.sv, desk.dave, year=2025, task=task, deadline=None)
    assert (cleared["deadline"], cleared["deadline_set"], cleared["set_by"]) == (None, False, None)
    assert not _light(desk, desk.b)["deadline_set"] and _light(desk, desk.b)["light"] == "yellow"
    with desk.sv.store.read() as session:
        log = session.execute(select(models.Event.before, models.Event.after).where(
            models.Event.action == "deadline").order_by(models.Event.id)).all()
    assert [tuple(e) for e in log] == [("", "2025-03-01"), ("2025-03-01", "2025-03-31"), ("2025-03-31", "")]


@pytest.mark.parametrize("typed", ["3", " 第3项 ", "3.", "（3）", "KEY", "ID"])
def test_a_task_is_found_as_a_user_types_it(desk, typed):
    [task] = [a for a in sv_.assignments_for(desk.sv, desk.dave, year=2025) if a["id"] == desk.b]
    typed = {"KEY": task["task"], "ID": task["task_id"]}.get(typed, typed)
    assert sv_.set_deadline(desk.sv, desk.dave, year=2025, task=typed, deadline="2025-09-30")["task"] == task["task"]


@pytest.mark.parametrize("typed", ["4", "目标1", "第0项", "", "3项任务", "' OR 1=1 --", None, 3])
def test_a_task_the_plan_does_not_have_is_404_in_chinese(desk, typed):
    with pytest.raises(NoSuchRecord, match="2025年的方案中没有“.*”这项任务"):
        sv_.set_deadline(desk.sv, desk.dave, year=2025, task=typed, deadline="2025-09-30")
    with pytest.raises(NoSuchRecord):
        sv_.set_deadline(desk.sv, desk.dave, year=2026, task="1", deadline="2026-09-30")  # no 2026 plan stored


@pytest.mark.parametrize("deadline", ["2025-13-01", "2025-02-30", "明天", "20250301", "2024-12-31", "2025-03-01T00:00",
                                      dt.datetime(2025, 3, 1), 20250301, ""])
def test_a_bad_deadline_is_refused_in_chinese(desk, deadline):
    with pytest.raises(Invalid, match="完成时限应"):
        sv_.set_deadline(desk.sv, desk.dave, year=2025, task="3", deadline=deadline)
    assert not any(d["deadline_set"] for d in sv_.deadlines(desk.sv, year=2025))


def test_a_number_two_plans_of_a_year_share_is_refused_naming_both(desk, tmp_path, gazetteer):
    from layers.storage.ingest import ingest, read_files

    other = tmp_path / "other.txt"
    other.write_text("2025年咸安区城建重点工作责任分解方案\n一、城市建设\n(一)补齐基础设施短板\n"
                     "1.新建污水管网5公里。(责任领导:陈浩;牵头单位:区住建局;责任单位:温泉街道)\n", encoding="utf-8")
    ingest(desk.sv.store, read_files([other]), deployment=gazetteer.deployment, gazetteer=gazetteer)
    firsts = [d["task"] for d in sv_.deadlines(desk.sv, year=2025) if d["label"] == "第1项"]
    assert len(firsts) == 2
    with pytest.raises(Invalid) as caught:
        sv_.set_deadline(desk.sv, desk.dave, year=2025, task="1", deadline="2025-09-30")
    assert all(key in caught.value.description for key in firsts) and "请用任务的编号指明" in caught.value.description
    assert sv_.set_deadline(desk.sv, desk.dave, year=2025, task=firsts[1], deadline="2025-09-30")["task"] == firsts[1]


def test_only_an_admin_sets_deadlines_asked_before_the_task_is_looked_up(desk):
    for who, error in ((desk.alice, Forbidden), (desk.carol, Forbidden), (None, NotAuthenticated)):
        for task in ("3", "no-such-task"):
            with pytest.raises(error):
                sv_.set_deadline(desk.sv, who, year=2025, task=task, deadline="2025-03-01")
    assert not any(d["deadline_set"] for d in sv_.deadlines(desk.sv, year=2025))


def test_a_reporter_sees_only_its_units_assignments(desk):
    assert {a["unit"] for a in sv_.assignments_for(desk.sv, desk.alice, year=2025)} == {"向阳湖镇"}
    with pytest.raises(Forbidden):
        sv_.assignments_for(desk.sv, desk.alice, year=2025, unit="温泉街道")
    assert len(sv_.assignments_for(desk.sv, desk.carol, year=2025)) == 7
    draft = desk.draft()
    [mine] = sv_.assignments_for(desk.sv, desk.alice, year=2025)
    assert [r["id"] for r in mine["reports"]] == [draft["id"]]
    [theirs] = sv_.assignments_for(desk.sv, desk.carol, year=2025, unit="向阳湖镇")
    assert [r["id"] for r in theirs["reports"]] == [draft["id"]]


def test_a_unit_is_asked_for_as_the_plan_writes_it_or_by_its_key(desk):
    written, key = (sv_.assignments_for(desk.sv, desk.carol, year=2025, unit=u) for u in ("区水利湖泊局", "水利湖泊局"))
    assert [a["id"] for a in written] == [a["id"] for a in key] and [a["unit"] for a in key] == ["水利湖泊局"]
    bob = Account("bob", Role.REPORTER, frozenset({"文旅局"}))
    assert [a["unit_name"] for a in sv_.assignments_for(desk.sv, bob, year=2025, unit="区文旅局")] == ["区文旅局"]
    with pytest.raises(Forbidden):
        sv_.assignments_for(desk.sv, bob, year=2025, unit="区水利湖泊局")
    desk.submitted()
    assert [r["unit"] for r in sv_.list_reports(desk.sv, desk.bob, unit="向阳湖镇")] == ["向阳湖镇"]
    assert sv_.list_reports(desk.sv, desk.bob, unit="区水利湖泊局") == []


# -- versions ---------------------------------------------------------------------------------------------------
def test_a_stale_version_is_a_conflict_or_a_failed_precondition(desk):
    draft = desk.draft()
    sv_.update_report(desk.sv, desk.alice, draft["id"], expected_version=1, progress=40)
    with pytest.raises(Conflict) as caught:
        sv_.update_report(desk.sv, desk.alice, draft["id"], expected_version=1, progress=50)
    assert caught.value.status == 409
    with pytest.raises(PreconditionFailed) as caught:
        sv_.update_report(desk.sv, desk.alice, draft["id"], expected_version=1, precondition=True, progress=50)
    assert caught.value.status == 412
    assert sv_.get_report(desk.sv, desk.alice, draft["id"])["progress"] == 40


def test_concurrent_edits_of_one_draft_one_wins(desk):
    draft = desk.draft()
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def edit(progress: int) -> None:
        barrier.wait()
        try:
            sv_.update_report(desk.sv, desk.alice, draft["id"], expected_version=1, progress=progress)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=edit, args=(10 * n,)) for n in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "ok"]
    assert sv_.get_report(desk.sv, desk.alice, draft["id"])["version"] == 2


# -- values -----------------------------------------------------------------------------------------------------
def test_markup_is_kept_as_text(desk):
    markup = '<script>alert("x")</script><img src=x onerror=alert(1)>&amp;'
    report = desk.draft(done=markup, problems="<b>问题</b>", next_steps="a < b && c > d")
    again = sv_.get_report(desk.sv, desk.alice, report["id"])
    assert (again["done"], again["problems"], again["next_steps"]) == (markup, "<b>问题</b>", "a < b && c > d")


@pytest.mark.parametrize("fields, message", [
    ({"progress": 101}, "进度"), ({"progress": -1}, "进度"), ({"progress": "50"}, "进度"), ({"progress": True}, "进度"),
    ({"progress": float("nan")}, "进度"), ({"status": "很好"}, "状态"), ({"done": 5}, "文字"),
    ({"done": "x" * 4001}, "过长"), ({"problems": "a\x00b"}, "控制字符"), ({"state": "approved"}, "未知字段"),
    ({"version": 9}, "未知字段"), ({"unit": "温泉街道"}, "未知字段"),
], ids=["over-100", "negative", "string", "bool", "nan", "status", "text-type", "too-long", "nul", "state",
        "version", "unit"])
def test_bad_values_are_refused(desk, fields, message):
    with pytest.raises(Invalid, match=message):
        desk.draft(**fields)
    assert _count(desk.sv.store, models.Report) == 0


@pytest.mark.parametrize("injection", INJECTIONS)
def test_sql_injection_strings_do_nothing(desk, injection):
    draft = desk.draft(done=injection, problems=injection, next_steps=injection)
    assert sv_.get_report(desk.sv, desk.alice, draft["id"])["done"] == injection
    with pytest.raises(NoSuchRecord):
        sv_.create_report(desk.sv, desk.alice, assignment=injection, year=2025, quarter=2)
    with pytest.raises(NoSuchRecord):
        sv_.create_report(desk.sv, desk.alice, assignment=desk.a.split(":")[0] + ":" + injection, year=2025,
                          quarter=2)
    for call in (lambda: sv_.get_report(desk.sv, desk.alice, injection),
                 lambda: sv_.get_attachment(desk.sv, desk.alice, injection)):
        with pytest.raises(NoSuchRecord):
            call()
    for call in (lambda: sv_.list_reports(desk.sv, desk.alice, year=injection),
                 lambda: sv_.create_report(desk.sv, desk.alice, assignment=desk.a, year=2025, quarter=injection)):
        with pytest.raises(Invalid):
            call()
    assert sv_.list_reports(desk.sv, desk.carol, assignment=injection) == []
    assert sv_.list_reports(desk.sv, desk.carol, unit=injection) == []
    assert sv_.assignments_for(desk.sv, desk.carol, year=2025, unit=injection) == []
    with pytest.raises(NoSuchRecord):
        sv_.set_deadline(desk.sv, desk.dave, year=2025, task=injection, deadline=dt.date(2025, 6, 30))
    with pytest.raises(NotAuthenticated):
        accounts.authenticate_password(desk.sv.store, injection, injection)
    with pytest.raises(NotAuthenticated):
        accounts.authenticate_token(desk.sv.store, "gm_" + injection)
    assert _count(desk.sv.store, models.Report) == 1 and _count(desk.sv.store, models.User) == 4


# -- attachments ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, data", [
    ("进展.pdf", PDF), ("现场.png", PNG), ("现场.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 16),
    ("台账.docx", _office("word/document.xml")), ("台账.xlsx", _office("xl/workbook.xml")),
], ids=["pdf", "png", "jpeg", "docx", "xlsx"])
def test_an_attachment_is_kept_outside_any_web_root(desk, name, data):
    draft = desk.draft()
    record = sv_.add_attachment(desk.sv, desk.alice, draft["id"], filename=name, data=data)
    assert (record["name"], record["size"]) == (name, len(data))
    found, path = sv_.get_attachment(desk.sv, desk.carol, record["id"])
    assert path.read_bytes() == data and path.parent == desk.sv.files and name not in path.name
    assert sv_.get_report(desk.sv, desk.alice, draft["id"])["attachments"] == [found]
    with pytest.raises(NoSuchRecord):
        sv_.get_attachment(desk.sv, desk.bob, record["id"])


@pytest.mark.parametrize("name, data, error", [
    ("setup.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64, Invalid),
    ("page.png", b"<!DOCTYPE html><html><script>alert(1)</script></html>", Invalid),
    ("image.svg.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', Invalid),
    ("real.pdf", PNG, Invalid),
    ("macro.docx", _office("xl/workbook.xml"), Invalid),
    ("bare.zip.docx", b"PK\x03\x04" + b"\x00" * 40, Invalid),
    ("empty.pdf", b"", Invalid),
    ("big.pdf", PDF + b"\x00" * (10 * 1024 * 1024), TooLarge),
], ids=["exe-as-pdf", "html-as-png", "svg-as-png", "png-as-pdf", "xlsx-as-docx", "bad-zip", "empty", "oversized"])
def test_a_disguised_or_oversized_attachment_is_refused(desk, name, data, error):
    draft = desk.draft()
    with pytest.raises(error):
        sv_.add_attachment(desk.sv, desk.alice, draft["id"], filename=name, data=data)
    assert _count(desk.sv.store, models.Attachment) == 0
    assert not desk.sv.files.exists() or not any(desk.sv.files.iterdir())


def test_no_attachment_to_a_submitted_report(desk):
    report = desk.submitted()
    with pytest.raises(Conflict):
        sv_.add_attachment(desk.sv, desk.alice, report["id"], filename="a.pdf", data=PDF)


# -- lights -----------------------------------------------------------------------------------------------------
def test_lights_count_submitted_reports_and_the_admins_deadline(desk):
    on = dt.date(2025, 3, 20)
    before = sv_.lights(desk.sv, year=2025, quarter=1, on=on)
    mine = next(a for a in before["assignments"] if a["id"] == desk.a)
    assert (mine["light"], mine["reason"]) == ("yellow", "本季度尚未报送")
    desk.draft(progress=100, status="已完成")  # a draft does not count
    assert next(a for a in sv_.lights(desk.sv, year=2025, quarter=1, on=on)["assignments"]
                if a["id"] == desk.a)["light"] == "yellow"
    report = sv_.list_reports(desk.sv, desk.alice)[0]
    sv_.open_window(desk.sv, desk.dave, year=2025, quarter=1)
    sv_.submit_report(desk.sv, desk.alice, report["id"])
    after = sv_.lights(desk.sv, year=2025, quarter=1, on=on)
    assert next(a for a in after["assignments"] if a["id"] == desk.a)["light"] == "green"
    assert after["units"]["向阳湖镇"]["light"] == "green"
    assert set(after) >= {"tasks", "sections", "units", "townships"}
    assert sum(r["total"] for r in after["units"].values()) == len(after["assignments"]) == 7

    bob_task = desk.b.split(":")[0]
    sv_.set_deadline(desk.sv, desk.dave, year=2025, task=bob_task, deadline=dt.date(2025, 3, 1))
    theirs = next(a for a in sv_.lights(desk.sv, year=2025, quarter=1, on=on)["assignments"] if a["id"] == desk.b)
    assert (theirs["light"], theirs["deadline"], theirs["deadline_set"]) == ("red", "2025-03-01", True)
    assert after["tasks"][bob_task]["light"] != "red"


def test_a_closed_window_without_a_report_is_red(desk):
    sv_.open_window(desk.sv, desk.dave, year=2025, quarter=1)
    sv_.close_window(desk.sv, desk.dave, year=2025, quarter=1)
    later = dt.date.today() + dt.timedelta(days=1)
    result = sv_.lights(desk.sv, year=2025, quarter=1, on=later)
    assert result["window_closed"] and {a["light"] for a in result["assignments"]} == {"red"}


# -- accounts and the log ---------------------------------------------------------------------------------------
def test_a_deleted_users_token_fails(desk):
    token = accounts.new_token(desk.sv.store, "bob")
    assert accounts.authenticate_token(desk.sv.store, token) == desk.bob
    accounts.delete_user(desk.sv.store, "bob")
    with pytest.raises(NotAuthenticated):
        accounts.authenticate_token(desk.sv.store, token)
    with pytest.raises(NotAuthenticated):
        accounts.account(desk.sv.store, "bob")
    assert _count(desk.sv.store, models.ApiToken) == 0


def test_only_a_tokens_hash_and_a_passwords_hash_are_stored(desk):
    token = accounts.new_token(desk.sv.store, "alice")
    with desk.sv.store.read() as session:
        stored = session.scalars(select(models.ApiToken.token_hash)).all() + \
            session.scalars(select(models.User.password_hash)).all()
    assert token not in stored and all("口令" not in value for value in stored)
    assert accounts.authenticate_password(desk.sv.store, "alice", "alice-口令-0123456789") == desk.alice
    for name, password in (("alice", "wrong-password-123"), ("nobody", "alice-口令-0123456789")):
        with pytest.raises(NotAuthenticated, match="用户名或密码错误"):
            accounts.authenticate_password(desk.sv.store, name, password)


@pytest.mark.parametrize("name, role, password, units, error", [
    ("eve", "reporter", "", ["向阳湖镇"], Invalid), ("eve", "reporter", "short", ["向阳湖镇"], Invalid),
    ("eve", "reporter", "long-enough-1", [], Invalid), ("eve", "admin", "long-enough-1", ["向阳湖镇"], Invalid),
    ("eve", "root", "long-enough-1", [], Invalid), ("e ve", "admin", "long-enough-1", [], Invalid),
    ("@cli", "admin", "long-enough-1", [], Invalid), ("alice", "admin", "long-enough-1", [], Conflict),
], ids=["empty-password", "short-password", "reporter-without-unit", "admin-with-unit", "no-such-role",
        "space-in-name", "the-cli-name", "duplicate"])
def test_bad_accounts_are_refused(desk, name, role, password, units, error):
    with pytest.raises(error):
        accounts.add_user(desk.sv.store, name, role=role, password=password, units=units)
    assert _count(desk.sv.store, models.User) == 4


def test_events_are_never_updated_or_deleted(desk):
    desk.draft()
    store = desk.sv.store
    before = _count(store, models.Event)
    with pytest.raises(models.AppendOnly):
        with store.write() as session:
            session.scalars(select(models.Event)).first().note = "rewritten"
    with pytest.raises(models.AppendOnly):
        with store.write() as session:
            session.delete(session.scalars(select(models.Event)).first())
    for statement in (update(models.Event.__table__).values(note="x"), delete(models.Event.__table__),
                      text("UPDATE events SET action = 'nothing'"), text("DELETE FROM events")):
        with pytest.raises(Exception, match="append-only"):
            with store.engine.begin() as connection:
                connection.execute(statement)
    if store.backend == "postgresql":
        with pytest.raises(Exception, match="append-only"):
            with store.engine.begin() as connection:
                connection.execute(text("TRUNCATE events"))
    assert _count(store, models.Event) == before
    with store.read() as session:
        assert "rewritten" not in session.scalars(select(models.Event.note)).all()
