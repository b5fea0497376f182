"""The pages in real headless Chromium against a live server on loopback (Playwright, Debian's chromium).

Most tests use ``basemap=none``: then the page must request nothing but the app. One test loads the OpenStreetMap
basemap with every non-loopback request aborted, and checks that only tile hosts were asked.
"""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlparse

import pytest

from tests.webmap.browser import IMG, SCRIPT, fixture_app, fixture_state, live_server, screenshot_dir
from tests.webmap.live import serving
from tests.webmap.plans import plans_app
from webmap.maps import basemaps, builder, features, styles

__all__ = ["fixture_app", "fixture_state", "live_server", "plans_app"]  # chromium_browser/_page: conftest.py

pytestmark = [pytest.mark.browser, pytest.mark.live]

LAYERS_SHOWN = ("admin", "townships", "water", "roads", "sites")


def expected_paths(app, state, layer: str, filters=None) -> int:
    """Paths the planner should draw for a layer, from the features the builder is given: one per feature part
    (see builder.path_count), one per stack of places sharing a position; for 任务 one per distinct place or
    segment that the tasks name."""
    frame = state.catalogue.frame("task_places" if layer == "tasks" else layer, filters)
    if layer == "tasks":
        named = frame[(frame["link_type"] == "mentioned") & frame.geometry.notna() & (frame["position_unit_id"] == "")]
        shape = state.catalogue.index.link_shape
        return len({(row.place_id, shape(row.place_id, row.doc_id, row.start, row.end).wkb)
                    for row in named.itertuples()})
    with app.test_request_context("/"):
        drawn, _ = features.catalogue_features(state.corpus, state.catalogue, filters)
        drawn, _ = features.approximate_lists(state.corpus, drawn)
        stacked = features.stack_features(state.corpus, [f for f in drawn if f.layer == layer])
    return sum(builder.path_count(f.geometry, stand_in=f.stand_in) for f in stacked)


def open_page(tab, url: str, *, wait_for: str | None = ".leaflet-container") -> None:
    tab.goto(url)
    tab.wait_for_load_state("load")
    if wait_for:
        tab.wait_for_selector(wait_for)


def assert_only_the_app(log, base: str) -> None:
    outside = [url for url in log.requests if not url.startswith(base + "/") and not url.startswith("data:")]
    assert outside == [], outside
    assert log.console_errors == [], log.console_errors
    assert log.page_errors == [], log.page_errors
    assert log.dialogs == [], log.dialogs


def shoot(tab, name: str, *, full_page: bool = False) -> None:
    tab.wait_for_timeout(350)  # let Leaflet's fade-in finish
    tab.screenshot(path=str(screenshot_dir() / f"{name}.png"), full_page=full_page)


def test_planner_map_draws_every_catalogue_feature(live_server, chromium_page, fixture_app, fixture_state):
    tab, log = chromium_page
    open_page(tab, f"{live_server}/?basemap=none", wait_for=".gm-f")
    for layer in LAYERS_SHOWN:
        assert tab.locator(f".gm-{layer}").count() == expected_paths(fixture_app, fixture_state, layer), layer
    assert tab.locator(".gm-tasks").count() == 0  # 任务 starts hidden
    markers, lines, areas = (tab.locator(f".gm-f.{kind}").count() for kind in ("gm-marker", "gm-line", "gm-area"))
    # 4 township seats + 1 site; river, road and the project derived from the river; county, town, 2 lakes
    assert (markers, lines, areas) == (5, 3, 4)
    assert tab.locator(".gm-hollow").count() == 0  # the admin-fallback village is listed, not drawn
    assert tab.locator(".gm-approx summary").inner_text() == "位置只知到所在行政区的地点 1 处"
    derived = tab.locator(f".gm-sites.{builder.css_id('project-qingxi')}")
    assert derived.count() == 1 and "gm-line" in derived.get_attribute("class")
    assert tab.locator(f".leaflet-pane.leaflet-{styles.DERIVED_PANE}-pane .gm-sites").count() == 1  # under the river
    assert sorted(tab.locator(".gm-label").all_inner_texts()) == sorted(
        p.name for p in fixture_state.gazetteer if p.kind in features.UNIT_KINDS)
    assert tab.locator(".leaflet-control-scale").count() == 1
    assert tab.locator(".leaflet-control-zoom-fullscreen, .fullscreen-icon").count() >= 1
    assert tab.locator(".gm-legend").count() == 1
    assert tab.locator(".leaflet-tile").count() == 0
    assert tab.locator(".leaflet-control-scale-imperial").count() == 0  # metric only
    shoot(tab, "planner")
    tab.locator(".leaflet-control-layers").hover()
    tab.get_by_role("checkbox", name="任务").check()
    assert tab.locator(".gm-tasks").count() == expected_paths(fixture_app, fixture_state, "tasks")
    assert_only_the_app(log, live_server)


def test_clicking_a_township_opens_its_tasks(live_server, chromium_page, fixture_state):
    tab, log = chromium_page
    open_page(tab, f"{live_server}/?basemap=none", wait_for=".gm-f")
    tab.locator(".gm-townships.gm-id-c1-z").click()
    popup = tab.locator(".leaflet-popup-content")
    popup.wait_for()
    tasks = fixture_state.corpus.township_tasks("c1-z")
    assert popup.locator(".gm-pop-tasks li").count() == len(tasks) == 2  # both name the zone in 责任单位
    assert "甲安开发区" in popup.inner_text()
    assert f"{SCRIPT}推动企业上市" in popup.inner_text()  # shown as text …
    assert popup.locator("script, img").count() == 0  # … never as markup
    shoot(tab, "planner-popup")
    popup.get_by_role("link", name="第5项").click()
    tab.wait_for_url(f"**/tasks/{quote('fixture_001.t5', safe='')}?basemap=none")
    assert_only_the_app(log, live_server)


def test_places_known_only_by_their_unit_are_listed_not_drawn(live_server, chromium_page):
    tab, log = chromium_page
    open_page(tab, f"{live_server}/?basemap=none", wait_for=".gm-approx")
    assert tab.locator(".gm-id-c1-b-gaopu").count() == 0  # no ring, no mark on 东桥镇's seat
    panel = tab.locator(".gm-approx-panel")
    assert panel.is_hidden() and tab.locator(".gm-approx-unit").is_hidden()  # folded on the planner map
    tab.locator(".gm-approx summary").click()
    assert tab.locator(".gm-approx-unit").all_inner_texts() == ["东桥镇 1 处"]
    tab.locator(".gm-approx-unit", has_text="东桥镇").click()
    assert panel.is_visible() and "位置仅知到 东桥镇 的地点" in panel.inner_text()
    assert "高铺村" in panel.inner_text() and "第4项" in panel.inner_text()
    shoot(tab, "planner-approximate")
    tab.locator(".gm-approx-close").click()
    assert panel.is_hidden()
    assert_only_the_app(log, live_server)


def test_search_finds_places_by_alias(live_server, chromium_page):
    tab, log = chromium_page
    open_page(tab, f"{live_server}/?basemap=none", wait_for=".gm-search input")
    tab.locator(".gm-search input").fill("东桥")
    results = tab.locator(".gm-search-results li")
    assert results.count() >= 1
    results.filter(has_text="东桥镇").first.click()
    tab.wait_for_timeout(600)  # the zoom has ended and the popup is still open
    assert "东桥镇" in tab.locator(".leaflet-popup-content").inner_text()
    tab.locator(".gm-search input").fill("北湖")
    names = [name.split("\n")[0] for name in results.all_inner_texts()]
    assert names[0] == "北湖" and {"北湖镇", "北湖农场"} <= set(names)  # the exact name first
    tab.locator(".gm-search input").fill("${alert")
    assert results.first.inner_text().startswith("${alert(1)}园") is False  # name shown, alias noted
    assert "${alert(1)}园" in results.first.inner_text()
    assert_only_the_app(log, live_server)


def test_a_filter_shows_fewer_features_and_lives_in_the_url(live_server, chromium_page, fixture_app, fixture_state):
    from layers.filters import Filters

    tab, log = chromium_page
    open_page(tab, f"{live_server}/?basemap=none", wait_for=".gm-f")
    before = tab.locator(".gm-f").count()
    tab.locator("select[name=leader]").select_option("王五")
    tab.get_by_role("button", name="筛选").click()
    tab.wait_for_url("**leader=**")
    tab.wait_for_selector(".gm-f")
    query = parse_qs(urlparse(tab.url).query)
    assert query["leader"] == ["王五"] and query["basemap"] == ["none"]
    after = tab.locator(".gm-f").count()
    filters = Filters.from_args({"leader": "王五"})
    assert after == sum(expected_paths(fixture_app, fixture_state, layer, None if layer in features.CONTEXT_LAYERS
                                       else filters) for layer in LAYERS_SHOWN)
    assert tab.locator(".gm-admin").count() == expected_paths(fixture_app, fixture_state, "admin")  # context stays
    assert after < before
    shoot(tab, "planner-filtered")
    assert_only_the_app(log, live_server)


def test_township_page_lists_its_tasks(live_server, chromium_page, fixture_state):
    tab, log = chromium_page
    open_page(tab, f"{live_server}/towns/北湖镇?basemap=none")
    assert tab.title() == "北湖镇 · 任务 · govmap 甲安"
    assert tab.locator("li.task").count() == len(fixture_state.corpus.township_tasks("c1-a")) == 4
    assert tab.locator("li.task .badge.rule-named-unit").count() == 1
    assert tab.locator(".gm-townships.gm-id-c1-a").count() == 1
    shoot(tab, "town", full_page=True)
    tab.emulate_media(media="print")
    assert tab.locator(".site-nav").is_hidden() and tab.locator(".actions").is_hidden()
    shoot(tab, "town-print", full_page=True)
    assert_only_the_app(log, live_server)


@pytest.mark.parametrize(("name", "url"), [
    ("towns", "/towns/"),
    ("town-payloads", "/towns/东桥镇?basemap=none"),
    ("task", f"/tasks/{quote('fixture_001.t3', safe='')}?basemap=none"),
    ("task-payloads", f"/tasks/{quote('fixture_001.t5', safe='')}?basemap=none"),
    ("place", "/places/road-g1?basemap=none"),
    ("place-payloads", "/places/site-xss?basemap=none"),
], ids=lambda v: v if not v.startswith("/") else None)
def test_pages_render_payloads_as_text_and_stay_local(live_server, chromium_page, name, url):
    tab, log = chromium_page
    open_page(tab, live_server + url, wait_for=None)
    tab.wait_for_timeout(150)
    text = tab.locator("main").inner_text()
    assert tab.locator("main script, main img").count() == 0
    if "payloads" in name:
        assert SCRIPT in text or IMG in text
    for marker in tab.locator(".gm-f").all()[:3]:
        marker.click(force=True)  # popups with payloads open without running them
    shoot(tab, name, full_page=True)
    assert_only_the_app(log, live_server)


def test_osm_basemap_asks_only_tile_hosts(live_server, chromium_page):
    tab, log = chromium_page
    hosts = set(basemaps.OSM.hosts)
    asked: list[str] = []

    def guard(route):
        host = urlparse(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            asked.append(host)
            route.abort()

    tab.route("**/*", guard)
    open_page(tab, f"{live_server}/?basemap=osm", wait_for=None)
    tab.wait_for_selector(".leaflet-tile", state="attached")
    tab.wait_for_timeout(300)
    assert asked, "the OSM basemap requested no tiles"
    assert set(asked) <= hosts, set(asked) - hosts
    assert log.dialogs == [] and log.page_errors == []


def _rects(tab, selector: str) -> list[dict]:
    return tab.evaluate("""(sel) => Array.from(document.querySelectorAll(sel))
        .filter((n) => getComputedStyle(n).visibility !== "hidden" && getComputedStyle(n).display !== "none")
        .map((n) => { const r = n.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom,
                                                                   text: n.textContent}; })""", selector)


def _overlap(a: dict, b: dict) -> bool:
    return a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]


def test_township_labels_do_not_overlap_and_the_legend_hides_no_township(live_server, chromium_page):
    tab, log = chromium_page
    open_page(tab, f"{live_server}/?basemap=none", wait_for="[data-gm-labels=placed]")
    tab.wait_for_timeout(900)  # the opening zoom has ended, fonts loaded, labels placed again
    # under a loaded test run the first placement can race the opening layout: settle it with one more moveend
    tab.evaluate("() => Object.values(window).find((v) => v instanceof L.Map).fire('moveend')")
    tab.wait_for_timeout(200)
    labels = _rects(tab, ".gm-label")
    assert labels, "no labels shown"
    assert not [(a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1:] if _overlap(a, b)]
    markers = _rects(tab, ".gm-townships.gm-marker")
    for control in (".gm-legend", ".gm-approx", ".gm-search"):
        for box in _rects(tab, control):
            assert not [m for m in markers if _overlap(box, m)], control
    assert_only_the_app(log, live_server)


def test_legend_draws_each_quality_and_every_layer_differently(live_server, chromium_page):
    tab, log = chromium_page
    open_page(tab, f"{live_server}/?basemap=none", wait_for=".gm-legend")
    legend = tab.locator(".gm-legend")
    text = legend.inner_text()
    assert "任务" in text and "实测" in text and "开放数据" in text and "几何" not in text
    swatches = tab.evaluate("""() => Array.from(document.querySelectorAll('.gm-legend li[data-quality] svg'))
        .map((s) => s.innerHTML)""")
    assert len(swatches) == len(set(swatches))  # no two qualities drawn alike
    assert not any(ch.isascii() and ch.isalpha() for ch in text)  # no English a user reads
    assert_only_the_app(log, live_server)


def test_a_click_where_a_river_crosses_a_road_offers_both(live_server, chromium_page, fixture_state):
    from geodata.crs import latlon

    tab, log = chromium_page
    open_page(tab, f"{live_server}/?basemap=none", wait_for="[data-gm-ready]")
    tab.wait_for_timeout(200)
    river, road = fixture_state.gazetteer["river-qingxi"].geometry, fixture_state.gazetteer["road-g1"].geometry
    crossing = river.intersection(road)
    point = tab.evaluate("""(ll) => { const map = Object.values(window).find((v) => v instanceof L.Map);
        const p = map.latLngToContainerPoint(ll), box = map.getContainer().getBoundingClientRect();
        return [p.x + box.left, p.y + box.top]; }""", latlon(crossing.x, crossing.y))
    tab.mouse.click(point[0] + 2, point[1] + 1)
    chooser = tab.locator(".gm-choose")
    tab.wait_for_timeout(300)
    assert chooser.count() == 1, tab.locator(".leaflet-popup-content").all_inner_texts()
    items = chooser.locator(".gm-choose-item").all_inner_texts()
    assert any("清溪河" in i for i in items) and any("G1国道" in i for i in items), items
    shoot(tab, "planner-crossing")
    chooser.locator(".gm-choose-item", has_text="G1国道").first.click()
    chooser.wait_for(state="detached")
    assert "提及此地的任务" in tab.locator(".leaflet-popup-content").inner_text()
    assert "G1国道" in tab.locator(".leaflet-popup-content").inner_text()
    assert_only_the_app(log, live_server)


def test_on_a_phone_a_popup_is_inside_the_viewport_and_clear_of_controls(live_server, chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                           device_scale_factor=1)
    tab = context.new_page()
    try:
        open_page(tab, f"{live_server}/?basemap=none", wait_for=".gm-f")
        tab.locator(".gm-townships.gm-id-c1-z").click(force=True)
        tab.locator(".leaflet-popup-content").wait_for()
        tab.wait_for_timeout(400)  # the pan has ended
        popup = _rects(tab, ".leaflet-popup-content-wrapper")[0]
        assert popup["l"] >= 0 and popup["r"] <= 390 and popup["t"] >= 0 and popup["b"] <= 844, popup
        for control in _rects(tab, ".leaflet-control"):
            assert not _overlap(control, popup), control["text"][:20]
        shoot(tab, "phone-popup")
    finally:
        context.close()


# -- tables: tasks, units, indicators ---------------------------------------------------------------------------
TABLE_SIZES = {"wide": (1440, 900), "phone": (390, 844)}


@pytest.mark.parametrize("size", TABLE_SIZES, ids=str)
def test_tasks_table_sorts_and_filters_by_links_and_forms(live_server, chromium_page, size):
    tab, log = chromium_page
    tab.set_viewport_size(dict(zip(("width", "height"), TABLE_SIZES[size])))
    open_page(tab, f"{live_server}/tasks/", wait_for="table.tasks-table")
    assert tab.title() == "任务一览 · govmap 甲安"
    rows = tab.locator("table.tasks-table tbody tr")
    assert rows.count() == 6
    shoot(tab, f"tasks-{size}")
    tab.locator("table.tasks-table thead a", has_text="序号").click()  # a plain link: ?sort=-number
    tab.wait_for_load_state("load")
    assert "sort=-number" in tab.url and rows.first.locator("td").first.inner_text() == "5"
    tab.select_option("select[name=unit]", "区水利和湖泊局")
    tab.locator("form.table-filters button[type=submit]").click()
    tab.wait_for_load_state("load")
    assert parse_qs(urlparse(tab.url).query)["unit"] == ["区水利和湖泊局"] and rows.count() == 1
    assert tab.locator(".chart").count() == 3 and tab.locator(".chart .fill").count() >= 3
    assert tab.locator("main script").count() == 0
    assert_only_the_app(log, live_server)


@pytest.mark.parametrize("size", TABLE_SIZES, ids=str)
def test_unit_pages_and_indicators_table(live_server, chromium_page, size):
    tab, log = chromium_page
    tab.set_viewport_size(dict(zip(("width", "height"), TABLE_SIZES[size])))
    open_page(tab, f"{live_server}/units/", wait_for="table.units-table")
    shoot(tab, f"units-{size}")
    tab.locator("table.units-table a", has_text="区水利和湖泊局").click()
    tab.wait_for_load_state("load")
    assert tab.locator("h1").inner_text() == "区水利和湖泊局" and "牵头（1 项）" in tab.locator("main").inner_text()
    shoot(tab, f"unit-{size}", full_page=True)
    open_page(tab, f"{live_server}/units/{quote('区发改局' + IMG)}", wait_for="h1")
    assert IMG in tab.locator("h1").inner_text() and tab.locator("main img").count() == 0
    open_page(tab, f"{live_server}/indicators/", wait_for="table.indicators-table")
    text = tab.locator("table.indicators-table").inner_text()
    assert "地区生产总值增长" in text and "4000亩" in text and "3亿元" in text and "300,000,000" not in text
    shoot(tab, f"indicators-{size}")
    open_page(tab, f"{live_server}/towns/北湖镇?basemap=none")
    own = tab.locator(".task-part-own li.task")
    assert own.count() == 2 and tab.locator(".task-part-shared li.task").count() == 2
    assert tab.locator(".task-part").first.evaluate("e => e.classList.contains('task-part-own')")
    assert tab.locator("li.task .task-units").count() == 4
    shoot(tab, f"town-parts-{size}")
    assert_only_the_app(log, live_server)


def test_compare_page_in_chromium(plans_app, chromium_page):
    tab, log = chromium_page
    with serving(plans_app) as base:
        tab.goto(f"{base}/plans/")
        tab.click("a.compare")
        tab.wait_for_selector('[data-group="changed"]')
        assert tab.url.endswith("/plans/2026/compare/2025")
        counts = {g: tab.inner_text(f'[data-count="{g}"]') for g in ("new", "changed", "carried", "dropped")}
        assert counts == {"new": "1", "changed": "1", "carried": "1", "dropped": "1"}
        assert SCRIPT.removesuffix("</script>") in tab.inner_text('[data-group="new"]')  # shown as text
        tab.select_option("#compare-township", label="汀泗桥镇")
        tab.wait_for_url("**/compare/2025/*")
        assert tab.inner_text('[data-count="dropped"]') == "1" and "汀泗桥镇" in tab.inner_text("h1")
    assert log.page_errors == [] and log.dialogs == []
