"""Weak rectifications: an issue without a deadline, without someone responsible, or whose measures are only
meetings, study, talks and new paper rules with no concrete change.

Patterns are of 公文 in general (整改时限, 牵头/责任人, 退还/追回/清退 …), not of any one report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ikg.analysis.facts import unit_name
from ikg.graph.views import IssueFacts, IssueRef

DEADLINE = re.compile(
    r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?(?:底|末)?(?:前|以前)(?:完成|整改)?"
    r"|(?:年底|年末|月底|季度末)前|整改时限|完成时限|限期(?:整改|完成)?|立行立改|长期坚持|\d+个?(?:工作日|月)内"
)
# (the people a measure disciplines, 对相关责任人进行诫勉谈话 / 追究负责人责任, are matched first and skipped:
# they are not who answers for the rectification)
RESPONSIBLE = re.compile(
    r"(?P<skip>(?:对|给予|追究)(?:相关|有关)?(?:责任人|负责人)(?:员)?)"
    r"|牵头|责任人|责任领导|责任部门|责任单位|责任科室|分管领导|主要负责人|第一责任人|专人负责|负责人"
    r"|负责(?!任)|挂点|包干"
)
# what a measure that only talks does: 会议/学习/谈话/培训/制定制度
SOFT = re.compile(
    r"会议|召开|专题会|座谈|学习|培训|传达|宣讲|谈话|约谈|提醒|研究|部署|动员|警示教育"
    r"|制定|修订|修改|出台|印发|建立健全|完善.{0,8}(?:制度|机制|办法|规定)|制度|机制"
)
# what a concrete change looks like: money back, people dealt with, a thing done and checked
CONCRETE = re.compile(
    r"退还|退回|追回|追缴|收回|清退|补缴|上缴|返还|归还|退赔|没收|整改到位|整改完毕|已整改|已全部整改"
    r"|处分|问责|诫勉|通报批评|免职|撤职|调离|辞退|解聘|清理|清查|核查|纠正|撤销|注销|移交|立案"
    r"|已(?:全部)?(?:完成|建立|建会|落实|补齐|补录|调整|规范|配备|公开|办结)"
    r"|完成换届|选举产生|\d+(?:\.\d+)?\s*(?:万元|元|家|个|人|名|项|次|件|份|%)"
)


@dataclass(frozen=True, slots=True)
class CheckEvidence:
    kind: str  # deadline | responsible | soft | concrete
    phrase: str  # the matched words
    file: str
    line: int  # where the measure holding it starts (it may run over a broken line), else the issue's line


@dataclass(frozen=True, slots=True)
class MeasureCheck:
    issue: IssueRef
    unit: str
    measures: int
    has_deadline: bool
    has_responsible: bool
    only_soft: bool  # every measure talks, studies or writes rules and none changes anything
    reasons: tuple[str, ...]  # in Chinese, what is missing; empty when the rectification looks real
    evidence: tuple[CheckEvidence, ...]

    @property
    def weak(self) -> bool:
        return bool(self.reasons)


NO_DEADLINE = "无整改时限"
NO_RESPONSIBLE = "无责任人或牵头部门"
ONLY_SOFT = "措施仅为会议/学习/谈话/制定制度，未见具体整改结果"
NO_MEASURES = "无整改措施"


def _found(pattern: re.Pattern[str], kind: str, text: str, file: str, line: int) -> list[CheckEvidence]:
    seen: dict[str, CheckEvidence] = {}
    for m in pattern.finditer(text):
        if m.lastgroup != "skip":
            seen.setdefault(m.group(0), CheckEvidence(kind, m.group(0), file, line))
    return list(seen.values())


def check_issue(fact: IssueFacts) -> MeasureCheck:
    file, line = fact.issue.file, fact.issue.line
    places = [(m.text, m.line) for m in fact.measures] or [(fact.text, line)]
    whole = [(fact.text + "\n" + (fact.result or ""), line)]
    evidence: list[CheckEvidence] = []
    deadline = list(_found(DEADLINE, "deadline", fact.deadline, file, line)) if fact.deadline else []
    if fact.deadline and not deadline:
        deadline = [CheckEvidence("deadline", fact.deadline, file, line)]
    for text, at in places if not deadline else []:
        deadline += _found(DEADLINE, "deadline", text, file, at)
    if not deadline:
        deadline = _found(DEADLINE, "deadline", whole[0][0], file, line)
    responsible: list[CheckEvidence] = []
    for text, at in places:
        responsible += _found(RESPONSIBLE, "responsible", text, file, at)
    if not responsible:
        responsible = _found(RESPONSIBLE, "responsible", whole[0][0], file, line)
    soft: list[CheckEvidence] = []
    concrete: list[CheckEvidence] = []
    for text, at in places:
        soft += _found(SOFT, "soft", text, file, at)
        concrete += _found(CONCRETE, "concrete", text, file, at)
    if fact.result:
        concrete += _found(CONCRETE, "concrete", fact.result, file, line)
    only_soft = bool(soft) and not concrete
    reasons = []
    if not fact.measures and not concrete and not soft:
        reasons.append(NO_MEASURES)
    if not deadline:
        reasons.append(NO_DEADLINE)
    if not responsible:
        reasons.append(NO_RESPONSIBLE)
    if only_soft:
        reasons.append(ONLY_SOFT)
    evidence = deadline[:3] + responsible[:3] + (soft[:5] if only_soft else concrete[:3])
    return MeasureCheck(
        fact.issue,
        unit_name(fact.report),
        len(fact.measures),
        bool(deadline),
        bool(responsible),
        only_soft,
        tuple(reasons),
        tuple(evidence),
    )


def check_measures(facts: Sequence[IssueFacts], *, include_ok: bool = False) -> list[MeasureCheck]:
    """One check per issue in file order; only the weak ones unless `include_ok`."""
    checks = [check_issue(f) for f in facts]
    return checks if include_ok else [c for c in checks if c.weak]


def checks_json(checks: Sequence[MeasureCheck]) -> list[dict[str, Any]]:
    """What `ikg measures check --format json` and `/api/measures/check` print (with `weak`, a property)."""
    return [
        {
            "issue": c.issue,
            "unit": c.unit,
            "measures": c.measures,
            "has_deadline": c.has_deadline,
            "has_responsible": c.has_responsible,
            "only_soft": c.only_soft,
            "weak": c.weak,
            "reasons": c.reasons,
            "evidence": c.evidence,
        }
        for c in checks
    ]
