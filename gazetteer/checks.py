"""``govmap check-data``: consistency checks over the assembled gazetteer.

Errors: a parent that does not exist; a seat outside its county; two entries sharing name and kind (villages and
communities: within one county, where the admin tree itself repeats names across counties); an alias that points
to several entries. Information: names nested in other names (向阳湖 ⊂ 向阳湖镇 ⊂ 向阳湖奶牛场), which the
recogniser resolves deliberately (longest match first).
"""

from __future__ import annotations

from collections import defaultdict

from gazetteer.model import Kind, Place, Quality
from gazetteer.registry import Gazetteer, Problem

_LOCAL_KINDS = frozenset({Kind.VILLAGE, Kind.COMMUNITY})


def check(gazetteer: Gazetteer) -> list[Problem]:
    """All problems, those found while loading first."""
    return [*gazetteer.load_problems, *_parents(gazetteer), *_seats(gazetteer), *_duplicates(gazetteer),
            *_aliases(gazetteer), *_nested(gazetteer)]


def _parents(gazetteer: Gazetteer) -> list[Problem]:
    return [Problem("error", "missing-parent", f"{p.name} ({p.id}): parent {parent!r} does not exist")
            for p in gazetteer for parent in p.parents if parent not in gazetteer]


def _county_of(gazetteer: Gazetteer, place: Place) -> Place | None:
    if place.kind == Kind.COUNTY:
        return place
    return next((a for a in gazetteer.ancestors(place.id) if a.kind == Kind.COUNTY), None)


def _seats(gazetteer: Gazetteer) -> list[Problem]:
    problems = []
    for place in gazetteer:
        if place.quality != Quality.SEAT or place.geometry is None:
            continue
        county = _county_of(gazetteer, place)
        if county is None or county.geometry is None or county.geometry.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        if not county.geometry.covers(place.geometry):
            problems.append(Problem("error", "seat-outside-county",
                                    f"{place.name} ({place.id}): its seat lies outside {county.name}"))
    return problems


def _duplicates(gazetteer: Gazetteer) -> list[Problem]:
    groups: dict[tuple, list[Place]] = defaultdict(list)
    for place in gazetteer:
        scope = None
        if place.kind in _LOCAL_KINDS:
            county = _county_of(gazetteer, place)
            scope = county.id if county else place.parent
            # The admin tree repeats village names within a county only under different townships.
            scope = (scope, place.parent)
        groups[(place.name, place.kind, scope)].append(place)
    return [Problem("error", "duplicate-name", f"{name} ({kind}) is entered {len(places)} times: "
                                               + ", ".join(p.id for p in places))
            for (name, kind, _), places in groups.items() if len(places) > 1]


def _aliases(gazetteer: Gazetteer) -> list[Problem]:
    problems = []
    for name, ids in gazetteer.names().items():
        owners = [gazetteer[i] for i in ids if name != gazetteer[i].name]
        if owners and len(ids) > 1:
            problems.append(Problem("error", "ambiguous-alias",
                                    f"the alias {name} points to {len(ids)} entries: {', '.join(ids)}"))
    return problems


def _nested(gazetteer: Gazetteer) -> list[Problem]:
    names = sorted({p.name for p in gazetteer if p.kind not in _LOCAL_KINDS and len(p.name) >= 2}, key=len)
    nested = defaultdict(list)
    for i, short in enumerate(names):
        for longer in names[i + 1:]:
            if short in longer and short != longer:
                nested[short].append(longer)
    return [Problem("info", "nested-name", f"{short} ⊂ " + " ⊂ ".join(sorted(longer, key=len)))
            for short, longer in nested.items()]
