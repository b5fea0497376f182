"""The place registry: places by id, by name and alias, and the admin hierarchy between them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

import geopandas as gpd

from gazetteer.errors import UnknownPlace
from gazetteer.model import TOWNSHIP_KINDS, UNIT_KINDS, Kind, Place
from geodata.deployment import Deployment


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
        self._by_name: dict[str, list[str]] = defaultdict(list)
        self._children: dict[str, list[str]] = defaultdict(list)
        self._township_of: dict[str, tuple[Place, ...]] = {}  # filled on demand; the places never change
        for place in self._places.values():
            for name in dict.fromkeys(place.names):
                self._by_name[name].append(place.id)
            if place.parent is not None:
                self._children[place.parent].append(place.id)

    def with_places(self, places: Iterable[Place]) -> Gazetteer:
        """This gazetteer and ``places`` besides (places found in texts: 贺胜桥站, derived from 贺胜桥镇).

        Returns ``self`` when there is nothing new, so callers may extend freely.
        """
        new = [p for p in places if p.id not in self._places]
        if not new:
            return self
        return Gazetteer([*self._places.values(), *dict((p.id, p) for p in new).values()],
                         nonplaces=self.nonplaces, problems=self.load_problems, home=self.home,
                         deployment=self.deployment)

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
        places = [self._places[i] for i in self._by_name.get(name, ())]
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
        return [self._places[i] for i in self._children.get(place_id, ())]

    def ancestors(self, place_id: str) -> list[Place]:
        """Containing units innermost first, following each place's first parent."""
        chain: list[Place] = []
        seen = {place_id}
        current = self[place_id].parent
        while current is not None and current not in seen and current in self._places:
            seen.add(current)
            chain.append(self._places[current])
            current = self._places[current].parent
        return chain

    def is_within(self, place_id: str, unit_id: str) -> bool:
        """True when ``unit_id`` is one of the place's parents or their ancestors."""
        place = self[place_id]
        if unit_id in place.parents:
            return True
        return any(unit_id == a.id for parent in place.parents if parent in self for a in
                   [self._places[parent], *self.ancestors(parent)])

    def townships(self, county_id: str | None = None) -> list[Place]:
        """The 乡镇办场 of a county (default: the deployment's unit), in the admin tree's order; the counties
        of a prefecture-level city.

        Zones (开发区, 物流区) are township-level in the tree but are not 乡镇办场 and are left out.
        """
        county = county_id or self.home
        if county is None or county not in self._places:
            return []
        kinds = {Kind.COUNTY} if self._has_counties(county) else TOWNSHIP_KINDS
        return [p for p in self.children(county) if p.kind in kinds]

    def _has_counties(self, unit_id: str) -> bool:
        """True for a prefecture-level city with counties; a city without (东莞, 中山) has towns as its units."""
        return self._places[unit_id].kind == Kind.CITY and any(p.kind == Kind.COUNTY for p in self.children(unit_id))

    def units(self) -> list[Place]:
        """The deployment's units, in the admin tree's order: its 乡镇办场 and zones; a city's counties."""
        home = self._places.get(self.home or "")
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
        city = self.home in self._places and self._has_counties(self.home)
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
            if parent not in self._places:
                continue
            for unit in [self._places[parent], *self.ancestors(parent)]:
                if unit.kind in UNIT_KINDS:
                    found[unit.id] = unit
                    break
        return list(found.values())

    # -- frames -----------------------------------------------------------------------------------------
    def to_frame(self, places: Iterable[Place] | None = None) -> gpd.GeoDataFrame:
        """Places as a GeoDataFrame in EPSG:4326 with JSON-safe columns (aliases and parents joined by ``|``)."""
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

