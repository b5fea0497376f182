"""Two-character short forms of the deployment's own units in running text: 车埠 for 车埠镇, 慈口 for 慈口乡,
双溪 and 横沟 for 双溪桥镇 and 横沟桥镇, 温泉 and 永安 for the subdistricts.

They come from the deployment's admin tree (:func:`unit_short_forms`), never from a list of names. Alone they are
too often words (温泉 a hot spring, 永安 a wish, 黄沙 sand), so one is read as its unit only on a cue:

- the unit's full name is written elsewhere in the same document (大畈镇 … 大畈历届党委);
- an area word follows (车埠境内, 温泉城郊, 石南集镇, 咸安城区);
- it names a neighbour (东临慈口, 西接通羊, 北靠黄沙) or sits in a list of 、 beside another unit;
- its county's name stands right before it (赤壁市车埠, 崇阳青山).

It is never read inside a longer name (温泉路, 黄沙河: a place ending follows).

>>> from gazetteer.model import Kind, Place
>>> from gazetteer.places.registry import Gazetteer
>>> g = Gazetteer([Place("c", "甲县", Kind.COUNTY), Place("t", "车埠镇", Kind.TOWN, parents=("c",)),
...                Place("w", "温泉街道", Kind.SUBDISTRICT, parents=("c",))], home="c")
>>> [(m.text, m.candidates, cue) for m, cue in find_short_forms("在甲县车埠开会。温泉水好。温泉城郊", g, taken=[])]
[('车埠', ('t',), 'county named before it'), ('温泉', ('w',), 'area word after it: 城郊')]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import accumulate
from collections.abc import Iterable, Iterator
from functools import lru_cache

from gazetteer.model import Kind, Mention, Place, Span
from gazetteer.places.registry import Gazetteer

_UNIT_ENDINGS = ("街道办事处", "办事处", "街道", "桥镇", "镇", "乡")
#: Words after a short form that make it the unit (车埠境内, 温泉城郊, 大畈历届党委).
_AREA_WORDS = ("境内", "城区", "城郊", "集镇", "镇区", "辖区", "一带", "全境", "境", "历届", "党委", "片区", "老城",
               "新城", "街头", "人民", "镇上", "乡间")
#: Words before a short form that make it a neighbour (东临慈口, 西接通羊).
_NEIGHBOUR = re.compile(r"(?:[东西南北]|东南|东北|西南|西北)(?:临|接|邻|靠|连|界|抵|与)$|(?:毗邻|接壤|交界|相邻|相连)$")
#: A place ending right after the short form: it is part of a longer name (温泉路, 黄沙河).
_LONGER = re.compile(r"[路街巷道河湖港溪江山岭峰村湾桥寺庙洞潭园馆站厂场池泉井]|大道|社区|水库|文化|酒店|宾馆|"
                     r"小区|花园|公司|集团|学校|中学|小学|医院|宾馆|茶|鱼|米|酒")


#: After a short form admitted only because its full name is in the document: it must end the word there
#: (桂花产业 and 温泉文化 stay words even in a text that names 桂花镇 and 温泉街道).
_ENDS_WORD = re.compile(r"[^\u4e00-\u9fff]|[的和与及等在]|$")


def unit_short_forms(gazetteer: Gazetteer) -> dict[str, tuple[Place, ...]]:
    """Two-character short forms of the deployment's township-level units (of every county for a city)."""
    return _short_forms(gazetteer)


@lru_cache(maxsize=8)
def _short_forms(gazetteer: Gazetteer) -> dict[str, tuple[Place, ...]]:
    units = gazetteer.townships()
    if units and all(u.kind == Kind.COUNTY for u in units):
        units = [t for county in units for t in gazetteer.townships(county.id)]
    forms: dict[str, list[Place]] = {}
    for unit in units:
        for ending in _UNIT_ENDINGS:
            stem = unit.name.removesuffix(ending)
            if stem != unit.name:
                if len(stem) == 2:
                    forms.setdefault(stem, []).append(unit)
                break
    # a short form that is also another place's full name or alias is that place (洪港 the village of 洪港镇 is
    # still the town's short form; 九宫山 the mountain is no short form of 九宫山镇)
    return {stem: tuple(us) for stem, us in forms.items()
            if not any(p.kind != Kind.VILLAGE and p not in us for p in gazetteer.lookup(stem))}


def find_short_forms(text: str, gazetteer: Gazetteer, *, taken: Iterable[Span], doc_id: str = "d",
                     offset: int = 0, document: str | None = None) -> Iterator[tuple[Mention, str]]:
    """Short forms of the deployment's units in ``text`` that overlap no mention in ``taken``, with their cue."""
    forms = unit_short_forms(gazetteer)
    if not forms:
        return
    busy = sorted((s.start - offset, s.end - offset) for s in taken)
    starts = [s for s, _ in busy]
    reach = list(accumulate((e for _, e in busy), max))  # the furthest end among the first i spans
    whole = text if document is None else document
    pattern = _pattern(tuple(sorted(forms)))
    for hit in pattern.finditer(text):
        start, end = hit.span()
        before = bisect_left(starts, end)  # the spans that start before this hit ends
        if (before and reach[before - 1] > start) or _LONGER.match(text, end):
            continue
        units = forms[hit.group()]
        cue = _cue(text, start, end, units, whole, gazetteer, forms)
        if cue:
            yield Mention(hit.group(), Span(doc_id, offset + start, offset + end), tuple(u.id for u in units)), cue


@lru_cache(maxsize=8)
def _pattern(stems: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, stems)))


def _cue(text: str, start: int, end: int, units: tuple[Place, ...], whole: str, gazetteer: Gazetteer,
         forms: dict[str, tuple[Place, ...]]) -> str:
    after = text[end:end + 2]
    area = next((w for w in _AREA_WORDS if text.startswith(w, end)), None)
    if area:
        return f"area word after it: {area}"
    if _NEIGHBOUR.search(text[max(0, start - 3):start]):
        return "names a neighbour: " + text[max(0, start - 2):start]
    for unit in units:
        county = next((gazetteer[p] for p in unit.parents if p in gazetteer), None)
        if county is not None and any(text.endswith(n, 0, start) for n in county.names if len(n) >= 2):
            return "county named before it"
    listed = text[start - 1:start] == "、" or after[:1] == "、"
    if (any(unit.name in whole for unit in units) and not listed and _ENDS_WORD.match(text, end)
            and start and "\u4e00" <= text[start - 1] <= "\u9fff"):
        return f"full name in the document: {units[0].name}"
    neighbours = (text[max(0, start - 4):start - 1] if start and text[start - 1] == "、" else "",
                  text[end + 1:end + 5] if after[:1] == "、" else "")
    if any(n.endswith(tuple(forms)) or n.startswith(tuple(forms)) for n in neighbours if n):
        return "in a list beside another unit"
    return ""
