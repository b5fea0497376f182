"""Errors to HTTP in one place: :class:`layers.errors.LayerError` keeps its status, an unknown place is 404, and
API and download URLs always answer in the one JSON error shape ``{"code": ..., "description": ...}``; other
pages get a small Chinese error page."""

from __future__ import annotations

from flask import Flask, Response, render_template_string, request
from werkzeug.exceptions import HTTPException

from gazetteer.errors import UnknownPlace
from layers.errors import LayerError, NotFound, error_body
from layers.export import dumps

#: URL prefixes that answer errors in JSON.
JSON_PREFIXES = ("/ogcapi", "/download/")
#: OGC exception codes by HTTP status (for errors raised as plain HTTP errors).
CODES = {400: "InvalidParameterValue", 404: "NotFound", 405: "OperationNotSupported", 406: "InvalidParameterValue"}
TITLES = {400: "请求有误", 404: "找不到页面", 405: "不支持该请求方法", 500: "服务器出错"}

_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ status }} {{ title }}</title></head>
<body class="error-page"><main><h1>{{ title }}</h1><p>{{ description }}</p><p><a href="/">返回地图</a></p></main>
</body></html>"""


def wants_json() -> bool:
    return request.path.startswith(JSON_PREFIXES) or request.path == "/ogcapi"


def error_response(status: int, code: str, description: str) -> Response:
    """The JSON error shape for API and download URLs, a small HTML page elsewhere."""
    if wants_json():
        return Response(dumps(error_body(code, description)), status=status, content_type="application/json")
    page = render_template_string(_PAGE, status=status, title=TITLES.get(status, "出错了"), description=description)
    return Response(page, status=status, content_type="text/html; charset=utf-8")


def _layer_error(exc: LayerError) -> Response:
    return error_response(exc.status, exc.code, exc.description)


def _unknown_place(exc: UnknownPlace) -> Response:
    return error_response(404, NotFound.code, str(exc))


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    response = error_response(status, CODES.get(status, "NoApplicableCode"), exc.description or exc.name)
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(LayerError, _layer_error)
    app.register_error_handler(UnknownPlace, _unknown_place)
    app.register_error_handler(HTTPException, _http_error)
