"""Excel (.xlsx) through openpyxl: every visible sheet as one table, merged ranges on the full grid.

Values are read as last computed (``data_only``): a formula's cached result, numbers without a spurious ``.0``,
dates as ``2025-06-30``. The workbook is opened in openpyxl's normal mode, not ``read_only``: only the normal
mode exposes merged ranges, and plans merge their section column and title row. The uncompressed size of the
workbook is checked first so that a small file cannot expand into gigabytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from gazetteer.errors import DocumentError
from gazetteer.reading.extract import Grid, Paragraph

__all__ = ["read_xlsx"]

#: Largest uncompressed workbook read (plans are a few hundred rows).
MAX_UNCOMPRESSED = 200 * 2**20


def read_xlsx(data: bytes, *, name: str) -> tuple[list[Paragraph | Grid], str, list[str]]:
    """A table per visible, non-empty sheet (titled with the sheet's name), "" for the encoding, no notes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
            raise DocumentError(f"{name}: 工作簿解压后过大（超过 {MAX_UNCOMPRESSED // 2**20} MB），无法读取")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises many types for a broken package; the user needs one message
        raise DocumentError(f"{name}: 无法读取该 .xlsx 文件，文件可能已损坏（{type(error).__name__}）") from None
    sheets = [sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
    return [grid for sheet in sheets if (grid := _grid(sheet)).texts], "", []


def _grid(sheet: Worksheet) -> Grid:
    rows = [[_value(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    width = max((c + 1 for row in rows for c, value in enumerate(row) if value), default=0)
    height = max((r + 1 for r, row in enumerate(rows) if any(row[:width])), default=0)
    texts = [row[:width] + [""] * (width - len(row)) for row in rows[:height]]
    origins = [[(r, c) for c in range(width)] for r in range(height)]
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        for r in range(top, min(merged.max_row, height)):
            for c in range(left, min(merged.max_col, width)):
                origins[r][c] = (top, left)
    return Grid(tuple(map(tuple, texts)), tuple(map(tuple, origins)), title=sheet.title)


def _value(value: object) -> str:
    """A cell's value as a person reads it.

    >>> _value(3.0), _value(2.5), _value(dt.datetime(2025, 6, 30)), _value(None), _value(" 县交通局 ")
    ('3', '2.5', '2025-06-30', '', '县交通局')
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value).strip()
