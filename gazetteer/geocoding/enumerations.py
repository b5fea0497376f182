"""Counted lists of short unit names: 永安、浮山、温泉3个街道; 汀泗桥、…、桂花9个镇; 肖岭、铜钟、港口4个乡.

Texts that describe a county list its units by their short names and close the list with the count and the
kind. Alone, 桂花 is a flower and 温泉 a hot spring; inside such a list each item is a unit of that kind. The count
must match the items, so an ordinary enumeration that happens to end in 个村 is not misread.

>>> [(i.text, sorted(map(str, i.kinds))) for i in find_enumerations("辖永安、浮山、温泉3个街道。")]
[('永安', ['subdistrict']), ('浮山', ['subdistrict']), ('温泉', ['subdistrict'])]
>>> list(find_enumerations("新建、改造3个村"))
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from gazetteer.model import Kind

#: The word that closes a list, the kinds its items are, and the endings their full names add.
UNIT_WORDS: dict[str, tuple[frozenset[Kind], tuple[str, ...]]] = {
    "乡镇": (frozenset({Kind.TOWN, Kind.TOWNSHIP}), ("镇", "乡")),
    "镇": (frozenset({Kind.TOWN}), ("镇",)),
    "乡": (frozenset({Kind.TOWNSHIP}), ("乡",)),
    "街道办事处": (frozenset({Kind.SUBDISTRICT}), ("街道", "街道办事处", "办事处")),
    "街道": (frozenset({Kind.SUBDISTRICT}), ("街道", "街道办事处", "办事处")),
    "办事处": (frozenset({Kind.SUBDISTRICT}), ("办事处", "街道", "街道办事处")),
    "行政村": (frozenset({Kind.VILLAGE}), ("村",)),
    "村委会": (frozenset({Kind.VILLAGE}), ("村",)),
    "村民委员会": (frozenset({Kind.VILLAGE}), ("村",)),
    "居委会": (frozenset({Kind.COMMUNITY}), ("社区",)),
    "村": (frozenset({Kind.VILLAGE}), ("村",)),
    "社区": (frozenset({Kind.COMMUNITY}), ("社区",)),
}
_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_ITEM = r"[\u4e00-\u9fff]{2,5}"
_LIST = re.compile(rf"((?:{_ITEM}、)+{_ITEM}?)等?([0-9]{{1,2}}|十?[一二两三四五六七八九十])个("
                   + "|".join(sorted(UNIT_WORDS, key=len, reverse=True)) + ")")
_COUNTED = re.compile(r"(?:[0-9]{1,2}|十?[一二两三四五六七八九十])个(?:" + "|".join(sorted(UNIT_WORDS, key=len, reverse=True))
                      + ")")
_LIST_ENDING = re.compile(_LIST.pattern + r"\Z")  # searched with endpos at the count's end
#: How far before its count a list may begin (30 items of up to 6 characters).
_LONGEST_LIST = 180
#: Words that may glue the first item to what comes before it (崇阳县辖天城、石城…).
_LEADS = ("下辖", "辖有", "包括", "包含", "设有", "分别是", "分别为", "辖", "设", "有", "含", "即", "为", "是")


@dataclass(frozen=True, slots=True)
class Item:
    """One short name of a counted list: where it stands, the kinds it may be, the endings of its full name."""

    start: int
    end: int
    text: str
    kinds: frozenset[Kind]
    endings: tuple[str, ...]
    #: Where its list starts: items of one list share it.
    group: int = 0


def find_enumerations(text: str) -> Iterator[Item]:
    """The items of every counted list of units in ``text``, left to right."""
    done = 0
    at = text.find("个")
    while at >= 0:  # the list pattern runs only just before a count such as 3个街道
        count = _COUNTED.match(text, max(at - 2, 0), at + 6) or _COUNTED.match(text, max(at - 1, 0), at + 6)
        at = text.find("个", at + 1)
        if count is None:
            continue
        match = _LIST_ENDING.search(text, max(done, count.start() - _LONGEST_LIST), count.end())
        if match is None:
            continue
        done = match.end()
        items = match.group(1).split("、")
        if len(items) != _count(match.group(2)):
            continue
        kinds, endings = UNIT_WORDS[match.group(3)]
        first = items[0]
        lead = max((first.rfind(word) + len(word) for word in _LEADS if word in first[:-1]), default=0)
        position = match.start(1) + lead
        items[0] = first[lead:]
        if len(items[0]) < 2:
            continue
        for item in items:
            yield Item(position, position + len(item), item, kinds, endings, match.start())
            position += len(item) + 1


def _count(written: str) -> int:
    """The count as written in digits or Chinese numerals.

    >>> [_count(w) for w in ("9", "三", "十二", "十")]
    [9, 3, 12, 10]
    """
    if written.isdigit():
        return int(written)
    if len(written) == 2:  # 十一 … 十九
        return 10 + _NUMERALS[written[1]]
    return _NUMERALS[written]
