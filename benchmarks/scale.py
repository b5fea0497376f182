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
