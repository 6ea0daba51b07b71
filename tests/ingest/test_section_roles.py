"""Section roles: problems come only from problem sections or problem-shaped headings; work-approach headings
become report-level measures. Real snippets from the openings (tests/fixtures/openings) beside synthetic
variants of other unit types and numbering styles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ikg.graph.model import Rel
from ikg.ingest.build import build_graph
from ikg.ingest.document import SectionRole
from ikg.ingest.evaluate import score_opening, total_openings
from ikg.ingest.extract.headings import Family, Paragraph, cn_number, heading_at
from ikg.ingest.extract.section_roles import HeadingShapes, classify
from ikg.ingest.normalize import normalize
from ikg.ingest.parse import parse_report

OPENINGS = Path(__file__).resolve().parents[1] / "fixtures" / "openings"
OPENING_STEMS = sorted(p.stem for p in (OPENINGS / "gold").glob("*.json"))

OPENING = (
    "根据县委统一部署，2023年4月6日至5月30日，县委第二巡察组对县XX局党组进行了巡察。现将整改情况通报如下。\n"
)


def _titles(text: str) -> list[str]:
    return [i.title for i in parse_report(OPENING + text, file="t.txt").issues]


# --- every shape of problem heading -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, titles",
    [
        # （一）关于“…”问题 (a procuratorate; categories are the 一、 sections)
        (
            "一、整改工作开展情况\n（一）提高政治站位，压实整改责任。院党组召开会议。\n"
            "二、反馈问题整改落实情况\n（一）关于“检察监督职能发挥不充分”问题\n一是建立台账。二是开展专项监督。\n"
            "（二）关于“案件质量评查不严格”问题\n一是修订评查办法。",
            ["检察监督职能发挥不充分", "案件质量评查不严格"],
        ),
        # 1.针对“…”问题 (real: 000 style, here a bureau)
        (
            "一、组织领导情况\n局党组成立领导小组。\n二、问题整改情况\n（一）关于党的建设方面\n"
            "1.针对“三会一课制度落实不到位”问题。\n整改情况：一是制定计划。\n2.针对“党费收缴不规范”问题。\n整改情况：一是补缴党费。",
            ["三会一课制度落实不到位", "党费收缴不规范"],
        ),
        # 1.关于…的问题 without quotes (a school)
        (
            "一、整改落实情况\n（一）关于教育教学管理方面\n1.关于教师考勤管理不严格的问题。\n一是完善考勤制度。\n"
            "2.关于课后服务收费不规范的问题。\n一是清退收费。",
            ["教师考勤管理不严格", "课后服务收费不规范"],
        ),
        # bare numbered sentences (real: c27, a community)
        (
            "一、落实整改组织情况\n（一）提高政治站位，明确整改职责\n我社区高度重视。\n二、落实整改实施情况\n"
            "（一）聚焦基层贯彻落实党中央重大决策部署及省市区委工作要求情况\n1、上级决策部署落实不彻底。\n"
            "（1）开展基层治理不均衡。\n整改情况：开展专项治理。\n2、为民服务意识不强。\n整改情况：开展走访。",
            ["上级决策部署落实不彻底", "为民服务意识不强"],
        ),
        # 一、关于“…”问题的整改情况: issues at the top level (real: c28, a bureau; here a bank)
        (
            "行党委高度重视，一是统一思想认识，二是加强组织领导。\n"
            "一、关于“信贷风险管控不严”问题的整改情况\n一是修订授信制度。二是开展风险排查。\n"
            "二、关于“选人用人把关不严”问题的整改情况\n一是严格干部考察。",
            ["信贷风险管控不严", "选人用人把关不严"],
        ),
        # 问题1： under a higher level: a sub-problem of the issue, not an issue (real: c03)
        (
            "一、组织整改落实情况\n局党组召开专题会议。\n二、集中整改期内整改进展情况\n"
            "(一)关于上轮巡察反馈问题整改不彻底,个别整改问题反弹回潮方面\n1.关于“乱发滥补现象仍未禁绝”方面\n"
            "问题1:无依据发放各类津补贴和春节慰问费。\n整改情况:一是清查追回。\n完成情况:已完成\n"
            "2.关于“国有资产移交不彻底”方面\n问题2:槐奇岭治超站移交不实。\n整改情况:召开会议。",
            ["乱发滥补现象仍未禁绝", "国有资产移交不彻底"],
        ),
        # 问题一： numbering the problems themselves under a category (a township)
        (
            "一、巡察反馈问题整改情况\n（一）基层党组织建设方面\n问题一：村级党组织换届不规范。\n整改措施：一是规范程序。\n"
            "问题二：党员发展把关不严。\n整改措施：一是严格审查。",
            ["村级党组织换届不规范", "党员发展把关不严"],
        ),
        # a heading ending in 方面 that is itself a problem: its quote is the problem (real: c03, 001)
        (
            "一、问题整改情况\n（一）落实全面从严治党主体责任有缺失方面\n1、关于“廉政风险防控不到位”方面。\n一是排查风险点。\n"
            "2、关于“谈话提醒制度执行不严格”方面。\n一是开展谈话。",
            ["廉政风险防控不到位", "谈话提醒制度执行不严格"],
        ),
        # a heading quoting a rule inside a longer problem (a mass organisation)
        (
            "一、反馈问题整改落实情况\n（一）政治建设方面\n1.落实“第一议题”制度不到位的问题。\n一是制定学习计划。\n"
            "2.“三重一大”决策制度执行不严格的问题。\n一是修订决策制度。\n3.关于“第一议题”学习流于形式的问题。\n一是建立台账。",
            ["落实“第一议题”制度不到位", "“三重一大”决策制度执行不严格", "“第一议题”学习流于形式"],
        ),
    ],
    ids=[
        "cn-paren-quoted",
        "arabic-针对",
        "unquoted-的问题",
        "bare-sentences",
        "top-level-quoted",
        "问题1-sub-problem",
        "问题一-as-issue",
        "方面-problem",
        "quoted-rule-inside",
    ],
)
def test_problem_heading_shapes(body: str, titles: list[str]) -> None:
    assert _titles(body) == titles


CONTENTS = """一、提高政治站位
二、加强组织领导
三、坚持问题导向
(一)聚焦党中央决策部署在基层落实情况方面(7个问题)
(二)聚焦群众身边腐败问题和不正之风方面(11个问题)
四、正视工作差距
中共某某市文联党组关于五届市委第一轮巡察整改进展情况的通报
根据市委统一部署，2022年8月19日至11月15日，市委第三巡察组对市文联党组开展了常规巡察。
一、提高政治站位，统一思想认识
市文联党组高度重视，及时召开会议。
二、加强组织领导，靠实主体责任
成立了整改工作领导小组。
三、坚持问题导向，逐项整改落实
(一)聚焦党中央决策部署在基层落实情况方面
1.学习贯彻党的二十大精神不深入。
整改措施：一是制定学习计划。
2.意识形态工作责任制落实不到位。
整改措施：一是签订责任书。
"""


@pytest.mark.parametrize(
    "body",
    [
        # steps taken under a heading that names the rectification (a hospital)
        "一、巡察整改落实情况\n（一）加强组织领导。成立领导小组。\n（二）健全工作机制。建立台账。",
        # no heading says anything: only problem-shaped headings would count (a township)
        "一、其他事项\n（一）召开专题会议。\n（二）开展集中学习。",
    ],
    ids=["steps-under-problems-heading", "unclear-role"],
)
def test_steps_taken_are_never_problems(body: str) -> None:
    assert _titles(body) == []


def test_contents_list_before_the_title_is_not_structure() -> None:
    doc = parse_report(CONTENTS, file="contents.txt")
    assert [i.title for i in doc.issues] == ["学习贯彻党的二十大精神不深入", "意识形态工作责任制落实不到位"]
    assert [m.text.split("\n")[0] for m in doc.approach_measures] == [
        "提高政治站位，统一思想认识",
        "加强组织领导，靠实主体责任",
    ]


def test_contents_list_alone_gives_no_problems() -> None:
    cut = CONTENTS[: CONTENTS.index("三、坚持问题导向，")]
    assert parse_report(cut, file="contents.txt").issues == ()


# --- section roles ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "section, role",
    [
        # real headings from the openings
        ("一、整改工作组织情况\n区妇联召开专题会议。", SectionRole.APPROACH),
        (
            "一、党委及主要负责人组织落实整改情况\n（一）党委主要负责人组织落实整改工作情况\n1.提高站位抓部署。",
            SectionRole.APPROACH,
        ),
        (
            "一、锚定政治“定盘星”，以最高站位扛起民政巡察整改政治责任\n（一）提高思想认识。",
            SectionRole.APPROACH,
        ),
        (
            "一、坚持把巡视整改作为重大政治任务\n1.提高政治站位，坚决扛起巡视整改政治责任。",
            SectionRole.APPROACH,
        ),
        ("一、反馈意见整改落实情况\n1.关于“妨碍公平竞争问题仍然存在”问题", SectionRole.PROBLEMS),
        ("二、落实整改实施情况\n（一）聚焦基层治理情况\n1、上级决策部署落实不彻底。", SectionRole.PROBLEMS),
        ("（一）在学习贯彻党中央决策部署存在差距方面\n学习不到位。", SectionRole.PROBLEMS),
        # a heading that says results but holds the problems (real: 002)
        ("二、巡查整改的具体成效\n（一）关于“党的领导弱化”问题的整改", SectionRole.PROBLEMS),
        ("三、下一步工作安排\n（一）持续巩固整改成果。", SectionRole.NEXT_STEPS),
        ("四、今后努力方向\n继续努力。", SectionRole.NEXT_STEPS),
        ("二、整改取得的成效\n制度更加健全。", SectionRole.RESULTS),
        ("五、联系方式\n联系电话：0000-1234567。", SectionRole.CONTACT),
        # synthetic: other units, other wording
        ("一、主要做法\n（一）强化组织领导。（二）健全工作机制。", SectionRole.APPROACH),
        ("一、高度重视，迅速部署\n（一）成立领导小组。\n（二）召开动员会议。", SectionRole.APPROACH),
        (
            "一、关于党的领导方面\n（一）党委会议记录不规范的问题。\n1.制定规范。\n2.指定专人。",
            SectionRole.PROBLEMS,
        ),
        ("二、关于基层党组织建设情况\n（一）支部换届不及时的问题。", SectionRole.PROBLEMS),
        ("三、其他事项\n（一）另行安排。", SectionRole.OTHER),
        ("一、关于长效机制建设不健全的问题\n（一）建立制度。", SectionRole.PROBLEMS),
        ("二、关于下一步工作安排不具体等问题的整改情况\n1.细化安排。", SectionRole.PROBLEMS),
    ],
)
def test_section_roles(section: str, role: SectionRole) -> None:
    text = normalize(section).text
    lines = text.split("\n")
    starts = [sum(len(x) + 1 for x in lines[:i]) for i in range(len(lines))]
    heads = [
        h for s, ln in zip(starts, lines, strict=True) if (h := heading_at(text, Paragraph(s, s + len(ln))))
    ]
    assert classify(HeadingShapes(text), heads[0], heads[1:]) is role


def test_work_approach_headings_become_report_measures_not_issues() -> None:
    text = (OPENINGS / "docs" / "c05.txt").read_text(encoding="utf-8")
    doc = parse_report(text, file="c05.txt")
    assert doc.issues == ()
    assert [m.label for m in doc.approach_measures] == ["(一)", "(二)", "(三)", "(四)"]
    assert doc.approach_measures[0].text.startswith("提高思想认识,以高度的政治自觉扛牢主体责任。")
    first = doc.approach_measures[0]
    assert text[first.span.start : first.span.end].startswith("(一)提高思想认识")
    graph = build_graph(doc)
    took = [e for e in graph.edges if e.rel is Rel.TOOK]
    assert len(took) == 4 and {e.src for e in took} == {graph.report.id}
    assert {m.id for m in graph.measures if m.issue_id is None} == {e.dst for e in took}


def test_inline_work_items_are_report_measures() -> None:
    doc = parse_report((OPENINGS / "docs" / "c10.txt").read_text(encoding="utf-8"), file="c10.txt")
    assert [m.label for m in doc.approach_measures] == ["一是", "二是", "三是"]
    assert [s.role for s in doc.sections if s.title] == [SectionRole.APPROACH]


# --- the openings' gold -------------------------------------------------------------------------------------


@pytest.mark.parametrize("stem", OPENING_STEMS)
def test_openings_issue_titles_match_the_gold(stem: str) -> None:
    gold = json.loads((OPENINGS / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
    doc = parse_report((OPENINGS / "docs" / f"{stem}.txt").read_text(encoding="utf-8"), file=f"{stem}.txt")
    score = score_opening(doc, gold)
    assert score.missed == ()
    assert score.false_problems == ()


def test_openings_totals_meet_the_targets() -> None:
    scores = []
    for stem in OPENING_STEMS:
        gold = json.loads((OPENINGS / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
        text = (OPENINGS / "docs" / f"{stem}.txt").read_text(encoding="utf-8")
        scores.append(score_opening(parse_report(text, file=f"{stem}.txt"), gold))
    totals = total_openings(scores)
    assert totals.gold_issues > 0 and totals.issue_recall == 1.0
    assert totals.false_per_document <= 0.05


# --- numbering has no limit (issue 9, row 1) ----------------------------------------------------------------


def test_issue_9_issues_numbered_past_999_keep_their_own_number() -> None:
    lines = ["中共某某县XX局党组关于巡察整改情况的通报", "一、巡察反馈问题整改落实情况"]
    for n in range(1, 2001):
        lines.append(f"{n}.关于“第{n}项工作落实不到位”问题")
        lines.append(f"整改情况：一是制定第{n}项制度。二是开展第{n}次检查。")
    doc = parse_report("\n".join(lines) + "\n", file="many.txt")
    assert [i.number for i in doc.issues] == [str(n) for n in range(1, 2001)]
    assert doc.issues[-1].title == "第2000项工作落实不到位"
    assert all(len(i.measures) == 2 for i in doc.issues)
    assert not any("truncated" in w for w in doc.warnings)
    assert len(build_graph(doc).issues) == 2000


@pytest.mark.parametrize(
    "paragraph, family, number",
    [
        ("1000.关于“问题”", Family.ARABIC, 1000),
        ("（1234）关于“问题”", Family.ARABIC_PAREN, 1234),
        ("一百零五、关于“问题”", Family.CN, 105),
        ("（二十一）关于“问题”", Family.CN_PAREN, 21),
        ("㉑定期检查。", Family.CIRCLED, 21),
        ("问题1:无依据发放津补贴。", Family.LABELLED, 1),
        ("问题十二：党员发展把关不严。", Family.LABELLED, 12),
    ],
)
def test_heading_numbers_have_no_limit(paragraph: str, family: Family, number: int) -> None:
    heading = heading_at(paragraph, Paragraph(0, len(paragraph)))
    assert heading is not None and (heading.family, heading.number) == (family, number)


@pytest.mark.parametrize("paragraph", ["2023、2024年连续两年考核优秀", "问题：整改不到位"])
def test_not_headings_either(paragraph: str) -> None:
    assert heading_at(paragraph, Paragraph(0, len(paragraph))) is None


@pytest.mark.parametrize(
    "text, value",
    [
        ("一百", 100),
        ("一百零五", 105),
        ("三百二十", 320),
        ("九百九十九", 999),
        ("一百十", None),
        ("百", None),
    ],
)
def test_chinese_numbers_past_ninety_nine(text: str, value: int | None) -> None:
    assert cn_number(text) == value


# --- the openings scorer ------------------------------------------------------------------------------------

SCORED = OPENING + (
    "一、反馈问题整改落实情况\n1.关于“财务管理不规范”问题\n一是完善制度。\n2.关于“学习制度落实不到位”问题\n一是制定计划。\n"
    "3.关于“干部"
)


@pytest.mark.parametrize(
    "gold_titles, truncated, missed, false, forgiven",
    [
        (["财务管理不规范", "学习制度落实不到位"], True, (), (), "干部"),
        (["财务管理不规范", "学习制度落实不到位"], False, (), ("干部",), None),
        (["财务管理不规范"], True, (), ("学习制度落实不到位",), "干部"),
        (["财务管理不规范", "考勤不严"], True, ("考勤不严",), ("学习制度落实不到位",), "干部"),
    ],
    ids=["cut-last-forgiven", "whole-text-no-forgiving", "only-last-forgiven", "missed"],
)
def test_opening_scorer_forgives_only_the_last_problem_of_a_cut_text(
    gold_titles: list[str],
    truncated: bool,
    missed: tuple[str, ...],
    false: tuple[str, ...],
    forgiven: str | None,
) -> None:
    doc = parse_report(SCORED, file="s.txt")
    score = score_opening(doc, {"issue_titles": gold_titles, "truncated": truncated})
    assert (score.missed, score.false_problems, score.forgiven) == (missed, false, forgiven)


def test_opening_scorer_unit_is_strict_but_folds_width_and_script() -> None:
    doc = parse_report(SCORED, file="s.txt")
    unit = doc.inspected_unit.value if doc.inspected_unit else None
    assert score_opening(doc, {"inspected_unit": unit}).field("unit").correct
    assert not score_opening(doc, {"inspected_unit": f"某某{unit}"}).field("unit").correct
    folded = score_opening(doc, {"inspection_body": "县委第二巡察组", "issue_titles": ["财务管理不规范 "]})
    assert folded.field("team").correct and folded.missed == ()
