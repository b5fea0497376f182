"""Numeric indicators in government texts: 新增耕地不低于4000亩 → 新增耕地, ≥, 4000, 亩.

An indicator is an Arabic number with a unit from :data:`UNITS` (optionally 万/亿 and 余/多 between them). Numbers
without a unit are never indicators, which leaves out years and dates (2025年, 7月7日, 2019 年 11 月), code names
(5011, 51020, 5+4, 三线并进) and list numbering (1. 、). Chinese numerals (三年, 第七届, 十四五) are not read at all.
:data:`STOP_BEFORE` and :data:`STOP_UNITS` drop ordinals (第 9), road and route numbers (G351, S31; 107国道 has no
unit), PM2.5, periods (1个月, 15分钟), and 5G has no unit. A quantity followed by 以上/以下 and a noun
(10亿元以上项目, 2000万元以上增长点) qualifies that noun and is not an indicator. The quoted code name
“80、60、40” is not read (no unit); its explanation 缩减至80个工作日 is.

Quantities next to each other, separated only by 、 or 或 (突破8家、10家、15家; 分别突破4万元、2万元; 45、35、10个工作日以内;
16283户48795名), form a *group*: one indicator per value, sharing the metric, the comparator and (for bare numbers)
the unit of the last member.

The metric is the noun phrase before the number, back to the clause boundary (quotes kept whole; a 、-list of
number-free names is kept whole: 城镇、农村常住居民人均可支配收入), with comparator and growth words, time words and
action verbs (:data:`LEADING_TRIMS`, :data:`TRAILING_TRIMS`) trimmed; the verb removed from the front is kept in
:attr:`Indicator.verb` (新改建). 新增/新签约/新开工/净增 stay in the metric: they define the statistic. A count
followed by its noun (21个贫困村, 676 个小区) takes the noun after it; an empty metric takes the noun after the
quantity, else the metric of the previous indicator in the same sentence (完成投资106.2亿元,增长16% → 投资).

The span of an indicator covers the comparator words, the number and the unit (不低于4000亩); ``offset`` is added so
that spans point into the document.

>>> [(i.metric, i.comparator, i.value, i.unit, str(i.kind)) for i in find_indicators("新增耕地不低于4000亩", doc_id="d")]
[('新增耕地', '≥', 4000.0, '亩', 'amount')]
>>> [(i.metric, i.verb, i.value) for i in find_indicators("新改建高标准农田3万亩、茶园2000亩", doc_id="d")]
[('高标准农田', '新改建', 30000.0), ('茶园', '', 2000.0)]
>>> [(i.metric, i.comparator, i.value, i.unit, str(i.kind)) for i in find_indicators("地区生产总值增长7%以上。", doc_id="d")]
[('地区生产总值', '≥', 7.0, '%', 'growth')]
>>> [(i.shown_metric, written(i)) for i in find_indicators("产值力争突破30亿元、40亿元，增长7%", doc_id="d")][2]
('产值增长', '7%')
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal

from gazetteer.model import Indicator, IndicatorKind, Span

__all__ = ["COMPARATOR_PREFIXES", "COMPARATOR_SUFFIXES", "UNITS", "chinese_quantity", "describe", "find_indicators",
           "written"]

#: Written unit → (normalised unit, factor, kind). Counting classifiers are kept as their own unit.
UNITS: dict[str, tuple[str, int, IndicatorKind]] = {
    "元": ("元", 1, IndicatorKind.AMOUNT),
    "亩": ("亩", 1, IndicatorKind.AMOUNT),
    "公顷": ("公顷", 1, IndicatorKind.AMOUNT),
    "平方公里": ("km2", 1, IndicatorKind.AMOUNT),
    "平方千米": ("km2", 1, IndicatorKind.AMOUNT),
    "平方米": ("m2", 1, IndicatorKind.AMOUNT),
    "公里": ("km", 1, IndicatorKind.AMOUNT),
    "千米": ("km", 1, IndicatorKind.AMOUNT),
    "米": ("m", 1, IndicatorKind.AMOUNT),
    "吨": ("t", 1, IndicatorKind.AMOUNT),
    "公斤": ("kg", 1, IndicatorKind.AMOUNT),
    "千瓦": ("kW", 1, IndicatorKind.AMOUNT),
    "个工作日": ("工作日", 1, IndicatorKind.AMOUNT),
    "工作日": ("工作日", 1, IndicatorKind.AMOUNT),
    "分": ("分", 1, IndicatorKind.AMOUNT),
    "%": ("%", 1, IndicatorKind.SHARE),
    "％": ("%", 1, IndicatorKind.SHARE),
    "个百分点": ("pp", 1, IndicatorKind.SHARE),
    "百分点": ("pp", 1, IndicatorKind.SHARE),
    **{classifier: (classifier, 1, IndicatorKind.COUNT) for classifier in (
        "个", "家", "座", "人次", "人", "件", "篇", "套", "张", "所", "户", "名", "项", "条", "剂次", "次", "场次", "场",
        "批", "支", "处", "块", "台", "辆", "根", "位", "株", "棵", "间", "栋", "艘", "头", "只")},
}
#: Words after a number that make it a period or a duration, not an indicator (1个月, 15分钟, 24小时).
STOP_UNITS: tuple[str, ...] = ("个月", "个小时", "小时", "分钟", "个季度")
#: Multipliers written between number and unit.
MULTIPLIERS: dict[str, int] = {"万亿": 10**12, "亿": 10**8, "万": 10**4}
#: "More than" written between number and unit (170余篇, 100多家).
APPROXIMATE_INFIXES: tuple[str, ...] = ("余", "多")
#: Comparator words written right before the number, longest first.
COMPARATOR_PREFIXES: dict[str, str] = {
    "不少于": "≥", "不低于": "≥", "不小于": "≥", "至少": "≥", "达到": "≥", "达": "≥",
    "超过": ">", "突破": ">", "多于": ">", "高于": ">", "超": ">", "过": ">",
    "不超过": "≤", "不高于": "≤", "控制在": "≤", "低于": "≤",
    "大约": "~", "约": "~", "近": "~", "接近": "~", "将近": "~",
}
#: Words ending in a prefix comparator that are not one (通过 is not 过).
FALSE_PREFIXES: tuple[str, ...] = ("通过", "经过", "不过", "超过")
#: Comparator words written right after the unit.
COMPARATOR_SUFFIXES: dict[str, str] = {"及以上": "≥", "以上": "≥", "以内": "≤", "以下": "≤", "左右": "~", "上下": "~"}
#: Suffixes that, followed by a noun, make the quantity a qualifier (10亿元以上项目).
QUALIFIER_SUFFIXES: tuple[str, ...] = ("及以上", "以上", "以下")
#: Growth words before a percentage, with the sign they give the value.
GROWTH_WORDS: dict[str, int] = {
    "同比增长": 1, "年均增长": 1, "同比下降": -1, "增长": 1, "增速": 1, "增幅": 1, "下降": -1, "减少": -1, "收窄": 1,
}
#: Stripped from the end of a metric (adverbs and linking words between the metric and the number).
TRAILING_TRIMS: tuple[str, ...] = (
    "分别", "力争", "确保", "保持在", "保持", "预计", "累计", "共计", "合计", "均", "为", "是", "由", "到", "至",
    "提高", "拓展", "增加", "缩减", "压缩", "降低", "达", "都")
#: Verbs inside a metric that separate a subject from it (…4大传统产业实现工业总产值 → 工业总产值).
SUBJECT_VERBS: tuple[str, ...] = ("实现",)
#: Stripped from the start of a metric: time and scope words, adverbs and action verbs (kept as the verb).
LEADING_TRIMS: tuple[str, ...] = (
    "全年", "今年", "年内", "上半年", "下半年", "前三季度", "三季度", "二季度", "一季度", "当年", "其中", "全区", "全市",
    "全县", "全省", "共", "累计", "力争", "确保", "预计", "重点", "着力", "推动", "计划", "积极", "大力", "全面", "现有",
    "共有", "还", "并", "已", "将", "完成", "实现", "新改建", "新建", "改建", "扩建", "建成", "建设", "建立", "创建",
    "争创", "打造", "培育", "实施", "申报", "发放", "带动", "聘请", "投入", "新布局", "布局", "改造", "整治", "调出",
    "补划", "产生", "拿下", "组织", "提档升级", "推出", "吸纳", "梳理", "引进", "招录", "谋划", "包含", "增加", "收集",
    "促成", "征求")
#: Nouns that begin like a trimmed verb and are kept whole (建成区面积, 建设用地).
PROTECTED_NOUNS: tuple[str, ...] = ("建成区", "建设用地", "建设规模", "改造面积", "投入产出")
#: The leading trims that are action verbs (the first one removed is kept as :attr:`Indicator.verb`).
VERBS = frozenset(LEADING_TRIMS[LEADING_TRIMS.index("完成"):])
#: Where the noun after a count stops (21个贫困村全部出列 → 贫困村).
FORWARD_STOPS: tuple[str, ...] = (
    "全部", "已", "都", "均", "参加", "进行", "开展", "组建", "实现", "得到", "入驻", "签约", "包含", "对", "在",
    "被", "和", "与", "等", "第", "纷", "一沉", "投入", "下沉", "深入", "参与", "建成", "即将", "各具", "结对", "为",
    "上", "以", "从", "向", "由", "增加", "提高", "拓展", "增长", "下降", "减少", "到", "至")
#: List numbering at the start of a task (5.全年完成… → 全年完成…).
LIST_NUMBER = re.compile(r"^\s*(?:\d{1,3}\s*[.．、]|[(（][一二三四五六七八九十]+[)）])")
#: Bracketed asides holding numbers are dropped from a metric (标准(…80个工作日…)压缩至 → 标准).
NUMBERED_ASIDE = re.compile(r"[(（][^()（）]*\d[^()（）]*[)）]")
#: Leading time words written with digits (2021年完成…, 2019 年城区…).
YEAR_PREFIX = re.compile(r"^\s*\d{4}\s*年\s*")
#: Characters before a number that make it a code, not a quantity: 第 9, G351, S31, PM2.5.
STOP_BEFORE = re.compile(r"(?:第\s*|(?<![A-Za-z])[A-Za-z]|PM)$")
#: Clause boundaries for the metric (、 is handled apart).
BOUNDARIES = frozenset("，,。；;：:！？!?（(【】《\n\t")
SENTENCE_BOUNDARIES = frozenset("。；;！？!?\n")
#: Closing marks whose whole bracket or quotation is part of the metric, with their opening marks.
PAIRS: dict[str, str] = {"”": "“", ")": "(", "）": "（", "》": "《"}
#: Separators inside a group of adjacent quantities.
GROUP_SEPARATORS = re.compile(r"^\s*(?:[、或/]\s*)?$")
#: The longest metric kept; longer phrases keep their last characters.
MAX_METRIC_CHARS = 40
MAX_FORWARD_CHARS = 12

_NUMBER = r"\d+(?:\.\d+)?"
_UNIT_ALTERNATION = "|".join(re.escape(unit) for unit in sorted((*UNITS, *STOP_UNITS), key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?<![\d.])(?P<num>{_NUMBER})[ \t]*(?P<infix1>余|多)?[ \t]*(?P<mult>万亿|亿|万)?[ \t]*(?P<infix2>余|多)?[ \t]*"
    rf"(?P<unit>{_UNIT_ALTERNATION})")
_BARE_MEMBER = re.compile(rf"(?<![\d.])(?P<num>{_NUMBER})\s*、\s*$")
_HAN = re.compile(r"[\u4e00-\u9fff“]")
_PREFIX_ORDER = sorted(COMPARATOR_PREFIXES, key=len, reverse=True)
_SUFFIX_ORDER = sorted(COMPARATOR_SUFFIXES, key=len, reverse=True)
_GROWTH_ORDER = sorted(GROWTH_WORDS, key=len, reverse=True)


@dataclass(slots=True)
class _Quantity:
    start: int
    end: int
    value_text: str
    mult: str
    unit_text: str
    infix: bool


def find_indicators(text: str, *, doc_id: str, offset: int = 0, owner: str = "") -> list[Indicator]:
    """Every indicator in ``text``, in order; spans are ``offset`` + positions in ``text``."""
    indicators: list[Indicator] = []
    for group in _groups(text, _quantities(text)):
        indicators.extend(_read_group(text, group, indicators, doc_id=doc_id, offset=offset, owner=owner))
    return indicators


def _quantities(text: str) -> list[_Quantity]:
    found = []
    for match in _QUANTITY.finditer(text):
        if match.group("unit") in STOP_UNITS or STOP_BEFORE.search(text[max(match.start() - 2, 0):match.start()]):
            continue
        if _is_qualifier(text, match.end()):
            continue
        found.append(_Quantity(match.start(), match.end(), match.group("num"), match.group("mult") or "",
                               match.group("unit"), bool(match.group("infix1") or match.group("infix2"))))
    return _with_bare_members(text, found)


def _is_qualifier(text: str, end: int) -> bool:
    rest = text[end:]
    for suffix in QUALIFIER_SUFFIXES:
        if rest.startswith(suffix):
            return bool(_HAN.match(rest[len(suffix):len(suffix) + 1]))
    return False


def _with_bare_members(text: str, quantities: list[_Quantity]) -> list[_Quantity]:
    """Add the unit-less members of lists such as 45、35、10个工作日, which take the unit of the last member."""
    result: list[_Quantity] = []
    for quantity in quantities:
        members = []
        position = quantity.start
        while match := _BARE_MEMBER.search(text, 0, position):
            if STOP_BEFORE.search(text[max(match.start() - 2, 0):match.start()]):
                break
            members.append(_Quantity(match.start(), match.start() + len(match.group("num")), match.group("num"),
                                     quantity.mult, quantity.unit_text, False))
            position = match.start()
        result.extend(reversed(members))
        result.append(quantity)
    return result


def _groups(text: str, quantities: list[_Quantity]) -> list[list[_Quantity]]:
    """Runs of quantities separated only by 、, 或 or nothing (8家、10家、15家; 16283户48795名)."""
    groups: list[list[_Quantity]] = []
    for quantity in quantities:
        if groups and GROUP_SEPARATORS.match(text[groups[-1][-1].end:quantity.start]):
            groups[-1].append(quantity)
        else:
            groups.append([quantity])
    return groups


def _read_group(text: str, group: list[_Quantity], earlier: list[Indicator], *, doc_id: str, offset: int,
                owner: str) -> list[Indicator]:
    first, last = group[0], group[-1]
    prefix, prefix_start = _prefix_comparator(text, first.start)
    growth, growth_start = _growth_word(text, prefix_start)
    suffix, suffix_end = _suffix_comparator(text, last.end)
    metric, verb = _backward_metric(text, growth_start, earlier, offset)
    unit_kind = UNITS[last.unit_text][2]
    forward = _forward_noun(text, suffix_end)
    if forward and (unit_kind == IndicatorKind.COUNT or not metric or text[suffix_end:].lstrip(" \t").startswith("的")):
        metric = forward
    elif not metric:
        metric = _inherited_metric(text, first.start, earlier, offset)
    shown = _paired_metrics(metric, len(group))
    indicators = []
    for number, quantity in enumerate(group):
        own_suffix, own_end = _suffix_comparator(text, quantity.end)
        comparator = (COMPARATOR_SUFFIXES.get(own_suffix) or COMPARATOR_SUFFIXES.get(suffix)
                      or COMPARATOR_PREFIXES.get(prefix) or (">" if quantity.infix else "="))
        start = prefix_start if quantity is first else quantity.start
        end = max(own_end, suffix_end) if quantity is last else own_end
        display = shown[number] if shown else metric
        if growth and growth not in display and UNITS[quantity.unit_text][0] in ("%", "pp"):
            display += growth
        indicators.append(_indicator(quantity, metric, verb, comparator, growth, Span(doc_id, offset + start,
                                                                                      offset + end), owner,
                                     display=display if display != metric else ""))
    return indicators


#: A count of the listed items before their shared head noun (两大主导产业, 3大产业, 两个).
_COUNT_WORD = re.compile(r"^(?:[两二三四五六七八九十\d]+)(?:大|个|项|类)")


def _paired_metrics(metric: str, values: int) -> list[str]:
    """One metric per value when a 、-list of as many metrics shares one head noun, else [].

    >>> _paired_metrics("生物医药、汽车零部件两大主导产业产值", 2)
    ['生物医药主导产业产值', '汽车零部件主导产业产值']
    >>> _paired_metrics("城镇、农村常住居民人均可支配收入", 2)
    ['城镇常住居民人均可支配收入', '农村常住居民人均可支配收入']
    >>> _paired_metrics("城镇、农村常住居民人均可支配收入", 3), _paired_metrics("“金龙、玉龙、潜龙”企业", 3)
    ([], [])
    """
    if values < 2 or "“" in metric:
        return []
    items = metric.split("、")
    if len(items) != values:
        return []
    last = items[-1]
    for position in range(1, len(last)):
        count = _COUNT_WORD.match(last[position:])
        if count and position < len(last) - count.end():
            head = last[position + count.end():]
            return [item + head for item in (*items[:-1], last[:position])]
    sizes = {len(item) for item in items[:-1]}
    if len(sizes) == 1 and (size := sizes.pop()) < len(last) - 1:
        head = last[size:]
        return [item + head for item in (*items[:-1], last[:size])]
    return []


def _indicator(quantity: _Quantity, metric: str, verb: str, comparator: str, growth: str, span: Span,
               owner: str, *, display: str = "") -> Indicator:
    unit, factor, kind = UNITS[quantity.unit_text]
    sign = GROWTH_WORDS.get(growth, 1)
    if unit in ("%", "pp") and growth:
        kind = IndicatorKind.GROWTH
    value = Decimal(quantity.value_text) * MULTIPLIERS.get(quantity.mult, 1) * factor * sign
    return Indicator(metric=metric, comparator=comparator, value_text=quantity.value_text,
                     unit_text=quantity.mult + quantity.unit_text, value=float(value), unit=unit, kind=kind,
                     span=span, owner=owner, verb=verb, display=display)


def _prefix_comparator(text: str, start: int) -> tuple[str, int]:
    """The comparator word just before ``start`` (spaces allowed) and where it starts."""
    position = len(text[:start].rstrip())
    for word in _PREFIX_ORDER:
        if text.endswith(word, 0, position) and not any(
                text.endswith(false, 0, position) for false in FALSE_PREFIXES if false != word):
            return word, position - len(word)
    return "", start


def _growth_word(text: str, start: int) -> tuple[str, int]:
    position = len(text[:start].rstrip())
    for word in _GROWTH_ORDER:
        if text.endswith(word, 0, position):
            return word, position - len(word)
    return "", start


def _suffix_comparator(text: str, end: int) -> tuple[str, int]:
    rest = text[end:]
    stripped = rest.lstrip(" \t")
    for word in _SUFFIX_ORDER:
        if stripped.startswith(word):
            return word, end + len(rest) - len(stripped) + len(word)
    return "", end


def _backward_metric(text: str, end: int, earlier: list[Indicator], offset: int) -> tuple[str, str]:
    """The trimmed noun phrase ending at ``end`` and the verb trimmed from its front."""
    start = _clause_start(text, end, earlier, offset)
    phrase = text[start:end]
    return _trim(phrase)


def _clause_start(text: str, end: int, earlier: list[Indicator], offset: int) -> int:
    """Back from ``end`` to a clause boundary or the previous indicator; quotes and brackets are kept whole and a
    、-list of number-free names is crossed."""
    ends = sorted(indicator.span.end - offset for indicator in earlier)

    def floor_at(position: int) -> int:
        """The end of the last earlier indicator at or before ``position`` (0 if none)."""
        at = bisect_right(ends, position)
        return ends[at - 1] if at else 0

    position = end
    while position > 0:
        char = text[position - 1]
        if char in PAIRS:
            opening = text.rfind(PAIRS[char], 0, position - 1)
            if opening < 0:
                break
            position = opening
            continue
        if position <= floor_at(position) or char in BOUNDARIES:
            break
        if char == "、":
            floor = floor_at(position)
            piece = text[_piece_start(text, position - 1, floor):position - 1]
            if position == end or not piece or any(c.isdigit() for c in piece):
                break
        position -= 1
    return position


def _piece_start(text: str, end: int, floor: int) -> int:
    position = end
    while position > floor and text[position - 1] not in BOUNDARIES and text[position - 1] != "、":
        position -= 1
    return position


def _trim(phrase: str) -> tuple[str, str]:
    metric = NUMBERED_ASIDE.sub("", YEAR_PREFIX.sub("", LIST_NUMBER.sub("", phrase))).strip()
    for verb_word in SUBJECT_VERBS:
        metric = metric.rpartition(verb_word)[2] or metric
    verb = ""
    changed = True
    while changed and metric:
        changed = False
        if metric.endswith(TRAILING_TRIMS):
            for word in TRAILING_TRIMS:
                if metric.endswith(word):
                    metric, changed = metric[: -len(word)].rstrip(), True
        if metric.startswith(LEADING_TRIMS):
            for word in LEADING_TRIMS:
                if metric.startswith(word) and not metric.startswith(PROTECTED_NOUNS):
                    if word in VERBS and not verb:
                        verb = word
                    metric, changed = metric[len(word):].lstrip(" 、"), True
    return metric[-MAX_METRIC_CHARS:], verb


def _forward_noun(text: str, end: int) -> str:
    """The noun right after a quantity (21个贫困村全部出列 → 贫困村), or ''."""
    rest = text[end:end + MAX_FORWARD_CHARS * 2].lstrip(" \t")
    if rest.startswith("的"):
        rest = rest[1:]
    if not _HAN.match(rest[:1]):
        return ""
    noun = []
    depth = 0
    for index, char in enumerate(rest):
        if char == "“" and index > 0:
            break
        depth += (char == "“") - (char == "”")
        if depth <= 0 and char != "”" and (char in BOUNDARIES or char in "、 " or char.isdigit()
                                           or rest.startswith(FORWARD_STOPS, index)):
            break
        noun.append(char)
    return "".join(noun)[:MAX_FORWARD_CHARS]


def _inherited_metric(text: str, start: int, earlier: list[Indicator], offset: int) -> str:
    """The metric of the previous indicator when nothing but a clause boundary (no sentence end) separates them."""
    if not earlier:
        return ""
    previous = earlier[-1]
    between = text[max(previous.span.end - offset, 0):start]
    if any(char in SENTENCE_BOUNDARIES for char in between):
        return ""
    return previous.metric


def written(indicator: Indicator) -> str:
    """The value the Chinese way, as written: 30亿元, 4000亩, 7%.

    >>> [written(i) for i in find_indicators("突破30亿元，新增耕地4000亩，增长7%", doc_id="d")]
    ['30亿元', '4000亩', '7%']
    """
    return f"{indicator.value_text}{indicator.unit_text}"


#: How a comparator reads in a sentence.
COMPARATOR_WORDS: dict[str, str] = {"≥": "≥", ">": ">", "≤": "≤", "~": "约", "=": "", "<": "<"}


def describe(indicator: Indicator) -> str:
    """The indicator in one phrase: 地区生产总值增长≥7%, 生物医药主导产业产值>30亿元.

    >>> describe(find_indicators("地区生产总值增长7%以上", doc_id="d")[0])
    '地区生产总值增长≥7%'
    """
    return f"{indicator.shown_metric}{COMPARATOR_WORDS.get(indicator.comparator, indicator.comparator)}" \
           f"{written(indicator)}"


#: Chinese multipliers for showing a normalised value, largest first.
_SHOWN_MULTIPLIERS: tuple[tuple[int, str], ...] = ((10**8, "亿"), (10**4, "万"))
#: Normalised units as a reader writes them.
UNIT_TEXT: dict[str, str] = {"km2": "平方公里", "m2": "平方米", "km": "公里", "m": "米", "t": "吨", "kg": "公斤",
                             "kW": "千瓦", "pp": "个百分点"}


def chinese_quantity(value: float, unit: str) -> str:
    """A normalised value the Chinese way: 30亿元, 4000亩, 7%, 4万元, 1.5万公里.

    >>> chinese_quantity(3e9, "元"), chinese_quantity(4000, "亩"), chinese_quantity(7, "%"), chinese_quantity(40000, "元")
    ('30亿元', '4000亩', '7%', '4万元')
    >>> chinese_quantity(-3, "%"), chinese_quantity(12.65e8, "元"), chinese_quantity(2.5, "km2")
    ('-3%', '12.65亿元', '2.5平方公里')
    >>> chinese_quantity(16283, "户")
    '16283户'
    """
    shown_unit = UNIT_TEXT.get(unit, unit)
    if unit not in ("%", "pp"):
        for factor, word in _SHOWN_MULTIPLIERS:
            scaled = value / factor
            if abs(scaled) >= 1 and abs(round(scaled, 2) - scaled) < 1e-9:  # 12.65亿, but 16283户 stays whole
                return f"{_plain(scaled)}{word}{shown_unit}"
    return f"{_plain(value)}{shown_unit}"


def _plain(number: float) -> str:
    """A number without needless decimals or grouping: 30, 12.65, 0.5."""
    return f"{round(number, 4):f}".rstrip("0").rstrip(".") if not float(number).is_integer() else str(int(number))
