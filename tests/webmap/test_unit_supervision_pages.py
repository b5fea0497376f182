"""What the township and unit pages show of the supervised quarter (issue 14): each assignment's light as the
service computes it, the unit's roll-up, what is due, and only the reports the reader may see."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

import pytest

from layers.storage import accounts
from layers.storage import supervision as service
from layers.storage.unit_quarter import HIDDEN_REASON
from tests.webmap.browser import SCRIPT, fixture_client, fixture_app, fixture_state  # noqa: F401  (fixtures)
from tests.webmap.supervised import PASSWORD, sign_in, supervised_app

DRAFT = "草稿内容-勿公开-7f3a"
SUBMITTED = "已报送未审核-勿公开-91c2"
ZONE_PAGES = ("/towns/甲安开发区?basemap=none", f"/units/{quote('甲安开发区')}")


@pytest.fixture()
def app(tmp_path):
    """The supervised district with 2025 Q4 open, and ``kf`` reporting for 甲安开发区 (target 一 and task 5)."""
    app = supervised_app(tmp_path)
    sv = app.extensions["govmap-supervision"]
    accounts.add_user(sv.store, "kf", role="reporter", password=PASSWORD, units=("甲安开发区",))
    service.open_window(sv, account(app, "dcs"), year=2025, quarter=4)
    return app


def account(app, name):
    return accounts.account(app.extensions["govmap-supervision"].store, name)


def client_of(app, name=None):
    client = app.test_client()
    if name:
        sign_in(client, name)
    return client


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def part(html: str) -> str:
    """The page's supervision section."""
    start = html.index('<section class="unit-supervision"')
    return html[start:html.index("</section>", start)]


ROW = re.compile(r'<tr id="assignment-\d+">\s*<td><span class="light light-(\w+)"[^>]*>.</span></td>\s*'
                 r'<td class="num"><a href="/tasks/([^"?]+)')


def rows(html: str) -> dict[str, str]:
    """task id → the light its row shows."""
    return {task: light for light, task in ROW.findall(part(html))}


def counts_in(fragment: str) -> dict[str, int]:
    """The counts of a ``light_counts`` span: colour → number."""
    return {lit: int(n) for lit, n in re.findall(r'light-(\w+)">.</span> (\d+)', fragment)}


def roll_up_shown(html: str) -> dict[str, int]:
    shown = re.search(r'任务分工 <strong>\d+</strong> 项：<span class="light-counts">(.*?)</span>，最差', part(html))
    return counts_in(shown.group(1))


def assignment_of(app, task_id, unit):
    found = service.lights(app.extensions["govmap-supervision"], year=2025, quarter=4)
    return next(a["id"] for a in found["assignments"] if a["task_id"] == task_id and a["unit"] == unit)


def report(app, name, task_id, unit, *, progress, status, done="", submit=True):
    sv = app.extensions["govmap-supervision"]
    made = service.create_report(sv, account(app, name), assignment=assignment_of(app, task_id, unit), year=2025,
                                 quarter=4, progress=progress, status=status, done=done)
    return service.submit_report(sv, account(app, name), made["id"]) if submit else made


def approve(app, report_id):
    service.approve_report(app.extensions["govmap-supervision"], account(app, "sh"), report_id)


def test_before_any_quarter_the_pages_say_so_and_stay_as_they_are(tmp_path, fixture_client):  # noqa: F811
    unsupervised = supervised_app(tmp_path).test_client()
    for url in ("/towns/北湖镇?basemap=none", f"/units/{quote('北湖镇')}"):
        html = html_of(unsupervised, url)
        assert "还没有开始督办的季度" in part(html) and "unit-assignments" not in html
        plain = html_of(fixture_client, url)  # an app without supervision: no section at all
        assert 'class="unit-supervision"' not in plain
        assert html.count('<li class="task"') == plain.count('<li class="task"')
        assert html.count("<tr><td class=\"num\">") == plain.count("<tr><td class=\"num\">")


def test_lights_and_roll_up_are_the_services(app):
    approve(app, report(app, "kf", "fixture_001.target1", "甲安开发区", progress=30, status="无法完成")["id"])  # red
    sv = app.extensions["govmap-supervision"]
    found = service.lights(sv, year=2025, quarter=4)
    expected = {a["task_id"]: a["light"] for a in found["assignments"] if a["unit"] == "甲安开发区"}
    assert sorted(expected.values()) == ["red", "yellow"]  # the target reported 无法完成, task 5 not reported
    for url in ZONE_PAGES:
        html = html_of(client_of(app), url)
        assert rows(html) == expected, url
        assert roll_up_shown(html) == found["units"]["甲安开发区"]["counts"], url
        assert '最差 <span class="light light-red">红</span>' in part(html)
        assert "报告无法完成" in part(html) and "本季度尚未报送" in part(html)
    town = part(html_of(client_of(app), ZONE_PAGES[0]))
    area = found["townships"]["c1-z"]
    shown = re.search(r'与本园区相关的任务 (\d+) 项（每项取其各责任单位中最差的灯）：<span class="light-counts">(.*?)'
                      r'</span>。', town)
    assert int(shown.group(1)) == area["total"] == 2 and counts_in(shown.group(2)) == area["counts"]


def test_a_draft_and_a_submitted_report_are_not_public_but_their_unit_reads_them(app):
    report(app, "bh", "fixture_001.t1", "北湖镇", progress=40, status="推进中", done=DRAFT, submit=False)
    submitted = report(app, "bh", "fixture_001.t1", "北湖农场", progress=60, status="推进中", done=SUBMITTED)
    pages = ("/towns/北湖镇?basemap=none", f"/units/{quote('北湖镇')}", "/towns/北湖农场?basemap=none",
             f"/units/{quote('北湖农场')}")
    anonymous, owner, reviewer, other = (client_of(app, name) for name in (None, "bh", "sh", "dq"))
    for url in pages:
        public = html_of(anonymous, url)
        assert DRAFT not in public and SUBMITTED not in public and "state-draft" not in public, url
        assert "/me/report" not in public
    assert "未报送" in part(html_of(anonymous, pages[0]))  # the draft: as if there were none
    beihu_farm = part(html_of(anonymous, pages[2]))
    assert '<span class="state state-submitted">已报送</span>' in beihu_farm and "未公开（审核通过后公开）" in beihu_farm
    assert "60%" not in beihu_farm and HIDDEN_REASON in beihu_farm  # the light's reason would quote the progress
    for reader in (owner, reviewer):
        assert DRAFT in html_of(reader, pages[0]) and DRAFT in html_of(reader, pages[1])
        assert SUBMITTED in html_of(reader, pages[2]) and "进度 60%" in part(html_of(reader, pages[2]))
    for url in pages[:2]:  # 东桥镇's reporter: 北湖镇's draft does not exist for it
        theirs = html_of(other, url)
        assert DRAFT not in theirs and "state-draft" not in theirs and "/me/report" not in theirs
    approve(app, submitted["id"])
    assert SUBMITTED in html_of(anonymous, pages[2]) and SUBMITTED in html_of(anonymous, pages[3])
    assert DRAFT not in html_of(anonymous, pages[0])


def test_report_text_is_shown_as_text(app):
    made = report(app, "kf", "fixture_001.t5", "甲安开发区", progress=50, status="推进中", done=f"{SCRIPT}<b>粗</b>")
    approve(app, made["id"])
    for url in ZONE_PAGES:
        section = part(html_of(client_of(app), url))
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;粗&lt;/b&gt;" in section
        assert SCRIPT not in section and "<b>粗" not in section


def test_what_is_due_follows_the_reports(app):
    sv = app.extensions["govmap-supervision"]
    t5 = assignment_of(app, "fixture_001.t5", "甲安开发区").split(service.SEP)[0]
    service.set_deadline(sv, account(app, "dcs"), year=2025, task=t5, deadline=dt.date(2025, 11, 30))
    anonymous, owner = client_of(app), client_of(app, "kf")

    def due(client) -> tuple[str, str]:
        section = part(html_of(client, ZONE_PAGES[0]))
        return (re.search(r'<p class="due-unreported">(.*?)</p>', section).group(1),
                re.search(r'<p class="due-ending">(.*?)</p>', section).group(1))

    unreported, ending = due(anonymous)
    assert "本季度未报送 2 项" in unreported and "目标一</a>" in unreported and "第5项</a>" in unreported
    assert "本季度到期 1 项" in ending and "第5项</a>（2025年11月30日" in ending and "light-red" in ending
    mine, _ = due(owner)
    assert mine.count('href="/me/report?assignment=') == 2  # the unit's reporter is sent to its forms
    made = report(app, "kf", "fixture_001.t5", "甲安开发区", progress=100, status="已完成", done="完成上市辅导")
    unreported, ending = due(anonymous)
    assert "本季度未报送 1 项" in unreported and "第5项" not in unreported and "目标一</a>" in unreported
    assert "light-green" in ending and HIDDEN_REASON in ending  # still ending this quarter, green; why: not yet
    assert "完成上市辅导" not in html_of(anonymous, ZONE_PAGES[0])  # submitted, not yet approved
    approve(app, made["id"])
    _, ending = due(anonymous)
    assert "本季度到期 1 项" in ending and "light-green" in ending and "已完成）" in ending
    assert "完成上市辅导" in part(html_of(anonymous, ZONE_PAGES[0]))
    assert "已审核通过" in part(html_of(anonymous, ZONE_PAGES[1]))


def test_targets_are_listed_by_their_number(fixture_client):  # noqa: F811
    town = html_of(fixture_client, "/towns/北湖镇?basemap=none")
    assert '<a class="task-no" href="/tasks/fixture_001.target1?basemap=none">目标一</a>' in town
    assert '<a class="task-no" href="/tasks/fixture_001.t1?basemap=none">第1项</a>' in town
    assert "<h1>目标一</h1>" in html_of(fixture_client, "/tasks/fixture_001.target1?basemap=none")


@pytest.mark.browser
@pytest.mark.live
def test_the_township_page_in_chromium(app, chromium_page):
    """The quarter on a township's page in headless Chromium: the public sees the approved text (a payload, as
    text) and not the draft; the unit's reporter, signed in on the login page, sees both and its form links."""
    from tests.webmap.live import serving
    from tests.webmap.test_browser import assert_only_the_app, open_page, shoot
    from tests.webmap.test_browser_supervision import keep_on_loopback, log_in

    approve(app, report(app, "kf", "fixture_001.t5", "甲安开发区", progress=70, status="推进中",
                        done=f"{SCRIPT}上市辅导备案")["id"])
    report(app, "kf", "fixture_001.target1", "甲安开发区", progress=20, status="推进中", done=DRAFT, submit=False)
    tab, log = chromium_page
    with serving(app) as base:
        keep_on_loopback(tab)
        url = f"{base}/towns/{quote('甲安开发区')}?basemap=none"
        open_page(tab, url)
        section = tab.locator("section.unit-supervision")
        table = section.locator("table.unit-assignments")
        assert table.locator("tbody tr").count() == 2 and section.locator("script").count() == 0
        assert f"{SCRIPT}上市辅导备案" in table.inner_text() and DRAFT not in tab.locator("main").inner_text()
        assert "本季度未报送 1 项" in section.locator(".due-unreported").inner_text()
        section.scroll_into_view_if_needed()
        shoot(tab, "unitpages-01-township-public", full_page=True)
        log_in(tab, base, "kf")
        open_page(tab, url)
        assert DRAFT in table.inner_text() and table.get_by_role("link", name="填报").count() == 1
        shoot(tab, "unitpages-02-township-reporter", full_page=True)
        assert_only_the_app(log, base)
