"""Chinese calendar dates as printed in reports (2023年3月27日, 2023 年 3 月 22 日, 11月9日, 9月30,
二〇二三年三月五日) -> ISO.

A date without a year takes it from context: `resolve_years` walks dates in text order and carries the last
printed year forward, moving to the next year when a year-less date would fall before the date just seen;
dates before the first printed year take it from the next one. With `lenient`, a date whose 年/月 a page
dropped (2024717日, 914日) is read when only one month/day split of its digits is a real date; 上旬/下旬 are
never dates.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

# Spaces (even line breaks) may sit between the parts: PDF text prints `2023 年\n\n11 月 3 日`.
# The 日 is optional because reports drop it (`2019年9月30巡察组`); a day is never followed by a digit.
_DATE = re.compile(
    r"(?<!\d)(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})(?!\d)"
    r"(?:\s*[-—~～]\s*\d{1,2}(?!\d))?(?:\s*(?:日|号))?"
)
# A date starts a run of digits; finding the runs first spares trying the pattern at every position.
_DIGIT_RUN = re.compile(r"\d+")
# Chinese numerals: 二〇二三年三月五日, 十二月三十一日 (the 日 is required: 三月 alone is a month)
_CN_DIGIT = "〇○零一二三四五六七八九"
_CN_DATE = re.compile(
    rf"(?:(?P<y>[{_CN_DIGIT}]{{4}})\s*年\s*)?(?P<m>十[一二]?|[一二三四五六七八九])\s*月\s*"
    r"(?P<d>三十[一]?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])\s*(?:日|号)"
)
_CN_MONTH = re.compile(r"[一二三四五六七八九十]\s*月")
# A page that dropped 年 and 月: 2024717日 (2024年7月17日), 830日, 914日
_RUN_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})?(?P<md>\d{3,4})\s*日")
_FULL_DATE_AT_END = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")


@dataclass(frozen=True, slots=True)
class DateMatch:
    start: int  # offsets into the searched text, covering the printed date
    end: int
    year: int | None  # None when the text printed no year
    month: int
    day: int
    year_printed: bool

    @property
    def iso(self) -> str | None:
        """YYYY-MM-DD, or None while the year is unknown or the day does not exist."""
        if self.year is None:
            return None
        try:
            return date(self.year, self.month, self.day).isoformat()
        except ValueError:
            return None


def find_dates(
    text: str, start: int = 0, end: int | None = None, *, lenient: bool = False
) -> list[DateMatch]:
    """Every month-day date in `text[start:end]`, in order; offsets index `text`. `lenient` also reads
    dates whose 年/月 the page dropped (2024717日)."""
    stop = len(text) if end is None else end
    found: list[DateMatch] = []
    pos = start
    for run in _DIGIT_RUN.finditer(text, start, stop):
        if run.start() < pos:
            continue
        m = _DATE.match(text, run.start(), stop)
        if m is None:
            if lenient and (d := _run_date(text, run.start(), stop)) is not None:
                found.append(d)
                pos = d.end
            continue
        pos = m.end()  # what `finditer` would do: go on after the match
        month, day = int(m["m"]), int(m["d"])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        year = int(m["y"]) if m["y"] else None
        found.append(DateMatch(m.start(), m.end(), year, month, day, year is not None))
    if "月" in text[start:stop] and _CN_MONTH.search(text, start, stop):
        found = sorted([*found, *_chinese_dates(text, start, stop)], key=lambda d: d.start)
    return found


def _run_date(text: str, pos: int, stop: int) -> DateMatch | None:
    m = _RUN_DATE.match(text, pos, stop)
    if m is None:
        return None
    digits = m["md"]
    splits = [
        (int(digits[:i]), int(digits[i:]))
        for i in (1, 2)
        if digits[i] != "0"
        and 1 <= int(digits[:i]) <= 12
        and 1 <= int(digits[i:]) <= 31
        and len(digits) - i <= 2
    ]
    if len(splits) != 1:
        return None  # 111日: 1月11日 or 11月1日
    month, day = splits[0]
    year = int(m["y"]) if m["y"] else None
    return DateMatch(m.start(), m.end(), year, month, day, year is not None)


def _cn_number(s: str) -> int:
    """三十一 -> 31, 十二 -> 12, 五 -> 5; a year's digits 二〇二三 -> 2023."""
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}
    if "十" not in s:
        return int("".join(str(digits[c]) for c in s))
    tens, _, ones = s.partition("十")
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)


def _chinese_dates(text: str, start: int, stop: int) -> list[DateMatch]:
    found = []
    for m in _CN_DATE.finditer(text, start, stop):
        month, day = _cn_number(m["m"]), _cn_number(m["d"])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        year = _cn_number(m["y"]) if m["y"] else None
        found.append(DateMatch(m.start(), m.end(), year, month, day, year is not None))
    return found


def resolve_years(dates: Iterable[DateMatch], default_year: int | None = None) -> list[DateMatch]:
    """Give year-less dates the year of the preceding date (the next year if they would fall before it)."""
    dates = list(dates)
    if default_year is None:
        # dates before the first printed year take it from that date (the year before if they fall after it)
        first = next((d for d in dates if d.year is not None), None)
        if first is not None and first.year is not None:
            default_year = first.year
            before = [d for d in dates[: dates.index(first)] if (d.month, d.day) > (first.month, first.day)]
            if before:
                default_year -= 1
    resolved: list[DateMatch] = []
    last: DateMatch | None = None
    for d in dates:
        if d.year is None:
            year = last.year if last is not None else default_year
            if year is not None and last is not None and (d.month, d.day) < (last.month, last.day):
                year += 1
            d = replace(d, year=year)
        resolved.append(d)
        if d.year is not None:
            last = d
    return resolved


def ends_with_full_date(line: str) -> bool:
    """True for a line that ends with a complete date, like a report's closing `2024 年 8 月 20 日`."""
    return _FULL_DATE_AT_END.search(line) is not None


# A month without its day (2023年9月中旬, 2023年9月): not a date, but it gives the year to the dates after it
# (the digit before the year is checked behind its first digit, so that `re` skips to the 1s and 2s)
_YEAR_MONTH = re.compile(r"((?:1(?<!\d.)9|2(?<!\d.)0)\d{2})\s*年\s*(\d{1,2})\s*月(?!\s*\d)")
_RANGE_SEP = re.compile(r"\s*(?:至|到|—|－|-|~|～)\s*")
# 于2024年10月9日进驻县水务局党组开展巡察，至11月29日结束: a range split by the stay it dates
_STAY_GAP = re.compile(r"\s*(?:进驻|入驻)[^。；;\d]{0,40}?[，,]?\s*(?:至|到|于)\s*")
_STAY_END = re.compile(r"\s*(?:结束|撤离|离开)")
_SENTENCE_END = re.compile(r"[。；;！？]")
_OPENING_CHARS = 1200  # the inspection facts are stated in the first paragraph
_FEEDBACK_WINDOW = 80  # a feedback date sits in the same sentence as 反馈


def inspection_dates(text: str) -> tuple[DateMatch | None, DateMatch | None, DateMatch | None]:
    """Period start and end (the first `X至Y` range) and the feedback date (the next date near 反馈) in the
    opening of `text`."""
    opening = min(len(text), _OPENING_CHARS)
    dates = _with_month_years(text, find_dates(text, 0, opening, lenient=True), opening)
    start = end = feedback = None
    for a, b in itertools.pairwise(dates):
        if _RANGE_SEP.fullmatch(text[a.end : b.start]):
            start, end = a, b
            break
    if start is None:
        for a, b in itertools.pairwise(dates):
            if _STAY_GAP.fullmatch(text[a.end : b.start]) and _STAY_END.match(text, b.end):
                start, end = a, b
                break
    after = dates.index(end) + 1 if end is not None else 0
    for d in dates[after:]:
        stop = _SENTENCE_END.search(text, d.end)
        sentence_end = stop.start() if stop else len(text)
        if "反馈" in text[d.end : min(sentence_end, d.end + _FEEDBACK_WINDOW)]:
            feedback = d
            break
    return start, end, feedback


def _with_month_years(text: str, dates: list[DateMatch], stop: int) -> list[DateMatch]:
    """`resolve_years` with the months printed without a day (2023年9月中旬至10月下旬) as year anchors."""
    anchors = [
        DateMatch(m.start(), m.end(), int(m[1]), int(m[2]), 1, True)
        for m in _YEAR_MONTH.finditer(text, 0, stop)
        if 1 <= int(m[2]) <= 12
    ]
    if not anchors or all(d.year_printed for d in dates):
        return resolve_years(dates)
    merged = sorted([*dates, *anchors], key=lambda d: d.start)
    real = {(d.start, d.end) for d in dates}
    return [d for d in resolve_years(merged) if (d.start, d.end) in real]
