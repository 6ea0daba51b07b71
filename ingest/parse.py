"""Parse one rectification report into a `ReportDocument`: a pure function from text to a model with spans.

The text is normalized first (`normalize.py`); structure comes from `extract/sections.py`, each issue from
`extract/issues.py` and `extract/measures.py`, the header and entities from the other `extract/` modules.
Every span in the result points into the text as given.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Generic, Protocol, TypeVar

from ikg.ingest.document import (
    CategoryItem,
    Field,
    IssueItem,
    MeasureItem,
    MoneyMention,
    OrganizationMention,
    RegulationMention,
    ReportDocument,
    SectionItem,
    SourceText,
    Span,
)
from ikg.ingest.extract.claimed import extract_claimed
from ikg.ingest.extract.contact import extract_contact
from ikg.ingest.extract.header import extract_header
from ikg.ingest.extract.headings import Family, heading_title
from ikg.ingest.extract.issues import (
    find_deadline,
    find_result,
    find_status,
    form_lines,
    short_title,
)
from ikg.ingest.extract.measures import MeasureSlice, split_measures
from ikg.ingest.extract.money import find_money
from ikg.ingest.extract.organizations import find_organizations
from ikg.ingest.extract.people import find_people
from ikg.ingest.extract.regulations import find_regulations
from ikg.ingest.extract.section_roles import HeadingShapes, TopSection
from ikg.ingest.extract.sections import CategoryBlock, IssueBlock, build_outline
from ikg.ingest.normalize import NormalizedText, normalize, with_run_on_headings_broken


def parse_source(source: SourceText) -> ReportDocument:
    """Parse a report as read by `ingest.reader`."""
    doc = parse_report(source.text, file=source.path, encoding=source.encoding, format=source.format)
    if not (source.page_starts or source.warnings):
        return doc
    return replace(
        doc,
        page_starts=source.page_starts,
        ocr_pages=source.ocr_pages,
        warnings=(*source.warnings, *doc.warnings),
    )


def text_key(normalized: str) -> str:
    """The identity of a report's text: the same words as .txt, .pdf or .docx give the same key."""
    bare = "".join(_nfkc(normalized).split())
    return hashlib.sha256(bare.encode("utf-8", "surrogatepass")).hexdigest()


# CJK unified ideographs, and the punctuation that NFKC leaves as it is, are stable starters that compose
# with nothing, so NFKC may be applied to the text between them piece by piece with the same result; those
# pieces (，（一）2023) repeat in every report, and NFKC over a whole report costs more than its outline.
STABLE_PUNCTUATION = "“”‘’、。《》【】—"
_IDEOGRAPHS = re.compile(f"([\u4e00-\u9fff{STABLE_PUNCTUATION}]+)")


def _nfkc(text: str) -> str:
    pieces = _IDEOGRAPHS.split(text)
    pieces[::2] = [
        p if p.isascii() else _nfkc_cached(p) if len(p) <= _CACHED_PIECE else unicodedata.normalize("NFKC", p)
        for p in pieces[::2]
    ]
    return "".join(pieces)


_CACHED_PIECE = 32  # punctuation, numbers, short Latin words: what repeats (a long piece would bloat it)


@lru_cache(maxsize=4096)
def _nfkc_cached(piece: str) -> str:
    return unicodedata.normalize("NFKC", piece)


def parse_report(text: str, *, file: str, encoding: str = "utf-8", format: str = "txt") -> ReportDocument:
    """Parse one report text. Never raises on odd input: a text without structure comes back with no
    categories and a warning, and the caller decides whether to refuse it."""
    nt = normalize(text)
    header = extract_header(nt)
    unit = header.inspected_unit.value if header.inspected_unit else None
    outline = build_outline(nt.text)
    if not outline.categories and (broken := with_run_on_headings_broken(nt)) is not None:
        # a copy that lost its line breaks: read it again with its run-on headings on lines of their own
        again = build_outline(broken.text)
        if again.categories:
            nt, outline = broken, again
    entities = _Entities(
        regulations=_Sliceable(find_regulations(nt)),
        money=_Sliceable(find_money(nt)),
        organizations=_Sliceable(find_organizations(nt, unit=unit)),
    )
    warnings = list(outline.warnings)
    shapes = outline.shapes or HeadingShapes(nt.text)
    categories = _categories(nt, outline.categories, entities, shapes, warnings)
    return ReportDocument(
        file=file,
        encoding=encoding,
        format=format,
        content_hash=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        text_key=text_key(nt.text),
        title=header.title,
        publisher=header.publisher,
        inspected_unit=header.inspected_unit,
        region=header.region,
        inspection=header.inspection,
        publish_date=header.publish_date,
        claimed=extract_claimed(nt),
        contact=extract_contact(nt),
        categories=categories,
        regulations_all=_distinct(m.title for m in entities.regulations.all if m.kind == "title"),
        named_rules=_distinct(m.title for m in entities.regulations.all if m.kind == "named_rule"),
        regulations=entities.regulations.all,
        people=tuple(find_people(nt)),
        organizations=entities.organizations.all,
        money=entities.money.all,
        unit_aliases=header.unit_aliases,
        warnings=tuple(warnings),
        sections=tuple(_section(nt, top) for top in outline.sections),
        approach_measures=tuple(
            _measure(nt, ordinal, piece, entities) for ordinal, piece in enumerate(outline.approach, start=1)
        ),
    )


def _section(nt: NormalizedText, top: TopSection) -> SectionItem:
    title = ""
    if top.heading is not None:
        start, end = heading_title(nt.text, top.heading)
        title = nt.text[start:end]
    start, end = _trimmed(nt, top.start, top.end)
    return SectionItem(title, top.role, nt.span(start, max(end, start)))


def _measure(nt: NormalizedText, ordinal: int, piece: MeasureSlice, entities: _Entities) -> MeasureItem:
    span = nt.span(piece.label_start, piece.end)
    return MeasureItem(
        ordinal=ordinal,
        label=piece.label,
        text=nt.text[piece.text_start : piece.end],
        span=span,
        regulations=entities.regulations.within(span),
        organizations=entities.organizations.within(span),
    )


class _Spanned(Protocol):
    @property
    def span(self) -> Span: ...


_T = TypeVar("_T", bound=_Spanned)


class _Sliceable(Generic[_T]):
    """Mentions sorted by start, sliced by original offsets for each issue and measure."""

    def __init__(self, mentions: Iterable[_T]) -> None:
        self.all: tuple[_T, ...] = tuple(sorted(mentions, key=lambda m: m.span.start))
        self._starts = [m.span.start for m in self.all]

    def within(self, span: Span) -> tuple[_T, ...]:
        lo = bisect.bisect_left(self._starts, span.start)
        hi = bisect.bisect_left(self._starts, span.end, lo)
        if lo == hi:
            return ()
        end = span.end
        return tuple([m for m in self.all[lo:hi] if m.span.end <= end])


@dataclass(frozen=True, slots=True)
class _Entities:
    regulations: _Sliceable[RegulationMention]
    money: _Sliceable[MoneyMention]
    organizations: _Sliceable[OrganizationMention]


def _distinct(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _trimmed(nt: NormalizedText, start: int, end: int) -> tuple[int, int]:
    text = nt.text
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _categories(
    nt: NormalizedText,
    blocks: tuple[CategoryBlock, ...],
    entities: _Entities,
    shapes: HeadingShapes,
    warnings: list[str],
) -> tuple[CategoryItem, ...]:
    issue_family = next((i.heading.family for b in blocks for i in b.issues), None)
    allow_arabic = issue_family is not None and issue_family != Family.ARABIC
    categories: list[CategoryItem] = []
    for block in blocks:
        title = nt.text[block.title_start : block.title_end]
        issues = tuple(_issue(nt, issue, entities, shapes, allow_arabic, warnings) for issue in block.issues)
        start, end = _trimmed(nt, block.start, block.end)
        categories.append(
            CategoryItem(
                title=title,
                span=nt.span(block.title_start, block.title_end) if title else nt.span(start, end),
                is_section=block.is_section,
                issues=issues,
            )
        )
    return _with_implied_categories(categories)


def _issue(
    nt: NormalizedText,
    block: IssueBlock,
    entities: _Entities,
    shapes: HeadingShapes,
    allow_arabic: bool,
    warnings: list[str],
) -> IssueItem:
    text = nt.text
    heading = block.heading
    start, end = _trimmed(nt, heading.start, block.end)
    title = shapes.issue_title(heading)
    if not title.closed:
        warnings.append(f"issue {heading.label}: the quote of its heading is never closed")
    title_text = text[title.start : title.end]
    status = find_status(text, title.end, end, title.end)
    deadline = find_deadline(text, title.end, end, status)
    result = find_result(text, title.end, end, status)
    excluded: list[tuple[int, int]] = []
    if result is not None:
        excluded.append((result.label_start, result.end))
    if status is not None:
        excluded.append((status.label_start, status.end))
    if deadline is not None:
        excluded.append((deadline.label_start, deadline.end))
    excluded.extend(form_lines(text, title.end, end))
    measure_start = max(title.end, heading.body)
    span = nt.span(start, end)
    pieces = split_measures(
        text, measure_start, end, excluded=tuple(sorted(excluded)), allow_arabic=allow_arabic
    )
    measures = [_measure(nt, ordinal, piece, entities) for ordinal, piece in enumerate(pieces, start=1)]
    return IssueItem(
        number=heading.label,
        title=title_text,
        title_span=nt.span(title.start, title.end),
        short_title=short_title(title_text),
        title_parts=tuple(text[a:b] for a, b in title.parts),
        status=text[status.start : status.end] if status else None,
        deadline=text[deadline.start : deadline.end] if deadline else None,
        text=text[start:end],
        span=span,
        measures=tuple(measures),
        result=Field(text[result.start : result.end], nt.span(result.start, result.end)) if result else None,
        regulations=entities.regulations.within(span),
        money=entities.money.within(span),
    )


def _with_implied_categories(categories: list[CategoryItem]) -> tuple[CategoryItem, ...]:
    """Issues listed under a section name their category by the title prefix they share (003 issues 18–23)."""
    by_prefix: dict[str, str] = {}
    titles: set[str] = set()
    for category in categories:
        if category.is_section:
            continue
        titles.add(category.title)
        for issue in category.issues:
            prefix = _prefix(issue)
            if prefix:
                by_prefix.setdefault(prefix, category.title)
    out: list[CategoryItem] = []
    for category in categories:
        if not category.is_section:
            out.append(category)
            continue
        issues = []
        for issue in category.issues:
            prefix = _prefix(issue)
            implied = by_prefix.get(prefix) if prefix else None
            if implied is None and prefix in titles:
                implied = prefix
            issues.append(_replace_implied(issue, implied))
        out.append(CategoryItem(category.title, category.span, category.is_section, tuple(issues)))
    return tuple(out)


def _prefix(issue: IssueItem) -> str | None:
    if issue.short_title is None:
        return None
    prefix: str = issue.title[: len(issue.title) - len(issue.short_title)]
    return prefix.rstrip("：").strip()


def _replace_implied(issue: IssueItem, implied: str | None) -> IssueItem:
    if implied is None:
        return issue
    return replace(issue, implied_category=implied)
