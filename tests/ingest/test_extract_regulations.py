"""Citations: 《》 titles, quoted rule names, document numbers, articles, relations, canonical forms; gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ikg.ingest.extract.regulations import canonical_regulation, find_regulations
from ikg.ingest.normalize import NormalizedText, normalize


def _find(text: str, kind: str | None = None) -> list[str]:
    return [m.title for m in find_regulations(NormalizedText.identity(text)) if kind in (None, m.kind)]


@pytest.mark.parametrize(
    "text, titles",
    [
        ("违反《中华人民共和国会计法》第二十一条", ["中华人民共和国会计法"]),
        (
            "按照《中国共产党巡视工作条例》《中国共产党党内监督条例》《中国共产党党务公开条例(试行)》有关规定",
            ["中国共产党巡视工作条例", "中国共产党党内监督条例", "中国共产党党务公开条例(试行)"],
        ),
        ("选取广州市《南方工报》广告有限公司为我会“粤工惠”号运营第三方", ["南方工报"]),
        ("一是学习《“三重一大”决策制度实施细则》，坚持民主集中制原则", ["“三重一大”决策制度实施细则"]),
        # 001: a garbled citation with no closing 》; the title after the inner `<` is kept
        (
            "离退休人员、病退的参照《黑龙江省总工会黑工办发<黑龙江省中央财政专项帮扶资金使用管理和档案管理实施细则(试行)"
            "[2020]26号文件,第五条特殊帮扶对象予以帮扶。",
            ["黑龙江省中央财政专项帮扶资金使用管理和档案管理实施细则(试行)"],
        ),
        ("本院印发《关于印发〈审判委员会工作规则〉的通知》", ["关于印发〈审判委员会工作规则〉的通知"]),
        ("要求科级干部回国后7日内将《出国（境）回执单》交办公室", ["出国（境）回执单"]),
        ("没有书名号的普通句子。", []),
    ],
)
def test_bracketed_titles(text: str, titles: list[str]) -> None:
    assert _find(text, "title") == titles


@pytest.mark.parametrize(
    "text, rules",
    [
        ("落实“三重一大”制度不到位", ["三重一大"]),
        ("针对“党组执行‘三重一大’有偏差”的问题", ["三重一大"]),  # nested single quotes
        ("建立健全“第一议题”制度已完成", ["第一议题"]),
        ("履行了涉密人员“先审后用”原则", ["先审后用"]),
        (
            "弛而不息深入推进中央“八项规定”和省委省政府“九项规定”的贯彻落实，紧盯“四风”问题",
            ["八项规定", "九项规定"],
        ),
        ("三是抓好“两个责任”落实。强化对“六大纪律”执行的监督检查", ["两个责任", "六大纪律"]),
        ("资金实行“收支两条线”管理", ["收支两条线"]),
        ("切实增强“四个意识”，推进“两学一做”和“三严三实”专题教育，适时组织“回头看”", []),
        ("督促党员利用“学习强国”等平台，以“钉钉子”精神推进", []),
        # rules the vocabulary does not list, found by shape or by the word after the quote
        ("全面落实“首问负责”制度和“限时办结”要求", ["首问负责", "限时办结"]),
        ("严格执行“五项禁令”，落实“三项纪律”", ["五项禁令", "三项纪律"]),
        ("推行“网上入会”“扫码入会” 等便捷入会方式", []),
    ],
)
def test_named_rules(text: str, rules: list[str]) -> None:
    assert _find(text, "named_rule") == rules


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("根据银发[2024]101号,中国人民银行关于调整设立县域派出机构的通知", ["银发[2024]101号"]),
        ("按照《实施办法(试行)》的通知(黑工办发【2022】16号)文件要求", ["黑工办发【2022】16号"]),
        ("依照粤工发〔2023〕5号文件执行", ["粤工发〔2023〕5号"]),
        ("(试行)[2020]26号文件", []),  # no issuer in front: part of a garbled citation
    ],
)
def test_document_numbers(text: str, numbers: list[str]) -> None:
    assert _find(text, "doc_number") == numbers


@pytest.mark.parametrize(
    "text, relation, article",
    [
        ("三是制定《惠东县总工会2023年职工心理健康服务工作计划》，对党政机关", "establishes", None),
        ("制定并实施了《惠东县总工会采购及进出库工作管理制度（试行）》", "establishes", None),
        ("三是制定了市总工会《党员干部理论学习教育方案》和学习计划", "establishes", None),
        ("11月20日再次印发《天河区总工会货物和服务采购工作管理办法》", "establishes", None),
        (
            "严格执行《惠东县机关事业单位工作人员请休假管理办法（试行）》，完善我会请休假审批流程",
            "cites",
            None,
        ),
        ("严格按照广东省实施《中华人民共和国工会法》办法第三十二条的规定", "cites", "第三十二条"),
        ("认真学习研究《黑龙江省县级以上工会支出管理暂行办法实施细则》", "cites", None),
        ("依据《合同法》对签订的工会大厦出租承包协议进行审核", "cites", None),
        ("判决违反《中华人民共和国民事诉讼法》第一百二十条第二款", "cites", "第一百二十条第二款"),
    ],
)
def test_relation_and_article(text: str, relation: str, article: str | None) -> None:
    first = find_regulations(NormalizedText.identity(text))[0]
    assert (first.relation, first.article) == (relation, article)


def test_a_chain_of_titles_shares_its_verb() -> None:
    text = (
        "进一步修订完善了《定岗定责方案》《合同制人员绩效考核方案》、《合同制人员绩效工资分配办法》等规章制度"
    )
    assert [m.relation for m in find_regulations(NormalizedText.identity(text))] == ["establishes"] * 3


@pytest.mark.parametrize(
    "title, canonical",
    [
        ("党章", "中国共产党章程"),
        ("会计法", "中华人民共和国会计法"),
        ("工会法", "中华人民共和国工会法"),
        ("合同法", "中华人民共和国合同法"),
        ("预算法", "中华人民共和国预算法"),
        ("党委(党组)落实全面从严治党主体责任规定", "党委（党组）落实全面从严治党主体责任规定"),
        ("党委（党组）落实全面从严治党主体责任规定", "党委（党组）落实全面从严治党主体责任规定"),
        ("支部工作条例", "中国共产党支部工作条例（试行）"),
        ("银发[2024]101号", "银发〔2024〕101号"),
        ("黑工办发【2022】16号", "黑工办发〔2022〕16号"),
        ("清远市总工会预算绩效管理暂行办法", "清远市总工会预算绩效管理暂行办法"),
    ],
)
def test_canonical_titles(title: str, canonical: str) -> None:
    assert canonical_regulation(title) == canonical


def test_spans_point_into_the_original_text(corpus_dir: Path) -> None:
    # 003 is PDF text: this title is printed across a line break (…暂 / 行办法)
    text = (corpus_dir / "003_230e05e8743505ae.txt").read_text(encoding="utf-8")
    mentions = find_regulations(normalize(text))
    m = next(m for m in mentions if m.title == "清远市总工会预算绩效管理暂行办法")
    assert "\n" in text[m.span.start : m.span.end]
    assert "".join(text[m.span.start : m.span.end].split()) == m.title
    assert m.relation == "establishes"  # 一是印发《…》、《…》
    for m in mentions:
        assert "".join(text[m.span.start : m.span.end].split()) == "".join(m.title.split())


def _f1(got: list[str], gold: list[str]) -> float:
    tp = len(set(got) & set(gold))
    if not got and not gold:
        return 1.0
    return 2 * tp / (len(set(got)) + len(set(gold)))


def test_regulations_match_gold(corpus_dir: Path, gold_dir: Path) -> None:
    """regulations_all F1 >= 0.95 and named_rules F1 >= 0.8 on every report (measured: 1.0 and 1.0)."""
    for path in sorted(gold_dir.glob("0*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        mentions = find_regulations(normalize((corpus_dir / gold["file"]).read_text(encoding="utf-8")))
        titles = list(dict.fromkeys(m.title for m in mentions if m.kind == "title"))
        rules = list(dict.fromkeys(m.title for m in mentions if m.kind == "named_rule"))
        assert _f1(titles, gold["regulations_all"]) >= 0.95, (gold["file"], titles)
        assert _f1(rules, gold["named_rules"]) >= 0.8, (gold["file"], rules)
        # and each issue's regulations are found in its own text
        issue_titles = {t for c in gold["categories"] for i in c["issues"] for t in i["regulations"]}
        assert issue_titles <= set(titles), gold["file"]
