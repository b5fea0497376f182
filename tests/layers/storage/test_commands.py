"""The storage commands and the app on both backends: JSON out, one line on stderr and nothing changed on error,
and a running app that notices another process's ingest."""

from __future__ import annotations

import json

import pytest

from layers.storage.database import Store
from layers.storage.ingest import counts
from tests.layers.storage.plans_text import PLAN_2025, PLAN_2026
from webmap import create_app
from webmap.cli import main


def _counts(url: str) -> dict[str, int]:
    with Store(url) as store:
        return counts(store)


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def plan(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(PLAN_2025, encoding="utf-8")
    return path


def test_db_upgrade_then_ingest_prints_a_summary_per_document(capsys, database_url, tmp_path, plan):
    base = ["--data-dir", str(tmp_path / "data"), "--database", database_url]
    code, out, _ = _run(capsys, *base, "db", "upgrade")
    assert code == 0 and json.loads(out)["applied"] == ["0001", "0002"]
    code, out, _ = _run(capsys, *base, "ingest", str(plan), "--year", "2024")
    [summary] = json.loads(out)
    assert code == 0 and {k: summary[k] for k in ("id", "kind", "year", "tasks", "status")} == {
        "id": "plan", "kind": "decomposition", "year": 2024, "tasks": 3, "status": "new"}
    assert {"title", "mentions", "warnings"} <= summary.keys()
    code, out, _ = _run(capsys, *base, "ingest", str(plan))
    assert code == 0 and json.loads(out)[0]["status"] == "unchanged"


@pytest.mark.parametrize("argv, message", [
    (["ingest", "{missing}"], "no such file"),
    (["ingest", "{plan}", "{plan}", "--title", "甲"], "--title names one document"),
    (["restore", "{missing}"], "no such backup file"),
], ids=["unreadable-file", "title-with-two-files", "restore-missing"])
def test_errors_are_one_line_and_change_nothing(capsys, database_url, tmp_path, plan, argv, message):
    base = ["--data-dir", str(tmp_path / "data"), "--database", database_url]
    assert _run(capsys, *base, "ingest", str(plan))[0] == 0
    before = _counts(database_url)
    argv = [a.format(missing=tmp_path / "nothing.txt", plan=plan) for a in argv]
    code, out, err = _run(capsys, *base, *argv)
    assert (code, out) == (1, "") and message in err and len(err.strip().splitlines()) == 1
    assert _counts(database_url) == before


def test_backup_and_restore_round_trip_through_the_command(capsys, database_url, tmp_path, plan):
    base = ["--data-dir", str(tmp_path / "data"), "--database", database_url]
    _run(capsys, *base, "ingest", str(plan))
    saved = _counts(database_url)
    assert _run(capsys, *base, "backup", str(tmp_path / "saved.backup"))[0] == 0
    plan.write_text(PLAN_2026, encoding="utf-8")
    assert json.loads(_run(capsys, *base, "ingest", str(plan))[1])[0]["status"] == "replaced"
    assert _run(capsys, *base, "restore", str(tmp_path / "saved.backup"))[0] == 0
    assert _counts(database_url) == saved


def test_a_bad_database_url_is_one_line(capsys, tmp_path):
    code, _, err = _run(capsys, "--data-dir", str(tmp_path), "--database", "mysql://x/y", "db", "upgrade")
    assert code == 1 and "only SQLite and PostgreSQL" in err


def test_the_app_serves_stored_documents_and_notices_a_new_ingest(capsys, database_url, tmp_path, plan):
    app = create_app({"TESTING": True, "GOVMAP_DATA_DIR": str(tmp_path / "data"), "GOVMAP_DATABASE_URL": database_url,
                      "GOVMAP_TEXTS": [str(plan)], "GOVMAP_DB_CHECK_SECONDS": 0})
    holder = app.extensions["govmap"]
    assert sorted(t.number for t in holder.get().corpus.tasks.values() if t.kind == "task") == ["1", "2", "3"]
    assert "180亿元" in holder.get().corpus.owner_text("plan.t1")
    plan.write_text(PLAN_2026, encoding="utf-8")
    assert _run(capsys, "--data-dir", str(tmp_path / "data"), "--database", database_url, "ingest", str(plan))[0] == 0
    assert "200亿元" in holder.get().corpus.owner_text("plan.t1")  # another process's ingest, seen on the next use
    with app.test_client() as client:
        assert client.get("/tasks/plan.t1").status_code == 200
    holder.close()


def test_an_empty_default_database_gets_the_deployments_texts_once(tmp_path, gazetteer):
    from webmap.state import build_state, open_store

    data = tmp_path / "data"
    state = build_state(data_dir=data)
    assert (data / "govmap.sqlite").is_file()
    assert sorted(state.corpus.documents) == [p.stem for p in gazetteer.deployment.texts()]
    with open_store(data_dir=data) as store:
        generation = store.generation()
        build_state(data_dir=data, store=store)
        assert store.generation() == generation and store.journal_mode() == "wal"


def test_gdal_opens_the_postgis_view_of_a_layer_with_the_ogc_apis_count(capsys, tmp_path, plan):
    """Debian's ogrinfo (gdal-bin, installed by .ci/run; pyogrio's wheel has no PostgreSQL driver) reads the view."""
    import shutil
    import subprocess

    from sqlalchemy.engine import make_url

    from tests.layers.storage.conftest import new_database_url

    url, drop = new_database_url("postgresql", tmp_path)
    try:
        base = ["--data-dir", str(tmp_path / "data"), "--database", url]
        assert _run(capsys, *base, "ingest", str(plan))[0] == 0
        app = create_app({"TESTING": True, "GOVMAP_DATA_DIR": str(tmp_path / "data"), "GOVMAP_DATABASE_URL": url})
        parsed = make_url(url)
        source = f"PG:dbname={parsed.database} host={parsed.query['host']} user={parsed.username}"
        assert shutil.which("ogrinfo"), "ogrinfo (Debian's gdal-bin) is not installed"
        for layer in ("tasks", "townships"):
            matched = app.test_client().get(f"/ogcapi/collections/{layer}/items?limit=1&f=json").get_json()
            done = subprocess.run(["ogrinfo", "-ro", "-so", source, f"govmap_{layer}"], capture_output=True,
                                  text=True, check=True)
            assert f"Feature Count: {matched['numberMatched']}" in done.stdout, done.stdout
            assert matched["numberMatched"] > 0 and "EPSG\",4326" in done.stdout.replace(" ", "")
        app.extensions["govmap"].close()
    finally:
        drop()
