"""``govmap geocode|tasks|indicators`` in a fresh process import none of what only maps, frames, the web app or the
database need: a cached gazetteer is read (shapely for its geometry, nothing else heavy)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "geodata" / "deployments" / "xianan" / "texts" / "004_62ed9874ae27b31b.txt"
#: Packages a document command has no use for, each costing tens to hundreds of milliseconds to import.
UNNEEDED = ("geopandas", "pandas", "pyproj", "pyogrio", "prcoords", "folium", "branca", "flask", "werkzeug",
            "jinja2", "sqlalchemy", "alembic", "charset_normalizer")
#: Runs each document command in one process, then names the unneeded packages it imported.
PROBE = f"""
import contextlib, io, json, sys
from webmap.cli import main
codes = {{}}
for command in ("geocode", "tasks", "indicators"):
    with contextlib.redirect_stdout(io.StringIO()) as out:
        codes[command] = main([command, sys.argv[1], "--json"])
    json.loads(out.getvalue())
print(json.dumps({{"codes": codes, "imported": [m for m in {UNNEEDED!r} if m in sys.modules]}}))
"""


def _python(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), GOVMAP_DATA_DIR=str(tmp_path))
    env.pop("GOVMAP_DEPLOYMENT", None)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True)


def test_document_commands_import_no_frames_maps_app_or_database(tmp_path: Path) -> None:
    _python(tmp_path, "-m", "webmap.cli", "geocode", str(SAMPLE), "--json")  # builds and caches the gazetteer
    assert list((tmp_path / "cache").glob("gazetteer-*.pickle"))
    report = json.loads(_python(tmp_path, "-c", PROBE, str(SAMPLE)).stdout)
    assert report == {"codes": {"geocode": 0, "tasks": 0, "indicators": 0}, "imported": []}


def test_building_the_gazetteer_still_reads_the_reference_frames(tmp_path: Path) -> None:
    """Without a cache the reference files are read with geopandas, as before: the imports moved, not the work."""
    probe = ("import sys; from pathlib import Path; from gazetteer.places.load import load_gazetteer; "
             "g = load_gazetteer(user_dir=Path(sys.argv[1])); print(len(g), 'geopandas' in sys.modules)")
    count, imported = _python(tmp_path, "-c", probe, str(tmp_path)).stdout.split()
    assert int(count) > 1000 and imported == "True"
