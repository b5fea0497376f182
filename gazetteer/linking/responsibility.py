"""Which units a task belongs to, and why: the 责任单位 list read against the deployment and its admin tree.

Named units (浮山街道办事处 → 浮山街道; 嘉鱼县人民政府 → 嘉鱼县 in a city's plan) link directly. A collective
phrase of the deployment (:class:`geodata.deployment.Phrase`: 各乡镇办场, 各镇人民政府, 各县市区人民政府 …) links
every unit of the kinds it covers; a *related* phrase (相关乡镇办场, 项目沿线乡镇办) links the units the task's own
text locates it in, and when it names none the task is marked "related, unspecified" on the deployment's unit.

>>> from geodata import deployment
>>> names, phrases = unit_scope(("区发改局", "各乡镇办场", "咸安经济开发区"), deployment.load())
>>> names, [p.text for p in phrases]
(('咸安经济开发区',), ['各乡镇办场'])
"""

from __future__ import annotations

from collections.abc import Sequence

from gazetteer.linking.links import Link, LinkType, Rule
from gazetteer.model import Kind, Place, Task
from gazetteer.places.registry import Gazetteer
from geodata.deployment import Deployment, Level, Phrase

#: Endings of township-level units (towns, townships, subdistricts, farms, zones) as 责任单位 write them.
TOWNSHIP_SUFFIXES: tuple[str, ...] = ("街道办事处", "办事处", "街道", "镇", "乡", "场", "开发区", "物流区", "工业园",
                                      "园区")
#: A unit's government stands for the unit (官桥镇人民政府, 城关镇政府; 黄埔区政府 in a city's plan).
GOVERNMENT_ENDINGS: tuple[str, ...] = ("人民政府", "政府")
#: How a zone's administration is written after the zone (经济开发区管委会): it stands for the zone.
ZONE_ADMINISTRATION: tuple[str, ...] = ("管理委员会", "管委会")
#: Endings of county-level units, which a prefecture-level city's plans name (嘉鱼县人民政府, 咸安区, 赤壁市).
COUNTY_SUFFIXES: tuple[str, ...] = ("区", "县", "市", "旗")
#: How collective phrases open (各乡镇办场, 相关乡镇, 项目沿线乡镇): never the name of one unit, even when the
#: deployment does not define the phrase.
COLLECTIVE_OPENINGS: tuple[str, ...] = ("各", "相关", "项目沿线", "沿线")
#: Fragments that mark a department or company even when the name ends like a unit (…公司咸安区办事处); the
#: deployment's own organs (区委, 区直, 区政府 …) are added by :func:`unit_scope`.
DEPARTMENT_MARKS: tuple[str, ...] = ("局", "公司", "委员会", "成员单位", "集团")


def unit_scope(units: Sequence[str], deployment: Deployment) -> tuple[tuple[str, ...], tuple[Phrase, ...]]:
    """Unit-like names in a 责任单位 list (as written, in order) and the collective phrases it uses.

    Departments (区…局, 区委…, …公司) are not unit-like.

    >>> from geodata import deployment
    >>> names, phrases = unit_scope(["区发改局", "相关乡镇办", "向阳湖镇", "浮山街道办事处"], deployment.load())
    >>> names, [(p.text, p.related) for p in phrases]
    (('向阳湖镇', '浮山街道办事处'), [('相关乡镇办', True)])
    """
    phrases = {unit: phrase for unit in units if (phrase := _phrase(unit, deployment)) is not None}
    suffixes = TOWNSHIP_SUFFIXES + (COUNTY_SUFFIXES if deployment.level == Level.CITY else ())
    openings = (*COLLECTIVE_OPENINGS, *deployment.organs.marks)  # 区委办, 市政府办, 县直各单位 are its own bodies
    names = dict.fromkeys(unit for unit in units if unit not in phrases and (core := _zone(unit)).endswith(suffixes)
                          and not unit.startswith(openings) and not any(mark in core for mark in DEPARTMENT_MARKS))
    return tuple(names), tuple(dict.fromkeys(phrases.values()))


def _phrase(unit: str, deployment: Deployment) -> Phrase | None:
    """The deployment's phrase written ``unit``, or the phrase before a bracketed addition (各街办(新区) is 各街办
    and the new districts, which only a name of their own can link).

    >>> from geodata import deployment
    >>> _phrase("各乡镇办场(含开发区)", deployment.load()).text
    '各乡镇办场'
    """
    found = deployment.phrase(unit)
    head = unit.replace("（", "(").split("(", 1)[0]
    if found is None and head != unit and head.startswith(COLLECTIVE_OPENINGS):
        found = deployment.phrase(head)
    return found


def _zone(unit: str) -> str:
    """A unit's name without its administration or government: 经济开发区管委会 → 经济开发区, 黄埔区政府 → 黄埔区."""
    for ending in (*ZONE_ADMINISTRATION, *GOVERNMENT_ENDINGS):
        if unit.endswith(ending) and len(unit) > len(ending):
            return unit.removesuffix(ending)
    return unit


def _unit_place(gazetteer: Gazetteer, deployment: Deployment, unit: str) -> Place | None:
    """The unit a named 责任单位 is, also when written without its administration (经济开发区管委会), or without or
    with the short name of the deployment's unit (经济开发区, 嘉鱼经济开发区 for 嘉鱼县经济开发区).

    >>> from geodata import deployment
    >>> from gazetteer.places.load import load_gazetteer
    >>> g = load_gazetteer(deployment.load())
    >>> [_unit_place(g, g.deployment, u).name for u in ("向阳湖镇人民政府", "经济开发区管委会", "咸安经济开发区")]
    ['向阳湖镇', '湖北咸安经济开发区', '湖北咸安经济开发区']
    """
    core = _zone(unit)
    rest = core
    for prefix in (deployment.name, deployment.short_name):
        if prefix and core.startswith(prefix):
            rest = core.removeprefix(prefix)
            break
    for name in dict.fromkeys((unit, deployment.name + rest, deployment.short_name + rest, core)):
        place = gazetteer.unit(name)
        if place is not None:
            return place
    return None


def township_links(task: Task, gazetteer: Gazetteer, *, mentioned: Sequence[str] = ()) -> list[Link]:
    """RESPONSIBLE links from ``task`` to the deployment's units; ``mentioned`` are the place ids its text names."""
    deployment = gazetteer.deployment
    if deployment is None:
        return []
    units = (*task.responsibility.lead_units, *task.responsibility.units)
    named, phrases = unit_scope(units, deployment)
    links: dict[str, Link] = {}
    for unit in named:
        place = _unit_place(gazetteer, deployment, unit)
        if place is not None:
            links.setdefault(place.id, Link(task.id, place.id, LinkType.RESPONSIBLE, Rule.NAMED_UNIT,
                                            f"责任单位：{unit}", task.responsibility.span))
    blanket = [p for p in phrases if not p.related]
    if blanket:
        _add_blanket(links, task, gazetteer, blanket)
    elif phrases:
        _add_related(links, task, gazetteer, phrases, mentioned)
    return list(links.values())


def _add_blanket(links: dict[str, Link], task: Task, gazetteer: Gazetteer, phrases: Sequence[Phrase]) -> None:
    """Every unit of the kinds the phrases cover: rule ALL when that is every unit, else ALL_BUT_FARM (a part)."""
    units = gazetteer.townships()
    for phrase in phrases:
        covered = [u for u in units if u.kind.value in phrase.covers]
        rule = Rule.ALL if len(covered) == len(units) else Rule.ALL_BUT_FARM
        for place in covered:
            links.setdefault(place.id, Link(task.id, place.id, LinkType.RESPONSIBLE, rule,
                                            f"责任单位：{phrase.text}", task.responsibility.span))


def _add_related(links: dict[str, Link], task: Task, gazetteer: Gazetteer, phrases: Sequence[Phrase],
                 mentioned: Sequence[str]) -> None:
    covers = frozenset().union(*(p.covers for p in phrases))
    units = {u.id for u in gazetteer.townships() if u.kind.value in covers}
    located = {unit.id: unit for pid in mentioned for unit in gazetteer.township_of(pid) if unit.id in units}
    label = phrases[0].text
    for place in located.values():
        links.setdefault(place.id, Link(task.id, place.id, LinkType.RESPONSIBLE, Rule.RELATED_LOCATED,
                                        f"{label}：任务文本指向 {place.name}", task.responsibility.span))
    if not located and gazetteer.home in gazetteer:
        links[gazetteer.home] = Link(task.id, gazetteer.home, LinkType.RESPONSIBLE, Rule.RELATED_UNSPECIFIED,
                                     f"{label}（文本未指明{_unit_word(gazetteer)}）", task.responsibility.span)


def _unit_word(gazetteer: Gazetteer) -> str:
    home = gazetteer.get(gazetteer.home or "")
    return "县市区" if home is not None and home.kind == Kind.CITY else "乡镇"

