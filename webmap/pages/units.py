"""Unit pages: ``/units/`` lists every unit the plans name (departments, bureaus, companies, townships and the
collective phrases), ``/units/<name>`` one unit's tasks as 牵头单位 and as 责任单位. A unit answers to any written form
of its name (区水利和湖泊局 and 水利和湖泊局 are one page); the index is :attr:`gazetteer.corpus.Corpus.units`."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template
from werkzeug.wrappers import Response

from gazetteer.linking.units import UNIT_KIND_TEXT, UnitKind
from webmap.maps import features
from webmap.pages import canonical
from webmap.pages.planner import home_name
from webmap.pages.supervision import unit_supervision
from webmap.state import get_state
from webmap.templating import page_title, site_name

bp = Blueprint("units", __name__, url_prefix="/units")

#: The groups of the list, in this order.
GROUPS: tuple[UnitKind, ...] = (UnitKind.ORGAN, UnitKind.TOWNSHIP, UnitKind.COLLECTIVE)


@bp.get("/")
def index() -> str:
    state = get_state()
    units = list(state.corpus.units)
    groups = [(UNIT_KIND_TEXT[kind], sorted((u for u in units if u.kind == kind),
                                            key=lambda u: (-len(u.task_ids), u.key))) for kind in GROUPS]
    largest = max((len(u.task_ids) for u in units), default=0)
    return render_template("units.html", title=page_title("单位", site=site_name(home_name(state))),
                           groups=[(label, members) for label, members in groups if members], total=len(units),
                           largest=largest, tasks=len(state.corpus.tasks))


@bp.get("/<name>")
def show(name: str) -> str | Response:
    state = get_state()
    corpus = state.corpus
    unit = corpus.units.get(name)
    if (moved := canonical(unit, name, missing=f"文件中没有名为“{name}”的单位")) is not None:
        return moved
    town = corpus.gazetteer.get(unit.place_id) if unit.place_id else None
    roles = [("牵头", [corpus.tasks[t] for t in unit.lead]), ("责任单位", [corpus.tasks[t] for t in unit.responsible])]
    return render_template("unit.html", title=page_title(unit.name, "单位", site=site_name(home_name(state))),
                           unit=unit, kind=UNIT_KIND_TEXT[unit.kind], roles=roles, town=town,
                           short=features.short_text, indicators_for=corpus.indicators_for,
                           supervision=unit_supervision([unit.key]), task_of=corpus.tasks.get)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
