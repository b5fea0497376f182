"""``govmap check-data``: consistency checks over the assembled gazetteer.

Errors: a parent that does not exist; a point position (a GeoNames seat, or a point placed by an editor) outside
every county its parents lie in; two entries sharing name and kind (villages and communities: within one county,
where the admin tree itself repeats names across counties); an alias that points to several entries. Information:
names and aliases standing inside longer ones of other entries (向阳湖 ⊂ 向阳湖镇、向阳湖奶牛场), which the
recogniser resolves deliberately (longest match first).
"""

from __future__ import annotations

from collections import defaultdict

from gazetteer.model import Kind, Place, Quality
from gazetteer.places.registry import Gazetteer, Level, Problem

_LOCAL_KINDS = frozenset({Kind.VILLAGE, Kind.COMMUNITY})
#: Point positions checked against the counties a place lies in: (problem code, what the message calls the point).
_POINT_QUALITIES = {Quality.SEAT: ("seat-outside-county", "seat"),
                    Quality.SCHEMATIC: ("position-outside-county", "editor-placed position")}


def check(gazetteer: Gazetteer) -> list[Problem]:
    """All problems, those found while loading first."""
    return [*gazetteer.load_problems, *_parents(gazetteer), *_positions(gazetteer), *_duplicates(gazetteer),
            *_aliases(gazetteer), *_nested(gazetteer)]


def _parents(gazetteer: Gazetteer) -> list[Problem]:
    return [Problem(Level.ERROR, "missing-parent", f"{p.name} ({p.id}): parent {parent!r} does not exist")
            for p in gazetteer for parent in p.parents if parent not in gazetteer]


def _county_of(gazetteer: Gazetteer, place: Place) -> Place | None:
    if place.kind == Kind.COUNTY:
        return place
    return next((a for a in gazetteer.ancestors(place.id) if a.kind == Kind.COUNTY), None)


def _counties_of(gazetteer: Gazetteer, place: Place) -> list[Place]:
    """The counties (with a polygon) that the place's parents lie in: one for a township, several for a lake."""
    units = [place] if place.kind == Kind.COUNTY else [gazetteer[p] for p in place.parents if p in gazetteer]
    found = [_county_of(gazetteer, unit) for unit in units]
    polygons = {c.id: c for c in found if c is not None and c.geometry is not None
                and c.geometry.geom_type in ("Polygon", "MultiPolygon")}
    return list(polygons.values())


def _positions(gazetteer: Gazetteer) -> list[Problem]:
    problems = []
    for place in gazetteer:
        point = place.geometry
        if place.quality not in _POINT_QUALITIES or point is None or point.geom_type != "Point":
            continue
        counties = _counties_of(gazetteer, place)
        if counties and not any(c.geometry.covers(point) for c in counties):
            code, what = _POINT_QUALITIES[place.quality]
            problems.append(Problem(Level.ERROR, code, f"{place.name} ({place.id}): its {what} ({point.x:.4f}, "
                                                   f"{point.y:.4f}) lies outside {'、'.join(c.name for c in counties)}"))
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
    return [Problem(Level.ERROR, "duplicate-name", f"{name} ({kind}) is entered {len(places)} times: "
                                               + ", ".join(p.id for p in places))
            for (name, kind, _), places in groups.items() if len(places) > 1]


def _aliases(gazetteer: Gazetteer) -> list[Problem]:
    problems = []
    for name, ids in gazetteer.names().items():
        owners = [gazetteer[i] for i in ids if name != gazetteer[i].name]
        if owners and len(ids) > 1:
            problems.append(Problem(Level.ERROR, "ambiguous-alias",
                                    f"the alias {name} points to {len(ids)} entries: {', '.join(ids)}"))
    return problems


def _nested(gazetteer: Gazetteer) -> list[Problem]:
    """Each name or alias with the longer names of other entries it stands in directly (no name in between)."""
    owners: dict[str, set[str]] = defaultdict(set)
    for place in gazetteer:
        if place.kind not in _LOCAL_KINDS:
            for name in place.names:
                if len(name) >= 2:
                    owners[name].add(place.id)
    names = sorted(owners, key=len)
    problems = []
    for i, short in enumerate(names):
        longer = [n for n in names[i + 1:] if short in n and len(n) > len(short)]
        direct = [n for n in longer if not any(m != n and m in n for m in longer) and not owners[n] <= owners[short]]
        if direct:
            problems.append(Problem(Level.INFO, "nested-name", f"{short} ⊂ " + "、".join(direct)))
    return problems
