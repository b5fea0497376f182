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
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
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

from gazetteer.model import Quality
from webmap import assets

# -- coordinates ------------------------------------------------------------------------------------------------


#: Decimal places kept for coordinates sent to the browser: 1e-5° ≈ 1 m, far finer than any source here (seats
#: ±1 km, county outlines with vertices ≈250 m apart, OSM lakes blocky at ≈0.5 km).
COORDINATE_DIGITS = 5


#: Vertices closer than this (degrees, ≈5 m) to the line through their neighbours are left out of what the browser
#: gets: under half a pixel at the closest zoom a map opens at (14), and far below the ≈250 m between the vertices
#: of the county outlines or the blockiness of the OSM lakes.
DISPLAY_TOLERANCE = 0.00005


def for_display(geometry: BaseGeometry) -> BaseGeometry:
    """``geometry`` without the vertices :data:`DISPLAY_TOLERANCE` says nobody can see (topology kept).

    >>> from shapely.geometry import LineString
    >>> for_display(LineString([(114.0, 29.8), (114.1, 29.800001), (114.2, 29.8)])).wkt
    'LINESTRING (114 29.8, 114.2 29.8)'
    """
    if geometry.geom_type in ("Point", "MultiPoint"):
        return geometry
    return shapely.simplify(geometry, DISPLAY_TOLERANCE, preserve_topology=True)


def latlon(lon: float, lat: float) -> list[float]:
    """Folium's ``[lat, lon]`` for a WGS84 (or GCJ-02) ``(lon, lat)``: the one flip at the Folium edge.

    >>> latlon(114.32, 29.850000012)
    [29.85, 114.32]
    >>> latlon(114.123456789, 29.87654321)
    [29.87654, 114.12346]
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


#: A schematic point is not a line through anchors but an editor's estimate of where a place lies.
SCHEMATIC_POINT_TEXT = ("示意位置", "编者按一般知识估计的大致位置，不是测得的驻地或实际位置。")


def quality_text(quality: Any, geometry: BaseGeometry | None = None) -> tuple[str, str]:
    """The label and explanation of a quality for one geometry (a schematic point is a 示意位置, not a 示意线).

    >>> from shapely.geometry import Point
    >>> quality_text("schematic")[0], quality_text("schematic", Point(114.3, 29.9))[0]
    ('示意线', '示意位置')
    """
    quality = quality_of(quality)
    if quality == Quality.SCHEMATIC and geometry is not None and geometry.geom_type in ("Point", "MultiPoint"):
        return SCHEMATIC_POINT_TEXT
    return QUALITY_TEXT[quality]


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
#: Radius (px) of the dashed ring of a place whose geometry only stands in for a position, by group: rings of
#: different groups at one point (a zone and a park both placed on the district) stay separately clickable.
RING_RADIUS: dict[str, float] = {"townships": 12, "water": 10, "roads": 8, "sites": 6}
#: The pane of derived geometry (a project drawn along the river it is derived from): under the overlay pane, so
#: the river itself stays on top and clickable.
DERIVED_PANE = "gm-derived"

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
    #: The geometry only stands in for a position (admin-fallback, or derived from such a place): drawn as a
    #: dashed ring at a representative point, never as an outline it does not have.
    stand_in: bool = False
    #: The ids of the places a stacked mark stands for (they share one position); empty for a single place.
    members: tuple[str, ...] = ()
    #: A name kept on the map next to the feature (townships), or empty.
    label: str = ""

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids of the places the feature draws."""
        return self.members or (self.id,)


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
                           "shape": LEGEND_SHAPE.get(q, "line"), "dash": QUALITY_STYLE[q].dash,
                           "hollow": QUALITY_STYLE[q].hollow} for q in qualities],
        }
        self.spec_json = script_json(self.spec)


#: How the legend draws a quality: a point (seat), a ring (a stand-in position), a band (derived: the geometry
#: it is derived from, drawn wide and dashed) or a line.
LEGEND_SHAPE: dict[Quality, str] = {Quality.SEAT: "point", Quality.DERIVED: "band",
                                    Quality.ADMIN_FALLBACK: "point", Quality.MISSING: "point"}


class MapSetup(MacroElement):
    """The map's finishing touches in ``govmap-map.js``: a metric scale bar, the attribution prefix, popups that
    pan clear of the controls, and derived geometry in its own pane under the overlays."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            GovMap.setup({{ this._parent.get_name() }}, {{ this.options }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "MapSetup"
        self.options = script_json({"derivedPane": DERIVED_PANE})


class Labels(MacroElement):
    """Names kept on the map (the townships'), in the FeatureGroup they label: ``[lat, lon, offset px, text]``.
    ``govmap-map.js`` writes each with ``textContent``."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            GovMap.labels({{ this._parent.get_name() }}, {{ this.entries }});
        {% endmacro %}
    """)

    def __init__(self, entries: Sequence[tuple[float, float, float, str]]) -> None:
        super().__init__()
        self._name = "Labels"
        self.entries = script_json([list(e) for e in entries])


#: Leaflet's own defaults for path options: sending them again for every path only makes the page heavier.
LEAFLET_PATH_DEFAULTS: dict[str, Any] = {
    "stroke": True, "weight": 3, "opacity": 1.0, "lineCap": "round", "lineJoin": "round", "dashArray": None,
    "dashOffset": None, "fillOpacity": 0.2, "fillRule": "evenodd", "bubblingMouseEvents": True,
    "smoothFactor": 1.0, "noClip": False,
}


def lean_options(options: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    """Path options without Leaflet's defaults (and without a fill colour equal to the stroke's, Leaflet's
    default too), plus ``extra`` Leaflet options Folium does not pass on (``pane``, ``lineCap``).

    >>> lean_options({"color": "#123", "fillColor": "#123", "weight": 3, "opacity": 0.5, "fill": True}, pane="p")
    {'color': '#123', 'opacity': 0.5, 'fill': True, 'pane': 'p'}
    """
    kept = {k: v for k, v in options.items()
            if k not in LEAFLET_PATH_DEFAULTS or LEAFLET_PATH_DEFAULTS[k] != v}
    if kept.get("fillColor") == kept.get("color"):
        kept.pop("fillColor", None)
    kept.update({k: v for k, v in extra.items() if v is not None})
    return kept


class LeanPolygon(folium.Polygon):
    def __init__(self, locations: Any, *, leaflet: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(locations, **kwargs)
        self.options = lean_options(self.options, **(leaflet or {}))


class LeanPolyLine(folium.PolyLine):
    def __init__(self, locations: Any, *, leaflet: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(locations, **kwargs)
        self.options = lean_options(self.options, **(leaflet or {}))


class LeanCircleMarker(folium.CircleMarker):
    def __init__(self, location: Any, *, leaflet: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(location, **kwargs)
        self.options = lean_options(self.options, **(leaflet or {}))


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
    fmap = VendoredMap(location=latlon(center.x, center.y), zoom_start=10, tiles=None, control_scale=False,
                       width="100%", height=spec.height, zoom_snap=0.25, zoom_delta=0.5)
    fmap.add_child(GovmapScript())
    fmap.add_child(MapSetup())
    _add_basemap(fmap, spec.basemap)
    groups = {g.layer: folium.FeatureGroup(name=g.label, show=g.show) for g in spec.groups}
    colors = {g.layer: g.color for g in spec.groups}
    searchable: list[tuple[str, Any]] = []
    labels: dict[str, list[tuple[float, float, float, str]]] = {}
    for feature in drawable:
        group = groups.get(feature.layer)
        if group is None:
            continue
        geometry = for_display(_to_gcj02(feature.geometry) if spec.basemap.gcj02 else feature.geometry)
        layers = _draw(feature, geometry, colors[feature.layer], spec)
        for layer in layers:
            group.add_child(layer)
        if layers and feature.layer != "tasks":
            searchable += [(place_id, layers[0]) for place_id in feature.ids]
        if layers and feature.label:
            point = geometry.representative_point()
            offset = spec.counts.radius(feature.count or 0) if feature.count is not None else 6
            labels.setdefault(feature.layer, []).append((*latlon(point.x, point.y), offset, feature.label))
    for layer, group in groups.items():
        if layer in labels:
            group.add_child(Labels(labels[layer]))
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
        layers = [_task_mark(geometry, color, style, classes)]
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
    """A 任务 mark: the named stretch itself when it is a line (a road segment), else a small ring."""
    polygons, lines, points = _split(geometry)
    if lines and not polygons:
        return LeanPolyLine([_ring(line.coords) for line in lines], color=color, weight=6, opacity=0.45,
                            dash_array=style.dash, class_name=classes + " gm-line")
    point = geometry.representative_point()
    return LeanCircleMarker(latlon(point.x, point.y), radius=4, color=color, weight=2, fill=True,
                            fill_color="#fff", fill_opacity=0.9, class_name=classes + " gm-marker")


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
                          weight=2.5 if outline else 2 if counted else 1.5, fill=not outline,
                          fill_color=None if outline else fill, fill_opacity=0.55 if counted else 0.3,
                          dash_array=style.dash, class_name=classes + " gm-area")
    if lines:
        yield LeanPolyLine([_ring(line.coords) for line in lines], color=color,
                           weight=4 if feature.layer == "roads" else 3, opacity=0.85, dash_array=style.dash,
                           class_name=classes + " gm-line")
    for point in points:
        radius = spec.counts.radius(feature.count or 0) if counted else 6
        yield LeanCircleMarker(latlon(point.x, point.y), radius=radius, color=color if not counted else "#7c2d12",
                               weight=1.5, fill=True, fill_color=fill, fill_opacity=0.85,
                               dash_array=style.dash, class_name=classes + " gm-marker")


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


# -- embedding --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MapParts:
    """A rendered map split for a page template: ``header`` (links and styles), ``html`` (the div), ``script``."""

    header: Markup
    html: Markup
    script: Markup


def map_parts(fmap: folium.Map) -> MapParts:
    """Render ``fmap`` once and split it for embedding in a Jinja page; the script loses the indentation of
    Folium's templates (a tenth of the page). That is safe because no script here holds a multi-line string:
    texts arrive as JSON, and template literals are never used."""
    figure = fmap.get_root()
    figure.render()
    return MapParts(Markup(figure.header.render()), Markup(figure.html.render()),
                    Markup(compact_script(figure.script.render())))


def compact_script(script: str) -> str:
    """``script`` without leading and trailing blanks on its lines, and without blank lines.

    >>> compact_script("\\n    var a = 1;\\n\\n        a += 2;\\n")
    'var a = 1;\\na += 2;'
    """
    return "\n".join(line.strip() for line in script.splitlines() if line.strip())


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
