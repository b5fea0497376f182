"""The framework-free OGC API core: negotiation, metadata, paging, bbox, errors, OpenAPI, HTML escaping."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl, urlsplit

import pytest
import shapely

from geodata import reference
from layers import catalogue as catalogue_module
from layers import html
from layers.catalogue import LAYERS, Catalogue, bounds
from layers.export import dumps, features
from layers.filters import Filters
from layers.ogcapi import CONFORMANCE, APIRequest, FeaturesAPI
from tests.layers.fixtures import XSS, fixture_catalogue

BASE = "http://example.org/ogcapi"
LAYER_IDS = tuple(LAYERS)


@pytest.fixture(scope="module")
def catalogue():
    return fixture_catalogue()


@pytest.fixture(scope="module")
def api(catalogue):
    return FeaturesAPI(catalogue, base_url=BASE + "/", default_limit=10, max_limit=50)


def call(method, *args, accept="", **query):
    headers, status, content = method(APIRequest(query, accept), *args)
    return headers, status, content


def body(method, *args, **query):
    headers, status, content = call(method, *args, **query)
    assert status == 200, content
    return json.loads(content)


@pytest.mark.parametrize(("query", "accept", "fmt"), [
    ({}, "", "json"),
    ({}, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),  # a browser
    ({}, "application/geo+json, application/json;q=0.9", "json"),
    ({}, "application/json;q=0.5, text/html;q=0.9", "html"),
    ({}, "text/html;q=0, application/json", "json"),
    ({}, "image/png", "json"),
    ({"f": "json"}, "text/html", "json"),
    ({"f": "HTML"}, "application/json", "html"),
], ids=["none", "browser", "gdal", "q-order", "q-zero", "unknown", "f-json-wins", "f-html-wins"])
def test_format_negotiation(api, query, accept, fmt):
    headers, status, content = call(api.landing, accept=accept, **query)
    assert status == 200
    assert headers["Content-Type"] == ("application/json" if fmt == "json" else "text/html; charset=utf-8")


def test_landing_conformance_and_collections(api, catalogue):
    landing = body(api.landing)
    rels = {link["rel"]: link for link in landing["links"]}
    assert {"self", "alternate", "service-desc", "service-doc", "conformance", "data"} <= set(rels)
    assert rels["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert rels["data"]["href"] == f"{BASE}/collections?f=json"
    assert set(body(api.conformance)["conformsTo"]) == set(CONFORMANCE)
    collections = body(api.collections)["collections"]
    assert [c["id"] for c in collections] == list(LAYER_IDS)
    for collection in collections:
        assert collection["itemType"] == "feature"
        assert collection["crs"] == ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]
        items = [link for link in collection["links"] if link["rel"] == "items"]
        assert {link["type"] for link in items} == {"application/geo+json", "text/html"}
        box = bounds(catalogue.frame(collection["id"]))
        assert collection["extent"]["spatial"]["bbox"] == [[round(v, 7) for v in box]]
        assert body(api.collection, collection["id"]) == collection


def walk(api, layer: str, **query) -> tuple[list[str], list[dict]]:
    """Every feature id reached by following ``next`` links from the first page."""
    ids, pages = [], []
    args = {k: str(v) for k, v in query.items()}
    while True:
        page = body(api.items, layer, **args)
        pages.append(page)
        ids += [f["id"] for f in page["features"]]
        assert page["numberReturned"] == len(page["features"])
        following = [link for link in page["links"] if link["rel"] == "next"]
        if not following:
            return ids, pages
        assert following[0]["type"] == "application/geo+json"
        url = urlsplit(following[0]["href"])
        assert f"{url.scheme}://{url.netloc}{url.path}" == f"{BASE}/collections/{layer}/items"
        args = dict(parse_qsl(url.query))


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 10, 50])
def test_paging_through_the_largest_collection_loses_and_repeats_nothing(api, catalogue, limit):
    largest = max(catalogue.info(), key=lambda info: info.count)
    ids, pages = walk(api, largest.id, limit=limit)
    assert ids == list(catalogue.frame(largest.id)["id"])
    assert len(pages) == -(-largest.count // limit)
    assert {page["numberMatched"] for page in pages} == {largest.count}
    assert all(any(link["rel"] == "prev" for link in page["links"]) for page in pages[1:])
    assert not any(link["rel"] == "prev" for link in pages[0]["links"])


@pytest.mark.parametrize("layer", LAYER_IDS)
def test_paging_every_collection_with_filters_kept(api, catalogue, layer):
    ids, _ = walk(api, layer, limit=4, leader="张三")
    assert ids == list(catalogue.frame(layer, Filters(leader="张三"))["id"])


def test_default_and_clamped_limits(api, catalogue):
    assert body(api.items, "task_places")["numberReturned"] == 10
    assert body(api.items, "water", limit=1000)["numberReturned"] == min(50, len(catalogue.frame("water")))


BOXES = [(114.0, 29.6, 114.1, 29.7), (114.15, 29.9, 114.3, 30.0), (114.45, 29.9, 114.5, 29.95), (0.0, 0.0, 1.0, 1.0),
         (114.33, 29.74, 114.33, 29.74), (113.0, 29.0, 115.0, 31.0)]


@pytest.mark.parametrize("box", BOXES, ids=[",".join(map(str, b)) for b in BOXES])
@pytest.mark.parametrize("layer", ["water", "tasks", "task_places", "places", "townships"])
def test_bbox_equals_a_geopandas_spatial_query(api, catalogue, layer, box):
    frame = catalogue.frame(layer)
    expected = frame.iloc[sorted(frame.sindex.query(shapely.box(*box), predicate="intersects"))]["id"]
    ids, _ = walk(api, layer, bbox=",".join(map(str, box)), limit=50)
    assert ids == list(expected)


@pytest.mark.parametrize("query", [{"bbox": ""}, {"bbox": " "}, {"datetime": "2025-06-01"},
                                   {"datetime": "2025-01-01T00:00:00Z/.."}, {"datetime": "../2030-12-31"},
                                   {"limit": " 10 "}],
                         ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()))
def test_blank_bbox_and_valid_datetime_keep_everything(api, catalogue, query):
    """A blank bbox is no filter (as for downloads); the layers carry no time, so a valid datetime keeps all."""
    page = body(api.items, "task_places", **query)
    assert page["numberMatched"] == len(catalogue.frame("task_places")) and page["numberReturned"] == 10


@pytest.mark.parametrize("crs", ["http://www.opengis.net/def/crs/EPSG/0/4326", "EPSG:4326"])
def test_an_epsg_4326_bbox_is_lat_lon(api, crs):
    """EPSG:4326 puts latitude first (Part 2: the bbox follows bbox-crs's axis order); CRS84 longitude."""
    lonlat = body(api.items, "task_places", bbox="114.3,29.7,114.5,29.8", limit=50)
    latlon = body(api.items, "task_places", bbox="29.7,114.3,29.8,114.5", limit=50, **{"bbox-crs": crs})
    assert [f["id"] for f in latlon["features"]] == [f["id"] for f in lonlat["features"]] != []


def test_six_number_bbox_and_crs84(api):
    three_d = body(api.items, "water", bbox="114.0,29.6,0,114.1,29.7,100", limit=50)
    assert three_d["numberMatched"] == body(api.items, "water", bbox="114.0,29.6,114.1,29.7",
                                            **{"bbox-crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"})[
        "numberMatched"] > 0


@pytest.mark.parametrize(("query", "expected"), [
    ({"place_id": "lake-beihu"}, 1),
    ({"link_type": "responsible", "township": "西山街道"}, 2),
    ({"start": "0"}, 0),
    ({"number": "3"}, 1),
    ({"kind": "mountain"}, 1),  # the Filters field: the linked place's kind
], ids=lambda v: str(v) if isinstance(v, dict) else "")
def test_attribute_filters(api, query, expected):
    assert body(api.items, "task_places", **query)["numberMatched"] == expected


def test_item(api, catalogue):
    feature = body(api.item, "task_places", "doc1.t1~0")
    assert feature["type"] == "Feature" and feature["id"] == "doc1.t1~0"
    assert feature["properties"]["place_id"] == "lake-beihu"
    assert {link["rel"] for link in feature["links"]} == {"self", "alternate", "collection"}
    assert feature["links"][0]["href"] == f"{BASE}/collections/task_places/items/doc1.t1~0?f=json"
    empty = body(api.item, "townships", "c1-z")
    assert empty["geometry"] is None


ERRORS = [
    ("items", ("task_places",), {"limit": "0"}, 400, "InvalidParameterValue"),
    ("items", ("task_places",), {"limit": "ten"}, 400, "InvalidParameterValue"),
    ("items", ("task_places",), {"offset": "-1"}, 400, "InvalidParameterValue"),
    ("items", ("task_places",), {"limit": "1_0"}, 400, "InvalidParameterValue"),  # int() would read 10
    ("items", ("task_places",), {"limit": "\uff15"}, 400, "InvalidParameterValue"),  # a full-width digit 5
    ("items", ("task_places",), {"offset": "1e3"}, 400, "InvalidParameterValue"),
    ("items", ("task_places",), {"datetime": "去年"}, 400, "InvalidParameterValue"),
    ("items", ("task_places",), {"datetime": "2025-01-01/2025-02-01/2025-03-01"}, 400, "InvalidParameterValue"),
    ("items", ("task_places",), {"datetime": ".."}, 400, "InvalidParameterValue"),
    ("items", ("task_places",), {"bbox": "1,2,3"}, 400, "InvalidParameterValue"),
    ("items", ("task_places",), {"bbox": "114,30,113,31"}, 400, "InvalidParameterValue"),
    ("items", ("task_places",), {"bbox-crs": "EPSG:3857"}, 400, "InvalidParameterValue"),
    ("items", ("task_places",), {"colour": "red"}, 400, "InvalidParameterValue"),
    ("items", ("task_places",), {"start": "abc"}, 400, "InvalidParameterValue"),
    ("items", ("task_places",), {"township": "火星镇"}, 400, "InvalidParameterValue"),
    ("items", ("task_places",), {"f": "xml"}, 400, "InvalidParameterValue"),
    ("items", ("nope",), {}, 404, "NotFound"),
    ("collection", ("nope",), {}, 404, "NotFound"),
    ("queryables", ("nope",), {}, 404, "NotFound"),
    ("item", ("task_places", "nope"), {}, 404, "NotFound"),
    ("item", ("nope", "x"), {}, 404, "NotFound"),
    ("landing", (), {"f": "pdf"}, 400, "InvalidParameterValue"),
]


@pytest.mark.parametrize(("endpoint", "args", "query", "status", "code"), ERRORS,
                         ids=[f"{e[0]}-{e[1]}-{e[2]}" for e in ERRORS])
def test_errors_have_one_json_shape(api, endpoint, args, query, status, code):
    headers, got, content = call(getattr(api, endpoint), *args, accept="text/html", **query)
    assert got == status and headers["Content-Type"] == "application/json"
    error = json.loads(content)
    assert set(error) == {"code", "description"} and error["code"] == code and error["description"]


def test_openapi_document_is_valid_and_complete(api, catalogue):
    from openapi_spec_validator import validate

    headers, status, content = call(api.openapi)
    assert headers["Content-Type"] == "application/vnd.oai.openapi+json;version=3.0"
    document = json.loads(content)
    validate(document)
    assert document["servers"] == [{"url": BASE}]
    assert {"/", "/conformance", "/api", "/collections"} <= set(document["paths"])
    limit = document["components"]["parameters"]["limit"]["schema"]
    assert (limit["default"], limit["maximum"]) == (10, 50)
    for layer in LAYER_IDS:
        for path in ("", "/items", "/items/{featureId}", "/queryables"):
            assert f"/collections/{layer}{path}" in document["paths"]
        params = document["paths"][f"/collections/{layer}/items"]["get"]["parameters"]
        names = {p.get("name") or p["$ref"].rsplit("/", 1)[1] for p in params}
        columns = set(catalogue.frame(layer).columns) - {"geometry"}
        assert {"f", "limit", "offset", "bbox", *Filters.names()} | columns <= names


def test_queryables_list_every_column(api, catalogue):
    headers, status, content = call(api.queryables, "indicators")
    assert headers["Content-Type"] == "application/schema+json"
    schema = json.loads(content)
    assert set(schema["properties"]) == set(catalogue.frame("indicators").columns)
    assert schema["properties"]["value"]["type"] == "number" and schema["properties"]["start"]["type"] == "integer"


@pytest.mark.parametrize(("endpoint", "args"), [("landing", ()), ("conformance", ()), ("collections", ()),
                                                ("collection", ("sites",)), ("items", ("sites",)),
                                                ("item", ("sites", "site-xss")), ("queryables", ("sites",)),
                                                ("openapi", ())])
def test_html_pages_escape_everything(api, endpoint, args):
    headers, status, content = call(getattr(api, endpoint), *args, f="html")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<script>alert" not in content and content.startswith("<!doctype html>")
    if endpoint in ("items", "item"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;园" in content
        assert XSS not in content


# -- the fast path (pre-encoded features, remembered selections) answers exactly what encoding each page did ------
QUERIES = [{}, {"limit": "3", "offset": "2"}, {"limit": "50"}, {"leader": "张三", "limit": "4"},
           {"bbox": "114.0,29.6,114.5,30.0", "limit": "5", "offset": "1"}, {"township": "北湖镇"},
           {"kind": "lake", "limit": "2"}, {"offset": "1000"}]


def slow_page(api: FeaturesAPI, layer: str, query: dict[str, str]) -> tuple[list[dict], int]:
    """The page as the endpoint built it before: filter a frame copy, encode the page's rows."""
    frame = api.matching(layer, query)
    limit = min(int(query.get("limit", api.default_limit)), api.max_limit)
    offset = int(query.get("offset", 0))
    return features(frame.iloc[offset:offset + limit]), len(frame)


def assert_fast_equals_slow(api: FeaturesAPI, layer: str, query: dict[str, str]) -> None:
    before = datetime.now(timezone.utc).replace(microsecond=0)
    headers, status, content = call(api.items, layer, **query)
    assert status == 200 and headers["Content-Type"] == "application/geo+json"
    fast = json.loads(content)
    stamp = datetime.strptime(fast["timeStamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert before <= stamp <= datetime.now(timezone.utc) + timedelta(seconds=1)
    found, matched = slow_page(api, layer, query)
    slow = {"type": "FeatureCollection", "features": found, "numberMatched": matched, "numberReturned": len(found),
            "timeStamp": fast["timeStamp"], "links": fast["links"]}
    assert content == dumps(slow)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()) or "all")
@pytest.mark.parametrize("layer", LAYER_IDS)
def test_items_are_byte_for_byte_what_encoding_each_page_gave(api, layer, query):
    assert_fast_equals_slow(api, layer, query)
    assert_fast_equals_slow(api, layer, query)  # the second time from the remembered selection


def test_the_real_tasks_layer_fast_equals_slow(corpus):
    """The bundled 咸安 texts: county MultiPolygons with many rings, the heaviest page the benchmark asks for."""
    real = FeaturesAPI(Catalogue(corpus, lakes=reference.read_lakes(corpus.gazetteer.deployment)), base_url=BASE, default_limit=100,
                       max_limit=10000)
    for query in ({"limit": "100"}, {"limit": "7", "offset": "693"}, {"township": "向阳湖镇", "limit": "1000"}):
        assert_fast_equals_slow(real, "task_places", query)


@pytest.mark.parametrize("layer", LAYER_IDS)
def test_single_items_are_what_encoding_the_row_gave(api, catalogue, layer):
    frame = catalogue.frame(layer)
    for number in sorted({0, len(frame) // 2, len(frame) - 1}):
        feature_id = frame["id"].iloc[number]
        headers, status, content = call(api.item, layer, feature_id)
        links = json.loads(content)["links"]
        assert content == dumps({**features(frame.iloc[number:number + 1])[0], "links": links})


@pytest.mark.parametrize(("endpoint", "args", "query"), [
    ("items", ("task_places",), {"limit": "3", "offset": "1", "leader": "张三"}),
    ("items", ("water",), {"limit": "50"}),
    ("item", ("water", "lake-beihu"), {}),
    ("item", ("townships", "c1-z"), {}),  # no geometry
], ids=["tasks-page", "water-page", "lake", "no-geometry"])
def test_html_pages_are_what_the_slow_path_rendered(api, monkeypatch, endpoint, args, query):
    """Rendered again from features encoded the slow way (geometry included), the page is the same HTML."""
    contexts = []
    render = html.render
    monkeypatch.setattr(html, "render", lambda page, **context: contexts.append(context) or render(page, **context))
    headers, status, content = call(getattr(api, endpoint), *args, f="html", **query)
    assert status == 200
    (context,) = contexts
    if endpoint == "items":
        found, _ = slow_page(api, args[0], query)
        assert [f["id"] for f in context["features"]] == [f["id"] for f in found] != []
        assert render("items", **{**context, "features": found}) == content
    else:
        frame = api.catalogue.frame(args[0])
        feature = features(frame[frame["id"] == args[1]])[0]
        geometry = json.dumps(feature["geometry"], ensure_ascii=False) if feature["geometry"] else "（无几何）"
        assert context["geometry_text"] == geometry
        assert render("item", **{**context, "feature": feature}) == content


def test_selections_are_remembered_per_query_and_bounded(monkeypatch):
    catalogue = fixture_catalogue()
    api = FeaturesAPI(catalogue, base_url=BASE, default_limit=10, max_limit=50)
    frame = catalogue.frame("task_places")
    monkeypatch.setattr(catalogue_module, "SELECTION_ROWS", len(frame))
    boxes = [f"113.0,29.0,{114.0 + k / 10},31.0" for k in range(6)]
    counts = [body(api.items, "task_places", bbox=box)["numberMatched"] for box in boxes]
    assert counts == [len(frame[frame.intersects(shapely.box(*map(float, box.split(","))))]) for box in boxes]
    assert len(set(counts)) > 3 and sum(counts) > len(frame)
    remembered = [len(rows) for rows in catalogue._selections.values()]
    assert sum(remembered) <= len(frame) and remembered[-1] == counts[-1]  # the oldest were let go
    assert body(api.items, "task_places")["numberMatched"] == len(frame)  # no filter: not some remembered selection
    assert [body(api.items, "task_places", bbox=box)["numberMatched"] for box in boxes] == counts  # again, evicted or not
