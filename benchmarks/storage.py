"""Storage: ingest rate, start-up with a stored database, and OGC API items on a 100,000-feature layer.

* **ingest** — ``layers.storage.ingest`` of the first N documents of the benchmark corpus (``benchmarks/corpus.py``,
  written as ``.txt`` files) into an empty SQLite file and an empty PostgreSQL database: documents/s and MB/s. That
  is also the *first ingest*, counted apart from start-up.
* **start-up** — in a fresh process, ``create_app()`` until the first ``/`` on a database that already holds N
  documents (N = 5, 50, 500), SQLite and PostgreSQL.
* **items at 100k** — a synthetic ``sites`` layer of :data:`FEATURES` points (deterministic: seed
  :data:`SEED`, uniform in the 咸安 extent, the place layer's columns) served three ways under waitress on 127.0.0.1:
  govmap's OGC API (which serves layers from the in-memory catalogue: the frame is put into the catalogue, the
  database is not read per request), pygeoapi's PostgreSQL provider on the PostGIS view ``govmap_sites`` (the same
  rows written to ``layer_features``, GiST index) and pygeoapi's SQLiteGPKG provider on the same rows as a
  GeoPackage (written by pyogrio, with its R-tree). ``?limit=100`` with and without a small bbox, ``f=json``.

PostgreSQL is a throwaway server started by ``.ci/postgres start`` (Unix socket only) and stopped at the end,
unless ``$GOVMAP_TEST_POSTGRES_URL`` names one. Every server is started and stopped here by its process id.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from benchmarks.common import ROOT, WORK, in_subprocess, median

FOLDER = WORK / "storage"
SEED = 20251213
FEATURES = 100_000
EXTENT = (113.95, 29.55, 114.55, 30.05)
#: A small bbox (about 2 × 2 km): ~0.1 % of the features.
BBOX = (114.20, 29.80, 114.22, 29.82)
SIZES = (5, 50, 500)
THREADS = 8


# -- PostgreSQL ---------------------------------------------------------------------------------------------------
@contextmanager
def postgres():
    """A PostgreSQL template URL with PostGIS: ``$GOVMAP_TEST_POSTGRES_URL``, else a server started here."""
    url = os.environ.get("GOVMAP_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    done = subprocess.run(["bash", str(ROOT / ".ci" / "postgres"), "start"], capture_output=True, text=True,
                          check=True)
    values = dict(line.removeprefix("export ").split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    values = {k: v.strip("'") for k, v in values.items()}
    try:
        yield values["GOVMAP_TEST_POSTGRES_URL"]
    finally:
        subprocess.run(["bash", str(ROOT / ".ci" / "postgres"), "stop", values["GOVMAP_TEST_POSTGRES_DIR"]],
                       capture_output=True, check=False)


def new_database(template: str, name: str | None = None) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(template)
    name = name or f"govmap_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{base.database}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


# -- ingest and start-up (run in fresh processes) -----------------------------------------------------------------
def texts(n: int) -> list[Path]:
    """The first ``n`` corpus documents as files (the corpus must have been generated)."""
    from benchmarks import corpus

    manifest = json.loads((corpus.CORPUS / "manifest.json").read_text())
    names = [f["name"] for f in manifest["files"][:n]]
    if len(names) < n:
        raise RuntimeError(f"the corpus has {len(names)} documents, fewer than {n}")
    return [corpus.CORPUS / name for name in names]


def ingest_files(url: str, n: int, data_dir: str) -> dict:
    """Ingest the first ``n`` corpus documents into the database ``url`` (empty): documents/s and MB/s."""
    from gazetteer.places.load import load_gazetteer
    from geodata import deployment
    from layers.storage.database import Store
    from layers.storage.ingest import ingest, read_files

    paths = texts(n)
    store = Store(url)
    store.ensure()
    target = deployment.load()
    gazetteer = load_gazetteer(target, user_dir=Path(data_dir))
    t0 = time.perf_counter()
    incoming = read_files(paths)
    t_read = time.perf_counter()
    summaries = ingest(store, incoming, deployment=target, gazetteer=gazetteer)
    t_done = time.perf_counter()
    store.dispose()
    mb = sum(p.stat().st_size for p in paths) / 1e6
    seconds = t_done - t0
    return {"documents": n, "mb": mb, "read_s": t_read - t0, "ingest_s": t_done - t_read, "total_s": seconds,
            "docs_per_s": n / seconds, "mb_per_s": mb / seconds,
            "tasks": sum(s["tasks"] for s in summaries), "statuses": sorted({s["status"] for s in summaries})}


def startup(url: str, data_dir: str) -> dict:
    """``create_app()`` until the first ``/`` (Flask test client) on the stored database ``url``."""
    import warnings

    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    from webmap import create_app

    t_import = time.perf_counter()
    app = create_app({"GOVMAP_DATABASE_URL": url, "GOVMAP_DATA_DIR": data_dir})
    t_app = time.perf_counter()
    first = app.test_client().get("/")
    t_first = time.perf_counter()
    documents = len(app.extensions["govmap"].get().corpus.documents)
    app.extensions["govmap"].close()
    return {"import_s": t_import - t0, "create_app_s": t_app - t_import, "first_response_s": t_first - t_app,
            "total_s": t_first - t0, "status": first.status_code, "documents": documents}


# -- the synthetic layer ------------------------------------------------------------------------------------------
def synthetic_frame(n: int = FEATURES):
    """``n`` points of the ``sites`` layer's columns, deterministic (:data:`SEED`)."""
    import shapely

    from layers.catalogue import LAYERS, to_frame

    rng = random.Random(SEED)
    minx, miny, maxx, maxy = EXTENT
    kinds = ("site", "park", "project", "village")
    rows = [{"id": f"syn-{i:06d}", "name": f"合成地点{i}", "kind": kinds[i % 4], "townships": "向阳湖镇",
             "township_ids": "421202-xiangyanghuzhen", "mention_count": i % 7, "task_count": i % 3,
             "quality": "surveyed", "source": "synthetic",
             "geometry": shapely.Point(round(rng.uniform(minx, maxx), 6), round(rng.uniform(miny, maxy), 6))}
            for i in range(n)]
    return to_frame(rows, LAYERS["sites"].columns)


def write_postgis(url: str, n: int = FEATURES) -> dict:
    """The synthetic rows in ``layer_features`` of database ``url`` and the view ``govmap_sites``."""
    from sqlalchemy import insert, text

    from layers.storage import models
    from layers.storage.database import Store
    from layers.storage.views import view_sql

    frame = synthetic_frame(n)
    columns = [c for c in frame.columns if c != "geometry"]
    store = Store(url)
    store.ensure()
    t0 = time.perf_counter()
    with store.write() as session:
        row = models.Deployment(key="421202", name="咸安区")
        session.add(row)
        session.flush()
        records = frame[columns].to_dict("records")
        geometries = list(frame.geometry)  # shapely points; the column type writes them as EWKB
        session.execute(insert(models.LayerFeature.__table__),
                        [{"deployment_id": row.id, "layer": "sites", "feature_id": r["id"], "properties": r,
                          "geometry": g} for r, g in zip(records, geometries, strict=True)])
        session.execute(text(view_sql("sites")))
    with store.engine.begin() as connection:
        connection.execute(text("ANALYZE layer_features"))
    store.dispose()
    return {"features": n, "write_s": time.perf_counter() - t0}


def write_gpkg(path: str, n: int = FEATURES) -> dict:
    frame = synthetic_frame(n)
    t0 = time.perf_counter()
    Path(path).unlink(missing_ok=True)
    frame.to_file(path, layer="sites", driver="GPKG", engine="pyogrio")
    return {"features": n, "write_s": time.perf_counter() - t0, "bytes": Path(path).stat().st_size}


def serve_synthetic(port: int, n: int) -> None:
    """govmap's app (``create_app``) serving a state whose ``sites`` layer is the synthetic frame."""
    import warnings

    warnings.simplefilter("ignore")
    import waitress

    from gazetteer.corpus import Corpus
    from gazetteer.places.load import load_gazetteer
    from layers.catalogue import Catalogue
    from webmap import create_app
    from webmap.state import State

    gazetteer = load_gazetteer()
    catalogue = Catalogue(Corpus(gazetteer, []))
    catalogue._frames["sites"] = synthetic_frame(n)  # what the catalogue would have built, put in place

    class Fixed:
        def get(self):
            return State(corpus=catalogue.corpus, catalogue=catalogue)

    app = create_app({"GOVMAP_LAZY": True})
    app.extensions["govmap"] = Fixed()
    print(f"serving synthetic govmap on 127.0.0.1:{port}", flush=True)
    waitress.serve(app, host="127.0.0.1", port=port, threads=THREADS, _quiet=True)


def gpkg_unavailable() -> str | None:
    """Why pygeoapi's SQLiteGPKG provider cannot run here (it loads SpatiaLite into Python's sqlite3), or None."""
    import ctypes.util
    import sqlite3

    if not hasattr(sqlite3.connect(":memory:"), "enable_load_extension"):
        return "this Python's sqlite3 is built without extension loading (pygeoapi's SQLiteGPKG provider needs it)"
    if ctypes.util.find_library("spatialite") is None and not list(Path("/usr/lib").rglob("mod_spatialite*")):
        return "SpatiaLite (mod_spatialite) is not installed"
    return None


def pygeoapi_config(folder: Path, port: int, pg_url: str, gpkg: Path | None) -> tuple[Path, Path]:
    from sqlalchemy.engine import make_url

    from benchmarks import serving

    pg = make_url(pg_url)
    base, openapi = serving.pygeoapi_config(folder / "unused.geojson", port, folder)
    text = base.read_text(encoding="utf-8")
    text = text[:text.index("resources:")] + f"""resources:
  sites_pg:
    type: collection
    title: sites (PostGIS view)
    description: synthetic sites, govmap_sites view
    keywords: [sites]
    extents:
      spatial: {{bbox: {list(EXTENT)}, crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84}}
    providers:
      - type: feature
        name: PostgreSQL
        data: {{host: {pg.query['host']}, port: 5432, dbname: {pg.database}, user: {pg.username}, password: '',
               search_path: [public]}}
        id_field: ogc_fid
        table: govmap_sites
        geom_field: geometry
""" + ("" if gpkg is None else f"""  sites_gpkg:
    type: collection
    title: sites (GeoPackage)
    description: synthetic sites, GeoPackage
    keywords: [sites]
    extents:
      spatial: {{bbox: {list(EXTENT)}, crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84}}
    providers:
      - type: feature
        name: SQLiteGPKG
        data: {gpkg}
        id_field: fid
        table: sites
""")
    base.write_text(text, encoding="utf-8")
    env = dict(os.environ, PYGEOAPI_CONFIG=str(base), PYGEOAPI_OPENAPI=str(openapi))
    subprocess.run([shutil.which("pygeoapi") or "pygeoapi", "openapi", "generate", str(base),
                    "--output-file", str(openapi)], check=True, env=env, capture_output=True, timeout=300)
    return base, openapi


def _process(name: str, argv: list[str], port: int, env: dict | None = None):
    """A server in a child process (``argv``), started on entering and stopped by its process id on exit."""
    from benchmarks import serving

    class Process(serving.Server):
        def __enter__(self):
            self.log = FOLDER / f"{name}.log"
            self.started = time.perf_counter()
            self.proc = subprocess.Popen(argv, cwd=ROOT, env=self.env, stdout=open(self.log, "w"),
                                         stderr=subprocess.STDOUT)
            return self

    server = Process(name, env)
    server.port = port
    return server


def items_100k(template: str, *, runs: int, seconds: float, connections: int, n: int = FEATURES) -> dict:
    from benchmarks import serving

    FOLDER.mkdir(parents=True, exist_ok=True)
    out: dict = {"features": n, "bbox": list(BBOX), "load_generator": "wrk -t2 (Debian)" if shutil.which("wrk")
                 else "bounded Python threads", "connections": connections, "seconds": seconds, "runs": runs,
                 "server": f"waitress, {THREADS} threads (govmap), {serving.THREADS} (pygeoapi)"}
    pg_url = new_database(template, "govmap_bench_items")
    out["postgis"] = in_subprocess("benchmarks.storage:write_postgis", {"url": pg_url, "n": n})
    gpkg = FOLDER / "sites.gpkg"
    out["gpkg"] = in_subprocess("benchmarks.storage:write_gpkg", {"path": str(gpkg), "n": n})
    bbox = ",".join(map(str, BBOX))
    queries = {"limit=100": "?limit=100&f=json", "limit=100&bbox": f"?limit=100&bbox={bbox}&f=json"}
    port = serving.free_port()
    with _process("synthetic-govmap", [sys.executable, "-m", "benchmarks.storage", "serve", str(port), str(n)],
                  port) as p:
        out["govmap_ready_s"] = p.wait_ready("/ogcapi/collections/sites/items?limit=1&f=json", timeout=600)
        for label, query in queries.items():
            out[f"govmap {label}"] = serving.measure(p, f"/ogcapi/collections/sites/items{query}", runs=runs,
                                                     seconds=seconds, connections=connections)
    port = serving.free_port()
    out["gpkg_skipped"] = gpkg_unavailable()
    collections = ("sites_pg",) if out["gpkg_skipped"] else ("sites_pg", "sites_gpkg")
    config, openapi = pygeoapi_config(FOLDER, port, pg_url, None if out["gpkg_skipped"] else gpkg)
    with _process("synthetic-pygeoapi", [sys.executable, "-m", "benchmarks.serve_app", "pygeoapi", str(port),
                                          str(serving.THREADS)], port,
                  env={"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}) as p:
        out["pygeoapi_ready_s"] = p.wait_ready("/collections", timeout=300)
        for collection in collections:
            for label, query in queries.items():
                out[f"pygeoapi {collection} {label}"] = serving.measure(
                    p, f"/collections/{collection}/items{query}", runs=runs, seconds=seconds,
                    connections=connections)
    for label in queries:
        ours = out[f"govmap {label}"]["rps"]
        for collection in collections:
            theirs = out[f"pygeoapi {collection} {label}"]["rps"]
            out[f"ratio {label} vs {collection}"] = ours / theirs if theirs else None
    return out


# -- the section ---------------------------------------------------------------------------------------------------
def storage_all(*, sizes=SIZES, startup_runs: int = 3, runs: int = 3, seconds: float = 10, connections: int = 8,
                features: int = FEATURES) -> dict:
    FOLDER.mkdir(parents=True, exist_ok=True)
    data_dir = FOLDER / "data"
    data_dir.mkdir(exist_ok=True)
    out: dict = {"sizes": list(sizes), "ingest": {}, "startup": {}}
    with postgres() as template:
        for backend in ("sqlite", "postgresql"):
            for n in sizes:
                if backend == "sqlite":
                    db = FOLDER / f"stored-{n}.sqlite"
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{db}{suffix}").unlink(missing_ok=True)
                    url = f"sqlite:///{db}"
                else:
                    url = new_database(template, f"govmap_bench_{n}")
                key = f"{backend} {n}"
                out["ingest"][key] = in_subprocess("benchmarks.storage:ingest_files",
                                                   {"url": url, "n": n, "data_dir": str(data_dir)}, timeout=3600)
                found = [in_subprocess("benchmarks.storage:startup", {"url": url, "data_dir": str(data_dir)},
                                       timeout=3600) for _ in range(startup_runs)]
                out["startup"][key] = {"runs": [r["total_s"] for r in found],
                                       "median_s": median([r["total_s"] for r in found]),
                                       "create_app_s": median([r["create_app_s"] for r in found]),
                                       "first_response_s": median([r["first_response_s"] for r in found]),
                                       "import_s": median([r["import_s"] for r in found]),
                                       "documents": found[-1]["documents"], "status": found[-1]["status"],
                                       "peak_rss_mb": median([r["peak_rss_mb"] for r in found])}
        out["items"] = items_100k(template, runs=runs, seconds=seconds, connections=connections, n=features)
    return out


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve_synthetic(int(sys.argv[2]), int(sys.argv[3]))
    else:
        print(json.dumps(storage_all(sizes=(5,), startup_runs=1, runs=1, seconds=2, features=10_000),
                         ensure_ascii=False, indent=1))
