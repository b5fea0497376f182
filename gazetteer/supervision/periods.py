"""Reporting quarters: (year, quarter 1–4), their first and last days, and how much of a task's time has passed.

>>> q = Quarter(2025, 2)
>>> q.start, q.end, str(q)
(datetime.date(2025, 4, 1), datetime.date(2025, 6, 30), '2025年第二季度')
>>> Quarter.of(datetime.date(2025, 11, 3))
Quarter(year=2025, number=4)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

_NAMES = ("一", "二", "三", "四")


@dataclass(frozen=True, slots=True, order=True)
class Quarter:
    """A reporting quarter of a plan's year."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"a quarter is 1 to 4, not {self.number}")

    @classmethod
    def of(cls, day: datetime.date) -> Quarter:
        """The quarter ``day`` falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        """The quarter's last day.

        >>> Quarter(2024, 1).end, Quarter(2025, 4).end
        (datetime.date(2024, 3, 31), datetime.date(2025, 12, 31))
        """
        following = Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        return following.start - datetime.timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year}年第{_NAMES[self.number - 1]}季度"


def elapsed_share(start: datetime.date, deadline: datetime.date, on: datetime.date) -> float:
    """The share of the time from ``start`` to ``deadline`` that has passed ``on`` a day, between 0 and 1.

    >>> elapsed_share(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), datetime.date(2025, 7, 2))
    0.5
    >>> elapsed_share(datetime.date(2025, 1, 1), datetime.date(2025, 6, 30), datetime.date(2025, 9, 30))
    1.0
    """
    total = (deadline - start).days
    if total <= 0:
        return 1.0
    return round(min(max((on - start).days / total, 0.0), 1.0), 4)
