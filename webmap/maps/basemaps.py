"""The tile sources a map may use (OpenStreetMap, 高德 in GCJ-02, 天地图 with a key, none)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Basemap:
    """A tile source. ``gcj02`` says the tiles are drawn in GCJ-02 so overlays must be converted."""

    id: str
    label: str
    tiles: tuple[str, ...] = ()
    attribution: str = ""
    subdomains: str = "abc"
    gcj02: bool = False
    max_zoom: int = 18

    @property
    def hosts(self) -> tuple[str, ...]:
        """Host name patterns of the tiles (``{s}`` expanded), for tests and the page's privacy note."""
        hosts = []
        for url in self.tiles:
            host = url.split("/")[2]
            hosts += [host.replace("{s}", s) for s in self.subdomains] if "{s}" in host else [host]
        return tuple(dict.fromkeys(hosts))


OSM = Basemap("osm", "OpenStreetMap", ("https://tile.openstreetmap.org/{z}/{x}/{y}.png",),
              '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> 贡献者', subdomains="",
              max_zoom=19)
GAODE = Basemap("gaode", "高德地图",
                ("https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",),
                "&copy; 高德地图（GCJ-02，叠加图层已转换）", subdomains="1234", gcj02=True)
NONE = Basemap("none", "无底图")
_TIANDITU = ("https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}"
             "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}")


def basemaps(*, tianditu_key: str = "") -> dict[str, Basemap]:
    """The basemaps this server offers, by id; 天地图 only with a key.

    >>> list(basemaps())
    ['osm', 'gaode', 'none']
    >>> list(basemaps(tianditu_key="k"))
    ['osm', 'gaode', 'tianditu', 'none']
    """
    found = {"osm": OSM, "gaode": GAODE}
    if tianditu_key:
        tiles = tuple(_TIANDITU.format(s="{s}", layer=layer, key=tianditu_key) for layer in ("vec", "cva"))
        found["tianditu"] = Basemap("tianditu", "天地图", tiles, "&copy; 国家地理信息公共服务平台 天地图",
                                    subdomains="01234567")
    found["none"] = NONE
    return found


def choose_basemap(requested: str | None, *, tianditu_key: str = "") -> Basemap:
    """The basemap for ``?basemap=``; unknown or unavailable choices fall back to OpenStreetMap."""
    return basemaps(tianditu_key=tianditu_key).get(requested or "osm", OSM)
