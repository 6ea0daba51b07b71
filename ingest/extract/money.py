"""Money amounts as printed (3325元, 264.90665万元, 1635万余元, 30 万工作经费) with their value in yuan."""

from __future__ import annotations

import re

from ikg.ingest.document import MoneyMention
from ikg.ingest.normalize import NormalizedText

_UNITS = {"亿": 100_000_000.0, "万": 10_000.0, "千": 1_000.0, "": 1.0}
# `余`/`多` (more than) may sit before or after the multiplier: 1635万余元, 500余万元.
_AMOUNT = re.compile(
    r"(?<![\d.])(?P<n>\d+(?:\.\d+)?)\s*(?P<pre>[余多])?(?P<unit>亿|万|千)?(?P<post>[余多])?(?P<yuan>元)?"
)
# An amount starts a run of digits; finding the runs first spares trying the pattern at every position.
_DIGIT_RUN = re.compile(r"\d+")
# What may follow the digits of an amount (with whitespace): its decimals, 余/多, the multiplier or 元.
_MAY_FOLLOW = frozenset(".余多亿万千元")
# A bare 万 without 元 is money only before a money word: 下拨其 30 万工作经费 (not 3.4万多人).
_MONEY_WORDS = re.compile(r"(?:工作)?(?:经费|资金|补助|补贴|奖金|奖励金|租金|会费|费用|款)")


def find_money(nt: NormalizedText, start: int = 0, end: int | None = None) -> list[MoneyMention]:
    """Every amount of money in the normalized range [start, end), in order."""
    text = nt.text
    stop = len(text) if end is None else end
    found: list[MoneyMention] = []
    pos = start
    for run in _DIGIT_RUN.finditer(text, start, stop):
        run_end = run.end()
        after = text[run_end : run_end + 1]
        if not (after in _MAY_FOLLOW or after.isspace()):
            continue  # a bare number (2023年, 第3条): the match would be the run alone, and no amount
        if run.start() < pos or (m := _AMOUNT.match(text, run.start(), stop)) is None:
            continue
        pos = m.end()  # what `finditer` would do: go on after the match
        unit = m["unit"] or ""
        if m["yuan"] is None and not (unit and _MONEY_WORDS.match(text, m.end(), stop)):
            continue
        if m["yuan"] is None and (m["pre"] or m["post"]):
            continue
        number = m["n"]
        yuan = round(float(number) * _UNITS[unit], 2)
        found.append(MoneyMention(text[m.start() : m.end()], yuan, nt.span(m.start(), m.end())))
    return found
