"""normalize(): PDF/web artefacts out, real paragraph breaks kept, every character mapped back exactly."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from ikg.ingest.normalize import NormalizedText, normalize

_PAGE_LINE = re.compile(r"\s*[-—]\s*\d+\s*[-—]\s*")


@pytest.mark.parametrize(
    "original, expected",
    [
        # 003: a heading broken inside its quote right after the full-width colon, blank line between
        (
            "3.关于“主体责任意识不强，意识形态、统战工作有短板：\n\n落实意识形态工作责任制不到位”问题的整改\n\n"
            "整改结果：已完成整改，并长期坚持。",
            "3.关于“主体责任意识不强，意识形态、统战工作有短板：落实意识形态工作责任制不到位”问题的整改\n"
            "整改结果：已完成整改，并长期坚持。",
        ),
        # 003: a page number between two halves of a sentence, and the leading space of the next page
        (
            "三是根据省总服务阵地要求，允许资源整合和共享，对相关\n\n\n\n- 7 -\n\n"
            "“户外劳动者爱心驿站”重新进行审核评定，与现有的职工之家\n\n合并挂牌。",
            "三是根据省总服务阵地要求，允许资源整合和共享，对相关“户外劳动者爱心驿站”重新进行审核评定，"
            "与现有的职工之家合并挂牌。",
        ),
        # 003: a page break before a heading stays a paragraph break
        (
            "整改结果：完成整改。\n\n\n\n- 8 -\n\n11.关于“临时工福利待遇标准不一，有失公平”问题的整\n\n改",
            "整改结果：完成整改。\n11.关于“临时工福利待遇标准不一，有失公平”问题的整改",
        ),
        # 003: the title printed on two lines is one line; inner spaces such as `2015 年` are kept
        (
            " 中共清远市总工会党组关于巡察整改\n进展情况的通报\n\n根据市委巡察统一部署，2023 年 3 月 22 日，",
            "中共清远市总工会党组关于巡察整改进展情况的通报\n根据市委巡察统一部署，2023 年 3 月 22 日，",
        ),
        # 002: title over a blank line
        (
            "广州市天河区总工会党组\n\n关于广州市区委巡察整改情况的通报\n按照市委、区委的统一部署，",
            "广州市天河区总工会党组关于广州市区委巡察整改情况的通报\n按照市委、区委的统一部署，",
        ),
        # 004: breadcrumb lines of the web page are not glued to the title
        (
            "省总工会\n黑龙江-省监察厅\n中共黑龙江省总工会党组关于\n巡视整改情况的通报\n根据省委统一部署，",
            "省总工会\n黑龙江-省监察厅\n中共黑龙江省总工会党组关于巡视整改情况的通报\n根据省委统一部署，",
        ),
        # 000: markdown emphasis around the measure labels is dropped
        (
            "整改情况：**一是**强化职工文化阵地建设。**二是完善制度。**",
            "整改情况：一是强化职工文化阵地建设。二是完善制度。",
        ),
        # 000: a web paragraph cut in the middle of a word, separated by a blank line
        (
            "整改情况：一是建立劳模退出机制。制定明确的退出标准与程\n\n序，确保劳模称号的荣誉性和严肃性。",
            "整改情况：一是建立劳模退出机制。制定明确的退出标准与程序，确保劳模称号的荣誉性和严肃性。",
        ),
        # 001: one line per paragraph, headings without final punctuation stay on their own
        (
            "一、深入学习贯彻习近平新时代中国特色社会主义思想,切实提高政治站位、落实主体责任,不折不扣抓好巡察整改工作\n"
            "加强总工会党组领导,切实落实巡察整改主体责任。",
            "一、深入学习贯彻习近平新时代中国特色社会主义思想,切实提高政治站位、落实主体责任,不折不扣抓好巡察整改工作\n"
            "加强总工会党组领导,切实落实巡察整改主体责任。",
        ),
        # real breaks: after 。, before an enumerator, before 整改结果：, before 一是 at a line start
        (
            "（二）关于落实财务制度规定不到位存在廉政风险方面\n5.针对“财务制度执行不到位”问题。\n"
            "一是开展自查\n二是规范报销。",
            "（二）关于落实财务制度规定不到位存在廉政风险方面\n5.针对“财务制度执行不到位”问题。\n一是开展自查\n二是规范报销。",
        ),
        # a line never starts with closing punctuation: it belongs to the line before
        ("开展了专题学习\n，形成了会议纪要。", "开展了专题学习，形成了会议纪要。"),
        # CRLF, full-width spaces and a byte-order mark are layout, not text
        (
            "\ufeff一、总体情况\r\n\u3000\u3000县总工会党组高度重视。\r\n",
            "一、总体情况\n县总工会党组高度重视。",
        ),
        ("", ""),
    ],
)
def test_normalize_snippets(original: str, expected: str) -> None:
    nt = normalize(original)
    assert nt.text == expected
    _assert_offsets_exact(nt)


def _assert_offsets_exact(nt: NormalizedText) -> None:
    assert len(nt.offsets) == len(nt.text) + 1
    assert nt.offsets[-1] == len(nt.original)
    for i, ch in enumerate(nt.text):
        if ch != "\n":
            assert nt.original[nt.offsets[i]] == ch, i
    mapped = [o for i, o in enumerate(nt.offsets[:-1]) if nt.text[i] != "\n"]
    assert mapped == sorted(set(mapped)), "offsets must be strictly increasing"


def _without_artefacts(original_slice: str) -> str:
    """What the normalizer may drop: line breaks with surrounding layout, page-number lines, `**`."""
    lines = [ln.strip(" \t\r\u3000\ufeff") for ln in original_slice.split("\n")]
    kept = [ln for ln in lines if ln and not _PAGE_LINE.fullmatch(ln)]
    return "".join(kept).replace("**", "")


def _corpus() -> list[Path]:
    root = Path(__file__).resolve().parents[2] / "examples" / "reports"
    return sorted(root.glob("*.txt"))


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.name[:3])
def test_offsets_map_every_character_back(path: Path) -> None:
    nt = normalize(path.read_text(encoding="utf-8"))
    _assert_offsets_exact(nt)
    # nothing but artefacts is dropped: the unmapped original characters are layout, `*` or page numbers
    mapped = set(nt.offsets[i] for i, ch in enumerate(nt.text) if ch != "\n")
    dropped = "".join(ch for i, ch in enumerate(nt.original) if i not in mapped)
    assert re.fullmatch(r"[\s*\-—\d\ufeff]*", dropped), dropped[:80]


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.name[:3])
def test_random_spans_cover_the_same_text(path: Path) -> None:
    nt = normalize(path.read_text(encoding="utf-8"))
    rng = random.Random(path.name)
    n = len(nt.text)
    for _ in range(300):
        a = rng.randrange(n)
        b = min(n, a + rng.randrange(1, 400))
        if nt.text[a].isspace() or nt.text[b - 1].isspace():
            continue
        span = nt.span(a, b)
        assert _without_artefacts(nt.original[span.start : span.end]) == nt.text[a:b].replace("\n", "")
        assert span.line == nt.original.count("\n", 0, span.start) + 1


def test_identity_maps_every_character_to_itself() -> None:
    nt = NormalizedText.identity("一、总体情况\n很好。")
    assert nt.span(2, 6).start == 2 and nt.span(2, 6).end == 6 and nt.span(7, 9).line == 2
