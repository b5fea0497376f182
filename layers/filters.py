"""Filters shared by the planner map, downloads and the OGC API: one frozen value, parsed once, applied to any layer.

A filter only narrows the layers that carry the columns it reads (a ``leader`` filter has no column to read in
``admin``); :meth:`layers.catalogue.Catalogue.frame` extends the task filters to place layers through their
``task_ids`` column.

>>> f = Filters.from_args({"township": "向阳湖镇", "bbox": "114,29.5,114.5,30"})
>>> f.township, f.bbox
('向阳湖镇', (114.0, 29.5, 114.5, 30.0))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from gazetteer.model import Kind
from layers.errors import InvalidParameter

#: How list-valued columns are joined (JSON-safe strings).
LIST_SEP = "、"
#: How the levels of a task's section path are joined.
SECTION_SEP = " > "
#: Columns the ``keyword`` filter searches.
KEYWORD_COLUMNS = ("name", "aliases", "text", "place_name", "places", "metric", "phrase", "detail", "lead_units",
                   "units")
#: Columns of unit keys (:mod:`gazetteer.linking.units`) that the ``unit``, ``lead_unit`` and ``keyword`` filters
#: also read, so that 区水利和湖泊局 finds the tasks that write 水利和湖泊局.
UNIT_KEY_COLUMNS = ("lead_unit_keys", "unit_keys")
#: Links that make every township responsible at once; a keyword does not find a task through them.
_BLANKET_RULES = frozenset({"all", "all-but-farm", "related-unspecified"})
#: Longest text accepted for a text filter.
MAX_TEXT = 200


@dataclass(frozen=True, slots=True)
class Filters:
    """What to keep. Every field is optional; ``None`` keeps everything.

    ``township`` is a township-level unit's id or name, ``section`` any level of a task's action path (七大行动 or
    a sub-heading), ``leader`` / ``lead_unit`` a 责任领导 / 牵头单位 (a part of one is enough), ``kind`` a place
    kind (:class:`gazetteer.model.Kind` value), ``keyword`` a text searched in names and texts, ``bbox``
    (minx, miny, maxx, maxy) in WGS84 degrees, ``unit`` a unit the task names as 牵头单位 or 责任单位 (区水利和湖泊局 =
    水利和湖泊局).
    """

    township: str | None = None
    section: str | None = None
    leader: str | None = None
    lead_unit: str | None = None
    kind: Kind | None = None
    keyword: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    unit: str | None = None
    #: The plan's year (a task's document's year; place layers follow their tasks).
    year: int | None = None

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The field names, which are also the query-parameter names."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> Filters:
        """Parse query arguments (other keys are ignored); blank values mean "no filter".

        >>> Filters.from_args({"kind": "lake", "page": "2"})
        Filters(township=None, section=None, leader=None, lead_unit=None, kind=<Kind.LAKE: 'lake'>, keyword=None, bbox=None, unit=None, year=None)
        >>> Filters.from_args({"bbox": "114,30,113,31"})
        Traceback (most recent call last):
        ...
        layers.errors.InvalidParameter: bbox：minx 114.0 大于 maxx 113.0
        """
        values: dict[str, Any] = {}
        for name in cls.names():
            raw = args.get(name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            values[name] = parse_bbox(raw) if name == "bbox" else parse_year(raw) if name == "year" else _text(name, raw)
        if "kind" in values:
            if values["kind"] not in set(Kind):
                raise InvalidParameter(f"kind：未知的地点类别“{values['kind']}”"
                                       f"（可用：{'、'.join(k.value for k in Kind)}）")
            values["kind"] = Kind(values["kind"])
        return cls(**values)

    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.names())

    def only(self, *names: str) -> Filters:
        """A copy keeping only the named fields."""
        return Filters(**{name: getattr(self, name) for name in names})

    def without(self, *names: str) -> Filters:
        """A copy with the named fields cleared."""
        return replace(self, **{name: None for name in names})

    def as_args(self) -> dict[str, str]:
        """The non-empty fields as query arguments (the inverse of :meth:`from_args`).

        >>> Filters(leader="王五", bbox=(114.0, 29.5, 114.5, 30.0)).as_args()
        {'leader': '王五', 'bbox': '114.0,29.5,114.5,30.0'}
        """
        out = {}
        for name in self.names():
            value = getattr(self, name)
            if value is not None:
                out[name] = ",".join(repr(v) for v in value) if name == "bbox" else str(value) if name == "year" else value
        return out


#: The filters as a reader names them (download notes, page labels).
FILTER_TEXT: dict[str, str] = {"township": "乡镇", "section": "行动", "leader": "责任领导", "lead_unit": "牵头单位",
                               "kind": "地点类型", "keyword": "关键词", "bbox": "范围（经纬度）", "unit": "单位",
                               "year": "年度"}


def filter_notes(filters: Filters) -> dict[str, str]:
    """The filters that are set, under their Chinese names (the 说明 sheet of a download).

    >>> filter_notes(Filters(township="向阳湖镇", unit="区水利和湖泊局"))
    {'乡镇': '向阳湖镇', '单位': '区水利和湖泊局'}
    """
    return {FILTER_TEXT[name]: value for name, value in filters.as_args().items()}


def _text(name: str, raw: Any) -> str:
    if not isinstance(raw, str):
        raise InvalidParameter(f"{name}：应为文字，而不是 {type(raw).__name__}")
    value = raw.strip()
    if len(value) > MAX_TEXT:
        raise InvalidParameter(f"{name}：超过 {MAX_TEXT} 个字符")
    return value


def parse_year(raw: Any) -> int:
    """A plan's year: four digits (2025, also 2025年).

    >>> parse_year("2025"), parse_year(" 2026年 ")
    (2025, 2026)
    >>> parse_year("明年")
    Traceback (most recent call last):
    ...
    layers.errors.InvalidParameter: year：应为年份（如 2025），而不是“明年”
    """
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    else:
        text = str(raw).strip().removesuffix("年")
        if not (text.isascii() and text.isdigit() and len(text) == 4):
            raise InvalidParameter(f"year：应为年份（如 2025），而不是“{str(raw)[:MAX_TEXT]}”")
        value = int(text)
    if not 1900 <= value <= 2100:
        raise InvalidParameter(f"year：{value} 不在 1900 至 2100 之间")
    return value


def parse_bbox(raw: Any) -> tuple[float, float, float, float]:
    """``"minx,miny,maxx,maxy"`` (or 4 numbers) in WGS84 degrees, checked.

    >>> parse_bbox("114.0, 29.5, 114.5, 30")
    (114.0, 29.5, 114.5, 30.0)
    >>> parse_bbox("114,29.5,114.5")
    Traceback (most recent call last):
    ...
    layers.errors.InvalidParameter: bbox：应为 4 个数 minx,miny,maxx,maxy，实际 3 个
    """
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    if len(parts) != 4:
        raise InvalidParameter(f"bbox：应为 4 个数 minx,miny,maxx,maxy，实际 {len(parts)} 个")
    try:
        minx, miny, maxx, maxy = (float(p) for p in parts)
    except (TypeError, ValueError):
        raise InvalidParameter(f"bbox：“{raw}”中有不是数字的值") from None
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        raise InvalidParameter("bbox：数值必须是有限数")
    for axis, low, high, limit in (("x", minx, maxx, 180.0), ("y", miny, maxy, 90.0)):
        if not (-limit <= low <= limit and -limit <= high <= limit):
            raise InvalidParameter(f"bbox：{axis} 须在 ±{limit:g} 度之内（WGS84 经纬度）")
        if low > high:
            raise InvalidParameter(f"bbox：min{axis} {low} 大于 max{axis} {high}")
    return (minx, miny, maxx, maxy)


# -- applying -----------------------------------------------------------------------------------------------------
def apply(frame: gpd.GeoDataFrame, filters: Filters | None, *,
          unit_key: Callable[[str], str] | None = None) -> gpd.GeoDataFrame:
    """The rows of a layer frame that pass ``filters`` (a new frame; the index is reset).

    Reads these columns when present: ``year`` (year), ``township_ids``/``townships`` and ``task_township_ids`` (township),
    ``section``, ``leaders``, ``lead_units`` (and ``lead_unit_keys``), ``unit_keys`` (unit), ``place_kind``,
    ``place_kinds`` (one of a list) or else ``kind``, the :data:`KEYWORD_COLUMNS` (keyword), and the geometry (bbox:
    rows that intersect; rows without geometry drop out). ``unit_key`` turns a written unit name into its key
    (:meth:`gazetteer.linking.units.UnitIndex.key`; without it a name is its own key).
    """
    key = unit_key or (lambda name: name)
    if filters is None or filters.is_empty():
        return frame.reset_index(drop=True)
    keep = pd.Series(True, index=frame.index)
    if filters.township is not None:
        keep &= _township_mask(frame, filters.township)
    for name, column, matcher in (("section", "section", _level_contains), ("leader", "leaders", _item_contains)):
        value = getattr(filters, name)
        if value is not None and column in frame.columns:
            keep &= frame[column].map(lambda cell, v=value, m=matcher: m(cell, v)).astype(bool)
    if filters.lead_unit is not None and "lead_units" in frame.columns:
        keep &= _unit_mask(frame, filters.lead_unit, ("lead_units",), ("lead_unit_keys",), key, partial=True)
    if filters.unit is not None and any(c in frame.columns for c in ("lead_units", "units")):
        keep &= _unit_mask(frame, filters.unit, ("lead_units", "units"), UNIT_KEY_COLUMNS, key, partial=False)
    if filters.kind is not None:
        if "place_kinds" in frame.columns:
            keep &= frame["place_kinds"].map(lambda cell: filters.kind in split(cell)).astype(bool)
        else:
            column = "place_kind" if "place_kind" in frame.columns else "kind"
            if column in frame.columns:
                keep &= frame[column] == filters.kind
    if filters.keyword is not None:
        found = _keyword_mask(frame, filters.keyword)
        if any(c in frame.columns for c in UNIT_KEY_COLUMNS):
            found |= _unit_mask(frame, filters.keyword, (), UNIT_KEY_COLUMNS, key, partial=False)
        keep &= found
    if filters.year is not None and "year" in frame.columns:
        keep &= frame["year"] == filters.year
    if filters.bbox is not None:
        keep &= pd.Series(frame.geometry.intersects(shapely.box(*filters.bbox)).fillna(False).to_numpy(dtype=bool),
                          index=frame.index)
    return frame[keep.to_numpy()].reset_index(drop=True)


def split(cell: Any, sep: str = LIST_SEP) -> list[str]:
    """The items of a joined list cell.

    >>> split("北湖镇、东桥镇")
    ['北湖镇', '东桥镇']
    """
    return [part for part in str(cell or "").split(sep) if part]


def _item_contains(cell: Any, value: str) -> bool:
    return any(value in item for item in split(cell))


def _unit_mask(frame: gpd.GeoDataFrame, value: str, written: tuple[str, ...], keys: tuple[str, ...],
               key: Callable[[str], str], *, partial: bool) -> pd.Series:
    """Rows naming the unit ``value``: its key is one of the row's unit keys or written names, or (``partial``) a
    part of one written name (发改 finds 区发改局)."""
    wanted = key(value)
    keep = pd.Series(False, index=frame.index)
    for column in (*written, *keys):
        if column in frame.columns:
            keep |= frame[column].map(lambda cell: any(
                item == value or key(item) == wanted or (partial and value in item) for item in split(cell))
            ).astype(bool)
    return keep


def _level_contains(cell: Any, value: str) -> bool:
    return any(value in level for level in split(cell, SECTION_SEP))


def _township_mask(frame: gpd.GeoDataFrame, township: str) -> pd.Series:
    keep = pd.Series(True, index=frame.index)
    columns = [c for c in ("township_ids", "townships") if c in frame.columns]
    if columns:
        keep &= frame[columns].apply(lambda row: any(township in split(row[c]) for c in columns), axis=1) \
            .astype(bool) if len(frame) else keep
    if "task_township_ids" in frame.columns:
        keep &= frame["task_township_ids"].map(lambda cell: township in split(cell)).astype(bool)
    return keep


def _keyword_mask(frame: gpd.GeoDataFrame, keyword: str) -> pd.Series:
    """Rows whose names or texts contain ``keyword``. On the tasks layer a task is found by its words, the places
    it names and the units it names as responsible, not by every township a blanket 各乡镇办场 makes responsible
    (奶牛 finds the tasks naming 向阳湖奶牛良种场, not all 52 tasks of 各乡镇办场)."""
    needle = keyword.casefold()
    columns = [c for c in KEYWORD_COLUMNS if c in frame.columns]
    keep = pd.Series(False, index=frame.index)
    named = ~frame["rule"].isin(_BLANKET_RULES) if "rule" in frame.columns else None
    for column in columns:
        found = frame[column].map(lambda cell: needle in str(cell or "").casefold()).astype(bool)
        if named is not None and column in ("place_name", "detail"):
            found &= named
        keep |= found
    return keep
