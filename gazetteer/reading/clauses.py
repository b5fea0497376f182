"""The responsibility clause of a task: who leads, which units lead and take part, and by when.

A clause is a run of labelled fields — ``责任领导：…；牵头单位：…；责任单位：…；完成时限：…`` — closing the task in
brackets (``（…）`` ``〔…〕``), on a line of its own after it (bracketed or not), or after the task's last sentence.
Labels differ across China (:data:`LABELS`); a field may appear more than once. Lists split on 、 , ， ; ； but never
inside brackets, so ``区财政局(国资局)`` stays one unit; a closing 等 (等单位, 等部门) is dropped from the last name
and kept as :attr:`Fields.open_ended`.

>>> text = "新建道路10公里。（牵头领导：王副县长；牵头单位：县交通局；配合单位：县财政局、城关镇等；完成时限：6月底前）"
>>> start, end = find_clause(text)
>>> fields = read_fields(text[start:end])
>>> fields.leaders, fields.lead_units, fields.units, fields.deadline, fields.open_ended
(('王副县长',), ('县交通局',), ('县财政局', '城关镇'), '6月底前', True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["LABELS", "Fields", "find_clause", "is_clause_line", "read_fields", "split_names"]

#: Labels of a clause's fields, mapped to the field they fill.
LABELS: dict[str, str] = {
    **dict.fromkeys(("责任领导", "牵头领导", "分管领导", "责任人", "县级领导", "市级领导", "区级领导", "联系领导",
                     "包保领导", "责任县领导", "责任市领导", "责任区领导", "牵头县领导", "牵头市领导", "牵头区领导"),
                    "leaders"),
    **dict.fromkeys(("牵头单位", "主责单位", "牵头部门", "主办单位", "责任主体", "牵头责任单位", "主要责任单位",
                     "牵头责任部门"), "lead_units"),
    **dict.fromkeys(("责任单位", "配合单位", "协办单位", "参与单位", "责任部门", "配合部门", "协作单位", "协同单位",
                     "主要协作单位", "协作责任单位", "配合责任单位", "协同责任单位", "其他责任单位"), "units"),
    **dict.fromkeys(("完成时限", "完成时间", "时间节点", "时限要求", "完成期限"), "deadline"),
}
OPENERS = "(（〔[【"
CLOSERS = ")）〕]】"
SEPARATORS = "、,，;；"
#: Punctuation stripped from the ends of a field.
FIELD_TRIM = " \t:：;；,，、。"
_ALTERNATION = "|".join(sorted(LABELS, key=len, reverse=True))
_LABEL = re.compile(rf"({_ALTERNATION})\s*[:：]")
_BRACKET_START = re.compile(rf"[(（〔\[【]\s*(?=(?:{_ALTERNATION})\s*[:：])")
_BRACKET_END = re.compile(r"[)）〕\]】][。.；;]?\s*$")
#: A clause that is not in a closing bracket: at a line's start (after an opener), or after a sentence ends.
_OPEN_CLAUSE = re.compile(rf"(?:^|(?<=[。；;！!\s]))[(（〔\[【]?\s*(?=(?:{_ALTERNATION})\s*[:：])", re.MULTILINE)
_LINE_CLAUSE = re.compile(rf"^\s*[(（〔\[【]?\s*(?:{_ALTERNATION})\s*[:：]")
#: What closes a list that names only some of its units.
_OPEN_END = re.compile(r"等(?:相关|有关)?(?:单位|部门|乡镇|地方)?$")


@dataclass(frozen=True, slots=True)
class Fields:
    """The fields of a clause, names as written; ``deadline`` is the 完成时限 text ("" when none)."""

    leaders: tuple[str, ...] = ()
    lead_units: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    deadline: str = ""
    open_ended: bool = False

    def __bool__(self) -> bool:
        return bool(self.leaders or self.lead_units or self.units)


def find_clause(text: str) -> tuple[int, int] | None:
    """(start, end) of the clause in an item's text: a closing bracket, else the first unbracketed clause.

    >>> find_clause("新建道路10公里。\\n牵头单位：县交通局\\n配合单位：县财政局")
    (10, 29)
    """
    tail = _BRACKET_END.search(text)
    if tail is not None:
        starts = [match.start() for match in _BRACKET_START.finditer(text, 0, tail.start())]
        if starts:
            return starts[-1], tail.start() + 1
    found = _OPEN_CLAUSE.search(text)
    if found is None or not text[:found.start()].strip():
        return None
    start = found.start() + len(text[found.start():]) - len(text[found.start():].lstrip())
    return start, len(text.rstrip())


def is_clause_line(line: str) -> bool:
    """True for a line that opens with a label (责任单位：…), bracketed or not.

    >>> is_clause_line("（牵头单位：县发改局）"), is_clause_line("牵头单位负责汇总")
    (True, False)
    """
    return _LINE_CLAUSE.match(line) is not None


def read_fields(clause: str) -> Fields:
    """The fields of ``clause`` (its brackets may be included); each label's names added to its field."""
    inside = clause.strip().rstrip("。.；; ")
    if inside[:1] in OPENERS and inside[-1:] in CLOSERS:  # one pair only: 各乡镇（街道）） keeps its own bracket
        inside = inside[1:-1]
    labels = list(_LABEL.finditer(inside))
    found: dict[str, tuple[str, ...]] = {}
    deadline: list[str] = []
    open_ended = False
    for position, label in enumerate(labels):
        stop = labels[position + 1].start() if position + 1 < len(labels) else len(inside)
        value = _balanced(inside[label.end():stop].strip(FIELD_TRIM)).strip(FIELD_TRIM)
        field = LABELS[label.group(1)]
        if field == "deadline":
            deadline.append(value)
            continue
        names, closed = _names(value)
        open_ended |= closed
        found[field] = found.get(field, ()) + names
    return Fields(found.get("leaders", ()), found.get("lead_units", ()), found.get("units", ()),
                  "；".join(filter(None, deadline)), open_ended)


def _balanced(value: str) -> str:
    """``value`` without the closing and opening brackets of separate clause lines (…）\\n（) around it.

    >>> _balanced("县发改局）\\n（"), _balanced("区财政局(区国资局)")
    ('县发改局', '区财政局(区国资局)')
    """
    value = value.rstrip().rstrip(OPENERS).rstrip()
    while value and value[-1] in CLOSERS and _depth(value) < 0:
        value = value[:-1].rstrip()
    return value


def _depth(value: str) -> int:
    return sum(char in OPENERS for char in value) - sum(char in CLOSERS for char in value)


def names_field(value: str) -> tuple[tuple[str, ...], bool]:
    """A table cell or heading naming units: the names and whether the list closed with 等.

    >>> names_field("县发改局、县财政局等单位")
    (('县发改局', '县财政局'), True)
    """
    return _names(value)


def _names(value: str) -> tuple[tuple[str, ...], bool]:
    names = list(split_names(value))
    open_ended = False
    if names and _OPEN_END.search(names[-1]) and len(names[-1]) > len(_OPEN_END.search(names[-1]).group(0)):
        names[-1] = _OPEN_END.sub("", names[-1]).strip(FIELD_TRIM)
        open_ended = True
    return tuple(name for name in names if name), open_ended


def split_names(field: str) -> tuple[str, ...]:
    """Split a field on 、 , ， ; ； (and line breaks) outside brackets, keeping each name as written.

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
        if (char in SEPARATORS or char == "\n") and depth == 0:
            names.append("".join(current))
            current = []
        else:
            current.append(char)
    names.append("".join(current))
    return tuple(name.strip(FIELD_TRIM) for name in names if name.strip(FIELD_TRIM))
