"""Coordinate reference systems: every use of pyproj and prcoords in govmap lives here.

Storage and exchange are WGS84 lon/lat (EPSG:4326); lengths and areas are measured in the deployment's CGCS2000
3-degree Gauss-Kruger zone (``[measure] crs`` of its settings: EPSG:4534 … 4554; 咸安's is CM 114E, EPSG:4547). GCJ-02 (the obfuscated datum of Amap/Gaode
and of data traced from it) is not an EPSG CRS: it is converted by explicit functions.

GCJ-02 → WGS84 uses prcoords' ``gcj_wgs_bored``: the plain ``gcj_wgs`` is a one-step approximation
(≈2e-6°, a few decimetres), while the "bored" variant iterates the forward formula to a fixed point and is an
exact inverse of ``wgs_gcj`` to well under 1e-7°, so a round trip returns the input. WGS84 → GCJ-02 is the
forward formula itself (``wgs_gcj``), which is exact by definition. Outside China GCJ-02 equals WGS84; the
functions return such points unchanged without prcoords' warning.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache

import geopandas as gpd
import numpy as np
import prcoords
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from geodata.errors import GeodataError

#: WGS84 longitude/latitude: storage, GeoJSON (RFC 7946), web maps.
WGS84 = "EPSG:4326"
#: CGCS2000 geographic: China's official datum; equal to WGS84 at map scale.
CGCS2000 = "EPSG:4490"
#: CGCS2000 / 3-degree Gauss-Kruger CM 114E, metres: for lengths and areas in 咸宁.
GK_CM114 = "EPSG:4547"
#: 1 km² = 1500 亩 (1 亩 = 10000/15 m² ≈ 666.67 m²).
MU_PER_KM2 = 1500

_M2_PER_KM2 = 1_000_000.0
_M_PER_KM = 1000.0


class MissingCRSError(GeodataError, ValueError):
    """A GeoDataFrame has no CRS; govmap never guesses one."""


#: EPSG codes of the CGCS2000 3-degree Gauss-Kruger zones with central meridian 75°E … 135°E (EPSG:4534 … 4554).
_GK_FIRST_EPSG, _GK_FIRST_CM, _GK_LAST_CM, _GK_ZONE_DEG = 4534, 75, 135, 3


class OutsideZonesError(GeodataError, ValueError):
    """A longitude lies outside China's 3-degree Gauss-Kruger zones (73.5°E–136.5°E)."""


def gauss_kruger_zone(lon: float) -> str:
    """The CGCS2000 3-degree Gauss-Kruger CRS (central meridian 3°·round(lon/3)) for a longitude, as "EPSG:n".

    A longitude on a zone edge (x.5 · 3°) belongs to the zone east of it.

    >>> gauss_kruger_zone(114.3), gauss_kruger_zone(75.0), gauss_kruger_zone(135.0), gauss_kruger_zone(115.5)
    ('EPSG:4547', 'EPSG:4534', 'EPSG:4554', 'EPSG:4548')
    """
    central = _GK_ZONE_DEG * math.floor(lon / _GK_ZONE_DEG + 0.5)
    if not _GK_FIRST_CM <= central <= _GK_LAST_CM:
        raise OutsideZonesError(f"longitude {lon} is outside the CGCS2000 3-degree zones 75°E–135°E")
    return f"EPSG:{_GK_FIRST_EPSG + (central - _GK_FIRST_CM) // _GK_ZONE_DEG}"


@cache
def _to_metric_transformer(measure: str) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(WGS84, measure, always_xy=True)


def to_metric(geom: BaseGeometry, measure: str = GK_CM114) -> BaseGeometry:
    """Project a WGS84 lon/lat geometry to the metres of ``measure`` (a deployment's Gauss-Krüger zone;
    default EPSG:4547, CM 114°E).

    >>> from shapely import Point
    >>> p = to_metric(Point(114.0, 29.8))
    >>> round(p.x), round(p.y / 1000)
    (500000, 3298)
    >>> round(to_metric(Point(111.0, 29.8), "EPSG:4546").x)  # CM 111°E
    500000
    """
    transformer = _to_metric_transformer(measure)

    def project(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, project)


@cache
def _geod() -> pyproj.Geod:
    return pyproj.Geod(ellps="WGS84")


def geodesic_area_km2(geom: BaseGeometry) -> float:
    """Area of a WGS84 geometry in km² on the WGS84 ellipsoid (no projection), to check projected areas.

    >>> from shapely import box
    >>> round(geodesic_area_km2(box(114.0, 29.8, 114.01, 29.81)), 3)
    1.072
    """
    area, _ = _geod().geometry_area_perimeter(geom)
    return abs(area) / _M2_PER_KM2


def distance_km(a: BaseGeometry, b: BaseGeometry) -> float:
    """Distance in km on the ellipsoid between two WGS84 points.

    >>> from shapely import Point
    >>> round(distance_km(Point(114.0, 29.8), Point(114.0, 29.9)), 2)
    11.08
    """
    _, _, metres = _geod().inv(a.x, a.y, b.x, b.y)
    return float(metres) / _M_PER_KM


def within_km(points: Sequence[BaseGeometry | None], of: BaseGeometry, km: float) -> list[bool]:
    """Which WGS84 points lie within ``km`` kilometres (on the ellipsoid) of a representative point of ``of``.

    Works for points anywhere in China, where EPSG:4547 would be far outside its zone.

    >>> from shapely import Point
    >>> within_km([Point(114.3, 29.9), Point(113.26, 23.13), None], Point(114.32, 29.85), 150)
    [True, False, False]
    """
    centre = of.representative_point()
    located = [i for i, p in enumerate(points) if p is not None and not p.is_empty]
    near = [False] * len(points)
    if located:
        lon = np.array([points[i].x for i in located])
        lat = np.array([points[i].y for i in located])
        _, _, metres = _geod().inv(np.full(len(located), centre.x), np.full(len(located), centre.y), lon, lat)
        for i, distance in zip(located, metres):
            near[i] = bool(distance <= km * _M_PER_KM)
    return near


def area_km2(geom: BaseGeometry, measure: str = GK_CM114) -> float:
    """Area of a WGS84 geometry in km², measured in ``measure`` (default EPSG:4547).

    >>> from shapely import box
    >>> round(area_km2(box(114.0, 29.8, 114.01, 29.81)), 3)  # 0.01° × 0.01° near 咸安
    1.072
    """
    return to_metric(geom, measure).area / _M2_PER_KM2


def area_mu(geom: BaseGeometry, measure: str = GK_CM114) -> float:
    """Area of a WGS84 geometry in 亩 (1 km² = 1500 亩).

    >>> from shapely import box
    >>> round(area_mu(box(114.0, 29.8, 114.01, 29.81)))
    1607
    """
    return area_km2(geom, measure) * MU_PER_KM2


def length_km(geom: BaseGeometry, measure: str = GK_CM114) -> float:
    """Length of a WGS84 line in km, measured in ``measure`` (default EPSG:4547).

    >>> from shapely import LineString
    >>> round(length_km(LineString([(114.0, 29.8), (114.0, 29.9)])), 2)  # 0.1° of latitude
    11.08
    """
    return to_metric(geom, measure).length / _M_PER_KM


def _in_china(lon: float, lat: float) -> bool:
    return bool(prcoords.sanity_in_china_p(prcoords.Coords(lat, lon)))


def gcj02_to_wgs84_lonlat(lon: float, lat: float) -> tuple[float, float]:
    """Convert one GCJ-02 (lon, lat) to WGS84 (lon, lat); unchanged outside China.

    >>> lon, lat = gcj02_to_wgs84_lonlat(114.3254, 29.8375)
    >>> round(lon, 4), round(lat, 4)
    (114.32, 29.84)
    >>> gcj02_to_wgs84_lonlat(2.35, 48.85)  # Paris: GCJ-02 only applies in China
    (2.35, 48.85)
    """
    if not _in_china(lon, lat):
        return (lon, lat)
    wgs = prcoords.gcj_wgs_bored(prcoords.Coords(lat, lon))
    return (float(wgs.lon), float(wgs.lat))


def wgs84_to_gcj02_lonlat(lon: float, lat: float) -> tuple[float, float]:
    """Convert one WGS84 (lon, lat) to GCJ-02 (lon, lat); unchanged outside China.

    >>> lon, lat = wgs84_to_gcj02_lonlat(114.32, 29.84)
    >>> round(lon - 114.32, 4), round(lat - 29.84, 4)
    (0.0054, -0.0025)
    """
    if not _in_china(lon, lat):
        return (lon, lat)
    gcj = prcoords.wgs_gcj(prcoords.Coords(lat, lon), False)
    return (float(gcj.lon), float(gcj.lat))


def _pointwise(geom: BaseGeometry, convert) -> BaseGeometry:
    def apply(xy: np.ndarray) -> np.ndarray:
        return np.array([convert(float(x), float(y)) for x, y in xy], dtype=float).reshape(-1, 2)

    return shapely.transform(geom, apply)


def gcj02_to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    """Convert every vertex of a GCJ-02 lon/lat geometry to WGS84.

    >>> from shapely import Point
    >>> p = gcj02_to_wgs84(Point(114.3254, 29.8375))
    >>> round(p.x, 4), round(p.y, 4)
    (114.32, 29.84)
    """
    return _pointwise(geom, gcj02_to_wgs84_lonlat)


def wgs84_to_gcj02(geom: BaseGeometry) -> BaseGeometry:
    """Convert every vertex of a WGS84 lon/lat geometry to GCJ-02 (for a Gaode basemap only).

    >>> from shapely import Point
    >>> p = wgs84_to_gcj02(Point(114.32, 29.84))
    >>> round(p.x, 4), round(p.y, 4)
    (114.3254, 29.8375)
    """
    return _pointwise(geom, wgs84_to_gcj02_lonlat)


# -- the display edge -------------------------------------------------------------------------------------------

#: Decimal places kept for coordinates sent to the browser: 1e-5° ≈ 1 m, far finer than any source here (seats
#: ±1 km, county outlines with vertices ≈250 m apart, OSM lakes blocky at ≈0.5 km).
COORDINATE_DIGITS = 5

#: Vertices closer than this (degrees, ≈5 m) to the line through their neighbours are left out of what the browser
#: gets: under half a pixel at the closest zoom a map opens at (14), and far below the ≈250 m between the vertices
#: of the county outlines or the blockiness of the OSM lakes.
DISPLAY_TOLERANCE = 0.00005


def for_display(geometry: BaseGeometry) -> BaseGeometry:
    """``geometry`` without the vertices :data:`DISPLAY_TOLERANCE` says nobody can see (topology kept).

    >>> from shapely.geometry import LineString
    >>> for_display(LineString([(114.0, 29.8), (114.1, 29.800001), (114.2, 29.8)])).wkt
    'LINESTRING (114 29.8, 114.2 29.8)'
    """
    if geometry.geom_type in ("Point", "MultiPoint"):
        return geometry
    return shapely.simplify(geometry, DISPLAY_TOLERANCE, preserve_topology=True)


def latlon(lon: float, lat: float) -> list[float]:
    """Folium's ``[lat, lon]`` for a WGS84 (or GCJ-02) ``(lon, lat)``: the one flip at the Folium edge.

    >>> latlon(114.32, 29.850000012)
    [29.85, 114.32]
    >>> latlon(114.123456789, 29.87654321)
    [29.87654, 114.12346]
    """
    return [round(float(lat), COORDINATE_DIGITS), round(float(lon), COORDINATE_DIGITS)]


def require_crs(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``gdf`` unchanged, or raise :class:`MissingCRSError` when it has no CRS.

    >>> import geopandas as gpd
    >>> try:
    ...     require_crs(gpd.GeoDataFrame(geometry=[]))
    ... except MissingCRSError as error:
    ...     print(error)
    the data has no coordinate reference system (CRS); set one, govmap never guesses
    """
    if gdf.crs is None:
        raise MissingCRSError("the data has no coordinate reference system (CRS); set one, govmap never guesses")
    return gdf


def to_wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reproject ``gdf`` to WGS84 lon/lat (EPSG:4326); it must have a CRS.

    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> frame = gpd.GeoDataFrame(geometry=[Point(500000, 3298000)], crs=GK_CM114)
    >>> p = to_wgs84(frame).geometry[0]
    >>> round(p.x, 2), round(p.y, 2)
    (114.0, 29.8)
    """
    require_crs(gdf)
    if gdf.crs.equals(pyproj.CRS.from_user_input(WGS84)):
        return gdf
    return gdf.to_crs(WGS84)
