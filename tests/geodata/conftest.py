"""Shared fixtures for the geodata tests: named geometries near 咸安 and small files built from them in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from shapely import box
from shapely.geometry.base import BaseGeometry

from geodata import crs, deployment, reference

# Township-like polygons in EPSG:4547 (metres; x 500000 is 114°E) around 114.3E 29.8N. 向阳湖镇 comes in two
# adjoining parts, so readers must dissolve it into one geometry.
TOWNSHIP_PARTS_4547: list[tuple[str, str, BaseGeometry]] = [
    ("向阳湖镇", "XYH-1", box(527_000, 3_297_000, 530_000, 3_300_000)),
    ("向阳湖镇", "XYH-2", box(530_000, 3_297_000, 532_000, 3_300_000)),
    ("汀泗桥镇", "TSQ", box(522_000, 3_290_000, 526_000, 3_294_000)),
]
#: Areas the dissolved townships must have, km².
TOWNSHIP_AREAS_KM2 = {"向阳湖镇": 15.0, "汀泗桥镇": 16.0}

OSM_XML = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="govmap tests">
  <node id="1" lat="29.80" lon="114.30" version="1"/>
  <node id="2" lat="29.82" lon="114.31" version="1"/>
  <node id="3" lat="29.84" lon="114.32" version="1"/>
  <node id="4" lat="29.85" lon="114.34" version="1"/>
  <node id="5" lat="29.86" lon="114.35" version="1"/>
  <node id="6" lat="29.87" lon="114.35" version="1"/>
  <node id="7" lat="29.87" lon="114.36" version="1"/>
  <node id="8" lat="29.78" lon="114.28" version="1"/>
  <way id="10" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="waterway" v="river"/><tag k="name" v="淦河"/></way>
  <way id="11" version="1"><nd ref="3"/><nd ref="4"/>
    <tag k="waterway" v="river"/><tag k="name" v="淦河"/></way>
  <way id="12" version="1"><nd ref="8"/><nd ref="1"/>
    <tag k="waterway" v="stream"/><tag k="name:zh" v="高桥河"/></way>
  <way id="20" version="1"><nd ref="4"/><nd ref="5"/>
    <tag k="highway" v="primary"/><tag k="ref" v="G107;G4"/><tag k="name" v="京港澳公路"/></way>
  <way id="21" version="1"><nd ref="2"/><nd ref="4"/>
    <tag k="highway" v="primary"/><tag k="ref" v="G107"/></way>
  <way id="30" version="1"><nd ref="5"/><nd ref="6"/><nd ref="7"/><nd ref="5"/>
    <tag k="natural" v="water"/><tag k="name" v="某湖"/></way>
</osm>
"""


@pytest.fixture(scope="session")
def counties() -> gpd.GeoDataFrame:
    return reference.read_counties(deployment.load())


@pytest.fixture(scope="session")
def seats() -> gpd.GeoDataFrame:
    return reference.read_seats(deployment.load())


@pytest.fixture(scope="session")
def lakes() -> gpd.GeoDataFrame:
    return reference.read_lakes(deployment.load())


@pytest.fixture(scope="session")
def admin_tree():
    return reference.read_admin_tree(deployment.load())


@pytest.fixture(scope="session")
def township_areas() -> dict[str, float]:
    return dict(TOWNSHIP_AREAS_KM2)


@pytest.fixture(scope="session")
def townships_4547() -> gpd.GeoDataFrame:
    """The township parts with a name, a code and a number field, in EPSG:4547."""
    return gpd.GeoDataFrame({"name": [n for n, _, _ in TOWNSHIP_PARTS_4547],
                             "code": [c for _, c, _ in TOWNSHIP_PARTS_4547],
                             "pop": [1200, 800, 3000]},
                            geometry=[g for _, _, g in TOWNSHIP_PARTS_4547], crs=crs.GK_CM114)


@pytest.fixture()
def gpkg_file(tmp_path: Path, townships_4547: gpd.GeoDataFrame) -> Path:
    path = tmp_path / "townships.gpkg"
    townships_4547.to_file(path, layer="townships", driver="GPKG", engine="pyogrio")
    return path


@pytest.fixture()
def shapefile(tmp_path: Path, townships_4547: gpd.GeoDataFrame) -> Path:
    path = tmp_path / "townships.shp"
    townships_4547.to_file(path, driver="ESRI Shapefile", engine="pyogrio", encoding="UTF-8")
    return path


@pytest.fixture()
def geojson_file(tmp_path: Path, townships_4547: gpd.GeoDataFrame) -> Path:
    """An RFC 7946 GeoJSON file (WGS84, no ``crs`` member), written by hand."""
    path = tmp_path / "townships.geojson"
    path.write_text(townships_4547.to_crs(crs.WGS84).to_json(drop_id=True), encoding="utf-8")
    assert "crs" not in json.loads(path.read_text(encoding="utf-8"))
    return path


@pytest.fixture()
def osm_file(tmp_path: Path) -> Path:
    path = tmp_path / "xianan.osm"
    path.write_text(OSM_XML, encoding="utf-8")
    return path


@pytest.fixture()
def user_folder(tmp_path: Path) -> Path:
    return tmp_path / "govmap-user"


# -- a tiny synthetic copy of the national sources (govmap init) -----------------------------------------------
#: A fake province with a city of two counties (甲区, 乙县) and, in another province, a neighbour also called 甲区.
FAKE_TREE = """测试省\t990000\t测试
\t测试市\t990100\t测试
\t\t甲区\t990101\t甲
\t\t\t东湖镇
\t\t\t\t东湖村
\t\t\t\t新村社区
\t\t\t城关街道
\t\t\t\t城关社区
\t\t\t大坪乡
\t\t\t\t大坪村
\t\t\t大平镇
\t\t\t\t大平村
\t\t\t青山农场
\t\t\t\t一连队
\t\t乙县\t990102\t乙
\t\t\t马桥镇
\t\t\t\t马桥村
\t\t\t\t马桥村
别省\t980000\t别
\t别市\t980100\t别
\t\t甲区\t980101\t甲
\t\t\t西镇
"""
#: GCJ-02 squares (lon0, lat0, lon1, lat1) of the fake units; 980101 touches 990102 on the east.
FAKE_SQUARES_GCJ = {"990100": (113.0, 29.0, 113.4, 29.2), "990101": (113.0, 29.0, 113.2, 29.2),
                    "990102": (113.2, 29.0, 113.4, 29.2), "980101": (113.4, 29.0, 113.6, 29.2),
                    "980100": (113.4, 29.0, 113.8, 29.2)}
FAKE_CHINA = """id,name,kind,parent_id,adcode,lon,lat
980000,别省,province,,980000,113.7,29.3
980100,别市,city,980000,980100,113.6,29.1
980101,甲区,county,980100,980101,113.5,29.1
990000,测试省,province,,990000,113.1,29.3
990100,测试市,city,990000,990100,113.25,29.1
990101,甲区,county,990100,990101,113.1,29.1
990102,乙县,county,990100,990102,113.3,29.1
"""
#: GeoNames rows (WGS84): one seat per county, one ambiguous name (大坪乡/大平镇), one point outside the city.
FAKE_GEONAMES = """lat,lon,name,admin1,admin2
29.05,113.05,Donghu,01,
29.15,113.15,Daping,01,
29.1,113.3,Maqiao,01,
29.1,113.7,Xizhen,01,
"""


@pytest.fixture()
def fake_sources(tmp_path: Path):
    """Sources of the fake city: a cnmaps folder of GCJ-02 squares, a tree, GeoNames, lakes and china.csv."""
    import gzip

    from shapely import to_geojson

    from geodata import national

    land = tmp_path / "sources" / "land"
    land.mkdir(parents=True)
    for adcode, square in FAKE_SQUARES_GCJ.items():
        (land / f"{adcode}.geojson").write_text(to_geojson(box(*square)), encoding="utf-8")
    tree = tmp_path / "sources" / "china_location.txt"
    tree.write_text(FAKE_TREE, encoding="utf-8")
    china = tmp_path / "sources" / "china.csv"
    china.write_text(FAKE_CHINA, encoding="utf-8")
    geonames = tmp_path / "sources" / "geonames.csv"
    geonames.write_text(FAKE_GEONAMES, encoding="utf-8")
    lakes = gpd.GeoDataFrame(geometry=[box(113.05, 29.1, 113.08, 29.13), box(100.0, 30.0, 100.1, 30.1)],
                             crs=crs.WGS84)
    lakes_file = tmp_path / "sources" / "lakes.geojson.gz"
    lakes_file.write_bytes(gzip.compress(lakes.to_json().encode("utf-8")))
    return national.Sources(cnmaps_land=land, locations=tree, geonames=geonames, lakes=lakes_file, china=china,
                            cnmaps_version="test", jionlp_version="test")
