"""The place registry: places by id, by name and alias, and the admin hierarchy between them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from gazetteer.errors import UnknownPlace
from gazetteer.model import TOWNSHIP_KINDS, UNIT_KINDS, Kind, Place
from geodata.deployment import Deployment

if TYPE_CHECKING:
    import geopandas as gpd


@dataclass(frozen=True, slots=True)
class NonPlace:
    """A word that contains a place name but is not a place (贺胜鸡汤 is a brand, 温泉文化 a concept)."""

    name: str
    reason: str
    refers_to: str | None = None


class Level(StrEnum):
    """How serious a :class:`Problem` is."""

    ERROR = "error"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding of :func:`gazetteer.places.checks.check`."""

    level: Level
    code: str
    message: str


#: How a 责任单位 list names a unit's government rather than the unit (嘉鱼县人民政府, 赤壁市政府).
_GOVERNMENT_SUFFIXES = ("人民政府", "政府")


def _index(places: Iterable[Place]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Ids by name and alias, and ids by (first) parent, in the places' order."""
    by_name: dict[str, list[str]] = defaultdict(list)
    children: dict[str, list[str]] = defaultdict(list)
    for place in places:
        for name in dict.fromkeys(place.names):
            by_name[name].append(place.id)
        if place.parent is not None:
            children[place.parent].append(place.id)
    return by_name, children


class Gazetteer:
    """An immutable set of places with name and hierarchy indexes.

    >>> from gazetteer.model import Place, Kind
    >>> g = Gazetteer([Place("t", "向阳湖镇", Kind.TOWN, aliases=("向阳湖镇人民政府",))])
    >>> [p.id for p in g.lookup("向阳湖镇人民政府")]
    ['t']
    """

    def __init__(self, places: Iterable[Place], *, nonplaces: Iterable[NonPlace] = (),
                 problems: Iterable[Problem] = (), home: str | None = None,
                 deployment: Deployment | None = None) -> None:
        self._places: dict[str, Place] = {}
        for place in places:
            self._places[place.id] = place
        self.nonplaces: tuple[NonPlace, ...] = tuple(nonplaces)
        self._nonplace_by_name: dict[str, NonPlace] = {}
        for nonplace in self.nonplaces:
            self._nonplace_by_name.setdefault(nonplace.name, nonplace)
        #: Findings made while loading (kept so that ``govmap check-data`` can report them).
        self.load_problems: tuple[Problem, ...] = tuple(problems)
        #: The deployment it was loaded for (its unit, measuring CRS, organs, collective phrases), if any.
        self.deployment = deployment
        #: The id of the deployment's unit (咸安区), used to prefer local readings of a name.
        self.home = home or (deployment.adcode if deployment is not None else None)
        self._by_name, self._children = _index(self._places.values())
        self._clear_caches()
        self._dangling: frozenset[str] | None = None

    def with_places(self, places: Iterable[Place]) -> Gazetteer:
        """This gazetteer and ``places`` besides (places found in texts: 贺胜桥站, derived from 贺胜桥镇).

        Returns ``self`` when there is nothing new, so callers may extend freely. The result shares this
        gazetteer's indexes and adds a small one of its own, so extending costs O(new places), not O(all places);
        it answers every question exactly as a gazetteer built from all the places would.
        """
        new: dict[str, Place] = {}
        for place in places:
            if place.id not in self:
                new[place.id] = place
        return self._extended(new) if new else self

    def _extended(self, new: dict[str, Place]) -> Gazetteer:
        """This gazetteer with ``new`` (ids it lacks) besides: an overlay, or a rebuild where one would be wrong."""
        if self._dangling_parents().isdisjoint(new):
            return _Overlay(self, new)
        # A new place is the missing parent of a place here: the hierarchy of old places changes, so rebuild.
        return Gazetteer([*self, *new.values()], nonplaces=self.nonplaces, problems=self.load_problems,
                         home=self.home, deployment=self.deployment)

    def _clear_caches(self) -> None:
        """Answers found on demand, once per place or county (the places never change)."""
        self._township_of: dict[str, tuple[Place, ...]] = {}
        self._within: dict[str, frozenset[str]] = {}
        self._townships: dict[str, tuple[Place, ...]] = {}

    def _dangling_parents(self) -> frozenset[str]:
        """Ids that places here name as a parent but that are not places here (computed once)."""
        if self._dangling is None:
            self._dangling = frozenset(parent for place in self._places.values() for parent in place.parents
                                       if parent not in self._places)
        return self._dangling

    # -- mapping protocol -------------------------------------------------------------------------------
    def __getitem__(self, place_id: str) -> Place:
        try:
            return self._places[place_id]
        except KeyError:
            raise UnknownPlace(f"no place has the id {place_id!r}") from None

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._places

    def __iter__(self) -> Iterator[Place]:
        return iter(self._places.values())

    def __len__(self) -> int:
        return len(self._places)

    def get(self, place_id: str) -> Place | None:
        return self._places.get(place_id)

    # -- names ------------------------------------------------------------------------------------------
    def lookup(self, name: str, *, kind: Kind | None = None) -> list[Place]:
        """Every place whose name or alias is exactly ``name`` (canonical-name matches first)."""
        places = [self[i] for i in self.ids_named(name)]
        if kind is not None:
            places = [p for p in places if p.kind == kind]
        return sorted(places, key=lambda p: p.name != name)

    def ids_named(self, name: str) -> tuple[str, ...]:
        """Ids of the places whose name or alias is ``name``."""
        return tuple(self._by_name.get(name, ()))

    def nonplace(self, name: str) -> NonPlace | None:
        """The word handled on purpose as a non-place (brand, concept, organisation) written ``name``, if any."""
        return self._nonplace_by_name.get(name)

    def names(self) -> dict[str, tuple[str, ...]]:
        """Every surface form (names and aliases) with the ids it may denote."""
        return {name: tuple(ids) for name, ids in self._by_name.items()}

    # -- hierarchy --------------------------------------------------------------------------------------
    def children(self, place_id: str) -> list[Place]:
        return [self[i] for i in self._child_ids(place_id)]

    def _child_ids(self, place_id: str) -> Sequence[str]:
        return self._children.get(place_id, ())

    def ancestors(self, place_id: str) -> list[Place]:
        """Containing units innermost first, following each place's first parent."""
        chain: list[Place] = []
        seen = {place_id}
        current = self[place_id].parent
        while current is not None and current not in seen:
            unit = self.get(current)
            if unit is None:
                break
            seen.add(current)
            chain.append(unit)
            current = unit.parent
        return chain

    def is_within(self, place_id: str, unit_id: str) -> bool:
        """True when ``unit_id`` is one of the place's parents or their ancestors."""
        return unit_id in self._within_ids(place_id)

    def _within_ids(self, place_id: str) -> frozenset[str]:
        """The place's parents and all their ancestors (found once per place: the places never change)."""
        found = self._within.get(place_id)
        if found is None:
            place = self[place_id]
            found = frozenset([*place.parents, *(a.id for parent in place.parents if parent in self
                                                 for a in self.ancestors(parent))])
            self._within[place_id] = found
        return found

    def townships(self, county_id: str | None = None) -> list[Place]:
        """The 乡镇办场 of a county (default: the deployment's unit), in the admin tree's order; the counties
        of a prefecture-level city.

        Zones (开发区, 物流区) are township-level in the tree but are not 乡镇办场 and are left out.
        """
        county = county_id or self.home
        if county is None or county not in self:
            return []
        if county not in self._townships:
            kinds = {Kind.COUNTY} if self._has_counties(county) else TOWNSHIP_KINDS
            self._townships[county] = tuple(p for p in self.children(county) if p.kind in kinds)
        return list(self._townships[county])

    def _has_counties(self, unit_id: str) -> bool:
        """True for a prefecture-level city with counties; a city without (东莞, 中山) has towns as its units."""
        return self[unit_id].kind == Kind.CITY and any(p.kind == Kind.COUNTY for p in self.children(unit_id))

    def units(self) -> list[Place]:
        """The deployment's units, in the admin tree's order: its 乡镇办场 and zones; a city's counties."""
        home = self.get(self.home or "")
        if home is None:
            return []
        kinds = {Kind.COUNTY} if self._has_counties(home.id) else UNIT_KINDS
        return [p for p in self.children(home.id) if p.kind in kinds]

    def unit(self, name_or_id: str) -> Place | None:
        """The unit with that id, name or alias — a township-level unit (:data:`~gazetteer.model.UNIT_KINDS`), or
        a county when the deployment is a prefecture-level city —, units of the deployment first, then canonical
        names before aliases; a unit's government (嘉鱼县人民政府, 向阳湖镇政府) is the unit; ``None`` when there is
        none.

        >>> from gazetteer.model import Kind, Place
        >>> g = Gazetteer([Place("c", "甲区", Kind.COUNTY), Place("o", "北镇", Kind.TOWN, parents=("x",)),
        ...                Place("t", "北镇", Kind.TOWN, parents=("c",)), Place("l", "北镇", Kind.LAKE)], home="c")
        >>> g.unit("北镇").id, g.unit("o").id, g.unit("北镇人民政府").id, g.unit("c"), g.unit("南镇")
        ('t', 'o', 't', None, None)
        """
        city = self.home is not None and self.home in self and self._has_counties(self.home)
        kinds = UNIT_KINDS | {Kind.COUNTY} if city else UNIT_KINDS
        place = self.get(name_or_id)
        if place is not None and place.kind in kinds:
            return place
        units = [p for p in self.lookup(name_or_id) if p.kind in kinds]
        units.sort(key=lambda p: self.home not in p.parents)  # stable: canonical names stay first
        if not units and name_or_id.endswith(_GOVERNMENT_SUFFIXES):  # 嘉鱼县人民政府 in a city's plan is 嘉鱼县
            return self.unit(name_or_id.removesuffix("人民政府").removesuffix("政府"))
        return units[0] if units else None

    def township_of(self, place_id: str) -> list[Place]:
        """The township-level units containing a place (several for a lake or river), or the place itself."""
        if place_id not in self._township_of:
            self._township_of[place_id] = tuple(self._find_townships(place_id))
        return list(self._township_of[place_id])

    def _find_townships(self, place_id: str) -> list[Place]:
        place = self[place_id]
        if place.kind in UNIT_KINDS:
            return [place]
        found: dict[str, Place] = {}
        for parent in place.parents:
            if parent not in self:
                continue
            for unit in [self[parent], *self.ancestors(parent)]:
                if unit.kind in UNIT_KINDS:
                    found[unit.id] = unit
                    break
        return list(found.values())

    # -- frames -----------------------------------------------------------------------------------------
    def to_frame(self, places: Iterable[Place] | None = None) -> gpd.GeoDataFrame:
        """Places as a GeoDataFrame in EPSG:4326 with JSON-safe columns (aliases and parents joined by ``|``)."""
        import geopandas as gpd  # here, not with the module: reading a text needs no frames

        rows = []
        for p in (self if places is None else places):
            lonlat = p.lonlat()
            rows.append({
                "id": p.id, "name": p.name, "kind": str(p.kind), "aliases": "|".join(p.aliases),
                "parent": p.parent or "", "parents": "|".join(p.parents), "admin_code": p.admin_code or "",
                "lon": None if lonlat is None else round(lonlat[0], 7),
                "lat": None if lonlat is None else round(lonlat[1], 7),
                "geometry_type": "" if p.geometry is None else p.geometry.geom_type,
                "quality": str(p.quality), "source": p.source, "note": p.note, "geometry": p.geometry,
            })
        columns = ["id", "name", "kind", "aliases", "parent", "parents", "admin_code", "lon", "lat",
                   "geometry_type", "quality", "source", "note", "geometry"]
        return gpd.GeoDataFrame(rows, columns=columns, geometry="geometry", crs="EPSG:4326")


class _Overlay(Gazetteer):
    """A gazetteer plus a few places (those a document derives), sharing the base's indexes.

    Lookups check the few local places, then the base. The base's hierarchy is unchanged by them (no base place
    names a local one as its parent: :meth:`Gazetteer._extended` rebuilds instead), so questions about base places
    go to the base and use its caches.
    """

    def __init__(self, base: Gazetteer, local: dict[str, Place]) -> None:
        """``base`` (never itself an overlay) and ``local``, the places it lacks; the base is not copied."""
        self._base = base
        self._local = local
        self.nonplaces = base.nonplaces
        self._nonplace_by_name = base._nonplace_by_name
        self.load_problems = base.load_problems
        self.home = base.home
        self.deployment = base.deployment
        self._clear_caches()
        self._local_by_name, self._local_children = _index(local.values())

    def _extended(self, new: dict[str, Place]) -> Gazetteer:
        return self._base._extended({**self._local, **new})

    def __getitem__(self, place_id: str) -> Place:
        place = self._local.get(place_id)
        return place if place is not None else self._base[place_id]

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._local or place_id in self._base

    def __iter__(self) -> Iterator[Place]:
        return chain(self._base, self._local.values())

    def __len__(self) -> int:
        return len(self._base) + len(self._local)

    def get(self, place_id: str) -> Place | None:
        place = self._local.get(place_id)
        return place if place is not None else self._base.get(place_id)

    def ids_named(self, name: str) -> tuple[str, ...]:
        return self._base.ids_named(name) + tuple(self._local_by_name.get(name, ()))

    def names(self) -> dict[str, tuple[str, ...]]:
        merged = self._base.names()
        for name, ids in self._local_by_name.items():
            merged[name] = merged.get(name, ()) + tuple(ids)
        return merged

    def _child_ids(self, place_id: str) -> Sequence[str]:
        local = self._local_children.get(place_id)
        return [*self._base._child_ids(place_id), *local] if local else self._base._child_ids(place_id)

    def township_of(self, place_id: str) -> list[Place]:
        if place_id in self._local:
            return super().township_of(place_id)
        return self._base.township_of(place_id)

    def _within_ids(self, place_id: str) -> frozenset[str]:
        if place_id in self._local:
            return super()._within_ids(place_id)
        return self._base._within_ids(place_id)
