"""Read the committed reference files of ``geodata/data`` (see ``data/SOURCES.md``); each is read once per process.

The frames are shared: copy one before changing it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geodata import crs, national

ADMIN_COLUMNS = ("id", "name", "kind", "parent_id", "adcode", "level")


def data_dir() -> Path:
    """The folder of the bundled reference files.

    >>> (data_dir() / "admin.csv").is_file()
    True
    """
    return Path(__file__).resolve().with_name("data")


@cache
def _read_layer(filename: str) -> gpd.GeoDataFrame:
    frame = gpd.read_file(data_dir() / filename, engine="pyogrio")
    return crs.to_wgs84(frame)


def read_counties() -> gpd.GeoDataFrame:
    """咸宁市 and its 6 counties as polygons (``id`` = adcode), EPSG:4326.

    >>> read_counties().set_index("id").loc["421202", "name"]
    '咸安区'
    """
    return _read_layer("counties.geojson")


@cache
def extent() -> BaseGeometry:
    """The area the reference data covers (咸宁市 and its counties) as one WGS84 geometry.

    >>> from shapely import Point
    >>> extent().contains(Point(114.32, 29.84)), extent().contains(Point(120.0, 29.84))
    (True, False)
    """
    return shapely.union_all(read_counties().geometry.to_numpy())


def read_seats() -> gpd.GeoDataFrame:
    """Seat points of township-level units (GeoNames) and of the counties and the city (cpca), EPSG:4326.

    >>> read_seats().set_index("id").loc["421202-xiangyanghuzhen", "name"]
    '向阳湖镇'
    """
    return _read_layer("seats.geojson")


def read_lakes() -> gpd.GeoDataFrame:
    """OSM lake polygons around 咸宁, named where identified (``name`` is "" otherwise), EPSG:4326.

    >>> read_lakes().set_index("id").loc["lake-futouhu", "name"]
    '斧头湖'
    """
    return _read_layer("lakes.geojson")


@cache
def read_admin_tree() -> pd.DataFrame:
    """The admin name tree of 咸宁市 (province, city, counties, townships, villages); ``adcode`` may be "".

    >>> tree = read_admin_tree()
    >>> tree.set_index("id").loc["421202-xiangyanghuzhen", ["name", "kind", "parent_id"]].tolist()
    ['向阳湖镇', 'town', '421202']
    """
    frame = pd.read_csv(data_dir() / "admin.csv", dtype="string", keep_default_na=False)
    return frame.loc[:, list(ADMIN_COLUMNS)]


@cache
def read_china() -> gpd.GeoDataFrame:
    """The provinces, cities and counties of China (咸宁 too) as centre points (EPSG:4326), from cpca.

    >>> china = read_china().set_index("name")
    >>> china.loc["临湘市", ["kind", "parent_id"]].tolist(), china.crs.to_epsg()
    (['county', '430600'], 4326)
    """
    return national.read_china(data_dir() / "china.csv")


def sample_texts() -> list[Path]:
    """The bundled sample texts of 咸安区 and 咸宁市, sorted by name.

    >>> [p.name[:3] for p in sample_texts()]
    ['000', '001', '002', '003', '004']
    """
    return list(_texts())


@cache
def _texts() -> tuple[Path, ...]:
    return tuple(sorted((data_dir() / "texts").glob("*.txt")))
