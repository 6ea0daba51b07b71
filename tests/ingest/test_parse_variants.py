"""Reports the parser has not seen: other units, numbering styles, PDF-wrapped copies, cut and empty texts."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ikg.ingest.document import ReportDocument
from ikg.ingest.normalize import normalize
from ikg.ingest.parse import parse_report, parse_source
from ikg.ingest.reader import read_source

COURT = """中共某某县人民法院党组关于县委巡察整改情况的通报

根据县委统一部署，2022年4月6日至5月30日，县委第三巡察组对县人民法院党组进行了巡察。2022年7月12日，县委第三巡察组向县人民法院党组反馈了巡察意见。

一、整改工作总体情况
县法院党组高度重视巡察整改工作，成立整改工作领导小组。
1.提高政治站位。党组召开专题会议研究部署。
2.压实整改责任。逐项明确责任领导和完成时限。

二、反馈问题的整改落实情况
（一）贯彻落实党的路线方针政策方面
1、党组会议记录不规范的问题。
整改措施：（1）制定《党组会议记录规范》。（2）指定专人负责会议记录。（3）每季度检查一次。
整改时限：2022年12月底。
整改结果：已完成整改。
2、审判执行监督不到位的问题。
整改措施：（1）完善审判监督机制。（2）开展案件质量评查。
整改结果：已完成整改，长期坚持。
（二）全面从严治党方面
3、“三重一大”决策制度执行不严格的问题。
整改措施：一是修订《“三重一大”事项集体决策实施办法》。二是重大事项一律提交党组会议集体研究。
整改结果：已完成整改。

三、下一步工作打算
（一）持续巩固整改成果。
（二）建立健全长效机制。

中共某某县人民法院党组
2022年10月8日
"""

# a state-owned enterprise: categories are the top level 一、, issues are （一）, numbering restarts
SOE = """某某投资集团有限公司党委关于巡视整改进展情况的通报

按照省委统一部署，2021年3月15日至5月20日，省委第二巡视组对某某投资集团有限公司党委开展了常规巡视。

一、关于党的领导弱化方面的问题
（一）针对“落实党委前置研究讨论重大经营管理事项要求不到位”问题。整改措施：一是修订党委前置研究事项清单。二是建立前置研究台账。
（二）针对“意识形态工作责任制落实不到位”问题。整改措施：一是制定意识形态工作责任清单；二是每半年专题研究一次。
二、关于党的建设缺失方面的问题
（一）针对“基层党组织设置不规范”问题。整改措施：一是调整优化基层党组织设置。二是按期完成换届。三是配齐党务工作人员。
三、关于全面从严治党不力方面的问题
（一）针对“违规发放津补贴”问题。整改措施：一是全面清退违规发放的津补贴共计12.5万元。二是对相关责任人进行诫勉谈话。

欢迎广大干部群众对巡视整改落实情况进行监督。联系电话：0791-12345678。
"""

# a township: issues numbered （1） with ① measures
TOWNSHIP = """中共某某镇委员会关于巡察整改情况的通报

根据区委统一部署，区委第二巡察组于2023年4月对某某镇党委进行了巡察。

一、巡察整改工作开展情况
镇党委召开专题会议，制定整改方案。

二、巡察反馈问题整改情况
（一）关于学习贯彻习近平新时代中国特色社会主义思想方面
（1）关于“理论学习中心组学习不深入”的问题
①制定年度学习计划；
②每月开展集中学习；
③开展专题研讨。
（2）关于“意识形态阵地管理不严”的问题
①建立阵地管理台账；
②定期开展检查。
（二）关于落实全面从严治党责任方面
（3）关于“村级财务管理不规范”的问题
①开展村级财务专项检查；
②规范村级财务报销流程；
③建立村级财务公开制度。

三、下一步工作打算
镇党委将持续抓好整改。
"""

# a bureau: issues straight under the problem section, no category headings, full-width 1．
BUREAU = """中共某某市审计局党组关于市委巡察整改情况的通报

根据市委统一部署，市委第五巡察组于2020年9月至11月对市审计局党组进行了巡察。

一、整改工作的组织领导
局党组把巡察整改作为重要政治任务。

二、巡察反馈问题的整改情况
1．针对“审计整改跟踪督促不到位”问题。一是建立审计整改台账。二是开展整改情况“回头看”。
2．针对“干部交流轮岗不及时”问题。一是制定干部交流轮岗办法。二是完成12名干部轮岗。三是建立轮岗台账。

三、下一步打算
继续抓好整改落实。
"""


# a water company without quotes: issues （一） read like problems, measures 1. 2. read like steps
UTILITY = """某某水务集团有限公司党委关于巡察整改情况的通报

根据市委统一部署，市委第一巡察组于2022年5月对某某水务集团有限公司党委进行了巡察。

一、关于党的领导方面
（一）党委会议记录不规范的问题。
1.制定党委会议记录规范。
2.指定专人负责会议记录。
（二）重大事项请示报告不及时的问题。
1.建立请示报告台账。
2.开展专项检查。
3.纳入年度考核。
二、关于选人用人方面
（一）干部档案管理不规范的问题。
1.开展干部档案专项审核。
2.补齐缺失材料。

三、下一步工作打算
1.持续巩固整改成果。
2.建立长效机制。
"""


def _outline(doc: ReportDocument) -> list[tuple[str, bool, list[tuple[str, str, int, str | None]]]]:
    return [
        (c.title, c.is_section, [(i.number, i.title, len(i.measures), i.status) for i in c.issues])
        for c in doc.categories
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            COURT,
            [
                (
                    "贯彻落实党的路线方针政策方面",
                    False,
                    [
                        ("1", "党组会议记录不规范", 3, "已完成整改"),
                        ("2", "审判执行监督不到位", 2, "已完成整改，长期坚持"),
                    ],
                ),
                ("全面从严治党方面", False, [("3", "“三重一大”决策制度执行不严格", 2, "已完成整改")]),
            ],
        ),
        (
            SOE,
            [
                (
                    "关于党的领导弱化方面的问题",
                    False,
                    [
                        ("一", "落实党委前置研究讨论重大经营管理事项要求不到位", 2, None),
                        ("二", "意识形态工作责任制落实不到位", 2, None),
                    ],
                ),
                ("关于党的建设缺失方面的问题", False, [("一", "基层党组织设置不规范", 3, None)]),
                ("关于全面从严治党不力方面的问题", False, [("一", "违规发放津补贴", 2, None)]),
            ],
        ),
        (
            TOWNSHIP,
            [
                (
                    "关于学习贯彻习近平新时代中国特色社会主义思想方面",
                    False,
                    [("1", "理论学习中心组学习不深入", 3, None), ("2", "意识形态阵地管理不严", 2, None)],
                ),
                ("关于落实全面从严治党责任方面", False, [("3", "村级财务管理不规范", 3, None)]),
            ],
        ),
        (
            BUREAU,
            [
                (
                    "巡察反馈问题的整改情况",
                    False,
                    [("1", "审计整改跟踪督促不到位", 2, None), ("2", "干部交流轮岗不及时", 3, None)],
                )
            ],
        ),
        (
            UTILITY,
            [
                (
                    "关于党的领导方面",
                    False,
                    [("一", "党委会议记录不规范", 2, None), ("二", "重大事项请示报告不及时", 3, None)],
                ),
                ("关于选人用人方面", False, [("一", "干部档案管理不规范", 2, None)]),
            ],
        ),
    ],
    ids=["court", "soe", "township", "bureau", "utility"],
)
def test_reports_of_other_units(text: str, expected: list[Any]) -> None:
    doc = parse_report(text, file="variant.txt")
    assert _outline(doc) == expected
    assert "truncated" not in " ".join(doc.warnings)


def test_court_deadline_and_cited_rules() -> None:
    doc = parse_report(COURT, file="court.txt")
    first = doc.issues[0]
    assert first.deadline == "2022年12月底"
    assert [m.title for m in first.regulations if m.kind == "title"] == ["党组会议记录规范"]


# --- the corpus in other layouts ---------------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "tests" / "fixtures" / "gold"
STEMS = sorted(p.stem for p in GOLD.glob("0*.json"))


def _gold(stem: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))
    return data


def _gold_outline(gold: dict[str, Any]) -> list[tuple[str, list[tuple[str, str, int]]]]:
    return [
        (c["title"], [(i["number"], i["title"], i["measures"]) for i in c["issues"]])
        for c in gold["categories"]
    ]


def _doc_outline(doc: ReportDocument) -> list[tuple[str, list[tuple[str, str, int]]]]:
    return [(c.title, [(i.number, i.title, len(i.measures)) for i in c.issues]) for c in doc.categories]


def _wrap(paragraph: str, width: int) -> list[str]:
    """Cut like a PDF page does, but never next to a space (a PDF would lose it at the line end)."""
    lines, i = [], 0
    while i < len(paragraph):
        j = min(len(paragraph), i + width)
        while j < len(paragraph) and (paragraph[j - 1] == " " or paragraph[j] == " "):
            j += 1
        lines.append(paragraph[i:j])
        i = j
    return lines


def _pdf_like(text: str, width: int, blank_lines: bool, page_lines: int = 36) -> str:
    """The report re-wrapped at a fixed width, with page numbers and an indented first line per page."""
    out: list[str] = []
    count, page = 0, 1
    for paragraph in normalize(text).text.split("\n"):
        for line in _wrap(paragraph, width):
            if count and count % page_lines == 0:
                out.extend(["", f"- {page} -", ""])
                page += 1
                line = " " + line
            out.append(line)
            if blank_lines:
                out.append("")
            count += 1
    return "\n".join(out)


@pytest.mark.parametrize("stem", STEMS, ids=lambda s: s[:3])
@pytest.mark.parametrize("width, blank_lines", [(22, True), (28, False), (35, True)])
def test_pdf_wrapped_copies_parse_like_the_gold(stem: str, width: int, blank_lines: bool) -> None:
    text = (REPO / "examples" / "reports" / f"{stem}.txt").read_text(encoding="utf-8")
    doc = parse_report(_pdf_like(text, width, blank_lines), file=f"{stem}.txt")
    assert _doc_outline(doc) == _gold_outline(_gold(stem))


def test_truncated_copy_keeps_the_issues_before_the_cut() -> None:
    text = (REPO / "examples" / "reports" / "000_07052eb1f8f2edde.txt").read_text(encoding="utf-8")
    cut = text.index("开展了3场宣传活动")  # inside issue 7's first measure
    doc = parse_report(text[:cut], file="cut.txt")
    gold = _gold("000_07052eb1f8f2edde")
    expected = [(i["number"], i["title"]) for c in gold["categories"] for i in c["issues"]][:7]
    assert [(i.number, i.title) for i in doc.issues] == expected
    assert any("truncated" in w for w in doc.warnings)


def test_heading_cut_inside_its_quote_warns() -> None:
    text = (REPO / "examples" / "reports" / "004_f3b171d41096f4fe.txt").read_text(encoding="utf-8")
    cut = text.index("“机关党委16年") + 5
    doc = parse_report(text[:cut], file="cut.txt")
    assert [i.number for i in doc.issues] == [str(n) for n in range(1, 8)]
    assert any("never closed" in w for w in doc.warnings)
    assert any("truncated" in w for w in doc.warnings)


@pytest.mark.parametrize(
    "text",
    [
        "今天天气很好。我们去公园散步，看到很多人在锻炼身体。\n晚上回家吃饭。",
        "一、总体情况\n成效明显。\n二、下一步工作安排\n（一）继续努力。\n（二）加强学习。",
        "",
    ],
    ids=["prose", "no-problem-sections", "empty"],
)
def test_text_without_structure_is_returned_with_a_warning(text: str) -> None:
    doc = parse_report(text, file="plain.txt")
    assert doc.categories == () and doc.issues == ()
    assert any("structure" in w for w in doc.warnings)


def test_complete_reports_have_no_warnings() -> None:
    for stem in STEMS:
        text = (REPO / "examples" / "reports" / f"{stem}.txt").read_text(encoding="utf-8")
        assert parse_report(text, file=stem).warnings == (), stem


# --- provenance ---------------------------------------------------------------------------------------------

_PAGE_LINE = re.compile(r"[-—]\s*\d+\s*[-—]")


def _printed(original: str) -> str:
    """The original with line breaks, layout and page numbers removed, as the gold README defines it."""
    lines = [ln.strip() for ln in original.split("\n")]
    return "".join(ln for ln in lines if ln and not _PAGE_LINE.fullmatch(ln)).replace("**", "")


@pytest.mark.parametrize("stem", STEMS, ids=lambda s: s[:3])
def test_spans_point_into_the_original(stem: str) -> None:
    source = read_source(REPO / "examples" / "reports" / f"{stem}.txt")
    doc = parse_source(source)
    original = source.text
    assert doc.issues
    for category in doc.categories:
        assert _printed(original[category.span.start : category.span.end]) == category.title
    for issue in doc.issues:
        assert _printed(original[issue.title_span.start : issue.title_span.end]) == issue.title
        assert original.count("\n", 0, issue.title_span.start) + 1 == issue.title_span.line
        assert issue.span.start <= issue.title_span.start < issue.title_span.end <= issue.span.end
        assert _printed(original[issue.span.start : issue.span.end]) == issue.text.replace("\n", "")
        for measure in issue.measures:
            printed = _printed(original[measure.span.start : measure.span.end])
            assert printed.startswith(measure.label) and printed.endswith(measure.text.replace("\n", ""))
            assert issue.span.start <= measure.span.start < measure.span.end <= issue.span.end
        if issue.status:
            assert issue.status in _printed(original[issue.span.start : issue.span.end])
    assert doc.file.endswith(f"{stem}.txt") and doc.encoding == source.encoding


FORM = """中共某某市档案局党组关于市委巡察整改情况的通报
按照市委统一部署，2024年3月11日至5月10日，市委第一巡察组对市档案局党组开展了常规巡察，6月20日反馈了巡察意见。
一、巡察反馈问题整改情况
（一）落实全面从严治党责任方面
1.档案安全管理制度落实不到位。
整改措施：一是开展档案安全专项检查；二是修订档案库房管理办法。
{form}
2.违反中央八项规定精神问题时有发生。
整改措施：一是全面检查公务用车使用情况；二是对2名违规人员给予党内警告处分。
整改进展：已完成整改。
"""


@pytest.mark.parametrize(
    "form",
    [
        "整改时限：2024年12月底前\n责任人：分管副局长\n整改进展：已完成整改。",
        "责任单位：办公室\n牵头领导：党组书记\n完成时限：长期坚持。",
        "责任领导：分管副局长；责任部室：档案管理科\n整改结果：已完成整改。",
    ],
)
def test_form_lines_of_an_issue_are_not_part_of_its_measures(form: str) -> None:
    doc = parse_report(FORM.format(form=form), file="form.txt")
    first, second = doc.issues
    assert [m.text for m in first.measures] == ["开展档案安全专项检查；", "修订档案库房管理办法。"]
    assert len(second.measures) == 2 and second.measures[1].text.endswith("党内警告处分。")


INLINE = """中共某某区卫生健康局党组关于区委巡察整改情况的通报

根据区委统一部署，2024年3月4日至4月26日，区委第二巡察组对区卫生健康局党组开展了常规巡察。2024年5月20日，区委第二巡察组反馈了巡察意见。

一、巡察反馈问题的整改落实情况
（一）落实全面从严治党责任方面
{first}医用耗材采购监管存在漏洞，耗材采购价格高于同期市场价格。
整改措施：1.全面清理2022年以来耗材采购合同，追回违规加价款8.6万元；2.对3名相关责任人进行诫勉谈话；3、出台《医用耗材采购管理办法》。
整改进展：已完成。
{second}违规发放加班补贴。
整改措施：1.清退违规发放的加班补贴1.2万元。2.修订绩效分配方案。
整改进展：已完成。
"""


@pytest.mark.parametrize(
    "first, second",
    [("问题一：", "问题二："), ("1.", "2."), ("1、", "2、"), ("（1）", "（2）")],
    ids=["问题一", "arabic", "arabic-comma", "paren"],
)
def test_inline_numbered_measures_after_a_label_are_split(first: str, second: str) -> None:
    doc = parse_report(INLINE.format(first=first, second=second), file="inline.txt")
    texts = [[m.text for m in issue.measures] for issue in doc.issues]
    assert texts == [
        ["全面清理2022年以来耗材采购合同，追回违规加价款8.6万元；", "对3名相关责任人进行诫勉谈话；",
         "出台《医用耗材采购管理办法》。"],
        ["清退违规发放的加班补贴1.2万元。", "修订绩效分配方案。"],
    ]  # fmt: skip
    assert [m.label for m in doc.issues[0].measures] == ["1.", "2.", "3、"]


SIGNED = """中共某某市审计局党组关于市委巡察整改情况的通报

根据市委统一部署，2024年3月11日至5月10日，市委第三巡察组对市审计局党组开展了常规巡察。2024年6月20日，市委第三巡察组反馈了巡察意见。

一、巡察反馈问题整改情况
（一）落实审计监督职责方面
1.关于“审计整改跟踪督促不到位”的问题
{measures}整改状态：已完成。
2.关于“干部轮岗交流不及时”的问题
一是制定干部交流轮岗工作办法；二是交流轮岗干部11名。

中共某某市审计局党组
2024年12月2日
"""


@pytest.mark.parametrize(
    "measures",
    [
        "第一，建立整改台账，实行销号管理；第二，对整改不力的单位进行约谈；第三，将整改情况纳入绩效考核。",
        "其一，建立整改台账，实行销号管理；其二，对整改不力的单位进行约谈；其三，将整改情况纳入绩效考核。",
        "第一、建立整改台账，实行销号管理；第二、对整改不力的单位进行约谈；第三、将整改情况纳入绩效考核。",
    ],
)
def test_ordinal_words_split_measures_and_a_signature_ends_the_last_issue(measures: str) -> None:
    doc = parse_report(SIGNED.format(measures=measures), file="signed.txt")
    first, last = doc.issues
    assert [m.text for m in first.measures] == [
        "建立整改台账，实行销号管理；",
        "对整改不力的单位进行约谈；",
        "将整改情况纳入绩效考核。",
    ]
    assert doc.warnings == ()  # the signature is a proper end, not a cut
    assert last.text.endswith("交流轮岗干部11名。")
    assert [m.text for m in last.measures][-1] == "交流轮岗干部11名。"


def test_first_time_and_first_team_are_no_measure_labels() -> None:
    measures = "第一时间召开党组会，市委第一、第二巡察组联合督导，建立台账。"
    doc = parse_report(SIGNED.format(measures=measures), file="words.txt")
    assert doc.issues[0].measures == ()


def test_a_problems_own_numbered_facts_are_no_measures() -> None:
    text = INLINE.format(first="1.", second="2.").replace(
        "医用耗材采购监管存在漏洞，耗材采购价格高于同期市场价格。",
        "医用耗材采购监管存在漏洞。存在问题：1.采购价格高于市场价格；2.部分耗材未入库登记。",
    )
    doc = parse_report(text, file="facts.txt")
    assert [m.label for m in doc.issues[0].measures] == ["1.", "2.", "3、"]
    assert doc.issues[0].measures[0].text.startswith("全面清理")


LISTED = """中共某某县文旅局党组关于县委巡察整改情况的通报

根据县委统一部署，2024年4月1日至5月20日，县委第一巡察组对县文旅局党组进行了巡察。

一、整改工作总体情况
局党组召开会议研究部署。

二、巡察反馈问题整改情况
（一）全面从严治党方面
1.关于“公务接待不规范”的问题
整改措施：
一、修订公务接待管理办法；
二、清退超标准接待费0.8万元。
整改结果：已完成。
2.关于“公车私用”的问题
整改措施：一是清退；二是修订。
整改结果：已完成。

三、下一步工作打算
持续巩固整改成果。
"""


def test_measures_numbered_like_sections_stay_in_their_issue() -> None:
    doc = parse_report(LISTED, file="listed.txt")
    first, second = doc.issues
    assert [m.text for m in first.measures] == ["修订公务接待管理办法；", "清退超标准接待费0.8万元。"]
    assert first.status == "已完成" and second.title == "公车私用" and second.status == "已完成"
    assert doc.warnings == ()


def test_a_copy_that_lost_its_line_breaks_parses_like_the_original() -> None:
    listed = "整改措施：\n一、修订公务接待管理办法；\n二、"
    one_paragraph = LISTED.replace(listed, "整改措施：一是修订公务接待管理办法；二是")
    lines = one_paragraph.splitlines()
    flat = lines[0] + "\n" + "".join(line.strip() for line in lines[1:])  # title, then one paragraph
    doc = parse_report(flat, file="flat.txt")
    want = parse_report(one_paragraph, file="lines.txt")
    assert [(i.number, i.title, i.status) for i in doc.issues] == [
        (i.number, i.title, i.status) for i in want.issues
    ]
    measures = [[m.text for m in i.measures] for i in want.issues]
    assert [[m.text for m in i.measures] for i in doc.issues] == measures
    for issue in doc.issues:  # provenance still points into the file as read
        assert flat[issue.span.start :].startswith(issue.number)
        assert flat[issue.title_span.start : issue.title_span.end] == issue.title


BRACKETED = """中共某某市水务局党组关于市委巡察反馈意见整改情况的通报

根据市委统一部署，2024年3月4日至4月30日，市委第二巡察组对市水务局党组开展了常规巡察，6月12日反馈了巡察意见。

一、巡察反馈问题整改情况
（一）落实全面从严治党责任方面
1.关于“工程项目变更审批不规范”的问题
{measures}一是修订《工程变更管理办法》，明确变更审批权限。二是对2022年以来的变更项目逐一复核，追回多付工程款4.6万元。
{result}已完成整改。全年变更项目均按程序审批。
2.关于“河道巡查流于形式”的问题
{measures}1.建立河道巡查电子台账；2.每月通报巡查情况；3.将巡查结果纳入年度考核。
{owner}分管副局长
{due}2024年12月底前
{state}基本完成，持续推进。
"""


@pytest.mark.parametrize(
    "brackets",
    ["【】", "［］", "[]", "〖〗", ""],
    ids=["lenticular", "full-width-square", "square", "white-lenticular", "colon"],
)
def test_form_labels_in_brackets_read_like_labels_with_a_colon(brackets: str) -> None:
    def label(word: str) -> str:
        return f"{brackets[0]}{word}{brackets[1]}" if brackets else f"{word}："

    words = {"measures": "整改措施", "result": "整改成效", "owner": "责任领导", "due": "整改时限"}
    text = BRACKETED.format(**{k: label(w) for k, w in words.items()}, state=label("完成状态"))
    doc = parse_report(text, file="bracketed.txt")
    first, second = doc.issues
    assert [m.text for m in first.measures] == [
        "修订《工程变更管理办法》，明确变更审批权限。",
        "对2022年以来的变更项目逐一复核，追回多付工程款4.6万元。",
    ]
    assert first.status == "已完成整改"  # the outcome opens with the status sentence
    assert first.result is not None and first.result.value == "全年变更项目均按程序审批。"
    assert [m.text for m in second.measures] == [
        "建立河道巡查电子台账；",
        "每月通报巡查情况；",
        "将巡查结果纳入年度考核。",
    ]
    assert second.status == "基本完成，持续推进" and second.deadline == "2024年12月底前"
    original = text
    for issue in doc.issues:  # the label's span still points at the label as printed, brackets and all
        for measure in issue.measures:
            assert original[measure.span.start : measure.span.end].endswith(measure.text)
    if brackets:
        assert doc.issues[1].text.count("整改措施：") == 1  # read as a label, printed in brackets


def test_bracketed_words_that_are_no_form_labels_stay_as_printed() -> None:
    text = BRACKETED.format(
        measures="整改措施：", result="整改成效：", owner="责任领导：", due="整改时限：", state="完成状态："
    )
    text = text.replace("一是修订", "【典型做法】一是修订")
    text = text.replace("4.6万元", "4.6万元（见市水发〔2024〕12号、【2024】3号）")
    doc = parse_report(text, file="words.txt")
    assert "【典型做法】" in doc.issues[0].text and "〔2024〕12号、【2024】3号" in doc.issues[0].text


LABELLED = """中共某某县财政局党组关于县委巡察反馈意见整改落实情况的报告

2024年3月4日至4月26日，县委第一巡察组对县财政局党组进行了常规巡察，并于2024年6月12日反馈了巡察意见。

一、反馈问题整改落实情况
（一）关于落实党中央决策部署不到位方面的问题
{one}补贴资金“一卡通”管理不规范。
整改措施：一是收回违规发放资金5.6万元；二是建立补贴资金发放公示制度。
完成情况：已完成整改。
{two}预算绩效管理流于形式。
整改措施：一是修订预算绩效管理办法；二是对15个部门开展绩效评价。
完成情况：已完成整改。
（二）关于落实全面从严治党主体责任不到位方面的问题
{three}违规报销差旅费1.2万元。
整改措施：一是清退违规报销的差旅费；二是对相关责任人进行批评教育。
完成情况：已完成整改。
"""


@pytest.mark.parametrize("label", ["问题{}.", "问题{}．", "问题{}、", "问题{}：", "问题 {} ："])
@pytest.mark.parametrize("numerals", ["123", "一二三"])
def test_problems_labelled_with_a_number_and_any_stop_are_issues(label: str, numerals: str) -> None:
    one, two, three = (label.format(n) for n in numerals)
    doc = parse_report(LABELLED.format(one=one, two=two, three=three), file="labelled.txt")
    assert [c.title for c in doc.categories] == [
        "关于落实党中央决策部署不到位方面的问题",
        "关于落实全面从严治党主体责任不到位方面的问题",
    ]
    assert [i.title for i in doc.issues] == [
        "补贴资金“一卡通”管理不规范",
        "预算绩效管理流于形式",
        "违规报销差旅费1.2万元",
    ]
    assert [len(i.measures) for i in doc.issues] == [2, 2, 2]


def test_a_wrapped_copy_keeps_labelled_problems_on_lines_of_their_own() -> None:
    """A long line without a full stop continues on the next one, unless that line opens with a label."""
    text = LABELLED.format(one="问题1.", two="问题2.", three="问题3.")
    text = text.replace("公示制度。\n完成情况：已完成整改。\n", "公示制度\n")
    doc = parse_report(text, file="wrapped.txt")
    assert [i.title for i in doc.issues] == [
        "补贴资金“一卡通”管理不规范",
        "预算绩效管理流于形式",
        "违规报销差旅费1.2万元",
    ]
    assert doc.issues[0].measures[-1].text == "建立补贴资金发放公示制度"


TABLE_REPORT = """{h1}中共某某区教育局委员会关于区委巡察反馈问题整改情况的公告

2025年5月12日至6月28日，区委第四巡察组对区教育局党委进行了巡察，8月15日反馈了巡察意见。

{h2}一、整改工作总体情况
局党委召开专题会议研究部署整改工作。

{h2}二、问题整改清单
{rows}

欢迎广大干部群众对巡察整改落实情况进行监督。联系电话：0371-5551234。
"""
TABLE = [
    ["序号", "问题类别", "反馈问题", "整改措施", "责任领导", "整改时限", "完成情况"],
    ["1", "党的领导方面", "理论学习中心组学习计划性不强", "一是制定年度学习计划；二是每季度开展专题研讨",
     "党委书记", "2025年9月", "已完成"],
    ["2", "", "校外培训机构监管不到位", "开展校外培训专项治理，查处违规机构6家",
     "分管副局长", "2025年10月", "已完成"],
    ["3", "全面从严治党方面", "教育经费使用不规范", "一是开展专项审计；二是追回资金3.2万元",
     "分管副局长", "2025年12月", "正在推进"],
]  # fmt: skip


def _table_text(style: str, table: list[list[str]]) -> str:
    if style == "tabs":
        return "\n".join("\t".join(row) for row in table)
    indent = "  " if style == "markdown-indented" else ""
    lines = [indent + "| " + " | ".join(row) + " |" for row in table]
    return "\n".join([lines[0], indent + "|" + "|".join(":---" for _ in table[0]) + "|", *lines[1:]])


@pytest.mark.parametrize("style", ["tabs", "markdown", "markdown-indented"])
def test_a_problem_table_reads_like_numbered_problems_with_their_form(style: str) -> None:
    markdown = style.startswith("markdown")
    h1, h2 = ("# ", "## ") if markdown else ("", "")
    text = TABLE_REPORT.format(h1=h1, h2=h2, rows=_table_text(style, TABLE))
    doc = parse_report(text, file=f"table.{'md' if markdown else 'txt'}")
    assert doc.title is not None and doc.title.value.startswith("中共某某区教育局委员会")
    assert doc.inspected_unit is not None and doc.inspected_unit.value == "某某区教育局"
    assert [c.title for c in doc.categories] == [
        "党的领导方面",
        "全面从严治党方面",
    ]  # the empty cell continues
    assert [[i.title for i in c.issues] for c in doc.categories] == [
        ["理论学习中心组学习计划性不强", "校外培训机构监管不到位"],
        ["教育经费使用不规范"],
    ]
    first, second, third = doc.issues
    assert [m.text for m in first.measures] == ["制定年度学习计划；", "每季度开展专题研讨"]
    assert second.measures == ()  # one unnumbered measure, as the gold counts them
    assert [i.status for i in doc.issues] == ["已完成", "已完成", "正在推进"]
    assert [i.deadline for i in doc.issues] == ["2025年9月", "2025年10月", "2025年12月"]
    assert "分管副局长" not in "".join(m.text for m in third.measures)  # the responsible column is no measure
    for issue in doc.issues:  # provenance: the row of the table in the file
        row = text[issue.title_span.start : issue.title_span.end]
        assert row == issue.title and text.count("\n", 0, issue.title_span.start) + 1 == issue.title_span.line
        for measure in issue.measures:
            assert text[measure.span.start : measure.span.end].endswith(measure.text)


def test_a_table_without_a_number_column_is_numbered_by_its_rows() -> None:
    table = [row[2:] for row in TABLE]  # 反馈问题 | 整改措施 | 责任领导 | 整改时限 | 完成情况
    doc = parse_report(TABLE_REPORT.format(h1="", h2="", rows=_table_text("tabs", table)), file="t.txt")
    assert [(i.number, i.title) for i in doc.issues] == [
        ("1", "理论学习中心组学习计划性不强"),
        ("2", "校外培训机构监管不到位"),
        ("3", "教育经费使用不规范"),
    ]


@pytest.mark.parametrize(
    "rows",
    [
        "联系电话\t电子邮箱\t通讯地址\n0371-5551234\tjyj@example.cn\t某某区人民路1号",  # no problem column
        "序号\t反馈问题\t备注\n1\t学习计划性不强\t无",  # nothing done about it: no measures or status column
    ],
)
def test_tab_separated_lines_that_are_no_problem_table_stay_text(rows: str) -> None:
    doc = parse_report(TABLE_REPORT.format(h1="", h2="", rows=rows), file="t.txt")
    assert doc.issues == () or all("\t" not in i.title for i in doc.issues)
    assert not any(i.title == "学习计划性不强" for i in doc.issues)


def test_a_row_with_an_empty_problem_cell_continues_the_problem_above() -> None:
    table = [*TABLE[:2], ["", "", "", "三是将学习情况纳入年度考核", "", "", ""], *TABLE[2:]]
    doc = parse_report(TABLE_REPORT.format(h1="", h2="", rows=_table_text("tabs", table)), file="t.txt")
    assert [i.title for i in doc.issues] == [
        "理论学习中心组学习计划性不强",
        "校外培训机构监管不到位",
        "教育经费使用不规范",
    ]
    assert "三是将学习情况纳入年度考核" in doc.issues[0].text  # kept with its problem, not lost
    categories = {c.title: c for c in doc.categories}
    for category in doc.categories:  # each issue starts inside the text after its category heading
        assert all(category.span.start < issue.span.start for issue in category.issues)
    assert categories["党的领导方面"].span.line == 10


def test_a_problem_table_in_a_word_file_reads_row_by_row(tmp_path: Path) -> None:
    """A Word table reaches the parser one row a line (cells between tabs); a merged problem cell counts
    once, its later rows continuing it."""
    import docx

    document = docx.Document()
    before, after = TABLE_REPORT.format(h1="", h2="", rows="\0").split("\0")
    for line in before.splitlines():
        if line.strip():
            document.add_paragraph(line.strip())
    extra = ["", "", "", "三是将学习情况纳入年度考核", "", "", ""]
    rows = [*TABLE[:2], extra, *TABLE[2:]]
    table = document.add_table(rows=len(rows), cols=len(TABLE[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value:
                table.cell(r, c).text = value
    table.cell(1, 2).merge(table.cell(2, 2))  # the first problem spans its two measure rows
    table.cell(1, 2).text = TABLE[1][2]
    for line in after.splitlines():
        if line.strip():
            document.add_paragraph(line.strip())
    path = tmp_path / "table.docx"
    document.save(str(path))
    source = read_source(path)
    doc = parse_source(source)
    assert [i.title for i in doc.issues] == [
        "理论学习中心组学习计划性不强",
        "校外培训机构监管不到位",
        "教育经费使用不规范",
    ]
    assert [c.title for c in doc.categories] == ["党的领导方面", "全面从严治党方面"]
    assert "三是将学习情况纳入年度考核" in doc.issues[0].text
    assert [i.status for i in doc.issues] == ["已完成", "已完成", "正在推进"]
    first = doc.issues[0]
    assert source.text[first.title_span.start : first.title_span.end] == first.title


def _table_page(layout: bool) -> str:
    before, after = TABLE_REPORT.format(h1="", h2="", rows="\0").split("\0")
    paragraphs = "".join(f"<p>{line.strip()}</p>" for line in before.splitlines() if line.strip())
    closing = "".join(f"<p>{line.strip()}</p>" for line in after.splitlines() if line.strip())
    rows = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in TABLE)
    table = f"<table border='1'><tbody>{rows}</tbody></table>"
    if layout:  # an older county site: the whole page laid out in a table, which defeats trafilatura
        return f"<html><body><table><tr><td>{paragraphs}{table}{closing}</td></tr></table></body></html>"
    body = f"<article>{paragraphs}{table}{closing}</article>"
    return f"<html><head><title>通报</title></head><body>{body}</body></html>"


@pytest.mark.parametrize("layout", [False, True], ids=["article", "table-layout"])
def test_a_problem_table_on_a_web_page_reads_row_by_row(tmp_path: Path, layout: bool) -> None:
    path = tmp_path / "table.html"
    path.write_text(_table_page(layout), encoding="utf-8")
    doc = parse_source(read_source(path))
    assert [i.title for i in doc.issues] == [
        "理论学习中心组学习计划性不强",
        "校外培训机构监管不到位",
        "教育经费使用不规范",
    ]
    assert [c.title for c in doc.categories] == ["党的领导方面", "全面从严治党方面"]
    assert [i.deadline for i in doc.issues] == ["2025年9月", "2025年10月", "2025年12月"]
