"""python docs/evaluation/news/score.py SPLIT TAG [-v] (gold made by build.py in /tmp/news).

Score a split with both deployments (咸安 texts: bundled 咸安; the rest: /tmp/deployments/xianning) and merge."""
import json, subprocess, sys, os, collections
split, tag = sys.argv[1], sys.argv[2]
wt = str(__import__("pathlib").Path(__file__).resolve().parents[3])  # the repository
out = {}
for dep, flag in (("xa", []), ("city", ["--deployment", "/tmp/deployments/xianning"])):
    g = f"/tmp/news/{split}/{dep}"
    p = subprocess.run([sys.executable, "-m", "webmap.cli", *flag, "evaluate", "--gold", g, "--texts", g + "/texts"],
                       cwd=wt, env={**os.environ, "PYTHONPATH": wt}, capture_output=True, text=True)
    if p.returncode: print(p.stderr[-3000:]); sys.exit(1)
    out[dep] = json.loads(p.stdout)["places"]
json.dump(out, open(f"/tmp/news/{tag}_{split}.json", "w"), ensure_ascii=False, indent=1)
def merge(rows):
    g = sum(r["gold"] for r in rows); p = sum(r["predicted"] for r in rows)
    hits = sum(round(r["recall"] * r["gold"]) for r in rows)
    ph = sum(round(r["precision"] * r["predicted"]) for r in rows)
    right = sum(round(r["resolution_accuracy"] * round(r["recall"] * r["gold"])) for r in rows)
    return dict(gold=g, predicted=p, P=round(ph / p, 3) if p else 0, R=round(hits / g, 3) if g else 0,
                res=round(right / hits, 3) if hits else 0)
tot = merge([{"gold": o["gold"], "predicted": o["predicted"], "recall": o["recall"], "precision": o["precision"],
              "resolution_accuracy": o["resolution_accuracy"]} for o in out.values()])
wc = [o["with_candidates"] for o in out.values()]
cp = sum(w["predicted"] for w in wc); cph = sum(round(w["precision"] * w["predicted"]) for w in wc)
ch = sum(round(w["recall"] * o["gold"]) for w, o in zip(wc, out.values()))
print(f"{tag} {split}: resolved P {tot['P']} R {tot['R']} (gold {tot['gold']}, predicted {tot['predicted']}) "
      f"| with candidates P {round(cph/cp,3)} R {round(ch/tot['gold'],3)} | resolution {tot['res']}")
for axis in ("by_kind", "by_county"):
    groups = collections.defaultdict(list)
    for o in out.values():
        for k, r in o[axis].items(): groups[k].append(r)
    print(" ", axis, "  ".join(f"{k}:{m['gold']}/R{m['R']}/P{m['P']}/res{m['res']}"
                                for k, m in sorted(((k, merge(v)) for k, v in groups.items()), key=lambda x: -x[1]['gold'])))
if "-v" in sys.argv:
    for dep, o in out.items():
        for key in ("wrong", "missed", "spurious"):
            print(dep, key, len(o[key]))
            for w in o[key]: print("   ", w)
