"""A second, independent loopback stand-in for the Messages API, stricter than tests/fakeapi.py.

It checks every request the way the real API does where a session log can go wrong, and
answers 400 invalid_request_error (recorded in `rejected`) without consuming the script:
- roles alternate, the first message is the user's, no message has empty content, no text
  block is empty;
- every assistant `tool_use` is answered by a `tool_result` at the start of the next user
  message, no stray or duplicate `tool_result`, tool_use ids unique in the conversation;
- thinking blocks come back exactly as sent (the signature covers the text);
- a final assistant message (prefill) does not end with whitespace.

Each POST takes the next scripted step: a list of raw SSE lines/bytes (`events(...)`) with an
optional fault, or `status(code, headers)`. Builders make typical responses.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def _text_block() -> dict[str, Any]:
    return {"type": "text", "text": "?"}


def signature(thinking: str) -> str:
    return "strict-" + hashlib.sha256(thinking.encode()).hexdigest()[:24]


def _sse(name: str, data: dict[str, Any] | str) -> bytes:
    body = data if isinstance(data, str) else json.dumps(data)
    return f"event: {name}\ndata: {body}\n\n".encode()


@dataclass
class Step:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    chunks: list[bytes] = field(default_factory=list)
    fault: str | None = None  # "cut" (close socket), "stall" (hold until release), "end"
    fault_at: int = 0  # index into chunks where the fault happens
    body: dict[str, Any] | None = None


def status(code: int, headers: dict[str, str] | None = None) -> Step:
    kind = {429: "rate_limit_error", 529: "overloaded_error"}.get(code, "api_error")
    body = {"type": "error", "error": {"type": kind, "message": f"strict {code}"}}
    return Step(status=code, headers=headers or {}, body=body)


def message(
    blocks: list[dict[str, Any]],
    stop_reason: str | None = None,
    *,
    chunk: int = 12,
    fault: str | None = None,
    fault_at: int | None = None,
    error_at: int | None = None,
) -> Step:
    """blocks: {"type": "text", "text"} / {"type": "thinking", "thinking"} /
    {"type": "tool_use", "id", "name", "input" | "raw"}."""
    if stop_reason is None:
        stop_reason = "tool_use" if any(b["type"] == "tool_use" for b in blocks) else "end_turn"
    out = [
        _sse(
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": "msg_strict",
                    "type": "message",
                    "role": "assistant",
                    "model": "claude-strict",
                    "content": [],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {"input_tokens": 10, "output_tokens": 1},
                },
            },
        )
    ]
    for i, b in enumerate(blocks):
        kind = b["type"]
        if kind == "text":
            out.append(_sse("content_block_start", _start(i, {"type": "text", "text": ""})))
            t = b["text"]
            for j in range(0, len(t), chunk):
                delta = {"type": "text_delta", "text": t[j : j + chunk]}
                out.append(_sse("content_block_delta", _delta(i, delta)))
        elif kind == "thinking":
            start = {"type": "thinking", "thinking": "", "signature": ""}
            out.append(_sse("content_block_start", _start(i, start)))
            delta = {"type": "thinking_delta", "thinking": b["thinking"]}
            out.append(_sse("content_block_delta", _delta(i, delta)))
            sig = {"type": "signature_delta", "signature": signature(b["thinking"])}
            out.append(_sse("content_block_delta", _delta(i, sig)))
        else:
            start = {"type": "tool_use", "id": b["id"], "name": b["name"], "input": {}}
            out.append(_sse("content_block_start", _start(i, start)))
            raw = b["raw"] if "raw" in b else json.dumps(b["input"])
            for j in range(0, len(raw), chunk):
                delta = {"type": "input_json_delta", "partial_json": raw[j : j + chunk]}
                out.append(_sse("content_block_delta", _delta(i, delta)))
        if not b.get("unfinished"):
            out.append(_sse("content_block_stop", {"type": "content_block_stop", "index": i}))
    out.append(
        _sse(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": stop_reason, "stop_sequence": None},
                "usage": {"output_tokens": 5},
            },
        )
    )
    out.append(_sse("message_stop", {"type": "message_stop"}))
    step = Step(chunks=out, fault=fault, fault_at=fault_at if fault_at is not None else 2)
    if error_at is not None:
        err = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
        step.chunks = [*out[:error_at], _sse("error", err)]
    return step


def _start(i: int, block: dict[str, Any]) -> dict[str, Any]:
    return {"type": "content_block_start", "index": i, "content_block": block}


def _delta(i: int, delta: dict[str, Any]) -> dict[str, Any]:
    return {"type": "content_block_delta", "index": i, "delta": delta}


def validate(body: dict[str, Any]) -> str | None:
    """The real API's checks that a broken session log trips; None when acceptable."""
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "messages: at least one message is required"
    seen_ids: set[str] = set()
    for n, m in enumerate(messages):
        role, content = m.get("role"), m.get("content")
        if role != ("user" if n % 2 == 0 else "assistant"):
            return f"messages.{n}: roles must alternate between user and assistant"
        if isinstance(content, str):
            content = [{"type": "text", "text": content}]
        if not content and not (n == len(messages) - 1 and role == "assistant"):
            return f"messages.{n}: all messages must have non-empty content"
        for k, b in enumerate(content):
            kind = b.get("type")
            if kind == "text" and not b.get("text"):
                return f"messages.{n}.content.{k}.text: text content blocks must be non-empty"
            if kind == "text" and not str(b.get("text")).strip():
                return (
                    f"messages.{n}.content.{k}.text: text content blocks must contain "
                    "non-whitespace text"
                )
            if kind == "thinking" and b.get("signature") != signature(b.get("thinking", "")):
                return f"messages.{n}.content.{k}: Invalid `signature` in `thinking` block"
            if kind == "tool_use":
                if role != "assistant":
                    return f"messages.{n}.content.{k}: tool_use in a user message"
                if b.get("id") in seen_ids:
                    return f"messages.{n}.content.{k}: tool_use ids must be unique"
                seen_ids.add(b.get("id"))
                if not isinstance(b.get("input"), dict):
                    return f"messages.{n}.content.{k}.input: Input should be a valid dictionary"
        prev = messages[n - 1] if n else None
        calls = []
        if prev is not None and isinstance(prev.get("content"), list):
            calls = [b.get("id") for b in prev["content"] if b.get("type") == "tool_use"]
        results = [b.get("tool_use_id") for b in content if b.get("type") == "tool_result"]
        lead = [b.get("tool_use_id") for b in content[: len(calls)]]
        if calls and sorted(lead, key=str) != sorted(calls, key=str):
            return (
                f"messages.{n}: `tool_use` ids were found without `tool_result` blocks "
                f"immediately after: {calls}"
            )
        if len(results) != len(set(results)) or set(results) - set(calls):
            return f"messages.{n}: unexpected `tool_use_id` found in `tool_result` blocks"
    last = messages[-1]
    if last.get("role") == "assistant" and isinstance(last.get("content"), list):
        texts = [b for b in last["content"] if b.get("type") == "text"]
        if texts and texts[-1]["text"] != texts[-1]["text"].rstrip():
            return "final assistant content cannot end with trailing whitespace"
    return None


class StrictAPI:
    def __init__(self) -> None:
        self.steps: deque[Step] = deque()
        self.requests: list[dict[str, Any]] = []
        self.rejected: list[str] = []
        self.release_event = threading.Event()
        self.hold = threading.Event()  # set while a step is stalling
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a: Any) -> None:
                pass

            def do_POST(self) -> None:
                size = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(size) or b"{}")
                api.requests.append(body)
                problem = validate(body)
                if problem is not None:
                    api.rejected.append(problem)
                    err = {"type": "invalid_request_error", "message": problem}
                    self._json(400, {"type": "error", "error": err}, {})
                    return
                step = api.steps.popleft() if api.steps else message([_text_block()])
                if step.status != 200:
                    self._json(step.status, step.body or {}, step.headers)
                    return
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("connection", "close")
                self.end_headers()
                for i, chunk in enumerate(step.chunks):
                    if step.fault and i == step.fault_at:
                        if step.fault == "stall":
                            api.hold.set()
                            api.release_event.wait(60)
                        self.close_connection = True
                        if step.fault == "cut":
                            self.wfile.write(chunk[: len(chunk) // 2])
                            self.wfile.flush()
                            self.connection.shutdown(2)
                        return
                    try:
                        self.wfile.write(chunk)
                        self.wfile.flush()
                    except OSError:
                        return
                self.close_connection = True

            def _json(self, code: int, obj: dict[str, Any], headers: dict[str, str]) -> None:
                raw = json.dumps(obj).encode()
                self.send_response(code)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def script(self, *steps: Step) -> None:
        self.steps.extend(steps)

    def env(self, data_dir: str, key: str = "sk-ant-api03-strict-fake") -> dict[str, str]:
        return {
            **os.environ,
            "ANTHROPIC_BASE_URL": self.url,
            "ANTHROPIC_API_KEY": key,
            "NO_PROXY": "127.0.0.1",
            "no_proxy": "127.0.0.1",
            "ROSTER_DATA_DIR": data_dir,
            "PYTHONUNBUFFERED": "1",
        }

    def wait_stalled(self, timeout: float = 20) -> None:
        assert self.hold.wait(timeout), "the stream never reached its stall"

    def __enter__(self) -> StrictAPI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release_event.set()
        self.server.shutdown()
        self.server.server_close()
        time.sleep(0)
