"""Parsing and validating filters: one table of good and bad query arguments."""

from __future__ import annotations

import pytest

from layers.errors import InvalidParameter, LayerError
from layers.filters import Filters, apply, parse_bbox


@pytest.mark.parametrize(("args", "expected"), [
    ({}, Filters()),
    ({"township": " 北湖镇 ", "page": "3"}, Filters(township="北湖镇")),
    ({"leader": "", "kind": "  "}, Filters()),
    ({"kind": "lake"}, Filters(kind="lake")),
    ({"bbox": "114,29.5,114.5,30"}, Filters(bbox=(114.0, 29.5, 114.5, 30.0))),
    ({"bbox": "-180,-90,180,90"}, Filters(bbox=(-180.0, -90.0, 180.0, 90.0))),
    ({"bbox": "114,30,114,30"}, Filters(bbox=(114.0, 30.0, 114.0, 30.0))),
    ({"section": "生态", "lead_unit": "区发改局", "keyword": "湖"},
     Filters(section="生态", lead_unit="区发改局", keyword="湖")),
], ids=["empty", "strip-and-ignore", "blank", "kind", "bbox", "world", "point-bbox", "texts"])
def test_good_arguments(args, expected):
    assert Filters.from_args(args) == expected


@pytest.mark.parametrize(("args", "message"), [
    ({"bbox": "114,29.5,114.5"}, "4 个数"),
    ({"bbox": "114,29.5,114.5,30,1"}, "4 个数"),
    ({"bbox": "a,b,c,d"}, "不是数字"),
    ({"bbox": "114,29.5,nan,30"}, "有限数"),
    ({"bbox": "181,29.5,182,30"}, "±180"),
    ({"bbox": "114,-91,115,30"}, "±90"),
    ({"bbox": "115,29,114,30"}, "minx"),
    ({"bbox": "114,31,115,30"}, "miny"),
    ({"kind": "湖泊"}, "未知的地点类别"),
    ({"keyword": "长" * 201}, "超过 200 个字符"),
    ({"leader": 3}, "应为文字"),
], ids=["3-numbers", "5-numbers", "words", "nan", "lon-range", "lat-range", "x-order", "y-order", "kind",
        "too-long", "not-text"])
def test_bad_arguments_are_400(args, message):
    with pytest.raises(InvalidParameter, match=message) as caught:
        Filters.from_args(args)
    assert caught.value.status == 400 and caught.value.code == "InvalidParameterValue"
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, LayerError)
    assert caught.value.to_dict() == {"code": "InvalidParameterValue", "description": str(caught.value)}


def test_as_args_round_trips():
    filters = Filters(township="北湖镇", bbox=(114.0, 29.5, 114.5, 30.0), kind="lake")
    assert Filters.from_args(filters.as_args()) == filters


def test_bbox_accepts_a_sequence():
    assert parse_bbox([1, 2, 3, 4]) == (1.0, 2.0, 3.0, 4.0)


def test_apply_reads_only_the_columns_a_frame_has():
    import geopandas as gpd
    from shapely.geometry import Point

    frame = gpd.GeoDataFrame({"id": ["a", "b", "c"], "name": ["北湖", "东桥", "无"], "kind": ["lake", "town", "site"]},
                             geometry=[Point(114.2, 29.9), Point(114.5, 29.9), None], crs=4326)
    assert list(apply(frame, Filters(leader="张三"))["id"]) == ["a", "b", "c"]  # no leaders column: no effect
    assert list(apply(frame, Filters(keyword="北"))["id"]) == ["a"]
    assert list(apply(frame, Filters(kind="town"))["id"]) == ["b"]
    assert list(apply(frame, Filters(bbox=(114.0, 29.0, 115.0, 30.0)))["id"]) == ["a", "b"]  # empty geometry out
    assert list(apply(frame, None)["id"]) == ["a", "b", "c"]
