"""The curated file's reader: good entries parse, each kind of mistake is a DataError naming the entry."""

from __future__ import annotations

import pytest

from gazetteer.places.curated import read_curated
from gazetteer.errors import DataError
from gazetteer.model import Kind

GOOD = '''
[[extend]]
target = "咸安区/浮山街道"
aliases = ["浮山街道办事处"]

[[place]]
id = "xa-river-ganhe"
name = "淦河"
kind = "river"
aliases = ["涂河"]
parents = ["咸安区"]
line = ["咸安区/桂花镇", [114.30, 29.95]]
position_source = "mouth at 斧头湖, read from the OSM lake outline"

[[nonplace]]
name = "贺胜鸡汤"
reason = "brand"
'''


def test_good_file_parses(tmp_path):
    path = tmp_path / "places.toml"
    path.write_text(GOOD, encoding="utf-8")
    curated = read_curated(path)
    [river] = curated.places
    assert (river.kind, river.aliases, river.line) == (Kind.RIVER, ("涂河",), ("咸安区/桂花镇", (114.30, 29.95)))
    assert curated.extensions[0].aliases == ("浮山街道办事处",)
    assert curated.nonplaces[0].reason == "brand"


@pytest.mark.parametrize(("entry", "message"), [
    ('[[place]]\nid = "x"\nname = "甲"\n', "missing 'kind'"),
    ('[[place]]\nid = "X Y"\nname = "甲"\nkind = "lake"\n', "lower-case ASCII"),
    ('[[place]]\nid = "x"\nname = "甲"\nkind = "pond"\n', "unknown kind 'pond'"),
    ('[[place]]\nid = "x"\nname = "甲"\nkind = "lake"\npoint = [114.1, 29.9]\n', "without position_source"),
    ('[[place]]\nid = "x"\nname = "甲"\nkind = "lake"\npoint = [29.9, 114.1]\nposition_source = "s"\n', "[lat, lon]"),
    ('[[place]]\nid = "x"\nname = "甲"\nkind = "lake"\npoint = [114.1, 29.9]\nposition_source = "s"\n'
     'dataset = "lakes:a"\n', "at most one of"),
    ('[[place]]\nid = "x"\nname = "甲"\nkind = "road"\nline = ["咸安区"]\n', "at least two anchors"),
    ('[[place]]\nid = "x"\nname = "甲"\nkind = "lake"\ncolour = "blue"\n', "unknown fields ['colour']"),
    ('[[nonplace]]\nname = "甲"\nreason = "tasty"\n', "reason among"),
    ('[[extend]]\naliases = ["甲"]\n', "missing 'target'"),
    ('[[lake]]\nname = "甲"\n', "unknown tables"),
    ('[[place]\nid = ', "cannot read"),
], ids=["no-kind", "bad-id", "bad-kind", "point-no-source", "lat-lon-swapped", "two-geometries", "short-line",
        "unknown-field", "bad-reason", "extend-no-target", "unknown-table", "not-toml"])
def test_mistakes_are_named(tmp_path, entry, message):
    path = tmp_path / "places.toml"
    path.write_text(entry, encoding="utf-8")
    with pytest.raises(DataError, match=message.replace("[", r"\[").replace("]", r"\]").replace("'", "'")):
        read_curated(path)


def test_expressways_are_found_in_both_written_forms(gazetteer):
    """A road curated as …高速 is found as …高速公路 too, and the other way round."""
    roads = [p for p in gazetteer if p.kind == "road" and p.name.endswith(("高速", "高速公路")) and len(p.name) > 4]
    assert roads
    for road in roads:
        other = road.name + "公路" if road.name.endswith("高速") else road.name.removesuffix("公路")
        assert road.id in {p.id for p in gazetteer.lookup(other)}, other
