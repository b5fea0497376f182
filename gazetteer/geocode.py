"""Geocoding a passage: recognise its place names, resolve each, and add the unresolved candidates."""

from __future__ import annotations

from gazetteer.model import Document, Resolution
from gazetteer.recognize import Recognizer, candidates
from gazetteer.registry import Gazetteer
from gazetteer.resolve import resolve, unresolved


def locate(text: str, document: Document, gazetteer: Gazetteer, *, recognizer: Recognizer,
           offset: int = 0) -> list[Resolution]:
    """Recognise and resolve the place names of ``text`` (a passage of ``document`` starting at ``offset``),
    followed by the unresolved candidates, all in text order."""
    found = recognizer.find(text, doc_id=document.id, offset=offset)
    resolved = resolve(found, gazetteer, text=document.text, recognizer=recognizer)
    shaped = unresolved(candidates(text, doc_id=document.id, offset=offset, taken=[m.span for m in found]))
    return sorted([*resolved, *shaped], key=lambda r: r.mention.span.start)
