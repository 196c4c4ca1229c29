"""Bytes -> text the way a careful reader would, noting what Claude Code would choke on.

Claude Code reads files as UTF-8 (a UTF-8 BOM is tolerated), splits lines on LF (CRLF works),
and does not recognise frontmatter in UTF-16 files or CR-only files. Roster decodes all of them
so it can show the file, and records the facts so validation can give the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_LE_BOM = b"\xff\xfe"
UTF16_BE_BOM = b"\xfe\xff"


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str  # normalised to LF line endings, BOM removed
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "latin-1"
    newline: str  # "\n", "\r\n", "\r" (the file's dominant line ending)
    bad_utf8_offset: int | None  # byte offset of the first invalid UTF-8 byte (latin-1 fallback)
    binary: bool  # NUL bytes in a non-UTF-16 file


def _newline_of(text: str) -> str:
    if "\r" not in text:
        return "\n"
    crlf = text.count("\r\n")
    lone_cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    if lone_cr > crlf and lone_cr > lf:
        return "\r"
    return "\r\n" if crlf >= lf else "\n"


def _normalise(text: str) -> str:
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_bytes(data: bytes) -> Decoded:
    """Decode never raises: every byte string becomes text plus facts about it."""
    encoding = "utf-8"
    bad: int | None = None
    if data.startswith(UTF8_BOM):
        raw = data[len(UTF8_BOM) :]
        encoding = "utf-8-sig"
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = exc.start + len(UTF8_BOM)
            text = raw.decode("latin-1")
            encoding = "latin-1"
    elif data.startswith(UTF16_LE_BOM) or data.startswith(UTF16_BE_BOM):
        encoding = "utf-16"
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = exc.start
            text = data.decode("latin-1")
            encoding = "latin-1"
    binary = encoding != "utf-16" and "\x00" in text
    newline = _newline_of(text)
    return Decoded(
        text=_normalise(text),
        encoding=encoding,
        newline=newline,
        bad_utf8_offset=bad,
        binary=binary,
    )


def line_col_of_offset(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of a byte offset (for pointing at a bad byte)."""
    head = data[:offset]
    line = head.count(b"\n") + 1
    col = offset - (head.rfind(b"\n") + 1) + 1
    return line, col
