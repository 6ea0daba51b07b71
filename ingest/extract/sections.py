"""Find a report's problem structure: sections (一、), problem categories (（一）) and issue headings (1.).

The roles of the enumerator styles are decided per report from their shape: the style whose headings
quote a problem (针对“…”) holds the issues, the next style out holds the categories, the one above it
the sections. Each top-level section has a role (`section_roles.py`): problems are only taken from problem
sections, or from headings with a problem's shape where the role is unclear; work-approach sections give
report-level measures instead. All offsets are into the normalized text.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum

from ikg.ingest.document import SectionRole
from ikg.ingest.extract.headings import (
    Family,
    Heading,
    Paragraph,
    heading_at,
    heading_title,
    paragraphs,
)
from ikg.ingest.extract.measures import MeasureSlice, approach_measures
from ikg.ingest.extract.section_roles import (
    TAKES_PROBLEMS,
    HeadingShapes,
    TopSection,
    top_sections,
)


class Role(Enum):
    SECTION = "section"
    CATEGORY = "category"
    ISSUE = "issue"


@dataclass(frozen=True, slots=True)
class IssueBlock:
    heading: Heading
    end: int  # the issue's text runs from heading.start to here


@dataclass(frozen=True, slots=True)
class CategoryBlock:
    title_start: int  # normalized range of the title; empty when the issues have no heading above them
    title_end: int
    start: int
    end: int
    is_section: bool  # a section heading standing in for a category
    issues: tuple[IssueBlock, ...]


@dataclass(frozen=True, slots=True)
class Outline:
    categories: tuple[CategoryBlock, ...]
    warnings: tuple[str, ...]
    sections: tuple[TopSection, ...] = ()
    approach: tuple[MeasureSlice, ...] = ()  # the work-approach sections' items, report-level measures
    # what was read of each heading, for the parser to reuse; a cache, so no part of what an outline is
    shapes: HeadingShapes | None = field(default=None, compare=False, repr=False)


# Sections that report on the process or on plans, never on problems.
_NOT_PROBLEMS = re.compile(r"下一步|总体情况|基本情况|组织领导|工作打算|主要打算|今后|长效|工作安排")
# the same for a category heading, narrower: 巩固拓展…成果方面 can be a problem category
_NOT_PROBLEM_CATEGORY = re.compile(r"下一步|总体情况|基本情况|组织领导情况|工作打算|主要打算|今后")
# The closing appeal and contact block end the last issue even without a heading.
_CLOSING = re.compile(r"欢迎.{0,30}监督|联系(?:方式|电话)[：:]|附件[：:\d]")
_CLOSING_FIRST = frozenset("欢联附")
# …and so does the signature: a short line naming a body, then nothing but the date (中共某某市审计局党组 /
# 2024年12月2日), where a report ends without a closing section
_SIGNATURE_DATE = re.compile(r"\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*")
_SIGNATURE_NAME = re.compile(
    r"\s*[^。；，,：:]{2,40}?(?:党组|党委|党工委|党总支|党支部|委员会|政府|局|院|公司|会|厅|办|部|委)\s*"
)
# the title line of the report (中共…党组关于…整改情况的通报): a contents list may come before it
_TITLE_LINE = re.compile(r"[^。；，,]{0,60}关于[^。；]{2,80}?(?:通报|报告)")
_TERMINAL = "。！？!?”’）)》"


@dataclass(frozen=True, slots=True)
class _Roles:
    issue: Family
    category: Family | None
    sections: frozenset[Family]  # every style outside the categories
    quoted: bool  # the report quotes its problems in issue headings


def _choose_roles(shapes: HeadingShapes, headings: list[Heading], candidates: list[Heading]) -> _Roles | None:
    """Roles of the enumerator styles; only `candidates` (headings where problems may be) are counted."""
    present = {h.family for h in headings}
    if not present:
        return None
    quoted = Counter(h.family for h in candidates if h.quoted)
    # read the shapes of the headings only when no heading quotes a problem
    problems = (
        Counter[Family]()
        if quoted
        else Counter(h.family for h in candidates if shapes.problem(h) and not shapes.category(h))
    )
    if quoted:
        # most quoted headings; on a tie the inner style (categories may quote too: 关于“…”问题的整改)
        issue = max(quoted, key=lambda f: (quoted[f], f))
    elif problems:
        # unquoted problems still read like problems (…不规范的问题), steps taken do not (1.制定规范); on a
        # tie the outer style: 1、…落实不彻底。 holds its sub-problems (1)…不均衡。
        issue = max(problems, key=lambda f: (problems[f], -f))
    else:
        # bare numbered sentences in a problems section; …方面 headings only name categories, and steps
        # taken (（一）加强组织领导。) and titles of what is reported on (…整改落实情况) are no problems
        listed = {
            h.family for h in candidates if not (shapes.category(h) or shapes.action(h) or shapes.report(h))
        }
        fallback = [Family.ARABIC, Family.ARABIC_PAREN, Family.CIRCLED, Family.CN_PAREN, Family.CN]
        found = next((f for f in fallback if f in listed), None)
        if found is None:
            return None
        issue = found
    above = [f for f in Family if f < issue and f in present]
    category = above[-1] if above else None
    # a report quotes its problems when most headings of the issue style do
    quotes_problems = 2 * quoted[issue] > sum(1 for h in candidates if h.family == issue)
    return _Roles(issue, category, frozenset(above[:-1]), quotes_problems)


def _assign(headings: list[Heading], roles: _Roles) -> list[tuple[Heading, Role]]:
    out: list[tuple[Heading, Role]] = []
    last_section = 0
    last_issue = 0
    for h in headings:
        if h.family in roles.sections:
            out.append((h, Role.SECTION))
            last_section = h.number
        elif h.family == roles.category:
            out.append((h, Role.CATEGORY))
            if not roles.sections:
                last_section = h.number
        elif h.family == roles.issue:
            # 001 numbers its sections 一、 2、 3、: an unquoted 2、 that continues the sections and not the
            # issues is a section heading
            if (
                roles.quoted
                and not h.quoted
                and h.number == last_section + 1
                and h.number not in (1, last_issue + 1)
            ):
                out.append((h, Role.SECTION))
                last_section = h.number
            else:
                out.append((h, Role.ISSUE))
                last_issue = h.number
    return out


def _is_problem_section(
    text: str, heading: Heading | None, members: list[tuple[Heading, Role]], quoted: bool
) -> bool:
    if heading is not None:
        start, end = heading_title(text, heading)
        if _NOT_PROBLEMS.search(text, start, end):
            return False
    issues = [h for h, role in members if role is Role.ISSUE]
    if quoted:
        return any(h.quoted for h in issues)
    return bool(issues)


def _is_problem_category(text: str, category: CategoryBlock, quoted: bool) -> bool:
    if category.is_section:
        return True  # its section was already judged
    if _NOT_PROBLEM_CATEGORY.search(text, category.title_start, category.title_end):
        return False
    # in a report that quotes its problems, a block of unquoted numbered paragraphs is a list of steps taken
    return not (quoted and category.issues and not any(i.heading.quoted for i in category.issues))


def build_outline(text: str) -> Outline:
    """Sections, categories and issues of a normalized report text."""
    paras = list(paragraphs(text))
    shapes = HeadingShapes(text)
    headings = [h for p in paras if (h := heading_at(text, p)) is not None]
    closing = next(
        (p.start for p in paras if text[p.start] in _CLOSING_FIRST and _CLOSING.match(text, p.start, p.end)),
        _signature_start(text, paras),
    )
    # 3、“三重一大”决策制度执行不严格的问题 opens with a quote but does not quote its problem
    headings = [
        replace(h, quoted=False) if h.quoted and not shapes.quoted_problem(h) else h
        for h in headings
        if h.start < closing
    ]
    headings = _without_restarts(_without_contents_list(text, paras, headings))
    tops = top_sections(shapes, headings, closing)
    approach = tuple(
        piece
        for top in tops
        if top.role is SectionRole.APPROACH
        for piece in approach_measures(
            text, top.heading, [h for h in headings if top.start <= h.start < top.end], top.start, top.end
        )
    )
    takes = _Takes(tops, shapes)
    candidates = [h for h in headings if takes.role_at(h.start) in TAKES_PROBLEMS]
    roles = _choose_roles(shapes, headings, candidates)
    if roles is None:
        why = "no issue headings found" if headings else "no numbered headings found"
        return Outline((), (f"{why}: the text shows no report structure",), tops, approach, shapes)
    assigned = _assign(headings, roles)

    # group by section; the part before the first section heading is a section without heading
    groups: list[tuple[Heading | None, list[tuple[Heading, Role]]]] = [(None, [])]
    for h, role in assigned:
        if role is Role.SECTION:
            groups.append((h, []))
        else:
            groups[-1][1].append((h, role))
    boundaries = sorted({h.start for h, _ in assigned} | {closing})

    def block_end(start: int) -> int:
        return boundaries[bisect.bisect_right(boundaries, start)]

    has_categories = any(role is Role.CATEGORY for _, role in assigned)
    categories: list[CategoryBlock] = []
    for section, members in groups:
        if not _is_problem_section(text, section, members, roles.quoted):
            continue
        categories.extend(_section_categories(text, section, members, has_categories, block_end))
    categories = [c for c in categories if _is_problem_category(text, c, roles.quoted)]
    categories = _drop_empty(takes.problems_only(categories), has_sections=len(groups) > 1)
    return Outline(tuple(categories), tuple(_warnings(text, categories, closing)), tops, approach, shapes)


class _Takes:
    """Where problems may be taken from: the role of the top-level section around a position."""

    def __init__(self, tops: Sequence[TopSection], shapes: HeadingShapes) -> None:
        self._shapes = shapes
        self._tops = list(tops)
        self._starts = [t.start for t in tops]

    def role_at(self, pos: int) -> SectionRole:
        i = bisect.bisect_right(self._starts, pos) - 1
        return self._tops[i].role if i >= 0 else SectionRole.OTHER

    def takes(self, heading: Heading) -> bool:
        role = self.role_at(heading.start)
        if role is SectionRole.PROBLEMS:
            return True
        # where the role is unclear only a heading with a problem's shape is a problem
        return role is SectionRole.OTHER and self._shapes.problem(heading)

    def problems_only(self, categories: list[CategoryBlock]) -> list[CategoryBlock]:
        out = []
        for c in categories:
            issues = tuple(i for i in c.issues if self.takes(i.heading))
            titled = c.title_end > c.title_start
            if not issues and (c.issues or (titled and self.role_at(c.title_start) not in TAKES_PROBLEMS)):
                continue  # a work-approach heading standing as a category, or one whose issues were steps
            out.append(c if len(issues) == len(c.issues) else replace(c, issues=issues))
        return out


def _without_contents_list(text: str, paras: list[Paragraph], headings: list[Heading]) -> list[Heading]:
    """Drop a contents list printed before the title: a run of bare headings, then the title line, then the
    body that repeats them (一、提高政治站位 … (一)…方面(7个问题) … 中共…关于…的通报)."""
    if len(headings) < 2:
        return headings
    starts = {h.start for h in headings}
    first = headings[0].start
    for p in paras:
        if p.start < first:
            continue
        if p.start in starts:
            continue
        if _TITLE_LINE.match(text, p.start, p.end) and sum(1 for h in headings if h.start < p.start) >= 2:
            return [h for h in headings if h.start > p.start]
        return headings  # a body paragraph after the first heading: there is no contents list
    return headings


def _section_categories(
    text: str,
    section: Heading | None,
    members: list[tuple[Heading, Role]],
    has_categories: bool,
    block_end: Callable[[int], int],
) -> list[CategoryBlock]:
    out: list[CategoryBlock] = []
    current: tuple[int, int, int, bool] | None = None  # title_start, title_end, start, is_section
    issues: list[IssueBlock] = []

    def close(end: int) -> None:
        if current is not None:
            title_start, title_end, start, is_section = current
            out.append(CategoryBlock(title_start, title_end, start, end, is_section, tuple(issues)))

    for h, role in members:
        if role is Role.CATEGORY:
            close(h.start)
            title_start, title_end = heading_title(text, h)
            current, issues = (title_start, title_end, h.start, False), []
        else:
            if current is None:
                # issues straight under a section (003 三、阶段性完成…): the section stands in for a category
                if section is not None:
                    title_start, title_end = heading_title(text, section)
                    current = (title_start, title_end, section.start, has_categories)
                else:
                    current = (h.start, h.start, h.start, False)
                issues = []
            issues.append(IssueBlock(h, block_end(h.start)))
    if current is not None:
        end = block_end(members[-1][0].start) if members else current[2]
        close(end)
    return out


def _without_restarts(headings: list[Heading]) -> list[Heading]:
    """The headings without outermost-style ones that number back (二、… then 一、修订…；二、清退…): such a
    run is a list inside an issue (整改措施： one per line), not the report's next sections."""
    if not headings:
        return headings
    top = min(h.family for h in headings)
    out: list[Heading] = []
    last = 0
    for h in headings:
        if h.family == top:
            if h.number <= last:
                continue
            last = h.number
        out.append(h)
    return out


def _signature_start(text: str, paras: list[Paragraph]) -> int:
    """Where the closing signature (body line, date line) begins; the text's end when it has none."""
    if len(paras) >= 2:
        name, date = paras[-2], paras[-1]
        if _SIGNATURE_DATE.fullmatch(text, date.start, date.end) and _SIGNATURE_NAME.fullmatch(
            text, name.start, name.end
        ):
            return name.start
    return len(text)


def _drop_empty(categories: list[CategoryBlock], *, has_sections: bool) -> list[CategoryBlock]:
    """Keep a category without issues only where it sits among problem categories (004's （四）)."""
    if not any(c.issues for c in categories):
        return []
    if has_sections:
        return categories
    first = next(i for i, c in enumerate(categories) if c.issues)
    last = max(i for i, c in enumerate(categories) if c.issues)
    return [c for i, c in enumerate(categories) if c.issues or first < i < last]


def _warnings(text: str, categories: list[CategoryBlock], closing: int) -> list[str]:
    issues = [i for c in categories for i in c.issues]
    if not issues:
        return ["no issue headings found: the text shows no recognisable report structure"]
    warnings: list[str] = []
    if not any(c.title_end > c.title_start for c in categories):
        warnings.append("no problem categories found: issues are listed without category headings")
    last = issues[-1]
    tail = text[last.heading.start : last.end].rstrip()
    if last.end >= len(text.rstrip()) and closing >= len(text) and tail and tail[-1] not in _TERMINAL:
        warnings.append(f"text ends inside issue {last.heading.label}: the file looks truncated")
    return warnings
