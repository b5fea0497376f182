"""Plans by year: a plan is a deployment's decomposition documents of one year; tasks are matched across years.

Two tasks are the same task carried over when their texts, sections and units are alike enough (:func:`score`);
matching pairs the most alike first (:func:`match`). :func:`compare` sorts the tasks of two plans into new, carried
over (with the score), changed in responsibility (carried over, other leaders or units) and dropped.

>>> a = TaskRecord("k1", "t1", "1", ("实施发展提速行动", "扩大有效投资"), "全年谋划亿元以上项目150个", (), ("区发改局",), ())
>>> b = TaskRecord("", "t9", "3", ("实施发展提速行动", "扩大有效投资"), "全年谋划亿元以上项目180个", (), ("区发改局",), ())
>>> round(score(a, b), 2), [(o.key, n.task_id) for o, n, _ in match([a], [b])]
(0.84, [('k1', 't9')])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: A pair scoring below this is not the same task.
MATCH_THRESHOLD = 0.55
#: How much the text, the section path and the units weigh in :func:`score`.
WEIGHTS = {"text": 0.6, "section": 0.2, "units": 0.2}


@dataclass(frozen=True, slots=True)
class TaskRecord:
    """What matching and comparing need of a stored task."""

    key: str
    task_id: str
    number: str
    section: tuple[str, ...]
    text: str
    leaders: tuple[str, ...]
    lead_units: tuple[str, ...]
    units: tuple[str, ...]
    kind: str = "task"

    def record(self) -> dict[str, Any]:
        return {"key": self.key, "task_id": self.task_id, "number": self.number, "section": list(self.section),
                "text": self.text, "leaders": list(self.leaders), "lead_units": list(self.lead_units),
                "units": list(self.units), "kind": self.kind}


def _bigrams(text: str) -> frozenset[str]:
    chars = [c for c in text if not c.isspace()]
    return frozenset(a + b for a, b in zip(chars, chars[1:], strict=False)) or frozenset(chars)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _section(a: Sequence[str], b: Sequence[str]) -> float:
    if tuple(a) == tuple(b):
        return 1.0
    if a and b and (a[-1] == b[-1] or a[0] == b[0]):
        return 0.5
    return 0.0


def score(a: TaskRecord, b: TaskRecord) -> float:
    """How alike two tasks are, 0…1: character bigrams of the text, the section path, the set of units."""
    units = _jaccard(frozenset(a.lead_units + a.units), frozenset(b.lead_units + b.units))
    return (WEIGHTS["text"] * _jaccard(_bigrams(a.text), _bigrams(b.text))
            + WEIGHTS["section"] * _section(a.section, b.section) + WEIGHTS["units"] * units)


def match(old: Sequence[TaskRecord], new: Sequence[TaskRecord], *,
          threshold: float = MATCH_THRESHOLD) -> list[tuple[TaskRecord, TaskRecord, float]]:
    """Pairs (old, new, score) of the same kind, most alike first, each task in at most one pair."""
    old_grams = [_bigrams(t.text) for t in old]
    scored = []
    for j, b in enumerate(new):
        grams = _bigrams(b.text)
        for i, a in enumerate(old):
            # the text alone decides whether a pair can reach the threshold: skip the rest early
            if a.kind != b.kind or WEIGHTS["text"] * _jaccard(old_grams[i], grams) + 0.4 < threshold:
                continue
            value = score(a, b)
            if value >= threshold:
                scored.append((value, i, j))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for value, i, j in scored:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((old[i], new[j], round(value, 3)))
    return sorted(pairs, key=lambda pair: new.index(pair[1]))


def responsibility_changed(a: TaskRecord, b: TaskRecord) -> bool:
    return (a.leaders, a.lead_units, a.units) != (b.leaders, b.lead_units, b.units)


def compare(current: Sequence[TaskRecord], other: Sequence[TaskRecord]) -> dict[str, list[dict[str, Any]]]:
    """The tasks of ``current`` against those of ``other`` (an earlier or later plan).

    >>> old = [TaskRecord("k1", "a.t1", "1", ("甲",), "新建污水管网10公里", (), ("区住建局",), ())]
    >>> new = [TaskRecord("k1", "b.t1", "1", ("甲",), "新建污水管网12公里", (), ("区水利局",), ()),
    ...        TaskRecord("k2", "b.t2", "2", ("乙",), "举办马拉松比赛", (), ("区文旅局",), ())]
    >>> {k: [t["task"]["key"] if "task" in t else t["key"] for t in v] for k, v in compare(new, old).items()}
    {'new': ['k2'], 'carried': [], 'changed': ['k1'], 'dropped': []}
    """
    pairs = match(other, current)
    matched_new = {id(n) for _, n, _ in pairs}
    matched_old = {id(o) for o, _, _ in pairs}
    carried, changed = [], []
    for old, new, value in pairs:
        entry = {"task": new.record(), "previous": old.record(), "score": value}
        (changed if responsibility_changed(old, new) else carried).append(entry)
    return {"new": [t.record() for t in current if id(t) not in matched_new], "carried": carried,
            "changed": changed, "dropped": [t.record() for t in other if id(t) not in matched_old]}
