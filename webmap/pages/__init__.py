"""The blueprints: one module per page family (planner map, townships, tasks, places, downloads, OGC API adapter),
and what the pages of a named thing share (:func:`canonical`)."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, request, url_for
from werkzeug.wrappers import Response


def canonical(found: Any, asked: str, *, missing: str) -> Response | None:
    """A page asked for by name: 404 with ``missing`` when nothing was ``found``; a permanent redirect to the same
    page under the found thing's name (the query kept) when it was asked by another one (an alias, an id, a written
    form); ``None`` when ``asked`` is its name and the page is to be shown."""
    if found is None:
        abort(404, description=missing)
    if asked != found.name:
        query = {k: v for k, v in request.args.items() if not k.startswith("_")}  # _external… are url_for's own
        return redirect(url_for(request.endpoint, **{**query, **request.view_args, "name": found.name}), code=301)
    return None
