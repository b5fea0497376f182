"""One unit's quarter of supervision, as its township or unit page shows it: each of its assignments with its light,
the report as far as the reader may see it, the unit's roll-up, and what is due (not yet reported, or ending this
quarter). Read-only and framework-free, over :func:`layers.storage.supervision.lights`.

What a reader sees of a report of the quarter:

* a reader without an account — an **approved** report in full (progress, status, 进展情况, 存在问题, 下步打算);
  a **submitted** one only as 已报送 (its figures and texts stay unpublished until a reviewer approves them, so the
  public never reads a claim the 督查室 has not checked — nor through the light's reason, which would quote the
  progress: :data:`HIDDEN_REASON` stands in for it; the colour itself is public, as in the 通报); a **draft** or a
  **returned** one not at all: the assignment reads 未报送, which is what the lights and the 通报 count it as;
* an account — what :func:`layers.storage.supervision.list_reports` lets it see: submitted and approved reports of
  every unit; drafts and returned ones only of its own units (reviewers and admins: all).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from gazetteer.supervision.access import Account, Action, allowed
from gazetteer.supervision.lights import Light, RollUp, Verdict, roll_up
from gazetteer.supervision.periods import Quarter
from gazetteer.supervision.workflow import COUNTED, State
from layers.storage import published
from layers.storage import supervision as service
from layers.storage.supervision import Supervision


#: The reason shown for a light judged from a report the reader may not read (the service's own).
HIDDEN_REASON = service.PENDING


@dataclass(frozen=True, slots=True)
class Line:
    """One assignment of the unit in the quarter."""

    #: The assignment as :func:`~layers.storage.supervision.lights` gives it (task, number, text, role, deadline…).
    assignment: Mapping[str, Any]
    verdict: Verdict
    #: The state of the unit's report of the quarter as far as the reader may know it (``None``: no report they
    #: may know of — none at all, or a draft or a returned one hidden from them).
    state: State | None
    #: The report itself (figures and texts) when the reader may read it, else ``None``.
    report: Mapping[str, Any] | None
    #: The reader is a reporter of this unit (may open the report form).
    may_write: bool
    quarter: Quarter

    @property
    def reason(self) -> str:
        """Why the light is what it is, as the reader may read it: a light judged from a report they may not read
        (submitted, not yet approved) is explained without that report's figures, which the reason would quote
        (进度落后（进度 60%…）, 报告无法完成)."""
        if self.state == State.SUBMITTED and self.report is None:
            return HIDDEN_REASON
        return self.verdict.reason

    @property
    def reported(self) -> bool:
        """A submitted or approved report counts for the quarter (a draft or a returned one does not)."""
        return self.state in COUNTED

    @property
    def deadline(self) -> dt.date | None:
        raw = self.assignment.get("deadline")
        return dt.date.fromisoformat(raw) if raw else None

    @property
    def ends_in_quarter(self) -> bool:
        """The task's deadline falls within the quarter."""
        day = self.deadline
        return day is not None and self.quarter.start <= day <= self.quarter.end


@dataclass(frozen=True, slots=True)
class UnitQuarter:
    """A unit's assignments of a quarter, its roll-up and what is due."""

    quarter: Quarter
    #: The quarter's reporting window (:func:`~layers.storage.supervision.window_record`), if one was opened.
    window: Mapping[str, Any] | None
    lines: tuple[Line, ...]
    roll_up: RollUp
    #: The reader has no account: only approved reports are read in full.
    public: bool

    @property
    def unreported(self) -> tuple[Line, ...]:
        """The assignments without a submitted or approved report this quarter."""
        return tuple(line for line in self.lines if not line.reported)

    @property
    def ending(self) -> tuple[Line, ...]:
        """The assignments whose task's deadline falls within the quarter, soonest first."""
        return tuple(sorted((line for line in self.lines if line.ends_in_quarter), key=lambda line: line.deadline))


def unit_quarter(sv: Supervision, account: Account | None, *, found: Mapping[str, Any],
                 units: Collection[str]) -> UnitQuarter:
    """The quarter of ``found`` (what :func:`~layers.storage.supervision.lights` returned) for the units whose keys
    are ``units`` (a township may be written under more than one key), as ``account`` (``None``: a reader without
    an account) may see it."""
    quarter = Quarter(found["year"], found["quarter"])
    mine = [a for a in found["assignments"] if a["unit"] in units]
    states, readable = _reports(sv, account, quarter, units)
    lines = tuple(Line(a, Verdict(Light(a["light"]), a["reason"]), states.get(a["id"]), readable.get(a["id"]),
                       allowed(account, Action.WRITE, unit=a["unit"]), quarter) for a in mine)
    window = next((w for w in service.windows(sv, year=quarter.year) if w["quarter"] == quarter.number), None)
    return UnitQuarter(quarter, window, lines, roll_up(line.verdict.light for line in lines), account is None)


def _reports(sv: Supervision, account: Account | None, quarter: Quarter,
             units: Collection[str]) -> tuple[dict[str, State], dict[str, Mapping[str, Any]]]:
    """The state of each assignment's report the reader may know of, and the reports they may read, by
    assignment."""
    if account is None:
        states = {r["assignment"]: State(r["state"])
                  for r in published.counted_reports(sv, year=quarter.year, quarter=quarter.number)
                  if r["unit"] in units}
        readable = {r["assignment"]: r for unit in units for r in published.approved_reports(sv, unit=unit)
                    if (r["year"], r["quarter"]) == (quarter.year, quarter.number)}
        return states, readable
    readable = {r["assignment"]: r for unit in units
                for r in service.list_reports(sv, account, year=quarter.year, quarter=quarter.number, unit=unit)}
    return {key: State(r["state"]) for key, r in readable.items()}, readable
