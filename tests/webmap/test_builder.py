"""The Folium map builder and its element classes."""

from __future__ import annotations

import json
import re

import prcoords
import pytest
from shapely.geometry import GeometryCollection, LineString, MultiPolygon, Point, Polygon

from markupsafe import Markup

from gazetteer.model import Quality
from geodata import crs
from tests.webmap.browser import IMG, SCRIPT, TEMPLATE, fixture_app, fixture_state
from webmap.maps import basemaps, builder, cache, elements, embed, features, styles

__all__ = ["fixture_app", "fixture_state"]

SQUARE = Polygon([(114.0, 29.0), (114.1, 29.0), (114.1, 29.1), (114.0, 29.1)])
HOLED = Polygon(SQUARE.exterior.coords, [[(114.02, 29.02), (114.05, 29.02), (114.05, 29.05)]])


def feature(geometry, quality=Quality.OPEN_DATA, layer="sites", tooltip="地点", popup=None, count=None,
            stand_in=False):
    return builder.MapFeature("f1", layer, geometry, quality, tooltip, popup, count, stand_in=stand_in)


def html_of(spec: builder.MapSpec, *, fallback_bounds: builder.Bounds | None = None) -> str:
    return builder.build_map(spec, fallback_bounds=fallback_bounds).get_root().render()


def test_latlon_is_the_one_flip():
    assert crs.latlon(114.3, 29.8) == [29.8, 114.3]


def map_centre(html: str) -> list[float]:
    return json.loads(re.search(r"center: (\[[^\]]*\])", html).group(1))


@pytest.mark.parametrize(("basemap", "expected"), [
    (basemaps.NONE, [29.05, 114.05]),
    (basemaps.GAODE, crs.latlon(*crs.wgs84_to_gcj02_lonlat(114.05, 29.05))),
], ids=["wgs84", "gcj02"])
def test_a_map_without_geometry_is_centred_on_the_bounds_its_caller_passes(basemap, expected):
    html = html_of(builder.MapSpec([feature(None)], basemap=basemap, legend=False), fallback_bounds=SQUARE.bounds)
    assert map_centre(html) == expected
    assert map_centre(html_of(builder.MapSpec([], basemap=basemaps.NONE, legend=False))) == [0.0, 0.0]


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
    assert builder.path_count(geometry, stand_in=stand_in) == paths


def test_holes_are_drawn_as_rings_of_one_polygon():
    html = html_of(builder.MapSpec([feature(HOLED)], basemap=basemaps.NONE, legend=False))
    assert html.count("L.polygon(") == 1
    assert "[[[29.0, 114.0]" in html  # outer ring, (lat, lon)


@pytest.mark.parametrize(("quality", "stand_in", "dash", "hollow"), [
    (Quality.SCHEMATIC, False, '"dashArray": "8 6"', False),
    (Quality.DERIVED, False, '"dashArray": "3 4"', False),
    (Quality.ADMIN_FALLBACK, True, '"dashArray": "3 4"', True),
    (Quality.OPEN_DATA, False, None, False),
], ids=lambda v: str(v))
def test_quality_styles(quality, stand_in, dash, hollow):
    html = html_of(builder.MapSpec([feature(LineString([(114, 29), (114.1, 29.1)]), quality, stand_in=stand_in)],
                                  basemap=basemaps.NONE))
    assert (dash in html) if dash else ('"dashArray"' not in html)
    assert ("gm-hollow" in html) is hollow
    assert f"gm-q-{quality}" in html


def test_a_derived_line_is_drawn_where_it_comes_from_under_the_overlays():
    line = LineString([(114, 29), (114.1, 29.1)])
    html = html_of(builder.MapSpec([feature(line, Quality.DERIVED)], basemap=basemaps.NONE))
    script = html[html.index("<script>\n"):]
    assert "L.polyline(" in script and "[[29.0, 114.0], [29.1, 114.1]]" in script
    assert f'"pane": "{styles.DERIVED_PANE}"' in script
    assert script.index("GovMap.setup(") < script.index("L.polyline(")  # the pane exists before the line


def test_a_stand_in_ring_is_unfilled_so_what_lies_under_it_stays_clickable():
    html = html_of(builder.MapSpec([feature(SQUARE, Quality.ADMIN_FALLBACK, stand_in=True)], basemap=basemaps.NONE))
    assert "L.circleMarker(" in html and "L.polygon(" not in html
    ring = re.search(r"L\.circleMarker\(\s*\[[^\]]*\],\s*(\{[^}]*\})", html).group(1)
    assert json.loads(ring)["fill"] is False


def test_path_options_leave_out_leaflet_defaults():
    html = html_of(builder.MapSpec([feature(Point(114, 29))], basemap=basemaps.NONE, legend=False))
    options = json.loads(re.search(r"L\.circleMarker\(\s*\[[^\]]*\],\s*(\{[^}]*\})", html).group(1))
    assert set(options).isdisjoint(k for k, v in elements.LEAFLET_PATH_DEFAULTS.items() if options.get(k) == v)
    assert "bubblingMouseEvents" not in options and options["fill"] is True


def test_counted_townships_are_proportional_circles_or_a_choropleth():
    small = builder.MapFeature("f1", "townships", Point(114, 29), Quality.SEAT, "小镇", None, 1, 0)
    big = builder.MapFeature("f2", "townships", Point(114.2, 29), Quality.SEAT, "大镇", None, 16, 8)
    area = builder.MapFeature("f3", "townships", SQUARE, Quality.SURVEYED, "面", None, 16, 8)
    html = html_of(builder.MapSpec([small, big, area], basemap=basemaps.NONE, counts=styles.CountScale((1, 8)),
                                  specific=styles.CountScale((1, 8))))
    # sizes by the tasks that single a unit out (the district-wide ones would make every circle alike)
    assert '"radius": 4.0' in html and '"radius": 15.0' in html
    assert f'"fillColor": "{styles.CountScale((1, 8)).color(8)}"' in html
    assert styles.CountScale((1, 8)).color(8) != styles.RAMP[0]
    assert "L.polygon(" in html


def test_no_cdn_only_vendored_assets():
    html = html_of(builder.MapSpec([feature(Point(114, 29))], basemap=basemaps.NONE, search=[
        {"id": "f1", "name": "甲", "aliases": [], "kind": "地点"}]))
    links = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert links and all(link.startswith("/static/") for link in links), links
    assert "cdn" not in html.lower() and "https://" not in html
    assert "L.tileLayer" not in html


def test_gaode_converts_every_overlay_to_gcj02():
    point = Point(114.3, 29.85)
    wgs = html_of(builder.MapSpec([feature(point)], basemap=basemaps.NONE, legend=False))
    gcj = html_of(builder.MapSpec([feature(point)], basemap=basemaps.GAODE, legend=False))
    shifted = prcoords.wgs_gcj(prcoords.Coords(29.85, 114.3))
    assert "[29.85, 114.3]" in wgs
    digits = crs.COORDINATE_DIGITS
    assert f"[{round(shifted.lat, digits)}, {round(shifted.lon, digits)}]" in gcj
    assert abs(shifted.lat - 29.85) + abs(shifted.lon - 114.3) > 0.001  # GCJ-02 is a few hundred metres off
    assert "webrd0{s}.is.autonavi.com" in gcj and '"subdomains": "1234"' in gcj


def test_basemap_choice_falls_back_to_osm():
    assert basemaps.choose_basemap("tianditu").id == "osm"
    assert basemaps.choose_basemap("nonsense").id == "osm"
    assert basemaps.choose_basemap("tianditu", tianditu_key="k").id == "tianditu"
    assert basemaps.choose_basemap("none").tiles == ()
    assert basemaps.GAODE.hosts == tuple(f"webrd0{i}.is.autonavi.com" for i in "1234")


@pytest.mark.parametrize("payload", [SCRIPT, IMG, TEMPLATE, "`); alert(1); (`", "\\u003cscript"], ids=repr)
def test_tooltips_and_popups_reach_leaflet_as_json_strings(payload):
    from markupsafe import escape

    popup = Markup(f"<b>{escape(payload)}</b>")
    html = html_of(builder.MapSpec([feature(Point(114, 29), tooltip=payload, popup=popup)], basemap=basemaps.NONE))
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
        html = html_of(features.planner_spec(fixture_state.corpus, drawn, basemap=basemaps.NONE))
    assert len(allowed) == len(fixture_state.corpus.tasks)
    assert SCRIPT not in html and "<img src=x" not in html
    assert "\\u0026lt;script\\u0026gt;alert(1)" in html  # escaped for HTML, then made script-safe JSON


def test_search_entries_carry_names_and_aliases_as_json(fixture_app, fixture_state):
    place = fixture_state.gazetteer["site-xss"]
    assert features.search_entry(place) == {"id": "site-xss", "name": place.name, "aliases": [f"{TEMPLATE}园"],
                                          "kind": "地点"}


def test_legend_describes_every_quality():
    legend = styles.Legend(groups=styles.GROUPS, counts=styles.CountScale((2, 5, 8)), specific=styles.CountScale((2, 4)),
                           qualities=list(Quality))
    labels = [q["label"] for q in legend.spec["qualities"]]
    assert labels == [styles.QUALITY_TEXT[q][0] for q in Quality]
    assert [c["count"] for c in legend.spec["counts"]] == [2, 5, 8]
    assert [c["label"] for c in legend.spec["specific"]] == ["≥2", "≥4"]
    shapes = {q["id"]: q["shape"] for q in legend.spec["qualities"]}
    assert shapes["derived"] == "band" and shapes["admin-fallback"] == "list" and shapes["schematic"] == "line"
    styles_of = {(q["shape"], q["dash"], q["weight"], q["opacity"]) for q in legend.spec["qualities"]}
    assert len(styles_of) == len(legend.spec["qualities"])  # no two levels drawn alike


def test_map_cache_is_an_lru():
    lru = cache.MapCache(size=2)
    for key in ("a", "b", "a", "c", "b"):
        lru.get((key,), lambda key=key: key.upper())
    assert len(lru) == 2
    assert lru.builds == {"a": 1, "b": 2, "c": 1}


def test_map_parts_split_for_a_page():
    spec = builder.MapSpec([feature(Point(114, 29))], basemap=basemaps.NONE)
    parts = embed.map_parts(builder.build_map(spec, fallback_bounds=None))
    assert '<div class="folium-map"' in parts.html
    assert "L.map(" in parts.script and "<script>" not in parts.script
    assert "/static/vendor/leaflet-1.9.3/leaflet.js" in parts.header


@pytest.mark.parametrize("value", [SCRIPT, IMG, TEMPLATE, "</script><!--", "a\u2028b", "'&'", {"k": ["<b>"]}],
                         ids=repr)
def test_script_json_is_safe_inside_a_script_and_round_trips(value):
    encoded = str(embed.script_json(value))
    assert json.loads(encoded) == value
    for unsafe in ("<", ">", "&", "'", "\u2028"):
        assert unsafe not in encoded


def test_township_tooltip_counts_specific_tasks(fixture_app, fixture_state):
    with fixture_app.test_request_context("/"):
        township = features.place_feature(fixture_state.corpus, fixture_state.gazetteer["c1-a"])
    assert township.count == 4
    assert township.tooltip == "北湖镇（镇）：任务 4 项，其中点名或辖区内 2 项"
    assert township.label == "北湖镇"


def test_places_known_only_by_their_unit_get_no_task_mark(fixture_app, fixture_state):
    import geopandas as gpd

    seat = Point(114.48, 29.92)
    frame = gpd.GeoDataFrame({"id": ["r1", "r2"], "task_id": ["fixture_001.t4", "fixture_001.t1"],
                              "place_id": ["c1-b-gaopu", "lake-beihu"], "place_name": ["高铺村", "北湖"],
                              "link_type": ["mentioned"] * 2, "quality": ["admin-fallback", "open-data"],
                              "position_unit_id": ["c1-b", ""], "doc_id": ["fixture_001"] * 2,
                              "start": [0, 0], "end": [0, 0]},
                             geometry=[seat, seat], crs="EPSG:4326")
    lake = fixture_state.gazetteer["lake-beihu"].geometry
    with fixture_app.test_request_context("/"):
        marks = features.task_features(fixture_state.corpus, frame, shape=lambda *_: lake)
    assert len(marks) == 1 and marks[0].geometry.equals(lake) and marks[0].tooltip == "北湖：1 项任务"
