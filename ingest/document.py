"""The document model: what `parse_report` extracts from one rectification report, with provenance.

Every span points into the text as the reader decoded it from the file (`SourceText.text`), never into the
normalized text: `Span.start`/`end` are character offsets (end exclusive), `Span.line` the 1-based line of
`start`. Values may be normalized (ISO dates, canonical names); spans always cover the printed text.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class SourceText:
    """A report file as read: decoded text plus how it was decoded. Only `ingest/reader.py` makes these."""

    path: str  # as given by the user
    text: str  # decoded text (for html/pdf/docx: the extracted article text)
    encoding: str  # e.g. utf-8, utf-8-sig, gb18030, utf-16; "pdf"/"docx" for binary formats
    format: str  # txt | md | html | pdf | docx
    page_starts: tuple[int, ...] = ()  # PDF: offset in `text` where each page begins; else empty
    ocr_pages: tuple[int, ...] = ()  # PDF: 1-based pages whose text came from OCR
    warnings: tuple[str, ...] = ()  # what reading could not do (image pages left unread)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    line: int


@dataclass(frozen=True, slots=True)
class Field:
    """An extracted value and where it was printed. `value` may be normalized (an ISO date)."""

    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class RegulationMention:
    title: str  # as printed, without 《》 or quotes, e.g. 会计法, 三重一大, 银发[2024]101号
    canonical: str  # after the alias table, e.g. 中华人民共和国会计法
    kind: str  # title (《…》) | named_rule (“三重一大”) | doc_number (黑工办发【2022】16号)
    relation: str  # cites | establishes (制定/修订/印发/出台《…》)
    article: str | None  # 第三十二条, when an article reference follows the citation
    span: Span


@dataclass(frozen=True, slots=True)
class OrganizationMention:
    name: str  # as printed
    span: Span


@dataclass(frozen=True, slots=True)
class PersonMention:
    name: str
    role: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class MoneyMention:
    text: str  # as printed: 3325元, 264.90665万元, 30 万
    yuan: float  # 2649066.5 for 264.90665万元
    span: Span


@dataclass(frozen=True, slots=True)
class MeasureItem:
    ordinal: int  # 1-based among the issue's top-level measures
    label: str  # 一是 / 二是 / （1） … as printed
    text: str  # normalized text of the measure, label excluded
    span: Span
    regulations: tuple[RegulationMention, ...] = ()
    organizations: tuple[OrganizationMention, ...] = ()


@dataclass(frozen=True, slots=True)
class IssueItem:
    number: str  # digits as printed
    title: str  # the quoted problem text (between the first “ and the last ”)
    title_span: Span
    short_title: str | None  # the part after a full-width colon prefix, if any
    title_parts: tuple[str, ...]  # when one heading quotes several problems (“…”和“…”)
    status: str | None  # as printed, e.g. 已完成整改，并长期坚持
    deadline: str | None  # 整改时限 text as printed
    text: str  # normalized text of the whole issue: heading up to the next issue or category
    span: Span
    measures: tuple[MeasureItem, ...]
    result: Field | None  # 整改成效 / 整改结果 text
    regulations: tuple[RegulationMention, ...]  # every mention in the issue's text, in order
    money: tuple[MoneyMention, ...]
    implied_category: str | None = None  # for issues listed under a section, not a category


@dataclass(frozen=True, slots=True)
class CategoryItem:
    title: str  # heading without its enumerator and trailing 。
    span: Span
    is_section: bool  # a section heading used as a pseudo-category
    issues: tuple[IssueItem, ...]


class SectionRole(StrEnum):
    """What a top-level section of a report is about."""

    APPROACH = "approach"  # 整改工作开展情况 / 主要做法 / 提高政治站位…: how the unit organised the work
    PROBLEMS = "problems"  # 反馈问题整改落实情况: the problems found and their rectification
    RESULTS = "results"  # 整改成效
    NEXT_STEPS = "next_steps"  # 下一步工作安排
    CONTACT = "contact"  # 联系电话 / 欢迎监督
    OTHER = "other"  # neither heading nor content says: only problem-shaped headings count as problems


@dataclass(frozen=True, slots=True)
class SectionItem:
    title: str  # heading without its enumerator and final 。; "" for text before the first heading
    role: SectionRole
    span: Span  # the whole section, heading to the next top-level heading


@dataclass(frozen=True, slots=True)
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None


@dataclass(frozen=True, slots=True)
class InspectionInfo:
    kind: Field | None = None  # 巡视 | 巡察
    level: Field | None = None  # 省委 | 市委 | 县委 | 区委
    team: Field | None = None  # 县委第一巡察组
    start: Field | None = None  # ISO date
    end: Field | None = None
    feedback_date: Field | None = None
    round: Field | None = None  # 十四届第五轮, as printed in the text or the title
    modes: tuple[str, ...] = ()  # 专项 | 提级 | 机动 | 联动 | 交叉 | 回头看 | 常规


@dataclass(frozen=True, slots=True)
class Contact:
    phone: Field | None = None
    email: Field | None = None
    address: Field | None = None
    postcode: Field | None = None


@dataclass(frozen=True, slots=True)
class ClaimedFigure:
    key: str  # the gold key names: issues, measures, completed, completion_rate, ...
    value: int | str  # counts as int; rates and money as printed
    span: Span


@dataclass(frozen=True, slots=True)
class ReportDocument:
    file: str
    encoding: str
    format: str
    content_hash: str  # sha256 hex of SourceText.text
    title: Field | None
    publisher: Field | None
    inspected_unit: Field | None  # canonical full name with region, e.g. 惠东县总工会
    region: Region
    inspection: InspectionInfo
    publish_date: Field | None
    claimed: tuple[ClaimedFigure, ...]
    contact: Contact
    categories: tuple[CategoryItem, ...]
    regulations_all: tuple[str, ...]  # distinct 《》 titles as printed, in order of first appearance
    named_rules: tuple[str, ...]  # distinct quoted rule names, in order of first appearance
    regulations: tuple[RegulationMention, ...]  # every mention in the report, in order
    people: tuple[PersonMention, ...]
    organizations: tuple[OrganizationMention, ...]
    money: tuple[MoneyMention, ...] = field(default_factory=tuple)
    unit_aliases: tuple[str, ...] = ()  # the unit's short forms and self-references: 县总工会, 我会
    warnings: tuple[str, ...] = ()  # e.g. "text ends mid-issue: the file looks truncated"
    sections: tuple[SectionItem, ...] = ()  # top-level sections with their roles, in order
    # what the unit did, from its work-approach sections: report-level, not the measures of any issue
    approach_measures: tuple[MeasureItem, ...] = ()
    # sha256 of the normalized text without whitespace (NFKC): the report's identity, whatever its format
    text_key: str = ""
    page_starts: tuple[int, ...] = ()  # PDF: offset where each page begins (SourceText.page_starts)
    ocr_pages: tuple[int, ...] = ()  # PDF: 1-based pages read by OCR

    def page_of(self, offset: int) -> int | None:
        """The 1-based PDF page holding `offset`; None when the report is not a PDF."""
        if not self.page_starts:
            return None
        return bisect.bisect_right(self.page_starts, offset)

    @property
    def issues(self) -> tuple[IssueItem, ...]:
        return tuple(i for c in self.categories for i in c.issues)
