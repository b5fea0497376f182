"""The table of tasks: one row per task under the map's filters, sorting, counts; unit filters and keys."""

from __future__ import annotations

import pytest

from layers.catalogue import Catalogue
from layers.errors import InvalidParameter
from layers.filters import Filters
from layers.tasklist import SORTS, parse_sort, task_table


@pytest.fixture(scope="module")
def real(corpus) -> Catalogue:
    return Catalogue(corpus)


def test_one_row_per_task_with_the_township_counts(real, corpus):
    frame = real.frame("tasks")
    assert list(frame["id"]) == list(corpus.tasks) and frame["id"].is_unique
    xiangyang = real.frame("tasks", Filters(township="向阳湖镇"))
    assert len(xiangyang) == len(corpus.township_tasks(corpus.gazetteer.unit("向阳湖镇").id))  # 62 tasks, 62 rows
    assert (frame["township_count"] == frame["township_ids"].map(lambda c: len([x for x in c.split("、") if x]))).all()


@pytest.mark.parametrize(("filters", "count"), [
    ({"unit": "区水利和湖泊局"}, 11), ({"unit": "水利和湖泊局"}, 11), ({"keyword": "区水利和湖泊局"}, 11),
    ({"keyword": "水利和湖泊局"}, 11), ({"lead_unit": "区水利和湖泊局"}, 4), ({"lead_unit": "水利和湖泊局"}, 4),
    ({"unit": "区财政局"}, 17), ({"unit": "区财政局(国资局)"}, 17), ({"unit": "火星局"}, 0),
], ids=lambda v: str(v) if isinstance(v, dict) else "")
def test_tasks_are_found_by_unit(real, filters, count):
    assert len(real.frame("tasks", Filters.from_args(filters))) == count
    assert real.frame("task_places", Filters.from_args(filters))["task_id"].nunique() == count


@pytest.mark.parametrize("sort", [*SORTS, *(f"-{name}" for name in SORTS)])
def test_every_sort_keeps_every_row(real, corpus, sort):
    table = task_table(real, Filters(), sort=sort)
    assert sorted(row["id"] for row in table.rows) == sorted(corpus.tasks)
    assert list(table.frame["id"]) == [row["id"] for row in table.rows]


def test_sorting_and_counts(real, corpus):
    by_places = task_table(real, Filters(), sort="-places")
    counts = [row["place_count"] for row in by_places.rows]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0
    plain = task_table(real, Filters())
    assert [row["id"] for row in plain.rows] == list(corpus.tasks)
    assert sum(n for _, n in plain.by_action) == len(corpus.tasks)
    assert dict(plain.by_lead_unit)["区科经局"] == 20
    towns = {name: (everyone, named) for name, everyone, named in plain.by_township}
    assert towns["向阳湖镇"][0] == 62 and 0 < towns["向阳湖镇"][1] < 62
    with pytest.raises(InvalidParameter):
        parse_sort("colour")
