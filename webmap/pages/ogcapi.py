"""OGC API – Features under ``/ogcapi``: a thin adapter over :class:`layers.ogcapi.FeaturesAPI`.

Each view turns the Flask request into an :class:`~layers.ogcapi.APIRequest`, calls one core method and returns
its ``(headers, status, content)`` as is.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Flask, Response, current_app, request, url_for

from layers.ogcapi import APIRequest, FeaturesAPI
from webmap.state import get_state

bp = Blueprint("ogcapi", __name__, url_prefix="/ogcapi")


def api() -> FeaturesAPI:
    """The core for this request: the app's catalogue, this server's base URL, the configured page limits."""
    base_url = url_for("ogcapi.landing", _external=True).rstrip("/")
    return FeaturesAPI(get_state().catalogue, base_url=base_url,
                       default_limit=int(current_app.config["GOVMAP_PAGE_LIMIT"]),
                       max_limit=int(current_app.config["GOVMAP_MAX_LIMIT"]))


def _serve(call: Callable[[FeaturesAPI, APIRequest], tuple[dict[str, str], int, str | bytes]]) -> Response:
    core_request = APIRequest(args=request.args.to_dict(flat=True), accept=request.headers.get("Accept", ""))
    headers, status, content = call(api(), core_request)
    response = Response(content, status=status, headers=headers)
    response.vary.add("Accept")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("", strict_slashes=False)
def landing() -> Response:
    return _serve(lambda core, req: core.landing(req))


@bp.get("/conformance")
def conformance() -> Response:
    return _serve(lambda core, req: core.conformance(req))


@bp.get("/api")
def openapi() -> Response:
    return _serve(lambda core, req: core.openapi(req))


@bp.get("/collections")
def collections() -> Response:
    return _serve(lambda core, req: core.collections(req))


@bp.get("/collections/<collection_id>")
def collection(collection_id: str) -> Response:
    return _serve(lambda core, req: core.collection(req, collection_id))


@bp.get("/collections/<collection_id>/queryables")
def queryables(collection_id: str) -> Response:
    return _serve(lambda core, req: core.queryables(req, collection_id))


@bp.get("/collections/<collection_id>/items")
def items(collection_id: str) -> Response:
    return _serve(lambda core, req: core.items(req, collection_id))


@bp.get("/collections/<collection_id>/items/<path:feature_id>")
def item(collection_id: str, feature_id: str) -> Response:
    return _serve(lambda core, req: core.item(req, collection_id, feature_id))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
