"""The supervision pages over a stored plan: the quarter walked through with the test client, and the attacks."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from tests.webmap.supervised import sign_in, supervised_app, token
from layers.sheets import HEADER_ROW, PROGRESS, STATUS, DONE

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture()
def app(tmp_path):
    app = supervised_app(tmp_path)
    admin = app.test_client()
    sign_in(admin, "dcs")
    response = admin.post("/supervision/admin/windows", data={"csrf_token": token(admin), "year": "2025",
                                                              "quarter": "4", "action": "open"})
    assert response.status_code == 302
    return app


def client_of(app, name):
    client = app.test_client()
    sign_in(client, name)
    return client


def assignments(client) -> list[str]:
    html = client.get("/me/").get_data(as_text=True)
    return re.findall(r'/me/report\?assignment=([^&"]+)&amp;year=2025&amp;quarter=4', html)


def beihu_assignment(client) -> str:
    return next(a for a in assignments(client) if "%E5%8C%97%E6%B9%96%E9%95%87" in a)  # 北湖镇


def report_url(assignment: str) -> str:
    return f"/me/report?assignment={assignment}&year=2025&quarter=4"


def fill(client, assignment, *, action, progress="100", status="已完成", done="完成"):
    from urllib.parse import unquote

    html = client.get(report_url(assignment)).get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    return client.post("/me/report", data={"csrf_token": token(client), "assignment": unquote(assignment),
                                           "year": "2025", "quarter": "4", "version": version, "progress": progress,
                                           "status": status, "done": done, "problems": "", "next_steps": "",
                                           "action": action})


def test_the_quarter_walked_through(app):
    reporter, reviewer = client_of(app, "bh"), client_of(app, "sh")
    me = reporter.get("/me/").get_data(as_text=True)
    assert "2025年第四季度 · 须报送 3 项" in me and "北湖镇" in me
    assignment = beihu_assignment(reporter)
    for other in assignments(reporter):
        if other != assignment:
            fill(reporter, other, action="submit")
    assert fill(reporter, assignment, action="submit", done=SCRIPT).status_code == 302
    queue = reviewer.get("/supervision/review").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in queue and SCRIPT not in queue
    section = next(part for part in queue.split('<section class="review-item">') if "&lt;script&gt;" in part)
    report_id = re.search(r"/supervision/reports/(\d+)/return", section).group(1)
    version = re.search(r'name="version" value="(\d+)"', section).group(1)
    reviewer.post(f"/supervision/reports/{report_id}/return",
                  data={"csrf_token": token(reviewer, "/supervision/review"), "version": version, "comment": "请补充数据"})
    assert "请补充数据" in reporter.get(report_url(assignment)).get_data(as_text=True)
    assert fill(reporter, assignment, action="submit", done="已补充").status_code == 302
    queue = reviewer.get("/supervision/review").get_data(as_text=True)
    for report_id, version in re.findall(r'/supervision/reports/(\d+)/approve".*?name="version" value="(\d+)"',
                                         queue):
        reviewer.post(f"/supervision/reports/{report_id}/approve",
                      data={"csrf_token": token(reviewer, "/supervision/review"), "version": version})
    assert "没有待审核的报告" in reviewer.get("/supervision/review").get_data(as_text=True)
    task = app.test_client().get("/tasks/fixture_001.t1").get_data(as_text=True)  # anonymous: approved is public
    assert "已审核通过" in task and "已补充" in task and "退回：请补充数据" in task
    green = app.test_client().get("/tasks/?light=green").get_data(as_text=True)
    assert "fixture_001.t1" in green and "fixture_001.t2" not in green
    page = app.test_client().get("/supervision/2025/4/bulletin").get_data(as_text=True)
    assert "2025年第四季度重点工作督查通报" in page and "部分报送" not in page.split("北湖镇")[0][-40:]
    docx = app.test_client().get("/supervision/2025/4/bulletin.docx")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"


def test_another_units_draft_is_not_found_by_id_or_url(app):
    from layers.storage import accounts, supervision as service

    owner, other = client_of(app, "bh"), client_of(app, "dq")
    assignment = beihu_assignment(owner)
    fill(owner, assignment, action="save", done="草稿内容")
    sv = app.extensions["govmap-supervision"]
    [draft] = service.list_reports(sv, accounts.account(sv.store, "bh"))
    assert owner.get(f"/supervision/reports/{draft['id']}").status_code == 200
    assert other.get(f"/supervision/reports/{draft['id']}").status_code == 404
    assert other.get(report_url(assignment)).status_code == 404
    assert "草稿内容" not in app.test_client().get("/tasks/fixture_001.t1").get_data(as_text=True)
    assert "草稿内容" not in other.get("/tasks/fixture_001.t1").get_data(as_text=True)


def test_a_submitted_report_shows_nothing_of_itself_to_a_reader_without_an_account(app):
    owner, reviewer, anonymous = client_of(app, "bh"), client_of(app, "sh"), app.test_client()
    assert fill(owner, beihu_assignment(owner), action="submit", progress="37", status="推进中",
                done="尚待审核的进展").status_code == 302
    pages = ("/tasks/fixture_001.t1", "/tasks/", "/supervision/2025/4/bulletin")
    for url in pages:
        html = anonymous.get(url).get_data(as_text=True)
        assert "尚待审核的进展" not in html and "进度 37%" not in html, url
    for url in ("/tasks/fixture_001.t1", "/supervision/2025/4/bulletin"):  # the light is shown, its figures not
        assert "已报送，待审核" in anonymous.get(url).get_data(as_text=True)
    from docx import Document

    document = Document(io.BytesIO(anonymous.get("/supervision/2025/4/bulletin.docx").data))
    texts = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert not any("37%" in t for t in texts)
    assert "尚待审核的进展" in reviewer.get("/tasks/fixture_001.t1").get_data(as_text=True)


def test_an_attachment_is_downloaded_only_by_its_unit_reviewers_and_admins(app):
    from layers.storage import accounts, supervision as service
    from tests.layers.storage.test_supervision import PDF

    owner = client_of(app, "bh")
    fill(owner, beihu_assignment(owner), action="save")
    sv = app.extensions["govmap-supervision"]
    [draft] = service.list_reports(sv, accounts.account(sv.store, "bh"))
    record = service.add_attachment(sv, accounts.account(sv.store, "bh"), draft["id"], filename="<img src=x onerror=alert(1)>证明.pdf",
                                    data=PDF)
    url = f"/supervision/attachments/{record['id']}"
    page = owner.get(report_url(beihu_assignment(owner))).get_data(as_text=True)
    assert f'href="{url}"' in page and "&lt;img src=x onerror=alert(1)&gt;证明.pdf" in page and "<img src=x" not in page
    assert f'href="{url}"' in client_of(app, "sh").get(f"/supervision/reports/{draft['id']}").get_data(as_text=True)
    for name in ("bh", "sh", "dcs"):
        response = client_of(app, name).get(url)
        assert response.status_code == 200 and response.data == PDF and response.mimetype == "application/pdf"
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert "sandbox" in response.headers["Content-Security-Policy"]
        response.close()
    assert client_of(app, "dq").get(url).status_code == 404  # another unit: it does not exist
    anonymous = app.test_client().get(url)
    assert anonymous.status_code in (302, 401) and PDF not in anonymous.data
    assert client_of(app, "dq").get(f"/supervision/attachments/{record['id'] + 1}").status_code == 404


def test_the_admin_sets_a_deadline_by_the_plans_number_and_restores_the_plans(app):
    admin, reporter = client_of(app, "dcs"), client_of(app, "bh")
    form = {"csrf_token": token(admin, "/supervision/admin"), "year": "2025", "task": "目标1", "deadline": "2025-11-30"}
    assert admin.post("/supervision/admin/deadline", data=form).status_code == 302
    page = admin.get("/supervision/admin").get_data(as_text=True)
    assert "2025年已设置的完成时限" in page and "目标一" in page and "2025-11-30" in page
    refused = admin.post("/supervision/admin/deadline", data={**form, "task": "第99项"})
    assert refused.status_code == 404 and "2025年的方案中没有“第99项”这项任务" in refused.get_data(as_text=True)
    assert admin.post("/supervision/admin/deadline", data={**form, "deadline": "2025-02-30"}).status_code == 422
    theirs = reporter.post("/supervision/admin/deadline", data={**form, "csrf_token": token(reporter)})
    assert theirs.status_code == 403
    key = re.search(r'name="task" value="([^"]+)"><input type="hidden" name="deadline" value="">', page).group(1)
    assert admin.post("/supervision/admin/deadline", data={**form, "task": key, "deadline": ""}).status_code == 302
    assert "已设置的完成时限" not in admin.get("/supervision/admin").get_data(as_text=True)


def test_a_post_without_csrf_is_refused(app):
    reporter = client_of(app, "bh")
    assert reporter.post("/me/report", data={"assignment": "x", "year": "2025", "quarter": "4"}).status_code == 400


def test_every_form_of_every_page_needs_the_csrf_token(app):
    from webmap.auth import CSRF_DESCRIPTION, TOKEN_BLUEPRINTS

    routes = [(re.sub(r"<(?:\w+:)?\w+>", "1", rule.rule), method) for rule in app.url_map.iter_rules()
              if rule.endpoint.split(".")[0] not in TOKEN_BLUEPRINTS
              for method in sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"})]
    assert {"/login", "/logout", "/me/report", "/me/sheet", "/supervision/admin/windows",
            "/supervision/admin/deadline", "/supervision/reports/1/approve"} <= {url for url, _ in routes}
    form = {"year": "2025", "quarter": "4", "action": "close", "task": "1", "deadline": "2025-12-01",
            "name": "dcs", "password": "x", "comment": "退回", "version": "1"}
    for client in (app.test_client(), client_of(app, "dcs"), client_of(app, "bh")):
        for url, method in routes:
            response = client.open(url, method=method, data=form)
            assert response.status_code == 400 and CSRF_DESCRIPTION in response.get_data(as_text=True), url
            bad = client.open(url, method=method, data={**form, "csrf_token": "forged"})
            assert bad.status_code == 400, url
    from layers.storage import supervision as service

    sv = app.extensions["govmap-supervision"]
    assert [w["state"] for w in service.windows(sv, year=2025)] == ["open"]  # the close never happened


def test_a_sheet_with_another_units_row_is_refused_with_its_row_number(app):
    owner, other = client_of(app, "bh"), client_of(app, "dq")
    theirs = load_workbook(io.BytesIO(other.get("/me/sheet.xlsx?year=2025&quarter=4").data)).active
    book = load_workbook(io.BytesIO(owner.get("/me/sheet.xlsx?year=2025&quarter=4").data))
    sheet = book.active
    headers = [c.value for c in sheet[HEADER_ROW]]
    row = HEADER_ROW + 1
    sheet.cell(row, headers.index(PROGRESS) + 1, 60)
    sheet.cell(row, headers.index(STATUS) + 1, "推进中")
    sheet.cell(row + 1, 1, theirs.cell(HEADER_ROW + 1, 1).value)  # another unit's assignment
    for name, value in ((PROGRESS, 30), (STATUS, "推进中"), (DONE, "x")):
        sheet.cell(row + 1, headers.index(name) + 1, value)
    out = io.BytesIO()
    book.save(out)
    response = owner.post("/me/sheet", data={"csrf_token": token(owner), "year": "2025", "quarter": "4",
                                             "action": "check", "sheet": (io.BytesIO(out.getvalue()), "s.xlsx")},
                          content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and f"第 {row + 1} 行：这一行不是本单位本季度的分工" in html


def test_a_good_sheet_is_checked_then_applied(app):
    owner = client_of(app, "bh")
    book = load_workbook(io.BytesIO(owner.get("/me/sheet.xlsx?year=2025&quarter=4").data))
    sheet = book.active
    headers = [c.value for c in sheet[HEADER_ROW]]
    sheet.cell(HEADER_ROW + 1, headers.index(PROGRESS) + 1, 55)
    sheet.cell(HEADER_ROW + 1, headers.index(STATUS) + 1, "推进中")
    sheet.cell(HEADER_ROW + 1, headers.index(DONE) + 1, SCRIPT)
    out = io.BytesIO()
    book.save(out)
    checked = owner.post("/me/sheet", data={"csrf_token": token(owner), "year": "2025", "quarter": "4",
                                            "action": "check", "sheet": (io.BytesIO(out.getvalue()), "s.xlsx")},
                         content_type="multipart/form-data").get_data(as_text=True)
    assert "检查通过：将更新 1 项" in checked
    data = re.search(r'name="data" value="([^"]+)"', checked).group(1)
    applied = owner.post("/me/sheet", data={"csrf_token": token(owner), "year": "2025", "quarter": "4",
                                            "action": "apply", "data": data}).get_data(as_text=True)
    assert "已导入 1 项" in applied
    assert "&lt;script&gt;" in owner.get(report_url(assignments(owner)[0])).get_data(as_text=True)


def test_the_bulletin_names_targets_and_tasks_as_the_plan_numbers_them(app):
    page = app.test_client().get("/supervision/2025/4/bulletin").get_data(as_text=True)
    links = dict((m[1], m[0]) for m in re.findall(r'href="/tasks/(fixture_001\.[^"]+)">[^<]*?([^<>]+)</a>', page))
    assert links["目标一"] == "fixture_001.target1" and links["第1项"] == "fixture_001.t1"
    assert "第一项" not in page
    from docx import Document

    document = Document(io.BytesIO(app.test_client().get("/supervision/2025/4/bulletin.docx").data))
    labels = [row.cells[0].text for table in document.tables[1:-1] for row in table.rows[1:]]
    assert labels[:2] == ["目标一", "第1项"] and "第一项" not in labels
