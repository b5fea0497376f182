"""Scoring the reading of texts against hand-made gold annotations (pure functions; the tests load the files).

Tasks: each gold item is ``{number, kind, section, leaders, lead_units, units}``; the exact-match rate is the share of
(item, field) pairs equal to the parse, a missing item counting as wrong on every field.

Indicators: each gold row is ``{doc, start, end, metric, comparator, value, unit}``. A prediction matches a gold row
when it is in the same document, the spans overlap and value (to 1e-9 relative), unit and comparator agree; matching
is one-to-one, first come first served in document order. Field accuracy is measured over span-overlapping pairs.

>>> gold = [{"doc": "d", "start": 4, "end": 9, "metric": "新增耕地", "comparator": "≥", "value": 4000, "unit": "亩"}]
>>> pred = [{"doc": "d", "start": 0, "end": 9, "metric": "新增耕地", "comparator": "≥", "value": 4000.0, "unit": "亩"}]
>>> score_indicators(gold, pred).f1
1.0
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["INDICATOR_FIELDS", "TASK_FIELDS", "IndicatorScore", "score_indicators", "task_field_exact_match"]

TASK_FIELDS: tuple[str, ...] = ("kind", "section", "leaders", "lead_units", "units")
INDICATOR_FIELDS: tuple[str, ...] = ("metric", "comparator", "value", "unit")
VALUE_TOLERANCE = 1e-9

Record = Mapping[str, object]


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """Precision, recall and F1 of indicator extraction, and per-field accuracy on span-overlapping pairs."""

    true_positives: int
    predicted: int
    gold: int
    field_accuracy: Mapping[str, float]

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def task_field_exact_match(gold: Sequence[Record], predicted: Iterable[Record],
                           fields: Sequence[str] = TASK_FIELDS) -> float:
    """Share of (gold item, field) pairs whose parsed value equals the gold value; items keyed by (kind, number).

    >>> task_field_exact_match([{"number": "1", "kind": "task", "units": ["区发改局"]}],
    ...                        [{"number": "1", "kind": "task", "units": ["区发改局"]}], fields=("units",))
    1.0
    """
    by_key = {(record["kind"], record["number"]): record for record in predicted}
    pairs = [(item, field) for item in gold for field in fields]
    if not pairs:
        return 0.0
    hits = sum(1 for item, field in pairs
               if (found := by_key.get((item["kind"], item["number"]))) is not None
               and _same(found.get(field), item.get(field)))
    return hits / len(pairs)


def score_indicators(gold: Sequence[Record], predicted: Sequence[Record]) -> IndicatorScore:
    """Precision/recall/F1 of ``predicted`` against ``gold`` and field accuracy on overlapping pairs."""
    used: set[int] = set()
    hits = 0
    for item in gold:
        index = next((i for i, candidate in enumerate(predicted)
                      if i not in used and _overlap(item, candidate) and _agree(item, candidate)), None)
        if index is not None:
            used.add(index)
            hits += 1
    return IndicatorScore(hits, len(predicted), len(gold), _field_accuracy(gold, predicted))


def _field_accuracy(gold: Sequence[Record], predicted: Sequence[Record]) -> dict[str, float]:
    pairs = [(item, candidate) for item in gold
             if (candidate := next((c for c in predicted if _overlap(item, c)), None)) is not None]
    return {field: (sum(1 for item, candidate in pairs if _same(item[field], candidate[field])) / len(pairs)
                    if pairs else 0.0) for field in INDICATOR_FIELDS}


def _overlap(left: Record, right: Record) -> bool:
    return (left["doc"] == right["doc"] and int(left["start"]) < int(right["end"])  # type: ignore[call-overload]
            and int(right["start"]) < int(left["end"]))  # type: ignore[call-overload]


def _agree(left: Record, right: Record) -> bool:
    return all(_same(left[field], right[field]) for field in ("comparator", "value", "unit"))


def _same(left: object, right: object) -> bool:
    if isinstance(left, int | float) and isinstance(right, int | float):
        return math.isclose(left, right, rel_tol=VALUE_TOLERANCE)
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        return list(left) == list(right)
    return left == right
