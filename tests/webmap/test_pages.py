"""The pages on a small district whose texts carry script-injection payloads (no browser, no network)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.webmap.browser import (IMG, PAYLOADS, SCRIPT, TEMPLATE, XSS_LAKE, XSS_SITE, fixture_app, fixture_client,
                                  fixture_state, make_app)

__all__ = ["fixture_app", "fixture_client", "fixture_state"]  # fixtures used by name below

TASK_T1 = quote("fixture_001.t1")
TASK_T3 = quote("fixture_001.t3")
TASK_T5 = quote("fixture_001.t5")

PAGES = {
    "planner": "/?basemap=none",
    "planner-filtered": "/?basemap=none&section=实施城乡融合行动",
    "towns": "/towns/",
    "town": "/towns/北湖镇?basemap=none",
    "town-xss": "/towns/东桥镇?basemap=none",
    "task": f"/tasks/{TASK_T3}?basemap=none",
    "task-xss": f"/tasks/{TASK_T5}?basemap=none",
    "place": "/places/site-xss?basemap=none",
    "place-lake": "/places/lake-xss?basemap=none",
}


def get_html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


@pytest.mark.parametrize("url", PAGES.values(), ids=PAGES.keys())
def test_page_is_chinese_and_escapes_every_payload(fixture_client, url):
    html = get_html(fixture_client, url)
    assert '<html lang="zh-CN">' in html
    assert re.search(r"<title>[^<]+ · govmap 甲安</title>", html)
    for payload in (SCRIPT, IMG):
        assert payload not in html, payload
    assert "<img src=x" not in html and "onerror=alert(1)>" not in html
    # In scripts a payload appears only JSON-encoded (\u003c…), never as markup or inside a template literal.
    assert "`" not in "".join(re.findall(r"<script>(.*?)</script>", html, flags=re.S))


@pytest.mark.parametrize("url", PAGES.values(), ids=PAGES.keys())
def test_page_loads_scripts_and_styles_only_from_the_app(fixture_client, url):
    html = get_html(fixture_client, url)
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(s.startswith("/static/") for s in sources), sources
    assert not re.search(r"https?://(?!tile\.)", re.sub(r'href="https?://[^"]+"', "", html)), \
        "no absolute URL outside links"


def test_every_static_file_a_page_names_exists(fixture_client):
    for url in PAGES.values():
        for source in re.findall(r'(?:src|href)="(/static/[^"]+)"', get_html(fixture_client, url)):
            response = fixture_client.get(source)
            response.close()
            assert response.status_code == 200, source


def test_payload_text_is_shown_as_text(fixture_client):
    html = get_html(fixture_client, f"/tasks/{TASK_T3}?basemap=none")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;湖" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;园" in html
    assert TEMPLATE in html  # harmless in HTML text, and never inside a JS template literal


def test_planner_lists_filter_options_and_keeps_them_in_the_url(fixture_client):
    html = get_html(fixture_client, "/?basemap=none&section=实施城乡融合行动&leader=王五")
    assert '<form class="filters" method="get"' in html
    assert "<option selected>实施城乡融合行动</option>" in html
    assert "<option selected>王五</option>" in html
    assert 'name="keyword"' in html and 'name="township"' in html and 'name="kind"' in html


def test_planner_offers_downloads_of_what_it_shows(fixture_client):
    import datetime as dt

    html = get_html(fixture_client, "/?basemap=none&leader=王五")
    assert f'href="/download/tasks.csv?leader={quote("王五")}"' in html
    assert f"地图生成于 {dt.date.today().year}年" in html
    assert 'aria-label="甲安区任务地图"' in html


def test_filter_changes_the_summary(fixture_client):
    everything = get_html(fixture_client, "/?basemap=none")
    filtered = get_html(fixture_client, "/?basemap=none&leader=王五")
    count = lambda html: int(re.search(r"任务 <strong>([\d,]+)</strong>", html).group(1))  # noqa: E731
    assert count(filtered) < count(everything)


def test_planner_map_is_built_once_per_filters_and_basemap(fixture_state):
    from webmap.maps.cache import map_cache

    app = make_app(fixture_state)
    client = app.test_client()
    for _ in range(3):
        get_html(client, "/?basemap=none")
    with app.app_context():
        cache = map_cache()
        assert cache.builds["planner"] == 1
        get_html(client, "/?basemap=none&leader=王五")
        get_html(client, "/?basemap=osm")
        assert cache.builds["planner"] == 3


def test_basemap_none_has_no_tiles_and_gaode_is_gcj02(fixture_client):
    none = get_html(fixture_client, "/?basemap=none")
    gaode = get_html(fixture_client, "/?basemap=gaode")
    osm = get_html(fixture_client, "/")
    assert "L.tileLayer" not in none
    assert "webrd0{s}.is.autonavi.com" in gaode and "GCJ-02" in gaode
    assert "tile.openstreetmap.org" in osm
    assert "tianditu" not in osm  # offered only with a key


def test_tianditu_needs_a_key(fixture_state):
    keyed = make_app(fixture_state, GOVMAP_TIANDITU_KEY="k123").test_client()
    assert "tianditu.gov.cn" in get_html(keyed, "/?basemap=tianditu")
    assert "tk=k123" in get_html(keyed, "/?basemap=tianditu")


def test_towns_index_lists_units_with_task_counts(fixture_client):
    html = get_html(fixture_client, "/towns/")
    for name in ("北湖镇", "东桥镇", "西山街道", "北湖农场", "甲安开发区"):
        assert f">{name}</a>" in html
    assert re.search(r">北湖镇</a></td>\s*<td class=\"num\">4</td><td class=\"num\">2</td>", html)  # 2 single it out
    assert 'style="width: 100.0%"' in html  # the bar of the unit most often singled out


@pytest.mark.parametrize(("asked", "canonical"), [("c1-b", "东桥镇"), ("东桥", "东桥镇"),
                                                  ("北湖镇人民政府", "北湖镇")], ids=["id", "alias", "government"])
def test_town_aliases_and_ids_redirect_to_the_canonical_name(fixture_client, asked, canonical):
    response = fixture_client.get(f"/towns/{asked}?basemap=none")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/towns/{quote(canonical)}?basemap=none"


def test_unknown_town_task_and_place_are_404(fixture_client):
    for url in ("/towns/南天门镇", "/tasks/nope", "/places/nope", "/towns/lake-beihu"):
        assert fixture_client.get(url).status_code == 404, url


def test_town_page_lists_its_tasks_with_why(fixture_client):
    html = get_html(fixture_client, "/towns/北湖镇?basemap=none")
    assert html.count('<li class="task"') == 4
    assert 'title="责任单位：北湖镇">责任单位点名</span>' in html
    assert 'title="责任单位：各乡镇办场">各乡镇办场</span>' in html
    assert 'title="责任单位：各乡镇办">各乡镇办</span>' in html
    assert "相关乡镇办场·文中定位</span>" in html
    assert "辖区内地点</span>" in html
    assert "<h3>实施生态修复行动 <small>2 项</small></h3>" in html  # its own two, then the shared one
    assert "新增耕地" in html and "300,000,000" not in html  # 3亿元 is shown as written, never as 300,000,000 元
    assert f'href="/download/tasks.geojson?township={quote("北湖镇")}"' in html
    assert f'href="/download/tasks.xlsx?township={quote("北湖镇")}"' in html
    assert f'href="/download/tasks.csv?township={quote("北湖镇")}"' in html
    assert "window.print()" in html


def test_town_page_can_show_only_the_tasks_that_single_it_out(fixture_client):
    html = get_html(fixture_client, "/towns/北湖镇?basemap=none&only=specific")
    assert html.count('<li class="task"') == 2  # named in 责任单位 (t1) and located by the text (t2)
    assert "显示全部 4 项" in html
    assert 'href="#section-1-1"' in html and 'id="section-1-1"' in html
    assert "task-part-shared" not in html


def test_town_page_leads_with_its_own_tasks_and_shows_every_units_list(fixture_client):
    html = get_html(fixture_client, "/towns/北湖镇?basemap=none")
    own, shared = html.index("task-part-own"), html.index("task-part-shared")
    assert own < shared and "点名本镇或其辖区内地点的任务（2 项）" in html and "共同承担的任务（2 项）" in html
    first = html[own:shared]
    assert 'id="task-fixture_001.t1"' in first and 'id="task-fixture_001.t2"' in first
    assert 'id="task-fixture_001.t3"' in html[shared:]
    assert html.count('class="task-units">责任单位：') == 4 and "责任单位：北湖镇、北湖农场" in html


def test_farm_is_not_given_all_but_farm_tasks(fixture_client):
    html = get_html(fixture_client, "/towns/北湖农场?basemap=none")
    assert 'title="责任单位：各乡镇办">' not in html and 'title="责任单位：各乡镇办场">' in html
    assert html.count('<li class="task"') == 2


def test_task_page_marks_mentions_and_shows_the_triple(fixture_client):
    html = get_html(fixture_client, f"/tasks/{TASK_T1}?basemap=none")
    assert re.search(r'<mark class="place q-open-data"><a href="/places/lake-beihu\?basemap=none" '
                     r'title="北湖 · 湖泊 · 几何：开放数据">北湖</a></mark>', html)
    assert "<dt>责任领导</dt><dd>张三</dd>" in html
    assert "<dt>牵头单位</dt><dd>区自然资源和规划局</dd>" in html
    assert "<dt>责任单位</dt><dd>北湖镇、北湖农场</dd>" in html
    assert ">甲安区2025年主要目标任务责任分解方案</span>》" in html
    assert "新增耕地" in html


def test_task_page_marks_unresolved_candidates_differently(fixture_client):
    html = get_html(fixture_client, f"/tasks/{quote('fixture_001.t2')}?basemap=none")
    assert '<mark class="candidate"' in html
    assert '<mark class="place q-derived"><a href="/places/project-qingxi?basemap=none"' in html


def test_place_page_shows_quality_source_aliases_parents_and_tasks(fixture_client):
    html = get_html(fixture_client, "/places/c1-b-gaopu?basemap=none")
    assert "<h2>位置精度：只知所在行政区</h2>" in html
    assert '<li class="current"><span class="badge q q-admin-fallback">' in html
    assert "兜底：东桥镇" in html
    assert '<a href="/places/c1-b?basemap=none">东桥镇</a>' in html
    assert f'href="/tasks/{quote("fixture_001.t4")}?basemap=none"' in html
    html = get_html(fixture_client, "/places/road-g1?basemap=none")
    assert "<dt>别名</dt><dd>G1、1国道</dd>" in html and "示意线" in html


def test_place_without_geometry_still_has_a_page(fixture_state):
    from dataclasses import replace

    from gazetteer.corpus import Corpus
    from gazetteer.places.registry import Gazetteer
    from webmap.state import State

    gazetteer = Gazetteer([*(replace(p, geometry=None) if p.id == "c1-z" else p for p in fixture_state.gazetteer)],
                          home="c1", deployment=fixture_state.gazetteer.deployment)
    corpus = Corpus(gazetteer, fixture_state.corpus.analyses)
    client = make_app(State(corpus=corpus, catalogue=fixture_state.catalogue)).test_client()
    html = get_html(client, "/places/c1-z?basemap=none")
    assert "此地点尚无位置信息" in html


def test_links_keep_the_basemap_choice(fixture_client):
    html = get_html(fixture_client, "/?basemap=gaode")
    assert 'href="/towns/?basemap=gaode"' in html
    assert 'href="/ogcapi"' in html and 'href="/download/"' in html  # pages without a map get no basemap
    assert "/tasks/fixture_001.t1?basemap=gaode" in html or "/tasks/fixture_001.t1?basemap=gaode" in html
    html = get_html(fixture_client, "/towns/?basemap=osm")
    assert 'href="/towns/%E5%8C%97%E6%B9%96%E9%95%87"' in html


def test_nav_is_chinese(fixture_client):
    html = get_html(fixture_client, "/towns/")
    for label in ("地图", "乡镇", "数据下载", "OGC API"):
        assert f">{label}</a>" in html
    assert 'aria-current="page">乡镇</a>' in html


def test_print_stylesheet_hides_controls(fixture_client):
    response = fixture_client.get("/static/govmap.css")
    css = response.get_data(as_text=True)
    response.close()
    print_css = css[css.index("@media print"):]
    for selector in (".filters", ".leaflet-control-container", ".site-nav", ".no-print"):
        assert selector in print_css
    assert "break-inside: avoid" in print_css and ".map-small { height: 9cm" in print_css


def test_payload_constants_are_all_in_the_fixture(fixture_state):
    names = {p.name for p in fixture_state.gazetteer}
    assert XSS_SITE in names and XSS_LAKE in names
    assert all(any(p in t.text for t in fixture_state.corpus.tasks.values()) for p in PAYLOADS)


def test_one_badge_per_rule_names_every_place_it_goes_through(fixture_app, fixture_state):
    from gazetteer.linking.links import Rule
    from webmap.pages.towns import reasons_of

    corpus = fixture_state.corpus
    inside = [link for link in corpus.links_for_place("c1-a") if link.rule == Rule.INSIDE]
    assert len(inside) >= 2  # 北湖 (t1) and 清溪河治理工程 (t2) both lie in 北湖镇
    with fixture_app.test_request_context("/"):
        reasons = reasons_of(corpus, inside)
    assert [r.rule for r in reasons] == ["inside"]
    assert {p.id for p in reasons[0].places} == {"lake-beihu", "project-qingxi"}
    assert reasons[0].detail.count("提及") == len(inside)  # every link's detail kept, once


def test_inside_badge_links_the_places_it_names(fixture_client):
    html = get_html(fixture_client, f"/tasks/{quote('fixture_001.t2')}?basemap=none")
    badge = re.search(r'<span class="badge rule rule-inside"[^>]*>辖区内地点：(.*?)</span>', html).group(1)
    assert '<a href="/places/project-qingxi?basemap=none">清溪河治理工程</a>' in badge


def test_a_place_lists_the_tasks_naming_places_derived_from_it(fixture_client):
    html = get_html(fixture_client, "/places/river-qingxi?basemap=none")
    assert "<h2>提及此地的任务 <small>0 项</small></h2>" in html
    related = html[html.index("提及相关地点的任务"):html.index("新闻与报告中的提及")]
    assert f'href="/tasks/{quote("fixture_001.t2")}?basemap=none"' in related
    assert '<a href="/places/project-qingxi?basemap=none">清溪河治理工程</a>（位置推导自此地）' in related
    assert "<dt>据此定位</dt>" in html


def test_a_derived_place_says_where_its_position_comes_from(fixture_client):
    html = get_html(fixture_client, "/places/project-qingxi?basemap=none")
    facts = html[html.index('<dl class="facts">'):html.index("</dl>")]
    assert re.search(r'<dt>位置取自</dt><dd><a href="/places/river-qingxi\?basemap=none">清溪河</a>', facts)
    assert "<dd>线（所据地点的几何，不是本地点自身的范围）</dd>" in facts  # not the river's length as its own
    river = get_html(fixture_client, "/places/river-qingxi?basemap=none")
    assert re.search(r"<dd>线，长约 [\d.,]+ 公里</dd>", river)


def test_editor_notes_in_english_are_kept_off_the_chinese_page(fixture_client):
    html = get_html(fixture_client, "/places/lake-xss?basemap=none")
    facts = html[html.index('<dl class="facts">'):html.index("</dl>")]
    assert TEMPLATE not in facts and "说明" not in facts
    assert 'class="editor-note"' not in html and TEMPLATE not in html


def test_task_page_says_where_a_derived_position_comes_from(fixture_client):
    html = get_html(fixture_client, f"/tasks/{quote('fixture_001.t2')}?basemap=none")
    places = html[html.index('<ul class="place-list">'):]
    assert re.search(r'清溪河治理工程</a>.*?<span class="via">位置取自 <a href="/places/river-qingxi\?basemap=none">'
                     r'清溪河</a></span>', places, flags=re.S)


def test_pages_are_gzipped_for_browsers_that_accept_it(fixture_client):
    import gzip

    plain = fixture_client.get("/?basemap=none")
    packed = fixture_client.get("/?basemap=none", headers={"Accept-Encoding": "gzip, deflate"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data()) / 3
    css = fixture_client.get("/static/govmap.css", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in css.headers  # static files are served as they are
    css.close()


def test_map_scripts_carry_no_indentation_or_needless_digits(fixture_client):
    from geodata.crs import COORDINATE_DIGITS

    html = get_html(fixture_client, "/?basemap=none")
    script = html[html.rindex("<script>"):]
    assert "L.polygon(" in script
    assert not re.search(r"\n[ \t]", script)
    assert not re.search(rf"\d\.\d{{{COORDINATE_DIGITS + 1},}}\b", script)
    assert '"bubblingMouseEvents"' not in script and '"dashOffset"' not in script


def test_error_pages_are_chinese_and_keep_the_navigation(fixture_client):
    for url, status in (("/no/such/page", 404), ("/towns/南天门镇", 404)):
        response = fixture_client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == status and response.mimetype == "text/html"
        assert '<html lang="zh-CN">' in html and "<h1>找不到页面</h1>" in html
        assert ">乡镇</a>" in html and "/static/govmap.css" in html
        assert "requested URL" not in html
    assert "南天门镇" in fixture_client.get("/towns/南天门镇").get_data(as_text=True)
    assert fixture_client.get("/ogcapi/nope").mimetype == "application/json"  # the API keeps its JSON errors


def test_an_invalid_filter_is_ignored_with_a_notice(fixture_client):
    html = get_html(fixture_client, f"/?basemap=none&township=南天门镇&leader=王五&kind={quote(SCRIPT)}")
    notice = re.search(r'<p class="notice" role="alert">(.*?)</p>', html).group(1)
    assert "乡镇“南天门镇”" in notice and "地点类型“&lt;script&gt;" in notice
    assert "<option selected>王五</option>" in html  # the valid filter still applies
    assert 'name="township"' in html and "<option selected>南天门镇</option>" not in html


def test_township_page_prints_a_dated_heading(fixture_client):
    html = get_html(fixture_client, "/towns/北湖镇?basemap=none")
    assert re.search(r'<p class="print-only print-meta">govmap 甲安 · 北湖镇任务清单 · \d{4}年\d{1,2}月\d{1,2}日打印', html)


def test_a_derived_place_is_mapped_with_what_it_derives_from(fixture_client):
    html = get_html(fixture_client, "/places/project-qingxi?basemap=none")
    script = html[html.rindex("<script>"):]
    assert "gm-id-project-qingxi" in script and "gm-id-river-qingxi" in script


def test_a_schematic_point_is_called_an_estimated_position_not_a_line(fixture_state):
    from dataclasses import replace

    from gazetteer.corpus import Corpus
    from gazetteer.model import Quality
    from gazetteer.places.registry import Gazetteer
    from webmap.state import State

    gazetteer = Gazetteer([replace(p, quality=Quality.SCHEMATIC) if p.id == "c1-b" else p
                           for p in fixture_state.gazetteer], home="c1", deployment=fixture_state.gazetteer.deployment)
    client = make_app(State(corpus=Corpus(gazetteer, fixture_state.corpus.analyses),
                            catalogue=fixture_state.catalogue)).test_client()
    town = get_html(client, "/towns/东桥镇?basemap=none")
    assert "位置：示意位置——编者按一般知识估计的大致位置" in town and "示意线" not in town.split("<main")[1].split("<script")[0]
    assert "<h2>位置精度：示意位置</h2>" in get_html(client, "/places/c1-b?basemap=none")
    road = get_html(client, "/places/road-g1?basemap=none")
    assert "<h2>位置精度：示意线</h2>" in road and "示意线，不是实际走向，不量长度" in road and "长约" not in road


# -- tables: tasks, units, indicators -------------------------------------------------------------------------------
TABLE_PAGES = {
    "tasks": "/tasks/",
    "tasks-sorted-filtered": f"/tasks/?sort=-places&keyword={quote(SCRIPT)}",
    "tasks-by-unit": f"/tasks/?unit={quote('区发改局' + IMG)}",
    "units": "/units/",
    "unit-xss": f"/units/{quote('区发改局' + IMG)}",
    "unit": f"/units/{quote('区水利和湖泊局')}",
    "indicators": "/indicators/",
    "indicators-filtered": f"/indicators/?kind=growth&keyword={quote(IMG)}",
}


@pytest.mark.parametrize("url", TABLE_PAGES.values(), ids=TABLE_PAGES.keys())
def test_table_pages_are_chinese_escaped_and_script_free(fixture_client, url):
    html = get_html(fixture_client, url)
    assert '<html lang="zh-CN">' in html and re.search(r"<title>[^<]+ · govmap 甲安</title>", html)
    for payload in (SCRIPT, IMG):
        assert payload not in html, payload
    assert "<script" not in html.split("<main", 1)[1]  # sorting and charts need no JavaScript
    assert "咸安" not in html


def test_tasks_table_lists_sorts_and_filters_without_javascript(fixture_client):
    html = get_html(fixture_client, "/tasks/")
    assert html.count('<tr>\n<td class="num">') == 6  # 1 target and 5 tasks
    assert 'href="?sort=-number"' in html and 'aria-sort="ascending"' in html  # sorted by 序号: the link reverses
    assert f'href="/download/tasks.xlsx"' in html and "按牵头单位" in html and "按行动" in html
    assert f'<a href="/units/{quote("北湖镇")}">北湖镇</a>、<a href="/units/{quote("北湖农场")}">北湖农场</a>' in html
    by_places = get_html(fixture_client, "/tasks/?sort=-places")
    assert by_places.index("fixture_001.t4") < by_places.index("fixture_001.t5")
    one = get_html(fixture_client, f"/tasks/?unit={quote('区水利和湖泊局')}")
    assert one.count('<tr>\n<td class="num">') == 1 and "清溪河治理工程" in one
    assert f"/download/tasks.xlsx?unit={quote('区水利和湖泊局')}" in one
    bad = get_html(fixture_client, "/tasks/?sort=colour&township=南天门镇")
    assert "已忽略无效的条件" in bad and "排序“colour”" in bad


def test_unit_pages_group_written_forms(fixture_client):
    html = get_html(fixture_client, "/units/")
    assert "区水利和湖泊局" in html and "统称" in html and "各乡镇办场" in html
    response = fixture_client.get(f"/units/{quote('水利和湖泊局')}")
    assert response.status_code == 301 and response.headers["Location"].endswith(quote("区水利和湖泊局"))
    page = get_html(fixture_client, f"/units/{quote('区水利和湖泊局')}")
    assert "牵头（1 项）" in page and "清溪河治理工程" in page
    assert fixture_client.get("/units/火星局").status_code == 404


def test_indicators_table_keeps_growth_and_shows_values_as_written(fixture_client):
    html = get_html(fixture_client, "/indicators/")
    assert "<td>地区生产总值增长</td>" in html and "<td class=\"num\">7%</td>" in html
    assert "<td class=\"num\">3亿元</td>" in html and "300,000,000" not in html
    assert "<td class=\"num\">4000亩</td>" in html


def test_home_page_names_its_plan_and_year(fixture_client):
    html = get_html(fixture_client, "/?basemap=none")
    assert "本图显示：2025年 · 《甲安区2025年主要目标任务责任分解方案》" in html
