"""The quarter's 通报 as a督查室 circulates it: who reported, who was late, who has not reported, which tasks are
红 or 黄, and the counts by section (行动) and by unit. A pure function of the quarter's assignments, each with its
light and the state of its report (:class:`Entry`), to a small model (:class:`Bulletin`) that a page and a .docx
both render; only submitted and approved reports count (a draft is not reported).

>>> from gazetteer.supervision.lights import Verdict
>>> q = Quarter(2025, 2)
>>> entries = [Entry("t1", "第1项", "实施发展提速行动", "新建污水管网", "区水利局", Verdict(Light.RED, "已逾期"),
...                  State.SUBMITTED, late=True),
...            Entry("t1", "第1项", "实施发展提速行动", "新建污水管网", "北湖镇", Verdict(Light.GREEN, "已完成"),
...                  State.APPROVED),
...            Entry("t2", "目标二", "实施生态修复行动", "治理河道", "北湖镇", Verdict(Light.RED, "本季度未报送"), None)]
>>> b = bulletin(q, entries)
>>> [(u.unit, u.status) for u in b.units]
[('区水利局', '逾期报送'), ('北湖镇', '部分报送')]
>>> [(t.label, t.light.label) for t in b.red], b.tasks.counts[Light.RED], b.tasks.total
([('第1项', '红'), ('目标二', '红')], 2, 2)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gazetteer.supervision.lights import Light, RollUp, Verdict, roll_up
from gazetteer.supervision.periods import Quarter
from gazetteer.supervision.workflow import COUNTED, State


@dataclass(frozen=True, slots=True)
class Entry:
    """One assignment in the quarter: its task (id, label, section, text), its unit, light and report. The label
    is the task as the plan numbers it (第12项, 目标一: :meth:`gazetteer.model.TaskKind.label`), shown as is."""

    task: str
    label: str
    section: str
    text: str
    unit: str
    verdict: Verdict
    state: State | None
    late: bool = False

    @property
    def reported(self) -> bool:
        return self.state in COUNTED


@dataclass(frozen=True, slots=True)
class TaskLine:
    """A task of the 通报: its light (the worst of its units'), the reasons and the units behind it."""

    task: str
    label: str
    section: str
    text: str
    light: Light
    reasons: tuple[str, ...]
    units: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UnitLine:
    """A unit's reporting in the quarter: how many assignments were due, reported and reported late, its lights."""

    unit: str
    due: int
    reported: int
    late: int
    lights: RollUp

    @property
    def status(self) -> str:
        """按时报送, 逾期报送, 部分报送 or 未报送."""
        if self.reported == 0:
            return "未报送"
        if self.reported < self.due:
            return "部分报送"
        return "逾期报送" if self.late else "按时报送"


@dataclass(frozen=True, slots=True)
class SectionLine:
    """A section (行动): the lights of its tasks."""

    section: str
    lights: RollUp


@dataclass(frozen=True, slots=True)
class Bulletin:
    quarter: Quarter
    tasks: RollUp
    units: tuple[UnitLine, ...]
    sections: tuple[SectionLine, ...]
    red: tuple[TaskLine, ...]
    yellow: tuple[TaskLine, ...]

    def with_status(self, *statuses: str) -> tuple[UnitLine, ...]:
        """The units whose reporting is one of ``statuses`` (e.g. ``"未报送"``)."""
        return tuple(u for u in self.units if u.status in statuses)

    @property
    def assignments(self) -> int:
        return sum(u.due for u in self.units)

    @property
    def reported(self) -> int:
        return sum(u.reported for u in self.units)


def bulletin(quarter: Quarter, entries: Iterable[Entry]) -> Bulletin:
    """The 通报 of ``quarter`` from its assignments (in plan order; units and sections keep first appearance)."""
    entries = list(entries)
    tasks = _task_lines(entries)
    units = tuple(_unit_line(unit, [e for e in entries if e.unit == unit])
                  for unit in dict.fromkeys(e.unit for e in entries))
    sections = tuple(SectionLine(s, roll_up(t.light for t in tasks if t.section == s))
                     for s in dict.fromkeys(t.section for t in tasks))
    return Bulletin(quarter, roll_up(t.light for t in tasks), units, sections,
                    tuple(t for t in tasks if t.light == Light.RED), tuple(t for t in tasks if t.light == Light.YELLOW))


def _task_lines(entries: Sequence[Entry]) -> list[TaskLine]:
    lines = []
    for task in dict.fromkeys(e.task for e in entries):
        own = [e for e in entries if e.task == task]
        worst = roll_up(e.verdict.light for e in own).light
        behind = [e for e in own if e.verdict.light == worst]
        first = own[0]
        lines.append(TaskLine(task, first.label, first.section, first.text, worst,
                              tuple(dict.fromkeys(e.verdict.reason for e in behind)),
                              tuple(dict.fromkeys(e.unit for e in behind))))
    return lines


def _unit_line(unit: str, own: Sequence[Entry]) -> UnitLine:
    reported = [e for e in own if e.reported]
    return UnitLine(unit, len(own), len(reported), sum(e.late for e in reported),
                    roll_up(e.verdict.light for e in own))
