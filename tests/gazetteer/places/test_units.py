"""The units a deployment gives its tasks to: a county's township-level units, a city's counties, and the towns of
a city without counties (东莞, 中山)."""

from __future__ import annotations

import pytest

from gazetteer.model import Kind, Place
from gazetteer.places.registry import Gazetteer

COUNTY = [Place("c", "某县", Kind.COUNTY), Place("c-t", "甲镇", Kind.TOWN, parents=("c",)),
          Place("c-f", "乙农场", Kind.FARM, parents=("c",)), Place("c-z", "丙开发区", Kind.ZONE, parents=("c",))]
CITY = [Place("m", "某市", Kind.CITY), *(Place(p.id, p.name, p.kind, parents=("m",) if p.id == "c" else p.parents)
                                          for p in COUNTY)]
FLAT_CITY = [Place("f", "某市", Kind.CITY), Place("f-t", "丁镇", Kind.TOWN, parents=("f",)),
             Place("f-s", "戊街道", Kind.SUBDISTRICT, parents=("f",))]


@pytest.mark.parametrize(("places", "home", "townships", "units"), [
    pytest.param(COUNTY, "c", ["甲镇", "乙农场"], ["甲镇", "乙农场", "丙开发区"], id="county"),
    pytest.param(CITY, "m", ["某县"], ["某县"], id="city-with-counties"),
    pytest.param(FLAT_CITY, "f", ["丁镇", "戊街道"], ["丁镇", "戊街道"], id="city-without-counties"),
])
def test_units_of_each_level(places, home, townships, units):
    gazetteer = Gazetteer(places, home=home)
    assert [p.name for p in gazetteer.townships()] == townships
    assert [p.name for p in gazetteer.units()] == units
    assert gazetteer.unit(units[0]).name == units[0] and gazetteer.unit(units[0] + "人民政府").name == units[0]
