"""The header facts of a report: title, publisher, inspected unit and region, inspection, publication date.

Titles and signatures are line-structured, so they are read from the lines of the original text; the
inspection facts come from the opening paragraph of the normalized text. Every span points into the original.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ikg.ingest.document import Field, InspectionInfo, Region, Span
from ikg.ingest.extract.dates import DateMatch, ends_with_full_date, find_dates, inspection_dates
from ikg.ingest.extract.inspection import find_inspection
from ikg.ingest.extract.regions import region_of
from ikg.ingest.extract.unit import find_unit
from ikg.ingest.fold import PAGE_META
from ikg.ingest.normalize import NormalizedText

_SIGNATURE_BODY = re.compile(r"(?:机关党委|党工委|党总支|党支部|党组|党委)$|委员会$|政府$|局$|院$|公司$")
# The boundaries str.splitlines() uses, so that line offsets match it.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# A title line may carry the publication date after it: …情况的通报 2026-02-13
_TITLE_END = re.compile(r"(?:通报|报告|公告)(?=\s*(?:(?:19|20)\d{2}\s*[-年./]\s*\d{1,2}.*)?$)")
# where a title without 关于 turns from its body to the inspection
_TITLE_TOPIC = re.compile(
    r"十[一二三四五六七八九]?届|[省市县区州]委(?:第|巡)|中央第|第[一二三四五六七八九十]+轮|巡视|巡察"
)
# …的报告 / …的公告 end a title only when it is about the inspection (a breadcrumb may end 通知公告)
_INSPECTION_TITLE = re.compile(r"巡视|巡察|整改")
_NAMED_BODY = re.compile(r"^(?:中国共产党|中共)|(?:党组|党委|党工委|党总支|党支部|委员会)$")
_MAX_NAME = 40
_MAX_TITLE_LINE = 60
_TAIL_LINES = 4  # the signature and the date close the report


@dataclass(frozen=True, slots=True)
class Header:
    title: Field | None
    publisher: Field | None
    inspected_unit: Field | None  # canonical full name with region, e.g. 惠东县总工会
    region: Region
    inspection: InspectionInfo
    publish_date: Field | None
    unit_aliases: tuple[str, ...] = ()  # short forms and self-references: 县总工会, 我会


@dataclass(frozen=True, slots=True)
class _Line:
    start: int  # original offsets, stripped of surrounding spaces
    end: int
    text: str


def extract_header(nt: NormalizedText) -> Header:
    """Title, publisher, inspected unit, region, inspection facts and publication date of one report."""
    # Only the opening lines and the last few are read: splitting a whole report costs more than the rest.
    tail = _tail_lines(nt.lines_text, _TAIL_LINES)
    title = _title(nt, _lines(nt.lines_text))
    publisher = _publisher(nt, tail, title)
    inspection = _inspection(nt, title)
    named = publisher or _title_like(nt, _lines(nt.lines_text))
    facts = find_unit(nt, named)
    unit = facts.unit
    region = region_of(unit.value) if unit else Region()
    published = _publish_date(nt, tail) or _page_publish_date(nt, _lines(nt.lines_text))
    return Header(title, publisher, unit, region, inspection, published, facts.aliases)


def _lines(text: str, pos: int = 0) -> Iterator[_Line]:
    """The non-blank lines from `pos` (a line start) on, as `str.splitlines` cuts them, stripped."""
    for m in _LINE_BREAK.finditer(text, pos):
        if (line := _line(text, pos, m.start())) is not None:
            yield line
        pos = m.end()
    if (line := _line(text, pos, len(text))) is not None:
        yield line


def _line(text: str, start: int, end: int) -> _Line | None:
    raw = text[start:end]
    stripped = raw.strip()
    if not stripped:
        return None
    lead = len(raw) - len(raw.lstrip())
    return _Line(start + lead, start + lead + len(stripped), stripped)


def _tail_lines(text: str, count: int) -> list[_Line]:
    """The last `count` non-blank lines, read from a growing piece of the end of the text."""
    size = 2048
    while True:
        cut = max(0, len(text) - size)
        first = 0
        if cut > 0:  # the piece may open inside a line: start after its first line break
            m = _LINE_BREAK.search(text, cut)
            first = m.end() if m else len(text)
        lines = list(_lines(text, first))
        if len(lines) >= count or cut == 0:
            return lines[-count:]
        size *= 4


def _field(nt: NormalizedText, value: str, start: int, end: int) -> Field:
    """A field whose span is given in offsets of `nt.lines_text`."""
    return Field(value, nt.lines_span(start, end))


def _title(nt: NormalizedText, lines: Iterable[_Line]) -> Field | None:
    # Lines before the first paragraph; web copies may start with breadcrumbs (省总工会 / 黑龙江-省监察厅).
    head: list[_Line] = []
    for line in lines:
        if line.text.startswith(("根据", "按照", "为")) or len(line.text) > _MAX_TITLE_LINE:
            if "通报" in line.text[:_MAX_TITLE_LINE] and not head:
                cut = line.text.index("通报") + 2
                return _field(nt, line.text[:cut], line.start, line.start + cut)
            break
        head.append(line)
    for i, line in enumerate(head):
        if (end_m := _TITLE_END.search(line.text)) is None:
            continue
        if end_m.group() != "通报" and not _INSPECTION_TITLE.search(line.text):
            continue
        line = _Line(line.start, line.start + end_m.end(), line.text[: end_m.end()])
        first = i
        joined = line.text
        # A title split over lines: join back until it holds 关于 after the issuing body (X党组 / 关于…通报).
        while first > 0 and ("关于" not in joined or joined.startswith("关于")) and i - first < 2:
            if PAGE_META.search(head[first - 1].text):
                break
            first -= 1
            joined = head[first].text + joined
        return _field(nt, joined, head[first].start, line.end)
    return None


def _publisher(nt: NormalizedText, tail: list[_Line], title: Field | None) -> Field | None:
    if title is not None and "关于" in title.value:
        prefix = title.value.split("关于", 1)[0]
        if len(prefix) >= 4:
            return Field(prefix, _prefix_span(nt, title, prefix))
    elif title is not None and (topic := _TITLE_TOPIC.search(title.value, 4)) is not None:
        # 某某县民政局巡察整改情况报告: no 关于, the body names itself before the inspection
        prefix = re.sub(r"(?:贯彻落实|落实|贯彻|对|就)$", "", title.value[: topic.start()])
        if len(prefix) >= 4 and not re.search(r"[，。；：,;:\s]", prefix):
            return Field(prefix, _prefix_span(nt, title, prefix))
    # The signature: the line before the closing date, or the text before a date on the same line.
    for k in range(len(tail) - 1, -1, -1):
        line = tail[k]
        if not ends_with_full_date(line.text):
            continue
        dates = find_dates(line.text)
        before = line.text[: dates[-1].start].strip() if dates else ""
        if before:
            return _field(nt, before, line.start, line.start + len(before))
        if k > 0 and _SIGNATURE_BODY.search(tail[k - 1].text):
            prev = tail[k - 1]
            return _field(nt, prev.text, prev.start, prev.end)
        break
    return None


def _prefix_span(nt: NormalizedText, title: Field, prefix: str) -> Span:
    # Title spans may cross a line break; map the prefix length through the text the title was read from.
    text = nt.lines_text
    pos = nt.lines_offset(title.span.start)
    begin, taken = pos, 0
    while taken < len(prefix) and pos < len(text):
        if not text[pos].isspace():
            taken += 1
        pos += 1
    return nt.lines_span(begin, pos)


def _inspection(nt: NormalizedText, title: Field | None) -> InspectionInfo:
    text = nt.text
    facts = find_inspection(text, title.value if title else None)
    team = facts.team
    start, end, feedback = inspection_dates(text)

    def printed(span: tuple[int, int] | None) -> Field | None:
        return Field(text[span[0] : span[1]], nt.span(*span)) if span else None

    rnd = printed(facts.round)
    if rnd is None and title is not None and (m := _round_in_title(title.value)) is not None:
        rnd = Field(m, title.span)
    return InspectionInfo(
        kind=printed(facts.kind),
        level=printed(facts.level),
        team=printed((team.start, team.end)) if team else None,
        start=_date_field(nt, start),
        end=_date_field(nt, end),
        feedback_date=_date_field(nt, feedback),
        round=rnd,
        modes=facts.modes,
    )


def _round_in_title(title: str) -> str | None:
    from ikg.ingest.extract.inspection import round_in

    return round_in(title)


def _date_field(nt: NormalizedText, d: DateMatch | None) -> Field | None:
    if d is None or d.iso is None:
        return None
    return Field(d.iso, nt.span(d.start, d.end))


def _title_like(nt: NormalizedText, lines: Iterable[_Line]) -> Field | None:
    """The issuing body of a title line cut off by the page or without 通报 (中共X党组关于十九届中央)."""
    for line in itertools.islice(lines, 16):
        if line.text.startswith(("根据", "按照")):
            break
        if "关于" not in line.text:
            continue
        prefix = line.text.split("关于", 1)[0]
        name = prefix.strip().lstrip("【】|｜ ")
        if 2 <= len(name) <= _MAX_NAME and _NAMED_BODY.search(name) and not re.search(r"[，。；：,;:]", name):
            at = line.text.index(name)
            return _field(nt, name, line.start + at, line.start + at + len(name))
    return None


_ISO_OR_CN_DATE = r"((?:19|20)\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})(?!\d)日?"
# Where a saved page prints its date before the body: 发布时间：2024-03-15 (after 【字号】 or before 来源：),
# a line that starts with the date (2020-10-26 17:38:48 / 2021年10月25日09:20  来源：…), or after the title
# on its line (…情况的通报 2026-02-13).
_PAGE_DATES = (
    re.compile(rf"(?:发布时间|发布日期)\s*[:：]\s*{_ISO_OR_CN_DATE}"),
    re.compile(rf"^{_ISO_OR_CN_DATE}\s*(?:\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s*(?:\S+\s*[:：].*)?$"),
    re.compile(rf"(?:通报|报告)\s*{_ISO_OR_CN_DATE}\s*$"),
)
_HEAD_META_LINES = 16


def _page_publish_date(nt: NormalizedText, lines: Iterable[_Line]) -> Field | None:
    """The date a saved page prints before the report's first paragraph, when no signature dates it."""
    for line in itertools.islice(lines, _HEAD_META_LINES):
        if line.text.startswith(("根据", "按照")):
            break
        for pattern in _PAGE_DATES:
            if (m := pattern.search(line.text)) is None:
                continue
            year, month, day = (int(g) for g in m.groups())
            if 1 <= month <= 12 and 1 <= day <= 31:
                span = nt.lines_span(line.start + m.start(1), line.start + m.end(3))
                iso = f"{year:04d}-{month:02d}-{day:02d}"
                return Field(iso, Span(span.start, span.end, nt.line_of(span.start)))
    return None


def _publish_date(nt: NormalizedText, tail: list[_Line]) -> Field | None:
    for line in reversed(tail):
        if ends_with_full_date(line.text):
            d = find_dates(line.text)[-1]
            span = nt.lines_span(line.start + d.start, line.start + d.end)
            return Field(
                d.iso or "", Span(span.start, span.end, nt.line_of(nt.lines_span(line.start, line.end).start))
            )
    return None
