"""``govmap import``: replace gazetteer geometry with features from an authoritative file.

Features are matched to entries by name or alias (roads also by route number, G107), preferring the home county;
matched geometries are saved in the user's data folder, where every later start of govmap finds them. A file that
matches nothing changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from gazetteer.model import UNIT_KINDS, Kind, Place
from gazetteer.places.registry import Gazetteer
from geodata import importers, reference, userdata
from geodata.errors import ImportFileError

#: The gazetteer kinds a file of each ``--kind`` (:data:`geodata.importers.KINDS`) may upgrade.
KIND_GROUPS: dict[str, frozenset[Kind]] = {
    "county": frozenset({Kind.COUNTY, Kind.CITY}),
    "town": UNIT_KINDS,
    "township": UNIT_KINDS,
    "subdistrict": UNIT_KINDS,
    "village": frozenset({Kind.VILLAGE, Kind.COMMUNITY}),
    "lake": frozenset({Kind.LAKE, Kind.RESERVOIR}),
    "river": frozenset({Kind.RIVER}),
    "road": frozenset({Kind.ROAD, Kind.STREET, Kind.BRIDGE}),
    "park": frozenset({Kind.PARK, Kind.ZONE}),
    "site": frozenset({Kind.SITE, Kind.PROJECT, Kind.PARK}),
}
_OSM_SUFFIXES = (".osm", ".pbf")


def match_place(name: str, gazetteer: Gazetteer, kinds: frozenset[Kind],
                geometry: BaseGeometry | None = None) -> Place | None:
    """The entry a feature name denotes, preferring the home county; ``None`` if none, or if several remain.

    Where several entries share the name (新屋村 in two towns), the feature's own geometry decides: the entry
    whose present position, or whose township's, it covers or lies nearest to within a few kilometres.
    """
    places = [p for p in gazetteer.lookup(name.strip()) if p.kind in kinds]
    home = gazetteer.home
    local = [p for p in places if home and (p.id == home or (home in gazetteer and gazetteer.is_within(p.id, home)))]
    chosen = local or places
    if len(chosen) > 1 and geometry is not None and not geometry.is_empty:
        chosen = _nearest(chosen, geometry, gazetteer)
    return chosen[0] if len(chosen) == 1 else None


#: How far (in degrees, about 5 km) a feature may lie from an entry's present position and still be that entry.
_NEAR_DEGREES = 0.05


def _nearest(places: list[Place], geometry: BaseGeometry, gazetteer: Gazetteer) -> list[Place]:
    """The one entry the feature lies at or nearest to (``[]`` for a tie or none near)."""
    def where(place: Place) -> BaseGeometry | None:
        if place.geometry is not None:
            return place.geometry
        unit = next((u for u in gazetteer.township_of(place.id) if u.geometry is not None), None)
        return None if unit is None else unit.geometry

    distances = sorted((shape.distance(geometry), n) for n, place in enumerate(places)
                       if (shape := where(place)) is not None)
    if not distances or distances[0][0] > _NEAR_DEGREES or (len(distances) > 1
                                                             and distances[1][0] == distances[0][0]):
        return []
    return [places[distances[0][1]]]


def import_geometry(path: Path, *, gazetteer: Gazetteer, kind: str, name_field: str | None,
                    layer: str | None = None, quality: str | None = None, user_dir: Path) -> dict[str, Any]:
    """Import ``path`` and return a summary; raises :class:`ImportFileError` and writes nothing on failure."""
    if kind not in importers.KINDS:
        raise ImportFileError(f"unknown --kind {kind!r}; one of {', '.join(importers.KINDS)}")
    path = Path(path)
    if gazetteer.deployment is None:
        raise ImportFileError("the gazetteer has no deployment, so there is no area to check the file against")
    frame = importers.read_features(path, name_field=name_field, kind=kind, layer=layer,
                                    extent=reference.extent(gazetteer.deployment))
    is_osm = path.name.lower().endswith(_OSM_SUFFIXES)
    quality = quality or ("open-data" if is_osm else "surveyed")
    when = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    source = f"imported from {path.name}" + (" (OpenStreetMap)" if is_osm else "") + f" on {when[:10]}"
    rows, matched, unmatched = [], [], []
    for feature in frame.itertuples(index=False):
        place = match_place(str(feature.name), gazetteer, KIND_GROUPS[kind], feature.geometry)
        if place is None or feature.geometry is None or feature.geometry.is_empty:
            unmatched.append(str(feature.name))
            continue
        rows.append({"place_id": place.id, "geometry": feature.geometry, "quality": quality, "source": source,
                     "imported_at": when})
        matched.append({"feature": str(feature.name), "place_id": place.id, "name": place.name,
                        "kind": str(place.kind), "previous_quality": str(place.quality)})
    if not rows:
        sample = "、".join(unmatched[:8]) or "(none)"
        raise ImportFileError(f"{path.name}: none of its {len(frame)} features matched a {kind} of the gazetteer "
                              f"(names seen: {sample}); nothing was imported")
    userdata.save_overrides(gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326"), user_dir=user_dir)
    return {"file": str(path), "kind": kind, "quality": quality, "features": len(frame), "matched": matched,
            "unmatched": unmatched, "user_dir": str(user_dir)}
