"""Layers as tables a reader opens in Excel or WPS: Chinese column headers, codes written out in Chinese, lists
joined with 、, the geometry as the 经度/纬度 of a point on it (the full geometry only in GeoJSON and GeoPackage),
and no cell over Excel's limit of 32,767 characters.

>>> import geopandas as gpd
>>> from shapely.geometry import Point
>>> frame = gpd.GeoDataFrame({"id": ["a"], "name": ["向阳湖"], "kind": ["lake"], "quality": ["seat"]},
...                          geometry=[Point(114.1234567, 29.9)], crs=4326)
>>> table(frame).to_dict("records")
[{'编号': 'a', '名称': '向阳湖', '类别': '湖泊', '几何质量': '驻地点', '经度': 114.1234567, '纬度': 29.9}]
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

#: Excel's largest cell (characters); a longer text is cut with a note.
EXCEL_CELL_LIMIT = 32_767
_CUT_NOTE = "…（已截断，全文见 GeoJSON）"
#: Decimal places of 经度/纬度 (about 1 cm).
PRECISION = 7
LON_HEADER, LAT_HEADER = "经度", "纬度"

#: The Chinese header of every column the layers carry (columns not listed keep their name).
HEADERS: dict[str, str] = {
    "id": "编号", "name": "名称", "kind": "类别", "aliases": "别名", "parent_id": "上级编号", "parent": "上级",
    "townships": "所在或责任乡镇", "township_ids": "乡镇编号", "admin_code": "行政区划代码", "mention_count": "提及次数",
    "task_count": "任务数", "task_ids": "任务编号", "quality": "几何质量", "source": "数据来源", "note": "备注",
    "responsible_count": "责任任务数", "mentioned_count": "辖区内点名任务数", "specific_count": "点名任务数",
    "task_id": "任务编号", "number": "序号", "task_kind": "类型", "section": "行动与小标题", "action": "行动",
    "text": "任务内容", "leaders": "责任领导", "lead_units": "牵头单位", "units": "责任单位",
    "link_type": "关联类型", "rule": "关联理由", "detail": "说明", "place_id": "地点编号", "place_name": "地点",
    "place_kind": "地点类别", "task_township_ids": "任务乡镇编号", "doc_id": "文件", "start": "起始位置",
    "end": "结束位置", "task_start": "任务起始位置", "task_end": "任务结束位置", "township_count": "乡镇数",
    "specific_townships": "点名乡镇", "places": "文中地点", "place_ids": "地点编号", "place_kinds": "地点类别",
    "place_count": "地点数", "indicators": "指标", "indicator_count": "指标数", "deadline": "完成时限",
    "metric": "指标名（原文）", "shown_metric": "指标", "comparator": "比较", "value_text": "数值（原文）",
    "unit_text": "单位（原文）", "written": "数值与单位", "value": "归一数值", "unit": "归一单位", "verb": "动作",
    "phrase": "原文", "owner": "所属任务或语句", "owner_type": "所属类型", "located_by": "定位依据",
    "year": "年度", "key": "任务键", "light": "督办灯", "light_reason": "灯色理由", "light_quarter": "督办季度",
    "position_unit_id": "只知所在行政区编号", "position_unit": "只知所在行政区",
}
#: Columns that only serve filtering (unit keys); a table leaves them out.
HIDDEN: frozenset[str] = frozenset({"lead_unit_keys", "unit_keys"})

KIND_TEXT: dict[str, str] = {
    "province": "省", "city": "市", "county": "区县", "town": "镇", "township": "乡", "subdistrict": "街道",
    "farm": "农场", "zone": "园区", "village": "村", "community": "社区", "lake": "湖泊", "river": "河流",
    "reservoir": "水库", "road": "道路", "bridge": "桥梁", "street": "街路", "park": "公园", "site": "地点",
    "project": "项目", "mountain": "山",
}
QUALITY_TEXT: dict[str, str] = {
    "surveyed": "实测", "open-data": "开放数据", "seat": "驻地点", "schematic": "示意", "derived": "推导位置",
    "admin-fallback": "行政区兜底", "missing": "无几何",
}
#: Codes written out, per column (a list cell has each item written out).
CODES: dict[str, Mapping[str, str]] = {
    "kind": {**KIND_TEXT, "target": "经济目标", "task": "任务", "amount": "数量", "count": "个数", "share": "比例",
             "growth": "增速"},
    "place_kind": KIND_TEXT, "place_kinds": KIND_TEXT, "quality": QUALITY_TEXT,
    "task_kind": {"target": "经济目标", "task": "任务"},
    "link_type": {"mentioned": "文中提及", "responsible": "责任乡镇", "contained": "辖区内地点"},
    "rule": {"mention": "文中点名", "named-unit": "责任单位点名", "all": "统称（全部乡镇）",
             "all-but-farm": "统称（乡镇办，不含农场）", "related-located": "相关乡镇·文中定位",
             "related-unspecified": "相关乡镇（未指明）", "inside": "辖区内地点"},
    "owner_type": {"task": "任务", "statement": "语句"},
    "light": {"red": "红", "yellow": "黄", "green": "绿"},
}


def table(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """The frame (EPSG:4326) as a table: Chinese headers and codes, 经度/纬度 of a point on each geometry (on its
    first part; a task's is the point of its first locating place), long cells cut to Excel's limit."""
    columns = [c for c in frame.columns if c != frame.geometry.name and c not in HIDDEN]
    out = pd.DataFrame({HEADERS.get(c, c): [_cell(c, v) for v in frame[c]] for c in columns})
    points = [point_on(shape) for shape in frame.geometry.array]
    out[LON_HEADER] = [None if p is None else round(p.x, PRECISION) for p in points]
    out[LAT_HEADER] = [None if p is None else round(p.y, PRECISION) for p in points]
    return out


def point_on(shape: BaseGeometry | None) -> BaseGeometry | None:
    """A point on the geometry's first part (the point itself for a point), or ``None``.

    >>> from shapely.geometry import GeometryCollection, Point, LineString
    >>> point_on(GeometryCollection([Point(1, 2), LineString([(5, 5), (6, 6)])])).wkt
    'POINT (1 2)'
    """
    if shape is None or shape.is_empty:
        return None
    while hasattr(shape, "geoms") and len(shape.geoms):
        shape = shape.geoms[0]
    return shape if shape.geom_type == "Point" else shape.representative_point()


def _cell(column: str, value: object) -> object:
    codes = CODES.get(column)
    if codes is not None and isinstance(value, str):
        value = "、".join(codes.get(item, item) for item in value.split("、")) if value else value
    if isinstance(value, str) and len(value) > EXCEL_CELL_LIMIT:
        value = value[: EXCEL_CELL_LIMIT - len(_CUT_NOTE)] + _CUT_NOTE
    return value
