"""Chinese BM25: jieba tokens, real gold issue titles, save/load."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from ikg.graph.errors import IndexMissingError
from ikg.search.lexical import LexicalIndex, tokenize


@pytest.fixture(scope="module")
def title_index(gold_titles: dict[str, str]) -> LexicalIndex:
    return LexicalIndex.build(list(gold_titles), list(gold_titles.values()))


@pytest.mark.parametrize(
    "word",
    ["采购", "考勤", "劳模", "党费", "编外人员", "三会一课", "出入境", "意识形态", "资产", "干部",
     "审计监督", "工人文化宫", "慰问金", "联席会议", "房改房", "临时动议"],
)  # fmt: skip
def test_bm25_ranks_the_titles_containing_a_word_first(
    word: str, title_index: LexicalIndex, gold_titles: dict[str, str]
) -> None:
    containing = {node_id for node_id, title in gold_titles.items() if word in title}
    assert containing, f"no gold title contains {word}"
    hits = title_index.search(word, len(containing) + 5)
    assert {node_id for node_id, _ in hits[: len(containing)]} == containing
    assert all(score > 0 for _, score in hits)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        ("党组执行‘三重一大’有偏差", ["党组", "执行", "偏差"], ["‘", "’"]),
        ("财务制度执行不到位。", ["财务", "制度", "到位"], ["。"]),
        ("对 下拨经费 缺乏监督", ["下拨", "经费", "缺乏", "监督"], [" ", "对"]),
        ("AB 公司的 Excel 报表", ["ab", "excel", "报表"], ["的", "AB"]),
    ],
)
def test_tokenize_drops_punctuation_spaces_and_stopwords(
    text: str, present: list[str], absent: list[str]
) -> None:
    tokens = tokenize(text)
    assert set(present) <= set(tokens)
    assert not set(absent) & set(tokens)


def test_query_without_known_words_finds_nothing(title_index: LexicalIndex) -> None:
    assert title_index.search("的，。", 5) == []
    assert title_index.search("火星探测器", 5) == []


def test_remove_and_replace(gold_titles: dict[str, str]) -> None:
    index = LexicalIndex.build(["a", "b"], ["物资采购管理不严格", "考勤管理不够严格"])
    index.add(["a"], ["劳模管理工作有待加强"])  # replaces a's text
    assert index.search("采购", 5) == []
    assert index.search("劳模", 5)[0][0] == "a"
    assert index.remove(["b", "zzz"]) == 1
    assert index.search("考勤", 5) == []
    assert index.ids() == ["a"]


def test_save_and_load_give_the_same_ranking(title_index: LexicalIndex, tmp_path: Path) -> None:
    title_index.write(tmp_path, "issues")
    loaded = LexicalIndex.read(tmp_path, "issues")
    for query in ["财务管理不规范", "选拔任用干部", "三会一课"]:
        assert loaded.search(query, 10) == title_index.search(query, 10)
    loaded.add(["new"], ["新增一条采购问题"])  # edits after load rebuild from the stored tokens
    assert "new" in {h for h, _ in loaded.search("采购", 10)}


def test_search_like_uses_a_documents_own_tokens(
    title_index: LexicalIndex, gold_titles: dict[str, str]
) -> None:
    node_id = next(i for i, title in gold_titles.items() if "劳模" in title)
    assert title_index.search_like(node_id, 5) == title_index.search(gold_titles[node_id], 5)
    assert title_index.search_like(node_id, 1)[0][0] == node_id
    assert title_index.search_like("issue:not-indexed", 5) == []


def test_search_like_follows_removals(gold_titles: dict[str, str]) -> None:
    ids = list(gold_titles)
    index = LexicalIndex.build(ids, list(gold_titles.values()))
    assert index.search_like(ids[0], 1)[0][0] == ids[0]
    index.remove([ids[0]])
    assert index.search_like(ids[0], 5) == []
    assert index.search_like(ids[1], 1)[0][0] == ids[1]


def test_building_and_loading_log_nothing_below_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    index = LexicalIndex()
    index.add(["a", "b"], ["违规发放津补贴", "公车私用"])
    assert index.search("津补贴", 2)[0][0] == "a"
    index.write(tmp_path, "issues")
    assert LexicalIndex.read(tmp_path, "issues").search("公车", 1)[0][0] == "b"
    assert [r.getMessage() for r in caplog.records if r.name.startswith("bm25s")] == []


def test_documents_with_no_tokens_or_line_breaks_survive_save_and_load(tmp_path: Path) -> None:
    texts = ["违规发放\n津补贴", "的，。", "公车\x1f私用\r\n问题", ""]
    index = LexicalIndex.build(["a", "b", "c", "d"], texts)
    index.write(tmp_path, "issues")
    loaded = LexicalIndex.read(tmp_path, "issues")
    assert loaded.ids() == ["a", "b", "c", "d"]
    for node_id in loaded.ids():
        assert loaded.search_like(node_id, 4) == index.search_like(node_id, 4)
    assert loaded.search_like("c", 1)[0][0] == "c" and loaded.search("津补贴", 4)[0][0] == "a"
    assert all("\n" not in t and "\x1f" not in t for text in texts for t in tokenize(text))


def test_an_index_written_with_nested_token_lists_still_loads(
    title_index: LexicalIndex, gold_titles: dict[str, str], tmp_path: Path
) -> None:
    """Indexes saved before the token lines kept `tokens` as JSON lists inside <kind>.lexical.json."""
    title_index.write(tmp_path, "issues")
    ids = title_index.ids()
    tokens = [tokenize(gold_titles[i]) for i in ids]
    (tmp_path / "issues.lexical.json").write_text(
        json.dumps({"ids": ids, "tokens": tokens}, ensure_ascii=False), encoding="utf-8"
    )
    (tmp_path / "issues.tokens.txt").unlink()
    loaded = LexicalIndex.read(tmp_path, "issues")
    assert loaded.search_like(ids[3], 5) == title_index.search_like(ids[3], 5)
    loaded.add(["new"], ["新增一条采购问题"])  # rebuilt from the old tokens
    assert "new" in {h for h, _ in loaded.search("采购", 10)}


def test_token_lines_that_disagree_with_the_ids_are_refused(
    title_index: LexicalIndex, tmp_path: Path
) -> None:
    title_index.write(tmp_path, "issues")
    lines = (tmp_path / "issues.tokens.txt").read_text(encoding="utf-8").split("\n")
    (tmp_path / "issues.tokens.txt").write_text("\n".join(lines[:-1]), encoding="utf-8")
    with pytest.raises(IndexMissingError, match="inconsistent"):
        LexicalIndex.read(tmp_path, "issues")
    (tmp_path / "issues.tokens.txt").unlink()
    with pytest.raises(IndexMissingError, match="unreadable"):
        LexicalIndex.read(tmp_path, "issues")
