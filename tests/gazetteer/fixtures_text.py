"""Shared helpers for the text-reading tests (documents, tasks, statements, indicators); imported explicitly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gazetteer.reading.documents import read_document
from gazetteer.model import Document

ROOT = Path(__file__).resolve().parents[2]
TEXTS = ROOT / "geodata" / "data" / "texts"
GOLD = ROOT / "tests" / "gold"
DECOMPOSITION_ID = "004_62ed9874ae27b31b"
NARRATIVE_IDS = ("000_55b3252727bf6889", "001_cd717b9869cce72b", "002_316ee59862540308", "003_c0b0b8a46375f3c5")


def sample_path(doc_id: str) -> Path:
    return TEXTS / f"{doc_id}.txt"


def sample(doc_id: str) -> Document:
    return read_document(sample_path(doc_id))


def task_gold() -> list[dict]:
    return json.loads((GOLD / "tasks_004.json").read_text(encoding="utf-8"))


def indicator_gold() -> list[dict]:
    lines = (GOLD / "indicators.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def decomposition() -> Document:
    return sample(DECOMPOSITION_ID)
