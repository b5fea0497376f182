"""Shared helpers: timing, medians, machine description, and running one measurement in a fresh subprocess.

Every measurement that reports memory runs in its own ``python -m benchmarks.worker`` process, so its peak
resident set (``ru_maxrss``) belongs to that measurement alone; the baseline after imports is reported beside it.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
WORK = BENCH / "work"
RESULTS = BENCH / "results"

PACKAGES = ("govmap", "ahocorasick_rs", "shapely", "geopandas", "pyogrio", "pandas", "flask", "waitress", "folium",
            "cpca", "jionlp", "pygeoapi", "pyproj", "numpy")


def median(values):
    return statistics.median(values) if values else None


def timed(fn, *args, **kwargs):
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def repeat(fn, runs: int, *, warmup: int = 0):
    """Times of ``runs`` calls after ``warmup`` untimed ones, and the last result."""
    result = None
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(runs):
        seconds, result = timed(fn)
        times.append(seconds)
    return times, result


def maxrss_mb() -> float:
    """Peak resident set of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """Current resident set, in MB."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


def in_subprocess(target: str, args: dict | None = None, *, timeout: float = 1200) -> dict:
    """Run ``module:function(**args)`` in a fresh interpreter; return its JSON result plus memory figures.

    The child prints one JSON line; ``peak_rss_mb`` is its ``ru_maxrss`` at the end and ``baseline_rss_mb`` the
    peak right after importing the target module (interpreter plus imports), so the difference is the work's own.
    """
    cmd = [sys.executable, "-m", "benchmarks.worker", target, json.dumps(args or {}, ensure_ascii=False)]
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONWARNINGS="ignore")
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{\"__bench__\"")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout)[-2000:]
        raise RuntimeError(f"{target} failed (exit {proc.returncode}):\n{tail}")
    return json.loads(lines[-1])["__bench__"]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def ram_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return float("nan")


def versions() -> dict[str, str]:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def git_revision() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True,
                               timeout=10).stdout.strip()
        return rev + ("+uncommitted" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def machine() -> dict:
    return {
        "hostname": socket.gethostname(),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "ram_gb": ram_gb(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        "git": git_revision(),
        "versions": versions(),
    }
