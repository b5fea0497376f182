"""Decomposition documents: targets, tasks, responsibility triples, township scope, against the hand-made gold."""

from __future__ import annotations

import pytest

from gazetteer.evaluation.scoring import task_field_exact_match
from gazetteer.serialize import task_fields
from gazetteer.model import Document
from gazetteer.reading.tasks import headings, is_decomposition, parse_tasks, split_names
from tests.gazetteer.fixtures_text import DECOMPOSITION_ID, NARRATIVE_IDS, decomposition, sample, task_gold

__all__ = ["decomposition"]  # the fixture is used by name

#: Reached on the gold file (geodata/deployments/xianan/gold/tasks_004.json, 107 items × 5 fields); do not lower.
TASK_FIELD_EXACT_MATCH = 1.0


def test_all_targets_and_tasks_parse(decomposition: Document) -> None:
    tasks = parse_tasks(decomposition)
    targets = [task for task in tasks if task.kind == "target"]
    numbered = [task for task in tasks if task.kind == "task"]
    assert [task.number for task in targets] == list("一二三四五六七")
    assert [task.number for task in numbered] == [str(n) for n in range(1, 101)]
    assert [task.id for task in targets] == [f"{DECOMPOSITION_ID}.target{i}" for i in range(1, 8)]
    assert numbered[85].id == f"{DECOMPOSITION_ID}.t86"


def test_field_exact_match_against_gold(decomposition: Document) -> None:
    gold = task_gold()
    assert len(gold) == 107
    rate = task_field_exact_match(gold, [task_fields(task) for task in parse_tasks(decomposition)])
    print(f"task field exact match: {rate:.3f}")
    assert rate >= TASK_FIELD_EXACT_MATCH


def test_spans_point_at_the_item_and_its_bracket(decomposition: Document) -> None:
    for task in parse_tasks(decomposition):
        source = decomposition.text[task.span.start:task.span.end]
        bracket = decomposition.text[task.responsibility.span.start:task.responsibility.span.end]
        assert source.startswith(f"{task.number}." if task.kind == "task" else f"({task.number})")
        assert source.endswith(bracket)
        assert bracket[0] in "(（〔" and bracket[-1] in ")）〕" and "责任领导" in bracket
        assert task.text in source and "责任领导" not in task.text


def test_task_text_is_the_sentence_without_bracket(decomposition: Document) -> None:
    by_number = {task.number: task for task in parse_tasks(decomposition)}
    assert by_number["一"].text == "地区生产总值增长7%以上。"
    assert by_number["92"].text.endswith("新增耕地不低于4000亩。")


def test_full_action_heading_kept(decomposition: Document) -> None:
    actions = [heading for heading in headings(decomposition) if heading.level == 2]
    assert [heading.title for heading in actions][:2] == ["实施发展提速行动", "实施产业突破行动"]
    assert actions[0].full == "实施发展提速行动,推动经济持续向好"


def _doc(text: str) -> Document:
    return Document(id="d", title="", text=text, encoding="utf-8")


HEAD = "二、重点工作\n(一)实施发展提速行动,推动经济持续向好。\n扩大有效投资。\n"
VARIANTS = [
    pytest.param("1.甲。(责任领导:常务副区长;牵头单位:区发改局;责任单位:区直相关单位,各乡镇办场)",
                 ("常务副区长",), ("区发改局",), ("区直相关单位", "各乡镇办场"), id="half-width"),
    pytest.param("1.甲。（责任领导：陈浩；牵头单位：区商务局；责任单位：区政府办、向阳湖镇）",
                 ("陈浩",), ("区商务局",), ("区政府办", "向阳湖镇"), id="full-width"),
    pytest.param("1.甲。〔责任领导:陈浩;牵头单位:区供销社;责任单位:区财政局(国资局)、区商务局,各乡镇办场〕",
                 ("陈浩",), ("区供销社",), ("区财政局(国资局)", "区商务局", "各乡镇办场"), id="tortoise-brackets"),
    pytest.param("1.甲。〔责任领导:常务副区长;牵头单位:区财政局(区国资局);责任单位:区经发集团〕",
                 ("常务副区长",), ("区财政局(区国资局)",), ("区经发集团",), id="unit-with-bracket"),
    pytest.param("1.甲。(责任领导:刘伍寿、陈浩;牵头单位:市生态环境局咸安区分局:责任单位:区住建局,向阳湖镇)",
                 ("刘伍寿", "陈浩"), ("市生态环境局咸安区分局",), ("区住建局", "向阳湖镇"), id="colon-for-semicolon"),
    pytest.param("1.甲。(责任领导:程文敏;牵头单位:区教育局)", ("程文敏",), ("区教育局",), (), id="no-units"),
    pytest.param("1.甲,\n乙。(责任领导:丁玲;牵头单位:区林业局;责任单位:区自然资源和规划局)",
                 ("丁玲",), ("区林业局",), ("区自然资源和规划局",), id="wrapped-line"),
    pytest.param("1.甲。（责任领导：丁玲，洪声耀；牵头单位：区林业局，区科经局；责任单位：桂花镇）。",
                 ("丁玲", "洪声耀"), ("区林业局", "区科经局"), ("桂花镇",), id="full-comma-and-final-stop"),
]


@pytest.mark.parametrize(("line", "leaders", "lead_units", "units"), VARIANTS)
def test_bracket_variants(line: str, leaders: tuple, lead_units: tuple, units: tuple) -> None:
    [task] = parse_tasks(_doc(HEAD + line + "\n"))
    assert (task.responsibility.leaders, task.responsibility.lead_units, task.responsibility.units) == (
        leaders, lead_units, units)
    assert task.section == ("实施发展提速行动", "扩大有效投资")
    assert task.text.replace("\n", "").startswith("甲")


def test_wrapped_task_span_covers_both_lines() -> None:
    text = HEAD + "1.甲,\n乙。(责任领导:丁玲;牵头单位:区林业局)\n2.丙。(责任领导:丁玲;牵头单位:区林业局)\n"
    first, second = parse_tasks(_doc(text))
    assert text[first.span.start:first.span.end] == "1.甲,\n乙。(责任领导:丁玲;牵头单位:区林业局)"
    assert first.text == "甲,乙。" and second.number == "2"


@pytest.mark.parametrize("doc_id", NARRATIVE_IDS)
def test_narrative_documents_are_not_decompositions(doc_id: str) -> None:
    doc = sample(doc_id)
    assert not is_decomposition(doc.text)
    assert parse_tasks(doc) == []


def test_decomposition_detected(decomposition: Document) -> None:
    assert is_decomposition(decomposition.text)


@pytest.mark.parametrize(("field", "names"), [
    pytest.param("区政府办、区财政局(国资局)、区农业农村局", ("区政府办", "区财政局(国资局)", "区农业农村局"), id="bracket"),
    pytest.param("区委政法委、区委编办,区教育局", ("区委政法委", "区委编办", "区教育局"), id="groups"),
    pytest.param("区财政局（区国资局），各乡镇办", ("区财政局（区国资局）", "各乡镇办"), id="full-width"),
    pytest.param("", (), id="empty"),
])
def test_split_names(field: str, names: tuple) -> None:
    assert split_names(field) == names


