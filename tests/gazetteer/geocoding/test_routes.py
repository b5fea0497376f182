"""Route numbers: every written form of a road number maps to one reference, and digits must stand alone."""

from __future__ import annotations

import pytest

from gazetteer.geocoding.routes import find_routes, normalise, stands_alone


@pytest.mark.parametrize(("written", "ref"), [
    ("G107", "G107"), ("107国道", "G107"), ("国道107", "G107"), ("107 国道", "G107"), ("国道 107", "G107"),
    ("G107国道", "G107"), ("329省道", "S329"), ("S329", "S329"), ("G0422", "G0422"), ("X001县道", "X001"),
    ("Y012", "Y012"),
], ids=lambda value: value)
def test_written_forms_normalise_to_one_reference(written, ref):
    assert normalise(written) == ref


@pytest.mark.parametrize("written", ["京港澳高速", "2025年", "G107省道", "5G", "X12", "107国道咸安段"],
                         ids=["name", "year", "contradiction", "5G", "short-county-road", "segment-phrase"])
def test_other_strings_are_not_route_numbers(written):
    assert normalise(written) is None


@pytest.mark.parametrize(("text", "found"), [
    ("沿107国道、G351和329 省道", [("107国道", "G107"), ("G351", "G351"), ("329 省道", "S329")]),
    ("S318与S31交汇", [("S318", "S318"), ("S31", "S31")]),
    ("12345国道和AS31", []),
    ("2025年完成投资5011万元", []),
    ("国道106通城段", [("国道106", "G106")]),
], ids=["three-forms", "digits-stand-alone", "glued", "numbers-not-roads", "class-first"])
def test_find_routes(text, found):
    assert [(route.text, route.ref) for route in find_routes(text)] == found


def test_spans_point_at_the_text():
    text = "改造G107国道咸安段"
    [route] = find_routes(text)
    assert text[route.start:route.end] == route.text == "G107国道"


def test_stands_alone():
    assert stands_alone("经S31至", 1, 4)
    assert not stands_alone("S318", 0, 3)
    assert not stands_alone("AS31", 1, 4)
