"""Every kind of unusable report file is refused with InputError(path, reason), never misread."""

from __future__ import annotations

import io
import os
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from PIL import Image

from ikg.graph.errors import InputError
from ikg.ingest.reader import read_source

MakeVariant = Callable[[Path, str], Path]
REPO = Path(__file__).resolve().parents[2]
SEED_000 = next((REPO / "examples" / "reports").glob("000_*.txt"))
SEED_TEXT = SEED_000.read_text(encoding="utf-8")
UNDECODABLE = "cannot decode: not UTF-8, GB18030 or UTF-16 text"


def refused(path: Path, **kwargs: int) -> str:
    """The reason read_source gives for `path`, after checking the error names the path."""
    with pytest.raises(InputError) as err:
        read_source(path, **kwargs)
    assert err.value.path == str(path)
    assert str(err.value) == f"{path}: {err.value.reason}"
    assert err.value.exit_code == 2
    reason: str = err.value.reason
    return reason


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    return out.getvalue()


def _docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _zip(name: str, content: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, content)
    return out.getvalue()


_UTF8 = SEED_TEXT.encode("utf-8")
_DAMAGED_AT = _UTF8.index("物资采购管理不严格".encode())  # the lead byte of 物
_TRADITIONAL = "關於縣委巡察集中整改進展情況的通報。針對「基層工會建設力度不足」問題，開展前期摸排。\n" * 5


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.txt", b"", "file is empty"),
        ("empty.md", b"", "file is empty"),
        ("empty.html", b"", "file is empty"),
        ("empty.pdf", b"", "file is empty"),
        ("empty.docx", b"", "file is empty"),
        ("blank.txt", " \n\t\r\n\u3000\n".encode(), "file has no text"),  # 全角 space is whitespace too
        ("blank.html", b"  \r\n\n", "file has no text"),
        ("blank-utf16.txt", "\ufeff  \n \n".encode("utf-16-le"), "file has no text"),
        ("blank-gbk.txt", "\u3000\u3000\n".encode("gbk"), "file has no text"),
        ("blank.docx", _docx("", "   ", "\u3000"), "file has no text"),
        ("photo.txt", _png(), "binary file, not text (looks like PNG image)"),
        (
            "report.txt",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
            "binary file, not text (looks like PDF document; rename it to .pdf)",
        ),
        (
            "report.md",
            _docx("一、总体情况"),
            "binary file, not text (looks like ZIP archive or DOCX/XLSX file)",
        ),
        (
            "old.txt",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            "binary file, not text (looks like old Office document (.doc/.xls/.wps))",
        ),
        ("noise.txt", random.Random(7).randbytes(4096), "binary file, not text (contains NUL bytes)"),
        (
            "cut.txt",
            _UTF8[: len(_UTF8) // 2 + 1],
            "cannot decode: UTF-8 text cut off mid-character (truncated file?)",
        ),
        (
            "damaged.txt",
            _UTF8[:_DAMAGED_AT] + b"\xff" + _UTF8[_DAMAGED_AT + 1 :],
            f"{UNDECODABLE} (mostly UTF-8, but byte {_DAMAGED_AT} is invalid)",
        ),
        (
            "french.txt",
            "Rapport d'inspection : résumé, café, élève, garçon.\n".encode("cp1252") * 3,
            f"{UNDECODABLE} (closest guess: cp1250)",
        ),
        (
            "japanese.txt",
            "巡察の報告書です。これはテストです。\n".encode("shift_jis") * 3,
            f"{UNDECODABLE} (closest guess: cp932)",
        ),
        (
            "korean.txt",
            "순찰 보고서입니다. 이것은 테스트입니다.\n".encode("euc_kr") * 3,
            f"{UNDECODABLE} (closest guess: cp949)",
        ),
        # Big5 (traditional characters) is not supported: refused, not read as GBK mojibake.
        ("big5.txt", _TRADITIONAL.encode("big5"), f"{UNDECODABLE} (closest guess: big5)"),
        (
            "odd-utf16.txt",
            b"\xff\xfe" + "针对问题。".encode("utf-16-le") + b"\x0a",
            f"{UNDECODABLE} (starts with a utf-16-le byte-order mark but byte 12 is invalid: truncated data)",
        ),
        (
            "nav-only.html",
            "<html><body><div class='nav'><a href='/'>首页</a> | <a href='/x'>巡察工作</a></div>"
            "<script>var x = '统计';</script></body></html>".encode(),
            "no article text found in HTML page",
        ),
        ("not-a-pdf.pdf", SEED_TEXT.encode("utf-8"), "corrupt or truncated PDF: no %PDF- header"),
        ("garbage.pdf", b"%PDF-1.4\n" + random.Random(3).randbytes(2000) + b"\n%%EOF\n", None),
        (
            "old.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            "corrupt or truncated DOCX: not a ZIP package (an old .doc saved as .docx?)",
        ),
        (
            "plain-zip.docx",
            _zip("a.txt", "x"),
            "corrupt or truncated DOCX: There is no item named '[Content_Types].xml' in the archive",
        ),
    ],
)
def test_bad_file_is_refused_with_its_reason(
    tmp_path: Path, name: str, data: bytes, reason: str | None
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    got = refused(path)
    if reason is None:  # pypdf's own words vary by what it trips over; the kind must not
        assert got.startswith("corrupt or truncated PDF: ")
    else:
        assert got == reason


@pytest.mark.parametrize(
    "kind, reason",
    [
        # OCR is installed with the test extras: a scan of bars and no letters has nothing to read
        ("scanned-pdf", "scanned PDF: OCR found no text on any page"),
        ("truncated-pdf", "corrupt or truncated PDF: the file ends without %%EOF, so it was cut short"),
        ("truncated-docx", "corrupt or truncated DOCX: File is not a zip file"),
    ],
)
def test_broken_variant_of_a_seed_is_refused(
    seed: Path, make_variant: MakeVariant, kind: str, reason: str
) -> None:
    assert refused(make_variant(seed, kind)) == reason


def test_pdf_cut_short_but_ending_in_eof_is_still_refused(
    seed: Path, make_variant: MakeVariant, tmp_path: Path
) -> None:
    # Cut in the middle, then given back a tail: the xref and page tree are gone, pypdf cannot rebuild pages.
    data = make_variant(seed, "pdf").read_bytes()
    path = tmp_path / "spliced.pdf"
    path.write_bytes(data[:2000] + b"\n%%EOF\n")
    assert refused(path).startswith("corrupt or truncated PDF: ")


def test_file_over_the_limit_is_refused_without_reading_it(big_sparse_file: Path) -> None:
    assert refused(big_sparse_file) == "file is 50.0 MB; the limit for one report is 20 MB"


def test_limit_is_configurable(seed: Path) -> None:
    size = seed.stat().st_size
    assert refused(seed, max_bytes=4096) == f"file is {size / 1024:.1f} KB; the limit for one report is 4 KB"
    assert read_source(seed, max_bytes=size).text  # exactly at the limit is fine


def test_directory_named_like_a_report(tmp_path: Path) -> None:
    (tmp_path / "通报.txt").mkdir()
    assert refused(tmp_path / "通报.txt") == "is a directory, not a file"


def test_missing_file_and_dangling_link(tmp_path: Path) -> None:
    assert refused(tmp_path / "absent.txt") == "no such file"
    (tmp_path / "link.txt").symlink_to(tmp_path / "gone.txt")
    assert refused(tmp_path / "link.txt") == "broken symbolic link"


def test_fifo_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert refused(fifo) == "not a regular file"  # and read_source did not block reading it


def test_unsupported_suffix(tmp_path: Path) -> None:
    (tmp_path / "台账.xlsx").write_bytes(b"PK\x03\x04")
    assert refused(tmp_path / "台账.xlsx") == "unsupported file type .xlsx (spreadsheet, not a report)"
    (tmp_path / "通报.wps").write_bytes(b"x")
    assert refused(tmp_path / "通报.wps") == "unsupported file type .wps (WPS format; save it as .docx)"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(SEED_TEXT, encoding="utf-8")
    path.chmod(0)
    try:
        assert refused(path) == "permission denied"
    finally:
        path.chmod(0o600)
