"""Writing the results: ``benchmarks/results/<date>-<hostname>.md`` + ``.json``, and the README's table."""

from __future__ import annotations

import json
import re
from pathlib import Path

from benchmarks.common import BENCH, RESULTS

BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"


def _f(value, digits: int = 2, unit: str = "") -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value != value:
            return "–"
        text = f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"
        return text + unit
    return str(value)


def _get(data: dict, *keys, default=None):
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return default
        data = data[key]
    return data


def headline(r: dict) -> list[str]:
    rd, sc, sv, ex = (r.get(k, {}) for k in ("reading", "scale", "serving", "exports"))
    rows = ["| measure | govmap | comparison | ratio / target |", "|---|---|---|---|"]
    geo, pipe = rd.get("govmap_geocode", {}), rd.get("govmap_pipeline", {})
    cpca, jrec, jpar = (rd.get(k, {}) for k in ("cpca", "jionlp_recognize_location", "jionlp_parse_location"))
    if "mb_per_s" in geo:
        ratio = rd.get("ratio_geocode_vs_fastest_peer")
        met = "met" if ratio and ratio >= 10 else "NOT met"
        rows.append(f"| geocode throughput ({_f(geo['mb'], 1)} MB corpus) | {_f(geo['mb_per_s'])} MB/s | "
                    f"cpca {_f(cpca.get('mb_per_s'))} MB/s; jionlp recognize_location "
                    f"{_f(jrec.get('mb_per_s'), 3)} MB/s, parse_location {_f(jpar.get('mb_per_s'), 3)} MB/s "
                    f"(sampled) | {_f(ratio)}× the fastest peer (target ≥10×: {met}) |")
    if "mb_per_s" in pipe:
        rows.append(f"| full pipeline (analyse) | {_f(pipe['mb_per_s'])} MB/s | – | "
                    f"{_f(rd.get('ratio_pipeline_vs_fastest_peer'))}× the fastest peer |")
    if "peak_rss_mb" in geo:
        rows.append(f"| peak RSS, geocode / cpca / jionlp | {_f(geo['peak_rss_mb'], 0)} MB | "
                    f"{_f(cpca.get('peak_rss_mb'), 0)} MB / {_f(jrec.get('peak_rss_mb'), 0)} MB | – |")
    x, n = sc.get("xianan", {}), sc.get("national", {})
    if "find" in x:
        big = max(x["find"], key=float)
        line = f"| recognition ({big} MB), 咸安 gazetteer | {_f(x['find'][big]['mb_per_s'])} MB/s |"
        if "find" in n:
            line += (f" national: {_f(n['find'][big]['mb_per_s'])} MB/s ({_f(n.get('places'), 0)} places) |"
                     f" national/咸安 = {_f(n['find'][big]['mb_per_s'] / x['find'][big]['mb_per_s'])}× |")
        else:
            line += " – | – |"
        rows.append(line)
        if "find" in n:
            rows.append(f"| index build (Recognizer) | 咸安 {_f(x['recognizer_build_s'], 3)} s | national "
                        f"{_f(n['recognizer_build_s'], 2)} s (+{_f(n['index_mb'], 0)} MB) | peak RSS {_f(x.get('peak_rss_mb'), 0)}"
                        f" vs {_f(n.get('peak_rss_mb'), 0)} MB |")
    rows += _national_rows(sc)
    st = sc.get("startup", {})
    if st:
        rows.append(f"| app start-up to first `/` | {_f(st['median_s'])} s | second `/` "
                    f"{_f(st['second_response_s'] * 1e3, 1)} ms (cached) | – |")
    pc = r.get("process", {})
    if "speed_vs_cpca" in pc:
        ratio = pc["speed_vs_cpca"].get("govmap")
        rows.append(f"| whole process `govmap geocode FILE --json` ({_f(pc['mb'], 1)} MB file) | "
                    f"{_f(pc['median_s']['govmap'])} s, {_f(pc['mb_per_s']['govmap'])} MB/s | cpca script "
                    f"{_f(pc['median_s']['cpca'])} s, {_f(pc['mb_per_s']['cpca'])} MB/s | {_f(ratio)}× cpca "
                    f"(floor ≥1×: {'met' if ratio and ratio >= 1 else 'NOT met'}) |")
    items = _get(sv, "govmap", "OGC items ?limit=100") or {}
    pitems = _get(sv, "pygeoapi", "OGC items ?limit=100") or {}
    if "rps" in items:
        met = "met" if pitems.get("rps") is not None and items["rps"] >= pitems["rps"] and items["p99_ms"] < 100 \
            else "NOT met"
        rows.append(f"| items `?limit=100`: rps, p50/p99 | {_f(items['rps'], 1)} rps, {_f(items['p50_ms'], 0)}/"
                    f"{_f(items['p99_ms'], 0)} ms | pygeoapi {_f(pitems.get('rps'), 1)} rps, "
                    f"{_f(pitems.get('p50_ms'), 0)}/{_f(pitems.get('p99_ms'), 0)} ms | "
                    f"{_f(sv.get('items_rps_ratio'))}× (target ≥1× and p99 <100 ms: {met}) |")
    for label in ("planner map /", next((k for k in _get(sv, "govmap", default={}) if k.startswith("township")), "")):
        page = _get(sv, "govmap", label) or {}
        if "rps" in page:
            rows.append(f"| {label}: rps, p50/p99 | {_f(page['rps'], 1)} rps, {_f(page['p50_ms'], 0)}/"
                        f"{_f(page['p99_ms'], 0)} ms | first {_f(page['first_ms'], 0)} ms, then "
                        f"{_f(page['second_ms'], 1)} ms | – |")
    rows += storage_headline(r.get("storage", {}))
    layers = ex.get("layers", {})
    if layers:
        for fmt in ("geojson", "gpkg", "csv"):
            ours = sum(v["formats"][fmt]["s"] for v in layers.values())
            plain = sum(v["formats"][fmt]["plain_s"] for v in layers.values())
            size = sum(v["formats"][fmt]["bytes"] for v in layers.values())
            rows.append(f"| export all {len(layers)} layers, {fmt} | {_f(ours, 3)} s, {_f(size / 1e6, 2)} MB | "
                        f"plain geopandas {_f(plain, 3)} s | {_f(ours / plain if plain else None)}× |")
    return rows


def _national_rows(sc: dict) -> list[str]:
    """Headline rows of the national tree per document and over the 1,037 documents (scale section)."""
    rows = []
    for key, label in (("per_document", ""), ("per_document_derive", ", each deriving 3 places")):
        v = sc.get(key, {})
        if "ratio" in v:
            ms = v["ms_per_document"]
            rows.append(f"| analyse per document, national tree ({v['documents']} documents{label}) | "
                        f"{_f(ms['national'], 1)} ms | 咸安 {_f(ms['xianan'], 1)} ms | national/咸安 = "
                        f"{_f(v['ratio'])}× (target ≤1.5×: {'met' if v['ratio'] <= 1.5 else 'NOT met'}) |")
    for key, label in (("corpus_national", ""), ("corpus_national_derive", ", each deriving 3 places")):
        v = sc.get(key, {})
        if "s" in v:
            rows.append(f"| `build_corpus` of {v['documents']:,} documents, national tree{label} | {_f(v['s'], 1)} s"
                        f" | {_f(v['mb_per_s'])} MB/s; gazetteer build {_f(v['gazetteer_build_s'], 1)} s | – |")
    return rows


def storage_headline(st: dict) -> list[str]:
    """The storage rows of the headline table."""
    rows = []
    for backend in ("sqlite", "postgresql"):
        big = max((int(k.split()[1]) for k in st.get("ingest", {}) if k.startswith(backend)), default=None)
        if big is None:
            continue
        ing = st["ingest"][f"{backend} {big}"]
        rows.append(f"| ingest, {backend} ({big} documents, {_f(ing['mb'], 1)} MB) | {_f(ing['docs_per_s'], 1)} docs/s, "
                    f"{_f(ing['mb_per_s'])} MB/s | – | – |")
        ups = {int(k.split()[1]): v["median_s"] for k, v in st.get("startup", {}).items() if k.startswith(backend)}
        worst = max(ups.values()) if ups else None
        rows.append(f"| start-up with N stored documents, {backend} | "
                    + ", ".join(f"N={n}: {_f(s)} s" for n, s in sorted(ups.items()))
                    + f" | first ingest of N={big}: {_f(ing['total_s'], 1)} s | target <2 s: "
                    f"{'met' if worst is not None and worst < 2 else 'NOT met'} |")
    items = st.get("items", {})
    for label in ("limit=100", "limit=100&bbox"):
        ours = items.get(f"govmap {label}", {})
        if "rps" not in ours:
            continue
        pg, gp = items.get(f"pygeoapi sites_pg {label}", {}), items.get(f"pygeoapi sites_gpkg {label}", {})
        met = ours["p99_ms"] < 100 and all(ours["rps"] >= x.get("rps", 0) for x in (pg, gp))
        gpkg = (f"GPKG {_f(gp.get('rps'), 1)} rps, {_f(gp.get('p50_ms'), 0)}/{_f(gp.get('p99_ms'), 0)} ms"
                if gp else "GPKG not run")
        rows.append(f"| items `?{label}` on {items['features']:,} features: rps, p50/p99 | {_f(ours['rps'], 1)} rps, "
                    f"{_f(ours['p50_ms'], 0)}/{_f(ours['p99_ms'], 0)} ms (in-memory catalogue) | pygeoapi PostGIS "
                    f"{_f(pg.get('rps'), 1)} rps, {_f(pg.get('p50_ms'), 0)}/{_f(pg.get('p99_ms'), 0)} ms; {gpkg} | "
                    f"target p99 <100 ms and ≥ pygeoapi: {'met' if met else 'NOT met'} |")
    return rows


def storage_markdown(st: dict) -> list[str]:
    if not st:
        return []
    if "error" in st:
        return ["## Storage", "", f"ERROR: {st['error'][:800]}", ""]
    out = ["## Storage", "", "Ingest (`layers.storage.ingest`, the first N documents of the corpus as .txt files, into "
           "an empty database; read = reading the files, ingest = analysis and writes) and start-up (fresh process, "
           "`create_app()` on that stored database until the test client's first `/`; medians).", "",
           "| backend | N | MB | read s | ingest s | docs/s | MB/s | tasks | start-up s (runs) | create_app s | "
           "first `/` s | peak RSS MB |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for key, ing in st.get("ingest", {}).items():
        up = st.get("startup", {}).get(key, {})
        backend, n = key.split()
        out.append(f"| {backend} | {n} | {_f(ing['mb'], 2)} | {_f(ing['read_s'])} | {_f(ing['ingest_s'])} | "
                   f"{_f(ing['docs_per_s'], 1)} | {_f(ing['mb_per_s'])} | {ing['tasks']:,} | {_f(up.get('median_s'))} "
                   f"({', '.join(_f(x) for x in up.get('runs', []))}) | {_f(up.get('create_app_s'))} | "
                   f"{_f(up.get('first_response_s'))} | {_f(up.get('peak_rss_mb'), 0)} |")
    items = st.get("items", {})
    if items and "error" not in items:
        out += ["", f"OGC API items on a synthetic `sites` layer of {items['features']:,} points (see "
                f"`benchmarks/storage.py`): {items['server']}; load {items['load_generator']}, {items['connections']} "
                f"connections, {items['seconds']} s × {items['runs']} runs; bbox {items['bbox']}. PostGIS rows written "
                f"in {_f(_get(items, 'postgis', 'write_s'))} s; GeoPackage {_f(_get(items, 'gpkg', 'write_s'))} s, "
                f"{_f((_get(items, 'gpkg', 'bytes') or 0) / 1e6)} MB. Ready: govmap {_f(items.get('govmap_ready_s'))} s, "
                f"pygeoapi {_f(items.get('pygeoapi_ready_s'))} s."
                + (f" pygeoapi on the GeoPackage: not run, {items['gpkg_skipped']}." if items.get("gpkg_skipped") else ""),
                "",
                "| server | query | rps | p50 ms | p99 ms | first ms | bytes | non-2xx |", "|---|---|---|---|---|---|---|---|"]
        for key, v in items.items():
            if isinstance(v, dict) and "rps" in v:
                out.append(f"| {key.rsplit(' ', 1)[0]} | `{key.rsplit(' ', 1)[1]}` | {_f(v['rps'], 1)} | "
                           f"{_f(v['p50_ms'], 1)} | {_f(v['p99_ms'], 1)} | {_f(v['first_ms'], 0)} | {v['bytes']:,} | "
                           f"{v['non2xx']} |")
        out.append("")
        out += [f"- {k}: {_f(v)}×" for k, v in items.items() if k.startswith("ratio")]
    elif items:
        out += ["", f"OGC items at 100k: ERROR {items['error'][:800]}"]
    out.append("")
    return out


def write(r: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = f"{r['date'][:10]}-{r['machine']['hostname']}" + ("-quick" if r["mode"] == "quick" else "") \
        + (f"-{r['sections']}" if r.get("partial") else "")
    json_path = RESULTS / f"{stem}.json"
    json_path.write_text(json.dumps(r, ensure_ascii=False, indent=1, default=str))
    md_path = RESULTS / f"{stem}.md"
    md_path.write_text("\n".join(markdown(r)) + "\n")
    return md_path


def markdown(r: dict) -> list[str]:
    m = r["machine"]
    out = [f"# govmap benchmarks — {r['date']} ({r['mode']} run)", "",
           f"Machine: **{m['cpu']}**, {m['cores']} cores, {m['ram_gb']} GB RAM; {m['platform']}; Python {m['python']}; "
           f"git {m['git']}; host `{m['hostname']}`.", "",
           f"Load average (1/5/15 min) at start {m['loadavg_start']}, after each section {m.get('loadavg_sections')},"
           f" at end {m.get('loadavg_end')} — other work shared the 2 cores when the load exceeds ~0.5.", "",
           "Versions: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + ".", "",
           f"Corpus: recipe {r['corpus']['recipe']}, seed {r['corpus']['seed']}, {r['corpus']['documents']} documents,"
           f" {r['corpus']['bytes'] / 1e6:.2f} MB UTF-8 ({r['corpus']['chars']:,} characters), sha256 "
           f"`{r['corpus']['sha256'][:16]}…`. Run took {r['elapsed_s']:.0f} s.", "",
           "## Headline", "", *headline(r), ""]
    rd = r.get("reading", {})
    if rd:
        out += ["## Reading texts", "",
                "| tool | input | runs (s) | median | throughput | peak RSS | notes |", "|---|---|---|---|---|---|---|"]
        for key in ("govmap_geocode", "govmap_pipeline", "cpca", "jionlp_recognize_location", "jionlp_parse_location"):
            v = rd.get(key, {})
            if "error" in v:
                out.append(f"| {key} | – | – | – | – | – | ERROR {v['error'][:200]} |")
                continue
            if not v:
                continue
            note = v.get("sample") or ""
            if key == "govmap_geocode":
                note = f"resolutions {v.get('resolutions')}; gazetteer: {v.get('gazetteer')}"
            if key == "govmap_pipeline":
                note = (f"{v['tasks']} tasks, {v['statements']} statements, {v['indicators']} indicators, "
                        f"{v['links']} links")
            if key == "cpca":
                note = f"all {v['lines']:,} lines, not sampled"
            out.append(f"| {v['tool']} | {_f(v['mb'], 3)} MB | {', '.join(_f(t) for t in v['runs'])} | "
                       f"{_f(v['median_s'])} s | {_f(v['mb_per_s'], 3)} MB/s | {_f(v.get('peak_rss_mb'), 0)} MB "
                       f"(base {_f(v.get('baseline_rss_mb'), 0)}) | {note} |")
        out += ["", "jionlp was fed a stride sample (every k-th line of the whole corpus); its MB/s is that sample's "
                "size over its time, i.e. an extrapolation to the 20 MB corpus, which would take "
                + ", ".join(f"{k.split('_', 1)[1]} ≈ {20 / rd[k]['mb_per_s'] / 3600:.1f} h" for k in
                            ("jionlp_recognize_location", "jionlp_parse_location") if "mb_per_s" in rd.get(k, {}))
                + ". cpca ran on every line. Peers read line by line (they return one address per line); govmap "
                  "reads whole documents and returns every mention.", ""]
        lv = rd.get("levels", {})
        if "counts" in lv:
            levels = list(next(iter(lv["counts"].values())))
            out += [f"### Distinct names found per level (the 5 sample texts, {lv['lines']} lines, {lv['kb']} KB)", "",
                    "| tool | " + " | ".join(levels) + " |", "|---" * (len(levels) + 1) + "|"]
            for tool, counts in lv["counts"].items():
                out.append(f"| {tool} | " + " | ".join(str(counts[lvl]) for lvl in levels) + " |")
            out.append("| only govmap | " + " | ".join(str(lv["only_govmap"][lvl]) for lvl in levels) + " |")
            out += ["", "govmap examples: " + "; ".join(f"{k}: {'、'.join(v)}" for k, v in lv["govmap_examples"].items()),
                    "", "cpca fills 省/市 from the county it finds (inferred, not read); jionlp parse_location "
                    "returns at most one address per line.", ""]
        pr = rd.get("profile", {})
        if "stages_cumulative_s" in pr:
            out += [f"### Where the pipeline's time goes (cProfile, {pr['mb']} MB, total {_f(pr['total_s'])} s "
                    "under the profiler)", "", "| stage | cumulative s | share |", "|---|---|---|"]
            for stage, seconds in pr["stages_cumulative_s"].items():
                out.append(f"| {stage} | {_f(seconds, 3)} | {seconds / pr['total_s'] * 100:.0f} % |")
            out += ["", "Top self time: " + "; ".join(f"{n} {t}s" for t, n in pr["top_self_s"]), ""]
    sc = r.get("scale", {})
    if sc:
        out += ["## Gazetteer scale", "",
                "| gazetteer | places | names | gazetteer build | Recognizer build | index RSS | " +
                " | ".join(f"find {s} MB" for s in r["config"]["scale_sizes"]) +
                " | locate 1 MB | single document | peak RSS |",
                "|---" * (9 + len(r["config"]["scale_sizes"]) - 1) + "|"]
        for which in ("xianan", "national"):
            v = sc.get(which, {})
            if "error" in v:
                out.append(f"| {which} | ERROR {v['error'][:200]} |")
                continue
            if not v:
                continue
            finds = " | ".join(f"{_f(v['find'][str(s)]['mb_per_s'])} MB/s ({v['find'][str(s)]['mentions']:,} m.)"
                               for s in r["config"]["scale_sizes"] if str(s) in v["find"])
            single = ", ".join(f"{k} KB: {_f(d['mb_per_s'])} MB/s" for k, d in v["single_document"].items())
            out.append(f"| {'咸安' if which == 'xianan' else 'national'} | {v['places']:,} | {v['names']:,} | "
                       f"{_f(v['gazetteer_build_s'])} s | {_f(v['recognizer_build_s'], 3)} s | "
                       f"{_f(v['index_mb'], 0)} MB | {finds} | {_f(v['locate']['mb_per_s'])} MB/s | {single} | "
                       f"{_f(v.get('peak_rss_mb'), 0)} MB |")
        out += ["", "find = `Recognizer.find` over the corpus documents (m. = mentions); locate = recognise + resolve +"
                " unresolved candidates; single document = `locate` on one document of that size (many short "
                "documents vs one long one). The gazetteer build includes reading jionlp's 704k-line tree for the "
                f"national one. 咸安 gazetteer: {_get(sc, 'xianan', 'source')}.", ""]
        st = sc.get("startup")
        if st:
            out += [f"App start-up (fresh process, `create_app()` then the Flask test client's first `/`): median "
                    f"{_f(st['median_s'])} s of {len(st['runs'])} (import {_f(st['import_s'])} s, create_app "
                    f"{_f(st['create_app_s'])} s, first `/` {_f(st['first_response_s'])} s, second `/` "
                    f"{_f(st['second_response_s'] * 1e3, 1)} ms); status {st['status']}, {st['bytes']:,} bytes; "
                    f"peak RSS {_f(st['peak_rss_mb'], 0)} MB.", ""]
    out += _national_section(sc) + _process_section(r.get("process", {}))
    sv = r.get("serving", {})
    if sv and "error" not in sv:
        out += ["## Serving", "", f"{sv['server']}; load: {sv['load_generator']}, {sv['connections']} connections, "
                f"{sv['seconds']} s × {sv['runs']} runs per endpoint, loopback only; medians.", "",
                "| server | endpoint | rps | p50 ms | p99 ms | first request ms | second ms | bytes | non-2xx |",
                "|---|---|---|---|---|---|---|---|---|"]
        for server in ("govmap", "pygeoapi"):
            for label, v in sv.get(server, {}).items():
                if isinstance(v, dict) and "rps" in v:
                    out.append(f"| {server} | {label} | {_f(v['rps'], 1)} | {_f(v['p50_ms'], 1)} | "
                               f"{_f(v['p99_ms'], 1)} | {_f(v['first_ms'], 0)} | {_f(v['second_ms'], 1)} | "
                               f"{v['bytes']:,} | {v['non2xx']} |")
        out += ["", f"Ready (process start → first answer): govmap {_f(_get(sv, 'govmap', 'ready_s'))} s, pygeoapi "
                f"{_f(_get(sv, 'pygeoapi', 'ready_s'))} s. pygeoapi serves the tasks layer exported by "
                f"`layers.export` ({_get(sv, 'pygeoapi', 'layer', 'features')} features, "
                f"{_f((_get(sv, 'pygeoapi', 'layer', 'bytes') or 0) / 1e6)} MB GeoJSON) through its GeoJSON provider.",
                ""]
    elif sv:
        out += ["## Serving", "", f"ERROR: {sv['error'][:500]}", ""]
    ex = r.get("exports", {})
    if ex.get("layers"):
        out += ["## Exports", "", f"State build (gazetteer + corpus + catalogue): {_f(ex['state_build_s'])} s. "
                "Medians; 'plain' = `GeoDataFrame.to_file` (GeoJSON, GPKG via pyogrio) / `to_wkt().to_csv`.", "",
                "| layer | features | frame s | GeoJSON s (plain) | GeoJSON bytes (plain) | GPKG s (plain) | "
                "GPKG bytes (plain) | CSV s (plain) | CSV bytes (plain) |", "|---|---|---|---|---|---|---|---|---|"]
        for layer, v in ex["layers"].items():
            cells = []
            for fmt in ("geojson", "gpkg", "csv"):
                d = v["formats"][fmt]
                cells += [f"{_f(d['s'], 4)} ({_f(d['plain_s'], 4)})", f"{d['bytes']:,} ({d['plain_bytes']:,})"]
            out.append(f"| {layer} | {v['features']:,} | {_f(v['frame_s'], 3)} | " + " | ".join(cells) + " |")
        out.append("")
    elif ex:
        out += ["## Exports", "", f"ERROR: {ex.get('error', '')[:500]}", ""]
    out += storage_markdown(r.get("storage", {}))
    return out


def _national_section(sc: dict) -> list[str]:
    """Per-document ``analyse`` with the national tree vs 咸安, and the whole corpus as one ``Corpus``."""
    keys = [k for k in ("per_document", "per_document_derive", "corpus_national", "corpus_national_derive") if k in sc]
    if not keys:
        return []
    out = ["### The national tree per document", "", "| measure | documents | 咸安 | national | ratio | runs |",
           "|---|---|---|---|---|---|"]
    for key in keys:
        v = sc[key]
        if "error" in v:
            out.append(f"| {key} | ERROR {v['error'][:200]} |")
        elif "ratio" in v:
            out.append(f"| analyse{' (deriving)' if v['derive'] else ''} | {v['documents']} ({v['mb']} MB) | "
                       f"{_f(v['ms_per_document']['xianan'], 1)} ms | {_f(v['ms_per_document']['national'], 1)} ms | "
                       f"{_f(v['ratio'])}× | {', '.join(_f(x) for x in v['ratio_runs'])} |")
        else:
            out.append(f"| build_corpus{' (deriving)' if v['derive'] else ''} | {v['documents']:,} ({v['mb']} MB) | – |"
                       f" {_f(v['s'], 1)} s ({v['derived']} derived places) | – | 1 |")
    return out + ["", "analyse = `gazetteer.corpus.analyse` per document, 咸安 and national interleaved in one process "
                  "(ratio = national/咸安 total time per run; the first document, which builds the recognisers' "
                  "lazy indexes, is not timed); deriving = each document gets a sentence naming three places the "
                  "gazetteer lacks (`benchmarks.scale.DERIVING`), so each extends it with `with_places`.", ""]


def _process_section(pc: dict) -> list[str]:
    """Whole-process ``govmap geocode`` against a cpca script on the same file."""
    if "error" in pc:
        return ["## Whole process: govmap geocode vs cpca", "", f"ERROR: {pc['error'][:500]}", ""]
    if "median_s" not in pc:
        return []
    out = ["## Whole process: govmap geocode vs cpca", "",
           f"Input `{pc['input']}` ({pc['mb']} MB); each command a fresh process (imports included), runs "
           f"alternating; stdout to /dev/null; govmap checkouts "
           f"{'byte-compiled first, as installed' if pc.get('byte_compiled') else 'run from source'}, each with "
           f"its gazetteer cached by an untimed run.", "",
           "| command | checkout | runs (s) | median | MB/s | speed vs cpca |", "|---|---|---|---|---|---|"]
    for label, runs in pc["runs_s"].items():
        command = pc["commands"].get(label, pc["commands"]["govmap"])
        out.append(f"| {label}: `{command}` | `{pc.get('roots', {}).get(label, '')}` | "
                   f"{', '.join(_f(t) for t in runs)} | {_f(pc['median_s'][label])} s | "
                   f"{_f(pc['mb_per_s'][label])} | {_f(pc['speed_vs_cpca'].get(label, 1.0))}× |")
    return out + [""]


def _previous(md_path: Path) -> tuple[dict, str]:
    """The latest other full run's results and its file name (to fill the sections this run did not measure)."""
    full = sorted(p for p in RESULTS.glob("*.json") if not p.stem.endswith("-quick") and p.stem != md_path.stem)
    return (json.loads(full[-1].read_text()), full[-1].with_suffix(".md").name) if full else ({}, "")


def update_readme(r: dict, md_path: Path) -> None:
    readme = BENCH / "README.md"
    text = readme.read_text() if readme.exists() else f"{BEGIN}\n{END}\n"
    previous, name = _previous(md_path)
    missing = [k for k in ("reading", "scale", "process", "serving", "exports") if k not in r and k in previous]
    carried = (f" Sections not run this time ({', '.join(missing)}) are from [`results/{name}`](results/{name})."
               if missing else "")
    block = "\n".join([BEGIN, "", f"Latest full run: {r['date']} on {r['machine']['cpu']} ({r['machine']['cores']} cores, "
                       f"{r['machine']['ram_gb']} GB), load average at start {r['machine']['loadavg_start']}; "
                       f"details in [`results/{md_path.name}`](results/{md_path.name}).{carried}", "",
                       *headline({**{k: previous[k] for k in missing}, **r}), "", END])
    text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    readme.write_text(text)
