"""Citations of laws, party rules and documents: 《…》 titles, quoted rule names (“三重一大”) and document
numbers (粤工发〔2023〕5号), each with the article that follows it and whether the text establishes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from ikg.ingest.document import RegulationMention
from ikg.ingest.extract.vocab import load
from ikg.ingest.normalize import NormalizedText

_OPEN, _CLOSE = "《", "》"
_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』"}
_CLOSERS = {v: k for k, v in _QUOTES.items()}
_QUOTE_OR_BREAK = re.compile(r"[“”‘’「」『』\n]")
_CLAUSE_END = "。；;！？\n"
_MAX_TITLE = 120
_MAX_RULE = 12  # quoted rule names are short; longer quotes are problem statements or slogans
_NUM = r"[一二三四五六七八九十百零〇两\d]"
_ARTICLE = re.compile(rf"[\u4e00-\u9fff]{{0,6}}?(?P<a>第{_NUM}+条(?:第{_NUM}+款)?)")
_DOC_NUMBER = re.compile(
    r"(?P<issuer>[\u4e00-\u9fff]{1,12})\s*[〔【\[［（(]\s*(?:19|20)\d{2}\s*[〕】\]］）)]\s*第?\s*\d+\s*号"
)
# The bracketed year and number alone: found first, then the issuer in front of it is read.
_DOC_NUMBER_TAIL = re.compile(r"[〔【\[［（(]\s*(?:19|20)\d{2}\s*[〕】\]］）)]\s*第?\s*\d+\s*号")
_MAX_ISSUER = 12
_ISSUER_LEAD = re.compile(
    r"^.*?(?:根据|按照|依据|参照|依照|对照|印发|转发|执行|落实|通知|文件|关于|的|和|及)"
)
_SHAPE = re.compile(r"^[一二两三四五六七八九十]+[个项大种条重]?[\u4e00-\u9fff]{1,4}$")
_ESTABLISH = re.compile(r"(?:制定|制订|修订|修定|修改|印发|出台|完善|起草|建立|拟定|新建)")
# Between the verb and the title: no clause break and no verb that makes the title its own object.
_CITING = re.compile(r"学习|执行|按照|根据|依据|参照|对照|落实|贯彻|遵守|依照|违反|对|按")
_ESTABLISH_WINDOW = 12
_CLAUSE_MARK = re.compile(r"[，,。；;：:！？、\n]")
_NOT_IN_RULE = re.compile(r"[\d，,。：:、\s]")
_TITLE_MARK = re.compile(r"[《》。；;！？\n]")  # what _matching_close looks at: brackets and clause ends
_GARBLED_TITLE_END = re.compile(r"[\[〔【［>〉》，,]|文件")
_CHAIN_GAP = re.compile(r"[、，,和及与]?|以及")
_FOLD = str.maketrans(
    {"(": "（", ")": "）", "[": "〔", "]": "〕", "【": "〔", "】": "〕", "［": "〔", "］": "〕", " ": None}
)


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int  # normalized offsets of the printed name (without brackets or quotes)
    end: int
    title: str
    kind: str
    bracket_end: int  # where the citation ends in the text (after 》 or ”)


def find_regulations(nt: NormalizedText, start: int = 0, end: int | None = None) -> list[RegulationMention]:
    """Every citation in the normalized range [start, end), in text order, with original spans."""
    text = nt.text
    stop = len(text) if end is None else end
    hits = sorted(
        [*_titles(text, start, stop), *_named_rules(text, start, stop), *_doc_numbers(text, start, stop)],
        key=lambda h: (h.start, h.kind),
    )
    mentions: list[RegulationMention] = []
    previous: _Hit | None = None
    previous_relation = "cites"
    for hit in hits:
        relation = _relation(text, hit, previous, previous_relation)
        article = _article(text, hit.bracket_end, stop) if hit.kind != "named_rule" else None
        mentions.append(
            RegulationMention(
                title=hit.title,
                canonical=canonical_regulation(hit.title),
                kind=hit.kind,
                relation=relation,
                article=article,
                span=nt.span(hit.start, hit.end),
            )
        )
        previous, previous_relation = hit, relation
    return mentions


@lru_cache(maxsize=4096)  # a report cites the same few titles again and again
def canonical_regulation(title: str) -> str:
    """The title after bracket folding and the alias table: 党章 -> 中国共产党章程, (试行) -> （试行）."""
    folded = title.strip().translate(_FOLD)
    aliases: dict[str, str] = load("regulation_aliases.json")["aliases"]
    return aliases.get(folded, folded)


def _titles(text: str, start: int, stop: int) -> list[_Hit]:
    hits: list[_Hit] = []
    i = text.find(_OPEN, start, stop)
    while i >= 0:
        close = _matching_close(text, i, stop)
        if close is not None:
            inner = text[i + 1 : close]
            if inner.strip():
                hits.append(_Hit(i + 1, close, inner, "title", close + 1))
        elif (repaired := _repair_unclosed(text, i, stop)) is not None:
            hits.append(repaired)
        i = text.find(_OPEN, i + 1, stop)
    return hits


def _matching_close(text: str, open_at: int, stop: int) -> int | None:
    depth = 0
    for mark in _TITLE_MARK.finditer(text, open_at, min(stop, open_at + _MAX_TITLE)):
        j, ch = mark.start(), mark.group()
        if ch == _OPEN:
            depth += 1
        elif ch == _CLOSE:
            depth -= 1
            if depth == 0:
                return j
        elif ch in _CLAUSE_END:
            return None
    return None


def _repair_unclosed(text: str, open_at: int, stop: int) -> _Hit | None:
    """《 with no 》 before the clause ends: keep the title-like part, e.g. after an inner `<` of a garbled
    `《发文机关<标题(试行)[2020]26号文件`, up to the document number or a comma."""
    end = open_at + 1
    while end < min(stop, open_at + _MAX_TITLE) and text[end] not in _CLAUSE_END:
        end += 1
    s = open_at + 1
    inner_open = max(text.rfind("<", s, end), text.rfind("〈", s, end))
    if inner_open >= 0:
        s = inner_open + 1
    cut = _GARBLED_TITLE_END.search(text, s, end)
    e = cut.start() if cut else end
    title = text[s:e].strip()
    if len(title) < 4:
        return None
    return _Hit(s, s + len(title), title, "title", e)


def _named_rules(text: str, start: int, stop: int) -> list[_Hit]:
    hits: list[_Hit] = []
    for s, e in _quoted(text, start, stop):
        content = text[s:e].strip()
        if content and _is_rule(content, text[e + 1 : e + 5]):
            hits.append(_Hit(s, e, content, "named_rule", e + 1))
    return hits


def _quoted(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """Spans of text inside paired quotes, nested ones included (“…‘三会一课’…”)."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for mark in _QUOTE_OR_BREAK.finditer(text, start, stop):
        j = mark.start()
        ch = mark.group()
        if ch in _QUOTES:
            stack.append((ch, j))
        elif ch in _CLOSERS:
            # Pop to the matching opener; a stray closer (“廉政风险隐患突”出) just closes what is open.
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == _CLOSERS[ch]:
                    spans.append((stack[k][1] + 1, j))
                    del stack[k:]
                    break
        elif ch == "\n":
            stack.clear()
    return spans


@cache
def _vocab() -> tuple[frozenset[str], frozenset[str], tuple[str, ...], tuple[str, ...]]:
    data = load("named_rules.json")
    return (
        frozenset(data["rules"]),
        frozenset(data["not_rules"]),
        tuple(data["rule_nouns"]),
        tuple(sorted(data["context_nouns"], key=len, reverse=True)),
    )


def _is_rule(content: str, after: str) -> bool:
    rules, not_rules, nouns, context = _vocab()
    if content in not_rules or len(content) > _MAX_RULE or _NOT_IN_RULE.search(content):
        return False
    if content in rules:
        return True
    if len(content) <= 8 and after.startswith(context):  # “第一议题”制度, “先审后用”原则
        return True
    if _SHAPE.match(content) and content.endswith(nouns):  # “两个责任”, “六大纪律”, “八项规定”
        return True
    return content.endswith(("制度", "规定", "原则", "机制")) and len(content) <= 8


def _doc_numbers(text: str, start: int, stop: int) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in _doc_number_matches(text, start, stop):
        issuer = m["issuer"]
        lead = _ISSUER_LEAD.match(issuer)
        s = m.start() + (lead.end() if lead else 0)
        if s >= m.end("issuer"):
            continue
        hits.append(_Hit(s, m.end(), text[s : m.end()], "doc_number", m.end()))
    return hits


def _doc_number_matches(text: str, start: int, stop: int) -> list[re.Match[str]]:
    """What `_DOC_NUMBER.finditer` finds, without trying its issuer part at every character: a match must
    start at most _MAX_ISSUER characters (plus spaces) before a bracketed year."""
    found: list[re.Match[str]] = []
    pos = start
    for tail in _DOC_NUMBER_TAIL.finditer(text, start, stop):
        issuer_end = tail.start()
        while issuer_end > pos and text[issuer_end - 1].isspace():
            issuer_end -= 1
        for candidate in range(max(pos, issuer_end - _MAX_ISSUER), issuer_end):
            if (m := _DOC_NUMBER.match(text, candidate, stop)) is not None:
                found.append(m)
                pos = m.end()
                break
    return found


def _relation(text: str, hit: _Hit, previous: _Hit | None, previous_relation: str) -> str:
    # 《A》《B》 / 《A》、《B》: a chain shares the verb in front of its first title.
    if previous is not None and hit.kind == previous.kind == "title":
        gap = text[previous.bracket_end : hit.start - 1]
        if _CHAIN_GAP.fullmatch(gap):
            return previous_relation
    lead = hit.start - (1 if hit.kind != "doc_number" else 0)
    window = text[max(0, lead - _ESTABLISH_WINDOW) : lead]
    window = _CLAUSE_MARK.split(window)[-1]
    verbs = list(_ESTABLISH.finditer(window))
    if verbs and not _CITING.search(window, verbs[-1].end()):
        return "establishes"
    return "cites"


def _article(text: str, after: int, stop: int) -> str | None:
    m = _ARTICLE.match(text, after, min(stop, after + 16))
    return m["a"] if m else None
