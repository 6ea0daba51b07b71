"""Give each top-level section of a report its role, and tell problem headings from work-approach headings.

A rectification report (整改情况通报) is made of a few top-level sections: how the unit organised the work
(整改工作开展情况, 主要做法, 提高政治站位…), the problems found and their rectification
(反馈问题整改落实情况),
results (整改成效), next steps (下一步工作安排) and a contact block (联系电话, 欢迎监督). Only the problems
section holds problems; the work-approach headings (（一）提高政治站位，压实整改责任) describe what the unit
did. The role is read from the heading first, then from the shape of the headings inside. Every rule is a
pattern of official documents in general, not of any one report. Offsets are into the normalized text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ikg.ingest.document import SectionRole
from ikg.ingest.extract.headings import Heading, heading_title
from ikg.ingest.extract.issues import IssueTitle, issue_title

_CONTACT = re.compile(r"联系(?:方式|电话|人|地址)|欢迎.{0,30}监督|监督电话|电子邮箱|来信来访")
_NEXT_STEPS = re.compile(
    r"下一步|下步|今后|工作打算|主要打算|工作安排|工作计划|努力方向|长效|继续推进|持续推进"
)
# who organised the work and how: 组织领导情况 / 整改工作组织情况 / 组织落实整改情况
# (but not 基层党组织建设情况)
_APPROACH = re.compile(
    r"(?<!党)组织(?:领导|实施|落实|开展|推进|整改|工作|的){0,4}情况|总体情况|基本情况|工作开展情况|开展情况"
    r"|主要做法|主要措施|工作举措|主体责任|政治责任|政治任务|组织领导|高度重视|政治站位|思想认识"
)
_RESULTS = re.compile(r"成效|成果|取得.{0,6}(?:进展|效果)")
_PROBLEMS = re.compile(r"问题|反馈意见|意见整改|整改(?:落实|进展|推进)?情况|整改事项|具体整改")
# a negative finding: what an inspection writes about a problem (…不到位, …不严, …有差距, 存在…问题)
_NEGATIVE = re.compile(
    r"不(?:到位|严|够|足|力|实|深|高|强|准|细|精|规范|健全|完善|及时|彻底|充分|明显|全面|扎实|平衡|均衡"
    r"|坚决|主动|积极|落实|一致|合理|合规|科学|清|透|牢|紧|好|当|妥|对|符)"
    r"|缺失|缺位|缺乏|缺少|欠缺|偏差|偏少|偏弱|偏软|偏松|薄弱|滞后|短板|差距|弱化|淡化|虚化|边缘化|宽松软"
    r"|流于形式|有待|仍未|尚未|未能|未按|未经|未及时|未严格|未落实|未执行|没有|违规|违反"
    r"|存在.{0,30}(?:问题|风险|隐患|漏洞)|(?:的|等)问题$|乏力|松懈|失之于|重.{1,4}轻"
)
# an action a unit took: the verb that opens a work-approach heading (提高政治站位，压实整改责任)
_ACTION = re.compile(
    r"(?:切实|认真|坚决|全面|深入|持续|扎实|严格|迅速|及时|主动|着力|始终|自觉|不断|进一步|高度)?"
    r"(?:提高|提升|加强|强化|压实|压紧|拧紧|坚持|坚守|健全|建立|完善|落实|推进|推动|深化|细化|突出|狠抓|抓实|抓好"
    r"|抓牢|严明|制定|注重|聚焦|统一|扛牢|扛起|扛实|夯实|明确|形成|构建|巩固|做好|规范|凝聚|锚定|重视|学习|贯彻|履行"
    r"|以上率下|示范|系统|监督|督促|严肃|紧盯|围绕|增强|树牢|筑牢|牢记|优化|即知即改|立行立改|对标|对照|全程|层层"
    r"|逐项|精心|周密|建章立制|标本兼治|举一反三|把|以|靠实|压茬|部署|成立|召开|开展|组织|务求|确保|全力|聚力)"
)
# a title that ends by naming its problems: …的问题 / …等问题 / …方面存在的问题 / …问题的整改情况
_PROBLEM_TITLE = re.compile(r"(?:的|等|方面|存在)问题(?:的?整改(?:落实)?(?:情况)?)?$")
_CATEGORY_TAIL = re.compile(r"方面(?:存在的?)?(?:问题)?(?:的?整改(?:落实)?(?:情况)?)?$")


class HeadingShapes:
    """What each heading of one text looks like, worked out once per heading (keyed by its offset)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._titles: dict[int, tuple[int, int]] = {}
        self._issue_titles: dict[int, IssueTitle] = {}
        self._problem: dict[int, bool] = {}

    def title(self, heading: Heading) -> tuple[int, int]:
        """The heading's first sentence, without its enumerator and final 。/："""
        found = self._titles.get(heading.start)
        if found is None:
            found = self._titles[heading.start] = heading_title(self.text, heading)
        return found

    def issue_title(self, heading: Heading) -> IssueTitle:
        """`issues.issue_title` of the heading, read once (the parser reads it again for each issue)."""
        found = self._issue_titles.get(heading.start)
        if found is None:
            found = self._issue_titles[heading.start] = issue_title(self.text, heading)
        return found

    def quoted_problem(self, heading: Heading) -> bool:
        """关于“…”问题 / 针对“…”: the heading quotes the problem the inspection found."""
        return heading.quoted and self.issue_title(heading).quoted

    def category(self, heading: Heading) -> bool:
        """…方面 (方面的问题, 方面存在问题): a heading that names a kind of problem, not one problem."""
        start, end = self.title(heading)
        return _CATEGORY_TAIL.search(self.text, start, end) is not None

    def problem(self, heading: Heading) -> bool:
        """A heading that states a problem: it quotes one (关于“…”), or its first sentence is a negative
        finding (…落实不到位 / 关于…的问题 / 存在…差距). Category headings (…方面) count too."""
        found = self._problem.get(heading.start)
        if found is None:
            start, end = self.title(heading)
            found = self.quoted_problem(heading) or _NEGATIVE.search(self.text, start, end) is not None
            self._problem[heading.start] = found
        return found

    def report(self, heading: Heading) -> bool:
        """A title of what is reported on (整改落实情况, 组织领导情况): it names a section, not a problem."""
        start, end = self.title(heading)
        return self.text.endswith("情况", start, end) and not self.problem(heading)

    def action(self, heading: Heading) -> bool:
        """A heading that says what the unit did (提高政治站位，压实整改责任) and states no problem.
        A title ending in 情况 reports a state of affairs (落实整改实施情况), whatever verb it opens with."""
        start, end = self.title(heading)
        return (
            _ACTION.match(self.text, start, end) is not None
            and not self.report(heading)
            and not self.problem(heading)
        )


@dataclass(frozen=True, slots=True)
class TopSection:
    heading: Heading | None  # None for the text before the first top-level heading, or the closing block
    start: int
    end: int
    role: SectionRole


def classify(shapes: HeadingShapes, heading: Heading | None, inner: Sequence[Heading]) -> SectionRole:
    """The role of one top-level section from its heading and the headings inside it."""
    text = shapes.text
    # what it holds wins over what it is called: 巡查整改的具体成效 that lists 关于“…”问题 holds problems
    if (heading is not None and shapes.quoted_problem(heading)) or any(
        shapes.quoted_problem(h) for h in inner
    ):
        return SectionRole.PROBLEMS
    if heading is not None:
        start, end = shapes.title(heading)
        if _PROBLEM_TITLE.search(text, start, end):
            return SectionRole.PROBLEMS  # 关于长效机制不健全的问题: a problem, whatever words it uses
        for pattern, role in (
            (_CONTACT, SectionRole.CONTACT),
            (_NEXT_STEPS, SectionRole.NEXT_STEPS),
            (_APPROACH, SectionRole.APPROACH),
            (_RESULTS, SectionRole.RESULTS),
            (_PROBLEMS, SectionRole.PROBLEMS),
        ):
            if pattern.search(text, start, end):
                return role
        if shapes.problem(heading) or shapes.category(heading):
            return SectionRole.PROBLEMS  # …方面 names a kind of problem
        if shapes.action(heading):
            return SectionRole.APPROACH
    # the headings inside vote, the level right below it first: (一)…不规范的问题 outweighs the steps 1.制定…
    # listed under it; a level of neutral headings (（一）聚焦…情况) leaves the vote to the next level
    for family in sorted({h.family for h in inner}):
        level = [h for h in inner if h.family == family]
        problems = sum(shapes.problem(h) for h in level)
        actions = sum(shapes.action(h) for h in level)
        if problems != actions:
            return SectionRole.PROBLEMS if problems > actions else SectionRole.APPROACH
    return SectionRole.OTHER


def top_sections(shapes: HeadingShapes, headings: Sequence[Heading], closing: int) -> tuple[TopSection, ...]:
    """The report cut at its outermost headings, each part with its role; the closing block is CONTACT."""
    text = shapes.text
    out: list[TopSection] = []
    if headings:
        top = min(h.family for h in headings)
        tops = [h for h in headings if h.family == top]
        if tops[0].start > 0:
            inner = [h for h in headings if h.start < tops[0].start]
            out.append(TopSection(None, 0, tops[0].start, classify(shapes, None, inner)))
        for i, h in enumerate(tops):
            end = tops[i + 1].start if i + 1 < len(tops) else closing
            inner = [x for x in headings if h.start < x.start < end]
            out.append(TopSection(h, h.start, end, classify(shapes, h, inner)))
    elif closing > 0:
        out.append(TopSection(None, 0, closing, SectionRole.OTHER))
    if closing < len(text):
        out.append(TopSection(None, closing, len(text), SectionRole.CONTACT))
    return tuple(out)


TAKES_PROBLEMS = frozenset({SectionRole.PROBLEMS, SectionRole.OTHER})
