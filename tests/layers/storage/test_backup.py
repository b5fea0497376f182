"""Backup → wipe → restore gives identical rows, geometry included, on both backends."""

from __future__ import annotations

import pytest
import shapely
from sqlalchemy import delete, select, text

from layers.storage import models
from layers.storage.backup import backup, restore
from layers.storage.database import StorageError
from layers.storage.ingest import counts, ingest, read_files
from tests.layers.storage.plans_text import PLAN_2025

POLYGON = shapely.Polygon([(114.2, 29.8), (114.4, 29.8), (114.4, 29.9), (114.2, 29.8)])


def _rows(store) -> dict[str, list]:
    with store.read() as session:
        return {table.name: [tuple(row) for row in session.execute(select(table).order_by(*table.primary_key))]
                for table in models.Base.metadata.sorted_tables if table.name != "changes"}


def _add_import(store, deployment) -> None:
    with store.write() as session:
        row = session.scalar(select(models.Deployment).where(models.Deployment.key == deployment.key))
        session.add(models.Import(deployment_id=row.id, place_id="xa-lake", quality="surveyed", source="test",
                                  imported_at="2025-01-01T00:00:00Z", geometry=POLYGON))


def test_geometry_round_trips(store, gazetteer, tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN_2025, encoding="utf-8")
    ingest(store, read_files([plan]), deployment=gazetteer.deployment, gazetteer=gazetteer)
    _add_import(store, gazetteer.deployment)
    with store.read() as session:
        assert session.scalar(select(models.Import.geometry)).equals(POLYGON)
        if store.backend == "postgresql":
            assert session.execute(text("SELECT ST_SRID(geometry), GeometryType(geometry) FROM imports")).one() \
                == (4326, "POLYGON")
            indexes = session.scalars(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_imports_geometry'"))
            assert "USING gist" in indexes.one()


def test_backup_wipe_restore_gives_identical_rows(store, gazetteer, tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN_2025, encoding="utf-8")
    ingest(store, read_files([plan]), deployment=gazetteer.deployment, gazetteer=gazetteer)
    _add_import(store, gazetteer.deployment)
    saved, generation = _rows(store), store.generation()
    file = backup(store, tmp_path / "govmap.backup")
    assert file.stat().st_size > 0
    with store.write() as session:
        for table in reversed(models.Base.metadata.sorted_tables):
            session.execute(delete(table))
    assert counts(store)["tasks"] == 0
    restore(store, file)
    assert _rows(store) == saved
    assert store.generation() > generation  # running processes see a change


@pytest.mark.parametrize("name, content", [("missing.backup", None), ("junk.backup", b"not a backup")],
                         ids=["missing", "junk"])
def test_restore_of_a_bad_file_changes_nothing(store, gazetteer, tmp_path, name, content):
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN_2025, encoding="utf-8")
    ingest(store, read_files([plan]), deployment=gazetteer.deployment, gazetteer=gazetteer)
    saved = _rows(store)
    if content is not None:
        (tmp_path / name).write_bytes(content)
    with pytest.raises(StorageError):
        restore(store, tmp_path / name)
    assert _rows(store) == saved
