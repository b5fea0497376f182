"""The planner map's 任务 marks in the colours of the supervision lights (issue 14): the colour of a mark, its tooltip
and popup, the ``?light=`` filter, and that the cached map follows the lights at the next request."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point

from gazetteer.model import Quality
from gazetteer.supervision.lights import Light, Verdict
from tests.webmap.browser import SCRIPT, fixture_app, fixture_state
from tests.webmap.supervised import open_quarter, report_task, supervised_app
from webmap.maps import builder, features, styles
from webmap.pages import planner

__all__ = ["fixture_app", "fixture_state"]

T1, T2, T4 = "fixture_001.t1", "fixture_001.t2", "fixture_001.t4"
RED = Verdict(Light.RED, "报告无法完成")
YELLOW = Verdict(Light.YELLOW, "本季度尚未报送")
GREEN = Verdict(Light.GREEN, "已完成")


def links_frame(rows: list[tuple[str, str, str]]) -> gpd.GeoDataFrame:
    """A ``task_places`` frame of (task id, place id, place name) rows, all naming links of open data."""
    return gpd.GeoDataFrame({"id": [f"r{i}" for i in range(len(rows))], "task_id": [r[0] for r in rows],
                             "place_id": [r[1] for r in rows], "place_name": [r[2] for r in rows],
                             "link_type": ["mentioned"] * len(rows), "quality": ["open-data"] * len(rows),
                             "position_unit_id": [""] * len(rows), "doc_id": ["fixture_001"] * len(rows),
                             "start": [0] * len(rows), "end": [0] * len(rows)},
                            geometry=[Point(114.2, 29.9)] * len(rows), crs="EPSG:4326")


def marks_of(app, state, frame, lights):
    with app.test_request_context("/"):
        return features.task_features(state.corpus, frame, shape=lambda *_: Point(114.2, 29.9), lights=lights)


# -- colouring ----------------------------------------------------------------------------------------------------
def test_a_mark_takes_the_worst_light_of_its_tasks_and_says_why(fixture_app, fixture_state):
    frame = links_frame([(T1, "lake-beihu", "北湖"), (T4, "lake-beihu", "北湖"), (T2, "road-g1", "G1国道")])
    lake, road = marks_of(fixture_app, fixture_state, frame, {T1: GREEN, T4: RED, T2: YELLOW})
    assert (lake.light, road.light) == (Light.RED, Light.YELLOW)
    assert lake.tooltip == "北湖：2 项任务 · 红灯（第4项：报告无法完成）"  # which of its tasks is red
    assert road.tooltip == "G1国道：1 项任务 · 黄灯（本季度尚未报送）"
    popup = str(lake.popup)
    assert popup.index("第4项") < popup.index("第1项")  # the worst first
    assert re.search(r'<a href="/tasks/fixture_001\.t4">第4项</a>.*?督办：<span class="light light-red">红</span> '
                     r'报告无法完成', popup, re.S)
    assert re.search(r'<a href="/tasks/fixture_001\.t1">第1项</a>.*?<span class="light light-green">绿</span> 已完成',
                     popup, re.S)


def test_tasks_without_an_assignment_are_unsupervised_and_grey(fixture_app, fixture_state):
    (mark,) = marks_of(fixture_app, fixture_state, links_frame([(T1, "lake-beihu", "北湖")]), {T4: RED})
    assert mark.light is None and mark.tooltip == "北湖：1 项任务 · 未督办（未列入本季度督办）"
    assert '<span class="light light-none">未督办</span>' in str(mark.popup)
    (plain,) = marks_of(fixture_app, fixture_state, links_frame([(T1, "lake-beihu", "北湖")]), None)
    assert plain.light is None and plain.tooltip == "北湖：1 项任务" and "督办" not in str(plain.popup)


def test_a_light_is_the_colour_and_the_quality_keeps_its_dash():
    line = LineString([(114.1, 29.8), (114.3, 29.9)])
    marks = [builder.MapFeature("tasks~a~0", "tasks", line, Quality.SCHEMATIC, "甲", light=Light.RED),
             builder.MapFeature("tasks~b~1", "tasks", line, Quality.OPEN_DATA, "乙", light=Light.GREEN),
             builder.MapFeature("tasks~c~2", "tasks", Point(114.2, 29.9), Quality.SEAT, "丙"),
             builder.MapFeature("tasks~d~3", "tasks", Point(114.2, 29.9), Quality.SCHEMATIC, "丁", light=Light.YELLOW)]
    fmap = builder.build_map(builder.MapSpec(marks, lights="2025年第四季度"), fallback_bounds=None)
    paths = {p.options["className"].split()[-2]: p.options for group in fmap._children.values()
             for p in getattr(group, "_children", {}).values() if "gm-tasks" in p.options.get("className", "")}
    assert paths["gm-light-red"]["color"] == "#c62828" and paths["gm-light-red"]["dashArray"] == "8 6"
    assert paths["gm-light-green"]["color"] == "#2e7d32" and "dashArray" not in paths["gm-light-green"]
    assert paths["gm-light-none"]["color"] == styles.light_color(None) != styles.LIGHT_COLOR[Light.RED]
    # a dot of a measured position is filled solid, a 示意位置 dashed and faint: the light stays the colour
    assert paths["gm-light-none"]["fillOpacity"] > 0.5 > paths["gm-light-yellow"]["fillOpacity"]
    assert paths["gm-light-yellow"]["color"] == "#e0a800" and paths["gm-light-yellow"]["dashArray"] == "8 6"
    assert {p["pane"] for p in paths.values()} == {styles.TASKS_PANE}


def test_the_lights_match_the_badges_of_the_pages():
    css = Path(styles.__file__).parents[1].joinpath("static", "govmap.css").read_text(encoding="utf-8")
    for light, color in styles.LIGHT_COLOR.items():
        assert re.search(rf"\.light-{light} \{{ background: {color};", css), light


def test_the_legend_explains_the_lights_beside_the_qualities():
    legend = styles.Legend(groups=styles.GROUPS, counts=styles.CountScale(), specific=styles.CountScale(),
                           qualities=list(styles.QUALITY_TEXT), lights="2025年第四季度")
    assert legend.spec["lightsTitle"] == "2025年第四季度督办灯（任务标记的颜色）"
    assert [(e["label"], e["color"]) for e in legend.spec["lights"]] == [
        ("红", "#c62828"), ("黄", "#e0a800"), ("绿", "#2e7d32"), ("未督办", styles.light_color(None))]
    assert len(legend.spec["qualities"]) == len(styles.QUALITY_TEXT)  # the quality ladder stays
    unsupervised = styles.Legend(groups=styles.GROUPS, counts=styles.CountScale(), specific=styles.CountScale(),
                                 qualities=[])
    assert unsupervised.spec["lights"] == []


def test_township_seats_are_drawn_above_the_roads():
    seat = builder.MapFeature("c1-b", "townships", Point(114.48, 29.92), Quality.SEAT, "东桥镇", count=3, specific=1)
    road = builder.MapFeature("road-g1", "roads", LineString([(114.3, 29.8), (114.48, 29.92)]), Quality.SCHEMATIC,
                              "G1国道")
    html = builder.build_map(builder.MapSpec([seat, road]), fallback_bounds=None).get_root().render()
    marker = re.search(r'L\.circleMarker\([^;]*?"className": "[^"]*gm-townships[^;]*', html).group(0)
    line = re.search(r'L\.polyline\([^;]*?"className": "[^"]*gm-roads[^;]*', html).group(0)
    assert f'"pane": "{styles.UNITS_PANE}"' in marker and '"pane"' not in line  # the road stays in the overlay pane
    assert f'"unitsPane": "{styles.UNITS_PANE}"' in html and f'"tasksPane": "{styles.TASKS_PANE}"' in html


# -- the filter ---------------------------------------------------------------------------------------------------
def test_the_light_choice_takes_the_values_of_the_task_table():
    assert planner.light_choice("green", supervised=True) == (Light.GREEN, [])
    assert planner.light_choice(" ", supervised=True) == (None, [])
    assert planner.light_choice(SCRIPT, supervised=True) == (None, [f"督办灯“{SCRIPT}”"])
    assert planner.light_choice("red", supervised=False) == (None, ["督办灯“red”（尚未开始督办）"])


def test_map_lights_narrow_to_the_tasks_of_one_light():
    lights = planner.MapLights(None, {T1: GREEN, T2: RED, T4: RED}, Light.RED)
    assert lights.only() == {T2, T4}
    assert planner.MapLights(None, {T1: GREEN}).only() is None


def test_narrowing_to_tasks_keeps_their_places_and_links_only(fixture_app, fixture_state):
    with fixture_app.test_request_context("/"):
        drawn, allowed = features.catalogue_features(fixture_state.corpus, fixture_state.catalogue, None,
                                                     only={T1}, lights={T1: GREEN})
        everything, _ = features.catalogue_features(fixture_state.corpus, fixture_state.catalogue, None)
    assert allowed == {T1}
    marks = [f for f in drawn if f.layer == "tasks"]
    assert [m.id.split("~")[1] for m in marks] == ["lake-beihu"] and marks[0].light == Light.GREEN
    assert {f.id for f in drawn if f.layer == "admin"} == {f.id for f in everything if f.layer == "admin"}
    places = {f.id for f in drawn if f.layer not in ("admin", "tasks")}
    assert "lake-beihu" in places and "road-g1" not in places  # 北湖 is task 1's; G1 task 4's
    assert "c1-a" in places and "c1-z" not in places  # 北湖镇 is responsible for task 1, 甲安开发区 is not


# -- the page ----------------------------------------------------------------------------------------------------
@pytest.fixture()
def supervised(tmp_path):
    return supervised_app(tmp_path)


def mark_lights(html: str) -> dict[str, str]:
    """Place id of each 任务 mark → the light class it is drawn with."""
    return {m.group(1): m.group(2) for m in re.finditer(r'"className": "[^"]*gm-id-tasks_([\w-]+?)_\d+ gm-light-(\w+)',
                                                        html)}


def test_an_unsupervised_map_keeps_its_grey_hidden_task_layer(supervised):
    html = supervised.test_client().get("/?basemap=none").get_data(as_text=True)
    assert set(mark_lights(html).values()) == {"none"}
    assert 'name="light"' not in html and "督办：" not in html  # no light filter without a supervised quarter
    assert '"lights": []' in html
    assert "已忽略无效的筛选条件：督办灯“red”（尚未开始督办）" in \
        supervised.test_client().get("/?basemap=none&light=red").get_data(as_text=True)


def test_the_map_follows_a_report_approved_at_the_next_request(supervised):
    client = supervised.test_client()
    open_quarter(supervised)
    report_task(supervised, T4, reporter="dq", status="无法完成", progress=10)
    first = client.get("/?basemap=none").get_data(as_text=True)
    assert mark_lights(first) == {"lake-beihu": "yellow", "project-qingxi": "yellow", "site-xss": "yellow",
                                  "lake-xss": "yellow", "road-g1": "red", "c1-b": "red"}
    assert '<select name="light">' in first and "2025年第四季度督办灯（任务标记的颜色）" in first
    assert client.get("/?basemap=none").get_data(as_text=True) == first  # nothing changed: served from the cache
    builds = supervised.extensions["govmap.maps"].builds["planner"]

    report_task(supervised, T1, reporter="bh", status="已完成", progress=100)
    second = client.get("/?basemap=none").get_data(as_text=True)
    assert mark_lights(second) == {**mark_lights(first), "lake-beihu": "green"}
    assert "北湖：1 项任务 · 绿灯（已完成）" in second
    assert supervised.extensions["govmap.maps"].builds["planner"] == builds + 1


def test_the_light_filter_narrows_the_map_and_its_counts(supervised):
    client = supervised.test_client()
    open_quarter(supervised)
    report_task(supervised, T4, reporter="dq", status="无法完成", progress=10)
    report_task(supervised, T1, reporter="bh", status="已完成", progress=100)
    red = client.get("/?basemap=none&light=red").get_data(as_text=True)
    assert mark_lights(red) == {"road-g1": "red", "c1-b": "red"}
    assert re.search(r'任务 <strong>1</strong> 项', red) and '<option value="red" selected>' in red
    assert 'href="/tasks/?basemap=none&amp;light=red"' in red  # the table of the same tasks
    green = client.get("/?basemap=none&light=green&township=北湖镇").get_data(as_text=True)
    assert mark_lights(green) == {"lake-beihu": "green"}
    assert re.search(r'任务 <strong>1</strong> 项', green)
    none = client.get("/?basemap=none&light=green&township=东桥镇").get_data(as_text=True)
    assert mark_lights(none) == {} and re.search(r'任务 <strong>0</strong> 项', none)
    everything = client.get("/?basemap=none").get_data(as_text=True)
    assert re.search(r'<span class="light light-red">红</span></a> 1 .*?<span class="light light-yellow">黄</span></a> 4 '
                     r'.*?<span class="light light-green">绿</span></a> 1', everything)


# -- downloads ----------------------------------------------------------------------------------------------------
def test_task_downloads_carry_the_lights_of_the_moment_and_take_the_light_filter(supervised):
    import io
    import json

    client = supervised.test_client()
    plain = json.loads(client.get("/download/tasks.geojson").get_data(as_text=True))
    assert "light" not in plain["features"][0]["properties"]  # nothing supervised: no light columns
    open_quarter(supervised)
    report_task(supervised, T4, reporter="dq", status="无法完成", progress=10)
    lit = {f["id"]: f["properties"] for f in json.loads(client.get("/download/tasks.geojson").get_data(as_text=True))
           ["features"]}
    assert lit[T4]["light"] == "red" and lit[T4]["light_reason"] == "报告无法完成"
    assert lit[T1]["light"] == "yellow" and lit[T1]["light_quarter"] == "2025年第四季度"
    report_task(supervised, T1, reporter="bh", status="已完成", progress=100)  # the next download sees it
    green = client.get("/download/tasks.csv?light=green")
    assert green.headers["X-Feature-Count"] == "1"
    table = green.get_data().decode("utf-8-sig").splitlines()
    assert "督办灯" in table[0] and "灯色理由" in table[0] and len(table) == 2
    assert T1 in table[1] and ",绿,已完成,2025年第四季度," in table[1]
    links = client.get("/download/task_places.csv?light=red")
    assert {row.split(",")[1] for row in links.get_data().decode("utf-8-sig").splitlines()[1:]} == {T4}
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(client.get("/download/tasks.xlsx?light=red").get_data()))
    notes = [tuple(c.value for c in row) for row in book.worksheets[-1].iter_rows()]
    assert ("督办灯", "红（2025年第四季度）") in notes
    wrong = client.get(f"/download/tasks.csv?light={SCRIPT}")
    assert wrong.status_code == 400 and "督办灯" in wrong.get_json()["description"]
    page = client.get("/?basemap=none&light=red").get_data(as_text=True)
    assert '<a href="/download/tasks.csv?light=red" download>CSV</a>' in page
