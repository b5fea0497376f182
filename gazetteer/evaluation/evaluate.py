"""Scoring govmap's reading against gold annotations (``govmap evaluate``).

Recognition: a resolved mention is right when its span equals a gold span (precision, recall, F1); the same
counted with the unresolved candidates as well is reported beside it. Resolution: among mentions found at a gold
span, the share resolved to the gold place (the gold name is the place's name or one of its aliases, and the kind
is the same).
Tasks and indicators are scored by :mod:`gazetteer.evaluation.scoring`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gazetteer import serialize
from gazetteer.corpus import Corpus, read_corpus
from gazetteer.evaluation import scoring
from gazetteer.model import Kind, Place, Status
from gazetteer.places.registry import Gazetteer
from gazetteer.places.load import load_gazetteer
from geodata import deployment as deployments
from geodata.deployment import Deployment


@dataclass(frozen=True, slots=True)
class GoldMention:
    doc: str
    start: int
    end: int
    text: str
    name: str
    kind: str


def default_gold_dir(deployment: Deployment | None = None) -> Path:
    """The deployment's gold folder (default deployment: the bundled 咸安 one)."""
    return (deployment or deployments.load()).path("gold")


def read_gold_mentions(path: Path) -> list[GoldMention]:
    with open(path, encoding="utf-8") as handle:
        return [GoldMention(**{k: row[k] for k in GoldMention.__slots__})
                for row in map(json.loads, filter(str.strip, handle))]


def _task_gold(files: list[Path], corpus: Corpus) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Gold task items of ``tasks_<prefix>.json`` files and the records of the corpus's tasks of the documents
    whose id starts with each prefix (``tasks_004.json`` → ``004_62ed…``)."""
    gold: list[dict[str, Any]] = []
    predicted: list[dict[str, Any]] = []
    for path in files:
        prefix = path.stem.removeprefix("tasks_")
        gold += json.loads(path.read_text(encoding="utf-8"))
        predicted += [serialize.task_fields(t) for t in corpus.tasks.values() if t.span.doc_id.startswith(prefix)]
    return gold, predicted


def score_mentions(corpus: Corpus, gold: Iterable[GoldMention]) -> dict[str, Any]:
    """Recognition P/R/F1 on exact spans and resolution accuracy on the spans found, over the gold's documents."""
    gold = list(gold)
    docs = {g.doc for g in gold}
    predicted = {(r.mention.span.doc_id, r.mention.span.start, r.mention.span.end): r
                 for r in corpus.resolutions if r.status == Status.RESOLVED and r.mention.span.doc_id in docs}
    expected = {(g.doc, g.start, g.end): g for g in gold}
    hits = predicted.keys() & expected.keys()
    precision = len(hits) / len(predicted) if predicted else 0.0
    recall = len(hits) / len(expected) if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    right = 0
    wrong = []
    for key in sorted(hits):
        place = corpus.gazetteer[predicted[key].place_id]
        if expected[key].name in place.names and str(place.kind) == expected[key].kind:
            right += 1
        else:
            wrong.append({"doc": key[0], "start": key[1], "text": expected[key].text,
                          "gold": f"{expected[key].name} ({expected[key].kind})",
                          "got": f"{place.name} ({place.kind})"})
    missed = [{"doc": k[0], "start": k[1], "text": expected[k].text} for k in sorted(expected.keys() - hits)]
    spurious = [{"doc": k[0], "start": k[1], "text": predicted[k].mention.text}
                for k in sorted(predicted.keys() - hits)]
    shaped = {(r.mention.span.doc_id, r.mention.span.start, r.mention.span.end)
              for r in corpus.resolutions if r.status == Status.UNRESOLVED and r.mention.span.doc_id in docs}
    found = predicted.keys() | shaped
    with_candidates = {"predicted": len(found),
                       "precision": round(len(found & expected.keys()) / len(found), 4) if found else 0.0,
                       "recall": round(len(found & expected.keys()) / len(expected), 4) if expected else 0.0}
    wrong_keys = {(w["doc"], w["start"]) for w in wrong}
    gold_group = {key: _gold_groups(corpus.gazetteer, g) for key, g in expected.items()}
    found_group = {key: _place_groups(corpus.gazetteer, corpus.gazetteer[r.place_id])
                   for key, r in predicted.items()}
    return {"gold": len(expected), "predicted": len(predicted), "precision": round(precision, 4),
            "recall": round(recall, 4), "f1": round(f1, 4), "with_candidates": with_candidates,
            "resolution_accuracy": round(right / len(hits), 4) if hits else 0.0,
            "by_kind": _breakdown(0, gold_group, found_group, hits, wrong_keys),
            "by_county": _breakdown(1, gold_group, found_group, hits, wrong_keys),
            "wrong": wrong, "missed": missed, "spurious": spurious}


#: The group of a mention whose county is not known (a province, a city, a place elsewhere).
OUTSIDE = "（县级以上或未知）"


def _place_groups(gazetteer: Gazetteer, place: Place) -> tuple[str, str]:
    """(kind, county name) of a place: the county it is or lies in, else :data:`OUTSIDE`."""
    chain = [place, *gazetteer.ancestors(place.id)] if place.id in gazetteer else [place]
    county = next((p.name for p in chain if p.kind == Kind.COUNTY), OUTSIDE)
    return str(place.kind), county


def _gold_groups(gazetteer: Gazetteer, gold: GoldMention) -> tuple[str, str]:
    """(kind, county name) of a gold mention, through the entry its name and kind denote (the first one)."""
    entry = next((p for p in gazetteer.lookup(gold.name) if str(p.kind) == gold.kind), None)
    return (gold.kind, _place_groups(gazetteer, entry)[1]) if entry is not None else (gold.kind, OUTSIDE)


def _breakdown(axis: int, gold: dict[tuple, tuple[str, str]], found: dict[tuple, tuple[str, str]], hits: set,
               wrong: set) -> dict[str, dict[str, Any]]:
    """Recall, precision and resolution accuracy per group (``axis`` 0: kind, 1: county), weakest recall first.

    >>> g = {("d", 0, 2): ("town", "甲县"), ("d", 5, 7): ("lake", "甲县")}
    >>> _breakdown(0, g, {("d", 0, 2): ("town", "甲县")}, {("d", 0, 2)}, set())["lake"]
    {'gold': 1, 'predicted': 0, 'recall': 0.0, 'precision': 0.0, 'resolution_accuracy': 0.0}
    """
    groups = sorted({g[axis] for g in gold.values()} | {f[axis] for f in found.values()})
    rows = {}
    for group in groups:
        expected = {k for k, g in gold.items() if g[axis] == group}
        predicted = {k for k, f in found.items() if f[axis] == group}
        got = expected & hits
        right = [k for k in got if (k[0], k[1]) not in wrong]
        rows[group] = {"gold": len(expected), "predicted": len(predicted),
                       "recall": round(len(got) / len(expected), 4) if expected else 0.0,
                       "precision": round(len(predicted & hits) / len(predicted), 4) if predicted else 0.0,
                       "resolution_accuracy": round(len(right) / len(got), 4) if got else 0.0}
    return dict(sorted(rows.items(), key=lambda item: (item[1]["recall"], -item[1]["gold"])))


def evaluate_all(*, gold_dir: Path | None = None, corpus: Corpus | None = None, texts: list[Path] | None = None,
                 deployment: Deployment | None = None) -> dict[str, Any]:
    """Every figure ``govmap evaluate`` prints; ``texts`` are the files the gold annotates (default: the
    deployment's texts), ``gold_dir`` the annotations (default: the deployment's ``gold/``)."""
    deployment = deployment or deployments.load()
    gold_dir = gold_dir or default_gold_dir(deployment)
    corpus = corpus or read_corpus(texts or deployment.texts(), load_gazetteer(deployment))
    report: dict[str, Any] = {"gold_dir": str(gold_dir)}
    mentions = gold_dir / "mentions.jsonl"
    if mentions.exists():
        report["places"] = score_mentions(corpus, read_gold_mentions(mentions))
    task_files = sorted(gold_dir.glob("tasks_*.json"))
    if task_files:
        gold, predicted = _task_gold(task_files, corpus)
        report["tasks"] = {"gold": len(gold), "parsed": len(predicted),
                           "field_exact_match": round(scoring.task_field_exact_match(gold, predicted), 4)}
    indicators_gold = gold_dir / "indicators.jsonl"
    if indicators_gold.exists():
        with open(indicators_gold, encoding="utf-8") as handle:
            gold = [json.loads(line) for line in handle if line.strip()]
        docs = {g["doc"] for g in gold}
        predicted = [serialize.indicator_record(i) for i in corpus.indicators if i.span.doc_id in docs]
        score = scoring.score_indicators(gold, predicted)
        report["indicators"] = {"gold": score.gold, "predicted": score.predicted,
                                "precision": round(score.precision, 4), "recall": round(score.recall, 4),
                                "f1": round(score.f1, 4),
                                "field_accuracy": {k: round(v, 4) for k, v in score.field_accuracy.items()}}
    return report
