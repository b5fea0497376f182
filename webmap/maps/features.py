"""What the maps show: map features (with their popups and tooltips) from the corpus and the layer catalogue, and
the specs of the planner map and of the small maps of a township, task or place. :mod:`webmap.maps.builder` draws them.

Places without a position of their own are not drawn as if they had one. A place known only to lie in an admin
unit (``admin-fallback``, or derived from such a place) is listed with the unit instead: :func:`approximate_lists`
gives one list per unit ("位置仅知到 X 的地点"), which the map shows as a count that opens the list. Places that
borrow one position from a real geometry (every project derived from a river has its line) would pile up where
only the top one can be clicked; :func:`stack_features` draws each shared position once, with a popup listing
every place that uses it.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import replace
from typing import Any

import shapely
from flask import render_template
from markupsafe import Markup
from shapely.geometry.base import BaseGeometry

from gazetteer.corpus import Corpus
from gazetteer.linking.links import LinkType, Rule
from gazetteer.model import ROAD_KINDS, UNIT_KINDS, WATER_KINDS, Kind, Place, Quality, Task
from gazetteer.places.registry import Gazetteer
from gazetteer.places import positions
from gazetteer.supervision.lights import UNASSIGNED, UNSUPERVISED, Verdict
from layers.filters import split
from webmap.maps.basemaps import Basemap
from webmap.maps.builder import Bounds, MapFeature, MapSpec, UnitList, drawn_extent
from webmap.maps.cache import map_cache
from webmap.maps.styles import GROUPS, CountScale, Group, quality_of, quality_text

KIND_TEXT: dict[Kind, str] = {
    Kind.PROVINCE: "省", Kind.CITY: "市", Kind.COUNTY: "区县", Kind.TOWN: "镇", Kind.TOWNSHIP: "乡",
    Kind.SUBDISTRICT: "街道", Kind.FARM: "农场", Kind.ZONE: "园区", Kind.VILLAGE: "村", Kind.COMMUNITY: "社区",
    Kind.LAKE: "湖泊", Kind.RIVER: "河流", Kind.RESERVOIR: "水库", Kind.ROAD: "道路", Kind.BRIDGE: "桥梁",
    Kind.STREET: "街巷", Kind.PARK: "公园", Kind.SITE: "地点", Kind.PROJECT: "项目", Kind.MOUNTAIN: "山",
}
#: What a name's ending says a place is, before its kind (parks, zones and sites cover several sorts of place).
NAME_KIND_TEXT: tuple[tuple[tuple[str, ...], str], ...] = (
    (("工业园", "产业园", "科技园", "物流园", "创业园", "孵化园", "工业园区", "产业园区", "产业基地"), "产业园区"),
    (("开发区", "高新区", "经济区", "工业区", "产业区", "示范区", "新区"), "开发区"),
    (("风景区", "景区", "旅游区", "度假区"), "景区"),
    (("湿地公园", "森林公园", "公园"), "公园"),
    (("小镇",), "特色小镇"),
)
#: Why a task is linked to a township, as the badge a township official reads.
RULE_TEXT: dict[Rule, str] = {  # in the order badges are shown: responsibility first
    Rule.NAMED_UNIT: "责任单位点名", Rule.RELATED_LOCATED: "相关乡镇办场·文中定位", Rule.ALL: "各乡镇办场",
    Rule.ALL_BUT_FARM: "各乡镇办", Rule.RELATED_UNSPECIFIED: "相关乡镇办场（未指明）", Rule.INSIDE: "辖区内地点",
    Rule.MENTION: "文中点名",
}
#: Rules that give a task to every township alike (the rest single a township out).
BLANKET_RULES = frozenset({Rule.ALL, Rule.ALL_BUT_FARM, Rule.RELATED_UNSPECIFIED})
#: Which planner group a gazetteer place belongs to, by kind.
KIND_LAYER: dict[Kind, str] = {
    **{k: "admin" for k in (Kind.PROVINCE, Kind.CITY, Kind.COUNTY)},
    **{k: "townships" for k in UNIT_KINDS},
    **{k: "water" for k in WATER_KINDS},
    **{k: "roads" for k in ROAD_KINDS},
}
POPUP_TASKS = 12
#: Tasks a stacked mark's popup links for each of its places.
STACK_TASKS = 3
#: Groups drawn whatever the filters: the district outlines stay as context.
CONTEXT_LAYERS = frozenset({"admin"})
SHORT_TEXT = 42


def kind_text(kind: Any, name: str = "") -> str:
    """A kind as a reader names it; a park, zone or site by what its name says it is (an industrial park is not a
    公园).

    >>> kind_text("park", "咸安经济开发区产业园"), kind_text("park", "潜山国家森林公园"), kind_text("street")
    ('产业园区', '公园', '街巷')
    """
    for suffixes, text in NAME_KIND_TEXT:
        if name.endswith(suffixes):
            return text
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


def derived_index(gazetteer: Gazetteer) -> dict[str, list[str]]:
    """:func:`webmap.maps.positions.derived_from_index` of the app's gazetteer, built once (kept in the map cache)."""
    return map_cache().get(("derived-index",), lambda: positions.derived_from_index(gazetteer))


def naming_tasks(corpus: Corpus, place_id: str, *, allowed: Container[str] | None = None) -> list[Task]:
    """The tasks whose text names a place, in document order."""
    owners = dict.fromkeys(link.owner_id for link in corpus.links_for_place(place_id, types=[LinkType.MENTIONED]))
    return [corpus.tasks[o] for o in owners if o in corpus.tasks and (allowed is None or o in allowed)]


def place_tasks(corpus: Corpus, place: Place, *, allowed: Container[str] | None = None) -> list[Task]:
    """Tasks a place's popup counts: a township's own tasks, or the tasks naming any other place."""
    if place.kind in UNIT_KINDS:
        return [task for task, _ in corpus.township_tasks(place.id) if allowed is None or task.id in allowed]
    return naming_tasks(corpus, place.id, allowed=allowed)


def specific_tasks(corpus: Corpus, unit: Place, *, allowed: Container[str] | None = None) -> list[Task]:
    """The unit's tasks that name it or a place inside it (not only 各乡镇办场 / 各乡镇办)."""
    return [task for task, links in corpus.township_tasks(unit.id)
            if (allowed is None or task.id in allowed) and any(link.rule not in BLANKET_RULES for link in links)]


def place_popup(corpus: Corpus, place: Place, tasks: Sequence[Task], *, quality: Quality,
                allowed: Container[str] | None = None) -> Markup:
    """A place's popup. A township lists the tasks that single it out and only counts the district-wide ones
    (every unit shares those); another place lists the tasks naming it, then the places whose position is
    taken from it with their tasks."""
    statements = {link.owner_id for link in corpus.links_for_place(place.id, types=[LinkType.MENTIONED])
                  if link.owner_id in corpus.statements}
    is_unit = place.kind in UNIT_KINDS
    shown = specific_tasks(corpus, place, allowed=allowed) if is_unit else list(tasks)
    derived = [] if is_unit else [
        (corpus.gazetteer[pid], naming_tasks(corpus, pid, allowed=allowed))
        for pid in derived_index(corpus.gazetteer).get(place.id, ())]
    return Markup(render_template(
        "map/place_popup.html", place=place, kind=kind_text(place.kind, place.name),
        quality=quality_text(quality, place.geometry)[0],
        total=len(tasks), tasks=[task_brief(corpus, t) for t in shown], blanket=len(tasks) - len(shown),
        limit=POPUP_TASKS, statements=len(statements), is_unit=is_unit,
        derived=[(p, [task_brief(corpus, t) for t in found]) for p, found in derived if found]))


def tasks_popup(corpus: Corpus, tasks: Sequence[Task], *, title: str,
                lights: Mapping[str, Verdict] | None = None) -> Markup:
    """The popup of a 任务 mark: the tasks naming one place; with ``lights`` (task id → verdict: the quarter is
    supervised) each with its light and reason, the worst first."""
    briefs = [task_brief(corpus, t) for t in tasks]
    if lights is not None:
        briefs = [{**b, "verdict": lights.get(b["id"])} for b in briefs]
        briefs.sort(key=lambda b: -b["verdict"].light.rank if b["verdict"] else 1)
    return Markup(render_template("map/task_popup.html", title=title, tasks=briefs, limit=POPUP_TASKS,
                                  unsupervised=(UNSUPERVISED, UNASSIGNED)))


def worst_light(tasks: Sequence[Task], lights: Mapping[str, Verdict]) -> tuple[Task, Verdict] | None:
    """The task of ``tasks`` with the worst light and its verdict (the first in document order among equals);
    ``None`` when none of them is supervised."""
    judged = [(t, lights[t.id]) for t in tasks if t.id in lights]
    return max(judged, key=lambda pair: pair[1].light.rank, default=None)


def light_words(tasks: Sequence[Task], lights: Mapping[str, Verdict]) -> str:
    """What a 任务 mark's tooltip says of supervision: the worst light with its reason (and which task it is, when
    the mark lists several: 红灯（第2项：本季度未报送）), or 未督办."""
    worst = worst_light(tasks, lights)
    if worst is None:
        return f"{UNSUPERVISED}（{UNASSIGNED}）"
    task, verdict = worst
    which = f"{task_label(task)}：" if len(tasks) > 1 else ""
    return f"{verdict.light.label}灯（{which}{verdict.reason}）"


def task_label(task: Task) -> str:
    """How a list names a task: 第3项, or 目标 for a target (as the popups do)."""
    return "目标" if str(task.kind) == "target" else f"第{task.number}项"


def place_feature(corpus: Corpus, place: Place, *, layer: str | None = None, geometry: BaseGeometry | None = None,
                  quality: Any = None, allowed: Container[str] | None = None) -> MapFeature:
    """A gazetteer place as a map feature with its popup; townships carry their task count."""
    quality = quality_of(quality if quality is not None else place.quality)
    layer = layer or layer_of(place)
    tasks = place_tasks(corpus, place, allowed=allowed)
    tooltip = f"{place.name}（{kind_text(place.kind, place.name)}）"
    counted = layer == "townships"
    specific = len(specific_tasks(corpus, place, allowed=allowed)) if counted else None
    if counted:
        tooltip += f"：任务 {len(tasks)} 项，其中点名或辖区内 {specific} 项"
    stand_in = quality in positions.STAND_IN or (quality == Quality.DERIVED
                                                 and positions.is_stand_in(corpus.gazetteer, place))
    return MapFeature(place.id, layer, geometry if geometry is not None else place.geometry, quality, tooltip,
                      place_popup(corpus, place, tasks, quality=quality, allowed=allowed),
                      count=len(tasks) if counted else None, specific=specific, stand_in=stand_in,
                      label=place.name if counted and not stand_in else "")


# -- shared positions -------------------------------------------------------------------------------------------


def stack_key(feature: MapFeature) -> tuple[Any, ...] | None:
    """What a feature without a position of its own shares with others in its group: the point its ring is drawn
    at, or the geometry it is derived from; ``None`` for a feature drawn on its own.

    >>> from shapely.geometry import Point
    >>> a = MapFeature("a", "sites", Point(114.3, 29.8), Quality.ADMIN_FALLBACK, "", stand_in=True)
    >>> b = MapFeature("b", "sites", Point(114.3, 29.8), Quality.ADMIN_FALLBACK, "", stand_in=True)
    >>> stack_key(a) == stack_key(b), stack_key(MapFeature("c", "sites", Point(114.3, 29.8), Quality.SEAT, ""))
    (True, None)
    """
    if feature.layer == "tasks" or feature.geometry is None or feature.geometry.is_empty:
        return None
    if feature.stand_in:
        return (feature.layer, "ring", drawn_extent(feature).wkb)  # (a context feature; places are listed)
    if feature.quality == Quality.DERIVED:
        return (feature.layer, "derived", feature.geometry.wkb)
    return None


def stack_features(corpus: Corpus, features: Sequence[MapFeature], *,
                   allowed: Container[str] | None = None) -> list[MapFeature]:
    """``features`` with those sharing a :func:`stack_key` drawn once: one feature per shared position whose
    popup lists every place there (first where the first of them was)."""
    stacks: dict[tuple[Any, ...], list[MapFeature]] = {}
    out: list[MapFeature | tuple[Any, ...]] = []
    for feature in features:
        key = stack_key(feature) if feature.id in corpus.gazetteer else None
        if key is None:
            out.append(feature)
            continue
        if key not in stacks:
            out.append(key)
        stacks.setdefault(key, []).append(feature)
    return [item if isinstance(item, MapFeature) else _stack(corpus, stacks[item], allowed=allowed) for item in out]


def _stack(corpus: Corpus, members: list[MapFeature], *, allowed: Container[str] | None) -> MapFeature:
    if len(members) == 1:
        return members[0]
    first, gazetteer = members[0], corpus.gazetteer
    places = [gazetteer[f.id] for f in members]
    origins = {o.id: o for p in places if (o := positions.position_origin(gazetteer, p)) is not None}
    origin = next(iter(origins.values())) if len(origins) == 1 else None
    tooltip = f"{places[0].name} 等 {len(places)} 处" + (f"（位置取自 {origin.name}）" if origin else "")
    popup = Markup(render_template(
        "map/stack_popup.html", origin=origin, ring=first.stand_in,
        places=[{"place": p, "kind": kind_text(p.kind, p.name), "is_unit": p.kind in UNIT_KINDS,
                 "quality": quality_text(p.quality, p.geometry)[0],
                 "sources": positions.position_sources(gazetteer, p),
                 "tasks": [task_brief(corpus, t) for t in place_tasks(corpus, p, allowed=allowed)]}
                for p in places], limit=STACK_TASKS))
    return MapFeature(first.id, first.layer, first.geometry, first.quality, tooltip, popup, stand_in=first.stand_in,
                      members=tuple(f.id for f in members))


# -- places known only by their admin unit ------------------------------------------------------------------------


def approximate_lists(corpus: Corpus, features: Sequence[MapFeature], *,
                      allowed: Container[str] | None = None) -> tuple[list[MapFeature], list[UnitList]]:
    """``features`` without the gazetteer places whose position only stands in, and those places as one list per
    admin unit they are known to lie in (units in the order first met, places by group then document order)."""
    kept: list[MapFeature] = []
    units: dict[str, list[Place]] = {}
    gazetteer = corpus.gazetteer
    for feature in features:
        place = gazetteer.get(feature.id) if feature.stand_in and feature.layer != "tasks" else None
        unit = positions.position_unit(gazetteer, place) if place is not None else None
        if unit is None:
            kept.append(feature)
        else:
            units.setdefault(unit.id, []).append(place)
    lists = [_unit_list(corpus, gazetteer[u], places, allowed=allowed) for u, places in units.items()]
    return kept, sorted(lists, key=lambda u: (not u.inside, -u.count))


def outside_words(gazetteer: Gazetteer) -> str:
    """How the units outside the deployment are headed ("咸安区以外")."""
    home = gazetteer.get(gazetteer.home or "")
    return f"{home.name}以外" if home is not None else "其他地区"


def _unit_list(corpus: Corpus, unit: Place, places: list[Place], *, allowed: Container[str] | None) -> UnitList:
    entries = [{"place": p, "kind": kind_text(p.kind, p.name),
                "sources": [s for s in positions.position_sources(corpus.gazetteer, p) if s.id != unit.id],
                "tasks": [task_brief(corpus, t) for t in place_tasks(corpus, p, allowed=allowed)]}
               for p in dict.fromkeys(places)]
    html = Markup(render_template("map/unit_list.html", unit=unit, places=entries, limit=STACK_TASKS))
    home = corpus.gazetteer.home
    inside = unit.id == home or any(a.id == home for a in corpus.gazetteer.ancestors(unit.id))
    return UnitList(unit.id, unit.name, len(entries), html, inside=inside)


# -- the planner map and the small maps ---------------------------------------------------------------------------


def home_bounds(gazetteer: Gazetteer) -> Bounds | None:
    """The bounds of the home unit's geometry, where a map with nothing to draw is centred (``None`` without)."""
    home = gazetteer.get(gazetteer.home or "")
    if home is None or home.geometry is None or home.geometry.is_empty:
        return None
    return home.geometry.bounds


def search_entry(place: Place) -> dict[str, Any]:
    return {"id": place.id, "name": place.name, "aliases": list(place.aliases), "kind": kind_text(place.kind, place.name)}


def _task_ids(frame: Any) -> list[str]:
    column = "task_id" if "task_id" in frame.columns else "id"
    return list(dict.fromkeys(str(v) for v in frame[column]))


def catalogue_features(corpus: Corpus, catalogue: Any, filters: Any, *, groups: Sequence[Group] = GROUPS,
                       only: Container[str] | None = None,
                       lights: Mapping[str, Verdict] | None = None) -> tuple[list[MapFeature], set[str]]:
    """Map features of every planner group from the catalogue's frames under ``filters``, and the ids of the
    tasks that pass the filters (popups list only those).

    ``only`` narrows the tasks further to those ids (the tasks of one light), and the places to theirs, as a task
    filter of the catalogue does; ``lights`` (task id → verdict, when a quarter is supervised) colours the 任务
    marks. Neither is kept in the catalogue: the lights change with every report approved."""
    allowed = {t for t in _task_ids(catalogue.frame("tasks", filters)) if only is None or t in only}
    features: list[MapFeature] = []
    for group in groups:
        for layer_id in group.layers:  # the 任务 group reads ``task_places``, one row per task–place link
            context = group.layer in CONTEXT_LAYERS
            frame = catalogue.frame(layer_id, None if context else filters)
            if only is not None and not context:
                frame = _of_tasks(frame, allowed)
            features += _group_features(corpus, catalogue, frame, group, allowed, lights)
    return features, allowed


def _of_tasks(frame: Any, tasks: Container[str]) -> Any:
    """The rows of a layer that belong to ``tasks``: a link's task, or a place named by (or given to) one of them."""
    if "task_id" in frame.columns:
        return frame[frame["task_id"].map(lambda cell: str(cell) in tasks)]
    if "task_ids" in frame.columns:
        return frame[frame["task_ids"].map(lambda cell: any(t in tasks for t in split(cell)))]
    return frame


def _group_features(corpus: Corpus, catalogue: Any, frame: Any, group: Group, allowed: set[str],
                    lights: Mapping[str, Verdict] | None = None) -> list[MapFeature]:
    if group.layer == "tasks":
        return task_features(corpus, frame, shape=catalogue.index.link_shape, lights=lights)
    features = []
    for row in frame.to_dict("records"):
        place = corpus.gazetteer.get(str(row["id"]))
        if place is not None:
            features.append(place_feature(corpus, place, layer=group.layer, quality=row.get("quality"),
                                          allowed=allowed))
        else:  # a feature the gazetteer does not hold (an unnamed lake from open data): context only
            label = str(row.get("name") or "") or f"未命名{kind_text(row.get('kind', ''))}"
            quality = quality_of(row.get("quality"))
            features.append(MapFeature(str(row["id"]), group.layer, row.get("geometry"), quality, label,
                                       stand_in=quality in positions.STAND_IN))
    return features


def task_features(corpus: Corpus, frame: Any, *, shape: Any,
                  lights: Mapping[str, Verdict] | None = None) -> list[MapFeature]:
    """The 任务 group: one mark per place (or named segment, e.g. G351双溪至横沟段) that the tasks of ``frame``
    name in their text, drawn on ``shape(place_id, doc_id, start, end)`` (the whole geometry: the frame holds a
    point), listing those tasks. Places known only by their admin unit get no mark (their tasks are in the unit's
    list); responsibility rows are left to the 乡镇 group. With ``lights`` (task id → verdict) a mark takes the
    worst light of its tasks, and its tooltip and popup say it and why."""
    if "link_type" in frame.columns:
        frame = frame[frame["link_type"] == str(LinkType.MENTIONED)]
    marks: dict[tuple[str, bytes], dict[str, Any]] = {}
    for row in frame.to_dict("records"):
        task = corpus.tasks.get(str(row.get("task_id", row["id"])))
        place_id = str(row.get("place_id") or row["id"])
        geometry = shape(place_id, str(row.get("doc_id", "")), int(row.get("start", 0)), int(row.get("end", 0)))
        if geometry is None or geometry.is_empty or task is None or row.get("position_unit_id"):
            continue
        quality = quality_of(row.get("quality"))
        key = (place_id, geometry.wkb)
        mark = marks.setdefault(key, {"geometry": geometry, "quality": quality, "names": {}, "tasks": {},
                                      "stand_in": False})
        mark["names"][str(row.get("place_name") or "")] = None
        mark["tasks"][task.id] = task
    features = []
    for number, ((place_id, _), mark) in enumerate(marks.items()):
        tasks = list(mark["tasks"].values())
        names = [n for n in mark["names"] if n]
        title = names[0] if len(names) == 1 else (
            f"{'、'.join(names[:3])}{'等' if len(names) > 3 else ''} {len(names)} 处")
        worst = worst_light(tasks, lights) if lights is not None else None
        supervision = f" · {light_words(tasks, lights)}" if lights is not None else ""
        features.append(MapFeature(f"tasks~{place_id}~{number}", "tasks", mark["geometry"], mark["quality"],
                                   f"{title}：{len(tasks)} 项任务{supervision}",
                                   tasks_popup(corpus, tasks, title=title, lights=lights),
                                   stand_in=mark["stand_in"], light=worst[1].light if worst else None))
    return features


def planner_spec(corpus: Corpus, features: Sequence[MapFeature], *, basemap: Basemap, filtered: bool = False,
                 allowed: Container[str] | None = None, lights: str | None = None) -> MapSpec:
    """The planner map from :func:`catalogue_features`; an unfiltered map opens on the home district, a filtered
    one on what the filters leave (outlines of districts aside). ``lights`` names the supervised quarter whose
    lights colour the 任务 marks: the legend explains them, and the 任务 group is shown from the start."""
    places = [corpus.gazetteer[f.id] for f in features if f.layer != "tasks" and f.id in corpus.gazetteer]
    shown = [drawn_extent(f) for f in features
             if f.layer not in ("admin", "tasks") and not f.stand_in and f.geometry is not None and not f.geometry.is_empty]
    home = corpus.gazetteer.get(corpus.gazetteer.home or "")
    fit = shapely.union_all(shown) if filtered and shown else (home.geometry if home is not None else None)
    drawn, approximate = approximate_lists(corpus, features, allowed=allowed)
    groups = [replace(g, show=True) if g.layer == "tasks" and lights else g for g in GROUPS]
    return MapSpec(stack_features(corpus, drawn, allowed=allowed), basemap=basemap, groups=groups,
                   search=[search_entry(p) for p in places], counts=CountScale.of(f.specific for f in drawn),
                   specific=CountScale.of(f.specific for f in drawn), fit=fit, approximate=approximate,
                   outside=outside_words(corpus.gazetteer), lights=lights)


def local_spec(corpus: Corpus, places: Sequence[Place], *, basemap: Basemap, focus: Place | None = None,
               allowed: Container[str] | None = None) -> MapSpec:
    """A small map of a few places (a township and what its tasks name, a task's places, one place), with the
    home district's outline for context; it opens on the focus area, else on the places. A place known only by
    its admin unit is listed with the unit, and the map shows that unit (its outline or seat) instead."""
    gazetteer = corpus.gazetteer
    drawn, approximate = approximate_lists(
        corpus, [place_feature(corpus, p, allowed=allowed) for p in dict.fromkeys(places)], allowed=allowed)
    ids = {f.id for f in drawn}
    for unit in (gazetteer[u.unit_id] for u in approximate):
        if unit.id not in ids and unit.geometry is not None:
            drawn.append(place_feature(corpus, unit, layer=None if unit.kind in UNIT_KINDS else "admin",
                                       allowed=allowed))
            ids.add(unit.id)
    shown = [drawn_extent(f) for f in drawn if f.geometry is not None and not f.geometry.is_empty]
    home = gazetteer.get(gazetteer.home or "")
    if home is not None and home.geometry is not None and home.id not in ids:
        drawn.append(MapFeature(home.id, "admin", home.geometry, quality_of(home.quality), home.name))
    if focus is not None and focus.id in ids and focus.geometry is not None and focus.geometry.area > 0:
        fit = focus.geometry
    else:
        fit = shapely.union_all(shown) if shown else None
    used = {f.layer for f in drawn}
    return MapSpec(stack_features(corpus, drawn, allowed=allowed), basemap=basemap,
                   groups=[g for g in GROUPS if g.layer in used], counts=CountScale.of(f.specific for f in drawn),
                   specific=CountScale.of(f.specific for f in drawn), fit=fit, search=(), legend_open=False,
                   approximate=approximate, outside=outside_words(gazetteer))
