"""Issue 15's classes on sentences of the kind county news writes: short forms of the deployment's own units,
candidates placed in the unit the sentence names, counted lists led by a unit, units named after nature."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from gazetteer.geocoding.geocode import locate
from gazetteer.geocoding.recognize import Recognizer
from gazetteer.model import Document, Kind, Place, Quality, Status
from gazetteer.places.aliases import admin_aliases
from gazetteer.places.registry import Gazetteer
from gazetteer import serialize


@pytest.fixture(scope="module")
def county():
    unit = box(0, 0, 1, 1)
    places = [Place("c", "甲市", Kind.COUNTY, aliases=("甲",), geometry=unit, quality=Quality.OPEN_DATA),
              Place("t", "车埠镇", Kind.TOWN, parents=("c",), geometry=unit, quality=Quality.OPEN_DATA),
              Place("k", "慈口乡", Kind.TOWNSHIP, parents=("c",)),
              Place("w", "温泉街道", Kind.SUBDISTRICT, parents=("c",), aliases=("温泉办事处",)),
              Place("v", "鸡公山村", Kind.VILLAGE, parents=("t",), geometry=box(0, 0, .1, .1),
                    quality=Quality.OPEN_DATA),
              Place("b", "毕家村", Kind.VILLAGE, parents=("t",)), Place("m", "梅湖村", Kind.VILLAGE, parents=("t",))]
    gazetteer = Gazetteer(places, home="c")
    return gazetteer, Recognizer(gazetteer)


def _read(text, county):
    gazetteer, recognizer = county
    return locate(text, Document("d", "t", text, "utf-8"), gazetteer, recognizer=recognizer)


def _found(text, county):
    return [(r.mention.text, r.place_id if r.derived is None else str(r.derived.kind), str(r.status))
            for r in _read(text, county)]


@pytest.mark.parametrize(("text", "expected"), [
    ("在甲市车埠境内有车辆滞留", [("甲市", "c", "resolved"), ("车埠", "t", "resolved")]),  # county before, area word
    ("东临慈口,西接车埠", [("慈口", "k", "resolved"), ("车埠", "t", "resolved")]),  # neighbours
    ("儿时的温泉就是一个小镇。温泉城郊", [("温泉", "w", "resolved")]),  # only the one with a cue
    ("泡温泉是一大乐事", []),  # the hot spring: no cue
    ("温泉路的张荃", []),  # inside a longer name
])
def test_short_forms_of_the_deployment_units_need_a_cue(text, expected, county):
    assert [f for f in _found(text, county) if f[2] == "resolved" and f[1] in "ctkwvbm"] == expected


def test_false_alarms_of_short_forms_are_kept_out_of_product_lists(county):
    """温泉 and 桂花 in a list of products stay words even where the full names are written."""
    assert not [f for f in _found("温泉街道。做优桂花、温泉、楠竹", county) if f[0] == "温泉"]


def test_a_candidate_is_placed_in_the_unit_its_sentence_names(county):
    res = [r for r in _read("在车埠镇鸡公山村,境内有天井山、夜合山等景观。", county) if r.derived is not None]
    assert [(r.mention.text, str(r.derived.kind), r.derived.parents) for r in res] == \
        [("天井山", "mountain", ("v",)), ("夜合山", "mountain", ("v",))]
    mountain = res[0]
    assert mountain.derived.quality == Quality.ADMIN_FALLBACK and "position known only to 鸡公山村" in mountain.reason
    evidence = dict(mountain.evidence)
    assert evidence["kind cue"] == "ending 山" and evidence["context unit"].startswith("鸡公山村")


def test_a_candidate_without_a_unit_in_its_sentence_stays_unplaced(county):
    res = _read("车埠镇很美。远处有天井山。", county)
    assert [(r.mention.text, str(r.status)) for r in res if r.mention.text == "天井山"] == [("天井山", "unresolved")]


def test_a_river_named_after_a_unit_is_a_river_placed_at_it(county):
    res = [r for r in _read("穿城而过的车埠河是母亲河", county) if r.mention.text == "车埠河"]
    assert [(str(r.derived.kind), r.derived.parents) for r in res] == [("river", ("t",))]


def test_projects_and_zones_stay_candidates(county):
    assert {str(r.status) for r in _read("车埠镇实施研学示范区和道路改造工程", county)
            if r.mention.text.endswith(("示范区", "工程"))} <= {"unresolved"}


def test_a_counted_list_led_by_its_town_name(county):
    """甲市车埠镇毕家、梅湖两个村: the first item is 毕家, after the town's name, which stays a mention."""
    found = _found("甲市车埠镇毕家、梅湖两个村", county)
    assert ("车埠镇", "t", "resolved") in found and ("毕家", "b", "resolved") in found and ("梅湖", "m", "resolved") in found


def test_geocode_records_carry_the_evidence(county):
    gazetteer, _ = county
    res = next(r for r in _read("在甲市车埠境内有车辆滞留", county) if r.mention.text == "车埠")
    record = serialize.mention_record(res, gazetteer)
    assert record["evidence"] == {"short form": "area word after it: 境内"}


def test_a_unit_named_after_a_mountain_or_lake_leaves_it_its_short_name():
    assert "九宫山" not in admin_aliases("九宫山镇", Kind.TOWN)
    assert "黄盖湖" not in admin_aliases("黄盖湖镇", Kind.TOWN)
    assert "汀泗桥" in admin_aliases("汀泗桥镇", Kind.TOWN)
