"""geodata.userdata: where the user's data lives and how imports persist (atomically)."""

from __future__ import annotations

import doctest
from pathlib import Path

import geopandas as gpd
import pytest
from shapely import Point, box

from geodata import crs, userdata
from geodata.errors import GeodataError


def _rows(*rows: tuple[str, object, str]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"place_id": [r[0] for r in rows], "quality": [r[2] for r in rows],
                             "source": [f"imported from {r[0]}.gpkg" for r in rows],
                             "imported_at": ["2025-01-02T03:04:05Z"] * len(rows)},
                            geometry=[r[1] for r in rows], crs=crs.WGS84)


TOWN = box(114.28, 29.78, 114.32, 29.82)
RIVER_POINT = Point(114.3, 29.8)


@pytest.mark.parametrize(("explicit", "env", "xdg", "expected"), [
    pytest.param("/srv/a", "/srv/b", "/srv/c", "/srv/a", id="explicit"),
    pytest.param(None, "/srv/b", "/srv/c", "/srv/b", id="env"),
    pytest.param(None, None, "/srv/c", "/srv/c/govmap", id="xdg"),
    pytest.param(None, None, None, "~/.local/share/govmap", id="home"),
])
def test_user_dir_precedence(monkeypatch, explicit, env, xdg, expected):
    for name, value in (("GOVMAP_DATA_DIR", env), ("XDG_DATA_HOME", xdg)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert userdata.user_dir(Path(explicit) if explicit else None) == Path(expected).expanduser()


def test_no_overrides_is_an_empty_frame_with_the_columns(user_folder):
    frame = userdata.read_overrides(user_dir=user_folder)
    assert frame.empty and frame.crs == crs.WGS84
    assert list(frame.columns) == ["place_id", "quality", "source", "imported_at", "geometry"]


def test_round_trip(user_folder):
    userdata.save_overrides(_rows(("421202-xiangyanghuzhen", TOWN, "surveyed")), user_dir=user_folder)
    frame = userdata.read_overrides(user_dir=user_folder)
    assert frame.crs == crs.WGS84
    assert frame.iloc[0]["place_id"] == "421202-xiangyanghuzhen" and frame.iloc[0]["quality"] == "surveyed"
    assert frame.geometry.iloc[0].equals_exact(TOWN, 1e-9)


def test_a_later_import_replaces_the_same_place_and_keeps_others(user_folder):
    userdata.save_overrides(_rows(("town", TOWN, "surveyed"), ("river", RIVER_POINT, "open-data")),
                            user_dir=user_folder)
    userdata.save_overrides(_rows(("town", RIVER_POINT, "open-data")), user_dir=user_folder)
    frame = userdata.read_overrides(user_dir=user_folder).set_index("place_id")
    assert sorted(frame.index) == ["river", "town"]
    assert frame.loc["town", "quality"] == "open-data" and frame.geometry["town"].equals(RIVER_POINT)


def test_rows_in_another_crs_are_stored_as_wgs84(user_folder):
    userdata.save_overrides(_rows(("town", TOWN, "surveyed")).to_crs(crs.GK_CM114), user_dir=user_folder)
    stored = userdata.read_overrides(user_dir=user_folder).geometry.iloc[0]
    assert stored.bounds == pytest.approx(TOWN.bounds, abs=1e-6)


def test_no_temporary_files_are_left(user_folder):
    userdata.save_overrides(_rows(("town", TOWN, "surveyed")), user_dir=user_folder)
    userdata.save_overrides(_rows(("river", RIVER_POINT, "surveyed")), user_dir=user_folder)
    assert [p.name for p in user_folder.iterdir()] == ["overrides.gpkg"]


def test_a_failed_write_leaves_the_old_file_intact(user_folder, monkeypatch):
    userdata.save_overrides(_rows(("town", TOWN, "surveyed")), user_dir=user_folder)
    before = (user_folder / "overrides.gpkg").read_bytes()

    def broken_write(frame, path, **options):
        Path(path).write_bytes(b"half a geopackage")
        raise OSError("disk full")

    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", broken_write)
    with pytest.raises(OSError, match="disk full"):
        userdata.save_overrides(_rows(("river", RIVER_POINT, "surveyed")), user_dir=user_folder)
    assert (user_folder / "overrides.gpkg").read_bytes() == before
    assert [p.name for p in user_folder.iterdir()] == ["overrides.gpkg"]
    monkeypatch.undo()
    assert list(userdata.read_overrides(user_dir=user_folder)["place_id"]) == ["town"]


def test_a_data_folder_that_cannot_be_made_is_a_clear_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(GeodataError, match="cannot save the imported geometry") as raised:
        userdata.save_overrides(_rows(("town", TOWN, "surveyed")), user_dir=blocker / "govmap")
    assert isinstance(raised.value, OSError) and blocker.read_text(encoding="utf-8") == "not a folder"


def test_rows_without_the_columns_are_refused_before_writing(user_folder):
    with pytest.raises(GeodataError, match="missing quality"):
        userdata.save_overrides(_rows(("town", TOWN, "surveyed")).drop(columns="quality"), user_dir=user_folder)
    assert not (user_folder / "overrides.gpkg").exists()


def test_a_damaged_overrides_file_is_reported(user_folder):
    user_folder.mkdir()
    (user_folder / "overrides.gpkg").write_bytes(b"not sqlite" * 100)
    with pytest.raises(GeodataError, match="cannot read the imported geometry"):
        userdata.read_overrides(user_dir=user_folder)


def test_docstring_examples_run():
    assert doctest.testmod(userdata).failed == 0
