"""The map builder: :func:`build_map` turns a :class:`MapSpec` (features to draw, the basemap, groups, legend)
into a Folium map. Three rules hold everywhere here:

* geometry stays WGS84 (lon, lat) until :func:`geodata.crs.latlon` flips it for Folium — the only place that does;
* when the basemap is GCJ-02 (高德), every overlay is converted before drawing, so it sits on Gaode's streets;
* every text taken from a document or an import reaches the map escaped: popups and tooltips are rendered by
  autoescaping Jinja templates and handed to Leaflet as JSON strings (never through a JavaScript template literal,
  where Folium's own ``Popup`` would let ``${…}`` run). Folium's ``GeoJsonTooltip``/``GeoJsonPopup`` write
  property values into ``innerHTML`` unescaped, so they are not used.

All JavaScript and CSS come from ``/static`` (see :mod:`webmap.assets`); with ``basemap="none"`` a map page
requests nothing outside the app.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import shapely
from markupsafe import Markup
from shapely.geometry.base import BaseGeometry

from gazetteer.model import Quality
from gazetteer.supervision.lights import Light
from geodata.crs import for_display, latlon, wgs84_to_gcj02
from webmap.maps.basemaps import OSM, Basemap
from webmap.maps.elements import (ApproximatePlaces, GovmapScript, Labels, LeanCircleMarker, LeanPolygon, LeanPolyLine, MapSetup,
                                  PlaceSearch, SafePopup, SafeTooltip, VendoredFullscreen, VendoredMap)
from webmap.maps.styles import (DERIVED_PANE, GROUPS, QUALITY_STYLE, RING_RADIUS, TASKS_PANE, UNITS_PANE, CountScale,
                                Group, Legend, PathStyle, light_color)


@dataclass(frozen=True, slots=True)
class MapFeature:
    """One thing to draw: a catalogue row (or a gazetteer place) with the texts for its popup and tooltip."""

    id: str
    layer: str
    geometry: BaseGeometry
    quality: Quality
    tooltip: str
    popup: Markup | None = None
    #: A township's tasks (circle size) and those that single it out (colour), else ``None``.
    count: int | None = None
    specific: int | None = None
    #: The geometry only stands in for a position (admin-fallback, or derived from such a place): drawn as a
    #: dashed ring at a representative point, never as an outline it does not have.
    stand_in: bool = False
    #: The ids of the places a stacked mark stands for (they share one position); empty for a single place.
    members: tuple[str, ...] = ()
    #: A name kept on the map next to the feature (townships), or empty.
    label: str = ""
    #: A 任务 mark's supervision light (the worst of its tasks'), ``None`` when they are not supervised.
    light: Light | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids of the places the feature draws."""
        return self.members or (self.id,)


@dataclass(frozen=True, slots=True)
class UnitList:
    """The places known only to lie in one admin unit, listed instead of drawn: the unit, how many, and the list
    (escaped HTML from a template)."""

    unit_id: str
    unit_name: str
    count: int
    html: Markup
    #: Whether the unit is the deployment or lies in it (the others are listed after it).
    inside: bool = True


@dataclass
class MapSpec:
    """Everything :func:`build_map` needs; the views fill it from the corpus and the catalogue."""

    features: Sequence[MapFeature]
    basemap: Basemap = OSM
    groups: Sequence[Group] = GROUPS
    search: Sequence[Mapping[str, Any]] = ()
    legend: bool = True
    #: Whether the legend starts unfolded (the planner map) or folded (small maps).
    legend_open: bool = True
    #: Circle sizes and colours by the tasks that single a township out (name it or a place inside it): the
    #: tasks given to every unit alike would make all circles the same size.
    counts: CountScale = CountScale()
    specific: CountScale = CountScale()
    fit: BaseGeometry | None = None
    height: str = "100%"
    #: Places known only by their admin unit, one list per unit (a control opens each).
    approximate: Sequence[UnitList] = ()
    #: What the units outside the deployment are headed with ("咸安区以外").
    outside: str = "其他地区"
    #: The quarter whose lights colour the 任务 marks ("2025年第四季度"), for the legend; ``None``: none supervised.
    lights: str | None = None


Bounds = tuple[float, float, float, float]


def build_map(spec: MapSpec, *, fallback_bounds: Bounds | None) -> VendoredMap:
    """A Folium map of ``spec.features`` in FeatureGroups with a layer control, legend, search, scale and
    fullscreen button. Nothing but the basemap's tiles is requested from outside the app.

    The map opens on ``spec.fit``, else on what it draws; a map with nothing to draw is centred on
    ``fallback_bounds`` (WGS84 minx, miny, maxx, maxy: the deployment's extent), or shows the world without them.
    """
    drawable = [f for f in spec.features if f.geometry is not None and not f.geometry.is_empty]
    fit = spec.fit if spec.fit is not None and not spec.fit.is_empty else (
        shapely.union_all([drawn_extent(f) for f in drawable]) if drawable else None)
    if fit is not None and spec.basemap.gcj02:
        fit = wgs84_to_gcj02(fit)
    fmap = VendoredMap(location=_centre(fit, fallback_bounds, gcj02=spec.basemap.gcj02), zoom_start=10, tiles=None,
                       control_scale=False, width="100%", height=spec.height, zoom_snap=0.25, zoom_delta=0.5)
    fmap.add_child(GovmapScript())
    corners = [latlon(fit.bounds[0], fit.bounds[1]), latlon(fit.bounds[2], fit.bounds[3])] if fit is not None else None
    fmap.add_child(MapSetup(fit=corners))
    _add_basemap(fmap, spec.basemap)
    groups = {g.layer: folium.FeatureGroup(name=g.label, show=g.show) for g in spec.groups}
    colors = {g.layer: g.color for g in spec.groups}
    searchable: list[tuple[str, Any]] = []
    labels: dict[str, list[tuple[float, float, float, str]]] = {}
    for feature in drawable:
        group = groups.get(feature.layer)
        if group is None:
            continue
        geometry = for_display(wgs84_to_gcj02(feature.geometry) if spec.basemap.gcj02 else feature.geometry)
        layers = _draw(feature, geometry, colors[feature.layer], spec)
        for layer in layers:
            group.add_child(layer)
        if layers and feature.layer != "tasks":
            searchable += [(place_id, layers[0]) for place_id in feature.ids]
        if layers and feature.label:
            point = geometry.representative_point()
            offset = spec.counts.radius(feature.specific or 0) if feature.count is not None else 6
            labels.setdefault(feature.layer, []).append((-(feature.specific or 0), *latlon(point.x, point.y), offset,
                                                         feature.label))
    for layer, group in groups.items():
        if layer in labels:  # the units most singled out first: they keep their labels where space is short
            group.add_child(Labels([entry[1:] for entry in sorted(labels[layer], key=lambda e: e[0])]))
        fmap.add_child(group)
    folium.LayerControl(collapsed=True, position="topright").add_to(fmap)
    VendoredFullscreen(position="topleft", title="全屏", title_cancel="退出全屏").add_to(fmap)
    if spec.search:
        known = {key for key, _ in searchable}
        fmap.add_child(PlaceSearch([e for e in spec.search if e["id"] in known], searchable))
    if spec.approximate:
        fmap.add_child(ApproximatePlaces(spec.approximate, outside=spec.outside, unfolded=not spec.legend_open))
    if spec.legend:
        qualities = [q for q in Quality if q != Quality.MISSING and (q != Quality.ADMIN_FALLBACK or spec.approximate)]
        fmap.add_child(Legend(groups=spec.groups, counts=spec.counts, specific=spec.specific, qualities=qualities,
                              lights=spec.lights, unfolded=spec.legend_open))
    if fit is not None:
        minx, miny, maxx, maxy = fit.bounds
        fmap.fit_bounds([latlon(minx, miny), latlon(maxx, maxy)], max_zoom=14, padding=(28, 28))
    return fmap


def _centre(fit: BaseGeometry | None, fallback_bounds: Bounds | None, *, gcj02: bool) -> list[float] | None:
    """Folium's ``[lat, lon]`` a map opens at: the centroid of ``fit`` (already in the basemap's datum), else the
    centre of ``fallback_bounds``; ``None`` (Folium's whole world) without either."""
    if fit is not None:
        centre = fit.centroid
    elif fallback_bounds is not None:
        centre = shapely.box(*fallback_bounds).centroid
        centre = wgs84_to_gcj02(centre) if gcj02 else centre
    else:
        return None
    return latlon(centre.x, centre.y)


def drawn_extent(feature: MapFeature) -> BaseGeometry:
    """What of a feature the map shows: its envelope, or its representative point for a stand-in position
    (a place known only to lie in the county must not pull the view out to the whole county)."""
    if feature.stand_in and feature.layer != "tasks":
        return feature.geometry.representative_point()
    return shapely.envelope(feature.geometry)


def _add_basemap(fmap: folium.Map, basemap: Basemap) -> None:
    for i, url in enumerate(basemap.tiles):
        options = {"subdomains": basemap.subdomains} if basemap.subdomains else {}
        folium.TileLayer(url, attr=basemap.attribution if i == 0 else " ", name=basemap.label,
                         max_zoom=basemap.max_zoom, control=False, overlay=i > 0, **options).add_to(fmap)


def css_id(feature_id: str) -> str:
    """A CSS class naming one feature, so tests and styles can find its paths.

    >>> css_id("fixture_001.t3")
    'gm-id-fixture_001_t3'
    """
    return "gm-id-" + re.sub(r"[^A-Za-z0-9_-]", "_", feature_id)


def _draw(feature: MapFeature, geometry: BaseGeometry, color: str, spec: MapSpec) -> list[Any]:
    """The Leaflet layers of one feature (see :func:`path_count`)."""
    style = QUALITY_STYLE[feature.quality]
    classes = " ".join(["gm-f", f"gm-{feature.layer}", f"gm-q-{feature.quality}", *map(css_id, feature.ids)])
    if feature.members:
        classes += " gm-stack"
    if feature.layer == "tasks":
        layers = [_task_mark(geometry, light_color(feature.light), style,
                             f"{classes} gm-light-{feature.light or 'none'}")]
    elif feature.stand_in:
        point = geometry.representative_point()  # unfilled: a click inside reaches what lies under the ring
        layers = [LeanCircleMarker(latlon(point.x, point.y), radius=RING_RADIUS.get(feature.layer, 7), color=color,
                                   weight=2, fill=False, dash_array=style.dash, class_name=classes + " gm-hollow")]
    elif feature.quality == Quality.DERIVED:
        layers = list(_derived_shapes(geometry, color, style, classes))
    else:
        layers = list(_shapes(feature, geometry, color, style, spec, classes))
    for layer in layers:
        layer.add_child(SafeTooltip(feature.tooltip))
        if feature.popup is not None:
            layer.add_child(SafePopup(feature.popup))
    return layers


def _task_mark(geometry: BaseGeometry, color: str, style: PathStyle, classes: str) -> Any:
    """A 任务 mark in its pane above the townships, in the colour of its light: the named stretch itself when it is
    a line (a road segment), else a dot. The quality keeps its dash pattern; a dot whose position is not measured
    (示意位置, derived) is dashed and lightly filled, so it reads as less certain than a solid one."""
    polygons, lines, points = _split(geometry)
    leaflet = {"pane": TASKS_PANE}
    if lines and not polygons:
        return LeanPolyLine([_ring(line.coords) for line in lines], color=color, weight=6, opacity=0.6,
                            dash_array=style.dash, leaflet=leaflet, class_name=classes + " gm-line")
    point = geometry.representative_point()
    return LeanCircleMarker(latlon(point.x, point.y), radius=6, color=color, weight=2, fill=True,
                            fill_color=color, fill_opacity=0.85 if style.dash is None else 0.3,
                            dash_array=style.dash, leaflet=leaflet, class_name=classes + " gm-marker")


#: Groups whose areas are drawn as outlines only.
OUTLINE_LAYERS = frozenset({"admin"})


def _shapes(feature: MapFeature, geometry: BaseGeometry, color: str, style: PathStyle, spec: MapSpec,
            classes: str) -> Iterator[Any]:
    polygons, lines, points = _split(geometry)
    counted = feature.count is not None
    fill = spec.specific.color(feature.specific or 0) if counted else color
    for polygon in polygons:  # one path per polygon: Folium takes rings of one polygon, not a multipolygon
        outline = feature.layer in OUTLINE_LAYERS  # drawn unfilled, so clicks inside reach what lies within
        yield LeanPolygon([_ring(r.coords) for r in (polygon.exterior, *polygon.interiors)], color=color,
                          weight=round((2.5 if outline else 2 if counted else 1.5) * style.weight, 2), opacity=style.opacity,
                          fill=not outline, fill_color=None if outline else fill,
                          fill_opacity=0.55 if counted else 0.3,
                          dash_array=style.dash, class_name=classes + " gm-area")
    if lines:
        yield LeanPolyLine([_ring(line.coords) for line in lines], color=color,
                           weight=round((4 if feature.layer == "roads" else 3) * style.weight, 2), opacity=style.opacity,
                           dash_array=style.dash, class_name=classes + " gm-line")
    for point in points:  # a township's seat in its pane above the roads and rivers that pass through it
        radius = spec.counts.radius(feature.specific or 0) if counted else 6
        yield LeanCircleMarker(latlon(point.x, point.y), radius=radius, color=color if not counted else "#7c2d12",
                               weight=1.5, fill=True, fill_color=fill, fill_opacity=0.85,
                               dash_array=style.dash, leaflet={"pane": UNITS_PANE} if counted else None,
                               class_name=classes + " gm-marker")


#: A derived feature's band: wide, translucent, dashed with square ends so the dashes read as dashes.
DERIVED_BAND = {"weight": 7, "opacity": 0.45}


def _derived_shapes(geometry: BaseGeometry, color: str, style: PathStyle, classes: str) -> Iterator[Any]:
    """A derived feature drawn where it is derived from (the lake's outline, the river's course) as a dashed
    band in the pane under the overlays: the lake or river it comes from stays on top; no fill, so a click
    inside an outline reaches what lies there."""
    polygons, lines, points = _split(geometry)
    leaflet = {"pane": DERIVED_PANE, "lineCap": "butt"}
    for polygon in polygons:
        yield LeanPolygon([_ring(r.coords) for r in (polygon.exterior, *polygon.interiors)], color=color,
                          fill=False, dash_array=style.dash, leaflet=leaflet, class_name=classes + " gm-area",
                          **DERIVED_BAND)
    if lines:
        yield LeanPolyLine([_ring(line.coords) for line in lines], color=color, dash_array=style.dash,
                           leaflet=leaflet, class_name=classes + " gm-line", **DERIVED_BAND)
    for point in points:
        yield LeanCircleMarker(latlon(point.x, point.y), radius=7, color=color, weight=2, fill=False,
                               dash_array=style.dash, class_name=classes + " gm-hollow")


_BUCKET = {"Polygon": 0, "LineString": 1, "LinearRing": 1, "Point": 2}


def _split(geometry: BaseGeometry) -> tuple[list[Any], list[Any], list[Any]]:
    """Simple parts of any geometry, as (polygons, lines, points); collections are opened recursively."""
    buckets: tuple[list[Any], list[Any], list[Any]] = ([], [], [])

    def visit(part: BaseGeometry) -> None:
        if part.is_empty:
            return
        if part.geom_type in _BUCKET:
            buckets[_BUCKET[part.geom_type]].append(part)
        else:
            for sub in part.geoms:
                visit(sub)

    visit(geometry)
    return buckets


def path_count(geometry: BaseGeometry | None, *, stand_in: bool = False, layer: str = "") -> int:
    """How many Leaflet paths a feature becomes: one for a 任务 mark or a stand-in position (a ring), else one per
    polygon, one for all its lines and one per point.

    >>> from shapely.geometry import MultiPoint
    >>> path_count(MultiPoint([(0, 0), (1, 1)])), path_count(MultiPoint([(0, 0), (1, 1)]), stand_in=True)
    (2, 1)
    """
    if geometry is None or geometry.is_empty:
        return 0
    if layer == "tasks" or stand_in:
        return 1
    polygons, lines, points = _split(geometry)
    return len(polygons) + int(bool(lines)) + len(points)


def _ring(coords: Iterable[Sequence[float]]) -> list[list[float]]:
    return [latlon(c[0], c[1]) for c in coords]
