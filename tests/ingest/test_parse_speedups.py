"""The shortcuts that make parsing fast give exactly what the plain computation gives (issue 11)."""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata

import pytest

from ikg.ingest import fold
from ikg.ingest.extract import dates, measures
from ikg.ingest.parse import STABLE_PUNCTUATION, text_key

# Characters whose NFKC depends on their neighbours (combining marks, halfwidth voiced marks, Hangul jamo),
# compatibility forms, and the ideographs and punctuation of a report.
_POOL = [
    "整",
    "改",
    "通",
    "报",
    "，",
    "。",
    "（",
    "）",
    "１",
    "2",
    "e",
    "\u0301",  # combining acute: composes with the e before it
    "\u0323",
    "\u3099",  # combining voiced mark: composes with the kana before it
    "か",
    "ｶ",
    "\uff9e",  # halfwidth voiced mark
    "\u1100",  # Hangul leading consonant, vowel and trailing consonant compose into a syllable
    "\u1161",
    "\u11a8",
    "\uf900",  # a compatibility ideograph: NFKC maps it to 豈
    "\u2460",  # ①
    "\u3000",
    " ",
    "\n",
    "ﬁ",
    *STABLE_PUNCTUATION,
]


@pytest.mark.parametrize("seed", range(200))
def test_issue_11_text_key_is_nfkc_of_the_whole_text(seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(rng.choice(_POOL) for _ in range(rng.randint(0, 40)))
    bare = "".join(unicodedata.normalize("NFKC", text).split())
    assert text_key(text) == hashlib.sha256(bare.encode("utf-8")).hexdigest()


def test_issue_11_text_key_of_a_long_piece_between_ideographs() -> None:
    text = "整" + "ｶ\uff9ee\u0301１ﬁ" * 20 + "改"  # longer than the pieces the key caches
    bare = "".join(unicodedata.normalize("NFKC", text).split())
    assert text_key(text) == hashlib.sha256(bare.encode("utf-8")).hexdigest()


def test_issue_11_text_key_splits_only_at_characters_no_composition_involves() -> None:
    """The pieces are cut at ideographs and STABLE_PUNCTUATION: NFKC leaves each as it is, and none is
    part of any character's decomposition (so none composes with a neighbour)."""
    stable = set(STABLE_PUNCTUATION) | {chr(c) for c in range(0x4E00, 0xA000)}
    for ch in STABLE_PUNCTUATION:
        assert unicodedata.normalize("NFKC", ch) == ch and unicodedata.combining(ch) == 0
    for code in range(0x110000):
        decomposition = unicodedata.decomposition(chr(code))
        # canonical pairs are what NFC composes back (singletons such as 豈 U+F900 -> 豈 never are)
        if decomposition and not decomposition.startswith("<") and " " in decomposition:
            parts = {chr(int(p, 16)) for p in decomposition.split()}
            assert not parts & stable, f"U+{code:04X} decomposes into a split character"


# Patterns rewritten to open with a character rather than a lookbehind, next to the plain form they replace.
_REWRITTEN = [
    (
        measures._CN_ORDINAL,
        r"(?<![统唯同单万之其第一二三四五六七八九十])([一二三四五六七八九十]{1,3})是",
        "一二三十是第之统x\n",
    ),
    (
        fold._GLOSS,
        rf"(?<=[\u4e00-\u9fff])[(（](?=[a-zü]*[{fold._TONED}])[a-zü{fold._TONED}]{{1,7}}[)）]",
        "區联(（)）qūlánaá ",
    ),
    (
        dates._YEAR_MONTH,
        r"(?<!\d)((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?!\s*\d)",
        "0129年月 旬",
    ),
]


@pytest.mark.parametrize("rewritten, plain, alphabet", _REWRITTEN)
def test_issue_11_rewritten_patterns_match_as_before(
    rewritten: re.Pattern[str], plain: str, alphabet: str
) -> None:
    rng = random.Random(11)
    before = re.compile(plain)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        pos = rng.randint(0, len(text))
        got = [(m.span(), m.groups()) for m in rewritten.finditer(text, pos)]
        assert got == [(m.span(), m.groups()) for m in before.finditer(text, pos)], (text, pos)
