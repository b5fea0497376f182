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
