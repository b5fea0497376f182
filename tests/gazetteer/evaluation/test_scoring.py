"""The scoring functions on small hand-made cases."""

from __future__ import annotations

import pytest

from gazetteer.evaluation.scoring import score_indicators, task_field_exact_match


def _row(start: int, end: int, value: float = 4000, unit: str = "亩", comparator: str = "≥", metric: str = "新增耕地",
         doc: str = "d") -> dict:
    return {"doc": doc, "start": start, "end": end, "metric": metric, "comparator": comparator, "value": value,
            "unit": unit}


@pytest.mark.parametrize(("gold", "predicted", "precision", "recall"), [
    pytest.param([_row(0, 5)], [_row(3, 9)], 1.0, 1.0, id="overlap-matches"),
    pytest.param([_row(0, 5)], [_row(5, 9)], 0.0, 0.0, id="touching-is-not-overlap"),
    pytest.param([_row(0, 5)], [_row(0, 5, doc="e")], 0.0, 0.0, id="other-document"),
    pytest.param([_row(0, 5)], [_row(0, 5, value=400)], 0.0, 0.0, id="value-differs"),
    pytest.param([_row(0, 5)], [_row(0, 5, unit="万亩")], 0.0, 0.0, id="unit-differs"),
    pytest.param([_row(0, 5)], [_row(0, 5, comparator="=")], 0.0, 0.0, id="comparator-differs"),
    pytest.param([_row(0, 5)], [_row(0, 5, metric="耕地")], 1.0, 1.0, id="metric-not-in-match"),
    pytest.param([_row(0, 5), _row(10, 15)], [_row(0, 5)], 1.0, 0.5, id="missed-one"),
    pytest.param([_row(0, 5)], [_row(0, 5), _row(0, 5)], 0.5, 1.0, id="one-to-one"),
    pytest.param([], [], 0.0, 0.0, id="empty"),
])
def test_score_indicators(gold: list, predicted: list, precision: float, recall: float) -> None:
    score = score_indicators(gold, predicted)
    assert (score.precision, score.recall) == (precision, recall)
    expected_f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    assert score.f1 == pytest.approx(expected_f1)


def test_field_accuracy_on_overlapping_pairs() -> None:
    score = score_indicators([_row(0, 5), _row(10, 15)], [_row(0, 5, metric="耕地"), _row(10, 15)])
    assert score.field_accuracy == {"metric": 0.5, "comparator": 1.0, "value": 1.0, "unit": 1.0}


GOLD_TASKS = [
    {"number": "一", "kind": "target", "section": ["主要预期目标"], "leaders": ["常务副区长"], "lead_units": ["区发改局"],
     "units": ["各乡镇办场"]},
    {"number": "1", "kind": "task", "section": ["实施发展提速行动", "扩大有效投资"], "leaders": ["陈浩"],
     "lead_units": ["区商务局"], "units": []},
]


@pytest.mark.parametrize(("predicted", "rate"), [
    pytest.param(GOLD_TASKS, 1.0, id="all-right"),
    pytest.param([{**GOLD_TASKS[0], "units": ["各乡镇办"]}, GOLD_TASKS[1]], 0.9, id="one-field-wrong"),
    pytest.param([GOLD_TASKS[0]], 0.5, id="missing-item-wrong-on-every-field"),
    pytest.param([{**GOLD_TASKS[1], "leaders": ("陈浩",)}, GOLD_TASKS[0]], 1.0, id="tuples-and-order-ok"),
])
def test_task_field_exact_match(predicted: list, rate: float) -> None:
    assert task_field_exact_match(GOLD_TASKS, predicted) == pytest.approx(rate)
