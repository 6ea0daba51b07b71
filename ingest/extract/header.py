"""The header facts of a report: title, publisher, inspected unit and region, inspection, publication date.

Titles and signatures are line-structured, so they are read from the lines of the original text; the
inspection facts come from the opening paragraph of the normalized text. Every span points into the original.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

from ikg.ingest.document import Field, InspectionInfo, Region, Span
from ikg.ingest.extract.dates import DateMatch, ends_with_full_date, find_dates, resolve_years
from ikg.ingest.extract.regions import place_pattern, region_of
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
    lines = _lines(nt.original)
    title = _title(nt, lines)
    publisher = _publisher(nt, lines, title)
    inspection = _inspection(nt)
    unit = _inspected_unit(nt, publisher, title)
    region = region_of(unit.value) if unit else Region()
    return Header(title, publisher, unit, region, inspection, _publish_date(nt, lines))


def _lines(text: str) -> list[_Line]:
    found: list[_Line] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            found.append(_Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw)
    return found


def _field(nt: NormalizedText, value: str, start: int, end: int) -> Field:
    """A field whose span is given in original offsets."""
    return Field(value, Span(start, end, nt.line_of(start)))


def _title(nt: NormalizedText, lines: list[_Line]) -> Field | None:
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


def _publisher(nt: NormalizedText, lines: list[_Line], title: Field | None) -> Field | None:
    if title is not None and "关于" in title.value:
        prefix = title.value.split("关于", 1)[0]
        if len(prefix) >= 4:
            return Field(prefix, _prefix_span(nt, title, prefix))
    # The signature: the line before the closing date, or the text before a date on the same line.
    tail = lines[-_TAIL_LINES:]
    for k in range(len(tail) - 1, -1, -1):
        line = tail[k]
        if not ends_with_full_date(line.text):
            continue
        dates = find_dates(line.text)
        before = line.text[: dates[-1].start].strip() if dates else ""
        if before:
            return _field(nt, before, line.start, line.start + len(before))
        if k > 0 and re.search(rf"{_PARTY_BODY}$|委员会$|政府$|局$|院$|公司$", tail[k - 1].text):
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
        k = re.search(_KIND, text[t_start:t_end])
        lv = re.search(_LEVEL, text[t_start:t_end])
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
    places = place_pattern().pattern
    numbered = re.compile(rf"(?:(?:{places})+)?{_LEVEL}(?:{_NUMBERED})")
    if m := numbered.search(text):
        return m.start(), m.end()
    plain = re.compile(rf"(?:(?:{places})+)?{_LEVEL}(?:专项)?{_KIND}组")
    if m := plain.search(text):
        return m.start(), m.end()
    return None


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
    m = re.compile(r"[。；;！？]").search(text, pos)
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
        if place_pattern().search(name):  # 国家税务总局清远市税务局 names its place inside
            return _first_occurrence(nt, name) or Field(name, publisher.span)
    m = _OBJECT.search(text, 0, min(len(text), _OPENING_CHARS))
    if m is None:
        return None
    obj = _unit_of_body(m["obj"])
    obj_span = nt.span(m.start("obj"), m.start("obj") + len(m["obj"]))
    if place_pattern().search(obj):
        return _first_occurrence(nt, obj) or Field(obj, obj_span)
    core = obj[1:] if obj[:1] in "省市县区" and len(obj) > 2 else obj
    full = _most_printed(text, core, obj[:1] if core != obj else None)
    if full is None and title is not None:
        places = [p.group() for p in place_pattern().finditer(title.value)]
        full = places[0] + core if places else None
    if full is None:
        return Field(obj, obj_span)
    return _first_occurrence(nt, full) or Field(full, obj_span)


def _unit_of_body(body: str) -> str:
    """中共惠东县总工会党组 -> 惠东县总工会; 中共广东省交通集团有限公司委员会 -> 广东省交通集团有限公司."""
    name = body.strip()
    if re.match(_BODY_PREFIX, name):
        name = re.sub(rf"^{_BODY_PREFIX}", "", name)
        name = re.sub(r"委员会$", "", name)
    return re.sub(rf"{_PARTY_BODY}$", "", name)


def _most_printed(text: str, core: str, level: str | None) -> str | None:
    """The most frequent `<places><core>` in the text, preferring places of the given level (县, 市 …)."""
    pattern = re.compile(rf"(?:{place_pattern().pattern})+(?={re.escape(core)})")
    counts: Counter[str] = Counter()
    for m in pattern.finditer(text):
        counts[m.group() + core] += 1
    if level:
        matching = Counter({k: v for k, v in counts.items() if k[: -len(core)].endswith(level)})
        counts = matching or counts
    return counts.most_common(1)[0][0] if counts else None


def _first_occurrence(nt: NormalizedText, name: str) -> Field | None:
    i = nt.text.find(name)
    return Field(name, nt.span(i, i + len(name))) if i >= 0 else None


def _publish_date(nt: NormalizedText, lines: list[_Line]) -> Field | None:
    for line in reversed(lines[-_TAIL_LINES:]):
        if ends_with_full_date(line.text):
            d = find_dates(line.text)[-1]
            return Field(d.iso or "", Span(line.start + d.start, line.start + d.end, nt.line_of(line.start)))
    return None
