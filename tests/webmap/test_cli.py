"""The ``govmap`` command end to end: import (files in any CRS, OSM, bad files), places, check-data.

Each test runs :func:`webmap.cli.main` in-process with its own data folder (``--data-dir``), so nothing touches the
user's ~/.local/share. Names and positions come from the bundled reference data, never from the sample texts.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest

from gazetteer.places.load import load_gazetteer
from gazetteer.model import Kind, Quality
from geodata import crs, deployment, reference
from webmap.cli import main

HOME = "421202"
#: Half the side of the square township outlines written to the test GeoPackage, metres (EPSG:4547).
HALF_SIDE_M = 2500


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _folder_state(folder: Path) -> dict[str, bytes]:
    """Every file of the user's data under the folder and its bytes (not the gazetteer cache, which is derived
    from them and may be rebuilt by any command)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] != "cache"} if folder.exists() else {}


@pytest.fixture(scope="module")
def home_seats() -> gpd.GeoDataFrame:
    """Two township-level seats of the home county (GeoNames points)."""
    seats = reference.read_seats(deployment.load())
    return seats[seats["county_id"] == HOME].head(2)


@pytest.fixture(scope="module")
def towns_gpkg(tmp_path_factory, home_seats) -> Path:
    """Square township outlines around two home seats, in EPSG:4547, name field XZQMC (as in Chinese data)."""
    frame = gpd.GeoDataFrame({"XZQMC": home_seats["name"].to_list()}, geometry=home_seats.geometry.to_list(),
                             crs=crs.WGS84).to_crs(crs.GK_CM114)
    frame["geometry"] = frame.geometry.buffer(HALF_SIDE_M, cap_style="square")
    path = tmp_path_factory.mktemp("files") / "towns.gpkg"
    frame.to_file(path, layer="towns", driver="GPKG", engine="pyogrio")
    return path


@pytest.fixture(scope="module")
def line_places():
    """A schematic river and a road with a route number (G…) of the home county, from the gazetteer."""
    gazetteer = load_gazetteer()
    river = next(p for p in gazetteer if p.kind == Kind.RIVER and p.quality == Quality.SCHEMATIC
                 and gazetteer.is_within(p.id, HOME))
    road = next(p for p in gazetteer if p.kind == Kind.ROAD and p.quality == Quality.SCHEMATIC
                and any(a[:1] == "G" and a[1:].isdigit() for a in p.aliases))
    return river, road, next(a for a in road.aliases if a[:1] == "G" and a[1:].isdigit())


@pytest.fixture()
def osm_file(tmp_path, line_places) -> Path:
    river, _road, ref = line_places
    path = tmp_path / "extract.osm"
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="govmap tests">
  <node id="1" lat="29.73" lon="114.34"/><node id="2" lat="29.80" lon="114.33"/>
  <node id="3" lat="29.86" lon="114.31"/><node id="4" lat="29.92" lon="114.30"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="waterway" v="river"/><tag k="name" v="{river.name}"/></way>
  <way id="11"><nd ref="3"/><nd ref="4"/><tag k="waterway" v="river"/><tag k="name" v="{river.name}"/></way>
  <way id="20"><nd ref="4"/><nd ref="2"/><tag k="highway" v="trunk"/><tag k="ref" v="{ref}"/></way>
</osm>
""", encoding="utf-8")
    return path


# -- import ----------------------------------------------------------------------------------------------------
def test_geopackage_in_4547_replaces_geometry_and_persists(capsys, tmp_path, towns_gpkg, home_seats):
    data = tmp_path / "data"
    code, out, err = _run(capsys, "--data-dir", str(data), "import", str(towns_gpkg), "--kind", "town")
    assert code == 0, err
    summary = json.loads(out)
    assert sorted(m["name"] for m in summary["matched"]) == sorted(home_seats["name"])
    assert summary["quality"] == "surveyed" and summary["unmatched"] == []

    # A later process (a restart) reads the user data folder and sees the surveyed polygons.
    code, out, err = _run(capsys, "--data-dir", str(data), "places", "--kind", "town", "--json")
    records = {r["name"]: r for r in json.loads(out)}
    side_km = 2 * HALF_SIDE_M / 1000
    for name in home_seats["name"]:
        record = records[name]
        assert (record["quality"], record["geometry_type"]) == ("surveyed", "Polygon")
        assert record["source"].startswith(f"imported from {towns_gpkg.name}")
        assert record["area_km2"] == pytest.approx(side_km ** 2, rel=0.01)
        assert record["area_mu"] == pytest.approx(record["area_km2"] * crs.MU_PER_KM2, abs=1)


def test_osm_river_and_road_become_open_data_lines(capsys, tmp_path, osm_file, line_places):
    river, road, ref = line_places
    data = tmp_path / "data"
    for kind in ("river", "road"):
        code, out, err = _run(capsys, "--data-dir", str(data), "import", str(osm_file), "--kind", kind)
        assert code == 0, err
        assert json.loads(out)["quality"] == "open-data"
    gazetteer = load_gazetteer(user_dir=data)
    for place in (river, road):
        imported = gazetteer[place.id]
        assert (imported.quality, imported.geometry.geom_type) == (Quality.OPEN_DATA, "LineString")
        assert "OpenStreetMap" in imported.source
    code, out, _ = _run(capsys, "--data-dir", str(data), "places", "--kind", "river")
    assert any(line.startswith(f"{river.id}\t") and line.endswith(" km") for line in out.splitlines())


def _relabelled(towns_gpkg: Path, tmp: Path, epsg: int) -> Path:
    path = tmp / f"relabelled-{epsg}.gpkg"
    gpd.read_file(towns_gpkg).set_crs(epsg, allow_override=True).to_file(path, driver="GPKG", engine="pyogrio")
    return path


def _renamed_field(towns_gpkg: Path, tmp: Path) -> Path:
    path = tmp / "other-field.gpkg"
    gpd.read_file(towns_gpkg).rename(columns={"XZQMC": "CODE"}).to_file(path, driver="GPKG", engine="pyogrio")
    return path


def _unknown_names(towns_gpkg: Path, tmp: Path) -> Path:
    path = tmp / "unknown.gpkg"
    frame = gpd.read_file(towns_gpkg)
    frame.assign(XZQMC=[f"无此{i}镇" for i in range(len(frame))]).to_file(path, driver="GPKG", engine="pyogrio")
    return path


def _truncated(towns_gpkg: Path, tmp: Path) -> Path:
    path = tmp / "truncated.gpkg"
    data = towns_gpkg.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def _garbage(towns_gpkg: Path, tmp: Path) -> Path:
    path = tmp / "garbage.gpkg"
    path.write_bytes(towns_gpkg.read_bytes()[:16] + b"\x00garbage" * 100)
    return path


@pytest.mark.parametrize(("make", "message"), [
    pytest.param(lambda f, tmp: _relabelled(f, tmp, 4326), "recorded CRS is wrong", id="metres-labelled-4326"),
    pytest.param(lambda f, tmp: _relabelled(f, tmp, 4549), "recorded CRS is wrong", id="wrong-zone-4549"),
    pytest.param(_renamed_field, "no name field found; available fields: CODE", id="missing-name-field"),
    pytest.param(_unknown_names, "matched a town of the gazetteer", id="nothing-matched"),
    pytest.param(_truncated, "cannot read the file", id="truncated"),
    pytest.param(_garbage, "cannot read the file", id="corrupt"),
])
def test_bad_files_change_nothing(capsys, tmp_path, towns_gpkg, make, message):
    data = tmp_path / "data"
    assert _run(capsys, "--data-dir", str(data), "import", str(towns_gpkg), "--kind", "town")[0] == 0
    before = _folder_state(data)
    code, out, err = _run(capsys, "--data-dir", str(data), "import", str(make(towns_gpkg, tmp_path)),
                          "--kind", "town")
    assert (code, out) == (1, "")
    assert err.startswith("govmap import: ") and message in err and err.count("\n") == 1, err
    assert _folder_state(data) == before


def test_an_unwritable_data_folder_is_a_clear_error(capsys, tmp_path, towns_gpkg):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, out, err = _run(capsys, "--data-dir", str(blocker), "import", str(towns_gpkg), "--kind", "town")
    assert (code, out) == (1, "")
    assert err.startswith("govmap import: ") and "cannot save the imported geometry" in err and err.count("\n") == 1


# -- places ----------------------------------------------------------------------------------------------------
def test_places_lists_areas_in_km2_and_mu(capsys, tmp_path):
    code, out, _ = _run(capsys, "--data-dir", str(tmp_path), "places", "--kind", "county")
    assert code == 0
    assert any(line.startswith(f"{HOME}\t") and "km² / " in line and line.endswith(" 亩") for line in out.splitlines())


def test_readme_names_every_field_of_places_json(capsys, tmp_path):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `govmap places"))
    code, out, _ = _run(capsys, "--data-dir", str(tmp_path), "places", "--kind", "lake", "--json")
    fields = {key for record in json.loads(out) for key in record} - {"area_km2", "area_mu"}
    assert code == 0 and [f for f in sorted(fields) if f not in row] == []
    assert "km²" in row and "亩" in row


def test_places_refuses_an_unknown_kind(capsys, tmp_path):
    with pytest.raises(SystemExit) as exited:
        main(["--data-dir", str(tmp_path), "places", "--kind", "galaxy"])
    assert exited.value.code == 2
    assert "invalid choice: 'galaxy'" in capsys.readouterr().err


# -- check-data ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def unseated_township() -> str:
    """The name of a home township-level unit without a GeoNames seat (its position is left to editors)."""
    tree, seats = reference.read_admin_tree(deployment.load()), set(reference.read_seats(deployment.load())["id"])
    rows = tree[(tree["parent_id"] == HOME) & (tree["level"] == "township") & ~tree["id"].isin(seats)]
    return rows["name"].iloc[0]


def _site(place_id: str, name: str, **fields: str) -> str:
    extra = "".join(f"{key} = {value}\n" for key, value in fields.items())
    return f'[[place]]\nid = "{place_id}"\nname = "{name}"\nkind = "site"\n{extra}\n'


CLEAN = _site("xa-site-a", "甲遗址", parents='["咸安区"]')
BROKEN = [
    pytest.param(CLEAN + _site("xa-site-b", "甲遗址", parents='["咸安区"]'), "duplicate-name", id="name-and-kind"),
    pytest.param(CLEAN + _site("xa-site-b", "乙遗址", parents='["咸安区/无此镇"]'), "bad-reference",
                 id="dangling-parent"),
    pytest.param(CLEAN + _site("xa-site-b", "乙遗址", parents='["咸安区"]', aliases='["甲遗址"]'), "ambiguous-alias",
                 id="alias-of-two-entries"),
    pytest.param(None, "position-outside-county", id="seat-outside-county"),
    pytest.param(CLEAN + '[[extend]]\ntarget = "咸安区"\naliases = ["甲"]\n\n'
                 '[[extend]]\ntarget = "421202"\naliases = ["乙"]\n', "duplicate-extend", id="unit-extended-twice"),
]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "places.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_data_passes_a_clean_file(capsys, tmp_path):
    code, out, err = _run(capsys, "--data-dir", str(tmp_path), "check-data", "--curated",
                          str(_write(tmp_path, CLEAN)))
    assert (code, err) == (0, "")
    assert json.loads(out)["errors"] == 0


@pytest.mark.parametrize(("text", "code_expected"), BROKEN)
def test_check_data_fails_on_a_broken_file(capsys, tmp_path, unseated_township, text, code_expected):
    if text is None:  # an editor's position for a township that lies in another county
        text = CLEAN + (f'[[extend]]\ntarget = "咸安区/{unseated_township}"\npoint = [113.85, 29.25]\n'
                        f'position_source = "test: deliberately in 通城县"\n')
    code, out, err = _run(capsys, "--data-dir", str(tmp_path), "check-data", "--curated",
                          str(_write(tmp_path, text)))
    report = json.loads(out)
    codes = {p["code"] for p in report["problems"] if p["level"] == "error"}
    assert code == 1 and err.startswith("govmap check-data: ")
    assert codes == {code_expected}, report["problems"]


def test_check_data_lists_nested_names(capsys, tmp_path):
    text = CLEAN + _site("xa-site-b", "甲遗址公园", parents='["咸安区"]')
    code, out, _ = _run(capsys, "--data-dir", str(tmp_path), "check-data", "--curated", str(_write(tmp_path, text)))
    nested = [p["message"] for p in json.loads(out)["problems"] if p["code"] == "nested-name"]
    assert code == 0 and "甲遗址 ⊂ 甲遗址公园" in nested


# -- evaluate --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [lambda tmp: tmp / "nowhere", lambda tmp: tmp], ids=["missing", "empty"])
def test_evaluate_without_gold_files_is_an_error(capsys, tmp_path, make):
    code, out, err = _run(capsys, "evaluate", "--gold", str(make(tmp_path)))
    assert (code, out) == (1, "")
    assert err.startswith("govmap evaluate: ") and "gold annotations" in err


def test_evaluate_scores_your_own_annotated_texts(capsys, tmp_path):
    """A folder of texts and its gold: recognition with and without candidates, resolution by name or alias."""
    texts = tmp_path / "texts"
    texts.mkdir()
    text = "横沟镇的三角湖水质变好,107国道旁的东塘村湾。"
    (texts / "n1.txt").write_text(text, encoding="utf-8")
    gold = [("n1", text.index(words), text.index(words) + len(words), words, name, kind) for words, name, kind in
            [("横沟镇", "横沟桥镇", "town"), ("三角湖", "三角湖", "lake"), ("107国道", "107国道", "road"),
             ("东塘村湾", "东塘村湾", "village")]]
    (tmp_path / "mentions.jsonl").write_text("".join(
        json.dumps(dict(zip(("doc", "start", "end", "text", "name", "kind"), row)), ensure_ascii=False) + "\n"
        for row in gold), encoding="utf-8")
    code, out, _ = _run(capsys, "evaluate", "--gold", str(tmp_path), "--texts", str(texts))
    places = json.loads(out)["places"]
    assert code == 0 and (places["gold"], places["resolution_accuracy"]) == (4, 1.0)
    # 横沟镇 (an alias) and 107国道; 东塘村湾, unknown to the gazetteer, is a village placed in 横沟桥镇 (named before
    # it in its sentence: admin-fallback); 三角湖 (a word runs on after it: 三角湖水质) stays a candidate
    assert places["recall"] == 0.75
    assert places["with_candidates"]["recall"] == 1.0  # …but reported as candidates, never dropped
    # Per kind and per county, so that a weak kind is visible: the lake is the miss.
    assert {kind: row["recall"] for kind, row in places["by_kind"].items()} == {
        "lake": 0.0, "village": 1.0, "road": 1.0, "town": 1.0}
    assert places["by_county"]["咸安区"] == {"gold": 3, "predicted": 3, "recall": 1.0, "precision": 1.0,
                                            "resolution_accuracy": 1.0}  # 横沟桥镇, G107 (咸安 in the curated file), 东塘村湾


def test_evaluate_plans_needs_a_gold_file_and_existing_folders(capsys, tmp_path):
    code, out, err = _run(capsys, "evaluate", "--plans", str(tmp_path))
    assert (code, out) == (1, "") and "no gold.jsonl" in err
    (tmp_path / "gold.jsonl").write_text("", encoding="utf-8")
    code, out, err = _run(capsys, "evaluate", "--plans", str(tmp_path), "--deployments", str(tmp_path / "none"))
    assert (code, out) == (1, "") and "--deployments" in err


def test_evaluate_needs_a_folder_of_texts(capsys, tmp_path):
    code, out, err = _run(capsys, "evaluate", "--texts", str(tmp_path))
    assert (code, out) == (1, "") and "no texts there" in err
