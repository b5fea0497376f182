"""Folium maps for the pages: the planner map of the district and the small maps of a township, task or place.

A map is built by one builder function from features (id, geometry, quality …) plus a few small element classes;
views never build HTML strings. Three rules hold everywhere here:

* geometry stays WGS84 (lon, lat) until :func:`latlon` flips it for Folium — the only place that does;
* when the basemap is GCJ-02 (高德), every overlay is converted before drawing, so it sits on Gaode's streets;
* every text taken from a document or an import reaches the map escaped: popups and tooltips are rendered by
  autoescaping Jinja templates and handed to Leaflet as JSON strings (never through a JavaScript template literal,
  where Folium's own ``Popup`` would let ``${…}`` run). Folium's ``GeoJsonTooltip``/``GeoJsonPopup`` write
  property values into ``innerHTML`` unescaped, so they are not used.

All JavaScript and CSS come from ``/static`` (see :mod:`webmap.assets`); with ``basemap="none"`` a map page
requests nothing outside the app.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Container, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import numpy
import shapely
from branca.element import MacroElement
from folium.plugins import Fullscreen
from folium.template import Template
from markupsafe import Markup, escape
from shapely.geometry.base import BaseGeometry

from gazetteer.corpus import Corpus
from gazetteer.links import LinkType, Rule
from gazetteer.model import ROAD_KINDS, TOWNSHIP_KINDS, WATER_KINDS, Kind, Place, Quality, Task
from webmap import assets

# -- coordinates ------------------------------------------------------------------------------------------------


#: Decimal places kept for coordinates sent to the browser (1e-6° ≈ 0.1 m).
COORDINATE_DIGITS = 6


def latlon(lon: float, lat: float) -> list[float]:
    """Folium's ``[lat, lon]`` for a WGS84 (or GCJ-02) ``(lon, lat)``: the one flip at the Folium edge.

    >>> latlon(114.32, 29.850000012)
    [29.85, 114.32]
    """
    return [round(float(lat), COORDINATE_DIGITS), round(float(lon), COORDINATE_DIGITS)]


_SCRIPT_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027",
                                "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(value: Any) -> Markup:
    """JSON for inside a ``<script>``: like Jinja's ``tojson`` (``<``, ``>``, ``&``, ``'`` escaped, so no text can
    close the script or open a comment) but with Chinese kept as UTF-8, half the size of ``\\uXXXX``.

    >>> print(script_json({"name": "</script>向阳湖"}))
    {"name": "\\u003c/script\\u003e向阳湖"}
    """
    return Markup(json.dumps(value, ensure_ascii=False, sort_keys=True).translate(_SCRIPT_UNSAFE))


def _wgs84_to_gcj02_prcoords(geometry: BaseGeometry) -> BaseGeometry:
    """GCJ-02 copy of a WGS84 geometry through ``prcoords`` (which takes and returns (lat, lon))."""
    import prcoords

    def shift(coords: Any) -> Any:
        out = [prcoords.wgs_gcj(prcoords.Coords(lat, lon)) for lon, lat in coords]
        return [(c.lon, c.lat) for c in out]

    return shapely.transform(geometry, lambda xy: numpy.array(shift(xy.tolist()), dtype=float).reshape(-1, 2))


try:  # geodata.crs owns CRS logic; until it lands, the private prcoords wrapper has the same contract.
    from geodata.crs import wgs84_to_gcj02 as _to_gcj02
except ImportError:  # pragma: no cover - depends on which modules exist yet
    _to_gcj02 = _wgs84_to_gcj02_prcoords


# -- basemaps ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Basemap:
    """A tile source. ``gcj02`` says the tiles are drawn in GCJ-02 so overlays must be converted."""

    id: str
    label: str
    tiles: tuple[str, ...] = ()
    attribution: str = ""
    subdomains: str = "abc"
    gcj02: bool = False
    max_zoom: int = 18

    @property
    def hosts(self) -> tuple[str, ...]:
        """Host name patterns of the tiles (``{s}`` expanded), for tests and the page's privacy note."""
        hosts = []
        for url in self.tiles:
            host = url.split("/")[2]
            hosts += [host.replace("{s}", s) for s in self.subdomains] if "{s}" in host else [host]
        return tuple(dict.fromkeys(hosts))


OSM = Basemap("osm", "OpenStreetMap", ("https://tile.openstreetmap.org/{z}/{x}/{y}.png",),
              '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> 贡献者', subdomains="",
              max_zoom=19)
GAODE = Basemap("gaode", "高德地图",
                ("https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",),
                "&copy; 高德地图（GCJ-02，叠加图层已转换）", subdomains="1234", gcj02=True)
NONE = Basemap("none", "无底图")
_TIANDITU = ("https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}"
             "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}")


def basemaps(*, tianditu_key: str = "") -> dict[str, Basemap]:
    """The basemaps this server offers, by id; 天地图 only with a key.

    >>> list(basemaps())
    ['osm', 'gaode', 'none']
    >>> list(basemaps(tianditu_key="k"))
    ['osm', 'gaode', 'tianditu', 'none']
    """
    found = {"osm": OSM, "gaode": GAODE}
    if tianditu_key:
        tiles = tuple(_TIANDITU.format(s="{s}", layer=layer, key=tianditu_key) for layer in ("vec", "cva"))
        found["tianditu"] = Basemap("tianditu", "天地图", tiles, "&copy; 国家地理信息公共服务平台 天地图",
                                    subdomains="01234567")
    found["none"] = NONE
    return found


def choose_basemap(requested: str | None, *, tianditu_key: str = "") -> Basemap:
    """The basemap for ``?basemap=``; unknown or unavailable choices fall back to OpenStreetMap."""
    return basemaps(tianditu_key=tianditu_key).get(requested or "osm", OSM)


# -- what is drawn, and how -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Group:
    """A FeatureGroup of the planner map: the catalogue layer it draws, its label and colour."""

    layer: str
    label: str
    color: str
    show: bool = True


GROUPS: tuple[Group, ...] = (
    Group("admin", "行政区划", "#5b6770"),
    Group("townships", "乡镇", "#c2410c"),
    Group("water", "水系", "#1d6fb8"),
    Group("roads", "道路", "#8a5a2b"),
    Group("sites", "项目与点位", "#7b3fa0"),
    Group("tasks", "任务", "#b91c1c", show=False),
)

#: Chinese label and one-line explanation of each geometry-quality level (DESIGN.md ladder).
QUALITY_TEXT: dict[Quality, tuple[str, str]] = {
    Quality.SURVEYED: ("实测", "用户导入的权威数据（乡镇界线、河流中心线等）。"),
    Quality.OPEN_DATA: ("开放数据", "来自公开数据集的面或线（县界、OSM 湖泊与道路）。"),
    Quality.SEAT: ("驻地点", "乡镇驻地的点位，精度约 ±1 公里。"),
    Quality.SCHEMATIC: ("示意线", "按已知地点顺序连成的示意线（如沿途乡镇驻地），不是真实走向。"),
    Quality.DERIVED: ("推导位置", "由名称或句子所指的地点推得（如“汀泗河系统治理工程”取汀泗河）。"),
    Quality.ADMIN_FALLBACK: ("行政区兜底", "只知道所在的行政区，位置取该行政区。"),
    Quality.MISSING: ("无几何", "尚无任何位置信息，地点仍保留在列表中。"),
}


@dataclass(frozen=True, slots=True)
class PathStyle:
    """Leaflet path options for one quality level (dash pattern, hollow or filled)."""

    dash: str | None
    hollow: bool


QUALITY_STYLE: dict[Quality, PathStyle] = {
    Quality.SURVEYED: PathStyle(None, False),
    Quality.OPEN_DATA: PathStyle(None, False),
    Quality.SEAT: PathStyle(None, False),
    Quality.SCHEMATIC: PathStyle("8 6", False),
    Quality.DERIVED: PathStyle("3 4", True),
    Quality.ADMIN_FALLBACK: PathStyle("3 4", True),
    Quality.MISSING: PathStyle("3 4", True),
}
#: Qualities whose geometry is only a position: drawn as a hollow dashed ring at a representative point.
POSITION_ONLY = frozenset({Quality.DERIVED, Quality.ADMIN_FALLBACK})

#: Where a map without any geometry is centred: 咸安区 (lon, lat).
DEFAULT_CENTER_LONLAT = (114.30, 29.85)

#: Sequential ramp (light → dark) for the township choropleth and the proportional circles.
RAMP: tuple[str, ...] = ("#fde7d3", "#fbb98a", "#f48748", "#d9541a", "#9a3412")


def quality_of(value: Any) -> Quality:
    """A :class:`Quality` from a frame cell; anything unknown counts as missing."""
    try:
        return Quality(str(value))
    except ValueError:
        return Quality.MISSING


@dataclass(frozen=True, slots=True)
class CountScale:
    """How township task counts are drawn: circle areas proportional to the count (the largest 18 px), colours in
    quantile classes of the counts on the map (the counts are skewed: most units share the district-wide tasks).

    >>> scale = CountScale.of([1, 2, 3, 5, 8, 13, 50, None, 0])
    >>> scale.smallest, scale.largest, scale.breaks(), scale.steps()
    (1, 50, [1, 2, 5, 13], [1, 26, 50])
    >>> [scale.color(n) for n in (0, 1, 2, 5, 13, 50)] == [RAMP[0], RAMP[1], RAMP[2], RAMP[3], RAMP[4], RAMP[4]]
    True
    >>> scale.radius(0), scale.radius(50)
    (5.0, 18.0)
    """

    #: The non-zero counts on the map, sorted.
    values: tuple[int, ...] = ()

    @classmethod
    def of(cls, counts: Iterable[int | None]) -> CountScale:
        return cls(tuple(sorted(c for c in counts if c)))

    @property
    def smallest(self) -> int:
        return self.values[0] if self.values else 0

    @property
    def largest(self) -> int:
        return self.values[-1] if self.values else 0

    def breaks(self) -> list[int]:
        """Lower bounds of the classes above the first (quantiles of the counts, without repeats)."""
        if not self.values:
            return []
        classes = len(RAMP) - 1
        cuts = [self.values[min(len(self.values) - 1, (len(self.values) * k) // classes)] for k in range(classes)]
        return sorted(set(cuts))

    def color(self, count: int) -> str:
        if count <= 0 or not self.values:
            return RAMP[0]
        if self.smallest == self.largest:  # one unit, or all alike
            return RAMP[len(RAMP) // 2]
        return RAMP[min(len(RAMP) - 1, sum(1 for b in self.breaks() if count >= b))]

    def radius(self, count: int) -> float:
        """Pixels; the area grows with the count, 18 px for the largest."""
        if self.largest <= 0 or count <= 0:
            return 5.0
        return round(5.0 + 13.0 * math.sqrt(count / self.largest), 1)

    def steps(self) -> list[int]:
        """The counts the size legend shows: smallest, middle, largest."""
        return sorted({self.smallest, round((self.smallest + self.largest) / 2), self.largest} - {0})


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
    #: Circle sizes by all tasks of a township; colours by the tasks that name it or a place inside it.
    counts: CountScale = CountScale()
    specific: CountScale = CountScale()
    fit: BaseGeometry | None = None
    height: str = "100%"


# -- element classes --------------------------------------------------------------------------------------------


class VendoredMap(folium.Map):
    """A :class:`folium.Map` whose Leaflet comes from ``/static/vendor`` and that loads nothing else by default."""

    default_js = assets.vendor_js("leaflet")
    default_css = assets.vendor_css("leaflet") + assets.own_css("map")


class VendoredFullscreen(Fullscreen):
    """The Fullscreen control with its script and style served by the app."""

    default_js = assets.vendor_js("fullscreen")
    default_css = assets.vendor_css("fullscreen")


class GovmapScript(MacroElement):
    """Loads ``/static/govmap-map.js`` (search, legend and popup helpers) once per map."""

    _template = Template("""
        {% macro header(this, kwargs) %}
            <script src="{{ this.url }}"></script>
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "GovmapScript"
        self.url = assets.own_js_url("map")


class SafePopup(MacroElement):
    """A popup whose (already escaped) HTML reaches Leaflet as a JSON string.

    Folium's ``Popup`` puts HTML inside a JavaScript template literal, where ``${…}`` in a document's text would
    run; this one never does.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindPopup({{ this.html }}, {{ this.options }});
        {% endmacro %}
    """)

    def __init__(self, html: Markup, *, max_width: int = 380) -> None:
        super().__init__()
        self._name = "SafePopup"
        self.html = script_json(str(html))
        self.options = script_json({"maxWidth": max_width, "className": "gm-popup"})


class SafeTooltip(MacroElement):
    """A tooltip built from plain text: escaped here, then handed to Leaflet as a JSON string."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindTooltip({{ this.html }}, {"sticky": true});
        {% endmacro %}
    """)

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "SafeTooltip"
        self.html = script_json(str(escape(text)))


class PlaceSearch(MacroElement):
    """A search box over place names and aliases; choosing a place zooms to it and opens its popup.

    Results are written with ``textContent`` in ``govmap-map.js``, so names are never parsed as HTML.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            GovMap.search({{ this._parent.get_name() }}, {{ this.entries }}, {
                {%- for key, layer in this.layers %}
                {{ this.key(key) }}: {{ layer.get_name() }}{% if not loop.last %},{% endif %}
                {%- endfor %}
            });
        {% endmacro %}
    """)

    def __init__(self, entries: Sequence[Mapping[str, Any]], layers: Sequence[tuple[str, Any]]) -> None:
        super().__init__()
        self._name = "PlaceSearch"
        self.entries = script_json(list(entries))
        self.layers = list(layers)

    @staticmethod
    def key(value: str) -> Markup:
        return script_json(value)


class Legend(MacroElement):
    """The legend: layer colours, task counts, and what each geometry quality looks like."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            GovMap.legend({{ this._parent.get_name() }}, {{ this.spec_json }});
        {% endmacro %}
    """)

    def __init__(self, *, groups: Sequence[Group], counts: CountScale, specific: CountScale,
                 qualities: Iterable[Quality],
                 unfolded: bool = True) -> None:
        super().__init__()
        self._name = "Legend"
        self.spec = {
            "title": "图例",
            "open": unfolded,
            "groups": [{"label": g.label, "color": g.color} for g in groups],
            "counts": [{"count": n, "radius": counts.radius(n)} for n in counts.steps()],
            "specific": [{"label": f"≥{n}", "color": specific.color(n)} for n in specific.breaks()],
            "qualities": [{"id": str(q), "label": QUALITY_TEXT[q][0], "help": QUALITY_TEXT[q][1],
                           "shape": "point" if q in POSITION_ONLY or q == Quality.SEAT else "line",
                           "dash": QUALITY_STYLE[q].dash, "hollow": QUALITY_STYLE[q].hollow} for q in qualities],
        }
        self.spec_json = script_json(self.spec)


# -- the builder ------------------------------------------------------------------------------------------------


def build_map(spec: MapSpec) -> VendoredMap:
    """A Folium map of ``spec.features`` in FeatureGroups with a layer control, legend, search, scale and
    fullscreen button. Nothing but the basemap's tiles is requested from outside the app."""
    drawable = [f for f in spec.features if f.geometry is not None and not f.geometry.is_empty]
    fit = spec.fit if spec.fit is not None and not spec.fit.is_empty else (
        shapely.union_all([drawn_extent(f) for f in drawable]) if drawable else None)
    if fit is not None and spec.basemap.gcj02:
        fit = _to_gcj02(fit)
    center = fit.centroid if fit is not None else shapely.Point(DEFAULT_CENTER_LONLAT)
    fmap = VendoredMap(location=latlon(center.x, center.y), zoom_start=10, tiles=None, control_scale=True,
                       width="100%", height=spec.height, zoom_snap=0.25, zoom_delta=0.5)
    fmap.add_child(GovmapScript())
    _add_basemap(fmap, spec.basemap)
    groups = {g.layer: folium.FeatureGroup(name=g.label, show=g.show) for g in spec.groups}
    colors = {g.layer: g.color for g in spec.groups}
    searchable: list[tuple[str, Any]] = []
    for feature in drawable:
        group = groups.get(feature.layer)
        if group is None:
            continue
        geometry = _to_gcj02(feature.geometry) if spec.basemap.gcj02 else feature.geometry
        layers = _draw(feature, geometry, colors[feature.layer], spec)
        for layer in layers:
            group.add_child(layer)
        if layers and feature.layer != "tasks":
            searchable.append((feature.id, layers[0]))
    for group in groups.values():
        fmap.add_child(group)
    folium.LayerControl(collapsed=True, position="topright").add_to(fmap)
    VendoredFullscreen(position="topleft", title="全屏", title_cancel="退出全屏").add_to(fmap)
    if spec.search:
        known = {key for key, _ in searchable}
        fmap.add_child(PlaceSearch([e for e in spec.search if e["id"] in known], searchable))
    if spec.legend:
        qualities = [q for q in Quality if q != Quality.MISSING]
        fmap.add_child(Legend(groups=spec.groups, counts=spec.counts, specific=spec.specific, qualities=qualities,
                              unfolded=spec.legend_open))
    if fit is not None:
        minx, miny, maxx, maxy = fit.bounds
        fmap.fit_bounds([latlon(minx, miny), latlon(maxx, maxy)], max_zoom=14, padding=(28, 28))
    return fmap


def drawn_extent(feature: MapFeature) -> BaseGeometry:
    """What of a feature the map shows: its envelope, or its representative point for a position-only quality
    (an admin-fallback place must not pull the view out to the whole county)."""
    if feature.quality in POSITION_ONLY and feature.layer != "tasks":
        return feature.geometry.representative_point()
    return shapely.envelope(feature.geometry)


def _add_basemap(fmap: folium.Map, basemap: Basemap) -> None:
    for i, url in enumerate(basemap.tiles):
        options = {"subdomains": basemap.subdomains} if basemap.subdomains else {}
        folium.TileLayer(url, attr=basemap.attribution if i == 0 else " ", name=basemap.label,
                         max_zoom=basemap.max_zoom, control=False, overlay=i > 0, **options).add_to(fmap)


def css_id(feature_id: str) -> str:
    """A CSS class naming one feature, so tests and styles can find its paths.

    >>> css_id("fixture_001#t3")
    'gm-id-fixture_001_t3'
    """
    return "gm-id-" + re.sub(r"[^A-Za-z0-9_-]", "_", feature_id)


def _draw(feature: MapFeature, geometry: BaseGeometry, color: str, spec: MapSpec) -> list[Any]:
    """The Leaflet layers of one feature (see :func:`path_count`)."""
    style = QUALITY_STYLE[feature.quality]
    classes = f"gm-f gm-{feature.layer} gm-q-{feature.quality} {css_id(feature.id)}"
    if feature.layer == "tasks":
        layers = [_task_mark(geometry, color, style, classes)]
    elif feature.quality in POSITION_ONLY:
        point = geometry.representative_point()
        layers = [folium.CircleMarker(latlon(point.x, point.y), radius=7, color=color, weight=2, fill=True,
                                      fill_opacity=0.0, dash_array=style.dash, class_name=classes + " gm-hollow")]
    else:
        layers = list(_shapes(feature, geometry, color, style, spec, classes))
    for layer in layers:
        layer.add_child(SafeTooltip(feature.tooltip))
        if feature.popup is not None:
            layer.add_child(SafePopup(feature.popup))
    return layers


def _task_mark(geometry: BaseGeometry, color: str, style: PathStyle, classes: str) -> Any:
    """A 任务 mark: the named stretch itself when it is a line (a road segment), else a small ring."""
    polygons, lines, points = _split(geometry)
    if lines and not polygons:
        return folium.PolyLine([_ring(line.coords) for line in lines], color=color, weight=6, opacity=0.45,
                               dash_array=style.dash, class_name=classes + " gm-line")
    point = geometry.representative_point()
    return folium.CircleMarker(latlon(point.x, point.y), radius=4, color=color, weight=2, fill=True,
                               fill_color="#fff", fill_opacity=0.9, class_name=classes + " gm-marker")


def _shapes(feature: MapFeature, geometry: BaseGeometry, color: str, style: PathStyle, spec: MapSpec,
            classes: str) -> Iterator[Any]:
    polygons, lines, points = _split(geometry)
    counted = feature.count is not None
    fill = spec.specific.color(feature.specific or 0) if counted else color
    for polygon in polygons:  # one path per polygon: Folium takes rings of one polygon, not a multipolygon
        outline = feature.layer in OUTLINE_LAYERS  # drawn unfilled, so clicks inside reach what lies within
        yield folium.Polygon([_ring(r.coords) for r in (polygon.exterior, *polygon.interiors)], color=color,
                             weight=2.5 if outline else 2 if counted else 1.5, fill=not outline,
                             fill_color=None if outline else fill, fill_opacity=0.55 if counted else 0.3,
                             dash_array=style.dash, class_name=classes + " gm-area")
    if lines:
        yield folium.PolyLine([_ring(line.coords) for line in lines], color=color,
                              weight=4 if feature.layer == "roads" else 3, opacity=0.85, dash_array=style.dash,
                              class_name=classes + " gm-line")
    for point in points:
        radius = spec.counts.radius(feature.count or 0) if counted else 6
        yield folium.CircleMarker(latlon(point.x, point.y), radius=radius, color=color if not counted else "#7c2d12",
                                  weight=1.5, fill=True, fill_color=fill, fill_opacity=0.85,
                                  dash_array=style.dash, class_name=classes + " gm-marker")


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


def path_count(geometry: BaseGeometry | None, quality: Any, *, layer: str = "") -> int:
    """How many Leaflet paths a feature becomes: one for a 任务 mark or a position-only quality, else one per
    polygon, one for all its lines and one per point.

    >>> from shapely.geometry import MultiPoint
    >>> path_count(MultiPoint([(0, 0), (1, 1)]), "seat"), path_count(MultiPoint([(0, 0), (1, 1)]), "derived")
    (2, 1)
    """
    if geometry is None or geometry.is_empty:
        return 0
    if layer == "tasks" or quality_of(quality) in POSITION_ONLY:
        return 1
    polygons, lines, points = _split(geometry)
    return len(polygons) + int(bool(lines)) + len(points)


def _ring(coords: Iterable[Sequence[float]]) -> list[list[float]]:
    return [latlon(c[0], c[1]) for c in coords]


# -- embedding --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MapParts:
    """A rendered map split for a page template: ``header`` (links and styles), ``html`` (the div), ``script``."""

    header: Markup
    html: Markup
    script: Markup


def map_parts(fmap: folium.Map) -> MapParts:
    """Render ``fmap`` once and split it for embedding in a Jinja page."""
    figure = fmap.get_root()
    figure.render()
    return MapParts(Markup(figure.header.render()), Markup(figure.html.render()),
                    Markup(figure.script.render()))


# -- the map cache ----------------------------------------------------------------------------------------------

_CACHE_KEY = "govmap.maps"


class MapCache:
    """A small thread-safe LRU of rendered maps, kept in ``app.extensions``: a map is built once per
    (page, filters, basemap) and then served from here."""

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        #: How many values were built, by the first element of their key (``"planner"``, ``"town"`` …).
        self.builds: Counter[Any] = Counter()

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()
        with self._lock:
            self.builds[key[0] if isinstance(key, tuple) and key else key] += 1
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)


def init_cache(app: Any, *, size: int = 128) -> MapCache:
    """Attach the map cache to ``app`` (idempotent)."""
    return app.extensions.setdefault(_CACHE_KEY, MapCache(size))


def map_cache() -> MapCache:
    """The current app's map cache."""
    from flask import current_app

    return init_cache(current_app)


# -- what the maps show: features from the corpus and the catalogue ---------------------------------------------

KIND_TEXT: dict[Kind, str] = {
    Kind.PROVINCE: "省", Kind.CITY: "市", Kind.COUNTY: "区县", Kind.TOWN: "镇", Kind.TOWNSHIP: "乡",
    Kind.SUBDISTRICT: "街道", Kind.FARM: "农场", Kind.ZONE: "园区", Kind.VILLAGE: "村", Kind.COMMUNITY: "社区",
    Kind.LAKE: "湖泊", Kind.RIVER: "河流", Kind.RESERVOIR: "水库", Kind.ROAD: "道路", Kind.BRIDGE: "桥梁",
    Kind.STREET: "街路", Kind.PARK: "公园", Kind.SITE: "地点", Kind.PROJECT: "项目", Kind.MOUNTAIN: "山",
}
#: Why a task is linked to a township, as the badge a township official reads.
RULE_TEXT: dict[Rule, str] = {  # in the order badges are shown: responsibility first
    Rule.NAMED_UNIT: "责任单位点名", Rule.RELATED_LOCATED: "相关乡镇办场·文中定位", Rule.ALL: "各乡镇办场",
    Rule.ALL_BUT_FARM: "各乡镇办", Rule.RELATED_UNSPECIFIED: "相关乡镇办场（未指明）", Rule.INSIDE: "辖区内地点",
    Rule.MENTION: "文中点名",
}
#: Which planner group a gazetteer place belongs to, by kind.
KIND_LAYER: dict[Kind, str] = {
    **{k: "admin" for k in (Kind.PROVINCE, Kind.CITY, Kind.COUNTY)},
    **{k: "townships" for k in (*TOWNSHIP_KINDS, Kind.ZONE)},
    **{k: "water" for k in WATER_KINDS},
    **{k: "roads" for k in ROAD_KINDS},
}
POPUP_TASKS = 12
#: Groups drawn whatever the filters: the district outlines stay as context.
CONTEXT_LAYERS = frozenset({"admin"})
#: Groups whose areas are drawn as outlines only.
OUTLINE_LAYERS = frozenset({"admin"})
SHORT_TEXT = 42


def kind_text(kind: Any) -> str:
    try:
        return KIND_TEXT[Kind(str(kind))]
    except ValueError:
        return str(kind)


def layer_of(place: Place) -> str:
    """The planner group a place is drawn in (villages, parks, projects … go to 项目与点位)."""
    return KIND_LAYER.get(place.kind, "sites")


def short_text(text: str, limit: int = SHORT_TEXT) -> str:
    """The first ``limit`` characters of a task, with an ellipsis when cut.

    >>> short_text("推进向阳湖镇奶牛小镇建设", 6)
    '推进向阳湖镇…'
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def task_brief(corpus: Corpus, task: Task) -> dict[str, Any]:
    """What a popup or list shows of a task."""
    return {"id": task.id, "number": task.number, "kind": task.kind, "short": short_text(task.text),
            "section": task.section, "lead_units": task.responsibility.lead_units,
            "indicators": corpus.indicators_for(task.id)}


def place_tasks(corpus: Corpus, place: Place, *, allowed: Container[str] | None = None) -> list[Task]:
    """Tasks a place's popup lists: a township's own tasks, or the tasks naming any other place."""
    if place.kind in TOWNSHIP_KINDS or place.kind == Kind.ZONE:
        tasks = [task for task, _ in corpus.township_tasks(place.id)]
    else:
        owners = dict.fromkeys(link.owner_id for link in corpus.links_for_place(place.id, types=[LinkType.MENTIONED]))
        tasks = [corpus.tasks[o] for o in owners if o in corpus.tasks]
    return [t for t in tasks if allowed is None or t.id in allowed]


def place_popup(corpus: Corpus, place: Place, tasks: Sequence[Task], *, quality: Quality) -> Markup:
    from flask import render_template

    statements = {link.owner_id for link in corpus.links_for_place(place.id, types=[LinkType.MENTIONED])
                  if link.owner_id in corpus.statements}
    return Markup(render_template("map/place_popup.html", place=place, kind=kind_text(place.kind),
                                  quality=QUALITY_TEXT[quality][0], tasks=[task_brief(corpus, t) for t in tasks],
                                  limit=POPUP_TASKS, statements=len(statements),
                                  is_unit=place.kind in TOWNSHIP_KINDS or place.kind == Kind.ZONE))


def tasks_popup(corpus: Corpus, tasks: Sequence[Task], *, title: str) -> Markup:
    """The popup of a 任务 mark: the tasks naming one place."""
    from flask import render_template

    return Markup(render_template("map/task_popup.html", title=title, tasks=[task_brief(corpus, t) for t in tasks],
                                  limit=POPUP_TASKS))


def place_feature(corpus: Corpus, place: Place, *, layer: str | None = None, geometry: BaseGeometry | None = None,
                  quality: Any = None, allowed: Container[str] | None = None) -> MapFeature:
    """A gazetteer place as a map feature with its popup; townships carry their task count."""
    quality = quality_of(quality if quality is not None else place.quality)
    layer = layer or layer_of(place)
    tasks = place_tasks(corpus, place, allowed=allowed)
    tooltip = f"{place.name}（{kind_text(place.kind)}）"
    counted = layer == "townships"
    specific = len(specific_tasks(corpus, place, allowed=allowed)) if counted else None
    if counted:
        tooltip += f"：任务 {len(tasks)} 项，其中点名或辖区内 {specific} 项"
    return MapFeature(place.id, layer, geometry if geometry is not None else place.geometry, quality, tooltip,
                      place_popup(corpus, place, tasks, quality=quality),
                      count=len(tasks) if counted else None, specific=specific)


#: Rules that give a task to every township alike (the rest single a township out).
BLANKET_RULES = frozenset({Rule.ALL, Rule.ALL_BUT_FARM, Rule.RELATED_UNSPECIFIED})


def specific_tasks(corpus: Corpus, unit: Place, *, allowed: Container[str] | None = None) -> list[Task]:
    """The unit's tasks that name it or a place inside it (not only 各乡镇办场 / 各乡镇办)."""
    return [task for task, links in corpus.township_tasks(unit.id)
            if (allowed is None or task.id in allowed) and any(link.rule not in BLANKET_RULES for link in links)]


def search_entry(place: Place) -> dict[str, Any]:
    return {"id": place.id, "name": place.name, "aliases": list(place.aliases), "kind": kind_text(place.kind)}


def _task_ids(frame: Any) -> list[str]:
    column = "task_id" if "task_id" in frame.columns else "id"
    return list(dict.fromkeys(str(v) for v in frame[column]))


def catalogue_features(corpus: Corpus, catalogue: Any, filters: Any, *,
                       groups: Sequence[Group] = GROUPS) -> tuple[list[MapFeature], set[str]]:
    """Map features of every planner group from the catalogue's frames under ``filters``, and the ids of the
    tasks that pass the filters (popups list only those)."""
    allowed = set(_task_ids(catalogue.frame("tasks", filters)))
    features: list[MapFeature] = []
    for group in groups:
        frame = catalogue.frame(group.layer, None if group.layer in CONTEXT_LAYERS else filters)
        if group.layer == "tasks":
            features += task_features(corpus, frame)
            continue
        for row in frame.to_dict("records"):
            place = corpus.gazetteer.get(str(row["id"]))
            if place is not None:
                features.append(place_feature(corpus, place, layer=group.layer, geometry=row.get("geometry"),
                                              quality=row.get("quality"), allowed=allowed))
            else:  # a feature the gazetteer does not hold (an unnamed lake from open data): context only
                label = str(row.get("name") or "") or f"未命名{kind_text(row.get('kind', ''))}"
                features.append(MapFeature(str(row["id"]), group.layer, row.get("geometry"),
                                           quality_of(row.get("quality")), label))
    return features, allowed


def task_features(corpus: Corpus, frame: Any) -> list[MapFeature]:
    """The 任务 group: one mark per place (or named segment, e.g. G351双溪至横沟段) that the tasks of ``frame``
    name in their text, listing those tasks. Responsibility rows are left to the 乡镇 group."""
    if "link_type" in frame.columns:
        frame = frame[frame["link_type"] == str(LinkType.MENTIONED)]
    marks: dict[tuple[str, bytes], dict[str, Any]] = {}
    for row in frame.to_dict("records"):
        geometry = row.get("geometry")
        task = corpus.tasks.get(str(row.get("task_id", row["id"])))
        if geometry is None or geometry.is_empty or task is None:
            continue
        place_id = str(row.get("place_id") or row["id"])
        mark = marks.setdefault((place_id, geometry.wkb), {"geometry": geometry, "quality": row.get("quality"),
                                                          "name": str(row.get("place_name") or ""), "tasks": {}})
        mark["tasks"][task.id] = task
    features = []
    for number, ((place_id, _), mark) in enumerate(marks.items()):
        tasks = list(mark["tasks"].values())
        features.append(MapFeature(f"tasks~{place_id}~{number}", "tasks", mark["geometry"],
                                   quality_of(mark["quality"]), f"{mark['name']}：{len(tasks)} 项任务",
                                   tasks_popup(corpus, tasks, title=mark["name"])))
    return features


def planner_spec(corpus: Corpus, features: Sequence[MapFeature], *, basemap: Basemap,
                 filtered: bool = False) -> MapSpec:
    """The planner map from :func:`catalogue_features`; an unfiltered map opens on the home district, a filtered
    one on what the filters leave (outlines of districts aside)."""
    places = [corpus.gazetteer[f.id] for f in features if f.layer != "tasks" and f.id in corpus.gazetteer]
    shown = [drawn_extent(f) for f in features
             if f.layer not in ("admin", "tasks") and f.geometry is not None and not f.geometry.is_empty]
    home = corpus.gazetteer.get(corpus.gazetteer.home or "")
    fit = shapely.union_all(shown) if filtered and shown else (home.geometry if home is not None else None)
    return MapSpec(features, basemap=basemap, search=[search_entry(p) for p in places],
                   counts=CountScale.of(f.count for f in features),
                   specific=CountScale.of(f.specific for f in features), fit=fit)


def local_spec(corpus: Corpus, places: Sequence[Place], *, basemap: Basemap, focus: Place | None = None,
               allowed: Container[str] | None = None) -> MapSpec:
    """A small map of a few places (a township and what its tasks name, a task's places, one place), with the
    home district's outline for context; it opens on the focus area, else on the places."""
    features = [place_feature(corpus, p, allowed=allowed) for p in dict.fromkeys(places)]
    shown = [drawn_extent(f) for f in features if f.geometry is not None and not f.geometry.is_empty]
    home = corpus.gazetteer.get(corpus.gazetteer.home or "")
    if home is not None and home.geometry is not None and home not in places:
        features.append(MapFeature(home.id, "admin", home.geometry, quality_of(home.quality), home.name))
    if focus is not None and focus.geometry is not None and focus.geometry.area > 0:
        fit = focus.geometry
    else:
        fit = shapely.union_all(shown) if shown else None
    used = {f.layer for f in features}
    return MapSpec(features, basemap=basemap, groups=[g for g in GROUPS if g.layer in used],
                   counts=CountScale.of(f.count for f in features),
                   specific=CountScale.of(f.specific for f in features), fit=fit, search=(), legend_open=False)
