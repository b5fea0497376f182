"""Write a layer frame as GeoJSON (RFC 7946), GeoPackage, CSV or Excel (.xlsx).

Every format keeps rows without geometry and the ``quality``/``source`` columns; the frame is reprojected to
EPSG:4326 first (a frame without a CRS is refused: a CRS is never guessed). GeoJSON and GeoPackage keep the
column names and the full geometry; CSV and .xlsx are tables for Excel (:func:`layers.tables.table`: Chinese
headers and codes, 经度/纬度, no cell over Excel's limit).

>>> import geopandas as gpd
>>> from shapely.geometry import Point
>>> frame = gpd.GeoDataFrame({"id": ["a"], "name": ["向阳湖"]}, geometry=[Point(114.123456789, 29.9)], crs=4326)
>>> to_geojson_dict(frame)["features"][0]["geometry"]
{'type': 'Point', 'coordinates': [114.1234568, 29.9]}
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import geopandas as gpd
import numpy as np
import pyogrio
from pyogrio.errors import DataSourceError
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from layers import tables
from layers.errors import InvalidParameter, LayerError, WriteError

#: Decimal places kept in coordinates (about 1 cm; RFC 7946 §11.2 advises no more precision than needed).
PRECISION = 7
#: The column that gives each feature its id.
ID_COLUMN = "id"
#: The CSV geometry column (WKT) and the representative point's columns.
WKT_COLUMN, LON_COLUMN, LAT_COLUMN = "wkt", "lon", "lat"


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    media_type: str
    extension: str
    label: str


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("geojson", "application/geo+json", "geojson", "GeoJSON"),
    Format("gpkg", "application/geopackage+sqlite3", "gpkg", "GeoPackage"),
    Format("csv", "text/csv; charset=utf-8", "csv", "CSV"),
    Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel"),
)}
_SUFFIXES = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".csv": "csv", ".xlsx": "xlsx"}
#: Text a spreadsheet would take for a formula (=, +, @ first): written as text, never run.
_FORMULA_START = ("=", "+", "@")


def get_format(fmt: str) -> Format:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise InvalidParameter(f"format：未知格式“{fmt}”（可用：{'、'.join(FORMATS)}）") from None


def format_for(path: str | Path) -> str:
    """The format a file name asks for.

    >>> format_for("向阳湖镇-任务.gpkg")
    'gpkg'
    """
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise InvalidParameter(f"无法从文件名判断格式：{path}（请用 {'、'.join(_SUFFIXES)} 之一）")
    return _SUFFIXES[suffix]


def export(frame: gpd.GeoDataFrame, path_or_buffer: str | Path | BinaryIO, *, fmt: str,
           layer: str = "layer", title: str = "", notes: Mapping[str, str] | None = None) -> None:
    """Write ``frame`` to a file path or a binary buffer as ``fmt`` (``geojson``, ``gpkg``, ``csv`` or ``xlsx``);
    ``layer`` names the GeoPackage layer, ``title`` the sheet of an .xlsx and ``notes`` (the filters, say) a second
    sheet 说明."""
    get_format(fmt)
    frame = wgs84(frame)
    try:
        if fmt == "gpkg":
            _write_gpkg(frame, path_or_buffer, layer)
            return
        data = (to_geojson_bytes(frame) if fmt == "geojson" else to_csv_bytes(frame) if fmt == "csv"
                else to_xlsx_bytes(frame, title=title or layer, notes=notes))
        if isinstance(path_or_buffer, (str, Path)):
            Path(path_or_buffer).write_bytes(data)
        else:
            path_or_buffer.write(data)
    except (OSError, DataSourceError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise WriteError(f"cannot write {str(path_or_buffer)!r}: {reason}") from None


def to_bytes(frame: gpd.GeoDataFrame, *, fmt: str, layer: str = "layer", title: str = "",
             notes: Mapping[str, str] | None = None) -> bytes:
    """The file ``export`` would write, in memory."""
    buffer = io.BytesIO()
    export(frame, buffer, fmt=fmt, layer=layer, title=title, notes=notes)
    return buffer.getvalue()


def wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if frame.crs is None:
        raise LayerError("数据没有坐标参考系（no CRS）：导出前须先设定（从不猜测）")
    return frame if frame.crs.to_epsg() == 4326 else frame.to_crs(4326)


# -- GeoJSON ------------------------------------------------------------------------------------------------------
def to_geojson_dict(frame: gpd.GeoDataFrame) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection: lon/lat, counter-clockwise exterior rings, ≤7 decimals, no ``crs``, each
    feature's ``id`` from the ``id`` column (which is then not repeated in ``properties``)."""
    return {"type": "FeatureCollection", "features": features(frame)}


def features(frame: gpd.GeoDataFrame, *, geometry: bool = True) -> list[dict[str, Any]]:
    """The GeoJSON Feature objects of ``frame``; with ``geometry=False`` each has ``"geometry": None`` (for a
    table of attributes, which need not pay for encoding the shapes)."""
    frame = wgs84(frame)
    columns = [c for c in frame.columns if c != frame.geometry.name]
    records = frame[columns].to_dict("records")
    out = []
    for record, shape in zip(records, frame.geometry.array):
        properties = {k: json_value(v) for k, v in record.items() if k != ID_COLUMN}
        feature: dict[str, Any] = {"type": "Feature"}
        if ID_COLUMN in record:
            feature["id"] = json_value(record[ID_COLUMN])
        feature["geometry"] = geojson_geometry(shape) if geometry else None
        feature["properties"] = properties
        out.append(feature)
    return out


def to_geojson_bytes(frame: gpd.GeoDataFrame) -> bytes:
    return dumps(to_geojson_dict(frame))


def encode_features(frame: gpd.GeoDataFrame) -> list[bytes]:
    """Each feature of :func:`features` as the text :func:`dumps` writes for it inside a collection."""
    return [dumps(feature) for feature in features(frame)]


def join_collection(encoded: Iterable[bytes], members: Mapping[str, Any]) -> bytes:
    """``dumps({"type": "FeatureCollection", "features": [...], **members})`` from features already encoded
    (:func:`encode_features`): the same bytes without encoding a feature again.

    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> frame = gpd.GeoDataFrame({"id": ["a"]}, geometry=[Point(114, 30)], crs=4326)
    >>> join_collection(encode_features(frame), {"numberReturned": 1}) == dumps(
    ...     {"type": "FeatureCollection", "features": features(frame), "numberReturned": 1})
    True
    """
    rest = dumps(dict(members))[1:]  # '"numberMatched":…}' or '}'
    return b"".join((b'{"type":"FeatureCollection","features":[', b",".join(encoded), b"]",
                     b"," if members else b"", rest))


def with_members(encoded: bytes, members: Mapping[str, Any]) -> bytes:
    """An encoded object with more members after its own: ``dumps({**object, **members})`` when ``object`` has
    none of their names.

    >>> with_members(dumps({"type": "Feature"}), {"links": []})
    b'{"type":"Feature","links":[]}'
    """
    if not members:
        return encoded
    return encoded[:-1] + b"," + dumps(dict(members))[1:]


def dumps(document: Any) -> bytes:
    """Compact UTF-8 JSON (Chinese kept as is; NaN refused)."""
    return json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def geojson_geometry(shape: BaseGeometry | None) -> dict[str, Any] | None:
    """An RFC 7946 geometry object, or ``None`` for a missing or empty geometry.

    >>> from shapely.geometry import Polygon
    >>> geojson_geometry(Polygon([(0, 0), (0, 1), (1, 1), (1, 0)]))["coordinates"][0]
    [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    """
    if shape is None or shape.is_empty:
        return None
    shape = shapely.orient_polygons(round_coordinates(shape), exterior_cw=False)
    return _lists(mapping(shape))


def round_coordinates(shape: BaseGeometry, decimals: int = PRECISION) -> BaseGeometry:
    """``shape`` with every coordinate rounded to ``decimals`` places."""
    return shapely.transform(shape, lambda coords: np.round(coords, decimals))


def _lists(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_lists(v) for v in value]
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    return value


def json_value(value: Any) -> Any:
    """A cell as a JSON value: numpy scalars unwrapped, NaN and None as ``null``."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# -- GeoPackage ---------------------------------------------------------------------------------------------------
def _write_gpkg(frame: gpd.GeoDataFrame, target: str | Path | BinaryIO, layer: str) -> None:
    types = {t for t in frame.geometry.geom_type.dropna().unique()}
    families = {t.removeprefix("Multi") for t in types}
    if len(types) == 1:
        geometry_type = types.pop()
    elif len(families) == 1:  # single and multi parts of one type: one multi layer
        geometry_type = "Multi" + families.pop()
    else:
        geometry_type = "Unknown"
    if isinstance(target, (str, Path)):
        Path(target).unlink(missing_ok=True)
    pyogrio.write_dataframe(frame, target, driver="GPKG", layer=layer, geometry_type=geometry_type,
                            promote_to_multi=geometry_type.startswith("Multi"))


# -- CSV and Excel ------------------------------------------------------------------------------------------------
def to_csv_bytes(frame: gpd.GeoDataFrame) -> bytes:
    """The :func:`layers.tables.table` of the frame: UTF-8 with a BOM (so that Excel reads Chinese), CRLF line
    ends, Chinese headers, 经度/纬度 (empty where there is no geometry), no WKT."""
    data = tables.table(wgs84(frame))
    for column in data.columns:
        if data[column].dtype == object:
            data[column] = data[column].map(_as_text)
    return data.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _as_text(value: Any) -> Any:
    """A text cell that a spreadsheet would take for a formula gets a leading apostrophe (OWASP CSV injection)."""
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA_START) else value


#: Widest column of an .xlsx, in characters (a long 任务内容 wraps instead).
MAX_WIDTH = 60


def to_xlsx_bytes(frame: gpd.GeoDataFrame, *, title: str, notes: Mapping[str, str] | None = None) -> bytes:
    """The :func:`layers.tables.table` of the frame as one .xlsx sheet named ``title``: bold frozen header,
    column widths from the content, an auto-filter; ``notes`` (name → value) on a second sheet 说明."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    data = tables.table(wgs84(frame))
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_name(title)
    sheet.append(list(data.columns))
    for row in data.itertuples(index=False):
        sheet.append([json_value(v) for v in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                cell.data_type = "s"  # text, not a formula
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    if len(data.columns):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(data.columns))}{len(data) + 1}"
    for number, column in enumerate(data.columns, start=1):
        longest = max([_width(column), *(_width(v) for v in data[column])])
        width = min(longest + 2, MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(number)].width = width
        if longest > MAX_WIDTH:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    if notes:
        about = book.create_sheet("说明")
        about.append(["项目", "内容"])
        for name, value in notes.items():
            about.append([name, value])
            if isinstance(value, str) and value.startswith(_FORMULA_START):
                about.cell(row=about.max_row, column=2).data_type = "s"
        about["A1"].font = about["B1"].font = Font(bold=True)
        about.column_dimensions["A"].width, about.column_dimensions["B"].width = 16, 60
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _width(value: Any) -> int:
    """Display width: a Chinese character counts two."""
    text = "" if value is None or (isinstance(value, float) and not math.isfinite(value)) else str(value)
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _sheet_name(title: str) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in title).strip() or "Sheet"
    return cleaned[:31]
