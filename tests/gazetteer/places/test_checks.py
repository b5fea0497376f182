"""``check`` finds each kind of inconsistency and stays quiet on a clean gazetteer."""

from __future__ import annotations

from dataclasses import replace

import pytest
from shapely.geometry import Point

from gazetteer.places.checks import check
from gazetteer.model import Kind, Place, Quality
from gazetteer.places.registry import Gazetteer
from tests.gazetteer import small


def _codes(places) -> list[str]:
    return sorted(p.code for p in check(Gazetteer(places, home="c1")) if p.level == "error")


def test_clean_gazetteer_has_no_errors():
    assert _codes(small.PLACES) == []


@pytest.mark.parametrize(("extra", "code"), [
    (Place("x", "孤村", Kind.VILLAGE, parents=("nowhere",)), "missing-parent"),
    (replace(small.TOWN_B, id="c1-b2", aliases=()), "duplicate-name"),
    (Place("y", "北湖二号", Kind.LAKE, aliases=("东桥",)), "ambiguous-alias"),
    (Place("z", "远镇", Kind.TOWN, parents=("c1",), geometry=Point(120.0, 35.0), quality=Quality.SEAT),
     "seat-outside-county"),
    (Place("e", "远乡", Kind.TOWNSHIP, parents=("c1",), geometry=Point(113.8, 29.3), quality=Quality.SCHEMATIC),
     "position-outside-county"),
    (Place("s", "远遗址", Kind.SITE, parents=("c1-a",), geometry=Point(113.8, 29.3), quality=Quality.SCHEMATIC),
     "position-outside-county"),
], ids=["missing-parent", "duplicate-name-kind", "alias-two-entries", "seat-outside", "editor-seat-outside",
        "editor-point-outside-via-township"])
def test_each_inconsistency_is_an_error(extra, code):
    assert code in _codes([*small.PLACES, extra])


def test_villages_of_the_same_name_in_different_townships_are_fine():
    other = Place("c1-a-gaopu", "高铺村", Kind.VILLAGE, parents=("c1-a",))
    assert _codes([*small.PLACES, other]) == []


def test_a_point_inside_any_county_of_its_parents_is_fine():
    """A lake or bridge touching two counties may have its point in either."""
    bridge = Place("b", "界桥", Kind.BRIDGE, parents=("c1-a", "c2"), geometry=Point(113.8, 29.3),
                   quality=Quality.SCHEMATIC)
    assert _codes([*small.PLACES, bridge]) == []


def test_nested_names_are_listed_as_information():
    infos = [p.message for p in check(small.small_gazetteer()) if p.code == "nested-name"]
    assert "北湖 ⊂ 北湖镇、北湖农场" in infos


def test_nesting_lists_only_true_containment_and_aliases_count():
    road = replace(small.ROAD, aliases=(*small.ROAD.aliases, "G1甲安段"))
    project = Place("p", "G1甲安段改扩建工程", Kind.PROJECT, parents=("c1",))
    infos = [p.message for p in check(Gazetteer([*small.PLACES, road, project], home="c1"))
             if p.code == "nested-name"]
    assert "G1 ⊂ G1甲安段改扩建工程" not in infos  # G1甲安段 stands in between
    assert "G1甲安段 ⊂ G1甲安段改扩建工程" in infos
    assert not any("北湖镇 ⊂" in m for m in infos)  # 北湖镇 is not inside 北湖农场, nor its own alias
