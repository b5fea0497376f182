"""serialize.to_json writes exactly what json.dumps(..., ensure_ascii=False, indent=2, default=str) writes."""

from __future__ import annotations

import json
from enum import IntEnum, StrEnum
from pathlib import Path

import pytest

from gazetteer.serialize import to_json


class Colour(StrEnum):
    RED = "red"


class Level(IntEnum):
    HIGH = 3


PAYLOADS = [
    {}, [], "", 0, -1.5, 1e16, -0.0, float("nan"), float("inf"), float("-inf"), True, False, None,
    {"text": "向阳湖镇\n\t\"引号\"\\ \u2028 \x7f \x00", "alternatives": [], "nested": {"a": [1, [2, []], {}]}},
    {1: "int key", 2.5: "float key", True: "bool key", None: "none key"},
    [("a", 1), (Colour.RED, Level.HIGH)], {"path": Path("/tmp/x"), "colour": Colour.RED, "level": Level.HIGH},
    [[[]]], {"a": {"b": {"c": [None]}}},
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_same_text_as_json_dumps(payload):
    assert to_json(payload) == json.dumps(payload, ensure_ascii=False, indent=2, default=str)


def test_a_key_that_json_refuses_is_refused():
    with pytest.raises(TypeError):
        to_json({(1, 2): "tuple key"})
