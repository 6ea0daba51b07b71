"""Render a `ReportDocument` for people and scripts: one JSON object per report, or a Chinese outline.

The JSON keys follow the gold files (`tests/fixtures/gold/README.md`) so the two can be compared; spans
are `[start, end]` into the file's text plus the 1-based `line` of `start`.
"""

from __future__ import annotations

from typing import Any

from ikg.ingest.document import (
    CategoryItem,
    Field,
    IssueItem,
    MeasureItem,
    RegulationMention,
    ReportDocument,
    SectionItem,
    SectionRole,
    Span,
)

_CN_ORDINALS = "一二三四五六七八九十"
ROLE_NAMES = {
    SectionRole.APPROACH: "整改工作做法",
    SectionRole.PROBLEMS: "问题整改",
    SectionRole.RESULTS: "整改成效",
    SectionRole.NEXT_STEPS: "下一步打算",
    SectionRole.CONTACT: "联系方式",
    SectionRole.OTHER: "其他",
}


def _value(f: Field | None) -> str | None:
    return f.value if f is not None else None


def _span(span: Span) -> list[int]:
    return [span.start, span.end]


def _distinct_titles(mentions: tuple[RegulationMention, ...], kind: str) -> list[str]:
    return list(dict.fromkeys(m.title for m in mentions if m.kind == kind))


def _measure(m: MeasureItem) -> dict[str, Any]:
    return {"label": m.label, "text": m.text, "span": _span(m.span), "line": m.span.line}


def _issue(issue: IssueItem) -> dict[str, Any]:
    out: dict[str, Any] = {
        "number": issue.number,
        "title": issue.title,
        "short_title": issue.short_title,
        "title_parts": list(issue.title_parts),
        "status": issue.status,
        "deadline": issue.deadline,
        "span": _span(issue.span),
        "line": issue.span.line,
        "title_span": _span(issue.title_span),
        "measures": [_measure(m) for m in issue.measures],
        "result": _value(issue.result),
        "regulations": _distinct_titles(issue.regulations, "title"),
        "named_rules": _distinct_titles(issue.regulations, "named_rule"),
        "money": [m.text for m in issue.money],
    }
    if issue.implied_category is not None:
        out["implied_category"] = issue.implied_category
    return out


def _category(c: CategoryItem) -> dict[str, Any]:
    return {
        "title": c.title,
        "is_section": c.is_section,
        "span": _span(c.span),
        "line": c.span.line,
        "issues": [_issue(i) for i in c.issues],
    }


def _section(s: SectionItem) -> dict[str, Any]:
    return {"title": s.title, "role": s.role.value, "span": _span(s.span), "line": s.span.line}


def _mention(m: RegulationMention) -> dict[str, Any]:
    return {
        "title": m.title,
        "canonical": m.canonical,
        "kind": m.kind,
        "relation": m.relation,
        "article": m.article,
        "span": _span(m.span),
        "line": m.span.line,
    }


def document_to_json(doc: ReportDocument) -> dict[str, Any]:
    """One JSON-ready object for `ikg parse --format json`."""
    insp = doc.inspection
    return {
        "file": doc.file,
        "encoding": doc.encoding,
        "format": doc.format,
        "content_hash": doc.content_hash,
        "title": _value(doc.title),
        "publisher": _value(doc.publisher),
        "inspected_unit": _value(doc.inspected_unit),
        "region": {"province": doc.region.province, "city": doc.region.city, "county": doc.region.county},
        "inspection": {
            "kind": _value(insp.kind),
            "level": _value(insp.level),
            "team": _value(insp.team),
            "start": _value(insp.start),
            "end": _value(insp.end),
            "feedback_date": _value(insp.feedback_date),
        },
        "publish_date": _value(doc.publish_date),
        "claimed": {c.key: c.value for c in doc.claimed},
        "contact": {
            "phone": _value(doc.contact.phone),
            "email": _value(doc.contact.email),
            "address": _value(doc.contact.address),
            "postcode": _value(doc.contact.postcode),
        },
        "sections": [_section(s) for s in doc.sections],
        "approach_measures": [_measure(m) for m in doc.approach_measures],
        "categories": [_category(c) for c in doc.categories],
        "regulations_all": list(doc.regulations_all),
        "named_rules": list(doc.named_rules),
        "regulations": [_mention(m) for m in doc.regulations],
        "people": [{"name": p.name, "role": p.role} for p in doc.people],
        "organizations": list(dict.fromkeys(o.name for o in doc.organizations)),
        "money": [m.text for m in doc.money],
        "warnings": list(doc.warnings),
        # PDF only: where each page begins (1-based page of an offset: bisect_right(page_starts, offset))
        "page_starts": list(doc.page_starts),
        "ocr_pages": list(doc.ocr_pages),
    }


def _cn_ordinal(n: int) -> str:
    if n <= 10:
        return _CN_ORDINALS[n - 1]
    if n < 20:
        return "十" + _CN_ORDINALS[n - 11]
    return str(n)


def document_to_outline(doc: ReportDocument) -> str:
    """A readable Chinese outline for `ikg parse --format text`: header facts, then categories and issues."""
    lines: list[str] = [_value(doc.title) or f"（无标题）{doc.file}"]
    facts = [
        ("发布单位", _value(doc.publisher)),
        ("被巡视巡察单位", _value(doc.inspected_unit)),
        ("地区", " ".join(p for p in (doc.region.province, doc.region.city, doc.region.county) if p) or None),
        ("巡视巡察组", _value(doc.inspection.team)),
        ("巡视巡察期间", _period(doc)),
        ("反馈日期", _value(doc.inspection.feedback_date)),
        ("发布日期", _value(doc.publish_date)),
    ]
    lines.extend(f"{label}：{value}" for label, value in facts if value)
    issues = doc.issues
    measures = sum(len(i.measures) for i in issues)
    lines.append(f"问题类别 {len(doc.categories)} 个，问题 {len(issues)} 个，整改措施 {measures} 条")
    titled = [s for s in doc.sections if s.title]
    if titled:
        lines.append("")
        lines.extend(f"【{ROLE_NAMES[s.role]}】{s.title}  [第{s.span.line}行]" for s in titled)
    if doc.approach_measures:
        lines.append(f"整改工作做法 {len(doc.approach_measures)} 条（报告层面，不属于任何问题）：")
        lines.extend(
            f"  {m.label} {_first_clause(m.text)}  [第{m.span.line}行]" for m in doc.approach_measures
        )
    for index, category in enumerate(doc.categories, start=1):
        tag = "（栏目）" if category.is_section else ""
        lines.append("")
        lines.append(f"（{_cn_ordinal(index)}）{category.title}{tag}  [第{category.span.line}行]")
        for issue in category.issues:
            lines.append(f"  {issue.number}. {issue.title}")
            details = [f"措施 {len(issue.measures)} 条"]
            if issue.status:
                details.append(f"状态：{issue.status}")
            if issue.deadline:
                details.append(f"时限：{issue.deadline}")
            lines.append("     " + "；".join(details))
            regulations = _distinct_titles(issue.regulations, "title")
            if regulations:
                lines.append("     法规：" + "".join(f"《{t}》" for t in regulations))
    if doc.regulations_all:
        lines.append("")
        lines.append("引用法规制度：" + "".join(f"《{t}》" for t in doc.regulations_all))
    for warning in doc.warnings:
        lines.append(f"警告：{warning}")
    return "\n".join(lines) + "\n"


def _first_clause(text: str) -> str:
    for i, c in enumerate(text):
        if c in "。；\n" or i >= 40:
            return text[:i]
    return text


def _period(doc: ReportDocument) -> str | None:
    start, end = _value(doc.inspection.start), _value(doc.inspection.end)
    if start and end:
        return f"{start} 至 {end}"
    return start or end
