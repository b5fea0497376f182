"""The planner map at ``/``: the whole district, filtered by the GET form above it (the URL is the state).

When a quarter is supervised, its 任务 marks take the 红黄绿 of their tasks and ``?light=`` (``red``, ``yellow``,
``green``, as on ``/tasks/``) keeps the tasks of one light.

The rendered map is cached per (filters, light, basemap, the lights themselves); after the first request a
filtered map is served from memory. Lights are computed on every request (they are never stored) and are part of
the cache key, so a report approved or a window opened gives a new map at the next request, never a stale one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from urllib.parse import urlencode
from dataclasses import dataclass, field as dataclass_field
from typing import Any

from flask import Blueprint, Flask, current_app, render_template, request

from gazetteer.corpus import Corpus
from gazetteer.linking.units import UnitKind
from gazetteer.model import Kind
from gazetteer.supervision.lights import Light, Verdict
from gazetteer.supervision.periods import Quarter
from layers.errors import InvalidParameter
from layers.filters import Filters
from webmap.maps import features
from webmap.maps.basemaps import Basemap, basemaps, choose_basemap
from webmap.maps.builder import build_map
from webmap.maps.cache import init_cache, map_cache
from webmap.maps.embed import MapParts, map_parts
from webmap.templating import page_title, site_name
from webmap.state import get_state

bp = Blueprint("planner", __name__)

#: The query parameters that filter the planner map (names as :class:`layers.filters.Filters` takes them), with
#: the labels the form gives them.
FILTER_LABELS: dict[str, str] = {"year": "年度", "section": "行动", "leader": "责任领导", "lead_unit": "牵头单位", "unit": "单位",
                                 "township": "乡镇", "kind": "地点类型", "keyword": "关键词", "bbox": "范围"}
FILTER_FIELDS: tuple[str, ...] = tuple(FILTER_LABELS)


@dataclass(frozen=True, slots=True)
class PlannerMap:
    """A rendered planner map and what it shows."""

    parts: MapParts
    tasks: int
    features: int
    built: dt.datetime
    #: How many of the tasks shown have each light (``None``: not supervised), when a quarter is supervised.
    lights: Counter[Light | None] | None = None


def filter_args(args: Mapping[str, str]) -> dict[str, str]:
    """The non-empty filter parameters of a request, trimmed, in :data:`FILTER_FIELDS` order.

    >>> filter_args({"section": " 实施发展提速行动 ", "leader": "", "basemap": "none"})
    {'section': '实施发展提速行动'}
    """
    return {name: args[name].strip() for name in FILTER_FIELDS if args.get(name, "").strip()}


def valid_filters(selected: Mapping[str, str], *,
                  check: Callable[[Mapping[str, str]], object]) -> tuple[dict[str, str], list[str]]:
    """The filter values ``check`` accepts (it raises :class:`layers.errors.InvalidParameter` otherwise), and a
    note on each it does not (a township that does not exist, a misspelt kind): the map is drawn without those
    instead of failing.

    >>> from layers.filters import Filters
    >>> valid_filters({"kind": "lake", "section": "实施发展提速行动"}, check=Filters.from_args)[1]
    []
    >>> valid_filters({"kind": "湖", "section": "实施发展提速行动"}, check=Filters.from_args)
    ({'section': '实施发展提速行动'}, ['地点类型“湖”'])
    """
    kept: dict[str, str] = {}
    rejected: list[str] = []
    for name, value in selected.items():
        try:
            check({name: value})
        except InvalidParameter:
            rejected.append(f"{FILTER_LABELS[name]}“{value}”")
        else:
            kept[name] = value
    return kept, rejected


def page_basemap() -> Basemap:
    """The basemap the request asks for (``?basemap=``), among those this server offers."""
    return choose_basemap(request.args.get("basemap"), tianditu_key=current_app.config["GOVMAP_TIANDITU_KEY"])


def offered_basemaps() -> list[Basemap]:
    return list(basemaps(tianditu_key=current_app.config["GOVMAP_TIANDITU_KEY"]).values())


def filter_choices(corpus: Corpus, years: Sequence[int] = ()) -> dict[str, list[Any]]:
    """The options of each filter, in document order (kinds: those of places the texts name; years: the plans'
    years, newest first)."""
    tasks = list(corpus.tasks.values())
    gazetteer = corpus.gazetteer
    units = gazetteer.units()
    kinds = dict.fromkeys(gazetteer[i].kind for i in corpus.mentioned_place_ids() if i in gazetteer)
    return {
        "section": list(dict.fromkeys(t.section[0] for t in tasks if t.section)),
        "leader": list(dict.fromkeys(x for t in tasks for x in t.responsibility.leaders)),
        "lead_unit": list(dict.fromkeys(x for t in tasks for x in t.responsibility.lead_units)),
        "unit": [u.name for u in corpus.units if u.kind != UnitKind.COLLECTIVE],
        "township": [p.name for p in units],
        "kind": [(str(k), features.kind_text(k)) for k in Kind if k in kinds],
        "year": [str(y) for y in sorted(years, reverse=True)],
    }


@dataclass(frozen=True, slots=True)
class MapLights:
    """The supervision the planner map shows: the quarter (``None``: nothing supervised yet), each task's verdict,
    and the light the map is narrowed to (``None``: every light)."""

    quarter: Quarter | None = None
    verdicts: Mapping[str, Verdict] = dataclass_field(default_factory=dict)
    chosen: Light | None = None

    def key(self) -> Hashable:
        """What the rendered map depends on: a new report approved, a window opened or a day passing changes
        a verdict, and with it the key.

        >>> a = MapLights(Quarter(2025, 4), {"d.t1": Verdict(Light.YELLOW, "本季度尚未报送")})
        >>> b = MapLights(Quarter(2025, 4), {"d.t1": Verdict(Light.GREEN, "已完成")})
        >>> a.key() == b.key(), a.key() == MapLights(Quarter(2025, 4), dict(a.verdicts)).key()
        (False, True)
        """
        return (str(self.quarter) if self.quarter else None, str(self.chosen or ""),
                tuple(sorted((task, str(v.light), v.reason) for task, v in self.verdicts.items())))

    def only(self) -> set[str] | None:
        """The ids of the tasks of the chosen light (``None``: no light chosen)."""
        if self.chosen is None:
            return None
        return {task for task, verdict in self.verdicts.items() if verdict.light == self.chosen}


def light_choice(value: str, *, supervised: bool) -> tuple[Light | None, list[str]]:
    """The light ``?light=`` asks for, or a note on a value that is not one (or when nothing is supervised): the
    map is drawn with every light instead.

    >>> light_choice("red", supervised=True)
    (<Light.RED: 'red'>, [])
    >>> light_choice("紫", supervised=True), light_choice("red", supervised=False)
    ((None, ['督办灯“紫”']), (None, ['督办灯“red”（尚未开始督办）']))
    """
    value = value.strip()
    if not value:
        return None, []
    try:
        chosen = Light(value)
    except ValueError:
        return None, [f"督办灯“{value}”"]
    return (chosen, []) if supervised else (None, [f"督办灯“{value}”（尚未开始督办）"])


def map_lights(value: str = "") -> tuple[MapLights, list[str]]:
    """The supervision of the request's map: the current quarter's lights, computed now, and ``?light=``."""
    from webmap.pages.supervision import current_quarter, task_lights  # (that module imports this one)

    quarter = current_quarter()
    chosen, rejected = light_choice(value, supervised=quarter is not None)
    return MapLights(quarter, task_lights(quarter) if quarter else {}, chosen), rejected


def build_planner_map(selected: Mapping[str, str], basemap: Basemap, lights: MapLights = MapLights()) -> PlannerMap:
    """Build (uncached) the planner map for filter values ``selected``, its 任务 marks coloured by ``lights``."""
    state = get_state()
    filters = Filters.from_args(dict(selected))
    supervised = lights.quarter is not None
    drawn, allowed = features.catalogue_features(state.corpus, state.catalogue, filters, only=lights.only(),
                                                 lights=lights.verdicts if supervised else None)
    spec = features.planner_spec(state.corpus, drawn, basemap=basemap, filtered=bool(selected) or bool(lights.chosen),
                                 allowed=allowed, lights=str(lights.quarter) if supervised else None)
    parts = map_parts(build_map(spec, fallback_bounds=features.home_bounds(state.gazetteer)))
    counts = Counter(lights.verdicts[t].light if t in lights.verdicts else None for t in allowed)
    return PlannerMap(parts, len(allowed), len(drawn), dt.datetime.now(), counts if supervised else None)


@bp.get("/")
def index() -> str:
    state = get_state()
    selected, rejected = valid_filters(filter_args(request.args), check=lambda args: _check_filters(state, args))
    lights, wrong = map_lights(request.args.get("light", ""))
    rejected += wrong
    basemap = page_basemap()
    cache = map_cache()
    page = cache.get(("planner", tuple(selected.items()), basemap.id, lights.key()),
                     lambda: build_planner_map(selected, basemap, lights))
    choices = cache.get(("planner-choices",), lambda: filter_choices(state.corpus, state.plan_years()))
    narrowed = {**selected, **({"light": str(lights.chosen)} if lights.chosen else {})}
    title = page_title("规划地图" if not narrowed else "筛选地图", site=site_name(home_name(state)))
    return render_template("planner.html", title=title, map=page.parts, choices=choices, selected=narrowed,
                           basemap=basemap, basemaps=offered_basemaps(), quarter=lights.quarter,
                           summary={"tasks": page.tasks, "features": page.features, "built": page.built,
                                    "lights": page.lights},
                           home=home_name(state) or "", downloads=download_links(narrowed), rejected=rejected,
                           plans=shown_plans(state, selected.get("year")))


def shown_plans(state: Any, year: str | None) -> list[tuple[Any, str]]:
    """The plans the map shows, each with its year (the stored one, else as its title gives it): those of
    ``year`` when the map is filtered by year."""
    plans = [(doc, str(state.years.get(doc.id) or written)) for doc, written in state.corpus.plans()]
    return [(doc, y) for doc, y in plans if year is None or y == str(year).removesuffix("年")]


def _check_filters(state: Any, args: Mapping[str, str]) -> object:
    """Raise :class:`layers.errors.InvalidParameter` unless the catalogue accepts the filter values ``args``."""
    return map_cache().get(("filter-check", tuple(args.items())),
                           lambda: len(state.catalogue.frame("tasks", Filters.from_args(dict(args)))))


def download_links(selected: Mapping[str, str]) -> list[dict[str, str]]:
    """Downloads of the tasks the map shows (same filters).

    >>> download_links({"leader": "王五"})[0]["url"]
    '/download/tasks.xlsx?leader=%E7%8E%8B%E4%BA%94'
    """
    query = f"?{urlencode(dict(selected))}" if selected else ""
    return [{"label": label, "url": f"/download/tasks.{fmt}{query}"} for fmt, label in DOWNLOAD_FORMATS]


#: The task downloads a page offers: Excel-ready tables first.
DOWNLOAD_FORMATS: tuple[tuple[str, str], ...] = (("xlsx", "Excel"), ("csv", "CSV"), ("geojson", "GeoJSON"))


def home_name(state: Any) -> str | None:
    """The name of the deployment's home county (咸安区), if the gazetteer knows it."""
    home = state.gazetteer.get(state.gazetteer.home) if state.gazetteer.home else None
    return home.name if home else None


def init_app(app: Flask) -> None:
    init_cache(app)
    app.register_blueprint(bp)
