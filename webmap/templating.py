"""How pages show numbers and dates, and what every template may use.

* Template filters for 简体中文 pages: numbers with zh-CN grouping, dates as 2025年3月5日, indicators.
* The base template's context: the navigation, the site name and links that keep the user's basemap choice.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, request, url_for

from gazetteer.model import TaskKind
from gazetteer.reading.indicators import chinese_quantity
from gazetteer.supervision.lights import Light
from geodata.deployment import Deployment, Level
from webmap.assets import own_css
from webmap.maps.basemaps import basemaps
from webmap.state import get_state


# -- formatting -------------------------------------------------------------------------------------------------


def format_number(value: Any, *, digits: int = 2) -> str:
    """A number as a zh-CN reader writes it: thousands grouped with commas, no needless decimals.

    >>> format_number(4000), format_number(12345.5), format_number(0.125, digits=2), format_number(None)
    ('4,000', '12,345.5', '0.12', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}"
    return f"{number:,.{digits}f}".rstrip("0").rstrip(".")


def format_date(value: dt.date | dt.datetime | str | None) -> str:
    """A date in Chinese: ``2025年3月5日``.

    >>> format_date(dt.date(2025, 3, 5)), format_date("2025-11-20")
    ('2025年3月5日', '2025年11月20日')
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value.year}年{value.month}月{value.day}日"


def task_label(task: Any) -> str:
    """A task as the plan numbers it: 第3项, and an economic target by its own number, 目标一 for (一). ``task`` is a
    :class:`~gazetteer.model.Task` or a record with ``kind`` and ``number`` (a map popup's).

    >>> from types import SimpleNamespace as T
    >>> task_label(T(kind=TaskKind.TARGET, number="一")), task_label({"kind": "task", "number": "3"})
    ('目标一', '第3项')
    """
    kind, number = (task.get("kind"), task.get("number")) if isinstance(task, Mapping) else (task.kind, task.number)
    return TaskKind(kind).label(number)


COMPARATOR_TEXT: dict[str, str] = {">=": "≥", "≥": "≥", ">": ">", "<=": "≤", "≤": "≤", "~": "约", "=": "",
                                   "<": "<"}


def format_indicator(indicator: Any) -> str:
    """``新增耕地 ≥ 4000亩``, ``地区生产总值增长 ≥ 7%`` from an :class:`~gazetteer.model.Indicator`: the metric as a
    reader says it for this value (growth kept, lists paired) and the value as written (30亿元, not 3,000,000,000 元)."""
    comparator = COMPARATOR_TEXT.get(indicator.comparator, indicator.comparator)
    metric = getattr(indicator, "shown_metric", indicator.metric)
    return " ".join(part for part in (metric, comparator, f"{indicator.value_text}{indicator.unit_text}") if part)


def normalised_text(indicator: Any) -> str:
    """The normalised value, the Chinese way, when it differs from what is written (3亿元 stays 3亿元; 30000亩 written
    as 3万亩 is 3万亩 too, so nothing is shown; 12.65亿元 → 12.65亿元), else empty.

    >>> from types import SimpleNamespace as I
    >>> normalised_text(I(value_text="3", unit_text="亿元", value=3e8, unit="元"))
    ''
    >>> normalised_text(I(value_text="40", unit_text="千米", value=40.0, unit="km"))
    '40公里'
    >>> normalised_text(I(value_text="4000", unit_text="亩", value=4000.0, unit="亩"))
    ''
    """
    shown = chinese_quantity(indicator.value, indicator.unit)
    return "" if shown == f"{indicator.value_text}{indicator.unit_text}" else shown


class _Row:
    """An indicator layer row seen as an indicator (for :func:`normalised_text`)."""

    def __init__(self, row: Mapping[str, Any]) -> None:
        self.value_text, self.unit_text = row["value_text"], row["unit_text"]
        self.value, self.unit = row["value"], row["unit"]


# -- base template context --------------------------------------------------------------------------------------

#: The navigation: label, endpoint, fallback path (used when the endpoint's blueprint is not installed).
NAV: tuple[tuple[str, str, str], ...] = (
    ("地图", "planner.index", "/"),
    ("任务", "tasks.index", "/tasks/"),
    ("年度计划", "plans.index", "/plans/"),
    ("乡镇", "towns.index", "/towns/"),
    ("单位", "units.index", "/units/"),
    ("指标", "indicators.index", "/indicators/"),
    ("数据下载", "downloads.index", "/download/"),
    ("OGC API", "ogcapi.landing", "/ogcapi"),
)


def nav_links() -> list[dict[str, str]]:
    """The navigation, each entry's URL from its endpoint when that exists (keeping the basemap choice)."""
    endpoints = current_app.view_functions
    return [{"label": label, "url": link(endpoint) if endpoint in endpoints else path, "endpoint": endpoint}
            for label, endpoint, path in NAV]


def site_name(home_name: str | None) -> str:
    """``govmap 咸安`` from the home county's name (咸安区 → 咸安).

    >>> site_name("咸安区"), site_name(None)
    ('govmap 咸安', 'govmap')
    """
    if not home_name:
        return "govmap"
    short = home_name[:-1] if len(home_name) > 2 and home_name[-1] in "区县市旗" else home_name
    return f"govmap {short}"


def page_title(*parts: str, site: str) -> str:
    """``向阳湖镇 · 任务 · govmap 咸安``.

    >>> page_title("向阳湖镇", "任务", site="govmap 咸安")
    '向阳湖镇 · 任务 · govmap 咸安'
    """
    return " · ".join([*(p for p in parts if p), site])


#: The request parameters that follow the user from page to page (the basemap choice).
KEPT_ARGS: tuple[str, ...] = ("basemap",)


def kept_args() -> dict[str, str]:
    """The current request's choices that links should carry: a basemap other than the default."""
    offered = basemaps(tianditu_key=current_app.config.get("GOVMAP_TIANDITU_KEY", ""))
    chosen = request.args.get("basemap", "")
    return {"basemap": chosen} if chosen in offered and chosen != "osm" else {}


#: Blueprints whose pages show a map and so take ``?basemap=``.
MAP_BLUEPRINTS = frozenset({"planner", "towns", "tasks", "places"})


def link(endpoint: str, **values: Any) -> str:
    """``url_for`` that keeps the user's basemap choice on pages with a map."""
    kept = kept_args() if endpoint.split(".")[0] in MAP_BLUEPRINTS else {}
    return url_for(endpoint, **{**kept, **values})


def _site() -> str:
    gazetteer = get_state().gazetteer
    home = gazetteer.get(gazetteer.home) if gazetteer.home else None
    return site_name(home.name if home else None)


#: How many of a deployment's collective phrases a page names where it explains them.
_PHRASES_SHOWN = 3


def unit_words(deployment: Deployment | None) -> dict[str, str]:
    """How pages name the deployment as a whole (全区, 全县) and its units (乡镇办场, 乡镇（街道）, 县市区),
    from its organs and its first collective phrases.

    >>> from geodata import deployment
    >>> unit_words(deployment.load())
    {'whole': '全区', 'units': '乡镇办场', 'blanket': '各乡镇办场、各乡镇(办、场)、各乡镇办', 'related': '相关乡镇办场'}
    """
    if deployment is None:
        return {"whole": "全区", "units": "乡镇", "blanket": "", "related": ""}
    own = [p for p in deployment.phrases if ("county" in p.covers) == (deployment.level == Level.CITY)]
    own = own or list(deployment.phrases)  # a city without counties speaks of its towns
    blanket = [p.text for p in own if not p.related]
    related = [p.text for p in own if p.related]
    units = blanket[0].removeprefix("各").removesuffix("人民政府") if blanket else "乡镇"
    shown = "、".join(blanket[:_PHRASES_SHOWN]) + ("等" if len(blanket) > _PHRASES_SHOWN else "")
    return {"whole": deployment.organs.whole, "units": units, "blanket": shown, "related": related[0] if related else ""}


#: The lights as pages list them: the worst first.
LIGHT_ORDER: tuple[Light, ...] = (Light.RED, Light.YELLOW, Light.GREEN)


def _words() -> dict[str, str]:
    return unit_words(get_state().gazetteer.deployment)


def _context() -> Mapping[str, Any]:
    return {"nav_links": nav_links, "site": _site, "link": link, "kept_args": kept_args, "words": _words,
            "has_endpoint": lambda endpoint: endpoint in current_app.view_functions, "light_order": LIGHT_ORDER, "light_of": Light,
            "asset": {"site_css": own_css("site")[0][1]}}


def init_app(app: Flask) -> None:
    app.add_template_filter(format_number, "zh_number")
    app.add_template_filter(format_date, "zh_date")
    app.add_template_filter(format_indicator, "indicator")
    app.add_template_filter(task_label, "task_label")
    app.add_template_filter(normalised_text, "normalised")
    app.add_template_filter(lambda row: normalised_text(_Row(row)), "normalised_row")
    app.add_template_filter(lambda c: COMPARATOR_TEXT.get(c, c), "comparator")
    app.context_processor(_context)
