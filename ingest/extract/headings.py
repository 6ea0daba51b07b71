"""Recognise the enumerated headings that open paragraphs: 一、 / （一） / 1. 1、 2针对 / （1） / ① / 问题1：.

Works on the normalized text, where one line is one paragraph. Only the shape of the enumerator is used,
never the wording of a particular report. Numbers have no upper limit: a report may list 2,000 problems.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache


class Family(IntEnum):
    """Enumerator styles, outermost first (the usual nesting of Chinese official documents)."""

    CN = 0  # 一、
    CN_PAREN = 1  # （一） (一)
    ARABIC = 2  # 1. 1、 1． 2针对
    ARABIC_PAREN = 3  # （1） (1)
    CIRCLED = 4  # ①
    LABELLED = (
        5  # 问题1： 问题一： a labelled sub-problem, innermost unless nothing else numbers the problems
    )


CN_DIGITS = "一二三四五六七八九十"
_CN_VALUE = {c: i + 1 for i, c in enumerate(CN_DIGITS)}
_CN_NUMERAL = f"[{CN_DIGITS}百零〇]{{1,8}}"  # 一 … 九十九, 一百零五, 三百二十: no limit a report reaches
_CIRCLED = "①-⑳㉑-㉟㊱-㊿"

_FAMILY_PATTERNS: tuple[tuple[Family, re.Pattern[str]], ...] = (
    (Family.CN, re.compile(rf"({_CN_NUMERAL})[、.．]\s*")),
    (Family.CN_PAREN, re.compile(rf"[（(]({_CN_NUMERAL})[）)]\s*")),
    # 2针对“…” in 002 has lost its full stop; 2.61% is a number, not an enumerator, nor 2023、2024年
    (Family.ARABIC, re.compile(r"(\d+)(?:[.．、](?!\d)|(?=\s*(?:针对|关于)))\s*")),
    (Family.ARABIC_PAREN, re.compile(r"[（(](\d+)[）)]\s*")),
    (Family.CIRCLED, re.compile(rf"([{_CIRCLED}])\s*")),
    # 问题1： 问题一： 问题1. 问题2、 (the full stop not before a digit: 问题1.2万元 is no label)
    (Family.LABELLED, re.compile(rf"问题\s*(\d+|{_CN_NUMERAL})\s*(?:[：:]|[.．、](?!\d))\s*")),
)
# the heading quotes the problem right after an optional 针对/关于
_QUOTED = re.compile(r"(?:针对|关于|对于|对)?\s*[“\"「]")
QUOTE_OPEN = "“「"
QUOTE_CLOSE = "”」"


_CN_BELOW_HUNDRED = re.compile("(?:([一二三四五六七八九])?(十))?([一二三四五六七八九])?")


@lru_cache(maxsize=4096)  # the same few numerals (一 … 二十) come up thousands of times in a report
def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23, 一百零五 → 105, 三百二十 → 320; None for anything else."""
    hundreds = 0
    rest = text
    if "百" in text:
        head, _, rest = text.partition("百")
        if head not in _CN_VALUE or _CN_VALUE[head] > 9:
            return None
        hundreds = _CN_VALUE[head] * 100
        if rest.startswith(("零", "〇")):
            rest = rest[1:]
            if len(rest) != 1:  # 一百零五; 一百零十 is not a number
                return None
        elif rest and "十" not in rest:
            return None  # 一百五 is colloquial for 150: too ambiguous for a heading
    elif not text:
        return None
    m = _CN_BELOW_HUNDRED.fullmatch(rest)
    if m is None or (hundreds == 0 and not rest):
        return None
    tens_digit, ten, unit = m.groups()
    tens = (_CN_VALUE[tens_digit] if tens_digit else 1) * 10 if ten else 0
    if hundreds and ten and not tens_digit:
        return None  # 一百十 is written 一百一十
    return hundreds + tens + (_CN_VALUE[unit] if unit else 0)


def enumerator_value(family: Family, label: str) -> int | None:
    if label.isdecimal():  # "①".isdigit() is True
        return int(label)
    if family is Family.CIRCLED:
        code = ord(label)
        if code <= ord("⑳"):
            return code - ord("①") + 1
        if code <= ord("㉟"):
            return code - ord("㉑") + 21
        return code - ord("㊱") + 36
    return cn_number(label)


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int  # normalized offsets; the paragraph is text[start:end], without its newline
    end: int


@dataclass(frozen=True, slots=True)
class Heading:
    family: Family
    label: str  # the enumerator's digits as printed: 一 / 1 / ①
    number: int
    start: int  # normalized offset of the enumerator
    body: int  # offset just after the enumerator (and any space)
    end: int  # end of the paragraph
    quoted: bool  # the body opens with a quoted problem (“…” / 针对“…”)


_NEWLINE = re.compile("\n")


def paragraphs(text: str) -> Iterator[Paragraph]:
    start = 0
    for m in _NEWLINE.finditer(text):
        if m.start() > start:
            yield Paragraph(start, m.start())
        start = m.end()
    if start < len(text):
        yield Paragraph(start, len(text))


# Every character the family patterns can open with, but the digits: a cheap pre-check per paragraph.
_HEADING_FIRST = frozenset(f"{CN_DIGITS}百零〇（(问") | frozenset(
    chr(c)
    for first, last in (("①", "⑳"), ("㉑", "㉟"), ("㊱", "㊿"))
    for c in range(ord(first), ord(last) + 1)
)


def heading_at(text: str, para: Paragraph) -> Heading | None:
    """The heading that opens `para`, if its first characters are an enumerator."""
    first = text[para.start : para.start + 1]
    if not (first in _HEADING_FIRST or first.isdecimal()):
        return None
    for family, pattern in _FAMILY_PATTERNS:
        m = pattern.match(text, para.start, para.end)
        if m is None or m.end() >= para.end:
            continue
        number = enumerator_value(family, m.group(1))
        if number is None:
            continue
        quoted = _QUOTED.match(text, m.end(), para.end) is not None
        return Heading(family, m.group(1), number, para.start, m.end(), para.end, quoted)
    return None


def first_outside_quotes(
    text: str, start: int, end: int, is_stop: Callable[[int], bool], candidates: re.Pattern[str] | None = None
) -> int:
    """The first index i in [start, end) outside “…” quotes with `is_stop(i)`, or `end`.

    `candidates`, when given, matches one character: every one for which `is_stop` can be true, and the
    quotes (`stop_candidates` builds it). The scan then jumps from one to the next instead of looking at
    every character."""
    depth = 0
    if candidates is None:
        positions: Iterable[int] = range(start, end)
    else:
        positions = (m.start() for m in candidates.finditer(text, start, end))
    for i in positions:
        c = text[i]
        if c in QUOTE_OPEN:
            depth += 1
        elif c in QUOTE_CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and is_stop(i):
            return i
    return end


def stop_candidates(stops: str) -> re.Pattern[str]:
    """The `candidates` of `first_outside_quotes` for stops among the characters `stops`."""
    return re.compile(f"[{re.escape(stops + QUOTE_OPEN + QUOTE_CLOSE)}]")


_SENTENCE_STOPS = "。；;！？!?"
_SENTENCE_CANDIDATES = stop_candidates(_SENTENCE_STOPS)


def sentence_end(text: str, start: int, end: int) -> int:
    """End of the first sentence in text[start:end]: the first 。；！？ outside quotes, or `end`."""
    return first_outside_quotes(text, start, end, lambda i: text[i] in _SENTENCE_STOPS, _SENTENCE_CANDIDATES)


def heading_title(text: str, heading: Heading) -> tuple[int, int]:
    """Normalized range of a section or category title: the first sentence, without the final 。/：."""
    stop = sentence_end(text, heading.body, heading.end)
    while stop > heading.body and text[stop - 1] in "。：:；; \t":
        stop -= 1
    return heading.body, stop
