"""Several processes, one truth: two app processes (waitress, on loopback) on one database — an SQLite file and the
PostgreSQL test server — while this process ingests: both answer alike, both show the new document within the
change-check interval, and a bounded load (a few threads, a fixed number of requests each) sees no error."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

from tests.layers.storage.plans_text import PLAN_2025, PLAN_2026
from webmap.cli import main

ROOT = Path(__file__).resolve().parents[3]
CHECK_SECONDS = 0.5
#: The bounded load: threads × requests each, spread over both servers.
THREADS, REQUESTS = 4, 25
_SERVE = """
import sys, waitress
from webmap import create_app
url, data, port, check = sys.argv[1:5]
app = create_app({"GOVMAP_DATABASE_URL": url, "GOVMAP_DATA_DIR": data, "GOVMAP_DB_CHECK_SECONDS": float(check)})
waitress.serve(app, host="127.0.0.1", port=int(port), threads=4, _quiet=True)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextmanager
def _server(database_url: str, data: Path, log: Path):
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONWARNINGS="ignore")
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-c", _SERVE, database_url, str(data), str(port), str(CHECK_SECONDS)],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            assert proc.poll() is None, log.read_text()[-2000:]
            try:
                if _get(base + "/plans/")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"{base} did not start: {log.read_text()[-2000:]}"
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _years(base: str) -> list[int]:
    status, body = _get(base + "/ogcapi/collections/tasks/items?f=json&limit=1000")
    assert status == 200
    return sorted({f["properties"]["year"] for f in json.loads(body)["features"]})


def _items(base: str) -> list[tuple[str, str, int]]:
    body = json.loads(_get(base + "/ogcapi/collections/tasks/items?f=json&limit=1000")[1])
    return sorted((f["id"], f["properties"]["key"], f["properties"]["year"]) for f in body["features"])


def test_two_servers_on_one_database_see_another_processs_ingest_under_load(database_url, tmp_path):
    data = tmp_path / "data"
    (tmp_path / "plan2025.txt").write_text(PLAN_2025, encoding="utf-8")
    (tmp_path / "plan2026.txt").write_text(PLAN_2026, encoding="utf-8")
    base_args = ["--data-dir", str(data), "--database", database_url]
    assert main([*base_args, "ingest", str(tmp_path / "plan2025.txt")]) == 0
    with ExitStack() as stack:
        servers = [stack.enter_context(_server(database_url, data, tmp_path / f"server{n}.log")) for n in (1, 2)]
        assert [_years(s) for s in servers] == [[2025], [2025]]
        assert _items(servers[0]) == _items(servers[1])

        errors: list[str] = []
        paths = ("/ogcapi/collections/tasks/items?f=json", "/tasks/", "/plans/", "/towns/向阳湖镇",
                 "/download/tasks.csv")

        def load(n: int) -> None:
            for i in range(REQUESTS):
                url = servers[(n + i) % 2] + urllib.request.quote(paths[i % len(paths)], safe="/?=&")
                try:
                    status, _ = _get(url)
                    if status != 200:
                        errors.append(f"{url}: {status}")
                except OSError as error:
                    errors.append(f"{url}: {error}")

        threads = [threading.Thread(target=load, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        assert main([*base_args, "ingest", str(tmp_path / "plan2026.txt")]) == 0  # while the load runs
        ingested = time.monotonic()
        for thread in threads:
            thread.join(timeout=300)
        assert errors == []
        # both show the new plan once the change check has run (a rebuild takes a moment more)
        for server in servers:
            while _years(server) != [2025, 2026]:
                assert time.monotonic() - ingested < CHECK_SECONDS + 60, _years(server)
                time.sleep(0.1)
        assert _items(servers[0]) == _items(servers[1])
        page = [_get(s + "/plans/2026/compare/2025")[1].decode() for s in servers]
        assert page[0].count('data-key="') == page[1].count('data-key="') == 4
