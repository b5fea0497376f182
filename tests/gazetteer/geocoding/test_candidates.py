"""Unresolved candidates: stretches shaped like place names that the gazetteer does not know."""

from __future__ import annotations

import pytest

from gazetteer.geocoding.candidates import candidates


@pytest.mark.parametrize(("text", "expected"), [
    ("推进凌上高科产业园建设", ["凌上高科产业园"]),
    ("启动柏墩河小流域综合治理", ["柏墩河"]),
    ("完善道路和农村公路", []),
    ("项目东接桃源大道,北临蕲嘉高速", ["桃源大道", "蕲嘉高速"]),
    ("优化两大湖泊水资源,提高两湖防洪能力", []),
    ("推进连通工程和综合治理工程", []),
    ("实施白水畈河综合治理工程", ["白水畈河综合治理工程"]),
    ("下穿329省道涵洞", ["329省道"]),
    ("三合村和十里铺村", ["三合村", "十里铺村"]),
    ("主要有三角湖、聂家泉和东塘村湾", ["三角湖", "东塘村湾"]),
    ("这座小桥和一座两孔桥", []),
    ("建设美丽村、卫生村,修通水泥路", []),
    ("白水畈因高桥河而得名", ["白水畈", "高桥河"]),
    ("被官兵围此湖", []),
    ("冒着枪林弹雨强攻塔垴山", []),
], ids=["park", "river", "common-words", "where-it-lies", "counted", "generic-projects", "named-project",
        "unknown-route", "numeral-names", "short-suffixes", "function-words", "generic-stems", "suffixes-in-a-row",
        "pronoun", "long-stem-before-one-character-suffix"])
def test_unresolved_candidates(text, expected):
    assert [m.text for m in candidates(text, doc_id="d")] == expected
