"""Aliases that follow from the shape of an admin name: 咸安区 → 咸安, 浮山街道 → 浮山街道办事处.

Only forms that are hard to misread are made here; everything else (旧称, OCR slips, route numbers, 2-character
short forms such as 桂花 that are also common words) is written by hand in a deployment's ``places.toml`` (咸安: ``geodata/deployments/xianan/places.toml``).
"""

from __future__ import annotations

from gazetteer.model import Kind

#: Suffix that may be dropped, by kind, and the shortest remainder that still reads as a name.
_DROPPABLE = {
    Kind.PROVINCE: (("省",), 2),
    Kind.CITY: (("市",), 2),
    Kind.COUNTY: (("区", "县", "市"), 2),
    Kind.TOWN: (("镇",), 3),
    Kind.TOWNSHIP: (("乡",), 3),
    Kind.SUBDISTRICT: (("街道办事处", "街道"), 3),
}
#: A unit named after a mountain or a lake leaves its short name to the mountain or lake (九宫山, 黄盖湖, 陆水湖).
_NAMED_AFTER_NATURE = frozenset({Kind.TOWN, Kind.TOWNSHIP, Kind.SUBDISTRICT})
_NATURE_ENDINGS = ("山", "湖")
#: Long forms that the documents add to a name, by kind.
_LONG_FORMS = {
    Kind.SUBDISTRICT: ("办事处",),
    Kind.TOWN: ("人民政府",),
    Kind.TOWNSHIP: ("人民政府",),
}


def admin_aliases(name: str, kind: Kind) -> tuple[str, ...]:
    """Aliases implied by an admin unit's name.

    >>> admin_aliases("咸安区", Kind.COUNTY)
    ('咸安',)
    >>> admin_aliases("浮山街道", Kind.SUBDISTRICT)
    ('浮山办事处', '浮山街道办事处')
    >>> admin_aliases("汀泗桥镇", Kind.TOWN)
    ('汀泗桥', '汀泗镇', '汀泗桥镇人民政府')
    >>> admin_aliases("马桥镇", Kind.TOWN)
    ('马桥镇人民政府',)
    >>> admin_aliases("九宫山镇", Kind.TOWN), admin_aliases("陆水湖街道", Kind.SUBDISTRICT)
    (('九宫山镇人民政府',), ('陆水湖办事处', '陆水湖街道办事处'))
    """
    aliases: list[str] = []
    suffixes, shortest = _DROPPABLE.get(kind, ((), 0))
    for suffix in suffixes:
        stem = name.removesuffix(suffix)
        if stem != name and len(stem) >= shortest:
            if kind not in _NAMED_AFTER_NATURE or not stem.endswith(_NATURE_ENDINGS):
                aliases.append(stem)  # 九宫山镇 without 镇 is the mountain, 黄盖湖镇 without 镇 the lake
            break
    if kind == Kind.TOWN and name.endswith("桥镇") and len(name) >= 4:
        aliases.append(name.removesuffix("桥镇") + "镇")  # 横沟桥镇 is called 横沟镇 as often as not
    if kind == Kind.SUBDISTRICT and name.endswith("街道") and len(name) >= 4:
        aliases.append(name.removesuffix("街道") + "办事处")  # 浮山街道 is 浮山办事处 in most news
    aliases.extend(name + extra for extra in _LONG_FORMS.get(kind, ()) if not name.endswith(extra))
    return tuple(aliases)


#: Provinces and autonomous regions whose short name is not the name without its suffix.
_REGION_SHORT = {"内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏", "宁夏回族自治区": "宁夏",
                 "新疆维吾尔自治区": "新疆", "香港特别行政区": "香港", "澳门特别行政区": "澳门"}
#: Short city names that are ordinary words too (大庆 a celebration, 来宾 guests, 中山 every 中山路).
_COMMON_WORD_CITIES = frozenset({"大同", "朝阳", "四平", "长治", "保定", "新乡", "日照", "镇江", "中山", "白山",
                                 "白银", "来宾", "普洱", "山南", "中卫", "安康", "安顺", "黑河", "大庆", "河源",
                                 "北海", "海东", "三明", "丽水", "泰安", "吉安", "永安", "通化", "金昌"})
#: Short county names that are ordinary words or other places' names too (公安局, 大悟, 樟树, 湖口, 龙山).
_COMMON_WORD_COUNTIES = frozenset({"公安", "大悟", "五峰", "长阳", "当阳", "咸丰", "建始", "保康", "来凤", "远安",
                                   "宣恩", "广水", "京山", "红安", "团风", "樟树", "湖口", "铜鼓", "万年", "龙山",
                                   "桃源", "石城", "资兴", "安福", "永新", "永丰", "新建", "东乡", "安义", "进贤",
                                   "武宁", "德安", "共青城", "都昌", "彭泽", "瑞昌", "庐山", "华容", "汨罗", "湘阴",
                                   "江汉", "青山"})


#: Province-level cities (北京, 天津, 上海, 重庆): their districts hang directly under them.
MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})


def capital_of(province: str) -> str:
    """The adcode of a province's capital city: always the province's ``XX0100``; a municipality is its own.

    >>> capital_of("420000"), capital_of("110000")
    ('420100', '110000')
    """
    return province if province in MUNICIPALITIES else province[:2] + "0100"



def national_aliases(name: str, kind: Kind, *, near: bool, city_stems: frozenset[str] = frozenset(),
                     capital_district: bool = False) -> tuple[str, ...]:
    """Short names of a unit elsewhere in China, given only where they are safe to look for in text.

    Provinces and prefecture cities keep their short names (广东, 佛山) unless these are ordinary words (大庆).
    A county keeps its short name only when ``near`` the deployment (修水, 平江, 汉川 near 咸安: neighbours are
    named that way; a far county's short name is more often a word than a place), and not when its city has the
    same one (长沙县 leaves 长沙 to 长沙市). A district (…区) keeps it only when it is a ``capital_district``, a
    district of the province's capital (武昌, 洪山 near 咸安); elsewhere a district's short name is too often a
    word (新建, 西湖).

    >>> national_aliases("广西壮族自治区", Kind.PROVINCE, near=False), national_aliases("佛山市", Kind.CITY, near=False)
    (('广西',), ('佛山',))
    >>> national_aliases("修水县", Kind.COUNTY, near=True), national_aliases("修水县", Kind.COUNTY, near=False)
    (('修水',), ())
    >>> national_aliases("洪山区", Kind.COUNTY, near=True, capital_district=True), national_aliases("洪山区", Kind.COUNTY, near=True)
    (('洪山',), ())
    >>> national_aliases("青山区", Kind.COUNTY, near=True, capital_district=True)
    ()
    >>> national_aliases("长沙县", Kind.COUNTY, near=True, city_stems=frozenset({"长沙"}))
    ()
    """
    if name in _REGION_SHORT:
        return (_REGION_SHORT[name],)
    if kind == Kind.CITY and name.endswith("自治州"):
        return (name[:2], name[:2] + "州")  # 恩施土家族苗族自治州 → 恩施, 恩施州
    short = [alias for alias in admin_aliases(name, kind) if not alias.endswith("人民政府")]
    if kind == Kind.COUNTY:
        if not near or (name.endswith("区") and not capital_district):
            return ()
        return tuple(a for a in short if a not in _COMMON_WORD_COUNTIES and a not in city_stems)
    return tuple(a for a in short if a not in _COMMON_WORD_CITIES)


def road_aliases(names: tuple[str, ...]) -> tuple[str, ...]:
    """The other written form of an expressway's name: 城区南外环高速 ↔ 城区南外环高速公路.

    >>> road_aliases(("城区南外环高速", "南外环高速")), road_aliases(("鄂咸高速公路",)), road_aliases(("G107",))
    (('城区南外环高速公路', '南外环高速公路'), ('鄂咸高速',), ())
    """
    forms = [name + "公路" if name.endswith("高速") else name.removesuffix("公路")
             for name in names if name.endswith(("高速", "高速公路")) and len(name) > 4]
    return tuple(dict.fromkeys(form for form in forms if form not in names))
