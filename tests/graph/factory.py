"""Small builders of `ReportGraph`s for the store tests, the crash test's child and the store benchmark.

`report()` builds a realistic report from a compact spec (ids from `ikg.graph.ids`, digest over the
content, like `ingest/build.py`); `synthetic()` builds the i-th report of a large deterministic series;
`expected_stats()` says what a store holding some reports must count, so tests derive expectations from
their input.
"""

# ruff: noqa: E501  (the report tables below read best one issue per line)

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, replace

from ikg.graph.ids import make_id
from ikg.graph.model import (
    Category,
    Edge,
    Inspection,
    Issue,
    Label,
    Measure,
    Organization,
    Person,
    Regulation,
    Rel,
    Report,
    ReportGraph,
    SourceSpan,
)
from ikg.graph.views import GraphStats


@dataclass(frozen=True)
class Mea:  # a measure: 一是…
    text: str
    cites: tuple[str, ...] = ()
    establishes: tuple[str, ...] = ()
    involves: tuple[str, ...] = ()  # organization names


@dataclass(frozen=True)
class Iss:  # an issue
    number: str
    title: str
    measures: tuple[Mea, ...] = ()
    cites: tuple[str, ...] = ()
    completed: bool | None = None
    status: str | None = None


@dataclass(frozen=True)
class Cat:  # a problem category
    title: str
    issues: tuple[Iss, ...]


_ORDINALS = "一二三四五六七八九十"


def report(
    file: str,
    unit: str,
    categories: tuple[Cat, ...],
    *,
    team: str | None = None,
    publisher: str | None = None,
    mentions: tuple[str, ...] = (),
    people: tuple[tuple[str, str], ...] = (),  # (name, role) in the unit
    cites: tuple[str, ...] = (),  # cited by the report outside any issue
    took: tuple[str, ...] = (),  # report-level work-approach measures: （一）提高政治站位…
    version: str = "",  # vary to change the digest without changing the structure
) -> ReportGraph:
    report_id = make_id(Label.REPORT, file)
    orgs: dict[str, Organization] = {}
    regs: dict[str, Regulation] = {}
    edges: list[Edge] = []
    line = 1
    offset = 0

    def span(text: str) -> SourceSpan:
        nonlocal line, offset
        out = SourceSpan(file, offset, offset + len(text), line)
        line, offset = line + 1, offset + len(text) + 1
        return out

    def org(name: str) -> str:
        org_id = make_id(Label.ORGANIZATION, name)
        orgs.setdefault(org_id, Organization(org_id, name))
        return org_id

    def reg(title: str) -> str:
        reg_id = make_id(Label.REGULATION, title)
        kind = "named_rule" if len(title) <= 6 else "title"
        regs.setdefault(reg_id, Regulation(reg_id, title, kind))
        return reg_id

    unit_id = org(unit)
    inspection = None
    if team:
        inspection = Inspection(
            make_id(Label.INSPECTION, unit_id, team), "巡察", "县委", team, "2021-03-01", None, None
        )
        edges += [Edge(Rel.ON, report_id, inspection.id), Edge(Rel.INSPECTED, inspection.id, unit_id)]
    if publisher:
        edges.append(Edge(Rel.PUBLISHED_BY, report_id, org(publisher)))
    for name in mentions:
        edges.append(Edge(Rel.MENTIONS, report_id, org(name), source=span(name)))
    for title in cites:
        edges.append(Edge(Rel.CITES, report_id, reg(title), as_printed=f"《{title}》", source=span(title)))
    people_nodes = []
    for name, role in people:
        person = Person(make_id(Label.PERSON, name, unit_id), name)
        people_nodes.append(person)
        edges.append(Edge(Rel.ROLE_IN, person.id, unit_id, role=role, source=span(name)))

    cats, issues, measures = [], [], []
    for k, text in enumerate(took, start=1):
        measure_id = make_id(Label.MEASURE, report_id, "approach", k, text)
        measures.append(Measure(measure_id, None, k, f"（{_ORDINALS[(k - 1) % 10]}）", text, span(text)))
        edges.append(Edge(Rel.TOOK, report_id, measure_id))
    for c_ord, c in enumerate(categories, start=1):
        cat = Category(
            make_id(Label.CATEGORY, report_id, c_ord, c.title),
            report_id,
            c_ord,
            c.title,
            False,
            span(c.title),
        )
        cats.append(cat)
        edges.append(Edge(Rel.HAS_CATEGORY, report_id, cat.id))
        for i in c.issues:
            ordinal = len(issues) + 1
            issue_id = make_id(Label.ISSUE, report_id, c_ord, ordinal, i.number, i.title)
            text = f"{i.number}.关于“{i.title}”问题的整改。" + "".join(m.text for m in i.measures)
            issues.append(
                Issue(issue_id, report_id, cat.id, ordinal, i.number, i.title, None, i.status, i.completed,
                      None, text, None, span(text))
            )  # fmt: skip
            edges.append(Edge(Rel.HAS_ISSUE, cat.id, issue_id))
            for title in i.cites:
                edges.append(
                    Edge(Rel.CITES, issue_id, reg(title), as_printed=f"《{title}》", source=span(title))
                )
            for m_ord, m in enumerate(i.measures, start=1):
                measure_id = make_id(Label.MEASURE, issue_id, m_ord, m.text)
                measures.append(
                    Measure(
                        measure_id, issue_id, m_ord, f"{_ORDINALS[(m_ord - 1) % 10]}是", m.text, span(m.text)
                    )
                )
                edges.append(Edge(Rel.ADDRESSED_BY, issue_id, measure_id))
                for title in m.cites:
                    edges.append(
                        Edge(Rel.CITES, measure_id, reg(title), as_printed=f"《{title}》", source=span(title))
                    )
                for title in m.establishes:
                    edges.append(
                        Edge(
                            Rel.ESTABLISHES,
                            measure_id,
                            reg(title),
                            as_printed=f"《{title}》",
                            source=span(title),
                        )
                    )
                for name in m.involves:
                    edges.append(Edge(Rel.INVOLVES, measure_id, org(name), source=span(name)))

    rep = Report(report_id, file, f"中共{unit}党组关于巡察整改进展情况的通报", publisher, "2021-09-30",
                 hashlib.sha256(file.encode()).hexdigest(), "", "utf-8", "txt", unit, "{}", "{}")  # fmt: skip
    graph = ReportGraph(rep, inspection, tuple(orgs.values()), tuple(cats), tuple(issues), tuple(measures),
                        tuple(regs.values()), tuple(people_nodes), tuple(edges))  # fmt: skip
    payload = json.dumps([asdict(graph), version], ensure_ascii=False, sort_keys=True, default=str)
    return replace(graph, report=replace(rep, digest=hashlib.sha256(payload.encode()).hexdigest()))


ACCOUNTING_LAW = "中华人民共和国会计法"
CITY_UNION = "惠州市总工会"  # named by both reports


def huidong_categories() -> tuple[Cat, ...]:
    return (
        Cat("关于“党的领导弱化”问题的整改", (
            Iss("1", "落实“第一议题”制度不到位", completed=True, status="已完成整改",
              measures=(Mea("一是制定《惠东县总工会党组理论学习中心组学习制度》。", establishes=("惠东县总工会党组理论学习中心组学习制度",)),
                        Mea("二是每月召开党组会议专题学习。"))),
            Iss("2", "财务管理不规范", cites=(ACCOUNTING_LAW,), completed=False,
              measures=(Mea("一是严格执行《中华人民共和国会计法》，规范会计核算。", cites=(ACCOUNTING_LAW,)),
                        Mea("二是会同惠州市总工会开展财务专项检查。", involves=(CITY_UNION,)))),
        )),
        Cat("关于“全面从严治党不力”问题的整改", (
            Iss("1", "违规发放津补贴", measures=(Mea("一是全额清退违规发放的津补贴3325元。", cites=("中国共产党纪律处分条例",)),)),
        )),
    )  # fmt: skip


def huidong(version: str = "") -> ReportGraph:
    """惠东县总工会: cites the accounting law directly and through a measure; one issue open, one unknown."""
    return report(
        "reports/000_huidong.txt",
        "惠东县总工会",
        huidong_categories(),
        team="中共惠东县委第一巡察组",
        publisher="中共惠东县总工会党组",
        mentions=(CITY_UNION,),
        people=(("张伟", "惠东县总工会党组书记"),),
        cites=("中国共产党巡视工作条例",),
        took=("提高政治站位，压实整改责任。", "加强组织领导，细化整改清单。"),
        version=version,
    )  # fmt: skip


def qingyuan(version: str = "") -> ReportGraph:
    """清远市总工会: cites the accounting law only through a measure; both issues completed."""
    return report(
        "reports/003_qingyuan.txt",
        "清远市总工会",
        (
            Cat("关于“落实‘三重一大’制度不严格”问题的整改", (
                Iss("1", "落实“三重一大”制度不严格", cites=("三重一大",), completed=True, status="已完成整改",
                  measures=(Mea("一是修订《清远市总工会“三重一大”事项决策制度》。", establishes=("清远市总工会“三重一大”事项决策制度",)),)),
                Iss("2", "会计基础工作薄弱", completed=True, status="已完成整改，并长期坚持",
                  measures=(Mea("一是组织财务人员学习《会计法》。", cites=(ACCOUNTING_LAW,)),
                            Mea("二是请惠州市总工会财务部派员指导。", involves=(CITY_UNION,)))),
            )),
        ),
        team="中共清远市委第三巡察组",
        publisher="中共清远市总工会党组",
        mentions=(CITY_UNION,),
        version=version,
    )  # fmt: skip


_REG_POOL = [ACCOUNTING_LAW, "中国共产党纪律处分条例", "中国共产党巡视工作条例", "三重一大", "八项规定"] + [
    f"工会财务管理办法第{n}号" for n in range(40)
]
_ORG_POOL = [f"{p}市总工会" for p in ("广州", "深圳", "佛山", "东莞", "惠州", "清远", "韶关", "湛江")]


def _reg(k: int) -> str:
    return _REG_POOL[k % len(_REG_POOL)]


def synthetic(i: int, issues: int = 15, measures: int = 4) -> ReportGraph:
    """The i-th report of a deterministic series: `issues` issues of `measures` measures each."""
    per_cat = max(1, issues // 3)
    cats = []
    for c in range(0, issues, per_cat):
        items = []
        for n in range(c, min(issues, c + per_cat)):
            ms = tuple(
                Mea(f"第{i}号报告问题{n}的第{k + 1}项措施：严格执行《{_reg(i + n + k)}》。", cites=(_reg(i + n + k),),
                  involves=(_ORG_POOL[(i + k) % len(_ORG_POOL)],) if k == 0 else ())
                for k in range(measures)
            )  # fmt: skip
            items.append(Iss(str(n - c + 1), f"第{i}号单位问题{n}：经费管理不规范", ms, completed=n % 2 == 0))
        cats.append(Cat(f"第{len(cats) + 1}类问题", tuple(items)))
    return report(
        f"synthetic/{i:05d}.txt",
        f"第{i}号县总工会",
        tuple(cats),
        team=f"第{i % 7 + 1}巡察组",
        publisher=f"中共第{i}号县总工会党组",
        mentions=(_ORG_POOL[i % len(_ORG_POOL)],),
        people=((f"干部{i % 50}", "党组书记"),),
        cites=(_REG_POOL[i % len(_REG_POOL)],),
    )


def expected_stats(graphs: list[ReportGraph]) -> GraphStats:
    """What a store holding exactly these reports counts: shared nodes once, each report's edges once."""

    def ids(records: object) -> set[str]:
        return {r.id for r in records}  # type: ignore[attr-defined]

    orgs, insps, regs, people = set(), set(), set(), set()
    edges: Counter[str] = Counter({rel.value: 0 for rel in Rel})
    for g in graphs:
        orgs |= ids(g.organizations)
        insps |= ids((g.inspection,) if g.inspection else ())
        regs |= ids(g.regulations)
        people |= ids(g.people)
        edges.update(e.rel.value for e in {(e.rel, e.src, e.dst): e for e in g.edges}.values())
    return GraphStats(
        reports=len(graphs),
        organizations=len(orgs),
        inspections=len(insps),
        categories=sum(len(g.categories) for g in graphs),
        issues=sum(len(g.issues) for g in graphs),
        measures=sum(1 for g in graphs for m in g.measures if m.issue_id is not None),
        regulations=len(regs),
        people=len(people),
        edges=dict(edges),
        report_measures=sum(1 for g in graphs for m in g.measures if m.issue_id is None),
    )
