"""JSON records for the document commands (``govmap geocode|tasks|indicators FILE --json``).

One object per document; field names are a stable interface (DESIGN.md, "Interfaces others rely on").
"""

from __future__ import annotations

from collections.abc import Callable
from json.encoder import INFINITY, encode_basestring
from typing import TYPE_CHECKING, Any

from gazetteer.linking.links import Link, LinkType
from gazetteer.model import Deadline, Indicator, Place, Resolution, Span, Status, Task

if TYPE_CHECKING:
    from gazetteer.corpus import DocumentAnalysis
    from gazetteer.places.registry import Gazetteer


def span_record(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else {"doc": span.doc_id, "start": span.start, "end": span.end}


def deadline_record(deadline: Deadline | None) -> dict[str, Any] | None:
    return None if deadline is None else {"text": deadline.text, "kind": str(deadline.kind), "date": deadline.date}


def document_record(analysis: DocumentAnalysis) -> dict[str, Any]:
    doc = analysis.document
    return {"document": doc.id, "title": doc.title, "format": doc.format, "encoding": doc.encoding,
            "kind": analysis.kind, "characters": len(doc.text), "tables": len(doc.tables), "notes": list(doc.notes)}


def mention_record(res: Resolution, gazetteer: Gazetteer, *,
                   places: dict[str | None, dict[str, Any]] | None = None) -> dict[str, Any]:
    """start, end, text, place_id, name, kind, lon, lat, quality, reason, alternatives, evidence (+ segment WKT).

    ``places`` keeps the fields that depend on the place alone, for the next mention of it (a document names the
    same places again and again, and a polygon's representative point is worth computing once).
    """
    cache: dict[str | None, dict[str, Any]] = {} if places is None else places
    fields = cache.get(res.place_id)
    if fields is None:
        fields = cache[res.place_id] = _place_fields(gazetteer.get(res.place_id) if res.place_id else None)
    return {
        "start": res.mention.span.start, "end": res.mention.span.end, "text": res.mention.text,
        "place_id": res.place_id, **fields,
        "reason": res.reason, "alternatives": list(res.alternatives),
        "segment": None if res.geometry is None else res.geometry.wkt,
        "evidence": dict(res.evidence),
    }


def _place_fields(place: Place | None) -> dict[str, Any]:
    """name, kind, lon, lat, quality of a mention's place (all None without one)."""
    lonlat = place.lonlat() if place else None
    return {"name": place.name if place else None, "kind": str(place.kind) if place else None,
            "lon": None if lonlat is None else round(lonlat[0], 6),
            "lat": None if lonlat is None else round(lonlat[1], 6),
            "quality": str(place.quality) if place else None}


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


#: Links and indicators by owner id, each in document order.
_Owned = dict[str, tuple[list[Link], list[Indicator]]]


def _by_owner(analysis: DocumentAnalysis) -> _Owned:
    """The analysis' links and indicators grouped by owner once (not scanned again for every task)."""
    owned: _Owned = {}
    for link in analysis.links:
        owned.setdefault(link.owner_id, ([], []))[0].append(link)
    for indicator in analysis.indicators:
        owned.setdefault(indicator.owner, ([], []))[1].append(indicator)
    return owned


def task_record(task: Task, analysis: DocumentAnalysis, gazetteer: Gazetteer, *,
                owned: _Owned | None = None) -> dict[str, Any]:
    """One task with its townships, places and indicators; ``owned`` is :func:`_by_owner` of the analysis."""
    links, indicators = (owned or _by_owner(analysis)).get(task.id, ([], []))
    townships = [link_record(link, gazetteer) for link in links if link.type == LinkType.RESPONSIBLE]
    return {
        **task_fields(task), "townships": townships,
        "places": [link_record(link, gazetteer) for link in links if link.type == LinkType.MENTIONED],
        "indicators": [indicator_record(i) for i in indicators],
        "span": span_record(task.span), "responsibility_span": span_record(task.responsibility.span),
    }


def geocode_record(analysis: DocumentAnalysis, gazetteer: Gazetteer) -> dict[str, Any]:
    gazetteer = gazetteer.with_places(analysis.derived)
    places: dict[str | None, dict[str, Any]] = {}
    return {**document_record(analysis),
            "mentions": [mention_record(r, gazetteer, places=places) for r in analysis.mentions],
            "unresolved": [mention_record(r, gazetteer, places=places) for r in analysis.candidates],
            "nonplaces": [{"start": r.mention.span.start, "end": r.mention.span.end, "text": r.mention.text,
                           "reason": r.reason} for r in analysis.resolutions if r.status == Status.NONPLACE]}


def tasks_record(analysis: DocumentAnalysis, gazetteer: Gazetteer) -> dict[str, Any]:
    gazetteer = gazetteer.with_places(analysis.derived)
    owned = _by_owner(analysis)
    return {**document_record(analysis), "layout": analysis.layout, "warnings": list(analysis.warnings),
            "tasks": [task_record(t, analysis, gazetteer, owned=owned) for t in analysis.tasks],
            "statements": len(analysis.statements)}


def indicators_record(analysis: DocumentAnalysis, gazetteer: Gazetteer) -> dict[str, Any]:
    return {**document_record(analysis), "indicators": [indicator_record(i) for i in analysis.indicators]}


# -- JSON text ------------------------------------------------------------------------------------------------------
def to_json(payload: Any, indent: str = "  ") -> str:
    """``json.dumps(payload, ensure_ascii=False, indent=2, default=str)``, character for character, about twice as
    fast: the standard library encodes indented JSON in pure Python, one generator step per value.

    >>> import json
    >>> record = {"text": "向阳湖", "lon": 114.3, "n": 3, "ok": True, "none": None, "alternatives": [], "x": {}}
    >>> to_json(record) == json.dumps(record, ensure_ascii=False, indent=2, default=str)
    True
    """
    return _text(payload, "\n", indent)


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (INFINITY, -INFINITY):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


#: Encoders of the exact scalar types (subclasses such as enums take the slower path, as in ``json``).
_SCALARS: dict[type, Callable[[Any], str]] = {str: encode_basestring, int: int.__repr__, float: _float,
                                              bool: lambda v: "true" if v else "false", type(None): lambda v: "null"}


def _scalar(value: Any) -> str | None:
    """A scalar's JSON as ``json`` writes it (``str`` and ``int`` subclasses by value), or None if not a scalar."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None or isinstance(value, bool):
        return _SCALARS[type(value)](value)
    if isinstance(value, int):
        return int.__repr__(value)
    return _float(value) if isinstance(value, float) else None


def _key(key: Any) -> str:
    """An object key as ``json`` writes it (a number, boolean or None becomes the string of its JSON)."""
    text = key if isinstance(key, str) else _scalar(key)
    if text is None:
        raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
    return encode_basestring(text)


def _text(value: Any, newline: str, indent: str) -> str:
    """``value`` as indented JSON; ``newline`` is a newline and the indentation of the line ``value`` is on."""
    exact = _SCALARS.get(type(value))
    if exact is not None:
        return exact(value)
    text = _scalar(value)
    if text is not None:
        return text
    inner = newline + indent
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = [exact(v) if (exact := _SCALARS.get(type(v))) else _text(v, inner, indent) for v in value]
        return "[" + inner + ("," + inner).join(items) + newline + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [(encode_basestring(k) if type(k) is str else _key(k)) + ": "
                 + (exact(v) if (exact := _SCALARS.get(type(v))) else _text(v, inner, indent))
                 for k, v in value.items()]
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    return encode_basestring(str(value))  # default=str
