"""Turn a file of any format govmap reads into the text that is analysed, and the tables it holds.

Each format's reader (``extract_docx``, ``extract_pdf``, ``extract_xlsx``, ``extract_html``) yields *blocks* in
reading order: :class:`Paragraph` and :class:`Grid`. :func:`flatten` writes them into one text in a stable way —
a paragraph per line; a table row per line, its cells joined by a tab, a merged cell written once at its top-left
position — and keeps every table as a :class:`~gazetteer.model.Table` whose cells span their text in it.

>>> grid = Grid.from_rows([["序号", "工作任务", "牵头单位"], ["1", "新建道路10公里", "县交通局"]])
>>> text, tables = flatten([Paragraph("重点工作"), grid], doc_id="d")
>>> text.split("\\n")
['重点工作', '序号\\t工作任务\\t牵头单位', '1\\t新建道路10公里\\t县交通局']
>>> cell = tables[0].rows[1][2]
>>> cell.text, text[cell.span.start:cell.span.end]
('县交通局', '县交通局')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from gazetteer.reading.decoding import decode_text, normalise_newlines
from gazetteer.reading.formats import Format
from gazetteer.model import Span, Table, TableCell

__all__ = ["Extracted", "Grid", "Paragraph", "extract", "flatten"]

#: The separator of cells in a flattened table row.
CELL_SEPARATOR = "\t"
_INNER_BREAKS = re.compile(r"\s*\n\s*")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_WIDE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of running text; it may hold line breaks (Word's soft breaks, <br>)."""

    text: str


@dataclass(frozen=True, slots=True)
class Grid:
    """A table on a full grid: ``texts[r][c]`` and the (row, column) where the merged cell covering it starts."""

    texts: tuple[tuple[str, ...], ...]
    origins: tuple[tuple[tuple[int, int], ...], ...]
    title: str = ""

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[str]], *, title: str = "") -> Grid:
        """A grid of unmerged cells; short rows are padded with empty cells."""
        width = max((len(row) for row in rows), default=0)
        texts = tuple(tuple(row) + ("",) * (width - len(row)) for row in rows)
        origins = tuple(tuple((r, c) for c in range(width)) for r in range(len(rows)))
        return cls(texts, origins, title)


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a file yields: its text, tables, format, encoding ("" where the format fixes it) and notes."""

    text: str
    tables: tuple[Table, ...]
    format: Format
    encoding: str = ""
    notes: tuple[str, ...] = field(default=())


def extract(data: bytes, *, fmt: Format, name: str, doc_id: str) -> Extracted:
    """Read ``data`` of format ``fmt`` (see :func:`gazetteer.reading.formats.detect_format`)."""
    if fmt is Format.TEXT:
        raw, encoding = decode_text(data, name=name)
        return Extracted(normalise_newlines(raw), (), fmt, encoding)
    blocks, encoding, notes = _reader(fmt)(data, name=name)
    text, tables = flatten(blocks, doc_id=doc_id)
    return Extracted(text, tables, fmt, encoding, tuple(notes))


def _reader(fmt: Format):  # noqa: ANN202  (a reader: (bytes, *, name) -> (blocks, encoding, notes))
    if fmt is Format.DOCX:
        from gazetteer.reading.extract_docx import read_docx as reader
    elif fmt is Format.PDF:
        from gazetteer.reading.extract_pdf import read_pdf as reader
    elif fmt is Format.XLSX:
        from gazetteer.reading.extract_xlsx import read_xlsx as reader
    else:
        from gazetteer.reading.extract_html import read_html as reader
    return reader


def flatten(blocks: Iterable[Paragraph | Grid], *, doc_id: str) -> tuple[str, tuple[Table, ...]]:
    """One text for ``blocks`` and the tables in it, each cell spanning its own text."""
    lines: list[str] = []
    tables: list[Table] = []
    offset = 0
    for block in blocks:
        if isinstance(block, Paragraph):
            for line in normalise_newlines(block.text).split("\n"):
                if line := _SPACES.sub(" ", line).strip():
                    lines.append(line)
                    offset += len(line) + 1
            continue
        table, table_lines = _table(block, doc_id, offset)
        if table is not None:
            tables.append(table)
            lines += table_lines
            offset += sum(len(line) + 1 for line in table_lines)
    return "\n".join(lines), tuple(tables)


def cell_text(text: str) -> str:
    """A cell's text on one line: inner breaks joined (without a space between Chinese characters), tabs gone.

    >>> cell_text(" 县交通局\\n县公路中心 "), cell_text("G107\\nS31")
    ('县交通局县公路中心', 'G107 S31')
    """
    parts = [_SPACES.sub(" ", part).strip() for part in _INNER_BREAKS.split(normalise_newlines(text))]
    joined = ""
    for part in filter(None, parts):
        wide = joined and (_WIDE.match(joined[-1]) or _WIDE.match(part[0]))
        joined += part if not joined or wide else " " + part
    return joined


def _table(grid: Grid, doc_id: str, offset: int) -> tuple[Table | None, list[str]]:
    """The table of ``grid`` starting at ``offset`` and its lines; empty rows are dropped."""
    kept = [r for r, row in enumerate(grid.texts) if any(cell_text(text) for text in row)]
    if not kept:
        return None, []
    new_row = {old: new for new, old in enumerate(kept)}
    spans: dict[tuple[int, int], Span] = {}
    lines: list[str] = []
    start = offset
    for old in kept:
        line, row_spans = _row_line(grid, old, doc_id, offset)
        spans.update(row_spans)
        lines.append(line)
        offset += len(line) + 1
    rows = tuple(tuple(_cell(grid, old, c, new_row, spans, doc_id) for c in range(len(grid.texts[old])))
                 for old in kept)
    return Table(rows, Span(doc_id, start, offset - 1), grid.title), lines


def _row_line(grid: Grid, row: int, doc_id: str, offset: int) -> tuple[str, dict[tuple[int, int], Span]]:
    """The line of one row (merged cells written at their origin only) and the span of each cell written."""
    line = ""
    spans: dict[tuple[int, int], Span] = {}
    for column, text in enumerate(grid.texts[row]):
        if column:
            line += CELL_SEPARATOR
        if grid.origins[row][column] == (row, column):
            value = cell_text(text)
            spans[(row, column)] = Span(doc_id, offset + len(line), offset + len(line) + len(value))
            line += value
    line = line.rstrip(CELL_SEPARATOR)
    end = offset + len(line)  # empty trailing cells were cut with their tabs: they sit at the end of the line
    return line, {key: span if span.start <= end else Span(doc_id, end, end) for key, span in spans.items()}


def _cell(grid: Grid, old: int, column: int, new_row: dict[int, int], spans: dict[tuple[int, int], Span],
          doc_id: str) -> TableCell:
    origin = grid.origins[old][column]
    span = spans.get(origin)
    if span is None:  # the merged cell starts in a row that was dropped as empty: nothing of it was written
        return TableCell("", Span(doc_id, 0, 0), new_row[old], column, merged=True)
    return TableCell(cell_text(grid.texts[origin[0]][origin[1]]), span, new_row[old], column,
                     merged=origin != (old, column))
