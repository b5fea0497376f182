"""The tables of the govmap database (SQLAlchemy 2 typed declarative), the same on SQLite and PostgreSQL.

A deployment's documents are the truth; everything else in a document's rows (tasks and their assignments,
indicators, mentions, links) is what reading it found, written in the same transaction as the document and deleted
with it. ``places`` holds the places the stored documents name (with geometry, quality and source), ``imports`` the
geometry ``govmap import`` brought in, ``layer_features`` each map layer's features (read by the PostGIS views
``govmap_<layer>``), and ``changes`` one counter that every write raises, so that a running process knows when to
rebuild what it keeps in memory.

Supervision (一季度一督办一通报, :mod:`layers.storage.supervision`) adds ``users`` (with their ``user_units`` and
``api_tokens``, only a token's hash kept), ``reporting_windows``, ``task_deadlines`` (the admin's, over the plan's
``tasks.deadline_date``), ``reports`` (one per assignment and quarter), their ``attachments`` and the append-only
``events`` log. A report names its assignment by a stable key (the task's ``key`` and the unit's key), not by the
``assignments`` row, which a new version of the plan replaces.

Geometry is WGS84 lon/lat (EPSG:4326): WKB in a BLOB on SQLite, a PostGIS ``geometry(Geometry, 4326)`` column with
a GiST index on PostgreSQL (:class:`Geometry`).

>>> sorted(Base.metadata.tables)[:4]
['api_tokens', 'assignments', 'attachments', 'changes']
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import (JSON, Boolean, CheckConstraint, Date, DateTime, Float, ForeignKey, Integer, LargeBinary, String,
                        Text, UniqueConstraint)
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator, UserDefinedType

#: The SRID of every stored geometry (WGS84 lon/lat, DESIGN.md "Coordinates").
SRID = 4326


class PostGISGeometry(UserDefinedType):
    """PostGIS ``geometry(Geometry, 4326)``; values travel as hex EWKB, which PostGIS reads and writes as text."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return f"geometry(Geometry,{SRID})"


class Geometry(TypeDecorator):
    """A shapely geometry in EPSG:4326: PostGIS on PostgreSQL, WKB elsewhere. Empty geometries are stored as NULL.

    >>> Geometry().process_bind_param(shapely.Point(114.3, 29.8), _sqlite()).hex()[:10]
    '0101000000'
    """

    impl = LargeBinary
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        return dialect.type_descriptor(PostGISGeometry() if dialect.name == "postgresql" else LargeBinary())

    def process_bind_param(self, value: BaseGeometry | None, dialect: Dialect) -> Any:
        if value is None or value.is_empty:
            return None
        if dialect.name == "postgresql":
            return shapely.to_wkb(shapely.set_srid(value, SRID), hex=True, include_srid=True)
        return shapely.to_wkb(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> BaseGeometry | None:
        if value is None:
            return None
        return shapely.set_srid(shapely.from_wkb(value), 0)


def _sqlite() -> Dialect:
    from sqlalchemy.dialects import sqlite

    return sqlite.dialect()


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Deployment(Base):
    """A deployment (its adcode is the key), so that one database can hold several."""

    __tablename__ = "deployments"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class Document(Base):
    """One stored document: its extracted text and tables, the hash of that content, its name and version.

    ``name`` (the file name, or a title given) is what a new version shares with the one it replaces; ``doc_key``
    is the id spans and pages use (the file stem); ``year`` makes a decomposition document part of a plan.
    """

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("deployment_id", "name"), UniqueConstraint("deployment_id", "doc_key"))
    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(500))
    doc_key: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    format: Mapped[str] = mapped_column(String(16))
    encoding: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    tables: Mapped[list[Any]] = mapped_column(JSON)
    notes: Mapped[list[Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    source_path: Mapped[str | None] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    tasks: Mapped[list[Task]] = relationship(back_populates="document", cascade="all, delete-orphan",
                                             passive_deletes=True, order_by="Task.position")


class Task(Base):
    """A task or target of a decomposition document. ``key`` stays the same across versions and years for a task
    that carries over (matched by section, text and units); ``task_id`` is its id inside the document."""

    __tablename__ = "tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    task_id: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(32))
    section: Mapped[list[Any]] = mapped_column(JSON)
    text: Mapped[str] = mapped_column(Text)
    leaders: Mapped[list[Any]] = mapped_column(JSON)
    deadline_text: Mapped[str | None] = mapped_column(Text)
    deadline_kind: Mapped[str | None] = mapped_column(String(16))
    deadline_date: Mapped[str | None] = mapped_column(String(10))
    open_ended: Mapped[bool] = mapped_column(default=False)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    document: Mapped[Document] = relationship(back_populates="tasks")
    assignments: Mapped[list[Assignment]] = relationship(cascade="all, delete-orphan", passive_deletes=True,
                                                         order_by="Assignment.position")


class Assignment(Base):
    """A unit named in a task's clause, with its role: 牵头 (牵头单位) or 责任 (责任单位), as written."""

    __tablename__ = "assignments"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(8))


class Indicator(Base):
    __tablename__ = "indicators"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    owner: Mapped[str] = mapped_column(String(200))
    metric: Mapped[str] = mapped_column(Text)
    comparator: Mapped[str] = mapped_column(String(8))
    value_text: Mapped[str] = mapped_column(String(64))
    unit_text: Mapped[str] = mapped_column(String(64))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    verb: Mapped[str] = mapped_column(String(64))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class Mention(Base):
    """A place-shaped name in a document: resolved (``place_id``), unresolved, or a non-place, with the reason."""

    __tablename__ = "mentions"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    place_id: Mapped[str | None] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    alternatives: Mapped[list[Any]] = mapped_column(JSON)


class Link(Base):
    """Task or statement ↔ place: mentioned, responsible (a township by the clause), contained (inside one)."""

    __tablename__ = "links"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    owner: Mapped[str] = mapped_column(String(200), index=True)
    place_id: Mapped[str] = mapped_column(String(200), index=True)
    type: Mapped[str] = mapped_column(String(16))
    rule: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)


class Place(Base):
    """A place the stored documents name (gazetteer entries and places derived from them), as last served."""

    __tablename__ = "places"
    __table_args__ = (UniqueConstraint("deployment_id", "place_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id", ondelete="CASCADE"), index=True)
    place_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[str | None] = mapped_column(String(200))
    quality: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(Text)
    geometry: Mapped[BaseGeometry | None] = mapped_column(Geometry())


class Import(Base):
    """Geometry brought in by ``govmap import`` for one place (a later import of the place replaces it)."""

    __tablename__ = "imports"
    __table_args__ = (UniqueConstraint("deployment_id", "place_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id", ondelete="CASCADE"), index=True)
    place_id: Mapped[str] = mapped_column(String(200))
    quality: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[str] = mapped_column(String(32))
    geometry: Mapped[BaseGeometry | None] = mapped_column(Geometry())


class LayerFeature(Base):
    """One feature of a map layer as the OGC API serves it: its properties (JSON) and geometry."""

    __tablename__ = "layer_features"
    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id", ondelete="CASCADE"), index=True)
    layer: Mapped[str] = mapped_column(String(32), index=True)
    feature_id: Mapped[str] = mapped_column(String(300))
    properties: Mapped[dict[str, Any]] = mapped_column(JSON)
    geometry: Mapped[BaseGeometry | None] = mapped_column(Geometry())


class Change(Base):
    """One row (id 1): ``generation`` rises with every write, so readers can tell cheaply that something changed."""

    __tablename__ = "changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# -- supervision (revision 0002) ---------------------------------------------------------------------------------
class User(Base):
    """An account: ``role`` is admin, reviewer or reporter; only a password hash is kept (scrypt, Werkzeug)."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('admin', 'reviewer', 'reporter')", name="ck_users_role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(256))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    units: Mapped[list[UserUnit]] = relationship(cascade="all, delete-orphan", passive_deletes=True,
                                                 order_by="UserUnit.unit", lazy="selectin")


class UserUnit(Base):
    """A reporter bound to a unit (the unit's key, as :func:`gazetteer.linking.units.unit_key_function` makes it)."""

    __tablename__ = "user_units"
    __table_args__ = (UniqueConstraint("user_id", "unit"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit: Mapped[str] = mapped_column(String(200), index=True)


class ApiToken(Base):
    """An API token: only its SHA-256 is kept (a token is 256 random bits, so a fast hash is enough)."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReportingWindow(Base):
    """When the units of a deployment may report on a quarter: from ``opens``; after ``closes`` a report is late."""

    __tablename__ = "reporting_windows"
    __table_args__ = (UniqueConstraint("deployment_id", "year", "quarter"),
                      CheckConstraint("quarter BETWEEN 1 AND 4", name="ck_reporting_windows_quarter"))
    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    opens: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closes: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    opened_by: Mapped[str] = mapped_column(String(64))
    closed_by: Mapped[str | None] = mapped_column(String(64))


class TaskDeadline(Base):
    """The admin's deadline of a task in a year's plan (by the task's stable key), over the plan's own."""

    __tablename__ = "task_deadlines"
    __table_args__ = (UniqueConstraint("deployment_id", "year", "task_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    task_key: Mapped[str] = mapped_column(String(64))
    deadline: Mapped[date] = mapped_column(Date)
    set_by: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Report(Base):
    """One unit's report on one assignment for one quarter (:class:`gazetteer.supervision.workflow.Report`).

    ``assignment`` is the stable key ``TASKKEY:UNIT``; ``unit`` (the unit's key) decides who may read and write it.
    ``version`` rises with every change and guards concurrent edits (SQLAlchemy's version counter: an UPDATE of a
    stale version changes no row).
    """

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("deployment_id", "assignment", "year", "quarter"),
                      CheckConstraint("progress >= 0 AND progress <= 100", name="ck_reports_progress"),
                      CheckConstraint("quarter BETWEEN 1 AND 4", name="ck_reports_quarter"),
                      CheckConstraint("state IN ('draft', 'submitted', 'approved', 'returned')",
                                      name="ck_reports_state"))
    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id", ondelete="CASCADE"), index=True)
    assignment: Mapped[str] = mapped_column(String(300), index=True)
    task_key: Mapped[str] = mapped_column(String(64), index=True)
    unit: Mapped[str] = mapped_column(String(200), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    progress: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16))
    done: Mapped[str] = mapped_column(Text)          # 进展情况
    problems: Mapped[str] = mapped_column(Text)      # 存在问题
    next_steps: Mapped[str] = mapped_column(Text)    # 下步打算
    state: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submitted_by: Mapped[str | None] = mapped_column(String(64))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    comment: Mapped[str] = mapped_column(Text)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer)
    attachments: Mapped[list[Attachment]] = relationship(order_by="Attachment.id", lazy="selectin")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class Attachment(Base):
    """A file attached to a report: kept under ``stored_name`` in the deployment's data folder (no web root),
    its media type found from its first bytes, never from its name."""

    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Event(Base):
    """One entry of the append-only log (who, when, what, the state before and after). Rows are never updated
    or deleted: the ORM refuses (:func:`_append_only`) and so does the database (triggers of revision 0002)."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int | None] = mapped_column(ForeignKey("deployments.id"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), index=True)
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[str] = mapped_column(Text)
    after: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)


class AppendOnly(Exception):
    """An UPDATE or DELETE of an event was attempted."""


def _append_only(_mapper: Any, _connection: Any, target: Event) -> None:
    raise AppendOnly(f"events are append-only (event {target.id})")


sa_event.listen(Event, "before_update", _append_only)
sa_event.listen(Event, "before_delete", _append_only)
