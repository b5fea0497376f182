"""Names built on known places: derived places, organisations, products and slogans (gazetteer.geocoding.compounds)."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, Polygon

from gazetteer.geocoding.compounds import derived_place, find_compounds
from gazetteer.corpus import build_corpus
from gazetteer.model import Document, Kind, Place, Quality
from tests.gazetteer.small import small_gazetteer

T, L, R, C, S = Kind.TOWN, Kind.LAKE, Kind.ROAD, Kind.COUNTY, Kind.SITE


@pytest.mark.parametrize(("text", "bases", "expected"), [
    ("建设东桥长江大桥", [(2, 4, T)], [("东桥长江大桥", "bridge", "")]),
    ("东桥站就在园区旁", [(0, 2, T)], [("东桥站", "site", "")]),
    ("北湖湿地公园开园", [(0, 2, L)], [("北湖湿地公园", "park", "")]),
    ("北湖文体公园项目", [(0, 2, L)], [("北湖文体公园", "park", "")]),
    ("G1国道改线工程,", [(0, 4, R)], [("G1国道改线工程", "project", "")]),
    ("清溪河城区段河道治理工程现场", [(0, 3, Kind.RIVER)], [("清溪河城区段河道治理工程", "project", "")]),
    ("甲安网讯 记者", [(0, 2, C)], [("甲安网讯", "", "media")]),
    ("甲安日报报道", [(0, 2, C)], [("甲安日报", "", "media")]),
    ("乙省甲安东桥汤业食品有限公司", [(0, 2, Kind.PROVINCE), (2, 4, C), (4, 6, T)],
     [("乙省甲安东桥汤业食品有限公司", "", "organisation")]),
    ("东桥鸡汤飘香", [(0, 2, T)], [("东桥鸡汤", "", "product")]),
    ("平安甲安建设", [(2, 4, C)], [("平安甲安", "", "slogan")]),
    ("西山山脉北麓", [(0, 3, Kind.MOUNTAIN)], [("西山山脉", "mountain", "")]),
    ("东桥长江大桥及接线", [(0, 2, T), (2, 4, Kind.RIVER)], [("东桥长江大桥", "bridge", "")]),
    ("甲安(乙城)离岸科创园等", [(0, 2, C), (3, 5, Kind.CITY)], [("甲安(乙城)离岸科创园", "zone", "")]),
    ("“东桥”“东桥镇”商标回归", [(1, 3, T), (5, 8, T)], [("“东桥”“东桥镇”商标", "", "product")]),
    ("甲安生物医药产业园", [(0, 2, C)], [("甲安生物医药产业园", "zone", "")]),
    ("北湖农庄", [(0, 2, L)], [("北湖农庄", "site", "")]),
], ids=["bridge", "station", "park", "facility-then-xiangmu", "road-project", "river-project", "website",
        "newspaper", "company-of-several-places", "product", "slogan", "range", "river-inside-the-ending",
        "bracketed-place", "trademark", "industry-words-describe", "manor"])
def test_compounds(text, bases, expected):
    found = find_compounds(text, bases)
    assert [(c.text, str(c.kind or ""), c.nonplace) for c in found] == expected
    assert all(text[c.start:c.end] == c.text for c in found)


@pytest.mark.parametrize(("text", "bases"), [
    ("北湖建设公园", [(0, 2, L)]),
    ("甲安县持续深化公立医院改革", [(0, 3, C)]),
    ("市第一医院创建三级综合医院", [(0, 5, S)]),
    ("区文体中心二期项目", [(0, 5, S)]),
    ("乙省疫后油茶产业论坛", [(0, 2, Kind.PROVINCE)]),
    ("清溪河网格化管理", [(0, 3, Kind.RIVER)]),
    ("北湖、东桥", [(0, 2, L), (3, 5, T)]),
], ids=["clause-verb", "clause-before-organisation", "facility-opens-no-organisation", "facility-opens-no-project",
        "words-between-place-and-product", "net-not-website", "punctuation"])
def test_no_compound(text, bases):
    assert find_compounds(text, bases) == []


def test_a_proper_name_between_place_and_ending_makes_a_place_of_its_own():
    """高桥镇澄水洞景区: the zone is named 澄水洞景区 and lies in 高桥镇, which stays a mention."""
    [compound] = find_compounds("东桥镇澄水洞景区开放", [(0, 3, T)])
    assert (compound.text, compound.name, compound.name_start, str(compound.kind)) == \
        ("东桥镇澄水洞景区", "澄水洞景区", 3, "zone")


def test_the_nearest_place_opens_a_compound():
    bases = [(0, 2, Kind.PROVINCE), (2, 4, C), (4, 7, Kind.RIVER)]
    assert [(c.text, c.name) for c in find_compounds("乙省甲安清溪河湿地公园", bases)] == \
        [("清溪河湿地公园", "清溪河湿地公园")]


@pytest.mark.parametrize("text", ["东桥镇街面两旁", "东桥站在路旁"], ids=["jiemian", "zhanzai"])
def test_one_character_endings_that_open_a_word(text):
    assert find_compounds(text, [(0, 2 if text.startswith("东桥站") else 3, T)]) == []


def test_a_known_name_keeps_its_ending():
    """武咸快速通道天子山大桥: the bridge is a name of its own, not a bridge named after the road."""
    assert find_compounds("甲安快速通道天子山大桥", [(0, 6, R), (6, 11, Kind.BRIDGE)]) == []


def test_derived_place_is_located_by_its_base_and_says_so():
    town = Place("t", "东桥镇", Kind.TOWN, parents=("c",), geometry=Point(114.5, 29.9), quality=Quality.SEAT)
    [compound] = find_compounds("东桥镇火车站", [(0, 3, T)])
    place = derived_place(compound, town)
    assert (place.name, place.kind, place.parents, place.quality) == ("东桥镇火车站", Kind.SITE, ("t",), Quality.DERIVED)
    assert place.geometry.equals(town.geometry)
    assert "东桥镇" in place.source and place.id == derived_place(compound, town).id


def test_a_place_named_after_a_county_is_only_placed_in_the_county():
    county = Place("c", "甲安区", Kind.COUNTY, geometry=Polygon([(0, 0), (1, 0), (1, 1)]), quality=Quality.OPEN_DATA)
    [compound] = find_compounds("甲安区中心广场", [(0, 3, C)])
    assert derived_place(compound, county).quality == Quality.ADMIN_FALLBACK


def test_a_place_named_after_a_stand_in_is_a_stand_in_too():
    village = Place("v", "高铺村", Kind.VILLAGE, parents=("t",), geometry=Point(114.5, 29.9),
                    quality=Quality.ADMIN_FALLBACK)
    [compound] = find_compounds("高铺村广场", [(0, 3, Kind.VILLAGE)])
    assert derived_place(compound, village).quality == Quality.ADMIN_FALLBACK


def test_corpus_knows_the_places_its_texts_derive():
    gazetteer = small_gazetteer()
    text = "建设北湖湿地公园和东桥站。甲安日报报道。"
    corpus = build_corpus(gazetteer, [Document("d", "d", text, "utf-8")])
    derived = {r.mention.text: r for r in corpus.resolutions if r.derived is not None}
    assert set(derived) == {"北湖湿地公园", "东桥站"}
    park = corpus.gazetteer[derived["北湖湿地公园"].place_id]
    assert (park.kind, park.quality, park.parents) == (Kind.PARK, Quality.DERIVED, gazetteer["lake-beihu"].parents)
    assert derived["北湖湿地公园"].alternatives == ("lake-beihu",)
    assert [r.mention.text for r in corpus.resolutions if r.status == "nonplace"] == ["甲安日报"]
    assert "北湖湿地公园" not in [p.name for p in gazetteer]


def test_a_place_inside_a_township_keeps_the_township_mention():
    gazetteer = small_gazetteer()
    corpus = build_corpus(gazetteer, [Document("d", "d", "东桥镇澄水洞景区开放", "utf-8")])
    found = [(r.mention.text, r.place_id == "c1-b", r.derived is not None) for r in corpus.resolutions]
    assert found == [("东桥镇", True, False), ("澄水洞景区", False, True)]
    zone = corpus.gazetteer[corpus.resolutions[1].place_id]
    assert (zone.kind, zone.parents, zone.quality) == (Kind.ZONE, ("c1-b",), Quality.DERIVED)


def test_a_route_named_by_its_two_ends_is_a_schematic_line_between_them():
    gazetteer = small_gazetteer()
    corpus = build_corpus(gazetteer, [Document("d", "d", "加快东桥至北湖镇高速公路建设", "utf-8")])
    [route] = [r for r in corpus.resolutions if r.status == "resolved"]
    assert route.mention.text == "东桥至北湖镇高速公路"
    road = corpus.gazetteer[route.place_id]
    assert (road.kind, road.quality, road.parents) == (Kind.ROAD, Quality.SCHEMATIC, ("c1-b", "c1-a"))
    assert list(road.geometry.coords) == [(114.48, 29.92), (114.16, 29.90)]


@pytest.mark.parametrize("text", ["东桥至北湖镇", "东桥至北湖镇的公路"], ids=["no-road-ending", "words-between"])
def test_two_places_linked_without_a_road_ending_stay_two(text):
    corpus = build_corpus(small_gazetteer(), [Document("d", "d", text, "utf-8")])
    assert [r.mention.text for r in corpus.resolutions if r.status == "resolved"] == ["东桥", "北湖镇"]
