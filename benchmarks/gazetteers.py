"""The two gazetteers the benchmarks use: the deployment's (咸安) and the whole national admin name tree.

* ``xianan()`` is :func:`gazetteer.load.load_gazetteer` — exactly what the app loads. While the reference-data
  module (``geodata.reference``) is still being written, a stand-in feeds the same loader with the 咸宁市 part of
  jionlp's admin tree and no geometry; ``SOURCE`` then says so and the results file reports it.
* ``national()`` is that gazetteer plus every other unit of jionlp's ``china_location.txt`` (provinces … villages,
  ≈43k township-level and ≈660k village-level names) as :class:`gazetteer.model.Place` objects without geometry.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

from gazetteer.aliases import admin_aliases
from gazetteer.model import Kind, Place
from gazetteer.registry import Gazetteer

#: How the 咸安 gazetteer was obtained in this process ("load_gazetteer" or a description of the stand-in).
SOURCE = "not loaded"
XIANNING = "421200"
_LEVELS = ("province", "city", "county", "township", "village")


def jionlp_tree_path() -> Path:
    import jionlp  # noqa: F401  (only to find the file)

    return Path(sys.modules["jionlp"].__file__).parent / "dictionary" / "china_location.txt"


def read_tree(path: Path | None = None):
    """Rows ``(id, name, level, kind, parent_id, adcode, short)`` of jionlp's tab-indented admin tree."""
    path = path or jionlp_tree_path()
    stack: list[str] = []
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            stripped = line.rstrip("\n")
            if not stripped.strip():
                continue
            depth = len(stripped) - len(stripped.lstrip("\t"))
            parts = stripped.strip("\t").split("\t")
            name = parts[0]
            adcode = parts[1] if len(parts) > 1 else ""
            short = parts[2] if len(parts) > 2 else ""
            del stack[depth:]
            parent = stack[-1] if stack else ""
            if depth < 3:
                pid = adcode
                # 直辖市: the city repeats the province's code; keep ids unique.
                if depth == 1 and adcode == parent:
                    pid = adcode + "-city"
            else:
                pid = f"{parent}-{n}"
            level = _LEVELS[min(depth, 4)]
            rows.append((pid, name, level, _kind(name, depth), parent, adcode if depth < 3 else "", short))
            stack.append(pid)
    return rows


def _kind(name: str, depth: int) -> str:
    if depth == 0:
        return "province"
    if depth == 1:
        return "city"
    if depth == 2:
        return "county"
    if depth == 3:
        if name.endswith("街道") or name.endswith("办事处"):
            return "subdistrict"
        if name.endswith("镇"):
            return "town"
        if name.endswith("乡"):
            return "township"
        if name.endswith("场"):
            return "farm"
        return "zone"
    return "community" if name.endswith("社区") else "village"


def _install_standins() -> list[str]:
    """Stand in for whichever of ``geodata.reference``/``geodata.userdata`` does not exist yet; return their names."""
    import importlib

    import geodata
    import geopandas as gpd
    import pandas as pd

    def empty():
        return gpd.GeoDataFrame({"id": [], "quality": [], "source": []}, geometry=[], crs="EPSG:4326")

    def read_admin_tree():
        rows = read_tree()
        keep, wanted = [], {XIANNING}
        for row in rows:
            pid, _name, _level, _kind, parent, *_ = row
            if pid == "420000":
                keep.append(row[:6])
            elif pid in wanted or parent in wanted:
                wanted.add(pid)
                keep.append(row[:6])
        return pd.DataFrame(keep, columns=["id", "name", "level", "kind", "parent_id", "adcode"])

    stubbed = []
    try:
        importlib.import_module("geodata.reference")
    except ImportError:
        reference = types.ModuleType("geodata.reference")
        reference.read_admin_tree = read_admin_tree
        reference.read_counties = reference.read_seats = reference.read_lakes = empty
        reference.sample_texts = lambda: sorted((Path(__file__).parent.parent / "geodata/data/texts").glob("*.txt"))
        sys.modules["geodata.reference"] = geodata.reference = reference
        stubbed.append("geodata.reference (jionlp 咸宁 tree, no geometry)")
    try:
        importlib.import_module("geodata.userdata")
    except ImportError:
        userdata = types.ModuleType("geodata.userdata")
        userdata.user_dir = lambda d=None: d
        userdata.read_overrides = lambda user_dir=None: empty().assign(place_id=[])
        sys.modules["geodata.userdata"] = geodata.userdata = userdata
        stubbed.append("geodata.userdata (no user imports)")
    return stubbed


def ensure_importable() -> None:
    """Make ``gazetteer.load`` importable, standing in for missing modules; records it in :data:`SOURCE`."""
    global SOURCE
    try:
        import gazetteer.load  # noqa: F401

        SOURCE = "gazetteer.load.load_gazetteer() (the app's gazetteer)"
    except ImportError:
        stubbed = _install_standins()
        SOURCE = "load_gazetteer() with STAND-INS for modules not written yet: " + "; ".join(stubbed)


def xianan() -> Gazetteer:
    """The gazetteer the app loads (with stand-ins, as :data:`SOURCE` says, while modules are missing)."""
    ensure_importable()
    from gazetteer.load import load_gazetteer

    try:
        return load_gazetteer()
    except Exception as exc:  # the data being edited right now may not pass the strict checks
        global SOURCE
        SOURCE += f"; strict=False ({type(exc).__name__}: {str(exc)[:120]})"
        return load_gazetteer(strict=False)


def national(local: Gazetteer | None = None) -> Gazetteer:
    """``local`` (default: :func:`xianan`) plus every other unit of the national admin tree, without geometry."""
    local = local or xianan()
    rows = read_tree()
    have_codes = {p.admin_code for p in local if p.admin_code}
    skip: set[str] = set()
    places = list(local)
    implied: dict[str, list[int]] = {}
    drafts = []
    for pid, name, _level, kind, parent, adcode, short in rows:
        if pid in have_codes or parent in skip or pid == XIANNING:
            skip.add(pid)
            continue
        k = Kind(kind)
        aliases = [short] if short and short != name and len(short) >= 2 else []
        drafts.append([f"cn-{pid}", name, k, aliases, (f"cn-{parent}",) if parent else (), adcode or None])
        for alias in admin_aliases(name, k):
            implied.setdefault(alias, []).append(len(drafts) - 1)
    taken = set(local.names()) | {d[1] for d in drafts}
    for alias, owners in implied.items():
        if len(owners) == 1 and alias not in taken:
            drafts[owners[0]][3].append(alias)
    places += [Place(i, name, k, aliases=tuple(a), parents=parents, admin_code=code)
               for i, name, k, a, parents, code in drafts]
    return Gazetteer(places, nonplaces=local.nonplaces, home=local.home)
