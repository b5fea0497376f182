"""Writing GeoJSON the way every reference file and deployment is written: RFC 7946, 6 decimals."""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

#: Decimals kept in coordinates (≈0.1 m).
PRECISION = 6


def round_geometry(geom: BaseGeometry) -> BaseGeometry:
    """Round every coordinate to 6 decimals (≈0.1 m) and repair the rare ring that rounding makes invalid.

    >>> round_geometry(shapely.Point(114.1234567, 29.0000001)).wkt
    'POINT (114.123457 29)'
    """
    rounded = shapely.transform(geom, lambda xy: np.round(xy, PRECISION))
    return rounded if rounded.is_valid else shapely.make_valid(rounded)


def write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Write RFC 7946 GeoJSON with 6 decimals, replacing ``path``."""
    frame = frame.copy()
    frame["geometry"] = frame.geometry.map(round_geometry)
    path.unlink(missing_ok=True)
    frame.to_file(path, driver="GeoJSON", engine="pyogrio", layer_options={"RFC7946": "YES",
                                                                           "COORDINATE_PRECISION": str(PRECISION)})


def write_gzipped_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Write ``frame`` as :func:`write_geojson` does, gzipped reproducibly (no time stamp)."""
    with tempfile.TemporaryDirectory(prefix="govmap-geojson-") as folder:
        plain = Path(folder) / "plain.geojson"
        write_geojson(frame, plain)
        path.write_bytes(gzip.compress(plain.read_bytes(), compresslevel=9, mtime=0))
