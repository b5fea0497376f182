"""Plans by year: a plan is (deployment, year), the year's 责任分解方案 documents.

``/plans/`` lists the plans with their counts and links (the map, the task table, the downloads and the OGC API
items of that year); ``/plans/<year>`` is one plan; ``/plans/<year>/compare/<other year>`` (and
``…/<township>``) sorts the tasks of two plans into new, carried over (matched by section, text and units, with the
score), changed in their responsibility, and dropped (:func:`layers.storage.plans.compare`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, abort, render_template

from gazetteer.corpus import DECOMPOSITION
from gazetteer.model import Document, Place, Task
from layers.storage.plans import MATCH_THRESHOLD, TaskRecord, compare
from webmap.maps import features
from webmap.pages.planner import DOWNLOAD_FORMATS, home_name
from webmap.state import State, get_state
from webmap.templating import page_title, site_name, unit_words

bp = Blueprint("plans", __name__, url_prefix="/plans")


@dataclass(frozen=True, slots=True)
class Plan:
    """One year's plan: its documents and tasks (targets and tasks, in document order)."""

    year: int
    documents: tuple[Document, ...]
    tasks: tuple[Task, ...]

    @property
    def task_count(self) -> int:
        return sum(t.kind == "task" for t in self.tasks)

    @property
    def target_count(self) -> int:
        return sum(t.kind == "target" for t in self.tasks)

    def actions(self) -> list[tuple[str, int]]:
        """Tasks per action (七大行动), in document order."""
        return list(Counter(t.section[0] for t in self.tasks if t.section and t.kind == "task").items())


def plans(state: State) -> dict[int, Plan]:
    """Every plan the state serves, by year, oldest first (documents without a year are no plan)."""
    by_year: dict[int, list[Any]] = {}
    for analysis in state.corpus.analyses:
        year = state.years.get(analysis.document.id)
        if analysis.kind == DECOMPOSITION and year:
            by_year.setdefault(year, []).append(analysis)
    return {year: Plan(year, tuple(a.document for a in found), tuple(t for a in found for t in a.tasks))
            for year, found in sorted(by_year.items())}


def record(state: State, task: Task) -> TaskRecord:
    """What comparing needs of a served task (its stable key from the database)."""
    r = task.responsibility
    return TaskRecord(state.catalogue.keys.get(task.id, task.id), task.id, task.number, tuple(task.section),
                      task.text, tuple(r.leaders), tuple(r.lead_units), tuple(r.units), str(task.kind))


def township_task_ids(state: State, unit: Place) -> set[str]:
    return {task.id for task, _ in state.corpus.township_tasks(unit.id)}


def year_links(year: int) -> dict[str, Any]:
    """Where a year's plan is shown: the map, the table, the downloads, the OGC API items."""
    query = urlencode({"year": year})
    return {"map": f"/?{query}", "tasks": f"/tasks/?{query}", "towns": f"/towns/?{query}",
            "ogcapi": f"/ogcapi/collections/tasks/items?{query}",
            "downloads": [{"label": label, "url": f"/download/tasks.{fmt}?{query}"} for fmt, label in DOWNLOAD_FORMATS]}


#: The groups of a comparison, in the order the page shows them.
GROUPS: tuple[str, ...] = ("new", "changed", "carried", "dropped")


def group_titles(year: int, other: int) -> dict[str, tuple[str, str]]:
    """Heading and explanation of each group, for ``year`` compared with ``other`` (earlier or later)."""
    later = year > other
    return {
        "new": ("新增任务" if later else f"{other}年不再列入的任务",
                f"{year}年有、{other}年没有相应任务。"),
        "changed": ("责任调整的任务", f"两年都有（按行动、任务内容和单位匹配），责任领导、牵头单位或责任单位有变化。"),
        "carried": ("延续的任务", "两年都有，责任不变；匹配度为任务内容、所属行动与单位的相似程度（0–1）。"),
        "dropped": (f"{year}年不再列入的任务" if later else f"{other}年新增的任务",
                    f"{other}年有、{year}年没有相应任务。"),
    }


def _changes(entry: dict[str, Any]) -> list[tuple[str, list[str], list[str]]]:
    """(field label, before, after) of each responsibility field that changed."""
    before, after = entry["previous"], entry["task"]
    return [(label, before[name], after[name]) for name, label in
            (("leaders", "责任领导"), ("lead_units", "牵头单位"), ("units", "责任单位")) if before[name] != after[name]]


def _plan_or_404(state: State, year: int) -> Plan:
    found = plans(state).get(year)
    if found is None:
        abort(404, description=f"没有{year}年的计划（已有：{'、'.join(f'{y}年' for y in plans(state)) or '无'}）")
    return found


@bp.get("/")
def index() -> str:
    state = get_state()
    found = plans(state)
    years = list(found)
    return render_template("plans.html", title=page_title("年度计划", site=site_name(home_name(state))),
                           plans=list(reversed(found.values())), years=years, links=year_links,
                           previous={y: years[i - 1] for i, y in enumerate(years) if i})


@bp.get("/<int:year>")
def show(year: int) -> str:
    state = get_state()
    plan = _plan_or_404(state, year)
    others = [y for y in plans(state) if y != year]
    return render_template("plan.html", title=page_title(f"{year}年计划", site=site_name(home_name(state))),
                           plan=plan, others=others, links=year_links(year), short=features.short_text)


@bp.get("/<int:year>/compare/<int:other>", defaults={"township": None}, endpoint="compare")
@bp.get("/<int:year>/compare/<int:other>/<township>", endpoint="compare")
def compare_page(year: int, other: int, township: str | None) -> str:
    state = get_state()
    current, before = _plan_or_404(state, year), _plan_or_404(state, other)
    unit = None
    if township is not None:
        unit = state.gazetteer.unit(township)
        if unit is None:
            abort(404, description=f"没有名为“{township}”的{unit_words(state.gazetteer.deployment)['units']}")
    keep = township_task_ids(state, unit) if unit is not None else None
    result = compare(_records(state, current.tasks, keep), _records(state, before.tasks, keep))
    counts = {name: len(result[name]) for name in GROUPS}
    scope = unit.name if unit is not None else ""
    title = page_title(f"{year}年与{other}年对比", scope, site=site_name(home_name(state)))
    return render_template("plan_compare.html", title=title, year=year, other=other, unit=unit, result=result,
                           groups=GROUPS, counts=counts, titles=group_titles(year, other), changes=_changes,
                           threshold=MATCH_THRESHOLD, townships=state.gazetteer.units(),
                           years=list(plans(state)), short=features.short_text)


def _records(state: State, tasks: Iterable[Task], keep: set[str] | None) -> list[TaskRecord]:
    return [record(state, t) for t in tasks if keep is None or t.id in keep]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
