"""The OGC API through Flask, and through real clients (OWSLib, GDAL's OAPIF driver) against a live server."""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys

import pytest
import shapely

from layers.catalogue import LAYERS, bounds
from layers.export import features
from layers.filters import Filters
from layers.ogcapi import CRS84
from tests.webmap.live import layers_app, layers_live, layers_state, serving

__all__ = ["layers_app", "layers_live", "layers_state"]


@pytest.fixture()
def client(layers_app):
    return layers_app.test_client()


ROUTES = [
    ("/ogcapi", "application/json"),
    ("/ogcapi/", "application/json"),
    ("/ogcapi/conformance", "application/json"),
    ("/ogcapi/api", "application/vnd.oai.openapi+json;version=3.0"),
    ("/ogcapi/collections", "application/json"),
    ("/ogcapi/collections/task_places", "application/json"),
    ("/ogcapi/collections/task_places/queryables", "application/schema+json"),
    ("/ogcapi/collections/task_places/items", "application/geo+json"),
    ("/ogcapi/collections/task_places/items/doc1.t1~0", "application/geo+json"),
    ("/ogcapi/collections/task_places/items?f=html", "text/html; charset=utf-8"),
    ("/ogcapi?basemap=none", "application/json"),  # a page's own argument carried by the navigation is ignored
]


@pytest.mark.parametrize(("url", "content_type"), ROUTES, ids=[r[0] for r in ROUTES])
def test_routes(client, url, content_type):
    response = client.get(url)
    assert response.status_code == 200 and response.headers["Content-Type"] == content_type


@pytest.mark.parametrize(("accept", "content_type"), [
    ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html; charset=utf-8"),
    ("application/geo+json", "application/geo+json"),
    ("", "application/geo+json"),
])
def test_accept_header(client, accept, content_type):
    response = client.get("/ogcapi/collections/water/items", headers={"Accept": accept} if accept else {})
    assert response.headers["Content-Type"] == content_type and "Accept" in response.headers["Vary"]


def test_links_use_the_server_url(client):
    landing = client.get("/ogcapi", base_url="http://maps.example.org:8080").get_json()
    assert all(link["href"].startswith("http://maps.example.org:8080/ogcapi") for link in landing["links"])


@pytest.mark.parametrize(("url", "status", "code"), [
    ("/ogcapi/collections/task_places/items?limit=0", 400, "InvalidParameterValue"),
    ("/ogcapi/collections/task_places/items?bbox=114,30", 400, "InvalidParameterValue"),
    ("/ogcapi/collections/nope", 404, "NotFound"),
    ("/ogcapi/collections/nope/items", 404, "NotFound"),
    ("/ogcapi/collections/task_places/items/nope", 404, "NotFound"),
    ("/ogcapi/nowhere", 404, "NotFound"),
])
def test_errors_are_json_with_the_ogc_shape(client, url, status, code):
    response = client.get(url, headers={"Accept": "text/html"})
    assert response.status_code == status and response.headers["Content-Type"] == "application/json"
    assert set(response.get_json()) == {"code", "description"} and response.get_json()["code"] == code
    # The message a user reads is Chinese: no English words beyond parameter names, formats and codes.
    description = response.get_json()["description"]
    assert re.search(r"[\u4e00-\u9fff]", description), description
    assert not re.search(r"\b(?:no|not|must|unknown|expected|the|is|has|found)\b", description, re.I), description


def test_method_not_allowed_is_json(client):
    response = client.post("/ogcapi/collections")
    assert response.status_code == 405 and response.get_json()["code"] == "OperationNotSupported"
    assert "GET" in response.headers["Allow"]


# -- real clients on a live server ----------------------------------------------------------------------------------

@pytest.mark.live
def test_owslib_lists_collections_and_pages_items(layers_live, layers_state):
    from owslib.ogcapi.features import Features

    catalogue = layers_state.catalogue
    service = Features(f"{layers_live}/ogcapi")
    assert [c["id"] for c in service.collections()["collections"]] == [i.id for i in catalogue.info()]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in service.conformance()["conformsTo"]
    assert service.collection("water")["id"] == "water"
    largest = max(catalogue.info(), key=lambda info: info.count)
    ids, offset = [], 0
    while True:
        page = service.collection_items(largest.id, limit=4, offset=offset)
        assert page["numberMatched"] == largest.count
        ids += [f["id"] for f in page["features"]]
        if not any(link["rel"] == "next" for link in page["links"]):
            break
        offset += 4
    assert ids == list(catalogue.frame(largest.id)["id"])
    filtered = service.collection_items("task_places", township="北湖镇", limit=100)
    assert filtered["numberMatched"] == len(catalogue.frame("task_places", Filters(township="北湖镇"))) > 0
    queryables = service.collection_queryables("task_places")
    assert "place_id" in queryables["properties"]


@pytest.mark.live
@pytest.mark.parametrize("layer", LAYERS)
def test_owslib_reads_every_collection(layers_live, layers_state, layer):
    from owslib.ogcapi.features import Features

    frame = layers_state.catalogue.frame(layer)
    service = Features(f"{layers_live}/ogcapi")
    meta = service.collection(layer)
    assert {link["type"] for link in meta["links"] if link["rel"] == "items"} == {"application/geo+json",
                                                                                  "text/html"}
    assert meta["extent"]["spatial"] == {"bbox": [[round(v, 7) for v in bounds(frame)]], "crs": CRS84}
    found, offset = [], 0
    while True:
        page = service.collection_items(layer, limit=3, offset=offset)
        assert page["numberMatched"] == len(frame) and page["numberReturned"] == len(page["features"])
        found += page["features"]
        if not any(link["rel"] == "next" for link in page["links"]):
            break
        offset += 3
    assert [f["id"] for f in found] == list(frame["id"])
    assert [f["properties"] for f in found] == [f["properties"] for f in features(frame)]
    # Each feature fetched alone by its id, as OWSLib builds the URL (it does not percent-encode the id).
    assert service.collection_item(layer, found[-1]["id"])["id"] == found[-1]["id"]


#: GDAL runs in a child process: pyogrio holds the GIL while GDAL fetches, so a server thread in this process
#: could never answer.
GDAL_READ = """
import sys, pyogrio
url, layer, out, page_size, bbox = sys.argv[1:6]
options = {"PAGE_SIZE": page_size} if page_size != "0" else {}
if bbox:
    options["bbox"] = tuple(float(v) for v in bbox.split(","))
frame = pyogrio.read_dataframe("OAPIF:" + url, layer=layer, **options)
frame.to_pickle(out)
"""


def gdal_read(base: str, layer: str, tmp_path, *, page_size: int = 0, bbox: tuple[float, ...] = ()):
    out = tmp_path / f"{layer}.pickle"
    env = {**os.environ, "GDAL_HTTP_PROXY": "", "HTTP_PROXY": "", "HTTPS_PROXY": "", "NO_PROXY": "127.0.0.1",
           "CPL_DEBUG": "OFF", "GDAL_HTTP_TIMEOUT": "30"}
    done = subprocess.run([sys.executable, "-c", GDAL_READ, f"{base}/ogcapi", layer, str(out), str(page_size),
                           ",".join(map(str, bbox))], capture_output=True, text=True, timeout=120, env=env,
                          check=False)
    assert done.returncode == 0, done.stderr
    with open(out, "rb") as handle:
        return pickle.load(handle)


def assert_same_features(read, frame) -> None:
    assert len(read) == len(frame)
    assert list(read.columns) == list(frame.columns)
    read = read.set_index("id").loc[list(frame["id"])]
    for column in frame.columns.drop(["id", "geometry"]):
        expected = list(frame[column])
        got = list(read[column])
        if frame[column].dtype == object:
            assert [g if isinstance(g, str) else "" for g in got] == expected, column
        else:
            assert [float(g) for g in got] == [float(e) for e in expected], column
    for written, back in zip(frame.geometry, read.geometry):
        if written is None:
            assert back is None or back.is_empty
        else:
            assert back.hausdorff_distance(written) < 1e-6


@pytest.mark.live
@pytest.mark.parametrize("layer", LAYERS)
def test_gdal_oapif_reads_every_collection(layers_live, layers_state, layer, tmp_path):
    assert_same_features(gdal_read(layers_live, layer, tmp_path), layers_state.catalogue.frame(layer))


@pytest.mark.live
@pytest.mark.parametrize("box", [(114.15, 29.9, 114.3, 30.0), (114.3, 29.7, 114.5, 29.8)], ids=str)
def test_gdal_bbox_equals_a_geopandas_query(layers_live, layers_state, box, tmp_path):
    frame = layers_state.catalogue.frame("task_places")
    read = gdal_read(layers_live, "task_places", tmp_path, page_size=4, bbox=box)
    expected = frame[frame.intersects(shapely.box(*box))]
    assert sorted(read["id"]) == sorted(expected["id"]) != []


@pytest.mark.live
def test_gdal_follows_next_links(layers_live, layers_state, tmp_path):
    largest = max(layers_state.catalogue.info(), key=lambda info: info.count)
    read = gdal_read(layers_live, largest.id, tmp_path, page_size=3)
    assert_same_features(read, layers_state.catalogue.frame(largest.id))


@pytest.mark.live
def test_gdal_reads_the_real_tasks_layer(app, tmp_path):
    """The bundled 咸安 texts, through the real app."""
    from webmap.state import get_state

    with app.app_context():
        frame = get_state().catalogue.frame("task_places")
    with serving(app) as base:
        read = gdal_read(base, "task_places", tmp_path, page_size=200)
    assert_same_features(read, frame)
