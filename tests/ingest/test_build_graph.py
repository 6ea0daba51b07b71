"""ReportDocument -> ReportGraph: provenance into the file, links where the text has them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ikg.graph.model import Rel
from ikg.ingest.build import build_graph, qualify_organization, status_completed
from ikg.ingest.document import Region
from ikg.ingest.parse import parse_report
from ikg.ingest.reader import read_source


@pytest.mark.parametrize(
    "status, completed",
    [
        ("已完成整改，并长期坚持", True),
        ("完成整改", True),
        ("阶段性完成整改，并持续推进", False),
        ("正在整改", False),
        ("长期坚持", None),
        (None, None),
    ],
)
def test_status_completed(status: str | None, completed: bool | None) -> None:
    assert status_completed(status) is completed


@pytest.mark.parametrize(
    "name, region, qualified",
    [
        ("市教育局", Region("广东省", "清远市", None), "清远市教育局"),
        ("县总工会", Region("广东省", "惠州市", "惠东县"), "惠东县总工会"),
        ("区委巡察办", Region("广东省", "广州市", "天河区"), "天河区委巡察办"),
        ("省委组织部", Region("黑龙江省", None, None), "黑龙江省委组织部"),
        ("清远市教育局", Region("广东省", "清远市", None), "清远市教育局"),
        ("市教育局", Region(None, None, None), "市教育局"),
        ("国家税务局", Region("广东省", "清远市", None), "国家税务局"),
    ],
)
def test_short_organization_names_take_the_report_region(name: str, region: Region, qualified: str) -> None:
    assert qualify_organization(name, region) == qualified


@pytest.fixture(scope="module")
def seed(corpus_dir: Path) -> tuple[str, object]:
    path = corpus_dir / "000_07052eb1f8f2edde.txt"
    source = read_source(path)
    return source.text, parse_report(source.text, file=str(path))


def test_same_text_same_graph(seed: tuple[str, object]) -> None:
    text, doc = seed
    again = parse_report(text, file=doc.file)  # type: ignore[attr-defined]
    assert build_graph(doc) == build_graph(again)  # type: ignore[arg-type]


def test_changed_text_changes_digest_and_issue_ids(seed: tuple[str, object]) -> None:
    text, doc = seed
    edited = parse_report(text.replace("整改率达到100%", "整改率达到96%"), file=doc.file)  # type: ignore[attr-defined]
    a, b = build_graph(doc), build_graph(edited)  # type: ignore[arg-type]
    # the id follows the text; the store replaces the report its file held (test_store_contract)
    assert a.report.id != b.report.id and a.report.files == b.report.files == (a.report.file,)
    assert a.report.digest != b.report.digest


def test_same_text_elsewhere_or_rewrapped_is_the_same_report(seed: tuple[str, object]) -> None:
    text, doc = seed
    moved = parse_report(text, file="/elsewhere/copy.txt")
    # a copy with other line breaks and spacing (as a PDF or web page gives it) is still the same text
    rewrapped = parse_report(text.replace("\n\n", "\n").replace("。", "。 "), file="/x/copy.md")
    ids = {build_graph(d).report.id for d in (doc, moved, rewrapped)}  # type: ignore[arg-type]
    assert len(ids) == 1
    assert build_graph(moved).report.files == (str(Path("/elsewhere/copy.txt").resolve()),)


def test_provenance_points_into_the_file(seed: tuple[str, object]) -> None:
    text, doc = seed
    graph = build_graph(doc)  # type: ignore[arg-type]
    for issue in graph.issues:
        printed = "".join(text[issue.source.start : issue.source.end].split())
        assert issue.title in printed.replace("**", "")
        assert issue.source.line == text.count("\n", 0, issue.source.start) + 1
    for measure in graph.measures:
        chunk = "".join(text[measure.source.start : measure.source.end].split()).replace("**", "")
        assert "".join(measure.text.split())[:10] in chunk


def test_regulation_links_follow_the_text(seed: tuple[str, object]) -> None:
    _, doc = seed
    graph = build_graph(doc)  # type: ignore[arg-type]
    titles = {r.id: r.title for r in graph.regulations}
    measure_ids = {m.id for m in graph.measures}
    issue_ids = {i.id for i in graph.issues}
    by_rel: dict[Rel, set[tuple[str, str]]] = {}
    for e in graph.edges:
        by_rel.setdefault(e.rel, set()).add((e.src, titles.get(e.dst, e.dst)))
    # 000 issue 5: “…针对《会计法》…” inside measure 二是 -> the measure cites the canonical law
    assert any(src in measure_ids and t == "中华人民共和国会计法" for src, t in by_rel[Rel.CITES])
    # 000 issue 3: 三是制定《惠东县总工会2023年职工心理健康服务工作计划》 -> the measure establishes it
    assert any(
        src in measure_ids and t == "惠东县总工会2023年职工心理健康服务工作计划"
        for src, t in by_rel[Rel.ESTABLISHES]
    )
    # ESTABLISHES only ever starts at a measure; CITES at a report, an issue or a measure
    assert all(src in measure_ids for src, _ in by_rel[Rel.ESTABLISHES])
    assert all(src in measure_ids | issue_ids | {graph.report.id} for src, _ in by_rel[Rel.CITES])


def test_unit_inspection_and_people(seed: tuple[str, object]) -> None:
    _, doc = seed
    graph = build_graph(doc)  # type: ignore[arg-type]
    assert graph.report.unit == "惠东县总工会"
    assert graph.inspection is not None and graph.inspection.team == "县委第一巡察组"
    unit = next(o for o in graph.organizations if o.name == "惠东县总工会")
    assert (unit.province, unit.city, unit.county) == ("广东省", "惠州市", "惠东县")
    inspected = [e for e in graph.edges if e.rel == Rel.INSPECTED]
    assert [(e.src, e.dst) for e in inspected] == [(graph.inspection.id, unit.id)]
    assert len({o.id for o in graph.organizations}) == len(graph.organizations)


ANONYMISED = """中共{place}交通运输局党组关于县委巡察整改情况的通报

根据县委统一部署，2024年3月4日至4月26日，县委第一巡察组对县交通运输局党组开展了常规巡察。2024年5月20日，县委第一巡察组向县交通运输局党组反馈了巡察意见。现将整改情况予以公布。

一、巡察反馈问题的整改落实情况

（一）落实全面从严治党责任方面

1.关于“公务用车管理不规范”的问题

整改情况：一是对县交通运输局公务用车使用情况开展专项检查；二是修订公务用车管理办法。整改状态：已完成。

中共{place}交通运输局党组
2024年9月30日
"""


@pytest.mark.parametrize("place", ["XX县", "某某县", "×××县"])
def test_the_units_own_short_form_is_the_unit_where_the_place_is_anonymised(place: str) -> None:
    graph = build_graph(parse_report(ANONYMISED.format(place=place), file="anonymised.txt"))
    unit = next(o for o in graph.organizations if o.name == f"{place}交通运输局")
    assert "县交通运输局" in unit.aliases
    assert "县交通运输局" not in {o.name for o in graph.organizations}  # no second node for the short form
    measure = next(m for m in graph.measures if "专项检查" in m.text)
    assert (Rel.INVOLVES, measure.id, unit.id) in {(e.rel, e.src, e.dst) for e in graph.edges}
