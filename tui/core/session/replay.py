"""The DEMO server: a scripted Messages API on 127.0.0.1 (real HTTP + SSE, background thread).

`roster run NAME "task" --demo` (and the app's demo mode) point the real SDK at it. With the bundled
library, `l1-phase-orchestrator` plays a delegation run (demo_delegation.py). The script
shows thinking, text, a Write tool call (which asks permission in the default mode) and a
completion report: TASK_COMPLETE when the write was allowed, TASK_BLOCKED when it was denied.
Everything it says is labelled DEMO. No network beyond loopback, no API key needed.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .demo_delegation import delegation_script

DEMO_MODEL = "claude-sonnet-5-5"
DEMO_API_KEY = "demo-no-key"
DEMO_FILE = "demo_health.py"
DEMO_CONTENT = '''"""DEMO: a /health endpoint written by Roster's scripted demo session."""

from http.server import BaseHTTPRequestHandler


class Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/health":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")
        else:
            self.send_error(404)
'''
DEMO_AGENT_BODY = (
    "You are the Roster DEMO agent. You show what a session looks like: you think, write one "
    "file, and end with a completion report.\n\n## Completion Report\n\n"
    "TASK_COMPLETE: {task_id}\nSTATUS: success\nARTIFACTS: [files]\nSUMMARY: one line\n"
    "VERIFIED: [checks]\n"
)


def _last_tool_result(body: dict[str, Any]) -> dict[str, Any] | None:
    messages = body.get("messages") or []
    if not messages or messages[-1].get("role") != "user":
        return None
    content = messages[-1].get("content")
    if not isinstance(content, list):
        return None
    for block in content:
        if isinstance(block, dict) and block.get("type") == "tool_result":
            return block
    return None


def script_for(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The content blocks to stream for this request (the delegation run's when the system
    prompt is one of the bundled orchestrator/specialist/worker bodies it plays)."""
    delegated = delegation_script(body)
    if delegated is not None:
        return delegated
    result = _last_tool_result(body)
    if result is None:
        return [
            {
                "type": "thinking",
                "thinking": "[DEMO] The task asks for a health endpoint. "
                "I will write one small file, then report.",
                "signature": "demo-signature",
            },
            {
                "type": "text",
                "text": "**[DEMO]** This is a scripted session from Roster's "
                "local replay server — no API call is made.\n\nI'll add a `/health` endpoint in "
                f"`{DEMO_FILE}`.\n",
            },
            {
                "type": "tool_use",
                "id": "toolu_demo_write",
                "name": "Write",
                "input": {"file_path": DEMO_FILE, "content": DEMO_CONTENT},
            },
        ]
    if result.get("is_error"):
        return [
            {
                "type": "text",
                "text": (
                    "**[DEMO]** The write was not allowed, so I stopped there.\n\n"
                    "TASK_BLOCKED: demo-health\n"
                    "BLOCKER: permission to write demo_health.py was denied\n"
                    "SUGGESTED_ACTION: run the demo again and allow the Write\n"
                ),
            }
        ]
    return [
        {
            "type": "text",
            "text": (
                f"**[DEMO]** `{DEMO_FILE}` is written. Here is my report.\n\n"
                "```\n"
                "TASK_COMPLETE: demo-health\n"
                "STATUS: success\n"
                f"ARTIFACTS: [{DEMO_FILE}]\n"
                "SUMMARY: DEMO — added a /health endpoint that answers 200 ok\n"
                "VERIFIED: [file written, endpoint returns 200]\n"
                "```\n"
            ),
        }
    ]


def sse_events(
    blocks: list[dict[str, Any]], model: str = DEMO_MODEL, input_tokens: int = 0
) -> list[tuple[str, Any]]:
    stop = "tool_use" if any(b["type"] == "tool_use" for b in blocks) else "end_turn"
    # plausible counts (about four characters a token) so the status line has something to show
    output_tokens = sum(len(json.dumps(b)) for b in blocks) // 4
    out: list[tuple[str, Any]] = [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": "msg_demo",
                    "type": "message",
                    "role": "assistant",
                    "model": model,
                    "content": [],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {"input_tokens": input_tokens, "output_tokens": 1},
                },
            },
        )
    ]
    for i, block in enumerate(blocks):
        kind = block["type"]
        if kind == "text":
            start: dict[str, Any] = {"type": "text", "text": ""}
            pieces = [
                ("text_delta", "text", block["text"][n : n + 12])
                for n in range(0, len(block["text"]), 12)
            ]
        elif kind == "thinking":
            start = {"type": "thinking", "thinking": "", "signature": ""}
            pieces = [
                ("thinking_delta", "thinking", block["thinking"][n : n + 16])
                for n in range(0, len(block["thinking"]), 16)
            ]
            pieces.append(("signature_delta", "signature", block["signature"]))
        else:
            start = {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}
            raw = json.dumps(block["input"])
            pieces = [
                ("input_json_delta", "partial_json", raw[n : n + 40])
                for n in range(0, len(raw), 40)
            ]
        out.append(
            (
                "content_block_start",
                {"type": "content_block_start", "index": i, "content_block": start},
            )
        )
        out.extend(
            (
                "content_block_delta",
                {"type": "content_block_delta", "index": i, "delta": {"type": t, key: value}},
            )
            for t, key, value in pieces
        )
        out.append(("content_block_stop", {"type": "content_block_stop", "index": i}))
    out.append(
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": stop, "stop_sequence": None},
                "usage": {"output_tokens": output_tokens},
            },
        )
    )
    out.append(("message_stop", {"type": "message_stop"}))
    return out


class DemoServer:
    """`with DemoServer() as server: ... server.url`. `pace_s` is the pause between events."""

    def __init__(self, pace_s: float = 0.012) -> None:
        self.pace_s = pace_s
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> DemoServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _handler(server: DemoServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {}
            events = sse_events(script_for(body), input_tokens=len(raw) // 4)
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            try:
                for name, data in events:
                    chunk = f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    if server.pace_s:
                        time.sleep(server.pace_s)
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    return Handler
