"""``govmap ingest``: read documents into the database, idempotently, one transaction per document.

A document is known by its name within the deployment (the file name, or a title given). Ingesting the same
content again (the same extracted text and tables: :func:`content_hash`) changes nothing; other content under the
same name is a new version that replaces the old one, with everything read from it, in one transaction; a file that
cannot be read stops the ingest before anything is written. A task keeps its ``key`` when it carries over from the
document's previous version, or else from the previous year's plan (:mod:`layers.storage.plans`).

Stored documents come back as :class:`gazetteer.model.Document` (:func:`stored_documents`), so the app analyses the
stored text, not the files.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gazetteer.corpus import DECOMPOSITION, DocumentAnalysis, analyse
from gazetteer.geocoding.recognize import Recognizer
from gazetteer.model import Document, Span, Table, TableCell
from gazetteer.places.registry import Gazetteer
from gazetteer.reading.documents import read_document
from geodata.deployment import Deployment
from layers.storage import models
from layers.storage.database import Store
from layers.storage.plans import TaskRecord, match

#: Roles of a unit in a task's clause (the ``assignments`` table).
LEAD, RESPONSIBLE = "牵头", "责任"
_YEAR = re.compile(r"(20\d\d)\s*年")


@dataclass(frozen=True, slots=True)
class Incoming:
    """A document read from a file, with the name it is stored under."""

    document: Document
    name: str
    year: int | None


def read_files(paths: Sequence[str | Path], *, year: int | None = None, title: str | None = None) -> list[Incoming]:
    """Read every file first (a file that cannot be read raises :class:`gazetteer.errors.DocumentError` before
    anything is written). ``title`` names a single document and is the name new versions share."""
    incoming = []
    for path in paths:
        document = read_document(path, title=title)
        name = title or Path(str(path)).name
        incoming.append(Incoming(document, name, year if year is not None else guess_year(document)))
    return incoming


def guess_year(document: Document) -> int | None:
    """The year a document is for: the first 20xx年 of its title, else of its first lines.

    >>> guess_year(Document("d", "2025年咸安区目标任务责任分解方案", "…", "utf-8"))
    2025
    """
    for text in (document.title, document.text[:300]):
        if found := _YEAR.search(text):
            return int(found.group(1))
    return None


def content_hash(document: Document) -> str:
    """SHA-256 of what was read: the text and the tables (not the file's bytes, so GBK and UTF-8 copies agree)."""
    digest = hashlib.sha256(document.text.encode("utf-8"))
    digest.update(json.dumps(tables_record(document.tables), ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def ingest(store: Store, incoming: Iterable[Incoming], *, deployment: Deployment,
           gazetteer: Gazetteer) -> list[dict[str, Any]]:
    """Store each document (one transaction each) and return a summary record per document."""
    store.ensure()
    recognizer = Recognizer(gazetteer)
    return [_ingest_one(store, item, deployment=deployment, gazetteer=gazetteer, recognizer=recognizer)
            for item in incoming]


def _ingest_one(store: Store, item: Incoming, *, deployment: Deployment, gazetteer: Gazetteer,
                recognizer: Recognizer) -> dict[str, Any]:
    digest = content_hash(item.document)
    with store.read() as session:
        deployment_id = _deployment_id(session, deployment, create=False)
        same = None if deployment_id is None else session.scalar(
            select(models.Document).where(models.Document.deployment_id == deployment_id,
                                          models.Document.content_hash == digest))
        if same is not None and (same.name == item.name or not _named(session, deployment_id, item.name)):
            return {**_summary(session, same), "status": "unchanged"}
    with store.write() as session:
        deployment_id = _deployment_id(session, deployment, create=True)
        old = session.scalar(select(models.Document).where(models.Document.deployment_id == deployment_id,
                                                           models.Document.name == item.name))
        doc_key = old.doc_key if old is not None else _free_key(session, deployment_id, item)
        document = _with_id(item.document, doc_key)
        analysis = analyse(document, gazetteer, recognizer=recognizer)
        previous = _task_records(old.tasks) if old is not None else _previous_plan(session, deployment_id, item.year)
        version = 1
        if old is not None:
            version = old.version + 1
            session.delete(old)
            session.flush()
        row = models.Document(deployment_id=deployment_id, name=item.name, doc_key=doc_key, title=document.title,
                              kind=analysis.kind, year=item.year, format=document.format,
                              encoding=document.encoding, text=document.text,
                              tables=tables_record(document.tables), notes=list(document.notes),
                              content_hash=digest, version=version, source_path=document.path,
                              ingested_at=datetime.now(UTC))
        session.add(row)
        session.flush()
        _write_analysis(session, row, analysis, keys=_keys(analysis, previous, deployment, item))
        session.flush()
        return {**_summary(session, row, analysis), "status": "replaced" if old is not None else "new"}


def _named(session: Session, deployment_id: int, name: str) -> bool:
    return session.scalar(select(func.count()).select_from(models.Document).where(
        models.Document.deployment_id == deployment_id, models.Document.name == name)) > 0


def _deployment_id(session: Session, deployment: Deployment, *, create: bool) -> int | None:
    found = session.scalar(select(models.Deployment.id).where(models.Deployment.key == deployment.key))
    if found is None and create:
        row = models.Deployment(key=deployment.key, name=deployment.name)
        session.add(row)
        session.flush()
        return row.id
    return found


def ensure_deployment(session: Session, deployment: Deployment) -> int:
    """The id of the deployment's row, made if missing."""
    return _deployment_id(session, deployment, create=True)


def deployment_id(store: Store, deployment: Deployment) -> int | None:
    """The id of the deployment's row, ``None`` if nothing was stored for it yet."""
    with store.read() as session:
        return _deployment_id(session, deployment, create=False)


def _free_key(session: Session, deployment_id: int, item: Incoming) -> str:
    """The document's id in spans and pages: its own (the file stem) unless another document has it already."""
    key = item.document.id
    taken = session.scalar(select(func.count()).select_from(models.Document).where(
        models.Document.deployment_id == deployment_id, models.Document.doc_key == key))
    return key if not taken else f"{key}-{hashlib.sha1(item.name.encode()).hexdigest()[:6]}"


def _with_id(document: Document, doc_id: str) -> Document:
    if document.id == doc_id:
        return document
    return _document(doc_id, document.title, document.text, document.encoding, document.path, document.format,
                     tables_record(document.tables), document.notes)


def _summary(session: Session, row: models.Document, analysis: DocumentAnalysis | None = None) -> dict[str, Any]:
    def count(model: Any) -> int:
        return session.scalar(select(func.count()).select_from(model).where(model.document_id == row.id))

    tasks = session.scalar(select(func.count()).select_from(models.Task).where(
        models.Task.document_id == row.id, models.Task.kind == "task"))
    mentions = session.scalar(select(func.count()).select_from(models.Mention).where(
        models.Mention.document_id == row.id, models.Mention.status == "resolved"))
    return {"id": row.doc_key, "name": row.name, "title": row.title, "kind": row.kind, "year": row.year,
            "version": row.version, "tasks": tasks, "mentions": mentions, "indicators": count(models.Indicator),
            "warnings": list(analysis.warnings) if analysis is not None else []}


# -- rows -------------------------------------------------------------------------------------------------------
def _write_analysis(session: Session, row: models.Document, analysis: DocumentAnalysis, *,
                    keys: dict[str, str]) -> None:
    for position, task in enumerate(analysis.tasks):
        r = task.responsibility
        deadline = task.deadline
        stored = models.Task(document_id=row.id, key=keys[task.id], task_id=task.id, position=position,
                             kind=task.kind, number=task.number, section=list(task.section), text=task.text,
                             leaders=list(r.leaders), open_ended=r.open_ended, start=task.span.start,
                             end=task.span.end, deadline_text=deadline.text if deadline else None,
                             deadline_kind=str(deadline.kind) if deadline else None,
                             deadline_date=deadline.date if deadline else None)
        stored.assignments = [models.Assignment(position=n, unit=unit, role=role) for n, (unit, role) in
                              enumerate([(u, LEAD) for u in r.lead_units] + [(u, RESPONSIBLE) for u in r.units])]
        session.add(stored)
    session.add_all(models.Indicator(document_id=row.id, owner=i.owner, metric=i.metric, comparator=i.comparator,
                                     value_text=i.value_text, unit_text=i.unit_text, value=i.value, unit=i.unit,
                                     kind=i.kind, verb=i.verb, start=i.span.start, end=i.span.end)
                    for i in analysis.indicators)
    session.add_all(models.Mention(document_id=row.id, text=r.mention.text, start=r.mention.span.start,
                                   end=r.mention.span.end, place_id=r.place_id, status=r.status, reason=r.reason,
                                   alternatives=list(r.alternatives)) for r in analysis.resolutions)
    session.add_all(models.Link(document_id=row.id, owner=link.owner_id, place_id=link.place_id,
                                type=str(link.type), rule=str(link.rule), detail=link.detail,
                                start=link.span.start if link.span else None,
                                end=link.span.end if link.span else None) for link in analysis.links)


def _record(task: Any, lead_units: Sequence[str], units: Sequence[str], key: str = "") -> TaskRecord:
    return TaskRecord(key, task.task_id if isinstance(task, models.Task) else task.id, task.number,
                      tuple(task.section), task.text, tuple(task.leaders if isinstance(task, models.Task)
                                                             else task.responsibility.leaders),
                      tuple(lead_units), tuple(units), task.kind)


def stored_task_record(task: models.Task) -> TaskRecord:
    lead = [a.unit for a in task.assignments if a.role == LEAD]
    units = [a.unit for a in task.assignments if a.role == RESPONSIBLE]
    return _record(task, lead, units, task.key)


def _task_records(tasks: Iterable[models.Task]) -> list[TaskRecord]:
    return [stored_task_record(t) for t in tasks]


def _previous_plan(session: Session, deployment_id: int, year: int | None) -> list[TaskRecord]:
    if year is None:
        return []
    tasks = session.scalars(select(models.Task).join(models.Document).where(
        models.Document.deployment_id == deployment_id, models.Document.year == year - 1,
        models.Document.kind == DECOMPOSITION).order_by(models.Document.id, models.Task.position))
    return _task_records(tasks)


def _keys(analysis: DocumentAnalysis, previous: Sequence[TaskRecord], deployment: Deployment,
          item: Incoming) -> dict[str, str]:
    """A stable key per task: the key of the task it carries over from, else a new one."""
    new = [_record(t, t.responsibility.lead_units, t.responsibility.units) for t in analysis.tasks]
    inherited = {n.task_id: o.key for o, n, _ in match(previous, new)}
    keys = {}
    for task in analysis.tasks:
        seed = f"{deployment.key}|{item.year}|{item.name}|{task.kind}|{task.number}|{task.text}"
        keys[task.id] = inherited.get(task.id) or "k" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:12]
    return keys


# -- documents back ---------------------------------------------------------------------------------------------
def tables_record(tables: Sequence[Table]) -> list[dict[str, Any]]:
    """Tables as JSON: title, span and rows of [text, start, end, merged] cells (the grid position is implicit)."""
    return [{"title": t.title, "span": [t.span.start, t.span.end],
             "rows": [[[c.text, c.span.start, c.span.end, c.merged] for c in row] for row in t.rows]}
            for t in tables]


def _tables(doc_id: str, record: Sequence[dict[str, Any]]) -> tuple[Table, ...]:
    return tuple(Table(rows=tuple(tuple(TableCell(text, Span(doc_id, start, end), row=r, column=c, merged=merged)
                                        for c, (text, start, end, merged) in enumerate(cells))
                                  for r, cells in enumerate(t["rows"])),
                       span=Span(doc_id, *t["span"]), title=t["title"]) for t in record)


def _document(doc_id: str, title: str, text: str, encoding: str, path: str | None, fmt: str,
              tables: Sequence[dict[str, Any]], notes: Sequence[str]) -> Document:
    return Document(id=doc_id, title=title, text=text, encoding=encoding, path=path, format=fmt,
                    tables=_tables(doc_id, tables), notes=tuple(notes))


def stored_documents(store: Store, deployment: Deployment, *, names: Sequence[str] | None = None) -> list[Document]:
    """The deployment's stored documents (only those ``names``, in that order, if given), else by name."""
    with store.read() as session:
        deployment_id = _deployment_id(session, deployment, create=False)
        if deployment_id is None:
            return []
        query = select(models.Document).where(models.Document.deployment_id == deployment_id)
        if names is not None:
            query = query.where(models.Document.name.in_(list(names)))
        rows = {row.name: row for row in session.scalars(query.order_by(models.Document.name))}
    order = list(names) if names is not None else list(rows)
    return [_document(r.doc_key, r.title, r.text, r.encoding, r.source_path, r.format, r.tables, r.notes)
            for name in order if (r := rows.get(name)) is not None]


def counts(store: Store) -> dict[str, int]:
    """Rows per table (what the tests compare before and after)."""
    with store.read() as session:
        return {table.name: session.scalar(select(func.count()).select_from(table))
                for table in models.Base.metadata.sorted_tables if table.name != "changes"}


__all__ = ["Incoming", "content_hash", "counts", "deployment_id", "guess_year", "ingest", "read_files",
           "stored_documents", "tables_record"]
