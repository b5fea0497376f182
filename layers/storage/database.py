"""Opening the govmap database: the URL, the engine and its per-backend settings, migrations, the change counter.

The URL comes from ``--database URL``, else ``$GOVMAP_DATABASE_URL``, else an SQLite file ``govmap.sqlite`` in the
deployment's data folder (made on first use, so ``govmap serve`` needs no set-up). SQLite runs in WAL mode with a
busy timeout and foreign keys on, and writes take the write lock when they begin (``BEGIN IMMEDIATE``), so several
processes share one file without "database is locked" in the middle of a transaction. ``postgresql+psycopg://…``
opens PostgreSQL, where PostGIS must be installed in the database (``CREATE EXTENSION postgis``).

>>> default_url(None, data_dir=Path("/srv/govmap/421202"))
'sqlite:////srv/govmap/421202/govmap.sqlite'
>>> store = Store("sqlite://")
>>> store.upgrade(), store.generation()
(['0001', '0002'], 0)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from layers.errors import LayerError
from layers.storage import models

#: Environment variable with the database URL (every command without ``--database``, and ``govmap serve``).
ENV_DATABASE = "GOVMAP_DATABASE_URL"
#: The default database's file inside the data folder.
DEFAULT_FILE = "govmap.sqlite"
#: How long an SQLite writer waits for another's lock before giving up (milliseconds).
BUSY_TIMEOUT_MS = 30_000
_MIGRATIONS = Path(__file__).resolve().with_name("migrations")


class StorageError(LayerError):
    """The database cannot be opened, is not upgraded, or a write failed (nothing was changed)."""

    code = "StorageError"


def default_url(explicit: str | None, *, data_dir: Path) -> str:
    """``explicit``, else ``$GOVMAP_DATABASE_URL``, else the SQLite file in ``data_dir``."""
    if explicit:
        return explicit
    if os.environ.get(ENV_DATABASE):
        return os.environ[ENV_DATABASE]
    return f"sqlite:///{Path(data_dir).expanduser() / DEFAULT_FILE}"


class Store:
    """One database: an engine, sessions, migrations and the change counter."""

    def __init__(self, url: str) -> None:
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise StorageError(f"{url!r} is not a database URL (sqlite:///FILE or postgresql+psycopg://…)") from None
        self.url = parsed
        self.backend = parsed.get_backend_name()
        if self.backend not in ("sqlite", "postgresql"):
            raise StorageError(f"{parsed.render_as_string()}: only SQLite and PostgreSQL are supported")
        try:
            self.engine = _engine(parsed)
        except (NoSuchModuleError, ImportError) as error:
            raise StorageError(f"{parsed.render_as_string()}: cannot open ({error}); for PostgreSQL "
                               f"pip install 'govmap[postgres]'") from None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writes = sessionmaker(self.engine.execution_options(govmap_write=True), expire_on_commit=False)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.dispose()

    def __repr__(self) -> str:
        return f"Store({self.url.render_as_string()!r})"

    @property
    def path(self) -> Path | None:
        """The SQLite file, if this is one."""
        return Path(self.url.database) if self.backend == "sqlite" and self.url.database not in (None, "", ":memory:") \
            else None

    # -- sessions ---------------------------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._guard(), self._sessions() as session:
            yield session

    @contextmanager
    def write(self, *, bump_counter: bool = True) -> Iterator[Session]:
        """One transaction that raises the change counter; rolled back whole if anything in it fails."""
        with self._guard(), self._writes() as session, session.begin():
            yield session
            if bump_counter:
                bump(session)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as error:
            raise StorageError(f"{self.url.render_as_string(hide_password=True)}: "
                               f"{str(error.orig).strip().splitlines()[0]}") from None

    # -- schema -----------------------------------------------------------------------------------------------
    def upgrade(self) -> list[str]:
        """Apply every migration not yet applied; returns the revisions applied (``govmap db upgrade``)."""
        from alembic import command
        from alembic.config import Config

        before = self.revision()
        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS))
        with self._guard(), self.engine.execution_options(govmap_write=True).begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        return _applied(before, self.revision())

    def revision(self) -> str | None:
        """The schema's Alembic revision (``None`` for an empty database)."""
        with self._guard(), self.engine.connect() as connection:
            if not self.engine.dialect.has_table(connection, "alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def ensure(self) -> None:
        """Create or upgrade the schema when it is not at the newest revision (the first use of a new file)."""
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.revision() != head_revision():
            self.upgrade()

    def generation(self) -> int:
        """The change counter: it rises with every write, in this process or any other."""
        with self.read() as session:
            return session.scalar(select(models.Change.generation).where(models.Change.id == 1)) or 0

    def journal_mode(self) -> str | None:
        """SQLite's journal mode (``wal``); ``None`` on PostgreSQL."""
        if self.backend != "sqlite":
            return None
        with self.engine.connect() as connection:
            return connection.exec_driver_sql("PRAGMA journal_mode").scalar()

    def has_postgis(self) -> bool:
        if self.backend != "postgresql":
            return False
        with self.engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM pg_extension WHERE extname = 'postgis'")).scalar() > 0

    def dispose(self) -> None:
        self.engine.dispose()


def bump(session: Session) -> None:
    """Raise the change counter inside the session's transaction."""
    now = datetime.now(UTC)
    done = session.execute(update(models.Change).where(models.Change.id == 1)
                           .values(generation=models.Change.generation + 1, changed_at=now))
    if not done.rowcount:
        session.add(models.Change(id=1, generation=1, changed_at=now))


def head_revision() -> str:
    """The newest migration's revision."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def _applied(before: str | None, after: str | None) -> list[str]:
    if before == after:
        return []
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    revisions = ScriptDirectory.from_config(config).iterate_revisions(after, before or "base")
    return [r.revision for r in reversed(list(revisions))]


def _engine(url: Any) -> Engine:
    if url.get_backend_name() == "postgresql":
        return create_engine(url, pool_pre_ping=True)
    memory = url.database in (None, "", ":memory:")
    engine = create_engine(url, poolclass=StaticPool if memory else None,
                           connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _connect(connection: Any, _record: Any) -> None:
        connection.isolation_level = None  # the driver begins nothing itself; "begin" below does
        cursor = connection.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        write = connection.get_execution_options().get("govmap_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


__all__ = ["BUSY_TIMEOUT_MS", "DEFAULT_FILE", "ENV_DATABASE", "Store", "StorageError", "bump", "default_url",
           "head_revision"]
