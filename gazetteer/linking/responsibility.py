"""Which townships a task belongs to, and why: the 责任单位 list read against the admin tree.

Named units (浮山街道办事处 → 浮山街道) link directly; 各乡镇办场 links every town, township, subdistrict and the
farm of the home county, 各乡镇办 all but the farm; 相关乡镇办场 / 项目沿线乡镇办 link the townships the task's own
text locates it in, and when it names none the task is marked "related, unspecified" on the county.
"""

from __future__ import annotations

from collections.abc import Sequence

from gazetteer.reading import tasks as task_reader
from gazetteer.linking.links import Link, LinkType, Rule
from gazetteer.model import Kind, Place, Task
from gazetteer.places.registry import Gazetteer

#: The scope words of 责任单位 (as classified by :func:`gazetteer.reading.tasks.unit_scope`) and the rule each gives.
SCOPE_RULES = {"all": Rule.ALL, "all-but-farm": Rule.ALL_BUT_FARM, "related": Rule.RELATED_LOCATED}
_SCOPE_DETAIL = {Rule.ALL: "责任单位：各乡镇办场", Rule.ALL_BUT_FARM: "责任单位：各乡镇办"}


def township_links(task: Task, gazetteer: Gazetteer, *, mentioned: Sequence[str] = ()) -> list[Link]:
    """RESPONSIBLE links from ``task`` to townships; ``mentioned`` are the place ids its text names."""
    units = (*task.responsibility.lead_units, *task.responsibility.units)
    named, scope = task_reader.unit_scope(units)
    links: dict[str, Link] = {}
    for unit in named:
        place = _township_named(unit, gazetteer)
        if place is not None:
            links.setdefault(place.id, Link(task.id, place.id, LinkType.RESPONSIBLE, Rule.NAMED_UNIT,
                                            f"责任单位：{unit}", task.responsibility.span))
    rule = SCOPE_RULES.get(scope)
    if rule in (Rule.ALL, Rule.ALL_BUT_FARM):
        for place in gazetteer.townships():
            if rule == Rule.ALL_BUT_FARM and place.kind == Kind.FARM:
                continue
            links.setdefault(place.id, Link(task.id, place.id, LinkType.RESPONSIBLE, rule, _SCOPE_DETAIL[rule],
                                            task.responsibility.span))
    elif rule == Rule.RELATED_LOCATED:
        townships = {p.id for p in gazetteer.townships()}
        located = {unit.id: unit for pid in mentioned for unit in gazetteer.township_of(pid) if unit.id in townships}
        for place in located.values():
            links.setdefault(place.id, Link(task.id, place.id, LinkType.RESPONSIBLE, Rule.RELATED_LOCATED,
                                            f"相关乡镇办场：任务文本指向 {place.name}", task.responsibility.span))
        if not located and gazetteer.home in gazetteer:
            links[gazetteer.home] = Link(task.id, gazetteer.home, LinkType.RESPONSIBLE, Rule.RELATED_UNSPECIFIED,
                                         "相关乡镇办场（文本未指明乡镇）", task.responsibility.span)
    return list(links.values())


def _township_named(unit: str, gazetteer: Gazetteer) -> Place | None:
    """The township-level unit (or zone) a 责任单位 entry names, preferring the home county."""
    places = [p for p in gazetteer.lookup(unit) if p.kind in (Kind.TOWN, Kind.TOWNSHIP, Kind.SUBDISTRICT,
                                                              Kind.FARM, Kind.ZONE)]
    home = [p for p in places if gazetteer.home in p.parents]
    return (home or places or [None])[0]
