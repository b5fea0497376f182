"""One supervision quarter walked in real headless Chromium (issue 14): report, return, resubmit, approve, the lights
change, the 通报 is generated — through the pages' own forms (login with the page's CSRF token, 退出 in the header)
against a live server on loopback over a throwaway SQLite database (:mod:`tests.webmap.supervised`).

The Playwright fixtures are the ones of :mod:`tests.webmap.browser`, registered once in ``conftest.py`` for this
folder (imported by name here as well, they would start a second Playwright next to test_browser.py's).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.webmap.browser import SCRIPT
from tests.webmap.live import serving
from tests.webmap.supervised import PASSWORD, sign_in, supervised_app, token
from tests.webmap.test_browser import assert_only_the_app, open_page, shoot

pytestmark = [pytest.mark.browser, pytest.mark.live]

T1 = "fixture_001.t1"  # 推进北湖生态修复: bh reports for all three of its units
COMMENT = "请补充新增耕地的数据"
RESUBMITTED = f"{SCRIPT}已补充：新增耕地4200亩"


@pytest.fixture()
def supervised_live(tmp_path: Path):
    """The supervised app on loopback with 2025 Q4 opened for reporting by the admin."""
    app = supervised_app(tmp_path)
    admin = app.test_client()
    sign_in(admin, "dcs")
    opened = admin.post("/supervision/admin/windows", data={"csrf_token": token(admin), "year": "2025",
                                                            "quarter": "4", "action": "open"})
    assert opened.status_code == 302
    with serving(app) as base:
        yield base


def keep_on_loopback(tab) -> list[str]:
    """Abort anything not on loopback (nothing may leave the machine; ``assert_only_the_app`` still sees it).

    退出 redirects to the landing map, whose default basemap is OpenStreetMap; Playwright does not route the
    redirected request, so the 302 itself is fetched here, its ``Location`` kept (returned, for the test to check)
    and the browser sent to the same map with ``?basemap=none`` instead."""
    landings: list[str] = []

    def guard(route):
        request = route.request
        if urlparse(request.url).hostname != "127.0.0.1":
            route.abort()
        elif request.method == "POST" and urlparse(request.url).path == "/logout":
            response = route.fetch(max_redirects=0)
            landings.append(response.headers.get("location", ""))
            headers = dict(response.headers)
            if response.status == 302:
                headers["location"] = "/?basemap=none"
            route.fulfill(response=response, headers=headers)
        else:
            route.continue_()

    tab.route("**/*", guard)
    return landings


def log_in(tab, base: str, name: str) -> None:
    open_page(tab, f"{base}/login", wait_for="form.stacked")
    form = tab.locator("form.stacked")
    assert tab.locator("h1").inner_text() == "登录"
    assert len(form.locator('input[name="csrf_token"]').get_attribute("value")) > 20  # the page's own token
    form.get_by_label("用户名").fill(name)
    form.get_by_label("密码").fill(PASSWORD)
    form.get_by_role("button", name="登录").click()
    tab.wait_for_url(f"{base}/me/")
    assert tab.locator(".account-nav .who").is_visible()


def log_out(tab, base: str, landings: list[str]) -> None:
    with tab.expect_response(f"{base}/logout") as sent:
        tab.locator(".account-nav").get_by_role("button", name="退出").click()
    assert sent.value.status == 302 and landings[-1] in ("/", f"{base}/")  # the app sends you to the map
    tab.wait_for_url(f"{base}/?basemap=none")
    tab.wait_for_load_state("load")
    assert tab.locator(".account-nav").get_by_role("link", name="登录").is_visible()
    open_page(tab, f"{base}/me/", wait_for="main")
    assert tab.url.startswith(f"{base}/login")  # signed out: /me/ asks to log in again


def unit_row(tab, unit: str):
    """The row of /me/ for ``unit`` (its 单位 cell, not the task text, which names units too)."""
    return tab.locator("table.due-table tbody tr").filter(
        has=tab.locator("td:nth-child(4)", has_text=re.compile(f"^{unit}$")))


def fill_report(tab, *, progress: str, status: str, done: str) -> None:
    form = tab.locator("form.report-form")
    form.get_by_label("进度（%）").fill(progress)
    form.get_by_label("状态").select_option(status)
    form.get_by_label("进展情况").fill(done)
    form.get_by_role("button", name="报送", exact=True).click()


def report_unit(tab, base: str, unit: str, *, progress: str, status: str, done: str) -> None:
    """From /me/, open ``unit``'s row, fill the form and submit; back on the report page it reads 已报送."""
    unit_row(tab, unit).get_by_role("link").last.click()
    tab.wait_for_url(re.compile(re.escape(f"{base}/me/report?assignment=") + ".*year=2025&quarter=4"))
    assert f"· {unit}" in tab.locator("h1").inner_text()
    fill_report(tab, progress=progress, status=status, done=done)
    tab.wait_for_load_state("load")
    assert tab.locator("form.report-form").count() == 0  # submitted: read-only until reviewed
    assert done in tab.locator(".report-view").inner_text()


def lit(tab, base: str, light: str) -> list[str]:
    """Task ids listed by /tasks/?light=…"""
    open_page(tab, f"{base}/tasks/?light={light}", wait_for="main")
    assert tab.url == f"{base}/tasks/?light={light}"
    hrefs = tab.locator("main table a[href^='/tasks/fixture_001.']").evaluate_all("els => els.map(e => e.pathname)")
    return sorted({h.removeprefix("/tasks/") for h in hrefs})


def test_a_quarter_walked_through_in_chromium(supervised_live, chromium_page, tmp_path):
    base = supervised_live
    tab, log = chromium_page
    landings = keep_on_loopback(tab)
    assert T1 not in lit(tab, base, "green")  # nothing reported yet
    before = {light: lit(tab, base, light) for light in ("red", "yellow")}
    assert T1 in before["yellow"]  # 本季度尚未报送

    # the reporter of 北湖镇, 北湖农场 and 自然资源和规划局 reports all three of task 1's units
    log_in(tab, base, "bh")
    assert tab.locator("main h2").inner_text() == "2025年第四季度 · 须报送 3 项"
    assert unit_row(tab, "北湖镇").locator("td").nth(6).inner_text() == "未填写"
    shoot(tab, "walk-01-reporter-me", full_page=True)
    report_unit(tab, base, "北湖镇", progress="60", status="推进中", done=SCRIPT)
    assert tab.locator(".report-view script").count() == 0  # the payload is text
    shoot(tab, "walk-02-reported", full_page=True)
    for unit in ("北湖农场", "区自然资源和规划局"):
        open_page(tab, f"{base}/me/", wait_for="table.due-table")
        report_unit(tab, base, unit, progress="100", status="已完成", done=f"{unit}已完成")
    open_page(tab, f"{base}/me/", wait_for="table.due-table")
    assert all(unit_row(tab, u).locator(".state").inner_text() == "已报送" for u in ("北湖镇", "北湖农场"))
    log_out(tab, base, landings)

    # the reviewer returns 北湖镇's report with a comment
    log_in(tab, base, "sh")
    tab.get_by_role("link", name="待审核的报告").click()
    tab.wait_for_url(f"{base}/supervision/review")
    assert tab.locator("h1").inner_text() == "待审核的报告 3 份"
    item = tab.locator("section.review-item").filter(has_text="第1项 · 北湖镇").filter(has_text=SCRIPT)
    assert item.count() == 1 and item.locator("script").count() == 0  # 进展情况 shown as text
    shoot(tab, "walk-03-review", full_page=True)
    item.get_by_label("退回原因").fill(COMMENT)
    item.get_by_role("button", name="退回").click()
    tab.wait_for_url(f"{base}/supervision/review")
    assert tab.locator("h1").inner_text() == "待审核的报告 2 份"
    assert tab.locator("section.review-item", has_text=SCRIPT).count() == 0
    log_out(tab, base, landings)

    # the reporter sees the comment, edits and resubmits
    log_in(tab, base, "bh")
    row = unit_row(tab, "北湖镇")
    assert row.locator(".state").inner_text() == "已退回" and row.get_by_role("link", name="继续填报").is_visible()
    row.get_by_role("link", name="继续填报").click()
    tab.wait_for_url(re.compile(re.escape(f"{base}/me/report?assignment=")))
    assert tab.get_by_role("alert").inner_text() == f"审核意见（已退回）：{COMMENT}"
    form = tab.locator("form.report-form")
    assert form.get_by_label("进展情况").input_value() == SCRIPT  # the returned text comes back to edit
    shoot(tab, "walk-04-returned", full_page=True)
    fill_report(tab, progress="100", status="已完成", done=RESUBMITTED)
    tab.wait_for_load_state("load")
    assert RESUBMITTED in tab.locator(".report-view").inner_text()
    assert f"退回：{COMMENT}" in tab.locator("ol.log").inner_text()
    log_out(tab, base, landings)

    # the reviewer approves everything
    log_in(tab, base, "sh")
    open_page(tab, f"{base}/supervision/review", wait_for="main h1")
    assert tab.locator("h1").inner_text() == "待审核的报告 3 份"
    assert tab.locator("section.review-item", has_text=RESUBMITTED).count() == 1
    for left in (2, 1, 0):
        tab.locator("section.review-item").first.get_by_role("button", name="审核通过").click()
        tab.wait_for_url(f"{base}/supervision/review")
        assert tab.locator("h1").inner_text() == f"待审核的报告 {left} 份"
    assert tab.locator("main p.lead").inner_text() == "没有待审核的报告。"
    shoot(tab, "walk-05-approved", full_page=True)
    log_out(tab, base, landings)

    # anyone: task 1's light has turned green; the others have not moved
    assert T1 in lit(tab, base, "green")
    shoot(tab, "walk-06-green", full_page=True)
    assert all(T1 not in lit(tab, base, light) for light in ("red", "yellow"))
    assert {light: lit(tab, base, light) for light in ("red", "yellow")} == {
        light: [t for t in tasks if t != T1] for light, tasks in before.items()}
    open_page(tab, f"{base}/tasks/{T1}?basemap=none", wait_for="main")
    task = tab.locator("main").inner_text()
    assert "已审核通过" in task and RESUBMITTED in task and f"退回：{COMMENT}" in task
    assert tab.locator("main script").count() == 0

    # the 通报: 北湖镇 reported on time, payloads as text, and the Word file
    open_page(tab, f"{base}/supervision/2025/4/bulletin", wait_for="main h1")
    assert tab.locator("h1").inner_text() == "甲安区2025年第四季度重点工作督查通报"
    on_time = tab.locator("main p", has_text="按时报送（")
    assert "北湖镇" in on_time.inner_text() and "北湖农场" in on_time.inner_text()
    assert "北湖镇" not in tab.locator("main p", has_text="未报送（").inner_text()
    cells = tab.locator("table.bulletin-table").first.locator("tr", has=tab.locator("td:first-child",
                                                                                   has_text=re.compile("^北湖镇$")))
    assert cells.locator("td").last.inner_text() == "按时报送"
    assert f"{SCRIPT}推动企业上市" in tab.locator("main").inner_text()  # task 5's text, yellow, as text …
    assert tab.locator("main script, main img").count() == 0  # … never as markup
    shoot(tab, "walk-07-bulletin", full_page=True)
    with tab.expect_download() as fetched:
        tab.get_by_role("link", name="下载 Word（.docx）").click()
    download = fetched.value
    assert download.url == f"{base}/supervision/2025/4/bulletin.docx"
    assert download.suggested_filename == "bulletin-2025-q4.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as docx:
        assert {"[Content_Types].xml", "word/document.xml"} <= set(docx.namelist())
        assert "2025年第四季度重点工作督查通报" in docx.read("word/document.xml").decode("utf-8")
    assert_only_the_app(log, base)
