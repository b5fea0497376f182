"""Turn ann.txt (the mentions of each text, in reading order) into gold ``mentions.jsonl`` files with exact offsets.

    python docs/evaluation/news/build.py TEXTS OUT

TEXTS holds the 32 excerpts (``n01.txt`` …, see README.md; their sha256 are in texts.sha256); OUT receives
``dev/xa``, ``dev/city``, ``test/xa`` and ``test/city`` (gold + texts), one folder per deployment that reads them.
An item of ann.txt is ``surface``, ``surface=name``, with ``:kind`` (else from the name's ending) and ``@county``
(else the text's county); ``~surface`` passes over an occurrence that is not a mention.
"""
import json, sys, collections
from pathlib import Path
HERE = Path(__file__).parent
TEXTS = Path(sys.argv[1])
OUT = Path(sys.argv[2])
CITIES = {"咸宁市","武汉市","岳阳市","黄石市","鄂州市","南昌市","九江市","石家庄市"}
COUNTY = {"cb":"赤壁市","ts":"通山县","tc":"通城县","xn":"咸安区","cy":"崇阳县","jy":"嘉鱼县","xa":"咸安区"}
SUFFIX = [("社区","community"),("村","village"),("街道","subdistrict"),("镇","town"),("乡","township"),("省","province"),
          ("水库","reservoir"),("县","county"),("区","county"),("湖","lake"),("河","river"),("山","mountain"),("岭","mountain")]
TEST = {"n15","n16","n31","n28","n13","n29","n10","n12","n21","n24","n27","n32"}
sources = json.load(open(HERE/"sources.json"))
def kind_of(name):
    if name in CITIES: return "city"
    if name.endswith("市"): return "county"
    for suf, k in SUFFIX:
        if name.endswith(suf): return k
    raise SystemExit(f"no kind for {name}")
rows = []
for line in open(HERE/"ann.txt", encoding="utf-8"):
    if not line.strip(): continue
    doc, rest = line.split(":", 1)
    text = (TEXTS/f"{doc}.txt").read_text(encoding="utf-8")
    pos = 0
    for item in [x.strip() for x in rest.split("|")]:
        skip = item.startswith("~")
        item = item.lstrip("~")
        county = None
        if "@" in item: item, county = item.rsplit("@", 1)
        kind = None
        if ":" in item: item, kind = item.rsplit(":", 1)
        surface, name = (item.split("=", 1) + [None])[:2] if "=" in item else (item, item)
        start = text.find(surface, pos)
        if start < 0: raise SystemExit(f"{doc}: {surface!r} not found after {pos}")
        pos = start + len(surface)
        if skip: continue
        kind = kind or kind_of(name)
        if county is None:
            county = name if kind == "county" else ("" if kind in ("city","province") else COUNTY[sources[doc]["county"]])
        rows.append({"doc": doc, "start": start, "end": pos, "text": surface, "name": name, "kind": kind, "county": county,
                     "split": "test" if doc in TEST else "dev"})
import shutil
for split, dep in [(s, d) for s in ("dev","test") for d in ("xa","city")]:
    d = OUT/split/dep; shutil.rmtree(d, ignore_errors=True); (d/"texts").mkdir(parents=True, exist_ok=True)
    sel = [r for r in rows if r["split"]==split and (sources[r["doc"]]["county"]=="xa") == (dep=="xa")]
    with open(d/"mentions.jsonl","w",encoding="utf-8") as f:
        for r in sel: f.write(json.dumps({k:v for k,v in r.items() if k!="split"}, ensure_ascii=False)+"\n")
    for doc in sorted({r["doc"] for r in sel}):
        (d/"texts"/f"{doc}.txt").write_text((TEXTS/f"{doc}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    print(split, dep, len(sel), collections.Counter(r["kind"] for r in sel).most_common())
    print("  ", collections.Counter(sources[r["doc"]]["county"] for r in sel))
