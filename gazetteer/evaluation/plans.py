"""Scoring the reading of real plans of other counties and cities (``govmap evaluate --plans DIR``).

A folder of plans holds the texts and ``gold.jsonl``, one line per document::

    {"doc": "jiayu-2021", "file": "jiayu-2021.txt", "kind": "plan", "split": "dev", "deployment": "嘉鱼县",
     "tasks": [{"number": "一", "leaders": [], "lead_units": ["县发改局(粮食局)"],
                "units": ["各镇人民政府", "嘉鱼经济开发区"], "townships": ["官桥镇", …]}]}

``file`` is beside ``gold.jsonl``; a document kept outside the repository (news, 解读 from the media) has
``"external": NAME`` instead, read from the folder given as ``external`` (skipped, and listed, when absent).
``deployment`` names a folder under ``deployments`` (made by ``govmap init``); ``null`` is the bundled one.

Per document and overall: the kind is right (``plan`` when govmap reads it as a decomposition, else
``narrative``); tasks are matched by number in order (the n-th ``一`` of the gold with the n-th ``一`` read), giving
recall and precision; each field of a matched task — leaders, lead_units, units (lists as written, full-width and
half-width punctuation alike) and townships (the set of names linked) — is right or wrong, and its rate is counted
over the gold's tasks, so a task not found is wrong on every field.

>>> gold = [{"doc": "d", "kind": "plan", "tasks": [
...     {"number": "1", "leaders": [], "lead_units": ["县发改局"], "units": ["各镇"], "townships": ["甲镇"]}]}]
>>> read = {"d": {"kind": "plan", "tasks": [
...     {"number": "1", "leaders": [], "lead_units": ["县发改局"], "units": ["各镇"], "townships": ["甲镇"]},
...     {"number": "2", "leaders": [], "lead_units": [], "units": [], "townships": []}]}}
>>> report = score_plans(gold, read)
>>> report["overall"]["kind_right"], report["overall"]["tasks"]["recall"], report["overall"]["tasks"]["precision"]
(1.0, 1.0, 0.5)
>>> report["overall"]["fields"]["lead_units"]
1.0
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["PLAN_FIELDS", "evaluate_plans", "read_plan_gold", "score_plans"]

PLAN_FIELDS: tuple[str, ...] = ("leaders", "lead_units", "units", "townships")

Record = Mapping[str, Any]


def read_plan_gold(folder: Path) -> list[dict[str, Any]]:
    """The documents of ``folder/gold.jsonl``, in order."""
    with open(folder / "gold.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _norm(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip()


def _value(task: Record, field: str) -> Any:
    names = [_norm(name) for name in task.get(field, ())]
    return sorted(set(names)) if field == "townships" else names


def _keyed(tasks: Iterable[Record]) -> dict[tuple[str, int], Record]:
    """Tasks by (number, occurrence): numbering restarts, so the second ``一`` is ``("一", 2)``."""
    seen: Counter[str] = Counter()
    keyed: dict[tuple[str, int], Record] = {}
    for task in tasks:
        number = _norm(str(task.get("number", "")))
        seen[number] += 1
        keyed[(number, seen[number])] = task
    return keyed


def _score_document(gold: Record, read: Record | None) -> dict[str, Any]:
    read = read or {"kind": "narrative", "tasks": []}
    expected, found = _keyed(gold.get("tasks", ())), _keyed(read.get("tasks", ()))
    matched = expected.keys() & found.keys()
    right = dict.fromkeys(PLAN_FIELDS, 0)
    errors: list[dict[str, Any]] = []
    for key in expected:
        if key not in matched:
            errors.append({"number": key[0], "error": "not found"})
            continue
        for field in PLAN_FIELDS:
            want, got = _value(expected[key], field), _value(found[key], field)
            if want == got:
                right[field] += 1
            else:
                errors.append({"number": key[0], "field": field, "gold": want, "read": got})
    spurious = [key[0] for key in found if key not in matched]
    return {"kind": {"gold": gold["kind"], "read": read["kind"], "right": gold["kind"] == read["kind"]},
            "gold_tasks": len(expected), "read_tasks": len(found), "matched": len(matched),
            "right": right, "errors": errors, "spurious": spurious}


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 1.0


def _summary(scores: Sequence[dict[str, Any]]) -> dict[str, Any]:
    gold = sum(s["gold_tasks"] for s in scores)
    read = sum(s["read_tasks"] for s in scores)
    matched = sum(s["matched"] for s in scores)
    return {"documents": len(scores), "kind_right": _rate(sum(s["kind"]["right"] for s in scores), len(scores)),
            "tasks": {"gold": gold, "read": read, "matched": matched, "recall": _rate(matched, gold),
                      "precision": _rate(matched, read)},
            "fields": {field: _rate(sum(s["right"][field] for s in scores), gold) for field in PLAN_FIELDS}}


def score_plans(gold: Sequence[Record], read: Mapping[str, Record]) -> dict[str, Any]:
    """Scores per document, per split (``dev``/``test`` when the gold names them) and overall; ``read`` maps a
    document id to ``{"kind", "tasks": [{number, leaders, lead_units, units, townships}]}`` (absent: not read)."""
    documents = {g["doc"]: _score_document(g, read.get(g["doc"])) for g in gold}
    report: dict[str, Any] = {"overall": _summary(list(documents.values()))}
    for split in sorted({g["split"] for g in gold if g.get("split")}):
        report[split] = _summary([documents[g["doc"]] for g in gold if g.get("split") == split])
    report["documents"] = documents
    return report


def _reading(path: Path, deployment: Any) -> dict[str, Any]:
    """What govmap reads in one document: its kind and, per task, the fields the gold scores."""
    from gazetteer import serialize
    from gazetteer.corpus import analyse
    from gazetteer.places.load import load_gazetteer
    from gazetteer.reading.documents import read_document

    gazetteer = load_gazetteer(deployment)
    record = serialize.tasks_record(analyse(read_document(path), gazetteer), gazetteer)
    return {"kind": "plan" if record["kind"] == "decomposition" else "narrative",
            "tasks": [{"number": t["number"], "leaders": t["leaders"], "lead_units": t["lead_units"],
                       "units": t["units"], "townships": [link["name"] for link in t["townships"]]}
                      for t in record["tasks"]]}


def evaluate_plans(folder: Path, *, deployments: Path | None = None, external: Path | None = None,
                   split: str | None = None) -> dict[str, Any]:
    """Read every document of ``folder``'s gold with its deployment (``deployments/<name>``) and score it;
    ``split`` keeps the documents of one split only. Documents whose text is missing are listed, not scored."""
    from geodata import deployment as deployment_module

    gold = [g for g in read_plan_gold(folder) if split is None or g.get("split") == split]
    read: dict[str, dict[str, Any]] = {}
    scored: list[dict[str, Any]] = []
    missing: list[str] = []
    for entry in gold:
        path = folder / entry["file"] if entry.get("file") else (external / entry["external"] if external else None)
        if path is None or not path.is_file():
            missing.append(entry["doc"])
            continue
        name = entry.get("deployment")
        if name and deployments is None:
            missing.append(entry["doc"])
            continue
        deployment = deployment_module.load(deployments / name if name and deployments else None)
        read[entry["doc"]] = _reading(path, deployment)
        scored.append(entry)
    report = {"folder": str(folder), **score_plans(scored, read)}
    report["not_scored"] = missing
    return report
