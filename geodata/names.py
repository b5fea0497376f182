"""Names of Chinese admin units: ASCII slugs, pinyin keys, kinds by suffix, short names, and seat matching.

Shared by the by-hand build (``python -m geodata.build``) and ``govmap init``. Known pinyin exceptions (readings
pypinyin gets wrong, GeoNames names that do not follow from a unit's name) are data: ``data/pinyin.toml``.
Needs ``pypinyin`` (the ``build`` extra) for slugs and keys.
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from geodata.errors import GeodataError

#: Township-level suffix → kind, first match wins (苏木 is Inner Mongolia's township).
TOWNSHIP_KINDS = (("街道", "subdistrict"), ("办事处", "subdistrict"), ("镇", "town"), ("乡", "township"),
                  ("场", "farm"), ("管理局", "zone"), ("管理处", "zone"), ("区", "zone"), ("园", "zone"),
                  ("苏木", "township"))
#: Village-level suffix → kind (嘎查 is Inner Mongolia's village).
VILLAGE_KINDS = (("社区", "community"), ("居委会", "community"), ("生活区", "community"), ("村", "village"),
                 ("嘎查", "village"))
#: Generic suffixes dropped when matching a GeoNames pinyin name.
GENERIC_SUFFIXES = ("街道", "办事处", "镇", "乡")
#: County-level and prefecture-level suffixes, longest first, dropped for the short name (通城县 → 通城).
UNIT_SUFFIXES = ("自治县", "自治旗", "自治州", "林区", "特区", "地区", "区", "县", "市", "旗", "盟")
#: The 55 minority nationalities, dropped with 族 before 自治县/自治旗 (长阳土家族自治县 → 长阳).
ETHNIC_GROUPS = tuple(sorted(
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
    "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺".split(), key=len, reverse=True))

_EXCEPTIONS = Path(__file__).resolve().with_name("data") / "pinyin.toml"


class UnknownKindError(GeodataError, ValueError):
    """A unit's name ends in no suffix of the kind table."""


@dataclass(frozen=True)
class PinyinExceptions:
    """The contents of ``data/pinyin.toml``."""

    readings: dict[str, list[list[str]]]
    #: (county adcode, GeoNames name) → the unit's exact name.
    seats: dict[tuple[str, str], str]
    rejected: frozenset[str]


@functools.cache
def exceptions(path: Path = _EXCEPTIONS) -> PinyinExceptions:
    """Read the table of pinyin exceptions.

    >>> exceptions().seats[("421224", "Xiapu")], "Xianning" in exceptions().rejected
    ('厦铺镇', True)
    """
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return PinyinExceptions(readings=raw.get("readings", {}),
                            seats={(s["county"], s["geonames"]): s["unit"] for s in raw.get("seat", [])},
                            rejected=frozenset(r["geonames"] for r in raw.get("reject", [])))


@functools.cache
def _fix_pinyin() -> None:
    from pypinyin import load_phrases_dict

    load_phrases_dict(exceptions().readings)


def slug(name: str) -> str:
    """ASCII slug of a Chinese name: lowercase lazy pinyin, letters and digits only.

    >>> slug("向阳湖镇"), slug("厦铺镇")
    ('xiangyanghuzhen', 'xiapuzhen')
    """
    from pypinyin import lazy_pinyin

    _fix_pinyin()
    return re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(name)).lower())


def pinyin_keys(name: str, *, limit: int = 64) -> set[str]:
    """Every plain-pinyin reading of ``name`` (heteronyms included), for matching romanised names.

    >>> sorted(pinyin_keys("大畈"))
    ['dafan', 'daifan', 'taifan']
    """
    from pypinyin import Style, pinyin

    _fix_pinyin()
    readings = pinyin(name, style=Style.NORMAL, heteronym=True)
    combos = itertools.islice(itertools.product(*readings), limit)
    return {re.sub(r"[^a-z]", "", "".join(combo).lower()) for combo in combos}


def kind_by_suffix(name: str, table: tuple[tuple[str, str], ...], *, default: str | None = None) -> str:
    """The kind of a unit by the first suffix of ``table`` its name ends with; ``default`` or an error otherwise.

    >>> kind_by_suffix("向阳湖奶牛良种场", TOWNSHIP_KINDS), kind_by_suffix("某连队", VILLAGE_KINDS, default="village")
    ('farm', 'village')
    """
    for suffix, kind in table:
        if name.endswith(suffix):
            return kind
    if default is None:
        raise UnknownKindError(f"no kind rule for the name {name!r}; extend the suffix table in geodata/names.py")
    return default


def unique(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … when taken; records the result in ``taken``.

    >>> taken = set(); [unique("xincun", taken) for _ in range(2)]
    ['xincun', 'xincun-2']
    """
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def short_name(name: str) -> str:
    """The short form of a county-level or prefecture-level name; the name itself if that would be one character.

    >>> [short_name(n) for n in ("咸安区", "通城县", "赤壁市", "鄂温克族自治旗", "长阳土家族自治县", "范县")]
    ['咸安', '通城', '赤壁', '鄂温克', '长阳', '范县']
    >>> short_name("双江拉祜族佤族布朗族傣族自治县"), short_name("恩施土家族苗族自治州")
    ('双江', '恩施')
    """
    stem = next((name[: -len(s)] for s in UNIT_SUFFIXES if name.endswith(s)), name)
    if name.endswith(("自治县", "自治旗", "自治州")):
        stem = _drop_ethnic(stem)
    return stem if len(stem) >= 2 else name


def _drop_ethnic(stem: str) -> str:
    """长阳土家族 → 长阳, 双江拉祜族佤族布朗族傣族 → 双江; 鄂温克族 (the group is the name) → 鄂温克."""
    while stem.endswith("族"):
        group = next((g for g in ETHNIC_GROUPS if stem[:-1].endswith(g)), None)
        if group is None:
            break
        shorter = stem[: -len(group) - 1]
        if not shorter:
            return stem[:-1]
        stem = shorter
    return stem


def township_keys(units: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str], list[str]]:
    """(county id, pinyin key) → ids of the township-level units (id, name, county id) it may stand for.

    >>> township_keys([("c-majiazhen", "马家镇", "c")])[("c", "majia")]
    ['c-majiazhen']
    """
    keys: dict[tuple[str, str], list[str]] = {}
    for unit_id, name, county in units:
        base = next((name[: -len(s)] for s in GENERIC_SUFFIXES if name.endswith(s)), name)
        for key in pinyin_keys(base) | pinyin_keys(name):
            keys.setdefault((county, key), []).append(unit_id)
    return keys


def geonames_key(name: str) -> str:
    """The comparable form of a GeoNames name: lowercase letters only.

    >>> geonames_key("Ma'an Qiao")
    'maanqiao'
    """
    return re.sub(r"[^a-z]", "", name.lower())
