"""What pages load: the vendored JavaScript and CSS (``static/vendor/``, see its README for package, version and
licence) and the app's own files, as ``(name, url)`` lists in the form Folium's ``default_js``/``default_css``
take. Every URL is under ``/static``: no page loads anything from a CDN. (Template filters and the base
template's context are in :mod:`webmap.templating`.)
"""

from __future__ import annotations

STATIC = "/static"

#: Vendored packages: name → (folder under static/vendor, scripts, stylesheets).
VENDOR: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "leaflet": ("leaflet-1.9.3", ("leaflet.js",), ("leaflet.css",)),
    "fullscreen": ("leaflet.fullscreen-3.0.0", ("Control.FullScreen.js",), ("Control.FullScreen.css",)),
}
#: The app's own files: name → (script, stylesheet), either may be empty.
OWN: dict[str, tuple[str, str]] = {
    "map": ("govmap-map.js", "govmap-map.css"),
    "site": ("", "govmap.css"),
}


def vendor_js(name: str) -> list[tuple[str, str]]:
    """``(name, url)`` pairs of a vendored package's scripts.

    >>> vendor_js("leaflet")
    [('leaflet', '/static/vendor/leaflet-1.9.3/leaflet.js')]
    """
    folder, scripts, _ = VENDOR[name]
    return [(name if i == 0 else f"{name}_{i}", f"{STATIC}/vendor/{folder}/{s}") for i, s in enumerate(scripts)]


def vendor_css(name: str) -> list[tuple[str, str]]:
    """``(name, url)`` pairs of a vendored package's stylesheets."""
    folder, _, sheets = VENDOR[name]
    return [(f"{name}_css" if i == 0 else f"{name}_css_{i}", f"{STATIC}/vendor/{folder}/{s}")
            for i, s in enumerate(sheets)]


def own_css(name: str) -> list[tuple[str, str]]:
    """``(name, url)`` of one of the app's stylesheets."""
    return [(f"govmap_{name}_css", f"{STATIC}/{OWN[name][1]}")]


def own_js_url(name: str) -> str:
    return f"{STATIC}/{OWN[name][0]}"
