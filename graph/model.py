"""Typed records of the inspection graph: one frozen dataclass per node kind, and one report's subgraph.

Glossary (Chinese term -> record):
    通报 / 整改情况通报   -> Report        the published rectification report (one file)
    被巡视/巡察单位, 机构  -> Organization  the inspected unit and every body the report names
    巡视 / 巡察            -> Inspection    kind 巡视 (provincial) or 巡察 (city/county), by a team
    问题类别 (（一）…方面)  -> Category      a problem category heading of the report
    问题 (“…”)            -> Issue         one numbered problem the inspection found
    整改措施 (一是…二是…)   -> Measure       one rectification step taken for an issue, or a work-approach
                                        item of the report itself ((一)提高政治站位…, linked by TOOK)
    法规/制度 (《…》, “三重一大”) -> Regulation  a law, party rule, named system or document number
    人员                   -> Person        a named person with a role

Every node extracted from text carries a `SourceSpan`: the file it came from and the character span and
line in that file's text. Ids are content-derived (see `ids.py`), so writing the same report twice merges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Label(StrEnum):
    REPORT = "Report"
    ORGANIZATION = "Organization"
    INSPECTION = "Inspection"
    CATEGORY = "Category"
    ISSUE = "Issue"
    MEASURE = "Measure"
    REGULATION = "Regulation"
    PERSON = "Person"


class Rel(StrEnum):
    INSPECTED = "INSPECTED"  # (Inspection)->(Organization)
    ON = "ON"  # (Report)->(Inspection)
    PUBLISHED_BY = "PUBLISHED_BY"  # (Report)->(Organization)  the publishing party group
    HAS_CATEGORY = "HAS_CATEGORY"  # (Report)->(Category)
    HAS_ISSUE = "HAS_ISSUE"  # (Category)->(Issue)
    ADDRESSED_BY = "ADDRESSED_BY"  # (Issue)->(Measure)
    TOOK = "TOOK"  # (Report)->(Measure)   how the unit organised the work, not tied to one issue
    CITES = "CITES"  # (Report|Issue|Measure)->(Regulation)
    ESTABLISHES = "ESTABLISHES"  # (Measure)->(Regulation)   制定/修订/印发/出台《…》
    INVOLVES = "INVOLVES"  # (Measure)->(Organization)
    MENTIONS = "MENTIONS"  # (Report)->(Organization)   named outside any measure
    ROLE_IN = "ROLE_IN"  # (Person)->(Organization) {role}
    SIMILAR_TO = "SIMILAR_TO"  # (Issue)->(Issue) {score}; written by `ikg similar --all --write-edges`


@dataclass(frozen=True, slots=True)
class SourceSpan:
    file: str  # path as given to `ikg ingest`
    start: int  # character offset into the file's text as read (decoded), inclusive
    end: int  # exclusive
    line: int  # 1-based line of `start` in that text
    page: int | None = None  # 1-based PDF page of `start`; None for other formats


@dataclass(frozen=True, slots=True)
class Report:
    id: str
    file: str
    title: str | None
    publisher: str | None
    publish_date: str | None  # ISO date
    content_hash: str  # sha256 of the decoded text
    digest: str  # hash of this whole ReportGraph; a different digest replaces the report's subgraph
    encoding: str
    format: str  # txt | html | pdf | docx
    unit: str | None  # inspected unit, canonical name
    claimed_json: str  # the figures the report claims about itself, as a JSON object
    contact_json: str  # phone, email, address, postcode, as a JSON object
    # Every file this report was ingested from (the first is `file`, which the spans point into): the same
    # text as .txt, .pdf or .docx, or in another folder, is one report (its id comes from the text).
    files: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Organization:
    id: str
    name: str  # canonical name, qualified with its region where the text used a short form (市教育局)
    province: str | None = None
    city: str | None = None
    county: str | None = None
    # other names the reports use for it: short forms and self-references (区交通运输局, 我局, 团县委)
    aliases: tuple[str, ...] = ()
    admin_code: str | None = None  # 6-digit division code of its lowest known region (430903 for 赫山区)


@dataclass(frozen=True, slots=True)
class Inspection:
    id: str
    kind: str | None  # 巡视 | 巡察
    level: str | None  # the inspecting body: 中央 | 教育部党组 | 省委 | 市委 | 县委 | 区委
    team: str | None  # e.g. 县委第一巡察组
    start: str | None  # ISO dates
    end: str | None
    feedback_date: str | None
    round: str | None = None  # as printed in the title or text: 十四届第五轮, 十二届省委第八轮
    modes: tuple[str, ...] = ()  # 专项 | 提级 | 机动 | 回头看 | 联动 | 常规, in that order


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    report_id: str
    ordinal: int  # 1-based position in the report
    title: str
    is_section: bool
    source: SourceSpan


@dataclass(frozen=True, slots=True)
class Issue:
    id: str
    report_id: str
    category_id: str
    ordinal: int  # 1-based position in the whole report
    number: str  # as printed; restarts per category in some reports
    title: str  # the quoted problem text
    short_title: str | None
    status: str | None  # as printed, e.g. 已完成整改
    completed: bool | None  # derived from status; None when the report does not say
    deadline: str | None
    text: str  # the issue's whole normalized text, heading to the next heading
    result: str | None  # 整改成效 / 整改结果 text
    source: SourceSpan


@dataclass(frozen=True, slots=True)
class Measure:
    id: str
    issue_id: str | None  # None for a report-level (work-approach) measure
    ordinal: int  # 1 for 一是, 2 for 二是, ...
    label: str  # 一是 / 二是 / (1) ... as printed; "" for an unenumerated measure text
    text: str
    source: SourceSpan


@dataclass(frozen=True, slots=True)
class Regulation:
    id: str
    title: str  # canonical title after alias normalization, without 《》
    kind: str  # title | named_rule | doc_number


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Edge:
    rel: Rel
    src: str
    dst: str
    role: str | None = None  # ROLE_IN
    score: float | None = None  # SIMILAR_TO
    as_printed: str | None = None  # CITES/ESTABLISHES: the citation as written, e.g. 《会计法》第二十一条
    source: SourceSpan | None = None  # CITES/ESTABLISHES/INVOLVES/MENTIONS/ROLE_IN: where the link was read


@dataclass(frozen=True, slots=True)
class ReportGraph:
    """One report's nodes and edges, written all-or-nothing by a `GraphStore`."""

    report: Report
    inspection: Inspection | None
    organizations: tuple[Organization, ...] = ()
    categories: tuple[Category, ...] = ()
    issues: tuple[Issue, ...] = ()
    measures: tuple[Measure, ...] = ()
    regulations: tuple[Regulation, ...] = ()
    people: tuple[Person, ...] = ()
    edges: tuple[Edge, ...] = field(default_factory=tuple)
