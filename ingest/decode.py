"""Decode the bytes of a plain-text report: UTF-8 (with or without BOM), GB18030/GBK/GB2312 or UTF-16.

Order: known binary magic, byte-order marks, strict UTF-8, then charset-normalizer restricted to what
Chinese reports actually use. The result always names the codec that produced the text; nothing is decoded
with `errors="replace"`, so a wrong guess fails loudly instead of yielding mojibake.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

import charset_normalizer

# GBK and GB2312 are subsets of GB18030, so one codec reads all three without loss.
_GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030", "cp936"})
_UTF16 = frozenset({"utf_16", "utf_16_le", "utf_16_be"})

UNDECODABLE = "cannot decode: not UTF-8, GB18030 or UTF-16 text"

# (prefix, offset, what it looks like): a report saved under the wrong name is the usual cause.
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "PNG image"),
    (b"\xff\xd8\xff", 0, "JPEG image"),
    (b"GIF87a", 0, "GIF image"),
    (b"GIF89a", 0, "GIF image"),
    (b"II*\x00", 0, "TIFF image"),
    (b"MM\x00*", 0, "TIFF image"),
    (b"%PDF-", 0, "PDF document; rename it to .pdf"),
    (b"PK\x03\x04", 0, "ZIP archive or DOCX/XLSX file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "old Office document (.doc/.xls/.wps)"),
    (b"{\\rtf", 0, "RTF document"),
    (b"\x1f\x8b", 0, "gzip archive"),
    (b"BZh", 0, "bzip2 archive"),
    (b"\xfd7zXZ\x00", 0, "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7z archive"),
    (b"Rar!\x1a\x07", 0, "RAR archive"),
    (b"\x7fELF", 0, "ELF executable"),
    (b"MZ", 0, "Windows executable"),
    (b"SQLite format 3\x00", 0, "SQLite database"),
    (b"RIFF", 0, "RIFF media file (WAV/AVI/WebP)"),
    (b"ftyp", 4, "MP4/MOV video"),
    (b"ID3", 0, "MP3 audio"),
)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    # A Python codec that turns the file into exactly `text` (before newline folding): utf-8, utf-8-sig,
    # gb18030, utf-16 (with a BOM, which says the byte order), utf-16-le / utf-16-be (no BOM).
    encoding: str


class DecodeError(Exception):
    """Raised with the reason only; the reader adds the path when it turns this into an `InputError`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sniff_binary(data: bytes) -> str | None:
    """What a binary file looks like ("PNG image"), or None when it starts like no known binary format."""
    for magic, offset, kind in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return kind
    return None


def decode_text(data: bytes) -> Decoded:
    """Decode report bytes; raises `DecodeError` for binary data and for text in any other encoding."""
    kind = sniff_binary(data)
    if kind is not None:
        raise DecodeError(f"binary file, not text (looks like {kind})")
    by_bom = _decode_by_bom(data)
    if by_bom is not None:
        return by_bom
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            raise DecodeError("cannot decode: UTF-8 text cut off mid-character (truncated file?)") from exc
        utf8_error = exc
    return _detect(data, utf8_error)


def _decode_by_bom(data: bytes) -> Decoded | None:
    # UTF-32 BOMs start with the UTF-16-LE one; they are not supported, so they fail the UTF-16 check below.
    boms = (
        (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
    )
    for bom, name, codec in boms:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    f"{UNDECODABLE} (starts with a {codec} byte-order mark but byte {exc.start + len(bom)} "
                    f"is invalid: {exc.reason})"
                ) from exc
            if not _plausible(text):
                raise DecodeError(f"{UNDECODABLE} (starts with a {codec} byte-order mark but is not text)")
            return Decoded(text, name)
    return None


def _detect(data: bytes, utf8_error: UnicodeDecodeError) -> Decoded:
    if _mostly_utf8(data):
        raise DecodeError(f"{UNDECODABLE} (mostly UTF-8, but byte {utf8_error.start} is invalid)")
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        if b"\x00" in data:
            raise DecodeError("binary file, not text (contains NUL bytes)")
        raise DecodeError(UNDECODABLE)
    best = matches[0]
    # Short texts are ambiguous (a few GBK hanzi also decode as Korean cp949 with the same score); on a tie
    # the Chinese reading wins, because these files are Chinese reports. Otherwise the best reading decides.
    tied = [m for m in matches if m.chaos <= best.chaos + 0.005 and m.coherence >= best.coherence - 0.005]
    codec = _supported_codec(tied)
    if codec is None:
        if b"\x00" in data:
            raise DecodeError("binary file, not text (contains NUL bytes)")
        raise DecodeError(f"{UNDECODABLE} (closest guess: {best.encoding})")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"{UNDECODABLE} (looks like {codec}, but byte {exc.start} is invalid)") from exc
    if not _plausible(text):
        if b"\x00" in data:
            raise DecodeError("binary file, not text (contains NUL bytes)")
        raise DecodeError(f"{UNDECODABLE} (decodes as {codec}, but not to readable text)")
    return Decoded(text, codec)


def _supported_codec(matches: list[charset_normalizer.CharsetMatch]) -> str | None:
    for match in matches:
        names = {match.encoding, *match.could_be_from_charset}
        if names & _GB_FAMILY:
            return "gb18030"
    for match in matches:
        names = {match.encoding, *match.could_be_from_charset}
        if names & _UTF16:
            return "utf-16-be" if "utf_16_be" in names else "utf-16-le"
    return None


def _mostly_utf8(data: bytes) -> bool:
    """Valid UTF-8 but for a few damaged bytes: say so rather than 'not UTF-8'."""
    text = data.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - damaged
    return multibyte >= 20 and damaged * 100 <= multibyte


def _plausible(text: str) -> bool:
    """Reject decodes that produce control, private-use or unassigned characters (a wrong codec does)."""
    if not text:
        return True
    bad = 0
    for ch in text:
        if ch in "\t\n\r\f\v":
            continue
        if ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs"):
            bad += 1
    return bad <= len(text) // 200  # 0.5%: a stray control character is tolerated, a wrong codec is not
