"""The figures a report claims about its own rectification (25个具体问题, 整改率达到100%, 制定整改措施141项).

Each key is read from the first sentence that states it; a sentence about problems fixed during the
inspection itself (边巡边改) feeds the `on_the_spot_*` keys instead of the overall ones.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from ikg.ingest.document import ClaimedFigure
from ikg.ingest.normalize import NormalizedText

_N = r"\s*(?P<v>\d+)\s*"
_RATE = r"\s*(?P<v>\d+(?:\.\d+)?\s*%)"
_MONEY = r"\s*(?P<v>\d+(?:\.\d+)?\s*(?:亿|万|千)?余?元)"
_SENTENCE_ENDS = "。；;！？\n"
_SENTENCE_END = re.compile(f"[{_SENTENCE_ENDS}]")
# Every pattern reads a number followed by its unit (个 项 条 名 人 件 % 元 …), and 截至 dates a sentence only
# when it states a figure: a sentence without this shape holds nothing, so it is skipped.
_FIGURE = re.compile(r"\d\s*[个项条名人件%亿万千余元]")
_ON_THE_SPOT = re.compile(r"边巡边改|边巡视边整改|边巡察边整改|立行立改的问题")

# key -> patterns, tried in order within each sentence; the value is group "v" (group "c" gives categories).
_PATTERNS: dict[str, tuple[str, ...]] = {
    "categories": (r"(?P<v>\d+)\s*个方面", r"(?P<v>\d+)\s*项\s*\d+\s*个(?:具体)?问题"),
    "issues": (
        r"(?<![\d.])(?P<v>\d+)\s*个(?:具体)?问题",
        r"\d+\s*项\s*(?P<v>\d+)\s*个(?:具体)?问题",
        r"(?<![\d.])(?P<v>\d+)\s*项具体问题",
        rf"问题[^。；]{{0,12}}?共有{_N}个",
        # 认领问题18个: the feedback's problems taken on; not 自查发现问题12个, a measure's own finding
        rf"(?:反馈|指出|交办|认领)的?(?:具体)?问题{_N}个",
    ),
    "measures": (r"(?P<v>\d+)\s*条整改措施", rf"整改措施{_N}[项条]", r"(?P<v>\d+)\s*项整改措施"),
    "completed": (
        rf"已(?:经)?完成整改{_N}[个项]",
        rf"已(?:经)?整改完成{_N}[个项]",
        rf"已(?:经)?整改到位{_N}[个项]",
        # 反馈问题12个，已完成10个，… : bare, so only straight after the problems' count (not 项目已完成3个)
        rf"问题[^。；;，,\d]{{0,6}}?(?:\d+\s*个)?[，,]?\s*已(?:经)?完成{_N}[个项](?=\s*[，,。；;]|$)",
        r"已(?:经)?完成[^，。；]{0,10}?(?P<v>\d+)\s*个(?:具体)?问题整改",
    ),
    "completion_rate": (rf"(?:整改完成率|整改率|完成率)(?:达到|为|达)?{_RATE}",),
    "in_progress": (rf"正在(?:推进|整改){_N}[个项]", rf"(?:整改中|推进中)的?(?:问题)?{_N}[个项]"),
    "partially_completed": (rf"阶段性完成(?:整改)?{_N}[个项]", rf"基本完成(?:整改)?{_N}[个项]"),
    "not_completed": (rf"未完成(?:整改)?{_N}[个项]",),
    "long_term": (rf"长期整改的问题{_N}个", rf"需(?:要)?长期(?:坚持)?整改的?(?:问题)?{_N}个"),
    "recommendations": (rf"整改意见建议{_N}[个条]", r"(?P<v>\d+)\s*条整改(?:意见)?建议"),
    "persons_criticized": (rf"批评谈话(?:个人)?{_N}[名人]", rf"(?:谈话提醒|批评教育)(?:个人)?{_N}[名人]"),
    "rules_established": (rf"建章立制[^，。；\d]{{0,8}}{_N}项",),
    "rules_made_or_revised": (rf"(?:制定和修订|制定、修订|修订和制定|制定修订){_N}项(?:制度)?",),
    "losses_recovered": (rf"挽回(?:经济)?损失{_MONEY}",),
    "dues_collected": (rf"(?:催缴|收缴|追缴|补缴)工会(?:会)?费{_MONEY}",),
    "petitions_transferred": (rf"转办[^，。；]{{0,12}}?信访件{_N}件",),
    "petitions_closed": (rf"已办结{_N}件",),
    # keep last: it is read only when the same sentence stated a figure
    "as_of": (r"截(?:至|止)\s*(?P<v>(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日)",),
}
_ON_THE_SPOT_KEYS = {
    "issues": "on_the_spot_issues",
    "completed": "on_the_spot_completed",
    "completion_rate": "on_the_spot_completion_rate",
}
_ON_THE_SPOT_PATTERNS: dict[str, tuple[str, ...]] = {
    "issues": (rf"问题{_N}个", r"(?P<v>\d+)\s*个问题"),
    "completed": _PATTERNS["completed"],
    "completion_rate": _PATTERNS["completion_rate"],
}
_TEXT_KEYS = {"completion_rate", "on_the_spot_completion_rate", "losses_recovered", "dues_collected", "as_of"}
_COMPILED = {k: tuple(re.compile(p) for p in ps) for k, ps in _PATTERNS.items()}
_COMPILED_SPOT = {k: tuple(re.compile(p) for p in ps) for k, ps in _ON_THE_SPOT_PATTERNS.items()}


def extract_claimed(nt: NormalizedText) -> tuple[ClaimedFigure, ...]:
    """Every claimed figure, once per key, in the order the report states them."""
    text = nt.text
    found: dict[str, ClaimedFigure] = {}
    for s, e in _sentences_with_figures(text):
        spot = _ON_THE_SPOT.search(text, s, e) is not None
        table = _COMPILED_SPOT if spot else _COMPILED
        before = len(found)
        for key, patterns in table.items():
            name = _ON_THE_SPOT_KEYS[key] if spot else key
            # 截至… dates the figures only in a sentence that states some (not 截止2023年12月31日，全市…).
            if name in found or (key == "as_of" and len(found) == before):
                continue
            for pattern in patterns:
                if m := pattern.search(text, s, e):
                    vs, ve = m.span("v")
                    raw = text[vs:ve]
                    value: int | str = raw if name in _TEXT_KEYS else int(raw)
                    found[name] = ClaimedFigure(name, value, nt.span(vs, ve))
                    break
    return tuple(sorted(found.values(), key=lambda f: f.span.start))


def _sentences_with_figures(text: str) -> Iterator[tuple[int, int]]:
    """The sentences (runs between 。；;！？ and line breaks) that hold a number with its unit, in order."""
    ends: list[int] | None = None  # where sentences end, found in one pass once a figure is seen
    low = 0  # where the next sentence may start
    for figure in _FIGURE.finditer(text):
        at = figure.start()  # a digit, so inside a sentence
        if at < low:
            continue
        if ends is None:
            ends = [m.start() for m in _SENTENCE_END.finditer(text)]
        i = bisect.bisect_left(ends, at)  # ends[i - 1] < at <= ends[i]
        start = max(low, ends[i - 1] + 1 if i > 0 else 0)
        end = ends[i] if i < len(ends) else len(text)
        yield start, end
        low = end + 1
