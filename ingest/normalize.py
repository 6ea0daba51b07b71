"""Clean the artefacts of PDF/web conversion out of a report's text, keeping a map back to the original.

`normalize()` first folds the text (`fold.py`: traditional characters to simplified, pinyin glosses and
leading page chrome removed), then joins hard line breaks inside sentences and titles, drops page-number
lines, blank lines, leading/trailing line whitespace and markdown `**`, writes bracketed form labels
(【整改措施】) as the extractors read them (整改措施：), and keeps one `\\n` between real paragraphs.
Inner spaces (`2015 年`) are kept, because the gold copies text as printed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import NamedTuple

from ikg.ingest.document import Span
from ikg.ingest.fold import PAGE_META, Folded, fold
from ikg.ingest.tables import Line as TableRow
from ikg.ingest.tables import find_tables


@dataclass(frozen=True, slots=True)
class NormalizedText:
    text: str  # the cleaned text the parser works on
    offsets: tuple[int, ...]  # offsets[i] = index in `original` of text[i]; one extra entry = len(original)
    original: str  # the text as the reader decoded it
    line_starts: tuple[int, ...]  # offsets in `original` where each line begins
    # The original folded (simplified characters, glosses and chrome out) with its lines kept, for readers of
    # line structure (titles, signatures); `folded.offsets` maps it back to `original`.
    folded: Folded | None = None

    @classmethod
    def identity(cls, text: str) -> NormalizedText:
        """No cleaning: every character maps to itself."""
        return cls(text, tuple(range(len(text) + 1)), text, _line_starts(text))

    @property
    def lines_text(self) -> str:
        """The text whose lines titles and signatures are read from: the folded original."""
        return self.folded.text if self.folded is not None else self.original

    def lines_span(self, start: int, end: int) -> Span:
        """The original-text span of the range [start, end) of `lines_text`."""
        if self.folded is not None:
            start, end = self.folded.original_range(start, end)
        return Span(start, end, self.line_of(start))

    def lines_offset(self, original_offset: int) -> int:
        """The offset in `lines_text` of the first character kept at or after `original_offset`."""
        if self.folded is None:
            return original_offset
        return bisect.bisect_left(self.folded.offsets, original_offset)

    def original_offset(self, i: int) -> int:
        return self.offsets[i]

    def span(self, start: int, end: int) -> Span:
        """The original-text span of the normalized range [start, end)."""
        o_start = self.offsets[start]
        o_end = self.offsets[end - 1] + 1 if end > start else o_start
        return Span(o_start, o_end, bisect.bisect_right(self.line_starts, o_start))  # line_of, inlined

    def line_of(self, original_offset: int) -> int:
        """1-based line number in the original text."""
        return bisect.bisect_right(self.line_starts, original_offset)


_NEWLINE = re.compile("\n")
# What a line loses or changes on its way into the normalized text: markdown `**` goes; a form label
# printed in brackets (【整改措施】一是… / ［完成情况］已完成) becomes the colon form the extractors read
# (整改措施：一是…), the closing bracket standing for the colon. Only words that name a field of the form
# are labels, so 【巡察整改】 chrome and 〔2022〕 document numbers stay as printed.
_FORM_WORD = (
    r"[\u4e00-\u9fff]{0,5}?"
    r"(?:措施|举措|成效|效果|情况|进展|进度|时限|时间|结果|状态|领导|单位|部门|责任人|问题|表现|描述)"
)
_LINE_EDIT = re.compile(rf"\*\*|[【［\[〖](?P<label>{_FORM_WORD})[】］\]〗][ \t　]*[：:]?")


# Where a web copy that lost its line breaks runs a heading on inside a paragraph: before 一、 / 1. after a
# sentence's end or a space, before （一） anywhere but after 第 (第（一）项 is a reference), and before
# 1.关于 / 1.针对 (an issue's shape) and an issue's form labels (整改措施：) after a word
_RUN_ON_HEADING = re.compile(
    r"(?:(?<=[。；;！？!?])|(?<=[ \u3000]))[ \u3000]*(?=[一二三四五六七八九十]{1,3}、|\d{1,2}[.．、](?!\d))"
    r"|(?<![第\n])(?=[（(][一二三四五六七八九十]{1,3}[）)])"
    r"|(?<=[\u4e00-\u9fff”）)])(?=(?:\d{1,2}[.．、]|[一二三四五六七八九十]{1,3}、)(?:关于|针对))"
    r"|(?<=[\u4e00-\u9fff”）)])(?=(?:整改(?:措施|情况|结果|进展|状态|时限)|责任(?:单位|领导|人))[：:])"
)


def with_run_on_headings_broken(nt: NormalizedText) -> NormalizedText | None:
    """`nt` with a line break before each heading that runs on inside a paragraph, for texts that have
    lost theirs (the whole report in one paragraph); None when there is none. A break maps to the
    original offset of the character after it, so spans still point into the file."""
    cuts = sorted({m.end() for m in _RUN_ON_HEADING.finditer(nt.text) if m.end() > 0})
    cuts = [c for c in cuts if nt.text[c - 1] != "\n"]
    if not cuts:
        return None
    parts: list[str] = []
    offsets: list[int] = []
    prev = 0
    for c in cuts:
        parts += [nt.text[prev:c].rstrip(" \u3000"), "\n"]
        kept = len(parts[-2])
        offsets += [*nt.offsets[prev : prev + kept], nt.offsets[c]]
        prev = c
    parts.append(nt.text[prev:])
    offsets += nt.offsets[prev:]
    return NormalizedText("".join(parts), tuple(offsets), nt.original, nt.line_starts, nt.folded)


def _line_starts(text: str) -> tuple[int, ...]:
    return (0, *[m.end() for m in _NEWLINE.finditer(text)])


# --- line shapes -------------------------------------------------------------------------------------------

_STRIP = " \t\r\f\v\u3000\u00a0\ufeff\u200b"
# `- 7 -`, `— 7 —`, `第 7 页`, `第7页 共12页`, `7/12`: page furniture of PDF conversions
_PAGE_NUMBER = re.compile(
    r"[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[，,]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}"
)
_BARE_NUMBER = re.compile(r"\d{1,3}")
# A line starting like this begins a new paragraph whatever the previous line ends with.
_HEADING_START = re.compile(
    r"""(?:
        [一二三四五六七八九十]{1,3}[、.．]
      | [（(][一二三四五六七八九十]{1,3}[）)]
      | [（(]\d{1,3}[）)]
      | \d{1,3}(?:[.．、](?!\d)|(?=针对|关于))
      | [①-⑳]
      | 问题\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3})\s*(?:[：:]|[.．、](?!\d))
    )""",
    re.VERBOSE,
)
_LABEL_START = re.compile(
    r"""(?:
        [一二三四五六七八九十]{1,3}是
      | (?:整改|完成|落实)(?:情况|结果|成效|措施|落实情况|时限|进展|目标|效果)[：:]
      | 责任(?:领导|单位|部门|人|部室)[：:]
      | (?:存在|具体)?问题(?:表现)?[：:]
    )""",
    re.VERBOSE,
)
_TERMINAL = frozenset("。！？：；;!?:")
_CLOSERS = frozenset("”’」』）)")
# a paragraph cannot end on these: the sentence obviously goes on
_CONNECTIVE_END = re.compile(r"(?:[、，,（(《“‘「]|关于|的|和|及|与)$")
# nor start with these
_CONTINUATION_START = frozenset("，,。、；;：:）)》”’」！？!?")
_TITLE_END = re.compile(r"(?:通报|报告|公告)[）)]?$")


def _width(s: str) -> int:
    """Display width: CJK characters count two columns, ASCII one (close enough for page layouts)."""
    return 2 * len(s) - len(s.encode("ascii", "ignore"))


def _ends_terminal(line: str) -> bool:
    i = len(line) - 1
    while i > 0 and line[i] in _CLOSERS:
        i -= 1  # 。” and 。） still end a sentence
    return line[i] in _TERMINAL


class _Line(NamedTuple):  # a tuple, not a frozen dataclass: one per line of every report, built in a loop
    start: int  # original offset of the first kept character
    end: int  # original offset after the last kept character
    text: str  # the stripped line as printed, `**` and bracketed labels still in
    clean: str  # the same after `_LINE_EDIT`: what join decisions look at, and what is emitted
    # a line written for a table row (`tables.py`): the original offset of each character of `clean`; such
    # a line is a paragraph of its own
    offsets: tuple[int, ...] | None = None


def _content_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.lstrip(_STRIP)
        if stripped:
            left = len(raw) - len(stripped)
            kept = stripped.rstrip(_STRIP)
            clean = _LINE_EDIT.sub(_edited, kept) if _may_edit(kept) else kept
            if clean:
                lines.append(_Line(pos + left, pos + left + len(kept), kept, clean))
        pos += len(raw) + 1
    return lines


_PAGE_NUMBER_FIRST = frozenset("-—–－第")  # with the digits: what a page number line can start with


def _with_tables(text: str, lines: list[_Line]) -> list[_Line]:
    """Problem tables (rows of tab- or |-separated cells) replaced by the lines `tables.py` writes."""
    if not any("\t" in line.text or line.text.startswith("|") for line in lines):
        return lines
    rows = []
    for line in lines:  # with the tabs around it: a row's first or last cells may be empty
        start = text.rfind("\n", 0, line.start) + 1
        end = text.find("\n", line.end)
        rows.append(TableRow(start, text[start : end if end >= 0 else len(text)].rstrip("\r")))
    tables = find_tables(rows)
    out: list[_Line] = []
    pos = 0
    for table in tables:
        out.extend(lines[pos : table.first])
        out.extend(_Line(t.offsets[0], t.offsets[-1] + 1, t.text, t.text, t.offsets) for t in table.lines)
        pos = table.stop
    out.extend(lines[pos:])
    return out


def _may_edit(line: str) -> bool:
    return "**" in line or "【" in line or "［" in line or "[" in line or "〖" in line


def _edited(m: re.Match[str]) -> str:
    return m["label"] + "：" if m["label"] else ""


def _drop_page_numbers(lines: list[_Line]) -> list[_Line]:
    kept: list[_Line] = []
    for i, line in enumerate(lines):
        bare = line.clean
        if bare[0] in _PAGE_NUMBER_FIRST or bare[0].isdecimal():  # \d is Unicode Nd, as isdecimal()
            if _PAGE_NUMBER.fullmatch(bare):
                continue
            # a lone number between two sentence fragments is a page number, never content
            if (
                _BARE_NUMBER.fullmatch(bare)
                and 0 < i < len(lines) - 1
                and not _ends_terminal(lines[i - 1].clean)
            ):
                continue
        kept.append(line)
    return kept


def _full_width_threshold(line_widths: list[int]) -> int | None:
    """Display width from which a line looks hard-wrapped, or None when lines are whole paragraphs.

    A PDF conversion wraps at the page width, so many lines share nearly the same, maximal width; a web
    page or a word processor gives one line per paragraph, of every length.
    """
    widths = sorted(line_widths)
    if len(widths) < 12:
        return None
    top = widths[int(len(widths) * 0.9)]
    near_top = sum(1 for w in widths if 0.85 * top <= w <= top + 4)
    if near_top >= 0.35 * len(widths):
        return int(0.8 * top)
    return None


_FREE_LAYOUT_BROKEN = 40  # display width: a longer line without a full stop was cut mid-sentence


def _open_quotes(text: str) -> int:
    return text.count("“") - text.count("”")


_TITLE_LINES = 6
_ORPHAN = 3  # characters  # the title is printed within the first lines


# Every character _HEADING_START or _LABEL_START can open with, but the digits: a cheap pre-check per line.
_STRUCTURAL_FIRST = frozenset("一二三四五六七八九十（(整完落责存具问") | frozenset(
    chr(c) for c in range(ord("①"), ord("⑳") + 1)
)


def _is_structural(line: str) -> bool:
    first = line[:1]
    if not (first in _STRUCTURAL_FIRST or first.isdecimal()):
        return False
    return _HEADING_START.match(line) is not None or _LABEL_START.match(line) is not None


def _joins(
    prev: str, nxt: str, paragraph: str, wrap_width: int | None, at_top: bool, prev_width: int
) -> bool:
    """Whether `nxt` continues the paragraph that `prev` (its last line) belongs to; `prev_width` is
    `_width(prev)`."""
    if _is_structural(nxt):
        return False
    if at_top and (PAGE_META.search(prev) or PAGE_META.search(nxt)):
        return False
    if nxt[0] in _CONTINUATION_START:
        return True
    if at_top and _TITLE_END.search(prev) and prev_width < 90:
        return False  # 关于…的通报 ends the title line
    if _open_quotes(paragraph[-300:]) > 0:
        return True  # a heading quote broken after its ：
    if _ends_terminal(prev):
        return False
    if _CONNECTIVE_END.search(prev):
        return True
    if not at_top and len(nxt) <= _ORPHAN and not _ends_terminal(nxt):
        return True  # `改` or `的问题` alone on a line is the tail of a wrapped heading
    if at_top and _TITLE_END.search(nxt) and _width(nxt) < 90 and ("关于" in prev or nxt.startswith("关于")):
        return True  # 中共…党组关于巡察整改 / 进展情况的通报
    if wrap_width is not None:
        return prev_width >= wrap_width
    if paragraph == prev and _HEADING_START.match(prev):
        return False  # a web page's heading line is whole, however long
    return prev_width >= _FREE_LAYOUT_BROKEN and not prev[-1].isascii()


def normalize(text: str) -> NormalizedText:
    """Fold the text, remove line-break, page-number and markdown artefacts; `offsets` maps every kept
    character back to `text`."""
    folded = fold(text)
    if folded is None:
        return _normalize(text)
    inner = _normalize(folded.text)
    back = folded.offsets
    return NormalizedText(
        inner.text, tuple(back[o] for o in inner.offsets), text, _line_starts(text), folded=folded
    )


def _normalize(text: str) -> NormalizedText:
    lines = _with_tables(text, _drop_page_numbers(_content_lines(text)))
    widths = [_width(line.clean) for line in lines]
    wrap_width = _full_width_threshold(widths)
    out: list[str] = []
    offsets: list[int] = []
    paragraph = ""
    prev: _Line | None = None
    at_top = True  # still in the title block: the first lines, before any heading or label
    for index, line in enumerate(lines):
        at_top = at_top and index < _TITLE_LINES and not _is_structural(line.clean)
        joined = prev is None or (
            line.offsets is None
            and prev.offsets is None
            and _joins(prev.clean, line.clean, paragraph, wrap_width, at_top, widths[index - 1])
        )
        if prev is not None and not joined:
            out.append("\n")
            offsets.append(prev.end)  # the separator stands for the break after the paragraph
            paragraph = ""
        _append_line(text, line, out, offsets)
        paragraph += line.clean
        prev = line
    offsets.append(len(text))
    return NormalizedText("".join(out), tuple(offsets), text, _line_starts(text))


def _append_line(text: str, line: _Line, out: list[str], offsets: list[int]) -> None:
    if line.offsets is not None:
        out.append(line.clean)
        offsets.extend(line.offsets)
        return
    segment = line.text
    if segment is line.clean:
        out.append(segment)
        offsets.extend(range(line.start, line.end))
        return
    pos = 0
    for m in _LINE_EDIT.finditer(segment):
        out.append(segment[pos : m.start()])
        offsets.extend(range(line.start + pos, line.start + m.start()))
        if m["label"]:  # 【整改措施】 -> 整改措施：, the colon standing at the closing bracket
            out.append(m["label"] + "：")
            offsets.extend(range(line.start + m.start("label"), line.start + m.end("label") + 1))
        pos = m.end()
    out.append(segment[pos:])
    offsets.extend(range(line.start + pos, line.end))
