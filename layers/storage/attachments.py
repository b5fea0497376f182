"""Attachments of reports: what a file is, found from its first bytes (never from its name or the type a browser
claims), and where it is kept — a folder of the deployment's data folder, outside any web root, under a random name.

Accepted: PDF, JPEG, PNG, and Word (.docx) and Excel (.xlsx) files, which are ZIP packages recognised by the part
they must hold. The name's extension must agree with the content, so a program renamed ``.pdf`` or a web page
renamed ``.png`` is refused.

>>> sniff(b"%PDF-1.7 ...", "进展.pdf")
Kind(media_type='application/pdf', extension='.pdf')
>>> sniff(b"MZ\\x90\\x00", "进展.pdf")
Traceback (most recent call last):
...
layers.errors.Invalid: 附件类型不受支持：只接受 PDF、JPEG、PNG、Word（.docx）和 Excel（.xlsx）文件
"""

from __future__ import annotations

import io
import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from layers.errors import Invalid

#: The largest attachment accepted by default (bytes; ``GOVMAP_MAX_ATTACHMENT_MB``).
MAX_BYTES = 10 * 1024 * 1024
#: The most attachments a report may have.
MAX_PER_REPORT = 20
#: The folder of attachments inside the deployment's data folder.
FOLDER = "attachments"
_REFUSED = "附件类型不受支持：只接受 PDF、JPEG、PNG、Word（.docx）和 Excel（.xlsx）文件"


@dataclass(frozen=True, slots=True)
class Kind:
    media_type: str
    extension: str


PDF = Kind("application/pdf", ".pdf")
JPEG = Kind("image/jpeg", ".jpg")
PNG = Kind("image/png", ".png")
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
#: First bytes of each kind that is not a ZIP package.
MAGIC: tuple[tuple[bytes, Kind], ...] = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
#: The part a ZIP package of each Office kind must hold.
PARTS: tuple[tuple[str, Kind], ...] = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX))
#: The extensions a name may have for each kind.
EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",), DOCX: (".docx",), XLSX: (".xlsx",)}


def sniff(data: bytes, name: str) -> Kind:
    """The kind of ``data`` if accepted and ``name``'s extension agrees, else :class:`Invalid` (the size is the
    caller's to check: :attr:`layers.storage.supervision.Supervision.max_attachment`)."""
    if not data:
        raise Invalid("附件是空文件")
    kind = next((k for magic, k in MAGIC if data.startswith(magic)), None) or _office(data)
    if kind is None:
        raise Invalid(_REFUSED)
    if Path(name.lower()).suffix not in EXTENSIONS[kind]:
        raise Invalid(f"附件的扩展名与内容不符（内容是 {kind.extension[1:].upper()} 文件）")
    return kind


def _office(data: bytes) -> Kind | None:
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((k for part, k in PARTS if part in names), None)


def clean_name(name: str) -> str:
    """The file name to show and offer for download: its last part only, without control characters, at most 200
    characters.

    >>> clean_name("C:\\\\Users\\\\a\\\\..\\\\进展\\x00.pdf"), clean_name("../../etc/passwd"), clean_name("")
    ('进展.pdf', 'passwd', '附件')
    """
    last = PureWindowsPath(PurePosixPath(name).name).name
    text = "".join(c for c in unicodedata.normalize("NFC", last) if unicodedata.category(c)[0] != "C")
    text = re.sub(r"\s+", " ", text).strip(" .")
    return text[-200:] or "附件"


def save(folder: Path, data: bytes, kind: Kind) -> str:
    """Write ``data`` under a new random name in ``folder`` (made, private to the server) and return the name."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored = secrets.token_hex(16) + kind.extension
    temporary = folder / f".{stored}.part"
    with open(temporary, "xb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    temporary.replace(folder / stored)
    return stored


def path_of(folder: Path, stored_name: str) -> Path:
    """The file of a stored name (only names :func:`save` makes: no folder can be named)."""
    if not re.fullmatch(r"[0-9a-f]{32}\.[a-z]{3,4}", stored_name):
        raise Invalid("附件名无效")
    return folder / stored_name


__all__ = ["EXTENSIONS", "FOLDER", "Kind", "MAX_BYTES", "MAX_PER_REPORT", "clean_name", "path_of", "save", "sniff"]
