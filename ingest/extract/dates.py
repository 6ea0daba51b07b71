"""Chinese calendar dates as printed in reports (2023年3月27日, 2023 年 3 月 22 日, 11月9日, 9月30) -> ISO.

A date without a year takes it from context: `resolve_years` walks dates in text order and carries the last
printed year forward, moving to the next year when a year-less date would fall before the date just seen.
"""

from __future__ import annotations

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


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMatch]:
    """Every month-day date in `text[start:end]`, in order; offsets index `text`."""
    stop = len(text) if end is None else end
    found: list[DateMatch] = []
    pos = start
    for run in _DIGIT_RUN.finditer(text, start, stop):
        if run.start() < pos or (m := _DATE.match(text, run.start(), stop)) is None:
            continue
        pos = m.end()  # what `finditer` would do: go on after the match
        month, day = int(m["m"]), int(m["d"])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        year = int(m["y"]) if m["y"] else None
        found.append(DateMatch(m.start(), m.end(), year, month, day, year is not None))
    return found


def resolve_years(dates: Iterable[DateMatch], default_year: int | None = None) -> list[DateMatch]:
    """Give year-less dates the year of the preceding date (the next year if they would fall before it)."""
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
