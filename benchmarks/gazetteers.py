"""The two gazetteers the benchmarks use: the deployment's (咸安) and the whole national admin name tree.

* ``xianan()`` is :func:`gazetteer.places.load.load_gazetteer` — exactly what the app loads (咸宁's admin tree, the curated
  places, the rest of China's provinces, cities and counties).
* ``national()`` is that gazetteer plus every other unit of jionlp's ``china_location.txt`` (provinces … villages,
  ≈43k township-level and ≈660k village-level names) as :class:`gazetteer.model.Place` objects without geometry.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gazetteer.places.aliases import admin_aliases
from gazetteer.model import Kind, Place
from gazetteer.places.registry import Gazetteer

#: How the 咸安 gazetteer is obtained (reported in the results).
SOURCE = "gazetteer.places.load.load_gazetteer() (the app's gazetteer)"
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


def xianan() -> Gazetteer:
    """The gazetteer the app loads."""
    from gazetteer.places.load import load_gazetteer

    return load_gazetteer()


def national(local: Gazetteer | None = None) -> Gazetteer:
    """``local`` (default: :func:`xianan`) plus every other unit of the national admin tree, without geometry."""
    local = local or xianan()
    rows = read_tree()
    # Units the app's gazetteer has already (咸宁's tree; every province, city and county by adcode) are not
    # added again: their children hang under the existing entry. 咸宁's townships and villages are there too.
    existing = {p.admin_code: p.id for p in local if p.admin_code}
    skip: set[str] = set()
    places = list(local)
    implied: dict[str, list[int]] = {}
    drafts = []
    for pid, name, _level, kind, parent, adcode, short in rows:
        if pid == XIANNING or parent in skip:
            skip.add(pid)
            continue
        if pid in existing:
            continue
        k = Kind(kind)
        aliases = [short] if short and short != name and len(short) >= 2 else []
        parent_id = existing.get(parent, f"cn-{parent}") if parent else None
        drafts.append([f"cn-{pid}", name, k, aliases, (parent_id,) if parent_id else (), adcode or None])
        for alias in admin_aliases(name, k):
            implied.setdefault(alias, []).append(len(drafts) - 1)
    taken = set(local.names()) | {d[1] for d in drafts}
    for alias, owners in implied.items():
        if len(owners) == 1 and alias not in taken:
            drafts[owners[0]][3].append(alias)
    places += [Place(i, name, k, aliases=tuple(a), parents=parents, admin_code=code)
               for i, name, k, a, parents, code in drafts]
    return Gazetteer(places, nonplaces=local.nonplaces, home=local.home)
