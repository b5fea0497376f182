"""Responsibility-decomposition documents (责任分解方案): targets, numbered tasks and who answers for each.

A decomposition document lists numbered items that each carry a responsibility clause (:mod:`.clauses`) —
closing the item in brackets, or on lines of their own after it — or a table with a row per task
(:mod:`.task_tables`)::

    一、2025年全区经济社会发展主要预期目标
    (一)地区生产总值增长7%以上。(责任领导:常务副区长;牵头单位:区发改局;责任单位:各乡镇办场)
    二、2025年“七大行动”重点工作
    (一)实施发展提速行动,推动经济持续向好。全力扩投资……
    扩大有效投资。
    1.坚持“项目为王”……(责任领导:常务副区长;牵头单位:区发改局;责任单位:区直相关单位,各乡镇办场)

Numbered items (一、 （一） 1. 1、 （1） ①) that carry a clause are tasks — *targets* under a heading of targets
(主要预期目标); those without one are headings (:mod:`.numbering`); short un-numbered lines are sub-headings. A
heading may name the lead unit or leader of every task under it (一、县示范区管委会牵头工作（8项）), and a plan may
say that the first unit listed leads (排在第一位的为牵头单位). A covering notice's own numbered paragraphs and an
attachment list carry no clause and are not tasks.

>>> from gazetteer.model import Document
>>> text = ("一、主要预期目标\\n(一)地区生产总值增长7%以上。(责任领导:常务副区长;牵头单位:区发改局;责任单位:各乡镇办场)\\n"
...         "二、重点工作\\n(一)实施发展提速行动,推动经济持续向好。\\n扩大有效投资。\\n"
...         "1.全年完成固定资产投资180亿元以上。〔责任领导:常务副区长、丁玲;牵头单位:区财政局(国资局);责任单位:向阳湖镇〕\\n")
>>> target, task = parse_tasks(Document(id="d", title="", text=text, encoding="utf-8"))
>>> target.id, target.section, task.id, task.section
('d.target1', ('主要预期目标',), 'd.t1', ('实施发展提速行动', '扩大有效投资'))
>>> task.responsibility.leaders, task.responsibility.lead_units
(('常务副区长', '丁玲'), ('区财政局(国资局)',))
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from gazetteer.model import Document, Responsibility, Span, Table, Task, TaskKind
from gazetteer.reading.clauses import Fields, find_clause, is_clause_line, read_fields, split_names
from gazetteer.reading.deadlines import parse_deadline, plan_year
from gazetteer.reading.numbering import Heading, Numbered, heading_of, numbered
from gazetteer.reading.task_checks import check_items
from gazetteer.reading.task_tables import TableRow, TableSection, table_rows, tables_in_text
from geodata.deployment import normalise_phrase

__all__ = ["Heading", "TaskReading", "headings", "is_decomposition", "is_plan", "parse_tasks", "read_tasks",
           "split_names"]

#: Collective names of departments and units that are no deployment's phrase (区直相关单位, 相关部门; 各县市区人民政府
#: in a county's plan): known, so they raise no warning.
OTHER_COLLECTIVES = frozenset({"各县市区人民政府", "各县（市、区）人民政府", "各县(市、区)人民政府", "各县市区",
                               "各区人民政府", "各县区人民政府", "区直相关单位", "县直相关单位", "市直相关单位",
                               "区直各单位", "县直各单位", "市直各单位", "区直有关单位", "县直有关单位", "市直有关单位", "各成员单位", "相关部门", "有关部门",
                               "相关单位", "有关单位"})
#: Tasks needed before a text counts as a decomposition document.
MIN_TASKS = 3
#: Titles that name a decomposition (…重点工作责任分解的通知, …任务分工方案, …目标任务分解表): such a text is a plan
#: with fewer than :data:`MIN_TASKS` tasks too (a department's share of the plan, an attachment cut short).
DECOMPOSITION_TITLE = re.compile(r"责任分解|任务分解|分解落实|责任分工|任务分工|工作分工|分工方案|分工落实")
#: Titles of texts *about* a plan (a 政策解读, a press conference, news), which stay narrative.
ABOUT_A_PLAN = re.compile(r"解读|答记者问|新闻发布|问答|图解|一图读懂|新闻|报道")
#: A plan's statement that the first unit listed for a task is its lead unit.
FIRST_LEADS = re.compile(r"(?:排在|列|排|居)?(?:第一位|第一个|首位)(?:的)?(?:责任)?(?:单位|部门)?(?:为|是)(?:牵头|主责)")
#: How many following lines a task may wrap onto before its clause.
MAX_WRAP_LINES = 4
#: Blank lines a task may have between it and its clause lines.
MAX_BLANK_LINES = 2
#: Top-level headings whose numbered items are targets, not tasks.
_TARGETS = re.compile(r"目标|指标")
_NOT_TARGETS = re.compile(r"任务|工作|行动")


@dataclass(frozen=True, slots=True)
class TaskReading:
    """The tasks of a document, the layout(s) they were read in, and warnings a person can act on."""

    tasks: tuple[Task, ...]
    layout: str
    warnings: tuple[str, ...] = ()


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class _Item:
    """A task before ids and defaults: where it stands and what its clause said."""

    number: str
    value: int | None
    style: str
    top: str
    section: tuple[str, ...]
    text: str
    fields: Fields
    span: Span
    clause: Span | None
    layout: str
    defaults: Fields = field(default_factory=Fields)


def is_decomposition(source: str | Document) -> bool:
    """True when a text has at least :data:`MIN_TASKS` tasks with a responsibility clause, and is not about a plan:
    what :func:`is_plan` says of :func:`read_tasks`, found without reading the tasks (the lines are scanned only
    until enough items carry a clause, and no item is built).

    >>> is_decomposition("咸安区新增耕地4000亩。\\n全区完成固定资产投资106.2亿元。")
    False
    """
    doc = source if isinstance(source, Document) else Document(id="d", title="", text=source, encoding="")
    needed = _tasks_needed(doc)
    if needed is None:
        return False
    tables = _tables(doc)
    found = sum(1 for _ in islice(_scan(_outside(doc.text, tables)), needed))
    if found < needed:
        found += sum(isinstance(row, TableRow) for table in tables for row in table_rows(table))
    return found >= needed


def is_plan(doc: Document, reading: TaskReading) -> bool:
    """True when ``reading`` of ``doc`` found enough tasks — :data:`MIN_TASKS`, or one under a title that names a
    decomposition (:data:`DECOMPOSITION_TITLE`) — and the text is not one *about* a plan (政策解读).

    >>> text = "2023年政府工作报告重点工作责任分解\\n1.财政收入与经济增长同步。\\n责任单位：县财政局。\\n"
    >>> doc = Document(id="d", title="", text=text, encoding="utf-8")
    >>> is_plan(doc, read_tasks(doc)), is_decomposition(text.replace("责任分解", "要点"))
    (True, False)
    """
    needed = _tasks_needed(doc)
    return needed is not None and len(reading.tasks) >= needed


def _tasks_needed(doc: Document) -> int | None:
    """How many tasks make ``doc`` a plan: :data:`MIN_TASKS`, one under a title that names a decomposition, or
    ``None`` for a text *about* a plan, which no number of tasks makes one."""
    from gazetteer.reading.documents import first_line_title

    title = doc.title or first_line_title(doc.text)
    if ABOUT_A_PLAN.search(title):
        return None
    return 1 if DECOMPOSITION_TITLE.search(title) else MIN_TASKS


def parse_tasks(doc: Document) -> list[Task]:
    """Targets (kind ``target``) and tasks (kind ``task``) of a decomposition document, in order; [] otherwise."""
    return list(read_tasks(doc).tasks)


def read_tasks(doc: Document, *, phrases: Iterable[str] = ()) -> TaskReading:
    """Every task of ``doc`` with the layout recognised and warnings (see :func:`is_plan` for the document kind);
    ``phrases`` are the deployment's collective phrases (各乡镇办场 …): any other collective name is warned of."""
    tables = _tables(doc)
    flattened = not doc.tables and any("\t" not in doc.text[t.span.start:t.span.end] for t in tables)
    items, loose = _line_items(doc, tables)
    items += _table_items(tables, "flattened-table" if flattened else "table")
    items.sort(key=lambda item: item.span.start)
    if not items:
        return TaskReading((), "")
    first_leads = FIRST_LEADS.search(doc.text) is not None
    tasks = _tasks(doc, items, first_leads=first_leads)
    layouts = list(dict.fromkeys(item.layout for item in items))
    warnings = check_items(tasks, loose_numbers=loose, styles=[(item.span.start, item.style) for item in items],
                           defined=frozenset(map(normalise_phrase, phrases)) | OTHER_COLLECTIVES)
    return TaskReading(tuple(tasks), "+".join(layouts), tuple(warnings))


def headings(doc: Document) -> list[Heading]:
    """Every heading of a decomposition document with its full text (e.g. the action's "，推动…" clause)."""
    return [heading for line in _lines(doc.text) if (heading := heading_of(line.text, line.start, doc.id))]


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    start = 0
    for raw in text.split("\n"):
        lines.append(_Line(start, start + len(raw), raw))
        start += len(raw) + 1
    return lines


# -- numbered lines --------------------------------------------------------------------------------------------
def _tables(doc: Document) -> tuple[Table, ...]:
    """The document's own tables, else those written into its text."""
    return doc.tables or tuple(tables_in_text(doc.text, doc_id=doc.id))


def _outside(text: str, tables: tuple[Table, ...]) -> list[_Line]:
    """The lines of ``text`` that start outside every table (one pass over lines and tables, both by start)."""
    spans = sorted((t.span.start, t.span.end) for t in tables)
    lines: list[_Line] = []
    at, reach = 0, -1  # the next table to take in; the furthest end of the tables started so far
    for line in _lines(text):
        while at < len(spans) and spans[at][0] <= line.start:
            reach = max(reach, spans[at][1])
            at += 1
        if line.start >= reach:
            lines.append(line)
    return lines


def _line_items(doc: Document, tables: tuple[Table, ...]) -> tuple[list[_Item], list[Numbered]]:
    """Tasks numbered in running text, and the numbered lines that carried no clause (headings or gaps)."""
    lines = _outside(doc.text, tables)
    items: list[_Item] = []
    loose: list[Numbered] = []
    path: dict[int, Heading] = {}
    for index, head, extent in _scan(lines, every=True):
        if extent is not None:
            items.append(_item(doc, lines, index, head, path, extent))
            continue
        heading = heading_of(lines[index].text, lines[index].start, doc.id)
        if heading is not None:
            path = {level: h for level, h in path.items() if level < heading.level}
            path[heading.level] = heading
        if head is not None:
            loose.append(head)
    return items, loose


@dataclass(frozen=True, slots=True)
class _Extent:
    """Where a numbered item's text ends (``end``, a line index) and its clause, read from ``body``."""

    end: int
    body: str
    clause: tuple[int, int]
    fields: Fields


def _scan(lines: list[_Line], *, every: bool = False) -> Iterator[tuple[int, Numbered, _Extent]]:
    """Each numbered line that opens an item with a clause, as (index, numbering, extent), in order; with
    ``every``, the other lines too, as (index, numbering or None, None)."""
    index = 0
    while index < len(lines):
        head = numbered(lines[index].text, lines[index].start)
        extent = _extent(lines, index) if head else None
        if extent is not None:
            yield index, head, extent
            index = extent.end + 1
            continue
        if every:
            yield index, head, None
        index += 1


def _extent(lines: list[_Line], index: int) -> _Extent | None:
    """The item numbered at ``lines[index]``: its text and clause (closing bracket, or lines of their own)."""
    end = index
    body = lines[index].text
    while find_clause(body) is None and end + 1 < len(lines) and end - index < MAX_WRAP_LINES:
        following = lines[end + 1].text
        if not following.strip():
            ahead = _clause_after_blanks(lines, end + 1)
            if ahead is None:
                break
            body += "".join("\n" + line.text for line in lines[end + 1:ahead])
            end, following = ahead - 1, lines[ahead].text
        if numbered(following, 0):
            break
        end += 1
        body += "\n" + following
        if is_clause_line(following):
            while end + 1 < len(lines):
                ahead = end + 1 if is_clause_line(lines[end + 1].text) else _clause_after_blanks(lines, end + 1)
                if ahead is None:
                    break
                body += "".join("\n" + line.text for line in lines[end + 1:ahead + 1])
                end = ahead
            break
    clause = find_clause(body)
    if clause is None:
        return None
    fields = read_fields(body[clause[0]:clause[1]])
    return _Extent(end, body, clause, fields) if fields else None


def _item(doc: Document, lines: list[_Line], index: int, head: Numbered, path: dict[int, Heading],
          extent: _Extent) -> _Item:
    """The task numbered at ``lines[index]``, its text up to ``extent``, under the headings of ``path``."""
    body, clause = extent.body, extent.clause
    start = lines[index].start
    layout = "bracket-clause" if body[clause[0]] in "(（〔[【" and "\n" not in body[clause[0]:clause[1]] \
        and body[:clause[0]].strip() else "clause-line"
    text = body[head.text_start - start:clause[0]].replace("\n", "").strip().rstrip("，,；;").strip()
    levels = sorted(path)
    top = path[1].title if 1 in path else ""
    return _Item(head.number, head.value, head.style, top, _section(path, head.level), text, extent.fields,
                 Span(doc.id, start + head.offset, start + len(body.rstrip())),
                 Span(doc.id, start + clause[0], start + clause[1]), layout,
                 _defaults([path[level] for level in levels]))


def _clause_after_blanks(lines: list[_Line], at: int) -> int | None:
    """The index of the clause line after the blank lines from ``at`` on (a text saved from a web page puts a
    blank line between a task and each of its clause lines), or None when something else comes first."""
    ahead = at
    while ahead < len(lines) and not lines[ahead].text.strip() and ahead - at < MAX_BLANK_LINES:
        ahead += 1
    if ahead < len(lines) and ahead > at and is_clause_line(lines[ahead].text):
        return ahead
    return None


def _section(path: dict[int, Heading], level: int) -> tuple[str, ...]:
    """The headings above a task: levels 2 and deeper when there are any, else the top level."""
    above = [path[lvl].title for lvl in sorted(path) if lvl < level]
    deeper = [path[lvl].title for lvl in sorted(path) if 1 < lvl < level]
    return tuple(deeper) if deeper else tuple(above)


def _defaults(path: list[Heading]) -> Fields:
    """The lead units and leaders the headings above a task name, the nearest heading winning."""
    leaders: tuple[str, ...] = ()
    lead_units: tuple[str, ...] = ()
    for heading in path:
        leaders = heading.leaders or leaders
        lead_units = heading.lead_units or lead_units
    return Fields(leaders, lead_units)


# -- table rows ------------------------------------------------------------------------------------------------
def _table_items(tables: tuple[Table, ...], layout: str) -> list[_Item]:
    items: list[_Item] = []
    for table in tables:
        section: tuple[str, ...] = ()
        defaults = Fields()
        for row in table_rows(table):
            if isinstance(row, TableSection):
                heading = heading_of(row.text, row.span.start, row.span.doc_id)
                title = heading.title if heading else row.text
                section = (title,)
                defaults = Fields(heading.leaders, heading.lead_units) if heading else Fields()
                continue
            items.append(_row_item(row, section, defaults, layout))
    return items


def _row_item(row: TableRow, section: tuple[str, ...], defaults: Fields, layout: str) -> _Item:
    value = int(row.number) if row.number.isdigit() else None
    return _Item(row.number, value, "row", "", (*section, *row.sections), row.text, row.fields, row.span,
                 row.clause_span, layout, defaults)


# -- tasks -----------------------------------------------------------------------------------------------------
def _tasks(doc: Document, items: list[_Item], *, first_leads: bool) -> list[Task]:
    year = plan_year(doc.title, doc.text)
    tasks: list[Task] = []
    used: set[str] = set()
    targets = 0
    for item in items:
        kind = TaskKind.TARGET if _TARGETS.search(item.top) and not _NOT_TARGETS.search(item.top) else TaskKind.TASK
        if kind == TaskKind.TARGET:
            targets += 1
            item_id = f"{doc.id}.target{targets}"
        else:
            item_id = _task_id(doc.id, str(item.value) if item.value is not None else str(len(tasks) + 1), used)
        used.add(item_id)
        tasks.append(Task(id=item_id, doc_id=doc.id, kind=kind, number=item.number, section=item.section,
                          text=item.text, responsibility=_responsibility(item, first_leads=first_leads),
                          span=item.span,
                          deadline=parse_deadline(item.fields.deadline, year=year) if item.fields.deadline else None))
    return tasks


def _task_id(doc_id: str, number: str, used: set[str]) -> str:
    """``doc.t3``; where the numbering restarts (a second table, a second list), ``doc.t3.2``, ``doc.t3.3`` …"""
    item_id = f"{doc_id}.t{number}"
    copy = 1
    while item_id in used:
        copy += 1
        item_id = f"{doc_id}.t{number}.{copy}"
    return item_id


def _responsibility(item: _Item, *, first_leads: bool) -> Responsibility:
    fields = item.fields
    leaders = fields.leaders or item.defaults.leaders
    lead_units, units = fields.lead_units, fields.units
    if not lead_units and item.defaults.lead_units:
        lead_units = item.defaults.lead_units
    elif not lead_units and first_leads and units:
        lead_units, units = units[:1], units[1:]
    return Responsibility(leaders=leaders, lead_units=lead_units, units=units, span=item.clause,
                          open_ended=fields.open_ended)

