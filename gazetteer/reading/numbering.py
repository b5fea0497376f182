"""How plans number their items and headings: 一、 （一） 1. 1、 （1） ①, and what a heading says about its tasks.

Each numbering style has a level, outermost first: 一、 (1), （一） (2), a short un-numbered sub-heading (3),
1. / 1、 (4), （1） (5), ① (6). A heading may name who leads every task under it: 县示范区管委会牵头工作（8项） (a lead
unit), 王市长主抓重点工作 (a leader).

>>> item = numbered("  （3）完成老旧小区改造。", 100)
>>> item.style, item.number, item.value, item.level, item.text_start
('paren-digit', '3', 3, 5, 105)
>>> heading = heading_of("一、县示范区管委会牵头工作（8项）", 0, "d")
>>> heading.level, heading.title, heading.lead_units
(1, '县示范区管委会牵头工作', ('县示范区管委会',))
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gazetteer.model import Span
from gazetteer.reading.clauses import find_clause, split_names
from gazetteer.reading.numerals import chinese_value, circled_value

__all__ = ["STYLES", "Heading", "Numbered", "heading_of", "numbered"]

_CN = "一二三四五六七八九十"
#: Numbering styles: (name, level, pattern with groups number and text), tried in order.
STYLES: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("top", 1, re.compile(rf"^(\s*)([{_CN}]+)\s*[、.．]\s*(.+?)\s*$")),
    ("paren-cn", 2, re.compile(rf"^(\s*)[(（]([{_CN}]+)[)）]\s*(.+?)\s*$")),
    ("digit", 4, re.compile(r"^(\s*)(\d{1,3})\s*[.．、](?!\d)\s*(.*?)\s*$")),
    ("paren-digit", 5, re.compile(r"^(\s*)[(（](\d{1,3})[)）]\s*(.+?)\s*$")),
    ("circled", 6, re.compile(r"^(\s*)([①-⑳])\s*(.+?)\s*$")),
)
SUBHEADING_LEVEL = 3
#: A sub-heading is a short un-numbered line (扩大有效投资。 / 建设“平安咸安”。).
MAX_SUBHEADING_CHARS = 30
_YEAR_PREFIX = re.compile(r"^\d{4}\s*年\s*")
_CLAUSE_END = re.compile(r"[,，。;；]")
_COUNT = re.compile(r"\s*[(（]\s*(?:共\s*)?\d+\s*(?:项|条|个)\s*[)）]\s*$")
#: A heading that names who leads its tasks: the name, then 牵头/负责/主抓 … 工作/任务.
_OWNER = re.compile(r"^(?P<who>[^，,。；;：:]{2,24}?)(?:牵头|负责|主抓|主责|领衔)(?:推进|落实|抓总)?的?"
                    r"(?:重点|主要)?(?:工作|任务|事项)")
#: Endings of a person's title (市长, 副县长, 书记): the owner named is a leader, not a unit.
_LEADER_END = re.compile(r"(?:长|书记|主任|主席|同志|领导)$")


@dataclass(frozen=True, slots=True)
class Numbered:
    """A numbered line: its style and level, the number as written and its value, where its text starts."""

    style: str
    level: int
    number: str
    value: int | None
    offset: int
    text_start: int


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading: level (1 一、, 2 （一）, 3 sub-heading, 4 1., 5 （1）, 6 ①), number, title, full text, span,
    and the leaders or lead units it names for its tasks."""

    level: int
    number: str
    title: str
    full: str
    span: Span
    leaders: tuple[str, ...] = ()
    lead_units: tuple[str, ...] = ()


def numbered(line: str, start: int) -> Numbered | None:
    """The numbering of ``line`` (which starts at offset ``start``), or ``None``."""
    for style, level, pattern in STYLES:
        match = pattern.match(line)
        if match:
            number = match.group(2)
            value = int(number) if number.isdigit() else chinese_value(number) or circled_value(number)
            return Numbered(style, level, number, value, len(match.group(1)), start + match.start(3))
    return None


def heading_of(line: str, start: int, doc_id: str) -> Heading | None:
    """``line`` as a heading (numbered without a clause, or a short un-numbered line), or ``None``."""
    if find_clause(line) is not None:
        return None
    stripped = line.strip()
    span = Span(doc_id, start + len(line) - len(line.lstrip()), start + len(line.rstrip()))
    head = numbered(line, start)
    if head is not None:
        full = _COUNT.sub("", line[head.text_start - start:].split("。", 1)[0].strip())
        title = _YEAR_PREFIX.sub("", full) if head.level == 1 else _CLAUSE_END.split(full, maxsplit=1)[0]
        return _with_owner(Heading(head.level, head.number, title, full, span))
    if stripped and len(stripped) <= MAX_SUBHEADING_CHARS and "。" not in stripped.rstrip("。.") \
            and not stripped.endswith((":", "：")) and "\t" not in stripped:
        title = _COUNT.sub("", stripped.rstrip("。."))
        return _with_owner(Heading(SUBHEADING_LEVEL, "", title, title, span))
    return None


def _with_owner(heading: Heading) -> Heading:
    owner = _OWNER.match(heading.title)
    if owner is None:
        return heading
    names = split_names(owner.group("who"))
    if all(_LEADER_END.search(name) for name in names):
        return Heading(heading.level, heading.number, heading.title, heading.full, heading.span, leaders=names)
    return Heading(heading.level, heading.number, heading.title, heading.full, heading.span, lead_units=names)
