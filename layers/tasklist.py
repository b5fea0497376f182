"""The table of tasks (``/tasks/`` and its downloads): the ``tasks`` layer under the map's filters, sorted by one
column, with counts by action, by lead unit and by township.

>>> SORTS["lead_units"].label, parse_sort("-places")
('牵头单位', ('places', True))
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import geopandas as gpd

from gazetteer.supervision.lights import UNASSIGNED, UNSUPERVISED
from layers.catalogue import Catalogue
from layers.errors import InvalidParameter
from layers.filters import LIST_SEP, Filters, split


@dataclass(frozen=True, slots=True)
class Sort:
    """A column the table sorts by: its label and the key of a row."""

    label: str
    key: Callable[[dict[str, Any]], Any]


def _count(column: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: (len(split(row[column])), row["_order"])


def _text(column: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: (row[column] == "", row[column], row["_order"])  # empty cells last


#: The sortable columns (``?sort=name``, ``?sort=-name`` for descending); ``number`` is document order.
SORTS: dict[str, Sort] = {
    "number": Sort("序号", lambda row: row["_order"]),
    "action": Sort("行动", _text("action")),
    "leaders": Sort("责任领导", _text("leaders")),
    "lead_units": Sort("牵头单位", _text("lead_units")),
    "units": Sort("责任单位", _count("units")),
    "townships": Sort("乡镇", lambda row: (row["township_count"], row["_order"])),
    "places": Sort("地点", lambda row: (row["place_count"], row["_order"])),
    "indicators": Sort("指标", lambda row: (row["indicator_count"], row["_order"])),
}


def parse_sort(raw: str | None) -> tuple[str, bool]:
    """(column, descending) of a ``sort`` argument; blank is document order."""
    raw = (raw or "").strip()
    descending = raw.startswith("-")
    name = raw.removeprefix("-") or "number"
    if name not in SORTS:
        raise InvalidParameter(f"sort：不能按“{name}”排序（可用：{'、'.join(SORTS)}）")
    return name, descending


@dataclass(frozen=True, slots=True)
class TaskTable:
    """The rows of the table (the ``tasks`` layer's columns) in the order asked, and the counts drawn beside it."""

    frame: gpd.GeoDataFrame
    rows: list[dict[str, Any]]
    sort: str
    descending: bool
    total: int
    by_action: list[tuple[str, int]]
    by_lead_unit: list[tuple[str, int]]
    by_township: list[tuple[str, int, int]]


def task_table(catalogue: Catalogue, filters: Filters, *, sort: str | None = None) -> TaskTable:
    """The tasks passing ``filters``, sorted by ``sort`` (see :data:`SORTS`), with counts: tasks per action, per
    lead unit (under its usual written name) and per township (all, and those singling it out)."""
    name, descending = parse_sort(sort)
    frame = catalogue.frame("tasks", filters)
    order = {task_id: n for n, task_id in enumerate(catalogue.corpus.tasks)}
    rows = frame.drop(columns=frame.geometry.name).to_dict("records")
    for row in rows:
        row["_order"] = order.get(row["id"], len(order))
    units = catalogue.corpus.units  # counts in document order, before sorting
    actions = Counter(row["action"] or "其他" for row in rows)
    leads = Counter(units.get(u).name if units.get(u) else u for row in rows for u in split(row["lead_units"]))
    everyone = Counter(t for row in rows for t in split(row["townships"]))
    named = Counter(t for row in rows for t in split(row["specific_townships"]))
    township_order = [p.name for p in catalogue.gazetteer.units()]
    by_township = [(t, everyone[t], named[t]) for t in township_order if everyone[t]]
    ranked = sorted(range(len(rows)), key=lambda i: SORTS[name].key(rows[i]), reverse=descending)
    rows = [rows[i] for i in ranked]
    frame = frame.iloc[ranked].reset_index(drop=True)
    return TaskTable(frame, rows, name, descending, len(catalogue.corpus.tasks),
                     list(actions.items()), leads.most_common(), by_township)


def joined(cell: str) -> list[str]:
    """The items of a list cell (for templates).

    >>> joined("区发改局、区财政局")
    ['区发改局', '区财政局']
    """
    return [item for item in str(cell or "").split(LIST_SEP) if item]


def with_light(table: TaskTable, verdicts: Mapping[str, Any], light: Any) -> TaskTable:
    """The table narrowed to the tasks whose light (``verdicts``: task id → a verdict with ``.light``) is ``light``;
    the counts beside the table stay those of the whole selection."""
    keep = [i for i, row in enumerate(table.rows) if row["id"] in verdicts and verdicts[row["id"]].light == light]
    return replace(table, rows=[table.rows[i] for i in keep], frame=table.frame.iloc[keep].reset_index(drop=True))


#: The columns a download of tasks gains while a quarter is supervised.
LIGHT_COLUMNS = ("light", "light_reason", "light_quarter")


def with_light_columns(frame: gpd.GeoDataFrame, verdicts: Mapping[str, Any], *, quarter: str,
                       light: Any = None) -> gpd.GeoDataFrame:
    """A frame of tasks (one per row, or one per task–place link: ``task_id``) with each task's light in
    ``quarter`` (``verdicts``: task id → a verdict with ``.light`` and ``.reason``), its reason and the quarter;
    only the tasks of ``light`` when it is given. The lights are those of the moment: they are added to a copy at
    each download and never kept in the catalogue, whose frames live as long as the app.

    >>> import geopandas as gpd
    >>> from gazetteer.supervision.lights import Light, Verdict
    >>> frame = gpd.GeoDataFrame({"id": ["d.t1", "d.t2"]}, geometry=[None, None], crs="EPSG:4326")
    >>> out = with_light_columns(frame, {"d.t1": Verdict(Light.RED, "本季度未报送")}, quarter="2025年第四季度")
    >>> out[["id", "light", "light_reason"]].values.tolist()
    [['d.t1', 'red', '本季度未报送'], ['d.t2', '', '未督办：未列入本季度督办']]
    >>> with_light_columns(frame, {"d.t1": Verdict(Light.RED, "")}, quarter="", light=Light.GREEN).empty
    True
    """
    ids = frame["task_id" if "task_id" in frame.columns else "id"].astype(str)
    if light is not None:
        keep = ids.map(lambda task: task in verdicts and verdicts[task].light == light)
        frame, ids = frame[keep], ids[keep]
    out = frame.copy()
    out["light"] = [str(verdicts[t].light) if t in verdicts else "" for t in ids]
    out["light_reason"] = [verdicts[t].reason if t in verdicts else f"{UNSUPERVISED}：{UNASSIGNED}" for t in ids]
    out["light_quarter"] = quarter
    return out
