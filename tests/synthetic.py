"""A small synthetic deployment, built in the tests: 测试县 (990101) of 测试市, 测试省, with two towns, a township,
a subdistrict, a farm and villages; organs 县委/县政府; its own collective phrases. Nothing of 咸安 in it."""

from __future__ import annotations

import json
from pathlib import Path

import shapely
from shapely.geometry import box, mapping

#: The county's box (lon/lat): far from 咸宁, so nothing of the bundled deployment can leak in unnoticed.
COUNTY_BOX = (110.0, 25.0, 110.4, 25.3)

ADMIN = """id,name,kind,parent_id,adcode,level
990000,测试省,province,,990000,province
990100,测试市,city,990000,990100,city
990101,测试县,county,990100,990101,county
990102,邻县,county,990100,990102,county
990101-dongzhen,东镇,town,990101,,township
990101-xizhen,西镇,town,990101,,township
990101-nanxiang,南乡,township,990101,,township
990101-chengguanjiedao,城关街道,subdistrict,990101,,township
990101-guoyingnongchang,国营农场,farm,990101,,township
990101-dongzhen-qingshuicun,清水村,village,990101-dongzhen,,village
990101-xizhen-shanjiaocun,山脚村,village,990101-xizhen,,village
990102-beizhen,北镇,town,990102,,township
"""

SETTINGS = """
[unit]
adcode = "990101"
name = "测试县"
short_name = "测试"
level = "county"
parents = ["990000", "990100"]

[measure]
crs = "EPSG:4546"

[map]
bbox = [110.0, 25.0, 110.4, 25.3]

[organs]
party = "县委"
government = "县政府"
people = "县人民政府"
prefix = "县"
whole = "全县"

[[phrases]]
text = "各乡镇（街道）"
covers = ["town", "township", "subdistrict"]

[[phrases]]
text = "各镇人民政府"
covers = ["town"]

[[phrases]]
text = "相关乡镇（街道）"
covers = ["town", "township", "subdistrict"]
related = true
"""

TASK_PLAN = """测试县2026年政府工作报告重点任务责任分解方案
一、重点工作
（一）实施乡村振兴行动。
1.建设高标准农田2万亩。（责任领导：副县长；牵头单位：县农业农村局；责任单位：各乡镇（街道））
2.完成东镇清水村道路改造。（责任领导：副县长；牵头单位：县交通运输局；责任单位：相关乡镇（街道））
3.推进集镇建设。（责任领导：副县长；牵头单位：县住建局；责任单位：各镇人民政府）
4.整治南乡河道。（责任领导：副县长；牵头单位：县水利局；责任单位：南乡、县委办）
"""


def _feature(properties: dict, geometry) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": mapping(geometry)}


def build(folder: Path) -> Path:
    """Write the deployment into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "deployment.toml").write_text(SETTINGS, encoding="utf-8")
    (folder / "admin.csv").write_text(ADMIN, encoding="utf-8")
    county = box(*COUNTY_BOX)
    neighbour = box(COUNTY_BOX[2], COUNTY_BOX[1], COUNTY_BOX[2] + 0.3, COUNTY_BOX[3])
    city = shapely.union_all([county, neighbour])
    source = "synthetic test polygon"
    counties = [_feature({"id": i, "name": n, "kind": k, "adcode": i, "quality": "open-data", "source": source}, g)
                for i, n, k, g in (("990100", "测试市", "city", city), ("990101", "测试县", "county", county),
                                   ("990102", "邻县", "county", neighbour))]
    (folder / "counties.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": counties}),
                                             encoding="utf-8")
    seats = [_feature({"id": i, "name": n, "kind": "town", "county_id": "990101", "geonames_name": g,
                       "quality": "seat", "source": "synthetic seat"}, shapely.Point(x, y))
             for i, n, g, x, y in (("990101-dongzhen", "东镇", "Dongzhen", 110.3, 25.2),
                                   ("990101-xizhen", "西镇", "Xizhen", 110.1, 25.1))]
    (folder / "seats.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": seats}),
                                          encoding="utf-8")
    (folder / "places.toml").write_text("# curated places of 测试县 (none yet)\n", encoding="utf-8")
    (folder / "texts").mkdir(exist_ok=True)
    (folder / "texts" / "plan.txt").write_text(TASK_PLAN, encoding="utf-8")
    return folder

CITY_PLAN = """测试市2026年重点工作责任分解方案
一、重点工作
1.建设高标准农田20万亩。（责任领导：副市长；牵头单位：市农业农村局；责任单位：各县市区人民政府）
2.建设邻县物流园。（责任领导：副市长；牵头单位：市发改委；责任单位：邻县人民政府、市政府办）
3.治理东镇河道。（责任领导：副市长；牵头单位：市水利局；责任单位：测试县）
"""


def build_city(folder: Path) -> Path:
    """The same data served as the prefecture-level city 测试市, whose units are its two counties."""
    build(folder)
    settings = (SETTINGS.replace('adcode = "990101"', 'adcode = "990100"').replace('name = "测试县"', 'name = "测试市"')
                .replace('level = "county"', 'level = "city"').replace('parents = ["990000", "990100"]',
                                                                       'parents = ["990000"]'))
    settings = settings.replace("县委", "市委").replace("县政府", "市政府").replace("县人民政府", "市人民政府")
    settings = settings.replace('prefix = "县"', 'prefix = "市"').replace('whole = "全县"', 'whole = "全市"')
    settings += '\n[[phrases]]\ntext = "各县市区人民政府"\ncovers = ["county"]\n'
    (folder / "deployment.toml").write_text(settings, encoding="utf-8")
    (folder / "texts" / "plan.txt").write_text(CITY_PLAN, encoding="utf-8")
    return folder
