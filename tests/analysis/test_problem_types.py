"""Problem types from key terms, on synthetic issue statements written in the style of 整改通报."""

from __future__ import annotations

import pytest

from ikg.analysis.problem_types import find_terms, issue_types, type_distribution
from ikg.analysis.taxonomy import default_taxonomy

from . import records  # the test folder's record builders


@pytest.mark.parametrize(
    "title, framework, expected",
    [
        ("违反中央八项规定精神，公款吃喝问题时有发生", "六项纪律", "廉洁纪律"),
        ("“三会一课”制度坚持不经常，组织生活不严肃", "六个方面", "组织建设"),
        ("党组理论学习中心组学习流于形式", "六个方面", "思想建设"),
        ("对上轮巡察反馈问题整改不到位，问题反弹回潮", "四个落实", "落实巡视巡察整改和其他监督发现问题整改"),
        ("村干部优亲厚友，截留挪用惠民补贴资金", "三个聚焦", "聚焦群众身边腐败问题和不正之风"),
        ("主体责任落实不到位，一岗双责履行不力", "三大问题", "全面从严治党不力"),
    ],
)
def test_synthetic_issue_gets_its_type_with_evidence(title: str, framework: str, expected: str) -> None:
    taxonomy = default_taxonomy()
    fact = records.fact(title)
    (typed,) = issue_types([fact], taxonomy, taxonomy.framework(framework))
    assert typed.matches, title
    best = typed.matches[0]
    assert best.type == expected
    for e in best.evidence:
        assert fact.text[e.start : e.end] == e.term  # the span points into the issue text


def test_longer_terms_win_and_do_not_double_count() -> None:
    assert find_terms("加强党支部建设", ["支部", "党支部"]) == [("党支部", 2, 5)]


def test_an_issue_with_no_key_term_is_untyped_and_counted_as_such() -> None:
    taxonomy = default_taxonomy()
    typed = issue_types([records.fact("某某事项进度偏慢")], taxonomy)
    assert typed[0].matches == ()
    dist = type_distribution(typed, taxonomy, by="year")
    assert dist.groups == ("2023",) and len(dist.untyped) == 1 and all(r.total == 0 for r in dist.rows)
