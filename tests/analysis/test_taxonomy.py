"""The bundled taxonomy's schema, and a bad taxonomy file as a clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ikg.analysis.taxonomy import default_taxonomy, load_taxonomy
from ikg.graph.errors import ConfigError

FRAMEWORKS = {
    "三大问题": ["党的领导弱化", "党的建设缺失", "全面从严治党不力"],
    "六个方面": ["政治建设", "思想建设", "组织建设", "作风建设", "纪律建设", "反腐败"],
    "六项纪律": ["政治纪律", "组织纪律", "廉洁纪律", "群众纪律", "工作纪律", "生活纪律"],
}


def test_bundled_taxonomy_has_every_framework_with_described_types() -> None:
    taxonomy = default_taxonomy()
    assert taxonomy.version
    names = {f.name: [t.name for t in f.types] for f in taxonomy.frameworks}
    for framework, types in FRAMEWORKS.items():
        assert names[framework] == types
    assert len(names["四个落实"]) == 4 and len(names["三个聚焦"]) == 3
    for f in taxonomy.frameworks:
        assert f.years[0] <= f.years[1] and f.description
        for t in f.types:
            assert t.description and t.terms and len(set(t.terms)) == len(t.terms)
    assert taxonomy.frameworks[0].applies_to(2016) and not taxonomy.frameworks[0].applies_to(2019)


def test_framework_by_id_or_name_and_unknown_names_the_valid_ones() -> None:
    taxonomy = default_taxonomy()
    assert taxonomy.framework("六项纪律") is taxonomy.framework("six_disciplines")
    with pytest.raises(ConfigError, match="三大问题"):
        taxonomy.framework("八项规定")


@pytest.mark.parametrize(
    "content, reason",
    [
        ("{not json", "cannot read taxonomy"),
        ('{"version": "1"}', "not a taxonomy"),
        (
            json.dumps(
                {
                    "version": "1",
                    "frameworks": [
                        {
                            "id": "f",
                            "name": "F",
                            "years": [2020, 2021],
                            "description": "d",
                            "types": [{"id": "t", "name": "T", "description": "d", "terms": []}],
                        },
                    ],
                }
            ),
            "without key terms",
        ),
    ],
)
def test_bad_taxonomy_file(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "taxonomy.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=reason) as err:
        load_taxonomy(path)
    assert str(path) in str(err.value)
