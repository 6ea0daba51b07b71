"""Clean the artefacts of PDF/web conversion out of a report's text, keeping a map back to the original.

(Skeleton by the lead: the `NormalizedText` record and its mapping are the contract; `normalize()` itself
is to be written by the parser work: join hard line breaks, drop page-number lines and `**`.)
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ikg.ingest.document import Span


@dataclass(frozen=True, slots=True)
class NormalizedText:
    text: str  # the cleaned text the parser works on
    offsets: tuple[int, ...]  # offsets[i] = index in `original` of text[i]; one extra entry = len(original)
    original: str  # the text as the reader decoded it
    line_starts: tuple[int, ...]  # offsets in `original` where each line begins

    @classmethod
    def identity(cls, text: str) -> NormalizedText:
        """No cleaning: every character maps to itself."""
        return cls(text, tuple(range(len(text) + 1)), text, _line_starts(text))

    def original_offset(self, i: int) -> int:
        return self.offsets[i]

    def span(self, start: int, end: int) -> Span:
        """The original-text span of the normalized range [start, end)."""
        o_start = self.offsets[start]
        o_end = self.offsets[end - 1] + 1 if end > start else o_start
        return Span(o_start, o_end, self.line_of(o_start))

    def line_of(self, original_offset: int) -> int:
        """1-based line number in the original text."""
        return bisect.bisect_right(self.line_starts, original_offset)


def _line_starts(text: str) -> tuple[int, ...]:
    starts = [0]
    starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")
    return tuple(starts)
