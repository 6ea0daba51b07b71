"""The inspection a report answers: its team, the body that sent it, its kind, modes and round.

Team forms, each after optional places and a round prefix (七届市委第十二轮…):
    <level>第N<modes><kind>组      县委第一巡察组, 市委第一专项巡察组, 中央第六巡视组
    <level><modes><kind>第N组      市委提级巡察第四组, 区委巡察第13组
    <level><modes><kind>N组        市委巡察二组
    <level>“<name>”<modes><kind>组 县委“…”专项巡察组 (a long quoted name)
    <level><modes><kind>组         县委机动巡察组, 省委巡视组 (only when no numbered team is printed)
    <organ>第N<kind>组             教育部党组第三巡视组 (a ministry's or a group's party organ)
    第N<kind>组                    第一巡察组, with the level from 根据区委统一部署
The level is the sending body as printed (中央, 省委, 市委, 县委, 区委, 教育部党组); the kind 巡视 or 巡察;
modes are 专项, 提级, 机动, 联动, 交叉, 回头看, 常规 as printed in the team or the opening; the round is
printed in the title or text (十四届第五轮, 十二届省委第八轮).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ikg.ingest.extract.regions import place_before

_NUM = r"[一二三四五六七八九十百零〇两\d]+"
_KIND = r"(?:巡视|巡察)"
_MODES = r"(?:专项|提级|机动|联动|交叉|常规)*"
_COMMITTEE = r"(?:中央|自治区党委|省委|市委|州委|县委|区委|旗委|盟委|工委)"
# a ministry's, a group's or a university's party organ: 教育部党组, 集团公司党委
_ORGAN = r"[\u4e00-\u9fff]{1,10}?(?:部|厅|局|委|办|署|院|会|行|集团|公司|大学)(?:党组|党委)"
_ROUND = rf"(?:{_NUM}届)?(?:{_COMMITTEE})?第{_NUM}轮"
_QUOTED = r"(?:[“\"][^”\"\n]{1,60}[”\"])?"
_TAIL = rf"(?:第{_NUM}{_MODES}{_KIND}组|{_QUOTED}{_MODES}{_KIND}(?:第{_NUM}组|{_NUM}组|组))"
_TEAM = re.compile(
    rf"(?P<round>{_NUM}届(?={_COMMITTEE}))?(?P<level>{_COMMITTEE}|{_ORGAN})(?:第{_NUM}轮)?{_TAIL}"
    rf"|(?<![\u4e00-\u9fff])(?P<bare>第{_NUM}{_MODES}{_KIND}组)"
)
_NUMBERED = re.compile(rf"第{_NUM}|{_NUM}组$")
_FUNCTION_HEAD = re.compile(r"^(?:根据|按照|经|由|对|向|在|和|与|及|将|受|据|同)")
_KIND_RE = re.compile(_KIND)
_MODE_RE = re.compile(r"专项|提级|机动|联动|交叉|回头看|常规")
_ROUND_RE = re.compile(_ROUND)
_DEPLOYED_BY = re.compile(rf"根据(?P<level>{_COMMITTEE}|{_ORGAN})")
_KIND_IN_TEXT = re.compile(
    rf"(?:开展了|进行了|开展|进行)(?:了)?(?:常规|专项|提级|机动|联动|交叉)*(?P<kind>{_KIND})"
)
_OPENING_CHARS = 1200


@dataclass(frozen=True, slots=True)
class TeamMatch:
    start: int  # offsets into the searched text: the team as printed, places included
    end: int
    level: tuple[int, int] | None  # span of the sending body inside the text
    kind: tuple[int, int] | None


@dataclass(frozen=True, slots=True)
class InspectionFacts:
    team: TeamMatch | None
    level: tuple[int, int] | None  # where the level is printed (the team's, else 根据区委统一部署)
    kind: tuple[int, int] | None
    modes: tuple[str, ...]
    round: tuple[int, int] | None


def find_team(text: str, start: int = 0, end: int | None = None) -> TeamMatch | None:
    """The first numbered team in text[start:end], else the first team of any form."""
    stop = len(text) if end is None else end
    first: TeamMatch | None = None
    for m in _TEAM.finditer(text, start, stop):
        s, e = m.span()
        level = m.span("level") if m["level"] else None
        if level is not None and m["round"] is None:
            # an organ's name may have swallowed the words before it (由教育部党组第三巡视组)
            while (head := _FUNCTION_HEAD.match(text, s, level[1])) is not None and head.end() < level[1] - 2:
                s = head.end()
            level = (s, level[1])
            s = place_before(text, s, start)
        k = _KIND_RE.search(text, s, e)
        team = TeamMatch(s, e, level, k.span() if k else None)
        if _NUMBERED.search(text, s, e):
            return team
        first = first or team
    return first


def find_inspection(text: str, title: str | None = None) -> InspectionFacts:
    """Team, level, kind, modes and round from the opening of the (normalized) text."""
    stop = min(len(text), _OPENING_CHARS)
    team = find_team(text, 0, stop) or find_team(text)
    level = team.level if team else None
    if level is None:
        deployed = _DEPLOYED_BY.search(text, 0, stop)
        level = deployed.span("level") if deployed else None
    kind = team.kind if team else None
    if kind is None:
        k = _KIND_IN_TEXT.search(text, 0, stop)
        kind = k.span("kind") if k else None
    modes: list[str] = []
    if team is not None:
        modes += _MODE_RE.findall(text, team.start, team.end)
    sentence_end = text.find("。", team.end if team else 0, stop)
    around = text[team.start if team else 0 : sentence_end if sentence_end > 0 else stop]
    modes += _MODE_RE.findall(around)
    if title:
        modes += [m for m in _MODE_RE.findall(title) if m == "回头看"]
    # every round ends in 轮: a text without one spares the search, which has no fixed first character
    rnd = _ROUND_RE.search(text, 0, stop) if text.find("轮", 0, stop) >= 0 else None
    return InspectionFacts(team, level, kind, _ordered_modes(modes), rnd.span() if rnd else None)


def round_in(text: str) -> str | None:
    """The round as printed: 十四届第五轮, 十二届省委第八轮."""
    m = _ROUND_RE.search(text)
    return m.group() if m else None


_MODE_ORDER = ("专项", "提级", "机动", "联动", "交叉", "回头看", "常规")


def _ordered_modes(found: list[str]) -> tuple[str, ...]:
    return tuple(m for m in _MODE_ORDER if m in found)
