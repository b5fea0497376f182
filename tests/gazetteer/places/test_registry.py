"""Gazetteer.with_places: an overlay over the base that answers exactly as a gazetteer rebuilt from every place."""

from __future__ import annotations

from gazetteer.model import Kind, Place
from gazetteer.places.registry import Gazetteer
from tests.gazetteer.small import NONPLACES, PLACES, small_gazetteer

STATION = Place("derived-station", "东桥站", Kind.SITE, parents=("c1-b",))
PIER = Place("derived-pier", "北湖码头", Kind.SITE, aliases=("北湖",), parents=("c1-a",))
HAMLET = Place("derived-hamlet", "新屋湾", Kind.VILLAGE, parents=("derived-station",))


def _answers(gazetteer: Gazetteer) -> dict:
    """Every question the gazetteer answers, for every place and name it has."""
    ids = [p.id for p in gazetteer]
    names = gazetteer.names()
    return {
        "ids": ids, "len": len(gazetteer), "names": list(names.items()),
        "lookup": {n: [p.id for p in gazetteer.lookup(n)] for n in names},
        "ids_named": {n: gazetteer.ids_named(n) for n in names},
        "children": {i: [p.id for p in gazetteer.children(i)] for i in ids},
        "ancestors": {i: [p.id for p in gazetteer.ancestors(i)] for i in ids},
        "township_of": {i: [p.id for p in gazetteer.township_of(i)] for i in ids},
        "within": {(i, j): gazetteer.is_within(i, j) for i in ids for j in ids},
        "townships": [p.id for p in gazetteer.townships()],
        "get": {i: gazetteer.get(i) for i in ids}, "missing": gazetteer.get("nowhere"),
        "nonplace": gazetteer.nonplace("北湖莲子"), "home": gazetteer.home,
    }


def _rebuilt(*places: Place) -> Gazetteer:
    return Gazetteer([*PLACES, *places], nonplaces=NONPLACES, home="c1")


def test_a_derived_place_is_found_by_name_listed_as_a_child_and_seen_by_township_of():
    base = small_gazetteer()
    extended = base.with_places([STATION])
    assert [p.id for p in extended.lookup("东桥站")] == ["derived-station"]
    assert extended.ids_named("东桥站") == ("derived-station",)
    assert "derived-station" in extended and extended["derived-station"] is STATION
    assert "derived-station" in [p.id for p in extended.children("c1-b")]
    assert [p.id for p in extended.township_of("derived-station")] == ["c1-b"]
    assert extended.is_within("derived-station", "c1")
    assert extended.names()["东桥站"] == ("derived-station",)
    assert _answers(extended) == _answers(_rebuilt(STATION))


def test_the_base_gazetteer_is_unchanged():
    base = small_gazetteer()
    before = _answers(base)
    base.with_places([STATION, PIER]).township_of("derived-station")
    assert "derived-station" not in base and base.get("derived-pier") is None
    assert _answers(base) == before


def test_a_name_shared_with_a_base_place_lists_both_base_first():
    extended = small_gazetteer().with_places([PIER])
    assert extended.ids_named("北湖") == ("lake-beihu", "derived-pier")
    assert _answers(extended) == _answers(_rebuilt(PIER))


def test_extending_twice_keeps_both_and_answers_as_a_rebuild():
    twice = small_gazetteer().with_places([STATION]).with_places([PIER, HAMLET])
    assert [p.id for p in twice.ancestors("derived-hamlet")] == ["derived-station", "c1-b", "c1"]
    assert [p.id for p in twice.township_of("derived-hamlet")] == ["c1-b"]
    assert _answers(twice) == _answers(_rebuilt(STATION, PIER, HAMLET))


def test_extending_with_places_already_present():
    base = small_gazetteer()
    assert base.with_places([]) is base
    assert base.with_places([PLACES[2]]) is base  # every place is known: the same gazetteer
    impostor = Place("c1-a", "别的镇", Kind.TOWN)
    extended = base.with_places([impostor, STATION, STATION])
    assert extended["c1-a"] is PLACES[2] and extended.lookup("别的镇") == []
    assert extended.with_places([STATION]) is extended
    assert _answers(extended) == _answers(_rebuilt(STATION))


def test_a_new_place_that_is_the_missing_parent_of_a_base_place_changes_the_hierarchy():
    orphan = Place("v-orphan", "孤村", Kind.VILLAGE, parents=("t-missing",))
    base = Gazetteer([*PLACES, orphan], nonplaces=NONPLACES, home="c1")
    assert base.township_of("v-orphan") == []
    town = Place("t-missing", "新镇", Kind.TOWN, parents=("c1",))
    extended = base.with_places([town])
    assert [p.id for p in extended.township_of("v-orphan")] == ["t-missing"]
    rebuilt = Gazetteer([*PLACES, orphan, town], nonplaces=NONPLACES, home="c1")
    assert _answers(extended) == _answers(rebuilt)
    assert base.township_of("v-orphan") == []
