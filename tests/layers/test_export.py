"""Exports: RFC 7946 rules checked on real output, and read-back through pyogrio (GDAL) for every format."""

from __future__ import annotations

import io
import json
import re

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import shape

from layers.catalogue import LAYERS
from layers.errors import InvalidParameter, LayerError, WriteError
from layers.export import FORMATS, export, format_for, to_bytes, to_geojson_dict
from layers.filters import Filters
from layers.tables import EXCEL_CELL_LIMIT, HEADERS, table
from tests.layers.fixtures import XSS, fixture_catalogue

LAYER_IDS = tuple(LAYERS)
#: CSV carries no types: GDAL reads every column as text (numbers are compared as numbers below).
CSV_OPTIONS = {"X_POSSIBLE_NAMES": "经度", "Y_POSSIBLE_NAMES": "纬度", "KEEP_GEOM_COLUMNS": "NO",
               "EMPTY_STRING_AS_NULL": "NO"}


@pytest.fixture(scope="module")
def catalogue():
    return fixture_catalogue()


def rings(geometry: dict) -> list[tuple[list, bool]]:
    """(ring, is_exterior) for every ring of a GeoJSON (Multi)Polygon."""
    polygons = {"Polygon": [geometry["coordinates"]], "MultiPolygon": geometry["coordinates"]}.get(geometry["type"], [])
    return [(ring, i == 0) for polygon in polygons for i, ring in enumerate(polygon)]


def coordinates(value) -> list[float]:
    if isinstance(value, (int, float)):
        return [value]
    return [c for v in value for c in coordinates(v)]


@pytest.mark.parametrize("layer", LAYER_IDS)
def test_geojson_follows_rfc_7946(catalogue, layer):
    frame = catalogue.frame(layer)
    document = json.loads(to_bytes(frame, fmt="geojson").decode("utf-8"))
    assert document["type"] == "FeatureCollection" and "crs" not in document
    assert [f["id"] for f in document["features"]] == list(frame["id"])
    for feature, original in zip(document["features"], frame.geometry):
        assert set(feature) == {"type", "id", "geometry", "properties"} and "id" not in feature["properties"]
        geometry = feature["geometry"]
        if original is None:
            assert geometry is None
            continue
        parts = geometry["geometries"] if geometry["type"] == "GeometryCollection" else [geometry]  # a task's places
        for part in parts:
            for value in coordinates(part["coordinates"]):
                assert value == round(value, 7)
            xs, ys = coordinates(part["coordinates"])[0::2], coordinates(part["coordinates"])[1::2]
            assert all(-180 <= x <= 180 for x in xs) and all(-90 <= y <= 90 for y in ys)  # lon, lat
            for ring, exterior in rings(part):
                assert shapely.LinearRing(ring).is_ccw == exterior  # exterior counter-clockwise, holes clockwise
        assert shape(geometry).geom_type == original.geom_type
        assert shape(geometry).hausdorff_distance(original) < 1e-6


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_exports_are_byte_stable_across_builds(catalogue, fmt):
    """Stable feature ids and order: a catalogue built again from the same input writes the same bytes."""
    again = fixture_catalogue()
    for layer in LAYER_IDS:
        assert to_bytes(again.frame(layer), fmt=fmt) == to_bytes(catalogue.frame(layer), fmt=fmt), layer


def test_geojson_rounds_and_reorients_the_fixture_polygons(catalogue):
    features = {f["id"]: f for f in to_geojson_dict(catalogue.frame("township_areas"))["features"]}
    exterior, hole = features["c1-a"]["geometry"]["coordinates"]
    assert [114.2812346, 29.85] in exterior and [114.05, 29.85] in exterior
    assert shapely.LinearRing(exterior).is_ccw and not shapely.LinearRing(hole).is_ccw
    units = {f["id"]: f for f in to_geojson_dict(catalogue.frame("townships"))["features"]}
    assert units["c1-a"]["geometry"]["type"] == "Point" and units["c1-z"]["geometry"] is None


def test_geojson_media_type_and_text():
    assert FORMATS["geojson"].media_type == "application/geo+json"
    assert FORMATS["gpkg"].media_type == "application/geopackage+sqlite3"
    assert FORMATS["csv"].media_type == "text/csv; charset=utf-8"


def read_back(path, fmt: str) -> gpd.GeoDataFrame:
    return pyogrio.read_dataframe(path, **(CSV_OPTIONS if fmt == "csv" else {}))


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Values as Python objects, with NaN/None unified, for comparing what GDAL read with what was written."""
    table = pd.DataFrame(frame.drop(columns=[c for c in ("geometry", "lon", "lat") if c in frame.columns]))
    return table.astype(object).where(table.notna(), None).reset_index(drop=True)


@pytest.mark.parametrize("fmt", ["geojson", "gpkg"])
@pytest.mark.parametrize("layer", LAYER_IDS)
def test_export_reads_back_through_gdal(catalogue, layer, fmt, tmp_path):
    frame = catalogue.frame(layer)
    path = tmp_path / f"{layer}.{fmt}"
    export(frame, path, fmt=fmt, layer=layer)
    back = read_back(path, fmt)
    if fmt == "gpkg":
        assert pyogrio.list_layers(path)[0][0] == layer
        # one geometry type per layer (QGIS shows "Unknown"/GEOMETRY for a mixed one); multi-parts promote
        family = LAYERS[layer].geometry
        assert pyogrio.read_info(path)["geometry_type"] in (family, f"Multi{family}"), layer
    assert len(back) == len(frame)
    assert list(back.columns.drop(["geometry", "lon", "lat"], errors="ignore")) == list(frame.columns.drop("geometry"))
    expected, got = comparable(frame), comparable(back)
    for column in expected.columns:
        if frame[column].dtype == object:  # text stays text, Chinese and markup intact, "" stays ""
            assert list(got[column].fillna("")) == list(expected[column]), column
        else:
            assert [float(v) for v in got[column]] == [float(v) for v in expected[column]], column
    for written, read in zip(frame.geometry, back.geometry):
        if written is None:
            assert read is None or read.is_empty
        else:
            promoted = fmt == "gpkg" and read.geom_type == "Multi" + written.geom_type
            assert read.geom_type == written.geom_type or promoted
            assert read.hausdorff_distance(written) < 1e-6


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("layer", LAYER_IDS)
def test_tables_read_back_with_chinese_headers(catalogue, layer, fmt, tmp_path):
    """CSV (through GDAL, which places each row at its 经度/纬度) and .xlsx (through pandas) hold the table."""
    frame = catalogue.frame(layer)
    expected = table(frame)
    path = tmp_path / f"{layer}.{fmt}"
    export(frame, path, fmt=fmt, layer=layer, title=LAYERS[layer].title)
    if fmt == "csv":
        back = pyogrio.read_dataframe(path, **CSV_OPTIONS)
        assert list(back.columns.drop("geometry")) == list(expected.columns.drop(["经度", "纬度"]))
    else:
        back = pd.read_excel(path, sheet_name=LAYERS[layer].title, keep_default_na=False)
        assert list(back.columns) == list(expected.columns)
    assert len(back) == len(frame) and "wkt" not in back.columns and "编号" in back.columns
    assert list(back["编号"].astype(str)) == list(frame["id"])
    assert not any(h.isascii() for h in back.columns if h != "geometry")  # Chinese headers


def test_csv_has_bom_and_a_point_per_row_and_no_wkt(catalogue):
    data = to_bytes(catalogue.frame("sites"), fmt="csv")
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    table_ = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False, dtype=str)
    assert list(table_.columns[-2:]) == ["经度", "纬度"] and "wkt" not in table_.columns
    row = table_.set_index("编号").loc["site-xss"]
    assert row["名称"] == XSS and (float(row["经度"]), float(row["纬度"])) == (114.33, 29.74)
    assert row["类别"] == "地点" and row["几何质量"] in ("驻地点", "示意", "推导位置", "开放数据", "实测", "行政区兜底")
    empty = table_.set_index("编号").loc["mountain-qing"]
    assert empty["经度"] == "" and empty["纬度"] == "" and empty["几何质量"] == "无几何"


def test_no_cell_exceeds_excels_limit_and_formulas_stay_text(tmp_path):
    from shapely.geometry import Polygon

    ring = [(114 + i / 10000, 29.5 + (i % 7) / 1000) for i in range(6000)]
    frame = gpd.GeoDataFrame({"id": ["a", "b"], "text": ["长" * 40000, "=1+1"]},
                             geometry=[Polygon(ring).buffer(0), None], crs=4326)
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"long.{fmt}"
        export(frame, path, fmt=fmt, layer="t")
        back = pd.read_csv(path, encoding="utf-8-sig") if fmt == "csv" else pd.read_excel(path)
        assert max(len(str(v)) for col in back.columns for v in back[col]) <= EXCEL_CELL_LIMIT
        assert str(back.loc[1, HEADERS["text"]]).endswith("=1+1")
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "long.xlsx").active
    assert sheet.freeze_panes == "A2" and sheet["B3"].data_type == "s" and sheet["B3"].value == "=1+1"


def test_gpkg_to_a_buffer(catalogue, tmp_path):
    data = to_bytes(catalogue.frame("tasks"), fmt="gpkg", layer="tasks")
    assert data.startswith(b"SQLite format 3\x00")
    (tmp_path / "tasks.gpkg").write_bytes(data)
    assert len(pyogrio.read_dataframe(tmp_path / "tasks.gpkg", layer="tasks")) == len(catalogue.frame("tasks"))


@pytest.mark.parametrize(("name", "fmt"), [("a.geojson", "geojson"), ("A.JSON", "geojson"), ("x/向阳湖镇-任务.gpkg", "gpkg"),
                                           ("t.csv", "csv"), ("任务.XLSX", "xlsx")])
def test_format_for(name, fmt):
    assert format_for(name) == fmt


def test_bad_format_and_missing_crs(catalogue, tmp_path):
    with pytest.raises(InvalidParameter):
        format_for("tasks.shp")
    with pytest.raises(InvalidParameter):
        export(catalogue.frame("tasks"), tmp_path / "x", fmt="shp")
    with pytest.raises(LayerError, match="no CRS"):
        to_bytes(catalogue.frame("tasks").set_crs(None, allow_override=True), fmt="geojson")


def test_other_crs_is_reprojected(catalogue):
    frame = catalogue.frame("seats").to_crs(4547)
    features = {f["id"]: f for f in to_geojson_dict(frame)["features"]}
    assert features["c2-t"]["geometry"]["coordinates"] == [113.88, 29.3]


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("where", ["missing-folder", "a-directory"])
def test_an_unwritable_target_is_a_clear_error(catalogue, tmp_path, fmt, where):
    target = tmp_path / "no" / "such" / f"x.{fmt}" if where == "missing-folder" else tmp_path
    with pytest.raises(WriteError, match="cannot write") as caught:
        export(catalogue.frame("tasks"), target, fmt=fmt, layer="tasks")
    assert isinstance(caught.value, OSError) and caught.value.status == 500


@pytest.fixture()
def cli_state(monkeypatch, catalogue):
    """``govmap export`` on the hand-made district instead of the bundled texts."""
    import webmap.state
    from webmap.state import State

    monkeypatch.setattr(webmap.state, "build_state", lambda **_: State(corpus=catalogue.corpus, catalogue=catalogue))


def test_cli_export_writes_the_filtered_layer(cli_state, catalogue, tmp_path, capsys):
    from webmap.cli import main

    target = tmp_path / "西山-任务.csv"
    assert main(["export", "tasks", "-o", str(target), "--format", "geojson", "--leader", "张三"]) == 0
    expected = catalogue.frame("tasks", Filters(leader="张三"))
    assert [f["id"] for f in json.loads(target.read_bytes())["features"]] == list(expected["id"]) != []
    assert f"wrote {len(expected)} features" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "message"), [
    (["tasks", "-o", "{tmp}/no/such/x.gpkg"], "cannot write"),
    (["tasks", "-o", "{tmp}"], "无法从文件名判断格式"),
    (["tasks", "-o", "{tmp}", "--format", "csv"], "cannot write"),
    (["nope", "-o", "{tmp}/x.csv"], "没有图层“nope”"),
    (["tasks", "-o", "{tmp}/x.csv", "--bbox", "1,2,3"], "bbox"),
], ids=["missing-folder", "no-extension", "a-directory", "unknown-layer", "bad-bbox"])
def test_cli_export_errors_exit_1_without_a_traceback(cli_state, tmp_path, capsys, args, message):
    from webmap.cli import main

    assert main(["export", *(a.format(tmp=tmp_path) for a in args)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("govmap export: ") and message in err and "Traceback" not in err
