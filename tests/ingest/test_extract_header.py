"""Header, dates, contact and claimed figures: tables of real and made-up snippets, then the gold reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ikg.ingest.extract.claimed import extract_claimed
from ikg.ingest.extract.contact import extract_contact
from ikg.ingest.extract.dates import find_dates, resolve_years
from ikg.ingest.extract.header import extract_header
from ikg.ingest.extract.regions import region_of
from ikg.ingest.extract.unit import unit_of_body
from ikg.ingest.normalize import NormalizedText, normalize

COURT = (
    "中共博罗县人民法院党组关于县委巡察整改进展情况的通报\n"
    "根据县委统一部署，2022年4月6日至5月30日，县委第二巡察组对县人民法院党组开展了巡察。"
    "7月12日，县委第二巡察组向县人民法院党组反馈了巡察意见。\n一、整改情况\n……\n"
    "中共博罗县人民法院党组\n2022年10月8日"
)
TAX = (
    "国家税务总局清远市税务局党委关于市委巡察整改情况的通报\n"
    "按照市委统一部署，2021年5月10日至7月9日，市委第三巡察组对市税务局党委进行了巡察。"
    "2021年8月26日，市委第三巡察组反馈了巡察意见。"
)
SOE = (
    "中共广东省交通集团有限公司委员会关于省委巡视整改进展情况的通报\n"
    "根据省委统一部署，2019年3月1日至4月30日，省委第三巡视组对广东省交通集团有限公司党委开展了巡视。"
    "6月18日，省委第三巡视组向集团党委反馈了巡视意见。"
)
TOWN = (
    "中共博罗县石湾镇委员会关于县委巡察整改情况的通报\n"
    "根据县委统一部署，2023年9月4日至10月31日，县委第四巡察组对石湾镇党委开展了巡察。"
    "2023年12月5日，县委第四巡察组向镇党委反馈了巡察意见。"
)
# 001's opening: no title or signature; the unit is the short 总工会, qualified from the body text.
NO_TITLE = (
    "根据市委统一部署,2024年7月10日至8月15日,市委第二巡察组对总工会党组进行了巡察。"
    "2024年9月14日,市委第二巡察组向总工会党组反馈了巡察意见。\n"
    "虎林市总工会落实上级文件。虎林市总工会不再使用现金支付。转发了鸡西市总工会通知。"
)


@pytest.mark.parametrize(
    "text, title, publisher, unit, region, inspection, published",
    [
        (
            COURT,
            "中共博罗县人民法院党组关于县委巡察整改进展情况的通报",
            "中共博罗县人民法院党组",
            "博罗县人民法院",
            ("广东省", "惠州市", "博罗县"),
            ("巡察", "县委", "县委第二巡察组", "2022-04-06", "2022-05-30", "2022-07-12"),
            "2022-10-08",
        ),
        (
            TAX,
            "国家税务总局清远市税务局党委关于市委巡察整改情况的通报",
            "国家税务总局清远市税务局党委",
            "国家税务总局清远市税务局",
            ("广东省", "清远市", None),
            ("巡察", "市委", "市委第三巡察组", "2021-05-10", "2021-07-09", "2021-08-26"),
            None,
        ),
        (
            SOE,
            "中共广东省交通集团有限公司委员会关于省委巡视整改进展情况的通报",
            "中共广东省交通集团有限公司委员会",
            "广东省交通集团有限公司",
            ("广东省", None, None),
            ("巡视", "省委", "省委第三巡视组", "2019-03-01", "2019-04-30", "2019-06-18"),
            None,
        ),
        (
            TOWN,
            "中共博罗县石湾镇委员会关于县委巡察整改情况的通报",
            "中共博罗县石湾镇委员会",
            "博罗县石湾镇",
            ("广东省", "惠州市", "博罗县"),
            ("巡察", "县委", "县委第四巡察组", "2023-09-04", "2023-10-31", "2023-12-05"),
            None,
        ),
        (
            NO_TITLE,
            None,
            None,
            "虎林市总工会",
            ("黑龙江省", "鸡西市", "虎林市"),
            ("巡察", "市委", "市委第二巡察组", "2024-07-10", "2024-08-15", "2024-09-14"),
            None,
        ),
    ],
    ids=["court", "tax-bureau", "soe", "township", "no-title"],
)
def test_header_of_other_unit_types(
    text: str,
    title: str | None,
    publisher: str | None,
    unit: str,
    region: tuple[str | None, ...],
    inspection: tuple[str, ...],
    published: str | None,
) -> None:
    h = extract_header(normalize(text))
    i = h.inspection
    assert (h.title.value if h.title else None) == title
    assert (h.publisher.value if h.publisher else None) == publisher
    assert h.inspected_unit is not None and h.inspected_unit.value == unit
    assert (h.region.province, h.region.city, h.region.county) == region
    fields = (i.kind, i.level, i.team, i.start, i.end, i.feedback_date)
    assert tuple(f.value if f else None for f in fields) == inspection
    assert (h.publish_date.value if h.publish_date else None) == published


@pytest.mark.parametrize(
    "text, iso",
    [
        ("2023年3月27日至6月30日", ["2023-03-27", "2023-06-30"]),
        ("2023 年\n\n11 月 3 日，市委第四巡察组", ["2023-11-03"]),  # PDF line break inside the date
        ("2019年9月30巡察组向天河区总工会党组反馈", ["2019-09-30"]),  # 日 missing
        ("2016年8月15日至9月15日……11月9日，省委巡视组", ["2016-08-15", "2016-09-15", "2016-11-09"]),
        ("2023年12月1日……2024 年 1 月 8 日……3 月 29 日", ["2023-12-01", "2024-01-08", "2024-03-29"]),
        ("2023年11月20日……1月5日", ["2023-11-20", "2024-01-05"]),  # the year rolls over
        ("2021年7月至2024年7月惠东县", []),  # months without a day are no dates
        ("13月40日", []),
    ],
)
def test_dates_take_their_year_from_context(text: str, iso: list[str]) -> None:
    assert [d.iso for d in resolve_years(find_dates(text))] == iso


@pytest.mark.parametrize(
    "name, region",
    [
        ("惠东县总工会", ("广东省", "惠州市", "惠东县")),
        ("广州市天河区总工会", ("广东省", "广州市", "天河区")),
        ("黑龙江省总工会", ("黑龙江省", None, None)),
        ("虎林市总工会", ("黑龙江省", "鸡西市", "虎林市")),
        ("国家税务总局清远市税务局", ("广东省", "清远市", None)),
        ("成都市公安局", ("四川省", "成都市", None)),
        ("某某单位", (None, None, None)),
    ],
)
def test_region_of_unit_names(name: str, region: tuple[str | None, ...]) -> None:
    r = region_of(name)
    assert (r.province, r.city, r.county) == region


@pytest.mark.parametrize(
    "text, phone, email, address, postcode",
    [
        (
            "联系方式:电话 8816631；邮政地址：惠东县园岭东街 41 号；邮政地址：516300；"
            "电子邮箱：hdxzgh@huidong.gov.cn。",
            "8816631",
            "hdxzgh@huidong.gov.cn",
            "惠东县园岭东街 41 号",
            "516300",
        ),
        (
            "联系方式:电话:0467-5822437:邮编:158400:电子邮箱:hlghbgs5822351@126.com\n"
            "主办:中国共产党虎林市纪律检查委员会 | 地址:虎林市西岗路与解放西街交叉口",
            "0467-5822437",
            "hlghbgs5822351@126.com",
            None,
            "158400",
        ),
        (
            "联系方式：电话020-38622043；邮政地址：天河区天府路1号天河区政府6号楼304室，邮编510000；"
            "电子邮箱zgh-bgs@thnet.gov.cn。",
            "020-38622043",
            "zgh-bgs@thnet.gov.cn",
            "天河区天府路1号天河区政府6号楼304室",
            "510000",
        ),
        (
            "联系方式：\n电话：0451-53643345.\n邮政信箱：哈尔滨市南岗区阿什河街9号，黑龙江省总工会机关党委。\n"
            "电子邮箱：dbswxsz@163.com。",
            "0451-53643345",
            "dbswxsz@163.com",
            "哈尔滨市南岗区阿什河街9号，黑龙江省总工会机关党委",
            None,
        ),
        (
            "联系电话：0752-1234567，通讯地址：博罗县罗阳街道人民路2号，邮政编码：516100。",
            "0752-1234567",
            None,
            "博罗县罗阳街道人民路2号",
            "516100",
        ),
        ("本报告没有联系方法。", None, None, None, None),
    ],
)
def test_contact_block(
    text: str, phone: str | None, email: str | None, address: str | None, postcode: str | None
) -> None:
    c = extract_contact(NormalizedText.identity(text))
    got = tuple(f.value if f else None for f in (c.phone, c.email, c.address, c.postcode))
    assert got == (phone, email, address, postcode)


@pytest.mark.parametrize(
    "text, claimed",
    [
        (
            "截至3月4日，已完成巡察反馈的25个具体问题整改，整改率达到100%。",
            {"as_of": "3月4日", "issues": 25, "completed": 25, "completion_rate": "100%"},
        ),
        (
            "针对巡察反馈意见中指出的5项43个问题,制定了43条整改措施,",
            {"categories": 5, "issues": 43, "measures": 43},
        ),
        (
            "目前，44个问题已经完成整改40项，完成率90.9%；正在推进4项。批评谈话个人9名，建章立制、完善制度25项。"
            "挽回经济损失0.43万元，催缴工会费264.9万元。",
            {
                "issues": 44,
                "completed": 40,
                "completion_rate": "90.9%",
                "in_progress": 4,
                "persons_criticized": 9,
                "rules_established": 25,
                "losses_recovered": "0.43万元",
                "dues_collected": "264.9万元",
            },
        ),
        (
            "巡察反馈的 23个具体问题，已完成整改 17 个，阶段性完成整改 6 个，未完成整改 0 个；"
            "制定了 66 条整改措施。",
            {"issues": 23, "completed": 17, "partially_completed": 6, "not_completed": 0, "measures": 66},
        ),
        (
            "巡视期间提出需边巡边改的问题8个，已完成整改8个，整改完成率为100%。",
            {"on_the_spot_issues": 8, "on_the_spot_completed": 8, "on_the_spot_completion_rate": "100%"},
        ),
        (
            "截至目前，反馈的21个问题已整改完成18个，整改完成率85.7%。",
            {"issues": 21, "completed": 18, "completion_rate": "85.7%"},
        ),
        ("巡察反馈问题12个，已完成10个，正在推进2个。", {"issues": 12, "completed": 10, "in_progress": 2}),
        (
            "局党委共认领问题18个，制定整改措施56条，目前已完成整改16个，正在推进2个。",
            {"issues": 18, "measures": 56, "completed": 16, "in_progress": 2},
        ),
        ("指出的具体问题9个已完成7项；另有2个专项检查已完成3个阶段。", {"issues": 9, "completed": 7}),
        ("开展专项检查，自查发现问题12个，建设项目已完成3个，全部验收。", {}),  # a measure's own figures
        (
            "巡察反馈的3个方面15个问题，已整改到位13个，基本完成2个，整改完成率86.7%。",
            {
                "categories": 3,
                "issues": 15,
                "completed": 13,
                "partially_completed": 2,
                "completion_rate": "86.7%",
            },
        ),
        ("截止 2023 年 12 月 31 日，全市未建工人文化宫的县（市、区），已全部确定建设选址。", {}),
    ],
)
def test_claimed_figures(text: str, claimed: dict[str, int | str]) -> None:
    assert {f.key: f.value for f in extract_claimed(NormalizedText.identity(text))} == claimed


def _gold(gold_dir: Path) -> list[dict[str, object]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("0*.json"))]


def test_header_contact_claimed_match_gold_on_all_reports(corpus_dir: Path, gold_dir: Path) -> None:
    golds = _gold(gold_dir)
    assert len(golds) == 5
    for gold in golds:
        nt = normalize((corpus_dir / str(gold["file"])).read_text(encoding="utf-8"))
        h = extract_header(nt)
        i = h.inspection
        got = {
            "title": h.title.value if h.title else None,
            "publisher": h.publisher.value if h.publisher else None,
            "inspected_unit": h.inspected_unit.value if h.inspected_unit else None,
            "region": {"province": h.region.province, "city": h.region.city, "county": h.region.county},
            "inspection": {
                k: (f.value if (f := getattr(i, k)) else None)
                for k in ("kind", "level", "team", "start", "end", "feedback_date")
            },
            "publish_date": h.publish_date.value if h.publish_date else None,
            "contact": {
                k: (f.value if (f := getattr(extract_contact(nt), k)) else None)
                for k in ("phone", "email", "address", "postcode")
            },
            "claimed": {f.key: f.value for f in extract_claimed(nt)},
        }
        assert got == {k: gold[k] for k in got}, gold["file"]


def test_header_spans_cover_the_printed_text(corpus_dir: Path) -> None:
    # 003 is PDF text: the title and dates cross line breaks, so spans must map back through normalize().
    text = (corpus_dir / "003_230e05e8743505ae.txt").read_text(encoding="utf-8")
    h = extract_header(normalize(text))
    assert h.title is not None and h.inspection.feedback_date is not None
    printed_title = text[h.title.span.start : h.title.span.end]
    assert "".join(printed_title.split()) == h.title.value
    assert "".join(
        text[h.inspection.feedback_date.span.start : h.inspection.feedback_date.span.end].split()
    ) == ("2023年11月3日")
    assert h.title.span.line == 1


BODY = (
    "根据区委统一部署，2023年9月4日至10月31日，区委第一巡察组对区档案馆党支部开展了巡察。"
    "2023年12月5日，区委第一巡察组反馈了巡察意见。\n一、整改工作开展情况\n……"
)
TITLE = "中共某某区档案馆党支部关于区委巡察整改进展情况的通报"


@pytest.mark.parametrize(
    "head, published",
    [
        # the page's metadata line, before or after the title, with or without 【字号】 and 来源
        (f"【字体：大 中 小】 发布时间：2024-03-15 来源：区纪委监委\n{TITLE}\n", "2024-03-15"),
        (f"{TITLE}\n发布时间: 2024-03-15   信息来源:区委巡察办   访问量:0\n", "2024-03-15"),
        (f"{TITLE}\n发布日期：2024年3月5日\n", "2024-03-05"),
        (f"{TITLE}\n发布时间：2024.03.15 09:30\n", "2024-03-15"),
        # a line that starts with the date and time, then the source
        (f"{TITLE}\n2024年3月15日09:20    来源:区纪委监委网站\n", "2024-03-15"),
        (f"{TITLE}\n\n2024-03-15 17:38:48\n", "2024-03-15"),
        # the date printed after the title on its line
        (f"{TITLE} 2024-03-15\n", "2024-03-15"),
        # nothing dated before the body: no publication date (the body's dates are the inspection's)
        (f"{TITLE}\n", None),
        (f"{TITLE}\n来源：区纪委监委\n", None),
        (f"{TITLE}\n发布时间：2024-13-45\n", None),
    ],
)
def test_publication_date_of_a_saved_page(head: str, published: str | None) -> None:
    nt = normalize(head + BODY)
    header = extract_header(nt)
    assert header.title is not None and header.title.value == TITLE
    assert (header.publish_date.value if header.publish_date else None) == published
    if header.publish_date is not None:
        span = header.publish_date.span
        assert nt.original[span.start : span.end].startswith("2024")


def test_page_metadata_line_is_never_part_of_the_title() -> None:
    title = "关于区委第三巡察组对区档案馆开展巡察反馈意见整改情况的通报"
    nt = normalize(f"【字号：大 中 小】 发布时间：2024-03-15 来源：区纪委监委\n{title}\n{BODY}")
    header = extract_header(nt)
    assert header.title is not None and header.title.value == title
    assert header.publisher is None or "发布时间" not in header.publisher.value
    assert header.inspected_unit is not None and "发布时间" not in header.inspected_unit.value


@pytest.mark.parametrize(
    "text, feedback",
    [
        ("巡察组于2023年9月中旬至10月下旬开展了巡察，并于12月5日反馈了意见。", "2023-12-05"),
        ("巡察组于2023年11月至12月开展了巡察，于1月10日反馈了巡察意见。", "2024-01-10"),
        ("2022年3月上旬，巡察组进驻。5月18日，巡察组反馈了意见。", "2022-05-18"),
        # a printed year on the feedback date wins over the month before it
        ("巡察组于2023年9月中旬进驻，2024年1月8日反馈了意见。", "2024-01-08"),
        # no year anywhere: no date rather than a guess
        ("巡察组于9月中旬进驻，12月5日反馈了意见。", None),
    ],
)
def test_month_without_day_gives_the_year(text: str, feedback: str | None) -> None:
    from ikg.ingest.extract.dates import inspection_dates

    start, end, fb = inspection_dates(text)
    assert start is None and end is None  # 上旬/中旬/下旬 are never dates
    assert (fb.iso if fb else None) == feedback


@pytest.mark.parametrize(
    "text, period",
    [
        ("第二巡察组于2024年10月9日进驻县水务局党组开展巡察，至11月29日结束。", ("2024-10-09", "2024-11-29")),
        ("巡视组2023年3月2日入驻，于2023年5月31日撤离。", ("2023-03-02", "2023-05-31")),
        ("2023年4月6日至5月30日，县委第三巡察组对县人民法院党组进行了巡察。", ("2023-04-06", "2023-05-30")),
        # two dates that are no stay: no period rather than a guess
        ("巡察组于2024年10月9日进驻。2025年1月8日，巡察组反馈了意见。", None),
    ],
)
def test_inspection_period(text: str, period: tuple[str, str] | None) -> None:
    from ikg.ingest.extract.dates import inspection_dates

    start, end, _ = inspection_dates(text)
    assert ((start.iso, end.iso) if start and end else None) == period


@pytest.mark.parametrize(
    "body, unit",
    [
        ("中共某某市人民医院委员会", "某某市人民医院"),  # the hospital's party committee
        ("中共博罗县石湾镇委员会", "博罗县石湾镇"),
        ("中共某某县委政法委员会", "某某县委政法委员会"),  # a committee of the county committee: the body
        ("中共某某市委机构编制委员会", "某某市委机构编制委员会"),
        ("中共某某区纪律检查委员会", "某某区纪律检查委员会"),
        ("中共某某市发展和改革委员会党组", "某某市发展和改革委员会"),
        ("共青团南县委员会", "共青团南县委员会"),
    ],
)
def test_unit_of_a_signing_body(body: str, unit: str) -> None:
    assert unit_of_body(body) == unit


_OPENING = "\n\n根据县委统一部署，2024年4月1日至5月20日，县委第一巡察组对{obj}进行了巡察。\n"


@pytest.mark.parametrize(
    "first_lines, obj, title, unit, publisher",
    [
        # titles that end in 公告 / 报告, not 通报
        (
            "中共某某县民政局党组关于县委巡察反馈意见整改落实情况的公告",
            "县民政局党组",
            "中共某某县民政局党组关于县委巡察反馈意见整改落实情况的公告",
            "某某县民政局",
            "中共某某县民政局党组",
        ),
        (
            "某某县民政局巡察整改情况报告",
            "我局",
            "某某县民政局巡察整改情况报告",
            "某某县民政局",
            "某某县民政局",
        ),
        # no 关于: the body names itself before the inspection
        (
            "某某县民政局党组落实县委巡察反馈意见整改情况的通报",
            "我局",
            "某某县民政局党组落实县委巡察反馈意见整改情况的通报",
            "某某县民政局",
            "某某县民政局党组",
        ),
        # an inspection office reporting on the unit it inspected
        (
            "县委巡察办关于县民政局党组巡察整改进展情况的通报",
            "县民政局党组",
            "县委巡察办关于县民政局党组巡察整改进展情况的通报",
            "县民政局",
            "县委巡察办",
        ),
        # a breadcrumb ending in 公告 is no title
        (
            "首页 > 通知公告\n中共某某县民政局党组关于县委巡察整改情况的通报",
            "县民政局党组",
            "中共某某县民政局党组关于县委巡察整改情况的通报",
            "某某县民政局",
            "中共某某县民政局党组",
        ),
    ],
)
def test_titles_publishers_and_units_of_other_shapes(
    first_lines: str, obj: str, title: str, unit: str, publisher: str
) -> None:
    h = extract_header(normalize(first_lines + _OPENING.format(obj=obj)))
    assert (h.title.value if h.title else None) == title
    assert (h.inspected_unit.value if h.inspected_unit else None) == unit
    assert (h.publisher.value if h.publisher else None) == publisher
