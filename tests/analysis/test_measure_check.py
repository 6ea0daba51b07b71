"""Measure checks on synthetic rectification texts: deadline, someone responsible, concrete change."""

from __future__ import annotations

import pytest

from ikg.analysis.measure_check import NO_DEADLINE, NO_RESPONSIBLE, ONLY_SOFT, check_issue

from . import records  # the test folder's record builders


@pytest.mark.parametrize(
    "measures, reasons",
    [
        (
            ("召开专题党组会议研究整改工作。", "组织干部职工学习有关规定。", "制定《公务接待管理办法》。"),
            {NO_DEADLINE, NO_RESPONSIBLE, ONLY_SOFT},
        ),
        (("由财务科牵头清理违规发放的津贴，追回资金3.2万元。", "2024年6月底前完成整改。"), set()),
        # the people talked to are not who answers for the rectification
        (("对相关责任人进行谈话提醒。", "修订完善财务报销制度，明确整改时限。"), {ONLY_SOFT, NO_RESPONSIBLE}),
        (("明确责任人和整改时限，追回违规资金1.2万元。", "给予负责人党内警告处分。"), set()),
        (("追究有关负责人责任，清退违规发放的补贴。",), {NO_DEADLINE, NO_RESPONSIBLE}),
        (("分管领导负责，对3名违规人员给予党纪处分。",), {NO_DEADLINE}),
    ],
)
def test_synthetic_rectifications(measures: tuple[str, ...], reasons: set[str]) -> None:
    check = check_issue(records.fact("公务接待不规范", measures=measures))
    assert set(check.reasons) == reasons
    for e in check.evidence:
        assert e.file == "synthetic.txt" and e.line >= 10
        # evidence found in a measure points at that measure's line
        if e.line > 10:
            assert e.phrase in measures[e.line - 11]


def test_a_printed_deadline_counts() -> None:
    check = check_issue(
        records.fact("考勤管理不严", measures=("由办公室专人负责考勤。",), deadline="立行立改")
    )
    assert check.has_deadline and check.has_responsible
