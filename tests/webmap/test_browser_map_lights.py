"""The planner map's 红黄绿 in real headless Chromium (issue 14): the 任务 marks of tasks with known lights are drawn
in their colours, a report approved through the service turns a mark green at the next load, the light filter of
the form narrows the map; township seats stay above the roads (issue 12).

The Playwright fixtures come from ``conftest.py``; the app is the supervised one of :mod:`tests.webmap.supervised`
on loopback, with its lights set through the service.
"""

from __future__ import annotations

import pytest

from gazetteer.supervision.lights import Light
from tests.webmap.live import serving
from tests.webmap.supervised import open_quarter, report_task, supervised_app
from tests.webmap.test_browser import assert_only_the_app, open_page, shoot
from webmap.maps import styles

pytestmark = [pytest.mark.browser, pytest.mark.live]

T1, T4 = "fixture_001.t1", "fixture_001.t4"  # 推进北湖生态修复 names 北湖; 改造G1国道东桥至西山段 names G1 and 东桥镇


@pytest.fixture()
def supervised(tmp_path):
    app = supervised_app(tmp_path)
    with serving(app) as base:
        yield app, base


def mark(tab, place_id: str):
    """The 任务 mark of the tasks naming ``place_id``."""
    return tab.locator(f".gm-tasks[class*='gm-id-tasks_{place_id}_']")


def colours(tab, *place_ids: str) -> dict[str, tuple[str, str]]:
    """(stroke, fill) Chromium draws each place's 任务 mark with."""
    return {p: (mark(tab, p).get_attribute("stroke"), mark(tab, p).get_attribute("fill")) for p in place_ids}


def topmost_at_centre(tab, selector: str) -> str:
    """The class of the element Chromium finds at the centre of ``selector`` (what a click there reaches)."""
    return tab.evaluate("""(selector) => {
        const box = document.querySelector(selector).getBoundingClientRect();
        const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        return hit.getAttribute("class") || "";
    }""", selector)


def test_task_marks_show_their_lights_and_follow_an_approval(supervised, chromium_page):
    app, base = supervised
    tab, log = chromium_page
    red, yellow, green = (styles.LIGHT_COLOR[lit] for lit in (Light.RED, Light.YELLOW, Light.GREEN))

    # nothing supervised yet: the 任务 layer starts hidden, and 西山街道's seat lies on G1国道 but above it
    open_page(tab, f"{base}/?basemap=none", wait_for=".gm-townships")
    assert tab.locator(".gm-tasks").count() == 0 and tab.locator("select[name=light]").count() == 0
    assert "gm-townships" in topmost_at_centre(tab, ".gm-townships.gm-id-c1-s")
    assert tab.locator(f".leaflet-{styles.UNITS_PANE}-pane .gm-townships.gm-marker").count() == 4
    assert tab.locator(".leaflet-overlay-pane .gm-roads").count() == 1
    z = tab.evaluate(f"""() => ["overlay", "{styles.UNITS_PANE}", "{styles.TASKS_PANE}"].map((p) =>
        +getComputedStyle(document.querySelector(".leaflet-" + p + "-pane")).zIndex)""")
    assert z[0] < z[1] < z[2]

    # the quarter opened, 东桥镇 reports task 4 无法完成 (red); task 1 not reported yet (yellow)
    open_quarter(app)
    report_task(app, T4, reporter="dq", status="无法完成", progress=10)
    open_page(tab, f"{base}/?basemap=none", wait_for=".gm-tasks")
    assert colours(tab, "lake-beihu", "road-g1", "c1-b") == {
        "lake-beihu": (yellow, yellow), "road-g1": (red, "none"), "c1-b": (red, red)}
    assert mark(tab, "road-g1").get_attribute("stroke-dasharray") == "8 6"  # still drawn as a 示意线
    legend = tab.locator(".gm-legend")
    assert "2025年第四季度督办灯" in legend.inner_text()
    assert tab.locator(".gm-legend li[data-light] circle").evaluate_all("cs => cs.map((c) => c.getAttribute('fill'))") \
        == [red, yellow, green, styles.light_color(None)]
    assert tab.locator(".gm-legend li[data-quality]").count() >= 5  # the quality ladder is still explained
    inside = tab.evaluate("""() => {
        const map = document.querySelector(".leaflet-container").getBoundingClientRect();
        const box = document.querySelector(".gm-legend").getBoundingClientRect();
        return box.top >= map.top && box.bottom <= map.bottom;
    }""")
    assert inside  # the longer legend scrolls inside the map instead of running off its top
    mark(tab, "road-g1").hover()
    assert "G1国道：1 项任务 · 红灯（报告无法完成）" in tab.locator(".leaflet-tooltip").last.inner_text()
    shoot(tab, "map-lights-1-red-yellow")

    # 北湖镇's reporter reports task 1 done and the reviewer approves: the next load shows 北湖 green
    report_task(app, T1, reporter="bh", status="已完成", progress=100)
    tab.reload()
    tab.wait_for_selector(".gm-tasks")
    assert colours(tab, "lake-beihu", "road-g1", "c1-b") == {
        "lake-beihu": (green, green), "road-g1": (red, "none"), "c1-b": (red, red)}
    mark(tab, "lake-beihu").click(force=True)
    tab.wait_for_selector(".leaflet-popup-content")
    chooser = tab.locator(".gm-choose")
    if chooser.count():  # the click reaches 北湖农场's seat next to the mark too: choose the 任务 mark
        chooser.get_by_role("button", name="北湖：1 项任务").click()
    popup = tab.locator(".leaflet-popup-content", has=tab.locator(".gm-pop-count"))
    popup.wait_for()
    assert "督办：绿 已完成" in popup.inner_text()
    assert popup.get_by_role("link", name="第1项").get_attribute("href") == f"/tasks/{T1}?basemap=none"
    shoot(tab, "map-lights-2-approved")

    # the light filter of the form keeps the green task, its places and its count
    tab.locator("select[name=light]").select_option("green")
    tab.get_by_role("button", name="筛选").click()
    tab.wait_for_url(f"{base}/?*light=green*")
    tab.wait_for_selector(".gm-tasks")
    assert tab.locator(".gm-tasks").count() == 1 and colours(tab, "lake-beihu")["lake-beihu"] == (green, green)
    assert tab.locator(".gm-roads").count() == 0  # G1国道 is task 4's
    assert tab.locator("p.summary strong").first.inner_text() == "1"
    assert tab.locator("select[name=light]").input_value() == "green"
    shoot(tab, "map-lights-3-green-only")
    assert_only_the_app(log, base)
