"""Township pages: ``/towns/`` lists the district's 乡镇办场 and zones, ``/towns/<name>`` is one township's page
(its tasks with why each is linked, indicators, a local map, print and downloads)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, abort, render_template, request
from werkzeug.wrappers import Response

from gazetteer.corpus import Corpus
from gazetteer.linking.links import Link, LinkType, Rule
from gazetteer.model import UNIT_KINDS, Kind, Place, Task, TaskKind
from gazetteer.places.registry import Gazetteer
from webmap.maps import features
from webmap.maps.builder import build_map
from webmap.maps.cache import init_cache, map_cache
from webmap.maps.embed import MapParts, map_parts
from webmap.maps.styles import quality_text
from webmap.templating import page_title, site_name, unit_words
from layers.errors import InvalidParameter
from layers.filters import parse_year
from webmap.pages import canonical
from webmap.pages.planner import home_name, offered_basemaps, page_basemap
from webmap.pages.supervision import unit_supervision
from webmap.state import get_state

bp = Blueprint("towns", __name__, url_prefix="/towns")

#: How the list groups the units, in this order.
UNIT_GROUPS: tuple[tuple[Kind, str], ...] = ((Kind.TOWN, "镇"), (Kind.TOWNSHIP, "乡"), (Kind.SUBDISTRICT, "街道办事处"),
                                             (Kind.FARM, "农场"), (Kind.ZONE, "开发区与园区"), (Kind.COUNTY, "县市区"))
DOWNLOAD_FORMATS: tuple[tuple[str, str], ...] = (("xlsx", "Excel 表格"), ("csv", "CSV 表格"), ("geojson", "GeoJSON"))


@dataclass(frozen=True, slots=True)
class Reason:
    """One badge: why a task is the township's. ``places`` are the places inside the township that the text
    names (for 辖区内地点), so one badge says which ones instead of repeating itself."""

    rule: str
    label: str
    detail: str
    places: tuple[Place, ...] = ()


@dataclass(frozen=True, slots=True)
class TownTask:
    task: Task
    reasons: tuple[Reason, ...]
    indicators: tuple[Any, ...]

    @property
    def specific(self) -> bool:
        """True when the task singles the township out (named, located, or a place inside it)."""
        return any(Rule(r.rule) not in features.BLANKET_RULES for r in self.reasons)


def units(gazetteer: Gazetteer) -> list[Place]:
    """The deployment's units: its 乡镇办场 and zones (a city's counties)."""
    return gazetteer.units()


def reasons_of(corpus: Corpus, links: Sequence[Link]) -> tuple[Reason, ...]:
    """Badges from a task's links to a township: one per rule, responsibility first; a rule that links through
    several places (辖区内地点) lists them all on one badge."""
    order = {rule: i for i, rule in enumerate(features.RULE_TEXT)}
    by_rule: dict[Rule, list[Link]] = {}
    for link in sorted(links, key=lambda link: order.get(link.rule, len(order))):
        by_rule.setdefault(link.rule, []).append(link)
    return tuple(Reason(str(rule), _label(rule, group[0]),
                        "；".join(dict.fromkeys(link.detail for link in group)),
                        tuple(dict.fromkeys(p for link in group if (p := _named_place(corpus, link)) is not None)))
                 for rule, group in by_rule.items())


def _label(rule: Rule, link: Link) -> str:
    """The badge of a rule: a collective rule shows the deployment's own phrase, as the link's detail gives it
    (责任单位：各乡镇办场 → 各乡镇办场; 相关乡镇（街道）：任务文本指向 … → 相关乡镇（街道）·文中定位)."""
    if rule in (Rule.ALL, Rule.ALL_BUT_FARM) and "：" in link.detail:
        return link.detail.split("：", 1)[1]
    if rule == Rule.RELATED_LOCATED and "：" in link.detail:
        return link.detail.split("：", 1)[0] + "·文中定位"
    if rule == Rule.RELATED_UNSPECIFIED and "（" in link.detail:
        return link.detail.split("（", 1)[0] + "（未指明）"
    return features.RULE_TEXT.get(rule, str(rule))


def _named_place(corpus: Corpus, link: Link) -> Place | None:
    """The place a 辖区内地点 link goes through: the one the text names at the link's span."""
    if link.rule != Rule.INSIDE or link.span is None:
        return None
    for other in corpus.links_for_owner(link.owner_id):
        if other.type == LinkType.MENTIONED and other.span == link.span and other.place_id in corpus.gazetteer:
            return corpus.gazetteer[other.place_id]
    return None


def grouped_tasks(corpus: Corpus, unit: Place, *,
                  keep: Callable[[Task], bool] | None = None) -> list[tuple[str, list[TownTask]]]:
    """The township's tasks (those ``keep`` keeps) grouped by action section (七大行动), in document order (the page
    shows those that single the township out first, then those it shares through a collective phrase)."""
    groups: dict[str, list[TownTask]] = {}
    for task, links in corpus.township_tasks(unit.id):
        if keep is not None and not keep(task):
            continue
        section = task.section[0] if task.section else ("经济目标" if task.kind == TaskKind.TARGET else "其他")
        groups.setdefault(section, []).append(
            TownTask(task, reasons_of(corpus, links), tuple(corpus.indicators_for(task.id))))
    return list(groups.items())


def unit_keys(corpus: Corpus, unit: Place) -> list[str]:
    """The keys the plans' responsibility clauses give the township under (北湖镇, 北湖镇人民政府 are one key as a
    rule; a plan may still write it in ways that do not merge), or its name's key when no plan names it."""
    return [u.key for u in corpus.units if u.place_id == unit.id] or [corpus.units.key(unit.name)]


def local_places(corpus: Corpus, unit: Place, tasks: Sequence[Task]) -> list[Place]:
    """The township and every place its tasks name that lies inside it."""
    gazetteer = corpus.gazetteer
    inside = [unit]
    for task in tasks:
        for link in corpus.links_for_owner(task.id):
            if link.type == LinkType.MENTIONED and link.place_id != unit.id and link.place_id in gazetteer \
                    and gazetteer.is_within(link.place_id, unit.id):
                inside.append(gazetteer[link.place_id])
    return list(dict.fromkeys(inside))


def download_links(unit: Place, year: int | None = None) -> list[dict[str, str]]:
    """The downloads of exactly this township's tasks (of the year shown)."""
    query = urlencode({"township": unit.name, **({"year": year} if year else {})})
    return [{"label": label, "url": f"/download/tasks.{fmt}?{query}"} for fmt, label in DOWNLOAD_FORMATS]


def page_year(state: Any) -> int | None:
    """The plan year a page is asked for (``?year=``), ``None`` for every year; a year no plan has is a 404."""
    raw = request.args.get("year", "").strip()
    if not raw:
        return None
    try:
        year = parse_year(raw)
    except InvalidParameter:
        abort(404, description=f"年度“{raw[:20]}”无效")
    if year not in state.plan_years():
        abort(404, description=f"没有{year}年的计划")
    return year


def year_keep(state: Any, year: int | None) -> Callable[[Task], bool] | None:
    """Whether a task is of ``year``'s plan (``None`` keeps every task)."""
    return None if year is None else (lambda task: state.years.get(task.doc_id) == year)


@bp.get("/")
def index() -> str:
    state = get_state()
    corpus = state.corpus
    year = page_year(state)
    keep = year_keep(state, year) or (lambda task: True)
    rows = [{"place": p, "count": sum(keep(t) for t, _ in corpus.township_tasks(p.id)),
             "specific": sum(keep(t) for t in features.specific_tasks(corpus, p)),
             "quality": quality_text(p.quality, p.geometry)[0]} for p in units(state.gazetteer)]
    groups = [(label, [r for r in rows if r["place"].kind == kind]) for kind, label in UNIT_GROUPS]
    return render_template("towns.html", title=page_title(unit_words(state.gazetteer.deployment)["units"],
                                                          site=site_name(home_name(state))),
                           groups=[(label, members) for label, members in groups if members],
                           total=len(rows), largest=max((r["specific"] for r in rows), default=0),
                           year=year, years=state.plan_years())


@bp.get("/<name>")
def show(name: str) -> str | Response:
    state = get_state()
    corpus = state.corpus
    unit = state.gazetteer.unit(name)
    missing = f"没有名为“{name}”的{unit_words(state.gazetteer.deployment)['units']}"
    if (moved := canonical(unit, name, missing=missing)) is not None:
        return moved
    year = page_year(state)
    sections = grouped_tasks(corpus, unit, keep=year_keep(state, year))
    tasks = [entry.task for _, entries in sections for entry in entries]
    specific = sum(entry.specific for _, entries in sections for entry in entries)
    only_specific = request.args.get("only") == "specific"
    task_parts = [(label, kept) for label, wanted in (("own", True), ("shared", False)) if not (only_specific and not wanted)
             and (kept := [(name, chosen) for name, entries in sections
                           if (chosen := [e for e in entries if e.specific == wanted])])]
    basemap = page_basemap()

    def build() -> MapParts:
        allowed = None if year is None else {t.id for t in corpus.tasks.values() if state.years.get(t.doc_id) == year}
        spec = features.local_spec(corpus, local_places(corpus, unit, tasks), basemap=basemap, focus=unit,
                                   allowed=allowed)
        spec.height = "100%"
        return map_parts(build_map(spec, fallback_bounds=features.home_bounds(corpus.gazetteer)))

    parts = map_cache().get(("town", unit.id, basemap.id, year), build)
    return render_template("town.html", title=page_title(unit.name, "任务", site=site_name(home_name(state))),
                           unit=unit, kind=features.kind_text(unit.kind), task_parts=task_parts, total=len(tasks),
                           specific=specific, only_specific=only_specific,
                           map=parts, basemap=basemap, basemaps=offered_basemaps(), downloads=download_links(unit, year),
                           year=year, years=state.plan_years(),
                           quality=quality_text(unit.quality, unit.geometry), today=dt.date.today(),
                           supervision=unit_supervision(unit_keys(corpus, unit), township=unit.id),
                           task_of=corpus.tasks.get)


def init_app(app: Flask) -> None:
    init_cache(app)
    app.register_blueprint(bp)
