"""Assemble the gazetteer from the admin tree, reference geodata, the curated file and the user's imports.

Order of precedence for a place's geometry, best first: an import by the user (``surveyed`` / ``open-data``), the
reference files (county polygons ``open-data``, GeoNames seats ``seat``, OSM lakes ``open-data``), an editor's
point or a schematic line through anchor places (``schematic``), the geometry of what the name refers to
(``derived``), and last the geometry of the smallest admin unit known to contain it (``admin-fallback``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from gazetteer.places import cache
from gazetteer.places import geometry as geom
from gazetteer.places.aliases import admin_aliases, capital_of, national_aliases, road_aliases
from gazetteer.places.curated import Anchor, CuratedFile, CuratedPlace, read_curated
from gazetteer.errors import DataError
from gazetteer.model import ADMIN_KINDS, Kind, Place, Quality
from gazetteer.places.registry import Gazetteer, Level, NonPlace, Problem
from geodata import reference, userdata
from geodata import deployment as deployments
from geodata.deployment import Deployment

#: How far from the deployment's unit a county may lie and still be named by its short name in local texts
#: (修水, 汉川 in 咸安's).
NEAR_KM = 150
SOURCE_CHINA = "cpca 0.5.5 adcodes.csv centre point (Amap, GCJ-02→WGS84), about ±1 km"
_ADMIN_KIND_BY_LEVEL = {"province": Kind.PROVINCE, "city": Kind.CITY, "county": Kind.COUNTY}


def load_gazetteer(deployment: Deployment | None = None, *, curated: Path | None = None,
                   user_dir: Path | None = None, strict: bool = True) -> Gazetteer:
    """Build the gazetteer of ``deployment`` (default: :func:`geodata.deployment.load`, the bundled 咸安 unless
    ``$GOVMAP_DEPLOYMENT`` names another). ``curated`` replaces the deployment's places file.

    With ``strict`` (the default) any problem in the data raises :class:`DataError`; without it, problems are
    kept in ``Gazetteer.load_problems`` for ``govmap check-data`` to report. With ``user_dir`` a strictly
    loaded gazetteer is kept in its cache folder (:mod:`gazetteer.places.cache`) and read from there next time."""
    deployment = deployment or deployments.load()
    if user_dir is None or not strict:
        return _build(deployment, curated=curated, user_dir=user_dir, strict=strict)
    inputs = [deployment.folder / deployments.SETTINGS_FILE, curated or deployment.path("places"),
              *(deployment.path(k) for k in ("admin", "counties", "seats", "lakes") if deployment.path(k).exists()),
              reference.data_dir() / "china.csv"]
    return cache.cached(Path(user_dir) / cache.CACHE_FOLDER,
                        cache.key(inputs, [Path(user_dir) / userdata.OVERRIDES_FILE]),
                        lambda: _build(deployment, curated=curated, user_dir=user_dir, strict=strict))


def _build(deployment: Deployment, *, curated: Path | None, user_dir: Path | None, strict: bool) -> Gazetteer:
    builder = _Builder(deployment)
    builder.add_admin_tree()
    builder.add_china()
    builder.apply_curated(read_curated(curated or deployment.path("places")))
    if user_dir is not None:
        builder.apply_overrides(user_dir)
    places = builder.finish()
    errors = [p for p in builder.problems if p.level == Level.ERROR]
    if strict and errors:
        listed = "; ".join(p.message for p in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise DataError(f"the gazetteer data has {len(errors)} error(s): {listed}{more}")
    return Gazetteer(places, nonplaces=builder.nonplaces, problems=builder.problems, deployment=deployment)


@dataclass
class _Draft:
    """A place being assembled: its attributes plus how its geometry is to be obtained."""

    id: str
    name: str
    kind: Kind
    aliases: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    admin_code: str | None = None
    geometry: BaseGeometry | None = None
    quality: Quality = Quality.MISSING
    source: str = ""
    note: str = ""
    line: tuple[Anchor, ...] = ()
    derived_from: tuple[str, ...] = ()
    segment: tuple[Anchor, ...] = ()
    curated: bool = False
    #: Aliases implied by the shape of an admin name (咸安区 → 咸安); dropped where they would be ambiguous.
    implied: list[str] = field(default_factory=list)


class _Builder:
    def __init__(self, deployment: Deployment) -> None:
        self.deployment = deployment
        self.drafts: dict[str, _Draft] = {}
        self.problems: list[Problem] = []
        self.nonplaces: list[NonPlace] = []
        self._done: dict[str, tuple[BaseGeometry | None, Quality, str]] = {}
        #: For each derived place, the ids of the places its geometry was taken from.
        self.derived_ids: dict[str, tuple[str, ...]] = {}

    def error(self, code: str, message: str) -> None:
        self.problems.append(Problem(Level.ERROR, code, message))

    # -- sources ----------------------------------------------------------------------------------------
    def add_admin_tree(self) -> None:
        counties = reference.read_counties(self.deployment).set_index("id")
        seats = reference.read_seats(self.deployment).set_index("id")
        for row in reference.read_admin_tree(self.deployment).itertuples(index=False):
            kind = _ADMIN_KIND_BY_LEVEL.get(row.level) or Kind(row.kind)
            draft = _Draft(id=row.id, name=row.name, kind=kind, parents=[row.parent_id] if row.parent_id else [],
                           admin_code=row.adcode or None, implied=list(admin_aliases(row.name, kind)))
            if row.id in counties.index:
                record = counties.loc[row.id]
                draft.geometry, draft.quality, draft.source = record.geometry, Quality(record.quality), record.source
            elif row.id in seats.index:
                record = seats.loc[row.id]
                draft.geometry, draft.quality, draft.source = record.geometry, Quality.SEAT, record.source
            self.drafts[row.id] = draft

    def add_china(self) -> None:
        """Provinces, cities and counties outside the deployment's admin tree, as centre points (their seats).

        Two-character county names (范县, 和县) would be found inside ordinary words (示范县, 城区和县城); those far
        from the deployment are left out. Counties near it keep their short names (修水, 平江 near 咸安).
        """
        from geodata import crs  # pyproj: only when the gazetteer is built, not when a cached one is read

        china = reference.read_china()
        home = self.drafts[self.deployment.adcode].geometry if self.deployment.adcode in self.drafts else None
        near = crs.within_km(china.geometry, home, NEAR_KM) if home is not None else [False] * len(china)
        city_stems = frozenset(n.removesuffix("市") for n in china.loc[china["kind"] == "city", "name"])
        capital = capital_of(self.deployment.parents[0]) if self.deployment.parents else ""
        for row, close in zip(china.itertuples(index=False), near):
            if row.id in self.drafts:  # the deployment's own admin tree has it, with better geometry
                continue
            kind = Kind(row.kind)
            if row.id in self.drafts or (kind == Kind.COUNTY and len(row.name) == 2 and not close):
                continue
            self.drafts[row.id] = _Draft(
                id=row.id, name=row.name, kind=kind, parents=[row.parent_id] if row.parent_id else [],
                admin_code=row.adcode, geometry=row.geometry, source=SOURCE_CHINA,
                quality=Quality.MISSING if row.geometry is None else Quality.SEAT,
                implied=list(national_aliases(row.name, kind, near=bool(close), city_stems=city_stems,
                                              capital_district=row.parent_id == capital)))

    def apply_curated(self, curated: CuratedFile) -> None:
        extended: dict[str, str] = {}
        for ext in curated.extensions:
            target = self.resolve_ref(ext.target, context=f"[[extend]] {ext.target}")
            if target is None:
                continue
            if target in extended:  # a second table would be merged silently, its point ignored
                self.error("duplicate-extend", f"[[extend]] {ext.target}: {self.drafts[target].name} is already "
                                               f"extended by [[extend]] {extended[target]}; keep one table per unit")
                continue
            extended[target] = ext.target
            draft = self.drafts[target]
            draft.aliases.extend(a for a in ext.aliases if a not in draft.aliases)
            draft.kind = ext.kind or draft.kind
            draft.note = ext.note or draft.note
            if ext.point is not None and draft.geometry is None:
                draft.geometry, draft.quality = Point(ext.point), Quality.SCHEMATIC
                draft.source = f"curated position: {ext.position_source}"
        for place in curated.places:
            self.add_curated_place(place)
        self.nonplaces = [NonPlace(n.name, n.reason, n.refers_to) for n in curated.nonplaces]

    def add_curated_place(self, place: CuratedPlace) -> None:
        context = f"[[place]] {place.id} ({place.name})"
        if place.id in self.drafts:
            self.error("duplicate-id", f"{context}: the id is used twice")
            return
        parents = [p for p in (self.resolve_ref(ref, context=context) for ref in place.parents) if p]
        draft = _Draft(id=place.id, name=place.name, kind=place.kind, aliases=list(place.aliases),
                       parents=parents, note=place.note, line=place.line, derived_from=place.derived_from,
                       segment=place.segment, curated=True,
                       implied=list(road_aliases((place.name, *place.aliases))) if place.kind == Kind.ROAD else [])
        if place.dataset:
            self.set_dataset_geometry(draft, place.dataset, context)
        elif place.point is not None:
            draft.geometry, draft.quality = Point(place.point), Quality.SCHEMATIC
            draft.source = f"curated position: {place.position_source}"
        self.drafts[place.id] = draft

    def set_dataset_geometry(self, draft: _Draft, dataset: str, context: str) -> None:
        name, _, feature = dataset.partition(":")
        readers = {"lakes": reference.read_lakes, "counties": reference.read_counties, "seats": reference.read_seats}
        if name not in readers:
            self.error("bad-dataset", f"{context}: unknown dataset {name!r} (one of {', '.join(readers)})")
            return
        frame = readers[name](self.deployment)
        match = frame[frame["id"] == feature]
        if match.empty:
            self.error("bad-dataset", f"{context}: no feature {feature!r} in {name}")
            return
        record = match.iloc[0]
        draft.geometry, draft.quality, draft.source = record.geometry, Quality(record.quality), record.source

    def apply_overrides(self, user_dir: Path) -> None:
        for row in userdata.read_overrides(user_dir=user_dir).itertuples(index=False):
            if row.place_id not in self.drafts:
                self.problems.append(Problem(Level.INFO, "stale-import",
                                             f"imported geometry for unknown place {row.place_id!r} ignored"))
                continue
            draft = self.drafts[row.place_id]
            draft.geometry, draft.quality, draft.source = row.geometry, Quality(row.quality), row.source
            draft.line, draft.derived_from, draft.segment = (), (), ()

    # -- references -------------------------------------------------------------------------------------
    def resolve_ref(self, ref: str, *, context: str) -> str | None:
        """A place id, or a name path such as ``咸安区/向阳湖镇``, to an id; records an error if unknown."""
        if ref in self.drafts:
            return ref
        parts = ref.split("/")
        candidates = [d for d in self.drafts.values() if d.name == parts[0] or parts[0] in d.aliases]
        if len(parts) > 1:
            candidates = [d for d in candidates if d.kind in (Kind.PROVINCE, Kind.CITY, Kind.COUNTY)]
        for part in parts[1:]:
            ids = {d.id for d in candidates}
            candidates = [d for d in self.drafts.values() if d.parents and d.parents[0] in ids
                          and part in (d.name, *d.aliases)]
        if len(candidates) == 1:
            return candidates[0].id
        problem = "is ambiguous" if candidates else "names no known place"
        self.error("bad-reference", f"{context}: {ref!r} {problem}")
        return None

    # -- geometry ---------------------------------------------------------------------------------------
    def settle_implied_aliases(self) -> None:
        """Keep an implied alias only where no other entry is called by it (向阳湖 is the lake, not 向阳湖镇)."""
        taken: dict[str, set[str]] = {}
        for draft in self.drafts.values():
            for name in (draft.name, *draft.aliases):
                taken.setdefault(name, set()).add(draft.id)
        implied: dict[str, set[str]] = {}
        for draft in self.drafts.values():
            for alias in draft.implied:
                implied.setdefault(alias, set()).add(draft.id)
        for draft in self.drafts.values():
            draft.aliases.extend(alias for alias in draft.implied if alias not in draft.aliases
                                 and taken.get(alias, {draft.id}) <= {draft.id} and implied[alias] == {draft.id})

    def finish(self) -> list[Place]:
        self.settle_implied_aliases()
        index = geom.NameIndex({d.id: (d.name, d.kind) for d in self.drafts.values()})
        places = []
        for draft in self.drafts.values():
            shape, quality, source = self.geometry_of(draft.id, index, ())
            places.append(Place(id=draft.id, name=draft.name, kind=draft.kind,
                                aliases=tuple(dict.fromkeys(a for a in draft.aliases if a != draft.name)),
                                parents=tuple(draft.parents), admin_code=draft.admin_code, geometry=shape,
                                quality=quality, source=source, note=draft.note,
                                derived_from=self.derived_ids.get(draft.id, ()) if quality == Quality.DERIVED else ()))
        return places

    def geometry_of(self, place_id: str, index: geom.NameIndex,
                    stack: tuple[str, ...]) -> tuple[BaseGeometry | None, Quality, str]:
        if place_id in self._done:
            return self._done[place_id]
        draft = self.drafts[place_id]
        if place_id in stack:
            self.error("cycle", f"{draft.name}: its geometry refers back to itself via {' → '.join(stack)}")
            return (None, Quality.MISSING, "")
        stack = (*stack, place_id)
        result = self._compute(draft, index, stack)
        self._done[place_id] = result
        return result

    def _compute(self, draft: _Draft, index: geom.NameIndex,
                 stack: tuple[str, ...]) -> tuple[BaseGeometry | None, Quality, str]:
        if draft.geometry is not None:
            return (draft.geometry, draft.quality, draft.source)
        if draft.line:
            return self._schematic(draft, index, stack)
        refs, how = list(draft.derived_from), "named in the curated file"
        if not refs and draft.curated and draft.kind not in ADMIN_KINDS:
            # An entry of the same name is a duplicate (reported by the checks), not what the name refers to.
            refs = [r for r in index.contained_in(draft.name, exclude=draft.id) if self.drafts[r].name != draft.name]
            how = "its name contains " + "、".join(self.drafts[r].name for r in refs)
        if refs:
            return self._derived(draft, refs, how, index, stack)
        return self._fallback(draft, index, stack)

    def _schematic(self, draft: _Draft, index: geom.NameIndex,
                   stack: tuple[str, ...]) -> tuple[BaseGeometry | None, Quality, str]:
        points, names = [], []
        for anchor in draft.line:
            if isinstance(anchor, tuple):
                points.append(anchor)
                names.append(f"({anchor[0]:.3f}, {anchor[1]:.3f})")
                continue
            target = self.resolve_ref(anchor, context=f"{draft.name} line anchor")
            shape = self.geometry_of(target, index, stack)[0] if target else None
            if shape is None:
                self.error("bad-anchor", f"{draft.name}: anchor {anchor!r} has no position")
                continue
            points.append(geom.anchor_point(shape))
            names.append(self.drafts[target].name)
        if len(points) < 2:
            return self._fallback(draft, index, stack)
        line: BaseGeometry = LineString(points)
        source = "schematic line through " + " → ".join(names)
        if draft.segment:
            line, source = self._segment(draft, line, source, index, stack)
        return (line, Quality.SCHEMATIC, source)

    def _segment(self, draft: _Draft, line: BaseGeometry, source: str, index: geom.NameIndex,
                 stack: tuple[str, ...]) -> tuple[BaseGeometry, str]:
        ends = []
        for anchor in draft.segment:
            target = anchor if isinstance(anchor, tuple) else self.resolve_ref(anchor, context=draft.name)
            if target is None:
                return line, source
            ends.append(Point(target) if isinstance(target, tuple) else self.geometry_of(target, index, stack)[0])
        if len(ends) == 2 and all(e is not None for e in ends):
            return geom.segment_between(line, ends[0], ends[1]), f"{source}, between the two named anchors"
        return line, source

    def _derived(self, draft: _Draft, refs: list[str], how: str, index: geom.NameIndex,
                 stack: tuple[str, ...]) -> tuple[BaseGeometry | None, Quality, str]:
        shapes, names, sources = [], [], []
        for ref in refs:
            target = self.resolve_ref(ref, context=f"{draft.name} derived_from")
            if target is None:
                continue
            shape = self.geometry_of(target, index, stack)[0]
            if shape is not None:
                shapes.append(shape)
                names.append(self.drafts[target].name)
                sources.append(target)
        if not shapes:
            return self._fallback(draft, index, stack)
        self.derived_ids[draft.id] = tuple(sources)
        shape = shapes[0] if len(shapes) == 1 else shapely.union_all(shapes)
        if draft.segment:
            shape, _ = self._segment(draft, shape, "", index, stack)
        return (shape, Quality.DERIVED, f"derived from {'、'.join(names)} ({how})")

    def _fallback(self, draft: _Draft, index: geom.NameIndex,
                  stack: tuple[str, ...]) -> tuple[BaseGeometry | None, Quality, str]:
        for parent in draft.parents:
            if parent not in self.drafts:
                continue
            shape = self.geometry_of(parent, index, stack)[0]
            if shape is not None:
                return (shape, Quality.ADMIN_FALLBACK, f"admin-fallback: the geometry of {self.drafts[parent].name}")
        return (None, Quality.MISSING, "no geometry known")

