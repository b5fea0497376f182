"""Where a place's position comes from, and which places take their position from it.

A ``derived`` place (斧头湖防洪治理工程) has the geometry of the places its name or entry refers to (斧头湖), listed
in ``Place.derived_from``; an ``admin-fallback`` place has the geometry of its first parent that has one.

>>> from shapely.geometry import Point, Polygon
>>> from gazetteer.model import Kind, Place, Quality
>>> from gazetteer.places.registry import Gazetteer
>>> lake = Place("l", "北湖", Kind.LAKE, geometry=Polygon([(0, 0), (1, 0), (1, 1)]), quality=Quality.OPEN_DATA)
>>> dam = Place("p", "北湖防洪工程", Kind.PROJECT, geometry=lake.geometry, quality=Quality.DERIVED,
...             source="derived from 北湖 (named in the curated file)", derived_from=("l",))
>>> [p.name for p in position_sources(Gazetteer([lake, dam]), dam)]
['北湖']
>>> derived_from_index(Gazetteer([lake, dam]))
{'l': ['p']}
>>> position_origin(Gazetteer([lake, dam]), dam).name, position_origin(Gazetteer([lake, dam]), lake)
('北湖', None)
"""

from __future__ import annotations

from gazetteer.model import Place, Quality
from gazetteer.places.registry import Gazetteer

#: Qualities whose geometry is only a stand-in position (drawn as a ring at a representative point).
STAND_IN = frozenset({Quality.ADMIN_FALLBACK, Quality.MISSING})


def derived_sources(gazetteer: Gazetteer, place: Place) -> list[Place]:
    """The places a ``derived`` place takes its geometry from (empty for any other quality)."""
    if place.quality != Quality.DERIVED:
        return []
    return [gazetteer[i] for i in place.derived_from if i in gazetteer]


def fallback_source(gazetteer: Gazetteer, place: Place) -> Place | None:
    """The unit whose geometry an ``admin-fallback`` place borrows: its first parent that has a geometry."""
    if place.quality != Quality.ADMIN_FALLBACK:
        return None
    return next((gazetteer[p] for p in place.parents if p in gazetteer and gazetteer[p].geometry is not None), None)


def position_sources(gazetteer: Gazetteer, place: Place) -> list[Place]:
    """Where a derived or admin-fallback place's position comes from; empty when it has its own."""
    if place.quality == Quality.ADMIN_FALLBACK:
        unit = fallback_source(gazetteer, place)
        return [unit] if unit is not None else []
    return derived_sources(gazetteer, place)


def position_origin(gazetteer: Gazetteer, place: Place) -> Place | None:
    """The place whose own geometry a borrowed position ends at, following :func:`position_sources` (a project
    derived from 章家湖, itself placed at 向阳湖镇's seat, ends at 向阳湖镇); ``None`` for a place with its own."""
    origin, seen = None, {place.id}
    sources = position_sources(gazetteer, place)
    while sources and sources[0].id not in seen:
        origin = sources[0]
        seen.add(origin.id)
        sources = position_sources(gazetteer, origin)
    return origin


def is_stand_in(gazetteer: Gazetteer, place: Place, *, _seen: frozenset[str] = frozenset()) -> bool:
    """True when the place's geometry only stands in for a position: an admin-fallback place, or a place derived
    from one (a project derived from a stream whose course is unknown carries the whole county's outline)."""
    if place.quality in STAND_IN:
        return True
    if place.quality != Quality.DERIVED or place.id in _seen:
        return False
    return any(is_stand_in(gazetteer, source, _seen=_seen | {place.id})
               for source in derived_sources(gazetteer, place))


def derived_from_index(gazetteer: Gazetteer) -> dict[str, list[str]]:
    """For each place, the ids of the places whose geometry is derived from it."""
    index: dict[str, list[str]] = {}
    for place in gazetteer:
        for source in derived_sources(gazetteer, place):
            index.setdefault(source.id, []).append(place.id)
    return index


def position_unit(gazetteer: Gazetteer, place: Place) -> Place | None:
    """The admin unit a place whose position only stands in (:func:`is_stand_in`) is known to lie in: where its
    borrowed position ends (:func:`position_origin`), else its first parent; ``None`` for a place with a position
    of its own.

    >>> from shapely.geometry import Point, Polygon
    >>> from gazetteer.model import Kind, Place, Quality
    >>> from gazetteer.places.registry import Gazetteer
    >>> county = Place("c", "甲安区", Kind.COUNTY, geometry=Polygon([(0, 0), (1, 0), (1, 1)]), quality=Quality.OPEN_DATA)
    >>> park = Place("p", "甲安产业园", Kind.PARK, parents=("c",), geometry=county.geometry,
    ...              quality=Quality.ADMIN_FALLBACK)
    >>> position_unit(Gazetteer([county, park]), park).name, position_unit(Gazetteer([county, park]), county)
    ('甲安区', None)
    """
    if not is_stand_in(gazetteer, place):
        return None
    origin = position_origin(gazetteer, place)
    if origin is not None:
        return origin
    return next((gazetteer[p] for p in place.parents if p in gazetteer), None)
