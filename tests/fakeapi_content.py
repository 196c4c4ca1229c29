"""What the real Messages API checks in content blocks, for the fake API (tests/fakeapi.py): a
tool_result's content may be a string or a list of text, image, document, search_result blocks;
an image is base64 of a PNG/JPEG/GIF/WebP matching its media_type, at most 5 MB encoded; a
document is base64 of a PDF (`%PDF-`). A request breaking these gets a 400, as it would there."""

from __future__ import annotations

import base64
import binascii
from typing import Any

MAX_IMAGE_B64 = 5 * 1024 * 1024
IMAGE_TYPES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}
RESULT_BLOCKS = {"text", "image", "document", "search_result", "tool_reference"}


def _base64(source: Any, where: str) -> tuple[bytes | None, str | None]:
    if not isinstance(source, dict) or source.get("type") != "base64":
        return None, None  # url / file sources are not checked here
    data = source.get("data")
    if not isinstance(data, str):
        return None, f"{where}.source.data: Field required"
    try:
        return base64.b64decode(data, validate=True), None
    except (binascii.Error, ValueError):
        return None, f"{where}.source.data: invalid base64 data"


def block_problem(block: Any, where: str) -> str | None:
    if not isinstance(block, dict):
        return f"{where}: Input should be a valid dictionary"
    kind = block.get("type")
    source = block.get("source")
    if kind == "text" and not isinstance(block.get("text"), str):
        return f"{where}.text: Field required"
    if kind == "image":
        media = source.get("media_type") if isinstance(source, dict) else None
        if media not in IMAGE_TYPES:
            return (
                f"{where}.source.base64.media_type: Input should be 'image/jpeg', 'image/png', "
                "'image/gif' or 'image/webp'"
            )
        data, problem = _base64(source, where)
        if problem:
            return problem
        if data is not None:
            size = len(source["data"])
            if size > MAX_IMAGE_B64:
                return f"{where}: image exceeds 5 MB maximum: {size} bytes > {MAX_IMAGE_B64} bytes"
            if not data.startswith(IMAGE_TYPES[media]):
                return f"{where}: Image does not match the provided media type {media}"
    if kind == "document":
        data, problem = _base64(source, where)
        if problem:
            return problem
        if isinstance(source, dict) and source.get("type") == "base64":
            if source.get("media_type") != "application/pdf":
                return f"{where}.source.base64.media_type: Input should be 'application/pdf'"
            if data is not None and not data.startswith(b"%PDF-"):
                return f"{where}: The PDF specified was not valid."
    return None


def content_problem(messages: Any) -> str | None:
    """The first content block the real API would refuse, as its error message."""
    if not isinstance(messages, list):
        return None
    for i, message in enumerate(messages):
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(content, list):
            continue
        for j, block in enumerate(content):
            where = f"messages.{i}.content.{j}"
            problem = block_problem(block, where)
            if problem:
                return problem
            if not isinstance(block, dict) or block.get("type") != "tool_result":
                continue
            inner = block.get("content")
            if inner is None or isinstance(inner, str):
                continue
            if not isinstance(inner, list):
                return f"{where}.tool_result.content: Input should be a valid list"
            for k, part in enumerate(inner):
                kind = part.get("type") if isinstance(part, dict) else None
                if kind not in RESULT_BLOCKS:
                    return (
                        f"{where}.tool_result.content.{k}: Input tag {kind!r} does not match "
                        f"any of the expected tags: {', '.join(sorted(RESULT_BLOCKS))}"
                    )
                problem = block_problem(part, f"{where}.content.{k}")
                if problem:
                    return problem
    return None
