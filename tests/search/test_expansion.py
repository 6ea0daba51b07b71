"""Synonym expansion of text queries: which words are added, how the two BM25 parts combine."""

from __future__ import annotations

import pytest

from ikg.search.expansion import combine, expanded_search, expansion_terms, synonym_groups
from ikg.search.lexical import LexicalIndex

GROUPS = (("公车", "公务用车", "公务车辆"), ("滥发", "违规发放"), ("台账", "清单"))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("公车私用", ["公务用车", "公务车辆"]),
        (
            "公务用车管理",
            ["公车", "公务车辆"],
        ),  # any member triggers the group; the member itself is not added
        ("滥发补贴，台账不全", ["违规发放", "清单"]),  # groups in file order
        ("学习不深入", []),
        ("", []),
        ("公车和公务车辆", ["公务用车"]),  # two members present: only the missing one is added
    ],
)
def test_expansion_terms(text: str, expected: list[str]) -> None:
    assert expansion_terms(text, GROUPS) == expected


@pytest.mark.parametrize(
    "text, must_add",
    [
        ("公车管理混乱", "公务用车"),
        ("滥发奖金", "违规发放"),
        ("台账不全", "清单"),
        ("三公经费超支", "公务接待"),
        ("追回多发的补贴", "清退"),
    ],
)
def test_the_shipped_list_covers_common_inspection_words(text: str, must_add: str) -> None:
    assert must_add in expansion_terms(text)


def test_shipped_groups_are_well_formed() -> None:
    groups = synonym_groups()
    assert len(groups) >= 30
    for group in groups:
        assert len(group) >= 2, group
        assert len(set(group)) == len(group), group
        assert all(word.strip() == word and word for word in group), group


@pytest.mark.parametrize(
    "base, extra, weight, expected",
    [
        ([("a", 2.0), ("b", 1.0)], [("b", 4.0)], 0.5, [("b", 3.0), ("a", 2.0)]),  # b = 1 + 0.5 * 4
        ([("a", 2.0), ("b", 1.0)], [("c", 1.0)], 0.5, [("a", 2.0), ("b", 1.0), ("c", 0.5)]),
        ([("a", 1.0)], [("b", 2.0)], 0.5, [("a", 1.0), ("b", 1.0)]),  # a tie keeps base first
        ([], [("b", 2.0)], 1.0, [("b", 2.0)]),
        ([("a", 1.0)], [], 1.0, [("a", 1.0)]),
    ],
)
def test_combine(
    base: list[tuple[str, float]],
    extra: list[tuple[str, float]],
    weight: float,
    expected: list[tuple[str, float]],
) -> None:
    got = combine(base, extra, weight)
    assert [i for i, _ in got] == [i for i, _ in expected]
    assert [s for _, s in got] == pytest.approx([s for _, s in expected])


def test_expansion_finds_a_report_that_uses_the_formal_word() -> None:
    """The analyst types 公车; only the report's 公务用车 says it. Plain BM25 misses it, expanded BM25
    finds it."""
    index = LexicalIndex.build(
        ["car", "study", "fees"],
        [
            "违规负担非本单位公务用车维修费用",
            "理论学习中心组学习不深入",
            "工会经费收缴不及时",
        ],
    )
    query = "公车维修"
    plain = [i for i, _ in index.search("公车", 5)]
    assert "car" not in plain
    found = expanded_search(index.search, query, 5, weight=0.4)
    assert found[0][0] == "car"
    assert expanded_search(index.search, query, 5, weight=0.0) == index.search(query, 5)
