"""Narrative documents (news, reports) cut into statements: sentences and headings, each with its span.

A paragraph is a line of the document. It is cut after 。！？!? and after semicolons (； ;), keeping closing
quotes and brackets with the sentence they close; a line without such punctuation (a heading, a caption, a table
row) is one statement. Markdown heading marks (``#``) and surrounding whitespace are left out of the span.

Scraped pages repeat whole paragraphs and sections. **A paragraph that repeats an earlier one is read once**: when
its text, with all whitespace removed, equals that of an earlier paragraph, none of its statements are emitted again
(the first occurrence keeps its span; numbering stays dense). Paragraphs shorter than
:data:`MIN_DEDUP_CHARS` are never treated as repeats, so a short line that genuinely recurs is kept.

>>> from gazetteer.model import Document
>>> text = "# 半年成绩单\\n完成投资106.2亿元。增长16%！\\n\\n完成投资106.2亿元。增长16%！\\n"
>>> [(s.id, s.text) for s in split_statements(Document(id="d", title="", text=text, encoding="utf-8"))]
[('d.s1', '半年成绩单'), ('d.s2', '完成投资106.2亿元。'), ('d.s3', '增长16%！')]
"""

from __future__ import annotations

import re

from gazetteer.model import Document, Span, Statement

__all__ = ["MIN_DEDUP_CHARS", "split_statements"]

#: Paragraphs with fewer non-space characters than this are never dropped as repeats.
MIN_DEDUP_CHARS = 6
#: Characters that end a statement, and characters that stay with the statement they close.
SENTENCE_ENDS = "。！？!?；;"
CLOSING_MARKS = "”’\"'）)》」』】"

_SENTENCE = re.compile(rf"[^{SENTENCE_ENDS}]*(?:[{SENTENCE_ENDS}]+[{re.escape(CLOSING_MARKS)}]*|$)")
_SPACE = re.compile(r"\s+")
_HEADING_MARKS = re.compile(r"^\s*#+\s+")


def split_statements(doc: Document) -> list[Statement]:
    """The statements of ``doc`` in order, repeated paragraphs read once; ids are ``f"{doc.id}.s{n}"`` from 1."""
    statements: list[Statement] = []
    seen: set[str] = set()
    start = 0
    for line in doc.text.split("\n"):
        key = _SPACE.sub("", line)
        repeat = len(key) >= MIN_DEDUP_CHARS and key in seen
        seen.add(key)
        if not repeat:
            for begin, end in _sentences(line):
                text = doc.text[start + begin:start + end]
                statements.append(Statement(id=f"{doc.id}.s{len(statements) + 1}", doc_id=doc.id, text=text,
                                            span=Span(doc.id, start + begin, start + end)))
        start += len(line) + 1
    return statements


def _sentences(line: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank sentence of one line, trimmed of whitespace and heading marks."""
    heading = _HEADING_MARKS.match(line)
    offset = heading.end() if heading else 0
    spans = []
    for match in _SENTENCE.finditer(line, offset):
        chunk = match.group()
        if not chunk.strip():
            continue
        begin = match.start() + len(chunk) - len(chunk.lstrip())
        end = match.end() - (len(chunk) - len(chunk.rstrip()))
        spans.append((begin, end))
    return spans
