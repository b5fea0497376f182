"""The layer catalogue on the hand-made district, and its invariants on the real bundled corpus."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import Point

from geodata import reference
from layers.catalogue import LAYERS, Catalogue
from layers.errors import InvalidParameter, LayerError, NotFound
from layers.filters import Filters
from tests.layers.fixtures import SEGMENT, TASKS, XSS, fixture_catalogue, fixture_corpus

LAYER_IDS = tuple(LAYERS)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return fixture_catalogue()


def check_layer(catalogue: Catalogue, layer: str) -> None:
    """What every layer promises: EPSG:4326, unique string ids, quality and source, JSON-safe cells."""
    frame = catalogue.frame(layer)
    assert frame.crs.to_epsg() == 4326
    assert {"id", "quality", "source"} <= set(frame.columns)
    assert frame["id"].map(type).eq(str).all() and frame["id"].is_unique
    for column in frame.columns.drop(frame.geometry.name):
        for value in frame[column]:
            assert isinstance(value, (str, int, float, bool)), (layer, column, value)
            assert not (isinstance(value, float) and math.isnan(value)), (layer, column)
    assert frame.geometry.is_valid.all() or frame.geometry.isna().any()
    assert len(frame) == next(i.count for i in catalogue.info() if i.id == layer)


@pytest.mark.parametrize("layer", LAYER_IDS)
def test_every_layer_keeps_its_promises(catalogue, layer):
    check_layer(catalogue, layer)


@pytest.mark.parametrize(("layer", "ids"), [
    ("admin", ["cc", "c1", "c2"]),
    ("townships", ["c1-a", "c1-b", "c1-s", "c1-f", "c1-z"]),
    ("seats", ["c1-a", "c1-b", "c1-s", "c1-f", "c1-z", "c2-t"]),
    ("roads", ["road-g1"]),
    ("sites", ["project-qingxi", "c1-b-gaopu", "site-xss", "mountain-qing"]),  # 未提村 is never named
    ("places", ["lake-beihu", "road-g1", "c1-b-gaopu", "project-qingxi", "site-xss", "mountain-qing"]),
], ids=lambda v: v if isinstance(v, str) else "")
def test_layer_members(catalogue, layer, ids):
    assert list(catalogue.frame(layer)["id"]) == ids


def test_water_adds_unnamed_lakes_but_not_the_named_one_twice(catalogue):
    water = catalogue.frame("water")
    assert list(water["id"][:1]) == ["lake-beihu"] and list(catalogue.frame("water_lines")["id"]) == ["river-qingxi"]
    extra = water.iloc[1:]
    assert len(extra) == 25 and "lake-dup" not in set(water["id"])
    assert (extra["name"] == "").sum() == 24 and "小湖" in set(extra["name"])
    assert set(extra["quality"]) == {"open-data"} and set(extra["kind"]) == {"lake"}


def test_lakes_without_crs_are_refused():
    from tests.layers.fixtures import extra_lakes

    lakes = extra_lakes().set_crs(None, allow_override=True)
    with pytest.raises(LayerError, match="no CRS"):
        Catalogue(fixture_corpus(), lakes=lakes).frame("water")


def test_seats_are_points_or_empty(catalogue):
    seats = catalogue.frame("seats").set_index("id")
    assert seats.loc["c1-a", "geometry"] is None and seats.loc["c1-a", "quality"] == "missing"  # a polygon, no seat
    assert seats.loc["c2-t", "geometry"] == Point(113.88, 29.30) and seats.loc["c2-t", "quality"] == "seat"


def test_township_counts(catalogue):
    units = catalogue.frame("townships").set_index("id")
    corpus = catalogue.corpus
    for unit in units.index:
        assert units.loc[unit, "task_count"] == len(corpus.township_tasks(unit))
    assert units.loc["c1-a", ["task_count", "responsible_count", "mentioned_count"]].tolist() == [2, 2, 3]
    assert units.loc["c1-z", ["task_count", "responsible_count", "mentioned_count"]].tolist() == [0, 0, 0]
    assert units.loc["c1-z", "geometry"] is None  # kept without geometry


def test_task_places_layer_has_one_feature_per_link_and_keeps_unlinked_tasks(catalogue):
    tasks = catalogue.frame("task_places")
    corpus = catalogue.corpus
    links = [link for task in TASKS for link in corpus.links_for_owner(task.id)]
    unlinked = [task for task in TASKS if not corpus.links_for_owner(task.id)]
    assert len(tasks) == len(links) + len(unlinked) and [t.number for t in unlinked] == ["3"]
    row = tasks[tasks["task_id"] == "doc1.t3"].iloc[0]
    assert row["geometry"] is None and row["link_type"] == "" and row["quality"] == "missing"
    g1 = tasks[(tasks["place_id"] == "road-g1")].iloc[0]
    assert g1["geometry"].geom_type == "Point" and g1["geometry"].distance(SEGMENT) < 1e-9  # a point on …
    shape = catalogue.index.link_shape("road-g1", g1["doc_id"], g1["start"], g1["end"])
    assert shape.equals(SEGMENT)  # … the segment the text names (what maps draw), not the whole road
    assert g1["leaders"] == "王五" and g1["section"] == "实施城乡融合行动 > 建设美丽乡村"
    assert corpus.documents["doc1"].text[g1["start"]:g1["end"]] == "G1国道东桥至西山段"
    assert set(tasks["task_id"]) == set(corpus.tasks)


def test_indicators_are_located_by_their_owners_first_place(catalogue):
    rows = catalogue.frame("indicators").set_index("metric")
    assert rows.loc["新增耕地", "place_id"] == "lake-beihu" and rows.loc["新增耕地", "located_by"].startswith("mentioned")
    assert rows.loc["地区生产总值", "geometry"] is None and rows.loc["地区生产总值", "located_by"] == ""
    assert rows.loc["治理面积", "owner_type"] == "statement" and rows.loc["治理面积", "place_name"] == "北湖"
    assert rows.loc["新增耕地", "phrase"] == "不低于4000亩" and rows.loc["新增耕地", "value"] == 4000.0


@pytest.mark.parametrize(("layer", "filters", "expected"), [
    ("tasks", {"township": "北湖镇"}, {"doc1.t1", "doc1.t2"}),
    ("tasks", {"township": "c1-s"}, {"doc1.t2", "doc1.t4"}),
    ("tasks", {"township": "北湖镇人民政府"}, {"doc1.t1", "doc1.t2"}),  # an alias
    ("tasks", {"leader": "张三"}, {"doc1.t1", "doc1.t4"}),
    ("tasks", {"section": "建设美丽乡村"}, {"doc1.t2", "doc1.t4"}),
    ("tasks", {"section": "实施生态修复行动"}, {"doc1.t1"}),
    ("tasks", {"lead_unit": "发改"}, {"doc1.t3"}),
    ("tasks", {"kind": "mountain"}, {"doc1.t4"}),
    ("tasks", {"keyword": "企业上市"}, {"doc1.t3"}),
    ("tasks", {"keyword": "农场"}, {"doc1.t1"}),  # named in t1's 责任单位; t2 only through 各乡镇办场
    ("tasks", {"keyword": "script"}, {"doc1.t4"}),
    ("tasks", {"bbox": "114.47,29.91,114.49,29.93"}, {"doc1.t2"}),
], ids=lambda v: str(v) if isinstance(v, dict) else "")
@pytest.mark.parametrize("layer_id", ["tasks", "task_places"])
def test_task_filters(catalogue, layer, filters, expected, layer_id):
    """One row per task and one per task–place link select the same tasks."""
    frame = catalogue.frame(layer_id, Filters.from_args(filters))
    assert set(frame["task_id" if layer_id == "task_places" else "id"]) == expected


@pytest.mark.parametrize(("layer", "filters", "expected"), [
    ("places", {"township": "北湖镇"}, {"lake-beihu", "project-qingxi"}),
    ("places", {"township": "东桥"}, {"c1-b-gaopu", "project-qingxi"}),
    ("townships", {"township": "北湖镇"}, {"c1-a"}),
    ("townships", {"leader": "李四"}, set()),
    ("townships", {"leader": "王五"}, {"c1-a", "c1-b", "c1-s", "c1-f"}),
    ("sites", {"leader": "张三"}, {"site-xss", "mountain-qing"}),
    ("sites", {"kind": "village"}, {"c1-b-gaopu"}),
    ("water_lines", {"keyword": "清溪"}, {"river-qingxi"}),
    ("water", {"bbox": "114.0,29.61,114.05,29.64"}, {"lake-unnamed-0", "lake-unnamed-1", "lake-unnamed-2"}),
    ("admin", {"leader": "张三"}, set()),
    ("indicators", {"township": "北湖农场"}, {"新增耕地", "治理面积"}),
    ("indicators", {"leader": "李四"}, {"地区生产总值"}),
    ("indicators", {"kind": "lake"}, {"新增耕地", "治理面积"}),
], ids=lambda v: str(v) if isinstance(v, dict) else "")
def test_place_and_indicator_filters(catalogue, layer, filters, expected):
    frame = catalogue.frame(layer, Filters.from_args(filters))
    assert set(frame["metric" if layer == "indicators" else "id"]) == expected


def test_unknown_township_is_a_bad_parameter_and_unknown_layer_not_found(catalogue):
    with pytest.raises(InvalidParameter, match="乙城县"):
        catalogue.frame("tasks", Filters(township="乙城县"))
    with pytest.raises(NotFound) as caught:
        catalogue.frame("nope")
    assert caught.value.status == 404 and isinstance(caught.value, LookupError)


def test_frames_are_copies(catalogue):
    catalogue.frame("tasks")["text"] = "changed"
    assert "changed" not in set(catalogue.frame("tasks")["text"])


def test_xss_text_is_data(catalogue):
    assert catalogue.frame("sites").set_index("id").loc["site-xss", "name"] == XSS


# -- the real bundled corpus ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_catalogue(corpus) -> Catalogue:
    return Catalogue(corpus, lakes=reference.read_lakes(corpus.gazetteer.deployment))


@pytest.mark.parametrize("layer", LAYER_IDS)
def test_real_layers_keep_their_promises(real_catalogue, layer):
    check_layer(real_catalogue, layer)


def test_real_layers_cover_every_task_and_mentioned_place(real_catalogue, corpus):
    assert set(real_catalogue.frame("task_places")["task_id"]) == set(corpus.tasks)
    assert list(real_catalogue.frame("tasks")["id"]) == list(corpus.tasks)  # one row per task, in order
    assert set(real_catalogue.frame("places")["id"]) == set(corpus.mentioned_place_ids())
    assert len(real_catalogue.frame("indicators")) == len(corpus.indicators)
    assert len(real_catalogue.frame("townships")) == len([p for p in corpus.gazetteer.children(corpus.gazetteer.home)
                                                          if p.kind.value in {"town", "township", "subdistrict",
                                                                              "farm", "zone"}])
    assert (real_catalogue.frame("water")["name"] == "").sum() > 0  # the unnamed OSM lakes
