"""Narrative documents cut into statements; repeated paragraphs read once."""

from __future__ import annotations

import pytest

from gazetteer.model import Document
from gazetteer.reading.statements import split_statements
from tests.gazetteer.fixtures_text import DECOMPOSITION_ID, NARRATIVE_IDS, sample


def _doc(text: str) -> Document:
    return Document(id="d", title="", text=text, encoding="utf-8")


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("甲。乙！丙？", ["甲。", "乙！", "丙？"], id="sentence-ends"),
    pytest.param("他说:“好。”然后走了。", ["他说:“好。”", "然后走了。"], id="closing-quote-kept"),
    pytest.param("一是细化;二是督促;三是治理。", ["一是细化;", "二是督促;", "三是治理。"], id="ascii-semicolon"),
    pytest.param("一是细化；二是督促。", ["一是细化；", "二是督促。"], id="full-width-semicolon"),
    pytest.param("# 喜迎二十大\n\n## 务实重行\n正文。", ["喜迎二十大", "务实重行", "正文。"], id="headings"),
    pytest.param("  缩进的段落。  \n", ["缩进的段落。"], id="whitespace-trimmed"),
    pytest.param("检测项目\t单位\t国家标准", ["检测项目\t单位\t国家标准"], id="table-row"),
    pytest.param("", [], id="empty"),
])
def test_split(text: str, expected: list[str]) -> None:
    assert [statement.text for statement in split_statements(_doc(text))] == expected


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("甲段落很长的文字。\n\n乙。\n\n甲段落很长的文字。\n", ["甲段落很长的文字。", "乙。"], id="exact-repeat"),
    pytest.param("甲段落 很长的文字。\n甲段落很长的 文字。 \n", ["甲段落 很长的文字。"], id="whitespace-differs"),
    pytest.param("评论\n评论\n", ["评论", "评论"], id="short-repeat-kept"),
    pytest.param("甲段落很长的文字。\n甲段落很长的文字!\n", ["甲段落很长的文字。", "甲段落很长的文字!"], id="not-identical"),
])
def test_repeated_paragraphs_read_once(text: str, expected: list[str]) -> None:
    assert [statement.text for statement in split_statements(_doc(text))] == expected


@pytest.mark.parametrize("doc_id", [*NARRATIVE_IDS, DECOMPOSITION_ID])
def test_spans_ids_and_no_repeats_on_samples(doc_id: str) -> None:
    doc = sample(doc_id)
    statements = split_statements(doc)
    assert [statement.id for statement in statements] == [f"{doc_id}.s{n}" for n in range(1, len(statements) + 1)]
    for statement in statements:
        assert doc.text[statement.span.start:statement.span.end] == statement.text == statement.text.strip()
    starts = [statement.span.start for statement in statements]
    assert starts == sorted(starts)


def test_scraped_sections_of_001_are_read_once() -> None:
    doc = sample("001_cd717b9869cce72b")
    texts = [statement.text for statement in split_statements(doc)]
    heading = "“营商环境”升级版 近悦远来展活力"
    assert doc.text.count(heading) == 2 and texts.count(heading) == 1
    assert sum("得分88.89分" in text for text in texts) == 1
    assert texts.count("半年成绩单") == 1


def test_repeated_paragraph_of_000_keeps_first_span() -> None:
    doc = sample("000_55b3252727bf6889")
    statements = [s for s in split_statements(doc) if s.text.startswith("绣花功夫")]
    assert len(statements) == 1
    assert statements[0].span.start == doc.text.index("绣花功夫")
