"""Small frozen value objects shared by every stage: places, documents, tasks, mentions, indicators.

Everything taken from a document keeps its :class:`Span` so that a page can show the sentence it came from.
Geometries are shapely objects in WGS84 longitude/latitude order (EPSG:4326).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from shapely.geometry.base import BaseGeometry


class Kind(StrEnum):
    """What sort of place an entry is (DESIGN.md, "The place model")."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWN = "town"
    TOWNSHIP = "township"
    SUBDISTRICT = "subdistrict"
    FARM = "farm"
    ZONE = "zone"
    VILLAGE = "village"
    COMMUNITY = "community"
    LAKE = "lake"
    RIVER = "river"
    RESERVOIR = "reservoir"
    ROAD = "road"
    BRIDGE = "bridge"
    STREET = "street"
    PARK = "park"
    SITE = "site"
    PROJECT = "project"
    MOUNTAIN = "mountain"


#: Administrative kinds, largest first.
ADMIN_KINDS = frozenset({Kind.PROVINCE, Kind.CITY, Kind.COUNTY, Kind.TOWN, Kind.TOWNSHIP, Kind.SUBDISTRICT,
                         Kind.FARM, Kind.ZONE, Kind.VILLAGE, Kind.COMMUNITY})
#: The units a 责任分解方案 calls 乡镇办场: towns, townships, subdistricts and the farm.
TOWNSHIP_KINDS = frozenset({Kind.TOWN, Kind.TOWNSHIP, Kind.SUBDISTRICT, Kind.FARM})
#: The township-level units of the admin tree: the 乡镇办场 and the zones (开发区, 物流区), which have a township's
#: page and tasks but are not 乡镇办场.
UNIT_KINDS = TOWNSHIP_KINDS | {Kind.ZONE}
WATER_KINDS = frozenset({Kind.LAKE, Kind.RIVER, Kind.RESERVOIR})
ROAD_KINDS = frozenset({Kind.ROAD, Kind.BRIDGE, Kind.STREET})


class Quality(StrEnum):
    """The geometry-quality ladder, best first (DESIGN.md)."""

    SURVEYED = "surveyed"
    OPEN_DATA = "open-data"
    SEAT = "seat"
    SCHEMATIC = "schematic"
    DERIVED = "derived"
    ADMIN_FALLBACK = "admin-fallback"
    MISSING = "missing"

    @property
    def rank(self) -> int:
        """0 for the best quality; larger is worse.

        >>> Quality.SEAT.rank < Quality.DERIVED.rank
        True
        """
        return list(Quality).index(self)


class TaskKind(StrEnum):
    """What a numbered item of a responsibility-decomposition document is."""

    #: An economic target (一)…(七).
    TARGET = "target"
    #: A numbered task.
    TASK = "task"

    def label(self, number: str) -> str:
        """How the plan's own numbering names an item of this kind: 目标一 for the target (一), 第12项 for task 12.

        >>> TaskKind.TARGET.label("一"), TaskKind.TASK.label("12")
        ('目标一', '第12项')
        """
        return f"目标{number}" if self is TaskKind.TARGET else f"第{number}项"


class IndicatorKind(StrEnum):
    """What an indicator measures."""

    GROWTH = "growth"
    SHARE = "share"
    AMOUNT = "amount"
    COUNT = "count"


class Status(StrEnum):
    """What became of a place mention (:attr:`Resolution.status`)."""

    #: Resolved to a place of the gazetteer.
    RESOLVED = "resolved"
    #: Shaped like a place, not in the gazetteer.
    UNRESOLVED = "unresolved"
    #: A word handled on purpose as a non-place (brand, concept).
    NONPLACE = "nonplace"


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry.

    ``parents`` are ids of the administrative units that contain the place, innermost first; a lake or river
    touching several townships lists each. ``geometry`` is WGS84 lon/lat or ``None`` (a place is never dropped for
    lacking one). ``source`` says where the geometry came from, ``quality`` how good it is.
    """

    id: str
    name: str
    kind: Kind
    aliases: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()
    admin_code: str | None = None
    geometry: BaseGeometry | None = None
    quality: Quality = Quality.MISSING
    source: str = ""
    note: str = ""
    #: For a ``derived`` place, the ids of the places its geometry is taken from (汀泗河系统治理工程 → 汀泗河).
    derived_from: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name followed by every alias."""
        return (self.name, *self.aliases)

    @property
    def parent(self) -> str | None:
        """The innermost containing unit, if any."""
        return self.parents[0] if self.parents else None

    def lonlat(self) -> tuple[float, float] | None:
        """A representative point inside the geometry as (lon, lat), or ``None``."""
        if self.geometry is None or self.geometry.is_empty:
            return None
        point = self.geometry if self.geometry.geom_type == "Point" else self.geometry.representative_point()
        return (point.x, point.y)


@dataclass(frozen=True, slots=True)
class Span:
    """Characters ``start:end`` of document ``doc_id`` (Python string offsets, end exclusive)."""

    doc_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TableCell:
    """One cell of a table found in a document, at grid position (``row``, ``column``).

    A cell merged over several grid positions (Word's gridSpan/vMerge, Excel's merged ranges, HTML col/rowspan)
    appears at each of them with the same text and span; ``merged`` is true everywhere but at its top-left
    position, which is the only place its text was written into :attr:`Document.text`.
    """

    text: str
    span: Span
    row: int
    column: int
    merged: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A table of a document: rows of cells on a full grid (every row has ``width`` cells).

    ``title`` names where it came from (the sheet of a workbook, "" elsewhere); ``span`` covers its lines in
    :attr:`Document.text`, one line per row with the cells' texts joined by tabs.
    """

    rows: tuple[tuple[TableCell, ...], ...]
    span: Span
    title: str = ""

    @property
    def width(self) -> int:
        """The number of grid columns."""
        return len(self.rows[0]) if self.rows else 0


@dataclass(frozen=True, slots=True)
class Document:
    """A text as read from disk: decoded, with the encoding that was detected.

    ``format`` is the file format it was extracted from (``text``, ``docx``, ``pdf``, ``xlsx``, ``html``);
    ``encoding`` is "" where the format fixes it (Office files, PDF). ``tables`` are the tables it holds, each
    cell spanning its text inside ``text``.
    """

    id: str
    title: str
    text: str
    encoding: str
    path: str | None = None
    format: str = "text"
    tables: tuple[Table, ...] = ()
    #: What extraction did that a reader should know (list numbers synthesised, page lines joined).
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Responsibility:
    """The triple that closes a task: 责任领导, 牵头单位, 责任单位, each exactly as written, split into lists.

    ``open_ended`` is true when a list closed with 等 (dropped from the last name): it names only some units.
    """

    leaders: tuple[str, ...] = ()
    lead_units: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    span: Span | None = None
    open_ended: bool = False


class DeadlineKind(StrEnum):
    """What a task's 完成时限 says: a date to finish by, ongoing work (长期坚持, 持续推进), or neither."""

    BY_DATE = "by-date"
    ONGOING = "ongoing"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Deadline:
    """A task's 完成时限 as written, and what it means: ``date`` (ISO, the last day of the period) for BY_DATE."""

    text: str
    kind: DeadlineKind
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Task:
    """A numbered item of a responsibility-decomposition document.

    ``kind`` is :attr:`TaskKind.TARGET` for the economic targets (一)…(七), :attr:`TaskKind.TASK` for the tasks.
    ``section`` is the heading path, outermost first, e.g. ("实施发展提速行动", "扩大有效投资").
    """

    id: str
    doc_id: str
    kind: TaskKind
    number: str
    section: tuple[str, ...]
    text: str
    responsibility: Responsibility
    span: Span
    #: The 完成时限 of the task, when the plan gives one.
    deadline: Deadline | None = None

    @property
    def label(self) -> str:
        """目标一 or 第12项 (:meth:`TaskKind.label`)."""
        return self.kind.label(self.number)


@dataclass(frozen=True, slots=True)
class Statement:
    """A sentence or paragraph of a narrative document, read once even where the source repeats it."""

    id: str
    doc_id: str
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Indicator:
    """A numeric target or result: 新增耕地不低于4000亩 → 新增耕地, ≥, 4000, 亩.

    ``value_text``/``unit_text`` are as written; ``value``/``unit`` normalised (万/亿 expanded, 公里 → km,
    万亩 → 亩). ``kind`` says what it measures (:class:`IndicatorKind`). ``owner`` is the id of the task or
    statement it was read from; ``verb`` the action trimmed from the front of the metric (新改建, 完成).
    """

    metric: str
    comparator: str
    value_text: str
    unit_text: str
    value: float
    unit: str
    kind: IndicatorKind
    span: Span
    owner: str = ""
    #: The action verb trimmed from the front of the metric (新改建高标准农田3万亩 → 新改建), or "".
    verb: str = ""
    #: The metric as a reader says it for this one value, where that differs from :attr:`metric`: a growth rate
    #: keeps its growth word (地区生产总值增长), a list of metrics with a list of values is paired in order
    #: (生物医药、汽车零部件两大主导产业产值突破30亿元、40亿元 → 生物医药主导产业产值, 汽车零部件主导产业产值); else "".
    display: str = ""

    @property
    def shown_metric(self) -> str:
        """:attr:`display` when there is one, else :attr:`metric`."""
        return self.display or self.metric


@dataclass(frozen=True, slots=True)
class Mention:
    """A stretch of text that names (or looks like it names) a place."""

    text: str
    span: Span
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a mention was resolved to, why, and what else was considered.

    ``place_id`` is ``None`` for an unresolved candidate (shaped like a place, not in the gazetteer) and for
    words handled on purpose as non-places (brands, concepts); ``reason`` says which.
    """

    mention: Mention
    place_id: str | None
    reason: str
    alternatives: tuple[str, ...] = field(default=())
    status: Status = Status.RESOLVED
    #: The part of the place a segment phrase names (G351双溪至横沟段), when the geometry allows; else ``None``.
    geometry: BaseGeometry | None = None
    #: A place found in the text but not in the gazetteer, named after one that is (贺胜桥站); ``place_id`` is its id.
    derived: Place | None = None
    #: What the reading rested on, as (what, value) pairs: the kind cue (an ending), the context unit, list
    #: membership, the cue that admitted a short form (``govmap geocode`` prints them as ``evidence``).
    evidence: tuple[tuple[str, str], ...] = ()
