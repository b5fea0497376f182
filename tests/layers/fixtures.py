"""A small hand-made district for the layer, export and OGC API tests (no recognition involved).

丙宁市 holds two counties; the home county 甲安区 has two towns (one a surveyed polygon with a hole, given
clockwise and with 9 decimals so that orientation and rounding are exercised), a subdistrict, a farm and a zone
without geometry. Three tasks and a narrative statement link to places by hand-made :class:`Link` objects; one task
links to nothing and one place has no geometry, so empty geometries reach every format. ``EXTRA_LAKES`` are
"unnamed OSM lakes" for the water layer.
"""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from gazetteer.corpus import DECOMPOSITION, NARRATIVE, Corpus, DocumentAnalysis
from gazetteer.linking.links import Link, LinkType, Rule
from gazetteer.model import (Document, Indicator, Kind, Mention, Place, Quality, Resolution, Responsibility, Span,
                             Statement, Task)
from gazetteer.places.registry import Gazetteer

XSS = '<script>alert(1)</script>"园'

CITY = Place("cc", "丙宁市", Kind.CITY, admin_code="429900",
             geometry=Polygon([(113.5, 29.0), (115.0, 29.0), (115.0, 30.5), (113.5, 30.5)]),
             quality=Quality.OPEN_DATA, source="测试")
COUNTY = Place("c1", "甲安区", Kind.COUNTY, parents=("cc",),  # clockwise on purpose
               geometry=Polygon([(114.0, 29.6), (114.0, 30.1), (114.8, 30.1), (114.8, 29.6)]),
               quality=Quality.OPEN_DATA, source="测试")
OTHER = Place("c2", "乙城县", Kind.COUNTY, parents=("cc",),
              geometry=Polygon([(113.7, 29.1), (114.0, 29.1), (114.0, 29.5), (113.7, 29.5)]),
              quality=Quality.OPEN_DATA, source="测试")
TOWN_A = Place("c1-a", "北湖镇", Kind.TOWN, aliases=("北湖镇人民政府",), parents=("c1",),
               geometry=Polygon([(114.050000001, 29.85), (114.05, 30.05), (114.28, 30.05), (114.281234567891, 29.85)],
                                [[(114.10, 29.90), (114.12, 29.90), (114.12, 29.92), (114.10, 29.92)]]),
               quality=Quality.SURVEYED, source="用户导入：乡镇界线.gpkg")
TOWN_B = Place("c1-b", "东桥镇", Kind.TOWN, aliases=("东桥",), parents=("c1",), geometry=Point(114.48, 29.92),
               quality=Quality.SEAT, source="GeoNames")
SUB = Place("c1-s", "西山街道", Kind.SUBDISTRICT, parents=("c1",), geometry=Point(114.31, 29.76),
            quality=Quality.SEAT, source="GeoNames")
FARM = Place("c1-f", "北湖农场", Kind.FARM, parents=("c1",), geometry=Point(114.20, 29.95),
             quality=Quality.SEAT, source="GeoNames")
ZONE = Place("c1-z", "甲安开发区", Kind.ZONE, parents=("c1",))
TOWN_ELSEWHERE = Place("c2-t", "南港镇", Kind.TOWN, parents=("c2",), geometry=Point(113.88, 29.30),
                       quality=Quality.SEAT, source="GeoNames")
LAKE = Place("lake-beihu", "北湖", Kind.LAKE, parents=("c1-a", "c1-f"),
             geometry=MultiPolygon([Polygon([(114.15, 29.92), (114.15, 29.97), (114.22, 29.97), (114.22, 29.92)]),
                                    Polygon([(114.23, 29.93), (114.25, 29.93), (114.25, 29.94)])]),
             quality=Quality.OPEN_DATA, source="OpenStreetMap")
RIVER = Place("river-qingxi", "清溪河", Kind.RIVER, parents=("c1-a", "c1-b"),
              geometry=LineString([(114.10, 29.88), (114.30, 29.90), (114.50, 29.94)]),
              quality=Quality.OPEN_DATA, source="OpenStreetMap")
ROAD = Place("road-g1", "G1国道", Kind.ROAD, aliases=("G1",), parents=("c1",),
             geometry=LineString([(114.16, 29.90), (114.31, 29.76), (114.48, 29.92)]),
             quality=Quality.SCHEMATIC, source="示意：沿途乡镇驻地")
PROJECT = Place("project-qingxi", "清溪河治理工程", Kind.PROJECT, parents=("c1-a", "c1-b"),
                geometry=RIVER.geometry, quality=Quality.DERIVED, source="推导：清溪河", derived_from=("river-qingxi",))
VILLAGE = Place("c1-b-gaopu", "高铺村", Kind.VILLAGE, parents=("c1-b",), geometry=Point(114.48, 29.92),
                quality=Quality.ADMIN_FALLBACK, source="兜底：东桥镇")
QUIET_VILLAGE = Place("c1-b-quiet", "未提村", Kind.VILLAGE, parents=("c1-b",))
SITE = Place("site-xss", XSS, Kind.SITE, parents=("c1-s",), geometry=Point(114.33, 29.74),
             quality=Quality.OPEN_DATA, source=XSS)
MOUNTAIN = Place("mountain-qing", "青山", Kind.MOUNTAIN, parents=("c1-s",))
PLACES = (CITY, COUNTY, OTHER, TOWN_A, TOWN_B, SUB, FARM, ZONE, TOWN_ELSEWHERE, LAKE, RIVER, ROAD, PROJECT, VILLAGE,
          QUIET_VILLAGE, SITE, MOUNTAIN)
UNITS = ("c1-a", "c1-b", "c1-s", "c1-f", "c1-z")

#: The segment of G1 a task names (G1国道东桥至西山段).
SEGMENT = LineString([(114.31, 29.76), (114.48, 29.92)])

TEXT = """甲安区2025年重点任务责任分解方案
1.推进北湖生态修复，新增耕地不低于4000亩。（责任领导：张三；牵头单位：区自然资源和规划局；责任单位：北湖镇、北湖农场）
2.改造G1国道东桥至西山段，建设高铺村示范点12个，实施清溪河治理工程。（责任领导：王五；牵头单位：区交通运输局；责任单位：各乡镇办场）
3.推动企业上市，地区生产总值增长7%以上。（责任领导：李四；牵头单位：区发改局；责任单位：区发改局）
4.办好""" + XSS + """和青山。（责任领导：张三；牵头单位：区文旅局；责任单位：西山街道）
"""
NEWS = "北湖水质达到三类，治理面积约30平方公里。"


def span(text: str, needle: str, doc_id: str = "doc1", start: int = 0) -> Span:
    at = text.index(needle, start)
    return Span(doc_id, at, at + len(needle))


def _task(number: str, responsibility: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]],
          section: tuple[str, ...]) -> Task:
    line_start = TEXT.index(f"\n{number}.") + 1
    line_end = TEXT.index("\n", line_start)
    bracket = TEXT.index("（责任领导", line_start)
    leaders, leads, units = responsibility
    return Task(f"doc1.t{number}", "doc1", "task", number, section, TEXT[line_start + 2:bracket],
                Responsibility(leaders, leads, units, Span("doc1", bracket, line_end)),
                Span("doc1", line_start, line_end))


ECOLOGY = ("实施生态修复行动", "治理湖泊河流")
TOWNS = ("实施城乡融合行动", "建设美丽乡村")
GROWTH = ("实施发展提速行动",)
TASKS = (
    _task("1", (("张三",), ("区自然资源和规划局",), ("北湖镇", "北湖农场")), ECOLOGY),
    _task("2", (("王五",), ("区交通运输局",), ("各乡镇办场",)), TOWNS),
    _task("3", (("李四",), ("区发改局",), ("区发改局",)), GROWTH),
    _task("4", (("张三",), ("区文旅局",), ("西山街道",)), TOWNS),
)


def _mention(owner: str, place: Place, needle: str, *, geometry=None, text: str = TEXT,
             doc_id: str = "doc1") -> tuple[Resolution, list[Link]]:
    where = span(text, needle, doc_id)
    resolution = Resolution(Mention(needle, where, (place.id,)), place.id, "exact", geometry=geometry)
    links = [Link(owner, place.id, LinkType.MENTIONED, Rule.MENTION, f"提及 {needle}", where)]
    for unit in place.parents:
        if unit in UNITS:
            links.append(Link(owner, unit, LinkType.CONTAINED, Rule.INSIDE, f"提及 {place.name}（位于 {unit}）", where))
    return resolution, links


def _responsible(task: Task, unit: str, rule: Rule, detail: str) -> Link:
    return Link(task.id, unit, LinkType.RESPONSIBLE, rule, detail, task.responsibility.span)


def fixture_gazetteer() -> Gazetteer:
    return Gazetteer(PLACES, home="c1")


def fixture_corpus() -> Corpus:
    """Two documents, four tasks (one linked to nothing), a statement, three indicators."""
    gazetteer = fixture_gazetteer()
    t1, t2, t3, t4 = TASKS
    resolutions, links = [], []
    for owner, place, needle, geometry in ((t1.id, LAKE, "北湖", None), (t2.id, ROAD, "G1国道东桥至西山段", SEGMENT),
                                           (t2.id, VILLAGE, "高铺村", None), (t2.id, PROJECT, "清溪河治理工程", None),
                                           (t4.id, SITE, XSS, None), (t4.id, MOUNTAIN, "青山", None)):
        resolution, found = _mention(owner, place, needle, geometry=geometry)
        resolutions.append(resolution)
        links += found
    links += [_responsible(t1, "c1-a", Rule.NAMED_UNIT, "责任单位：北湖镇"),
              _responsible(t1, "c1-f", Rule.NAMED_UNIT, "责任单位：北湖农场")]
    links += [_responsible(t2, unit, Rule.ALL, "责任单位：各乡镇办场") for unit in ("c1-a", "c1-b", "c1-s", "c1-f")]
    links += [_responsible(t4, "c1-s", Rule.NAMED_UNIT, "责任单位：西山街道")]
    indicators = (
        Indicator("新增耕地", "≥", "4000", "亩", 4000.0, "亩", "amount", span(TEXT, "不低于4000亩"), owner=t1.id),
        Indicator("地区生产总值", "≥", "7", "%", 7.0, "%", "growth", span(TEXT, "7%以上"), owner=t3.id),
    )
    document = Document("doc1", "甲安区2025年重点任务责任分解方案", TEXT, "utf-8")
    plan = DocumentAnalysis(document, DECOMPOSITION, TASKS, (), indicators, tuple(resolutions), tuple(links))
    news = Document("doc2", "北湖治理成效", NEWS, "gbk")
    statement = Statement("doc2.s1", "doc2", NEWS, Span("doc2", 0, len(NEWS)))
    resolution, news_links = _mention(statement.id, LAKE, "北湖", text=NEWS, doc_id="doc2")
    news_indicator = Indicator("治理面积", "~", "30", "平方公里", 30.0, "km²", "amount",
                               span(NEWS, "约30平方公里", "doc2"), owner=statement.id)
    report = DocumentAnalysis(news, NARRATIVE, (), (statement,), (news_indicator,), (resolution,), tuple(news_links))
    return Corpus(gazetteer, [plan, report])


def extra_lakes(count: int = 25) -> gpd.GeoDataFrame:
    """Unnamed lakes (one named, one duplicating the gazetteer's 北湖, which must not appear twice)."""
    shapes = [Polygon([(114.0 + i * 0.02, 29.62), (114.01 + i * 0.02, 29.62), (114.01 + i * 0.02, 29.63)])
              for i in range(count)]
    return gpd.GeoDataFrame({"id": [f"lake-unnamed-{i}" for i in range(count)] + ["lake-dup"],
                             "name": [""] * (count - 1) + ["小湖", "北湖"],
                             "quality": ["open-data"] * (count + 1), "source": ["OpenStreetMap"] * (count + 1)},
                            geometry=[*shapes, LAKE.geometry], crs="EPSG:4326")


def fixture_catalogue():
    from layers.catalogue import Catalogue

    return Catalogue(fixture_corpus(), lakes=extra_lakes())
