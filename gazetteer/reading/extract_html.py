"""A web page as saved from a government site: its article only, with its tables, through lxml.

The charset is the one the page declares (``<meta charset>`` or ``http-equiv``; GBK family read as GB18030),
else it is detected as for a plain text. The article is the first of the containers government content systems
use (``TRS_Editor``, ``#zoom``, ``#UCAP-CONTENT``, ``.article``, ``.content``…) that holds enough text; failing
those, the block with most text outside links (a readability-style score). Navigation, headers, footers, scripts,
forms and 附件 links to files are dropped. The title (``<meta name="ArticleTitle">``, ``<h1>`` or ``<title>``)
opens the text. Data tables are kept as tables; a layout table (one that holds a table, or has one column) is
read as the blocks inside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.html
from lxml import etree

from gazetteer.reading.decoding import decode_text
from gazetteer.reading.extract import Grid, Paragraph, cell_text

__all__ = ["read_html"]

#: Containers of the article on government sites, most specific first (XPath).
ARTICLE_CONTAINERS: tuple[str, ...] = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[contains(@class, 'TRS_UEDITOR')]",
    "//*[@id='UCAP-CONTENT']",
    "//*[@id='zoom' or @id='Zoom' or @class='zoom']",
    "//*[@id='js_content']",
    "//*[contains(@class, 'pages_content') or contains(@class, 'article-content') or @id='article-content']",
    "//article",
    "//*[contains(@class, 'article') or @id='article']",
    "//*[@id='content' or contains(concat(' ', normalize-space(@class), ' '), ' content ')]",
)
#: A container holding fewer characters than this is taken for a stub and the next one is tried.
MIN_ARTICLE_CHARS = 80
#: Elements that are never article text.
DROPPED_TAGS = ("script", "style", "noscript", "iframe", "form", "nav", "header", "footer", "aside", "select",
                "button", "input", "textarea", "object", "embed", "svg")
#: Class or id words of boilerplate blocks inside a page.
_BOILERPLATE = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|footer|foot|header|banner|breadcrumb|crumbs?|share|"
                          r"sidebar|copyright|toolbar|print|related|fenxiang|position|location|dqwz)(?:$|[\s_-])",
                          re.IGNORECASE)
#: Files an 附件 link points to.
_ATTACHMENT = re.compile(r"\.(?:docx?|wps|pdf|xlsx?|et|zip|rar|7z|ofd|txt|jpe?g|png)(?:[?#].*)?$", re.IGNORECASE)
_ATTACHMENT_LABEL = re.compile(r"^\s*(?:相关)?附件\s*\d*\s*[:：]?\s*$")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_XML_PROLOG = re.compile(r"^\s*<\?xml[^>]*\?>")
_TITLE_SPLIT = re.compile(r"\s*(?:_|\||-{1,2}|—|－)\s*")
GBK_NAMES = frozenset({"gb2312", "gbk", "gb18030", "cp936", "x-gbk", "euc-cn"})
BLOCK_TAGS = frozenset({"p", "div", "section", "article", "main", "center", "blockquote", "pre", "ul", "ol", "li",
                        "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "tbody",
                        "thead", "tfoot", "body", "hr", "address", "figure", "figcaption", "caption"})
#: How much of a paragraph's score its grandparent gets (readability).
GRANDPARENT_SHARE = 0.5
#: Blocks whose text is more than this share link text are navigation.
MAX_LINK_SHARE = 0.5


def read_html(data: bytes, *, name: str) -> tuple[list[Paragraph | Grid], str, list[str]]:
    """The article's blocks (title first), the encoding the page was read in, no notes."""
    text, encoding = _decode(data, name)
    root = lxml.html.document_fromstring(_XML_PROLOG.sub("", text) or "<html></html>")
    title = _title(root)
    for element in list(root.iter(*DROPPED_TAGS)):
        _drop(element)
    etree.strip_elements(root, etree.Comment, with_tail=False)
    article = _article(root)
    _clean(article)
    blocks = list(_blocks(article))
    first = next((b.text.strip() for b in blocks if isinstance(b, Paragraph) and b.text.strip()), "")
    if title and not first.startswith(title):
        blocks.insert(0, Paragraph(title))
    return blocks, encoding, []


def _decode(data: bytes, name: str) -> tuple[str, str]:
    declared = _META_CHARSET.search(data[:8192])
    if declared:
        charset = declared.group(1).decode("ascii").lower()
        codec = "gb18030" if charset in GBK_NAMES else charset
        try:
            return data.decode(codec), codec
        except (LookupError, UnicodeDecodeError):
            pass  # a page that lies about its charset is detected like a plain text
    return decode_text(data, name=name)


def _drop(element: lxml.html.HtmlElement) -> None:
    if element.getparent() is not None:
        element.drop_tree()


def _title(root: lxml.html.HtmlElement) -> str:
    for xpath in ("//meta[@name='ArticleTitle']/@content", "//h1", "//title"):
        found = root.xpath(xpath)
        if found:
            value = found[0] if isinstance(found[0], str) else found[0].text_content()
            value = cell_text(value)
            if value:
                return _TITLE_SPLIT.split(value)[0] if xpath == "//title" else value
    return ""


def _article(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    for xpath in ARTICLE_CONTAINERS:
        found = [element for element in root.xpath(xpath) if _text_length(element) >= MIN_ARTICLE_CHARS]
        if found:
            return max(found, key=_text_length)
    return _densest(root)


def _text_length(element: lxml.html.HtmlElement) -> int:
    return len(re.sub(r"\s+", "", element.text_content()))


def _densest(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The block with most paragraph text outside links, each paragraph also counting half for its grandparent."""
    scores: dict[lxml.html.HtmlElement, float] = {}
    for block in root.iter("p", "td", "div", "pre", "li"):
        own = len(re.sub(r"\s+", "", "".join(block.xpath("text()"))))
        if own == 0 or _link_share(block) > MAX_LINK_SHARE or _BOILERPLATE.search(_marks(block)):
            continue
        parent = block.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0.0) + own
            grandparent = parent.getparent()
            if grandparent is not None:
                scores[grandparent] = scores.get(grandparent, 0.0) + own * GRANDPARENT_SHARE
    body = root.find("body")
    return max(scores, key=scores.__getitem__) if scores else (body if body is not None else root)


def _link_share(element: lxml.html.HtmlElement) -> float:
    total = _text_length(element)
    linked = sum(_text_length(link) for link in element.iter("a"))
    return linked / total if total else 0.0


def _marks(element: lxml.html.HtmlElement) -> str:
    return f"{element.get('class', '')} {element.get('id', '')}"


def _clean(article: lxml.html.HtmlElement) -> None:
    """Boilerplate blocks and attachment links out of the article, and a 附件: label left empty by them."""
    for element in list(article.iter()):
        if element is not article and isinstance(element.tag, str) and _BOILERPLATE.search(_marks(element)):
            _drop(element)
    for link in list(article.iter("a")):
        if _ATTACHMENT.search(link.get("href", "")):
            _drop(link)
    for element in list(article.iter("p", "div", "span", "li")):
        if _ATTACHMENT_LABEL.match(element.text_content()) and not len(element.xpath(".//table")):
            _drop(element)


def _blocks(element: lxml.html.HtmlElement) -> Iterator[Paragraph | Grid]:
    """Paragraphs of inline text between block elements, and tables, in document order."""
    run: list[str] = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):
            run.append(child.tail or "")
            continue
        tag = child.tag.lower()
        if tag == "br":
            run.append("\n")
        elif tag == "table" and _is_data_table(child):
            yield from _flush(run)
            yield _grid(child)
        elif tag in BLOCK_TAGS:
            yield from _flush(run)
            yield from _blocks(child)
        else:
            run.append(_inline_text(child))
        run.append(child.tail or "")
    yield from _flush(run)


def _flush(run: list[str]) -> Iterator[Paragraph]:
    text = "".join(run)
    run.clear()
    if text.strip():
        yield Paragraph(text)


def _inline_text(element: lxml.html.HtmlElement) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append("\n" if child.tag.lower() == "br" else _inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _is_data_table(table: lxml.html.HtmlElement) -> bool:
    if table.xpath(".//table"):
        return False
    return any(len(row.xpath("./td|./th")) > 1 for row in _rows(table))


def _rows(table: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")


def _grid(table: lxml.html.HtmlElement) -> Grid:
    """The table on its grid: a cell with colspan/rowspan covers each position it spans."""
    placed: dict[tuple[int, int], tuple[str, tuple[int, int]]] = {}
    rows = _rows(table)
    for r, row in enumerate(rows):
        column = 0
        for cell in row.xpath("./td|./th"):
            while (r, column) in placed:
                column += 1
            rowspan, colspan = _span(cell.get("rowspan")), _span(cell.get("colspan"))
            text = "\n".join(_cell_paragraphs(cell))
            for dr in range(rowspan):
                for dc in range(colspan):
                    if r + dr < len(rows):
                        placed[(r + dr, column + dc)] = (text if (dr, dc) == (0, 0) else "", (r, column))
            column += colspan
    width = max((c + 1 for _, c in placed), default=0)
    texts = tuple(tuple(placed.get((r, c), ("", (r, c)))[0] for c in range(width)) for r in range(len(rows)))
    origins = tuple(tuple(placed.get((r, c), ("", (r, c)))[1] for c in range(width)) for r in range(len(rows)))
    return Grid(texts, origins)


def _cell_paragraphs(cell: lxml.html.HtmlElement) -> Iterator[str]:
    for block in _blocks(cell):
        if isinstance(block, Paragraph):
            yield block.text


def _span(value: str | None) -> int:
    """A rowspan/colspan attribute as a count of at least 1 (browsers read "2;" and "" too)."""
    digits = re.match(r"\s*(\d+)", value or "")
    return max(1, min(int(digits.group(1)), 1000)) if digits else 1
