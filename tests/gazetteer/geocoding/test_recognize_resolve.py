"""Recognition (leftmost-longest, non-places, candidates) and resolution (context, canonical, home, segments)."""

from __future__ import annotations

import pytest

from gazetteer.geocoding.geocode import locate
from gazetteer.model import Document, Kind, Place
from gazetteer.geocoding.recognize import Recognizer
from gazetteer.places.registry import Gazetteer, NonPlace
from tests.gazetteer.small import small_gazetteer


@pytest.fixture(scope="module")
def small():
    return small_gazetteer()


@pytest.fixture(scope="module")
def recognizer(small):
    return Recognizer(small)


def _locate(text, small, recognizer):
    return locate(text, Document("d", "t", text, "utf-8"), small, recognizer=recognizer)


@pytest.mark.parametrize(("text", "expected"), [
    ("加快北湖镇建设", ["北湖镇"]),
    ("北湖农场和北湖", ["北湖农场", "北湖"]),
    ("擦亮北湖莲子品牌", ["北湖莲子"]),
    ("东桥镇高铺村", ["东桥镇", "高铺村"]),
    ("北湖镇人民政府", ["北湖镇人民政府"]),
], ids=["suffix-wins", "two-names", "nonplace-consumes", "adjacent", "long-alias"])
def test_longest_match_wins(text, expected, recognizer):
    assert [m.text for m in recognizer.find(text, doc_id="d")] == expected


def test_spans_are_document_offsets(recognizer):
    found = recognizer.find("……北湖", doc_id="d", offset=100)
    assert (found[0].span.start, found[0].span.end) == (102, 104)


def test_nonplace_is_reported_not_resolved(small, recognizer):
    [res] = _locate("擦亮北湖莲子品牌", small, recognizer)
    assert (res.status, res.place_id, res.reason) == ("nonplace", None, "nonplace: brand")


def test_village_resolved_by_its_township_named_before(small, recognizer):
    resolutions = _locate("东桥镇高铺村发动群众", small, recognizer)
    village = [r for r in resolutions if r.mention.text == "高铺村"][0]
    assert village.place_id == "c1-b-gaopu"
    assert "c2-x-gaopu" in village.alternatives
    assert "named just before" in village.reason


def test_village_without_context_prefers_home_county(small, recognizer):
    [res] = _locate("来到高铺村", small, recognizer)
    assert res.place_id == "c1-b-gaopu"
    assert "home county" in res.reason


def test_alternatives_include_longer_names(small, recognizer):
    [res] = [r for r in _locate("保护北湖水质", small, recognizer) if r.status == "resolved"]
    assert res.place_id == "lake-beihu"
    assert {"c1-a", "c1-f"} <= set(res.alternatives)


def test_segment_phrase_gives_part_of_the_road(small, recognizer):
    [res] = [r for r in _locate("推动G1国道北湖至东桥段改扩建", small, recognizer) if r.status == "resolved"][:1]
    assert res.place_id == "road-g1"
    assert res.geometry is not None
    assert res.geometry.length == pytest.approx(small["road-g1"].geometry.length, rel=1e-6)
    found = _locate("G1国道西山至东桥段", small, recognizer)
    [part] = [r for r in found if r.place_id == "road-g1"]
    assert part.geometry.length < small["road-g1"].geometry.length * 0.6
    # The ends are places of their own, so the phrase is not part of the road's mention (东桥 is one by itself).
    assert [r.mention.text for r in found] == ["G1国道", "东桥"]


def test_an_unknown_segment_still_belongs_to_the_mention(small, recognizer):
    [res] = [r for r in _locate("G1国道西延段建成通车", small, recognizer) if r.status == "resolved"]
    assert (res.place_id, res.mention.text, res.geometry) == ("road-g1", "G1国道西延段", None)
    assert "西延段" in res.reason


@pytest.mark.parametrize("written", ["G1", "1国道", "国道1", "国道 1", "G1国道"])
def test_any_written_route_number_finds_the_road(written, small, recognizer):
    [res] = [r for r in _locate(f"改造{written}路面", small, recognizer) if r.status == "resolved"]
    assert (res.place_id, res.mention.text) == ("road-g1", written)


def test_route_numbers_must_stand_alone(small, recognizer):
    assert [r.place_id for r in _locate("经G12至东桥", small, recognizer) if r.status == "resolved"] == ["c1-b"]


def test_candidates_never_overlap_recognised_names(small, recognizer):
    resolutions = _locate("北湖镇和凌上产业园", small, recognizer)
    assert [(r.mention.text, r.status) for r in resolutions] == [("北湖镇", "resolved"), ("凌上产业园", "unresolved")]


def test_a_nonplace_word_gives_way_to_a_place_running_past_it():
    """咸宁桂花 is a brand, but in 咸宁桂花镇 the town's name runs past it: 咸宁 + 桂花镇."""
    gazetteer = Gazetteer([Place("c", "咸宁市", Kind.CITY, aliases=("咸宁",)), Place("t", "桂花镇", Kind.TOWN)],
                          nonplaces=[NonPlace("咸宁桂花", "brand")])
    recognizer = Recognizer(gazetteer)
    assert [(m.text, m.candidates) for m in recognizer.find("咸宁桂花镇境内", doc_id="d")] == \
        [("咸宁", ("c",)), ("桂花镇", ("t",))]
    assert [m.text for m in recognizer.find("咸宁桂花飘香", doc_id="d")] == ["咸宁桂花"]
