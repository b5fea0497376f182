"""红黄绿: the light of an assignment in a quarter, computed when it is read, never stored.

The rules, in order (the first that holds decides):

* 红 (red) — overdue: the deadline has passed and the work is not done (progress below 100, or status not 已完成);
  or not reported: the quarter's reporting window has closed without a submitted or approved report; or the unit
  reports 无法完成.
* 黄 (yellow) — behind: progress is more than :data:`TOLERANCE` points below the share of the time elapsed by the
  quarter's end (from the plan's start to the deadline); or due within the quarter and not done; or reported 滞后.
* 绿 (green) — on track, or done.

A task without a date (长期坚持, 持续推进) is measured against the end of the plan's year; one with no deadline
at all is judged by its report only. A task's light is the worst of its assignments' lights; a section's, a unit's or
a township's light is the worst of its tasks', with the counts of each colour beside it (:func:`roll_up`).
"""

from __future__ import annotations

import datetime
import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from gazetteer.supervision.periods import Quarter, elapsed_share

#: How many points of progress an assignment may lag the elapsed share of its time before it turns yellow.
TOLERANCE = 10.0
#: What a task without a light is called (no unit reports on it, or nothing is supervised yet), and why a task of
#: a supervised quarter has none.
UNSUPERVISED = "未督办"
UNASSIGNED = "未列入本季度督办"


class Light(enum.StrEnum):
    """A supervision light, worst last (so ``max`` is the worst)."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def label(self) -> str:
        """绿, 黄 or 红."""
        return {Light.GREEN: "绿", Light.YELLOW: "黄", Light.RED: "红"}[self]

    @property
    def rank(self) -> int:
        return (Light.GREEN, Light.YELLOW, Light.RED).index(self)


class Progress(enum.StrEnum):
    """The status a unit reports."""

    NOT_STARTED = "未启动"
    UNDER_WAY = "推进中"
    DONE = "已完成"
    LATE = "滞后"
    CANNOT = "无法完成"


@dataclass(frozen=True, slots=True)
class Reading:
    """What a light is computed from: the unit's latest submitted or approved report of the quarter, if any."""

    progress: float | None = None
    status: Progress | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    """A light and the reason for it, in Chinese, for the page that shows it."""

    light: Light
    reason: str


def light(*, quarter: Quarter, deadline: datetime.date | None, reading: Reading, window_closed: bool,
          on: datetime.date, plan_start: datetime.date | None = None) -> Verdict:
    """The light of one assignment in ``quarter``, judged ``on`` a day.

    >>> q = Quarter(2025, 2)
    >>> light(quarter=q, deadline=datetime.date(2025, 12, 31), reading=Reading(50, Progress.UNDER_WAY),
    ...       window_closed=True, on=datetime.date(2025, 7, 5))
    Verdict(light=<Light.GREEN: 'green'>, reason='按进度推进（进度 50%，时间已过 49%）')
    >>> light(quarter=q, deadline=datetime.date(2025, 12, 31), reading=Reading(20, Progress.UNDER_WAY),
    ...       window_closed=True, on=datetime.date(2025, 7, 5)).light
    <Light.YELLOW: 'yellow'>
    >>> light(quarter=q, deadline=datetime.date(2025, 12, 31), reading=Reading(), window_closed=True,
    ...       on=datetime.date(2025, 7, 5)).reason
    '本季度未报送'
    """
    start = plan_start or datetime.date(quarter.year, 1, 1)
    done = reading.status == Progress.DONE or (reading.progress is not None and reading.progress >= 100)
    if done:
        return Verdict(Light.GREEN, "已完成")
    if deadline is not None and on > deadline:
        return Verdict(Light.RED, f"已逾期（完成时限 {deadline.isoformat()}）")
    if reading.status == Progress.CANNOT:
        return Verdict(Light.RED, "报告无法完成")
    if reading.progress is None:
        return Verdict(Light.RED, "本季度未报送") if window_closed else Verdict(Light.YELLOW, "本季度尚未报送")
    if reading.status == Progress.LATE:
        return Verdict(Light.YELLOW, "报告滞后")
    if deadline is not None and quarter.start <= deadline <= quarter.end:
        return Verdict(Light.YELLOW, f"本季度到期（{deadline.isoformat()}）")
    due = deadline or datetime.date(quarter.year, 12, 31)
    expected = 100 * elapsed_share(start, due, min(quarter.end, on) if on >= quarter.start else quarter.end)
    if reading.progress < expected - TOLERANCE:
        return Verdict(Light.YELLOW, f"进度落后（进度 {reading.progress:g}%，时间已过 {expected:.0f}%）")
    return Verdict(Light.GREEN, f"按进度推进（进度 {reading.progress:g}%，时间已过 {expected:.0f}%）")


@dataclass(frozen=True, slots=True)
class RollUp:
    """The worst light of a group and how many of its members have each."""

    light: Light | None
    counts: dict[Light, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def roll_up(lights: Iterable[Light]) -> RollUp:
    """The worst of ``lights`` with the counts of each colour (``None`` for an empty group).

    >>> r = roll_up([Light.GREEN, Light.RED, Light.GREEN])
    >>> r.light, r.counts[Light.GREEN], r.counts[Light.YELLOW], r.total
    (<Light.RED: 'red'>, 2, 0, 3)
    >>> roll_up([]).light is None
    True
    """
    counts = Counter(lights)
    worst = max(counts, key=lambda lit: lit.rank, default=None)
    return RollUp(worst, {lit: counts.get(lit, 0) for lit in Light})
