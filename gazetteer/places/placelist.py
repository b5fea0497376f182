"""The records ``govmap places`` prints: one JSON-safe dict per place, with areas and lengths measured in
EPSG:4547 (CGCS2000 / 3-degree Gauss–Krüger CM 114E)."""

from __future__ import annotations

from typing import Any

from gazetteer.model import Kind, Place
from gazetteer.places.registry import Gazetteer
from geodata import crs

#: Qualities whose area or length is a measurement worth printing (not a stand-in geometry).
_MEASURED = frozenset({"surveyed", "open-data"})


def place_record(place: Place) -> dict[str, Any]:
    """One place as stable JSON: id, name, kind, aliases, parent, parents, lon, lat, geometry_type, quality,
    source, plus ``area_km2``/``area_mu`` (polygons) or ``length_km`` (lines) where the geometry is measured."""
    lonlat = place.lonlat()
    record: dict[str, Any] = {
        "id": place.id, "name": place.name, "kind": str(place.kind), "aliases": list(place.aliases),
        "parent": place.parent, "parents": list(place.parents), "admin_code": place.admin_code,
        "lon": None if lonlat is None else round(lonlat[0], 6),
        "lat": None if lonlat is None else round(lonlat[1], 6),
        "geometry_type": None if place.geometry is None else place.geometry.geom_type,
        "quality": str(place.quality), "source": place.source,
    }
    shape = place.geometry
    if shape is not None and str(place.quality) in _MEASURED:
        if shape.geom_type in ("Polygon", "MultiPolygon"):
            record["area_km2"] = round(crs.area_km2(shape), 3)
            record["area_mu"] = round(crs.area_mu(shape))
        elif shape.geom_type in ("LineString", "MultiLineString"):
            record["length_km"] = round(crs.length_km(shape), 3)
    if place.note:
        record["note"] = place.note
    return record


def place_records(gazetteer: Gazetteer, *, kind: str | None = None, mentioned_only: bool = False,
                  mentioned: set[str] | None = None) -> list[dict[str, Any]]:
    """Records for every place (or those of ``kind``), in the gazetteer's order."""
    wanted = Kind(kind) if kind else None
    return [place_record(p) for p in gazetteer
            if (wanted is None or p.kind == wanted) and (not mentioned_only or p.id in (mentioned or set()))]
