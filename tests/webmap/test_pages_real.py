"""The pages on the bundled 咸安 texts and gazetteer (the ``app``/``client`` fixtures of tests/conftest.py)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest


@pytest.fixture(scope="module")
def state(app):
    return app.extensions["govmap"].get()


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_planner_map_of_the_district(client, state):
    html = html_of(client, "/?basemap=none")
    assert "<title>规划地图 · govmap 咸安</title>" in html
    assert f"任务 <strong>{len(state.corpus.tasks)}</strong> 项" in html
    assert all(s.startswith("/static/") for s in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html))


def test_every_township_page(client, state):
    from webmap.pages.towns import units

    listing = html_of(client, "/towns/")
    for unit in units(state.gazetteer):
        assert f">{unit.name}</a>" in listing
        html = html_of(client, f"/towns/{quote(unit.name)}?basemap=none")
        assert html.count('<li class="task"') == len(state.corpus.township_tasks(unit.id)), unit.name


def test_xiangyanghu_has_its_tasks_and_downloads(client, state):
    html = html_of(client, f"/towns/{quote('向阳湖镇')}?basemap=none")
    assert "<title>向阳湖镇 · 任务 · govmap 咸安</title>" in html
    assert html.count('<li class="task"') >= 20  # 各乡镇办场 alone gives many
    assert f"/download/tasks.csv?township={quote('向阳湖镇')}" in html


def test_every_task_page(client, state):
    for task_id in state.corpus.tasks:
        html = html_of(client, f"/tasks/{quote(task_id, safe='')}?basemap=none")
        assert "<dt>牵头单位</dt>" in html


def test_every_mentioned_place_page(client, state):
    for place_id in state.corpus.mentioned_place_ids():
        html_of(client, f"/places/{quote(place_id, safe='')}?basemap=none")
