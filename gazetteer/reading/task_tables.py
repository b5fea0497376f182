"""Task tables: 序号 | 工作任务 | 责任领导 | 牵头单位 | 责任单位 | 完成时限, one row a task.

The header row is found by its labels (:data:`COLUMNS`), wherever it stands (a title row may come first); a header
may span two rows (序号 | 工作任务 | 责任分工, and 牵头单位 | 责任单位 under 责任分工); a row that repeats it (a table
continued over a page) is skipped; a row of one merged cell (or one text) is a section heading; columns left of the
task that are neither number nor task (类别, 领域) are sections too, merged down. A unit cell may be a clause of its
own (县发改局牵头，县财政局配合) or say 无 (:func:`~gazetteer.reading.clauses.cell_fields`); a 责任人 column is the
leaders' only when the table has no 责任领导 / 牵头领导 / 分管领导 column.

Tables come from the document (Word, Excel, HTML, PDF) or from its text (:func:`tables_in_text`): rows of cells
separated by tabs (pasted from a spreadsheet), or one cell a line under a header of one label a line, each row
opened by its bare number — as web pages and PDF extraction leave a table.

>>> from gazetteer.model import Document
>>> text = "序号\\n重点任务\\n牵头单位\\n完成时限\\n1\\n新建道路10公里\\n县交通局\\n6月底前\\n2\\n改造小区8个\\n县住建局\\n年底前"
>>> (table,) = tables_in_text(text, doc_id="d")
>>> [row.text for row in table_rows(table) if isinstance(row, TableRow)]
['新建道路10公里', '改造小区8个']
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from gazetteer.model import Span, Table, TableCell
from gazetteer.reading.clauses import LABELS, Fields, cell_fields

__all__ = ["COLUMNS", "TableRow", "TableSection", "header_columns", "table_rows", "tables_in_text"]

#: Header labels of each column a task table may have, checked in this order (the task column last: 任务 is broad).
COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("number", ("序号", "编号", "序")),
    ("deadline", (*(label for label, field in LABELS.items() if field == "deadline"), "时限", "进度安排")),
    ("leaders", (*(label for label, field in LABELS.items() if field == "leaders"), *("领导", "联系人"))),
    ("lead_units", tuple(label for label, field in LABELS.items() if field == "lead_units")),
    ("units", tuple(label for label, field in LABELS.items() if field == "units")),
    ("task", ("工作任务", "重点任务", "任务内容", "工作内容", "主要任务", "目标任务", "具体任务", "重点工作", "工作目标",
              "主要内容", "具体内容", "工作措施", "目标内容", "任务")),
)
#: A leaders' label that yields to any other leaders' column of the same table (the person in the unit who answers).
PERSON_LABELS = ("责任人", "联系人", "具体责任人")
#: Fewest header labels (one of them the task column) that make a row a task table's header.
MIN_HEADER_LABELS = 2
#: Longest header cell (工作任务及工作目标).
MAX_LABEL_CHARS = 12
#: How far down a table its header may stand.
MAX_HEADER_ROW = 5
_SPACE = re.compile(r"\s+")
#: A header cell over a group of columns (责任分工 over 牵头单位 | 责任单位), which labels no column of its own.
_GROUP_LABEL = re.compile(r"^\s*(?:责任分工|任务分工|责任落实|责任主体及分工|责任划分|分工|责任)\s*$")
_BARE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.．、]?\s*$")
_SECTION_LINE = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")
_DEADLINE_LIKE = re.compile(r"\d{4}\s*年|\d{1,2}\s*月|年底|年内|季度|上半年|下半年|长期|持续|常态化|\d{4}-\d{2}")


@dataclass(frozen=True, slots=True)
class TableSection:
    """A section row inside a table (一、扩大有效投资), with its span."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class TableRow:
    """A task row: its number (as written, "" when the table has none), section cells, text and fields."""

    number: str
    sections: tuple[str, ...]
    text: str
    fields: Fields
    span: Span
    text_span: Span
    clause_span: Span | None


def header_columns(cells: Sequence[str]) -> dict[str, int]:
    """Which column holds which field, for a header row; {} when the row is not a task table's header.

    >>> header_columns(["序号", "工作任务", "责任领导", "牵头单位", "配合单位", "完成时限"])
    {'number': 0, 'task': 1, 'leaders': 2, 'lead_units': 3, 'units': 4, 'deadline': 5}
    """
    found: dict[str, int] = {}
    person: int | None = None
    for column, raw in enumerate(cells):
        field = column_field(raw)
        if field == "leaders" and _SPACE.sub("", raw) in PERSON_LABELS:
            person = column if person is None else person
            continue
        if field is not None and field not in found:
            found[field] = column
    if person is not None and "leaders" not in found:
        found["leaders"] = person
    if "task" not in found or len(found) < MIN_HEADER_LABELS:
        return {}
    return dict(sorted(found.items(), key=lambda item: item[1]))


def column_field(cell: str) -> str | None:
    """The field a header cell labels (序号 → number, 牵头单位 → lead_units), or ``None``."""
    label = _SPACE.sub("", cell)
    if not label or len(label) > MAX_LABEL_CHARS:
        return None
    for field, names in COLUMNS:
        if label.startswith(names) or label.endswith(names):  # any of the names (a tuple)
            return field
    return None


def table_rows(table: Table) -> Iterator[TableSection | TableRow]:
    """Sections and task rows of ``table`` in order; nothing when it has no task header."""
    header_at, columns = _header(table)
    if not columns:
        return
    headers = [[cell.text for cell in table.rows[at]] for at in range(header_at + 1) if at >= header_at - 1]
    section_columns = [c for c in range(columns["task"]) if c not in columns.values()]
    for row in table.rows[header_at + 1:]:
        texts = [cell.text for cell in row]
        if texts in headers or _labels_only(texts):
            continue
        distinct = {(cell.span.start, cell.span.end): cell for cell in row if cell.text}
        if len(distinct) == 1 and not row[columns["task"]].text.strip() or len({c.span for c in row}) == 1:
            cell = next(iter(distinct.values()), row[0])
            if cell.text:
                yield TableSection(cell.text, cell.span)
            continue
        if row[columns["task"]].text.strip():
            yield _row(row, columns, section_columns)


def _header(table: Table) -> tuple[int, dict[str, int]]:
    """The header row and its columns; a second header row under it (牵头单位 | 责任单位 under 责任分工) adds its own."""
    for index, row in enumerate(table.rows[:MAX_HEADER_ROW]):
        texts = [cell.text for cell in row]
        columns = header_columns(texts)
        if not columns:
            continue
        if index + 1 < len(table.rows) and _labels_only(lower := [cell.text for cell in table.rows[index + 1]], texts):
            merged = [low if column_field(low) is not None else up for up, low in zip(texts, lower)]
            columns = header_columns(merged) or columns
            return index + 1, columns
        return index, columns
    return 0, {}


def _labels_only(texts: Sequence[str], above: Sequence[str] = ()) -> bool:
    """True for a row whose every written cell is a header label (the second row of a header, or a header repeated
    on a new page), with at least one label of a responsibility column; a cell merged down from ``above`` (the row
    above it: 类别, 序号) does not count.

    >>> _labels_only(["类别", "工作任务", "牵头单位", "责任单位"], ["类别", "工作任务", "责任分工", "责任分工"])
    True
    >>> _labels_only(["1", "新建道路", "县交通局", ""])
    False
    """
    written = [text for column, text in enumerate(texts)
               if text.strip() and not (column < len(above) and above[column] == text)]
    fields = [column_field(text) for text in written]
    return bool(written) and None not in fields and any(f in ("leaders", "lead_units", "units") for f in fields)


def _row(row: Sequence[TableCell], columns: dict[str, int], section_columns: Sequence[int]) -> TableRow:
    def text(field: str) -> str:
        return row[columns[field]].text if field in columns else ""

    cells = [cell_fields(text(field), field)[0] for field in ("leaders", "lead_units", "units")]
    fields = Fields(tuple(dict.fromkeys(name for cell in cells for name in cell.leaders)),
                    tuple(dict.fromkeys(name for cell in cells for name in cell.lead_units)),
                    tuple(dict.fromkeys(name for cell in cells for name in cell.units)),
                    text("deadline"), any(cell.open_ended for cell in cells))
    task_cell = row[columns["task"]]
    clause_cells = [row[columns[f]] for f in ("leaders", "lead_units", "units", "deadline")
                    if f in columns and row[columns[f]].text]
    clause_span = None
    if clause_cells:
        clause_span = Span(task_cell.span.doc_id, min(c.span.start for c in clause_cells),
                           max(c.span.end for c in clause_cells))
    written = [cell.span for cell in row if cell.text]
    span = Span(task_cell.span.doc_id, min(s.start for s in written), max(s.end for s in written))
    number = text("number").strip().rstrip(".．、")
    sections = tuple(dict.fromkeys(row[c].text for c in section_columns if row[c].text))
    return TableRow(number, sections, task_cell.text, fields, span, task_cell.span, clause_span)


def tables_in_text(text: str, *, doc_id: str) -> list[Table]:
    """Task tables written into a text: tab-separated rows, or one cell a line under a header of label lines."""
    lines = _lines(text)
    return [*_tab_tables(lines, doc_id), *_line_tables(lines, doc_id)]


def _lines(text: str) -> list[tuple[int, str]]:
    lines, start = [], 0
    for raw in text.split("\n"):
        lines.append((start, raw))
        start += len(raw) + 1
    return lines


def _tab_tables(lines: list[tuple[int, str]], doc_id: str) -> Iterator[Table]:
    index = 0
    while index < len(lines):
        start, raw = lines[index]
        if "\t" not in raw or not header_columns(raw.split("\t")):
            index += 1
            continue
        end = index
        while end + 1 < len(lines) and ("\t" in lines[end + 1][1] or _SECTION_LINE.match(lines[end + 1][1])):
            end += 1
        yield _table_of([_tab_cells(*lines[k], doc_id) for k in range(index, end + 1)], doc_id)
        index = end + 1


def _tab_cells(start: int, raw: str, doc_id: str) -> list[tuple[str, Span]]:
    cells, offset = [], start
    for part in raw.split("\t"):
        stripped = part.strip()
        lead = len(part) - len(part.lstrip())
        cells.append((stripped, Span(doc_id, offset + lead, offset + lead + len(stripped))))
        offset += len(part) + 1
    return cells


def _line_tables(lines: list[tuple[int, str]], doc_id: str) -> Iterator[Table]:
    index = 0
    while index < len(lines):
        run = _label_run(lines, index)
        labels = [(start, raw) for start, raw in lines[index:index + run] if not _GROUP_LABEL.match(raw)]
        width = len(labels)
        columns = header_columns([raw.strip() for _, raw in labels]) if run else {}
        if "number" not in columns:
            index += 1
            continue
        rows = [[(raw.strip(), _line_span(start, raw, doc_id)) for start, raw in labels]]
        index += run
        while index < len(lines):
            record, index = _record(lines, index, width, columns, doc_id)
            if record is None:
                break
            rows.append(record)
        if len(rows) > 1:
            yield _table_of(rows, doc_id)


def _label_run(lines: list[tuple[int, str]], index: int) -> int:
    """How many lines from ``index`` are single header labels, or the label over a group of them (责任分工: a header
    of two rows, flattened)."""
    width = labels = 0
    while index + width < len(lines) and "\t" not in lines[index + width][1] \
            and (column_field(lines[index + width][1]) is not None or _GROUP_LABEL.match(lines[index + width][1])):
        labels += not _GROUP_LABEL.match(lines[index + width][1])
        width += 1
    return width if labels >= MIN_HEADER_LABELS + 1 else 0


def _record(lines: list[tuple[int, str]], index: int, width: int, columns: dict[str, int],
            doc_id: str) -> tuple[list[tuple[str, Span]] | None, int]:
    """One flattened row from ``index``: a section line, or a bare number and the cells that follow it."""
    start, raw = lines[index]
    if _SECTION_LINE.match(raw) and len(raw.strip()) < 40:
        return [(raw.strip(), _line_span(start, raw, doc_id))], index + 1
    if not _BARE_NUMBER.match(raw):
        return None, index
    cells = [(raw.strip(), _line_span(start, raw, doc_id))]
    index += 1
    while index < len(lines) and len(cells) < width and lines[index][1].strip() \
            and not _BARE_NUMBER.match(lines[index][1]) and not _SECTION_LINE.match(lines[index][1]):
        cells.append((lines[index][1].strip(), _line_span(*lines[index], doc_id)))
        index += 1
    return _placed(cells, width, columns), index


def _placed(cells: list[tuple[str, Span]], width: int, columns: dict[str, int]) -> list[tuple[str, Span]]:
    """Cells of a short record put in their columns: the task first, a date-like cell under 完成时限."""
    if len(cells) == width:
        return cells
    empty = ("", cells[0][1])
    placed: list[tuple[str, Span]] = [empty] * width
    placed[columns["number"]] = cells[0]
    rest = list(cells[1:])
    if rest:
        placed[columns["task"]] = rest.pop(0)
    if "deadline" in columns and rest and _DEADLINE_LIKE.search(rest[-1][0]):
        placed[columns["deadline"]] = rest.pop()
    free = [c for c in range(width) if c not in (columns["number"], columns["task"], columns.get("deadline"))]
    for column, cell in zip(free, rest):
        placed[column] = cell
    return placed


def _line_span(start: int, raw: str, doc_id: str) -> Span:
    lead = len(raw) - len(raw.lstrip())
    return Span(doc_id, start + lead, start + len(raw.rstrip()))


def _table_of(rows: list[list[tuple[str, Span]]], doc_id: str) -> Table:
    """A table on a full grid; a row of one cell spans the width (a section row)."""
    width = max(len(row) for row in rows)
    grid: list[tuple[TableCell, ...]] = []
    for r, row in enumerate(rows):
        if len(row) == 1:
            text, span = row[0]
            grid.append(tuple(TableCell(text, span, r, c, merged=c > 0) for c in range(width)))
            continue
        padded = row + [("", Span(doc_id, row[-1][1].end, row[-1][1].end))] * (width - len(row))
        grid.append(tuple(TableCell(text, span, r, c) for c, (text, span) in enumerate(padded)))
    return Table(tuple(grid), Span(doc_id, rows[0][0][1].start, rows[-1][-1][1].end))
