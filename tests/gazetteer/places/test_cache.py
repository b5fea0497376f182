"""The gazetteer kept on disk: read back when nothing it is built from changed, built again when anything did."""

from __future__ import annotations

import shutil

import pytest

from gazetteer.places import load
from geodata import deployment
from geodata.errors import GeodataError


@pytest.fixture()
def counted(monkeypatch):
    """How many times the gazetteer was really built."""
    calls = []
    real = load._build

    def build(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(load, "_build", build)
    return calls


def test_a_second_load_reads_the_cache(tmp_path, counted):
    first = load.load_gazetteer(user_dir=tmp_path)
    second = load.load_gazetteer(user_dir=tmp_path)
    assert len(counted) == 1 and second is not first
    assert [p.id for p in second] == [p.id for p in first] and second.deployment == first.deployment
    assert second["421202-xiangyanghuzhen"] == first["421202-xiangyanghuzhen"]


def test_a_changed_curated_file_or_import_builds_again(tmp_path, counted):
    curated = tmp_path / "places.toml"
    shutil.copy(deployment.load().path("places"), curated)
    load.load_gazetteer(curated=curated, user_dir=tmp_path)
    with open(curated, "a", encoding="utf-8") as handle:
        handle.write('\n[[nonplace]]\nname = "测试缓存词"\nreason = "concept"\n')
    changed = load.load_gazetteer(curated=curated, user_dir=tmp_path)
    assert len(counted) == 2 and any(n.name == "测试缓存词" for n in changed.nonplaces)
    (tmp_path / "overrides.gpkg").write_bytes(b"")  # an import arrived (its fingerprint changes the key)
    with pytest.raises(GeodataError, match="cannot read the imported geometry"):
        load.load_gazetteer(curated=curated, user_dir=tmp_path)  # …and is read: this one is not a GeoPackage
    assert len(counted) == 3
    assert len(list((tmp_path / "cache").glob("gazetteer-*.pickle"))) == 1  # old entries are removed


def test_a_broken_cache_file_is_built_again(tmp_path, counted):
    load.load_gazetteer(user_dir=tmp_path)
    for path in (tmp_path / "cache").glob("gazetteer-*.pickle"):
        path.write_bytes(b"not a pickle")
    assert len(load.load_gazetteer(user_dir=tmp_path)) > 0 and len(counted) == 2
