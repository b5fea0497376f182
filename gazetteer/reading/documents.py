"""Reading government texts from disk, stdin or bytes into a :class:`~gazetteer.model.Document`.

A file is read as what its bytes say it is (:mod:`gazetteer.reading.formats`): plain text in UTF-8 or the GBK family
(:mod:`gazetteer.reading.decoding`), Word .docx, PDF with a text layer, Excel .xlsx or a saved web page; anything else is
refused with a message in Chinese that says how to convert it. The extracted text (:mod:`gazetteer.reading.extract`) is
what is analysed: every span refers to it, and its tables keep each cell's span in it.

Newlines are normalised to ``\\n`` and nothing else is changed in a plain text, so offsets into
:attr:`Document.text` stay meaningful for every span taken from it.

>>> doc = read_document("咸安区 2025 年\\r\\n新增耕地不低于4000亩。".encode("gbk"), doc_id="demo")
>>> doc.encoding, doc.format, doc.title, doc.text.splitlines()[1]
('gb18030', 'text', '咸安区 2025 年', '新增耕地不低于4000亩。')
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from gazetteer.reading.decoding import decode_text
from gazetteer.errors import DocumentError
from gazetteer.reading.extract import extract
from gazetteer.reading.formats import detect_format
from gazetteer.model import Document

__all__ = ["DEFAULT_MAX_BYTES", "decode_text", "first_line_title", "read_document"]

#: Files this large or larger are refused before they are read.
DEFAULT_MAX_BYTES = 50 * 2**20

_HEADING_MARKS = re.compile(r"^\s*#+\s*")


def read_document(source: str | os.PathLike[str] | bytes, *, doc_id: str | None = None, title: str | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read a file, ``"-"`` for standard input, or raw ``bytes`` into a :class:`Document`.

    ``doc_id`` defaults to the file stem (``"stdin"`` for ``-``, ``"text"`` for bytes); ``title`` to the first
    non-empty line without markdown ``#`` marks. Files of ``max_bytes`` or more are refused before being read.

    >>> read_document(b"# \\xe5\\x92\\xb8\\xe5\\xae\\x89\\n\\n", doc_id="x").title
    '咸安'
    """
    name, data, path, default_id = _load(source, max_bytes)
    suffix = Path(path).suffix if path else ""
    doc_id = doc_id or default_id
    extracted = extract(data, fmt=detect_format(data, suffix=suffix, name=name), name=name, doc_id=doc_id)
    if not extracted.text.strip():
        raise DocumentError(f"{name}: contains only whitespace" if extracted.format == "text"
                            else f"{name}: 文件中没有可读的文字")
    return Document(id=doc_id, title=title if title is not None else first_line_title(extracted.text),
                    text=extracted.text, encoding=extracted.encoding, path=path, format=str(extracted.format),
                    tables=extracted.tables, notes=extracted.notes)


def first_line_title(text: str) -> str:
    """The title a reader would give the text: the first non-empty line, stripped of whitespace and markdown
    heading marks; for a notice that opens with its addressees (各乡、镇人民政府,…:), the document it issues.

    >>> first_line_title("\\n\\n## 咸安:书写答卷\\n正文")
    '咸安:书写答卷'
    >>> first_line_title("各乡、镇人民政府,区政府各部门:\\n《2025年目标任务责任分解方案》已经区人民政府同意,现印发给你们")
    '2025年目标任务责任分解方案'
    """
    lines = [stripped for line in text.split("\n") if (stripped := _HEADING_MARKS.sub("", line).strip())]
    if not lines:
        return ""
    if lines[0].endswith((":", "：")) and len(lines) > 1:  # a salutation: the notice names what it issues
        issued = _ISSUED.match(lines[1])
        return issued.group(1) if issued else lines[1]
    return lines[0]


#: The document a notice issues, named at the start of its first sentence: 《…》已经…同意, 现印发给你们.
_ISSUED = re.compile(r"(?:关于印发)?《(.+?)》")


def _load(source: str | os.PathLike[str] | bytes, max_bytes: int) -> tuple[str, bytes, str | None, str]:
    """Return (name for messages, bytes, path or None, default id), refusing oversized input before reading it."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        _check_size(len(data), max_bytes, "<bytes>")
        return "<bytes>", data, None, "text"
    if isinstance(source, str) and source == "-":
        data = sys.stdin.buffer.read(max_bytes)
        _check_size(len(data), max_bytes, "<stdin>")
        return "<stdin>", data, None, "stdin"
    path = Path(source)
    name = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise DocumentError(f"{name}: is a directory, not a text file")
        _check_size(size, max_bytes, name)
        with path.open("rb") as handle:
            data = handle.read(max_bytes)
    except FileNotFoundError:
        raise DocumentError(f"{name}: no such file") from None
    except PermissionError:
        raise DocumentError(f"{name}: cannot be read (permission denied)") from None
    except OSError as error:
        raise DocumentError(f"{name}: cannot be read ({error.strerror or error})") from None
    _check_size(len(data), max_bytes, name)
    return name, data, str(path), path.stem


def _check_size(size: int, max_bytes: int, name: str) -> None:
    if size >= max_bytes:
        raise DocumentError(f"{name}: too large ({size} bytes; the limit is {max_bytes - 1} bytes)")

