"""The shortcuts that make parsing fast give exactly what the plain computation gives (issue 11)."""

from __future__ import annotations

import hashlib
import random
import unicodedata

import pytest

from ikg.ingest.parse import text_key

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
]


@pytest.mark.parametrize("seed", range(200))
def test_issue_11_text_key_is_nfkc_of_the_whole_text(seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(rng.choice(_POOL) for _ in range(rng.randint(0, 40)))
    bare = "".join(unicodedata.normalize("NFKC", text).split())
    assert text_key(text) == hashlib.sha256(bare.encode("utf-8")).hexdigest()
