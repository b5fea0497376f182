"""Counted lists of short unit names (gazetteer.geocoding.enumerations) and how geocoding reads them."""

from __future__ import annotations

import pytest

from gazetteer.geocoding.enumerations import find_enumerations
from gazetteer.geocoding.geocode import locate
from gazetteer.model import Document, Kind
from gazetteer.geocoding.recognize import Recognizer
from tests.gazetteer.small import small_gazetteer


@pytest.mark.parametrize(("text", "items", "kinds"), [
    ("辖永安、浮山、温泉3个街道。", ["永安", "浮山", "温泉"], {Kind.SUBDISTRICT}),
    ("北湖、东桥、西山等三个乡镇", ["北湖", "东桥", "西山"], {Kind.TOWN, Kind.TOWNSHIP}),
    ("全县下辖天城、石城2个镇", ["天城", "石城"], {Kind.TOWN}),
    ("龙潭、余佐、沿河3个村", ["龙潭", "余佐", "沿河"], {Kind.VILLAGE}),
    ("甲、乙、丙、丁、戊、己、庚、辛、壬、癸、子、丑十二个社区", [], set()),
], ids=["subdistricts", "towns-and-townships", "lead-word", "villages", "one-character-items"])
def test_items_of_counted_lists(text, items, kinds):
    found = list(find_enumerations(text))
    assert [i.text for i in found] == items
    assert all(text[i.start:i.end] == i.text and i.kinds == kinds for i in found)


@pytest.mark.parametrize("text", ["新建、改造3个村", "北湖、东桥4个镇", "北湖和东桥2个镇"],
                         ids=["count-does-not-match", "count-too-high", "not-a-list"])
def test_not_counted_lists(text):
    assert list(find_enumerations(text)) == []


def _geocode(text):
    gazetteer = small_gazetteer()
    return locate(text, Document("d", "d", text, "utf-8"), gazetteer, recognizer=Recognizer(gazetteer))


def test_listed_short_names_resolve_to_units_of_the_counted_kind():
    found = {r.mention.text: (r.status, r.place_id) for r in _geocode("甲安区辖北湖、东桥、南塘3个镇,西山1个街道。")}
    assert found["北湖"] == ("resolved", "c1-a")  # not the lake 北湖: the list counts towns
    assert found["东桥"] == ("resolved", "c1-b")
    assert found["南塘"] == ("unresolved", None)  # a town the gazetteer lacks is still reported


def test_unknown_items_of_a_list_of_unknowns_are_not_reported():
    assert [r.mention.text for r in _geocode("完成新建、改造、提升3个村") if r.status == "unresolved"] == []
