"""Downloads: content types, UTF-8 file names, filters, errors in the one JSON shape."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from layers.catalogue import LAYERS
from layers.filters import Filters
from tests.webmap.live import layers_app, layers_state
from webmap.pages.downloads import content_disposition, download_url

__all__ = ["layers_app", "layers_state"]


@pytest.fixture()
def client(layers_app):
    return layers_app.test_client()


@pytest.mark.parametrize(("fmt", "content_type", "magic"), [
    ("geojson", "application/geo+json", b'{"type":"FeatureCollection"'),
    ("gpkg", "application/geopackage+sqlite3", b"SQLite format 3\x00"),
    ("csv", "text/csv; charset=utf-8", "\ufeff编号,".encode()),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
])
@pytest.mark.parametrize("layer", tuple(LAYERS))
def test_every_layer_in_every_format(client, layers_state, layer, fmt, content_type, magic):
    response = client.get(f"/download/{layer}.{fmt}")
    assert response.status_code == 200 and response.headers["Content-Type"] == content_type
    assert response.data.startswith(magic)
    title = LAYERS[layer].title
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=\"{layer}.{fmt}\"; filename*=UTF-8''{quote(f'{title}.{fmt}')}")
    assert int(response.headers["X-Feature-Count"]) == len(layers_state.catalogue.frame(layer))


def test_township_download_is_named_for_the_township(client, layers_state):
    response = client.get(f"/download/tasks.csv?township={quote('北湖镇')}")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"tasks-c1-a.csv\"; filename*=UTF-8''" + quote("北湖镇-任务.csv"))
    lines = response.data.decode("utf-8-sig").splitlines()
    assert len(lines) - 1 == len(layers_state.catalogue.frame("tasks", Filters(township="c1-a")))


def test_filters_narrow_the_download(client, layers_state):
    everything = json.loads(client.get("/download/tasks.geojson").data)
    only = json.loads(client.get("/download/tasks.geojson?leader=张三&bbox=114,29,115,31").data)
    expected = layers_state.catalogue.frame("tasks", Filters(leader="张三", bbox=(114.0, 29.0, 115.0, 31.0)))
    assert [f["id"] for f in only["features"]] == list(expected["id"])
    assert 0 < len(only["features"]) < len(everything["features"])


@pytest.mark.parametrize(("url", "status", "code"), [
    ("/download/tasks.csv?bbox=1,2", 400, "InvalidParameterValue"),
    ("/download/tasks.csv?kind=湖", 400, "InvalidParameterValue"),
    ("/download/tasks.csv?township=火星镇", 400, "InvalidParameterValue"),
    ("/download/nope.csv", 404, "NotFound"),
    ("/download/tasks.shp", 404, "NotFound"),
    ("/download/tasks", 404, "NotFound"),
])
def test_errors(client, url, status, code):
    response = client.get(url)
    assert response.status_code == status and response.headers["Content-Type"] == "application/json"
    assert response.get_json() == {"code": code, "description": response.get_json()["description"]}


def test_index_lists_every_layer_and_format(client):
    response = client.get("/download/")
    html = response.data.decode()
    assert response.status_code == 200
    for layer in LAYERS:
        for fmt in ("geojson", "gpkg", "csv", "xlsx"):
            assert f'href="/download/{layer}.{fmt}"' in html


def test_html_pages_keep_their_error_page(client):
    response = client.get("/places/nope")
    assert response.status_code == 404 and response.headers["Content-Type"].startswith("text/html")


def test_helpers():
    assert download_url("tasks", "csv", Filters(township="北湖镇")) == f"/download/tasks.csv?township={quote('北湖镇')}"
    assert content_disposition("任务.csv", "tasks.csv").startswith('attachment; filename="tasks.csv"; ')


def test_tasks_download_is_one_row_per_task_with_chinese_headers(client, layers_state):
    import io

    import pandas as pd

    corpus = layers_state.catalogue.corpus
    table = pd.read_csv(io.BytesIO(client.get("/download/tasks.csv").data), encoding="utf-8-sig", dtype=str,
                        keep_default_na=False)
    assert list(table["编号"]) == list(corpus.tasks) and "任务内容" in table.columns and "wkt" not in table.columns
    assert {"责任领导", "牵头单位", "责任单位", "乡镇数", "文中地点", "指标", "经度", "纬度"} <= set(table.columns)
    sheet = pd.read_excel(io.BytesIO(client.get("/download/tasks.xlsx?sort=-places&leader=张三").data),
                          sheet_name=None)
    assert list(sheet) == ["任务", "说明"] and dict(sheet["说明"].values.tolist()) == {"责任领导": "张三"}
    counts = [int(n) for n in sheet["任务"]["地点数"]]
    assert counts == sorted(counts, reverse=True) and len(counts) == len(layers_state.catalogue.frame(
        "tasks", Filters(leader="张三")))
