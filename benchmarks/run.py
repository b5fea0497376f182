"""``python -m benchmarks.run [--quick] [--only reading,scale,process,serving,exports,storage]`` — run every benchmark, write
``benchmarks/results/<date>-<hostname>.md`` and ``.json`` and refresh the table in ``benchmarks/README.md``.

``--quick`` is a smoke run (~40 s: small inputs, one run each; no national gazetteer, no per-level name counts,
no jionlp ``recognize_location`` whose dictionaries alone take ~15 s to load). Results go to ``…-quick.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import traceback

from benchmarks import corpus
from benchmarks.common import BENCH, RESULTS, in_subprocess, machine, median

FULL = {
    "corpus_mb": 20, "read_mb": 20, "read_runs": 3, "cpca_mb": 20, "jionlp_kb": 64, "peer_runs": 3,
    "levels": True, "profile_mb": 2, "scale_sizes": [1, 4, 16], "scale_runs": 3, "national": True,
    "single_doc_kb": [100, 200, 400], "startup_runs": 5, "serve_runs": 3, "serve_seconds": 10,
    "serve_connections": 8, "export_runs": 5, "per_document_docs": 60, "per_document_runs": 3,
    "corpus_case": True, "process_mb": 5, "process_runs": 5, "storage_sizes": [5, 50, 500],
    "storage_startup_runs": 3, "storage_features": 100_000,
}
QUICK = {
    "corpus_mb": 20, "read_mb": 0.25, "read_runs": 1, "cpca_mb": 0.25, "jionlp_kb": 2, "peer_runs": 1,
    "levels": False, "profile_mb": 0.1, "scale_sizes": [0.1, 0.4], "scale_runs": 1, "national": False,
    "single_doc_kb": [20, 40], "startup_runs": 1, "serve_runs": 1, "serve_seconds": 1, "serve_connections": 4,
    "export_runs": 1, "per_document_docs": 5, "per_document_runs": 1, "corpus_case": False, "process_mb": 0.25,
    "process_runs": 1, "storage_sizes": [5], "storage_startup_runs": 1, "storage_features": 10_000,
}
SECTIONS = ("reading", "scale", "process", "serving", "exports", "storage")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def attempt(results: dict, key: str, fn, *args, **kwargs):
    """Run one measurement; a failure (a part not finished yet) is recorded, not fatal."""
    log(f"{key} …")
    start = time.perf_counter()
    try:
        results[key] = fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - every failure is reported in the results file
        results[key] = {"error": f"{type(exc).__name__}: {str(exc)[-1500:]}"}
        log(f"{key} FAILED: {results[key]['error'][:300]}")
        traceback.print_exc()
    log(f"{key} done in {time.perf_counter() - start:.1f}s")
    return results[key]


def run_reading(cfg: dict) -> dict:
    out: dict = {}
    sub = in_subprocess
    attempt(out, "govmap_geocode", sub, "benchmarks.reading:govmap_geocode",
            {"size_mb": cfg["read_mb"], "runs": cfg["read_runs"]})
    attempt(out, "govmap_pipeline", sub, "benchmarks.reading:govmap_pipeline",
            {"size_mb": cfg["read_mb"], "runs": cfg["read_runs"]})
    attempt(out, "cpca", sub, "benchmarks.reading:cpca_transform", {"size_mb": cfg["cpca_mb"], "runs": cfg["peer_runs"]})
    for fn in ("parse_location",) if cfg["levels"] is False else ("recognize_location", "parse_location"):
        attempt(out, f"jionlp_{fn}", sub, "benchmarks.reading:jionlp_call",
                {"function": fn, "sample_kb": cfg["jionlp_kb"], "runs": cfg["peer_runs"]})
    attempt(out, "profile", sub, "benchmarks.reading:govmap_profile", {"size_mb": cfg["profile_mb"]})
    if cfg["levels"]:
        attempt(out, "levels", sub, "benchmarks.reading:levels")
    peers = [out[k]["mb_per_s"] for k in ("cpca", "jionlp_recognize_location", "jionlp_parse_location")
             if "mb_per_s" in out.get(k, {})]
    if peers and "mb_per_s" in out.get("govmap_geocode", {}):
        best = max(peers)
        out["ratio_geocode_vs_fastest_peer"] = out["govmap_geocode"]["mb_per_s"] / best
        if "mb_per_s" in out.get("govmap_pipeline", {}):
            out["ratio_pipeline_vs_fastest_peer"] = out["govmap_pipeline"]["mb_per_s"] / best
    return out


def run_scale(cfg: dict) -> dict:
    out: dict = {}
    args = {"sizes": cfg["scale_sizes"], "runs": cfg["scale_runs"], "single_doc_kb": cfg["single_doc_kb"],
            "locate_mb": min(1, cfg["scale_sizes"][-1])}
    attempt(out, "xianan", in_subprocess, "benchmarks.scale:gazetteer_scale", {"which": "xianan", **args})
    if cfg["national"]:
        attempt(out, "national", in_subprocess, "benchmarks.scale:gazetteer_scale", {"which": "national", **args})
    if cfg["national"]:
        for derive in (False, True):
            attempt(out, f"per_document{'_derive' if derive else ''}", in_subprocess, "benchmarks.scale:per_document",
                    {"documents": cfg["per_document_docs"], "runs": cfg["per_document_runs"], "derive": derive})
    if cfg["corpus_case"]:
        for derive in (False, True):
            attempt(out, f"corpus_national{'_derive' if derive else ''}", in_subprocess,
                    "benchmarks.scale:corpus_case", {"which": "national", "derive": derive})
    runs = []
    for _ in range(cfg["startup_runs"]):
        result = attempt(out, "startup_last", in_subprocess, "benchmarks.scale:app_startup")
        if "error" in result:
            break
        runs.append(result)
    out.pop("startup_last", None) if runs else None
    if runs:
        out["startup"] = {"runs": [r["total_to_first_response_s"] for r in runs],
                          "median_s": median([r["total_to_first_response_s"] for r in runs]),
                          "import_s": median([r["import_s"] for r in runs]),
                          "create_app_s": median([r["create_app_s"] for r in runs]),
                          "first_response_s": median([r["first_response_s"] for r in runs]),
                          "second_response_s": median([r["second_response_s"] for r in runs]),
                          "status": runs[-1]["status"], "bytes": runs[-1]["bytes"],
                          "peak_rss_mb": median([r["peak_rss_mb"] for r in runs]), "gazetteer": runs[-1]["gazetteer"]}
    return out


def run_process(cfg: dict) -> dict:
    from benchmarks import process

    out: dict = {}
    attempt(out, "result", process.geocode_vs_cpca, size_mb=cfg["process_mb"], runs=cfg["process_runs"],
            roots=cfg.get("process_roots"))
    return out["result"]


def run_serving(cfg: dict) -> dict:
    from benchmarks import serving

    out: dict = {}
    attempt(out, "result", serving.serve_all, runs=cfg["serve_runs"], seconds=cfg["serve_seconds"],
            connections=cfg["serve_connections"])
    return out["result"]


def run_exports(cfg: dict) -> dict:
    out: dict = {}
    attempt(out, "result", in_subprocess, "benchmarks.exports:export_all", {"runs": cfg["export_runs"]})
    return out["result"]


def run_storage(cfg: dict) -> dict:
    from benchmarks import storage

    out: dict = {}
    attempt(out, "result", storage.storage_all, sizes=cfg["storage_sizes"], startup_runs=cfg["storage_startup_runs"],
            runs=cfg["serve_runs"], seconds=cfg["serve_seconds"], connections=cfg["serve_connections"],
            features=cfg["storage_features"])
    return out["result"]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fast smoke run")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    parser.add_argument("--no-readme", action="store_true", help="do not refresh the README table")
    parser.add_argument("--process-roots", default=None, metavar="LABEL=DIR,…",
                        help="process section: the govmap checkouts to time side by side (this one is labelled "
                             "govmap by default; name it govmap to keep it in the headline)")
    parser.add_argument("--process-runs", type=int, default=None, help="process section: alternating runs")
    options = parser.parse_args(argv)
    cfg = dict(QUICK if options.quick else FULL)
    if options.process_roots:
        cfg["process_roots"] = dict(item.split("=", 1) for item in options.process_roots.split(","))
    if options.process_runs:
        cfg["process_runs"] = options.process_runs
    started = time.perf_counter()
    sections = options.only.split(",")
    partial = sorted(sections) != sorted(SECTIONS)
    results = {"date": dt.datetime.now().isoformat(timespec="seconds"), "mode": "quick" if options.quick else "full",
               "config": cfg, "machine": machine(), "partial": partial, "sections": "-".join(sections)}
    log(f"corpus ({cfg['corpus_mb']} MB) …")
    manifest = corpus.generate(cfg["corpus_mb"])
    results["corpus"] = {k: manifest[k] for k in ("recipe", "seed", "documents", "bytes", "chars", "sha256")}
    loads = [os.getloadavg()]
    for section in sections:
        results[section] = globals()[f"run_{section}"](cfg)
        loads.append(os.getloadavg())
    results["machine"]["loadavg_sections"] = [[round(x, 2) for x in load] for load in loads]
    results["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    results["elapsed_s"] = time.perf_counter() - started
    from benchmarks import report

    md_path = report.write(results)
    if not options.no_readme and not options.quick and not partial:  # a partial run leaves the full table alone
        report.update_readme(results, md_path)
    log(f"wrote {md_path} and {md_path.with_suffix('.json')} in {results['elapsed_s']:.0f}s")
    return results


if __name__ == "__main__":
    main()
