"""The workflow of a quarterly report: draft → submitted → approved, or returned with a comment and submitted
again. Every change is an :class:`Event` of an append-only log; a change the workflow does not allow is a
:class:`WorkflowError` (HTTP 409), and the reviewer is never the submitter.

>>> NOON = datetime.datetime(2025, 4, 3, 12, 0, tzinfo=datetime.UTC)
>>> draft = Report("a1", Quarter(2025, 1), progress=30, status=Progress.UNDER_WAY)
>>> submitted, event = submit(draft, by="xyh", at=NOON)
>>> submitted.state, event.action, event.before, event.after
(<State.SUBMITTED: 'submitted'>, 'submit', 'draft', 'submitted')
>>> approve(submitted, by="xyh", at=NOON)
Traceback (most recent call last):
...
gazetteer.supervision.workflow.WorkflowError: 审核人不能审核自己报送的报告
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, replace

from gazetteer.errors import GazetteerError
from gazetteer.supervision.lights import Progress
from gazetteer.supervision.periods import Quarter

class WorkflowError(GazetteerError, ValueError):
    """A change the workflow does not allow (a conflict with the report's state)."""


class State(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return {State.DRAFT: "草稿", State.SUBMITTED: "已报送", State.APPROVED: "已审核通过",
                State.RETURNED: "已退回"}[self]


#: The states a report may be edited in by its unit.
EDITABLE = frozenset({State.DRAFT, State.RETURNED})
#: The states whose figures count for the lights and the 通报 (a draft is not public).
COUNTED = frozenset({State.SUBMITTED, State.APPROVED})
#: The largest lengths of the text fields, in characters.
TEXT_LIMIT = 4000


@dataclass(frozen=True, slots=True)
class Report:
    """One unit's report on one assignment for one quarter."""

    assignment: str
    quarter: Quarter
    progress: float = 0.0
    status: Progress = Progress.NOT_STARTED
    done: str = ""          # 进展情况
    problems: str = ""      # 存在问题
    next_steps: str = ""    # 下步打算
    state: State = State.DRAFT
    submitted_by: str | None = None
    submitted_at: datetime.datetime | None = None
    late: bool = False
    comment: str = ""       # the reviewer's, when returned
    version: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.progress <= 100:
            raise ValueError(f"进度应在 0 到 100 之间，而不是 {self.progress}")
        for name in ("done", "problems", "next_steps", "comment"):
            if len(getattr(self, name)) > TEXT_LIMIT:
                raise ValueError(f"文字过长（超过 {TEXT_LIMIT} 字）")


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of the log: who did what to which report when, and the state before and after."""

    assignment: str
    quarter: Quarter
    by: str
    at: datetime.datetime
    action: str
    before: str
    after: str
    note: str = ""


def edit(report: Report, *, by: str, at: datetime.datetime, expected_version: int | None = None,
         **fields: object) -> tuple[Report, Event]:
    """The report with ``fields`` changed; only a draft or a returned report, and only at the version the editor
    read (``expected_version``): a concurrent edit is a conflict, never lost silently."""
    if report.state not in EDITABLE:
        raise WorkflowError(f"报告{report.state.label}，不能再修改")
    if expected_version is not None and expected_version != report.version:
        raise WorkflowError("报告已被他人修改，请重新打开后再编辑")
    changed = replace(report, **fields, version=report.version + 1)  # type: ignore[arg-type]
    return changed, _event(report, changed, by, at, "edit")


def submit(report: Report, *, by: str, at: datetime.datetime,
           window_closes: datetime.date | None = None) -> tuple[Report, Event]:
    """Submit a draft or a returned report; after the window has closed it is marked late."""
    if report.state not in EDITABLE:
        raise WorkflowError(f"报告{report.state.label}，不能重复报送")
    late = window_closes is not None and at.date() > window_closes
    changed = replace(report, state=State.SUBMITTED, submitted_by=by, submitted_at=at, late=late,
                      version=report.version + 1)
    return changed, _event(report, changed, by, at, "submit", "逾期报送" if late else "")


def approve(report: Report, *, by: str, at: datetime.datetime) -> tuple[Report, Event]:
    """Approve a submitted report; the reviewer is never its submitter."""
    _review(report, by)
    changed = replace(report, state=State.APPROVED, version=report.version + 1)
    return changed, _event(report, changed, by, at, "approve")


def send_back(report: Report, *, by: str, at: datetime.datetime, comment: str) -> tuple[Report, Event]:
    """Return a submitted report to its unit with a comment (required)."""
    _review(report, by)
    if not comment.strip():
        raise WorkflowError("退回报告时须写明原因")
    changed = replace(report, state=State.RETURNED, comment=comment.strip(), version=report.version + 1)
    return changed, _event(report, changed, by, at, "return", comment.strip())


def _review(report: Report, by: str) -> None:
    if report.state != State.SUBMITTED:
        raise WorkflowError(f"只有已报送的报告可以审核，本报告{report.state.label}")
    if by == report.submitted_by:
        raise WorkflowError("审核人不能审核自己报送的报告")


def _event(before: Report, after: Report, by: str, at: datetime.datetime, action: str, note: str = "") -> Event:
    return Event(before.assignment, before.quarter, by, at, action, str(before.state), str(after.state), note)
