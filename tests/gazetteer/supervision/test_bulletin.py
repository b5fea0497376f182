"""The 通报 model: who reported, who was late, the 红 and 黄 tasks, counts by section and by unit."""

from __future__ import annotations

import pytest

from gazetteer.supervision.bulletin import Entry, bulletin
from gazetteer.supervision.lights import Light, Verdict
from gazetteer.supervision.periods import Quarter
from gazetteer.supervision.workflow import State

Q2 = Quarter(2025, 2)
RED, YELLOW, GREEN = (Verdict(Light.RED, "已逾期"), Verdict(Light.YELLOW, "进度落后"), Verdict(Light.GREEN, "按进度推进"))


def entry(task, unit, verdict, state, *, section="甲行动", late=False):
    return Entry(task, f"第{task.removeprefix('t')}项", section, f"任务{task}", unit, verdict, state, late)


ENTRIES = [
    entry("t1", "区水利局", RED, State.SUBMITTED, late=True),
    entry("t1", "北湖镇", GREEN, State.APPROVED),
    entry("t2", "北湖镇", YELLOW, State.DRAFT),            # a draft is not reported
    entry("t3", "东桥镇", GREEN, State.APPROVED, section="乙行动"),
    entry("t4", "西山街道", RED, None, section="乙行动"),
    entry("t4", "东桥镇", YELLOW, State.RETURNED, section="乙行动"),  # returned: to be reported again
]


def test_units_in_plan_order_with_their_reporting():
    units = {u.unit: (u.due, u.reported, u.late, u.status) for u in bulletin(Q2, ENTRIES).units}
    assert list(units) == ["区水利局", "北湖镇", "东桥镇", "西山街道"]
    assert units == {"区水利局": (1, 1, 1, "逾期报送"), "北湖镇": (2, 1, 0, "部分报送"),
                     "东桥镇": (2, 1, 0, "部分报送"), "西山街道": (1, 0, 0, "未报送")}


def test_a_task_takes_the_worst_light_and_names_the_units_behind_it():
    report = bulletin(Q2, ENTRIES)
    assert [(t.task, t.units, t.reasons) for t in report.red] == [("t1", ("区水利局",), ("已逾期",)),
                                                                   ("t4", ("西山街道",), ("已逾期",))]
    assert [t.task for t in report.yellow] == ["t2"]
    assert (report.tasks.total, report.tasks.counts[Light.GREEN]) == (4, 1)


@pytest.mark.parametrize(("section", "counts"), [("甲行动", (1, 1, 0)), ("乙行动", (1, 0, 1))], ids=["甲", "乙"])
def test_counts_by_section_are_of_tasks(section, counts):
    lights = next(s.lights for s in bulletin(Q2, ENTRIES).sections if s.section == section)
    assert (lights.counts[Light.RED], lights.counts[Light.YELLOW], lights.counts[Light.GREEN]) == counts


def test_an_empty_quarter():
    report = bulletin(Q2, [])
    assert (report.tasks.total, report.units, report.red, report.assignments) == (0, (), (), 0)
