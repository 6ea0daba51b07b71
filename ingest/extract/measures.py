"""Split the rectification text of one issue into its top-level measures: 一是…二是… (or 第一，/（1）/①/1.),
and a work-approach section into the report-level measures it lists.

Only the running sequence counts: a nested list inside an item (五是 … 二是 … 三是 … 六是) is part of that
item, and a verbatim repeated item still counts (002 category 3, issue 2). Numbers have no upper limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ikg.ingest.extract.headings import CN_DIGITS, Heading, cn_number

# 原因之一是 / 统一是 / 唯一是 are words, not ordinals. The character before the numeral is checked behind
# its first digit, so the pattern opens with a digit and `re` skips to the digits.
_CN_ORDINAL = re.compile(rf"([{CN_DIGITS}](?<![统唯同单万之其第{CN_DIGITS}].)[{CN_DIGITS}]{{0,2}})是")
_PAREN_ORDINAL = re.compile(r"[（(](\d+)[）)]")
# 一、修订…\n二、清退… one per line inside an issue (the outline does not take them for sections)
_LINE_CN_ORDINAL = re.compile(rf"(?:^|(?<=\n))([{CN_DIGITS}]{{1,3}})、", re.MULTILINE)
# 第一，…；第二，… / 其一，…其二，… : the punctuation after the numeral keeps 第一时间 and 第一巡察组 out
_NTH_ORDINAL = re.compile(rf"(?:第|其)([{CN_DIGITS}]{{1,3}})[，,、：:]")
_CIRCLED_ORDINAL = re.compile(r"[①-⑳]")
_ARABIC_ORDINAL = re.compile(r"(?:^|(?<=\n))(\d+)[.．、](?!\d)", re.MULTILINE)
# 整改措施：1.修订…；2.建立…。3.开展…: a list run on after a colon or a clause's end. A number there is never
# an issue's (those open a line), so these count whatever numbers the issues; 1.26万元 is no label.
_INLINE_ARABIC_ORDINAL = re.compile(r"(?<=[：:；;。])[ \t　]*(\d{1,2})[.．、](?!\d)")
# …and such a list opens after a measures label, so a problem's own 存在问题：1.…；2.… is no measure list
_MEASURES_LABEL = re.compile(r"(?:措施|举措|做法|情况|进展)[：:][ \t　]*$")


def _cn_value(m: re.Match[str]) -> int | None:
    return cn_number(m.group(1))


# The numbering families but the Arabic one, in the order they are tried: pattern, a marker's value, its
# label, and how many markers make a list (a lone 一是 is a list of one; the others need two).
_FAMILIES: tuple[
    tuple[re.Pattern[str], Callable[[re.Match[str]], int | None], Callable[[re.Match[str]], str], int], ...
] = (
    (_CN_ORDINAL, _cn_value, lambda m: m.group(0), 1),
    (_NTH_ORDINAL, _cn_value, lambda m: m.group(0)[:-1], 2),  # 第一，: the label without its comma
    (_LINE_CN_ORDINAL, _cn_value, lambda m: m.group(0), 2),
    (_PAREN_ORDINAL, lambda m: int(m.group(1)), lambda m: m.group(0), 2),
    (_CIRCLED_ORDINAL, lambda m: ord(m.group(0)) - ord("①") + 1, lambda m: m.group(0), 2),
)


@dataclass(frozen=True, slots=True)
class MeasureSlice:
    label: str  # as printed: 一是 / （1） / ① / 1.
    label_start: int  # normalized offsets
    text_start: int  # after the label
    end: int  # before the next top-level label (trailing whitespace trimmed)


def _sequence(found: list[tuple[int, int, int, str]]) -> list[tuple[int, int, str]]:
    """Keep the markers that continue 1, 2, 3, …; anything else is nested or a stray word."""
    kept: list[tuple[int, int, str]] = []
    expected = 1
    for value, start, end, label in found:
        if value == expected:
            kept.append((start, end, label))
            expected += 1
    return kept


def _markers(
    text: str, start: int, end: int, excluded: tuple[tuple[int, int], ...], allow_arabic: bool
) -> list[tuple[int, int, str]]:
    def keep(pos: int) -> bool:
        # markers inside the outcome list (整改成效：一是…) never enter the sequence
        return not excluded or not any(a <= pos < b for a, b in excluded)

    for pattern, value_of, label_of, fewest in _FAMILIES:
        found = [
            (value, m.start(), m.end(), label_of(m))
            for m in pattern.finditer(text, start, end)
            if (value := value_of(m)) is not None and keep(m.start())
        ]
        kept = _sequence(found)
        if len(kept) >= fewest:
            return kept
    patterns = (_ARABIC_ORDINAL, _INLINE_ARABIC_ORDINAL) if allow_arabic else (_INLINE_ARABIC_ORDINAL,)
    arabic = sorted(
        (
            (int(m.group(1)), m.start(1), m.end(), m.group(0))
            for pattern in patterns
            for m in pattern.finditer(text, start, end)
            if keep(m.start(1)) and (pattern is _ARABIC_ORDINAL or _opens_inline_list(text, m))
        ),
        key=lambda marker: marker[1],  # by position: the sequence runs through the text
    )
    kept = _sequence(arabic)
    if len(kept) >= 2:
        return kept
    return []


def _opens_inline_list(text: str, m: re.Match[str]) -> bool:
    """An inline 1. counts only after a measures label (整改措施：1.…); 2. 3. … follow on from it."""
    return m.group(1) != "1" or _MEASURES_LABEL.search(text, max(0, m.start() - 8), m.start(1)) is not None


def split_measures(
    text: str, start: int, end: int, *, excluded: tuple[tuple[int, int], ...] = (), allow_arabic: bool = False
) -> tuple[MeasureSlice, ...]:
    """Top-level measures in text[start:end]; markers inside `excluded` ranges (the outcome list) are ignored.

    `allow_arabic` admits paragraph-initial 1. 2. as measure labels, for reports whose issues are not
    numbered that way.
    """
    markers = _markers(text, start, end, excluded, allow_arabic)
    slices: list[MeasureSlice] = []
    for i, (label_start, text_start, label) in enumerate(markers):
        stop = markers[i + 1][0] if i + 1 < len(markers) else _region_end(label_start, end, excluded)
        while stop > text_start and text[stop - 1].isspace():
            stop -= 1
        while text_start < stop and text[text_start].isspace():
            text_start += 1
        slices.append(MeasureSlice(label.strip(), label_start, text_start, stop))
    return tuple(slices)


def _region_end(pos: int, end: int, excluded: tuple[tuple[int, int], ...]) -> int:
    """A measure stops where the next excluded range (the outcome list) begins."""
    starts = [a for a, _ in excluded if a > pos]
    return min([end, *starts])


def approach_measures(
    text: str, heading: Heading | None, inside: Sequence[Heading], start: int, end: int
) -> tuple[MeasureSlice, ...]:
    """The items of one work-approach section (`inside`: its headings, its own first when it has one).

    The innermost headings are the items ((一)提高政治站位… or 1.提高站位抓部署。 below a (一)); without
    headings below its own, the section's 一是…二是…; failing both, the section itself is one item."""
    inner = [h for h in inside if h is not heading]
    if inner:
        out = []
        for i, h in enumerate(inner):
            nxt = inner[i + 1] if i + 1 < len(inner) else None
            if nxt is not None and nxt.family > h.family:
                continue  # it has items of its own
            out.append(_heading_slice(text, h, nxt.start if nxt else end))
        return tuple(s for s in out if s.end > s.text_start)
    body = heading.end if heading is not None else start
    pieces = split_measures(text, body, end)
    if pieces:
        return pieces
    if heading is None:
        return ()
    item = _heading_slice(text, heading, end)
    return (item,) if item.end > item.text_start else ()


def _heading_slice(text: str, heading: Heading, end: int) -> MeasureSlice:
    stop = end
    while stop > heading.body and text[stop - 1].isspace():
        stop -= 1
    return MeasureSlice(text[heading.start : heading.body].strip(), heading.start, heading.body, stop)
