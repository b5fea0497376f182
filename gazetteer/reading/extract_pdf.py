"""PDF with a text layer through pdfplumber: the text lines and ruled tables of each page, in reading order.

A page's tables come from ``page.find_tables()``; its other lines from ``extract_text_lines()``, top to bottom,
with the tables placed where they stand. A line that runs to the right edge of the text and is followed by one
that does not open a numbered item is the same paragraph wrapped: the two are joined, so a task that wraps over
five lines is one line again. Page numbers (``- 3 -``) are dropped. A PDF without a text layer (a scan) is refused:
govmap does not do OCR.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError

from gazetteer.errors import DocumentError
from gazetteer.reading.extract import Grid, Paragraph

__all__ = ["SCANNED", "read_pdf"]

SCANNED = "这是扫描版 PDF（没有文字层），govmap 无法读取；请先做文字识别（OCR）或提供 Word/文本版本"
#: A line is wrapped when it ends within this many average character widths of the page's right text edge.
WRAP_SLACK_CHARS = 1.5
#: Lines shorter than this are never taken for wrapped ones (a cell per line, a heading, a signature).
MIN_WRAP_CHARS = 20
#: Share of undecodable glyphs ("(cid:123)") above which the text layer is useless.
MAX_CID_SHARE = 0.2
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*共?\s*\d{1,4}\s*页?)?[-—–－\s]*$")
#: A line that opens an item of its own (一、 （一） 1. 1、 （1） ①) or a label line is never a wrapped continuation.
_OPENS_ITEM = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d{1,3}\s*[.．、]|[①-⑳]"
                         r"|(?:责任|牵头|配合|协办|参与|主责)(?:领导|单位|部门)[:：])")
_ENDS_SENTENCE = re.compile(r"[。；;：:！？)）]$")
_CID = re.compile(r"\(cid:\d+\)")


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    top: float
    x0: float
    x1: float


def read_pdf(data: bytes, *, name: str) -> tuple[list[Paragraph | Grid], str, list[str]]:
    """The blocks of every page in order, "" for the encoding, and notes (lines joined)."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_page_blocks(page) for page in pdf.pages]
            has_images = any(page.images for page in pdf.pages)
    except PDFSyntaxError:
        raise DocumentError(f"{name}: PDF 文件已损坏，无法读取") from None
    except Exception as error:  # pdfminer raises many types (encryption, broken streams); the user needs one message
        raise DocumentError(f"{name}: 无法读取该 PDF（{type(error).__name__}）：文件可能已加密或损坏") from None
    blocks = [block for page in pages for block in page]
    text = "".join(block.text if isinstance(block, Paragraph) else "x" for block in blocks)
    if not text.strip():
        raise DocumentError(f"{name}: {SCANNED}" if has_images else f"{name}: PDF 中没有文字")
    if len(_CID.findall(text)) * len("(cid:0)") > MAX_CID_SHARE * len(text):
        raise DocumentError(f"{name}: PDF 的文字层无法解码（字体缺少字符映射）；请提供 Word/文本版本，或先做文字识别（OCR）")
    return blocks, "", []


def _page_blocks(page) -> list[Paragraph | Grid]:  # noqa: ANN001  (a pdfplumber Page)
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    placed: list[tuple[float, Paragraph | Grid]] = [(table.bbox[1], _grid(table.extract())) for table in tables]
    lines = [_Line(line["text"], line["top"], line["x0"], line["x1"]) for line in page.extract_text_lines()
             if not _inside(line, boxes) and not _PAGE_NUMBER.match(line["text"])]
    placed += [(top, Paragraph(text)) for top, text in _paragraphs(lines)]
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed]


def _inside(line: dict, boxes: Sequence[tuple[float, float, float, float]]) -> bool:
    middle = (line["top"] + line["bottom"]) / 2
    return any(x0 - 1 <= line["x0"] and line["x1"] <= x1 + 1 and top <= middle <= bottom
               for x0, top, x1, bottom in boxes)


def _paragraphs(lines: list[_Line]) -> list[tuple[float, str]]:
    """Wrapped lines joined: a line reaching the right text edge continues on the next unless that opens an item."""
    if not lines:
        return []
    right = max(line.x1 for line in lines)
    width = sum((line.x1 - line.x0) / max(len(line.text), 1) for line in lines) / len(lines)
    paragraphs: list[tuple[float, str]] = []
    wrapped = False
    for line in lines:
        if wrapped and not _OPENS_ITEM.match(line.text):
            top, text = paragraphs[-1]
            paragraphs[-1] = (top, text + line.text.strip())
        else:
            paragraphs.append((line.top, line.text.strip()))
        wrapped = (line.x1 >= right - WRAP_SLACK_CHARS * width and len(line.text.strip()) >= MIN_WRAP_CHARS
                   and not _ENDS_SENTENCE.search(line.text.strip()))
    return paragraphs


def _grid(rows: list[list[str | None]]) -> Grid:
    """pdfplumber's rows (None where a merged cell covers a position) on a full grid.

    A row whose only text is its first cell is a section row spanning the table; elsewhere a covered position
    continues the cell above it (a merged section column), or the cell to its left in the first row.
    """
    width = max((len(row) for row in rows), default=0)
    texts = [[cell or "" for cell in row] + [""] * (width - len(row)) for row in rows]
    origins: list[list[tuple[int, int]]] = []
    for r, row in enumerate(rows):
        padded = list(row) + [""] * (width - len(row))
        spanning = padded[0] is not None and all(cell is None for cell in padded[1:])
        origins.append([])
        for c, cell in enumerate(padded):
            if cell is not None or c == 0:
                origins[r].append((r, c))
            elif spanning or r == 0:
                origins[r].append(origins[r][c - 1])
            else:
                origins[r].append(origins[r - 1][c])
    return Grid(tuple(map(tuple, texts)), tuple(map(tuple, origins)))
