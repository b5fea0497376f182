"""The Flask application: planner map, township, task and place pages, OGC API adapter, the supervision JSON API
(``/api``), the govmap command.

>>> app = create_app({"TESTING": True, "GOVMAP_LAZY": True})
>>> app.name
'webmap'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from webmap.settings import DEFAULTS

if TYPE_CHECKING:  # Flask is imported by create_app: the ``govmap`` command reads texts without it
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. Settings come from :data:`webmap.settings.DEFAULTS`, then ``config``."""
    from flask import Flask

    from webmap import state

    app = Flask(__name__)
    app.config.from_mapping({name: setting.default for name, setting in DEFAULTS.items()})
    if config:
        app.config.from_mapping(config)
    state.init_app(app)
    _register_blueprints(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from webmap import api, auth, compress, errors, templating
    from webmap.pages import (account, downloads, indicators, me, ogcapi, places, planner, supervision, tasks, towns,
                              units)

    for module in (errors, templating, planner, towns, tasks, units, indicators, places, downloads, ogcapi, api,
                   account, supervision, me,
                   compress, auth):  # auth last: it exempts the token API's blueprint from CSRF
        module.init_app(app)
