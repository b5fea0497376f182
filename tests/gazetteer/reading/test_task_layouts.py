"""Plans laid out as other counties, cities and provinces publish them: one test per layout, asserting the fields.

The texts are made up for the tests (no county's own words); the layouts follow published plans: clause lines
after the task, heading-wide lead units, the first-listed unit leading, tables real and flattened, city plans whose
units are counties, and a 政策解读 about a plan.
"""

from __future__ import annotations

from dataclasses import replace

from gazetteer.model import DeadlineKind, Document
from gazetteer.reading.documents import read_document
from gazetteer.linking.responsibility import unit_scope
from gazetteer.reading.tasks import is_plan, read_tasks
from tests.gazetteer.reading import files
from geodata import deployment
from geodata.deployment import Phrase


def _doc(text: str, title: str = "") -> Document:
    return Document(id="p", title=title, text=text, encoding="utf-8")


def _fields(task) -> tuple:  # noqa: ANN001
    r = task.responsibility
    return task.number, task.section, r.leaders, r.lead_units, r.units


CLAUSE_LINES = """关于印发甲市2025年重点工作任务分解方案的通知
一、提高政治站位。各地各部门要高度重视。
二、严格督办考核。
附件：1.重点工作任务分解方案
2.联系人名单
一、市发改委牵头工作（3项）
1.推进重大项目建设，全年完成投资200亿元。
责任单位：各县市区人民政府
完成时限：2025年12月
2.优化营商环境。
责任单位：市政务服务局、市市场监管局等
完成时限：长期坚持
4.扩大有效需求。
牵头单位：市商务局  配合单位：甲区、乙县人民政府
时间节点：6月底前
"""


def test_clause_lines_heading_lead_unit_and_city_units() -> None:
    reading = read_tasks(_doc(CLAUSE_LINES))
    assert reading.layout == "clause-line"
    assert [_fields(t) for t in reading.tasks] == [
        ("1", ("市发改委牵头工作",), (), ("市发改委",), ("各县市区人民政府",)),
        ("2", ("市发改委牵头工作",), (), ("市发改委",), ("市政务服务局", "市市场监管局")),
        ("4", ("市发改委牵头工作",), (), ("市商务局",), ("甲区", "乙县人民政府")),
    ]
    first, second, third = reading.tasks
    assert first.text == "推进重大项目建设，全年完成投资200亿元。"
    assert (first.deadline.kind, first.deadline.date) == (DeadlineKind.BY_DATE, "2025-12-31")
    assert second.responsibility.open_ended and second.deadline.kind == DeadlineKind.ONGOING
    assert third.deadline.date == "2025-06-30"  # the plan's year, from its title
    assert reading.warnings == ("编号不连续：第2项之后是第4项",)  # the notice's 一、二、 and 附件 1. 2. are not tasks
    # In a county's deployment, a city plan's units are counties and departments, never townships.
    assert unit_scope(first.responsibility.units + third.responsibility.units, deployment.load()) == ((), ())


def test_bracket_clause_leader_heading_and_restarted_numbering() -> None:
    text = """二、王市长主抓重点工作
（1）建设高标准农田10万亩。（责任单位：市农业农村局、市财政局；完成时限：2025年6月底前）
（2）新改建农村公路300公里。（责任单位：市交通运输局；完成时限：年底前）
三、李副市长主抓重点工作
（1）新建保障性住房800套。（牵头单位：市住建局；责任单位：各县市区人民政府）
"""
    reading = read_tasks(_doc(text, title="乙市2025年重点工作分解"))
    assert reading.layout == "bracket-clause"
    assert [(t.id, t.responsibility.leaders, t.responsibility.lead_units) for t in reading.tasks] == [
        ("p.t1", ("王市长",), ()), ("p.t2", ("王市长",), ()), ("p.t1.2", ("李副市长",), ("市住建局",))]
    assert reading.tasks[1].deadline.date == "2025-12-31"


def test_first_listed_unit_leads_when_the_plan_says_so() -> None:
    text = """责任分解中，排在第一位的为牵头单位。
1.推进老旧小区改造。（责任领导：张副区长；责任单位：区住建局、区财政局、各街道）
2.建设口袋公园5个。（责任领导：张副区长；责任单位：区城管局、区自然资源局）
3.新增公办学位2000个。（分管领导：刘副区长；责任单位：区教育局）
"""
    tasks = read_tasks(_doc(text)).tasks
    assert [(t.responsibility.lead_units, t.responsibility.units) for t in tasks] == [
        (("区住建局",), ("区财政局", "各街道")), (("区城管局",), ("区自然资源局",)), (("区教育局",), ())]
    assert tasks[2].responsibility.leaders == ("刘副区长",)


def test_word_table_with_section_row() -> None:
    doc = read_document(files.docx_plan(), doc_id="w")
    reading = read_tasks(doc)
    assert reading.layout == "table"
    assert [_fields(t) for t in reading.tasks] == [
        ("1", ("扩大有效投资",), ("王副县长",), ("县交通运输局",), ("各乡镇人民政府",)),
        ("2", ("扩大有效投资",), ("王副县长",), ("县住建局",), ("城关镇", "河口镇")),  # the leader merged down
    ]
    first = reading.tasks[0]
    assert doc.text[first.span.start:first.span.end].startswith("1\t新建乡村道路12公里。")
    county = replace(deployment.load(), phrases=(Phrase("各乡镇人民政府", frozenset({"town", "township"})),))
    assert unit_scope(reading.tasks[1].responsibility.units, county) == (("城关镇", "河口镇"), ())
    assert unit_scope(first.responsibility.units, county) == ((), county.phrases)


def test_excel_sheet_and_html_table_read_alike() -> None:
    for data in (files.xlsx_plan(), files.html_page()):
        tasks = read_tasks(read_document(data)).tasks
        assert [(t.text, t.responsibility.leaders, t.deadline.date) for t in tasks] == [
            ("新建乡村道路12公里。", ("王副县长",), "2025-06-30"), ("完成老旧小区改造8个。", ("李副县长",), "2025-12-31")]


FLATTENED = """甲县重点任务分解表
序号
工作任务
责任领导
牵头单位
责任单位
完成时限
一、扩大有效投资
1
新建乡村道路12公里。
王副县长
县交通运输局
各乡镇人民政府
2025年6月底前
2
完成老旧小区改造8个。
李副县长
县住建局
城关镇、河口镇
年底前
二、增进民生福祉
3
新建停车位500个。
李副县长
县住建局
持续推进
"""


def test_flattened_table_one_cell_a_line() -> None:
    reading = read_tasks(_doc(FLATTENED, title="甲县2025年重点任务分解表"))
    assert reading.layout == "flattened-table"
    assert [_fields(t) for t in reading.tasks] == [
        ("1", ("扩大有效投资",), ("王副县长",), ("县交通运输局",), ("各乡镇人民政府",)),
        ("2", ("扩大有效投资",), ("李副县长",), ("县住建局",), ("城关镇", "河口镇")),
        ("3", ("增进民生福祉",), ("李副县长",), ("县住建局",), ()),  # a missing cell: the deadline still placed
    ]
    assert reading.tasks[2].deadline.kind == DeadlineKind.ONGOING


def test_a_policy_reading_about_a_plan_is_narrative() -> None:
    text = """《2025年重点工作任务分工方案》政策解读
一、起草背景。为推动目标任务落实，市政府办公室对报告的目标任务进行了细化分解。
二、主要内容。方案分为五个方面79项重点工作任务，每项工作均列出牵头单位、配合单位及完成时限。
1.推进项目建设。（牵头单位：市发改委）
2.优化营商环境。（牵头单位：市政务服务局）
3.扩大有效需求。（牵头单位：市商务局）
"""
    doc = _doc(text, title="《2025年重点工作任务分工方案》政策解读")
    assert not is_plan(doc, read_tasks(doc))
    assert is_plan(_doc(CLAUSE_LINES), read_tasks(_doc(CLAUSE_LINES)))


def test_warnings_for_an_item_without_clause_and_fragments() -> None:
    text = """1.推进项目建设。（牵头单位：市发改委；责任单位：市财政局、和）
2.优化营商环境。
3.扩大有效需求。（牵头单位：市商务局；责任单位：各片区管委会）
"""
    warnings = read_tasks(_doc(text)).warnings
    assert warnings == ("第2项（第35字处）没有责任分工（责任领导、牵头单位、责任单位）",
                        "第1项的单位「和」像是残缺的名称", "第3项的「各片区管委会」是部署未定义的集体称谓")


# -- what real plans of other counties showed (docs/evaluation/plans) -------------------------------------------
BLANK_LINES = """甲县卫健委2025年政府工作报告任务分解

1.推进紧密型县域医共体建设,年内建成3个分院。

牵头责任单位:县卫健委、县医保局

主要协作单位:各乡镇人民政府、经济开发区管委会

2.新建城市书房2处。

牵头责任单位:县文旅局

主要协作单位:县住建局
"""


def test_a_page_saved_with_blank_lines_between_a_task_and_its_clause_lines():
    reading = read_tasks(_doc(BLANK_LINES))
    assert [_fields(t)[2:] for t in reading.tasks] == [
        ((), ("县卫健委", "县医保局"), ("各乡镇人民政府", "经济开发区管委会")), ((), ("县文旅局",), ("县住建局",))]
    assert reading.tasks[0].text == "推进紧密型县域医共体建设,年内建成3个分院。"


def test_a_blank_line_before_a_paragraph_that_is_no_clause_still_ends_the_item():
    text = "甲县2025年重点工作责任分解\n1.新建道路10公里。\n\n道路建设要注重质量。\n牵头单位:县交通局\n"
    assert read_tasks(_doc(text)).tasks == ()


def test_a_decomposition_title_makes_one_task_a_plan_but_not_a_text_about_one():
    text = "二、张三县长牵头重点工作\n1.财政收入与经济增长同步。\n责任单位:县财政局。\n"
    plan = _doc(text, title="甲县人民政府办公室关于印发2025年政府工作报告重点工作责任分解的通知")
    assert is_plan(plan, read_tasks(plan))
    assert _fields(read_tasks(plan).tasks[0])[2:] == (("张三县长",), (), ("县财政局",))
    for title in ("甲县2025年工作要点", "《甲县2025年重点工作责任分解》政策解读"):
        assert not is_plan(_doc(text, title=title), read_tasks(_doc(text, title=title)))


# -- clauses without labels, and tables with leaders' and deadline columns ---------------------------------------
INLINE = """丙县2025年重点工作任务分工
一、扩大有效投资
1.新建乡村道路12公里，改造危桥5座。（县交通运输局牵头，县财政局、各乡镇人民政府按职责分工负责）
2.完成老旧小区改造8个。(县住建局牵头负责,城关镇配合)
3.新增公办学位2000个。由县教育局负责。
4.推进县域医共体建设。县卫健委负总责，县医保局、县财政局参与。
5.开展农村人居环境整治。（县农业农村局、县生态环境分局按职责分工负责）
6.新建城市书房2处。（王副县长牵头，县文旅局负责，2025年6月底前完成）
7.建设智慧停车平台。
（县城管局牵头，县公安局交警大队等单位配合）
"""


def test_clauses_without_labels_lead_take_part_and_name_leaders() -> None:
    reading = read_tasks(_doc(INLINE))
    assert [_fields(t)[2:] for t in reading.tasks] == [
        ((), ("县交通运输局",), ("县财政局", "各乡镇人民政府")),
        ((), ("县住建局",), ("城关镇",)),
        ((), (), ("县教育局",)),                                    # 由X负责: a unit, no lead
        ((), ("县卫健委",), ("县医保局", "县财政局")),                # 负总责 leads, 参与 takes part
        ((), (), ("县农业农村局", "县生态环境分局")),                  # X、Y按职责分工负责: no lead
        (("王副县长",), (), ("县文旅局",)),                           # a person is a leader
        ((), ("县城管局",), ("县公安局交警大队",)),                    # the clause on a line of its own
    ]
    assert [t.text for t in reading.tasks[:3]] == ["新建乡村道路12公里，改造危桥5座。", "完成老旧小区改造8个。",
                                                  "新增公办学位2000个。"]
    assert reading.tasks[5].deadline.date == "2025-06-30"
    assert reading.tasks[6].responsibility.open_ended
    assert is_plan(_doc(INLINE), reading)


def test_prose_with_lead_words_is_no_clause_and_no_plan() -> None:
    news = """市发改委牵头召开重点项目推进会
4月10日，市发改委牵头召开会议，研究部署重点项目建设工作。
1.加快项目前期工作。各牵头单位要负责。
2.强化要素保障。会议由市政府办负责组织。
3.压实工作责任。县政府分线领导牵头负责制要落实到位。
会上，市住建局、市交通局分别作了发言。
"""
    doc = _doc(news)
    assert read_tasks(doc).tasks == () and not is_plan(doc, read_tasks(doc))
    notice = ("一、强化责任落实。各牵头单位要切实履行牵头抓总职责，各配合单位要积极配合。\n"
              "二、加强督查。县政府督查室要加强跟踪督办，对工作不力的单位予以通报。\n")
    assert read_tasks(_doc(notice, title="关于做好重点工作的通知")).tasks == ()


def test_a_table_with_a_two_row_header_leaders_units_clause_cells_and_deadlines() -> None:
    expected = [
        ("1", ("产业发展",), ("王副县长",), ("县经开区管委会",), ("县住建局", "县自然资源局")),
        ("2", ("产业发展",), ("王副县长",), ("县招商服务中心",), ("各乡镇",)),  # a unit cell that is a clause
        ("3", ("民生保障",), ("刘副县长",), ("县人社局",), ()),                # 无 names nobody
    ]
    for data in (files.split_header_docx(), files.split_header_xlsx()):
        reading = read_tasks(read_document(data))
        assert [_fields(t) for t in reading.tasks] == expected  # 责任人 yields to 牵头领导; no header row is a task
        assert [t.deadline.date for t in reading.tasks] == ["2025-09-30", "2025-12-31", None]
        assert reading.tasks[2].deadline.kind == DeadlineKind.ONGOING


def test_a_pdf_table_with_a_leaders_column_and_a_clause_cell() -> None:
    tasks = read_tasks(read_document(files.leader_column_pdf())).tasks
    assert [_fields(t)[2:] for t in tasks] == [
        (("王副县长",), ("县经开区管委会",), ("县住建局",)), (("刘副县长",), (), ("县人社局",))]
    assert tasks[0].deadline.date == "2025-09-30"


def test_a_person_column_is_the_leaders_only_without_a_leaders_column() -> None:
    text = ("丁县2025年重点任务分解表\n序号\t重点任务\t牵头单位\t责任人\t完成时限\n"
            "1\t新建道路10公里。\t县交通局\t张局长\t年底前\n2\t改造小区8个。\t县住建局、县城管局按职责分工负责\t李局长\t6月底前\n")
    tasks = read_tasks(_doc(text)).tasks
    assert [_fields(t)[2:] for t in tasks] == [
        (("张局长",), ("县交通局",), ()), (("李局长",), ("县住建局", "县城管局"), ())]  # a lead cell with its verb


def test_a_clause_in_the_tasks_last_sentence_and_a_deadline_before_the_names() -> None:
    text = """戊县2025年民生实事分工
1.新建城乡公交候车亭50个，县交通运输局牵头，各乡镇配合。
2.改造农村供水管网30公里，由县水利局负责。
3.新增托育机构2家。（2025年10月底前，县卫健委牵头，县民政局参与）
"""
    tasks = read_tasks(_doc(text)).tasks
    assert [(t.text, *_fields(t)[3:]) for t in tasks] == [
        ("新建城乡公交候车亭50个", ("县交通运输局",), ("各乡镇",)), ("改造农村供水管网30公里", (), ("县水利局",)),
        ("新增托育机构2家。", ("县卫健委",), ("县民政局",))]
    assert tasks[2].deadline.date == "2025-10-31"


def test_a_flattened_table_whose_header_spanned_two_rows() -> None:
    text = """己县重点任务分解表
序号
工作任务
责任分工
牵头单位
责任单位
完成时限
1
新建乡村道路12公里。
县交通运输局
各乡镇人民政府
2025年6月底前
2
完成老旧小区改造8个。
县住建局
城关镇
年底前
"""
    reading = read_tasks(_doc(text, title="己县2025年重点任务分解表"))
    assert reading.layout == "flattened-table"
    assert [_fields(t)[3:] for t in reading.tasks] == [
        (("县交通运输局",), ("各乡镇人民政府",)), (("县住建局",), ("城关镇",))]
