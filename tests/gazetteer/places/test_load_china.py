"""The rest of China in the gazetteer: which names of far and near units are looked for in text."""

from __future__ import annotations

import pytest

from gazetteer.model import Kind, Quality


@pytest.mark.parametrize(("written", "name", "kind"), [
    ("广东", "广东省", Kind.PROVINCE), ("广西", "广西壮族自治区", Kind.PROVINCE), ("佛山", "佛山市", Kind.CITY),
    ("长沙", "长沙市", Kind.CITY), ("修水", "修水县", Kind.COUNTY), ("汉川", "汉川市", Kind.COUNTY),
    ("武昌", "武昌区", Kind.COUNTY), ("恩施州", "恩施土家族苗族自治州", Kind.CITY),
], ids=lambda value: str(value))
def test_short_names_that_are_looked_for(gazetteer, written, name, kind):
    assert [(p.name, p.kind) for p in gazetteer.lookup(written)] == [(name, kind)]


@pytest.mark.parametrize("written", ["大庆", "公安", "江汉", "龙山", "樟树", "青山", "新建"],
                         ids=["a-celebration", "police", "a-plain", "many-mountains", "a-tree", "green-hills", "a-verb"])
def test_short_names_that_are_ordinary_words_are_not(gazetteer, written):
    assert all(p.kind not in (Kind.CITY, Kind.COUNTY) or p.id.startswith("4212") for p in gazetteer.lookup(written))


def test_far_two_character_counties_are_left_out(gazetteer):
    """范县 would be found inside 示范县, 和县 inside 城区和县城."""
    assert gazetteer.lookup("范县") == [] and gazetteer.lookup("和县") == []


def test_units_of_china_are_points_with_their_source(gazetteer):
    guangzhou = gazetteer["440100"]
    assert (guangzhou.name, guangzhou.parents, guangzhou.quality) == ("广州市", ("440000",), Quality.SEAT)
    assert guangzhou.geometry.geom_type == "Point" and "cpca" in guangzhou.source


def test_curated_notes_and_aliases_stay_on_the_national_entry(gazetteer):
    [yueyang] = gazetteer.lookup("岳阳", kind=Kind.CITY)
    assert yueyang.id == "430600" and "通城" in yueyang.note
