"""Hand-built IssueFacts for the pure analysis functions: synthetic 公文 variants, no database needed."""

from __future__ import annotations

from ikg.graph.views import IssueFacts, IssueRef, MeasureFact, ReportContext

REPORT = ReportContext(
    "rep_x",
    "synthetic.txt",
    "某县某局",
    "2024-05-01",
    "org_x",
    "某县某局",
    "某省",
    "某市",
    "某县",
    "insp_x",
    "巡察",
    None,
    "2023-04-01",
    "2023-05-30",
    "2023-06-20",
)


def fact(
    title: str,
    text: str = "",
    measures: tuple[str, ...] = (),
    *,
    deadline: str | None = None,
    result: str | None = None,
) -> IssueFacts:
    body = text or f"针对“{title}”问题。整改情况：" + "".join(
        f"{'一二三四五'[n]}是{m}" for n, m in enumerate(measures)
    )
    return IssueFacts(
        IssueRef("iss_x", "1", title, None, "某方面", "某县某局", "rep_x", "synthetic.txt", 10),
        1,
        None,
        deadline,
        body,
        result,
        0,
        len(body),
        tuple(MeasureFact(f"mea_{n}", f"{'一二三四五'[n]}是", m, 11 + n) for n, m in enumerate(measures)),
        REPORT,
    )
