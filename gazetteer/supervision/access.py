"""Who may do what: one function, :func:`allowed`, asked by pages, the API and spreadsheet uploads alike.

Roles: ``admin`` (the 督查室: plans, accounts, reporting windows), ``reviewer`` (reviews reports), ``reporter``
(bound to one or more units: a township, a bureau). A reporter sees and changes only the assignments of its units;
drafts are seen only by their unit; nobody reviews their own report.

>>> reporter = Account("xyh", Role.REPORTER, frozenset({"向阳湖镇"}))
>>> allowed(reporter, Action.WRITE, unit="向阳湖镇"), allowed(reporter, Action.WRITE, unit="浮山街道")
(True, False)
>>> allowed(Account("dcs", Role.REVIEWER), Action.REVIEW, unit="浮山街道")
True
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Role(enum.StrEnum):
    ADMIN = "admin"
    REVIEWER = "reviewer"
    REPORTER = "reporter"


class Action(enum.StrEnum):
    READ_DRAFT = "read-draft"   # see a draft or a returned report
    WRITE = "write"             # create, edit and submit a report
    REVIEW = "review"           # approve or return a submitted report
    ADMINISTER = "administer"   # accounts, reporting windows, deadlines


@dataclass(frozen=True, slots=True)
class Account:
    name: str
    role: Role
    units: frozenset[str] = field(default_factory=frozenset)


def allowed(account: Account | None, action: Action, *, unit: str) -> bool:
    """May ``account`` do ``action`` on an assignment of ``unit``? Anonymous readers may do none of these."""
    if account is None:
        return False
    if account.role == Role.ADMIN:
        return action in (Action.ADMINISTER, Action.READ_DRAFT, Action.REVIEW)
    if account.role == Role.REVIEWER:
        return action in (Action.REVIEW, Action.READ_DRAFT)
    return action in (Action.WRITE, Action.READ_DRAFT) and unit in account.units
