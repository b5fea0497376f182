"""Whole-process reading: ``govmap geocode FILE --json > /dev/null`` against a script that runs ``cpca.transform``
over the same file's lines, each a fresh ``python`` process timed from start to exit (imports, loading the
gazetteer or cpca's tables, reading, writing), alternating runs so that both share the machine's load.

The input is one ≥ 5 MB UTF-8 file: the first documents of the benchmark corpus joined by newlines, written to
``benchmarks/work/process/`` (gitignored). cpca reads it line by line (one address per line); govmap reads it as one
document and prints every mention with its span and resolution.
"""

from __future__ import annotations

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


def _wall(cmd: list[str], *, cwd: Path) -> float:
    """Seconds from starting ``cmd`` in a fresh process to its exit; stdout is discarded, a failure raises."""
    env = dict(os.environ, PYTHONPATH=str(cwd), PYTHONWARNINGS="ignore")
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} … failed (exit {proc.returncode}): {proc.stderr[-1500:]}")
    return seconds


def geocode_vs_cpca(size_mb: float = 5, runs: int = 5, roots: dict[str, str] | None = None) -> dict:
    """Median wall time of each command over ``runs`` alternating runs, MB/s, and govmap's speed over cpca's.

    ``roots`` maps a label to a govmap checkout to run (default: this one as ``govmap``), so that two revisions can
    be timed side by side in one run.
    """
    path = make_input(size_mb)
    mb = path.stat().st_size / 1e6
    commands = {label: ([sys.executable, "-m", "webmap.cli", "geocode", str(path), "--json"], Path(root))
                for label, root in (roots or {"govmap": str(ROOT)}).items()}
    commands["cpca"] = ([sys.executable, "-c", CPCA_SCRIPT, str(path)], ROOT)
    times: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, (cmd, cwd) in commands.items():
            times[label].append(_wall(cmd, cwd=cwd))
    medians = {label: median(t) for label, t in times.items()}
    return {"input": str(path.relative_to(ROOT)), "mb": round(mb, 3), "runs_s": times, "median_s": medians,
            "mb_per_s": {label: mb / s for label, s in medians.items()},
            "speed_vs_cpca": {label: medians["cpca"] / s for label, s in medians.items() if label != "cpca"},
            "commands": {"govmap": "python -m webmap.cli geocode FILE --json > /dev/null",
                         "cpca": "python -c 'cpca.transform(non-empty lines of FILE)'"}}


if __name__ == "__main__":  # python -m benchmarks.process [label=root ...]: a quick side-by-side look
    import json

    corpus.generate(20)
    chosen = dict(arg.split("=", 1) for arg in sys.argv[1:]) or None
    print(json.dumps(geocode_vs_cpca(roots=chosen), indent=1))
