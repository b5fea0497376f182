"""Reading every format: .docx, .xlsx, .pdf, .html as extracted text plus tables, and clear refusals of the rest.

Each input is built in the test (tests/gazetteer/files.py). Assertions are on fields: the text's lines, each
table's cells, and that every cell's span points at its own text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gazetteer.reading.documents import read_document
from gazetteer.errors import DocumentError
from gazetteer.model import Document, Table
from tests.gazetteer.reading import files
from tests.gazetteer.reading.files import HEADER, ROWS, SECTION, TITLE


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _grid(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def _assert_spans(doc: Document) -> None:
    for table in doc.tables:
        assert doc.text[table.span.start:table.span.end].split("\n")[0].startswith(table.rows[0][0].text)
        for row in table.rows:
            for cell in row:
                assert doc.text[cell.span.start:cell.span.end] == cell.text


def test_docx_paragraphs_and_tables_in_body_order(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "plan.docx", files.docx_plan()))
    assert (doc.format, doc.encoding, doc.title, doc.id) == ("docx", "", TITLE, "plan")
    lines = doc.text.split("\n")
    assert lines[:3] == [TITLE, "一、工作要求", "（一）压实工作责任。"]
    assert lines[3] == "\t".join(HEADER)
    assert lines[4] == SECTION  # a merged section row is written once, without trailing tabs
    assert lines[5] == "\t".join(ROWS[0])
    assert lines[6].split("\t")[2] == ""  # the leader merged down is written once, in the first row
    assert lines[-1] == "甲县人民政府办公室"
    assert doc.notes == ("Word 自动编号已按编号格式写出（2 处）",)
    (table,) = doc.tables
    assert _grid(table)[0] == list(HEADER)
    assert _grid(table)[1] == [SECTION] * len(HEADER)
    assert [row[2].text for row in table.rows[2:]] == ["王副县长", "王副县长"]
    assert [row[2].merged for row in table.rows[2:]] == [False, True]
    assert _grid(table)[3][3:] == list(ROWS[1][3:])
    _assert_spans(doc)


def test_docx_list_numbers_count_per_level() -> None:
    from gazetteer.reading.extract_docx import _Level, _Numbering

    numbering = _Numbering({"7": {0: _Level("chineseCounting", "%1、", 1), 1: _Level("decimal", "%2.", 1),
                                  2: _Level("decimalEnclosedCircle", "%3", 1)}})
    labels = [numbering.label("7", level) for level in (0, 1, 1, 2, 0, 1)]
    assert labels == ["一、", "1.", "2.", "①", "二、", "1."]
    assert numbering.label("8", 0) == ""  # an unknown list writes no number


def test_xlsx_sheet_with_merged_title_and_section_rows(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "plan.xlsx", files.xlsx_plan()))
    assert (doc.format, doc.title) == ("xlsx", TITLE)
    (table,) = doc.tables
    assert table.title == "重点任务"
    grid = _grid(table)
    assert grid[1] == list(HEADER)
    assert grid[2] == [SECTION] * len(HEADER)
    assert grid[3] == [*ROWS[0][:-1], "2025-06-30"]  # the number without .0, the date as a date
    assert grid[4] == list(ROWS[1])
    assert doc.text.split("\n")[2] == SECTION
    _assert_spans(doc)


def test_pdf_text_layer_lines_and_ruled_table(tmp_path: Path) -> None:
    wrapped = "各乡镇人民政府要对照任务分解表逐项细化落实措施，明确时间节点和责任人员，确保各项任务按期完成见到实效。"
    doc = read_document(_write(tmp_path, "plan.pdf", files.pdf_plan(wrapped=wrapped)))
    assert (doc.format, doc.title) == ("pdf", TITLE)
    lines = doc.text.split("\n")
    assert lines[1] == wrapped  # two lines that wrap at the right edge are one paragraph again
    assert "- 1 -" not in doc.text  # the page number is not text of the plan
    (table,) = doc.tables
    assert _grid(table) == [list(HEADER), *[list(row) for row in ROWS]]
    _assert_spans(doc)


def test_scanned_pdf_is_refused_with_the_reason(tmp_path: Path) -> None:
    path = _write(tmp_path, "scan.pdf", files.scanned_pdf())
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    assert str(caught.value) == (f"{path}: 这是扫描版 PDF（没有文字层），govmap 无法读取；"
                                 "请先做文字识别（OCR）或提供 Word/文本版本")


def test_html_article_only_with_its_table(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "page.html", files.html_page()))
    assert (doc.format, doc.encoding, doc.title) == ("html", "utf-8", TITLE)
    lines = doc.text.split("\n")
    assert lines[:4] == [TITLE, "各乡镇人民政府，县政府各部门：", f"现将《{TITLE}》印发给你们，请认真贯彻落实。",
                         "特此通知。"]
    assert lines[4:] == ["\t".join(HEADER), SECTION, *("\t".join(row) for row in ROWS)]
    for boilerplate in ("首页", "当前位置", "版权所有", "附件", ".docx", "var nav"):
        assert boilerplate not in doc.text
    (table,) = doc.tables
    assert _grid(table)[1] == [SECTION] * len(HEADER)
    assert [cell.merged for cell in table.rows[1]] == [False] + [True] * (len(HEADER) - 1)
    _assert_spans(doc)


def test_gbk_html_without_known_container_by_meta_charset(tmp_path: Path) -> None:
    page = files.html_page(charset="gb2312", container='<div class="wenzhang">')
    doc = read_document(_write(tmp_path, "page.htm", page))
    assert (doc.encoding, doc.title) == ("gb18030", TITLE)
    assert doc.text.split("\n")[1] == "各乡镇人民政府，县政府各部门："
    assert "版权所有" not in doc.text and "政务公开" not in doc.text
    assert _grid(doc.tables[0])[2] == list(ROWS[0])


def test_bytes_are_read_by_their_magic_whatever_the_name(tmp_path: Path) -> None:
    renamed = read_document(_write(tmp_path, "plan.txt", files.docx_plan()))
    assert renamed.format == "docx" and renamed.text.startswith(TITLE)
    assert read_document(files.xlsx_plan()).format == "xlsx"
    assert read_document(files.html_page()).format == "html"
    assert read_document(_write(tmp_path, "page.doc", files.html_page())).format == "html"  # a page saved as .doc


SUPPORTED = "支持的格式：.txt .docx .pdf .xlsx .html"
REFUSED = [
    pytest.param("old.doc", files.ole_bytes(), "暂不支持 .doc（旧版 Word）格式；请在 WPS 或 Word 中另存为 .docx", id="doc"),
    pytest.param("old.wps", files.ole_bytes(), "暂不支持 .wps（WPS 文字）格式", id="wps"),
    pytest.param("old.xls", files.ole_bytes(), "暂不支持 .xls（旧版 Excel）格式；请在 WPS 或 Excel 中另存为 .xlsx", id="xls"),
    pytest.param("old.et", files.ole_bytes(), "暂不支持 .et（WPS 表格）格式", id="et"),
    pytest.param("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "暂不支持 PNG 图片格式；图片没有文字层", id="png"),
    pytest.param("scan.jpg", b"\xff\xd8\xff\xe0" + bytes(64), "暂不支持 JPEG 图片格式", id="jpeg"),
    pytest.param("texts.zip", files.zip_with("a.txt"), "暂不支持 zip 压缩包格式；请先解压", id="zip"),
    pytest.param("texts.rar", b"Rar!\x1a\x07\x00" + bytes(64), "暂不支持 RAR 压缩包格式", id="rar"),
    pytest.param("talk.pptx", files.zip_with("ppt/presentation.xml"), "暂不支持 PowerPoint格式；请导出为 PDF", id="pptx"),
    pytest.param("broken.docx", b"PK\x03\x04" + bytes(range(1, 200)), "zip 压缩包（已损坏", id="broken-zip"),
    pytest.param("page.mht", b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n", "MHT", id="mht"),
]


@pytest.mark.parametrize(("name", "data", "says"), REFUSED)
def test_unsupported_formats_are_refused_in_chinese(tmp_path: Path, name: str, data: bytes, says: str) -> None:
    path = _write(tmp_path, name, data)
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and says in message and "\n" not in message
    assert message.endswith(SUPPORTED)


def test_a_pdf_without_any_text_or_image(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "blank.pdf"
    page = canvas.Canvas(str(path))
    page.showPage()
    page.save()
    with pytest.raises(DocumentError, match="PDF 中没有文字"):
        read_document(path)


def test_a_broken_pdf(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="PDF"):
        read_document(_write(tmp_path, "broken.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 4))


def test_tasks_command_reads_a_docx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from webmap.cli import main

    path = _write(tmp_path, "plan.docx", files.docx_plan())
    assert main(["--data-dir", str(tmp_path), "tasks", str(path), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["format"], payload["encoding"], payload["title"], payload["tables"]) == ("docx", "", TITLE, 1)


def test_tasks_command_refuses_a_doc_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from webmap.cli import main

    path = _write(tmp_path, "old.doc", files.ole_bytes())
    assert main(["--data-dir", str(tmp_path), "tasks", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("govmap tasks: ") and "暂不支持 .doc（旧版 Word）格式" in err and "Traceback" not in err
