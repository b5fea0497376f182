"""Read authoritative user files (Shapefile, GeoJSON, GeoPackage) and OpenStreetMap extracts into named features.

Every reader returns one row per distinct name with columns ``name``, ``attributes`` (a JSON array of the source
features' attributes) and ``geometry`` in EPSG:4326; features sharing a name are dissolved into one geometry.
A file without a CRS is refused (GeoJSON is WGS84 by RFC 7946), and so is a file none of whose features lies in or
near the area of the reference data (a wrong CRS: metres labelled as degrees, the wrong Gauss-Kruger zone).
OpenStreetMap ``.osm``/``.pbf`` files go through
GDAL's OSM driver with the ``osmconf.ini`` shipped in ``geodata/data``. A Shapefile without ``.cpg`` whose text
GDAL decodes as Latin-1 (most Chinese ones: GBK) is read again in the encoding that yields Chinese.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from shapely.geometry.base import BaseGeometry
from pyogrio.errors import DataLayerError, DataSourceError, FieldError, GeometryError

from geodata import crs
from geodata.errors import ImportFileError

#: File suffixes read as ordinary GIS files (``.zip``: a zipped Shapefile).
GIS_SUFFIXES = (".shp", ".geojson", ".json", ".gpkg", ".zip")
#: OpenStreetMap extract suffixes (read through GDAL's OSM driver).
OSM_SUFFIXES = (".osm", ".pbf")
#: Kinds a file may carry (the ``--kind`` of ``govmap import``).
KINDS = ("county", "town", "township", "subdistrict", "village", "lake", "river", "road", "park", "site")
#: Name fields tried, in order, when ``name_field`` is not given for an ordinary GIS file.
DEFAULT_NAME_FIELDS = ("name", "Name", "NAME", "名称", "XZQMC", "xzqmc", "MC", "mc", "name_zh")
#: Separator of several values in one OSM tag (``ref=G107;G4``).
OSM_VALUE_SEPARATOR = ";"

#: Encodings tried for a Shapefile without .cpg whose text reads as Latin-1 mojibake (common for Chinese data).
LEGACY_ENCODINGS = ("utf-8", "gbk")
LEGACY_ENCODING_SAMPLE = 200
#: How far (degrees, ≈5 km) outside the reference area a file's nearest feature may lie before its CRS is doubted.
NEAR_REFERENCE_DEG = 0.05

_HSTORE_PAIR = re.compile(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"')


@dataclass(frozen=True)
class OsmRule:
    """Features of one OSM layer whose ``tag`` is set (to one of ``values`` when given)."""

    layer: str
    tag: str
    values: frozenset[str] | None = None


_ADMIN = (OsmRule("multipolygons", "boundary", frozenset({"administrative"})),)
#: Which OSM features each kind reads.
OSM_RULES: dict[str, tuple[OsmRule, ...]] = {
    "river": (OsmRule("lines", "waterway"),),
    "lake": (OsmRule("multipolygons", "natural", frozenset({"water"})), OsmRule("multipolygons", "water"),
             OsmRule("multipolygons", "landuse", frozenset({"reservoir", "basin"}))),
    "road": (OsmRule("lines", "highway"),),
    "park": (OsmRule("multipolygons", "leisure", frozenset({"park", "nature_reserve"})),
             OsmRule("multipolygons", "boundary", frozenset({"national_park", "protected_area"}))),
    **{kind: _ADMIN for kind in ("county", "town", "township", "subdistrict", "village")},
}
#: Name fields of OSM features, in order of preference, when ``name_field`` is not given (roads also by ``ref``).
OSM_NAME_TAGS = ("name", "name_zh")
OSM_ROAD_TAGS = ("ref", "name", "name_zh")


def read_features(path: Path, *, name_field: str | None, kind: str, extent: BaseGeometry,
                  layer: str | None = None) -> gpd.GeoDataFrame:
    """Read ``path`` into one WGS84 feature per name; raise :class:`ImportFileError` if it is unusable."""
    path = Path(path)
    if kind not in KINDS:
        raise ImportFileError(f"unsupported kind {kind!r}; one of {', '.join(KINDS)}")
    if not path.exists():
        raise ImportFileError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in OSM_SUFFIXES:
        named = _read_osm(path, name_field=name_field, kind=kind)
    elif suffix in GIS_SUFFIXES:
        named = _read_gis(path, name_field=name_field, layer=layer)
    else:
        raise ImportFileError(f"{path.name}: unsupported format {suffix or '(no suffix)'}; "
                              f"use one of {', '.join(GIS_SUFFIXES + OSM_SUFFIXES)}")
    _require_near_reference(named, extent, source=path.name)
    return dissolve_by_name(named)


def _require_near_reference(features: gpd.GeoDataFrame, area: BaseGeometry, *, source: str) -> None:
    """Refuse a file none of whose features lies in or near the deployment's area: its recorded CRS is wrong."""
    if shapely.dwithin(features.geometry.to_numpy(), area, NEAR_REFERENCE_DEG).any():
        return
    raise ImportFileError(f"{source}: none of its features lies in or near the area of the reference data "
                          f"(lon/lat {_bounds(area.bounds)}); read in the CRS the file records, they span "
                          f"{_bounds(features.total_bounds)}: the recorded CRS is wrong (metres labelled as degrees, "
                          f"another zone?); fix it in the file, govmap does not guess one")


def _bounds(bounds) -> str:
    """``[minx, miny, maxx, maxy]`` rounded for a message.

    >>> _bounds((114.10927, 29.65791, 114.71922, 30.03541))
    '[114.109, 29.658, 114.719, 30.035]'
    """
    return "[" + ", ".join(f"{value:.3f}" for value in bounds) + "]"


# -- ordinary GIS files ----------------------------------------------------------------------------------------
def _read_gis(path: Path, *, name_field: str | None, layer: str | None) -> gpd.GeoDataFrame:
    layer = _choose_layer(path, layer)
    frame = _read(path, layer=layer)
    encoding = _legacy_encoding(frame) if path.suffix.lower() in (".shp", ".zip") else None
    if encoding is not None:
        frame = _read(path, layer=layer, encoding=encoding)
    if frame.empty:
        raise ImportFileError(f"{path.name}: the file has no features")
    if frame.crs is None and path.suffix.lower() in (".geojson", ".json"):
        frame = frame.set_crs(crs.WGS84)  # RFC 7946: GeoJSON is WGS84 lon/lat
    try:
        frame = crs.to_wgs84(frame)
    except crs.MissingCRSError:
        raise ImportFileError(f"{path.name}: the file has no coordinate reference system (CRS; for a Shapefile "
                              f"the .prj is missing); govmap does not guess one") from None
    field = name_field or next((f for f in DEFAULT_NAME_FIELDS if f in frame.columns), None)
    if field is None or field not in frame.columns:
        wanted = f"name field {name_field!r} is missing" if name_field else "no name field found"
        raise ImportFileError(f"{path.name}: {wanted}; available fields: {_fields(frame)}")
    return _named(frame, frame[field], source=path.name)


def _legacy_encoding(frame: pd.DataFrame) -> str | None:
    """The encoding of a Shapefile whose text GDAL took for Latin-1 (a GBK or UTF-8 .dbf without .cpg), if any.

    >>> _legacy_encoding(pd.DataFrame({"name": ["向阳湖镇".encode("gbk").decode("latin-1")]}))
    'gbk'
    >>> _legacy_encoding(pd.DataFrame({"name": ["向阳湖镇"]})) is None
    True
    """
    texts = [v for column in frame.columns if column != "geometry" for v in frame[column] if isinstance(v, str)]
    text = "".join(texts[:LEGACY_ENCODING_SAMPLE])
    if text.isascii() or any(ord(c) > 0xFF for c in text):
        return None
    for encoding in LEGACY_ENCODINGS:
        try:
            decoded = text.encode("latin-1").decode(encoding)
        except UnicodeDecodeError:
            continue
        if re.search(r"[\u4e00-\u9fff]", decoded):
            return encoding
    return None


def _choose_layer(path: Path, layer: str | None) -> str | None:
    try:
        with warnings.catch_warnings():
            # GDAL warns while probing a damaged file (GPKG "bad application_id"); the read that follows says more.
            warnings.simplefilter("ignore", RuntimeWarning)
            layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except (DataSourceError, DataLayerError, OSError) as error:
        raise ImportFileError(f"{path.name}: cannot read the file ({_first_line(error)})") from None
    if layer is not None and layer not in layers:
        raise ImportFileError(f"{path.name}: no layer {layer!r}; layers: {', '.join(layers)}")
    if layer is None and len(layers) > 1:
        raise ImportFileError(f"{path.name}: several layers ({', '.join(layers)}); choose one with --layer")
    return layer


def _read(path: Path, **options: object) -> gpd.GeoDataFrame:
    try:
        return gpd.read_file(path, engine="pyogrio", **options)
    except (DataSourceError, DataLayerError, FieldError, GeometryError, OSError) as error:
        raise ImportFileError(f"{path.name}: cannot read the file ({_first_line(error)})") from None


# -- OpenStreetMap ---------------------------------------------------------------------------------------------
def osm_config_file() -> Path:
    """The ``osmconf.ini`` govmap gives GDAL's OSM driver (adds ``ref``, ``name:zh``, ``water`` columns)."""
    return Path(__file__).resolve().with_name("data") / "osmconf.ini"


def parse_other_tags(text: object) -> dict[str, str]:
    """Parse the hstore-like ``other_tags`` column of GDAL's OSM driver.

    >>> parse_other_tags('"ref"=>"G107;G4","name:en"=>"Gan \\\\"River\\\\""')
    {'ref': 'G107;G4', 'name:en': 'Gan "River"'}
    >>> parse_other_tags(None)
    {}
    """
    if not isinstance(text, str):
        return {}
    unescape = lambda value: value.replace('\\"', '"').replace("\\\\", "\\")  # noqa: E731
    return {unescape(key): unescape(value) for key, value in _HSTORE_PAIR.findall(text)}


def _read_osm(path: Path, *, name_field: str | None, kind: str) -> gpd.GeoDataFrame:
    rules = OSM_RULES.get(kind)
    if rules is None:
        raise ImportFileError(f"kind {kind!r} cannot be read from OpenStreetMap; one of {', '.join(OSM_RULES)}")
    parts = [_osm_matching(_osm_layer(path, layer), [r for r in rules if r.layer == layer])
             for layer in dict.fromkeys(rule.layer for rule in rules)]
    frame = pd.concat(parts, ignore_index=True)
    if frame.empty:
        wanted = " or ".join(f"{r.layer} with {r.tag}" + (f"={'/'.join(sorted(r.values))}" if r.values else "")
                             for r in rules)
        raise ImportFileError(f"{path.name}: no OpenStreetMap features for kind {kind!r} ({wanted})")
    if name_field is not None and name_field not in frame.columns:
        raise ImportFileError(f"{path.name}: name field {name_field!r} is missing; available fields: {_fields(frame)}")
    fields = (name_field,) if name_field else OSM_ROAD_TAGS if kind == "road" else OSM_NAME_TAGS
    if kind == "road":  # a road is found by each route number (ref=G107;G4) and by its name
        names = pd.concat([_split(_tag(frame, field)) for field in fields])
    else:
        names = _tag(frame, fields[0])
        for field in fields[1:]:
            names = names.where(_present(names), _tag(frame, field))
    return _named(frame, names, source=path.name)


def _osm_layer(path: Path, layer: str) -> gpd.GeoDataFrame:
    frame = _read(path, layer=layer, CONFIG_FILE=str(osm_config_file()))
    if "other_tags" in frame.columns:
        tags = frame["other_tags"].map(parse_other_tags)
        for key in sorted({k for row in tags for k in row}):
            column = key.replace(":", "_")
            if column not in frame.columns:
                frame[column] = tags.map(lambda row, k=key: row.get(k))
        frame = frame.drop(columns="other_tags")
    return frame.set_crs(crs.WGS84, allow_override=True)  # OSM is WGS84 by definition


def _osm_matching(frame: gpd.GeoDataFrame, rules: list[OsmRule]) -> gpd.GeoDataFrame:
    keep = pd.Series(False, index=frame.index)
    for rule in rules:
        values = _tag(frame, rule.tag)
        keep |= values.notna() if rule.values is None else values.isin(rule.values)
    return frame[keep]


def _tag(frame: pd.DataFrame, tag: str) -> pd.Series:
    return frame[tag] if tag in frame.columns else pd.Series(None, index=frame.index, dtype=object)


def _split(values: pd.Series) -> pd.Series:
    exploded = values[_present(values)].astype(str).str.split(OSM_VALUE_SEPARATOR).explode().str.strip()
    return exploded[exploded != ""]


# -- shared ----------------------------------------------------------------------------------------------------
def _present(values: pd.Series) -> pd.Series:
    return values.notna() & (values.astype(str).str.strip() != "")


def _named(frame: gpd.GeoDataFrame, names: pd.Series, *, source: str) -> gpd.GeoDataFrame:
    """One row per entry of ``names`` (indexed like ``frame``) that has a name and a non-empty geometry."""
    if frame.empty:
        raise ImportFileError(f"{source}: the file has no features")
    rows = frame.loc[names.index].reset_index(drop=True)
    names = names.reset_index(drop=True)
    keep = _present(names) & rows.geometry.notna() & ~rows.geometry.is_empty
    if not keep.any():
        raise ImportFileError(f"{source}: no feature has both a name and a geometry")
    kept = rows[keep]
    return gpd.GeoDataFrame({"name": names[keep].astype(str).str.strip().to_numpy(),
                             "attributes": _json_records(kept).to_numpy()},
                            geometry=kept.geometry.to_numpy(), crs=crs.WGS84)


def _json_records(frame: gpd.GeoDataFrame) -> pd.Series:
    plain = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    records = json.loads(plain.to_json(orient="records", date_format="iso", force_ascii=False, default_handler=str))
    return pd.Series([{k: v for k, v in r.items() if v is not None} for r in records], index=frame.index)


def dissolve_by_name(features: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Merge features sharing a name into one geometry (lines are merged end to end); attributes become a list."""
    rows = []
    for name, group in features.groupby("name", sort=False):
        merged = shapely.union_all(group.geometry.to_numpy())
        if merged.geom_type == "MultiLineString":
            merged = shapely.line_merge(merged)
        rows.append({"name": name, "attributes": json.dumps(list(group["attributes"]), ensure_ascii=False),
                     "geometry": merged})
    return gpd.GeoDataFrame(rows, columns=["name", "attributes", "geometry"], geometry="geometry", crs=crs.WGS84)


def _fields(frame: pd.DataFrame) -> str:
    names = [str(c) for c in frame.columns if c != "geometry"]
    return ", ".join(names) if names else "(none)"


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
