"""The unit index: written names as a reader groups them, tasks by role, on the bundled plan and a small one."""

from __future__ import annotations

import pytest

from gazetteer.linking.units import UnitIndex, UnitKind, unit_key_function
from gazetteer.model import Responsibility, Span, Task, TaskKind
from gazetteer.places.registry import Gazetteer
from geodata import deployment


@pytest.mark.parametrize(("written", "key"), [
    ("区水利和湖泊局", "水利和湖泊局"),
    ("水利和湖泊局", "水利和湖泊局"),
    ("区财政局(国资局)", "财政局"),
    ("区财政局（区国资局）", "财政局"),
    ("区委组织部", "区委组织部"),  # the deployment's own organs keep the prefix
    ("区政府办", "区政府办"),
    ("区直相关单位", "区直相关单位"),
    ("团区委", "团区委"),
    ("区", "区"),
], ids=lambda v: v)
def test_keys(written, key):
    assert unit_key_function(deployment.load())(written) == key


def _task(number: str, lead: tuple[str, ...], units: tuple[str, ...]) -> Task:
    return Task(f"d.t{number}", "d", TaskKind.TASK, number, ("行动",), "任务", Responsibility((), lead, units),
                Span("d", 0, 1))


def test_office_merges_only_when_both_forms_are_written():
    tasks = [_task("1", ("区政府办公室",), ("区委党建领导小组办公室",)), _task("2", ("区政府办",), ())]
    index = UnitIndex.build(tasks, Gazetteer([], deployment=deployment.load()))
    assert index.get("区政府办公室") is index.get("区政府办") and index.get("区政府办").lead == ("d.t1", "d.t2")
    assert index.get("区委党建领导小组办公室").key == "区委党建领导小组办公室"  # no 小组办 written: kept apart
    assert set(index.get("区政府办").aliases) == {"区政府办公室", "区政府办"}


def test_the_bundled_plan(corpus):
    units = corpus.units
    water = units.get("区水利和湖泊局")
    assert water is units.get("水利和湖泊局") and water.kind == UnitKind.ORGAN
    assert len(water.task_ids) == 11 and len(water.lead) == 4  # the issue: 11 tasks name it, 4 as lead
    assert units.get("区财政局").aliases[0] == "区财政局" and "区财政局(国资局)" in units.get("区财政局").aliases
    assert units.get("各乡镇办场").kind == UnitKind.COLLECTIVE
    town = units.get("向阳湖镇")
    assert town.kind == UnitKind.TOWNSHIP and town.place_id == corpus.gazetteer.unit("向阳湖镇").id
    assert units.get("火星局") is None
    assert corpus.units is corpus.units  # built once per corpus


def test_the_corpus_names_its_plan_and_year(corpus):
    [(document, year)] = corpus.plans()
    assert year == "2025" and "责任分解方案" in document.title
