"""Place pages: ``/places/<id>`` shows the place, its geometry and quality (where it sits on the ladder), where a
derived or fallback position comes from, its source, aliases, parent chain, every task and statement naming it,
and the tasks that name a place taking its position from it or lying inside it (each saying which and how)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, abort, render_template

from gazetteer.corpus import Corpus
from gazetteer.linking.links import LinkType
from gazetteer.model import ADMIN_KINDS, UNIT_KINDS, Place, Quality
from gazetteer.places.registry import Gazetteer
from geodata.crs import GK_CM114, area_km2, length_km
from webmap.maps import features
from gazetteer.places import positions
from webmap.maps.builder import build_map
from webmap.maps.cache import init_cache, map_cache
from webmap.maps.embed import MapParts, map_parts
from webmap.maps.styles import QUALITY_TEXT, quality_of, quality_text
from webmap import templating
from webmap.provenance import is_english, source_text
from webmap.templating import page_title, site_name
from webmap.pages.planner import home_name, offered_basemaps, page_basemap
from webmap.state import get_state
from webmap.pages.tasks import text_segments

bp = Blueprint("places", __name__, url_prefix="/places")


def ladder(current: Quality) -> list[dict[str, object]]:
    """The quality ladder with the place's level marked."""
    return [{"id": str(q), "rank": q.rank + 1, "label": QUALITY_TEXT[q][0], "help": QUALITY_TEXT[q][1],
             "current": q == current} for q in Quality]


#: Geometry types as a zh-CN reader names them.
GEOMETRY_TEXT: dict[str, str] = {"Point": "点", "MultiPoint": "多点", "LineString": "线", "MultiLineString": "多段线",
                                 "Polygon": "面", "MultiPolygon": "多面", "GeometryCollection": "几何集合"}
#: How a related place relates to the page's place.
DERIVED_HERE = "位置推导自此地"
INSIDE_HERE = "位于此地"


@dataclass(frozen=True, slots=True)
class RelatedTask:
    """A task that does not name the place but names ``via``, which takes its position from it or lies in it."""

    task: dict[str, object]
    via: tuple[tuple[Place, str], ...]


def geometry_text(place: Place, *, stand_in: bool, measure: str = GK_CM114, within: Place | None = None) -> str:
    """The geometry in words: its type and size (measured in ``measure``, the deployment's zone), how much of an
    area lies in ``within`` (the deployment's unit) when not all of it does, or that it only stands in. A
    schematic line is no course, so it gets no length.

    >>> from shapely.geometry import LineString, box
    >>> from gazetteer.model import Kind
    >>> geometry_text(Place("r", "清溪河", Kind.RIVER, geometry=LineString([(114.0, 29.8), (114.0, 29.9)])),
    ...               stand_in=False)
    '线，长约 11.1 公里'
    >>> geometry_text(Place("r", "清溪河", Kind.RIVER, geometry=LineString([(114.0, 29.8), (114.0, 29.9)]),
    ...                     quality=Quality.SCHEMATIC), stand_in=False)
    '线（示意线，不是实际走向，不量长度）'
    >>> county = Place("c", "甲安区", Kind.COUNTY, geometry=box(114.0, 29.8, 114.1, 29.9))
    >>> geometry_text(Place("l", "大湖", Kind.LAKE, geometry=box(114.05, 29.8, 114.15, 29.9)), stand_in=False,
    ...               within=county)
    '面，面积约 107.1 平方公里，其中约 53.6 平方公里在甲安区内'
    """
    shape = place.geometry
    if shape is None or shape.is_empty:
        return "无"
    kind = GEOMETRY_TEXT.get(shape.geom_type, shape.geom_type)
    if stand_in:
        return f"{kind}（借用的位置，不是本地点的范围）"
    if place.quality == Quality.DERIVED:
        return f"{kind}（所据地点的几何，不是本地点自身的范围）"
    if place.quality == Quality.SCHEMATIC and shape.length > 0:
        return f"{kind}（示意线，不是实际走向，不量长度）"
    if shape.area > 0:
        total = area_km2(shape, measure)
        text = f"{kind}，面积约 {templating.format_number(total, digits=1)} 平方公里"
        if within is not None and within.id != place.id and within.geometry is not None and within.geometry.area > 0:
            inside = area_km2(shape.intersection(within.geometry), measure)
            if inside < total * 0.98:
                text += f"，其中约 {templating.format_number(inside, digits=1)} 平方公里在{within.name}内"
        return text
    if shape.length > 0:
        return f"{kind}，长约 {templating.format_number(length_km(shape, measure), digits=1)} 公里"
    return kind


def related_tasks(corpus: Corpus, place: Place, *, exclude: set[str]) -> list[RelatedTask]:
    """Tasks (not in ``exclude``) naming a place derived from ``place`` or, for a place that is not an admin unit
    (whose township page covers this), lying inside it; in document order."""
    gazetteer = corpus.gazetteer
    index = features.derived_index(gazetteer)
    via = {pid: DERIVED_HERE for pid in index.get(place.id, ())}
    if place.kind not in ADMIN_KINDS:
        via.update({child.id: INSIDE_HERE for child in gazetteer.children(place.id) if child.id not in via})
    found: dict[str, dict[Place, str]] = {}
    for pid, how in via.items():
        for link in corpus.links_for_place(pid, types=[LinkType.MENTIONED]):
            if link.owner_id in corpus.tasks and link.owner_id not in exclude:
                found.setdefault(link.owner_id, {})[gazetteer[pid]] = how
    return [RelatedTask(features.task_brief(corpus, task), tuple(found[task.id].items()))
            for task in corpus.tasks.values() if task.id in found]


def naming_owners(corpus: Corpus, place: Place) -> tuple[list[str], list[str]]:
    """Ids of the tasks and of the statements naming a place, in document order."""
    owners = dict.fromkeys(link.owner_id for link in corpus.links_for_place(place.id, types=[LinkType.MENTIONED]))
    return [o for o in owners if o in corpus.tasks], [o for o in owners if o in corpus.statements]


@bp.get("/<place_id>")
def show(place_id: str) -> str:
    state = get_state()
    corpus = state.corpus
    gazetteer = state.gazetteer
    place = gazetteer.get(place_id)
    if place is None:
        abort(404, description=f"没有编号为“{place_id}”的地点")
    quality = quality_of(place.quality)
    task_ids, statement_ids = naming_owners(corpus, place)
    basemap = page_basemap()

    stand_in = positions.is_stand_in(gazetteer, place)

    def build() -> MapParts:  # a derived place is shown with what it is derived from
        context = [] if stand_in else positions.derived_sources(gazetteer, place)
        spec = features.local_spec(corpus, [place, *context], basemap=basemap, focus=place)
        return map_parts(build_map(spec, fallback_bounds=features.home_bounds(corpus.gazetteer)))

    parts = map_cache().get(("place", place.id, basemap.id), build) if place.geometry is not None else None
    derived_here = features.derived_index(gazetteer)
    statements = [(corpus.statements[s], corpus.documents[corpus.statements[s].doc_id],
                   text_segments(corpus, corpus.statements[s].span)) for s in statement_ids]
    return render_template(
        "place.html", title=page_title(place.name, "地点", site=site_name(home_name(state))), place=place,
        kind=features.kind_text(place.kind), quality=quality, quality_label=quality_text(quality, place.geometry),
        ladder=ladder(quality), ancestors=gazetteer.ancestors(place.id),
        parents=[gazetteer[p] for p in place.parents if p in gazetteer], children=gazetteer.children(place.id),
        tasks=[features.task_brief(corpus, corpus.tasks[t]) for t in task_ids], statements=statements,
        is_unit=place.kind in UNIT_KINDS, unit_tasks=len(corpus.township_tasks(place.id)),
        map=parts, basemap=basemap, basemaps=offered_basemaps(), kind_text=features.kind_text,
        geometry=geometry_text(place, stand_in=stand_in, measure=_measure_crs(gazetteer),
                               within=None if place.id in _home_line(gazetteer) else gazetteer.get(gazetteer.home or "")), sources=positions.position_sources(gazetteer, place),
        derived_here=[gazetteer[i] for i in derived_here.get(place.id, ())],
        related=related_tasks(corpus, place, exclude=set(task_ids)),
        note_english=is_english(place.note), source=source_text(place.source))


def init_app(app: Flask) -> None:
    init_cache(app)
    app.register_blueprint(bp)


def _home_line(gazetteer: Gazetteer) -> set[str]:
    """The home unit and the units above it (whose area is not "partly in" the deployment)."""
    home = gazetteer.home or ""
    return {home, *(a.id for a in gazetteer.ancestors(home))} if home in gazetteer else set()


def _measure_crs(gazetteer: Gazetteer) -> str:
    """The CRS the deployment measures lengths and areas in."""
    return gazetteer.deployment.measure_crs if gazetteer.deployment is not None else GK_CM114
