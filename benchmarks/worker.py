"""``python -m benchmarks.worker module:function '{json args}'`` — one measurement in a fresh process."""

from __future__ import annotations

import importlib
import json
import sys
import warnings

from benchmarks.common import maxrss_mb, rss_mb


def main() -> None:
    warnings.simplefilter("ignore")
    target, raw = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "{}"
    module_name, _, func_name = target.partition(":")
    module = importlib.import_module(module_name)
    baseline = maxrss_mb()
    result = getattr(module, func_name)(**json.loads(raw))
    result = dict(result or {})
    result.setdefault("baseline_rss_mb", round(baseline, 1))
    result["peak_rss_mb"] = round(maxrss_mb(), 1)
    result["end_rss_mb"] = round(rss_mb(), 1)
    sys.stdout.write("\n" + json.dumps({"__bench__": result}, ensure_ascii=False) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
