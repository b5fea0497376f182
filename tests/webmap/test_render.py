"""The Folium map builder and its element classes."""

from __future__ import annotations

import json
import re

import prcoords
import pytest
from shapely.geometry import GeometryCollection, LineString, MultiPolygon, Point, Polygon

from gazetteer.model import Quality
from tests.webmap.browser import IMG, SCRIPT, TEMPLATE, fixture_app, fixture_state
from webmap.maps import features
from webmap.maps import render

__all__ = ["fixture_app", "fixture_state"]

SQUARE = Polygon([(114.0, 29.0), (114.1, 29.0), (114.1, 29.1), (114.0, 29.1)])
HOLED = Polygon(SQUARE.exterior.coords, [[(114.02, 29.02), (114.05, 29.02), (114.05, 29.05)]])


def feature(geometry, quality=Quality.OPEN_DATA, layer="sites", tooltip="地点", popup=None, count=None,
            stand_in=False):
    return render.MapFeature("f1", layer, geometry, quality, tooltip, popup, count, stand_in=stand_in)


def html_of(spec: render.MapSpec) -> str:
    return render.build_map(spec).get_root().render()


def test_latlon_is_the_one_flip():
    assert render.latlon(114.3, 29.8) == [29.8, 114.3]


@pytest.mark.parametrize(("geometry", "stand_in", "paths"), [
    (Point(114, 29), False, 1),
    (LineString([(114, 29), (114.1, 29.1)]), False, 1),
    (MultiPolygon([SQUARE, Polygon([(115, 30), (115.1, 30), (115.1, 30.1)])]), False, 2),
    (HOLED, False, 1),
    (GeometryCollection([SQUARE, LineString([(114, 29), (114.1, 29.1)]), Point(114, 29)]), False, 3),
    (MultiPolygon([SQUARE, Polygon([(115, 30), (115.1, 30), (115.1, 30.1)])]), True, 1),
    (None, False, 0),
], ids=["point", "line", "multipolygon", "holes", "collection", "stand-in", "none"])
def test_path_count(geometry, stand_in, paths):
    assert render.path_count(geometry, stand_in=stand_in) == paths


def test_holes_are_drawn_as_rings_of_one_polygon():
    html = html_of(render.MapSpec([feature(HOLED)], basemap=render.NONE, legend=False))
    assert html.count("L.polygon(") == 1
    assert "[[[29.0, 114.0]" in html  # outer ring, (lat, lon)


@pytest.mark.parametrize(("quality", "stand_in", "dash", "hollow"), [
    (Quality.SCHEMATIC, False, '"dashArray": "8 6"', False),
    (Quality.DERIVED, False, '"dashArray": "3 4"', False),
    (Quality.ADMIN_FALLBACK, True, '"dashArray": "3 4"', True),
    (Quality.OPEN_DATA, False, None, False),
], ids=lambda v: str(v))
def test_quality_styles(quality, stand_in, dash, hollow):
    html = html_of(render.MapSpec([feature(LineString([(114, 29), (114.1, 29.1)]), quality, stand_in=stand_in)],
                                  basemap=render.NONE))
    assert (dash in html) if dash else ('"dashArray"' not in html)
    assert ("gm-hollow" in html) is hollow
    assert f"gm-q-{quality}" in html


def test_a_derived_line_is_drawn_where_it_comes_from_under_the_overlays():
    line = LineString([(114, 29), (114.1, 29.1)])
    html = html_of(render.MapSpec([feature(line, Quality.DERIVED)], basemap=render.NONE))
    script = html[html.index("<script>\n"):]
    assert "L.polyline(" in script and "[[29.0, 114.0], [29.1, 114.1]]" in script
    assert f'"pane": "{render.DERIVED_PANE}"' in script
    assert script.index("GovMap.setup(") < script.index("L.polyline(")  # the pane exists before the line


def test_a_stand_in_ring_is_unfilled_so_what_lies_under_it_stays_clickable():
    html = html_of(render.MapSpec([feature(SQUARE, Quality.ADMIN_FALLBACK, stand_in=True)], basemap=render.NONE))
    assert "L.circleMarker(" in html and "L.polygon(" not in html
    ring = re.search(r"L\.circleMarker\(\s*\[[^\]]*\],\s*(\{[^}]*\})", html).group(1)
    assert json.loads(ring)["fill"] is False


def test_path_options_leave_out_leaflet_defaults():
    html = html_of(render.MapSpec([feature(Point(114, 29))], basemap=render.NONE, legend=False))
    options = json.loads(re.search(r"L\.circleMarker\(\s*\[[^\]]*\],\s*(\{[^}]*\})", html).group(1))
    assert set(options).isdisjoint(k for k, v in render.LEAFLET_PATH_DEFAULTS.items() if options.get(k) == v)
    assert "bubblingMouseEvents" not in options and options["fill"] is True


def test_counted_townships_are_proportional_circles_or_a_choropleth():
    small = render.MapFeature("f1", "townships", Point(114, 29), Quality.SEAT, "小镇", None, 1, 0)
    big = render.MapFeature("f2", "townships", Point(114.2, 29), Quality.SEAT, "大镇", None, 16, 8)
    area = render.MapFeature("f3", "townships", SQUARE, Quality.SURVEYED, "面", None, 16, 8)
    html = html_of(render.MapSpec([small, big, area], basemap=render.NONE, counts=render.CountScale((1, 16)),
                                  specific=render.CountScale((1, 8))))
    assert '"radius": 8.2' in html and '"radius": 18.0' in html
    assert f'"fillColor": "{render.CountScale((1, 8)).color(8)}"' in html
    assert render.CountScale((1, 8)).color(8) != render.RAMP[0]
    assert "L.polygon(" in html


def test_no_cdn_only_vendored_assets():
    html = html_of(render.MapSpec([feature(Point(114, 29))], basemap=render.NONE, search=[
        {"id": "f1", "name": "甲", "aliases": [], "kind": "地点"}]))
    links = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert links and all(link.startswith("/static/") for link in links), links
    assert "cdn" not in html.lower() and "https://" not in html
    assert "L.tileLayer" not in html


def test_gaode_converts_every_overlay_to_gcj02():
    point = Point(114.3, 29.85)
    wgs = html_of(render.MapSpec([feature(point)], basemap=render.NONE, legend=False))
    gcj = html_of(render.MapSpec([feature(point)], basemap=render.GAODE, legend=False))
    shifted = prcoords.wgs_gcj(prcoords.Coords(29.85, 114.3))
    assert "[29.85, 114.3]" in wgs
    digits = render.COORDINATE_DIGITS
    assert f"[{round(shifted.lat, digits)}, {round(shifted.lon, digits)}]" in gcj
    assert abs(shifted.lat - 29.85) + abs(shifted.lon - 114.3) > 0.001  # GCJ-02 is a few hundred metres off
    assert "webrd0{s}.is.autonavi.com" in gcj and '"subdomains": "1234"' in gcj


def test_basemap_choice_falls_back_to_osm():
    assert render.choose_basemap("tianditu").id == "osm"
    assert render.choose_basemap("nonsense").id == "osm"
    assert render.choose_basemap("tianditu", tianditu_key="k").id == "tianditu"
    assert render.choose_basemap("none").tiles == ()
    assert render.GAODE.hosts == tuple(f"webrd0{i}.is.autonavi.com" for i in "1234")


@pytest.mark.parametrize("payload", [SCRIPT, IMG, TEMPLATE, "`); alert(1); (`", "\\u003cscript"], ids=repr)
def test_tooltips_and_popups_reach_leaflet_as_json_strings(payload):
    from markupsafe import escape

    popup = render.Markup(f"<b>{escape(payload)}</b>")
    html = html_of(render.MapSpec([feature(Point(114, 29), tooltip=payload, popup=popup)], basemap=render.NONE))
    script = html[html.index("<script>\n"):]
    bind = re.search(r"\.bindTooltip\((\"(?:[^\"\\]|\\.)*\")", script).group(1)
    assert json.loads(bind) == str(escape(payload))
    bind = re.search(r"\.bindPopup\((\"(?:[^\"\\]|\\.)*\")", script).group(1)
    assert json.loads(bind) == f"<b>{escape(payload)}</b>"
    assert "`" not in script.replace("`); alert(1); (`", "")  # no template literal anywhere
    assert "<script>alert" not in html and "<img src=x" not in html


def test_the_fixture_planner_map_escapes_document_texts(fixture_app, fixture_state):
    from layers.filters import Filters

    with fixture_app.test_request_context("/"):
        drawn, allowed = features.catalogue_features(fixture_state.corpus, fixture_state.catalogue,
                                                     Filters.from_args({}))
        html = html_of(features.planner_spec(fixture_state.corpus, drawn, basemap=render.NONE))
    assert len(allowed) == len(fixture_state.corpus.tasks)
    assert SCRIPT not in html and "<img src=x" not in html
    assert "\\u0026lt;script\\u0026gt;alert(1)" in html  # escaped for HTML, then made script-safe JSON


def test_search_entries_carry_names_and_aliases_as_json(fixture_app, fixture_state):
    place = fixture_state.gazetteer["site-xss"]
    assert features.search_entry(place) == {"id": "site-xss", "name": place.name, "aliases": [f"{TEMPLATE}园"],
                                          "kind": "地点"}


def test_legend_describes_every_quality():
    legend = render.Legend(groups=render.GROUPS, counts=render.CountScale((2, 5, 8)), specific=render.CountScale((2, 4)),
                           qualities=list(Quality))
    labels = [q["label"] for q in legend.spec["qualities"]]
    assert labels == [render.QUALITY_TEXT[q][0] for q in Quality]
    assert [c["count"] for c in legend.spec["counts"]] == [2, 5, 8]
    assert [c["label"] for c in legend.spec["specific"]] == ["≥2", "≥4"]
    shapes = {q["id"]: q["shape"] for q in legend.spec["qualities"]}
    assert shapes["derived"] == "band" and shapes["admin-fallback"] == "point" and shapes["schematic"] == "line"


def test_map_cache_is_an_lru():
    cache = render.MapCache(size=2)
    for key in ("a", "b", "a", "c", "b"):
        cache.get((key,), lambda key=key: key.upper())
    assert len(cache) == 2
    assert cache.builds == {"a": 1, "b": 2, "c": 1}


def test_map_parts_split_for_a_page():
    parts = render.map_parts(render.build_map(render.MapSpec([feature(Point(114, 29))], basemap=render.NONE)))
    assert '<div class="folium-map"' in parts.html
    assert "L.map(" in parts.script and "<script>" not in parts.script
    assert "/static/vendor/leaflet-1.9.3/leaflet.js" in parts.header


@pytest.mark.parametrize("value", [SCRIPT, IMG, TEMPLATE, "</script><!--", "a\u2028b", "'&'", {"k": ["<b>"]}],
                         ids=repr)
def test_script_json_is_safe_inside_a_script_and_round_trips(value):
    encoded = str(render.script_json(value))
    assert json.loads(encoded) == value
    for unsafe in ("<", ">", "&", "'", "\u2028"):
        assert unsafe not in encoded


def test_township_tooltip_counts_specific_tasks(fixture_app, fixture_state):
    with fixture_app.test_request_context("/"):
        township = features.place_feature(fixture_state.corpus, fixture_state.gazetteer["c1-a"])
    assert township.count == 4
    assert township.tooltip == "北湖镇（镇）：任务 4 项，其中点名或辖区内 2 项"
    assert township.label == "北湖镇"


def test_task_marks_of_places_sharing_a_stand_in_position_are_one_mark(fixture_app, fixture_state):
    import geopandas as gpd

    seat = Point(114.48, 29.92)
    frame = gpd.GeoDataFrame({"id": ["r1", "r2", "r3"],
                              "task_id": ["fixture_001.t4", "fixture_001.t3", "fixture_001.t1"],
                              "place_id": ["c1-b-gaopu", "site-xss", "lake-beihu"],
                              "place_name": ["高铺村", "某园", "北湖"], "link_type": ["mentioned"] * 3,
                              "quality": ["admin-fallback", "admin-fallback", "open-data"]},
                             geometry=[seat, seat, fixture_state.gazetteer["lake-beihu"].geometry], crs="EPSG:4326")
    with fixture_app.test_request_context("/"):
        marks = features.task_features(fixture_state.corpus, frame)
    shared = [m for m in marks if m.stand_in]
    assert len(marks) == 2 and len(shared) == 1
    assert shared[0].tooltip == "高铺村、某园 2 处：2 项任务"
