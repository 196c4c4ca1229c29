"""Images and PDFs for Read: the kind decided by the file's first bytes (not its name), checked
against what the Messages API accepts, returned as tool_result content blocks.

A block the API refuses would stay in the conversation and make every later request fail, so
anything it would refuse is refused here with a clear message instead: an image over 5 MB once
base64-encoded or over 8000 px a side, a truncated PNG/GIF/WebP, a JPEG without a frame header,
a PDF over MAX_PDF_BYTES or 100 pages, or one cut short (no `%%EOF`).
"""

from __future__ import annotations

import base64
import re
import struct
import zlib
from dataclasses import dataclass
from typing import Any

from .base import ToolError

MAX_IMAGE_B64 = 5 * 1024 * 1024  # the API's limit for one image, base64-encoded
MAX_IMAGE_BYTES = MAX_IMAGE_B64 // 4 * 3  # 3.75 MB of file
MAX_IMAGE_SIDE = 8000
MAX_PDF_BYTES = 18 * 1024 * 1024  # 24 MB base64: one request (32 MB) still holds the rest
MAX_PDF_PAGES = 100
IMAGE_SUFFIXES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WebP"}
_MEDIA = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WebP": "image/webp"}
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_ENCRYPT = re.compile(rb"/Encrypt\s*\d+\s+\d+\s+R")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm[^>]*>>\s*stream\r?\n", re.DOTALL)
MAX_INFLATED = 64 * 1024 * 1024  # of compressed object streams inflated to count pages


def sniff(head: bytes) -> str | None:
    """`PNG`, `JPEG`, `GIF`, `WebP` or `PDF` from the first bytes; None for anything else."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head.lstrip(b"\xef\xbb\xbf\r\n\t ")[:5] == b"%PDF-":
        return "PDF"
    return None


def image_media_type(head: bytes) -> str | None:
    """`image/png` etc. for an image the API takes (judged by its bytes); None otherwise."""
    return _MEDIA.get(sniff(head) or "")


def human(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def check_size(kind: str | None, size: int, label: str) -> None:
    """Refuse a file too big for the API before reading it (called with its size)."""
    if kind == "PDF" and size > MAX_PDF_BYTES:
        raise ToolError(
            f"{label} is a {human(size)} PDF; Read sends PDFs up to {human(MAX_PDF_BYTES)} "
            "(the API takes 32 MB a request, and base64 adds a third). Split it (e.g. `qpdf "
            "--split-pages`) or extract its text (e.g. `pdftotext`) and read that."
        )
    if kind in _MEDIA and size > MAX_IMAGE_BYTES:
        raise ToolError(
            f"{label} is a {human(size)} {kind} image; the API accepts images up to 5 MB "
            f"base64-encoded ({human(MAX_IMAGE_BYTES)} of file). Make a smaller copy (e.g. "
            "`convert in.png -resize 50% out.png`) and read that."
        )


@dataclass(frozen=True, slots=True)
class Media:
    blocks: list[dict[str, Any]]
    b64_size: int


def image_content(kind: str, data: bytes, label: str) -> Media:
    check_size(kind, len(data), label)
    width, height = _dimensions(kind, data, label)
    if not width or not height:  # the API refuses it, and it would stay in every request
        raise ToolError(
            f"{label} claims to be a {width}×{height} px {kind} image: it is corrupt or "
            "empty; it was not sent."
        )
    if max(width, height) > MAX_IMAGE_SIDE:
        raise ToolError(
            f"{label} is {width}×{height} px; the API refuses images over {MAX_IMAGE_SIDE} px "
            "a side. Make a smaller copy and read that."
        )
    encoded = base64.b64encode(data).decode("ascii")
    note = f"{label}: {kind} image, {width}×{height}, {human(len(data))}."
    source = {"type": "base64", "media_type": _MEDIA[kind], "data": encoded}
    return Media(
        [{"type": "text", "text": note}, {"type": "image", "source": source}], len(encoded)
    )


def pdf_content(data: bytes, label: str) -> Media:
    check_size("PDF", len(data), label)
    if b"%%EOF" not in data[-2048:]:
        raise ToolError(
            f"{label} starts like a PDF but ends without `%%EOF`: it is truncated or still "
            "being written. Read it again once it is complete."
        )
    if _ENCRYPT.search(data):
        raise ToolError(
            f"{label} is an encrypted (password-protected) PDF, which the API cannot read. "
            "Save a decrypted copy (e.g. `qpdf --decrypt in.pdf out.pdf`) and read that."
        )
    pages = count_pages(data)
    if pages > MAX_PDF_PAGES:
        raise ToolError(
            f"{label} has {pages} pages; the API reads PDFs of up to {MAX_PDF_PAGES} pages. "
            "Split it (e.g. `qpdf --split-pages=50`) and read the parts."
        )
    encoded = base64.b64encode(data).decode("ascii")
    counted = f", {pages} page{'s' if pages != 1 else ''}" if pages else ""
    note = f"{label}: PDF document, {human(len(data))}{counted}."
    source = {"type": "base64", "media_type": "application/pdf", "data": encoded}
    block = {"type": "document", "source": source}
    return Media([{"type": "text", "text": note}, block], len(encoded))


def count_pages(data: bytes) -> int:
    """Page objects, in the file and in its compressed object streams (PDF 1.5+ keeps them
    there), or the page tree's /Count if larger; 0 when neither is found (the API decides)."""
    pages = len(_PAGE.findall(data))
    budget = MAX_INFLATED
    for match in _OBJSTM.finditer(data):
        end = data.find(b"endstream", match.end())
        if end < 0 or budget <= 0:
            break
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(data[match.end() : end], budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        pages += len(_PAGE.findall(inflated))
    return max(pages, _tree_count(data))


_PAGES = re.compile(rb"/Type\s*/Pages(?![A-Za-z])")
_COUNT = re.compile(rb"/Count\s+(\d{1,9})")


def _tree_count(data: bytes) -> int:
    """The largest /Count of a page tree node (`/Type /Pages`) stored as a plain object: what
    the file says its page count is. A PDF whose page objects hide where count_pages cannot see
    them still says how many pages it has there (the API counts them, and refuses over 100)."""
    most = 0
    for number, match in enumerate(_PAGES.finditer(data)):
        if number >= 1000:
            break
        start = data.rfind(b"obj", max(0, match.start() - 2048), match.start())
        end = data.find(b"endobj", match.end(), match.end() + 2048)
        if start < 0 or end < 0:
            continue
        counts = _COUNT.findall(data, start, end)
        if counts:
            most = max(most, int(counts[0]))
    return most


def _truncated(kind: str, label: str) -> ToolError:
    return ToolError(
        f"{label} starts like a {kind} image but is truncated or corrupt; it was not sent. "
        "Check the file (it may still be being written) and read it again."
    )


def _dimensions(kind: str, data: bytes, label: str) -> tuple[int, int]:
    """Width and height from the header; ToolError for a truncated or corrupt image."""
    try:
        if kind == "PNG":
            if data[12:16] != b"IHDR" or b"IEND\xaeB`\x82" not in data[-4096:]:
                raise _truncated(kind, label)
            width, height = struct.unpack(">II", data[16:24])
            return width, height
        if kind == "GIF":
            if not data.rstrip(b"\x00").endswith(b";"):
                raise _truncated(kind, label)
            width, height = struct.unpack("<HH", data[6:10])
            return width, height
        if kind == "WebP":
            return _webp(data, label)
        return _jpeg(data, label)
    except struct.error:
        raise _truncated(kind, label) from None


def _webp(data: bytes, label: str) -> tuple[int, int]:
    (riff_size,) = struct.unpack("<I", data[4:8])
    if riff_size + 8 > len(data):
        raise _truncated("WebP", label)
    chunk = data[12:16]
    if chunk == b"VP8X":
        w = int.from_bytes(data[24:27], "little") + 1
        h = int.from_bytes(data[27:30], "little") + 1
        return w, h
    if chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 ":
        w, h = struct.unpack("<HH", data[26:30])
        return w & 0x3FFF, h & 0x3FFF
    raise _truncated("WebP", label)


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg(data: bytes, label: str) -> tuple[int, int]:
    """Walk the JPEG segments up to the frame header (SOFn), which holds the size."""
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            break
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if marker in _SOF:
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            if not width or not height:
                break
            return width, height
        if marker in (0xD9, 0xDA):  # end of image, or scan data before any frame header
            break
        i += 2 + length
    raise _truncated("JPEG", label)
