"""What supervision shows to readers without an account: approved reports (their figures and texts) and, for the
通报 and the lights, which assignments have a submitted or approved report and whether it was late. Drafts and
returned reports never leave here; submitted ones only as "reported" (no figures, no texts).

Read-only and framework-free, next to :mod:`layers.storage.supervision` (which serves accounts).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from gazetteer.supervision.workflow import COUNTED, State
from layers.storage import models
from layers.storage.supervision import Supervision, report_record


def counted_reports(sv: Supervision, *, year: int, quarter: int) -> list[dict[str, Any]]:
    """The reports of the quarter that count (submitted or approved): assignment, unit, state and late only."""
    with sv.store.read() as session:
        rows = session.execute(select(models.Report.assignment, models.Report.unit, models.Report.state,
                                      models.Report.late).join(models.Deployment).where(
            models.Deployment.key == sv.deployment.key, models.Report.year == year, models.Report.quarter == quarter,
            models.Report.state.in_([str(s) for s in COUNTED])))
        return [{"assignment": a, "unit": u, "state": s, "late": bool(late)} for a, u, s, late in rows]


def approved_reports(sv: Supervision, *, task: str | None = None, unit: str | None = None) -> list[dict[str, Any]]:
    """Approved reports of a task (its stable key) or a unit, oldest quarter first (attachments left out)."""
    query = select(models.Report).join(models.Deployment).where(
        models.Deployment.key == sv.deployment.key, models.Report.state == str(State.APPROVED))
    if task is not None:
        query = query.where(models.Report.task_key == task)
    if unit is not None:
        query = query.where(models.Report.unit == unit)
    with sv.store.read() as session:
        rows = session.scalars(query.order_by(models.Report.year, models.Report.quarter, models.Report.id))
        return [{**report_record(r), "attachments": []} for r in rows]
