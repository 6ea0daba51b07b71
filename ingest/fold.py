"""Fold what a saved web page adds to a report before it is parsed, keeping a map back to the original.

Four things are folded, each only when present, so a clean simplified report costs one scan:
- pinyin glosses that converter sites print after characters (區(qū), 聯(lián)): removed;
- page chrome before the report (a lone `Title`, `|`, a URL, breadcrumbs 当前位置：首页 > …, 字号 打印 分享):
  removed, line by line, only before the first line of the report itself;
- markdown heading marks (`# 中共…通报`, `## 一、…`): removed, so the title and headings read as printed;
- traditional characters (根據區委統一部署): converted to simplified with OpenCC `t2s` (offline: the wheel
  ships its dictionaries). Characters keep their positions: a phrase whose conversion would change its
  length is converted character by character instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

# Tone-marked vowels: a gloss carries at least one, which tells it from a Latin abbreviation in brackets.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# The bracket comes first and the character before it is checked behind it: a pattern that opens with the
# bracket lets `re` skip to the brackets instead of trying the lookbehind at every character.
_GLOSS = re.compile(rf"[(（](?<=[\u4e00-\u9fff][(（])(?=[a-zü]*[{_TONED}])[a-zü{_TONED}]{{1,7}}[)）]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_MARKDOWN_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.MULTILINE)
# Lines of page chrome: no Chinese at all (Title, |, a URL), breadcrumbs, or nothing but chrome words.
_URL_LINE = re.compile(r"\s*(?:https?://|www\.)\S*\s*")
_BREADCRUMB = re.compile(r"\s*(?:您?当前(?:的)?位置|您的位置|当前页面|所在位置)|.*首页\s*(?:>|»|＞|/|→)")
_CHROME_WORD = re.compile(
    r"返回上一级|返回首页|返回|字号|字体大小|字体|默认|打印本页|打印|关闭窗口|关闭|分享到|分享|收藏|"
    r"保护视力色|视力保护色|扫一扫|[大中小]|[【】\[\]|｜:：\s]"
)
# A saved page's metadata line (发布时间：2024-03-15 来源：…): kept, for its date, but it stands alone; it is
# never part of the title or of a paragraph.
PAGE_META = re.compile(
    r"(?:发布时间|发布日期|信息来源|来源|作者|浏览次数|点击数|阅读次数|访问量|责任编辑)\s*[:：]"
)
_HEAD_LINES = 12  # chrome sits in the first lines of a page
_REPORT_START = re.compile(r"\s*(?:根据|按照|为|中共|中国共产党|关于)|.{40}")
# A text is traditional when many of its characters lie outside GB2312, which covers the simplified set.
_MIN_TRADITIONAL = 8
_TRADITIONAL_SHARE = 0.03


@dataclass(frozen=True, slots=True)
class Folded:
    text: str  # the folded text: simplified, without glosses or leading chrome, lines kept
    offsets: tuple[int, ...]  # offsets[i] = index in the original of text[i]; one extra = len(original)

    def original_range(self, start: int, end: int) -> tuple[int, int]:
        """The original range covering the folded range [start, end)."""
        o_start = self.offsets[start]
        return o_start, (self.offsets[end - 1] + 1 if end > start else o_start)


def fold(text: str) -> Folded | None:
    """The folded text with its offset map, or None when there is nothing to fold (the common case)."""
    keep = _kept_ranges(text)
    if keep == [(0, len(text))]:
        folded = text
        offsets: list[int] | None = None
    else:
        folded = "".join(text[a:b] for a, b in keep)
        offsets = [i for a, b in keep for i in range(a, b)]
        offsets.append(len(text))
    simplified = to_simplified(folded) if is_traditional(folded) else folded
    if offsets is None and simplified == text:
        return None
    return Folded(simplified, tuple(offsets) if offsets is not None else tuple(range(len(text) + 1)))


def _kept_ranges(text: str) -> list[tuple[int, int]]:
    cut = [(m.start(), m.end()) for m in _GLOSS.finditer(text)] if "(" in text or "（" in text else []
    if "#" in text:
        cut += [(m.start(), m.end()) for m in _MARKDOWN_HEADING.finditer(text)]
    cut = _chrome_lines(text) + cut
    keep: list[tuple[int, int]] = []
    pos = 0
    for a, b in sorted(cut):
        if a > pos:
            keep.append((pos, a))
        pos = max(pos, b)
    if pos < len(text) or not keep:
        keep.append((pos, len(text)))
    return keep


def _chrome_lines(text: str) -> list[tuple[int, int]]:
    """The leading lines (with their line breaks) that are page chrome, up to the report's first line."""
    cut: list[tuple[int, int]] = []
    pos = 0
    for _ in range(_HEAD_LINES):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl + 1
        line = text[pos:end].rstrip("\r\n")
        if line.strip():
            if _REPORT_START.match(line):
                break
            if _is_chrome(line):
                cut.append((pos, end))
        if nl < 0:
            break
        pos = end
    return cut


def _is_chrome(line: str) -> bool:
    if _URL_LINE.fullmatch(line) or _BREADCRUMB.match(line):
        return True
    if not _CJK.search(line):
        return not any(ch.isdigit() for ch in line)  # `2020-10-26 17:38` is a publication date
    return _CHROME_WORD.sub("", line) == ""


def is_traditional(text: str) -> bool:
    """True when enough characters fall outside GB2312 (the simplified set) to call the text traditional."""
    outside = _outside_gb2312(text)
    return outside >= _MIN_TRADITIONAL and outside >= _TRADITIONAL_SHARE * len(text)


def to_simplified(text: str) -> str:
    """OpenCC t2s, position for position: the result has the length of `text`."""
    convert = _t2s()
    out = convert(text)
    if len(out) == len(text):
        return out
    # Some phrase changed its length: convert line by line, and the odd line character by character.
    pieces: list[str] = []
    for line in text.splitlines(keepends=True):
        converted = convert(line)
        pieces.append(converted if len(converted) == len(line) else _by_character(convert, line))
    return "".join(pieces)


def _by_character(convert: Callable[[str], str], line: str) -> str:
    chars = [convert(ch) for ch in line]
    return "".join(c if len(c) == 1 else ch for c, ch in zip(chars, line, strict=True))


@cache
def _t2s() -> Callable[[str], str]:
    import opencc  # loads its dictionaries (~1 s): only for texts that need it

    converter = opencc.OpenCC("t2s")
    convert: Callable[[str], str] = converter.convert
    return convert


def fold_text(text: str) -> str:
    """`text` folded as a report is before parsing (for comparing printed names with extracted ones):
    盤錦市大洼區(qū) -> 盘锦市大洼区. A short string is converted whenever it holds traditional characters."""
    keep = _kept_ranges(text)
    folded = "".join(text[a:b] for a, b in keep)
    return to_simplified(folded) if _outside_gb2312(folded) else folded


def _outside_gb2312(text: str) -> int:
    return text.encode("gb2312", "replace").count(b"?") - text.count("?")
