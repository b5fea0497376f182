"""placement.last_mark finds the sentence mark a full backward scan finds, looking back only as far as it must."""

from __future__ import annotations

import random

import pytest

from gazetteer.geocoding.placement import _SENTENCE_MARKS, last_mark


def _scan(text: str, marks: str, at: int) -> int:
    return max(text.rfind(mark, 0, at) for mark in marks)


@pytest.mark.parametrize("seed", range(5))
def test_same_position_as_scanning_the_whole_text(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = "甲乙丙丁" * 50 + _SENTENCE_MARKS  # marks rare, so most look-backs pass several windows
    text = "".join(rng.choice(alphabet) for _ in range(20_000))
    for at in [0, 1, len(text), *rng.sample(range(len(text)), 300)]:
        assert last_mark(text, _SENTENCE_MARKS, at) == _scan(text, _SENTENCE_MARKS, at)


def test_a_mark_far_back_or_none_at_all() -> None:
    text = "。" + "甲" * 100_000
    assert last_mark(text, _SENTENCE_MARKS, len(text)) == 0
    assert last_mark(text[1:], _SENTENCE_MARKS, len(text) - 1) == -1
