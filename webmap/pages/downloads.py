"""Downloads: ``/download/`` lists the layers, ``/download/<layer>.<fmt>`` sends one (GeoJSON, GeoPackage, CSV)
under the same filters as the map (query arguments), with a UTF-8 file name such as ``向阳湖镇-任务.csv``.

While a quarter is supervised, the tasks (``tasks``, ``task_places``) carry each task's light, its reason and the
quarter, computed at the download (the catalogue never holds them), and ``?light=`` keeps the tasks of one light."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import Blueprint, Flask, Response, render_template_string, request

from layers.catalogue import Catalogue
from layers.errors import NotFound
from layers.export import FORMATS, get_format, to_bytes
from layers.filters import Filters, filter_notes
from layers.errors import InvalidParameter
from layers.tasklist import task_table, with_light_columns
from webmap.pages.planner import map_lights
from webmap.state import get_state

bp = Blueprint("downloads", __name__, url_prefix="/download")

_INDEX = """{% extends "base.html" %}
{% block main %}<h1>数据下载</h1>
<p>每个图层可下载为 GeoJSON（RFC 7946，WGS84 经纬度）、GeoPackage（含完整几何与英文字段名），或可直接用 Excel
打开的表格：CSV（UTF-8 带 BOM）与 Excel（.xlsx）——中文表头、经度/纬度两列、列表以“、”连接，不含几何全文。
无几何的要素也保留（几何为空）。“任务”每项任务一行；“任务—地点关联”每条关联一行。
同样的筛选参数（township、section、leader、lead_unit、unit、kind、keyword、bbox）可加在链接后。
开始督办后，“任务”与“任务—地点关联”附当前季度的督办灯（下载时计算）与理由，light=red、yellow 或 green 只下载该灯色的任务。
GIS 软件也可直接连接 <a href="{{ ogcapi }}">OGC API – Features</a>。</p>
<table class="downloads"><thead><tr><th>图层</th><th>说明</th><th>要素数</th><th>下载</th></tr></thead><tbody>
{% for layer in layers %}<tr><td>{{ layer.title }}（{{ layer.id }}）</td><td>{{ layer.description }}</td>
<td>{{ layer.count }}</td><td>{% for fmt in formats %}
<a href="{{ url_for('downloads.layer', name=layer.id ~ '.' ~ fmt.extension) }}" download>{{ fmt.label }}</a>{% if not loop.last %} · {% endif %}{% endfor %}</td></tr>
{% endfor %}</tbody></table>{% endblock %}"""


def file_names(catalogue: Catalogue, layer: str, fmt: str, filters: Filters) -> tuple[str, str]:
    """(UTF-8 name, ASCII fallback): ``向阳湖镇-任务.csv`` / ``tasks-421202104.csv``."""
    title = catalogue.spec(layer).title
    extension = get_format(fmt).extension
    if filters.township is None:
        return f"{title}.{extension}", f"{layer}.{extension}"
    unit = catalogue.township(filters.township)
    ascii_id = unit.id if unit.id.isascii() and unit.id.replace("-", "").replace("_", "").isalnum() else ""
    fallback = f"{layer}-{ascii_id}.{extension}" if ascii_id else f"{layer}.{extension}"
    return f"{unit.name}-{title}.{extension}", fallback


def content_disposition(name: str, fallback: str) -> str:
    """``attachment`` with an ASCII ``filename`` and the RFC 5987 / RFC 6266 ``filename*``.

    >>> print(content_disposition("向阳湖镇-任务.csv", "tasks.csv"))
    attachment; filename="tasks.csv"; filename*=UTF-8''%E5%90%91%E9%98%B3%E6%B9%96%E9%95%87-%E4%BB%BB%E5%8A%A1.csv
    """
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@bp.get("/")
def index() -> str:
    state = get_state()
    return render_template_string(_INDEX, title="数据下载", layers=state.catalogue.info(),
                                  formats=list(FORMATS.values()), ogcapi="/ogcapi")


@bp.get("/<name>")
def layer(name: str) -> Response:
    layer_id, dot, fmt = name.rpartition(".")
    if not dot or fmt not in FORMATS:
        raise NotFound(f"no download {name!r}: use /download/<layer>.<{'|'.join(FORMATS)}>")
    catalogue = get_state().catalogue
    catalogue.spec(layer_id)
    filters = catalogue.resolve(Filters.from_args(request.args))
    if layer_id == "tasks" and request.args.get("sort"):  # exactly the table /tasks/ shows, in its order
        frame = task_table(catalogue, filters, sort=request.args["sort"]).frame
    else:
        frame = catalogue.frame(layer_id, filters)
    notes = filter_notes(Filters.from_args(request.args))
    if layer_id in LIGHT_LAYERS:
        frame, notes = _with_lights(frame, notes)
    data = to_bytes(frame, fmt=fmt, layer=layer_id, title=catalogue.spec(layer_id).title, notes=notes)
    utf8_name, ascii_name = file_names(catalogue, layer_id, fmt, filters)
    response = Response(data, content_type=FORMATS[fmt].media_type)
    response.headers["Content-Disposition"] = content_disposition(utf8_name, ascii_name)
    response.headers["X-Feature-Count"] = str(len(frame))
    return response


#: The layers of tasks a download gives the current quarter's lights to.
LIGHT_LAYERS = frozenset({"tasks", "task_places"})


def _with_lights(frame, notes: dict[str, str]):
    """``frame`` with the lights of the quarter being supervised, narrowed by ``?light=`` (an unknown light, or one
    asked for while nothing is supervised, is refused rather than ignored: the file would hold other tasks)."""
    lights, rejected = map_lights(request.args.get("light", ""))
    if rejected:
        raise InvalidParameter(f"light：{'；'.join(rejected)}无效（可用：red、yellow、green，且须已开始督办）")
    if lights.quarter is None:
        return frame, notes
    frame = with_light_columns(frame, lights.verdicts, quarter=str(lights.quarter), light=lights.chosen)
    return frame, {**notes, **({"督办灯": f"{lights.chosen.label}（{lights.quarter}）"} if lights.chosen else {})}


def download_url(layer_id: str, fmt: str, filters: Filters | None = None) -> str:
    """The path of a download (for pages that offer one)."""
    query = urlencode((filters or Filters()).as_args())
    return f"/download/{layer_id}.{FORMATS[fmt].extension}" + (f"?{query}" if query else "")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
