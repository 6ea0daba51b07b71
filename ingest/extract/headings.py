"""Recognise the enumerated headings that open paragraphs: 一、 / （一） / 1. 1、 2针对 / （1） / ①.

Works on the normalized text, where one line is one paragraph. Only the shape of the enumerator is used,
never the wording of a particular report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import IntEnum


class Family(IntEnum):
    """Enumerator styles, outermost first (the usual nesting of Chinese official documents)."""

    CN = 0  # 一、
    CN_PAREN = 1  # （一） (一)
    ARABIC = 2  # 1. 1、 1． 2针对
    ARABIC_PAREN = 3  # （1） (1)
    CIRCLED = 4  # ①


CN_DIGITS = "一二三四五六七八九十"
_CN_VALUE = {c: i + 1 for i, c in enumerate(CN_DIGITS)}

_FAMILY_PATTERNS: tuple[tuple[Family, re.Pattern[str]], ...] = (
    (Family.CN, re.compile(rf"([{CN_DIGITS}]{{1,3}})[、.．]\s*")),
    (Family.CN_PAREN, re.compile(rf"[（(]([{CN_DIGITS}]{{1,3}})[）)]\s*")),
    # 2针对“…” in 002 has lost its full stop; 2.61% is a number, not an enumerator
    (Family.ARABIC, re.compile(r"(\d{1,3})(?:[.．、](?!\d)|(?=\s*(?:针对|关于)))\s*")),
    (Family.ARABIC_PAREN, re.compile(r"[（(](\d{1,3})[）)]\s*")),
    (Family.CIRCLED, re.compile(r"([①-⑳])\s*")),
)
# the heading quotes the problem right after an optional 针对/关于
_QUOTED = re.compile(r"(?:针对|关于|对于|对)?\s*[“\"「]")
QUOTE_OPEN = "“「"
QUOTE_CLOSE = "”」"


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23; None for anything else."""
    if not text or any(c not in _CN_VALUE for c in text):
        return None
    values = [_CN_VALUE[c] for c in text]
    if len(text) == 1:
        return values[0]
    if len(text) == 2 and text[0] == "十" and text[1] != "十":
        return 10 + values[1]
    if len(text) == 2 and text[1] == "十" and text[0] != "十":
        return values[0] * 10
    if len(text) == 3 and text[1] == "十" and "十" not in (text[0], text[2]):
        return values[0] * 10 + values[2]
    return None


def enumerator_value(family: Family, label: str) -> int | None:
    if family in (Family.CN, Family.CN_PAREN):
        return cn_number(label)
    if family is Family.CIRCLED:
        return ord(label) - ord("①") + 1
    return int(label)


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


def heading_at(text: str, para: Paragraph) -> Heading | None:
    """The heading that opens `para`, if its first characters are an enumerator."""
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


def first_outside_quotes(text: str, start: int, end: int, is_stop: Callable[[int], bool]) -> int:
    """The first index i in [start, end) outside “…” quotes with `is_stop(i)`, or `end`."""
    depth = 0
    for i in range(start, end):
        c = text[i]
        if c in QUOTE_OPEN:
            depth += 1
        elif c in QUOTE_CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and is_stop(i):
            return i
    return end


def sentence_end(text: str, start: int, end: int) -> int:
    """End of the first sentence in text[start:end]: the first 。；！？ outside quotes, or `end`."""
    return first_outside_quotes(text, start, end, lambda i: text[i] in "。；;！？!?")


def heading_title(text: str, heading: Heading) -> tuple[int, int]:
    """Normalized range of a section or category title: the first sentence, without the final 。/：."""
    stop = sentence_end(text, heading.body, heading.end)
    while stop > heading.body and text[stop - 1] in "。：:；; \t":
        stop -= 1
    return heading.body, stop
