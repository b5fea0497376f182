"""Geocoding a passage: recognise its place names, read the names built on them, resolve each, and add the
unresolved candidates."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from gazetteer.geocoding.candidates import candidates
from gazetteer.geocoding.compounds import Compound, derived_place, find_compounds, route_place
from gazetteer.geocoding.enumerations import find_enumerations
from gazetteer.model import Document, Mention, Resolution, Span, Status
from gazetteer.geocoding.placement import place_candidates
from gazetteer.geocoding.recognize import NONPLACE, Recognizer
from gazetteer.geocoding.shortforms import find_short_forms
from gazetteer.places.registry import Gazetteer
from gazetteer.geocoding.resolve import resolve, unresolved


def locate(text: str, document: Document, gazetteer: Gazetteer, *, recognizer: Recognizer,
           offset: int = 0) -> list[Resolution]:
    """Recognise and resolve the place names of ``text`` (a passage of ``document`` starting at ``offset``),
    followed by the unresolved candidates, all in text order.

    A name built on a known place (贺胜桥站, 咸宁日报) replaces the names inside it: it resolves to a place derived
    from its base (``Resolution.derived``) or is reported as a non-place.
    """
    listed, unknown = _listed_units(text, document, gazetteer, offset=offset)
    mentions = _merge(recognizer.find(text, doc_id=document.id, offset=offset), [*listed, *unknown], listed)
    short = dict((m.span, cue) for m, cue in find_short_forms(text, gazetteer, taken=[m.span for m in mentions],
                                                               doc_id=document.id, offset=offset,
                                                               document=document.text))
    if short:
        mentions = sorted([*mentions, *(Mention(text[s.start - offset:s.end - offset], s,
                                                _short_ids(gazetteer, text[s.start - offset:s.end - offset]))
                                        for s in short)], key=lambda m: m.span.start)
    found = resolve(mentions, gazetteer, text=document.text, recognizer=recognizer)
    listed_spans = {m.span for m in listed}
    found = [_with_evidence(r, short, listed_spans) for r in found]
    places = [r for r in found if r.place_id is not None]
    built = find_compounds(text, [(r.mention.span.start - offset, r.mention.span.end - offset,
                                   gazetteer[r.place_id].kind) for r in places])
    inside = [(offset + c.start, offset + c.end) for c in built if c.name_start <= c.start]  # sorted, disjoint
    resolved = [r for r in found if not _within(r.mention.span, inside)]
    named = [_compound(c, places[c.base], places[c.other] if c.other >= 0 else None, document, gazetteer,
                       offset=offset) for c in built]
    taken = [r.mention.span for r in (*resolved, *named)]
    shaped = unresolved([*candidates(text, doc_id=document.id, offset=offset, taken=taken), *unknown])
    every = sorted([*resolved, *named, *shaped], key=lambda r: r.mention.span.start)
    return place_candidates(every, gazetteer, document.text, offset=0)


def _short_ids(gazetteer: Gazetteer, stem: str) -> tuple[str, ...]:
    from gazetteer.geocoding.shortforms import unit_short_forms
    return tuple(u.id for u in unit_short_forms(gazetteer)[stem])


def _with_evidence(res: Resolution, short: dict[Span, str], listed: set[Span]) -> Resolution:
    """The cue that admitted a short form, or the list a unit stands in, added to a resolution."""
    span = res.mention.span
    if span in short and res.place_id is not None:
        return replace(res, reason=f"{res.reason}; short form of a unit of the deployment ({short[span]})",
                       evidence=(*res.evidence, ("short form", short[span])))
    if span in listed:
        return replace(res, evidence=(*res.evidence, ("list membership", "an item of a counted list of units")))
    return res


def _within(span: Span, stretches: list[tuple[int, int]]) -> bool:
    """True when ``span`` lies inside one of the sorted, disjoint ``stretches``."""
    at = bisect_right(stretches, (span.start, float("inf"))) - 1
    return at >= 0 and stretches[at][0] <= span.start and span.end <= stretches[at][1]


def _listed_units(text: str, document: Document, gazetteer: Gazetteer, *,
                  offset: int) -> tuple[list[Mention], list[Mention]]:
    """Items of counted lists of units (永安、浮山、温泉3个街道): those the gazetteer knows, and those it does not."""
    lists: dict[int, list[Mention]] = {}
    for item in find_enumerations(text):
        start, ids = item.start, _item_ids(item.text, item, gazetteer)
        if not ids and item.group not in lists:  # 车埠镇毕家、梅湖两个村: the first item after a unit's name
            start, ids = next(((item.start + cut, found) for cut in range(1, len(item.text) - 1)
                               if (found := _item_ids(item.text[cut:], item, gazetteer))
                               and gazetteer.ids_named(item.text[:cut])), (start, ids))
        lists.setdefault(item.group, []).append(
            Mention(text[start:item.end], Span(document.id, offset + start, offset + item.end), ids))
    known = [m for items in lists.values() for m in items if m.candidates]
    # Unknown items are reported only from lists that are mostly known units (not 新建、改造2个村).
    unknown = [m for items in lists.values() if 2 * sum(1 for m in items if m.candidates) >= len(items)
               for m in items if not m.candidates]
    return known, unknown


def _item_ids(name: str, item, gazetteer: Gazetteer) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for n in (name, *(name + e for e in item.endings))
                               for i in gazetteer.ids_named(n) if gazetteer[i].kind in item.kinds))


def _merge(found: list[Mention], items: list[Mention], listed: list[Mention]) -> list[Mention]:
    """The recognised names with list items in place of whatever overlapped them (桂花 the flower → 桂花镇)."""
    if not items:
        return found
    kept = [m for m in found if not any(i.span.start < m.span.end and m.span.start < i.span.end for i in items)]
    return sorted([*kept, *listed], key=lambda m: m.span.start)


def _compound(compound: Compound, base: Resolution, other: Resolution | None, document: Document,
              gazetteer: Gazetteer, *, offset: int) -> Resolution:
    span = Span(document.id, offset + max(compound.start, compound.name_start), offset + compound.end)
    named_after = f"{base.mention.text} ({base.place_id})"
    if compound.kind is None:
        return Resolution(Mention(compound.text, span, (NONPLACE,)), None,
                          f"nonplace: {compound.nonplace} (a name built on {named_after}, ending in {compound.ending})",
                          status=Status.NONPLACE)
    if compound.other >= 0:
        place = route_place(compound, gazetteer[base.place_id], gazetteer[other.place_id])
    else:
        place = derived_place(compound, gazetteer[base.place_id])
    return Resolution(Mention(compound.name, span, (place.id,)), place.id,
                      f"derived: a {compound.kind} named after {named_after}, ending in {compound.ending}",
                      (base.place_id,), derived=place)
