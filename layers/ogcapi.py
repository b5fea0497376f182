"""OGC API – Features – Part 1: Core, framework-free (conformance classes Core, GeoJSON, HTML, OpenAPI 3.0).

Every endpoint is a method of :class:`FeaturesAPI` that takes an :class:`APIRequest` and returns
``(headers, status, content)``, as pygeoapi's core does; a web framework only adapts requests and responses.
Errors come back in the one JSON shape ``{"code": ..., "description": ...}`` with their HTTP status.

The format is chosen as pygeoapi chooses it: ``f`` (``json`` or ``html``) wins, else the first known media type
of the ``Accept`` header in order of preference, else JSON.

>>> from gazetteer.corpus import Corpus
>>> from gazetteer.places.registry import Gazetteer
>>> from layers.catalogue import Catalogue
>>> api = FeaturesAPI(Catalogue(Corpus(Gazetteer([]), [])), base_url="http://example.org/ogcapi")
>>> headers, status, body = api.items(APIRequest({"limit": "0"}), "tasks")
>>> status, json.loads(body)["code"]
(400, 'InvalidParameterValue')
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote, urlencode

import geopandas as gpd
import numpy as np

from layers import html, openapi
from layers.catalogue import Catalogue, LayerInfo
from layers.errors import InvalidParameter, LayerError, NotFound
from layers.export import dumps, features, join_collection, json_value, with_members
from layers.filters import LIST_SEP, Filters, parse_bbox
from layers.media import GEOJSON, HTML, JSON, OPENAPI, SCHEMA

Response = tuple[dict[str, str], int, str | bytes]

CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
)
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
#: The ``bbox-crs`` values understood, with the axis order of their bbox numbers (OGC API – Features – Part 2:
#: a bbox follows its CRS's axis order, and EPSG:4326 puts latitude first).
BBOX_CRS = {CRS84: "lonlat", "http://www.opengis.net/def/crs/EPSG/0/4326": "latlon", "EPSG:4326": "latlon"}
#: Media types of the ``Accept`` header and the format each selects (pygeoapi's FORMAT_TYPES, plus geo+json).
ACCEPTED = {HTML: "html", JSON: "json", GEOJSON: "json", "application/vnd.oai.openapi+json": "json",
            SCHEMA: "json", "application/*": "json", "*/*": "json"}
FORMATS = ("json", "html")
#: Query parameters of ``/items`` besides the filters and the queryables.
ITEMS_PARAMETERS = ("f", "limit", "offset", "bbox", "bbox-crs", "datetime")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_JSON_TYPES: dict[type, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}


@dataclass(frozen=True, slots=True)
class APIRequest:
    """What the core needs of an HTTP request: its query arguments (first value of each) and ``Accept``."""

    args: Mapping[str, str] = field(default_factory=dict)
    accept: str = ""

    def format(self) -> str:
        """``json`` or ``html``.

        >>> APIRequest({}, "text/html,application/xhtml+xml,*/*;q=0.8").format()
        'html'
        >>> APIRequest({"f": "json"}, "text/html").format()
        'json'
        """
        chosen = (self.args.get("f") or "").strip().lower()
        if chosen:
            if chosen not in FORMATS:
                raise InvalidParameter(f"f：未知格式“{chosen}”（可用：{'、'.join(FORMATS)}）")
            return chosen
        for media_type in accepted_types(self.accept):
            if media_type in ACCEPTED:
                return ACCEPTED[media_type]
        return "json"


def accepted_types(header: str) -> list[str]:
    """The media types of an ``Accept`` header, most wanted first (stable for equal ``q``).

    >>> accepted_types("text/html;q=0.5, application/geo+json")
    ['application/geo+json', 'text/html']
    """
    ranked = []
    for position, part in enumerate(header.split(",")):
        media_type, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media_type and q > 0:
            ranked.append((-q, position, media_type.lower()))
    return [media_type for _, _, media_type in sorted(ranked)]


def error_response(exc: LayerError) -> Response:
    """The one JSON error shape with the error's status."""
    return ({"Content-Type": JSON}, exc.status, dumps(exc.to_dict()))


def _handled(method: Callable[..., Response]) -> Callable[..., Response]:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        try:
            return method(*args, **kwargs)
        except LayerError as exc:
            return error_response(exc)

    return wrapper


class FeaturesAPI:
    """The OGC API over a :class:`Catalogue`; ``base_url`` is the API's root URL without a trailing slash."""

    def __init__(self, catalogue: Catalogue, *, base_url: str, default_limit: int = 100, max_limit: int = 10000,
                 title: str = "govmap 图层（OGC API – Features）",
                 description: str = "由政府文件识别的任务、地名与指标图层；坐标 WGS84 经纬度（CRS84）。") -> None:
        if not 1 <= default_limit <= max_limit:
            raise ValueError("need 1 <= default_limit <= max_limit")
        self.catalogue = catalogue
        self.base_url = base_url.rstrip("/")
        self.default_limit = default_limit
        self.max_limit = max_limit
        self.title = title
        self.description = description

    # -- endpoints --------------------------------------------------------------------------------------
    @_handled
    def landing(self, request: APIRequest) -> Response:
        fmt = self._check(request)
        links = [*self._self_links("", fmt, "本页"),
                 _link(f"{self.base_url}/api?f=json", "service-desc", OPENAPI, "API 定义（OpenAPI 3.0）"),
                 _link(f"{self.base_url}/api?f=html", "service-doc", HTML, "API 文档"),
                 _link(f"{self.base_url}/conformance?f=json", "conformance", JSON, "符合性"),
                 _link(f"{self.base_url}/collections?f=json", "data", JSON, "图层")]
        body = {"title": self.title, "description": self.description, "links": links}
        return self._respond(fmt, body, "landing", title=self.title, description=self.description, links=links)

    @_handled
    def conformance(self, request: APIRequest) -> Response:
        fmt = self._check(request)
        links = self._self_links("/conformance", fmt, "符合性")
        return self._respond(fmt, {"conformsTo": list(CONFORMANCE)}, "conformance", title="符合性（conformance）",
                             conforms_to=CONFORMANCE, links=links)

    @_handled
    def openapi(self, request: APIRequest) -> Response:
        fmt = self._check(request)
        document = self.openapi_document()
        if fmt == "json":
            return ({"Content-Type": OPENAPI}, 200, dumps(document))
        return self._html("api", title="API 定义（OpenAPI 3.0）", links=self._self_links("/api", fmt, "API"),
                          document=json.dumps(document, ensure_ascii=False, indent=2))

    @_handled
    def collections(self, request: APIRequest) -> Response:
        fmt = self._check(request)
        infos = self.catalogue.info()
        links = self._self_links("/collections", fmt, "图层")
        body = {"links": links, "collections": [self._collection(info) for info in infos]}
        return self._respond(fmt, body, "collections", title="图层", collections=infos, links=links)

    @_handled
    def collection(self, request: APIRequest, collection_id: str) -> Response:
        fmt = self._check(request)
        info = self.catalogue.layer_info(collection_id)
        body = self._collection(info)
        extent = body.get("extent", {}).get("spatial", {}).get("bbox", [None])[0]
        view = {"id": info.id, "description": info.description, "count": info.count,
                "geometry_type": info.geometry_type, "bbox": extent}
        return self._respond(fmt, body, "collection", title=info.title, collection=view, links=body["links"])

    @_handled
    def queryables(self, request: APIRequest, collection_id: str) -> Response:
        fmt = self._check(request)
        info = self.catalogue.layer_info(collection_id)
        path = f"/collections/{quote(info.id, safe='')}/queryables"
        document = {"$schema": "https://json-schema.org/draft/2019-09/schema", "$id": f"{self.base_url}{path}",
                    "type": "object", "title": info.title, "properties": self.queryable_schema(info.id),
                    "additionalProperties": True}
        if fmt == "json":
            return ({"Content-Type": SCHEMA}, 200, dumps(document))
        return self._html("queryables", title=f"{info.title}：可查询字段", properties=document["properties"],
                          links=self._self_links(path, fmt, "可查询字段", json_type=SCHEMA))

    @_handled
    def items(self, request: APIRequest, collection_id: str) -> Response:
        fmt = self._check(request, allowed=self._item_parameters(collection_id))
        info = self.catalogue.layer_info(collection_id)
        limit = _integer(request.args, "limit", self.default_limit, minimum=1)
        limit = min(limit, self.max_limit)
        offset = _integer(request.args, "offset", 0, minimum=0)
        rows = self.matching_rows(collection_id, request.args)
        page_rows = rows[offset:offset + limit]
        path = f"/collections/{quote(info.id, safe='')}/items"
        query = {k: v for k, v in request.args.items() if k not in ("f", "offset", "limit")}
        links = self._page_links(path, fmt, query, offset=offset, limit=limit, matched=len(rows))
        links.append(_link(f"{self.base_url}/collections/{quote(info.id, safe='')}?f=json", "collection", JSON,
                           info.title))
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        if fmt == "json":
            encoded = self.catalogue.encoded(collection_id)
            members = {"numberMatched": len(rows), "numberReturned": len(page_rows), "timeStamp": stamp,
                       "links": links}
            return ({"Content-Type": GEOJSON}, 200, join_collection((encoded[row] for row in page_rows), members))
        page = self.catalogue.take(collection_id, page_rows)
        columns = [c for c in page.columns if c not in ("id", page.geometry.name)]
        return self._html("items", title=f"{info.title}：要素", features=features(page, geometry=False),
                          columns=columns, links=links, matched=len(rows), collection_id=info.id)

    @_handled
    def item(self, request: APIRequest, collection_id: str, feature_id: str) -> Response:
        fmt = self._check(request)
        info = self.catalogue.layer_info(collection_id)
        row = self.catalogue.row_of(collection_id, feature_id)
        if row is None:
            raise NotFound(f"图层“{collection_id}”中没有要素“{feature_id}”")
        encoded = self.catalogue.encoded(collection_id)[row]
        path = f"/collections/{quote(info.id, safe='')}/items/{quote(feature_id, safe='')}"
        links = [*self._self_links(path, fmt, "本要素", json_type=GEOJSON),
                 _link(f"{self.base_url}/collections/{quote(info.id, safe='')}?f=json", "collection", JSON,
                       info.title)]
        if fmt == "json":
            return ({"Content-Type": GEOJSON}, 200, with_members(encoded, {"links": links}))
        feature = json.loads(encoded)
        geometry = feature["geometry"]
        return self._html("item", title=f"{info.title}：{feature_id}", feature=feature, links=links,
                          geometry_text=json.dumps(geometry, ensure_ascii=False) if geometry else "（无几何）")

    # -- querying ---------------------------------------------------------------------------------------
    def matching(self, collection_id: str, args: Mapping[str, str]) -> gpd.GeoDataFrame:
        """Every feature of a collection that passes the query's filters (bbox, the :class:`Filters` fields,
        and exact matches on queryable columns)."""
        return self._select(collection_id, *self._query(collection_id, args))

    def matching_rows(self, collection_id: str, args: Mapping[str, str]) -> np.ndarray:
        """The rows (positions in the layer frame) of :meth:`matching`, remembered by the catalogue under the
        parsed query, so that paging through a selection filters once."""
        filters, equals = self._query(collection_id, args)
        return self.catalogue.rows(collection_id, ("ogcapi", filters, equals),
                                   lambda: self._select(collection_id, filters, equals))

    def _query(self, collection_id: str, args: Mapping[str, str]) -> tuple[Filters, tuple[tuple[str, str], ...]]:
        """The checked filters of a query and its exact matches on queryable columns, (name, value) in column
        order."""
        crs = (args.get("bbox-crs") or CRS84).strip()
        if crs not in BBOX_CRS:
            raise InvalidParameter(f"bbox-crs：只支持 {CRS84}（经度/纬度）或 EPSG:4326（纬度/经度）")
        check_datetime(args.get("datetime") or "")
        filter_args = {k: v for k, v in args.items() if k in Filters.names()}
        if (filter_args.get("bbox") or "").strip():  # blank means no filter, as in :meth:`Filters.from_args`
            filter_args["bbox"] = _bbox_2d(filter_args["bbox"], latlon=BBOX_CRS[crs] == "latlon")
        equals = tuple((name, args[name]) for name in self.column_parameters(collection_id) if name in args)
        return Filters.from_args(filter_args), equals

    def _select(self, collection_id: str, filters: Filters,
                equals: tuple[tuple[str, str], ...]) -> gpd.GeoDataFrame:
        frame = self.catalogue.frame(collection_id, filters)
        for name, raw in equals:
            key = self.catalogue.unit_key if name in UNIT_COLUMNS else None
            frame = frame[_exact(frame[name], raw, name, key=key)]
        return frame.reset_index(drop=True)

    def queryable_schema(self, collection_id: str) -> dict[str, dict[str, Any]]:
        """JSON Schema of each column (and the geometry) of a collection."""
        schema: dict[str, dict[str, Any]] = {name: {"title": name, "type": _JSON_TYPES[kind]}
                                             for name, kind in self.catalogue.spec(collection_id).columns}
        schema["geometry"] = {"format": "geometry-any", "title": "geometry"}
        return schema

    def column_parameters(self, collection_id: str) -> list[str]:
        """The columns of a collection that ``/items`` also takes as ``column=value`` parameters."""
        reserved = set(ITEMS_PARAMETERS) | set(Filters.names())
        return [name for name, _ in self.catalogue.spec(collection_id).columns if name not in reserved]

    def _item_parameters(self, collection_id: str) -> set[str]:
        self.catalogue.spec(collection_id)
        return {*ITEMS_PARAMETERS, *Filters.names(), *self.column_parameters(collection_id)}

    # -- metadata ---------------------------------------------------------------------------------------
    def _collection(self, info: LayerInfo) -> dict[str, Any]:
        root = f"{self.base_url}/collections/{quote(info.id, safe='')}"
        links = [_link(f"{root}?f=json", "self", JSON, info.title),
                 _link(f"{root}?f=html", "alternate", HTML, f"{info.title}（网页）"),
                 _link(f"{root}/items?f=json", "items", GEOJSON, f"{info.title}：要素（GeoJSON）"),
                 _link(f"{root}/items?f=html", "items", HTML, f"{info.title}：要素（网页）"),
                 _link(f"{root}/queryables?f=json", "http://www.opengis.net/def/rel/ogc/1.0/queryables", SCHEMA,
                       "可查询字段")]
        body: dict[str, Any] = {"id": info.id, "title": info.title, "description": info.description,
                                "itemType": "feature", "crs": [CRS84], "links": links}
        box = self.catalogue.extent(info.id)
        if box is not None:
            body["extent"] = {"spatial": {"bbox": [[round(v, 7) for v in box]], "crs": CRS84}}
        return body

    def openapi_document(self) -> dict[str, Any]:
        """The OpenAPI 3.0 definition: every path, with every query parameter of each collection's items."""
        return openapi.document(self)

    # -- helpers ----------------------------------------------------------------------------------------
    def _check(self, request: APIRequest, *, allowed: set[str] | None = None) -> str:
        """The response format; with ``allowed``, an unknown query parameter is a 400 (OGC API /req/core/
        query-param-unknown). Metadata pages ignore unknown parameters, as pygeoapi does, so that a page's own
        parameters (``basemap``) carried along by a link do no harm."""
        unknown = sorted(set(request.args) - allowed) if allowed is not None else []
        if unknown:
            raise InvalidParameter(f"未知的查询参数：{'、'.join(unknown)}")
        return request.format()

    def _self_links(self, path: str, fmt: str, title: str, *, json_type: str = JSON) -> list[dict[str, str]]:
        url = f"{self.base_url}{path}"
        own, other = ((json_type, HTML) if fmt == "json" else (HTML, json_type))
        names = {json_type: "json", HTML: "html"}
        return [_link(f"{url}?f={names[own]}", "self", own, title),
                _link(f"{url}?f={names[other]}", "alternate", other, f"{title}（{names[other].upper()}）")]

    def _page_links(self, path: str, fmt: str, query: dict[str, str], *, offset: int, limit: int,
                    matched: int) -> list[dict[str, str]]:
        url = f"{self.base_url}{path}"
        own = GEOJSON if fmt == "json" else HTML

        def href(f: str, at: int) -> str:
            args = {**query, "f": f, "limit": str(limit), **({"offset": str(at)} if at else {})}
            return f"{url}?{urlencode(args)}"

        links = [_link(href(fmt, offset), "self", own, "本页"),
                 _link(href("html" if fmt == "json" else "json", offset), "alternate",
                       HTML if fmt == "json" else GEOJSON, "本页（其他格式）")]
        if offset + limit < matched:
            links.append(_link(href(fmt, offset + limit), "next", own, "下一页"))
        if offset > 0:
            links.append(_link(href(fmt, max(0, offset - limit)), "prev", own, "上一页"))
        return links

    def _respond(self, fmt: str, body: dict[str, Any], page: str, **context: Any) -> Response:
        if fmt == "json":
            return ({"Content-Type": JSON}, 200, dumps(body))
        return self._html(page, **context)

    def _html(self, page: str, **context: Any) -> Response:
        return ({"Content-Type": "text/html; charset=utf-8"}, 200, html.render(page, base_url=self.base_url,
                                                                                **context))


def _link(href: str, rel: str, media_type: str, title: str) -> dict[str, str]:
    return {"href": href, "rel": rel, "type": media_type, "title": title}


def _integer(args: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    raw = str(args.get(name, "")).strip()
    if not raw:
        return default
    if not _INTEGER.fullmatch(raw):  # int() would also take "1_0", "１" and other digits
        raise InvalidParameter(f"{name}：不是整数：“{raw}”")
    value = int(raw)
    if value < minimum:
        raise InvalidParameter(f"{name}：不能小于 {minimum}")
    return value


def check_datetime(raw: str) -> None:
    """Refuse a ``datetime`` that is neither an RFC 3339 instant nor an interval ``start/end`` (an end may be
    ``..`` or blank: open). The layers carry no time, so a valid value keeps every feature.

    >>> check_datetime("2025-01-01T00:00:00Z/..")
    >>> check_datetime("去年")
    Traceback (most recent call last):
    ...
    layers.errors.InvalidParameter: datetime：不是 RFC 3339 日期时间或时间段：“去年”
    """
    raw = raw.strip()
    if not raw:
        return
    parts = raw.split("/")
    ends_ok = len(parts) <= 2 and all(part in ("", "..") or _is_datetime(part) for part in parts)
    if not ends_ok or (len(parts) == 1 and raw == ".."):
        raise InvalidParameter(f"datetime：不是 RFC 3339 日期时间或时间段：“{raw}”")


def _is_datetime(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _bbox_2d(raw: str, *, latlon: bool = False) -> tuple[float, float, float, float]:
    """A 4- or 6-number OGC bbox reduced to 2D lon/lat (a 6-number box is minx,miny,minz,maxx,maxy,maxz); with
    ``latlon`` the numbers come in the axis order of EPSG:4326 (lat before lon) and are swapped.

    >>> _bbox_2d("29.5,114.0,30.0,114.5", latlon=True)
    (114.0, 29.5, 114.5, 30.0)
    """
    parts = raw.split(",")
    if len(parts) == 6:
        parts = [parts[0], parts[1], parts[3], parts[4]]
    if latlon and len(parts) == 4:
        parts = [parts[1], parts[0], parts[3], parts[2]]
    return parse_bbox(",".join(parts))


#: List columns whose items are unit names: ``units=区水利和湖泊局`` matches 水利和湖泊局 as written elsewhere.
UNIT_COLUMNS = frozenset({"lead_units", "units"})


def _exact(column: Any, raw: str, name: str, *, key: Callable[[str], str] | None = None) -> Any:
    """Rows whose cell is ``raw``; in a list cell (joined with 、) one item is enough, and with ``key`` (unit
    names) an item with the same key."""
    dtype = str(column.dtype)
    if dtype.startswith("int") or dtype.startswith("float"):
        try:
            wanted = float(raw)
        except ValueError:
            raise InvalidParameter(f"{name}：不是数字：“{raw}”") from None
        return (column.astype(float) == wanted).to_numpy()
    if dtype == "bool":
        return (column == (raw.lower() in ("1", "true", "yes"))).to_numpy()
    wanted = key(raw) if key is not None else raw

    def matches(cell: Any) -> bool:
        text = str(json_value(cell))
        if text == raw:
            return True
        items = text.split(LIST_SEP) if LIST_SEP in text or key is not None else ()
        return any(item == raw or (key is not None and key(item) == wanted) for item in items)

    return column.map(matches).to_numpy(dtype=bool)
