"""Read one issue block: its quoted title (and parts), status, deadline and outcome paragraph.

Offsets are into the normalized text; `parse.py` maps them to the original through `NormalizedText.span`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ikg.ingest.extract.headings import (
    QUOTE_CLOSE,
    QUOTE_OPEN,
    Heading,
    first_outside_quotes,
    stop_candidates,
)

_MAX_PREFIX = 8  # 针对 / 关于 / 对于 before the opening quote
_JOINED_QUOTE = re.compile(r"\s*(?:和|及|与|、|以及|，|,)\s*(?=[“「\"])")


@dataclass(frozen=True, slots=True)
class IssueTitle:
    start: int  # normalized range of the title (inside the outer quotes when quoted)
    end: int
    parts: tuple[tuple[int, int], ...]  # one range per quoted problem when the heading quotes several
    closed: bool  # False when the opening quote is never closed (a cut-off heading)
    quoted: bool  # the title is the quoted problem, not the heading's first clause


_QUOTES = re.compile(f"[{QUOTE_OPEN}{QUOTE_CLOSE}]")  # the scan jumps from quote to quote


def _match_quote(text: str, open_at: int, limit: int) -> int | None:
    """Index of the quote closing the one at `open_at`, counting nested “…” pairs; None if unclosed."""
    if text[open_at] == '"':
        close = text.find('"', open_at + 1, limit)
        return close if close >= 0 else None
    depth = 0
    for m in _QUOTES.finditer(text, open_at, limit):
        i = m.start()
        c = text[i]
        if c in QUOTE_OPEN:
            depth += 1
        elif c in QUOTE_CLOSE:
            depth -= 1
            if depth == 0:
                return i
    return None


_CLAUSE_STOPS = frozenset("。；;！？!?：:")
_CLAUSE_CANDIDATES = stop_candidates("".join(sorted(_CLAUSE_STOPS)) + "，,")
# what a heading may say after the quoted problem: ”的问题 / ”问题整改不到位方面 / ”等问题的整改情况
_LABEL_TAIL = re.compile(
    r"(?:等|的|之)?(?:问题|方面)?(?:整改不到位)?(?:方面)?(?:存在的?问题)?(?:的?整改(?:落实)?(?:情况)?)?$"
)
_LONGEST_STRAY_TAIL = 2  # 001 prints “廉政风险隐患突”出方面: a stray character, the quote still is the title
_UNQUOTED_PREFIX = re.compile(r"(?:针对|关于|对于)\s*")
# 8.问题：财务报销审核不严 / 存在问题：… : a label before the problem, not the problem
_PROBLEM_LABEL = re.compile(r"(?:存在|主要|反馈|巡察|巡视)?问题(?:表现|描述|\d{1,3})?[：:]\s*")
_UNQUOTED_SUFFIX = re.compile(r"(?:方面)?(?:存在)?的?(?:问题|方面)(?:的?整改(?:情况)?)?$")


def issue_title(text: str, heading: Heading) -> IssueTitle:
    """The problem text of an issue heading: inside the quotes, or the first clause when unquoted."""
    return _issue_title(text, heading.body, heading.end)


def _issue_title(text: str, body: int, heading_end: int) -> IssueTitle:
    window = text[body : min(body + _MAX_PREFIX, heading_end)]
    rel = next((i for i, c in enumerate(window) if c in '“「"'), None)
    if rel is None:
        return _unquoted_title(text, body, heading_end)
    open_at = body + rel
    close = _match_quote(text, open_at, heading_end)
    if close is None:
        return IssueTitle(open_at + 1, heading_end, (), closed=False, quoted=True)
    parts = [(open_at + 1, close)]
    # 针对“经费审批手续不完善”和“财务管理不规范”的问题: one heading, two problems
    while (m := _JOINED_QUOTE.match(text, close + 1, heading_end)) is not None:
        nxt_open = m.end()
        nxt_close = _match_quote(text, nxt_open, heading_end)
        if nxt_close is None:
            break
        parts.append((nxt_open + 1, nxt_close))
        close = nxt_close
    tail_end = _clause_end(text, close + 1, heading_end, stop_at_comma=True)
    tail = text[close + 1 : tail_end].strip()
    label = _LABEL_TAIL.search(tail)
    if (label.start() if label else len(tail)) > _LONGEST_STRAY_TAIL:
        # 3、“三重一大”决策制度执行不严格的问题: the quote names a rule inside an unquoted problem
        return _unquoted_title(text, body, heading_end)
    return IssueTitle(open_at + 1, close, tuple(parts) if len(parts) > 1 else (), closed=True, quoted=True)


def _clause_end(text: str, start: int, end: int, *, stop_at_comma: bool) -> int:
    """First clause stop outside quotes; a comma stops too when asked, or right after 问题."""

    def is_stop(i: int) -> bool:
        c = text[i]
        return c in _CLAUSE_STOPS or (c in "，," and (stop_at_comma or text.endswith("问题", start, i)))

    return first_outside_quotes(text, start, end, is_stop, _CLAUSE_CANDIDATES)


def _unquoted_title(text: str, body: int, heading_end: int) -> IssueTitle:
    # 1.党组会议记录不规范的问题。 → 党组会议记录不规范
    label = _PROBLEM_LABEL.match(text, body, heading_end)
    if label and label.end() < heading_end:
        body = label.end()
    end = _clause_end(text, body, heading_end, stop_at_comma=False)
    if status := _TITLE_STATUS.search(text, body, end):
        end = status.start()
    start = body
    prefix = _UNQUOTED_PREFIX.match(text, start, end)
    if prefix and prefix.end() < end:
        start = prefix.end()
    suffix = _UNQUOTED_SUFFIX.search(text[start:end])
    if suffix and suffix.start() > 0:
        end = start + suffix.start()
    return IssueTitle(start, end, (), closed=True, quoted=False)


def short_title(title: str) -> str | None:
    """The problem after a category prefix (`推进…有差距：在省创新奖考核中长期靠后`), if there is one."""
    if "：" not in title:
        return None
    depth = 0
    for i, c in enumerate(title):
        if c in "“‘「":
            depth += 1
        elif c in "”’」":
            depth = max(0, depth - 1)
        elif c == "：" and depth == 0:
            rest = title[i + 1 :].strip()
            return rest or None
    return None


# --- status, deadline, outcome ----------------------------------------------------------------------------

_STATUS_VALUE = (
    r"(?:已|基本|阶段性|部分|全部|正在|持续|长期|未|立行立改|完成|整改完成|整改中)[^。；;\n]{0,28}?"
)
_STATUS_LABELLED = re.compile(
    rf"(?:整改结果|整改状态|整改进度|整改进展|完成情况|完成状态|完成进度|整改情况)[：:]\s*(?P<value>{_STATUS_VALUE})\s*(?:[。；;]|$)",
    re.MULTILINE,
)
_STATUS_ALONE = re.compile(
    r"^(?P<value>(?:已|基本|阶段性|部分|全部)?(?:完成整改|整改完成|整改到位|完成)[^。；;\n]{0,20}?)。?$", re.M
)
_STATUS_PAREN = re.compile(r"[（(](?P<value>(?:已|基本|阶段性|部分|全部|正在|持续|长期)[^）)\n]{0,15})[）)]")
_STATUS_PAREN_END = re.compile(_STATUS_PAREN.pattern + r"[。．.]?\s*$")
# 9.违规发放津补贴问题（已完成）: the status in brackets after the problem (read by find_status) is no title
_TITLE_STATUS = re.compile(_STATUS_PAREN.pattern + "$")
# …新增学位3.2万个。目前已完成整改。 : an unlabelled sentence closing the issue
_STATUS_CLOSING = re.compile(
    r"(?<=[。；;\n])\s*(?:目前|当前|截至目前|现|该问题|此问题|该项问题)[，,]?\s*"
    r"(?P<value>(?:已|基本|阶段性|部分|全部|正在|持续|长期)[^。；;\n]{0,16}?)[。．.]?\s*$"
)
# the labels of an outcome paragraph (整改结果 is also a status's: 整改结果：已完成整改。)
_OUTCOME_WORDS = "整改成效|整改效果|取得成效|工作成效"
# 整改成效：已完成整改。全市… : the outcome paragraph opens with the status sentence
_STATUS_OPENING_RESULT = re.compile(
    rf"(?:{_OUTCOME_WORDS})[：:]\s*"
    r"(?P<value>(?:已|基本|全部)?(?:完成整改|整改完成|整改到位|完成)[^。；;\n]{0,12}?)(?:[。；;]|$)",
    re.MULTILINE,
)
_STATUS_WORD = re.compile(r"完成|到位|坚持|推进|立改|整改中")
_DEADLINE = re.compile(r"(?:整改|完成)时限[：:]\s*(?P<value>[^。；;\n]+?)\s*(?:[。；;]|$)", re.MULTILINE)
_DUE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日|底|末|[上中下]旬)?(?:之前|以前|前)")
# 责任人：分管副局长 / 责任单位：办公室 / 牵头领导：… : a line of the issue's form, never part of a measure
_RESPONSIBLE = re.compile(
    r"(?:责任(?:领导|单位|部门|人|部室|科室)|牵头(?:领导|单位|部门))[：:][^\n]*", re.MULTILINE
)
_RESULT_LABEL = re.compile(rf"(?:{_OUTCOME_WORDS}|整改结果)[：:]\s*")
_ANY_LABEL = re.compile(
    r"(?:整改|落实)(?:情况|措施|落实情况|成效|效果|结果|时限)[：:]|责任(?:领导|单位|部门|人)[：:]"
)


@dataclass(frozen=True, slots=True)
class Found:
    start: int  # normalized range of the value
    end: int
    label_start: int  # where its label (整改结果：) or the bare value begins


def find_status(text: str, start: int, end: int, title_end: int) -> Found | None:
    """The status as printed (已完成整改，并长期坚持), without its final 。."""
    patterns = [_STATUS_LABELLED, _STATUS_ALONE]
    if text.find("成效", start, end) >= 0 or text.find("效果", start, end) >= 0:
        patterns.append(_STATUS_OPENING_RESULT)  # only where its label can be: find is ~5x the regex's speed
    for pattern in patterns:
        for m in pattern.finditer(text, start, end):
            if _STATUS_WORD.search(m.group("value")):
                return Found(m.start("value"), m.end("value"), m.start())
    line_end = text.find("\n", title_end, end)
    paren = _STATUS_PAREN.search(text, title_end, min(title_end + 20, line_end if line_end >= 0 else end))
    if paren and _STATUS_WORD.search(paren.group("value")):
        return Found(paren.start("value"), paren.end("value"), paren.start())
    # …完成投资12.5亿元。（已完成） / …。目前已完成整改。 : the status closing the issue
    for pattern in (_STATUS_PAREN_END, _STATUS_CLOSING):
        tail = pattern.search(text, max(title_end, end - 32), end)
        if tail and _STATUS_WORD.search(tail.group("value")):
            return Found(tail.start("value"), tail.end("value"), tail.start())
    return None


def form_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Ranges of the issue's labelled form lines that are not measures: 责任人：… / 牵头单位：…"""
    return [(m.start(), m.end()) for m in _RESPONSIBLE.finditer(text, start, end)]


def find_deadline(text: str, start: int, end: int, status: Found | None = None) -> Found | None:
    """The labelled deadline (整改时限：2024年12月底前); failing one, a date-before inside the status
    (整改进展：正在推进，2025年6月底前完成)."""
    m = _DEADLINE.search(text, start, end)
    if m:
        return Found(m.start("value"), m.end("value"), m.start())
    due = _DUE.search(text, status.start, status.end) if status is not None else None
    return Found(due.start(), due.end(), due.start()) if due else None


def find_result(text: str, start: int, end: int, status: Found | None) -> Found | None:
    """The outcome paragraph(s) after 整改成效：, up to the next label or the end of the issue."""
    for m in _RESULT_LABEL.finditer(text, start, end):
        begin = m.end()
        if status is not None and status.start == begin:
            # 整改结果：已完成整改。 is a status; what follows it in the paragraph is the outcome
            begin = status.end + (status.end < end and text[status.end] in "。；;")
            while begin < end and text[begin] in " \t　":
                begin += 1
            if begin >= end or text[begin] == "\n":
                continue
        nxt = _ANY_LABEL.search(text, begin, end)
        stop = nxt.start() if nxt else end
        while stop > begin and text[stop - 1].isspace():
            stop -= 1
        if stop > begin:
            return Found(begin, stop, m.start())
    return None
