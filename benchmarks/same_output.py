"""Whether a speed change left the document commands' output alone: the SHA-256 of ``govmap geocode|tasks|indicators
FILE --json`` on the deployment's sample texts and of ``govmap geocode`` on the process benchmark's ≥ 5 MB file, for
one or more checkouts, each command a fresh process with that checkout first on ``PYTHONPATH``.

``python -m benchmarks.same_output [LABEL=CHECKOUT ...]`` prints one line per file and command with each checkout's
digest, and exits 1 when two checkouts differ anywhere (default: this checkout alone, which only lists digests).
Every checkout gets its own data folder under ``benchmarks/work/same_output/`` so that none reads a gazetteer
another one cached.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from benchmarks import corpus, process
from benchmarks.common import ROOT, WORK

#: What each input is run through: every document command on the samples, geocode (the benchmarked one) on the
#: large file.
SAMPLE_COMMANDS = ("geocode", "tasks", "indicators")
LARGE_COMMANDS = ("geocode",)


def samples() -> list[Path]:
    return sorted((ROOT / "geodata" / "deployments" / "xianan" / "texts").glob("*.txt"))


def digest(root: Path, command: str, path: Path, *, data_dir: Path) -> str:
    """SHA-256 of ``govmap COMMAND PATH --json`` run from the checkout ``root``; a failure raises."""
    env = dict(os.environ, PYTHONPATH=str(root), PYTHONWARNINGS="ignore", GOVMAP_DATA_DIR=str(data_dir))
    env.pop("GOVMAP_DEPLOYMENT", None)
    proc = subprocess.run([sys.executable, "-m", "webmap.cli", command, str(path), "--json"], cwd=root, env=env,
                          capture_output=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{root}: govmap {command} {path.name} failed (exit {proc.returncode}): "
                           f"{proc.stderr.decode(errors='replace')[-1500:]}")
    return hashlib.sha256(proc.stdout).hexdigest()


def compare(roots: dict[str, Path], size_mb: float = 5) -> dict[tuple[str, str], dict[str, str]]:
    """{(file name, command): {label: sha256}} over the samples and the large file."""
    runs = [(path, command) for path in samples() for command in SAMPLE_COMMANDS]
    runs += [(process.make_input(size_mb), command) for command in LARGE_COMMANDS]
    found: dict[tuple[str, str], dict[str, str]] = {}
    for path, command in runs:
        found[(path.name, command)] = {label: digest(root, command, path, data_dir=WORK / "same_output" / label)
                                       for label, root in roots.items()}
    return found


if __name__ == "__main__":
    chosen = {label: Path(root).resolve() for label, root in (arg.split("=", 1) for arg in sys.argv[1:])}
    corpus.generate(20)
    results = compare(chosen or {"this": ROOT})
    differ = False
    for (name, command), digests in results.items():
        same = len(set(digests.values())) == 1
        differ |= not same
        shown = "  ".join(f"{label} {value}" for label, value in digests.items())
        print(f"{'same' if same else 'DIFFERENT'}  {command:<10} {name:<28} {shown}")
    sys.exit(1 if differ else 0)
