"""The benchmark corpus: the five sample texts plus deterministic variations of them, ≥ 20 MB of UTF-8.

Recipe (version :data:`RECIPE`, seed :data:`SEED`), one generated document at a time, cycling over the sources:

1. take a sample text from ``geodata/data/texts/`` (the originals come first, verbatim);
2. narrative texts (000–003): shuffle their paragraphs and splice in ~20 % of the paragraphs of another sample;
   the responsibility-decomposition text (004) keeps its structure (so its 100 tasks still parse);
3. swap township-level names (…镇/乡/街道/…场) for another unit of the same suffix from 咸宁市's admin tree
   (jionlp's ``china_location.txt`` as bundled in ``geodata/data/admin.csv``, so no jionlp install is needed), and
   village names (…村/社区) for another 咸宁 village, each with probability ½;
4. vary the numbers that carry a unit (4000亩 → 3170亩, 7%, 180亿元), keeping years, task numbers and codes.

Files go to ``benchmarks/work/corpus/`` (gitignored, never committed) with ``manifest.json`` (seed, recipe, sizes,
SHA-256 of the concatenation). The same seed always gives the same bytes; :func:`load` returns a prefix of the
document list of at least the requested size, so the 1/4/16 MB subsets are nested.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path

from benchmarks.common import ROOT, WORK

SEED = 20250124
RECIPE = 1
TEXTS = ROOT / "geodata" / "deployments" / "xianan" / "texts"
CORPUS = WORK / "corpus"
_UNIT_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?=\s*(?:%|万|亿|亩|个|公里|千米|米|吨|家|户|人|元|平方|台|套|所|座|项|辆|条|处|栋))")
_TOWN_SUFFIXES = ("街道", "镇", "乡", "场", "区")


def _read(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def sources() -> list[tuple[str, str]]:
    return [(p.stem, _read(p)) for p in sorted(TEXTS.glob("*.txt"))]


def admin_rows() -> list[tuple[str, str, str, str, str, str, str]]:
    """The bundled 咸宁 admin tree as rows ``(id, name, level, kind, parent_id, adcode, short)``, in tree order
    (the shape of :func:`benchmarks.gazetteers.read_tree`)."""
    from geodata import deployment
    from geodata.reference import read_admin_tree

    return [(r.id, r.name, r.level, r.kind, r.parent_id, r.adcode, "")
            for r in read_admin_tree(deployment.load()).itertuples(index=False)]


def _pools(rows):
    """(咸安 township names, 咸宁 townships by suffix, 咸安 village names, 咸宁 village names) of tree ``rows``."""
    from benchmarks.gazetteers import XIANNING

    inside, towns, villages, local_towns, local_villages = {XIANNING}, [], [], [], []
    county_of: dict[str, str] = {}
    for pid, name, level, _kind, parent, _code, _short in rows:
        if parent not in inside:
            continue
        inside.add(pid)
        county_of[pid] = pid if level == "county" else county_of.get(parent, "")
        if level == "township":
            towns.append(name)
            if county_of[pid] == "421202":
                local_towns.append(name)
        elif level == "village":
            villages.append(name)
            if county_of[pid] == "421202":
                local_villages.append(name)
    by_suffix: dict[str, list[str]] = {}
    for name in towns:
        suffix = next((s for s in _TOWN_SUFFIXES if name.endswith(s)), "")
        by_suffix.setdefault(suffix, []).append(name)
    return local_towns, by_suffix, sorted(set(local_villages)), sorted(set(villages))


def _alternation(names) -> re.Pattern:
    names = sorted({n for n in names if len(n) >= 3}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


class Generator:
    def __init__(self, seed: int = SEED) -> None:
        self.seed = seed
        self.sources = sources()
        local_towns, self.towns_by_suffix, local_villages, self.villages = _pools(admin_rows())
        self.town_re = _alternation(local_towns)
        self.village_re = _alternation(local_villages)

    def variant(self, n: int) -> tuple[str, str]:
        """The ``n``-th document: the originals for n < len(sources), then variations."""
        doc_id, text = self.sources[n % len(self.sources)]
        if n < len(self.sources):
            return doc_id, text
        rng = random.Random(self.seed * 1_000_003 + n)
        if "责任分解" not in text[:2000]:
            paragraphs = [p for p in text.split("\n") if p.strip()]
            other = [p for p in self.sources[rng.randrange(len(self.sources))][1].split("\n") if p.strip()]
            paragraphs += rng.sample(other, k=min(len(other), max(1, len(paragraphs) // 5)))
            rng.shuffle(paragraphs)
            text = "\n\n".join(paragraphs) + "\n"
        text = self.town_re.sub(lambda m: self._town(m.group(0), rng), text)
        text = self.village_re.sub(lambda m: rng.choice(self.villages) if rng.random() < 0.5 else m.group(0), text)
        text = _UNIT_NUMBER.sub(lambda m: _vary(m.group(1), rng), text)
        return f"gen{n:05d}_{doc_id}", text

    def _town(self, name: str, rng: random.Random) -> str:
        if rng.random() >= 0.5:
            return name
        suffix = next((s for s in _TOWN_SUFFIXES if name.endswith(s)), "")
        return rng.choice(self.towns_by_suffix.get(suffix) or [name])


def _vary(number: str, rng: random.Random) -> str:
    if "." in number:
        whole, frac = number.split(".")
        return f"{rng.randint(1, max(1, int(whole) * 2 + 1))}.{rng.randint(0, 10 ** len(frac) - 1):0{len(frac)}d}"
    value = int(number)
    return str(max(1, rng.randint(value // 2, value * 2 + 1)) if value else 0)


def generate(target_mb: float = 20.0, *, seed: int = SEED, out: Path = CORPUS) -> dict:
    """Write the corpus (if the one on disk is not already this recipe, seed and at least this size)."""
    manifest_path = out / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if (manifest.get("recipe") == RECIPE and manifest.get("seed") == seed
                and manifest.get("bytes", 0) >= target_mb * 1e6
                and all((out / f["name"]).exists() for f in manifest["files"])):
            return manifest
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.txt"):
        old.unlink()
    generator = Generator(seed)
    digest, files, total, n = hashlib.sha256(), [], 0, 0
    while total < target_mb * 1e6:
        doc_id, text = generator.variant(n)
        data = text.encode("utf-8")
        name = f"{n:05d}_{doc_id}.txt"
        (out / name).write_bytes(data)
        digest.update(data)
        files.append({"name": name, "bytes": len(data), "chars": len(text)})
        total += len(data)
        n += 1
    manifest = {"recipe": RECIPE, "seed": seed, "documents": len(files), "bytes": total,
                "chars": sum(f["chars"] for f in files), "sha256": digest.hexdigest(), "files": files}
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def load(size_mb: float | None = None, *, out: Path = CORPUS) -> list[tuple[str, str]]:
    """``(doc_id, text)`` of the first documents of the corpus totalling at least ``size_mb`` MB (all if None)."""
    manifest = json.loads((out / "manifest.json").read_text())
    docs, total = [], 0
    for f in manifest["files"]:
        if size_mb is not None and total >= size_mb * 1e6:
            break
        docs.append((f["name"].removesuffix(".txt"), (out / f["name"]).read_text(encoding="utf-8")))
        total += f["bytes"]
    return docs


def lines(docs) -> list[str]:
    """Non-empty lines of the documents, the unit the peers (cpca, jionlp) are fed."""
    return [line for _doc_id, text in docs for line in text.split("\n") if line.strip()]
