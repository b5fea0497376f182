"""Files of every format govmap reads, built in the test from small made-up plans (never downloaded).

Each builder returns bytes. The plan they share: a title, a numbered notice paragraph, and a task table
序号 | 工作任务 | 责任领导 | 牵头单位 | 责任单位 | 完成时限 with a section row spanning the table.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

TITLE = "甲县2025年重点工作任务分解表"
HEADER = ("序号", "工作任务", "责任领导", "牵头单位", "责任单位", "完成时限")
SECTION = "一、扩大有效投资"
ROWS = (
    ("1", "新建乡村道路12公里。", "王副县长", "县交通运输局", "各乡镇人民政府", "2025年6月底前"),
    ("2", "完成老旧小区改造8个。", "李副县长", "县住建局", "城关镇、河口镇", "年底前"),
)


def docx_plan() -> bytes:
    """A Word plan: a title, two list-numbered paragraphs (一、 / （一）), and the task table with a section row
    merged across all columns and the 责任领导 column merged down over both tasks."""
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE)
    num_id = _chinese_list(document)
    for level, text in ((0, "工作要求"), (1, "压实工作责任。")):
        _numbered(document.add_paragraph(text), num_id, level)
    table = document.add_table(rows=2 + len(ROWS), cols=len(HEADER))
    for column, label in enumerate(HEADER):
        table.cell(0, column).text = label
    section = table.cell(1, 0).merge(table.cell(1, len(HEADER) - 1))
    section.text = SECTION
    for r, row in enumerate(ROWS, start=2):
        for column, value in enumerate(row):
            table.cell(r, column).text = value
    leader = table.cell(2, 2).merge(table.cell(3, 2))
    leader.text = "王副县长"
    document.add_paragraph("甲县人民政府办公室")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _chinese_list(document) -> str:  # noqa: ANN001
    """Add a list to the numbering part: level 0 is 一、, level 1 （一）; return its num id."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def _numbered(paragraph, num_id: str, level: int) -> None:  # noqa: ANN001
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def xlsx_plan() -> bytes:
    """A workbook: a merged title row, the header, a merged section row, the tasks (a date as a real date)."""
    import datetime as dt

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "重点任务"
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(list(HEADER))
    sheet.append([SECTION])
    sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(HEADER))
    for row in ROWS:
        sheet.append([int(row[0]), *row[1:-1], dt.datetime(2025, 6, 30) if row[0] == "1" else row[-1]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_plan(*, wrapped: str = "") -> bytes:
    """A PDF with a text layer (reportlab's built-in CID font STSong-Light): the title, an optional paragraph
    wrapped over two lines at the right margin, the ruled task table and a page number."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setFont("STSong-Light", 12)
    y = 780
    page.drawString(72, y, TITLE)
    y -= 24
    if wrapped:
        cut = len(wrapped) // 2
        for part in (wrapped[:cut], wrapped[cut:]):
            page.drawString(72, y, part)
            y -= 18
        # A longer line below fixes the right edge of the text where the first half ends.
        y -= 6
    _ruled_table(page, [list(HEADER), *[list(row) for row in ROWS]], top=y, left=40,
                 widths=(30, 150, 60, 80, 110, 80))
    page.drawString(290, 40, "- 1 -")
    page.showPage()
    page.save()
    return buffer.getvalue()


def _ruled_table(page, rows: Sequence[Sequence[str]], *, top: float, left: float,  # noqa: ANN001
                 widths: Sequence[float], height: float = 22) -> None:
    page.setFont("STSong-Light", 8)
    right = left + sum(widths)
    for r, row in enumerate(rows):
        y = top - r * height
        page.line(left, y, right, y)
        x = left
        for width, value in zip(widths, row):
            page.drawString(x + 2, y - height + 7, value)
            x += width
    bottom = top - len(rows) * height
    page.line(left, bottom, right, bottom)
    x = left
    for width in (0, *widths):
        x += width
        page.line(x, top, x, bottom)
    page.setFont("STSong-Light", 12)


def scanned_pdf() -> bytes:
    """A PDF whose only content is an image, as a scanner makes it."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("RGB", (200, 100), "white")
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawImage(ImageReader(image), 72, 600, width=200, height=100)
    page.showPage()
    page.save()
    return buffer.getvalue()


def html_page(*, charset: str = "utf-8", container: str = '<div class="TRS_Editor">') -> bytes:
    """A saved government page: navigation, a header, the article in ``container`` with the task table, a 附件
    link to a file, and a footer; encoded in ``charset`` and declaring it."""
    cells = "".join(f"<td>{label}</td>" for label in HEADER)
    rows = "".join("<tr>" + "".join(f"<td>{value}</td>" for value in row) + "</tr>" for row in ROWS)
    page = f"""<!DOCTYPE html><html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="ArticleTitle" content="{TITLE}"><title>{TITLE}_甲县人民政府</title>
<script>var nav = "首页";</script></head><body>
<div class="nav"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/hdjl/">互动交流</a></div>
<div class="header">甲县人民政府门户网站</div>
<div class="position">当前位置：首页 &gt; 政务公开 &gt; 通知公告</div>
<h1>{TITLE}</h1>
{container}
<p>各乡镇人民政府，县政府各部门：</p><p>现将《{TITLE}》印发给你们，请认真贯彻落实。<br>特此通知。</p>
<table border="1"><tr>{cells}</tr><tr><td colspan="{len(HEADER)}">{SECTION}</td></tr>{rows}</table>
<p>附件：<a href="/files/2025fj.docx">2025年任务分解表.docx</a></p>
</div>
<div class="footer">版权所有：甲县人民政府办公室 备案号：12345</div>
</body></html>"""
    return page.encode(charset)


def ole_bytes() -> bytes:
    """The leading bytes of an old Office (OLE compound) file: .doc, .xls, .wps, .et."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def zip_with(member: str) -> bytes:
    """A zip holding one member (ppt/presentation.xml makes it a .pptx)."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, "<x/>")
    return buffer.getvalue()


# -- a plan whose header spans two rows (序号 | 类别 | 工作任务 | 责任分工 → 牵头领导 | 牵头单位 | 责任单位 | 责任人 | 时间节点)
SPLIT_TITLE = "乙县2025年政府工作报告重点任务分工表"
SPLIT_TOP = ("序号", "类别", "工作任务", "责任分工", "责任分工", "责任分工", "责任分工", "时间节点")
SPLIT_UNDER = ("序号", "类别", "工作任务", "牵头领导", "牵头单位", "责任单位", "责任人", "时间节点")
SPLIT_ROWS = (
    ("1", "产业发展", "新建标准厂房10万平方米。", "王副县长", "县经开区管委会", "县住建局、县自然资源局", "张三",
     "2025年9月底前"),
    ("2", "产业发展", "引进亿元以上项目20个。", "王副县长", "", "县招商服务中心牵头，各乡镇配合", "李四", "年底前"),
    ("3", "民生保障", "新增城镇就业3000人。", "刘副县长", "县人社局", "无", "王五", "全年"),
)


def split_header_docx() -> bytes:
    """A Word table with the two-row header of :data:`SPLIT_TOP` / :data:`SPLIT_UNDER`: 责任分工 merged across four
    columns, 序号 / 类别 / 工作任务 / 时间节点 merged down, and the 类别 产业发展 merged down over two tasks."""
    import docx

    document = docx.Document()
    document.add_paragraph(SPLIT_TITLE)
    table = document.add_table(rows=2 + len(SPLIT_ROWS), cols=len(SPLIT_UNDER))
    for column in (0, 1, 2, 7):
        table.cell(0, column).merge(table.cell(1, column)).text = SPLIT_UNDER[column]
    table.cell(0, 3).merge(table.cell(0, 6)).text = "责任分工"
    for column in range(3, 7):
        table.cell(1, column).text = SPLIT_UNDER[column]
    for r, row in enumerate(SPLIT_ROWS, start=2):
        for column, value in enumerate(row):
            if column != 1:
                table.cell(r, column).text = value
    table.cell(2, 1).merge(table.cell(3, 1)).text = "产业发展"
    table.cell(4, 1).text = "民生保障"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def split_header_xlsx() -> bytes:
    """The same table as :func:`split_header_docx` in a workbook, merged alike."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([SPLIT_TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(SPLIT_UNDER))
    sheet.append(list(SPLIT_TOP))
    sheet.append(["", "", "", *SPLIT_UNDER[3:7], ""])
    for column in (1, 2, 3, 8):
        sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
    sheet.merge_cells(start_row=2, start_column=4, end_row=2, end_column=7)
    for row in SPLIT_ROWS:
        sheet.append([int(row[0]), *row[1:]])
    sheet.cell(5, 2).value = None
    sheet.merge_cells(start_row=4, start_column=2, end_row=5, end_column=2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def leader_column_pdf() -> bytes:
    """A PDF whose ruled table has a 牵头领导 and a 完成时限 column and a unit cell that is a clause of its own."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setFont("STSong-Light", 12)
    page.drawString(72, 780, SPLIT_TITLE)
    rows = [["序号", "工作任务", "牵头领导", "责任单位", "完成时限"],
            ["1", "新建标准厂房10万平方米。", "王副县长", "县经开区管委会牵头，县住建局配合", "2025年9月底前"],
            ["2", "新增城镇就业3000人。", "刘副县长", "县人社局", "全年"]]
    _ruled_table(page, rows, top=750, left=40, widths=(30, 150, 60, 170, 80))
    page.showPage()
    page.save()
    return buffer.getvalue()
