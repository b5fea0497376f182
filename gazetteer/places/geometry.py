"""Geometry helpers for building the gazetteer: anchors, segments and the place a name refers to."""

from __future__ import annotations

from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge, substring

from gazetteer.model import Kind

#: Kinds too large to locate anything by: a project named 咸安区… is placed by its parents, not "derived".
TOO_LARGE_TO_LOCATE = frozenset({Kind.PROVINCE, Kind.CITY, Kind.COUNTY})


def anchor_point(shape: BaseGeometry) -> tuple[float, float]:
    """The (lon, lat) a schematic line passes through for an anchor place.

    >>> anchor_point(Point(114.3, 29.8))
    (114.3, 29.8)
    """
    if shape.geom_type == "Point":
        return (shape.x, shape.y)
    point = shape.representative_point()
    return (point.x, point.y)


def segment_between(line: BaseGeometry, start: BaseGeometry, end: BaseGeometry) -> BaseGeometry:
    """The part of ``line`` between the points nearest to ``start`` and ``end``.

    >>> segment_between(LineString([(0, 0), (10, 0)]), Point(2, 1), Point(5, -1)).wkt
    'LINESTRING (2 0, 5 0)'
    """
    if isinstance(line, MultiLineString):
        merged = linemerge(line)
        line = merged if merged.geom_type == "LineString" else max(merged.geoms, key=lambda g: g.length)
    if line.geom_type != "LineString":
        return line
    a, b = sorted((line.project(start.centroid), line.project(end.centroid)))
    if b - a <= 0:
        return line
    return substring(line, a, b)


class NameIndex:
    """Which places a longer name refers to: 汀泗河系统治理工程 → 汀泗河."""

    def __init__(self, names: dict[str, tuple[str, Kind]]) -> None:
        self._ids: dict[str, list[str]] = {}
        for place_id, (name, kind) in names.items():
            if kind not in TOO_LARGE_TO_LOCATE and len(name) >= 2:
                self._ids.setdefault(name, []).append(place_id)

    def contained_in(self, text: str, *, exclude: str) -> list[str]:
        """Ids of the places whose names stand inside ``text``, longest first, without overlaps.

        >>> index = NameIndex({"r": ("汀泗河", Kind.RIVER), "p": ("汀泗河系统治理工程", Kind.PROJECT)})
        >>> index.contained_in("汀泗河系统治理工程", exclude="p")
        ['r']
        """
        found: list[tuple[int, int, str]] = []
        for length in range(len(text), 1, -1):
            for start in range(len(text) - length + 1):
                ids = [i for i in self._ids.get(text[start:start + length], ()) if i != exclude]
                taken = any(s < start + length and start < e for s, e, _ in found)
                if ids and not taken:
                    found.append((start, start + length, ids[0]))
        return list(dict.fromkeys(place_id for _, _, place_id in sorted(found, key=lambda f: f[0] - f[1])))
