"""People with roles, organizations and money: tables of real and made-up snippets, then gold P/R floors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ikg.ingest.extract.money import find_money
from ikg.ingest.extract.organizations import find_organizations
from ikg.ingest.extract.people import find_people, merge_people
from ikg.ingest.extract.regions import first_place, place_pattern, spans_after_places
from ikg.ingest.extract.vocab import alternation, load
from ikg.ingest.normalize import NormalizedText, normalize


def _nt(text: str) -> NormalizedText:
    return NormalizedText.identity(text)


@pytest.mark.parametrize(
    "text, people",
    [
        ("党组书记余国平坚决筑牢巡察整改第一责任人责任", [("余国平", "党组书记")]),
        (
            "专门成立由党组书记、区总工会主席陈少龙任组长，班子成员为成员的",
            [("陈少龙", "党组书记、区总工会主席")],
        ),
        (
            " 市纪委监委第三监督检查室主任谢爱军和市纪委监委派驻第四纪检组组长张伟彬到会指导。",
            [("谢爱军", "市纪委监委第三监督检查室主任"), ("张伟彬", "市纪委监委派驻第四纪检组组长")],
        ),
        (
            "，市总工会常务副主席林闻、副主席巫伯池分别两次和高新区管委会副主任胡春龙召开了碰头会",
            [("林闻", "市总工会常务副主席"), ("巫伯池", "副主席"), ("胡春龙", "高新区管委会副主任")],
        ),
        ("认真贯彻省委王宪魁书记关于巡视工作的重要讲话精神", [("王宪魁", "省委书记")]),
        ("下发了艾书琴组长反馈意见", [("艾书琴", "组长")]),
        (
            "市总工会党支部选举产生确定党员赵国徽为组织委员、盖淑荣为宣传委员负责党务工作",
            [("赵国徽", "组织委员"), ("盖淑荣", "宣传委员")],
        ),
        ("四是成立追缴工作小组，由周红云同志主持", [("周红云", None)]),
        ("增强党员主动缴纳党费意识，高堂升等5人未足额缴纳党费", [("高堂升", None)]),
        # no names: verbs and nouns after role words
        ("党组书记牵头，全面统筹推进整改工作。党组书记任组长，其他班子成员任副组长", []),
        ("将联系方式添加到公示栏，完善项目负责人联系方式，已向党组负责人请假", []),
        ("深入学习贯彻习近平新时代中国特色社会主义思想和习近平总书记重要讲话精神", []),
        # other unit types
        ("党组书记、院长李明主持召开审判委员会会议", [("李明", "党组书记、院长")]),
        ("副局长王建国带队走访企业", [("王建国", "副局长")]),
        ("集团董事长刘志强同志带头整改", [("刘志强", "集团董事长")]),
        ("镇党委书记陈国华任组长，镇长黄敏为副组长", [("陈国华", "镇党委书记"), ("黄敏", "镇长")]),
        # people named in the discipline a measure reports
        ("二是给予时任副总经理李明党内严重警告处分。", [("李明", "副总经理")]),
        ("三是对王强进行诫勉谈话，对赵某某作出组织处理。", [("王强", None), ("赵某某", None)]),
        ("给予孙建华政务记过处分", [("孙建华", None)]),
        ("对全体党员进行警示教育，对班子成员进行提醒谈话", []),
        # …after who they are (涉事干部, 问题干部, 违纪党员); no discipline word is a name
        ("对涉事干部王明给予党内警告处分", [("王明", None)]),
        ("对问题干部李某某作出免职处理", [("李某某", None)]),
        ("对违纪党员赵刚给予开除党籍处分", [("赵刚", None)]),
        ("给予党内严重警告处分1人，给予政务警告处分2人", []),
        ("对相关人员进行批评教育", []),
    ],
)
def test_people_and_roles(text: str, people: list[tuple[str, str | None]]) -> None:
    assert [(p.name, p.role) for p in merge_people(find_people(_nt(text)))] == people


def test_first_printed_role_wins() -> None:
    text = "郭长义同志负总责、承担整改工作第一责任。一是工会改革工作，2017年底前完成，整改责任人郭长义；"
    assert [(p.name, p.role) for p in merge_people(find_people(_nt(text)))] == [("郭长义", "整改责任人")]


@pytest.mark.parametrize(
    "text, unit, orgs",
    [
        (
            "同时，督导组与卫健局、教育局等相关部门积极沟通，督促未建立工会组织的卫生院和公立学校于当年内完成建会工作。",
            "惠东县总工会",
            ["卫健局", "教育局"],
        ),
        (
            "积极争取县政府支持，将县工人文化宫阵地建设纳入议事日程。加强与上级工会、县自然资源局、发改局、财政局的沟通",
            "惠东县总工会",
            ["县政府", "县自然资源局", "发改局", "财政局"],
        ),
        (
            "每年定期与纪检、组织、人社、公安等部门沟通。每月定期到乡镇总工会开展督导，经审办积极强化审计成果的运用",
            "惠东县总工会",
            [],
        ),
        (
            "在选举监督小组的有力监督下虎林市远华贸易有限责任公司的基层工会顺利完成了选举",
            "虎林市总工会",
            ["虎林市远华贸易有限责任公司"],
        ),
        ("已协调铁南社区、中心社区两处站点对外开放", "虎林市总工会", ["铁南社区", "中心社区"]),
        (
            "根据银发[2024]101号,中国人民银行关于调整设立县域派出机构的通知。中国人民银行虎林支行工会委员会撤销工会工作已完成。",
            "虎林市总工会",
            ["中国人民银行", "中国人民银行虎林支行工会委员会"],
        ),
        (
            "二是选取广州市《南方工报》广告有限公司为我会“粤工惠”号运营第三方",
            "清远市总工会",
            ["广州市《南方工报》广告有限公司"],
        ),
        (
            "分别是市总维权部的项目、清新区总工会的项目、英德市总工会的项目，并上报至省总办，待省总审定评选。",
            "清远市总工会",
            ["清新区总工会", "英德市总工会", "省总办", "省总"],
        ),
        (
            "多次与省委组织部、省编办沟通，12月5日，请示全国总工会同意，方案报省委改革办。",
            "黑龙江省总工会",
            ["省委组织部", "省编办", "全国总工会", "省委改革办"],
        ),
        (
            "设立了省总工会整改督查工作领导小组，成员由机关党委、办公室、财务部主要负责人组成",
            "黑龙江省总工会",
            [],
        ),
        ("深入推进中央“八项规定”和省委省政府“九项规定”的贯彻落实", "黑龙江省总工会", []),
        ("制定《关于召开黑龙江省人民政府与黑龙江省总工会联席会议工作方案》", "黑龙江省总工会", []),
        (
            "根据县委统一部署，县委第一巡察组对县总工会党组开展了巡察。",
            "惠东县总工会",
            ["县委", "县委第一巡察组"],
        ),
        (
            "在区委的领导下，在区委巡察办的指导和帮助下，广州市区委巡察第13组",
            "广州市天河区总工会",
            ["区委", "区委巡察办", "广州市区委巡察第13组"],
        ),
        # a court, a tax bureau, a state-owned enterprise, a township
        (
            "协调县人民检察院、县公安局和石湾镇人民政府，对石湾镇中心小学开展普法",
            "博罗县人民法院",
            ["县人民检察院", "县公安局", "石湾镇人民政府", "石湾镇中心小学"],
        ),
        (
            "市税务局党委召开会议，走访清远农村商业银行股份有限公司，与市财政局、市审计局联合检查",
            "国家税务总局清远市税务局",
            ["清远农村商业银行股份有限公司", "市财政局", "市审计局"],
        ),
        (
            "广东省交通集团有限公司党委对广东省南粤交通投资建设有限公司开展审计，省国资委派员指导",
            "广东省交通集团有限公司",
            ["广东省南粤交通投资建设有限公司", "省国资委"],
        ),
        (
            "镇党委会同县自然资源局、县财政局和各村委会，落实“四议两公开”",
            "博罗县石湾镇",
            ["县自然资源局", "县财政局"],
        ),
    ],
)
def test_organizations(text: str, unit: str, orgs: list[str]) -> None:
    names = list(dict.fromkeys(o.name for o in find_organizations(_nt(text), unit=unit)))
    assert names == orgs


@pytest.mark.parametrize(
    "text, amounts",
    [
        ("11人已将补助共计3325元返还财务", [("3325元", 3325.0)]),
        ("需补缴企业36家，已补缴金额264.90665万元。", [("264.90665万元", 2649066.5)]),
        ("市总下拨其 30 万工作经费，已投入实体化运作", [("30 万", 300000.0)]),
        ("26处资产租金收入总计达1635万余元，坐收坐支", [("1635万余元", 16350000.0)]),
        ("坐收坐支国有资产承包费500余万元", [("500余万元", 5000000.0)]),
        (
            "高堂升等5人未足额缴纳党费2224.73元，未缴费一人已补缴14.5元",
            [("2224.73元", 2224.73), ("14.5元", 14.5)],
        ),
        ("有3.4万多人参与心理健康服务活动，涉及企业 508 家", []),
        ("追回诉讼费12.5万元，罚没款2亿元", [("12.5万元", 125000.0), ("2亿元", 200000000.0)]),
    ],
)
def test_money(text: str, amounts: list[tuple[str, float]]) -> None:
    assert [(m.text, m.yuan) for m in find_money(_nt(text))] == amounts


def _golds(gold_dir: Path) -> list[dict[str, object]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("0*.json"))]


def test_people_match_gold(corpus_dir: Path, gold_dir: Path) -> None:
    """Names P and R >= 0.9 and roles right for >= 0.9 of found gold people (measured: 1.0, 1.0, 1.0)."""
    tp = found = expected = roles_right = 0
    for gold in _golds(gold_dir):
        nt = normalize((corpus_dir / str(gold["file"])).read_text(encoding="utf-8"))
        got = {p.name: p.role for p in merge_people(find_people(nt))}
        want = {str(p["name"]): p["role"] for p in gold["people"]}  # type: ignore[attr-defined]
        tp += len(got.keys() & want.keys())
        found += len(got)
        expected += len(want)
        roles_right += sum(got[n] == want[n] for n in got.keys() & want.keys())
    assert tp / found >= 0.9 and tp / expected >= 0.9, (tp, found, expected)
    assert roles_right / tp >= 0.9


def test_organizations_match_gold(corpus_dir: Path, gold_dir: Path) -> None:
    """Exact-string micro P and R >= 0.9, and >= 0.8 on each report (measured: P 0.98, R 0.97)."""
    tp = found = expected = 0
    for gold in _golds(gold_dir):
        nt = normalize((corpus_dir / str(gold["file"])).read_text(encoding="utf-8"))
        got = {o.name for o in find_organizations(nt)}
        want = set(gold["organizations"])  # type: ignore[call-overload]
        hit = len(got & want)
        assert hit / len(got) >= 0.8 and hit / len(want) >= 0.8, (gold["file"], got - want, want - got)
        tp, found, expected = tp + hit, found + len(got), expected + len(want)
    assert tp / found >= 0.9 and tp / expected >= 0.9, (tp, found, expected)


def test_money_matches_gold(corpus_dir: Path, gold_dir: Path) -> None:
    """Every amount the gold lists per issue is found, exactly as printed."""
    for gold in _golds(gold_dir):
        nt = normalize((corpus_dir / str(gold["file"])).read_text(encoding="utf-8"))
        printed = [m.text for m in find_money(nt)]
        want = [x for c in gold["categories"] for i in c["issues"] for x in i["money"]]  # type: ignore[attr-defined]
        assert [x for x in printed if x in want] == want, gold["file"]


# The fast scanners must find exactly what the regular expressions they replace would find.
_TEAM_TAIL = r"(?:省委|市委|县委|区委|州委|旗委)(?:第[一二三四五六七八九十\d]+(?:专项)?巡察组|巡察第\d+组)"
_BODY_TAIL = r"(?:省委|市委|县委)?(?:总工会|自然资源局|政府|组织部)"


@pytest.mark.parametrize(
    "text",
    [
        "根据县委统一部署，县委第一巡察组对县总工会党组开展了巡察。",
        "广东省惠州市惠东县县委第一巡察组，广州市区委巡察第13组和广州市天河区区委巡察第2组",
        "黑龙江省鸡西市虎林市总工会，清远市清新区总工会、英德市总工会，省委组织部，惠东县自然资源局",
        "吉林省吉林市市委第三巡察组；北京市北京市政府；县委第二巡察组县委第三巡察组",
        "惠东县惠东县惠东县总工会 清远市 清远市政府 天河区天河区委巡察第1组",
    ],
)
def test_place_chains_match_the_regex_they_replace(text: str) -> None:
    places = place_pattern().pattern
    for tail in (_TEAM_TAIL, _BODY_TAIL):
        tail_re = re.compile(tail)

        def end(pos: int, tail_re: re.Pattern[str] = tail_re) -> int | None:
            m = tail_re.match(text, pos)
            return m.end() if m else None

        anchors = [m.start() for m in re.finditer(rf"(?={tail})", text)]  # where the tail alone matches
        expected = [m.span() for m in re.finditer(rf"(?:{places})*{tail}", text)]
        assert list(spans_after_places(text, 0, len(text), anchors, end)) == expected
        plus = [m.span() for m in re.finditer(rf"(?:{places})+{tail}", text)]
        assert list(spans_after_places(text, 0, len(text), anchors, end, at_least_one=True)) == plus
    for start in range(0, len(text), 7):
        found = place_pattern().search(text, start, start + 12)
        assert first_place(text, start, start + 12) == (found.span() if found else None)


@pytest.mark.parametrize("file", ["organizations.json", "people.json"])
def test_trie_alternation_matches_the_flat_one(file: str, corpus_dir: Path) -> None:
    data = load(file)
    words = data["bodies"] if "bodies" in data else data["roles"]
    flat = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))
    trie = re.compile(alternation(words))
    for path in sorted(corpus_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]
