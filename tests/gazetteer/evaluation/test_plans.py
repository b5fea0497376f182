"""Scoring the reading of real plans: kind, tasks matched by number, fields exact, on a tiny made-up gold."""

from __future__ import annotations

import json

from gazetteer.evaluation.plans import evaluate_plans, score_plans


def _task(number, *, leaders=(), lead=(), units=(), townships=()):
    return {"number": number, "leaders": list(leaders), "lead_units": list(lead), "units": list(units),
            "townships": list(townships)}


def test_restarted_numbers_are_matched_in_order_and_a_missed_task_is_wrong_on_every_field():
    gold = [{"doc": "a", "kind": "plan", "split": "dev",
             "tasks": [_task("一", lead=["县发改局"]), _task("1", units=["各镇"]), _task("1", units=["县财政局"])]}]
    read = {"a": {"kind": "plan", "tasks": [_task("一", lead=["县发改局"]), _task("1", units=["各镇"])]}}
    report = score_plans(gold, read)
    assert report["dev"]["tasks"] == {"gold": 3, "read": 2, "matched": 2, "recall": 0.6667, "precision": 1.0}
    assert report["overall"]["fields"]["units"] == 0.6667
    assert report["documents"]["a"]["errors"] == [{"number": "1", "error": "not found"}]


def test_full_and_half_width_names_are_the_same_and_townships_are_a_set():
    gold = [{"doc": "a", "kind": "plan", "tasks": [_task("1", lead=["县发改局（粮食局）"], townships=["乙镇", "甲镇"])]}]
    read = {"a": {"kind": "plan", "tasks": [_task("1", lead=["县发改局(粮食局)"], townships=["甲镇", "乙镇", "甲镇"])]}}
    assert score_plans(gold, read)["overall"]["fields"] == {"leaders": 1.0, "lead_units": 1.0, "units": 1.0,
                                                            "townships": 1.0}


def test_a_text_about_a_plan_read_as_one_is_a_wrong_kind_with_spurious_tasks():
    gold = [{"doc": "n", "kind": "narrative", "tasks": []}]
    report = score_plans(gold, {"n": {"kind": "plan", "tasks": [_task("1")]}})
    assert report["overall"]["kind_right"] == 0.0 and report["documents"]["n"]["spurious"] == ["1"]


def test_a_folder_is_read_with_its_deployment_and_external_texts_are_listed_when_absent(tmp_path):
    text = ("2025年重点工作责任分解方案\n一、重点工作\n"
            "1.新建道路10公里。(牵头单位:区交通局;责任单位:各乡镇办场)\n"
            "2.完成造林1万亩。(牵头单位:区林业局;责任单位:区自然资源局)\n"
            "3.新增耕地4000亩。(牵头单位:区自然资源局;责任单位:向阳湖镇)\n")
    (tmp_path / "p.txt").write_text(text, encoding="utf-8")
    gold = [{"doc": "p", "file": "p.txt", "kind": "plan", "split": "dev", "deployment": None,
             "tasks": [_task("1", lead=["区交通局"], units=["各乡镇办场"]),
                       _task("2", lead=["区林业局"], units=["区自然资源局"]),
                       _task("3", lead=["区自然资源局"], units=["向阳湖镇"], townships=["向阳湖镇"])]},
            {"doc": "news", "file": None, "external": "news.txt", "kind": "narrative", "split": "test", "tasks": []}]
    (tmp_path / "gold.jsonl").write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold),
                                         encoding="utf-8")
    report = evaluate_plans(tmp_path)
    assert report["not_scored"] == ["news"]
    assert report["overall"]["kind_right"] == 1.0 and report["overall"]["tasks"]["recall"] == 1.0
    fields = report["overall"]["fields"]
    # 各乡镇办场 links every township of 咸安, which this gold does not list: one task's townships are wrong
    assert (fields["leaders"], fields["lead_units"], fields["units"], fields["townships"]) == (1.0, 1.0, 1.0, 0.6667)
