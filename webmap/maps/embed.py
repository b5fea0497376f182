"""A rendered Folium map as the parts a page template embeds, and JSON that is safe inside a ``<script>``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import folium
from markupsafe import Markup

_SCRIPT_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027",
                                "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(value: Any) -> Markup:
    """JSON for inside a ``<script>``: like Jinja's ``tojson`` (``<``, ``>``, ``&``, ``'`` escaped, so no text can
    close the script or open a comment) but with Chinese kept as UTF-8, half the size of ``\\uXXXX``.

    >>> print(script_json({"name": "</script>向阳湖"}))
    {"name": "\\u003c/script\\u003e向阳湖"}
    """
    return Markup(json.dumps(value, ensure_ascii=False, sort_keys=True).translate(_SCRIPT_UNSAFE))


@dataclass(frozen=True, slots=True)
class MapParts:
    """A rendered map split for a page template: ``header`` (links and styles), ``html`` (the div), ``script``."""

    header: Markup
    html: Markup
    script: Markup


def map_parts(fmap: folium.Map) -> MapParts:
    """Render ``fmap`` once and split it for embedding in a Jinja page; the script loses the indentation of
    Folium's templates (a tenth of the page). That is safe because no script here holds a multi-line string:
    texts arrive as JSON, and template literals are never used."""
    figure = fmap.get_root()
    figure.render()
    return MapParts(Markup(figure.header.render()), Markup(figure.html.render()),
                    Markup(compact_script(figure.script.render())))


def compact_script(script: str) -> str:
    """``script`` without leading and trailing blanks on its lines, and without blank lines.

    >>> compact_script("\\n    var a = 1;\\n\\n        a += 2;\\n")
    'var a = 1;\\na += 2;'
    """
    return "\n".join(line.strip() for line in script.splitlines() if line.strip())
