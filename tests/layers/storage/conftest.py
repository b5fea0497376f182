"""The storage fixture, parametrised over both backends: SQLite in a temporary folder and a fresh PostgreSQL
database with PostGIS (copied from ``govmap_template`` on the server that ``GOVMAP_TEST_POSTGRES_URL`` names;
``.ci/run`` starts one). Without that variable the tests start a throwaway server of their own with
``.ci/postgres`` (Debian's postgresql-15 and postgresql-15-postgis-3) and remove it at the end; where that is
impossible the PostgreSQL tests fail: the project skips no test."""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ENV_POSTGRES = "GOVMAP_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")
SCRIPT = Path(__file__).resolve().parents[3] / ".ci" / "postgres"
#: The server these tests started themselves (its folder), stopped when the session ends.
_STARTED: list[str] = []


def postgres_url() -> str:
    url = os.environ.get(ENV_POSTGRES)
    if url:
        return url
    done = subprocess.run(["bash", str(SCRIPT), "start"], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"${ENV_POSTGRES} is not set and no PostgreSQL server could be started with {SCRIPT} "
                    f"(install postgresql-15 and postgresql-15-postgis-3, or run `bash .ci/run`): "
                    f"{done.stderr.strip()[-500:]}")
    exports = dict(line.removeprefix("export ").split("=", 1) for line in done.stdout.split("\n") if "=" in line)
    values = {key: value.strip("'") for key, value in exports.items()}
    os.environ[ENV_POSTGRES] = values[ENV_POSTGRES]
    _STARTED.append(values["GOVMAP_TEST_POSTGRES_DIR"])
    return values[ENV_POSTGRES]


@pytest.fixture(scope="session", autouse=True)
def _stop_started_server():
    yield
    for folder in _STARTED:
        subprocess.run(["bash", str(SCRIPT), "stop", folder], capture_output=True, check=False)
    if _STARTED:
        os.environ.pop(ENV_POSTGRES, None)


def new_database_url(backend: str, folder: Path) -> tuple[str, object]:
    """A URL of a new, empty database and a function that removes it."""
    if backend == "sqlite":
        return f"sqlite:///{folder / 'govmap.sqlite'}", lambda: None
    template = make_url(postgres_url())
    name = f"govmap_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(template.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template.database}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return template.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    url, drop = new_database_url(request.param, tmp_path)
    yield url
    drop()


@pytest.fixture()
def store(database_url):
    from layers.storage.database import Store

    store = Store(database_url)
    store.upgrade()
    yield store
    store.dispose()


# -- supervision ---------------------------------------------------------------------------------------------------
class Desk:
    """A stored 2025 plan, its supervision service and four accounts: alice (向阳湖镇) and bob (温泉街道) report,
    carol reviews, dave administers; ``a`` and ``b`` are alice's and bob's assignments."""

    def __init__(self, sv, assignments):
        from gazetteer.supervision.access import Account, Role

        self.sv = sv
        self.alice = Account("alice", Role.REPORTER, frozenset({"向阳湖镇"}))
        self.bob = Account("bob", Role.REPORTER, frozenset({"温泉街道"}))
        self.carol = Account("carol", Role.REVIEWER)
        self.dave = Account("dave", Role.ADMIN)
        self.a = next(a["id"] for a in assignments if a["unit"] == "向阳湖镇")
        self.b = next(a["id"] for a in assignments if a["unit"] == "温泉街道")

    def draft(self, who=None, **fields):
        from layers.storage import supervision

        who = who or self.alice
        key = self.a if who.units == self.alice.units else self.b
        return supervision.create_report(self.sv, who, assignment=key, year=2025, quarter=1,
                                         **{"progress": 30, "status": "推进中", **fields})

    def submitted(self, who=None, **fields):
        from layers.storage import supervision

        report = self.draft(who, **fields)
        supervision.open_window(self.sv, self.dave, year=2025, quarter=1)
        return supervision.submit_report(self.sv, who or self.alice, report["id"])


@pytest.fixture()
def desk(store, gazetteer, tmp_path, monkeypatch):
    from tests.layers.storage.plans_text import PLAN_2025
    from layers.storage import accounts, supervision
    from layers.storage.ingest import ingest, read_files

    monkeypatch.setattr(accounts, "HASH_METHOD", "pbkdf2:sha256:1000")  # scrypt takes a second a hash
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN_2025, encoding="utf-8")
    ingest(store, read_files([plan]), deployment=gazetteer.deployment, gazetteer=gazetteer)
    sv = supervision.Supervision.of(store, gazetteer.deployment, data_dir=tmp_path / "data")
    for name, role, units in (("alice", "reporter", ["向阳湖镇"]), ("bob", "reporter", ["温泉街道"]),
                              ("carol", "reviewer", []), ("dave", "admin", [])):
        accounts.add_user(store, name, role=role, password=f"{name}-口令-0123456789", units=units)
    from gazetteer.supervision.access import Account, Role

    return Desk(sv, supervision.assignments_for(sv, Account("dave", Role.ADMIN), year=2025))
