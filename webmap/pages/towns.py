"""Township pages: ``/towns/`` lists the district's 乡镇办场 and zones, ``/towns/<name>`` is one township's page
(its tasks with why each is linked, indicators, a local map, print and downloads)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, abort, redirect, render_template, request, url_for
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
from webmap.pages.planner import home_name, offered_basemaps, page_basemap
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


def grouped_tasks(corpus: Corpus, unit: Place) -> list[tuple[str, list[TownTask]]]:
    """The township's tasks grouped by action section (七大行动), in document order (the page shows those that
    single the township out first, then those it shares through a collective phrase)."""
    groups: dict[str, list[TownTask]] = {}
    for task, links in corpus.township_tasks(unit.id):
        section = task.section[0] if task.section else ("经济目标" if task.kind == TaskKind.TARGET else "其他")
        groups.setdefault(section, []).append(
            TownTask(task, reasons_of(corpus, links), tuple(corpus.indicators_for(task.id))))
    return list(groups.items())


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


def download_links(unit: Place) -> list[dict[str, str]]:
    """The downloads of exactly this township's tasks."""
    query = urlencode({"township": unit.name})
    return [{"label": label, "url": f"/download/tasks.{fmt}?{query}"} for fmt, label in DOWNLOAD_FORMATS]


@bp.get("/")
def index() -> str:
    state = get_state()
    corpus = state.corpus
    rows = [{"place": p, "count": len(corpus.township_tasks(p.id)),
             "specific": len(features.specific_tasks(corpus, p)),
             "quality": quality_text(p.quality, p.geometry)[0]} for p in units(state.gazetteer)]
    groups = [(label, [r for r in rows if r["place"].kind == kind]) for kind, label in UNIT_GROUPS]
    return render_template("towns.html", title=page_title(unit_words(state.gazetteer.deployment)["units"],
                                                          site=site_name(home_name(state))),
                           groups=[(label, members) for label, members in groups if members],
                           total=len(rows), largest=max((r["specific"] for r in rows), default=0))


@bp.get("/<name>")
def show(name: str) -> str | Response:
    state = get_state()
    corpus = state.corpus
    unit = state.gazetteer.unit(name)
    if unit is None:
        abort(404, description=f"没有名为“{name}”的{unit_words(state.gazetteer.deployment)['units']}")
    if name != unit.name:
        return redirect(url_for(".show", name=unit.name, **request.args), code=301)
    sections = grouped_tasks(corpus, unit)
    tasks = [entry.task for _, entries in sections for entry in entries]
    specific = sum(entry.specific for _, entries in sections for entry in entries)
    only_specific = request.args.get("only") == "specific"
    task_parts = [(label, kept) for label, wanted in (("own", True), ("shared", False)) if not (only_specific and not wanted)
             and (kept := [(name, chosen) for name, entries in sections
                           if (chosen := [e for e in entries if e.specific == wanted])])]
    basemap = page_basemap()

    def build() -> MapParts:
        spec = features.local_spec(corpus, local_places(corpus, unit, tasks), basemap=basemap, focus=unit)
        spec.height = "100%"
        return map_parts(build_map(spec, fallback_bounds=features.home_bounds(corpus.gazetteer)))

    parts = map_cache().get(("town", unit.id, basemap.id), build)
    return render_template("town.html", title=page_title(unit.name, "任务", site=site_name(home_name(state))),
                           unit=unit, kind=features.kind_text(unit.kind), task_parts=task_parts, total=len(tasks),
                           specific=specific, only_specific=only_specific,
                           map=parts, basemap=basemap, basemaps=offered_basemaps(), downloads=download_links(unit),
                           quality=quality_text(unit.quality, unit.geometry), today=dt.date.today())


def init_app(app: Flask) -> None:
    init_cache(app)
    app.register_blueprint(bp)
