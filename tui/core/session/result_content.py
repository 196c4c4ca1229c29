"""Tool results that are content blocks (Read of an image or PDF): what is shown and stored.

The blocks go to the API as the tool_result's content and into the `messages` table (resume
sends them again). Everything else sees a one-line summary per image or document: the
ToolResult event (session view, headless output, export, `tool_calls.output`) carries
`summary()`, and the `user_message` event stores the message `slim()`, so base64 data is
stored once and never printed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .tools.base import ToolOutput
from .tools.media import human


def _decoded_size(source: dict[str, Any]) -> int:
    if "omitted_bytes" in source:
        return int(source.get("omitted_bytes") or 0)
    data = source.get("data")
    return len(data) // 4 * 3 if isinstance(data, str) else 0


def describe(block: dict[str, Any]) -> str:
    """`[image: image/png, 120 KB]`, `[document: application/pdf, 2.1 MB]`; "" for text."""
    kind = block.get("type")
    if kind == "text":
        return ""
    source = block.get("source")
    if not isinstance(source, dict):
        return f"[{kind}]"
    media = source.get("media_type") or source.get("type") or "?"
    return f"[{kind}: {media}, {human(_decoded_size(source))}]"


def summary(content: ToolOutput) -> str:
    """The text a person sees for a tool result: text blocks as they are, others described."""
    if isinstance(content, str):
        return content
    parts = [
        str(b.get("text", "")) if b.get("type") == "text" else describe(b)
        for b in content
        if isinstance(b, dict)
    ]
    return "\n".join(p for p in parts if p)


def valid_text(text: str) -> str:
    """`text` as valid UTF-8: a file name that is not UTF-8 reaches Python as lone surrogates
    (`bad\\udcff.txt`), which neither SQLite nor the API takes (the session ended); each
    becomes U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    return text


def redact(content: ToolOutput, redact_text: Callable[[str], str]) -> ToolOutput:
    """Secrets out of every text the result holds (base64 data is left as it is); the text
    made valid UTF-8 first."""
    if isinstance(content, str):
        return redact_text(valid_text(content))
    return [
        {**b, "text": redact_text(valid_text(str(b.get("text", ""))))}
        if b.get("type") == "text"
        else b
        for b in content
    ]


def _slim_block(block: Any) -> Any:
    if not isinstance(block, dict):
        return block
    source = block.get("source")
    if isinstance(source, dict) and source.get("type") == "base64" and "data" in source:
        kept = {k: v for k, v in source.items() if k != "data"}
        return {**block, "source": {**kept, "omitted_bytes": _decoded_size(source)}}
    content = block.get("content")
    if block.get("type") == "tool_result" and isinstance(content, list):
        return {**block, "content": [_slim_block(b) for b in content]}
    return block


def slim(content: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`content` with base64 data left out (its size kept), for the events table."""
    return [_slim_block(b) for b in content]
