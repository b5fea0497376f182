"""``/indicators/``: every numeric indicator the texts state, as a table — its task or statement, the metric as
a reader says it (and as the reading records it), comparator, value and unit as written and normalised.
``?kind=`` keeps one kind (amount, count, share, growth), ``?keyword=`` those whose metric or phrase contains it."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template, request

from gazetteer.model import IndicatorKind
from layers.filters import Filters
from layers.tables import CODES
from webmap.pages.planner import home_name
from webmap.state import get_state
from webmap.templating import page_title, site_name

bp = Blueprint("indicators", __name__, url_prefix="/indicators")

KIND_TEXT: dict[str, str] = {str(kind): CODES["kind"].get(str(kind), str(kind)) for kind in IndicatorKind}


@bp.get("/")
def index() -> str:
    state = get_state()
    corpus = state.corpus
    kind = request.args.get("kind", "").strip()
    keyword = request.args.get("keyword", "").strip()[:200]
    frame = state.catalogue.frame("indicators", Filters(keyword=keyword or None))
    rows = frame.drop(columns=frame.geometry.name).to_dict("records")
    if kind in KIND_TEXT:
        rows = [row for row in rows if row["kind"] == kind]
    return render_template("indicators.html", title=page_title("指标", site=site_name(home_name(state))),
                           rows=rows, total=len(corpus.indicators), kinds=KIND_TEXT, kind=kind, keyword=keyword,
                           tasks=corpus.tasks, documents=corpus.documents)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
