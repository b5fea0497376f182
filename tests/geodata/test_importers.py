"""geodata.importers: user files in any CRS and OpenStreetMap extracts, read back as named WGS84 features."""

from __future__ import annotations

import doctest
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely import Point

from geodata import crs, deployment, importers, reference
from geodata.errors import ImportFileError


def read_features(path: Path, **options) -> gpd.GeoDataFrame:
    """:func:`geodata.importers.read_features`, checked against the bundled 咸安 deployment's area."""
    return importers.read_features(path, extent=reference.extent(deployment.load()), **options)


@pytest.fixture(params=["gpkg_file", "shapefile", "geojson_file"], ids=["geopackage", "shapefile", "geojson"])
def township_file(request) -> Path:
    return request.getfixturevalue(request.param)


def test_townships_are_reprojected_and_dissolved(township_file, township_areas):
    features = read_features(township_file, name_field="name", kind="town")
    assert features.crs == crs.WGS84
    assert list(features.columns) == ["name", "attributes", "geometry"]
    assert sorted(features["name"]) == sorted(township_areas)
    for row in features.itertuples():
        centre = row.geometry.centroid
        assert 114.1 < centre.x < 114.4 and 29.6 < centre.y < 29.9
        assert row.geometry.geom_type == "Polygon"  # the two adjoining parts of 向阳湖镇 became one
        assert crs.area_km2(row.geometry) == pytest.approx(township_areas[row.name], rel=1e-3)


def test_attributes_keep_every_source_feature_as_json(gpkg_file):
    features = read_features(gpkg_file, name_field="name", kind="town").set_index("name")
    parts = json.loads(features.loc["向阳湖镇", "attributes"])
    assert [p["code"] for p in parts] == ["XYH-1", "XYH-2"]
    assert [p["pop"] for p in parts] == [1200, 800]


def test_name_field_defaults_to_a_common_one(shapefile, township_areas):
    assert set(read_features(shapefile, name_field=None, kind="township")["name"]) == set(
        township_areas)


def _strip_code_page(shapefile: Path) -> None:
    """Make a Shapefile look like most Chinese ones: no .cpg and no code page byte in the .dbf."""
    shapefile.with_suffix(".cpg").unlink(missing_ok=True)
    dbf = shapefile.with_suffix(".dbf")
    header = bytearray(dbf.read_bytes())
    header[29] = 0
    dbf.write_bytes(bytes(header))


@pytest.mark.parametrize("encoding", ["GBK", "UTF-8"])
def test_shapefile_without_code_page_is_decoded(tmp_path, townships_4547, township_areas, encoding):
    path = tmp_path / "legacy.shp"
    townships_4547.to_file(path, driver="ESRI Shapefile", engine="pyogrio", encoding=encoding)
    _strip_code_page(path)
    assert set(read_features(path, name_field="name", kind="town")["name"]) == set(township_areas)


def test_zipped_shapefile(tmp_path, shapefile, township_areas):
    archive = tmp_path / "townships.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in shapefile.parent.glob("townships.*"):
            if part != archive:
                zipped.write(part, part.name)
    assert set(read_features(archive, name_field="name", kind="town")["name"]) == set(township_areas)


def test_geojson_with_a_legacy_crs_member_is_reprojected(tmp_path, townships_4547):
    path = tmp_path / "legacy.geojson"
    townships_4547.to_file(path, driver="GeoJSON", engine="pyogrio")
    assert "4547" in path.read_text(encoding="utf-8")
    centre = read_features(path, name_field="name", kind="town").geometry.union_all().centroid
    assert (centre.x, centre.y) == pytest.approx((114.3, 29.8), abs=0.1)


def test_a_chosen_layer_is_read(tmp_path, townships_4547):
    path = tmp_path / "two.gpkg"
    townships_4547.to_file(path, layer="towns", driver="GPKG", engine="pyogrio")
    townships_4547.iloc[:1].to_file(path, layer="one", driver="GPKG", engine="pyogrio")
    assert len(read_features(path, name_field="name", kind="town", layer="one")) == 1


# -- OpenStreetMap ---------------------------------------------------------------------------------------------
def test_osm_river_ways_are_merged_into_one_line(osm_file):
    rivers = read_features(osm_file, name_field=None, kind="river").set_index("name")
    assert set(rivers.index) == {"淦河", "高桥河"}  # 高桥河 only has name:zh
    ganhe = rivers.geometry["淦河"]
    assert ganhe.geom_type == "LineString" and len(ganhe.coords) == 4
    assert {p["osm_id"] for p in json.loads(rivers.loc["淦河", "attributes"])} == {"10", "11"}


def test_osm_roads_are_found_by_each_ref_and_by_name(osm_file):
    roads = read_features(osm_file, name_field=None, kind="road").set_index("name")
    assert set(roads.index) == {"G107", "G4", "京港澳公路"}
    assert len(json.loads(roads.loc["G107", "attributes"])) == 2
    assert roads.geometry["G107"].length > roads.geometry["G4"].length


def test_osm_lakes_are_polygons(osm_file):
    lakes = read_features(osm_file, name_field=None, kind="lake")
    assert list(lakes["name"]) == ["某湖"] and lakes.geometry[0].geom_type == "Polygon"


def test_osm_with_an_explicit_name_field(osm_file):
    roads = read_features(osm_file, name_field="ref", kind="road")
    assert set(roads["name"]) == {"G107", "G4"}


@pytest.mark.parametrize(("text", "tags"), [
    pytest.param(None, {}, id="missing"),
    pytest.param("", {}, id="empty"),
    pytest.param('"ref"=>"G107"', {"ref": "G107"}, id="one"),
    pytest.param('"ref"=>"S31;G107","name:zh"=>"咸宁大道"', {"ref": "S31;G107", "name:zh": "咸宁大道"}, id="two"),
    pytest.param('"note"=>"a \\"quoted\\" word"', {"note": 'a "quoted" word'}, id="escaped"),
])
def test_parse_other_tags(text, tags):
    assert importers.parse_other_tags(text) == tags


# -- errors ----------------------------------------------------------------------------------------------------
def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _relabelled(tmp: Path, fx, epsg: int) -> Path:
    """The township GeoPackage with its EPSG:4547 metres labelled as another CRS (a common export mistake)."""
    path = tmp / f"labelled-{epsg}.gpkg"
    fx("townships_4547").set_crs(epsg, allow_override=True).to_file(path, driver="GPKG", engine="pyogrio")
    return path


def _damaged_geopackage(tmp: Path, fx, keep: float) -> Path:
    """The first ``keep`` of a real GeoPackage, or its SQLite header followed by garbage when ``keep`` is 0."""
    data = fx("gpkg_file").read_bytes()
    body = data[: int(len(data) * keep)] if keep else data[:16] + b"\x00not a database" * 64
    return _write(tmp / "damaged.gpkg", body)


ERROR_CASES = [
    pytest.param(lambda tmp, fx: tmp / "nowhere.gpkg", {}, "no such file", id="missing-file"),
    pytest.param(lambda tmp, fx: _write(tmp / "bad.gpkg", b"\x00\x01 not a geopackage \xff" * 40), {},
                 "cannot read", id="corrupt-gpkg"),
    pytest.param(lambda tmp, fx: _write(tmp / "bad.geojson", '{"type": "FeatureCollection", "features": [{'), {},
                 "cannot read", id="corrupt-geojson"),
    pytest.param(lambda tmp, fx: _write(tmp / "bad.shp", b"garbage" * 50), {}, "cannot read", id="corrupt-shp"),
    pytest.param(lambda tmp, fx: _write(tmp / "empty.geojson", '{"type": "FeatureCollection", "features": []}'),
                 {}, "no features", id="empty"),
    pytest.param(lambda tmp, fx: fx("gpkg_file"), {"name_field": "XZQMC"},
                 "name field 'XZQMC' is missing; available fields: name, code, pop", id="missing-name-field"),
    pytest.param(lambda tmp, fx: fx("shapefile").with_suffix(".prj").unlink() or fx("shapefile"), {},
                 "no coordinate reference system", id="shapefile-without-prj"),
    pytest.param(lambda tmp, fx: _write(tmp / "places.txt", "向阳湖镇"), {}, "unsupported format", id="format"),
    pytest.param(lambda tmp, fx: fx("gpkg_file"), {"kind": "galaxy"}, "unsupported kind", id="kind"),
    pytest.param(lambda tmp, fx: fx("osm_file"), {"kind": "site"}, "cannot be read from OpenStreetMap",
                 id="osm-kind"),
    pytest.param(lambda tmp, fx: fx("osm_file"), {"kind": "county"}, "no OpenStreetMap features for kind 'county'",
                 id="osm-nothing-of-kind"),
    pytest.param(lambda tmp, fx: fx("gpkg_file"), {"layer": "roads"}, "no layer 'roads'; layers: townships",
                 id="missing-layer"),
    pytest.param(lambda tmp, fx: _relabelled(tmp, fx, 4326), {}, "recorded CRS is wrong", id="metres-as-degrees"),
    pytest.param(lambda tmp, fx: _relabelled(tmp, fx, 4549), {}, "recorded CRS is wrong", id="wrong-zone"),
    pytest.param(lambda tmp, fx: _damaged_geopackage(tmp, fx, 0.3), {}, "cannot read", id="truncated-gpkg"),
    pytest.param(lambda tmp, fx: _damaged_geopackage(tmp, fx, 0), {}, "cannot read", id="sqlite-header-only"),
]


@pytest.mark.parametrize(("make", "options", "message"), ERROR_CASES)
def test_unusable_files_raise_one_clear_error(tmp_path, request, make, options, message):
    path = make(tmp_path, request.getfixturevalue)
    arguments = {"name_field": None, "kind": "town"} | options
    with pytest.raises(ImportFileError, match=message) as raised:
        read_features(path, **arguments)
    assert "\n" not in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_a_file_reaching_into_the_reference_area_is_kept_whole(tmp_path, townships_4547):
    """A province-wide file is fine: only one feature needs to lie near the reference area."""
    far = townships_4547.iloc[:1].assign(name="远镇", geometry=townships_4547.geometry.iloc[:1].translate(0, 300_000))
    path = tmp_path / "province.gpkg"
    pd.concat([townships_4547, far]).to_file(path, driver="GPKG", engine="pyogrio")
    assert "远镇" in set(read_features(path, name_field="name", kind="town")["name"])


def test_file_without_crs_is_refused_even_with_a_name(tmp_path):
    path = tmp_path / "nocrs.gpkg"
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        gpd.GeoDataFrame({"name": ["向阳湖镇"]}, geometry=[Point(529_000, 3_298_000)]).to_file(
            path, driver="GPKG", engine="pyogrio")
    with pytest.raises(ImportFileError, match="no coordinate reference system"):
        read_features(path, name_field="name", kind="town")


def test_several_layers_need_a_choice(tmp_path, townships_4547):
    path = tmp_path / "two.gpkg"
    townships_4547.to_file(path, layer="a", driver="GPKG", engine="pyogrio")
    townships_4547.to_file(path, layer="b", driver="GPKG", engine="pyogrio")
    with pytest.raises(ImportFileError, match="several layers"):
        read_features(path, name_field="name", kind="town")


def test_features_without_names_are_an_error(tmp_path, townships_4547):
    path = tmp_path / "nameless.gpkg"
    townships_4547.assign(name=None).to_file(path, driver="GPKG", engine="pyogrio")
    with pytest.raises(ImportFileError, match="no feature has both a name and a geometry"):
        read_features(path, name_field="name", kind="town")


def test_docstring_examples_run():
    assert doctest.testmod(importers).failed == 0
