"""Structure of one issue or category, from real heading and measure snippets of the corpus and variants."""

from __future__ import annotations

import pytest

from ikg.ingest.document import IssueItem, ReportDocument
from ikg.ingest.extract.headings import Family, Paragraph, cn_number, heading_at
from ikg.ingest.parse import parse_report


def _doc(body: str, category: str = "（一）关于落实财务制度规定不到位存在廉政风险方面") -> ReportDocument:
    text = f"二、整改落实情况\n{category}\n{body}\n三、下一步工作安排\n继续巩固整改成果。"
    return parse_report(text, file="snippet.txt")


def _issue(body: str) -> IssueItem:
    issues = _doc(body).issues
    assert len(issues) == 1, [i.title for i in issues]
    return issues[0]


@pytest.mark.parametrize(
    "heading, number, title, parts",
    [
        ("1. 针对“基层工会建设力度不足”问题。", "1", "基层工会建设力度不足", ()),
        ("10.针对“党组执行‘三重一大’有偏差”的问题。", "10", "党组执行‘三重一大’有偏差", ()),
        # 001: a misplaced closing quote; the literal quoted text is the title
        ("2、关于“廉政风险隐患突”出方面。", "2", "廉政风险隐患突", ()),
        (
            "1、关于“‘三会一课’质量不高,会议记录只记会议议题不记研究讨论过程和议事结果”问题整改不到位方面。",
            "1",
            "‘三会一课’质量不高,会议记录只记会议议题不记研究讨论过程和议事结果",
            (),
        ),
        # a label before the problem is not the problem
        ("8.问题：财务报销审核不严", "8", "财务报销审核不严", ()),
        ("3、存在问题：公务用车管理不规范的问题。", "3", "公务用车管理不规范", ()),
        ("9.违规发放津补贴问题（已完成）", "9", "违规发放津补贴", ()),  # the status is read apart
        # 002: the full stop after the number is missing
        ("2针对“财务工作不规范”的问题，一是完善财务管理制度。", "2", "财务工作不规范", ()),
        # 002: two quoted problems in one heading
        (
            "2.针对“经费审批手续不完善”和“财务管理不规范”的问题，一是组织人力集中清查。",
            "2",
            "经费审批手续不完善”和“财务管理不规范",
            ("经费审批手续不完善", "财务管理不规范"),
        ),
        # 004: nested double quotes inside the title
        (
            "15.针对“违规负担非本单位车辆维修费，扩大“三公经费”支出范围”问题。一是制定管理规定。",
            "15",
            "违规负担非本单位车辆维修费，扩大“三公经费”支出范围",
            (),
        ),
        # 004: a title that holds a full stop of its own
        (
            "19.针对“选拔任用干部存在不守规矩的问题。在干部管理上，存在混岗混编使用干部等问题”。一是规范。",
            "19",
            "选拔任用干部存在不守规矩的问题。在干部管理上，存在混岗混编使用干部等问题",
            (),
        ),
        # 003: 关于“…”问题的整改, with a 《》 title inside
        (
            "4.关于“主体责任意识不强，意识形态、统战工作有短板：贯彻落实《中国共产党统一战线工作条例》不到位”问题的整改",
            "4",
            "主体责任意识不强，意识形态、统战工作有短板：贯彻落实《中国共产党统一战线工作条例》不到位",
            (),
        ),
        # full-width full stop after the number
        ("3．针对“干部任免工作不严不实”问题。", "3", "干部任免工作不严不实", ()),
        # no quotes at all: the first clause, without 针对/关于 and 的问题
        ("1.党组会议记录不规范的问题。", "1", "党组会议记录不规范", ()),
        ("2、关于审判执行监督不到位的问题", "2", "审判执行监督不到位", ()),
        # the quote names a rule inside an unquoted problem
        ("3、“三重一大”决策制度执行不严格的问题。", "3", "“三重一大”决策制度执行不严格", ()),
    ],
)
def test_issue_heading(heading: str, number: str, title: str, parts: tuple[str, ...]) -> None:
    issue = _issue(heading)
    assert (issue.number, issue.title, issue.title_parts) == (number, title, parts)


@pytest.mark.parametrize(
    "title, short",
    [
        (
            "主动担当作为不足，推进上级部署和专项工作有差距：在省创新奖考核中长期靠后",
            "在省创新奖考核中长期靠后",
        ),
        ("临时工福利待遇标准不一，有失公平", None),
        (
            "巡察、审计等监督发现问题整改落实情况：对上一轮巡察发现‘未按规定收缴机关工会会员会费’的问题整改不到位",
            "对上一轮巡察发现‘未按规定收缴机关工会会员会费’的问题整改不到位",
        ),
    ],
)
def test_short_title_after_the_category_prefix(title: str, short: str | None) -> None:
    assert _issue(f"1.关于“{title}”问题的整改").short_title == short


@pytest.mark.parametrize(
    "category, title",
    [
        ("（一）关于传导上级决策部署不够有力方面", "关于传导上级决策部署不够有力方面"),
        (
            "(二)落实全面从严治党主体责任有缺失,廉政风险防范意识不强方面。",
            "落实全面从严治党主体责任有缺失,廉政风险防范意识不强方面",
        ),
        ("（一）关于“党的领导弱化”问题的整改", "关于“党的领导弱化”问题的整改"),
        (
            "(五)“一把手”履行第一责任人职责和廉洁自律情况方面。",
            "“一把手”履行第一责任人职责和廉洁自律情况方面",
        ),
        (
            "（一）关于“在发挥党组核心作用和抓党的建设方面，存在力度不够、责任不到位问题”整改情况。",
            "关于“在发挥党组核心作用和抓党的建设方面，存在力度不够、责任不到位问题”整改情况",
        ),
    ],
)
def test_category_title(category: str, title: str) -> None:
    doc = _doc("1.针对“财务制度执行不到位”问题。一是开展自查。", category=category)
    assert [c.title for c in doc.categories] == [title]


@pytest.mark.parametrize(
    "body, labels",
    [
        (
            "1.针对“材料审核不严谨”问题。\n整改情况：一是加强宣传教育。二是严格审核。三是建立台账。",
            ["一是", "二是", "三是"],
        ),
        # 000: ** around labels
        (
            "1.针对“党建工作有待加强”问题。\n整改情况：**一是规范组织生活会。****二是**加强学习。",
            ["一是", "二是"],
        ),
        # 000 issue 2: an unenumerated introduction before 一是
        (
            "2.针对“审计监督不到位”问题。\n整改情况：对于未上交整改报告的单位进行清查。一是专题研究。\n二是约谈提醒。",
            ["一是", "二是"],
        ),
        # 001: a nested 二是…三是 inside 五是 belongs to 五是
        (
            "3、关于“服务保障职工各项权益有差距”方面。\n一是a。\n二是b。\n三是c。\n四是d。\n"
            "五是e，其中二是f，三是g。\n六是h。\n七是i。",
            ["一是", "二是", "三是", "四是", "五是", "六是", "七是"],
        ),
        # 002: the outcome list after 整改成效： is not measures; a verbatim duplicate still counts
        (
            "2.针对“党内监督宽松软”的问题，一是培训。二是沟通。三是规范谈话。四是规范谈话。五是严格执纪。\n"
            "整改成效：一是能力提高。二是制度完善。",
            ["一是", "二是", "三是", "四是", "五是"],
        ),
        # prose only, or only a status: no measures
        ("13.针对“考勤管理不够严格”问题。\n整改情况：严格执行请休假管理办法，完善审批流程。", []),
        ("3.关于“落实意识形态工作责任制不到位”问题的整改\n整改结果：已完成整改，并长期坚持。", []),
        # words that end in 一是 are not labels
        (
            "1.针对“制度落实不到位”问题。\n原因之一是认识不足。统一是必要的。一是完善制度。二是加强督查。",
            ["一是", "二是"],
        ),
        # other enumerations when a report has no 一是
        (
            "1、党组会议记录不规范的问题。\n整改措施：（1）制定规范。（2）指定专人。（3）定期检查。",
            ["（1）", "（2）", "（3）"],
        ),
        ("1、党组会议记录不规范的问题。\n①制定规范；\n②指定专人；\n③定期检查。", ["①", "②", "③"]),
        (
            "1.针对“工作不实”问题。\n十一是错位。一是a。二是b。三是c。四是d。五是e。六是f。七是g。八是h。九是i。十是j。十一是k。",
            ["一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是", "十是", "十一是"],
        ),
    ],
)
def test_measures_are_the_top_level_items(body: str, labels: list[str]) -> None:
    assert [m.label for m in _issue(body).measures] == labels


def test_measure_text_excludes_label_and_outcome() -> None:
    issue = _issue("1.针对“担当作为不到位”的问题，一是督促催缴。二是印制资料。\n整改成效：一是补缴36家。")
    assert [m.text for m in issue.measures] == ["督促催缴。", "印制资料。"]
    assert issue.result is not None and issue.result.value == "一是补缴36家。"


@pytest.mark.parametrize(
    "body, status, deadline",
    [
        (
            "1.关于“帮助困难职工不到位”问题的整改\n整改结果：完成整改。\n整改落实情况：一是慰问。",
            "完成整改",
            None,
        ),
        (
            "1.关于“推进建设滞后”问题的整改\n整改结果：阶段性完成整改，并持续推进。",
            "阶段性完成整改，并持续推进",
            None,
        ),
        (
            "1、审判执行监督不到位的问题。\n整改措施：（1）完善机制。\n整改时限：2022年12月底。\n整改结果：已完成整改。",
            "已完成整改",
            "2022年12月底",
        ),
        ("1.针对“财务制度执行不到位”问题。\n一是开展自查。\n已完成整改。", "已完成整改", None),
        # 001: a measure's deadline is not an issue status
        (
            "1、关于“学习贯彻不深入”方面。\n一是建立制度已完成,完成时限:立行立改 长期坚持\n二是学习。",
            None,
            "立行立改 长期坚持",
        ),
        ("1.针对“出入境管理执行不严”问题。\n整改情况：一是加强备案信息管理。", None, None),
        # the status in brackets closing the issue's last line
        ("1.针对“违规公款吃喝”问题。一是立案审查；二是收缴违纪款4.8万元。（已完成）", "已完成", None),
        ("1.针对“资产闲置”问题。\n一是开展清查。\n二是盘活资产。(持续推进)\n", "持续推进", None),
        # an unlabelled sentence closing the issue
        (
            "1.关于“校外培训治理不彻底”的问题\n一是专项整治；二是建立平台。目前正在持续推进。",
            "正在持续推进",
            None,
        ),
        ("1.关于“礼金”的问题\n一是诫勉谈话。\n二是警示教育。\n该问题已完成整改。\n", "已完成整改", None),
        # no deadline label: the date-before inside the status is the deadline
        (
            "1.关于“违规发放加班补贴”的问题\n整改措施：一是清退补贴。\n整改进展：正在推进，2025年6月底前完成。",
            "正在推进，2025年6月底前完成",
            "2025年6月底前",
        ),
        (
            "1.关于“档案管理不规范”的问题\n一是开展清查。\n整改状态：持续推进，计划于2026年3月15日前全部完成。",
            "持续推进，计划于2026年3月15日前全部完成",
            "2026年3月15日前",
        ),
        # a date that is no deadline (已于…完成) stays out
        (
            "1.关于“台账不全”的问题\n一是补建台账。\n整改结果：已于2024年5月完成整改。",
            "已于2024年5月完成整改",
            None,
        ),
    ],
)
def test_status_and_deadline(body: str, status: str | None, deadline: str | None) -> None:
    issue = _issue(body)
    assert (issue.status, issue.deadline) == (status, deadline)


@pytest.mark.parametrize(
    "paragraph, family, number",
    [
        ("一、总体情况", Family.CN, 1),
        ("十二、其他", Family.CN, 12),
        ("（三）关于基层组织建设方面", Family.CN_PAREN, 3),
        ("(五)“一把手”履行职责方面。", Family.CN_PAREN, 5),
        ("1. 针对“问题”。", Family.ARABIC, 1),
        ("2针对“财务工作不规范”的问题", Family.ARABIC, 2),
        ("17．针对“问题”", Family.ARABIC, 17),
        ("（1）关于“问题”", Family.ARABIC_PAREN, 1),
        ("③定期检查。", Family.CIRCLED, 3),
    ],
)
def test_heading_shapes(paragraph: str, family: Family, number: int) -> None:
    heading = heading_at(paragraph, Paragraph(0, len(paragraph)))
    assert heading is not None and (heading.family, heading.number) == (family, number)


@pytest.mark.parametrize(
    "paragraph", ["2.61%的资金用于维权", "2023 年县工会报送创新项目", "一是加强学习", "11 月 3 日"]
)
def test_not_headings(paragraph: str) -> None:
    assert heading_at(paragraph, Paragraph(0, len(paragraph))) is None


@pytest.mark.parametrize(
    "text, value", [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("二十三", 23), ("十十", None)]
)
def test_chinese_numbers(text: str, value: int | None) -> None:
    assert cn_number(text) == value


@pytest.mark.parametrize("closing", ["（已完成）", "目前已完成整改。"])
def test_a_closing_status_is_not_part_of_the_last_measure(closing: str) -> None:
    issue = _issue(f"1.针对“违规公款吃喝”问题。一是立案审查；二是收缴违纪款4.8万元。{closing}")
    assert [m.text for m in issue.measures] == ["立案审查；", "收缴违纪款4.8万元。"]
