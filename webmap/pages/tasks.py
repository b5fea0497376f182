"""Task pages: ``/tasks/`` is every task in a table that sorts (``?sort=``, links that work without JavaScript) and
filters (the map's filters, in the URL), with small charts of the counts; ``/tasks/<id>`` shows the full text with
every place mention marked, the source, the responsibility triple, the indicators and a small map of the task's
places."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from urllib.parse import urlencode

from flask import Blueprint, Flask, abort, render_template, request

from gazetteer.corpus import Corpus
from gazetteer.linking.links import Link, LinkType
from gazetteer.model import Place, Resolution, Span, Status
from webmap.maps import features
from gazetteer.places import positions
from webmap.maps.builder import build_map
from webmap.maps.cache import init_cache, map_cache
from webmap.maps.embed import MapParts, map_parts
from webmap.maps.styles import quality_text
from webmap.templating import page_title, site_name, task_label
from layers.filters import Filters
from gazetteer.supervision.lights import Light
from layers.tasklist import SORTS, joined, task_table, with_light
from webmap.pages.planner import (DOWNLOAD_FORMATS, FILTER_LABELS, filter_args, filter_choices, home_name,
                                  offered_basemaps, page_basemap, valid_filters)
from webmap.state import get_state
from webmap.pages.towns import Reason, reasons_of
from webmap.pages.supervision import ACTIONS, current_quarter, task_lights, task_reports

bp = Blueprint("tasks", __name__, url_prefix="/tasks")


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of text: plain (``status`` ``None``), or a mention with its :class:`Status`; ``place`` is the
    resolved place."""

    text: str
    status: Status | None = None
    place: Place | None = None
    title: str = ""


def resolutions_in(corpus: Corpus, span: Span) -> list[Resolution]:
    """Every mention (resolved or not) inside ``span``, in text order, overlapping ones dropped."""
    found = sorted((r for r in corpus.resolutions if r.mention.span.doc_id == span.doc_id
                    and span.start <= r.mention.span.start and r.mention.span.end <= span.end),
                   key=lambda r: (r.mention.span.start, -r.mention.span.end))
    kept: list[Resolution] = []
    for res in found:
        if not kept or res.mention.span.start >= kept[-1].mention.span.end:
            kept.append(res)
    return kept


def text_segments(corpus: Corpus, span: Span) -> list[Segment]:
    """The text of ``span`` cut into plain stretches and marked mentions."""
    text = corpus.documents[span.doc_id].text
    segments: list[Segment] = []
    at = span.start
    for res in resolutions_in(corpus, span):
        start, end = res.mention.span.start, res.mention.span.end
        if start > at:
            segments.append(Segment(text[at:start]))
        segments.append(_mention(corpus, res, text[start:end]))
        at = end
    if at < span.end:
        segments.append(Segment(text[at:span.end]))
    return segments


def _mention(corpus: Corpus, res: Resolution, text: str) -> Segment:
    place = corpus.gazetteer.get(res.place_id) if res.place_id else None
    if res.status == Status.RESOLVED and place is not None:
        quality = quality_text(place.quality, place.geometry)[0]
        return Segment(text, Status.RESOLVED, place, f"{place.name} · {features.kind_text(place.kind)} · 几何：{quality}")
    if res.status == Status.UNRESOLVED:
        return Segment(text, Status.UNRESOLVED, None, f"地名候选，地名库未收录（{res.reason}）")
    return Segment(text, Status.NONPLACE, None, f"不作为地点（{res.reason}）")


def mentioned_places(segments: Iterable[Segment]) -> list[Place]:
    return list(dict.fromkeys(s.place for s in segments if s.place is not None))


def responsible_units(corpus: Corpus, task_id: str) -> list[tuple[Place, Sequence[Reason]]]:
    """The townships responsible for a task, each with the badges that say why."""
    by_unit: dict[str, list[Link]] = {}
    for link in corpus.links_for_owner(task_id):
        if link.type in (LinkType.RESPONSIBLE, LinkType.CONTAINED) and link.place_id in corpus.gazetteer:
            by_unit.setdefault(link.place_id, []).append(link)
    return [(corpus.gazetteer[pid], reasons_of(corpus, links)) for pid, links in by_unit.items()]


@bp.get("/")
def index() -> str:
    state = get_state()
    catalogue = state.catalogue
    selected, rejected = valid_filters(filter_args(request.args),
                                       check=lambda args: catalogue.frame("tasks", Filters.from_args(dict(args))))
    sort = request.args.get("sort")
    if (sort or "").strip().removeprefix("-") not in ("", *SORTS):
        rejected.append(f"排序“{sort}”")
        sort = None
    table = task_table(catalogue, Filters.from_args(selected), sort=sort)
    verdicts = task_lights()
    chosen = request.args.get("light", "")
    if chosen:
        try:
            table = with_light(table, verdicts, Light(chosen))
            selected["light"] = chosen
        except ValueError:
            rejected.append(f"灯色“{chosen}”")
    query = {**selected, **({"sort": sort} if sort else {})}
    downloads = [{"label": label, "url": f"/download/tasks.{fmt}" + (f"?{urlencode(query)}" if query else "")}
                 for fmt, label in DOWNLOAD_FORMATS]
    return render_template("tasks.html", title=page_title("任务一览", site=site_name(home_name(state))),
                           table=table, selected=selected, rejected=rejected, choices=filter_choices(state.corpus, state.plan_years()),
                           labels=FILTER_LABELS, sorts=SORTS, sort_url=lambda name: _sort_url(selected, table, name),
                           downloads=downloads, joined=joined, short=features.short_text,
                           units=state.corpus.units, verdicts=verdicts, quarter=current_quarter(),
                           light_choice=chosen if "light" in selected else "")


def _sort_url(selected: dict[str, str], table: object, name: str) -> str:
    """The link of a column header: sort by it, or the other way round when it is the current sort."""
    descending = getattr(table, "sort") == name and not getattr(table, "descending")
    return "?" + urlencode({**selected, "sort": ("-" if descending else "") + name})


@bp.get("/<task_id>")
def show(task_id: str) -> str:
    state = get_state()
    corpus = state.corpus
    task = corpus.tasks.get(task_id)
    if task is None:
        abort(404, description=f"没有编号为“{task_id}”的任务")
    segments = text_segments(corpus, task.span)
    places = mentioned_places(segments)
    units = responsible_units(corpus, task.id)
    basemap = page_basemap()

    def build() -> MapParts:
        shown = places or [unit for unit, _ in units]
        spec = features.local_spec(corpus, shown, basemap=basemap)
        return map_parts(build_map(spec, fallback_bounds=features.home_bounds(corpus.gazetteer)))

    parts = map_cache().get(("task", task.id, basemap.id), build)
    label = task_label(task)
    return render_template("task.html", title=page_title(label, "任务", site=site_name(home_name(state))),
                           task=task, label=label, document=corpus.documents[task.doc_id], segments=segments,
                           places=places, units=units, indicators=corpus.indicators_for(task.id), map=parts,
                           basemap=basemap, basemaps=offered_basemaps(), kind_text=features.kind_text,
                           quality_text=quality_text,
                           sources={p.id: positions.position_sources(corpus.gazetteer, p) for p in places},
                           supervision=task_reports(task.id), actions=ACTIONS)


def init_app(app: Flask) -> None:
    init_cache(app)
    app.register_blueprint(bp)
