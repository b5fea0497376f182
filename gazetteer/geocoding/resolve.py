"""Deciding which place a mention denotes, saying why, and what else was considered.

Rules, in order of weight: a unit whose parent was named just before (双溪桥镇高铺村 → the 高铺村 of 双溪桥镇);
the canonical name over an alias (向阳湖 is the lake; 向阳湖镇 is written with 镇); a place inside the home county
over one elsewhere; admin units and waters over smaller things. Ties are resolved in the gazetteer's order and
said to be ties.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import replace

from shapely.geometry.base import BaseGeometry

from gazetteer.places.geometry import segment_between
from gazetteer.model import (ROAD_KINDS, TOWNSHIP_KINDS, WATER_KINDS, Kind, Mention, Place, Resolution, Span,
                             Status)
from gazetteer.geocoding.recognize import NONPLACE, Recognizer
from gazetteer.places.registry import Gazetteer

_KIND_WEIGHT = {Kind.COUNTY: 1.5, Kind.CITY: 1.5, Kind.TOWN: 1.5, Kind.TOWNSHIP: 1.5, Kind.SUBDISTRICT: 1.5,
                Kind.FARM: 1.2, Kind.ZONE: 1.2, Kind.LAKE: 1.0, Kind.RIVER: 1.0, Kind.ROAD: 1.0}
_WEIGHTS = {"parent-named": 5.0, "canonical": 4.0, "home": 2.0}
#: G351双溪至横沟段, 淦河咸安段, 107国道咸安绕城段: a named part of a road or river.
_SEGMENT = re.compile(r"([\u4e00-\u9fff]{2,5}?)(?:至|到|—|-)([\u4e00-\u9fff]{2,5}?)段|([\u4e00-\u9fff]{2,4}?)(?:绕城)?段")
_CONTEXT_WINDOW = 40
#: Units a segment phrase may name (淦河咸安段, 京港澳高速湖北段).
_AREA_KINDS = frozenset({Kind.PROVINCE, Kind.CITY, Kind.COUNTY}) | TOWNSHIP_KINDS


def resolve(mentions: Sequence[Mention], gazetteer: Gazetteer, *, text: str,
            recognizer: Recognizer | None = None) -> list[Resolution]:
    """Resolve the mentions of one passage in order; ``text`` is the whole document (for segment phrases)."""
    resolutions: list[Resolution] = []
    recent: deque[Resolution] = deque()  # resolutions ending within the context window, oldest first
    choices: dict[tuple[str, tuple[str, ...], tuple[str, ...]], _Choice] = {}  # names repeat: decide each once
    for mention in mentions:
        if mention.candidates == (NONPLACE,):
            resolutions.append(Resolution(mention, None, _nonplace_reason(mention.text, gazetteer),
                                          status=Status.NONPLACE))
            continue
        while recent and mention.span.start - recent[0].mention.span.end > _CONTEXT_WINDOW:
            recent.popleft()
        context = tuple(r.place_id for r in recent if r.place_id) if len(mention.candidates) > 1 else ()
        key = (mention.text, mention.candidates, context)
        if key not in choices:
            choices[key] = _choose(mention, gazetteer, context, recognizer)
        place_id, reason, alternatives = choices[key]
        resolution = _segment(Resolution(mention, place_id, reason, alternatives), gazetteer, text)
        resolutions.append(resolution)
        recent.append(resolution)
    return resolutions


def _nonplace_reason(name: str, gazetteer: Gazetteer) -> str:
    nonplace = gazetteer.nonplace(name)
    return f"nonplace: {nonplace.reason}" if nonplace else "nonplace"


def unresolved(mentions: Sequence[Mention]) -> list[Resolution]:
    """Resolutions for names shaped like places that the gazetteer does not know."""
    return [Resolution(m, None, "unresolved: shaped like a place name, not in the gazetteer", status=Status.UNRESOLVED)
            for m in mentions]


#: What a name resolves to in a context: place id, reason, alternatives considered.
_Choice = tuple[str, str, tuple[str, ...]]


def _choose(mention: Mention, gazetteer: Gazetteer, context: Sequence[str],
            recognizer: Recognizer | None) -> _Choice:
    places = [gazetteer[i] for i in mention.candidates if i in gazetteer]
    if len(places) == 1:
        best, reason, others = places[0], f"the only place named {mention.text}", ()
    else:
        scored = sorted(((_score(p, mention.text, gazetteer, context), n, p) for n, p in enumerate(places)),
                        key=lambda item: (-item[0][0], item[1]))
        (best_score, why), _, best = scored[0]
        reason = "; ".join(why) or "first of equals"
        if len(scored) > 1 and scored[1][0][0] == best_score:
            reason += f"; tie with {scored[1][2].id}, kept the first"
        others = tuple(p.id for _, _, p in scored[1:])
    if recognizer is not None:  # longer names containing this one: 向阳湖 → 向阳湖镇, 向阳湖奶牛场
        nested = _first_distinct((pid for name in recognizer.containers(mention.text)
                                  for pid in gazetteer.ids_named(name) if pid != best.id), 6)
        others = tuple(dict.fromkeys((*others, *nested)))
    return best.id, reason, others


def _first_distinct(items: Iterable[str], count: int) -> list[str]:
    """The first ``count`` distinct items, reading no further (a national name has thousands of containers).

    >>> _first_distinct(iter("aabacdef"), 3)
    ['a', 'b', 'c']
    """
    found: dict[str, None] = {}
    for item in items:
        found[item] = None
        if len(found) == count:
            break
    return list(found)


def _score(place: Place, surface: str, gazetteer: Gazetteer, context: Sequence[str]) -> tuple[float, list[str]]:
    score, why = _KIND_WEIGHT.get(place.kind, 0.5), [f"{place.kind} ({place.name})"]
    if any(c in place.parents or gazetteer.is_within(place.id, c) for c in context if c in gazetteer):
        score += _WEIGHTS["parent-named"]
        why.append("its admin unit is named just before")
    if place.name == surface:
        score += _WEIGHTS["canonical"]
        why.append("canonical name, not an alias")
    home = gazetteer.home
    if home and (place.id == home or (home in gazetteer and gazetteer.is_within(place.id, home))):
        score += _WEIGHTS["home"]
        why.append("inside the home county")
    return score, why


def _segment(resolution: Resolution, gazetteer: Gazetteer, text: str) -> Resolution:
    """Read the segment phrase after a road or river (G351双溪至横沟段, 淦河永安城区段, 咸宁大道西延段).

    The phrase belongs to the mention; where its ends or its area are known places and the place is a line, the
    resolution also gets that part of the line.
    """
    if resolution.place_id is None:
        return resolution
    place = gazetteer[resolution.place_id]
    if place.kind not in ROAD_KINDS | {Kind.RIVER}:
        return resolution
    match = _SEGMENT.match(text, resolution.mention.span.end)
    if match is None:
        return resolution
    part, label = _part(place, match, gazetteer)
    resolution = _with(resolution, reason=f"{resolution.reason}; segment {label}", geometry=part)
    if any(_names_a_place(words, gazetteer) for words in match.groups() if words):
        return resolution  # G353通城段: 通城 is a mention of its own
    mention = resolution.mention
    longer = Mention(mention.text + match.group(0), Span(mention.span.doc_id, mention.span.start, match.end()),
                     mention.candidates)
    return _with(resolution, mention=longer)


def _names_a_place(words: str, gazetteer: Gazetteer) -> bool:
    return bool(gazetteer.ids_named(words) or _unit(words, gazetteer, kinds=_AREA_KINDS))


def _part(place: Place, match: re.Match[str], gazetteer: Gazetteer) -> tuple[BaseGeometry | None, str]:
    """The part of the line a segment phrase names, and how it was found (``None`` where it cannot be told)."""
    phrase = match.group(0)
    if place.geometry is None or place.geometry.geom_type not in ("LineString", "MultiLineString"):
        return None, f"{phrase}: {place.name} has no line to cut"
    if match.group(3):
        area = _unit(match.group(3), gazetteer, kinds=_AREA_KINDS)
        if area is None or area.geometry is None or area.geometry.geom_type not in ("Polygon", "MultiPolygon"):
            return None, f"{phrase}: no known area called {match.group(3)}"
        part = place.geometry.intersection(area.geometry)
        label = f"{phrase}: the part inside {area.name}"
    else:
        ends = [_unit(match.group(i), gazetteer, kinds=TOWNSHIP_KINDS) for i in (1, 2)]
        if any(e is None or e.geometry is None for e in ends):
            return None, f"{phrase}: its ends are not known places"
        part = segment_between(place.geometry, ends[0].geometry, ends[1].geometry)
        label = f"{phrase}: between {ends[0].name} and {ends[1].name}"
    return (None, f"{phrase}: no part of the line lies there") if part.is_empty else (part, label)


def _unit(short: str, gazetteer: Gazetteer, *, kinds: frozenset[Kind]) -> Place | None:
    """The home county's unit whose name is ``short`` or starts with it (双溪 → 双溪桥镇)."""
    exact = [p for p in gazetteer.lookup(short) if p.kind in kinds]
    if exact:
        return exact[0]
    pool = gazetteer.townships() + ([gazetteer[gazetteer.home]] if gazetteer.home in gazetteer else [])
    starts = sorted((p for p in pool if p.kind in kinds and p.name.startswith(short)), key=lambda p: len(p.name))
    if len(starts) > 1 and len(starts[0].name) == len(starts[1].name):
        return None
    return starts[0] if starts else None


def _with(resolution: Resolution, **changes: object) -> Resolution:
    return replace(resolution, **changes)
