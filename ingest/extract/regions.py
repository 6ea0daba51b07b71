"""Place names of China (`ingest/data/regions.json`): find them in text and place a unit in its region."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ikg.ingest.document import Region
from ikg.ingest.extract.vocab import load

# Stems shorter than this are too ambiguous to stand for a place without their suffix (东 of 东区 …).
_MIN_STEM = 2
_SUFFIXES = ("特别行政区", "自治区", "自治州", "地区", "省", "市", "县", "区", "盟", "旗")


@dataclass(frozen=True, slots=True)
class Place:
    name: str  # full name as printed in the data: 惠东县
    level: str  # province | city | county
    province: str
    city: str | None = None


@cache
def _places() -> dict[str, tuple[Place, ...]]:
    found: dict[str, list[Place]] = {}
    provinces: dict[str, dict[str, list[str]]] = load("regions.json")["provinces"]
    for province, cities in provinces.items():
        found.setdefault(province, []).append(Place(province, "province", province))
        for city, counties in cities.items():
            if city != province:  # 北京市 is both; keep it a province
                found.setdefault(city, []).append(Place(city, "city", province))
            for county in counties:
                found.setdefault(county, []).append(Place(county, "county", province, city))
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
def place_pattern() -> re.Pattern[str]:
    """Alternation of all full place names, longest first."""
    names = sorted(_places(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


@cache
def stem_pattern() -> re.Pattern[str]:
    """Alternation of full names and unambiguous short forms (广东, 佛冈), longest first."""
    names = sorted([*_places(), *_stems()], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def is_place(name: str) -> bool:
    return name in _places()


def leading_places(text: str) -> list[str]:
    """The chain of full place names at the start of `text`: 广州市天河区总工会 -> [广州市, 天河区]."""
    chain: list[str] = []
    pos = 0
    pattern = place_pattern()
    while m := pattern.match(text, pos):
        chain.append(m.group())
        pos = m.end()
    return chain


def region_of(name: str, hint: Region | None = None) -> Region:
    """The region of a unit from the first run of place names in its name, filled upwards from the data:
    惠东县总工会 -> 广东省/惠州市/惠东县; 国家税务总局清远市税务局 -> 广东省/清远市.

    `hint` (e.g. a province named elsewhere in the report) breaks ties between same-named counties.
    """
    province = city = county = None
    first = place_pattern().search(name)
    for part in leading_places(name[first.start() :] if first else ""):
        candidates = _places()[part]
        place = _choose(candidates, province or (hint.province if hint else None), city)
        if place.level == "province":
            province = place.name
        elif place.level == "city":
            city, province = place.name, place.province
        else:
            county, city, province = place.name, place.city, place.province
    return Region(province, city, county)


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
