"""The header facts of a report: title, publisher, inspected unit and region, inspection, publication date.

Titles and signatures are line-structured, so they are read from the lines of the original text; the
inspection facts come from the opening paragraph of the normalized text. Every span points into the original.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ikg.ingest.document import Field, InspectionInfo, Region, Span
from ikg.ingest.extract.dates import DateMatch, ends_with_full_date, find_dates, resolve_years
from ikg.ingest.extract.regions import first_place, region_of, spans_after_places
from ikg.ingest.normalize import NormalizedText

_LEVEL = r"(?:省委|市委|县委|区委|州委|旗委|盟委)"
_NUM = r"[一二三四五六七八九十百零〇\d]+"
_KIND = r"(?:巡视|巡察)"
# 县委第一巡察组, 省委第五专项巡视组, 区委巡察第13组, 市委第2轮巡察第3组
_NUMBERED = rf"第{_NUM}(?:轮)?(?:专项)?{_KIND}组|(?:专项)?{_KIND}第{_NUM}组"
_PARTY_BODY = r"(?:机关党委|党工委|党总支|党支部|党组|党委)"
_BODY_PREFIX = r"(?:中国共产党|中共)"
# 对县总工会党组开展了巡察 / 对中共清远市总工会党组进行了巡察
_OBJECT = re.compile(
    rf"对(?P<obj>[^，。；,;：:\n]{{2,40}}?){_PARTY_BODY}?(?:开展了|进行了|开展|进行|实施了|实施)(?:专项)?(?P<kind>{_KIND})"
)
_LEVEL_RE = re.compile(_LEVEL)
_KIND_RE = re.compile(_KIND)
_NUMBERED_TEAM = re.compile(rf"{_LEVEL}(?:{_NUMBERED})")
_PLAIN_TEAM = re.compile(rf"{_LEVEL}(?:专项)?{_KIND}组")
_SENTENCE_END = re.compile(r"[。；;！？]")
_BODY_PREFIX_RE = re.compile(rf"^{_BODY_PREFIX}")
_COMMITTEE_END = re.compile(r"委员会$")
_PARTY_BODY_END = re.compile(rf"{_PARTY_BODY}$")
_SIGNATURE_BODY = re.compile(rf"{_PARTY_BODY}$|委员会$|政府$|局$|院$|公司$")
# The boundaries str.splitlines() uses, so that line offsets match it.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_RANGE_SEP = re.compile(r"\s*(?:至|到|—|－|-|~|～)\s*")
_OPENING_CHARS = 1200  # the inspection facts are stated in the first paragraph
_FEEDBACK_WINDOW = 80  # a feedback date sits in the same sentence as 反馈
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


@dataclass(frozen=True, slots=True)
class _Line:
    start: int  # original offsets, stripped of surrounding spaces
    end: int
    text: str


def extract_header(nt: NormalizedText) -> Header:
    """Title, publisher, inspected unit, region, inspection facts and publication date of one report."""
    # Only the opening lines and the last few are read: splitting a whole report costs more than the rest.
    tail = _tail_lines(nt.original, _TAIL_LINES)
    title = _title(nt, _lines(nt.original))
    publisher = _publisher(nt, tail, title)
    inspection = _inspection(nt)
    unit = _inspected_unit(nt, publisher, title)
    region = region_of(unit.value) if unit else Region()
    return Header(title, publisher, unit, region, inspection, _publish_date(nt, tail))


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
    """A field whose span is given in original offsets."""
    return Field(value, Span(start, end, nt.line_of(start)))


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
        if not line.text.endswith("通报"):
            continue
        first = i
        joined = line.text
        # A title split over lines: join back until it holds 关于 after the issuing body (X党组 / 关于…通报).
        while first > 0 and ("关于" not in joined or joined.startswith("关于")) and i - first < 2:
            first -= 1
            joined = head[first].text + joined
        return _field(nt, joined, head[first].start, line.end)
    return None


def _publisher(nt: NormalizedText, tail: list[_Line], title: Field | None) -> Field | None:
    if title is not None and "关于" in title.value:
        prefix = title.value.split("关于", 1)[0]
        if len(prefix) >= 4:
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
    # Title spans may cross a line break; map the prefix length through the original text.
    text = nt.original
    pos, taken = title.span.start, 0
    while taken < len(prefix) and pos < len(text):
        if not text[pos].isspace():
            taken += 1
        pos += 1
    return Span(title.span.start, pos, title.span.line)


def _inspection(nt: NormalizedText) -> InspectionInfo:
    text = nt.text
    team = _team(text)
    kind = level = None
    if team is not None:
        t_start, t_end = team
        k = _KIND_RE.search(text[t_start:t_end])
        lv = _LEVEL_RE.search(text[t_start:t_end])
        if k:
            kind = Field(k.group(), nt.span(t_start + k.start(), t_start + k.end()))
        if lv:
            level = Field(lv.group(), nt.span(t_start + lv.start(), t_start + lv.end()))
    start, end, feedback = _inspection_dates(text)
    return InspectionInfo(
        kind=kind,
        level=level,
        team=Field(text[team[0] : team[1]], nt.span(*team)) if team else None,
        start=_date_field(nt, start),
        end=_date_field(nt, end),
        feedback_date=_date_field(nt, feedback),
    )


def _team(text: str) -> tuple[int, int] | None:
    """The first `<places><level><team>`: a numbered team (县委第一巡察组) if any, else 省委巡视组."""
    levels = [m.start() for m in _LEVEL_RE.finditer(text)]
    return _first_after_places(text, levels, _NUMBERED_TEAM) or _first_after_places(text, levels, _PLAIN_TEAM)


def _first_after_places(text: str, anchors: list[int], tail: re.Pattern[str]) -> tuple[int, int] | None:
    """What `re.search` finds for `(?:<places>)*<tail>`, given every position where the tail may match."""

    def end(pos: int) -> int | None:
        m = tail.match(text, pos)
        return m.end() if m else None

    return next(spans_after_places(text, 0, len(text), anchors, end), None)


def _inspection_dates(text: str) -> tuple[DateMatch | None, DateMatch | None, DateMatch | None]:
    """Period start and end (the first `X至Y` range) and the feedback date (the next date near 反馈)."""
    opening = min(len(text), _OPENING_CHARS)
    dates = resolve_years(find_dates(text, 0, opening))
    start = end = feedback = None
    for a, b in itertools.pairwise(dates):
        if _RANGE_SEP.fullmatch(text[a.end : b.start]):
            start, end = a, b
            break
    after = dates.index(end) + 1 if end is not None else 0
    for d in dates[after:]:
        sentence_end = _sentence_end(text, d.end)
        if "反馈" in text[d.end : min(sentence_end, d.end + _FEEDBACK_WINDOW)]:
            feedback = d
            break
    return start, end, feedback


def _sentence_end(text: str, pos: int) -> int:
    m = _SENTENCE_END.search(text, pos)
    return m.start() if m else len(text)


def _date_field(nt: NormalizedText, d: DateMatch | None) -> Field | None:
    if d is None or d.iso is None:
        return None
    return Field(d.iso, nt.span(d.start, d.end))


def _inspected_unit(nt: NormalizedText, publisher: Field | None, title: Field | None) -> Field | None:
    """The canonical full name: from the publisher (中共X党组 -> X), else the inspected object qualified with
    the place name that the report prints most often in front of it (总工会 -> 虎林市总工会)."""
    text = nt.text
    if publisher is not None:
        name = _unit_of_body(publisher.value)
        if first_place(name):  # 国家税务总局清远市税务局 names its place inside
            return _first_occurrence(nt, name) or Field(name, publisher.span)
    m = _OBJECT.search(text, 0, min(len(text), _OPENING_CHARS))
    if m is None:
        return None
    obj = _unit_of_body(m["obj"])
    obj_span = nt.span(m.start("obj"), m.start("obj") + len(m["obj"]))
    if first_place(obj):
        return _first_occurrence(nt, obj) or Field(obj, obj_span)
    core = obj[1:] if obj[:1] in "省市县区" and len(obj) > 2 else obj
    full = _most_printed(text, core, obj[:1] if core != obj else None)
    if full is None and title is not None:
        place = first_place(title.value)
        full = title.value[place[0] : place[1]] + core if place else None
    if full is None:
        return Field(obj, obj_span)
    return _first_occurrence(nt, full) or Field(full, obj_span)


def _unit_of_body(body: str) -> str:
    """中共惠东县总工会党组 -> 惠东县总工会; 中共广东省交通集团有限公司委员会 -> 广东省交通集团有限公司."""
    name = body.strip()
    if _BODY_PREFIX_RE.match(name):
        name = _BODY_PREFIX_RE.sub("", name)
        name = _COMMITTEE_END.sub("", name)
    return _PARTY_BODY_END.sub("", name)


def _most_printed(text: str, core: str, level: str | None) -> str | None:
    """The most frequent `<places><core>` in the text, preferring places of the given level (县, 市 …)."""
    # `(?:<places>)+(?=<core>)` anchored on every occurrence of the core
    anchors = _occurrences(text, core) if core else range(len(text) + 1)

    def before_core(pos: int) -> int | None:
        return pos if text.startswith(core, pos) else None

    counts: Counter[str] = Counter()
    for s, e in spans_after_places(text, 0, len(text), anchors, before_core, at_least_one=True):
        counts[text[s:e] + core] += 1
    if level:
        matching = Counter({k: v for k, v in counts.items() if k[: -len(core)].endswith(level)})
        counts = matching or counts
    return counts.most_common(1)[0][0] if counts else None


def _occurrences(text: str, word: str) -> list[int]:
    found: list[int] = []
    i = text.find(word)
    while i >= 0:
        found.append(i)
        i = text.find(word, i + 1)
    return found


def _first_occurrence(nt: NormalizedText, name: str) -> Field | None:
    i = nt.text.find(name)
    return Field(name, nt.span(i, i + len(name))) if i >= 0 else None


def _publish_date(nt: NormalizedText, tail: list[_Line]) -> Field | None:
    for line in reversed(tail):
        if ends_with_full_date(line.text):
            d = find_dates(line.text)[-1]
            return Field(d.iso or "", Span(line.start + d.start, line.start + d.end, nt.line_of(line.start)))
    return None
