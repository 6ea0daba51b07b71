"""Named people and the role printed next to them (党组书记余国平, 陈少龙任组长, 省委王宪魁书记, 周红云同志).

A name is two or three characters starting with a known surname, and must sit between a role (or a clause
boundary) and a word that can follow a name; that keeps verbs after role words (党组书记牵头) out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from ikg.ingest.document import PersonMention
from ikg.ingest.extract.vocab import alternation, load
from ikg.ingest.normalize import NormalizedText

_BOUNDARY = set("，,。；;：:、！？（）()“”‘’《》 \t\n") | set("由以和与及同对向在将是了把被从经请让使给予")
_NOT_IN_NAME = set("的了是在和与及等为对把被从将向已未这那其各该此之所由")
_LEVEL_BODY = r"(?:省委|市委|县委|区委|州委|省政府|市政府|县政府|区政府)"
_PERSON_NOUN = r"(?:党员|同志|干部|职工|由)"
_TITLES_AFTER_NAME = frozenset(
    {
        "书记",
        "副书记",
        "组长",
        "副组长",
        "主席",
        "副主席",
        "主任",
        "副主任",
        "局长",
        "院长",
        "部长",
        "县长",
        "市长",
        "厅长",
        "处长",
        "科长",
        "董事长",
        "总经理",
        "校长",
        "行长",
    }
)
_COUNT_AFTER = re.compile(r"等\s*[\d一二两三四五六七八九十]+\s*(?:人|名)")
_BODY_BEFORE_NAME = re.compile(rf"{_LEVEL_BODY}$")
_PERSON_NOUN_BEFORE = re.compile(rf"{_PERSON_NOUN}$")
_COMRADE_OR_COUNT = re.compile(r"同志|等\s*[\d一二两三四五六七八九十]+\s*(?:人|名)")
_MAX_NAME = 3
# 给予时任副总经理李明…: the then-held post is the role
_ROLE_QUALIFIERS = ("时任", "现任", "原任", "曾任")
# The person a measure disciplines: 给予孙建华政务记过处分, 对王强进行诫勉谈话, 对赵某某作出组织处理
# (one pattern, so the scan over every 对 stays in the regex engine)
_DISCIPLINED = re.compile(
    r"(?:给予|对)(?:(?:相关|有关|问题|涉事|违纪|违规)?(?:干部|人员|党员|职工))?"
    r"(?P<name>[\u4e00-\u9fff]{2,3}?)(?:同志)?(?:进行了?(?:诫勉|批评|提醒|约谈|谈话|问责|通报|处理)|"
    r"作出|予以|给予|党内|政务|诫勉|批评教育|提醒谈话|警告|记过|记大过|降级|撤职|开除|组织处理)"
)


@dataclass(frozen=True, slots=True)
class _Vocab:
    roles: tuple[str, ...]
    role_re: re.Pattern[str]
    appoint_re: re.Pattern[str]  # 为组织委员, 任组长
    short_roles: frozenset[str]  # roles that fit inside a name (two or three characters)
    surnames: frozenset[str]
    after: tuple[str, ...]
    formulaic: frozenset[str]
    formulaic_after: tuple[str, ...]
    not_name_starts: tuple[str, ...]


@cache
def _vocab() -> _Vocab:
    data = load("people.json")
    roles = tuple(sorted(data["roles"], key=len, reverse=True))
    role_alternation = alternation(roles)
    return _Vocab(
        roles,
        re.compile(role_alternation),
        re.compile(rf"(?:为|任|担任)(?:{role_alternation})"),
        frozenset(r for r in roles if len(r) <= _MAX_NAME),
        frozenset(data["surnames"]),
        tuple(sorted(data["after_name"], key=len, reverse=True)),
        frozenset(data["formulaic"]),
        tuple(data["formulaic_after"]),
        tuple(data["not_name_starts"]),
    )


def find_people(nt: NormalizedText, start: int = 0, end: int | None = None) -> list[PersonMention]:
    """Every mention of a named person in [start, end), in order; `role` is None where none is printed."""
    text = nt.text
    stop = len(text) if end is None else end
    v = _vocab()
    found: dict[tuple[int, int], str | None] = {}

    def add(s: int, e: int, role: str | None) -> None:
        name = text[s:e]
        if name in v.formulaic and text.startswith(v.formulaic_after, e):
            return
        if found.get((s, e)) is None:
            found[(s, e)] = role

    for m in v.role_re.finditer(text, start, stop):
        # ROLE NAME: 党组书记余国平坚决…, 市纪委监委第三监督检查室主任谢爱军和…
        if (n := _name_at(text, m.end(), stop, v)) is not None:
            add(m.end(), n, _role_phrase(text, start, m.start(), m.end()))
        # NAME ROLE: 下发了艾书琴组长…, 省委王宪魁书记… (titles only: 项目负责人 is no name)
        if m.group() not in _TITLES_AFTER_NAME:
            continue
        for length in (3, 2):
            s = m.start() - length
            if s < start or not _valid_name(text[s : m.start()]):
                continue
            body = _BODY_BEFORE_NAME.search(text, max(start, s - 4), s)
            if body or text[s - 1 : s] in _BOUNDARY:
                add(s, m.start(), (body.group() if body else "") + m.group())
                break
    # NAME为ROLE / NAME任ROLE: 党员赵国徽为组织委员, 陈少龙任组长
    for m in v.appoint_re.finditer(text, start, stop):
        for length in (3, 2):
            s = m.start() - length
            if s >= start and _valid_name(text[s : m.start()]) and _left_ok(text, s, start):
                add(s, m.start(), m.group().lstrip("为任担"))
                break
    # the disciplined, with no role: 给予孙建华政务记过处分, 对王强进行诫勉谈话
    for m in _DISCIPLINED.finditer(text, start, stop):
        if _valid_name(m.group("name")):
            add(m.start("name"), m.end("name"), None)
    # NAME同志 / NAME等5人 with no role: 由周红云同志主持, 高堂升等5人
    for m in _COMRADE_OR_COUNT.finditer(text, start, stop):
        if text.startswith("同志为核心", m.start()):
            continue
        for length in (3, 2):
            s = m.start() - length
            if s >= start and _valid_name(text[s : m.start()]) and _left_ok(text, s, start):
                add(s, m.start(), None)
                break
    return [PersonMention(text[s:e], role, nt.span(s, e)) for (s, e), role in sorted(found.items())]


def merge_people(mentions: list[PersonMention]) -> list[PersonMention]:
    """One mention per name, at its first occurrence, with the first role printed for it anywhere."""
    first: dict[str, PersonMention] = {}
    for m in mentions:
        seen = first.get(m.name)
        if seen is None:
            first[m.name] = m
        elif seen.role is None and m.role is not None:
            first[m.name] = PersonMention(seen.name, m.role, seen.span)
    return list(first.values())


@lru_cache(maxsize=8192)  # the same two or three characters are tried again and again
def _valid_name(name: str) -> bool:
    v = _vocab()
    return (
        len(name) in (2, 3)
        and name[0] in v.surnames
        and all("\u4e00" <= ch <= "\u9fff" and ch not in _NOT_IN_NAME for ch in name)
        and not _holds_role(name, v)
        and not name.startswith(v.not_name_starts)
    )


def _holds_role(name: str, v: _Vocab) -> bool:
    """Whether a role word sits inside `name`; only roles as short as a name can."""
    return any(name[i:j] in v.short_roles for i in range(len(name)) for j in range(i + 1, len(name) + 1))


def _name_at(text: str, pos: int, stop: int, v: _Vocab) -> int | None:
    """The end of a name starting at `pos`, if one does and is followed by a word that may follow a name."""
    for length in (3, 2):
        e = pos + length
        if e > stop or not _valid_name(text[pos:e]):
            continue
        if e == stop or text[e] in _BOUNDARY or text.startswith(v.after, e) or _COUNT_AFTER.match(text, e):
            return e
    return None


def _left_ok(text: str, s: int, start: int) -> bool:
    return (
        s == start
        or text[s - 1] in _BOUNDARY
        or _PERSON_NOUN_BEFORE.search(text[max(start, s - 2) : s]) is not None
    )


def _role_phrase(text: str, start: int, role_start: int, role_end: int) -> str:
    """The role with the body it belongs to, scanning left to a clause boundary: 市总工会常务副主席;
    roles joined by 、 stay together (党组书记、区总工会主席)."""
    s = role_start
    while s > start:
        ch = text[s - 1]
        if ch == "、" and _ends_with_role(text[max(start, s - 8) : s - 1]):
            s -= 1
            continue
        if ch in _BOUNDARY or not ("\u4e00" <= ch <= "\u9fff"):
            break
        s -= 1
    phrase = text[s:role_end]
    for qualifier in _ROLE_QUALIFIERS:
        if phrase.startswith(qualifier) and len(phrase) > len(qualifier):
            return phrase[len(qualifier) :]
    return phrase


def _ends_with_role(text: str) -> bool:
    return text.endswith(_vocab().roles)
