"""``govmap backup FILE`` and ``govmap restore FILE``: the whole database to one file and back.

SQLite uses its online backup API (a consistent copy while other processes read and write); PostgreSQL uses
``pg_dump --format=custom`` of the govmap tables and views (not the PostGIS extension) and ``pg_restore --clean --single-transaction`` (both must be on
PATH: Debian's postgresql-client). A restore replaces everything in the database and raises the change counter
past both the old and the restored value, so running processes notice and reload.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import select

from layers.storage import models
from layers.storage.database import Store, StorageError, bump


def backup(store: Store, target: Path) -> Path:
    target = Path(target)
    if target.is_dir():
        raise StorageError(f"{target}: is a folder; give the backup file's name")
    if not target.parent.is_dir():
        raise StorageError(f"{target.parent}: no such folder")
    store.ensure()
    if store.backend == "sqlite":
        _sqlite_copy(_sqlite_path(store), target)
    else:
        tables = [f"--table=public.{name}" for name in (*models.Base.metadata.tables, "alembic_version", "govmap_*")]
        _run(["pg_dump", "--format=custom", "--no-owner", *tables, f"--file={target}", _libpq_url(store)])
    return target


def restore(store: Store, source: Path) -> None:
    source = Path(source)
    if not source.is_file():
        raise StorageError(f"{source}: no such backup file")
    store.ensure()
    before = store.generation()
    if store.backend == "sqlite":
        _check_sqlite_backup(source)
        store.dispose()
        _sqlite_copy(source, _sqlite_path(store))
    else:
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={_libpq_url(store)}", str(source)])
    store.ensure()
    with store.write() as session:
        restored = session.scalar(select(models.Change.generation).where(models.Change.id == 1)) or 0
        session.query(models.Change).filter(models.Change.id == 1).update({"generation": max(before, restored)})
        bump(session)


def _sqlite_path(store: Store) -> Path:
    if store.path is None:
        raise StorageError("an in-memory database has nothing to back up or restore")
    return store.path


def _sqlite_copy(source: Path, target: Path) -> None:
    try:
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
    except sqlite3.DatabaseError as error:
        raise StorageError(f"{source}: cannot copy the database ({error}); nothing was changed") from None


def _check_sqlite_backup(source: Path) -> None:
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as connection:
            connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        raise StorageError(f"{source}: not a govmap SQLite backup; nothing was changed") from None


def _libpq_url(store: Store) -> str:
    return store.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise StorageError(f"{command[0]} is not on PATH: install PostgreSQL's client programs "
                           f"(Debian: apt-get install postgresql-client-15)")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        message = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[0]
        raise StorageError(f"{command[0]}: {message}")
