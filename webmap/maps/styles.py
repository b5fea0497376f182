"""How the maps look: the planner groups and their colours, what each geometry quality looks like and is called,
the colours of the supervision lights, the township count scale, and the legend that explains them."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from branca.element import MacroElement
from folium.template import Template
from shapely.geometry.base import BaseGeometry

from gazetteer.model import Quality
from gazetteer.supervision.lights import UNSUPERVISED, Light
from webmap.maps.embed import script_json
from webmap.templating import LIGHT_ORDER


@dataclass(frozen=True, slots=True)
class Group:
    """A FeatureGroup of the planner map: the catalogue layer it draws, its label and colour."""

    layer: str
    label: str
    color: str
    show: bool = True
    #: The catalogue layers it draws (default: the one named ``layer``).
    sources: tuple[str, ...] = ()
    #: How the legend draws it: ``point``, ``line``, ``area`` or ``task`` (a wide translucent line and a ring).
    swatch: str = "point"

    @property
    def layers(self) -> tuple[str, ...]:
        return self.sources or (self.layer,)


GROUPS: tuple[Group, ...] = (
    Group("admin", "行政区划", "#5b6770", swatch="line"),
    Group("townships", "乡镇", "#c2410c"),
    Group("water", "水系", "#1d6fb8", sources=("water", "water_lines"), swatch="area"),
    Group("roads", "道路", "#8a5a2b", swatch="line"),
    Group("sites", "项目与点位", "#7b3fa0"),
    # one mark per place the tasks name: drawn from the task–place links (the ``tasks`` layer is one row per task);
    # coloured by the supervision light of its tasks, this neutral grey when they are not supervised
    Group("tasks", "任务（点名的地点、路段）", "#7b8794", show=False, sources=("task_places",), swatch="task"),
)

#: The colour of a 任务 mark by the light of its tasks (the badges' colours in ``govmap.css``); a mark whose tasks
#: are not supervised keeps the 任务 group's grey. The light is the colour; the geometry quality stays the dash
#: pattern and fill (:data:`QUALITY_STYLE`), so both read at once.
LIGHT_COLOR: dict[Light, str] = {Light.RED: "#c62828", Light.YELLOW: "#e0a800", Light.GREEN: "#2e7d32"}


def light_color(light: Light | None) -> str:
    """The colour of a 任务 mark whose worst light is ``light`` (``None``: not supervised).

    >>> light_color(Light.RED), light_color(None) == GROUPS[-1].color
    ('#c62828', True)
    """
    return LIGHT_COLOR[light] if light is not None else next(g.color for g in GROUPS if g.layer == "tasks")

#: Chinese label and one-line explanation of each geometry-quality level (DESIGN.md ladder).
QUALITY_TEXT: dict[Quality, tuple[str, str]] = {
    Quality.SURVEYED: ("实测", "用户导入的权威数据（乡镇界线、河流中心线等），画粗实线。"),
    Quality.OPEN_DATA: ("开放数据", "来自公开数据集的面或线（县界、湖泊与道路），画细实线。"),
    Quality.SEAT: ("驻地位置", "乡镇政府所在地的点，误差约 1 公里。"),
    Quality.SCHEMATIC: ("示意线", "按已知地点顺序连成的示意线（如沿途乡镇驻地），不是真实走向，长度不作数。"),
    Quality.DERIVED: ("借用相关地点", "取自名称或句子所指的地点（如“汀泗河系统治理工程”取汀泗河），画虚线宽带。"),
    Quality.ADMIN_FALLBACK: ("只知所在行政区", "文件只写明在哪个乡镇或区县，不在地图上画点，列在左下的清单里。"),
    Quality.MISSING: ("无位置", "尚无任何位置信息，地点仍保留在列表中。"),
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
    #: Line weight relative to the group's (surveyed lines are drawn heavier than open data).
    weight: float = 1.0
    opacity: float = 0.85


QUALITY_STYLE: dict[Quality, PathStyle] = {
    Quality.SURVEYED: PathStyle(None, False, weight=1.7, opacity=1.0),
    Quality.OPEN_DATA: PathStyle(None, False, weight=0.8, opacity=0.7),
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
#: The pane of township markers, above the overlay pane: a seat stays on top of the (schematic) roads through it.
UNITS_PANE = "gm-units"
#: The pane of 任务 marks, above the township markers: a task naming a township is not hidden under its circle.
TASKS_PANE = "gm-tasks"

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
    """How township task counts are drawn: circle areas proportional to the count (the largest 15 px), colours in
    quantile classes of the counts on the map (the counts are skewed: most units share the district-wide tasks).

    >>> scale = CountScale.of([1, 2, 3, 5, 8, 13, 50, None, 0])
    >>> scale.smallest, scale.largest, scale.breaks(), scale.steps()
    (1, 50, [1, 2, 5, 13], [1, 26, 50])
    >>> [scale.color(n) for n in (0, 1, 2, 5, 13, 50)] == [RAMP[0], RAMP[1], RAMP[2], RAMP[3], RAMP[4], RAMP[4]]
    True
    >>> scale.radius(0), scale.radius(1), scale.radius(50)
    (4.0, 5.6, 15.0)
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
        """Pixels; the area grows with the count, 15 px for the largest, 4 px for none."""
        if self.largest <= 0 or count <= 0:
            return 4.0
        return round(4.0 + 11.0 * math.sqrt(count / self.largest), 1)

    def steps(self) -> list[int]:
        """The counts the size legend shows: smallest, middle, largest."""
        return sorted({self.smallest, round((self.smallest + self.largest) / 2), self.largest} - {0})


class Legend(MacroElement):
    """The legend: layer colours, task counts, and what each geometry quality looks like."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            GovMap.legend({{ this._parent.get_name() }}, {{ this.spec_json }});
        {% endmacro %}
    """)

    def __init__(self, *, groups: Sequence[Group], counts: CountScale, specific: CountScale,
                 qualities: Iterable[Quality], lights: str | None = None,
                 unfolded: bool = True) -> None:
        super().__init__()
        self._name = "Legend"
        self.spec = {
            "title": "图例",
            "open": unfolded,
            "groups": [{"label": g.label, "color": g.color, "swatch": g.swatch} for g in groups],
            "countsTitle": "点名或辖区内的任务数（圆的大小与颜色）",
            "counts": [{"count": n, "radius": counts.radius(n), "color": specific.color(n)} for n in counts.steps()],
            "specific": [{"label": f"≥{n}", "color": specific.color(n)} for n in specific.breaks()],
            "qualities": [{"id": str(q), "label": QUALITY_TEXT[q][0], "help": QUALITY_TEXT[q][1],
                           "shape": LEGEND_SHAPE.get(q, "line"), "dash": QUALITY_STYLE[q].dash,
                           "hollow": QUALITY_STYLE[q].hollow, "weight": QUALITY_STYLE[q].weight,
                           "opacity": QUALITY_STYLE[q].opacity} for q in qualities],
            "lightsTitle": f"{lights}督办灯（任务标记的颜色）" if lights else "",
            "lights": light_legend() if lights else [],
        }
        self.spec_json = script_json(self.spec)


def light_legend() -> list[dict[str, str]]:
    """The legend's entries for the lights, worst first, and the grey of tasks not supervised.

    >>> [e["label"] for e in light_legend()]
    ['红', '黄', '绿', '未督办']
    """
    return [*({"id": str(lit), "label": lit.label, "color": LIGHT_COLOR[lit]} for lit in LIGHT_ORDER),
            {"id": "none", "label": UNSUPERVISED, "color": light_color(None)}]


#: How the legend draws a quality: a point (seat), a ring (a stand-in position), a band (derived: the geometry
#: it is derived from, drawn wide and dashed) or a line.
LEGEND_SHAPE: dict[Quality, str] = {Quality.SEAT: "point", Quality.DERIVED: "band",
                                    Quality.ADMIN_FALLBACK: "list", Quality.MISSING: "none"}
