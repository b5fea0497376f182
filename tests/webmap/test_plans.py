"""Plans by year: two years of a small made-up plan ingested with ``govmap ingest --year`` into an SQLite file, then
``/plans/``, the comparison (whole deployment and per township), and ``?year=`` on the map, the task table, the
township pages, the downloads and the OGC API; everything a document says comes out escaped; and the comparison
page in headless Chromium."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from tests.webmap.browser import SCRIPT
from tests.webmap.plans import plans_app

__all__ = ["plans_app"]

@pytest.fixture()
def client(plans_app):
    return plans_app.test_client()


def _text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def test_plans_lists_each_year_with_its_links(client):
    page = _text(client, "/plans/")
    assert page.index("2026年") < page.index("2025年")  # newest first
    for link in ("/?year=2026", "/tasks/?year=2025", "/download/tasks.xlsx?year=2026",
                 "/ogcapi/collections/tasks/items?year=2025", "/plans/2026/compare/2025"):
        assert link in page
    assert "乡镇办场" in page  # the deployment's own words
    assert "年度计划" in _text(client, "/")  # in the navigation


def _groups(page: str) -> dict[str, list[str]]:
    """Task keys shown in each group of a comparison page."""
    found = {}
    for group, body in re.findall(r'data-group="(\w+)">(.*?)</section>', page, flags=re.S):
        found[group] = re.findall(r'data-key="([^"]+)"', body)
    return found


def test_compare_sorts_the_tasks_into_new_carried_changed_and_dropped(client, plans_app):
    page = _text(client, "/plans/2026/compare/2025")
    groups = _groups(page)
    assert {g: len(keys) for g, keys in groups.items()} == {"new": 1, "changed": 1, "carried": 1, "dropped": 1}
    state = plans_app.extensions["govmap"].get()
    keys = state.catalogue.keys
    # a task that carries over keeps its key from one year to the next
    assert groups["carried"] == [keys["方案乙.t1"]] == [keys["方案甲.t1"]]
    assert groups["changed"] == [keys["方案乙.t2"]] == [keys["方案甲.t2"]]
    assert groups["dropped"] == [keys["方案甲.t3"]] and groups["new"] == [keys["方案乙.t3"]]
    changed = page.split('data-group="changed"')[1].split("</section>")[0]
    assert "<del>区水利湖泊局</del> → <ins>区住建局</ins>" in changed
    assert "<del>向阳湖镇、汀泗桥镇</del> → <ins>向阳湖镇</ins>" in changed
    assert re.search(r'class="num score">0\.\d\d<', changed)
    carried = page.split('data-group="carried"')[1].split("</section>")[0]
    assert "180亿元" in carried and "200亿元" in carried  # last year's wording beside this year's
    assert "新增任务" in page and "2026年不再列入的任务" in page
    # the other way round: the same pairs, new and dropped swapped
    back = _groups(_text(client, "/plans/2025/compare/2026"))
    assert back["new"] == groups["dropped"] and back["dropped"] == groups["new"]


def test_compare_per_township_keeps_the_townships_tasks(client):
    page = _text(client, "/plans/2026/compare/2025/汀泗桥镇")
    groups = _groups(page)
    # 汀泗桥镇: task 1 (各乡镇办场) both years; task 2 names it in 2025 only, so it drops out of its plan
    assert {g: len(k) for g, k in groups.items()} == {"new": 0, "changed": 0, "carried": 1, "dropped": 1}
    assert "汀泗桥镇" in page.split("<h1>")[1].split("</h1>")[0]
    assert client.get("/plans/2026/compare/2025/没有这个镇").status_code == 404
    assert client.get("/plans/2026/compare/2024").status_code == 404
    assert client.get("/plans/2030").status_code == 404


def test_every_page_escapes_what_the_document_says(client):
    for url in ("/plans/2026/compare/2025", "/plans/2025/compare/2026", "/plans/2026/compare/2025/贺胜桥镇",
                "/tasks/?year=2026", "/towns/贺胜桥镇?year=2026", "/plans/", "/plans/2026"):
        page = _text(client, url)
        assert SCRIPT not in page, url
    assert "&lt;script&gt;" in _text(client, "/plans/2026/compare/2025")


def test_year_filters_the_map_table_township_pages_downloads_and_ogcapi(client):
    table = _text(client, "/tasks/?year=2025")
    assert "马拉松" in table and "供水管网" not in table
    assert '<option value="2025" selected>' in _text(client, "/?year=2025&basemap=none")
    planner = _text(client, "/?year=2026&basemap=none")
    assert "2026年咸安区目标任务责任分解方案" in planner and "《咸安区目标任务责任分解方案》" not in planner
    town = _text(client, "/towns/汀泗桥镇?year=2026")
    assert "河道治理" not in town and "固定资产投资200亿元" in town and "/download/tasks.xlsx?township=" in town
    assert "河道治理10公里" in _text(client, "/towns/汀泗桥镇?year=2025")
    assert client.get("/towns/汀泗桥镇?year=2030").status_code == 404
    rows = list(csv.DictReader(io.StringIO(_text(client, "/download/tasks.csv?year=2026").lstrip("\ufeff"))))
    assert sorted(r["序号"] for r in rows) == ["1", "2", "3"] and {r["年度"] for r in rows} == {"2026"}
    items = json.loads(_text(client, "/ogcapi/collections/tasks/items?year=2025&f=json"))
    assert items["numberMatched"] == 3 and {f["properties"]["year"] for f in items["features"]} == {2025}
    # a place layer follows its tasks: 温泉街道 is named only by 2025's task 3
    townships = json.loads(_text(client, "/ogcapi/collections/townships/items?year=2026&f=json&limit=100"))
    names = {f["properties"]["name"] for f in townships["features"]}
    assert "贺胜桥镇" in names
    links = json.loads(_text(client, "/ogcapi/collections/task_places/items?year=2026&f=json&limit=1000"))
    assert {f["properties"]["year"] for f in links["features"]} == {2026}
    assert client.get("/ogcapi/collections/tasks/items?year=明年&f=json").status_code == 400
