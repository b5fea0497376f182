"""Responsibility-decomposition documents (责任分解方案): targets, numbered tasks and who answers for each.

A decomposition document lists numbered items that each close with a bracket naming 责任领导, 牵头单位 and
责任单位::

    一、2025年全区经济社会发展主要预期目标
    (一)地区生产总值增长7%以上。(责任领导:常务副区长;牵头单位:区发改局;责任单位:各乡镇办场)
    二、2025年“七大行动”重点工作
    (一)实施发展提速行动,推动经济持续向好。全力扩投资……
    扩大有效投资。
    1.坚持“项目为王”……(责任领导:常务副区长;牵头单位:区发改局;责任单位:区直相关单位,各乡镇办场)

Items numbered (一)…(七) that carry a bracket are *targets*; (一)… lines without one are action headings; short
un-numbered lines are sub-headings; ``1.`` … lines with a bracket are *tasks*. An item may wrap onto following
lines. Names inside the bracket are kept exactly as written; lists split on 、 , ， ; ； but never inside brackets, so
``区财政局(国资局)`` stays one unit.

>>> from gazetteer.model import Document
>>> text = ("一、主要预期目标\\n(一)地区生产总值增长7%以上。(责任领导:常务副区长;牵头单位:区发改局;责任单位:各乡镇办场)\\n"
...         "二、重点工作\\n(一)实施发展提速行动,推动经济持续向好。\\n扩大有效投资。\\n"
...         "1.全年完成固定资产投资180亿元以上。〔责任领导:常务副区长、丁玲;牵头单位:区财政局(国资局);责任单位:向阳湖镇〕\\n")
>>> target, task = parse_tasks(Document(id="d", title="", text=text, encoding="utf-8"))
>>> target.id, target.section, task.id, task.section
('d.target1', ('主要预期目标',), 'd.t1', ('实施发展提速行动', '扩大有效投资'))
>>> task.responsibility.leaders, task.responsibility.lead_units
(('常务副区长', '丁玲'), ('区财政局(国资局)',))
>>> unit_scope(("区发改局", "各乡镇办场", "咸安经济开发区"))
(('咸安经济开发区',), <Rule.ALL: 'all'>)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gazetteer.linking.links import Rule
from gazetteer.model import Document, Responsibility, Span, Task, TaskKind

__all__ = ["SCOPES", "Heading", "headings", "is_decomposition", "parse_tasks", "split_names", "unit_scope"]

#: Labels inside a responsibility bracket, mapped to the field of :class:`Responsibility` they fill.
LABELS: dict[str, str] = {
    "责任领导": "leaders",
    "牵头领导": "leaders",
    "分管领导": "leaders",
    "牵头单位": "lead_units",
    "牵头部门": "lead_units",
    "责任单位": "units",
    "配合单位": "units",
    "参与单位": "units",
}
#: Group names in a 责任单位 list that stand for several townships, and the rule each links them by (best first).
SCOPES: dict[str, Rule] = {
    "各乡镇办场": Rule.ALL,
    "各乡镇(办、场)": Rule.ALL,
    "各乡镇办": Rule.ALL_BUT_FARM,
    "相关乡镇办场": Rule.RELATED_LOCATED,
    "相关乡镇办": Rule.RELATED_LOCATED,
    "项目沿线乡镇办场": Rule.RELATED_LOCATED,
    "项目沿线乡镇办": Rule.RELATED_LOCATED,
}
#: Scope precedence when a list names more than one group (``None``: no group).
SCOPE_ORDER: tuple[Rule | None, ...] = (Rule.ALL, Rule.ALL_BUT_FARM, Rule.RELATED_LOCATED, None)
#: Endings of township-like units (towns, townships, subdistricts, the farm, zones).
TOWNSHIP_SUFFIXES: tuple[str, ...] = ("街道办事处", "办事处", "街道", "镇", "乡", "场", "开发区", "物流区")
#: Fragments that mark a department or company even when the name ends like a township (…公司咸安区办事处).
DEPARTMENT_MARKS: tuple[str, ...] = ("局", "公司", "区委", "区直", "区政府", "委员会", "成员单位", "集团")

OPENERS = "(（〔[【"
CLOSERS = ")）〕]】"
SEPARATORS = "、,，;；"
#: Punctuation stripped from the ends of a bracket field.
FIELD_TRIM = " \t:：;；,，、。"

_LABEL = re.compile("(" + "|".join(LABELS) + r")\s*[:：]")
_BRACKET_START = re.compile(r"[(（〔\[【]\s*(?=" + "|".join(LABELS) + ")")
_BRACKET_END = re.compile(r"[)）〕\]】][。.；;]?\s*$")
_CN_NUMBER = "一二三四五六七八九十"
_TOP = re.compile(rf"^\s*([{_CN_NUMBER}]+)、\s*(.+?)\s*$")
_ROMAN = re.compile(rf"^\s*[(（]([{_CN_NUMBER}]+)[)）]\s*(.+?)\s*$")
_NUMBERED = re.compile(r"^\s*(\d{1,3})\s*[.．、](?!\d)\s*(.*?)\s*$")
_YEAR_PREFIX = re.compile(r"^\d{4}\s*年\s*")
_CLAUSE_END = re.compile(r"[,，。;；]")
#: A sub-heading is a short un-numbered line (扩大有效投资。 / 建设“平安咸安”。).
MAX_SUBHEADING_CHARS = 30
#: How many following lines a task may wrap onto before its bracket.
MAX_WRAP_LINES = 4
#: Lines ending in a responsibility bracket needed before a text counts as a decomposition document.
MIN_BRACKETED_LINES = 3


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading of a decomposition document: level 1 (一、), 2 (action (一)), 3 (sub-heading)."""

    level: int
    number: str
    title: str
    full: str
    span: Span


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str


def is_decomposition(text: str) -> bool:
    """True when several lines close with a 责任领导/牵头单位 bracket.

    >>> is_decomposition("咸安区新增耕地4000亩。\\n全区完成固定资产投资106.2亿元。")
    False
    """
    count = 0
    for line in text.split("\n"):
        if _bracket(line) is not None:
            count += 1
            if count >= MIN_BRACKETED_LINES:
                return True
    return False


def parse_tasks(doc: Document) -> list[Task]:
    """Targets (kind ``target``) and numbered tasks (kind ``task``) of a decomposition document, in order.

    A narrative document yields an empty list.
    """
    items: list[Task] = []
    path: dict[int, str] = {}
    targets = 0
    lines = _lines(doc.text)
    index = 0
    while index < len(lines):
        item, after = _item(lines, index)
        if item is None:
            heading = _heading(lines[index], doc.id)
            if heading is not None:
                path = {level: title for level, title in path.items() if level < heading.level}
                path[heading.level] = heading.title
            index += 1
            continue
        index = after
        number, kind, start, end, body = item
        if kind == TaskKind.TARGET:
            targets += 1
        levels = (1,) if kind == TaskKind.TARGET else (2, 3)
        section = tuple(path[level] for level in levels if level in path)
        items.append(_task(doc, kind, number, targets, section, start, end, body))
    return items


def headings(doc: Document) -> list[Heading]:
    """Every heading of a decomposition document with its full text (e.g. the action's "，推动…" clause)."""
    return [heading for line in _lines(doc.text) if (heading := _heading(line, doc.id)) is not None]


def split_names(field: str) -> tuple[str, ...]:
    """Split a bracket field on 、 , ， ; ； outside brackets, keeping each name as written.

    >>> split_names("区政府办、区财政局(国资局)、区农业农村局,各乡镇办场")
    ('区政府办', '区财政局(国资局)', '区农业农村局', '各乡镇办场')
    """
    names: list[str] = []
    depth = 0
    current: list[str] = []
    for char in field:
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth = max(depth - 1, 0)
        if char in SEPARATORS and depth == 0:
            names.append("".join(current))
            current = []
        else:
            current.append(char)
    names.append("".join(current))
    return tuple(name.strip(FIELD_TRIM) for name in names if name.strip(FIELD_TRIM))


def unit_scope(units: tuple[str, ...] | list[str]) -> tuple[tuple[str, ...], Rule | None]:
    """Township-like names in a 责任单位 list (as written, in order) and the scope of its group names.

    The scope is :attr:`Rule.ALL` (各乡镇办场), :attr:`Rule.ALL_BUT_FARM` (各乡镇办), :attr:`Rule.RELATED_LOCATED`
    (相关乡镇办场, 项目沿线乡镇办) or ``None``; departments (区…局, 区委…, …公司) are not township-like.

    >>> unit_scope(["区发改局", "相关乡镇办", "向阳湖镇", "向阳湖奶牛场", "浮山街道办事处"])
    (('向阳湖镇', '向阳湖奶牛场', '浮山街道办事处'), <Rule.RELATED_LOCATED: 'related-located'>)
    """
    found = {SCOPES[unit] for unit in units if unit in SCOPES}
    scope = next(candidate for candidate in SCOPE_ORDER if candidate is None or candidate in found)
    names = dict.fromkeys(unit for unit in units if unit not in SCOPES and _township_like(unit))
    return tuple(names), scope


def _township_like(unit: str) -> bool:
    return unit.endswith(TOWNSHIP_SUFFIXES) and not any(mark in unit for mark in DEPARTMENT_MARKS)


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    start = 0
    for raw in text.split("\n"):
        lines.append(_Line(start, start + len(raw), raw))
        start += len(raw) + 1
    return lines


def _heading(line: _Line, doc_id: str) -> Heading | None:
    if _bracket(line.text) is not None:
        return None
    span = Span(doc_id, line.start + len(line.text) - len(line.text.lstrip()), line.start + len(line.text.rstrip()))
    if match := _TOP.match(line.text):
        full = _first_sentence(match.group(2))
        return Heading(1, match.group(1), _YEAR_PREFIX.sub("", full), full, span)
    if match := _ROMAN.match(line.text):
        full = _first_sentence(match.group(2))
        return Heading(2, match.group(1), _CLAUSE_END.split(full, maxsplit=1)[0], full, span)
    stripped = line.text.strip()
    if stripped and len(stripped) <= MAX_SUBHEADING_CHARS and not _NUMBERED.match(stripped) \
            and "。" not in stripped.rstrip("。.") and not stripped.endswith((":", "：")):
        title = stripped.rstrip("。.")
        return Heading(3, "", title, title, span)
    return None


def _first_sentence(text: str) -> str:
    return text.split("。", 1)[0].strip()


def _item(lines: list[_Line], index: int) -> tuple[tuple[str, str, int, int, str] | None, int]:
    """Read a target or task starting at ``lines[index]``; return it (or None) and the index after it."""
    line = lines[index]
    match = _ROMAN.match(line.text) or _NUMBERED.match(line.text)
    if match is None:
        return None, index + 1
    kind = TaskKind.TARGET if match.re is _ROMAN else TaskKind.TASK
    end_index = index
    joined = line.text
    while _bracket(joined) is None and end_index + 1 < len(lines) and end_index - index < MAX_WRAP_LINES:
        following = lines[end_index + 1].text
        if not following.strip() or _ROMAN.match(following) or _NUMBERED.match(following) or _TOP.match(following):
            break
        end_index += 1
        joined += "\n" + following
    if _bracket(joined) is None:
        return None, index + 1
    start = line.start + (len(line.text) - len(line.text.lstrip()))
    end = lines[end_index].start + len(lines[end_index].text.rstrip())
    return (match.group(1), kind, start, end, joined.strip()), end_index + 1


def _bracket(text: str) -> tuple[int, int] | None:
    """(start, end) of the responsibility bracket closing ``text``, or None."""
    tail = _BRACKET_END.search(text)
    if tail is None:
        return None
    starts = [match.start() for match in _BRACKET_START.finditer(text, 0, tail.start())]
    if not starts:
        return None
    return starts[-1], tail.start() + 1


def _task(doc: Document, kind: TaskKind, number: str, target_index: int, section: tuple[str, ...], start: int, end: int,
          body: str) -> Task:
    bracket_start, bracket_end = _bracket(body)  # type: ignore[misc]  # _item only returns bracketed bodies
    head = (_ROMAN if kind == TaskKind.TARGET else _NUMBERED).match(body.split("\n", 1)[0])
    text_start = head.start(2) if head else 0  # type: ignore[union-attr]
    text = body[text_start:bracket_start].replace("\n", "").strip()
    fields = _fields(body[bracket_start + 1:bracket_end - 1])
    responsibility = Responsibility(leaders=fields.get("leaders", ()), lead_units=fields.get("lead_units", ()),
                                    units=fields.get("units", ()),
                                    span=Span(doc.id, start + bracket_start, start + bracket_end))
    item_id = f"{doc.id}.target{target_index}" if kind == TaskKind.TARGET else f"{doc.id}.t{number}"
    return Task(id=item_id, doc_id=doc.id, kind=kind, number=number, section=section, text=text,
                responsibility=responsibility, span=Span(doc.id, start, end))


def _fields(inside: str) -> dict[str, tuple[str, ...]]:
    labels = list(_LABEL.finditer(inside))
    fields: dict[str, tuple[str, ...]] = {}
    for position, label in enumerate(labels):
        stop = labels[position + 1].start() if position + 1 < len(labels) else len(inside)
        field = LABELS[label.group(1)]
        fields[field] = fields.get(field, ()) + split_names(inside[label.end():stop])
    return fields
