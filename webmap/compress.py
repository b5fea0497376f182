"""Pages go out gzip-compressed to browsers that accept it: the planner map is half a megabyte of script (every
outline, popup and search entry), a tenth of that compressed. Only the app's HTML pages are compressed here;
static files, downloads and API responses are left as they are.

>>> gzip.decompress(compressed(b"<p>" * 1000)) == b"<p>" * 1000
True
"""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

#: Responses smaller than this are sent as they are (compressing them saves nothing worth the header).
MIN_SIZE = 1400
LEVEL = 6


def compressed(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=LEVEL, mtime=0)


def _compress(response: Response) -> Response:
    if (response.status_code != 200 or response.mimetype != "text/html" or response.direct_passthrough
            or response.is_streamed or "Content-Encoding" in response.headers
            or not request.accept_encodings["gzip"]):
        return response
    data = response.get_data()
    if len(data) < MIN_SIZE:
        return response
    response.set_data(compressed(data))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_compress)
