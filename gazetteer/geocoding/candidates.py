"""Stretches shaped like place names that the gazetteer does not know: 凌上高科产业园, 三角湖, 329省道.

They are reported as unresolved candidates, never silently dropped, so a user sees what the gazetteer lacks. A
stretch of 1–10 characters ending in a place suffix (…村, …河, …产业园, …工程) is trimmed at the verbs and function
words before it and kept only where it reads as a proper name: no counting stem (两大湖), no generic stem (美丽村,
石拱桥, 综合治理工程), no function word inside (这座小桥, 被官兵围此湖). Route numbers the gazetteer lacks (329省道)
are candidates too.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator

from gazetteer.geocoding import routes
from gazetteer.model import Mention, Span

#: Suffixes of names that are shaped like places (longest first so 产业园 beats 园).
_PLACE_SUFFIXES = ("产业园区", "产业园", "科创园", "工业园", "物流园", "示范区", "风景区", "旅游区", "度假区",
                   "开发区", "水库", "社区", "大道", "大桥", "国道", "省道", "高速", "公园", "遗址", "故居", "旧址",
                   "景区", "小镇", "工程", "村", "湖", "河", "港", "路", "街", "桥", "山", "潭", "洞", "峡", "寺", "畈",
                   "垴", "湾")
#: One-character suffixes: the noisiest, so their stem must be short (东塘村, 三角湖, 塔垴山).
_SHORT_SUFFIXES = frozenset(s for s in _PLACE_SUFFIXES if len(s) == 1)
_MAX_SHORT_STEM = 3
#: Characters that never stand inside a proper name: function words, pronouns, classifiers. A candidate starts
#: after the last of them (主要有|三角湖, 因|高桥河; 这座|小桥 is then too short to be a name).
_NOT_IN_NAMES = frozenset("的了着过被就像这那该每各其此最很也都有是在得把从对向与和及或等为将让使我你他她它们些么什怎哪谁个座条所"
                          "批只第其要能会可已还再又更因而但若虽")
#: Stems that describe rather than name (美丽村, 石拱桥, 母亲河, 国家湿地公园, 水泥路).
_GENERIC_STEM = re.compile(
    r"(?:美丽|卫生|绿色|宜居|特色|文明|富裕|薄弱|空壳|产业|致富|水泥|沥青|青石板|石板|石拱|单孔|两孔|明清|古|老|新|小|大|"
    r"全国|国家级?|省级|市级|县级|全域|示范|母亲|建制|行政|自然|中心|重点|贫困|骨干|相关|田间|远处|岸边|低山|高山|群山|"
    r"青山|碧绿|雄壮|红色|中小型|现代农业|迷你|发展|字形|历史文明|生态|旅游|休闲|森林|湿地|水利|地质|城乡|乡村|城市|"
    r"高速|快速|主|干|支|东|西|南|北|上|下|前|后|里|外|内|边|新任|千亩|万亩|百亩|一号|二号|级)+")
#: Words that end a candidate's left edge: verbs and function words that precede a name.
_LEFT_EDGES = ("推进", "推动", "加快", "建设", "启动", "实施", "打造", "建好", "建成", "完成", "做好", "支持", "依托",
               "围绕", "用好", "加强", "重点", "全力", "积极", "持续", "运营好", "建优", "高标准", "开展", "位于",
               "来到", "走进", "沿着", "前往", "包括", "以及", "和", "与", "及", "的", "在", "从", "到", "是", "了",
               "将", "对", "向", "等", "为", "把", "由", "经", "至", "于", "县", "市", "区", "镇", "乡",
               # where a place lies, as descriptions of a site or a route say it (东接桃源大道, 途经汀泗桥)
               "东接", "西接", "南接", "北接", "东临", "西临", "南临", "北临", "东靠", "西靠", "南靠", "北靠",
               "东起", "西起", "南起", "北起", "东至", "西至", "南至", "北至", "毗邻", "紧邻", "邻近", "连接",
               "途经", "穿过", "穿越", "横跨", "跨越", "沿线", "沿", "随着", "完善", "取名", "名为", "叫做", "称为",
               "爬上", "走过", "来自", "地处", "坐落", "流经", "发源", "注入", "汇入")
#: Verbs that may open a candidate but never a name; stripped from its front only, because inside a project's
#: name they belong to it (淦河综合治理工程, 北洪港小流域…修复试点项目).
_LEADING_VERBS = ("优化", "提高", "改善", "提升", "保护", "治理", "整治", "修复", "改造", "新建", "扩建", "新增",
                  "打通", "连通", "疏浚", "清理", "守护", "美化", "绿化", "管护", "巡查", "做强", "做优", "做大",
                  "修建", "修通", "铺设", "拆迁", "维修", "淤塞", "选举", "成立", "健全", "实现")
#: A stem that only counts (两湖, 两大湖, 十条河, 三个村) names nothing.
_COUNTED = re.compile(r"[一二两三四五六七八九十百千几多各每]+[大个座条处项类片所家]?")
#: Stems of 工程/项目 made only of generic actions (连通工程, 综合治理工程) name no project.
_ACTIONS = (r"(?:综合|系统|生态|环境|水系|防洪|提升|连通|治理|整治|修复|改造|建设|保护|提质|增效|示范|试点|"
            r"重点|重大|民生|基础设施)+")
_GENERIC_ACTIONS = re.compile(_ACTIONS)
#: What turns a place into a project right after its name: 淦河 + 综合治理(二期)工程.
_PROJECT_TAIL = re.compile(r"(?:小流域|流域|水系|沿线|片区)?" + _ACTIONS + r"(?:[一二三四]期)?(?:工程|项目)")
_LEFT_EDGES_BY_LENGTH = tuple((n, frozenset(e for e in _LEFT_EDGES if len(e) == n))
                              for n in sorted({len(e) for e in _LEFT_EDGES}))
_SUFFIX = re.compile("|".join(_PLACE_SUFFIXES))
_SUFFIX_FIRST = re.compile("[" + "".join(sorted({suffix[0] for suffix in _PLACE_SUFFIXES})) + "]")
_MAX_NAME_BEFORE_SUFFIX = 10
#: Candidates that are ordinary words, not names.
_COMMON = frozenset({"农村", "乡村", "城乡", "河湖", "江河", "湖泊", "道路", "公路", "马路", "铁路", "线路", "思路",
                     "出路", "道路", "全村", "本村", "该村", "各村", "进村", "入村", "山河", "江山", "河道", "港口",
                     "小区", "城区", "园区", "景区", "社区", "水库", "大桥", "桥梁", "高速", "公园", "工程",
                     "民生工程", "惠民工程", "精品工程", "三大工程", "重点工程", "希望工程", "一体化", "村",
                     "大工程", "千万工程", "全域", "省道", "国道", "老旧小区", "示范区", "开发区", "小镇"})

#: Endings that make a candidate an ordinary phrase (完善道路, 美丽乡村, 治理河湖).
_COMMON_TAILS = ("道路", "公路", "马路", "铁路", "线路", "思路", "出路", "农村", "乡村", "城乡", "河湖", "江河",
                 "湖泊", "河道", "港口", "小区", "示范村", "重点村", "中心村", "行政村", "自然村", "贫困村")



def candidates(text: str, *, doc_id: str, offset: int = 0, taken: Iterable[Span] = ()) -> list[Mention]:
    """Stretches shaped like place names (…村, …河, …产业园, …工程) that overlap no recognised name.

    >>> [m.text for m in candidates("推进凌上高科产业园建设", doc_id="d")]
    ['凌上高科产业园']
    """
    busy = sorted((s.start - offset, s.end - offset) for s in taken)
    busy_starts = [s for s, _ in busy]
    busy_ends = [e for _, e in busy]

    def free(start: int, end: int) -> bool:
        """True when no recognised name overlaps ``start:end`` (only the first ending after ``start`` can)."""
        first = bisect_right(busy_ends, start)
        return not (first < len(busy) and busy_starts[first] < end)

    # Route numbers the gazetteer does not know (329省道, S318) come first: 329省道涵洞 is no 省道涵洞.
    found = [Mention(route.text, Span(doc_id, offset + route.start, offset + route.end), ())
             for route in routes.find_routes(text) if free(route.start, route.end)]
    numbered = [(m.span.start - offset, m.span.end - offset) for m in found]
    for start, end in _shaped(text):
        if not free(end - 1, end):  # the suffix belongs to a recognised name (淦河): so would any candidate
            continue
        start, end = _trim_left(text, start, end)
        name = text[start:end]
        while name.startswith(_LEADING_VERBS):
            verb = next(v for v in _LEADING_VERBS if name.startswith(v))
            start, name = start + len(verb), name[len(verb):]
        if len(name) < 3 or name in _COMMON or name.endswith(_COMMON_TAILS) or _names_nothing(name):
            continue
        suffix = next((s for s in (*_PLACE_SUFFIXES, "项目") if name.endswith(s)), "")
        stem = name[:len(name) - len(suffix)]
        cut = max((i + 1 for i, char in enumerate(stem) if char in _NOT_IN_NAMES), default=0)
        start, name, stem = start + cut, name[cut:], stem[cut:]  # 主要有|三角湖, 因|高桥河
        if (len(name) < 3 or name in _COMMON or _GENERIC_STEM.fullmatch(stem)
                or (suffix in _SHORT_SUFFIXES and len(stem) > _MAX_SHORT_STEM)):
            continue
        if free(start, end) and not any(s < end and start < e for s, e in numbered):
            found.append(Mention(name, Span(doc_id, offset + start, offset + end), ()))
    return sorted(found, key=lambda m: m.span.start)


def _shaped(text: str) -> Iterator[tuple[int, int]]:
    """Non-overlapping stretches of 1–10 CJK characters followed by a place suffix, left to right.

    The same stretches as ``re.finditer(r"[\u4e00-\u9fff]{1,10}?(?:产业园区|…|山)", text)``, found about five
    times faster by jumping from one possible suffix to the next instead of trying every start.

    >>> list(_shaped("推进凌上高科产业园建设, 淦河"))
    [(0, 9), (13, 15)]
    """
    done = 0
    for hit in _SUFFIX_FIRST.finditer(text):
        at = hit.start()
        if at <= done:
            continue
        suffix = _SUFFIX.match(text, at)
        if suffix is None:
            continue
        start, lowest = at, max(done, at - _MAX_NAME_BEFORE_SUFFIX)
        while start > lowest and "\u4e00" <= text[start - 1] <= "\u9fff":
            start -= 1
        if start < at:
            end = suffix.end()
            while (more := _SUFFIX.match(text, end)) is not None:  # 白水畈 + 河, 东塘村 + 湾: suffixes in a row
                end = more.end()
            tail = _PROJECT_TAIL.match(text, end)  # 白水畈河 + 综合治理工程 is one project
            done = tail.end() if tail else end
            yield start, done


def _names_nothing(name: str) -> bool:
    """True for a counted or generic stem before the suffix: 两大湖, 三个村, 连通工程, 综合治理工程.

    >>> [_names_nothing(n) for n in ("两大湖", "连通工程", "大洲湖", "三合村")]
    [True, True, False, False]
    """
    suffix = next((s for s in _PLACE_SUFFIXES if name.endswith(s)), "")
    stem = name[:len(name) - len(suffix)]
    return bool(_COUNTED.fullmatch(stem) or (name.endswith(("工程", "项目")) and _GENERIC_ACTIONS.fullmatch(stem)))


def _trim_left(text: str, start: int, end: int) -> tuple[int, int]:
    """Move ``start`` past the last verb or function word lying wholly inside ``text[start:end - 1]``."""
    for stop in range(end - 1, start, -1):
        for length, words in _LEFT_EDGES_BY_LENGTH:
            if stop - length >= start and text[stop - length:stop] in words:
                return stop, end
    return start, end
