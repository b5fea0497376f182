"""Which gazetteer entry an imported feature upgrades (gazetteer.places.upgrade.match_place)."""

from __future__ import annotations

from shapely.geometry import Point, Polygon

from gazetteer.model import Kind, Place, Quality
from gazetteer.places.registry import Gazetteer
from gazetteer.places.upgrade import KIND_GROUPS, match_place
from geodata.importers import KINDS

HOME = Place("c", "甲安区", Kind.COUNTY, geometry=Polygon([(114, 29), (115, 29), (115, 30), (114, 30)]),
             quality=Quality.OPEN_DATA)
EAST = Place("e", "东镇", Kind.TOWN, parents=("c",), geometry=Point(114.8, 29.5), quality=Quality.SEAT)
WEST = Place("w", "西镇", Kind.TOWN, parents=("c",), geometry=Point(114.2, 29.5), quality=Quality.SEAT)
EAST_VILLAGE = Place("e-x", "新屋村", Kind.VILLAGE, parents=("e",))
WEST_VILLAGE = Place("w-x", "新屋村", Kind.VILLAGE, parents=("w",))
ELSEWHERE = Place("o-x", "独村", Kind.VILLAGE, parents=("o",))
GAZETTEER = Gazetteer([HOME, EAST, WEST, EAST_VILLAGE, WEST_VILLAGE, ELSEWHERE], home="c")
VILLAGES = frozenset({Kind.VILLAGE})


def test_a_unique_name_is_matched():
    assert match_place(" 独村 ", GAZETTEER, VILLAGES) is ELSEWHERE


def test_a_shared_name_is_matched_by_where_the_feature_lies():
    near_east = Polygon([(114.78, 29.48), (114.82, 29.48), (114.82, 29.52), (114.78, 29.52)])
    assert match_place("新屋村", GAZETTEER, VILLAGES, near_east) is EAST_VILLAGE
    assert match_place("新屋村", GAZETTEER, VILLAGES, Point(114.21, 29.5)) is WEST_VILLAGE


def test_a_shared_name_far_from_both_or_without_geometry_is_not_guessed():
    assert match_place("新屋村", GAZETTEER, VILLAGES, Point(114.5, 29.9)) is None
    assert match_place("新屋村", GAZETTEER, VILLAGES) is None


def test_kinds_limit_the_match():
    assert match_place("东镇", GAZETTEER, VILLAGES) is None


def test_every_importer_kind_says_which_entries_it_upgrades():
    assert tuple(KIND_GROUPS) == KINDS
