"""The 通报 .docx: headings and tables with counts; every text from a user is a text run, never markup."""

from __future__ import annotations

import io
import zipfile

from docx import Document

from gazetteer.supervision.bulletin import Entry, bulletin
from gazetteer.supervision.lights import Light, Verdict
from gazetteer.supervision.periods import Quarter
from gazetteer.supervision.workflow import State
from layers.bulletin import UNIT_HEADERS, bulletin_docx

SCRIPT, TEMPLATE, IMG = "<script>alert(1)</script>", "${x}", '"><img src=x onerror=alert(1)>'
ENTRIES = [Entry("t1", "第1项", f"实施{TEMPLATE}行动", f"建设{SCRIPT}园区", f"区{IMG}局", Verdict(Light.RED, "已逾期"),
                 State.SUBMITTED, late=True),
           Entry("t2", "目标二", "乙行动", "治理河道", "北湖\x00镇\x1b", Verdict(Light.GREEN, "已完成"), State.APPROVED)]


def _docx(entries=ENTRIES) -> bytes:
    return bulletin_docx(bulletin(Quarter(2025, 2), entries), title="甲安区")


def test_headings_and_tables_with_counts():
    document = Document(io.BytesIO(_docx()))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings == ["甲安区2025年第二季度重点工作督查通报", "一、报送情况", "二、红灯任务", "三、黄灯任务", "四、按行动统计"]
    units, red, sections = document.tables
    assert tuple(c.text for c in units.rows[0].cells) == UNIT_HEADERS
    assert [c.text for c in units.rows[1].cells] == [f"区{IMG}局", "1", "1", "1", "1", "0", "0", "逾期报送"]
    assert [c.text for c in red.rows[1].cells][:3] == ["第1项", f"实施{TEMPLATE}行动", f"建设{SCRIPT}园区"]
    assert [c.text for c in sections.rows[2].cells] == ["乙行动", "1", "0", "0", "1"]
    assert "共 2 项任务、2 个责任单位的 2 项分工应报送，已报送 2 项；红灯 1 项" in document.paragraphs[1].text


def test_markup_is_text_in_the_xml():
    xml = zipfile.ZipFile(io.BytesIO(_docx())).read("word/document.xml").decode("utf-8")
    assert "<script" not in xml and "<img" not in xml
    assert "<w:t>建设&lt;script&gt;alert(1)&lt;/script&gt;园区</w:t>" in xml
    assert "<w:t>实施${x}行动</w:t>" in xml
    assert "<w:t>北湖镇</w:t>" in xml  # control characters dropped, the rest kept
