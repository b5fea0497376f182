"""Applying a unit's filled quarterly sheet (:mod:`layers.sheets`): every row checked first (fields, ownership,
version, state), then all rows written in one transaction as drafts, or none. A row of a report already submitted
or approved is left alone when unchanged and refused when changed.

Uses the service layer's own helpers, so that the checks (:func:`~gazetteer.supervision.access.allowed`, the
workflow, the event log) are the same as one report at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from gazetteer.supervision import workflow
from gazetteer.supervision.access import Account, Action, allowed
from gazetteer.supervision.periods import Quarter
from gazetteer.supervision.workflow import EDITABLE, State
from layers.errors import Invalid
from layers.sheets import FilledRow, RowError, SheetLine, check_rows
from layers.storage import models
from layers.storage import supervision as service
from layers.storage.ingest import ensure_deployment


def sheet_lines(sv: service.Supervision, account: Account | None, quarter: Quarter,
                unit: str | None = None, *, writable: bool = False) -> list[SheetLine]:
    """The account's assignments of the quarter as sheet lines, with the report so far; with ``writable`` only
    those the account may write (a reviewer or an admin reads every unit's, and writes none)."""
    lines = []
    for a in service.assignments_for(sv, account, year=quarter.year, unit=unit):
        if writable and not allowed(account, Action.WRITE, unit=a["unit"]):
            continue
        brief = next((r for r in a["reports"] if r["quarter"] == quarter.number), None)
        found = service.get_report(sv, account, brief["id"]) if brief else None
        lines.append(SheetLine(a["id"], found["version"] if found else 0, a["number"],
                               a["section"][0] if a["section"] else "", a["text"],
                               a["deadline"] or a["deadline_text"] or "", a["role"],
                               found["progress"] if found else None, found["status"] if found else "",
                               found["done"] if found else "", found["problems"] if found else "",
                               found["next_steps"] if found else ""))
    return lines


def _fields(row: FilledRow) -> dict[str, Any]:
    return {"progress": row.progress, "status": row.status, "done": row.done, "problems": row.problems,
            "next_steps": row.next_steps}


def plan_upload(sv: service.Supervision, account: Account | None, quarter: Quarter,
                rows: Sequence[FilledRow]) -> tuple[list[FilledRow], list[RowError]]:
    """The rows that would change a report, and the errors that refuse the upload (the dry run): the same answer
    :func:`apply_upload` gives, so a row the account may not write is refused here already."""
    current = {line.assignment: line for line in sheet_lines(sv, account, quarter, writable=True)}
    errors = check_rows(rows, {key: line.version for key, line in current.items()})
    bad = {e.row for e in errors}
    changes = []
    for row in rows:
        if row.row in bad:
            continue
        line = current[row.assignment]
        same = (line.progress, line.status, line.done, line.problems, line.next_steps) == (
            row.progress, row.status.value, row.done, row.problems, row.next_steps)
        if same:
            continue
        state = _state_of(sv, account, quarter, row.assignment)
        if state is not None and state not in EDITABLE:
            errors.append(RowError(row.row, f"报告{state.label}，不能再修改"))
            continue
        changes.append(row)
    return changes, sorted(errors, key=lambda e: e.row)


def _state_of(sv, account, quarter, assignment) -> State | None:
    reports = service.list_reports(sv, account, assignment=assignment, year=quarter.year, quarter=quarter.number)
    return State(reports[0]["state"]) if reports else None


def apply_upload(sv: service.Supervision, account: Account | None, quarter: Quarter,
                 rows: Sequence[FilledRow]) -> int:
    """Write the rows' reports as drafts in one transaction (all or nothing); the number written."""
    changes, errors = plan_upload(sv, account, quarter, rows)
    if errors:
        raise Invalid("；".join(str(e) for e in errors))
    now = service._now()
    with service._write(sv) as session:
        for row in changes:
            found = service._assignment(session, sv, row.assignment, quarter.year)
            service._may_write(account, found.unit)
            values = service.clean_fields({**_fields(row), "status": row.status.value})
            existing = session.scalar(select(models.Report).where(
                models.Report.deployment_id == ensure_deployment(session, sv.deployment),
                models.Report.assignment == found.key, models.Report.year == quarter.year,
                models.Report.quarter == quarter.number).with_for_update())
            if existing is None:
                draft = workflow.Report(found.key, quarter, **values)
                existing = models.Report(deployment_id=ensure_deployment(session, sv.deployment),
                                         assignment=found.key, task_key=found.task_key, unit=found.unit,
                                         year=quarter.year, quarter=quarter.number, created_by=account.name,
                                         created_at=now, comment="", late=False)
                service._copy(draft, existing)
                session.add(existing)
                session.flush()
                service._log(session, existing, by=account.name, at=now, action="create", before="",
                             after=str(State.DRAFT), note="报送表导入")
                continue
            if existing.version != row.version:
                raise Invalid(f"第 {row.row} 行：下载后该任务的报告已在网上修改，请重新下载报送表再填写")
            changed, event = service._workflow(lambda existing=existing: workflow.edit(
                service._value(existing), by=account.name, at=now, **values))
            service._apply(session, existing, changed, event)
    return len(changes)
