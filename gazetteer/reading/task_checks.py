"""Warnings on a plan's tasks that a person can act on: items without a clause, gaps in the numbering, units that
look like fragments, collective phrases the deployment does not define.

>>> from gazetteer.model import Responsibility, Span, Task
>>> def task(number, units):
...     return Task(f"d.t{number}", "d", "task", number, (), "…", Responsibility(units=units), Span("d", 0, 1))
>>> check_items([task("1", ("县发改局",)), task("2", ("及县财政局",)), task("4", ("各村委会",))],
...             loose_numbers=[], styles=[], defined=frozenset())
['编号不连续：第2项之后是第4项', '第2项的单位「及县财政局」像是残缺的名称', '第4项的「各村委会」是部署未定义的集体称谓']
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from gazetteer.model import Task, TaskKind
from gazetteer.reading.numbering import Numbered
from gazetteer.reading.numerals import chinese_value, circled_value
from geodata.deployment import normalise_phrase

__all__ = ["check_items"]

#: A unit shorter than this, or opening or closing with a conjunction, is likely cut from a longer name.
MIN_UNIT_CHARS = 2
_FRAGMENT = re.compile(r"^[和及与或暨、]|[和及与或暨]$|[:：]")
_COLLECTIVE = re.compile(r"^(?:各|相关|有关|项目沿线|沿线)|(?:相关|有关|成员)单位$")


def check_items(tasks: Sequence[Task], *, loose_numbers: Sequence[Numbered], styles: Sequence[tuple[int, str]],
                defined: frozenset[str]) -> list[str]:
    """Every warning, in this order: numbering gaps, items without a clause, fragments, undefined collectives.

    ``loose_numbers`` are the numbered lines that carried no clause; ``styles`` the (start, numbering style) of
    every task in order: a loose line is a task without a clause when the tasks on both sides share its style.
    """
    return [*_gaps(tasks, {item.value for item in loose_numbers}), *_unclaused(loose_numbers, styles), *_fragments(tasks), *_collectives(tasks, defined)]


def _value(number: str) -> int | None:
    return int(number) if number.isdigit() else chinese_value(number) or circled_value(number)


def _gaps(tasks: Sequence[Task], loose: set[int | None]) -> list[str]:
    """Numbers skipped between tasks, unless the skipped items are there without a clause (warned of apart)."""
    warnings: list[str] = []
    previous: int | None = None
    for task in (t for t in tasks if t.kind == TaskKind.TASK):
        value = _value(task.number)
        if value is not None and previous is not None and value > previous + 1 \
                and not set(range(previous + 1, value)) <= loose:
            warnings.append(f"编号不连续：第{previous}项之后是第{value}项")
        previous = value if value is not None else previous
    return warnings


def _unclaused(loose: Sequence[Numbered], styles: Sequence[tuple[int, str]]) -> list[str]:
    starts = [start for start, _ in styles]
    warnings: list[str] = []
    for item in loose:
        after = bisect_right(starts, item.text_start)
        if 0 < after < len(styles) and styles[after - 1][1] == styles[after][1] == item.style:
            warnings.append(f"第{item.number}项（第{item.text_start}字处）没有责任分工（责任领导、牵头单位、责任单位）")
    return warnings


def _fragments(tasks: Sequence[Task]) -> list[str]:
    warnings: list[str] = []
    for task in tasks:
        for unit in (*task.responsibility.lead_units, *task.responsibility.units):
            if len(unit) < MIN_UNIT_CHARS or _FRAGMENT.search(unit) or unit.count("（") != unit.count("）") \
                    or unit.count("(") != unit.count(")"):
                warnings.append(f"第{task.number}项的单位「{unit}」像是残缺的名称")
    return warnings


def _collectives(tasks: Sequence[Task], defined: frozenset[str]) -> list[str]:
    seen: dict[str, str] = {}
    for task in tasks:
        for unit in (*task.responsibility.lead_units, *task.responsibility.units):
            if normalise_phrase(unit) not in defined and _COLLECTIVE.search(unit):
                seen.setdefault(unit, task.number)
    return [f"第{number}项的「{unit}」是部署未定义的集体称谓" for unit, number in seen.items()]
