"""Reading the human-edited gazetteer file (a deployment's ``places.toml`` (咸安: ``geodata/deployments/xianan/places.toml``)) into checked records.

The file has three kinds of table: ``[[extend]]`` adds aliases, a kind or a position to a unit of the admin tree;
``[[place]]`` adds a place the tree does not have; ``[[nonplace]]`` lists words that contain a place name but are
not places. Its header comment documents every field.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from gazetteer.errors import DataError
from gazetteer.model import Kind

#: An anchor: a name path ("咸安区/向阳湖镇"), a place id, or a [lon, lat] pair.
Anchor = str | tuple[float, float]

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_GEOMETRY_FIELDS = ("dataset", "point", "line", "derived_from")
_PLACE_FIELDS = {"id", "name", "kind", "aliases", "parents", "position_source", "segment", "note",
                 *_GEOMETRY_FIELDS}
_EXTEND_FIELDS = {"target", "aliases", "kind", "point", "position_source", "note"}
_NONPLACE_FIELDS = {"name", "reason", "refers_to"}
NONPLACE_REASONS = frozenset({"brand", "product", "concept", "organisation", "event"})


@dataclass(frozen=True, slots=True)
class CuratedPlace:
    """A ``[[place]]`` table, checked but not yet resolved against other places."""

    id: str
    name: str
    kind: Kind
    aliases: tuple[str, ...]
    parents: tuple[str, ...]
    dataset: str | None
    point: tuple[float, float] | None
    line: tuple[Anchor, ...]
    derived_from: tuple[str, ...]
    segment: tuple[Anchor, ...]
    position_source: str
    note: str


@dataclass(frozen=True, slots=True)
class Extension:
    """An ``[[extend]]`` table: more about a unit of the admin tree."""

    target: str
    aliases: tuple[str, ...]
    kind: Kind | None
    point: tuple[float, float] | None
    position_source: str
    note: str


@dataclass(frozen=True, slots=True)
class CuratedNonPlace:
    name: str
    reason: str
    refers_to: str | None


@dataclass(frozen=True, slots=True)
class CuratedFile:
    places: tuple[CuratedPlace, ...]
    extensions: tuple[Extension, ...]
    nonplaces: tuple[CuratedNonPlace, ...]


def read_curated(path: Path) -> CuratedFile:
    """Parse and check the curated file; every problem is a :class:`DataError` naming the entry."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"{path}: cannot read the curated gazetteer: {exc}") from None
    unknown = set(raw) - {"place", "extend", "nonplace"}
    if unknown:
        raise DataError(f"{path}: unknown tables {sorted(unknown)} (expected place, extend, nonplace)")
    places = tuple(_place(entry, f"{path} [[place]] #{n + 1}") for n, entry in enumerate(raw.get("place", [])))
    extensions = tuple(_extension(entry, f"{path} [[extend]] #{n + 1}")
                       for n, entry in enumerate(raw.get("extend", [])))
    nonplaces = tuple(_nonplace(entry, f"{path} [[nonplace]] #{n + 1}")
                      for n, entry in enumerate(raw.get("nonplace", [])))
    return CuratedFile(places, extensions, nonplaces)


def _place(entry: dict, where: str) -> CuratedPlace:
    _check_fields(entry, _PLACE_FIELDS, where)
    for required in ("id", "name", "kind"):
        if not entry.get(required):
            raise DataError(f"{where}: missing {required!r}")
    where = f"{where} ({entry['name']})"
    if not _ID.match(entry["id"]):
        raise DataError(f"{where}: id {entry['id']!r} must be lower-case ASCII letters, digits and '-'")
    given = [name for name in _GEOMETRY_FIELDS if entry.get(name)]
    if len(given) > 1:
        raise DataError(f"{where}: give at most one of {', '.join(_GEOMETRY_FIELDS)} (got {', '.join(given)})")
    point = _lonlat(entry.get("point"), where) if entry.get("point") else None
    line = tuple(_anchor(a, where) for a in entry.get("line", ()))
    segment = tuple(_anchor(a, where) for a in entry.get("segment", ()))
    if line and len(line) < 2:
        raise DataError(f"{where}: a schematic line needs at least two anchors")
    needs_source = point is not None or any(isinstance(a, tuple) for a in (*line, *segment))
    if needs_source and not entry.get("position_source", "").strip():
        raise DataError(f"{where}: coordinates given without position_source")
    return CuratedPlace(
        id=entry["id"], name=entry["name"], kind=_kind(entry["kind"], where),
        aliases=_strings(entry.get("aliases", []), "aliases", where),
        parents=_strings(entry.get("parents", []), "parents", where),
        dataset=entry.get("dataset") or None, point=point, line=line,
        derived_from=_strings(entry.get("derived_from", []), "derived_from", where),
        segment=segment, position_source=entry.get("position_source", ""), note=entry.get("note", ""))


def _extension(entry: dict, where: str) -> Extension:
    _check_fields(entry, _EXTEND_FIELDS, where)
    if not entry.get("target"):
        raise DataError(f"{where}: missing 'target'")
    where = f"{where} ({entry['target']})"
    point = _lonlat(entry.get("point"), where) if entry.get("point") else None
    if point is not None and not entry.get("position_source", "").strip():
        raise DataError(f"{where}: point given without position_source")
    return Extension(target=entry["target"], aliases=_strings(entry.get("aliases", []), "aliases", where),
                     kind=_kind(entry["kind"], where) if entry.get("kind") else None, point=point,
                     position_source=entry.get("position_source", ""), note=entry.get("note", ""))


def _nonplace(entry: dict, where: str) -> CuratedNonPlace:
    _check_fields(entry, _NONPLACE_FIELDS, where)
    if not entry.get("name") or entry.get("reason") not in NONPLACE_REASONS:
        raise DataError(f"{where}: a nonplace needs a name and a reason among {sorted(NONPLACE_REASONS)}")
    return CuratedNonPlace(entry["name"], entry["reason"], entry.get("refers_to") or None)


def _check_fields(entry: object, allowed: set[str], where: str) -> None:
    if not isinstance(entry, dict):
        raise DataError(f"{where}: expected a table")
    extra = set(entry) - allowed
    if extra:
        raise DataError(f"{where}: unknown fields {sorted(extra)}")


def _kind(value: object, where: str) -> Kind:
    try:
        return Kind(value)
    except ValueError:
        raise DataError(f"{where}: unknown kind {value!r} (one of {', '.join(k.value for k in Kind)})") from None


def _strings(value: object, name: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataError(f"{where}: {name} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _lonlat(value: object, where: str) -> tuple[float, float]:
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)):
        raise DataError(f"{where}: a position must be [lon, lat], got {value!r}")
    lon, lat = float(value[0]), float(value[1])
    if not (73 <= lon <= 136 and 3 <= lat <= 54):
        raise DataError(f"{where}: [{lon}, {lat}] is not a lon/lat position in China (is it [lat, lon]?)")
    return (lon, lat)


def _anchor(value: object, where: str) -> Anchor:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return _lonlat(value, where)
