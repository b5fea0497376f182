"""Ingest on both backends: idempotent, versioned by name in one transaction, nothing changed on failure."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from gazetteer.errors import DocumentError
from layers.storage import ingest as ingest_module
from layers.storage import models
from layers.storage.database import head_revision
from layers.storage.ingest import counts, ingest, read_files, stored_documents
from tests.layers.storage.plans_text import PLAN_2025, PLAN_2026

ROOT = Path(__file__).resolve().parents[3]


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _ids(store) -> dict[str, list]:
    with store.read() as session:
        return {"documents": list(session.scalars(select(models.Document.id).order_by(models.Document.id))),
                "tasks": list(session.scalars(select(models.Task.id).order_by(models.Task.id))),
                "keys": list(session.scalars(select(models.Task.key).order_by(models.Task.id)))}


@pytest.fixture()
def plan(tmp_path):
    return _write(tmp_path, "plan.txt", PLAN_2025)


def test_upgrade_makes_the_schema_once(store):
    assert store.revision() == head_revision()
    assert store.upgrade() == []
    assert store.generation() == 0
    if store.backend == "sqlite":
        assert store.journal_mode() == "wal"
    else:
        assert store.has_postgis()


def test_ingest_twice_changes_nothing(store, gazetteer, plan):
    first = ingest(store, read_files([plan]), deployment=gazetteer.deployment, gazetteer=gazetteer)
    assert [(s["status"], s["kind"], s["year"], s["tasks"], s["version"]) for s in first] == [
        ("new", "decomposition", 2025, 3, 1)]
    before, ids, generation = counts(store), _ids(store), store.generation()
    again = ingest(store, read_files([plan]), deployment=gazetteer.deployment, gazetteer=gazetteer)
    assert [s["status"] for s in again] == ["unchanged"]
    assert (counts(store), _ids(store), store.generation()) == (before, ids, generation)
    assert before["tasks"] == 3 and before["assignments"] == 7 and before["mentions"] > 0


def test_a_gbk_copy_is_the_same_content(store, gazetteer, plan, tmp_path):
    ingest(store, read_files([plan]), deployment=gazetteer.deployment, gazetteer=gazetteer)
    before = counts(store)
    copy = tmp_path / "gbk" / "plan.txt"
    copy.parent.mkdir()
    copy.write_bytes(PLAN_2025.encode("gbk"))
    assert [s["status"] for s in ingest(store, read_files([copy]), deployment=gazetteer.deployment,
                                        gazetteer=gazetteer)] == ["unchanged"]
    assert counts(store) == before


def test_a_new_version_replaces_the_old_and_keeps_task_keys(store, gazetteer, plan):
    ingest(store, read_files([plan]), deployment=gazetteer.deployment, gazetteer=gazetteer)
    old_keys = _ids(store)["keys"]
    plan.write_text(PLAN_2025.replace("10公里", "15公里"), encoding="utf-8")
    summary = ingest(store, read_files([plan]), deployment=gazetteer.deployment, gazetteer=gazetteer)
    assert [(s["status"], s["version"], s["tasks"]) for s in summary] == [("replaced", 2, 3)]
    assert counts(store)["documents"] == 1 and counts(store)["tasks"] == 3
    assert _ids(store)["keys"] == old_keys
    [document] = stored_documents(store, gazetteer.deployment)
    assert "15公里" in document.text and document.id == "plan"


def test_a_failure_mid_ingest_leaves_the_old_version(store, gazetteer, plan, monkeypatch):
    ingest(store, read_files([plan]), deployment=gazetteer.deployment, gazetteer=gazetteer)
    before, ids, generation = counts(store), _ids(store), store.generation()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest_module, "_write_analysis", fail)  # after the old version was deleted
    plan.write_text(PLAN_2026, encoding="utf-8")
    with pytest.raises(RuntimeError, match="disk full"):
        ingest(store, read_files([plan]), deployment=gazetteer.deployment, gazetteer=gazetteer)
    assert (counts(store), _ids(store), store.generation()) == (before, ids, generation)
    assert "180亿元" in stored_documents(store, gazetteer.deployment)[0].text


@pytest.mark.parametrize("bad", [
    pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, id="old-word-doc"),
    pytest.param(b"   \n\t  ", id="only-whitespace"),
    pytest.param(None, id="missing"),
])
def test_a_file_that_cannot_be_read_changes_nothing(store, gazetteer, plan, tmp_path, bad):
    ingest(store, read_files([plan]), deployment=gazetteer.deployment, gazetteer=gazetteer)
    before, ids = counts(store), _ids(store)
    broken = tmp_path / "broken.doc"
    if bad is not None:
        broken.write_bytes(bad)
    other = _write(tmp_path, "other.txt", PLAN_2026)
    with pytest.raises(DocumentError):
        ingest(store, read_files([other, broken]), deployment=gazetteer.deployment, gazetteer=gazetteer)
    assert (counts(store), _ids(store)) == (before, ids)


_KILLED_MID_WRITE = """
import os, signal, sys
from sqlalchemy import delete
from layers.storage import models
from layers.storage.database import Store
store = Store(sys.argv[1])
with store.write() as session:
    session.execute(delete(models.Task))
    session.execute(delete(models.Document))
    session.flush()
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_process_killed_mid_write_leaves_the_previous_state(store, database_url, gazetteer, plan):
    ingest(store, read_files([plan]), deployment=gazetteer.deployment, gazetteer=gazetteer)
    before, ids = counts(store), _ids(store)
    done = subprocess.run([sys.executable, "-c", _KILLED_MID_WRITE, database_url], cwd=ROOT, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert (counts(store), _ids(store)) == (before, ids)
    with store.write() as session:  # and the database takes writes again (no lock left behind)
        session.execute(delete(models.Import))


def test_keys_carry_over_to_the_next_years_plan(store, gazetteer, tmp_path):
    first = _write(tmp_path, "plan2025.txt", PLAN_2025)
    second = _write(tmp_path, "plan2026.txt", PLAN_2026)
    ingest(store, read_files([first, second]), deployment=gazetteer.deployment, gazetteer=gazetteer)
    with store.read() as session:
        rows = session.execute(select(models.Document.year, models.Task.number, models.Task.key)
                               .join(models.Document).order_by(models.Document.year, models.Task.position)).all()
    keys = {(year, number): key for year, number, key in rows}
    assert keys[2026, "1"] == keys[2025, "1"] and keys[2026, "2"] == keys[2025, "2"]
    assert keys[2026, "3"] not in {keys[2025, n] for n in ("1", "2", "3")}
