"""The HTML encoding of the OGC API pages: a few small Jinja2 templates, autoescaped (no Flask).

>>> "&lt;b&gt;" in render("collections", title="<b>", collections=[], links=[], base_url="/ogcapi")
True
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import DictLoader, Environment

_BASE = """<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body{font:15px/1.5 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:72rem;padding:1rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccd;padding:.25rem .5rem;text-align:left;
vertical-align:top}th{background:#f3f4f8}nav.crumbs a{margin-right:.4rem}pre{white-space:pre-wrap}
.links a{margin-right:1rem}
</style>
{%- for link in links if link.rel == "alternate" %}
<link rel="alternate" type="{{ link.type }}" href="{{ link.href }}">
{%- endfor %}
</head>
<body>
<nav class="crumbs"><a href="{{ base_url }}?f=html">OGC API</a>/
<a href="{{ base_url }}/collections?f=html">图层</a></nav>
<h1>{{ title }}</h1>
{% block main %}{% endblock %}
<p class="links">{% for link in links %}<a href="{{ link.href }}" rel="{{ link.rel }}" type="{{ link.type }}">
{{- link.title or link.rel }}</a>{% endfor %}</p>
</body>
</html>
"""

_TEMPLATES = {
    "base": _BASE,
    "landing": """{% extends "base" %}{% block main %}<p>{{ description }}</p>
<ul><li><a href="{{ base_url }}/collections?f=html">图层（collections）</a></li>
<li><a href="{{ base_url }}/conformance?f=html">符合性（conformance）</a></li>
<li><a href="{{ base_url }}/api?f=html">API 定义（OpenAPI 3.0）</a></li></ul>{% endblock %}""",
    "conformance": """{% extends "base" %}{% block main %}<ul>{% for uri in conforms_to %}<li>{{ uri }}</li>
{% endfor %}</ul>{% endblock %}""",
    "collections": """{% extends "base" %}{% block main %}<table><tr><th>id</th><th>名称</th><th>说明</th>
<th>要素数</th></tr>{% for c in collections %}<tr><td><a href="{{ base_url }}/collections/{{ c.id|urlencode }}?f=html">
{{- c.id }}</a></td><td>{{ c.title }}</td><td>{{ c.description }}</td><td>{{ c.count }}</td></tr>{% endfor %}
</table>{% endblock %}""",
    "collection": """{% extends "base" %}{% block main %}<p>{{ collection.description }}</p>
<p>要素数：{{ collection.count }}；几何类型：{{ collection.geometry_type }}；范围：{{ collection.bbox or "无" }}</p>
<p><a href="{{ base_url }}/collections/{{ collection.id|urlencode }}/items?f=html">浏览要素</a></p>{% endblock %}""",
    "items": """{% extends "base" %}{% block main %}<p>共 {{ matched }} 个，本页 {{ features|length }} 个。</p>
<table><tr><th>id</th>{% for c in columns %}<th>{{ c }}</th>{% endfor %}</tr>
{% for f in features %}<tr><td><a href="{{ base_url }}/collections/{{ collection_id|urlencode }}/items/
{{- f.id|string|urlencode }}?f=html">{{ f.id }}</a></td>{% for c in columns %}<td>{{ f.properties[c] }}</td>
{% endfor %}</tr>{% endfor %}</table>{% endblock %}""",
    "item": """{% extends "base" %}{% block main %}<table>{% for k, v in feature.properties.items() %}
<tr><th>{{ k }}</th><td>{{ v }}</td></tr>{% endfor %}<tr><th>geometry</th><td>{{ geometry_text }}</td></tr>
</table>{% endblock %}""",
    "queryables": """{% extends "base" %}{% block main %}<table><tr><th>名称</th><th>类型</th></tr>
{% for name, schema in properties.items() %}<tr><td>{{ name }}</td><td>{{ schema.type or schema.format or "" }}</td>
</tr>{% endfor %}</table>{% endblock %}""",
    "api": """{% extends "base" %}{% block main %}<pre>{{ document }}</pre>{% endblock %}""",
}


@cache
def environment() -> Environment:
    """The Jinja2 environment (built on first use; every value is escaped)."""
    return Environment(loader=DictLoader(_TEMPLATES), autoescape=True)


def render(page: str, **context: Any) -> str:
    """A page of the OGC API as HTML; ``title``, ``links`` and ``base_url`` are always needed."""
    return environment().get_template(page).render(**context)
