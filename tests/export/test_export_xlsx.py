"""The 整改台账 workbook, read back with openpyxl, against the store's own answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ikg.app.export.job import export_graph
from ikg.app.export.xlsx import (
    CLAIMED_DONE,
    ISSUE_HEADERS,
    ISSUE_SHEET,
    MEASURE_HEADERS,
    MEASURE_SHEET,
    REGULATION_HEADERS,
    REGULATION_SHEET,
    display_width,
)

SOURCE = re.compile(r"^(?P<file>.+):(?P<line>[1-9][0-9]*)$")


def _rows(sheet: object) -> list[tuple[object, ...]]:
    return list(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text, width", [("abc", 3), ("问题", 4), ("整改措施1.", 10), ("（一）", 6), ("ａ", 2), ("", 0)]
)
def test_display_width_counts_wide_characters_twice(text: str, width: int) -> None:
    assert display_width(text) == width


def test_ledger_has_one_row_per_issue_and_the_store_s_counts(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = loaded.store
    stats = store.stats()
    out = tmp_path / "台账.xlsx"
    summary = export_graph(store, "xlsx", out)
    assert summary.rows == stats.issues
    book = load_workbook(out)
    assert book.sheetnames == [ISSUE_SHEET, MEASURE_SHEET, REGULATION_SHEET]
    for name, headers, count in (
        (ISSUE_SHEET, ISSUE_HEADERS, stats.issues),
        (MEASURE_SHEET, MEASURE_HEADERS, stats.measures),
        (REGULATION_SHEET, REGULATION_HEADERS, stats.regulations),
    ):
        sheet = book[name]
        rows = _rows(sheet)
        assert rows[0] == headers, name
        assert len(rows) - 1 == count, name
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{chr(ord('A') + len(headers) - 1)}{count + 1}"
    assert ISSUE_HEADERS == (
        "序号", "被巡视/巡察单位", "巡视/巡察组", "反馈日期", "问题类别", "问题", "整改措施",
        "整改状态", "整改时限", "涉及制度", "来源",
    )  # fmt: skip

    issues = _rows(book[ISSUE_SHEET])[1:]
    assert [r[0] for r in issues] == list(range(1, stats.issues + 1))
    by_issue = {t.id: t for t in store.issue_texts()}
    titles = {(t.title, t.unit) for t in by_issue.values()}
    assert {(r[5], r[1]) for r in issues} == titles
    measures_of = {(t.title, t.unit): len(t.measures) for t in by_issue.values()}
    for r in issues:
        numbered = str(r[6] or "").split("\n") if r[6] else []
        count = measures_of[(r[5], r[1])]
        # every measure, numbered 1. 2. …; a measure's own line breaks would add lines, never remove them
        assert [n for n in range(1, count + 1) if any(x.startswith(f"{n}. ") for x in numbered)] == list(
            range(1, count + 1)
        )
        found = SOURCE.match(str(r[10]))
        assert found and Path(found["file"]).is_file()
        line = Path(found["file"]).read_text(encoding="utf-8").splitlines()[int(found["line"]) - 1]
        assert str(r[5])[:4] in line or str(r[5])[:4] in "".join(line.split())  # the issue's heading line

    # 整改状态: as printed, or (no status printed, the report claims all done) marked as the report's claim
    statuses = {(t.title, t.unit): store.issue_detail(t.id).issue.status for t in by_issue.values()}
    units = {u.name: u for u in store.units()}
    for r in issues:
        printed = statuses[(r[5], r[1])]
        if printed:
            assert r[7] == printed
        elif units[str(r[1])].unknown_issues == 0:  # each unit here has one report: its claim or none
            assert r[7] == CLAIMED_DONE
        else:
            assert r[7] is None

    # regulation counts are those of `ikg regs`
    regs = {(r.title, r.issues, r.measures, r.units) for r in store.regulations()}
    assert {(r[0], r[3], r[4], r[5]) for r in _rows(book[REGULATION_SHEET])[1:]} == regs
    widths = book[ISSUE_SHEET].column_dimensions
    assert widths["F"].width >= display_width("问题") + 2 and widths["F"].width <= 52
    assert widths["K"].width > widths["A"].width


def test_ledger_keeps_tricky_text_as_text(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "u.xlsx"
    export_graph(loaded.store, "xlsx", out, unit="示例县农业农村局")
    book = load_workbook(out)
    issues = _rows(book[ISSUE_SHEET])[1:]
    assert [r[:6] for r in issues] == [
        (1, "示例县农业农村局", "县委第三巡察组", "2024-06-20", '关于落实"三重一大"制度不到位方面',
         '项目资金拨付不及时, 台账记录含"引号"'),
        (2, "示例县农业农村局", "县委第三巡察组", "2024-06-20", '关于落实"三重一大"制度不到位方面',
         "<script>alert(1)</script>采购程序不规范"),
    ]  # fmt: skip
    first = issues[0]
    assert str(first[6]).startswith('1. =SUM(A1:A3)核对台账, 逐笔清理"未拨付"资金')
    assert "\n2. 修订《示例县农业项目资金管理办法》" in str(first[6])
    assert first[7] == "已完成整改" and first[9] == "示例县农业项目资金管理办法"
    cell = book[MEASURE_SHEET]["E2"]
    assert cell.value.startswith("=SUM") and cell.data_type == "s"  # text, not a formula
    assert book[ISSUE_SHEET]["G2"].alignment.wrap_text
    regs = {r[0]: r for r in _rows(book[REGULATION_SHEET])[1:]}
    assert set(regs) == {"示例县农业项目资金管理办法", "中华人民共和国政府采购法"}
    law = regs["中华人民共和国政府采购法"]
    assert law[1:2] == ("法规文件",) and law[3:] == (1, 1, 1)
    assert "第二十条" not in str(law[2] or "")  # the cited article is not another name of the law


def test_a_text_longer_than_an_excel_cell_is_cut_with_a_note(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from ikg.app.export.xlsx import CELL_LIMIT, TRUNCATED, _fill

    book = Workbook(write_only=True)
    _fill(book.create_sheet("t"), ("问题",), [("问" * (CELL_LIMIT + 10),), ("=1+1\x07",)])
    book.save(tmp_path / "t.xlsx")
    sheet = load_workbook(tmp_path / "t.xlsx")["t"]
    long, formula = sheet["A2"].value, sheet["A3"]
    assert len(long) == CELL_LIMIT and long.endswith(TRUNCATED)
    assert formula.value == "=1+1" and formula.data_type == "s"
