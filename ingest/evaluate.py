"""Score a parsed `ReportDocument` against a hand-made gold JSON object (`tests/fixtures/gold/*.json`).

Choices (see the gold README's "Suggested scoring"):
- header facts are compared exactly, one `FieldMatch` each;
- issues are matched as (category index, number, title) triples, because numbers restart per category in
  some reports: an issue in the wrong category counts as both a miss and a false hit;
- per-issue facts (status, short title, title parts, 《》 titles, money) are triples keyed the same way;
- `regulations_all` and `named_rules` are compared as sets of exact strings;
- people and organizations are matched leniently: equal, or one name contains the other (市委巡察组 vs
  县委第一巡察组 do not match; 省总工会 vs 黑龙江省总工会 do);
- measure counts are exact per gold issue; an issue the parser missed counts as wrong.
The gold is JSON, so this module reads plain dicts at its edge and returns typed records.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ikg.ingest.document import Field, ReportDocument
from ikg.ingest.fold import to_simplified
from ikg.ingest.normalize import normalize

SET_NAMES = (
    "categories",
    "issues",
    "statuses",
    "short_titles",
    "title_parts",
    "issue_regulations",
    "issue_money",
    "regulations_all",
    "named_rules",
    "people",
    "organizations",
    "claimed",
)
FIELD_NAMES = (
    "title",
    "publisher",
    "inspected_unit",
    "region.province",
    "region.city",
    "region.county",
    "inspection.kind",
    "inspection.level",
    "inspection.team",
    "inspection.start",
    "inspection.end",
    "inspection.feedback_date",
    "publish_date",
    "contact.phone",
    "contact.email",
    "contact.address",
    "contact.postcode",
)


@dataclass(frozen=True, slots=True)
class Counts:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


@dataclass(frozen=True, slots=True)
class FieldMatch:
    name: str  # e.g. inspection.team
    expected: str | None
    actual: str | None

    @property
    def correct(self) -> bool:
        return self.expected == self.actual


@dataclass(frozen=True, slots=True)
class CountMatch:
    key: str  # "<category index>.<number>"
    expected: int
    actual: int | None  # None when the parser did not find the issue

    @property
    def correct(self) -> bool:
        return self.expected == self.actual


@dataclass(frozen=True, slots=True)
class SetScore:
    name: str
    counts: Counts
    missed: tuple[str, ...]  # gold items not found, for the report
    spurious: tuple[str, ...]  # found items not in the gold


@dataclass(frozen=True, slots=True)
class ReportScore:
    file: str
    fields: tuple[FieldMatch, ...]
    sets: tuple[SetScore, ...]
    measure_counts: tuple[CountMatch, ...]

    def counts(self, name: str) -> Counts:
        return next(s.counts for s in self.sets if s.name == name)

    @property
    def measure_accuracy(self) -> float:
        if not self.measure_counts:
            return 1.0
        return sum(m.correct for m in self.measure_counts) / len(self.measure_counts)


@dataclass(frozen=True, slots=True)
class TotalScore:
    reports: int
    fields: tuple[tuple[str, int, int], ...]  # name, correct, total
    sets: tuple[tuple[str, Counts], ...]
    measures_correct: int
    measures_total: int

    def counts(self, name: str) -> Counts:
        return next(c for n, c in self.sets if n == name)

    def field_accuracy(self, name: str) -> float:
        correct, total = next((c, t) for n, c, t in self.fields if n == name)
        return correct / total if total else 1.0

    @property
    def measure_accuracy(self) -> float:
        return self.measures_correct / self.measures_total if self.measures_total else 1.0


def _v(f: Field | None) -> str | None:
    return f.value if f is not None else None


def _actual_fields(doc: ReportDocument) -> dict[str, str | None]:
    i, c = doc.inspection, doc.contact
    return {
        "title": _v(doc.title),
        "publisher": _v(doc.publisher),
        "inspected_unit": _v(doc.inspected_unit),
        "region.province": doc.region.province,
        "region.city": doc.region.city,
        "region.county": doc.region.county,
        "inspection.kind": _v(i.kind),
        "inspection.level": _v(i.level),
        "inspection.team": _v(i.team),
        "inspection.start": _v(i.start),
        "inspection.end": _v(i.end),
        "inspection.feedback_date": _v(i.feedback_date),
        "publish_date": _v(doc.publish_date),
        "contact.phone": _v(c.phone),
        "contact.email": _v(c.email),
        "contact.address": _v(c.address),
        "contact.postcode": _v(c.postcode),
    }


def _gold_field(gold: Mapping[str, Any], name: str) -> str | None:
    node: Any = gold
    for part in name.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return None if node is None else str(node)


def _multiset(expected: Iterable[Hashable], actual: Iterable[Hashable], name: str) -> SetScore:
    e, a = Counter(expected), Counter(actual)
    tp = sum((e & a).values())
    return SetScore(
        name,
        Counts(tp, sum(a.values()) - tp, sum(e.values()) - tp),
        tuple(sorted(map(str, (e - a).elements()))),
        tuple(sorted(map(str, (a - e).elements()))),
    )


def _lenient(expected: Sequence[str], actual: Sequence[str], name: str) -> SetScore:
    """Greedy one-to-one matching where equal names or names containing one another count as a hit."""
    left = list(dict.fromkeys(expected))
    found = list(dict.fromkeys(actual))
    unmatched = list(left)
    spurious: list[str] = []
    for a in found:
        hit = next((g for g in unmatched if g == a), None) or next(
            (g for g in unmatched if g in a or a in g), None
        )
        if hit is None:
            spurious.append(a)
        else:
            unmatched.remove(hit)
    tp = len(found) - len(spurious)
    return SetScore(name, Counts(tp, len(spurious), len(unmatched)), tuple(unmatched), tuple(spurious))


def score_report(doc: ReportDocument, gold: Mapping[str, Any]) -> ReportScore:
    """Compare one parse with its gold object."""
    actual = _actual_fields(doc)
    fields = tuple(FieldMatch(n, _gold_field(gold, n), actual[n]) for n in FIELD_NAMES)

    g_cats: list[Mapping[str, Any]] = list(gold.get("categories", []))
    g_issues = [(ci, issue) for ci, c in enumerate(g_cats, 1) for issue in c.get("issues", [])]
    p_issues = [(ci, issue) for ci, c in enumerate(doc.categories, 1) for issue in c.issues]

    def key(ci: int, number: str) -> str:
        return f"{ci}.{number}"

    sets = [
        _multiset(
            ((i, c["title"]) for i, c in enumerate(g_cats, 1)),
            ((i, c.title) for i, c in enumerate(doc.categories, 1)),
            "categories",
        ),
        _multiset(
            ((ci, g["number"], g["title"]) for ci, g in g_issues),
            ((ci, p.number, p.title) for ci, p in p_issues),
            "issues",
        ),
        _multiset(
            ((key(ci, g["number"]), g["status"]) for ci, g in g_issues if g.get("status")),
            ((key(ci, p.number), p.status) for ci, p in p_issues if p.status),
            "statuses",
        ),
        _multiset(
            ((key(ci, g["number"]), g["short_title"]) for ci, g in g_issues if g.get("short_title")),
            (
                (key(ci, p.number), p.short_title)
                for ci, p in p_issues
                if p.short_title and any("short_title" in g for _, g in g_issues)
            ),
            "short_titles",
        ),
        _multiset(
            ((key(ci, g["number"]), part) for ci, g in g_issues for part in g.get("title_parts") or ()),
            ((key(ci, p.number), part) for ci, p in p_issues for part in p.title_parts),
            "title_parts",
        ),
        _multiset(
            ((key(ci, g["number"]), t) for ci, g in g_issues for t in g.get("regulations", [])),
            (
                (key(ci, p.number), t)
                for ci, p in p_issues
                for t in dict.fromkeys(m.title for m in p.regulations if m.kind == "title")
            ),
            "issue_regulations",
        ),
        _multiset(
            ((key(ci, g["number"]), t) for ci, g in g_issues for t in g.get("money", [])),
            ((key(ci, p.number), m.text) for ci, p in p_issues for m in p.money),
            "issue_money",
        ),
        _multiset(set(gold.get("regulations_all", [])), set(doc.regulations_all), "regulations_all"),
        _multiset(set(gold.get("named_rules", [])), set(doc.named_rules), "named_rules"),
        _lenient(
            [p["name"] for p in gold.get("people", [])],
            [p.name for p in doc.people],
            "people",
        ),
        _lenient(list(gold.get("organizations", [])), [o.name for o in doc.organizations], "organizations"),
        _multiset(
            ((k, str(v)) for k, v in dict(gold.get("claimed", {})).items()),
            ((c.key, str(c.value)) for c in doc.claimed),
            "claimed",
        ),
    ]
    found = {key(ci, p.number): len(p.measures) for ci, p in p_issues}
    measure_counts = tuple(
        CountMatch(key(ci, g["number"]), int(g["measures"]), found.get(key(ci, g["number"])))
        for ci, g in g_issues
    )
    return ReportScore(str(gold.get("file", doc.file)), fields, tuple(sets), measure_counts)


def total_score(scores: Sequence[ReportScore]) -> TotalScore:
    """Micro-averaged totals over several reports."""
    fields = tuple(
        (
            name,
            sum(f.correct for s in scores for f in s.fields if f.name == name),
            sum(1 for s in scores for f in s.fields if f.name == name),
        )
        for name in FIELD_NAMES
    )
    sets = tuple((name, sum((s.counts(name) for s in scores), Counts(0, 0, 0))) for name in SET_NAMES)
    measures = [m for s in scores for m in s.measure_counts]
    return TotalScore(len(scores), fields, sets, sum(m.correct for m in measures), len(measures))


# --- openings: the first ~2,000 bytes of reports, cut off by their source ----------------------------------
#
# The rules of tests/fixtures/openings/README.md: the unit counts only as its full name (a short form or 我院
# does not), dates compare as ISO strings, and issues are matched by title against `issue_titles`, the
# problems fully visible in the opening. A predicted problem that matches no gold title is a false problem,
# except the last one of a cut-off document: the gold leaves out a problem the cut makes incomplete.

OPENING_FIELDS = ("unit", "team", "period", "feedback", "published")


@dataclass(frozen=True, slots=True)
class OpeningScore:
    file: str
    fields: tuple[FieldMatch, ...]  # one per OPENING_FIELDS name
    expected_issues: tuple[str, ...]  # gold issue titles
    found_issues: tuple[str, ...]  # predicted issue titles, in order
    missed: tuple[str, ...]  # gold titles no prediction matched
    false_problems: tuple[str, ...]  # predictions matching no gold title (the forgiven one left out)
    forgiven: str | None  # the unmatched last prediction of a cut-off document

    def field(self, name: str) -> FieldMatch:
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True, slots=True)
class OpeningTotals:
    documents: int
    fields: tuple[tuple[str, int], ...]  # name, documents correct
    gold_issues: int
    found_gold_issues: int
    false_problems: int

    def field_accuracy(self, name: str) -> float:
        correct = next(c for n, c in self.fields if n == name)
        return correct / self.documents if self.documents else 1.0

    @property
    def issue_recall(self) -> float:
        return self.found_gold_issues / self.gold_issues if self.gold_issues else 1.0

    @property
    def false_per_document(self) -> float:
        return self.false_problems / self.documents if self.documents else 0.0


def comparable(text: str | None) -> str | None:
    """The form two strings are compared in: the parser's own normalization (so traditional characters
    and page glosses read as the parser reads them), full-width forms folded (，→,), spaces and a final 。
    dropped."""
    if text is None:
        return None
    # t2s always: a short gold string (第一巡察組) has too few traditional characters for the parser's test
    folded = unicodedata.normalize("NFKC", to_simplified(normalize(text).text))
    return "".join(folded.split()).rstrip("。.")


def _opening_field(name: str, expected: str | None, actual: str | None) -> FieldMatch:
    e, a = comparable(expected), comparable(actual)
    # equal after folding counts as equal; the record keeps the strings as given
    return FieldMatch(name, expected, actual if a != e else expected)


def score_opening(doc: ReportDocument, gold: Mapping[str, Any]) -> OpeningScore:
    """Compare the parse of one opening with its gold object (keys of the openings' README)."""
    i = doc.inspection
    period = gold.get("inspection_period")
    expected_period = "/".join(period) if period else None
    start, end = _v(i.start), _v(i.end)
    actual_period = f"{start}/{end}" if start and end else (start or end)
    fields = (
        _opening_field("unit", gold.get("inspected_unit"), _v(doc.inspected_unit)),
        _opening_field("team", gold.get("inspection_body"), _v(i.team)),
        FieldMatch("period", expected_period, actual_period),
        FieldMatch("feedback", gold.get("feedback_date"), _v(i.feedback_date)),
        FieldMatch("published", gold.get("publish_date"), _v(doc.publish_date)),
    )
    expected = tuple(str(t) for t in gold.get("issue_titles", ()))
    found = tuple(issue.title for issue in doc.issues)
    remaining = Counter(comparable(t) for t in expected)
    spurious: list[int] = []  # positions in `found`
    for position, title in enumerate(found):
        key = comparable(title)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            spurious.append(position)
    forgiven = None
    if spurious and spurious[-1] == len(found) - 1 and gold.get("truncated"):
        forgiven = found[spurious.pop()]
    missed: list[str] = []
    for title in expected:
        key = comparable(title)
        if remaining[key] > 0:
            remaining[key] -= 1
            missed.append(title)
    false_problems = tuple(found[p] for p in spurious)
    return OpeningScore(doc.file, fields, expected, found, tuple(missed), false_problems, forgiven)


def total_openings(scores: Sequence[OpeningScore]) -> OpeningTotals:
    return OpeningTotals(
        len(scores),
        tuple((name, sum(s.field(name).correct for s in scores)) for name in OPENING_FIELDS),
        sum(len(s.expected_issues) for s in scores),
        sum(len(s.expected_issues) - len(s.missed) for s in scores),
        sum(len(s.false_problems) for s in scores),
    )
