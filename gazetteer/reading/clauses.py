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

Many plans write the clause without labels, as a sentence of who does what (:func:`read_roles`): ``（县发改局牵头，
县财政局、各乡镇按职责分工负责）``, ``（由县住建局负责）``, ``县委办负总责。`` — a name before 牵头 / 负总责 leads, a
name before 负责 / 配合 / 参与 / 按职责分工负责 takes part; names of people (王副县长) are leaders. Such a clause
closes the task in brackets, stands on a line of its own, or is the task's last sentence when every name in it is
the name of a body or a person (so that 市发改委牵头召开会议 is never one).

>>> text = "新建道路10公里。（县交通局牵头，县财政局，城关镇等按职责分工负责）"
>>> start, end = find_clause(text)
>>> fields = read_fields(text[start:end])
>>> fields.lead_units, fields.units, fields.open_ended
(('县交通局',), ('县财政局', '城关镇'), True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["LABELS", "LEAD_VERBS", "NO_NAMES", "UNIT_VERBS", "Fields", "cell_fields", "find_clause", "is_clause_line",
           "read_fields", "read_roles", "split_names"]

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

#: Verbs closing the names that lead, in a clause without labels (县发改局牵头，…), longest first.
LEAD_VERBS: tuple[str, ...] = ("牵头负责", "牵头落实", "牵头推进", "牵头抓总", "牵头组织", "总牵头", "负总责", "牵头")
#: Verbs closing the names that take part (…，县财政局按职责分工负责 / 配合 / 参与), longest first.
UNIT_VERBS: tuple[str, ...] = tuple(sorted((
    "按职责分工负责", "按照职责分工负责", "根据职责分工负责", "按职责分工落实", "按职责分工抓好落实", "按职能分工负责",
    "按职责负责", "按职能负责", "按职责落实", "分工负责", "各负其责", "结合实际落实", "结合实际抓好落实", "抓好落实",
    "负责落实", "具体负责", "共同负责", "配合落实", "积极配合", "协同配合", "配合", "协助", "协同", "协办", "参与",
    "共同推进", "负责"), key=len, reverse=True))
#: How a name of a body ends (局, 委, 办, 政府, 镇, 街道, 管委会, 公司 …): names before a verb are checked with it when
#: the clause is not in brackets, so that only a list of bodies or people makes a sentence a clause.
_BODY_END = re.compile(r"(?:局|委|办|厅|部|署|府|镇|乡|街道|街办|办事处|管委会|委员会|中心|公司|集团|单位|部门|院|所|会|处|"
                       r"队|行|社|站|室|组|园区|开发区|馆|台|团|校|场|区|县|市|旗|科|股|军|司|协|联|监管局)"
                       r"(?:[(（][^()（）]{1,12}[)）])?$")
#: How the name of a person or a leader's post ends (王副县长, 县委书记, 分管领导).
LEADER_END = re.compile(r"(?:长|书记|主任|主席|同志|领导|秘书长|常委)$")
#: Words a name of a body or person never holds: a sentence that holds them is prose, not a clause.
_PROSE = re.compile(r"[要将把对从向在由于的了是为和及与或并]|召开|会议|研究|工作|推进|加强|建立|开展|完成|落实|组织")
#: A part of a clause that is its deadline (2025年6月底前完成, 长期坚持).
_DEADLINE_PART = re.compile(r"^(?:于|在)?\s*(?:\d{4}\s*年|\d{1,2}\s*月|年底|年内|上半年|下半年|[一二三四]季度|长期|持续|常态化)"
                            r".{0,16}?(?:前|底|内|完成|坚持|推进|实施)?$")
#: What a table cell writes when it names nobody.
NO_NAMES = frozenset({"无", "暂无", "/", "—", "——", "-", "--", "／", "－", "无。", "空"})


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
        return _role_clause(text)
    start = found.start() + len(text[found.start():]) - len(text[found.start():].lstrip())
    return start, len(text.rstrip())


def _role_clause(text: str) -> tuple[int, int] | None:
    """(start, end) of a clause without labels: a closing bracket (…。（县发改局牵头，县财政局配合）), or the last
    sentence or line when it is one (…。由县住建局负责。); text must come before it.

    >>> _role_clause("新建道路10公里。由县交通局负责。"), _role_clause("1.市发改委牵头召开会议。")
    ((9, 17), None)
    >>> _role_clause("新建道路10公里，县交通局牵头，县财政局配合。")
    (9, 23)
    """
    body = text.rstrip()
    tail = _BRACKET_END.search(body)
    if tail is not None:
        opener = _opening(body, tail.start())
        if opener is not None and body[:opener].strip() and read_roles(body[opener + 1:tail.start()]):
            return opener, tail.start() + 1
    cut = body.rstrip("。.；;")
    start = max(cut.rfind(stop) for stop in "。\n！？") + 1
    while start < len(cut) and cut[start].isspace():
        start += 1
    # The clause may follow the task's words in the same sentence (…，由县住建局负责): the longest run of parts
    # at the sentence's end that is one.
    offset = start
    for part in _split_outside(cut[start:]):
        if offset and body[:offset].strip() and read_roles(cut[offset:], strict=True):
            return offset, len(body)
        offset += len(part) + 1
    return None


def _opening(text: str, close: int) -> int | None:
    """Where the bracket closing at ``close`` opens, or None when it does not."""
    depth = 0
    for index in range(close, -1, -1):
        if text[index] in CLOSERS:
            depth += 1
        elif text[index] in OPENERS:
            depth -= 1
            if depth == 0:
                return index
    return None


def is_clause_line(line: str) -> bool:
    """True for a line that opens with a label (责任单位：…), bracketed or not.

    >>> is_clause_line("（牵头单位：县发改局）"), is_clause_line("牵头单位负责汇总")
    (True, False)
    """
    if _LINE_CLAUSE.match(line) is not None:
        return True
    stripped = line.strip().rstrip("。.；;")
    if stripped[:1] in OPENERS and stripped[-1:] in CLOSERS and _opening(stripped, len(stripped) - 1) == 0:
        return bool(read_roles(stripped[1:-1]))
    return bool(stripped) and bool(read_roles(stripped, strict=True))


def read_roles(clause: str, *, strict: bool = False) -> Fields:
    """The fields of a clause without labels, or empty :class:`Fields` when ``clause`` is not one.

    Parts separated by ， ； each close with a verb (:data:`LEAD_VERBS`, :data:`UNIT_VERBS`) after their names; a part
    without a verb joins the next (县委金融办，县人行、县金融监管支局按职责分工负责); a last part may be the deadline.
    ``strict`` (a sentence outside brackets): every name must be the name of a body or a person.

    >>> read_roles("王副县长牵头，县交通局、各乡镇按职责分工负责").leaders
    ('王副县长',)
    >>> read_roles("县委办、县政府办按职责分工负责").units, bool(read_roles("市发改委牵头召开会议", strict=True))
    (('县委办', '县政府办'), False)
    """
    inside = clause.strip().rstrip("。.；; ")
    if not inside or _LABEL.search(inside) or len(inside) > 200:
        return Fields()
    leaders: list[str] = []
    lead_units: list[str] = []
    units: list[str] = []
    deadline = ""
    pending: list[str] = []
    open_ended = False
    parts = [part.strip() for part in _split_outside(inside)]
    for position, part in enumerate(parts):
        if not part:
            return Fields()
        role, names_text = _role_of(part)
        if role is None:
            if not pending and _DEADLINE_PART.match(part) and (position or len(parts) > 1):
                deadline = "；".join(filter(None, (deadline, part)))
                continue
            pending.append(part)
            continue
        names, closed = _names("、".join([*pending, names_text]))
        pending = []
        open_ended |= closed
        if not names or not all(_is_name(name, strict=strict) for name in names):
            return Fields()
        people = [name for name in names if LEADER_END.search(name)]
        leaders += people
        (lead_units if role == "lead" else units).extend(name for name in names if name not in people)
    if pending:
        return Fields()
    return Fields(tuple(leaders), tuple(lead_units), tuple(units), deadline, open_ended)


def _split_outside(text: str, separators: str = "，,；;") -> list[str]:
    """``text`` split on ``separators`` outside brackets, parts as written."""
    if not any(char in text for char in OPENERS):  # no brackets: every separator splits (the common case, fast)
        return re.split(f"[{re.escape(separators)}]", text)
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth = max(depth - 1, 0)
        if char in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _role_of(part: str) -> tuple[str | None, str]:
    """("lead" or "unit", the names before the verb) of one part of a clause, or (None, part) without a verb."""
    text = part.removeprefix("由").strip() if part.startswith("由") else part
    if text[-1:] not in _VERB_LAST_CHARS:  # no verb can end it (most parts of prose): skip the verb lists
        return None, part
    for verbs, role in ((LEAD_VERBS, "lead"), (UNIT_VERBS, "unit")):
        for verb in verbs:
            if text.endswith(verb) and len(text) > len(verb):
                names = text[:-len(verb)].rstrip()
                names = names.removeprefix("由").strip()
                # 牵头，…配合: "X牵头、Y配合" is not written; "X牵头负责" is lead. "X负责牵头" reads as lead too.
                if names.endswith("负责") and role == "lead":
                    names = names[:-2]
                return role, names
    if text.endswith("负责牵头") and len(text) > 4:
        return "lead", text[:-4]
    return None, part


#: The last characters of every verb :func:`_role_of` looks for (负责牵头 included).
_VERB_LAST_CHARS = frozenset(verb[-1] for verb in (*LEAD_VERBS, *UNIT_VERBS, "负责牵头"))


def _is_name(name: str, *, strict: bool) -> bool:
    """A name of a body or a person, as a clause writes it (县财政局, 各乡镇人民政府, 王副县长)."""
    if not 2 <= len(name) <= 30 or "。" in name:
        return False
    core = re.sub(r"[(（][^()（）]*[)）]", "", name)
    if _PROSE.search(core) and not core.startswith(("各", "相关", "有关")) and not _BODY_END.search(core):
        return False
    if not strict:
        return not re.search(r"召开|会议|研究|建立|开展|推进|加强", core)
    return (_BODY_END.search(name) is not None or LEADER_END.search(name) is not None) \
        and not re.search(r"召开|会议|研究|建立|开展|推进|加强|[要将把对]", core)


def cell_fields(value: str, field: str) -> tuple[Fields, bool]:
    """A table cell of the column ``field`` (leaders, lead_units, units) as fields, and whether it names all.

    A cell may be a clause of its own: 县发改局牵头，县财政局配合 in a 责任单位 column leads with 县发改局; 省经信厅、
    省科技厅按职责分工负责 in a 牵头单位 column is both leading. 无 names nobody.

    >>> cell_fields("县发改局牵头，县财政局配合", "units")[0].lead_units, cell_fields("无", "units")[0]
    (('县发改局',), Fields(leaders=(), lead_units=(), units=(), deadline='', open_ended=False))
    """
    text = value.strip()
    if text in NO_NAMES:
        return Fields(), True
    roles = read_roles(text) if any(text.rstrip("。；; ").endswith(verb) for verb in (*LEAD_VERBS, *UNIT_VERBS)) \
        else Fields()
    if roles:
        if roles.lead_units or field == "units":
            return roles, True
        names = (*roles.lead_units, *roles.units)
        placed = {"leaders": Fields(leaders=(*roles.leaders, *names), open_ended=roles.open_ended),
                  "lead_units": Fields(roles.leaders, names, (), "", roles.open_ended)}
        return placed.get(field, roles), True
    names, open_ended = _names(text)
    placed = {"leaders": Fields(leaders=names, open_ended=open_ended),
              "lead_units": Fields(lead_units=names, open_ended=open_ended),
              "units": Fields(units=names, open_ended=open_ended)}
    return placed[field], False


def read_fields(clause: str) -> Fields:
    """The fields of ``clause`` (its brackets may be included); each label's names added to its field, or, without
    labels, the clause's roles (:func:`read_roles`)."""
    inside = clause.strip().rstrip("。.；; ")
    if inside[:1] in OPENERS and inside[-1:] in CLOSERS:  # one pair only: 各乡镇（街道）） keeps its own bracket
        inside = inside[1:-1]
    labels = list(_LABEL.finditer(inside))
    if not labels:
        return read_roles(inside, strict=clause.strip()[:1] not in OPENERS)
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
    names = _split_outside(field, SEPARATORS + "\n")
    return tuple(name.strip(FIELD_TRIM) for name in names if name.strip(FIELD_TRIM))
