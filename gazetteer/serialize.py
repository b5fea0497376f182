"""JSON records for the document commands (``govmap geocode|tasks|indicators FILE --json``).

One object per document; field names are a stable interface (DESIGN.md, "Interfaces others rely on").
"""

from __future__ import annotations

from typing import Any

from gazetteer.corpus import DocumentAnalysis
from gazetteer.linking.links import Link, LinkType
from gazetteer.model import Deadline, Indicator, Resolution, Span, Status, Task
from gazetteer.places.registry import Gazetteer


def span_record(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else {"doc": span.doc_id, "start": span.start, "end": span.end}


def deadline_record(deadline: Deadline | None) -> dict[str, Any] | None:
    return None if deadline is None else {"text": deadline.text, "kind": str(deadline.kind), "date": deadline.date}


def document_record(analysis: DocumentAnalysis) -> dict[str, Any]:
    doc = analysis.document
    return {"document": doc.id, "title": doc.title, "format": doc.format, "encoding": doc.encoding,
            "kind": analysis.kind, "characters": len(doc.text), "tables": len(doc.tables), "notes": list(doc.notes)}


def mention_record(res: Resolution, gazetteer: Gazetteer) -> dict[str, Any]:
    """start, end, text, place_id, name, kind, lon, lat, quality, reason, alternatives, evidence (+ segment WKT)."""
    place = gazetteer.get(res.place_id) if res.place_id else None
    lonlat = place.lonlat() if place else None
    return {
        "start": res.mention.span.start, "end": res.mention.span.end, "text": res.mention.text,
        "place_id": res.place_id, "name": place.name if place else None,
        "kind": str(place.kind) if place else None,
        "lon": None if lonlat is None else round(lonlat[0], 6),
        "lat": None if lonlat is None else round(lonlat[1], 6),
        "quality": str(place.quality) if place else None,
        "reason": res.reason, "alternatives": list(res.alternatives),
        "segment": None if res.geometry is None else res.geometry.wkt,
        "evidence": dict(res.evidence),
    }


def indicator_record(indicator: Indicator) -> dict[str, Any]:
    """An indicator as read, with its span (``doc``, ``start``, ``end``: also the shape of the indicator gold)."""
    return {"metric": indicator.metric, "display_metric": indicator.shown_metric, "comparator": indicator.comparator, "value_text": indicator.value_text,
            "unit_text": indicator.unit_text, "value": indicator.value, "unit": indicator.unit,
            "kind": indicator.kind, "owner": indicator.owner, **span_record(indicator.span)}


def link_record(link: Link, gazetteer: Gazetteer) -> dict[str, Any]:
    place = gazetteer.get(link.place_id)
    return {"place_id": link.place_id, "name": place.name if place else None, "type": str(link.type),
            "rule": str(link.rule), "detail": link.detail, "span": span_record(link.span)}


def task_fields(task: Task) -> dict[str, Any]:
    """A task's own fields as read (also the shape of the task gold file, which holds some of them)."""
    return {
        "id": task.id, "kind": task.kind, "number": task.number, "section": list(task.section), "text": task.text,
        "leaders": list(task.responsibility.leaders), "lead_units": list(task.responsibility.lead_units),
        "units": list(task.responsibility.units), "units_open_ended": task.responsibility.open_ended,
        "deadline": deadline_record(task.deadline)}


def task_record(task: Task, analysis: DocumentAnalysis, gazetteer: Gazetteer) -> dict[str, Any]:
    links = [link for link in analysis.links if link.owner_id == task.id]
    townships = [link_record(link, gazetteer) for link in links if link.type == LinkType.RESPONSIBLE]
    return {
        **task_fields(task), "townships": townships,
        "places": [link_record(link, gazetteer) for link in links if link.type == LinkType.MENTIONED],
        "indicators": [indicator_record(i) for i in analysis.indicators if i.owner == task.id],
        "span": span_record(task.span), "responsibility_span": span_record(task.responsibility.span),
    }


def geocode_record(analysis: DocumentAnalysis, gazetteer: Gazetteer) -> dict[str, Any]:
    gazetteer = gazetteer.with_places(analysis.derived)
    return {**document_record(analysis),
            "mentions": [mention_record(r, gazetteer) for r in analysis.mentions],
            "unresolved": [mention_record(r, gazetteer) for r in analysis.candidates],
            "nonplaces": [{"start": r.mention.span.start, "end": r.mention.span.end, "text": r.mention.text,
                           "reason": r.reason} for r in analysis.resolutions if r.status == Status.NONPLACE]}


def tasks_record(analysis: DocumentAnalysis, gazetteer: Gazetteer) -> dict[str, Any]:
    gazetteer = gazetteer.with_places(analysis.derived)
    return {**document_record(analysis), "layout": analysis.layout, "warnings": list(analysis.warnings),
            "tasks": [task_record(t, analysis, gazetteer) for t in analysis.tasks],
            "statements": len(analysis.statements)}


def indicators_record(analysis: DocumentAnalysis, gazetteer: Gazetteer) -> dict[str, Any]:
    return {**document_record(analysis), "indicators": [indicator_record(i) for i in analysis.indicators]}
