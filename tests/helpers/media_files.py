"""Real image, PDF and notebook files for the Read tests, built byte by byte (no Pillow):
a PNG that any decoder opens, JPEG/GIF/WebP headers with their sizes, a PDF with N pages and
a correct xref table, a Jupyter notebook with outputs."""

from __future__ import annotations

import base64
import json
import struct
import zlib
from typing import Any


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png(width: int = 8, height: int = 6, *, noise: bool = False) -> bytes:
    """An RGB PNG; `noise` makes it incompressible (large files)."""
    import random

    rng = random.Random(1)

    def row(y: int) -> bytes:
        if noise:
            return bytes(rng.getrandbits(8) for _ in range(width * 3))
        return b"".join(bytes((x * 20 % 256, y * 30 % 256, 128)) for x in range(width))

    rows = b"".join(b"\x00" + row(y) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, 1))
        + _chunk(b"IEND", b"")
    )


def jpeg(width: int = 640, height: int = 480) -> bytes:
    """SOI, a JFIF APP0 segment, a baseline frame header (SOF0) with the size, EOI."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def gif(width: int = 1, height: int = 1) -> bytes:
    return (
        b"GIF89a"
        + struct.pack("<HH", width, height)
        + b"\x80\x00\x00\x00\x00\x00\xff\xff\xff"
        + b"\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b"
    )


def webp(width: int = 300, height: int = 200) -> bytes:
    """A lossless (VP8L) WebP header with the size."""
    bits = (width - 1) | ((height - 1) << 14)
    payload = b"\x2f" + struct.pack("<I", bits) + b"\x00" * 8
    chunk = b"VP8L" + struct.pack("<I", len(payload)) + payload
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def pdf(pages: int = 1) -> bytes:
    """A valid PDF of `pages` pages, each saying its number."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for n in range(pages):
        stream = f"BT /F1 24 Tf 72 720 Td (Page {n + 1} of the test PDF) Tj ET".encode()
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        content_id = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % content_id
        )
        kids.append(f"{len(objects)} 0 R".encode())
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def notebook() -> dict[str, Any]:
    plot = base64.b64encode(png(4, 4)).decode()
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
        "cells": [
            {"cell_type": "markdown", "id": "intro", "metadata": {}, "source": ["# Sales\n"]},
            {
                "cell_type": "code",
                "id": "load",
                "execution_count": 3,
                "metadata": {},
                "source": ["total = 40 + 2\n", "print(total)"],
                "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": ["42\n"]},
                    {
                        "output_type": "display_data",
                        "metadata": {},
                        "data": {"image/png": plot, "text/plain": ["<Figure 4x4>"]},
                    },
                ],
            },
            {
                "cell_type": "code",
                "id": "boom",
                "execution_count": 4,
                "metadata": {},
                "source": "1 / 0",
                "outputs": [
                    {
                        "output_type": "error",
                        "ename": "ZeroDivisionError",
                        "evalue": "division by zero",
                        "traceback": ["\x1b[0;31mZeroDivisionError\x1b[0m: division by zero"],
                    }
                ],
            },
        ],
    }


def notebook_bytes() -> bytes:
    return json.dumps(notebook(), indent=1).encode()


def pdf_object_streams(pages: int) -> bytes:
    """A PDF 1.5 layout whose page objects sit in a compressed object stream (as most PDFs
    written today keep them), so `/Type /Page` appears nowhere in the file's plain bytes.
    (It has no xref stream: enough for page counting; readers rebuild the table.)"""
    first_page = 3
    kids = " ".join(f"{first_page + n} 0 R" for n in range(pages)).encode()
    bodies = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>" for _ in range(pages)]
    header, offset = [], 0
    for n, body in enumerate(bodies):
        header.append(b"%d %d" % (first_page + n, offset))
        offset += len(body) + 1
    head = b" ".join(header) + b"\n"
    packed = zlib.compress(head + b"\n".join(bodies) + b"\n")
    stream_id = first_page + pages
    out = bytearray(b"%PDF-1.5\n")
    out += b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    out += b"2 0 obj\n<< /Type /Pages /Kids [%s] /Count %d >>\nendobj\n" % (kids, pages)
    out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n" % (
        stream_id,
        pages,
        len(head),
        len(packed),
    )
    out += b"stream\n" + packed + b"\nendstream\nendobj\n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n%%%%EOF\n" % (stream_id + 1)
    return bytes(out)


def pdf_encrypted() -> bytes:
    """A PDF whose trailer names an encryption dictionary (a password-protected file)."""
    plain = pdf(1)
    cut = plain.rindex(b"trailer")
    tail = plain[cut:].replace(b"/Root 1 0 R", b"/Root 1 0 R /Encrypt 9 0 R")
    return plain[:cut] + tail
