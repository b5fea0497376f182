"""Finding place names in text: an Aho–Corasick automaton over every name and alias, leftmost-longest.

``ahocorasick_rs`` (Rust's ``aho-corasick`` crate) gives leftmost-longest, non-overlapping matches in one pass, so
向阳湖奶牛场 wins over 向阳湖 inside it and the cost grows with the text, not with the size of the gazetteer. It
reads Python strings directly and returns character offsets, about five times faster than pyahocorasick's
``iter_long`` on these texts (benchmarks/). Words that contain a place name but are not places (贺胜鸡汤, 温泉文化)
are keys of the same automaton, so they consume their span on purpose. Stretches shaped like places that the gazetteer does not know are found by :mod:`gazetteer.geocoding.candidates`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

import ahocorasick_rs

from gazetteer.geocoding import routes
from gazetteer.model import Mention, Span
from gazetteer.places.registry import Gazetteer

#: Names too generic to recognise on their own even though some admin unit carries them.
GENERIC_NAMES = frozenset({"城区", "新区", "开发区", "中心", "社区", "新村", "街道", "中国"})

#: Value stored for a non-place key of the automaton.
NONPLACE = "nonplace"


class Recognizer:
    """Finds gazetteer names in text. Build once per gazetteer; :meth:`find` is pure."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        keys: dict[str, tuple[str, ...]] = {}
        for name, ids in gazetteer.names().items():
            if len(name) >= 2 and name not in GENERIC_NAMES:
                keys[name] = ids
        for nonplace in gazetteer.nonplaces:
            keys[nonplace.name] = (NONPLACE,)
        self._names = list(keys)
        self._candidates = list(keys.values())
        self._automaton = (ahocorasick_rs.AhoCorasick(self._names, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
                           if keys else None)
        self._containers: dict[str, list[str]] | None = None
        self._every: ahocorasick_rs.AhoCorasick | None = None  # all keys, overlapping: built on first use
        self._longest_name = max(map(len, keys), default=0)
        # Roads by route number, whichever way the gazetteer writes it (G107 finds 国道 107 too); names that are
        # only a route number must stand alone (S31 is not inside S318).
        self._routes: dict[str, tuple[str, ...]] = {}
        self._route_keys: set[int] = set()
        for key, (name, ids) in enumerate(keys.items()):
            ref = routes.normalise(name)
            if ref is not None and ids != (NONPLACE,):
                self._routes[ref] = tuple(dict.fromkeys((*self._routes.get(ref, ()), *ids)))
                self._route_keys.add(key)

    def _overlapping(self, text: str) -> list[tuple[int, int, int]]:
        """Every place-name match in ``text``, overlapping ones too, as (key, start, end).

        One automaton of all the keys (built on first use, by the first non-place match or the first question about
        containers) serves both; non-place keys are dropped from what it finds.
        """
        if self._every is None:
            self._every = ahocorasick_rs.AhoCorasick(self._names, matchkind=ahocorasick_rs.MatchKind.Standard)
        ids = self._candidates
        return [m for m in self._every.find_matches_as_indexes(text, overlapping=True) if ids[m[0]] != (NONPLACE,)]

    def _nonplaces_give_way(self, text: str, matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """A non-place word gives way to a place name that starts inside it and runs past it: 咸宁桂花镇 is 咸宁 +
        桂花镇, not the brand 咸宁桂花 + 镇."""
        kept: list[tuple[int, int, int]] = []
        busy = -1
        for key, start, end in matches:
            if start < busy:
                continue
            if self._candidates[key] == (NONPLACE,):
                window = text[start + 1:end + self._longest_name]
                past = max((start + 1 + e for _, s, e in self._overlapping(window)
                            if s < end - start - 1 and start + 1 + e > end), default=None)
                if past is not None:
                    inside = _leftmost_longest(self._overlapping(text[start:past]))
                    kept += [(k, start + s, start + e) for k, s, e in inside]
                    busy = past
                    continue
            kept.append((key, start, end))
        return kept

    def containers(self, name: str) -> list[str]:
        """Longer names that contain ``name`` (向阳湖 → 向阳湖镇, 向阳湖奶牛场), for "alternatives considered"."""
        if self._containers is None:
            index: dict[str, list[str]] = {}
            for longer, ids in zip(self._names, self._candidates):
                if ids == (NONPLACE,):
                    continue
                for inner in dict.fromkeys(self._names[k] for k, _, _ in self._overlapping(longer)):
                    if inner != longer:
                        index.setdefault(inner, []).append(longer)
            self._containers = index
        return self._containers.get(name, [])

    def find(self, text: str, *, doc_id: str, offset: int = 0) -> list[Mention]:
        """Leftmost-longest matches in ``text``; spans are ``offset``-relative (document offsets).

        A non-place match is returned with ``candidates == ("nonplace",)``.
        """
        if self._automaton is None:
            return []
        names, ids, route_keys = self._names, self._candidates, self._route_keys
        matches = self._automaton.find_matches_as_indexes(text)
        if any(ids[key] == (NONPLACE,) for key, _, _ in matches):
            matches = self._nonplaces_give_way(text, matches)
        found = [Mention(names[key], Span(doc_id, offset + start, offset + end), ids[key])
                 for key, start, end in matches
                 if key not in route_keys or routes.stands_alone(text, start, end)]
        known = [route for route in routes.find_routes(text) if route.ref in self._routes]
        return _merge_routes(found, known, self._routes, doc_id=doc_id, offset=offset) if known else found


def _leftmost_longest(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The leftmost-longest, non-overlapping matches among overlapping ones (what a leftmost-longest automaton of
    the same keys finds): the match starting first, the longest of those, then on from its end.

    >>> _leftmost_longest([(0, 0, 2), (1, 0, 3), (2, 1, 4), (3, 3, 5)])
    [(1, 0, 3), (3, 3, 5)]
    """
    chosen: list[tuple[int, int, int]] = []
    cursor = 0
    for key, start, end in sorted(matches, key=lambda m: (m[1], -m[2])):
        if start >= cursor:
            chosen.append((key, start, end))
            cursor = end
    return chosen


def _merge_routes(found: list[Mention], known: list[routes.Route], ids: dict[str, tuple[str, ...]], *,
                  doc_id: str, offset: int) -> list[Mention]:
    """Add route numbers written in a form the gazetteer does not list (国道 107 for G107); a longer name wins.

    ``found`` is sorted and its spans are disjoint (leftmost-longest), and stays so: the mentions a route overlaps
    are a run of it, found by bisection, not by scanning every mention for every route.
    """
    merged = list(found)
    starts, ends = [m.span.start for m in merged], [m.span.end for m in merged]
    for route in known:
        start, end = offset + route.start, offset + route.end
        first, stop = bisect_right(ends, start), bisect_left(starts, end)
        if all(start <= m.span.start and m.span.end <= end and m.span.end - m.span.start < end - start
               for m in merged[first:stop]):
            merged[first:stop] = [Mention(route.text, Span(doc_id, start, end), ids[route.ref])]
            starts[first:stop], ends[first:stop] = [start], [end]
    return merged
