"""Aliases that follow from the shape of an admin name: 咸安区 → 咸安, 浮山街道 → 浮山街道办事处.

Only forms that are hard to misread are made here; everything else (旧称, OCR slips, route numbers, 2-character
short forms such as 桂花 that are also common words) is written by hand in ``gazetteer/data/places.toml``.
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
    ('浮山街道办事处',)
    >>> admin_aliases("汀泗桥镇", Kind.TOWN)
    ('汀泗桥', '汀泗镇', '汀泗桥镇人民政府')
    >>> admin_aliases("马桥镇", Kind.TOWN)
    ('马桥镇人民政府',)
    """
    aliases: list[str] = []
    suffixes, shortest = _DROPPABLE.get(kind, ((), 0))
    for suffix in suffixes:
        stem = name.removesuffix(suffix)
        if stem != name and len(stem) >= shortest:
            aliases.append(stem)
            break
    if kind == Kind.TOWN and name.endswith("桥镇") and len(name) >= 4:
        aliases.append(name.removesuffix("桥镇") + "镇")  # 横沟桥镇 is called 横沟镇 as often as not
    aliases.extend(name + extra for extra in _LONG_FORMS.get(kind, ()) if not name.endswith(extra))
    return tuple(aliases)
