"""Exports: time and size of GeoJSON, GeoPackage and CSV for every layer, against plain geopandas writers.

govmap's writer is :func:`layers.export.export` (RFC 7946 GeoJSON with 7-decimal coordinates, GPKG through
pyogrio, CSV with WKT and lon/lat); the baseline is ``GeoDataFrame.to_file(driver="GeoJSON"/"GPKG")`` and
``DataFrame.to_csv`` of the same frame. Medians of ``runs`` writes to files under ``benchmarks/work/exports``.
"""

from __future__ import annotations

import shutil
import warnings

from benchmarks.common import WORK, median, repeat, timed

OUT = WORK / "exports"
_PLAIN = {"geojson": "GeoJSON", "gpkg": "GPKG"}


def build_state():
    from benchmarks import gazetteers
    from webmap.state import build_state as build

    return build(), gazetteers.SOURCE


def export_all(runs: int = 5) -> dict:
    from layers.export import export

    warnings.simplefilter("ignore")
    state_s, (state, source) = timed(build_state)
    catalogue = state.catalogue
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    layers = {}
    for layer_id in catalogue.ids():
        build_s, frame = timed(catalogue.frame, layer_id)
        row = {"features": len(frame), "frame_s": build_s, "formats": {}}
        for fmt in ("geojson", "gpkg", "csv"):
            path = OUT / f"{layer_id}.{fmt}"

            def ours(path=path, fmt=fmt):
                path.unlink(missing_ok=True)
                export(frame, path, fmt=fmt, layer=layer_id)

            plain_path = OUT / f"{layer_id}.plain.{fmt}"

            def plain(path=plain_path, fmt=fmt):
                path.unlink(missing_ok=True)
                if fmt == "csv":
                    frame.to_wkt().to_csv(path, index=False)
                else:
                    frame.to_file(path, driver=_PLAIN[fmt], layer=layer_id, engine="pyogrio")

            times, _ = repeat(ours, runs, warmup=1)
            plain_times, _ = repeat(plain, runs, warmup=1)
            row["formats"][fmt] = {"s": median(times), "bytes": path.stat().st_size,
                                   "plain_s": median(plain_times), "plain_bytes": plain_path.stat().st_size}
        layers[layer_id] = row
    return {"state_build_s": state_s, "gazetteer": source, "layers": layers}


def tasks_geojson(path) -> dict:
    """Write the tasks layer with govmap's own exporter (the file pygeoapi serves)."""
    from layers.export import export

    state, source = build_state()
    frame = state.catalogue.frame("tasks")
    export(frame, path, fmt="geojson", layer="tasks")
    return {"features": len(frame), "bytes": __import__("os").path.getsize(path), "gazetteer": source}
