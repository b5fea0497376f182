"""A live server on loopback for tests that use real HTTP clients (OWSLib, GDAL, browsers).

* :func:`serving` — any WSGI app on 127.0.0.1 at a free port in a thread, shut down on exit;
* :func:`app_serving` — the real app factory serving a given state (catalogue + corpus) instead of the bundled texts;
* ``layers_state`` / ``layers_app`` / ``layers_live`` — session fixtures over the hand-made district of
  :mod:`tests.layers.fixtures`; import them by name into a test module to use them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

LOOPBACK = "127.0.0.1"


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 (port chosen by the OS); yields the base URL without a trailing slash."""
    from werkzeug.serving import make_server

    server = make_server(LOOPBACK, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="govmap-live-ogcapi", daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


class FixedState:
    """Stands in for the app's state holder: always the given state."""

    def __init__(self, state: Any) -> None:
        self._state = state

    def get(self) -> Any:
        return self._state


def app_serving(state: Any, **config: Any) -> Any:
    """The real app (``create_app``) serving ``state``."""
    from webmap import create_app

    app = create_app({"TESTING": True, "GOVMAP_LAZY": True, **config})
    app.extensions["govmap"] = FixedState(state)
    return app


@pytest.fixture(scope="session")
def layers_state() -> Any:
    from tests.layers.fixtures import fixture_catalogue
    from webmap.state import State

    catalogue = fixture_catalogue()
    return State(corpus=catalogue.corpus, catalogue=catalogue)


@pytest.fixture(scope="session")
def layers_app(layers_state: Any) -> Any:
    return app_serving(layers_state, GOVMAP_PAGE_LIMIT=10)


@pytest.fixture(scope="session")
def layers_live(layers_app: Any) -> Iterator[str]:
    with serving(layers_app) as url:
        yield url
