"""Which units a task's 责任单位 list names, read against the deployment: 咸安's phrases and a synthetic county's."""

from __future__ import annotations

import pytest

from gazetteer.corpus import read_corpus
from gazetteer.linking.links import LinkType, Rule
from gazetteer.linking.responsibility import township_links, unit_scope
from gazetteer.model import Document
from gazetteer.places.load import load_gazetteer
from gazetteer.reading.tasks import parse_tasks
from geodata import deployment
from tests import synthetic
from tests.gazetteer.fixtures_text import decomposition  # noqa: F401  (fixture)


@pytest.mark.parametrize(("units", "names", "phrases"), [
    pytest.param(("各乡镇办场", "咸安经济开发区", "咸安商贸物流区"), ("咸安经济开发区", "咸安商贸物流区"), ["各乡镇办场"],
                 id="all-and-zones"),
    pytest.param(("区财政局", "各乡镇办"), (), ["各乡镇办"], id="all-but-farm"),
    pytest.param(("区发改局", "项目沿线乡镇办"), (), ["项目沿线乡镇办"], id="along-the-project"),
    pytest.param(("区档案馆", "相关乡镇办场"), (), ["相关乡镇办场"], id="related"),
    pytest.param(("区林业局", "横沟桥镇", "双溪桥镇"), ("横沟桥镇", "双溪桥镇"), [], id="named-towns"),
    pytest.param(("向阳湖镇", "向阳湖奶牛场"), ("向阳湖镇", "向阳湖奶牛场"), [], id="farm"),
    pytest.param(("浮山街道办事处", "温泉街道"), ("浮山街道办事处", "温泉街道"), [], id="subdistricts"),
    pytest.param(("中国铁塔股份有限公司咸宁市分公司咸安区办事处", "区电信公司", "区委编办", "区市场监管局"), (), [],
                 id="companies-and-departments"),
    pytest.param(("相关乡镇办场", "各乡镇办场"), (), ["相关乡镇办场", "各乡镇办场"], id="both-kept"),
    pytest.param(("各乡镇（办、场）",), (), ["各乡镇(办、场)"], id="full-width-brackets"),
    pytest.param((), (), [], id="none"),
])
def test_unit_scope_in_xianan(units: tuple, names: tuple, phrases: list) -> None:
    found, matched = unit_scope(units, deployment.load())
    assert (found, [p.text for p in matched]) == (names, phrases)


def test_unit_scope_on_task_86(decomposition) -> None:
    task = next(task for task in parse_tasks(decomposition) if task.number == "86")
    names, phrases = unit_scope(task.responsibility.units, deployment.load())
    assert phrases == () and len(names) == 11 and names[-1] == "向阳湖奶牛场"


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return deployment.load(synthetic.build(tmp_path_factory.mktemp("deployment") / "ceshi"))


def test_another_county_uses_its_own_phrases_and_organs(county) -> None:
    names, phrases = unit_scope(("县委办", "县直各单位", "各镇人民政府", "南乡"), county)
    assert names == ("南乡",) and [p.covers for p in phrases] == [frozenset({"town"})]
    # 咸安's phrase means nothing there: it is not a phrase of that deployment.
    assert unit_scope(("各乡镇办场",), county) == ((), ())


def test_a_synthetic_county_links_its_own_towns(county, tmp_path) -> None:
    gazetteer = load_gazetteer(county, user_dir=tmp_path)
    corpus = read_corpus(county.texts(), gazetteer)
    by_number = {t.number: t for t in corpus.tasks.values()}
    assert set(by_number) == {"1", "2", "3", "4"}

    def linked(number: str) -> dict[str, Rule]:
        return {corpus.gazetteer[link.place_id].name: link.rule for link in corpus.links_for_owner(by_number[number].id)
                if link.type == LinkType.RESPONSIBLE}

    # 各乡镇（街道）: every town, township and subdistrict of 测试县, not its farm, not the neighbour's 北镇.
    assert linked("1") == {"东镇": Rule.ALL_BUT_FARM, "西镇": Rule.ALL_BUT_FARM, "南乡": Rule.ALL_BUT_FARM,
                           "城关街道": Rule.ALL_BUT_FARM}
    # 相关乡镇（街道）: the town the text places the task in (清水村 lies in 东镇).
    assert linked("2") == {"东镇": Rule.RELATED_LOCATED}
    assert linked("3") == {"东镇": Rule.ALL_BUT_FARM, "西镇": Rule.ALL_BUT_FARM}
    assert linked("4") == {"南乡": Rule.NAMED_UNIT}


def test_a_city_links_its_counties_never_townships(tmp_path) -> None:
    city = deployment.load(synthetic.build_city(tmp_path / "city"))
    gazetteer = load_gazetteer(city, user_dir=tmp_path / "data")
    corpus = read_corpus(city.texts(), gazetteer)
    by_number = {t.number: t for t in corpus.tasks.values()}

    def linked(number: str) -> dict[str, Rule]:
        return {corpus.gazetteer[link.place_id].name: link.rule for link in corpus.links_for_owner(by_number[number].id)
                if link.type == LinkType.RESPONSIBLE}

    assert [p.name for p in gazetteer.townships()] == ["测试县", "邻县"]
    assert linked("1") == {"测试县": Rule.ALL, "邻县": Rule.ALL}
    assert linked("2") == {"邻县": Rule.NAMED_UNIT}  # 市政府办 is the city's own office
    assert linked("3") == {"测试县": Rule.NAMED_UNIT}


@pytest.mark.parametrize(("unit", "name"), [("经济开发区管委会", "湖北咸安经济开发区"),
                                            ("咸安经济开发区管理委员会", "湖北咸安经济开发区"),
                                            ("向阳湖镇人民政府", "向阳湖镇"), ("向阳湖镇政府", "向阳湖镇")])
def test_a_unit_named_by_its_government_or_its_zone_administration_links_it(unit: str, name: str) -> None:
    gazetteer = load_gazetteer(deployment.load())
    text = f"甲县2025年重点工作责任分解\n1.新建道路10公里。(牵头单位:区交通局;责任单位:{unit})\n"
    task = parse_tasks(Document(id="p", title="", text=text, encoding="utf-8"))[0]
    assert [gazetteer[link.place_id].name for link in township_links(task, gazetteer)] == [name]


def test_a_phrase_with_a_bracketed_addition_is_the_phrase() -> None:
    names, phrases = unit_scope(("区发改局", "各乡镇办场(含开发区)"), deployment.load())
    assert (names, [p.text for p in phrases]) == ((), ["各乡镇办场"])
