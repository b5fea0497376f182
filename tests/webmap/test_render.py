"""The Folium map builder and its element classes."""

from __future__ import annotations

import json
import re

import prcoords
import pytest
from shapely.geometry import GeometryCollection, LineString, MultiPolygon, Point, Polygon

from gazetteer.model import Quality
from tests.webmap.browser import IMG, SCRIPT, TEMPLATE, fixture_app, fixture_state
from webmap import render

__all__ = ["fixture_app", "fixture_state"]

SQUARE = Polygon([(114.0, 29.0), (114.1, 29.0), (114.1, 29.1), (114.0, 29.1)])
HOLED = Polygon(SQUARE.exterior.coords, [[(114.02, 29.02), (114.05, 29.02), (114.05, 29.05)]])


def feature(geometry, quality=Quality.OPEN_DATA, layer="sites", tooltip="地点", popup=None, count=None):
    return render.MapFeature("f1", layer, geometry, quality, tooltip, popup, count)


def html_of(spec: render.MapSpec) -> str:
    return render.build_map(spec).get_root().render()


def test_latlon_is_the_one_flip():
    assert render.latlon(114.3, 29.8) == [29.8, 114.3]


@pytest.mark.parametrize(("geometry", "quality", "paths"), [
    (Point(114, 29), "seat", 1),
    (LineString([(114, 29), (114.1, 29.1)]), "schematic", 1),
    (MultiPolygon([SQUARE, Polygon([(115, 30), (115.1, 30), (115.1, 30.1)])]), "surveyed", 2),
    (HOLED, "open-data", 1),
    (GeometryCollection([SQUARE, LineString([(114, 29), (114.1, 29.1)]), Point(114, 29)]), "open-data", 3),
    (SQUARE, "admin-fallback", 1),
    (LineString([(114, 29), (114.1, 29.1)]), "derived", 1),
    (None, "missing", 0),
], ids=["point", "line", "multipolygon", "holes", "collection", "fallback", "derived", "none"])
def test_path_count(geometry, quality, paths):
    assert render.path_count(geometry, quality) == paths


def test_holes_are_drawn_as_rings_of_one_polygon():
    html = html_of(render.MapSpec([feature(HOLED)], basemap=render.NONE, legend=False))
    assert html.count("L.polygon(") == 1
    assert "[[[29.0, 114.0]" in html  # outer ring, (lat, lon)


@pytest.mark.parametrize(("quality", "dash", "hollow"), [
    (Quality.SCHEMATIC, '"dashArray": "8 6"', False),
    (Quality.DERIVED, '"dashArray": "3 4"', True),
    (Quality.ADMIN_FALLBACK, '"dashArray": "3 4"', True),
    (Quality.OPEN_DATA, '"dashArray": null', False),
], ids=lambda v: str(v))
def test_quality_styles(quality, dash, hollow):
    html = html_of(render.MapSpec([feature(LineString([(114, 29), (114.1, 29.1)]), quality)], basemap=render.NONE))
    assert dash in html
    assert ("gm-hollow" in html) is hollow
    assert f"gm-q-{quality}" in html


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
    assert f"[{round(shifted.lat, 6)}, {round(shifted.lon, 6)}]" in gcj
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
        features, allowed = render.catalogue_features(fixture_state.corpus, fixture_state.catalogue,
                                                      Filters.from_args({}))
        html = html_of(render.planner_spec(fixture_state.corpus, features, basemap=render.NONE))
    assert len(allowed) == len(fixture_state.corpus.tasks)
    assert SCRIPT not in html and "<img src=x" not in html
    assert "\\u0026lt;script\\u0026gt;alert(1)" in html  # escaped for HTML, then made script-safe JSON


def test_search_entries_carry_names_and_aliases_as_json(fixture_app, fixture_state):
    place = fixture_state.gazetteer["site-xss"]
    assert render.search_entry(place) == {"id": "site-xss", "name": place.name, "aliases": [f"{TEMPLATE}园"],
                                          "kind": "地点"}


def test_legend_describes_every_quality():
    legend = render.Legend(groups=render.GROUPS, counts=render.CountScale((2, 5, 8)), specific=render.CountScale((2, 4)),
                           qualities=list(Quality))
    labels = [q["label"] for q in legend.spec["qualities"]]
    assert labels == [render.QUALITY_TEXT[q][0] for q in Quality]
    assert [c["count"] for c in legend.spec["counts"]] == [2, 5, 8]
    assert [c["label"] for c in legend.spec["specific"]] == ["≥2", "≥4"]
    hollow = {q["id"] for q in legend.spec["qualities"] if q["hollow"]}
    assert {"derived", "admin-fallback"} <= hollow


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
        feature = render.place_feature(fixture_state.corpus, fixture_state.gazetteer["c1-a"])
    assert feature.count == 4
    assert feature.tooltip == "北湖镇（镇）：任务 4 项，其中点名或辖区内 2 项"
