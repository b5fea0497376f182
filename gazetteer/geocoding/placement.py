"""Candidates placed where the text puts them: a natural village, a mountain, a street or a facility that no
gazetteer holds (上门胡, 天井山, 怀德路, 金口泵站) becomes a place of the kind its ending says, located only by the
admin unit the sentence names before it (车埠镇鸡公山村…境内有天井山 → 天井山, a mountain, in 鸡公山村).

Its quality is ``admin-fallback`` and its reason says so ("position known only to 鸡公山村"): it is never put on a
guessed point. A candidate whose stem is itself a known place (隽水 + 河) is named after it and placed there. A
candidate whose kind the ending does not tell, or with no unit before it in its sentence or line, stays an
unresolved candidate.

>>> kind_of("上门胡湾"), kind_of("金口泵站"), kind_of("怀德路"), kind_of("凌上高科"), kind_of("王家湾水库")
(<Kind.VILLAGE: 'village'>, <Kind.SITE: 'site'>, <Kind.STREET: 'street'>, None, <Kind.RESERVOIR: 'reservoir'>)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import replace

from gazetteer.model import ADMIN_KINDS, Kind, Place, Quality, Resolution, Status
from gazetteer.places.registry import Gazetteer

#: Endings that tell a candidate's kind, longest first within the table's order of preference.
ENDING_KINDS: tuple[tuple[str, Kind], ...] = (
    ("水库", Kind.RESERVOIR), ("社区", Kind.COMMUNITY), ("湿地公园", Kind.PARK), ("森林公园", Kind.PARK),
    ("公园", Kind.PARK), ("植物园", Kind.PARK), ("产业园", Kind.ZONE), ("工业园", Kind.ZONE), ("科创园", Kind.ZONE),
    ("风景名胜区", Kind.ZONE), ("风景区", Kind.ZONE), ("度假区", Kind.ZONE), ("旅游区", Kind.ZONE), ("景区", Kind.ZONE),
    ("示范区", Kind.ZONE), ("开发区", Kind.ZONE), ("工业区", Kind.ZONE), ("新区", Kind.ZONE),
    ("国道", Kind.ROAD), ("省道", Kind.ROAD), ("高速公路", Kind.ROAD), ("高速", Kind.ROAD), ("公路", Kind.ROAD),
    ("铁路", Kind.ROAD), ("快速通道", Kind.ROAD), ("线", Kind.ROAD),
    ("大道", Kind.STREET), ("古街", Kind.SITE), ("石板街", Kind.SITE), ("街区", Kind.SITE), ("大街", Kind.STREET),
    ("路", Kind.STREET), ("街", Kind.STREET), ("巷", Kind.STREET),
    ("大桥", Kind.BRIDGE), ("桥", Kind.BRIDGE),
    ("工程", Kind.PROJECT), ("项目", Kind.PROJECT),
    ("广场", Kind.SITE), ("泵站", Kind.SITE), ("电站", Kind.SITE), ("电厂", Kind.SITE), ("酒店", Kind.SITE),
    ("山庄", Kind.SITE), ("农庄", Kind.SITE), ("庄园", Kind.SITE), ("茶庄", Kind.SITE), ("陵园", Kind.SITE),
    ("书院", Kind.SITE), ("遗址", Kind.SITE), ("故居", Kind.SITE), ("旧址", Kind.SITE), ("古战场", Kind.SITE),
    ("古镇", Kind.SITE), ("小镇", Kind.SITE), ("基地", Kind.SITE), ("综合体", Kind.SITE), ("博物馆", Kind.SITE),
    ("纪念馆", Kind.SITE), ("寺", Kind.SITE), ("庙", Kind.SITE), ("洞", Kind.SITE), ("潭", Kind.SITE),
    ("闸", Kind.SITE), ("大坝", Kind.SITE), ("瀑布", Kind.SITE), ("墓", Kind.SITE), ("心岛", Kind.SITE),
    ("村", Kind.VILLAGE), ("湾", Kind.VILLAGE), ("嘴", Kind.VILLAGE), ("咀", Kind.VILLAGE), ("畈", Kind.VILLAGE),
    ("垴", Kind.VILLAGE), ("垸", Kind.VILLAGE), ("坡", Kind.VILLAGE), ("塆", Kind.VILLAGE),
    ("湖", Kind.LAKE), ("河", Kind.RIVER), ("港", Kind.RIVER), ("溪", Kind.RIVER), ("江", Kind.RIVER),
    ("山", Kind.MOUNTAIN), ("岭", Kind.MOUNTAIN), ("峰", Kind.MOUNTAIN),
)
#: Where a sentence ends: a unit named before it no longer places what follows.
#: Characters that end a sentence (a candidate is placed by a unit of its own sentence).
_SENTENCE_MARKS = "。！？!?；;\n"
#: Kinds a candidate may be placed in, innermost first.
_CONTEXT_KINDS = (Kind.VILLAGE, Kind.COMMUNITY, Kind.TOWN, Kind.TOWNSHIP, Kind.SUBDISTRICT, Kind.FARM, Kind.ZONE,
                  Kind.COUNTY)


#: Kinds a candidate is placed as; projects, zones and communities stay candidates (示范区, …工程 are too often
#: phrases, and a community the tree lacks is rarer than a phrase ending in 社区).
PLACED_KINDS = frozenset({Kind.VILLAGE, Kind.MOUNTAIN, Kind.LAKE, Kind.RIVER, Kind.RESERVOIR, Kind.STREET,
                          Kind.ROAD, Kind.BRIDGE, Kind.SITE, Kind.PARK})
#: Words shaped like places that name none.
_COMMON = frozenset({"城中村", "城郊村", "空心村", "中心村"})
#: What may follow a name with a one-character ending (天井山、, 石人山下, 八斗坡。): not a character that
#: carries the word on (唱支山歌 is a song).
_AFTER_SHORT = re.compile(r"[^\u4e00-\u9fff]|[上下边旁脚前后里内外等一两段村镇乡的和与及]|$")


def kind_of(name: str) -> Kind | None:
    """The kind a candidate's ending tells, or ``None``."""
    return next((kind for ending, kind in ENDING_KINDS if name.endswith(ending) and len(name) > len(ending)), None)


def ending_of(name: str) -> str:
    return next((ending for ending, _ in ENDING_KINDS if name.endswith(ending) and len(name) > len(ending)), "")


def place_candidates(resolutions: Sequence[Resolution], gazetteer: Gazetteer, text: str, *,
                     offset: int = 0) -> list[Resolution]:
    """The resolutions of a passage (text order) with each placeable candidate placed in its context unit."""
    placed: list[Resolution] = []
    units: list[tuple[int, Place]] = []  # (end, unit) of the admin units resolved so far
    for res in resolutions:
        if res.status == Status.RESOLVED and res.place_id in gazetteer:
            place = gazetteer[res.place_id]
            if place.kind in ADMIN_KINDS and place.kind not in (Kind.PROVINCE, Kind.CITY):
                units.append((res.mention.span.end, place))
        if res.status != Status.UNRESOLVED:
            placed.append(res)
            continue
        placed.append(_placed(res, gazetteer, text, units, offset) or res)
    return placed


def _placed(res: Resolution, gazetteer: Gazetteer, text: str, units: list[tuple[int, Place]],
            offset: int) -> Resolution | None:
    name = res.mention.text
    kind = kind_of(name)
    if kind not in PLACED_KINDS or name in _COMMON:
        return None
    ending = ending_of(name)
    stem = name[:len(name) - len(ending)]
    evidence: list[tuple[str, str]] = [("kind cue", f"ending {ending}")]
    base = None
    if len(stem) >= 2:  # 隽水 + 河, 车埠 + 河: named after a unit by its name or its short form
        from gazetteer.geocoding.shortforms import unit_short_forms
        named = [p for p in gazetteer.lookup(stem) if p.kind in ADMIN_KINDS] or list(unit_short_forms(gazetteer).get(stem, ()))
        base = named[0] if len(named) == 1 else None
    if base is not None:  # 隽水 + 河: a river named after 隽水镇, placed there
        unit, cue = base, f"named after {base.name}"
    elif len(ending) == 1 and not _AFTER_SHORT.match(text, res.mention.span.end - offset):
        return None
    else:
        start = res.mention.span.start
        at = max(start - offset, 0)
        sentence = last_mark(text, _SENTENCE_MARKS, at) + 1 + offset
        line = text.rfind("\n", 0, at) + 1 + offset
        inside = _units_after(units, start, sentence) or (  # a one-character ending needs its sentence's unit
            _units_after(units, start, line) if len(ending) > 1 else [])
        if not inside:
            return None
        unit = _innermost(inside, gazetteer)
        cue = "the unit named before it in its sentence"
    evidence.append(("context unit", f"{unit.name} ({unit.id})"))
    evidence.append(("placed", f"at {unit.name}: {cue}; position known only to {unit.name}"))
    digest = hashlib.sha1(f"{unit.id}|{name}|{kind}".encode()).hexdigest()[:10]
    place = Place(id=f"placed-{digest}", name=name, kind=kind, parents=(unit.id,), geometry=unit.geometry,
                  quality=Quality.ADMIN_FALLBACK if unit.geometry is not None else Quality.MISSING,
                  source=f"只知所在行政区：{name}以“{ending}”结尾，文中位于{unit.name}（{unit.id}）",
                  note="文中出现、地名库未收录的地点：只知所在行政区，未猜测位置。")
    reason = (f"placed: a {kind} (ending {ending}) not in the gazetteer, at {unit.name} ({cue}); "
              f"position known only to {unit.name}")
    return replace(res, place_id=place.id, reason=reason, status=Status.RESOLVED, derived=place,
                   alternatives=(unit.id,), evidence=(*res.evidence, *evidence))


def last_mark(text: str, marks: str, at: int) -> int:
    """Where the last of ``marks`` stands before ``at`` (``max(text.rfind(m, 0, at) for m in marks)``, -1 for none),
    looked for in windows growing back from ``at``: a mark that never occurs (！ in most texts) costs no scan of the
    whole text before every candidate.

    >>> last_mark("甲。乙！丙", "。！", 5), last_mark("甲。乙！丙", "。！", 3), last_mark("甲乙", "。！", 2)
    (3, 1, -1)
    """
    width = 256
    while True:
        low = max(at - width, 0)
        found = max(text.rfind(mark, low, at) for mark in marks)
        if found >= 0 or low == 0:
            return found
        width *= 8


def _units_after(units: list[tuple[int, Place]], start: int, since: int) -> list[Place]:
    """The units named before ``start`` and after ``since``, in text order: a walk back from the latest (the list
    grows in text order), so a long document costs no more per candidate than its sentence has units."""
    found = []
    for end, unit in reversed(units):
        if end <= since:
            break
        if end <= start:
            found.append(unit)
    return found[::-1]


def _innermost(units: list[Place], gazetteer: Gazetteer) -> Place:
    """The last unit named, unless an earlier one lies inside it (车埠镇鸡公山村, then 车埠镇: 鸡公山村)."""
    last = units[-1]
    for unit in reversed(units[:-1]):
        if gazetteer.is_within(unit.id, last.id):
            return unit
    return last
