"""Scale of the gazetteer: index build time, recognition throughput at 1/4/16 MB, memory, app start-up.

Each measurement runs in a fresh ``benchmarks.worker`` process. Recognition is :meth:`Recognizer.find` over the
corpus documents (the Aho–Corasick pass and Mention objects); ``locate`` (recognise + resolve + candidates) is
measured too, on 1 MB, because resolution is where a larger gazetteer adds candidate places per name.
"""

from __future__ import annotations

import time

from benchmarks import corpus
from benchmarks.common import median, repeat, rss_mb, timed


def gazetteer_scale(which: str = "xianan", sizes=(1, 4, 16), runs: int = 3, locate_mb: float = 1,
                    single_doc_kb=(100, 200, 400)) -> dict:
    from benchmarks import gazetteers
    from gazetteer.geocoding.geocode import locate
    from gazetteer.model import Document
    from gazetteer.geocoding.recognize import Recognizer

    load_s, gaz = timed(gazetteers.xianan)
    if which == "national":
        national_s, gaz = timed(gazetteers.national, gaz)
        load_s += national_s
    rss_gazetteer = rss_mb()
    build_s, recognizer = timed(Recognizer, gaz)
    rss_index = rss_mb()
    containers_s, _ = timed(recognizer.containers, "咸安区")  # the lazy "alternatives considered" index
    out = {"gazetteer": which, "source": gazetteers.SOURCE, "places": len(gaz), "names": len(gaz.names()),
           "gazetteer_build_s": load_s, "recognizer_build_s": build_s, "rss_after_gazetteer_mb": rss_gazetteer,
           "rss_after_index_mb": rss_index, "containers_index_s": containers_s, "index_mb": rss_index - rss_gazetteer, "find": {}}
    all_docs = corpus.load(max(sizes))
    for size in sizes:
        docs, total = [], 0
        for doc_id, text in all_docs:
            if total >= size * 1e6:
                break
            docs.append((doc_id, text))
            total += len(text.encode("utf-8"))
        times, found = repeat(lambda: sum(len(recognizer.find(t, doc_id=i)) for i, t in docs), runs)
        out["find"][str(size)] = {"mb": total / 1e6, "runs": times, "median_s": median(times),
                                  "mb_per_s": total / 1e6 / median(times), "mentions": found}
    docs = [Document(i, i, t, "utf-8") for i, t in corpus.load(locate_mb)]
    mb = sum(len(d.text.encode()) for d in docs) / 1e6
    times, found = repeat(lambda: sum(len(locate(d.text, d, gaz, recognizer=recognizer)) for d in docs), runs)
    out["locate"] = {"mb": mb, "runs": times, "median_s": median(times), "mb_per_s": mb / median(times),
                     "resolutions": found}
    # One long document instead of many short ones: does resolution stay linear within a document?
    text = "\n".join(t for _, t in all_docs)
    out["single_document"] = {}
    for kb in single_doc_kb:
        piece = text[: int(kb * 1e3 / 3)]
        doc = Document("long", "long", piece, "utf-8")
        t, res = timed(locate, piece, doc, gaz, recognizer=recognizer)
        out["single_document"][str(kb)] = {"kb": len(piece.encode()) / 1e3, "s": t, "resolutions": len(res),
                                           "mb_per_s": len(piece.encode()) / 1e6 / t}
    return out


def app_startup() -> dict:
    """``create_app()`` until the first ``/`` response (Flask test client), in this fresh process."""
    import warnings

    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    from benchmarks import gazetteers
    from webmap import create_app

    t_import = time.perf_counter()
    app = create_app()
    t_app = time.perf_counter()
    client = app.test_client()
    first = client.get("/")
    t_first = time.perf_counter()
    second = client.get("/")
    t_second = time.perf_counter()
    return {"import_s": t_import - t0, "create_app_s": t_app - t_import, "first_response_s": t_first - t_app,
            "total_to_first_response_s": t_first - t0, "second_response_s": t_second - t_first,
            "status": first.status_code, "bytes": len(first.data), "second_status": second.status_code,
            "gazetteer": gazetteers.SOURCE}


#: A sentence naming three places the gazetteer lacks, each built on a township it has (站, 厂, 码头): appended to
#: every document with ``derive=True``, so that each document extends the gazetteer (``Gazetteer.with_places``).
DERIVING = "\n推进马桥镇客运站建设，改造双溪桥镇污水处理厂和桂花镇码头。\n"


def _documents(count: int | None, derive: bool) -> list:
    """``Document`` objects of a stride sample of the corpus, each with :data:`DERIVING` appended if ``derive``."""
    from gazetteer.model import Document

    return [Document(i, i, t + DERIVING if derive else t, "utf-8") for i, t in _stride(corpus.load(), count)]


def _stride(docs: list, count: int | None) -> list:
    """Every k-th document, ``count`` of them (all when ``count`` is None): a mix of every kind of document."""
    if count is None or count >= len(docs):
        return list(docs)
    step = len(docs) / count
    return [docs[int(n * step)] for n in range(count)]


def per_document(documents: int = 60, runs: int = 3, derive: bool = False) -> dict:
    """``analyse`` of each document with the 咸安 gazetteer and then the national one, interleaved in one process.

    The documents are a stride sample of the corpus (narrative and decomposition texts alike); each run times every
    document once with each gazetteer, so both share the machine's load; the ratio is national/咸安 total time.
    One untimed document first builds what the recognisers build lazily, once per process (reported apart).
    ``derive`` appends :data:`DERIVING` to each document, so that each one adds places to the gazetteer.
    """
    from benchmarks import gazetteers
    from gazetteer.corpus import analyse
    from gazetteer.geocoding.recognize import Recognizer

    local = gazetteers.xianan()
    national = gazetteers.national(local)
    pairs = {"xianan": (local, Recognizer(local)), "national": (national, Recognizer(national))}
    docs = _documents(documents, derive)
    # The first document also builds the recognisers' lazy indexes (containers, non-places giving way): once.
    first_s = {name: timed(analyse, docs[0], gaz, recognizer=rec)[0] for name, (gaz, rec) in pairs.items()}
    mb = sum(len(d.text.encode()) for d in docs) / 1e6
    totals: dict[str, list[float]] = {name: [] for name in pairs}
    for _ in range(runs):
        spent = dict.fromkeys(pairs, 0.0)
        for doc in docs:
            for name, (gaz, rec) in pairs.items():
                spent[name] += timed(analyse, doc, gaz, recognizer=rec)[0]
        for name, seconds in spent.items():
            totals[name].append(seconds)
    ratios = [n / x for n, x in zip(totals["national"], totals["xianan"])]
    return {"documents": len(docs), "derive": derive, "mb": round(mb, 3),
            "places": {k: len(g) for k, (g, _) in pairs.items()}, "first_document_s": first_s, "runs_s": totals, "median_s": {k: median(v) for k, v in totals.items()},
            "ms_per_document": {k: 1e3 * median(v) / len(docs) for k, v in totals.items()},
            "ratio_runs": ratios, "ratio": median(ratios)}


def corpus_case(which: str = "national", documents: int | None = None, derive: bool = False) -> dict:
    """``build_corpus`` over the corpus split into its documents (all 1,037 by default) with one gazetteer.

    ``derive`` appends :data:`DERIVING` to each document (each then extends the gazetteer).
    """
    from benchmarks import gazetteers
    from gazetteer.corpus import build_corpus

    load_s, gaz = timed(gazetteers.xianan)
    if which == "national":
        national_s, gaz = timed(gazetteers.national, gaz)
        load_s += national_s
    docs = _documents(documents, derive)
    mb = sum(len(d.text.encode()) for d in docs) / 1e6
    seconds, built = timed(build_corpus, gaz, docs)
    return {"gazetteer": which, "derive": derive, "places": len(gaz), "gazetteer_build_s": load_s,
            "documents": len(docs), "mb": round(mb, 2), "s": seconds, "mb_per_s": mb / seconds, "tasks": len(built.tasks),
            "links": len(built.links), "derived": len(built.gazetteer) - len(gaz)}
