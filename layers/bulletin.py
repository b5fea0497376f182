"""The quarter's 通报 as a .docx (python-docx): a title, the summary, who reported and who did not, the 红 and 黄
tasks, and tables by unit and by section with counts. Every text is inserted as a text run (never parsed as
markup); characters XML cannot hold are dropped.

>>> from gazetteer.supervision.bulletin import bulletin
>>> from gazetteer.supervision.periods import Quarter
>>> bulletin_docx(bulletin(Quarter(2025, 2), []), title="甲安区")[:2]
b'PK'
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Sequence

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from gazetteer.supervision.bulletin import Bulletin, TaskLine, UnitLine
from gazetteer.supervision.lights import Light

#: Characters XML 1.0 cannot hold (a document must never fail on a pasted control character).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FONT = "仿宋"
HEADING_FONT = "黑体"

UNIT_HEADERS = ("单位", "应报", "已报", "逾期", "红", "黄", "绿", "报送情况")
TASK_HEADERS = ("序号", "行动", "任务", "责任单位", "原因")
SECTION_HEADERS = ("行动", "任务数", "红", "黄", "绿")
STATUSES = ("按时报送", "逾期报送", "部分报送", "未报送")


def clean(text: object) -> str:
    """``text`` as a string XML can hold.

    >>> clean("a\\x00b<script>")
    'ab<script>'
    """
    return _NOT_XML.sub("", str(text))


def bulletin_docx(report: Bulletin, *, title: str, issued: datetime.date | None = None) -> bytes:
    """The .docx of ``report``; ``title`` names the deployment (甲安区), ``issued`` the day of issue."""
    document = Document()
    _fonts(document)
    heading = document.add_heading(level=0)
    heading.add_run(clean(f"{title}{report.quarter}重点工作督查通报"))
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if issued is not None:
        line = document.add_paragraph()
        line.add_run(f"{issued.year}年{issued.month}月{issued.day}日")
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph().add_run(summary(report))
    document.add_heading("一、报送情况", level=1)
    for status in STATUSES:
        units = report.with_status(status)
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{status}（{len(units)} 个）：").bold = True
        paragraph.add_run(clean("、".join(u.unit for u in units) or "无"))
    _table(document, UNIT_HEADERS, [_unit_row(u) for u in report.units])
    document.add_heading("二、红灯任务", level=1)
    _tasks(document, report.red)
    document.add_heading("三、黄灯任务", level=1)
    _tasks(document, report.yellow)
    document.add_heading("四、按行动统计", level=1)
    _table(document, SECTION_HEADERS, [(s.section, s.lights.total, *_counts(s.lights)) for s in report.sections])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def summary(report: Bulletin) -> str:
    """One sentence of counts, the 通报's first paragraph."""
    counts = report.tasks.counts
    return (f"{report.quarter}，共 {report.tasks.total} 项任务、{len(report.units)} 个责任单位的 "
            f"{report.assignments} 项分工应报送，已报送 {report.reported} 项；"
            f"红灯 {counts[Light.RED]} 项，黄灯 {counts[Light.YELLOW]} 项，绿灯 {counts[Light.GREEN]} 项。")


def _counts(lights) -> tuple[int, int, int]:
    return lights.counts[Light.RED], lights.counts[Light.YELLOW], lights.counts[Light.GREEN]


def _unit_row(unit: UnitLine) -> tuple[object, ...]:
    return (unit.unit, unit.due, unit.reported, unit.late, *_counts(unit.lights), unit.status)


def _tasks(document, tasks: Sequence[TaskLine]) -> None:
    if not tasks:
        document.add_paragraph().add_run("无。")
        return
    _table(document, TASK_HEADERS, [(t.label, t.section, t.text, "、".join(t.units), "；".join(t.reasons))
                                    for t in tasks])


def _table(document, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(header).bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.paragraphs[0].add_run(clean(value))


def _fonts(document) -> None:
    """仿宋 for the body, 黑体 for headings (East Asian font names set too, as Word reads them)."""
    for name, font in (("Normal", FONT), ("Title", HEADING_FONT), ("Heading 1", HEADING_FONT)):
        style = document.styles[name]
        style.font.name = font
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    document.styles["Normal"].font.size = Pt(12)
