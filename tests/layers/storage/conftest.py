"""The storage fixture, parametrised over both backends: SQLite in a temporary folder and a fresh PostgreSQL
database with PostGIS (copied from ``govmap_template`` on the server that ``GOVMAP_TEST_POSTGRES_URL`` names;
``.ci/run`` starts one; locally ``eval "$(bash .ci/postgres start)"``). Without that variable the PostgreSQL
tests fail: the project skips no test."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ENV_POSTGRES = "GOVMAP_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")


def postgres_url() -> str:
    url = os.environ.get(ENV_POSTGRES)
    if not url:
        pytest.fail(f"${ENV_POSTGRES} is not set: the storage tests need a PostgreSQL server with PostGIS "
                    f"(run them through `bash .ci/run`, or first `eval \"$(bash .ci/postgres start)\"`)")
    return url


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
