"""Organizations a report names: party committees and inspection teams, government bodies, other unions,
companies, banks, schools, communities (县委第一巡察组, 县自然资源局, 虎林市远华贸易有限责任公司).

Left out, as the gold policy says: the inspected unit and its own departments (市总维权部), generic or plural
references (各街道总工会, 上级工会), meetings and facilities, and bodies named only inside a 《》 title.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from ikg.ingest.document import OrganizationMention
from ikg.ingest.extract.regions import (
    first_place,
    leading_places,
    place_chain_starts,
    region_level,
    region_of,
    spans_after_places,
    starts_with_place_or_stem,
)
from ikg.ingest.extract.vocab import alternation, load
from ikg.ingest.normalize import NormalizedText

_LEVEL = r"(?:省委|市委|县委|区委|州委|旗委)"
_NUM = r"[一二三四五六七八九十百零〇\d]+"
_KIND = r"(?:巡视|巡察)"
_TEAM = rf"(?:第{_NUM}(?:轮)?(?:专项)?{_KIND}组|(?:专项)?{_KIND}第{_NUM}组|(?:专项)?{_KIND}组)"
_GOVERNMENT_AFTER_COMMITTEE = re.compile(r"[省市县区]政府")  # 省委省政府 is a formula, not two bodies
_LEVEL_RE = re.compile(_LEVEL)
_PLACE_LEVELS = set("省市县区乡镇")  # 市教育局, 镇政府
_LEVEL_OR_PLACE_LEVEL = re.compile(rf"{_LEVEL}|[省市县区]")
_ZONE_END = re.compile(r"[区园]$")
_TOWNSHIP = re.compile(r"[\u4e00-\u9fff]{2,3}(?:镇|乡|街道)(?<!乡镇)")  # 石湾镇中心小学, 石湾镇人民政府
_TITLE = re.compile(r"《[^《》。；;\n]*(?:》|(?=[。；;\n]))")
_BOUNDARY = set("，,。；;：:、！？（）()“”‘’ \t\n")
_NATIONAL = ("中国", "全国", "国家", "中华")
_MAX_NAME = 32


@dataclass(frozen=True, slots=True)
class _Vocab:
    team_tail: re.Pattern[str]  # what follows the place names of a team: 县委第一巡察组
    body_tail: re.Pattern[str]  # … of a body: 县自然资源局, 省委组织部
    body_re: re.Pattern[str]  # the body words alone, to find where bodies may start
    bodies: frozenset[str]
    body_lengths: tuple[int, ...]
    body_first_chars: frozenset[str]
    suffix_re: re.Pattern[str]
    suffix_policy: dict[str, str]
    stop_words: frozenset[str]
    stop_lengths: tuple[int, ...]
    stop_last_chars: frozenset[str]
    generic: tuple[str, ...]
    internal: tuple[str, ...]
    needs_place: frozenset[str]


@cache
def _vocab() -> _Vocab:
    data = load("organizations.json")
    bodies = alternation(data["bodies"])
    suffixes: dict[str, str] = data["named_suffixes"]
    return _Vocab(
        team_tail=re.compile(rf"{_LEVEL}{_TEAM}"),
        body_tail=re.compile(rf"(?:{_LEVEL}|[省市县区乡镇])?(?:{bodies})"),
        body_re=re.compile(bodies),
        bodies=frozenset(data["bodies"]),
        body_lengths=tuple(sorted({len(b) for b in data["bodies"]}, reverse=True)),
        body_first_chars=frozenset(b[0] for b in data["bodies"]),
        suffix_re=re.compile(alternation(suffixes)),
        suffix_policy=suffixes,
        stop_words=frozenset(data["stop_words"]),
        stop_lengths=tuple(sorted({len(w) for w in data["stop_words"]}, reverse=True)),
        stop_last_chars=frozenset(w[-1] for w in data["stop_words"]),
        generic=tuple(data["generic_prefixes"]),
        internal=tuple(data["internal_suffixes"]),
        needs_place=frozenset(data["needs_place"]),
    )


def find_organizations(
    nt: NormalizedText, start: int = 0, end: int | None = None, *, unit: str | None = None
) -> list[OrganizationMention]:
    """Every organization mention in the normalized range [start, end), in order, overlaps resolved to the
    longest name. `unit` is the inspected unit (惠东县总工会); when None it is read from the report header."""
    text = nt.text
    stop = len(text) if end is None else end
    if unit is None:
        from ikg.ingest.extract.header import extract_header  # header imports nothing from here

        header_unit = extract_header(nt).inspected_unit
        unit = header_unit.value if header_unit else None
    v = _vocab()
    candidates = [
        *_teams(text, start, stop, v),
        *_bodies(text, start, stop, v),
        *_named(text, start, stop, v),
    ]
    titles = _title_spans(text, start, stop)
    own = _own_names(unit)
    longest: list[tuple[int, int]] = []
    for s, e in sorted(set(candidates), key=lambda c: (c[0], -(c[1] - c[0]))):
        if not longest or s >= longest[-1][1]:  # else inside a longer name at an earlier or the same start
            longest.append((s, e))
    title_starts = [ts for ts, _ in titles]
    kept: list[tuple[int, int]] = []
    for s, e in longest:
        name = text[s:e]
        # Titles do not overlap, so only the last one opening at or before s can hold the name.
        inside = bisect.bisect_right(title_starts, s) - 1
        if inside >= 0 and e <= titles[inside][1]:
            continue
        if name.startswith(v.generic) or name.endswith(v.internal) or name.startswith(own):
            continue
        kept.append((s, e))
    return [OrganizationMention(text[s:e], nt.span(s, e)) for s, e in kept]


def _teams(text: str, start: int, stop: int, v: _Vocab) -> list[tuple[int, int]]:
    # Teams and committees are `<places>*<level>…`: anchor on the level words (省委, 县委 …).
    levels = place_chain_starts(text, start, [m.start() for m in _LEVEL_RE.finditer(text, start, stop)])

    def team(pos: int) -> int | None:
        m = v.team_tail.match(text, pos, stop)
        return m.end() if m else None

    def committee(pos: int) -> int | None:
        m = _LEVEL_RE.match(text, pos, stop)
        return m.end() if m else None

    def left_ok(s: int) -> bool:
        return _left_ok(text, s, start, v)

    found = list(spans_after_places(text, start, stop, levels, team, accept=left_ok, chained=True))
    for s, e in spans_after_places(text, start, stop, levels, committee, chained=True):
        if _GOVERNMENT_AFTER_COMMITTEE.match(text, e) or text[s - 2 : s] in ("省委", "市委"):
            continue  # 省委省政府, and its second half
        if _left_ok(text, s, start, v):
            found.append((s, e))
    return found


def _bodies(text: str, start: int, stop: int, v: _Vocab) -> list[tuple[int, int]]:
    def body(pos: int) -> int | None:
        m = v.body_tail.match(text, pos, stop)
        return m.end() if m else None

    def stands_alone(s: int) -> bool:
        # A body led by a committee (报省委改革办) delimits itself; others must stand alone.
        led = _LEVEL_RE.match(text, s) is not None and text[s - 1 : s] not in "省市县区"
        return led or _left_ok(text, s, start, v)

    found: list[tuple[int, int]] = []
    anchors = _body_anchors(text, start, stop, v)
    for s, e in spans_after_places(text, start, stop, anchors, body, accept=stands_alone):
        name = text[s:e]
        if name in v.needs_place or text.startswith("门", e):  # bare 政府; 组织部门 is generic
            continue
        found.append((s, e))
    return found


def _body_anchors(text: str, start: int, stop: int, v: _Vocab) -> list[int]:
    """Where a body's tail may start: at every body word (even one inside another: 全国总工会), or one or
    two characters before it (市教育局, 省委组织部)."""
    anchors: list[int] = []
    for m in v.body_re.finditer(text, start, stop):
        first, last = m.span()
        for pos in range(first, last):
            # a body word starts at pos: what body_re matches there (the words as a trie, any length)
            if pos == first or (text[pos] in v.body_first_chars and v.body_re.match(text, pos, stop)):
                anchors.append(pos)
                if text[pos - 1 : pos] in _PLACE_LEVELS:
                    anchors.append(pos - 1)
                if pos >= 2 and _LEVEL_RE.fullmatch(text, pos - 2, pos):
                    anchors.append(pos - 2)
    return anchors


def _named(text: str, start: int, stop: int, v: _Vocab) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for m in v.suffix_re.finditer(text, start, stop):
        suffix_start, end = m.span()
        s = suffix_start
        lowest = max(start, end - _MAX_NAME)  # names are shorter than _MAX_NAME
        # Scan left over Chinese text up to a boundary or a stop word (_stops_before, inlined: hot loop).
        while s > lowest:
            ch = text[s - 1]
            if ch in _BOUNDARY or (
                ch in v.stop_last_chars
                and any(n <= s and text[s - n : s] in v.stop_words for n in v.stop_lengths)
            ):
                break
            if not ("\u4e00" <= ch <= "\u9fff" or ch in "《》"):
                break
            s -= 1
        # 在…的有力监督下虎林市远华贸易有限责任公司: a place inside the scanned prefix starts the name.
        if (place := first_place(text, s, suffix_start)) is not None and place[0] > s:
            s = place[0]
        prefix = text[s:suffix_start]
        if _prefix_ok(prefix, v.suffix_policy[m.group()]) and prefix.count("《") == prefix.count("》"):
            found.append((s, end))
    return found


def _prefix_ok(prefix: str, policy: str) -> bool:
    if len(prefix) < 2 or "《" in prefix[:1]:
        return False
    if policy == "any":
        return True
    if policy == "short":
        return len(prefix) <= 3
    return bool(
        starts_with_place_or_stem(prefix)
        or _LEVEL_OR_PLACE_LEVEL.match(prefix)
        or prefix.startswith(_NATIONAL)
        or _ZONE_END.search(prefix)
        or _TOWNSHIP.match(prefix)
    )


def _stops_before(text: str, pos: int, v: _Vocab) -> bool:
    before = text[pos - 1 : pos]
    if before in _BOUNDARY:
        return True
    return before in v.stop_last_chars and any(
        n <= pos and text[pos - n : pos] in v.stop_words for n in v.stop_lengths
    )


def _left_ok(text: str, pos: int, start: int, v: _Vocab) -> bool:
    """A body or committee stands alone: at a clause boundary or after a verb or preposition."""
    return pos == start or _stops_before(text, pos, v) or not ("\u4e00" <= text[pos - 1] <= "\u9fff")


def _title_spans(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """《…》 spans; an unclosed 《 (a garbled citation) runs to the end of its clause."""
    return [m.span() for m in _TITLE.finditer(text, start, stop)]


def _own_names(unit: str | None) -> tuple[str, ...]:
    """The inspected unit's own names, which its departments start with: 清远市总工会, 中共清远市总工会,
    市总工会, 市总."""
    if not unit:
        return ()
    names = [unit]
    first = first_place(unit)
    if first is not None:
        chain = leading_places(unit[first[0] :])
        core = unit[first[0] + sum(map(len, chain)) :]
        # 广州市天河区总工会 -> 天河区总工会; 国家税务总局清远市税务局 -> 清远市税务局
        names += ["".join(chain[i:]) + core for i in range(len(chain))]
        level = region_level(region_of(unit))
        if level and core:
            names.append(level + core)  # 市总工会, 市税务局
            if core.startswith("总"):
                names.append(level + "总")  # 市总 (市总维权部, 市总办公室)
    return tuple(n for name in names for n in (name, "中共" + name))
