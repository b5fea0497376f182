"""The OpenAPI 3.0 definition of the OGC API (``/api``): one path per endpoint and per collection."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gazetteer.model import Kind
from layers.filters import Filters
from layers.media import GEOJSON, HTML, JSON, OPENAPI, SCHEMA

if TYPE_CHECKING:
    from layers.ogcapi import FeaturesAPI

OGC_SCHEMAS = "https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/schemas"
_FILTER_HELP = {
    "township": "乡镇办场（名称或 id）：该乡镇的任务（责任或辖区内点名），或位于其中的地点",
    "section": "任务所属行动或小标题（任一级，含即可）",
    "leader": "责任领导（含即可）",
    "lead_unit": "牵头单位（含即可）",
    "kind": "地点类别",
    "keyword": "在名称、任务原文、指标、牵头单位与责任单位中检索的文字（单位名按读者习惯归一：区水利和湖泊局 = 水利和湖泊局）",
    "unit": "牵头单位或责任单位之一（单位名归一后相同即可：区水利和湖泊局 = 水利和湖泊局）",
}


def _parameter(name: str, description: str, schema: dict[str, Any], *, where: str = "query",
               required: bool = False, **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": where, "description": description, "required": required, "schema": schema,
            **extra}


def _response(description: str, media_types: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {"description": description, "content": {t: {"schema": s} for t, s in media_types.items()}}


def components(api: FeaturesAPI) -> dict[str, Any]:
    text = {"type": "string"}
    parameters = {
        "f": _parameter("f", "输出格式（也可用 Accept 头协商）", {"type": "string", "enum": ["json", "html"]},
                        style="form", explode=False),
        "limit": _parameter("limit", "每页要素数", {"type": "integer", "minimum": 1, "maximum": api.max_limit,
                                                    "default": api.default_limit}, style="form", explode=False),
        "offset": _parameter("offset", "跳过的要素数（分页）", {"type": "integer", "minimum": 0, "default": 0},
                             style="form", explode=False),
        "bbox": _parameter("bbox", "范围 minx,miny,maxx,maxy（WGS84 经纬度）",
                           {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
                           style="form", explode=False),
        "bbox-crs": _parameter("bbox-crs", "bbox 的坐标系：CRS84（经度在前，默认）或 EPSG:4326（纬度在前）", {"type": "string", "format": "uri"},
                               style="form", explode=False),
        "datetime": _parameter("datetime", "时间筛选（图层无时间属性，不起作用）", text, style="form", explode=False),
        "featureId": _parameter("featureId", "要素 id", text, where="path", required=True),
    }
    for name in Filters.names():
        if name != "bbox":
            schema = {"type": "string", "enum": [k.value for k in Kind]} if name == "kind" else text
            parameters[name] = _parameter(name, _FILTER_HELP[name], schema, style="form", explode=False)
    geojson = {"type": "object", "required": ["type"], "properties": {"type": {"type": "string"}}}
    error = {"type": "object", "required": ["code"],
             "properties": {"code": {"type": "string"}, "description": {"type": "string"}}}
    return {"parameters": parameters, "schemas": {"geojson": geojson, "exception": error},
            "responses": {"400": _response("参数无效", {"application/json": {"$ref": "#/components/schemas/exception"}}),
                          "404": _response("不存在", {"application/json": {"$ref": "#/components/schemas/exception"}})}}


def document(api: FeaturesAPI) -> dict[str, Any]:
    def ref(name: str) -> dict[str, str]:
        return {"$ref": f"#/components/parameters/{name}"}

    page = {"text/html": {"type": "string"}}
    meta = {JSON: {"type": "object"}, HTML: {"type": "string"}}
    errors = {"400": {"$ref": "#/components/responses/400"}, "404": {"$ref": "#/components/responses/404"}}

    def get(summary: str, operation: str, tag: str, responses: dict[str, Any],
            parameters: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        return {"get": {"summary": summary, "operationId": operation, "tags": [tag],
                        "parameters": parameters or [ref("f")], "responses": {**responses, **errors}}}

    paths: dict[str, Any] = {
        "/": get("首页", "getLandingPage", "server", {"200": _response("首页", meta)}),
        "/conformance": get("符合性", "getConformance", "server", {"200": _response("符合的标准类", meta)}),
        "/api": get("本 API 的定义", "getAPI", "server", {"200": _response(
            "OpenAPI 3.0", {OPENAPI: {"type": "object"}, **page})}),
        "/collections": get("图层列表", "getCollections", "server", {"200": _response("图层", meta)}),
    }
    for info in api.catalogue.info():
        root = f"/collections/{info.id}"
        columns = [c for c in api.queryable_schema(info.id) if c != "geometry"]
        extra = [_parameter(c, f"{c} 等于该值", {"type": api.queryable_schema(info.id)[c]["type"]},
                            style="form", explode=False)
                 for c in columns if c in api.column_parameters(info.id)]
        item_params = [ref(p) for p in ("f", "limit", "offset", "bbox", "bbox-crs", "datetime")]
        item_params += [ref(p) for p in Filters.names() if p != "bbox"] + extra
        features = {GEOJSON: {"$ref": "#/components/schemas/geojson"}, **page}
        paths[root] = get(f"{info.title}：说明", f"describe-{info.id}", info.id,
                          {"200": _response("图层说明", meta)})
        paths[f"{root}/items"] = get(f"{info.title}：要素", f"get-{info.id}-features", info.id,
                                     {"200": _response("要素集合", features)}, item_params)
        paths[f"{root}/items/{{featureId}}"] = get(f"{info.title}：单个要素", f"get-{info.id}-feature", info.id,
                                                   {"200": _response("要素", features)},
                                                   [ref("featureId"), ref("f")])
        paths[f"{root}/queryables"] = get(f"{info.title}：可查询字段", f"get-{info.id}-queryables", info.id,
                                          {"200": _response("JSON Schema", {SCHEMA: {"type": "object"}, **page})})
    tags = [{"name": "server", "description": "服务"}] + [
        {"name": i.id, "description": i.title} for i in api.catalogue.info()]
    return {"openapi": "3.0.2",
            "info": {"title": api.title, "description": api.description, "version": "1.0.0",
                     "license": {"name": "MIT"}},
            "servers": [{"url": api.base_url}], "tags": tags, "paths": paths, "components": components(api)}
