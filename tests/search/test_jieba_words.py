"""The frozen copy of jieba's table segments exactly as jieba does, and is written and read safely."""

from __future__ import annotations

import os
import subprocess
import sys
from array import array
from pathlib import Path

import jieba
import pytest

from ikg.search.jieba_words import FrozenWords, frozen_tokenizer, read_frozen, write_frozen

REPORTS = Path(__file__).resolve().parents[2] / "examples" / "reports"


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> tuple[FrozenWords, int]:
    jieba.initialize()
    path = tmp_path_factory.mktemp("jieba") / "table.words"
    write_frozen(path, jieba.dt.FREQ, jieba.dt.total)
    read = read_frozen(path)
    assert read is not None
    return read


def test_the_frozen_table_is_jiebas(frozen: tuple[FrozenWords, int]) -> None:
    words, total = frozen
    assert total == jieba.dt.total
    assert len(words) == len(jieba.dt.FREQ)
    for word in ("干部", "选拔任用", "三重一大", "中华人民共和国"):
        assert words.get(word) == jieba.dt.FREQ.get(word)
    assert words.get("干部选拔任用工作不规范") is None and "干部选拔任用工作不规范" not in words


def test_every_line_of_the_examples_segments_the_same(frozen: tuple[FrozenWords, int]) -> None:
    tokenizer = frozen_tokenizer(jieba, *frozen)
    lines = [line for p in sorted(REPORTS.glob("*.txt")) for line in p.read_text("utf-8").splitlines()]
    queries = ["公车私用", "干部选拔任用程序不规范", "违规发放津补贴 2023年", "“三重一大”决策制度", "ABC会费"]
    assert len(lines) > 500
    for text in lines + queries:
        assert tokenizer.lcut_for_search(text) == jieba.lcut_for_search(text), text


def test_mapping_behaviour() -> None:
    words = FrozenWords(["a", "ab", "b"], array("q", [3, 0, 5]))
    assert words["ab"] == 0 and words.get("b") == 5 and words.get("c", -1) == -1
    assert "a" in words and "c" not in words and 1 not in words
    assert list(words) == ["a", "ab", "b"] and len(words) == 3
    with pytest.raises(KeyError):
        words["c"]
    with pytest.raises(ValueError, match="2 words but 1 counts"):
        FrozenWords(["a", "b"], array("q", [1]))


@pytest.mark.parametrize("content", [b"", b"\x05\x00", b"\xff" * 40])
def test_an_unreadable_file_is_none(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.words"
    path.write_bytes(content)
    assert read_frozen(path) is None
    assert read_frozen(tmp_path / "missing.words") is None


def test_a_round_trip_leaves_no_temporary_file(tmp_path: Path) -> None:
    write_frozen(tmp_path / "t.words", {"乙": 2, "甲": 1}, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.words"]
    read = read_frozen(tmp_path / "t.words")
    assert read is not None and dict(read[0]) == {"乙": 2, "甲": 1} and read[1] == 3


def test_a_query_in_a_new_process_writes_then_uses_the_frozen_table(tmp_path: Path) -> None:
    code = (
        "import jieba\n"
        "from ikg.search.lexical import tokenize\n"
        "print(tokenize('领导干部违规收受礼金', query=True), jieba.dt.initialized)\n"
    )
    env = {**os.environ, "TMPDIR": str(tmp_path)}

    def run() -> str:
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    first = run()  # loads jieba's own table and writes the frozen copy
    assert first.endswith("True") and len(list(tmp_path.glob("ikg-jieba-*.words"))) == 1
    second = run()  # segments over the frozen copy; jieba's table is never loaded
    assert second.endswith("False") and second.split("]")[0] == first.split("]")[0]
