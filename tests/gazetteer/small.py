"""A small hand-made gazetteer shared by unit tests: one county, a few townships, a lake, a road and a village."""

from __future__ import annotations

from shapely.geometry import LineString, Point, Polygon

from gazetteer.model import Kind, Place, Quality
from gazetteer.places.registry import Gazetteer, NonPlace

COUNTY = Place("c1", "甲安区", Kind.COUNTY, aliases=("甲安",),
               geometry=Polygon([(114.0, 29.6), (114.8, 29.6), (114.8, 30.1), (114.0, 30.1)]),
               quality=Quality.OPEN_DATA, source="test")
OTHER = Place("c2", "乙城县", Kind.COUNTY, geometry=Polygon([(113.7, 29.1), (114.0, 29.1), (114.0, 29.5), (113.7, 29.5)]),
              quality=Quality.OPEN_DATA, source="test")
TOWN_A = Place("c1-a", "北湖镇", Kind.TOWN, aliases=("北湖镇人民政府",), parents=("c1",),
               geometry=Point(114.16, 29.90), quality=Quality.SEAT, source="test")
TOWN_B = Place("c1-b", "东桥镇", Kind.TOWN, aliases=("东桥",), parents=("c1",), geometry=Point(114.48, 29.92),
               quality=Quality.SEAT, source="test")
SUB = Place("c1-s", "西山街道", Kind.SUBDISTRICT, aliases=("西山街道办事处",), parents=("c1",),
            geometry=Point(114.31, 29.86), quality=Quality.SCHEMATIC, source="test")
FARM = Place("c1-f", "北湖农场", Kind.FARM, parents=("c1",), geometry=Point(114.20, 29.95),
             quality=Quality.SCHEMATIC, source="test")
ZONE = Place("c1-z", "甲安开发区", Kind.ZONE, parents=("c1",))
LAKE = Place("lake-beihu", "北湖", Kind.LAKE, parents=("c1-a", "c1-f"),
             geometry=Polygon([(114.15, 29.92), (114.22, 29.92), (114.22, 29.97), (114.15, 29.97)]),
             quality=Quality.OPEN_DATA, source="test")
ROAD = Place("road-g1", "G1国道", Kind.ROAD, aliases=("G1", "1国道"), parents=("c1",),
             geometry=LineString([(114.16, 29.90), (114.31, 29.86), (114.48, 29.92)]),
             quality=Quality.SCHEMATIC, source="test")
VILLAGE_A = Place("c1-b-gaopu", "高铺村", Kind.VILLAGE, parents=("c1-b",))
VILLAGE_ELSEWHERE = Place("c2-x-gaopu", "高铺村", Kind.VILLAGE, parents=("c2",))
TOWN_ELSEWHERE = Place("c2-t", "南港镇", Kind.TOWN, parents=("c2",), geometry=Point(113.88, 29.30),
                       quality=Quality.SEAT, source="test")

PLACES = (COUNTY, OTHER, TOWN_A, TOWN_B, SUB, FARM, ZONE, LAKE, ROAD, VILLAGE_A, VILLAGE_ELSEWHERE, TOWN_ELSEWHERE)
NONPLACES = (NonPlace("北湖莲子", "brand", "c1-a"), NonPlace("北湖文化", "concept"))


def small_gazetteer() -> Gazetteer:
    return Gazetteer(PLACES, nonplaces=NONPLACES, home="c1")
