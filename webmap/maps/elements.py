"""The small Folium element classes the maps are made of: a map and controls whose scripts come from ``/static``,
popups and tooltips that reach Leaflet as JSON strings, the place search, labels, and paths without Leaflet's
defaults."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium
from branca.element import MacroElement
from folium.plugins import Fullscreen
from folium.template import Template
from markupsafe import Markup, escape

from webmap import assets
from webmap.maps.embed import script_json
from webmap.maps.styles import DERIVED_PANE, TASKS_PANE, UNITS_PANE


class VendoredMap(folium.Map):
    """A :class:`folium.Map` whose Leaflet comes from ``/static/vendor`` and that loads nothing else by default."""

    default_js = assets.vendor_js("leaflet")
    default_css = assets.vendor_css("leaflet") + assets.own_css("map")


class VendoredFullscreen(Fullscreen):
    """The Fullscreen control with its script and style served by the app."""

    default_js = assets.vendor_js("fullscreen")
    default_css = assets.vendor_css("fullscreen")


class GovmapScript(MacroElement):
    """Loads ``/static/govmap-map.js`` (search, legend and popup helpers) once per map."""

    _template = Template("""
        {% macro header(this, kwargs) %}
            <script src="{{ this.url }}"></script>
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "GovmapScript"
        self.url = assets.own_js_url("map")


class SafePopup(MacroElement):
    """A popup whose (already escaped) HTML reaches Leaflet as a JSON string.

    Folium's ``Popup`` puts HTML inside a JavaScript template literal, where ``${…}`` in a document's text would
    run; this one never does.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindPopup({{ this.html }}, {{ this.options }});
        {% endmacro %}
    """)

    def __init__(self, html: Markup, *, max_width: int = 380) -> None:
        super().__init__()
        self._name = "SafePopup"
        self.html = script_json(str(html))
        self.options = script_json({"maxWidth": max_width, "className": "gm-popup"})


class SafeTooltip(MacroElement):
    """A tooltip built from plain text: escaped here, then handed to Leaflet as a JSON string."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindTooltip({{ this.html }}, {"sticky": true});
        {% endmacro %}
    """)

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "SafeTooltip"
        self.html = script_json(str(escape(text)))


class PlaceSearch(MacroElement):
    """A search box over place names and aliases; choosing a place zooms to it and opens its popup.

    Results are written with ``textContent`` in ``govmap-map.js``, so names are never parsed as HTML.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            GovMap.search({{ this._parent.get_name() }}, {{ this.entries }}, {
                {%- for key, layer in this.layers %}
                {{ this.key(key) }}: {{ layer.get_name() }}{% if not loop.last %},{% endif %}
                {%- endfor %}
            });
        {% endmacro %}
    """)

    def __init__(self, entries: Sequence[Mapping[str, Any]], layers: Sequence[tuple[str, Any]]) -> None:
        super().__init__()
        self._name = "PlaceSearch"
        self.entries = script_json(list(entries))
        self.layers = list(layers)

    @staticmethod
    def key(value: str) -> Markup:
        return script_json(value)


class MapSetup(MacroElement):
    """The map's finishing touches in ``govmap-map.js``: a metric scale bar, the attribution prefix, popups that
    pan clear of the controls, derived geometry in its own pane under the overlays, and township markers and 任务
    marks in panes above them."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            GovMap.setup({{ this._parent.get_name() }}, {{ this.options }});
        {% endmacro %}
    """)

    def __init__(self, *, fit: Sequence[Sequence[float]] | None = None) -> None:
        super().__init__()
        self._name = "MapSetup"
        self.options = script_json({"derivedPane": DERIVED_PANE, "unitsPane": UNITS_PANE, "tasksPane": TASKS_PANE,
                                    "fit": [list(c) for c in fit] if fit else None})


class Labels(MacroElement):
    """Names kept on the map (the townships'), in the FeatureGroup they label: ``[lat, lon, offset px, text]``.
    ``govmap-map.js`` writes each with ``textContent``."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            GovMap.labels({{ this._parent.get_name() }}, {{ this.entries }});
        {% endmacro %}
    """)

    def __init__(self, entries: Sequence[tuple[float, float, float, str]]) -> None:
        super().__init__()
        self._name = "Labels"
        self.entries = script_json([list(e) for e in entries])


class ApproximatePlaces(MacroElement):
    """The places known only by their admin unit: a control with one button per unit ("咸安区 39 处") that opens
    its list. Unit names reach the script as JSON and are written with ``textContent``; each list is the escaped
    HTML of a template (as a popup is)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            GovMap.approximate({{ this._parent.get_name() }}, {{ this.entries }});
        {% endmacro %}
    """)

    def __init__(self, lists: Sequence[Any], *, outside: str = "其他地区", unfolded: bool = False) -> None:
        super().__init__()
        self._name = "ApproximatePlaces"
        self.entries = script_json({"outside": outside, "open": unfolded, "units": [
            {"id": u.unit_id, "unit": u.unit_name, "count": u.count, "html": str(u.html), "inside": u.inside}
            for u in lists]})


#: Leaflet's own defaults for path options: sending them again for every path only makes the page heavier.
LEAFLET_PATH_DEFAULTS: dict[str, Any] = {
    "stroke": True, "weight": 3, "opacity": 1.0, "lineCap": "round", "lineJoin": "round", "dashArray": None,
    "dashOffset": None, "fillOpacity": 0.2, "fillRule": "evenodd", "bubblingMouseEvents": True,
    "smoothFactor": 1.0, "noClip": False,
}


def lean_options(options: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    """Path options without Leaflet's defaults (and without a fill colour equal to the stroke's, Leaflet's
    default too), plus ``extra`` Leaflet options Folium does not pass on (``pane``, ``lineCap``).

    >>> lean_options({"color": "#123", "fillColor": "#123", "weight": 3, "opacity": 0.5, "fill": True}, pane="p")
    {'color': '#123', 'opacity': 0.5, 'fill': True, 'pane': 'p'}
    """
    kept = {k: v for k, v in options.items()
            if k not in LEAFLET_PATH_DEFAULTS or LEAFLET_PATH_DEFAULTS[k] != v}
    if kept.get("fillColor") == kept.get("color"):
        kept.pop("fillColor", None)
    kept.update({k: v for k, v in extra.items() if v is not None})
    return kept


class LeanPolygon(folium.Polygon):
    def __init__(self, locations: Any, *, leaflet: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(locations, **kwargs)
        self.options = lean_options(self.options, **(leaflet or {}))


class LeanPolyLine(folium.PolyLine):
    def __init__(self, locations: Any, *, leaflet: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(locations, **kwargs)
        self.options = lean_options(self.options, **(leaflet or {}))


class LeanCircleMarker(folium.CircleMarker):
    def __init__(self, location: Any, *, leaflet: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(location, **kwargs)
        self.options = lean_options(self.options, **(leaflet or {}))
