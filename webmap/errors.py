"""Errors to HTTP in one place: :class:`layers.errors.LayerError` keeps its status, an unknown place is 404, and
API and download URLs always answer in the one JSON error shape ``{"code": ..., "description": ...}``; other
pages get a Chinese error page in the site's layout (navigation kept, so the user can go on)."""

from __future__ import annotations

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from gazetteer.errors import UnknownPlace
from layers.errors import LayerError, NotFound, error_body
from layers.export import dumps

#: URL prefixes that answer errors in JSON.
JSON_PREFIXES = ("/ogcapi", "/download/", "/api/")
#: OGC exception codes by HTTP status (for errors raised as plain HTTP errors).
CODES = {400: "InvalidParameterValue", 404: "NotFound", 405: "OperationNotSupported", 406: "InvalidParameterValue",
         413: "TooLarge"}
TITLES = {400: "请求有误", 404: "找不到页面", 405: "不支持该请求方法", 500: "服务器出错"}
#: What a page says instead of Werkzeug's English default description of an HTTP error.
DESCRIPTIONS = {400: "请求的参数有误。", 404: "没有这个网址。可以从上方导航进入地图、乡镇列表或数据下载。",
                405: "此网址不支持该请求方法。", 500: "服务器处理请求时出错，请稍后再试。"}


def wants_json() -> bool:
    return request.path.startswith(JSON_PREFIXES) or request.path in ("/ogcapi", "/api")


def error_response(status: int, code: str, description: str) -> Response:
    """The JSON error shape for API and download URLs, a Chinese page elsewhere."""
    if wants_json():
        return Response(dumps(error_body(code, description)), status=status, content_type="application/json")
    heading = TITLES.get(status, "出错了")
    page = render_template("error.html", title=f"{status} {heading} · govmap", heading=heading,
                           description=description, site_label="govmap")
    return Response(page, status=status, content_type="text/html; charset=utf-8")


def _layer_error(exc: LayerError) -> Response:
    return error_response(exc.status, exc.code, exc.description)


def _unknown_place(exc: UnknownPlace) -> Response:
    return error_response(404, NotFound.code, str(exc))


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    description = exc.description or exc.name
    if description == type(exc).description:  # Werkzeug's English default, in pages and JSON alike
        description = DESCRIPTIONS.get(status, description)
    response = error_response(status, CODES.get(status, "NoApplicableCode"), description)
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(LayerError, _layer_error)
    app.register_error_handler(UnknownPlace, _unknown_place)
    app.register_error_handler(HTTPException, _http_error)
