"""Place pages: ``/places/<id>`` shows the place, its geometry and quality (where it sits on the ladder), its
source, aliases, parent chain, and every task and statement naming it."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template

from gazetteer.corpus import Corpus
from gazetteer.links import LinkType
from gazetteer.model import Place, Quality
from webmap import render
from webmap.assets import page_title, site_name
from webmap.planner import home_name, offered_basemaps, page_basemap
from webmap.state import get_state
from webmap.tasks import text_segments
from webmap.towns import UNIT_KINDS

bp = Blueprint("places", __name__, url_prefix="/places")


def ladder(current: Quality) -> list[dict[str, object]]:
    """The quality ladder with the place's level marked."""
    return [{"id": str(q), "rank": q.rank + 1, "label": render.QUALITY_TEXT[q][0], "help": render.QUALITY_TEXT[q][1],
             "current": q == current} for q in Quality]


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
    quality = render.quality_of(place.quality)
    task_ids, statement_ids = naming_owners(corpus, place)
    basemap = page_basemap()

    def build() -> render.MapParts:
        spec = render.local_spec(corpus, [place], basemap=basemap, focus=place)
        return render.map_parts(render.build_map(spec))

    parts = render.map_cache().get(("place", place.id, basemap.id), build) if place.geometry is not None else None
    statements = [(corpus.statements[s], corpus.documents[corpus.statements[s].doc_id],
                   text_segments(corpus, corpus.statements[s].span)) for s in statement_ids]
    return render_template(
        "place.html", title=page_title(place.name, "地点", site=site_name(home_name(state))), place=place,
        kind=render.kind_text(place.kind), quality=quality, quality_label=render.QUALITY_TEXT[quality],
        ladder=ladder(quality), ancestors=gazetteer.ancestors(place.id),
        parents=[gazetteer[p] for p in place.parents if p in gazetteer], children=gazetteer.children(place.id),
        tasks=[render.task_brief(corpus, corpus.tasks[t]) for t in task_ids], statements=statements,
        is_unit=place.kind in UNIT_KINDS, unit_tasks=len(corpus.township_tasks(place.id)),
        map=parts, basemap=basemap, basemaps=offered_basemaps(), kind_text=render.kind_text)


def init_app(app: Flask) -> None:
    render.init_cache(app)
    app.register_blueprint(bp)
