"""Whole-process reading: ``govmap geocode FILE --json > /dev/null`` against a script that runs ``cpca.transform``
over the same file's lines, each a fresh ``python`` process timed from start to exit (imports, loading the
gazetteer or cpca's tables, reading, writing), alternating runs so that both share the machine's load.

The input is one ≥ 5 MB UTF-8 file: the first documents of the benchmark corpus joined by newlines, written to
``benchmarks/work/process/`` (gitignored). cpca reads it line by line (one address per line); govmap reads it as one
document and prints every mention with its span and resolution.

Each govmap checkout is timed as an installed package runs: its modules byte-compiled first (``compileall``, as pip
does; cpca and its dependencies are compiled in site-packages, and an environment with ``PYTHONDONTWRITEBYTECODE``
would otherwise make govmap compile every module from source in every run), and with its own data folder under
``benchmarks/work/process/`` whose gazetteer cache an untimed first run fills (the cache keeps one gazetteer, so two
checkouts sharing a folder would rebuild each other's in every run).
"""

from __future__ import annotations

import compileall
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import corpus
from benchmarks.common import ROOT, WORK, median

#: What cpca is asked to do: every non-empty line of the file, in one ``transform`` call, as reading.py does.
CPCA_SCRIPT = """
import sys
import cpca
with open(sys.argv[1], encoding="utf-8") as fh:
    lines = [line for line in fh.read().split("\\n") if line.strip()]
cpca.transform(lines)
"""


def make_input(size_mb: float = 5) -> Path:
    """The corpus' first documents (≥ ``size_mb`` MB) as one file, written once per size."""
    path = WORK / "process" / f"input-{size_mb:g}mb.txt"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(text for _, text in corpus.load(size_mb)), encoding="utf-8")
    return path


#: The packages of a checkout that ``govmap geocode`` runs.
PACKAGES = ("gazetteer", "geodata", "layers", "webmap")


def _wall(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> float:
    """Seconds from starting ``cmd`` in a fresh process to its exit; stdout is discarded, a failure raises."""
    env = dict(os.environ, PYTHONPATH=str(cwd), PYTHONWARNINGS="ignore", **(env or {}))
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} … failed (exit {proc.returncode}): {proc.stderr[-1500:]}")
    return seconds


def prepare(root: Path, label: str, path: Path, *, byte_compile: bool = True) -> dict[str, str]:
    """Byte-compile the checkout ``root`` (unless told not to), run its geocode once untimed to fill the gazetteer
    cache of its own data folder, and return the environment its timed runs use."""
    if byte_compile:
        for package in PACKAGES:
            if not compileall.compile_dir(root / package, quiet=1):
                raise RuntimeError(f"{root / package}: does not byte-compile")
    env = {"GOVMAP_DATA_DIR": str(WORK / "process" / f"data-{label}")}
    _wall([sys.executable, "-m", "webmap.cli", "geocode", str(path), "--json"], cwd=root, env=env)
    return env


def geocode_vs_cpca(size_mb: float = 5, runs: int = 5, roots: dict[str, str] | None = None, *,
                    byte_compile: bool = True) -> dict:
    """Median wall time of each command over ``runs`` alternating runs, MB/s, and govmap's speed over cpca's.

    ``roots`` maps a label to a govmap checkout to run (default: this one as ``govmap``), so that two revisions can
    be timed side by side in one run; ``byte_compile=False`` runs the checkouts from source as they stand.
    """
    path = make_input(size_mb)
    mb = path.stat().st_size / 1e6
    commands = {label: ([sys.executable, "-m", "webmap.cli", "geocode", str(path), "--json"], Path(root),
                        prepare(Path(root), label, path, byte_compile=byte_compile))
                for label, root in (roots or {"govmap": str(ROOT)}).items()}
    commands["cpca"] = ([sys.executable, "-c", CPCA_SCRIPT, str(path)], ROOT, {})
    times: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, (cmd, cwd, env) in commands.items():
            times[label].append(_wall(cmd, cwd=cwd, env=env))
    medians = {label: median(t) for label, t in times.items()}
    return {"input": str(path.relative_to(ROOT)), "mb": round(mb, 3), "runs_s": times, "median_s": medians,
            "mb_per_s": {label: mb / s for label, s in medians.items()},
            "speed_vs_cpca": {label: medians["cpca"] / s for label, s in medians.items() if label != "cpca"},
            "byte_compiled": byte_compile, "roots": {label: str(cwd) for label, (_, cwd, _) in commands.items()},
            "commands": {"govmap": "python -m webmap.cli geocode FILE --json > /dev/null",
                         "cpca": "python -c 'cpca.transform(non-empty lines of FILE)'"}}


if __name__ == "__main__":  # python -m benchmarks.process [--runs N] [--source] [label=root ...]: side by side
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python -m benchmarks.process")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--source", action="store_true", help="do not byte-compile the checkouts first")
    parser.add_argument("roots", nargs="*", metavar="LABEL=CHECKOUT")
    args = parser.parse_args()
    corpus.generate(20)
    chosen = dict(arg.split("=", 1) for arg in args.roots) or None
    print(json.dumps(geocode_vs_cpca(runs=args.runs, roots=chosen, byte_compile=not args.source), indent=1))
