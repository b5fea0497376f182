"""Chinese and enclosed numerals as plans number their items: 一 … 九十九, ①…⑳, 甲乙丙.

>>> chinese_number(21), chinese_value("二十一"), circled_number(3), circled_value("⑫")
('二十一', 21, '③', 12)
"""

from __future__ import annotations

__all__ = ["CIRCLED", "chinese_number", "chinese_value", "circled_number", "circled_value", "STEMS"]

DIGITS = "零一二三四五六七八九"
TEN = "十"
#: ① … ⑳, the circled numbers plans use for their smallest items.
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
#: The heavenly stems, Word's ``ideographTraditional`` list numbers.
STEMS = "甲乙丙丁戊己庚辛壬癸"
#: The largest number :func:`chinese_number` writes.
MAX_CHINESE = 99


def chinese_number(value: int) -> str:
    """``value`` (1…99) in Chinese numerals as a list number is written (十一, 二十, 二十一).

    >>> [chinese_number(n) for n in (1, 10, 11, 20, 99)]
    ['一', '十', '十一', '二十', '九十九']
    """
    if not 1 <= value <= MAX_CHINESE:
        return str(value)
    tens, units = divmod(value, 10)
    head = "" if tens == 0 else (TEN if tens == 1 else DIGITS[tens] + TEN)
    return head + (DIGITS[units] if units else "")


def chinese_value(text: str) -> int | None:
    """The value of a Chinese numeral of at most two digits (一 … 九十九), or ``None``.

    >>> chinese_value("十"), chinese_value("十二"), chinese_value("三十"), chinese_value("甲")
    (10, 12, 30, None)
    """
    if not text or any(char not in DIGITS + TEN for char in text):
        return None
    if TEN not in text:
        return DIGITS.index(text) if len(text) == 1 else None
    tens, _, units = text.partition(TEN)
    if len(tens) > 1 or len(units) > 1:
        return None
    return (DIGITS.index(tens) if tens else 1) * 10 + (DIGITS.index(units) if units else 0)


def circled_number(value: int) -> str:
    """① … ⑳ for 1 … 20; the plain number beyond."""
    return CIRCLED[value - 1] if 1 <= value <= len(CIRCLED) else str(value)


def circled_value(text: str) -> int | None:
    """The value of ① … ⑳, or ``None``."""
    return CIRCLED.index(text) + 1 if len(text) == 1 and text in CIRCLED else None
