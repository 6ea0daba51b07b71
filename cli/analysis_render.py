"""Tables and JSON for the analysis commands: types, common, recurrence, measures check."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ikg.analysis.measure_check import checks_json
from ikg.analysis.problem_types import distribution_json
from ikg.cli.render import emit, short_path, table


def _at(ref: Any) -> str:
    return f"{short_path(ref.file)}:{ref.line}"


def _evidence_at(evidence: Any, issue: Any) -> str:
    """An evidence phrase with its line; with its file too when that is not the issue's own (last column)."""
    where = str(evidence.line)
    if evidence.file != issue.file:
        where = f"{short_path(evidence.file)}:{where}"
    return f"{evidence.phrase}（{where}）"


def type_distribution(dist: Any, typed: Sequence[Any], fmt: Any) -> None:
    value = distribution_json(dist, typed)

    def draw() -> None:
        groups = list(dist.groups) if dist.by else []
        columns = ["框架", "问题类型", *groups, "问题数", "例（文件:行）"]
        rows = [
            [
                r.framework,
                r.type,
                *(r.counts if dist.by else ()),
                r.total,
                _at(r.issues[0]) if r.issues else "",
            ]
            for r in dist.rows
        ]
        opts: dict[str, dict[str, Any]] = {g: {"justify": "right"} for g in [*groups, "问题数"]}
        opts["例（文件:行）"] = {"no_wrap": True}
        table(
            f"问题类型分布（分类表版本 {dist.taxonomy_version}，共 {dist.issues} 个问题，"
            f"未归类 {len(dist.untyped)} 个）",
            columns,
            rows,
            **opts,
        )

    emit(fmt, value, draw)


def common(problems: Sequence[Any], fmt: Any, threshold: float) -> None:
    def draw() -> None:
        rows = []
        for n, p in enumerate(problems, start=1):
            for j, m in enumerate(p.members):
                head = (n, p.label, len(p.units), "、".join(p.terms)) if j == 0 else ("", "", "", "")
                rows.append([*head, m.unit, m.issue.title, _at(m.issue)])
        table(
            f"共性问题 {len(problems)} 个（相似度阈值 {threshold}）",
            ["序号", "共性问题", "单位数", "共有关键词", "单位", "问题", "文件:行"],
            rows,
            **{"单位数": {"justify": "right"}, "文件:行": {"no_wrap": True}},
        )

    emit(fmt, {"threshold": threshold, "problems": problems}, draw)


def recurrence(units: Sequence[Any], fmt: Any, threshold: float) -> None:
    def draw() -> None:
        rows = [
            [
                "强" if r.strong else "一般",
                r.unit,
                f"{r.score:.3f}",
                r.later.title,
                r.later_date,
                _at(r.later),
                r.earlier.title,
                r.earlier_date,
                _at(r.earlier),
                r.earlier_status or ("已完成" if r.earlier_completed else "未注明"),
            ]
            for u in units
            for r in u.recurrences
        ]
        rounds = "；".join(f"{u.unit} {len(u.reports)} 份通报" for u in units) or "无单位有两轮以上通报"
        table(
            f"屡查屡犯（相似度阈值 {threshold}；{rounds}）",
            [
                "提示",
                "单位",
                "相似度",
                "本轮问题",
                "本轮（日期 文件:行）",
                "前轮问题",
                "前轮（日期 文件:行）",
                "前轮整改状态",
            ],
            rows,
        )

    emit(fmt, {"threshold": threshold, "units": units}, draw)


def measure_checks(checks: Sequence[Any], fmt: Any) -> None:
    def draw() -> None:
        rows = [
            [
                c.unit,
                c.issue.title,
                "；".join(c.reasons) or "—",
                "、".join(_evidence_at(e, c.issue) for e in c.evidence[:4]),
                _at(c.issue),
            ]
            for c in checks
        ]
        table(
            f"整改措施检查：{sum(1 for c in checks if c.weak)} 个问题的整改偏弱",
            ["单位", "问题", "不足", "依据（行）", "文件:行"],
            rows,
            **{"文件:行": {"no_wrap": True}},
        )

    value = checks_json(checks)
    emit(fmt, value, draw)
