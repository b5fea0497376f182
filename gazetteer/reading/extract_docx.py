"""Word (.docx) through python-docx: paragraphs and tables in body order, merged cells once, list numbers written.

python-docx gives a paragraph's text without its automatic list number (Word draws 1. / （一） from the numbering
part). A plan numbered that way would lose every task number, so the number is synthesised from the paragraph's
``w:numPr`` (or its style's) and the level's ``numFmt`` and ``lvlText``, counting as Word does: a level restarts
when a shallower level of the same list moves on.

>>> NumberFormat.text("chineseCounting", 3), NumberFormat.text("decimalEnclosedCircle", 2)
('三', '②')
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import docx
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph

from gazetteer.errors import DocumentError
from gazetteer.reading.extract import Grid, Paragraph
from gazetteer.reading.numerals import STEMS, chinese_number, circled_number

__all__ = ["NumberFormat", "read_docx"]

_PLACEHOLDER = re.compile(r"%([1-9])")


class NumberFormat:
    """Word's ``w:numFmt`` values and how each writes a counter; unknown formats are written as decimals."""

    WRITERS = {
        "decimal": str,
        "decimalZero": lambda n: f"{n:02d}",
        "chineseCounting": chinese_number,
        "chineseCountingThousand": chinese_number,
        "chineseLegalSimplified": chinese_number,
        "taiwaneseCounting": chinese_number,
        "ideographTraditional": lambda n: STEMS[(n - 1) % len(STEMS)],
        "decimalEnclosedCircle": circled_number,
        "decimalEnclosedCircleChinese": circled_number,
        "decimalFullWidth": lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        "lowerLetter": lambda n: chr(ord("a") + (n - 1) % 26),
        "upperLetter": lambda n: chr(ord("A") + (n - 1) % 26),
        "lowerRoman": lambda n: _roman(n).lower(),
        "upperRoman": lambda n: _roman(n),
        "none": lambda n: "",
    }

    @classmethod
    def text(cls, fmt: str, value: int) -> str:
        return cls.WRITERS.get(fmt, str)(value)


def _roman(value: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for size, letters in numerals:
        count, value = divmod(value, size)
        out += letters * count
    return out


@dataclass(frozen=True, slots=True)
class _Level:
    fmt: str
    pattern: str
    start: int


@dataclass(slots=True)
class _Numbering:
    """The lists of a document (num id → levels) and the counters of each as the body is read."""

    lists: dict[str, dict[int, _Level]]
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    written: int = 0

    def label(self, num_id: str, level: int) -> str:
        levels = self.lists.get(num_id)
        if not levels or level not in levels or levels[level].fmt == "bullet":
            return ""
        counts = self.counters.setdefault(num_id, {})
        counts[level] = counts.get(level, levels[level].start - 1) + 1
        for deeper in [lvl for lvl in counts if lvl > level]:
            del counts[deeper]
        self.written += 1

        def value(match: re.Match[str]) -> str:
            lvl = int(match.group(1)) - 1
            known = levels.get(lvl, levels[level])
            return NumberFormat.text(known.fmt, counts.get(lvl, known.start))

        return _PLACEHOLDER.sub(value, levels[level].pattern)


def read_docx(data: bytes, *, name: str) -> tuple[list[Paragraph | Grid], str, list[str]]:
    """The blocks of a .docx in body order, "" for the encoding, and notes on what was synthesised."""
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many types for a broken package; the user needs one message
        raise DocumentError(f"{name}: 无法读取该 .docx 文件，文件可能已损坏（{type(error).__name__}）") from None
    numbering = _Numbering(_lists(document))
    blocks = list(_blocks(document, document.element.body, numbering))
    notes = [f"Word 自动编号已按编号格式写出（{numbering.written} 处）"] if numbering.written else []
    return blocks, "", notes


def _blocks(document: WordDocument, parent, numbering: _Numbering) -> Iterator[Paragraph | Grid]:  # noqa: ANN001
    for child in parent.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = WordParagraph(child, document)
            yield Paragraph(_number(paragraph, numbering) + paragraph.text)
        elif child.tag == qn("w:tbl"):
            yield _grid(WordTable(child, document))
        elif child.tag == qn("w:sdt"):  # a content control: its content is body content
            for content in child.iterchildren(qn("w:sdtContent")):
                yield from _blocks(document, content, numbering)


def _number(paragraph: WordParagraph, numbering: _Numbering) -> str:
    num_pr = _num_pr(paragraph)
    if num_pr is None:
        return ""
    num_id = num_pr.find(qn("w:numId"))
    level = num_pr.find(qn("w:ilvl"))
    if num_id is None or num_id.get(qn("w:val")) in (None, "0"):
        return ""
    return numbering.label(num_id.get(qn("w:val")), int(level.get(qn("w:val"), "0")) if level is not None else 0)


def _num_pr(paragraph: WordParagraph):  # noqa: ANN202  (an lxml element or None)
    """The paragraph's own ``w:numPr``, or the nearest one its style (or a base style) carries."""
    p_pr = paragraph._p.pPr
    if p_pr is not None and p_pr.numPr is not None:
        return p_pr.numPr
    style = paragraph.style
    while style is not None:
        style_pr = style.element.pPr
        if style_pr is not None and style_pr.numPr is not None:
            return style_pr.numPr
        style = style.base_style
    return None


def _lists(document: WordDocument) -> dict[str, dict[int, _Level]]:
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return {}
    abstract = {node.get(qn("w:abstractNumId")): _levels(node) for node in root.iterchildren(qn("w:abstractNum"))}
    lists: dict[str, dict[int, _Level]] = {}
    for num in root.iterchildren(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        levels = dict(abstract.get(ref.get(qn("w:val")) if ref is not None else None, {}))
        for override in num.iterchildren(qn("w:lvlOverride")):
            start = override.find(qn("w:startOverride"))
            level = int(override.get(qn("w:ilvl"), "0"))
            if start is not None and level in levels:
                old = levels[level]
                levels[level] = _Level(old.fmt, old.pattern, int(start.get(qn("w:val"), "1")))
        lists[num.get(qn("w:numId"))] = levels
    return lists


def _levels(abstract) -> dict[int, _Level]:  # noqa: ANN001
    levels: dict[int, _Level] = {}
    for lvl in abstract.iterchildren(qn("w:lvl")):
        fmt, pattern, start = (lvl.find(qn(tag)) for tag in ("w:numFmt", "w:lvlText", "w:start"))
        levels[int(lvl.get(qn("w:ilvl"), "0"))] = _Level(
            fmt.get(qn("w:val"), "decimal") if fmt is not None else "decimal",
            pattern.get(qn("w:val"), "") if pattern is not None else "",
            int(start.get(qn("w:val"), "1")) if start is not None else 1)
    return levels


def _grid(table: WordTable) -> Grid:
    """The table on its grid: a cell spanning columns (gridSpan) or continuing a vertical merge (vMerge) is one."""
    texts: list[list[str]] = []
    origins: list[list[tuple[int, int]]] = []
    for r, tr in enumerate(table._tbl.tr_lst):
        row_texts: list[str] = []
        row_origins: list[tuple[int, int]] = []
        for tc in tr.tc_lst:
            column = len(row_texts)
            above = origins[r - 1][column] if r and column < len(origins[r - 1]) else None
            continued = tc.vMerge == "continue" and above is not None
            origin = above if continued else (r, column)
            text = "" if continued else _Cell(tc, table).text
            for _ in range(tc.grid_span):
                row_texts.append(text if len(row_origins) == column else "")
                row_origins.append(origin)  # type: ignore[arg-type]
        texts.append(row_texts)
        origins.append(row_origins)
    width = max((len(row) for row in texts), default=0)
    for r, row in enumerate(texts):
        origins[r] += [(r, c) for c in range(len(row), width)]
        row += [""] * (width - len(row))
    return Grid(tuple(map(tuple, texts)), tuple(map(tuple, origins)))
