"""A built gazetteer kept on disk, so that a command does not assemble it again from the reference files.

The key is a SHA-256 of everything the gazetteer is built from: the bytes of the deployment's settings, admin
tree, polygons, seats, lakes and curated places (or the curated file given instead), the national table, the
fingerprint (size and modification time) of the user's imported geometry, and the source of the modules that
build it. Any change to one of them is another key, so a stale gazetteer is never read; old files are removed
when a new one is written. The file lives in the user's data folder, which only its owner writes: it is read
with :mod:`pickle`, so it must not come from anyone else.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from gazetteer.places.registry import Gazetteer

#: The folder of cached gazetteers inside the user's data folder.
CACHE_FOLDER = "cache"
_PREFIX = "gazetteer-"
#: The modules whose code decides what the gazetteer holds.
_CODE = (Path(__file__).resolve().parent, Path(__file__).resolve().parents[1] / "model.py",
         Path(__file__).resolve().parents[2] / "geodata" / "reference.py")


def key(inputs: Iterable[Path], fingerprints: Iterable[Path]) -> str:
    """The cache key of a gazetteer built from the files ``inputs`` (hashed by content) and ``fingerprints``
    (large or binary files hashed by path, size and modification time; a missing one counts as absent)."""
    digest = hashlib.sha256(f"python {sys.version_info[:2]} pickle {pickle.HIGHEST_PROTOCOL}".encode())
    for path in [*inputs, *_code_files()]:
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    for path in fingerprints:
        stat = path.stat() if path.exists() else None
        digest.update(f"{path}\0{stat.st_size if stat else -1}\0{stat.st_mtime_ns if stat else -1}\0".encode())
    return digest.hexdigest()[:32]


def _code_files() -> list[Path]:
    return sorted(p for item in _CODE for p in ([item] if item.is_file() else item.glob("*.py")))


def cached(folder: Path, cache_key: str, build: Callable[[], Gazetteer]) -> Gazetteer:
    """The gazetteer stored under ``cache_key`` in ``folder``, else ``build()``, stored for next time (a folder
    that cannot be written only means no cache)."""
    path = folder / f"{_PREFIX}{cache_key}.pickle"
    try:
        with open(path, "rb") as handle:
            loaded = pickle.load(handle)
        if isinstance(loaded, Gazetteer):
            return loaded
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    gazetteer = build()
    _store(folder, path, gazetteer)
    return gazetteer


def _store(folder: Path, path: Path, gazetteer: Gazetteer) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".tmp-", delete=False) as handle:
            pickle.dump(gazetteer, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
        for old in folder.glob(f"{_PREFIX}*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        return
