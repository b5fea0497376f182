"""``check`` finds each kind of inconsistency and stays quiet on a clean gazetteer."""

from __future__ import annotations

from dataclasses import replace

import pytest
from shapely.geometry import Point

from gazetteer.checks import check
from gazetteer.model import Kind, Place, Quality
from gazetteer.registry import Gazetteer
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
], ids=["missing-parent", "duplicate-name-kind", "alias-two-entries", "seat-outside"])
def test_each_inconsistency_is_an_error(extra, code):
    assert code in _codes([*small.PLACES, extra])


def test_villages_of_the_same_name_in_different_townships_are_fine():
    other = Place("c1-a-gaopu", "高铺村", Kind.VILLAGE, parents=("c1-a",))
    assert _codes([*small.PLACES, other]) == []


def test_nested_names_are_listed_as_information():
    infos = [p.message for p in check(small.small_gazetteer()) if p.code == "nested-name"]
    assert any(m.startswith("北湖 ⊂ 北湖镇") for m in infos)
