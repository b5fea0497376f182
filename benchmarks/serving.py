"""Serving: govmap under waitress vs pygeoapi (its own Flask app, GeoJSON provider) under waitress.

Both servers run on 127.0.0.1 only, are started and stopped here (by their process id), and are loaded with
``wrk`` (Debian package) when it is installed — bounded by duration and connections — or else with a small
bounded Python load generator (threads × fixed request count, also loopback only). Each endpoint: one untimed
warm-up request (which builds the planner map's cache), then ``runs`` load runs; medians of rps, p50, p99.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from benchmarks.common import ROOT, WORK, in_subprocess, median

THREADS = 8


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A waitress server in a child process; a context manager that always stops it."""

    def __init__(self, which: str, env: dict | None = None) -> None:
        self.which, self.port = which, free_port()
        self.env = dict(os.environ, PYTHONWARNINGS="ignore", **(env or {}))
        self.proc: subprocess.Popen | None = None
        self.log = WORK / f"{which}-server.log"

    def __enter__(self) -> "Server":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "benchmarks.serve_app", self.which, str(self.port),
                                      str(THREADS)], cwd=ROOT, env=self.env, stdout=open(self.log, "w"),
                                     stderr=subprocess.STDOUT)
        return self

    def wait_ready(self, path: str, timeout: float = 180) -> float:
        """Seconds from process start to the first successful response to ``path``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.which} server exited: {self.log.read_text()[-1500:]}")
            try:
                with urllib.request.urlopen(self.url(path), timeout=60) as response:
                    response.read()
                    return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(f"{self.which} did not answer {path} within {timeout}s")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{quote(path, safe='/?=&%')}"

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def fetch(url: str) -> tuple[int, int, float]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            body = response.read()
            return response.status, len(body), time.perf_counter() - start
    except urllib.error.HTTPError as exc:
        return exc.code, len(exc.read()), time.perf_counter() - start


_WRK_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * _WRK_UNITS[unit]


def wrk(url: str, seconds: float, connections: int) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", url],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "requests": requests,
            "non2xx": int(non2xx.group(1)) if non2xx else 0, "socket_errors": errors.group(1) if errors else ""}


def pyload(url: str, seconds: float, connections: int, max_requests: int = 20000) -> dict:
    """Bounded loopback load: ``connections`` threads, stop at ``seconds`` or ``max_requests``."""
    latencies, bad = [], [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker():
        while time.monotonic() < stop:
            with lock:
                if len(latencies) >= max_requests:
                    return
            status, _, t = fetch(url)
            with lock:
                latencies.append(t * 1e3)
                bad[0] += status >= 400

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return {"rps": len(latencies) / elapsed, "p50_ms": q[49], "p99_ms": q[98], "requests": len(latencies),
            "non2xx": bad[0], "socket_errors": ""}


def load(url: str, seconds: float, connections: int) -> dict:
    return wrk(url, seconds, connections) if shutil.which("wrk") else pyload(url, seconds, connections)


def measure(server: Server, path: str, *, runs: int, seconds: float, connections: int) -> dict:
    first = fetch(server.url(path))
    second = fetch(server.url(path))
    results = [load(server.url(path), seconds, connections) for _ in range(runs)]
    return {"path": path, "first_status": first[0], "bytes": first[1], "first_ms": first[2] * 1e3,
            "second_ms": second[2] * 1e3, "runs": results,
            "rps": median([r["rps"] for r in results]), "p50_ms": median([r["p50_ms"] for r in results]),
            "p99_ms": median([r["p99_ms"] for r in results]), "non2xx": sum(r["non2xx"] for r in results)}


def pygeoapi_config(geojson: Path, port: int, folder: Path) -> tuple[Path, Path]:
    config = folder / "pygeoapi-config.yml"
    openapi = folder / "pygeoapi-openapi.yml"
    config.write_text(f"""server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  language: en-US
  limits: {{default_items: 100, max_items: 10000}}
  map: {{url: 'https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png', attribution: OSM}}
logging: {{level: ERROR}}
metadata:
  identification:
    title: govmap benchmark
    description: the govmap tasks layer served by pygeoapi
    keywords: [govmap]
    keywords_type: theme
    terms_of_service: https://creativecommons.org/licenses/by/4.0/
    url: http://127.0.0.1
  license: {{name: CC-BY 4.0, url: https://creativecommons.org/licenses/by/4.0/}}
  provider: {{name: govmap, url: http://127.0.0.1}}
  contact: {{name: govmap, position: benchmark, address: none, city: none, stateorprovince: none,
            postalcode: none, country: none, phone: none, fax: none, email: none, url: none, hours: none,
            instructions: none, role: pointOfContact}}
resources:
  tasks:
    type: collection
    title: tasks
    description: govmap tasks layer (exported GeoJSON)
    keywords: [tasks]
    extents:
      spatial: {{bbox: [113.5, 29.0, 114.8, 30.3], crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84}}
    providers:
      - type: feature
        name: GeoJSON
        data: {geojson}
        id_field: id
""", encoding="utf-8")
    env = dict(os.environ, PYGEOAPI_CONFIG=str(config), PYGEOAPI_OPENAPI=str(openapi))
    subprocess.run([shutil.which("pygeoapi") or "pygeoapi", "openapi", "generate", str(config),
                    "--output-file", str(openapi)], check=True, env=env, capture_output=True, timeout=120)
    return config, openapi


def serve_all(*, runs: int = 3, seconds: float = 10, connections: int = 16, town: str = "向阳湖镇") -> dict:
    folder = WORK / "serving"
    folder.mkdir(parents=True, exist_ok=True)
    out: dict = {"load_generator": "wrk -t2 (Debian)" if shutil.which("wrk") else "bounded Python threads",
                 "connections": connections, "seconds": seconds, "runs": runs, "server": f"waitress, {THREADS} threads",
                 "govmap": {}, "pygeoapi": {}}
    endpoints = {"planner map /": "/", f"township page /towns/{town}": f"/towns/{town}",
                 "OGC items /ogcapi/collections/tasks/items": "/ogcapi/collections/tasks/items",
                 "OGC items ?limit=100": "/ogcapi/collections/tasks/items?limit=100"}
    with Server("govmap") as server:
        out["govmap"]["ready_s"] = server.wait_ready("/ogcapi")
        for label, path in endpoints.items():
            out["govmap"][label] = measure(server, path, runs=runs, seconds=seconds, connections=connections)
    geojson = folder / "tasks.geojson"
    out["pygeoapi"]["layer"] = in_subprocess("benchmarks.exports:tasks_geojson", {"path": str(geojson)})
    port = free_port()
    config, openapi = pygeoapi_config(geojson, port, folder)
    pyg = Server("pygeoapi", env={"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)})
    pyg.port = port
    with pyg as server:
        out["pygeoapi"]["ready_s"] = server.wait_ready("/collections/tasks")
        for label, path in {"OGC items /collections/tasks/items": "/collections/tasks/items",
                            "OGC items ?limit=100": "/collections/tasks/items?limit=100"}.items():
            out["pygeoapi"][label] = measure(server, path, runs=runs, seconds=seconds, connections=connections)
    ours, theirs = out["govmap"]["OGC items ?limit=100"], out["pygeoapi"]["OGC items ?limit=100"]
    out["items_rps_ratio"] = ours["rps"] / theirs["rps"] if theirs["rps"] else None
    return out


if __name__ == "__main__":
    print(json.dumps(serve_all(runs=1, seconds=2), ensure_ascii=False, indent=1))
