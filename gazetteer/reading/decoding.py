"""Decoding the bytes of a plain text: UTF-8 (with or without a byte-order mark) or the GBK family.

UTF-8 is tried strictly first; GBK-family bytes (GB2312, GBK, GB18030) are always decoded as GB18030, the superset,
so that no character of a GBK file is lost. charset-normalizer is consulted only for what is neither.

>>> decode_text("咸安区".encode("gbk"))
('咸安区', 'gb18030')
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gazetteer.errors import DocumentError

if TYPE_CHECKING:
    from charset_normalizer.models import CharsetMatch

__all__ = ["decode_text", "normalise_newlines"]

#: Leading bytes of formats that are certainly not plain text, with a name for the error message.
BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a zip archive (or .docx/.xlsx)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc/.xls)"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

#: Byte-order marks recognised before any other test; the mark is dropped, the rest decoded strictly.
BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

#: Control bytes that plain text may contain (tab, newline, vertical tab, form feed, carriage return, escape).
TEXT_CONTROLS = frozenset(b"\t\n\x0b\x0c\r\x1b")
#: Share of other control bytes above which the input is taken for binary.
MAX_CONTROL_SHARE = 0.05
#: How many leading bytes the binary test looks at.
SNIFF_BYTES = 64 * 1024
#: Encodings charset-normalizer may name for GBK-family bytes; all are read as GB18030.
GBK_FAMILY = frozenset({"gb2312", "gbk", "gb18030", "hz", "hz_gb_2312", "cp936", "euc_cn"})
#: Share of non-ASCII characters that must be common (GB2312) hanzi or punctuation for a GB18030 reading to win.
MIN_COMMON_SHARE = 0.8
#: The longest incomplete multi-byte sequence a cut can leave at the end (UTF-8: 3 bytes, GB18030: 3 bytes).
MAX_CUT = 3

#: What Python's codecs say when the input stops inside a character.
CUT_REASONS = frozenset({"unexpected end of data", "incomplete multibyte sequence", "truncated data"})

_NEWLINES = re.compile(r"\r\n?")


def decode_text(data: bytes, *, name: str = "<bytes>") -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``; newlines are *not* normalised here.

    Raises :class:`DocumentError` for empty, binary, truncated or undecodable input; ``name`` goes into the message.

    >>> decode_text("淦河".encode("utf-8"))
    ('淦河', 'utf-8')
    >>> decode_text("淦河".encode("gb2312"))
    ('淦河', 'gb18030')
    >>> decode_text("淦河".encode("utf-8")[:-1])
    Traceback (most recent call last):
    ...
    gazetteer.errors.DocumentError: <bytes>: looks truncated: UTF-8 text cut in the middle of a character
    """
    if not data.strip():
        raise DocumentError(f"{name}: empty file" if not data else f"{name}: contains only whitespace")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _decode_strict(data[len(bom):], encoding, name), encoding
    _refuse_binary(data, name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    if _is_cut(data, "utf-8", utf8_error):
        raise DocumentError(f"{name}: looks truncated: UTF-8 text cut in the middle of a character")
    text = _decode_gbk_family(data, name)
    if text is not None:
        return text, "gb18030"
    return _decode_other(data, name)


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and ``\\r`` become ``\\n``; nothing else changes, so offsets stay meaningful.

    >>> normalise_newlines("a\\r\\nb\\rc")
    'a\\nb\\nc'
    """
    return _NEWLINES.sub("\n", text)


def _refuse_binary(data: bytes, name: str) -> None:
    for magic, what in BINARY_MAGIC:
        if data.startswith(magic):
            raise DocumentError(f"{name}: binary file ({what}), not a text")
    head = data[:SNIFF_BYTES]
    if b"\x00" in head:
        raise DocumentError(f"{name}: binary file (contains NUL bytes), not a text")
    controls = sum(1 for byte in head if byte < 0x20 and byte not in TEXT_CONTROLS)
    if controls > MAX_CONTROL_SHARE * len(head):
        raise DocumentError(f"{name}: binary file (mostly control characters), not a text")


def _decode_strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        if _is_cut(data, encoding, error):
            raise DocumentError(f"{name}: looks truncated: {encoding} text cut in the middle of a character") from None
        raise DocumentError(f"{name}: not valid {encoding} (bad byte at offset {error.start})") from None


def _is_cut(data: bytes, encoding: str, error: UnicodeDecodeError) -> bool:
    """True when the only fault is an incomplete character at the very end and everything before it decodes."""
    if error.reason not in CUT_REASONS or error.end != len(data) or error.start < len(data) - MAX_CUT:
        return False
    try:
        data[: error.start].decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _decode_gbk_family(data: bytes, name: str) -> str | None:
    """Decode as GB18030 when the bytes are GBK-family Chinese; ``None`` when they look like something else."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as error:
        if _is_cut(data, "gb18030", error) and _looks_chinese(data[: error.start].decode("gb18030")):
            raise DocumentError(f"{name}: looks truncated: GBK/GB18030 text cut in the middle of a character") from None
        return None
    if _looks_chinese(text):
        return text
    best = _best_guess(data)
    if best is not None and best.encoding in GBK_FAMILY:
        return text
    return None


def _looks_chinese(text: str) -> bool:
    """Most non-ASCII characters are common hanzi or CJK punctuation (encodable in GB2312)."""
    wide = [char for char in text if ord(char) > 0x7F]
    if not wide:
        return True
    common = sum(1 for char in wide if _in_gb2312(char))
    return common >= MIN_COMMON_SHARE * len(wide)


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _decode_other(data: bytes, name: str) -> tuple[str, str]:
    best = _best_guess(data)
    if best is None:
        raise DocumentError(f"{name}: cannot be decoded (neither UTF-8 nor GBK/GB18030, and no other encoding fits)")
    return str(best), best.encoding


def _best_guess(data: bytes) -> CharsetMatch | None:
    """charset-normalizer's best guess, imported only here: UTF-8 and most GBK texts never need it."""
    import charset_normalizer

    return charset_normalizer.from_bytes(data).best()
