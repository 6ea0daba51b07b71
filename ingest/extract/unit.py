"""The inspected unit of a report: the fullest name the report gives it, and the other names it uses.

Where a name comes from, most trusted first: the report's own title or signature (中共X党组关于…), the body
the opening says was inspected (…巡察组对X党组进行了巡察), the body the opinions were fed back to (向X反馈).
A short form (区交通运输局, 区文联) becomes the fullest form the report prints with its places
(《益阳市赫山区交通运输局财务制度》, 盘锦市大洼区文学艺术界联合会). Short forms and self-references
(我局, 我单位) are kept as aliases. A province or city inspected by a higher body (中央巡视组对湖北省…)
is its committee (湖北省委). Names never keep the leading 中共 nor the suffix that names the party
organ (党组, 党委 …, and 委员会 after 中共); 共青团南县委员会 keeps its 委员会, which is the body's own name.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from ikg.ingest.document import Field, Span
from ikg.ingest.extract.regions import first_place, is_place, leading_places, spans_after_places
from ikg.ingest.extract.vocab import alternation, load
from ikg.ingest.normalize import NormalizedText

_OPENING_CHARS = 1200  # the inspection facts are stated in the first paragraph
_NAME = r"[^，。；,;：:、\n“”\"]"
_NOTE = r"(?:[（(](?:以下简称|以下称|下称|简称)[^）)]{0,24}[）)])?"
_VERB = r"(?:开展了|进行了|开展|进行|实施了|实施)(?:了)?(?:常规|专项|提级|机动|联动|交叉|政治)*(?:巡视|巡察)"
_BODY_PREFIX = re.compile(r"^(?:中国共产党|中共)")
_COMMITTEE_END = re.compile(r"委员会$")
# 中共某某县委政法委员会, 中共某某市纪律检查委员会: a committee of the party committee is the body itself,
# so its 委员会 is its name, not the party organ of a unit (中共某某市人民医院委员会)
_OWN_COMMITTEE = re.compile(r"(?:[省市县区州旗盟]委[^委]{2,10}|纪律检查|政法|机构编制)委员会$")
_CHROME_PREFIX = re.compile(r"^(?:【[^】]{0,16}】|\[[^\]]{0,16}\]|[|｜·•\s])+")
_JOINED = re.compile(r"(?:及其|以及|及|和|暨|所属|下属|所辖|并)")
_SHORT_NOTE = re.compile(r"[（(](?:以下简称|以下称|下称|简称)[“\"‘]?(?P<alias>[^）)”\"’]{1,16})[”\"’]?[）)]")
_LEVEL_CHARS = "省市县区"
_INSPECTION_OFFICE = re.compile(r"(?:巡视|巡察)(?:工作)?(?:领导小组)?(?:办公室|办)$|巡察机构$")


@dataclass(frozen=True, slots=True)
class UnitFacts:
    unit: Field | None  # the fullest name, spanning where it is printed
    aliases: tuple[str, ...]  # other names of the same unit in the report, in order of appearance


@dataclass(frozen=True, slots=True)
class _Words:
    organ_end: re.Pattern[str]
    object_re: re.Pattern[str]
    feedback_re: re.Pattern[str]
    self_re: re.Pattern[str]
    short_forms: dict[str, str]


@cache
def _words() -> _Words:
    data = load("unit_names.json")
    organs = alternation(data["party_organs"])
    return _Words(
        organ_end=re.compile(rf"(?:{organs})$"),
        object_re=re.compile(rf"对(?P<obj>{_NAME}{{2,60}}?)(?:{organs})?{_NOTE}{_VERB}"),
        feedback_re=re.compile(rf"向(?P<obj>{_NAME}{{2,40}}?)(?:{organs})?{_NOTE}(?:书面)?反馈"),
        self_re=re.compile(rf"我(?:{alternation(data['self_references'])})"),
        short_forms=dict(data["short_forms"]),
    )


def unit_of_body(body: str) -> str:
    """中共惠东县总工会党组 -> 惠东县总工会; 中共广东省交通集团有限公司委员会 -> 广东省交通集团有限公司;
    【巡察整改】中共XX中学支部委员会 -> XX中学; 共青团南县委员会 and 中共某某县委政法委员会 stay."""
    name = _CHROME_PREFIX.sub("", body).strip().replace(" ", "").replace("\u3000", "")
    if _BODY_PREFIX.match(name):
        name = _BODY_PREFIX.sub("", name)
        if not _OWN_COMMITTEE.search(name):
            name = _COMMITTEE_END.sub("", name)
    organ_end = _words().organ_end
    while (stripped := organ_end.sub("", name)) != name and len(stripped) >= 2:
        name = stripped
    for suffix in ("支部", "总支"):  # …中学支部 after 中共…中学支部委员会
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
    return name


def is_self_reference(name: str) -> bool:
    return _words().self_re.fullmatch(name) is not None


def find_unit(nt: NormalizedText, named: Field | None) -> UnitFacts:
    """The inspected unit; `named` is the name the report gives itself (title or signature), if any."""
    text = nt.text
    opening = min(len(text), _OPENING_CHARS)
    w = _words()
    obj = _clause_name(w.object_re.search(text, 0, opening))
    fed = _clause_name(w.feedback_re.search(text, 0, opening))
    aliases: list[str] = []
    base: str | None = None
    base_span: Span | None = None
    # a 巡察办 reporting on the unit it inspected (县委巡察办关于县民政局…的通报) is not that unit
    if named is not None and _INSPECTION_OFFICE.search(named.value):
        named = None
    if named is not None and len(unit_of_body(named.value)) >= 2:
        base, base_span = unit_of_body(named.value), named.span
    for found in (obj, fed):
        if found is None:
            continue
        name, span = found
        aliases.append(name)
        if base is None and not is_self_reference(name):
            base, base_span = name, nt.span(span[0], span[1])
    if base is not None and is_place(base):
        # a province or city reporting on a higher inspection: the unit is its committee (湖北省委)
        committee = next(
            (n for n, _ in (f for f in (fed, obj) if f) if n.startswith(base) and n.endswith("委")), None
        )
        base = committee or base + "委"
    aliases += [m["alias"] for m in _SHORT_NOTE.finditer(text, 0, opening) if len(m["alias"]) >= 3]
    aliases += [m.group() for m in w.self_re.finditer(text)]
    if base is None or base_span is None:
        return UnitFacts(None, _distinct(aliases, None))
    full = _fullest(text, base, expand=named is None)
    i = text.find(full)
    unit_span = nt.span(i, i + len(full)) if i >= 0 else base_span
    if full != base:
        aliases.insert(0, base)
    return UnitFacts(Field(full, unit_span), _distinct(aliases, full))


def _clause_name(m: re.Match[str] | None) -> tuple[str, tuple[int, int]] | None:
    """The unit named in an 对…巡察 / 向…反馈 clause: the first of joined bodies, without its party organ."""
    if m is None:
        return None
    raw = m["obj"]
    start = m.start("obj")
    cut = _JOINED.search(raw, 2)
    if cut is not None:
        raw = raw[: cut.start()]
    name = unit_of_body(raw)
    if len(name) < 2:
        return None
    i = raw.find(name)
    begin = start + max(i, 0)
    return name, (begin, begin + len(name))


def _fullest(text: str, base: str, *, expand: bool) -> str:
    """The fullest form of `base` printed with places: 区交通运输局 -> 益阳市赫山区交通运输局. With
    `expand`, a short form may also become its full form (区文联 -> 盘锦市大洼区文学艺术界联合会)."""
    first = first_place(base)
    places = leading_places(base) if first is not None and first[0] == 0 else []
    core = base[sum(map(len, places)) :]
    level = None
    if not places and len(base) > 2 and base[0] in _LEVEL_CHARS:
        level, core = base[0], base[1:]
    cores = [core]
    if expand:
        long = _words().short_forms.get(core)
        if long and long != core:
            cores.insert(0, long)
    for c in cores:
        best = _qualified(text, c, level, places)
        if best is not None and len(best) > len(base):
            return best
    if level is not None:  # 市政协机关: the 市 may belong to the name itself
        best = _qualified(text, base, None, [])
        if best is not None:
            return best
    return base


def _qualified(text: str, core: str, level: str | None, places: list[str]) -> str | None:
    """The `<places><core>` printed in the text with the most places (then the most often), whose last
    place has the given level (区) or ends with the given places."""
    if len(core) < 2:
        return None
    anchors = _occurrences(text, core)
    if not anchors:
        return None

    def before_core(pos: int) -> int | None:
        return pos if text.startswith(core, pos) else None

    counts: Counter[str] = Counter()
    for s, e in spans_after_places(text, 0, len(text), anchors, before_core, at_least_one=True):
        chain = text[s:e]
        if level is not None and not chain.endswith(level):
            continue
        if places and not chain.endswith("".join(places)):
            continue
        counts[chain] += 1
    if not counts:
        return None
    chain = max(counts, key=lambda c: (len(leading_places(c)), counts[c], len(c)))
    return chain + core


def _occurrences(text: str, word: str) -> list[int]:
    found: list[int] = []
    i = text.find(word)
    while i >= 0:
        found.append(i)
        i = text.find(word, i + 1)
    return found


def _distinct(names: list[str], unit: str | None) -> tuple[str, ...]:
    return tuple(n for n in dict.fromkeys(names) if n != unit and len(n) >= 2)
