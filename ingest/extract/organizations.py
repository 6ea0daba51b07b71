"""Organizations a report names: party committees and inspection teams, government bodies, other unions,
companies, banks, schools, communities (县委第一巡察组, 县自然资源局, 虎林市远华贸易有限责任公司).

Left out, as the gold policy says: the inspected unit and its own departments (市总维权部), generic or plural
references (各街道总工会, 上级工会), meetings and facilities, and bodies named only inside a 《》 title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ikg.ingest.document import OrganizationMention
from ikg.ingest.extract.regions import leading_places, place_pattern, region_level, region_of, stem_pattern
from ikg.ingest.extract.vocab import load
from ikg.ingest.normalize import NormalizedText

_LEVEL = r"(?:省委|市委|县委|区委|州委|旗委)"
_NUM = r"[一二三四五六七八九十百零〇\d]+"
_KIND = r"(?:巡视|巡察)"
_TEAM = rf"(?:第{_NUM}(?:轮)?(?:专项)?{_KIND}组|(?:专项)?{_KIND}第{_NUM}组|(?:专项)?{_KIND}组)"
_GOVERNMENT_AFTER_COMMITTEE = re.compile(r"[省市县区]政府")  # 省委省政府 is a formula, not two bodies
_BOUNDARY = set("，,。；;：:、！？（）()“”‘’ \t\n")
_NATIONAL = ("中国", "全国", "国家", "中华")
_MAX_NAME = 32


@dataclass(frozen=True, slots=True)
class _Vocab:
    body_re: re.Pattern[str]
    team_re: re.Pattern[str]
    committee_re: re.Pattern[str]
    suffix_re: re.Pattern[str]
    suffix_policy: dict[str, str]
    stop_words: tuple[str, ...]
    generic: tuple[str, ...]
    internal: tuple[str, ...]
    needs_place: frozenset[str]


@cache
def _vocab() -> _Vocab:
    data = load("organizations.json")
    places = place_pattern().pattern
    bodies = "|".join(map(re.escape, sorted(data["bodies"], key=len, reverse=True)))
    suffixes: dict[str, str] = data["named_suffixes"]
    return _Vocab(
        body_re=re.compile(rf"(?:{places})*(?:{_LEVEL}|[省市县区乡镇])?(?:{bodies})"),
        team_re=re.compile(rf"(?:{places})*{_LEVEL}{_TEAM}"),
        committee_re=re.compile(rf"(?:{places})*{_LEVEL}"),
        suffix_re=re.compile("|".join(map(re.escape, sorted(suffixes, key=len, reverse=True)))),
        suffix_policy=suffixes,
        stop_words=tuple(sorted(data["stop_words"], key=len, reverse=True)),
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
    kept: list[tuple[int, int]] = []
    for s, e in longest:
        name = text[s:e]
        if any(ts <= s and e <= te for ts, te in titles):
            continue
        if name.startswith(v.generic) or name.endswith(v.internal) or name.startswith(own):
            continue
        kept.append((s, e))
    return [OrganizationMention(text[s:e], nt.span(s, e)) for s, e in kept]


def _teams(text: str, start: int, stop: int, v: _Vocab) -> list[tuple[int, int]]:
    found = [m.span() for m in v.team_re.finditer(text, start, stop) if _left_ok(text, m.start(), start, v)]
    for m in v.committee_re.finditer(text, start, stop):
        if _GOVERNMENT_AFTER_COMMITTEE.match(text, m.end()) or text[m.start() - 2 : m.start()] in (
            "省委",
            "市委",
        ):
            continue  # 省委省政府, and its second half
        if _left_ok(text, m.start(), start, v):
            found.append(m.span())
    return found


def _bodies(text: str, start: int, stop: int, v: _Vocab) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for m in v.body_re.finditer(text, start, stop):
        name = m.group()
        if name in v.needs_place or text.startswith("门", m.end()):  # bare 政府; 组织部门 is generic
            continue
        # A body led by a committee (报省委改革办) delimits itself; others must stand alone.
        if (re.match(_LEVEL, name) and text[m.start() - 1 : m.start()] not in "省市县区") or _left_ok(
            text, m.start(), start, v
        ):
            found.append(m.span())
    return found


def _named(text: str, start: int, stop: int, v: _Vocab) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for m in v.suffix_re.finditer(text, start, stop):
        s = m.start()
        while s > start and m.end() - s < _MAX_NAME and not _stops_before(text, s, v):
            ch = text[s - 1]
            if not ("\u4e00" <= ch <= "\u9fff" or ch in "《》"):
                break
            s -= 1
        # 在…的有力监督下虎林市远华贸易有限责任公司: a place inside the scanned prefix starts the name.
        if (place := place_pattern().search(text, s, m.start())) is not None and place.start() > s:
            s = place.start()
        prefix = text[s : m.start()]
        if _prefix_ok(prefix, v.suffix_policy[m.group()]) and prefix.count("《") == prefix.count("》"):
            found.append((s, m.end()))
    return found


def _prefix_ok(prefix: str, policy: str) -> bool:
    if len(prefix) < 2 or "《" in prefix[:1]:
        return False
    if policy == "any":
        return True
    if policy == "short":
        return len(prefix) <= 3
    return bool(
        stem_pattern().match(prefix)
        or re.match(rf"{_LEVEL}|[省市县区]", prefix)
        or prefix.startswith(_NATIONAL)
        or re.search(r"[区园]$", prefix)
        or re.match(r"[\u4e00-\u9fff]{2,3}(?:镇|乡|街道)(?<!乡镇)", prefix)  # 石湾镇中心小学, 石湾镇人民政府
    )


def _stops_before(text: str, pos: int, v: _Vocab) -> bool:
    return text[pos - 1 : pos] in _BOUNDARY or text.endswith(v.stop_words, 0, pos)


def _left_ok(text: str, pos: int, start: int, v: _Vocab) -> bool:
    """A body or committee stands alone: at a clause boundary or after a verb or preposition."""
    return pos == start or _stops_before(text, pos, v) or not ("\u4e00" <= text[pos - 1] <= "\u9fff")


def _title_spans(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """《…》 spans; an unclosed 《 (a garbled citation) runs to the end of its clause."""
    return [
        m.span() for m in re.compile(r"《[^《》。；;\n]*(?:》|(?=[。；;\n]))").finditer(text, start, stop)
    ]


def _own_names(unit: str | None) -> tuple[str, ...]:
    """The inspected unit's own names, which its departments start with: 清远市总工会, 中共清远市总工会,
    市总工会, 市总."""
    if not unit:
        return ()
    names = [unit]
    first = place_pattern().search(unit)
    if first is not None:
        chain = leading_places(unit[first.start() :])
        core = unit[first.start() + sum(map(len, chain)) :]
        # 广州市天河区总工会 -> 天河区总工会; 国家税务总局清远市税务局 -> 清远市税务局
        names += ["".join(chain[i:]) + core for i in range(len(chain))]
        level = region_level(region_of(unit))
        if level and core:
            names.append(level + core)  # 市总工会, 市税务局
            if core.startswith("总"):
                names.append(level + "总")  # 市总 (市总维权部, 市总办公室)
    return tuple(n for name in names for n in (name, "中共" + name))
