"""The web app and the command line on a deployment other than 咸安: a synthetic county made in the test."""

from __future__ import annotations

import json
import re

import pytest

from shapely.geometry import box

from geodata import crs, deployment
from tests import synthetic
from webmap import create_app
from webmap.cli import main


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return synthetic.build(tmp_path_factory.mktemp("deployment") / "ceshi")


@pytest.fixture(scope="module")
def client(folder, tmp_path_factory):
    app = create_app({"TESTING": True, "GOVMAP_DEPLOYMENT": str(folder),
                      "GOVMAP_DATA_DIR": str(tmp_path_factory.mktemp("data"))})
    return app.test_client()


@pytest.mark.parametrize("url", ["/?basemap=none", "/towns/", "/towns/东镇?basemap=none"])
def test_pages_name_the_deployment_and_nothing_of_xianan(client, url):
    html = client.get(url).get_data(as_text=True)
    assert re.search(r"<title>[^<]*govmap 测试</title>", html)
    assert "全县" in html and "全区" not in html and "咸安" not in html and "各乡镇办场" not in html


def test_towns_page_lists_its_own_units(client):
    html = client.get("/towns/").get_data(as_text=True)
    for name in ("东镇", "西镇", "南乡", "城关街道", "国营农场"):
        assert f">{name}</a>" in html
    assert "北镇" not in html  # a town of the neighbouring county


def test_map_opens_on_the_deployment(client):
    html = client.get("/?basemap=none").get_data(as_text=True)
    (south, west), (north, east) = json.loads("[" + re.search(r"fitBounds\(\s*(\[\[.*?\]\])", html).group(1) + "]")[0]
    assert (west, south, east, north) == pytest.approx(synthetic.COUNTY_BOX, abs=0.01)


def test_cli_commands_take_the_deployment(folder, tmp_path, capsys):
    data = ["--deployment", str(folder), "--data-dir", str(tmp_path)]
    assert main([*data, "tasks", str(folder / "texts" / "plan.txt"), "--json"]) == 0
    tasks = json.loads(capsys.readouterr().out)["tasks"]
    assert {t["number"]: sorted(u["name"] for u in t["townships"]) for t in tasks}["1"] == ["东镇", "南乡", "城关街道",
                                                                                               "西镇"]
    assert main([*data, "check-data"]) == 0
    assert json.loads(capsys.readouterr().out)["errors"] == 0
    assert main([*data, "places", "--json"]) == 0
    county = next(p for p in json.loads(capsys.readouterr().out) if p["id"] == "990101")
    # Measured in the deployment's own zone (CM 111°E), it agrees with the area on the ellipsoid.
    assert county["area_km2"] == pytest.approx(crs.geodesic_area_km2(box(*synthetic.COUNTY_BOX)), rel=0.001)
    assert crs.gauss_kruger_zone(110.2) == deployment.load(folder).measure_crs


def test_a_missing_deployment_is_one_clear_line(tmp_path, capsys):
    assert main(["--deployment", str(tmp_path / "nowhere"), "places"]) == 1
    err = capsys.readouterr().err
    assert "not a govmap deployment" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_city_deployment_pages_its_counties(tmp_path):
    app = create_app({"TESTING": True, "GOVMAP_DEPLOYMENT": str(synthetic.build_city(tmp_path / "city")),
                      "GOVMAP_DATA_DIR": str(tmp_path / "data")})
    client = app.test_client()
    towns = client.get("/towns/").get_data(as_text=True)
    assert ">测试县</a>" in towns and ">邻县</a>" in towns and ">东镇</a>" not in towns and "全市" in towns
    county = client.get("/towns/邻县?basemap=none").get_data(as_text=True)
    assert "建设邻县物流园" in county and "各县市区人民政府" in county  # named, and the city-wide task's badge
