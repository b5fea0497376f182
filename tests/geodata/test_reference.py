"""geodata.reference: the committed files load with their CRS and agree with each other."""

from __future__ import annotations

import doctest

import pytest

from shapely.geometry import Point

from geodata import crs, deployment, reference

COUNTY_IDS = {"421200", "421202", "421221", "421222", "421223", "421224", "421281"}


@pytest.mark.parametrize("reader", [reference.read_counties, reference.read_seats, reference.read_lakes],
                         ids=["counties", "seats", "lakes"])
def test_layers_are_wgs84_with_provenance(reader):
    frame = reader(deployment.load())
    assert frame.crs == crs.WGS84
    assert frame["id"].is_unique
    assert frame["source"].str.len().gt(0).all()
    assert frame["quality"].isin(["open-data", "seat"]).all()
    assert frame.geometry.is_valid.all() and not frame.geometry.is_empty.any()


def test_readers_read_once(counties):
    assert reference.read_counties(deployment.load()) is counties


def test_counties_are_the_city_and_its_six_counties(counties):
    assert set(counties["id"]) == COUNTY_IDS
    assert set(counties[counties["kind"] == "city"]["name"]) == {"咸宁市"}
    xianan = counties.set_index("id").geometry["421202"]
    assert xianan.bounds == pytest.approx((114.109, 29.658, 114.719, 30.035), abs=0.01)


def test_admin_tree_columns_and_ids(admin_tree):
    assert list(admin_tree.columns) == list(reference.ADMIN_COLUMNS)
    assert all(str(dtype) == "string" for dtype in admin_tree.dtypes)
    assert admin_tree["id"].is_unique
    assert admin_tree["id"].str.fullmatch(r"[0-9a-z-]+").all()
    ids = set(admin_tree["id"])
    assert admin_tree["parent_id"].map(lambda p: p == "" or p in ids).all()
    assert not admin_tree["adcode"].isna().any()


@pytest.mark.parametrize(("unit_id", "name", "kind"), [
    pytest.param("421202-xiangyanghuzhen", "向阳湖镇", "town", id="town"),
    pytest.param("421202-damuxiang", "大幕乡", "township", id="township"),
    pytest.param("421202-wenquanjiedao", "温泉街道", "subdistrict", id="subdistrict"),
    pytest.param("421202-xiangyanghunainiuliangzhongchang", "向阳湖奶牛良种场", "farm", id="farm"),
    pytest.param("421202-hubeixiananjingjikaifaqu", "湖北咸安经济开发区", "zone", id="zone"),
    pytest.param("421224-xiapuzhen", "厦铺镇", "town", id="fixed-reading"),
])
def test_admin_tree_units(admin_tree, unit_id, name, kind):
    row = admin_tree.set_index("id").loc[unit_id]
    assert (row["name"], row["kind"]) == (name, kind)


def test_xianan_has_17_township_level_units(admin_tree):
    units = admin_tree[(admin_tree["parent_id"] == "421202") & (admin_tree["level"] == "township")]
    assert len(units) == 17


def test_every_seat_is_an_admin_unit_inside_its_county(seats, counties, admin_tree):
    assert set(seats["id"]) <= set(admin_tree["id"])
    polygons = counties.set_index("id").geometry
    outside = [s.id for s in seats.itertuples() if not polygons[s.county_id].contains(s.geometry)]
    assert outside == []


def test_seats_are_where_data_sources_says(seats):
    xiangyanghu = seats.set_index("id").geometry["421202-xiangyanghuzhen"]
    assert (xiangyanghu.x, xiangyanghu.y) == pytest.approx((114.16391, 29.90554), abs=1e-5)


def test_geonames_xianning_point_is_not_used(seats):
    assert "Xianning" not in set(seats["geonames_name"])
    city = seats.set_index("id").geometry["421200"]
    assert city.distance(seats.set_index("id").geometry["421202"]) < 0.1


@pytest.mark.parametrize(("lake_id", "name", "total_km2", "inside_xianan_km2"), [
    pytest.param("lake-futouhu", "斧头湖", 99, 20, id="futouhu"),
    pytest.param("lake-xilianghu", "西凉湖", 72, 7, id="xilianghu"),
])
def test_named_lakes_have_plausible_areas(lakes, counties, lake_id, name, total_km2, inside_xianan_km2):
    lake = lakes.set_index("id").loc[lake_id]
    assert lake["name"] == name
    assert crs.area_km2(lake.geometry) == pytest.approx(total_km2, rel=0.1)
    assert lake["area_km2"] == pytest.approx(crs.area_km2(lake.geometry), abs=0.01)
    xianan = counties.set_index("id").geometry["421202"]
    assert crs.area_km2(lake.geometry.intersection(xianan)) == pytest.approx(inside_xianan_km2, rel=0.2)


def test_unnamed_lakes_have_empty_names(lakes):
    unnamed = lakes[lakes["id"].str.startswith("lake-unnamed-")]
    assert len(unnamed) > 0 and (unnamed["name"] == "").all() and (unnamed["identified_by"] == "").all()


def test_the_rest_of_china_is_unique_named_units_with_points_in_china(admin_tree):
    china = reference.read_china()
    assert china.crs.to_epsg() == 4326
    assert china["id"].is_unique and not china.duplicated(["name", "kind"]).any()
    assert set(china["kind"]) == {"province", "city", "county"}
    ours = admin_tree[admin_tree["level"].isin(["province", "city", "county"])]
    assert set(ours["id"]) <= set(china["id"])  # every unit is there; the loader skips those admin.csv holds
    assert set(china["parent_id"]) - {""} <= set(china["id"]) | set(admin_tree["id"])
    located = china[china.geometry.notna()]
    assert len(located) > 0.99 * len(china)
    assert located.geometry.x.between(73, 135).all() and located.geometry.y.between(3, 54).all()  # 三沙 lies in the South China Sea


@pytest.mark.parametrize(("name", "kind", "parent", "lonlat"), [
    ("广东省", "province", "", (113.27, 23.13)),
    ("佛山市", "city", "440000", (113.12, 23.02)),
    ("修水县", "county", "360400", (114.55, 29.03)),
    ("仙桃市", "county", "420000", (113.45, 30.36)),  # directly governed by the province
    ("东城区", "county", "110000", (116.42, 39.93)),  # a district of a province-level city
], ids=["province", "city", "county", "province-governed", "municipal-district"])
def test_rest_of_china_units(name, kind, parent, lonlat):
    row = reference.read_china().set_index("name").loc[name]
    assert (row["kind"], row["parent_id"]) == (kind, parent)
    assert row.geometry.distance(Point(lonlat)) < 0.1  # within ~10 km of the seat


def test_sample_texts():
    texts = deployment.load().texts()
    assert len(texts) == 5 and texts == sorted(texts) and all(p.suffix == ".txt" for p in texts)


def test_sources_file_names_every_data_file():
    sources = (reference.data_dir() / "SOURCES.md").read_text(encoding="utf-8")
    for name in ("counties.geojson", "admin.csv", "seats.geojson", "lakes.geojson", "osmconf.ini", "texts/"):
        assert f"`{name}`" in sources
    for attribution in ("CC BY 4.0", "ODbL", "Apache-2.0", "MIT"):
        assert attribution in sources


def test_docstring_examples_run():
    assert doctest.testmod(reference).failed == 0
