"""Reading texts: encodings, newlines, defaults and every way a file can be unreadable."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from gazetteer.reading.documents import decode_text, read_document
from gazetteer.errors import DocumentError, GazetteerError
from tests.gazetteer.fixtures_text import DECOMPOSITION_ID, NARRATIVE_IDS, sample_path

ORIGINAL = {doc_id: sample_path(doc_id).read_text(encoding="utf-8") for doc_id in (DECOMPOSITION_ID, *NARRATIVE_IDS)}

# (id, sample, codec): 003 holds a no-break space that only GB18030 (not GBK) encodes; 004 a · outside GB2312.
ENCODED = [
    pytest.param("004", DECOMPOSITION_ID, "gbk", id="gbk-004"),
    pytest.param("001", NARRATIVE_IDS[1], "gb2312", id="gb2312-001"),
    pytest.param("004", DECOMPOSITION_ID, "gb18030", id="gb18030-004"),
    pytest.param("001", NARRATIVE_IDS[1], "gbk", id="gbk-001"),
    pytest.param("002", NARRATIVE_IDS[2], "gbk", id="gbk-002"),
    pytest.param("003", NARRATIVE_IDS[3], "gb18030", id="gb18030-003-nbsp"),
    pytest.param("000", NARRATIVE_IDS[0], "utf-8-sig", id="utf8-bom-000"),
    pytest.param("000", NARRATIVE_IDS[0], "utf-16", id="utf16-bom-000"),
]


@pytest.mark.parametrize(("short", "doc_id", "codec"), ENCODED)
def test_encoded_copies_read_back_exactly(tmp_path: Path, short: str, doc_id: str, codec: str) -> None:
    path = tmp_path / f"{short}.txt"
    path.write_bytes(ORIGINAL[doc_id].encode(codec))
    doc = read_document(path)
    assert doc.text == ORIGINAL[doc_id]
    expected = {"gbk": "gb18030", "gb2312": "gb18030", "gb18030": "gb18030", "utf-8-sig": "utf-8",
                "utf-16": "utf-16-le"}[codec]
    assert doc.encoding == expected
    assert doc.id == short


def test_plain_utf8_sample() -> None:
    doc = read_document(sample_path(DECOMPOSITION_ID))
    assert (doc.id, doc.encoding, doc.path) == (DECOMPOSITION_ID, "utf-8", str(sample_path(DECOMPOSITION_ID)))
    assert doc.title == "2025年咸安区<政府工作报告>确定的主要目标任务责任分解方案"


@pytest.mark.parametrize(("raw", "title"), [
    pytest.param("\n\n# 喜迎二十大 奋进新征程\n正文", "喜迎二十大 奋进新征程", id="markdown-heading"),
    pytest.param("   \n咸安:全力打造\n", "咸安:全力打造", id="blank-lines-first"),
    pytest.param("### 半年成绩单", "半年成绩单", id="level-3"),
])
def test_title_is_first_non_empty_line(raw: str, title: str) -> None:
    assert read_document(raw.encode("utf-8")).title == title


def test_explicit_id_and_title_win() -> None:
    doc = read_document("正文".encode(), doc_id="x", title="标题")
    assert (doc.id, doc.title) == ("x", "标题")


@pytest.mark.parametrize(("raw", "text"), [
    pytest.param(b"a\r\nb\r\n", "a\nb\n", id="crlf"),
    pytest.param(b"a\rb", "a\nb", id="cr"),
    pytest.param("淦河\r\n咸安".encode("gbk"), "淦河\n咸安", id="gbk-crlf"),
])
def test_newlines_normalised_and_nothing_else(raw: bytes, text: str) -> None:
    assert read_document(raw).text == text


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO("新增耕地4000亩".encode("gbk")))
    monkeypatch.setattr(sys, "stdin", fake)
    doc = read_document("-")
    assert (doc.id, doc.text, doc.path) == ("stdin", "新增耕地4000亩", None)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


BAD = [
    pytest.param(b"", "empty", id="empty"),
    pytest.param(b" \n\t\r\n  ", "whitespace", id="whitespace-only"),
    pytest.param(b"\x00" * 4096, "NUL", id="nul-filled"),
    pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64), "PNG", id="png-header"),
    pytest.param(b"PK\x03\x04" + bytes(range(1, 200)), "zip", id="zip-header"),
    pytest.param(bytes(range(1, 8)) * 200, "control", id="control-chars"),
    pytest.param("咸安区淦河".encode("utf-8")[:-1], "truncated", id="utf8-cut-mid-char"),
    pytest.param(("咸安区" * 50).encode("utf-8")[:-2], "truncated", id="utf8-cut-two-bytes"),
    pytest.param("\ufeff咸安区".encode("utf-8")[:-1], "truncated", id="utf8-bom-cut"),
    pytest.param(("咸安区新增耕地" * 30).encode("gb18030")[:-1], "truncated", id="gbk-cut-mid-char"),
    pytest.param(bytes(range(0x80, 0x100)) * 40, "cannot be decoded", id="undecodable"),
]


@pytest.mark.parametrize(("data", "says"), BAD)
def test_bad_input_raises_one_line_document_error(tmp_path: Path, data: bytes, says: str) -> None:
    path = _write(tmp_path, "bad.txt", data)
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    message = str(caught.value)
    assert str(path) in message and says in message and "\n" not in message
    assert isinstance(caught.value, GazetteerError) and isinstance(caught.value, ValueError)


@pytest.mark.parametrize(("data", "says"), BAD)
def test_decode_text_refuses_the_same_bytes(data: bytes, says: str) -> None:
    with pytest.raises(DocumentError, match=says):
        decode_text(data)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"nope\.txt: no such file"):
        read_document(tmp_path / "nope.txt")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="is a directory"):
        read_document(tmp_path)


def test_too_large_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 2**20)  # sparse: fast, takes no disk space
    def no_read(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")
    monkeypatch.setattr(Path, "open", no_read)
    with pytest.raises(DocumentError, match=r"huge\.txt: too large"):
        read_document(path)


@pytest.mark.parametrize(("size", "limit", "fails"), [
    pytest.param(99, 100, False, id="just-under"),
    pytest.param(100, 100, True, id="at-limit"),
])
def test_size_limit_boundary(tmp_path: Path, size: int, limit: int, fails: bool) -> None:
    path = _write(tmp_path, "t.txt", b"a" * size)
    if fails:
        with pytest.raises(DocumentError, match="too large"):
            read_document(path, max_bytes=limit)
    else:
        assert len(read_document(path, max_bytes=limit).text) == size


def test_bytes_too_large() -> None:
    with pytest.raises(DocumentError, match="too large"):
        read_document(b"abc", max_bytes=3)


def test_charset_normalizer_does_not_pick_big5_for_short_gbk() -> None:
    text = "咸安区向阳湖镇、汀泗桥镇、官埠桥镇新增耕地"
    assert decode_text(text.encode("gbk")) == (text, "gb18030")
