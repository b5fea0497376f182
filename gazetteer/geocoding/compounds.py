"""Names built on a known place: what follows a place name decides what the longer name is.

Real texts name far more things than any gazetteer lists, and most are built on a place it does know:
簰洲湾长江大桥, 贺胜桥站, 龙潭河湿地公园, 九宫山旅游度假区, 107国道改线工程. Such a name is a place of its own, of
the kind its ending says, located by the place it is named after (quality ``derived``, DESIGN.md's ladder). Other
names built on a place are no place at all: organisations and media (咸宁日报, 湖北咸宁贺胜桥汤业食品有限公司), products
(贺胜桥鸡汤, 黄袍山茶油) and slogans or platforms (云上咸安, 美丽咸宁). Either way the longer name wins, as it does
in recognition, and the place names inside it are not mentions of their own.

Government bodies are deliberately not organisations here: 咸安区人民政府 and 市生态环境局咸安区分局 name the
jurisdiction (tests/gold/README.md).

>>> [(c.text, str(c.kind)) for c in find_compounds("建设簰洲湾长江大桥", [(2, 5, Kind.TOWN)])]
[('簰洲湾长江大桥', 'bridge')]
>>> places = [(0, 2, Kind.PROVINCE), (2, 4, Kind.CITY), (4, 7, Kind.TOWN)]
>>> [(c.text, c.kind, c.nonplace) for c in find_compounds("湖北咸宁贺胜桥汤业食品有限公司", places)]
[('湖北咸宁贺胜桥汤业食品有限公司', None, 'organisation')]
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from gazetteer.places.geometry import TOO_LARGE_TO_LOCATE
from gazetteer.model import ADMIN_KINDS, ROAD_KINDS, WATER_KINDS, Kind, Place, Quality

#: Endings that make a place's name into the name of another place, by kind (longest first within a family).
PLACE_ENDINGS: dict[Kind, tuple[str, ...]] = {
    Kind.BRIDGE: ("长江公路大桥", "长江大桥", "公路大桥", "铁路大桥", "大桥"),
    Kind.SITE: ("火车站", "高铁站", "客运站", "汽车站", "综合门户港", "门户港", "抽水蓄能电站", "水电站", "电站",
                "电厂", "战役纪念馆", "纪念馆", "纪念碑", "纪念园", "博物馆", "陈列馆", "展览馆", "战役遗址", "遗址",
                "旧址", "故居", "中心广场", "广场", "拦河闸", "水闸", "泵站", "大坝", "大堤", "堤防", "码头", "水厂",
                "污水处理厂", "烈士陵园", "陵园", "农庄", "山庄", "庄园"),
    Kind.PARK: ("国家湿地公园", "湿地公园", "森林公园", "文体公园", "体育公园", "生态公园", "公园", "植物园", "绿道"),
    Kind.ZONE: ("风景名胜区", "名胜风景区", "风景区", "旅游度假区", "度假区", "旅游区", "景区", "新城", "未来城",
                "新区", "产业园区", "产业园", "工业园区", "工业园", "科创园", "物流园", "开发区", "示范区"),
    Kind.STREET: ("美食街", "步行街", "老街", "大街"),
    Kind.ROAD: ("高速公路", "快速通道", "快速路", "大道", "连接线", "延伸线"),
}
#: One-character endings, taken only right after the place (贺胜桥站, 官埠街): with words between, they misread.
SHORT_ENDINGS: dict[Kind, tuple[str, ...]] = {Kind.SITE: ("站", "闸", "堤"), Kind.STREET: ("街",)}
#: …unless they open a word instead: 街道, 街面 (桂花镇街面两旁), 站在, 闸门, 堤防.
_NOT_SHORT_ENDING = re.compile(r"街[道面头巷区坊]|站[在起稳着上住]|闸[门口]|堤[防岸坝]")
#: A range or system named after its mountain: 幕阜山 + 脉 (the name already ends in 山).
MOUNTAIN_ENDINGS = ("脉", "系")
#: Endings that make a name built on a place into no place: organisations, media, products.
NONPLACE_ENDINGS: dict[str, tuple[str, ...]] = {
    "organisation": ("股份有限公司", "有限责任公司", "有限公司", "分公司", "公司", "集团", "大学", "学院", "学校",
                     "中学", "小学", "幼儿园", "医院", "卫生院", "分行", "支行", "银行", "研究院", "研究所", "农科院",
                     "科学院", "协会", "商会", "学会", "合作社", "军区", "报社", "茶厂", "酒厂", "药厂", "工厂",
                     "纸厂", "砖厂", "钢厂"),
    "media": ("新闻网", "网讯", "日报", "晚报", "都市报", "广播电视台", "电视台", "融媒体中心"),
    "product": ("土鸡汤", "鸡汤", "茶油", "油茶", "麻饼", "麻花", "干子", "雷竹笋", "竹笋", "木雕", "青砖茶", "砖茶",
                "云雾茶", "绿茶", "桂花茶", "桂花糕", "大米", "莲子", "莲藕", "辣椒", "火腿", "腊肉", "米酒", "豆腐",
                "桂茶", "肉鸡", "包坨", "香菇", "茶叶"),
}
#: Words put before a place to make a slogan, a brand or a platform (平安咸安, 云上咸宁, 美丽通城).
NONPLACE_PREFIXES = ("云上", "掌上", "平安", "幸福", "美丽", "数字", "智慧", "健康", "法治", "文明", "清洁", "小康",
                     "大美", "魅力", "锦绣")
#: Words between a place and an ending that describe rather than name: the place is part of the name then
#: (嘉鱼 + 产业 + 新城 is 嘉鱼产业新城, 富水湖 + 国家水利 + 风景区 one zone), where a proper name between them makes
#: a place of its own (高桥镇 + 澄水洞景区).
_DESCRIPTIVE = re.compile(r"(?:国家级?|省级|市级|国际|中国|产业|水利|高科技|高新|科技|工业|物流|商贸|经济|经济技术|"
                          r"生态|文化|旅游|休闲|现代农业|农业|湿地|森林|体育|文体|综合|智慧|创新|双创|扶贫|"
                          r"生物医药|医药|电子信息|新能源|新材料|智能制造|装备制造|先进制造|汽车|纺织|食品|"
                          r"农产品|光电|数字经济|数字|大健康|健康|康养|经开区|开发区|高新区|"
                          r"\(扶贫\)|（扶贫）|新|老|大|小|中心|城市|城区|滨江|滨湖|沿江|临港|临空)+")
#: Generic work that makes a project of a place: 107国道 + 改线工程, 淦河 + 永安城区段河道治理工程.
PROJECT_ENDING = re.compile(r"(?:一期|二期|三期|四期)?(?:工程|项目)")
#: Longest stretch allowed between the place and the ending, by what the ending makes.
MAX_BETWEEN = {"place": 6, "project": 12, "organisation": 8, "media": 2, "product": 0}
#: Words that cannot sit inside a name: a clause goes on instead (向阳湖建设公园 is no park, 通城县持续深化公立医院
#: no hospital).
_BREAKS = ("推进", "推动", "加快", "建设", "启动", "实施", "打造", "建成", "完成", "做好", "支持", "依托", "围绕",
           "加强", "开展", "位于", "来到", "走进", "前往", "包括", "以及", "持续", "深化", "创建", "创成", "争创",
           "申报", "获评", "荣获", "入选", "成为", "举办", "召开", "组织", "参加", "引进", "投资", "新增", "改造",
           "全面", "深入", "坚持", "着力", "大力", "进一步", "不断", "全力", "积极", "提升", "提高", "优化", "发展",
           "落实", "服务", "共建", "合作", "对接", "融入", "联合", "签约", "落户", "入驻", "带动", "带领", "成立",
           "新建", "扩建", "治理", "整治", "修复", "保护", "和", "与", "及", "的", "在", "从", "到", "是", "了",
           "将", "对", "向", "等", "为", "把", "由", "经", "至", "于", "或", "并", "也", "都", "还", "就", "已",
           "被", "让", "使", "有", "个", "年", "月", "日", "我", "他", "她", "这", "那", "其", "该")
#: A project's own name may say what is done (淦河永安城区段河道治理工程, G351双溪至横沟段改扩建工程).
_PROJECT_BREAKS = tuple(w for w in _BREAKS if w not in ("建设", "改造", "新建", "扩建", "提升", "治理", "整治", "修复",
                                                         "保护", "至"))
#: What a place must be to open each sort of compound: organisations, products and slogans are named after
#: admin units and natural features (not after a hospital: 市第一人民医院创建三级综合医院); projects after waters,
#: roads and mountains (a facility followed by 项目 is the facility: 区文体中心二期项目).
NONPLACE_BASES = ADMIN_KINDS | WATER_KINDS | {Kind.MOUNTAIN}
PROJECT_BASES = WATER_KINDS | ROAD_KINDS | {Kind.MOUNTAIN}
PLACE_BASES = frozenset(Kind) - {Kind.PROJECT}
_NAME_CHAR = re.compile(r"[\u4e00-\u9fff（）()·]")
_MEDIA_NET = re.compile(r"网(?=讯|[^\u4e00-\u9fff]|$)")  # 咸宁网 is a website; 淦河网格化 is no 咸宁网


@dataclass(frozen=True, slots=True)
class Compound:
    """A name built on the mention at ``base`` (an index into the mentions given), ``start:end`` of the text.

    ``kind`` is the kind of the place it names, or ``None`` when it is no place; then ``nonplace`` says what it
    is (organisation, media, product, slogan).
    """

    start: int
    end: int
    text: str
    base: int
    kind: Kind | None
    nonplace: str = ""
    ending: str = ""
    #: Where the new place's own name begins: ``start`` when the base is part of it (龙潭河湿地公园), the end of
    #: the base when a proper name stands between base and ending (高桥镇|澄水洞景区: two places, the second
    #: located by the first).
    name_start: int = -1
    #: For a route between two places (咸宁至九江高速公路), the index of the place it leads to; else -1.
    other: int = -1

    @property
    def name(self) -> str:
        """The new place's own name (the whole compound, or what follows its base)."""
        return self.text[self.name_start - self.start:] if self.name_start > self.start else self.text


def find_compounds(text: str, bases: Sequence[tuple[int, int, Kind]]) -> list[Compound]:
    """Names built on the known places at ``bases`` (start, end, kind; sorted, non-overlapping offsets into
    ``text``).

    A compound may swallow the place names after its base (湖北 咸宁 贺胜桥 …有限公司), but not one its ending
    belongs to (武咸快速通道 天子山大桥 stays two names); the compounds returned do not overlap.
    """
    found: list[Compound] = []
    done = 0
    starts = [s for s, _, _ in bases]
    for index, (start, end, kind) in enumerate(bases):
        if start < done:
            continue
        compound = (_route_between(text, bases, index)
                    or (_prefixed(text, start, end, index) if kind in NONPLACE_BASES else None)
                    or _built_on(text, start, end, index, kind))
        if compound is None:
            continue
        ending_at = compound.end - len(compound.ending)
        later = bases[index + 1:bisect_left(starts, compound.end, lo=index + 1)]  # those that start inside it
        if any(s < compound.end <= e or s < ending_at < e for s, e, _ in later
               if not (s >= ending_at and e <= compound.end)):
            continue
        if compound.other < 0 and compound.kind is not None and any(end <= s < ending_at for s, _, _ in later):
            continue  # a nearer place opens it: 湖北省咸宁市 龙潭河湿地公园 (but 长江 in 簰洲湾长江大桥 is the ending's)
        if compound.kind is None and compound.start == start:  # an organisation's name may begin with more
            first = index                                          # places: 湖北 咸宁 …有限公司
            while first > 0 and bases[first - 1][1] == bases[first][0] and bases[first - 1][0] >= done:
                first -= 1
            compound = replace(compound, start=bases[first][0], text=text[bases[first][0]:compound.end])
        if compound.kind is not None and text[end:end + 1] in _CLOSING and index > 0 \
                and text[bases[index - 1][1]:start] in _OPENING:  # 咸宁(武汉)离岸科创园 is one park
            compound = replace(compound, start=bases[index - 1][0], text=text[bases[index - 1][0]:compound.end])
            found.append(compound)
            done = compound.end
            continue
        infix = text[end:compound.end - len(compound.ending)]
        if (compound.kind not in (None, Kind.PROJECT) and compound.other < 0 and infix
                and not _DESCRIPTIVE.fullmatch(infix)):
            compound = replace(compound, name_start=end)  # 高桥镇 + 澄水洞景区, 淦河 + 大畈陈拦河闸
        found.append(compound)
        done = compound.end
    return found


def derived_place(compound: Compound, base: Place) -> Place:
    """The place a compound names, located by the place it is named after.

    >>> from gazetteer.model import Place, Kind
    >>> town = Place("t", "贺胜桥镇", Kind.TOWN, parents=("c",))
    >>> station = derived_place(Compound(0, 4, "贺胜桥站", 0, Kind.SITE, ending="站"), town)
    >>> station.kind, station.parents, station.quality
    (<Kind.SITE: 'site'>, ('t',), <Quality.MISSING: 'missing'>)
    """
    assert compound.kind is not None, "a compound that names no place has no place"
    digest = hashlib.sha1(f"{base.id}|{compound.name}".encode()).hexdigest()[:10]
    parents = (base.id,) if base.kind in ADMIN_KINDS else base.parents
    how = (f"{compound.text}以“{compound.ending}”结尾，得名于{base.name}（{base.id}）" if compound.name == compound.text
           else f"{compound.text}中紧随{base.name}（{base.id}）之后的地名")
    if base.geometry is None:
        quality, source = Quality.MISSING, f"由名称推导：{how}；{base.name}没有几何"
    elif base.kind in TOO_LARGE_TO_LOCATE:  # 咸宁长江综合门户港 lies somewhere in 咸宁市: say no more than that
        quality, source = Quality.ADMIN_FALLBACK, f"只知所在行政区：{how}"
    elif base.quality == Quality.ADMIN_FALLBACK:  # its base is itself only placed in its admin unit
        quality, source = Quality.ADMIN_FALLBACK, f"只知所在行政区：{how}，而{base.name}本身也只有行政区兜底位置"
    else:
        quality, source = Quality.DERIVED, f"由名称推导：{how}；位置取{base.name}的几何（{base.quality}）"
    return Place(id=f"derived-{digest}", name=compound.name, kind=compound.kind, parents=parents,
                 geometry=base.geometry, quality=quality, source=source,
                 derived_from=(base.id,) if quality == Quality.DERIVED else (),
                 note="文中出现、地名库未收录的地点：位置取自它得名的地点。")


def route_place(compound: Compound, start: Place, end: Place) -> Place:
    """The road or railway a text names by its two ends (咸宁至九江高速公路): a schematic straight line between
    them, never passed off as its course.

    >>> from shapely.geometry import Point
    >>> from gazetteer.model import Place, Kind
    >>> a = Place("a", "咸宁市", Kind.CITY, geometry=Point(114.3, 29.8))
    >>> b = Place("b", "九江市", Kind.CITY, geometry=Point(116.0, 29.7))
    >>> road = route_place(Compound(0, 9, "咸宁至九江高速公路", 0, Kind.ROAD, ending="高速公路", other=1), a, b)
    >>> road.geometry.wkt, road.quality, road.parents
    ('LINESTRING (114.3 29.8, 116 29.7)', <Quality.SCHEMATIC: 'schematic'>, ('a', 'b'))
    """
    digest = hashlib.sha1(f"{start.id}|{end.id}|{compound.text}".encode()).hexdigest()[:10]
    ends = [_middle(p.geometry) for p in (start, end) if p.geometry is not None]
    line = LineString([(point.x, point.y) for point in ends]) if len(ends) == 2 else None
    return Place(id=f"derived-{digest}", name=compound.text, kind=compound.kind, parents=(start.id, end.id),
                 geometry=line, quality=Quality.SCHEMATIC if line is not None else Quality.MISSING,
                 source=f"示意：从{start.name}到{end.name}的直线，只是名称所给的两端，不是线路走向" if line is not None
                 else f"两端{start.name}、{end.name}未都有位置",
                 note="文中出现、地名库未收录的线路：走向不明，只知两端。")


def _middle(shape: BaseGeometry) -> Point:
    """The point a line to or from a place starts at: its centre where that lies inside it."""
    centre = shape.centroid
    return centre if shape.geom_type == "Point" or shape.contains(centre) else shape.representative_point()


def _route_between(text: str, bases: Sequence[tuple[int, int, Kind]], index: int) -> Compound | None:
    """咸宁 + 至 + 九江 + 高速公路: a route named by the two places it links (the next place must follow the
    link word directly, and a road ending must follow it)."""
    if index + 1 >= len(bases):
        return None
    start, end, _ = bases[index]
    link = _ROUTE_LINK.match(text, end)
    if link is None or bases[index + 1][0] != link.end():
        return None
    ending = _ROUTE_ENDING.match(text, bases[index + 1][1])
    if ending is None:
        return None
    return Compound(start, ending.end(), text[start:ending.end()], index, _ROUTE_KIND, ending=ending.group(0),
                    other=index + 1)


def _prefixed(text: str, start: int, end: int, index: int) -> Compound | None:
    for length in _PREFIX_LENGTHS:
        if start >= length and text[start - length:start] in _PREFIX_SET:
            return Compound(start - length, end, text[start - length:end], index, None, "slogan",
                            text[start - length:start])
    return None


def _built_on(text: str, start: int, end: int, index: int, kind: Kind) -> Compound | None:
    """The compound a place name opens, if any, from the endings within reach after it.

    Organisations, media and products win (the place is only part of their name); a 工程 wins over a place ending
    inside it (淦河绿道梅家咀段建设工程 is one project); a facility followed by 项目 is the facility
    (向阳湖文体公园项目 → 向阳湖文体公园); else the nearest place ending.
    """
    if kind == Kind.MOUNTAIN and text[end - 1] == "山" and text.startswith(MOUNTAIN_ENDINGS, end):
        return Compound(start, end + 1, text[start:end + 1], index, Kind.MOUNTAIN, ending=text[end])
    mark = _TRADEMARK.match(text, end)
    if mark and start > 0 and text[start - 1] in "“\"":  # “贺胜桥”商标: the name as a brand
        return Compound(start - 1, mark.end(), text[start - 1:mark.end()], index, None, "product", mark.group(0))
    short = _SHORT_ENDING.match(text, end)
    if short and not _ANY_LONG_ENDING.match(text, end) and not _NOT_SHORT_ENDING.match(text, end):
        return Compound(start, short.end(), text[start:short.end()], index, _SHORT_KIND[short.group(0)],
                        ending=short.group(0))
    clause_stop = _reach(text, end, MAX_BETWEEN["project"], _BREAK_WORDS)
    project_stop = _reach(text, end, MAX_BETWEEN["project"], _PROJECT_BREAK_WORDS)
    nonplace = place = project = None
    for at in range(end, project_stop + 1):
        between = at - end
        if at <= clause_stop:
            if nonplace is None and kind in NONPLACE_BASES:
                nonplace = _nonplace_ending(text, start, at, between, index)
            if place is None and between <= MAX_BETWEEN["place"] and kind in PLACE_BASES:
                found = _PLACE_ENDING.match(text, at)
                if found:
                    place = Compound(start, found.end(), text[start:found.end()], index,
                                     _PLACE_KIND[found.group(0)], ending=found.group(0))
        if project is None and kind in PROJECT_BASES:
            match = PROJECT_ENDING.match(text, at)
            if match and (between or match.group(0)[-2:] != "项目"):
                project = Compound(start, match.end(), text[start:match.end()], index, Kind.PROJECT,
                                   ending=match.group(0))
    if nonplace is not None:
        return nonplace
    if project is not None and (project.ending.endswith("工程") or place is None or place.end > project.end):
        return project
    return place


def _reach(text: str, end: int, limit: int, words: dict[int, frozenset[str]]) -> int:
    """The furthest position after ``end`` (at most ``limit`` on) where an ending may start: only name characters
    stand before it, and no clause word starts before it."""
    for at in range(end, min(end + limit, len(text))):
        if not _NAME_CHAR.match(text, at) or any(text[at:at + n] in group for n, group in words.items()):
            return at
    return min(end + limit, len(text))


def _nonplace_ending(text: str, start: int, at: int, between: int, index: int) -> Compound | None:
    found = _NONPLACE_ENDING.match(text, at)
    if found and between <= MAX_BETWEEN[_NONPLACE_WHAT[found.group(0)]]:
        ending = found.group(0)
        return Compound(start, found.end(), text[start:found.end()], index, None, _NONPLACE_WHAT[ending], ending)
    if between <= MAX_BETWEEN["media"] and _MEDIA_NET.match(text, at):
        return Compound(start, at + 1, text[start:at + 1], index, None, "media", "网")
    return None


def _by_length(words: tuple[str, ...]) -> dict[int, frozenset[str]]:
    return {n: frozenset(w for w in words if len(w) == n) for n in sorted({len(w) for w in words})}


def _alternation(endings: Iterable[str]) -> re.Pattern[str]:
    """One pattern matching the longest of ``endings`` at a position."""
    return re.compile("|".join(map(re.escape, sorted(set(endings), key=len, reverse=True))))


_TRADEMARK = re.compile(r"[”\"](?:[、,，]?[“\"][^”\"]{1,8}[”\"])*(?:商标|品牌|地理标志)")
_OPENING = frozenset({"(", "（"})
_CLOSING = frozenset({")", "）"})
_ROUTE_LINK = re.compile(r"至|到|—{1,2}|－|-|~")
_ROUTE_ENDING = re.compile(r"(?:城际铁路|高速铁路|高速公路|一级公路|快速通道|快速路|高铁|铁路|高速|公路)")
_ROUTE_KIND = Kind.ROAD
_PREFIX_SET = frozenset(NONPLACE_PREFIXES)
_PREFIX_LENGTHS = sorted({len(p) for p in NONPLACE_PREFIXES}, reverse=True)
_BREAK_WORDS = _by_length(_BREAKS)
_PROJECT_BREAK_WORDS = _by_length(_PROJECT_BREAKS)
_PLACE_KIND = {ending: kind for kind, endings in reversed(PLACE_ENDINGS.items()) for ending in endings}
_PLACE_ENDING = _alternation(_PLACE_KIND)
_NONPLACE_WHAT = {ending: what for what, endings in reversed(NONPLACE_ENDINGS.items()) for ending in endings}
_NONPLACE_ENDING = _alternation(_NONPLACE_WHAT)
_ANY_LONG_ENDING = _alternation([*_PLACE_KIND, *_NONPLACE_WHAT])
_SHORT_KIND = {ending: kind for kind, endings in SHORT_ENDINGS.items() for ending in endings}
_SHORT_ENDING = _alternation(_SHORT_KIND)
