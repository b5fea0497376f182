"""The Flask application: planner map, township, task and place pages, OGC API adapter, the govmap command.

>>> app = create_app({"TESTING": True, "GOVMAP_LAZY": True})
>>> app.name
'webmap'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from webmap.settings import DEFAULTS


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. Settings come from :data:`webmap.settings.DEFAULTS`, then ``config``."""
    from webmap import state

    app = Flask(__name__)
    app.config.from_mapping({name: setting.default for name, setting in DEFAULTS.items()})
    if config:
        app.config.from_mapping(config)
    state.init_app(app)
    _register_blueprints(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from webmap import compress, errors, templating
    from webmap.pages import downloads, indicators, ogcapi, places, planner, plans, tasks, towns, units

    for module in (errors, templating, planner, plans, towns, tasks, units, indicators, places, downloads, ogcapi, compress):
        module.init_app(app)
