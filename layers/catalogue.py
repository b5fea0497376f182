"""The layer catalogue: every map layer of a :class:`~gazetteer.corpus.Corpus` as a GeoDataFrame in EPSG:4326.

Frames are built on first use and cached; :meth:`Catalogue.frame` returns a filtered copy. Every frame has a
stable string ``id`` (the feature id), ``quality`` and ``source`` columns, JSON-safe columns only (str, int,
float, bool; lists joined with "、") and keeps rows without geometry (an empty geometry, never a dropped row).

What serving needs again and again is derived once per built frame and kept beside it: each feature's GeoJSON
text (:meth:`Catalogue.encoded`), the row of each feature id, the layer's info and extent, and (a bounded number
of) the rows that recent queries selected (:meth:`Catalogue.rows`).

>>> from gazetteer.corpus import Corpus
>>> from gazetteer.model import Kind, Place
>>> from gazetteer.places.registry import Gazetteer
>>> catalogue = Catalogue(Corpus(Gazetteer([Place("c", "甲安区", Kind.COUNTY)], home="c"), []))
>>> [info.id for info in catalogue.info()][:3]
['admin', 'townships', 'township_areas']
>>> catalogue.frame("admin")[["id", "name", "quality"]].to_dict("records")
[{'id': 'c', 'name': '甲安区', 'quality': 'missing'}]
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gazetteer.corpus import Corpus
from gazetteer.linking.links import Link, LinkType, Rule
from gazetteer.model import ROAD_KINDS, UNIT_KINDS, WATER_KINDS, Indicator, Kind, Place, Quality, Status
from gazetteer.places.positions import position_unit
from gazetteer.reading.indicators import describe, written
from layers.errors import InvalidParameter, LayerError, NotFound
from layers.export import encode_features
from layers.filters import LIST_SEP, SECTION_SEP, Filters, apply, split

CRS = "EPSG:4326"
SITE_KINDS = frozenset({Kind.SITE, Kind.PARK, Kind.PROJECT, Kind.MOUNTAIN})
LOCAL_KINDS = frozenset({Kind.VILLAGE, Kind.COMMUNITY})
#: The task filters, which place layers follow through their ``task_ids`` column.
TASK_FILTERS = ("section", "leader", "lead_unit", "unit", "year")
#: The layer of task–place links (one feature per link), beside ``tasks`` (one feature per task).
TASK_PLACES = "task_places"
#: Rules that give a task to every township alike (the rest single a township out).
BLANKET_RULES = frozenset({Rule.ALL, Rule.ALL_BUT_FARM, Rule.RELATED_UNSPECIFIED})
#: Which link types locate an indicator, best first.
LOCATING = (LinkType.MENTIONED, LinkType.CONTAINED, LinkType.RESPONSIBLE)


@dataclass(frozen=True, slots=True)
class LayerInfo:
    """What a client needs to list a layer."""

    id: str
    title: str
    description: str
    geometry_type: str
    count: int


@dataclass(frozen=True, slots=True)
class LayerSpec:
    id: str
    title: str
    description: str
    columns: tuple[tuple[str, type], ...]
    #: The one geometry family of the layer's features (``Point``, ``LineString`` or ``Polygon``; multi-parts
    #: count as their family): a GeoPackage layer and QGIS want one type per layer (see :func:`conform`).
    geometry: str = "Point"


#: The admin unit a place known only by its unit lies in (its geometry is then that unit's point, or none).
_POSITION_COLUMNS: tuple[tuple[str, type], ...] = (("position_unit_id", str), ("position_unit", str))
_PLACE_COLUMNS: tuple[tuple[str, type], ...] = (
    ("id", str), ("name", str), ("kind", str), ("aliases", str), ("parent_id", str), ("parent", str),
    ("townships", str), ("township_ids", str), ("admin_code", str), ("mention_count", int), ("task_count", int),
    ("task_ids", str), ("quality", str), ("source", str), ("note", str)) + _POSITION_COLUMNS
_UNIT_COLUMNS = _PLACE_COLUMNS + (("responsible_count", int), ("mentioned_count", int))
_TASK_COLUMNS: tuple[tuple[str, type], ...] = (
    ("id", str), ("task_id", str), ("number", str), ("kind", str), ("section", str), ("action", str),
    ("text", str), ("leaders", str), ("lead_units", str), ("units", str), ("link_type", str), ("rule", str),
    ("detail", str), ("place_id", str), ("place_name", str), ("place_kind", str), ("townships", str),
    ("township_ids", str), ("task_township_ids", str), ("doc_id", str), ("start", int), ("end", int),
    ("task_start", int), ("task_end", int), ("year", int), ("key", str), ("quality", str),
    ("source", str)) + _POSITION_COLUMNS
#: One row per task: what a table of tasks shows, and what its downloads hold.
_TASK_TABLE_COLUMNS: tuple[tuple[str, type], ...] = (
    ("id", str), ("number", str), ("task_kind", str), ("action", str), ("section", str), ("text", str),
    ("leaders", str), ("lead_units", str), ("units", str), ("lead_unit_keys", str), ("unit_keys", str),
    ("townships", str), ("township_ids", str), ("township_count", int), ("specific_townships", str),
    ("places", str), ("place_ids", str), ("place_kinds", str), ("place_count", int), ("indicators", str),
    ("indicator_count", int), ("deadline", str), ("doc_id", str), ("year", int), ("key", str), ("start", int),
    ("end", int), ("quality", str), ("source", str)) + _POSITION_COLUMNS
_INDICATOR_COLUMNS: tuple[tuple[str, type], ...] = (
    ("id", str), ("metric", str), ("shown_metric", str), ("comparator", str), ("value_text", str),
    ("unit_text", str), ("written", str), ("value", float),
    ("unit", str), ("kind", str), ("verb", str), ("phrase", str), ("owner", str), ("owner_type", str),
    ("number", str), ("section", str), ("leaders", str), ("lead_units", str), ("located_by", str),
    ("place_id", str), ("place_name", str), ("place_kind", str), ("townships", str), ("township_ids", str),
    ("doc_id", str), ("year", int), ("start", int), ("end", int), ("quality", str),
    ("source", str)) + _POSITION_COLUMNS

#: The layers, in the order clients list them (ids are fixed: pages, exports and the OGC API use them).
LAYERS: dict[str, LayerSpec] = {spec.id: spec for spec in (
    LayerSpec("admin", "行政区", "本市及其区县的行政区域（面）。", _PLACE_COLUMNS, "Polygon"),
    LayerSpec("townships", "乡镇办场", "部署单位下辖的乡镇级单位（乡镇、街道、农场、开发区等；地级市部署为县市区），附任务数（责任或辖区内点名）；"
              "点为驻地，只知所在行政区的单位取该行政区的代表点（见 position_unit）。", _UNIT_COLUMNS),
    LayerSpec("township_areas", "乡镇界线", "有自己界线（用户导入或开放数据）的乡镇级单位（面），附任务数。", _UNIT_COLUMNS,
              "Polygon"),
    LayerSpec("seats", "乡镇驻地", "全市乡镇级单位的驻地点（约±1 km）。", _PLACE_COLUMNS),
    LayerSpec("water", "水域", "湖泊、水库（面）；含开放数据中未命名的湖泊（名称为空）。只知所在行政区的无几何（见 position_unit）。",
              _PLACE_COLUMNS, "Polygon"),
    LayerSpec("water_lines", "河流", "河流、港渠（线）；示意线标为 schematic。只知所在行政区的无几何（见 position_unit）。",
              _PLACE_COLUMNS, "LineString"),
    LayerSpec("roads", "道路桥梁", "道路、街道、桥梁（线）；示意线标为 schematic。只知所在行政区的无几何（见 position_unit）。",
              _PLACE_COLUMNS, "LineString"),
    LayerSpec("sites", "项目与点位", "项目、园区、景点、山体，以及文中点名的村和社区（点：所据几何内的一点；只知所在行政区的取该行政区的代表点）。",
              _PLACE_COLUMNS),
    LayerSpec("places", "文中地名", "文件中至少提及一次的全部地名（任何类别；点：几何内的一点）。", _PLACE_COLUMNS),
    LayerSpec("tasks", "任务", "每项任务一行：编号、行动、任务内容、责任领导、牵头单位、责任单位、乡镇、地点与指标；"
              "点为其首个定位地点几何内的一点（经纬度即此点），只知所在行政区的取该行政区的代表点（见 position_unit）。",
              _TASK_TABLE_COLUMNS),
    LayerSpec(TASK_PLACES, "任务—地点关联", "每条“任务—地点”关联一个要素（一项任务可有多条）：提及、责任乡镇、辖区内地点，"
              "并注明理由与原文位置（点：地点几何内的一点）。", _TASK_COLUMNS),
    LayerSpec("indicators", "指标", "每个量化指标一个要素，按其任务或语句关联的第一个地点定位（见 located_by；点）。",
              _INDICATOR_COLUMNS),
)}

#: How many rows, all selections together, :meth:`Catalogue.rows` remembers (4 bytes each): the oldest are let go
#: first, so that a client panning with a new bbox each time never grows memory without bound.
SELECTION_ROWS = 1_000_000


class Catalogue:
    """The layers of one corpus. Construction is cheap; each frame is built once, on first use.

    ``lakes`` are extra water features not in the gazetteer (the unnamed OpenStreetMap lakes of the deployment's
    reference data), used as given; the catalogue opens no file itself. ``years`` gives each document's plan year
    (by document id; the ``year`` column, 0 where unknown, that the ``year`` filter reads) and ``keys`` each task's
    stable key (by task id; the ``key`` column, the task id where none is stored).
    """

    def __init__(self, corpus: Corpus, *, lakes: gpd.GeoDataFrame | None = None,
                 years: Mapping[str, int | None] | None = None, keys: Mapping[str, str] | None = None) -> None:
        self.corpus = corpus
        self.years = dict(years or {})
        self.keys = dict(keys or {})
        self.gazetteer = corpus.gazetteer
        self._lakes = lakes
        self._frames: dict[str, gpd.GeoDataFrame] = {}
        self._derived: dict[tuple[str, str], Any] = {}
        self._selections: OrderedDict[Hashable, np.ndarray] = OrderedDict()
        self._selected_rows = 0
        self._lock = threading.RLock()
        self._index: _Index | None = None

    # -- public -----------------------------------------------------------------------------------------
    def ids(self) -> tuple[str, ...]:
        return tuple(LAYERS)

    def spec(self, layer_id: str) -> LayerSpec:
        try:
            return LAYERS[layer_id]
        except KeyError:
            raise NotFound(f"没有图层“{layer_id}”（可用：{'、'.join(LAYERS)}）") from None

    def info(self) -> list[LayerInfo]:
        return [self.layer_info(layer_id) for layer_id in LAYERS]

    def layer_info(self, layer_id: str) -> LayerInfo:
        spec = self.spec(layer_id)

        def build(frame: gpd.GeoDataFrame) -> LayerInfo:
            return LayerInfo(spec.id, spec.title, spec.description, geometry_type(frame), len(frame))

        return self._derive(layer_id, "info", build)

    def extent(self, layer_id: str) -> tuple[float, float, float, float] | None:
        """The layer's :func:`bounds` (computed once)."""
        self.spec(layer_id)
        return self._derive(layer_id, "extent", bounds)

    def encoded(self, layer_id: str) -> tuple[bytes, ...]:
        """Each feature of the layer as its GeoJSON text (:func:`layers.export.encode_features`), in the order of
        :meth:`frame`; encoded once, so that serving a page only joins texts."""
        self.spec(layer_id)
        return self._derive(layer_id, "encoded", lambda frame: tuple(encode_features(frame)))

    def take(self, layer_id: str, rows: np.ndarray) -> gpd.GeoDataFrame:
        """The given rows of the layer (positions in :meth:`frame`), as a new frame."""
        self.spec(layer_id)
        return self._frame(layer_id).iloc[rows].reset_index(drop=True)

    def row_of(self, layer_id: str, feature_id: str) -> int | None:
        """The row (position in :meth:`frame`) of a feature id, or ``None``."""
        return self._row_index(layer_id).get(feature_id)

    def rows(self, layer_id: str, key: Hashable, select: Callable[[], gpd.GeoDataFrame]) -> np.ndarray:
        """The rows (positions in :meth:`frame`) of the features of ``select()``, a frame the layer was
        filtered to, remembered under ``key`` while the most recent selections hold at most
        :data:`SELECTION_ROWS` rows (frames never change once built, so a remembered selection stays right).
        ``key`` must capture every argument of ``select``."""
        cache_key = (layer_id, key)
        with self._lock:
            if cache_key in self._selections:
                self._selections.move_to_end(cache_key)
                return self._selections[cache_key]
        ids, index = select()["id"], self._row_index(layer_id)
        positions = np.fromiter((index[fid] for fid in ids), dtype=np.int32, count=len(ids))
        positions.setflags(write=False)
        with self._lock:
            if cache_key not in self._selections and len(positions) <= SELECTION_ROWS:
                self._selections[cache_key] = positions
                self._selected_rows += len(positions)
            while self._selected_rows > SELECTION_ROWS:
                self._selected_rows -= len(self._selections.popitem(last=False)[1])
        return positions

    def frame(self, layer_id: str, filters: Filters | None = None) -> gpd.GeoDataFrame:
        """The layer under ``filters`` (a new frame each call; the cached one is never handed out)."""
        self.spec(layer_id)
        frame = self._frame(layer_id)
        if filters is None or filters.is_empty():
            return frame.copy()
        filters = self.resolve(filters)
        if "leaders" not in frame.columns and "task_ids" in frame.columns:
            task_filters = filters.only(*TASK_FILTERS)
            if not task_filters.is_empty():
                passing = set(apply(self._frame("tasks"), task_filters, unit_key=self.unit_key)["id"])
                frame = frame[frame["task_ids"].map(lambda cell: bool(passing.intersection(split(cell))))]
            filters = filters.without(*TASK_FILTERS)
        return apply(frame, filters, unit_key=self.unit_key)

    def unit_key(self, name: str) -> str:
        """The key of a written unit name in this corpus (区水利和湖泊局 → 水利和湖泊局)."""
        return self.corpus.units.key(name)

    def resolve(self, filters: Filters) -> Filters:
        """``filters`` with the township given by id (a name or alias is looked up among the township-level
        units, home county first); an unknown township is an :class:`InvalidParameter`."""
        if filters.township is None:
            return filters
        unit = self.township(filters.township)
        return Filters(**{**{n: getattr(filters, n) for n in Filters.names()}, "township": unit.id})

    def township(self, name_or_id: str) -> Place:
        """The township-level unit (town, township, subdistrict, farm, zone) with that id, name or alias."""
        unit = self.gazetteer.unit(name_or_id)
        if unit is None:
            raise InvalidParameter(f"township：没有名为“{name_or_id}”的乡镇、街道、农场或园区")
        return unit

    # -- building ---------------------------------------------------------------------------------------
    def _frame(self, layer_id: str) -> gpd.GeoDataFrame:
        with self._lock:
            if layer_id not in self._frames:
                spec = LAYERS[layer_id]
                rows = [conform(row, spec.geometry, self.index.unit_point) for row in _BUILDERS[layer_id](self)]
                self._frames[layer_id] = to_frame(rows, spec.columns)
            return self._frames[layer_id]

    def _row_index(self, layer_id: str) -> dict[str, int]:
        self.spec(layer_id)
        return self._derive(layer_id, "rows", lambda frame: {fid: n for n, fid in enumerate(frame["id"])})

    def _derive(self, layer_id: str, name: str, build: Callable[[gpd.GeoDataFrame], Any]) -> Any:
        """``build(frame)`` of the cached frame, computed once per layer and ``name``."""
        with self._lock:
            key = (layer_id, name)
            if key not in self._derived:
                self._derived[key] = build(self._frame(layer_id))
            return self._derived[key]

    @property
    def index(self) -> _Index:
        with self._lock:
            if self._index is None:
                self._index = _Index(self.corpus, years=self.years, keys=self.keys)
            return self._index

    def _place_rows(self, places: Iterable[Place], *, units: bool = False,
                    geometry: Callable[[Place], tuple[BaseGeometry | None, str]] | None = None) -> list[dict]:
        return [self.index.place_row(p, units=units, geometry=geometry) for p in places]

    def _admin(self) -> list[dict]:
        """The home county's city and its counties (the home county alone when it has no city)."""
        home = self.gazetteer.get(self.gazetteer.home or "")
        if home is None:
            return []
        city = self._city()
        counties = [c for c in self.gazetteer.children(city.id) if c.kind == Kind.COUNTY] if city else [home]
        return self._place_rows([city, *counties] if city else counties)

    def _city(self) -> Place | None:
        home = self.gazetteer.home
        if home is None or home not in self.gazetteer:
            return None
        if self.gazetteer[home].kind == Kind.CITY:  # a prefecture-level deployment is its own city
            return self.gazetteer[home]
        return next((a for a in self.gazetteer.ancestors(home) if a.kind == Kind.CITY), None)

    def _townships(self) -> list[dict]:
        return self._place_rows(self.gazetteer.units(), units=True)

    def _township_areas(self) -> list[dict]:
        return self._place_rows((u for u in self.gazetteer.units() if _has_area(u)), units=True)

    def _seats(self) -> list[dict]:
        def seat(place: Place) -> tuple[BaseGeometry | None, str]:
            point = place.geometry is not None and place.geometry.geom_type == "Point"
            return (place.geometry, str(place.quality)) if point else (None, str(Quality.MISSING))

        return self._place_rows(self._city_units(), geometry=seat)

    def _city_units(self) -> list[Place]:
        """Township-level units of the home county's city (or of the home county when it has no city)."""
        home = self.gazetteer.get(self.gazetteer.home or "")
        if home is None:
            return []
        city = self._city()
        counties = [c for c in self.gazetteer.children(city.id) if c.kind == Kind.COUNTY] if city else [home]
        return [u for county in counties for u in self.gazetteer.children(county.id) if u.kind in UNIT_KINDS]

    def _water(self) -> list[dict]:
        rows = self._place_rows(p for p in self.gazetteer if p.kind in WATER_KINDS and not _is_line(p))
        return rows + self._lake_rows()

    def _water_lines(self) -> list[dict]:
        return self._place_rows(p for p in self.gazetteer if p.kind in WATER_KINDS and _is_line(p))

    def _lake_rows(self) -> list[dict]:
        lakes = self._lakes
        if lakes is None or lakes.empty:
            return []
        if lakes.crs is None:
            raise LayerError("附加湖泊图层没有坐标参考系（no CRS；从不猜测）")
        lakes = lakes.to_crs(CRS)
        named = {p.geometry.wkb for p in self.gazetteer if p.geometry is not None and p.kind in WATER_KINDS}
        rows = []
        for number, record in enumerate(lakes.to_dict("records")):
            shape = record.get("geometry")
            if shape is not None and shape.wkb in named:
                continue
            ref = _clean(record.get("id")) or f"lake-{number}"
            rows.append({"id": ref if ref not in self.gazetteer else f"osm-{ref}", "name": _clean(record.get("name")),
                         "kind": str(Kind.LAKE),
                         "quality": _clean(record.get("quality")) or str(Quality.OPEN_DATA),
                         "source": _clean(record.get("source")) or "OpenStreetMap", "geometry": shape})
        return rows

    def _roads(self) -> list[dict]:
        return self._place_rows(p for p in self.gazetteer if p.kind in ROAD_KINDS)

    def _sites(self) -> list[dict]:
        mentioned = self.index.mentions
        return self._place_rows(p for p in self.gazetteer
                                if p.kind in SITE_KINDS or (p.kind in LOCAL_KINDS and mentioned[p.id]))

    def _places(self) -> list[dict]:
        ids = self.corpus.mentioned_place_ids()
        return self._place_rows((self.gazetteer[i] for i in ids if i in self.gazetteer), units=False)

    def _task_places(self) -> list[dict]:
        return [row for task_id in self.corpus.tasks for row in self.index.task_rows(task_id)]

    def _tasks(self) -> list[dict]:
        return [self.index.task_table_row(task_id) for task_id in self.corpus.tasks]

    def _indicators(self) -> list[dict]:
        seen: Counter[str] = Counter()
        rows = []
        for indicator in self.corpus.indicators:
            row = self.index.indicator_row(indicator)
            seen[row["id"]] += 1
            if seen[row["id"]] > 1:
                row["id"] = f"{row['id']}~{seen[row['id']]}"
            rows.append(row)
        return rows


_BUILDERS: dict[str, Callable[[Catalogue], list[dict]]] = {
    "admin": Catalogue._admin, "townships": Catalogue._townships,
    "township_areas": Catalogue._township_areas, "seats": Catalogue._seats,
    "water": Catalogue._water, "water_lines": Catalogue._water_lines, "roads": Catalogue._roads,
    "sites": Catalogue._sites, "places": Catalogue._places,
    "tasks": Catalogue._tasks, TASK_PLACES: Catalogue._task_places, "indicators": Catalogue._indicators,
}


class _Index:
    """Counts and lookups over the corpus that several layers share (built once per catalogue)."""

    def __init__(self, corpus: Corpus, *, years: Mapping[str, int | None], keys: Mapping[str, str]) -> None:
        self.corpus = corpus
        self.years = years
        self.keys = keys
        self.gazetteer = corpus.gazetteer
        home = self.gazetteer.get(self.gazetteer.home or "")
        #: Kinds of the units tasks are given to: township-level ones, and a city's counties.
        self.unit_kinds = UNIT_KINDS | {Kind.COUNTY} if home is not None and home.kind == Kind.CITY else UNIT_KINDS
        self.mentions: Counter[str] = Counter(r.place_id for r in corpus.resolutions
                                              if r.status == Status.RESOLVED and r.place_id)
        self.segments = {(r.mention.span.doc_id, r.mention.span.start, r.mention.span.end, r.place_id): r.geometry
                         for r in corpus.resolutions if r.geometry is not None and r.place_id}
        self.mentioned_tasks: dict[str, list[str]] = defaultdict(list)
        self._units: dict[str, Place | None] = {}
        for link in corpus.links:
            if link.type == LinkType.MENTIONED and link.owner_id in corpus.tasks:
                self.mentioned_tasks[link.place_id].append(link.owner_id)

    def position_unit(self, place: Place) -> Place | None:
        """:func:`gazetteer.places.positions.position_unit`, once per place."""
        if place.id not in self._units:
            self._units[place.id] = position_unit(self.gazetteer, place)
        return self._units[place.id]

    def position_fields(self, place: Place | None) -> dict[str, str]:
        unit = self.position_unit(place) if place is not None else None
        return {"position_unit_id": unit.id if unit else "", "position_unit": unit.name if unit else ""}

    def unit_point(self, unit_id: str) -> BaseGeometry | None:
        """The point standing for a unit in a point layer: its seat, else a point inside its geometry."""
        unit = self.gazetteer.get(unit_id)
        if unit is None or unit.geometry is None or unit.geometry.is_empty:
            return None
        return unit.geometry if unit.geometry.geom_type == "Point" else unit.geometry.representative_point()

    def link_shape(self, place_id: str, doc_id: str, start: int, end: int) -> BaseGeometry | None:
        """The whole geometry a mention of a place names (a named stretch of a road, else the place's own), for
        maps, where a layer's row carries only a point."""
        place = self.gazetteer.get(place_id)
        return self.segments.get((doc_id, start, end, place_id), place.geometry if place else None)

    def townships_of(self, place: Place) -> list[Place]:
        return self.gazetteer.township_of(place.id) if place.id in self.gazetteer else []

    def place_row(self, place: Place, *, units: bool = False,
                  geometry: Callable[[Place], tuple[BaseGeometry | None, str]] | None = None) -> dict[str, Any]:
        shape, quality = geometry(place) if geometry else (place.geometry, str(place.quality))
        parent = self.gazetteer.get(place.parent) if place.parent else None
        townships = self.townships_of(place)
        if units:
            reasons = self.corpus.township_tasks(place.id)
            task_ids = [task.id for task, _ in reasons]
        else:
            task_ids = list(dict.fromkeys(self.mentioned_tasks.get(place.id, ())))
        row = {
            "id": place.id, "name": place.name, "kind": str(place.kind), "aliases": LIST_SEP.join(place.aliases),
            "parent_id": place.parent or "", "parent": parent.name if parent else "",
            "townships": LIST_SEP.join(t.name for t in townships),
            "township_ids": LIST_SEP.join(t.id for t in townships),
            "admin_code": place.admin_code or "", "mention_count": self.mentions[place.id],
            "task_count": len(task_ids), "task_ids": LIST_SEP.join(task_ids), "quality": quality,
            "source": place.source, "note": place.note, "geometry": shape,
            **(self.position_fields(place) if shape is not None else {}),
        }
        if units:
            links = self.corpus.links_for_place(place.id)
            row["responsible_count"] = len({link.owner_id for link in links if link.type == LinkType.RESPONSIBLE
                                            and link.owner_id in self.corpus.tasks})
            row["mentioned_count"] = len({link.owner_id for link in links if link.type == LinkType.CONTAINED})
        return row

    def task_townships(self, task_id: str) -> list[str]:
        return list(dict.fromkeys(
            link.place_id for link in self.corpus.links_for_owner(task_id)
            if link.type in (LinkType.RESPONSIBLE, LinkType.CONTAINED) and link.place_id in self.gazetteer
            and self.gazetteer[link.place_id].kind in self.unit_kinds))

    def task_rows(self, task_id: str) -> list[dict[str, Any]]:
        task = self.corpus.tasks[task_id]
        r = task.responsibility
        base = {"task_id": task.id, "number": task.number, "kind": task.kind,
                "section": SECTION_SEP.join(task.section), "action": task.section[0] if task.section else "",
                "text": task.text, "leaders": LIST_SEP.join(r.leaders), "lead_units": LIST_SEP.join(r.lead_units),
                "units": LIST_SEP.join(r.units), "task_township_ids": LIST_SEP.join(self.task_townships(task.id)),
                "doc_id": task.doc_id, "task_start": task.span.start, "task_end": task.span.end,
                "year": self.years.get(task.doc_id) or 0, "key": self.keys.get(task.id, task.id)}
        links = self.corpus.links_for_owner(task.id)
        if not links:
            return [{**base, "id": f"{task.id}~0", "link_type": "", "rule": "", "detail": "未关联任何地点",
                     "start": task.span.start, "end": task.span.end, "quality": str(Quality.MISSING),
                     "source": "", "geometry": None}]
        return [{**base, "id": f"{task.id}~{number}", **self.link_fields(link, task.span.start, task.span.end)}
                for number, link in enumerate(links)]

    def task_table_row(self, task_id: str) -> dict[str, Any]:
        """One row per task: its fields as lists joined with 、, its townships (responsible or containing a place it
        names; ``specific_townships`` those not reached only by a blanket phrase), the places it names, its
        indicators as written. One geometry type per layer: the geometry is a point of the task's first locating
        place (:meth:`locating_link`; :func:`conform` takes a point on its shape, or the unit's point for a place known
        only by its admin unit, flagged by ``position_unit_id``/``position_unit``), so a table's lon/lat is that
        point; a task that locates nowhere (各乡镇办场) has no geometry. Its every place is in ``task_places``."""
        task = self.corpus.tasks[task_id]
        r = task.responsibility
        links = self.corpus.links_for_owner(task.id)
        townships = self.task_townships(task.id)
        specific = list(dict.fromkeys(
            link.place_id for link in links if link.place_id in townships and link.rule not in BLANKET_RULES))
        places = list(dict.fromkeys(link.place_id for link in links
                                    if link.type == LinkType.MENTIONED and link.place_id in self.gazetteer))
        locating = self.locating_link(task.id)
        located = self.link_fields(locating, task.span.start, task.span.end) if locating is not None else {}
        qualities = [self.gazetteer[p].quality for p in places] or [self.gazetteer[t].quality for t in specific]
        indicators = self.corpus.indicators_for(task.id)
        units = self.corpus.units
        return {
            "id": task.id, "number": task.number, "task_kind": str(task.kind),
            "action": task.section[0] if task.section else "", "section": SECTION_SEP.join(task.section),
            "text": task.text, "leaders": LIST_SEP.join(r.leaders), "lead_units": LIST_SEP.join(r.lead_units),
            "units": LIST_SEP.join(r.units), "lead_unit_keys": LIST_SEP.join(units.keys_of(r.lead_units)),
            "unit_keys": LIST_SEP.join(units.keys_of(r.units)),
            "townships": LIST_SEP.join(self.gazetteer[t].name for t in townships),
            "township_ids": LIST_SEP.join(townships), "township_count": len(townships),
            "specific_townships": LIST_SEP.join(self.gazetteer[t].name for t in specific),
            "places": LIST_SEP.join(self.gazetteer[p].name for p in places), "place_ids": LIST_SEP.join(places),
            "place_kinds": LIST_SEP.join(dict.fromkeys(str(self.gazetteer[p].kind) for p in places)),
            "place_count": len(places), "indicators": LIST_SEP.join(describe(i) for i in indicators),
            "indicator_count": len(indicators), "deadline": task.deadline.text if task.deadline else "",
            "doc_id": task.doc_id, "year": self.years.get(task.doc_id) or 0, "key": self.keys.get(task.id, task.id),
            "start": task.span.start, "end": task.span.end,
            "quality": str(min(qualities, key=lambda q: q.rank)) if qualities else str(Quality.MISSING),
            "source": "", "geometry": located.get("geometry"),
            "position_unit_id": located.get("position_unit_id", ""), "position_unit": located.get("position_unit", ""),
        }

    def link_fields(self, link: Link, start: int, end: int) -> dict[str, Any]:
        place = self.gazetteer.get(link.place_id)
        span = link.span
        shape = place.geometry if place else None
        segment = self.segments.get((span.doc_id, span.start, span.end, link.place_id)) if (
            span is not None and link.type == LinkType.MENTIONED) else None
        shape = segment if segment is not None else shape
        townships = self.townships_of(place) if place else []
        return {"link_type": str(link.type), "rule": str(link.rule), "detail": link.detail,
                "place_id": link.place_id, "place_name": place.name if place else "",
                "place_kind": str(place.kind) if place else "",
                "townships": LIST_SEP.join(t.name for t in townships),
                "township_ids": LIST_SEP.join(t.id for t in townships),
                "start": span.start if span else start, "end": span.end if span else end,
                "quality": str(place.quality) if place and shape is not None else str(Quality.MISSING),
                "source": place.source if place else "", "geometry": shape,
                **(self.position_fields(place) if segment is None and shape is not None else {})}

    def locating_link(self, owner: str) -> Link | None:
        """The first linked place of a task or statement: a mention, else a containing township, else the one
        township named responsible (a 各乡镇办场 task locates nowhere)."""
        links = self.corpus.links_for_owner(owner)
        for link_type in LOCATING:
            found = [link for link in links if link.type == link_type]
            if link_type == LinkType.RESPONSIBLE:
                found = [link for link in found if link.rule in (Rule.NAMED_UNIT, Rule.RELATED_LOCATED)]
                found = found if len(found) == 1 else []
            if found:
                return found[0]
        return None

    def indicator_row(self, indicator: Indicator) -> dict[str, Any]:
        span = indicator.span
        task = self.corpus.tasks.get(indicator.owner)
        document = self.corpus.documents.get(span.doc_id)
        link = self.locating_link(indicator.owner) if indicator.owner else None
        row: dict[str, Any] = {
            "id": f"{span.doc_id}@{span.start}-{span.end}", "metric": indicator.metric,
            "shown_metric": indicator.shown_metric, "written": written(indicator),
            "comparator": indicator.comparator, "value_text": indicator.value_text, "unit_text": indicator.unit_text,
            "value": float(indicator.value), "unit": indicator.unit, "kind": indicator.kind, "verb": indicator.verb,
            "phrase": document.text[span.start:span.end] if document else "", "owner": indicator.owner,
            "owner_type": "task" if task else ("statement" if indicator.owner in self.corpus.statements else ""),
            "number": task.number if task else "", "section": SECTION_SEP.join(task.section) if task else "",
            "leaders": LIST_SEP.join(task.responsibility.leaders) if task else "",
            "lead_units": LIST_SEP.join(task.responsibility.lead_units) if task else "",
            "doc_id": span.doc_id, "year": self.years.get(span.doc_id) or 0, "located_by": "",
            "place_id": "", "place_name": "", "place_kind": "", "quality": str(Quality.MISSING), "source": "",
            "geometry": None,
        }
        located: list[str] = []
        if link is not None:
            fields = self.link_fields(link, span.start, span.end)
            row.update({k: fields[k] for k in ("place_id", "place_name", "place_kind", "quality", "source",
                                               "geometry", "township_ids", "position_unit_id", "position_unit")
                        if k in fields})
            row["located_by"] = f"{link.type}: {link.detail}"
            located = split(fields["township_ids"])
        township_ids = list(dict.fromkeys([*(self.task_townships(task.id) if task else []), *located]))
        row["township_ids"] = LIST_SEP.join(township_ids)
        row["townships"] = LIST_SEP.join(self.gazetteer[t].name for t in township_ids if t in self.gazetteer)
        row["start"], row["end"] = span.start, span.end
        return row


# -- frames ---------------------------------------------------------------------------------------------------
_EMPTY: dict[type, Any] = {str: "", int: 0, float: float("nan"), bool: False}


def to_frame(rows: list[dict[str, Any]], columns: tuple[tuple[str, type], ...]) -> gpd.GeoDataFrame:
    """Rows (dicts) as a GeoDataFrame in EPSG:4326 with exactly ``columns`` (missing cells filled: "" or 0) and
    a ``geometry`` column (``None`` where a row has none)."""
    names = [name for name, _ in columns]
    data: dict[str, list[Any]] = {name: [] for name in names}
    shapes: list[BaseGeometry | None] = []
    for row in rows:
        for name, kind in columns:
            value = row.get(name)
            data[name].append(_EMPTY[kind] if value is None else kind(value))
        shape = row.get("geometry")
        shapes.append(None if shape is None or shape.is_empty else shape)
    frame = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(shapes, crs=CRS), crs=CRS)
    for name, kind in columns:
        frame[name] = frame[name].astype({str: object, int: "int64", float: "float64", bool: bool}[kind])
    return frame


def conform(row: dict[str, Any], family: str, unit_point: Callable[[str], BaseGeometry | None]) -> dict[str, Any]:
    """``row`` with a geometry of the layer's ``family``: a place known only by its admin unit
    (``position_unit_id``) gets the unit's point in a point layer and no geometry elsewhere, never a copy of the
    unit's outline; in a point layer a line or area becomes a point on it; a shape of another family is left out
    (the row stays).

    >>> from shapely.geometry import LineString, Point, Polygon
    >>> line = {"id": "r", "geometry": LineString([(0, 0), (2, 0)])}
    >>> conform(line, "Point", dict().get)["geometry"].geom_type, conform(line, "Polygon", dict().get)["geometry"]
    ('Point', None)
    >>> park = {"id": "p", "position_unit_id": "c", "geometry": Polygon([(0, 0), (1, 0), (1, 1)])}
    >>> conform(park, "Point", {"c": Point(5, 5)}.get)["geometry"].wkt, conform(park, "Polygon", dict().get)["geometry"]
    ('POINT (5 5)', None)
    """
    shape = row.get("geometry")
    if row.get("position_unit_id"):
        shape = unit_point(row["position_unit_id"]) if family == "Point" else None
    elif shape is not None and not shape.is_empty:
        if family == "Point" and shape.geom_type != "Point":
            shape = shape.representative_point()
        elif family != "Point" and shape.geom_type.removeprefix("Multi") != family:
            shape = None
    return {**row, "geometry": shape}


def _has_area(place: Place) -> bool:
    """Whether a place has an outline of its own (not one borrowed from the unit it lies in)."""
    shape = place.geometry
    return (shape is not None and shape.area > 0
            and place.quality not in (Quality.ADMIN_FALLBACK, Quality.DERIVED, Quality.MISSING))


def _is_line(place: Place) -> bool:
    """Whether a water place belongs to the river lines: its geometry is a line, or (without a geometry of its
    own) it is a river."""
    shape = place.geometry
    if shape is None or shape.is_empty or place.quality in (Quality.ADMIN_FALLBACK, Quality.MISSING):
        return place.kind == Kind.RIVER
    return shape.geom_type.endswith("LineString")


def geometry_type(frame: gpd.GeoDataFrame) -> str:
    """The one geometry type of a frame (multi-parts count as their single type), or ``"Geometry"`` when mixed.

    >>> from shapely.geometry import Point, MultiPoint
    >>> geometry_type(gpd.GeoDataFrame(geometry=[Point(0, 0), MultiPoint([(1, 1)]), None], crs=CRS))
    'Point'
    """
    types = {t.removeprefix("Multi") for t in frame.geometry.geom_type.dropna().unique()}
    return types.pop() if len(types) == 1 else "Geometry"


def bounds(frame: gpd.GeoDataFrame) -> tuple[float, float, float, float] | None:
    """(minx, miny, maxx, maxy) of the non-empty geometries, or ``None``."""
    present = frame.geometry.dropna()
    present = present[~present.is_empty]
    if present.empty:
        return None
    minx, miny, maxx, maxy = shapely.total_bounds(present.to_numpy())
    return (float(minx), float(miny), float(maxx), float(maxy))


def _clean(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)
