"""Turn the API's stream events into our events while assembling the assistant message.

Works on the raw events as the wire's JSON objects (`sse.event_batches`), so the content
blocks are ours to build: a tool input whose JSON does not parse becomes `input_error` on that
block instead of an exception that would end the stream, and a missing or mistyped field is
read as absent. Thinking blocks keep their signatures so they can be sent back unchanged.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

from .events import (
    Event,
    TextDelta,
    ThinkingDelta,
    ToolInputComplete,
    ToolResult,
    ToolUseStarted,
)


@dataclass
class BlockState:
    type: str
    parts: list[str] = field(default_factory=list)
    signature: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    done: bool = False
    input_error: str | None = None
    input: dict[str, Any] = field(default_factory=dict)


@dataclass
class UsageCounts:
    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0


class MessageAssembler:
    """Feed raw events with `feed`; read `content`, `stop_reason`, `usage` at the end."""

    def __init__(self) -> None:
        self.blocks: dict[int, BlockState] = {}
        self.stop_reason: str | None = None
        self.stopped = False  # message_stop seen
        self.model: str | None = None
        self.usage = UsageCounts()

    def feed(self, raw: dict[str, Any]) -> list[Event]:
        """One event, the wire's JSON object (`sse.event_batches`)."""
        kind = raw.get("type")
        if kind == "content_block_delta":
            return self._delta(raw.get("index"), raw.get("delta"))
        if kind == "content_block_start":
            return self._start(raw.get("index"), raw.get("content_block"))
        if kind == "content_block_stop":
            return self._stop(raw.get("index"))
        if kind == "message_start":
            message = _obj(raw.get("message"))
            model = message.get("model")
            self.model = model if isinstance(model, str) else None
            self._usage(message.get("usage"))
        elif kind == "message_delta":
            reason = _obj(raw.get("delta")).get("stop_reason")
            self.stop_reason = reason if isinstance(reason, str) else None
            self._usage(raw.get("usage"))
        elif kind == "message_stop":
            self.stopped = True
        return []

    def _usage(self, usage: Any) -> None:
        if not isinstance(usage, dict):
            return
        for name in (
            "input_tokens",
            "output_tokens",
            "cache_creation_input_tokens",
            "cache_read_input_tokens",
        ):
            value = usage.get(name)
            if isinstance(value, int):
                setattr(self.usage, name, value)

    def _start(self, index: Any, block: Any) -> list[Event]:
        block = _obj(block)
        kind = str(block.get("type", ""))
        if kind == "tool_use":
            tool_id, name = str(block.get("id", "")), str(block.get("name", ""))
            self.blocks[index] = BlockState("tool_use", data={"id": tool_id, "name": name})
            return [ToolUseStarted(tool_id, name)]
        if kind in ("text", "thinking"):
            initial = block.get(kind)
            self.blocks[index] = BlockState(kind, parts=[initial] if initial else [])
            signature = block.get("signature")
            if kind == "thinking" and signature:
                self.blocks[index].signature = str(signature)
        else:  # redacted_thinking and anything else: sent back as received
            self.blocks[index] = BlockState(kind, data=block)
            if kind == "server_tool_use":  # WebSearch/WebFetch, run by the API: shown
                return [ToolUseStarted(str(block.get("id", "")), str(block.get("name", "")))]
            if kind.endswith("_tool_result"):
                output, failed = server_result(block)
                return [ToolResult(str(block.get("tool_use_id", "")), kind, output, failed)]
        return []

    def _delta(self, index: Any, delta: Any) -> list[Event]:
        block = self.blocks.get(index)
        if block is None or not isinstance(delta, dict):
            return []
        kind = delta.get("type")
        if kind == "text_delta":
            text = delta.get("text")
            if isinstance(text, str):
                block.parts.append(text)
                return [TextDelta(text)]
        elif kind == "thinking_delta":
            thought = delta.get("thinking")
            if isinstance(thought, str):
                block.parts.append(thought)
                return [ThinkingDelta(thought)]
        elif kind == "input_json_delta":
            part = delta.get("partial_json")
            if isinstance(part, str):
                block.parts.append(part)
        elif kind == "signature_delta":
            block.signature = str(delta.get("signature", ""))
        return []

    def _stop(self, index: Any) -> list[Event]:
        block = self.blocks.get(index)
        if block is None:
            return []
        block.done = True
        if block.type == "server_tool_use":
            raw = "".join(block.parts)
            with contextlib.suppress(ValueError):
                if raw.strip():
                    block.data["input"] = json.loads(raw)
            data = block.data
            given = data.get("input")
            args: dict[str, Any] = given if isinstance(given, dict) else {}
            return [ToolInputComplete(str(data.get("id")), str(data.get("name")), args)]
        if block.type != "tool_use":
            return []
        raw = "".join(block.parts)
        try:
            value = json.loads(raw) if raw.strip() else {}
            if not isinstance(value, dict):
                raise ValueError("the input is not a JSON object")
            if not _unicode(value):  # `"\udcff"`: no request or history could carry it
                raise ValueError("a string holds a lone surrogate escape, not valid Unicode")
            block.input = value
        except ValueError as exc:
            block.input_error = f"{exc}; received: {raw[:500]}"
        return [
            ToolInputComplete(block.data["id"], block.data["name"], block.input, block.input_error)
        ]

    def server_tool_ran(self) -> bool:
        """A server-side tool (web search/fetch) ran in this response: resending the request
        would run it again."""
        return any(
            b.type.startswith("server_tool") or b.type.endswith("_tool_result")
            for b in self.blocks.values()
        )

    def drop_cut_tool(self) -> BlockState | None:
        """After stop_reason max_tokens: the last block, when it is a tool call, was cut while
        the model wrote it. It is removed (never run, never sent back) and returned."""
        if self.stop_reason != "max_tokens" or not self.blocks:
            return None
        last = max(self.blocks)
        if self.blocks[last].type != "tool_use":
            return None
        return self.blocks.pop(last)

    def drop_refused_tools(self) -> list[BlockState]:
        """After stop_reason refusal: the refused response's tool calls are never run nor
        sent back; they are removed and returned."""
        if self.stop_reason != "refusal":
            return []
        calls = [i for i, b in self.blocks.items() if b.type == "tool_use"]
        return [self.blocks.pop(i) for i in calls]

    def tool_uses(self) -> list[BlockState]:
        return [b for _, b in sorted(self.blocks.items()) if b.type == "tool_use" and b.done]

    def text(self) -> str:
        return "".join("".join(b.parts) for _, b in sorted(self.blocks.items()) if b.type == "text")

    def content(self, *, complete_only: bool = False) -> list[dict[str, Any]]:
        """The message content to send back. `complete_only` keeps what is safe to resend
        after an interrupted response: finished text blocks only."""
        out: list[dict[str, Any]] = []
        for _, block in sorted(self.blocks.items()):
            if complete_only and (block.type != "text" or not block.done):
                continue
            if block.type == "text":
                text = "".join(block.parts)
                if text.strip():  # the API refuses a whitespace-only text block sent back
                    out.append({"type": "text", "text": text})
            elif block.type == "thinking":
                out.append(
                    {
                        "type": "thinking",
                        "thinking": "".join(block.parts),
                        "signature": block.signature,
                    }
                )
            elif block.type == "tool_use":
                out.append(
                    {
                        "type": "tool_use",
                        "id": block.data["id"],
                        "name": block.data["name"],
                        "input": block.input,
                    }
                )
            else:
                out.append(block.data)
        return out


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def server_result(data: dict[str, Any]) -> tuple[str, bool]:
    """A server tool's result block as text: its sources (title + URL), or its error."""
    content = data.get("content")
    if isinstance(content, dict):
        if "error_code" in content:
            return f"The API's {data.get('type')} failed: {content['error_code']}", True
        url = content.get("url", "")
        return f"Fetched {url}" if url else json.dumps(content)[:500], False
    if isinstance(content, list):
        lines = [
            f"{item.get('title', '')} — {item.get('url', '')}"
            for item in content
            if isinstance(item, dict)
        ]
        return "\n".join(lines) or "No results.", False
    return "", False


def _unicode(value: dict[str, Any]) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
