"""A document's kind without reading its tasks: ``is_decomposition`` counts items with a clause only until there
are enough, and must say what ``is_plan`` says of the full ``read_tasks`` on every text."""

from __future__ import annotations

from pathlib import Path

import pytest

from gazetteer.model import Document
from gazetteer.reading import tasks as task_reader
from gazetteer.reading.documents import read_document
from gazetteer.reading.tasks import MIN_TASKS, is_decomposition, is_plan, read_tasks
from tests.gazetteer.fixtures_text import DECOMPOSITION_ID, NARRATIVE_IDS, ROOT, sample, sample_path

PLANS = ROOT / "docs" / "evaluation" / "plans"
CLAUSE = "（责任领导：常务副区长；牵头单位：区发改局；责任单位：各乡镇办场）"


def _full(doc: Document) -> bool:
    """The kind as the whole pipeline decides it: every task read, then counted."""
    return is_plan(doc, read_tasks(doc))


def _doc(text: str, title: str = "") -> Document:
    return Document(id="k", title=title, text=text, encoding="utf-8")


def _plan_files() -> list[Path]:
    return sorted(p for p in PLANS.iterdir() if p.suffix in (".txt", ".xlsx", ".docx", ".html", ".pdf"))


def test_there_are_held_out_plans_to_check() -> None:
    assert len(_plan_files()) >= 10


@pytest.mark.parametrize("path", [sample_path(i) for i in (*NARRATIVE_IDS, DECOMPOSITION_ID)]
                         + _plan_files(), ids=lambda p: p.name)
def test_same_kind_as_reading_every_task(path: Path) -> None:
    doc = read_document(path)
    assert is_decomposition(doc) == _full(doc)
    text_only = _doc(doc.text)  # what govmap geocode asks: the text alone, no title, no tables of the file
    assert is_decomposition(doc.text) == _full(text_only)


def test_the_samples_keep_their_kinds() -> None:
    assert is_decomposition(sample(DECOMPOSITION_ID).text)
    assert not any(is_decomposition(sample(i).text) for i in NARRATIVE_IDS)


def test_every_cut_of_the_plan_has_the_kind_of_its_tasks() -> None:
    """The plan cut after each of its first lines: 0, 1, 2, 3 … tasks, the count crossing MIN_TASKS."""
    lines = sample(DECOMPOSITION_ID).text.split("\n")
    kinds = []
    for cut in range(1, 60):
        doc = _doc("\n".join(lines[:cut]))
        assert is_decomposition(doc.text) == _full(doc), cut
        kinds.append(is_decomposition(doc.text))
    assert False in kinds and True in kinds  # the cuts do cross the threshold


@pytest.mark.parametrize(("text", "title", "plan"), [
    pytest.param(f"1.新建道路10公里。{CLAUSE}\n2.改造小区8个。{CLAUSE}\n", "", False, id="two-tasks"),
    pytest.param("".join(f"{n}.新建道路{n}公里。{CLAUSE}\n" for n in range(1, MIN_TASKS + 1)), "", True,
                 id="enough-tasks"),
    pytest.param(f"1.新建道路10公里。{CLAUSE}\n", "乙县2025年重点工作责任分解", True, id="one-task-under-a-plan-title"),
    pytest.param("".join(f"{n}.新建道路{n}公里。{CLAUSE}\n" for n in range(1, 6)), "乙县重点工作任务分解政策解读", False,
                 id="about-a-plan"),
    pytest.param("序号\t重点任务\t牵头单位\t完成时限\n1\t新建道路10公里\t县交通局\t6月底前\n2\t改造小区8个\t县住建局\t年底前\n"
                 "3\t建设公园2个\t县林业局\t年底前\n", "", True, id="tab-table"),
    pytest.param("序号\n重点任务\n牵头单位\n完成时限\n1\n新建道路10公里\n县交通局\n6月底前\n2\n改造小区8个\n县住建局\n年底前\n"
                 f"3.建设公园2个。{CLAUSE}\n", "", True, id="line-table-and-a-numbered-task"),
    pytest.param("序号\t重点任务\t牵头单位\n"
                 + "".join(f"{n}.新建道路{n}公里。{CLAUSE}\t县交通局\n" for n in range(1, 3)), "", False,
                 id="numbered-lines-inside-a-table-count-once"),
    pytest.param("一、主要目标\n二、重点工作\n（一）扩大有效投资。\n1.全年完成投资。\n", "", False, id="headings-only"),
])
def test_made_up_layouts(text: str, title: str, plan: bool) -> None:
    doc = _doc(text, title)
    assert _full(doc) is plan
    assert is_decomposition(doc) is plan


def test_kind_stops_reading_once_enough_tasks_are_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan followed by a long tail: no heading is read and no line after the third task is looked at."""
    plan = "".join(f"{n}.新建道路{n}公里。{CLAUSE}\n" for n in range(1, MIN_TASKS + 1))
    text = plan + "（一）咸安区新增耕地4000亩。\n" * 5000

    def no_heading(*_args: object) -> None:
        raise AssertionError("the kind needs no headings")

    seen: list[int] = []
    numbered = task_reader.numbered

    def counted(line: str, start: int):  # noqa: ANN202
        seen.append(start)
        return numbered(line, start)

    monkeypatch.setattr(task_reader, "heading_of", no_heading)
    monkeypatch.setattr(task_reader, "numbered", counted)
    assert is_decomposition(text)
    assert max(seen) < len(plan)
