"""Reading texts: govmap's geocode (recognise + resolve) and full document pipeline vs cpca and jionlp.

Each function here runs inside a fresh ``benchmarks.worker`` process (so ``peak_rss_mb`` is its own) and returns
medians over ``runs`` timed passes after one untimed warm-up pass where the tool loads lazily (cpca, jionlp).
"""

from __future__ import annotations

import io
import contextlib
from collections import Counter, defaultdict

from benchmarks import corpus
from benchmarks.common import median, repeat, timed

LEVELS = ("province", "city", "county", "township", "village", "lake", "river", "road", "other")
_LEVEL_OF_KIND = {"province": "province", "city": "city", "county": "county", "town": "township",
                  "township": "township", "subdistrict": "township", "farm": "township", "zone": "township",
                  "village": "village", "community": "village", "lake": "lake", "river": "river",
                  "reservoir": "river", "road": "road", "bridge": "road", "street": "road"}


def _mb(docs) -> float:
    return sum(len(text.encode("utf-8")) for _, text in docs) / 1e6


def sample_lines(size_kb: float, docs=None) -> list[str]:
    """A deterministic stride sample of the corpus' lines totalling about ``size_kb`` KB (every k-th line)."""
    every = corpus.lines(docs if docs is not None else corpus.load())
    total = sum(len(line.encode("utf-8")) for line in every)
    stride = max(1, int(total / (size_kb * 1e3)))
    picked, size = [], 0
    for line in every[::stride]:
        if size >= size_kb * 1e3:
            break
        picked.append(line)
        size += len(line.encode("utf-8"))
    return picked


def _govmap(size_mb: float):
    from benchmarks import gazetteers
    from gazetteer.model import Document
    from gazetteer.geocoding.recognize import Recognizer

    gaz = gazetteers.xianan()
    build_s, recognizer = timed(Recognizer, gaz)
    docs = [Document(doc_id, doc_id, text, "utf-8") for doc_id, text in corpus.load(size_mb)]
    return gaz, recognizer, docs, build_s


def govmap_geocode(size_mb: float = 20, runs: int = 3) -> dict:
    from benchmarks import gazetteers
    from gazetteer.geocoding.geocode import locate

    gaz, recognizer, docs, build_s = _govmap(size_mb)
    mb = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6

    def run():
        return [r for d in docs for r in locate(d.text, d, gaz, recognizer=recognizer)]

    times, found = repeat(run, runs)
    status = Counter(r.status for r in found)
    return {"tool": "govmap geocode", "mb": round(mb, 2), "documents": len(docs), "runs": times,
            "median_s": median(times), "mb_per_s": mb / median(times), "resolutions": dict(status),
            "recognizer_build_s": build_s, "gazetteer": gazetteers.SOURCE, "places": len(gaz)}


def govmap_pipeline(size_mb: float = 20, runs: int = 3) -> dict:
    from gazetteer.corpus import analyse

    gaz, recognizer, docs, _ = _govmap(size_mb)
    mb = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6

    def run():
        return [analyse(d, gaz, recognizer=recognizer) for d in docs]

    times, analyses = repeat(run, runs)
    return {"tool": "govmap analyse (full pipeline)", "mb": round(mb, 2), "documents": len(docs), "runs": times,
            "median_s": median(times), "mb_per_s": mb / median(times),
            "tasks": sum(len(a.tasks) for a in analyses), "statements": sum(len(a.statements) for a in analyses),
            "indicators": sum(len(a.indicators) for a in analyses), "links": sum(len(a.links) for a in analyses)}


def govmap_profile(size_mb: float = 2) -> dict:
    """Where the pipeline's time goes: cumulative seconds of its main stages (cProfile) on a slice of the corpus."""
    import cProfile
    import pstats

    from gazetteer.corpus import analyse

    gaz, recognizer, docs, _ = _govmap(size_mb)
    profile = cProfile.Profile()
    profile.enable()
    for d in docs:
        analyse(d, gaz, recognizer=recognizer)
    profile.disable()
    stats = pstats.Stats(profile)
    total = max(v[3] for v in stats.stats.values())
    wanted = {"find": "recognize.find", "candidates": "candidates.candidates", "resolve": "resolve.resolve",
              "parse_tasks": "tasks.parse_tasks", "split_statements": "statements.split_statements",
              "find_indicators": "indicators.find_indicators", "township_links": "responsibility.township_links",
              "_mention_links": "corpus._mention_links", "locate": "geocode.locate",
              "_segment": "resolve._segment", "_choose": "resolve._choose", "containers": "recognize.containers"}
    stages = {}
    for (filename, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        for label, dotted in wanted.items():
            module, _, name = dotted.partition(".")
            if func == name and filename.endswith(f"{module}.py"):
                stages[dotted] = stages.get(dotted, 0) + ct
    top = sorted(((v[2], f"{k[0].rsplit('/', 2)[-2:]}:{k[2]}") for k, v in stats.stats.items()), reverse=True)[:8]
    return {"mb": round(sum(len(d.text.encode()) for d in docs) / 1e6, 2), "total_s": total,
            "stages_cumulative_s": {k: round(v, 3) for k, v in sorted(stages.items(), key=lambda kv: -kv[1])},
            "top_self_s": [[round(t, 3), str(name)] for t, name in top]}


def cpca_transform(size_mb: float = 20, runs: int = 3) -> dict:
    import cpca

    docs = corpus.load(size_mb)
    lines = corpus.lines(docs)
    mb = sum(len(line.encode("utf-8")) for line in lines) / 1e6
    cpca.transform(lines[:50])  # loads its data lazily
    times, frame = repeat(lambda: cpca.transform(lines), runs)
    return {"tool": "cpca.transform", "mb": round(mb, 2), "lines": len(lines), "runs": times,
            "median_s": median(times), "mb_per_s": mb / median(times), "sampled": False,
            "rows_with_county": int(frame["区"].notna().sum())}


def jionlp_call(function: str = "recognize_location", sample_kb: float = 64, runs: int = 3) -> dict:
    with contextlib.redirect_stdout(io.StringIO()):
        import jionlp as jio
    fn = getattr(jio, function)
    kwargs = {"town_village": True} if function == "parse_location" else {}
    lines = sample_lines(sample_kb)
    mb = sum(len(line.encode("utf-8")) for line in lines) / 1e6
    fn(lines[0], **kwargs)  # loads its dictionaries lazily
    times, _ = repeat(lambda: [fn(line, **kwargs) for line in lines], runs)
    return {"tool": f"jionlp.{function}", "mb": round(mb, 4), "lines": len(lines), "runs": times,
            "median_s": median(times), "mb_per_s": mb / median(times), "sampled": True,
            "sample": f"every k-th line of the corpus, {len(lines)} lines, {mb * 1e3:.0f} KB"}


# -- names found per level on a shared sample --------------------------------------------------------------
def levels(sample: str = "originals") -> dict:
    """Distinct names found per level by each tool on the same lines (the five sample texts)."""
    import cpca

    from benchmarks import gazetteers
    from gazetteer.geocoding.geocode import locate
    from gazetteer.model import Document
    from gazetteer.geocoding.recognize import Recognizer

    with contextlib.redirect_stdout(io.StringIO()):
        import jionlp as jio
    docs = corpus.sources()
    lines = corpus.lines(docs)
    found: dict[str, dict[str, set[str]]] = {t: defaultdict(set) for t in
                                             ("govmap", "cpca", "jionlp.recognize_location",
                                              "jionlp.parse_location")}
    gaz = gazetteers.xianan()
    recognizer = Recognizer(gaz)
    examples = defaultdict(list)
    for doc_id, text in docs:
        doc = Document(doc_id, doc_id, text, "utf-8")
        for r in locate(text, doc, gaz, recognizer=recognizer):
            if r.status == "resolved" and r.place_id:
                place = gaz[r.place_id]
                level = _LEVEL_OF_KIND.get(str(place.kind), "other")
                if place.name not in found["govmap"][level] and len(examples[level]) < 6:
                    examples[level].append(place.name)
                found["govmap"][level].add(place.name)
    frame = cpca.transform(lines)
    for column, level in (("省", "province"), ("市", "city"), ("区", "county")):
        found["cpca"][level].update(v for v in frame[column].dropna() if v)
    for line in lines:
        rec = jio.recognize_location(line)
        for entry, _count in rec.get("domestic") or []:
            for level in ("province", "city", "county"):
                if entry.get(level):
                    found["jionlp.recognize_location"][level].add(entry[level])
        parsed = jio.parse_location(line, town_village=True)
        for key, level in (("province", "province"), ("city", "city"), ("county", "county"),
                           ("town", "township"), ("village", "village")):
            if parsed.get(key):
                found["jionlp.parse_location"][level].add(parsed[key])
    counts = {tool: {level: len(levels_.get(level, ())) for level in LEVELS} for tool, levels_ in found.items()}
    only_govmap = {level: len(found["govmap"][level] - set().union(*(found[t][level] for t in found
                                                                        if t != "govmap")))
                   for level in LEVELS}
    return {"lines": len(lines), "kb": round(sum(len(x.encode()) for x in lines) / 1e3, 1), "counts": counts,
            "only_govmap": only_govmap, "govmap_examples": dict(examples)}
