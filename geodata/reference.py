"""Read a deployment's reference files (see :mod:`geodata.deployment`) and the national table of ``geodata/data``.

Each file is read once per process; the frames are shared: copy one before changing it. geopandas, pandas and
pyproj are imported by the readers, not with the module: a command that reads a cached gazetteer needs only
:func:`data_dir`.

>>> from geodata import deployment
>>> xa = deployment.load()
>>> read_counties(xa).set_index("id").loc["421202", "name"]
'咸安区'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from geodata.deployment import Deployment

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry.base import BaseGeometry

ADMIN_COLUMNS = ("id", "name", "kind", "parent_id", "adcode", "level")


def data_dir() -> Path:
    """The folder of the national reference files (``china.csv``) and their SOURCES.

    >>> (data_dir() / "china.csv").is_file()
    True
    """
    return Path(__file__).resolve().with_name("data")


@cache
def _read_layer(path: Path) -> gpd.GeoDataFrame:
    import geopandas as gpd

    from geodata import crs

    frame = gpd.read_file(path, engine="pyogrio")
    return crs.to_wgs84(frame)


def read_counties(deployment: Deployment) -> gpd.GeoDataFrame:
    """The deployment's city, counties and neighbours as polygons (``id`` = adcode), EPSG:4326."""
    return _read_layer(deployment.path("counties"))


def extent(deployment: Deployment) -> BaseGeometry:
    """The area the deployment's reference data covers (its city, counties and neighbours), WGS84.

    >>> from shapely import Point
    >>> from geodata import deployment
    >>> area = extent(deployment.load())
    >>> area.contains(Point(114.32, 29.84)), area.contains(Point(120.0, 29.84))
    (True, False)
    """
    return _extent(deployment.path("counties"))


@cache
def _extent(path: Path) -> BaseGeometry:
    import shapely

    return shapely.union_all(_read_layer(path).geometry.to_numpy())


def read_seats(deployment: Deployment) -> gpd.GeoDataFrame:
    """Seat points of township-level units (GeoNames) and of the counties and the city (cpca), EPSG:4326.

    >>> from geodata import deployment
    >>> read_seats(deployment.load()).set_index("id").loc["421202-xiangyanghuzhen", "name"]
    '向阳湖镇'
    """
    return _read_optional_layer(deployment.path("seats"))


def read_lakes(deployment: Deployment) -> gpd.GeoDataFrame:
    """OSM lake polygons around the deployment, named where identified (``name`` is "" otherwise), EPSG:4326.

    >>> from geodata import deployment
    >>> read_lakes(deployment.load()).set_index("id").loc["lake-futouhu", "name"]
    '斧头湖'
    """
    return _read_optional_layer(deployment.path("lakes"))


def _read_optional_layer(path: Path) -> gpd.GeoDataFrame:
    if not path.exists():
        import geopandas as gpd
        import pandas as pd

        from geodata import crs

        return gpd.GeoDataFrame({"id": pd.Series(dtype="string"), "name": pd.Series(dtype="string")},
                                geometry=gpd.GeoSeries([], crs=crs.WGS84), crs=crs.WGS84)
    return _read_layer(path)


def read_admin_tree(deployment: Deployment) -> pd.DataFrame:
    """The admin name tree of the deployment's city (province, city, counties, townships, villages).

    ``adcode`` may be "".

    >>> from geodata import deployment
    >>> tree = read_admin_tree(deployment.load())
    >>> tree.set_index("id").loc["421202-xiangyanghuzhen", ["name", "kind", "parent_id"]].tolist()
    ['向阳湖镇', 'town', '421202']
    """
    return _read_admin(deployment.path("admin"))


@cache
def _read_admin(path: Path) -> pd.DataFrame:
    import pandas as pd

    frame = pd.read_csv(path, dtype="string", keep_default_na=False)
    return frame.loc[:, list(ADMIN_COLUMNS)]


@cache
def read_china() -> gpd.GeoDataFrame:
    """The provinces, cities and counties of China as centre points (EPSG:4326), from cpca.

    >>> china = read_china().set_index("name")
    >>> china.loc["临湘市", ["kind", "parent_id"]].tolist(), china.crs.to_epsg()
    (['county', '430600'], 4326)
    """
    from geodata import national

    return national.read_china(data_dir() / "china.csv")
