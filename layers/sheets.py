"""A unit's quarterly sheet (.xlsx): its assignments of the quarter with the report columns, out and back in.

The same columns both ways, Chinese headers, a hidden first column with the assignment's id and the version of its
report when the sheet was made (so that a row changed on the site since is refused, never overwritten). Reading a
filled sheet gives its rows and every error with its row number, in Chinese (:func:`read_sheet`);
:func:`check_rows` then refuses a row that is not one of the unit's assignments or that changed since download.
Nothing here writes: the caller applies all rows or none.

>>> line = SheetLine("17", 0, "3", "实施发展提速行动", "新建污水管网10公里", "2025年底", "牵头", 40.0, "推进中")
>>> rows, errors = read_sheet(quarter_sheet([line], title="北湖镇 2025年第二季度"))
>>> errors, [(r.row, r.assignment, r.version, r.progress, r.status.value) for r in rows]
([], [(3, '17', 0, 40.0, '推进中')])
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from gazetteer.supervision.lights import Progress
from gazetteer.supervision.workflow import TEXT_LIMIT
from layers.bulletin import clean

#: The columns: (header, width); the first is hidden. Reading finds columns by header, so their order may change.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("编号（请勿修改）", 14), ("序号", 6), ("行动", 18), ("任务", 48), ("完成时限", 12), ("角色", 6),
    ("进度（%）", 9), ("状态", 10), ("进展情况", 40), ("存在问题", 30), ("下步打算", 30),
)
ID, PROGRESS, STATUS, DONE, PROBLEMS, NEXT = (COLUMNS[i][0] for i in (0, 6, 7, 8, 9, 10))
#: The row of the headers (the first row is the sheet's title).
HEADER_ROW = 2
#: The largest upload read (bytes) and the most rows.
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
_ID = re.compile(r"^(.+)@(\d+)$")


class SheetError(ValueError):
    """The file is not a quarterly sheet at all (not .xlsx, no header row, too large)."""


@dataclass(frozen=True, slots=True)
class SheetLine:
    """One assignment as the sheet shows it: id and report version, the task, and the report so far."""

    assignment: str
    version: int
    number: str
    section: str
    text: str
    deadline: str
    role: str
    progress: float | None = None
    status: str = ""
    done: str = ""
    problems: str = ""
    next_steps: str = ""


@dataclass(frozen=True, slots=True)
class FilledRow:
    """A row read back: its row number in the sheet, the assignment and version it names, and the report."""

    row: int
    assignment: str
    version: int
    progress: float
    status: Progress
    done: str
    problems: str
    next_steps: str


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行：{self.message}"


def quarter_sheet(lines: Sequence[SheetLine], *, title: str) -> bytes:
    """The .xlsx of ``lines``: a title row, the headers, one row per assignment, a list of statuses to pick from.
    Every cell is written as a value (a text starting with ``=`` stays text, never a formula)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "季度报送"
    sheet.cell(1, 1, clean(title)).font = Font(bold=True, size=13)
    for column, (header, width) in enumerate(COLUMNS, 1):
        cell = sheet.cell(HEADER_ROW, column, header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FFF3E6")
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.column_dimensions["A"].hidden = True
    for offset, line in enumerate(lines, HEADER_ROW + 1):
        values = (f"{line.assignment}@{line.version}", line.number, line.section, line.text, line.deadline,
                  line.role, line.progress, line.status, line.done, line.problems, line.next_steps)
        for column, value in enumerate(values, 1):
            cell = sheet.cell(offset, column, clean(value) if isinstance(value, str) else value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    statuses = DataValidation(type="list", formula1='"' + ",".join(p.value for p in Progress) + '"',
                              allow_blank=True, showErrorMessage=True, errorTitle="状态",
                              error="请从列表中选择状态")
    sheet.add_data_validation(statuses)
    status_column = sheet.cell(HEADER_ROW, [name for name, _ in COLUMNS].index(STATUS) + 1).column_letter
    statuses.add(f"{status_column}{HEADER_ROW + 1}:{status_column}{HEADER_ROW + max(len(lines), 1)}")
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 3)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_sheet(data: bytes) -> tuple[list[FilledRow], list[RowError]]:
    """The rows of a filled sheet and the errors of every row (all rows are read, so all errors are told)."""
    if len(data) > MAX_BYTES:
        raise SheetError(f"文件超过 {MAX_BYTES // (1024 * 1024)} MB")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, TypeError) as error:
        raise SheetError("不是 Excel 文件（.xlsx），请上传从本站下载并填写的报送表") from error
    try:
        raw = list(book.worksheets[0].iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW + MAX_ROWS + 1,
                                               values_only=True))
    finally:
        book.close()
    if not raw:
        raise SheetError("表格是空的，请上传从本站下载并填写的报送表")
    header = [str(v).strip() if v is not None else "" for v in raw[0]]
    missing = [name for name, _ in COLUMNS if name not in header]
    if missing:
        raise SheetError(f"第 {HEADER_ROW} 行缺少列：{'、'.join(missing)}（请使用从本站下载的报送表）")
    if len(raw) > MAX_ROWS + 1:
        raise SheetError(f"表格超过 {MAX_ROWS} 行")
    where = {name: header.index(name) for name, _ in COLUMNS}
    rows, errors = [], []
    for number, values in enumerate(raw[1:], HEADER_ROW + 1):
        cells = {name: (values[i] if i < len(values) else None) for name, i in where.items()}
        if all(cells[name] is None or str(cells[name]).strip() == "" for name in (PROGRESS, STATUS, DONE, PROBLEMS,
                                                                                     NEXT)):
            continue  # a row left unfilled: nothing reported through the sheet
        row, problems = _row(number, cells)
        errors.extend(problems)
        if row is not None:
            rows.append(row)
    return rows, errors


def _row(number: int, cells: Mapping[str, object]) -> tuple[FilledRow | None, list[RowError]]:
    errors = []
    match = _ID.match(str(cells[ID] or "").strip())
    if match is None:
        errors.append(RowError(number, "编号缺失或被修改，无法确定是哪项任务（请勿修改第一列）"))
    progress = _progress(cells[PROGRESS])
    if progress is None:
        errors.append(RowError(number, f"进度“{_shown(cells[PROGRESS])}”应为 0 到 100 之间的数字"))
    status_text = str(cells[STATUS] or "").strip()
    status = next((p for p in Progress if p.value == status_text), None)
    if status is None:
        errors.append(RowError(number, f"状态“{status_text}”不是可选的状态（{'、'.join(p.value for p in Progress)}）"))
    texts = {name: clean(cells[name] or "").strip() for name in (DONE, PROBLEMS, NEXT)}
    errors.extend(RowError(number, f"{name}超过 {TEXT_LIMIT} 字") for name, text in texts.items()
                  if len(text) > TEXT_LIMIT)
    if errors:
        return None, errors
    return FilledRow(number, match.group(1), int(match.group(2)), progress, status, texts[DONE], texts[PROBLEMS],
                     texts[NEXT]), []


def _progress(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(str(value).strip().removesuffix("%"))
    except ValueError:
        return None
    return number if math.isfinite(number) and 0 <= number <= 100 else None


def _shown(value: object) -> str:
    return "" if value is None else clean(value)[:20]


def check_rows(rows: Sequence[FilledRow], own: Mapping[str, int]) -> list[RowError]:
    """Errors of rows that name an assignment not in ``own`` (the unit's assignments of the quarter, each with its
    report's current version), that changed since download, or that repeat an assignment."""
    errors, seen = [], {}
    for row in rows:
        if row.assignment not in own:
            errors.append(RowError(row.row, "这一行不是本单位本季度的分工，不能报送"))
        elif own[row.assignment] != row.version:
            errors.append(RowError(row.row, "下载后该任务的报告已在网上修改，请重新下载报送表再填写"))
        elif row.assignment in seen:
            errors.append(RowError(row.row, f"与第 {seen[row.assignment]} 行是同一项任务"))
        seen.setdefault(row.assignment, row.row)
    return errors
