"""A task's 完成时限 as a structured value: by a date (the last day of the period named), ongoing, or unknown.

A period without a year (年底前, 6月底前, 三季度) takes the plan's year, when the plan says it.

>>> parse_deadline("2025年6月底前")
Deadline(text='2025年6月底前', kind=<DeadlineKind.BY_DATE: 'by-date'>, date='2025-06-30')
>>> parse_deadline("年底前", year=2025).date, parse_deadline("长期坚持").kind.value, parse_deadline("按计划").kind.value
('2025-12-31', 'ongoing', 'unknown')
"""

from __future__ import annotations

import calendar
import re

from gazetteer.model import Deadline, DeadlineKind
from gazetteer.reading.numerals import chinese_value

__all__ = ["parse_deadline", "plan_year"]

#: Words of work that has no end date.
ONGOING = ("长期坚持", "长期推进", "持续推进", "长期", "持续", "常态化", "全年推进", "全年", "每年", "逐年")
#: Periods of a year and the month they end in.
PERIODS: tuple[tuple[str, int], ...] = (
    ("上半年", 6), ("下半年", 12), ("年中", 6), ("年底", 12), ("年末", 12), ("年内", 12),
    ("一季度", 3), ("二季度", 6), ("三季度", 9), ("四季度", 12),
)
_DAY = re.compile(r"(?:(\d{4})\s*年)?\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MONTH = re.compile(r"(?:(\d{4})\s*年)?\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月")
_YEAR = re.compile(r"(\d{4})\s*年")
_QUARTER = re.compile(r"第?([一二三四1-4])季度")


def parse_deadline(text: str, *, year: int | None = None) -> Deadline:
    """Read ``text`` (a 完成时限 cell or clause field); ``year`` is the plan's, for periods without one."""
    written = text.strip()
    date = _date(written, year)
    if date is not None:
        return Deadline(written, DeadlineKind.BY_DATE, date)
    if any(word in written for word in ONGOING):
        return Deadline(written, DeadlineKind.ONGOING)
    return Deadline(written, DeadlineKind.UNKNOWN)


def plan_year(title: str, text: str = "") -> int | None:
    """The year a plan is for: the first 4-digit year of its title, else of its first lines.

    >>> plan_year("2025年咸安区《政府工作报告》确定的主要目标任务责任分解方案")
    2025
    """
    for source in (title, text[:500]):
        match = _YEAR.search(source)
        if match:
            return int(match.group(1))
    return None


def _date(text: str, year: int | None) -> str | None:
    """The ISO date of the last day ``text`` names, or ``None``; several dates: the last one."""
    for pattern in (_DAY, _ISO):
        matches = list(pattern.finditer(text))
        if matches:
            found = matches[-1]
            return _iso(int(found.group(1)) if found.group(1) else year, int(found.group(2)), int(found.group(3)))
    months = list(_MONTH.finditer(text))
    if months:
        found = months[-1]
        month = int(found.group(2)) if found.group(2).isdigit() else chinese_value(found.group(2))
        found_year = int(found.group(1)) if found.group(1) else _year_in(text, year)
        return _month_end(found_year, month)
    for word, month in PERIODS:
        if word in text:
            return _month_end(_year_in(text, year), month)
    quarter = _QUARTER.search(text)
    if quarter:
        value = quarter.group(1)
        return _month_end(_year_in(text, year), 3 * (int(value) if value.isdigit() else chinese_value(value) or 4))
    only_year = _YEAR.fullmatch(text.rstrip("前底内"))
    return _month_end(int(only_year.group(1)), 12) if only_year else None


def _year_in(text: str, year: int | None) -> int | None:
    match = _YEAR.search(text)
    return int(match.group(1)) if match else year


def _month_end(year: int | None, month: int | None) -> str | None:
    if year is None or month is None or not 1 <= month <= 12:
        return None
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def _iso(year: int | None, month: int, day: int) -> str | None:
    if year is None or not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"
