"""geodata.names: the name helpers the by-hand build and init share (the build itself downloads, never run here).

Slugs come from pypinyin, which the ``test`` extra installs as the ``build`` one does."""

from __future__ import annotations

import pytest

from geodata import names


@pytest.mark.parametrize(("name", "expected"), [
    pytest.param("向阳湖镇", "xiangyanghuzhen", id="town"),
    pytest.param("厦铺镇", "xiapuzhen", id="fixed-reading"),
    pytest.param("咸安区5号社区", "xiananqu5haoshequ", id="digits"),
])
def test_slug(name, expected):
    assert names.slug(name) == expected


def test_pinyin_keys_include_heteronyms():
    assert {"dafan", "daifan"} <= names.pinyin_keys("大畈")


@pytest.mark.parametrize(("name", "kind"), [
    pytest.param("温泉街道", "subdistrict", id="jiedao"),
    pytest.param("孝感开发区丹阳办事处", "subdistrict", id="banshichu"),
    pytest.param("贺胜桥镇", "town", id="zhen"),
    pytest.param("大幕乡", "township", id="xiang"),
    pytest.param("向阳湖奶牛良种场", "farm", id="chang"),
    pytest.param("咸安商贸物流区", "zone", id="qu"),
    pytest.param("蒲纺工业园", "zone", id="yuan"),
    pytest.param("九宫山自然保护管理局", "zone", id="guanliju"),
])
def test_township_kinds(name, kind):
    assert names.kind_by_suffix(name, names.TOWNSHIP_KINDS) == kind


def test_unknown_suffix_stops_the_build():
    with pytest.raises(names.UnknownKindError, match="no kind rule"):
        names.kind_by_suffix("某某", names.VILLAGE_KINDS)


def test_collisions_get_numbered_in_order():
    taken: set[str] = set()
    assert [names.unique("xincun", taken) for _ in range(3)] == ["xincun", "xincun-2", "xincun-3"]
