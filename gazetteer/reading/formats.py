"""Which file format a document is, told by its bytes first and its name second, and a clear refusal otherwise.

govmap reads plain text, Word (.docx), PDF with a text layer, Excel (.xlsx) and saved web pages (.html). The bytes
decide: a .docx renamed .txt is still read as Word, a web page saved as .doc is read as HTML. The extension only
names the format in a refusal (an OLE file is .doc, .xls, .wps or .et by its name).

>>> detect_format(b"%PDF-1.7 ...", suffix=".txt")
<Format.PDF: 'pdf'>
>>> detect_format("<!DOCTYPE html><html><body>方案</body></html>".encode(), suffix=".doc")
<Format.HTML: 'html'>
>>> detect_format(b"\\xd0\\xcf\\x11\\xe0\\xa1\\xb1\\x1a\\xe1" + bytes(64), suffix=".wps", name="a.wps")
Traceback (most recent call last):
...
gazetteer.errors.DocumentError: a.wps: 暂不支持 .wps（WPS 文字）格式；请在 WPS 或 Word 中另存为 .docx，或导出为 PDF/文本后再导入。支持的格式：.txt .docx .pdf .xlsx .html
"""

from __future__ import annotations

import io
import re
import zipfile
from enum import StrEnum

from gazetteer.errors import DocumentError

__all__ = ["SUPPORTED", "Format", "detect_format", "refuse"]


class Format(StrEnum):
    """The formats govmap reads."""

    TEXT = "text"
    HTML = "html"
    DOCX = "docx"
    PDF = "pdf"
    XLSX = "xlsx"


#: The extensions named in every refusal, in the order a person would look for theirs.
SUPPORTED = ".txt .docx .pdf .xlsx .html"
#: How to turn each family of unsupported files into one that is read.
ADVICE = {
    "word": "请在 WPS 或 Word 中另存为 .docx，或导出为 PDF/文本后再导入",
    "sheet": "请在 WPS 或 Excel 中另存为 .xlsx 后再导入",
    "slides": "请导出为 PDF 后再导入",
    "image": "图片没有文字层；请先做文字识别（OCR），或提供 Word/文本版本",
    "archive": "请先解压，再逐个导入其中的文件",
    "other": "请导出为文本、Word 或 PDF 后再导入",
}
#: Names of unsupported formats by extension, with their advice family; used when the bytes alone do not tell.
UNSUPPORTED_SUFFIXES: dict[str, tuple[str, str]] = {
    ".doc": ("旧版 Word", "word"), ".wps": ("WPS 文字", "word"), ".rtf": ("RTF", "word"),
    ".odt": ("OpenDocument 文本", "word"), ".ofd": ("OFD 版式文件", "word"), ".mht": ("MHT 网页归档", "word"),
    ".mhtml": ("MHT 网页归档", "word"), ".xls": ("旧版 Excel", "sheet"), ".et": ("WPS 表格", "sheet"),
    ".ods": ("OpenDocument 表格", "sheet"), ".csv": ("CSV 表格", "sheet"), ".ppt": ("旧版 PowerPoint", "slides"),
    ".pptx": ("PowerPoint", "slides"), ".dps": ("WPS 演示", "slides"),
}
#: Leading bytes of formats that are refused, with their name and advice family.
REFUSED_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG 图片", "image"),
    (b"\xff\xd8\xff", "JPEG 图片", "image"),
    (b"GIF87a", "GIF 图片", "image"),
    (b"GIF89a", "GIF 图片", "image"),
    (b"II*\x00", "TIFF 图片", "image"),
    (b"MM\x00*", "TIFF 图片", "image"),
    (b"BM", "BMP 图片", "image"),
    (b"\x1f\x8b", "gzip 压缩包", "archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip 压缩包", "archive"),
    (b"Rar!\x1a\x07", "RAR 压缩包", "archive"),
    (b"{\\rtf", "RTF", "word"),
    (b"\x7fELF", "可执行程序", "other"),
    (b"SQLite format 3\x00", "SQLite 数据库", "other"),
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
PDF_MAGIC = b"%PDF-"
#: Members of a zip that make it an Office Open XML file of each kind, with the name of those refused.
ZIP_MEMBERS: tuple[tuple[str, Format | tuple[str, str]], ...] = (
    ("word/document.xml", Format.DOCX),
    ("xl/workbook.xml", Format.XLSX),
    ("ppt/presentation.xml", ("PowerPoint", "slides")),
    ("Doc_1/Document.xml", ("OFD 版式文件", "word")),
)
#: Where an HTML page shows itself, after any BOM and whitespace: a doctype, <html>, <head> or an XML prolog.
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head)\b",
                         re.IGNORECASE | re.DOTALL)
_MIME = re.compile(rb"^\s*(?:From:.*\n)?MIME-Version:", re.IGNORECASE)
HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml"})
#: How many leading bytes the HTML test looks at.
SNIFF_BYTES = 4096


def refuse(name: str, what: str, family: str) -> DocumentError:
    """The error for an unsupported format: what it is, how to convert it, and what is read.

    >>> str(refuse("x.png", "PNG 图片", "image")).startswith("x.png: 暂不支持 PNG 图片")
    True
    """
    return DocumentError(f"{name}: 暂不支持 {what}格式；{ADVICE[family]}。支持的格式：{SUPPORTED}")


def detect_format(data: bytes, *, suffix: str = "", name: str = "<bytes>") -> Format:
    """The format of ``data``, or a :class:`DocumentError` naming the unsupported format and how to convert it."""
    suffix = suffix.lower()
    if data.startswith(PDF_MAGIC):
        return Format.PDF
    if data.startswith(ZIP_MAGIC):
        return _zip_format(data, suffix, name)
    if data.startswith(OLE_MAGIC):
        what, family = UNSUPPORTED_SUFFIXES.get(suffix, ("旧版 Office（.doc/.xls/.wps/.et）", "word"))
        raise refuse(name, _named(suffix, what), family)
    for magic, what, family in REFUSED_MAGIC:
        if data.startswith(magic):
            raise refuse(name, what, family)
    if _MIME.match(data[:SNIFF_BYTES]):
        raise refuse(name, ".mht（MHT 网页归档）", "word")
    if _HTML_START.match(data[:SNIFF_BYTES]) or (suffix in HTML_SUFFIXES and b"<" in data[:SNIFF_BYTES]):
        return Format.HTML
    return Format.TEXT


def _named(suffix: str, what: str) -> str:
    return f"{suffix}（{what}）" if suffix in UNSUPPORTED_SUFFIXES else what


def _zip_format(data: bytes, suffix: str, name: str) -> Format:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refuse(name, "zip 压缩包（已损坏，或不是 .docx/.xlsx）", "archive") from None
    if "mimetype" in members and suffix in UNSUPPORTED_SUFFIXES:
        raise refuse(name, _named(suffix, UNSUPPORTED_SUFFIXES[suffix][0]), UNSUPPORTED_SUFFIXES[suffix][1])
    for member, result in ZIP_MEMBERS:
        if member in members:
            if isinstance(result, Format):
                return result
            raise refuse(name, result[0], result[1])
    raise refuse(name, "zip 压缩包", "archive")
