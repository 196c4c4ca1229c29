"""A loopback fake of the Anthropic Messages API: real HTTP/1.1 + SSE on 127.0.0.1.

Point the real SDK at it (`AsyncAnthropic(api_key="test-key", base_url=api.url)` or
`ANTHROPIC_BASE_URL=api.url` for a subprocess). Each POST /v1/messages takes the next scripted
response; every request is recorded so tests can assert what the SDK sent.

    from tests.fakeapi import FakeAPI, reply, text, tool_use, error

    with FakeAPI() as api:
        api.script(
            error(529),                                     # an HTTP error status
            reply(tool_use("t1", "Write", {"file_path": "a.txt", "content": "hi"})),
            reply(text("Done.")),                           # stop_reason end_turn
        )
        ...
        assert api.requests[1].body["messages"][-1]["content"][0]["type"] == "tool_result"

Responses:
  reply(*blocks, stop_reason=None, delay_s=0, cut_after=None, stall_after=None,
        end_after=None, error_after=None, input_tokens=.., output_tokens=..)
      blocks: text(s), thinking(s, signature), tool_use(id, name, input) or
      tool_use(id, name, raw_json='{"bad'). stop_reason defaults to tool_use when a tool_use
      block is present, else end_turn. Faults, counted in SSE events sent:
      cut_after=N   close the socket mid-chunk after N events (SDK: RemoteProtocolError)
      stall_after=N stop sending after N events until `api.release()` or shutdown
      end_after=N   end the body cleanly after N events, before message_stop
      error_after=N send `event: error` (overloaded_error) after N events
      wait_in_flight=N  hold the reply until N requests are in flight at once (at most
                    10 s: a sequential client then shows as `api.max_in_flight < N`)
      after=(marker, N)  hold the reply until N requests whose system prompt holds `marker`
                    have arrived (at most 10 s): orders two concurrent sessions
  sse(events)  a raw list of (event_name, data_dict) pairs (see `message_events`)
  error(status, message=..., headers=None)  e.g. error(529), error(401), error(429,
      headers={"retry-after-ms": "10"}).
Like the real API, a request whose conversation has a `tool_use` without a `tool_result` at
the start of the next message (or a stray `tool_result`), or a content block the API refuses
(fakeapi_content.py: an image that is not what its media_type says, over 5 MB, a document that
is not a PDF...), gets a 400 invalid_request_error and does not consume the script; its message
is kept in `api.rejected`.
Several sessions at once (delegation): `api.route(marker, *responses)` gives the requests whose
system prompt contains `marker` their own script (routes are tried in the order added; the
rest take the main script). `api.in_flight` / `api.max_in_flight` count requests being answered.
The server sends an `event:` line for each event, pings included. Set NO_PROXY for loopback
(done by `FakeAPI.__enter__`).
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.fakeapi_content import content_problem

Event = tuple[str, dict[str, Any]]

__all__ = [
    "FakeAPI",
    "HTTPError",
    "Recorded",
    "SSEReply",
    "error",
    "message_events",
    "raw_block",
    "reply",
    "sse",
    "text",
    "thinking",
    "tool_use",
]


# ----------------------------------------------------------------------------- blocks


def text(value: str, chunk: int = 16) -> dict[str, Any]:
    """A text block, streamed in deltas of `chunk` characters."""
    return {"type": "text", "text": value, "_chunk": chunk}


def thinking(value: str, signature: str = "sig-fake", chunk: int = 32) -> dict[str, Any]:
    return {"type": "thinking", "thinking": value, "signature": signature, "_chunk": chunk}


def tool_use(
    tool_id: str, name: str, input: dict[str, Any] | None = None, *, raw_json: str | None = None
) -> dict[str, Any]:
    """A tool_use block; `raw_json` sends exactly that text as the input JSON (may be broken)."""
    payload = raw_json if raw_json is not None else json.dumps(input or {})
    return {"type": "tool_use", "id": tool_id, "name": name, "_json": payload}


def raw_block(start: dict[str, Any], input_json: str = "") -> dict[str, Any]:
    """A block sent as `start` (e.g. server_tool_use, web_search_tool_result); `input_json`
    streamed as one input_json_delta."""
    return {"type": "_raw", "start": start, "_json": input_json}


def message_events(
    blocks: list[dict[str, Any]],
    *,
    stop_reason: str | None = None,
    model: str = "claude-sonnet-5-5",
    input_tokens: int = 100,
    output_tokens: int = 50,
    cache_read: int = 0,
    cache_creation: int = 0,
    message_id: str = "msg_fake",
) -> list[Event]:
    """The SSE events of one streamed message holding `blocks`, ending with message_stop."""
    if stop_reason is None:
        stop_reason = "tool_use" if any(b["type"] == "tool_use" for b in blocks) else "end_turn"
    events: list[Event] = [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": message_id,
                    "type": "message",
                    "role": "assistant",
                    "model": model,
                    "content": [],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {
                        "input_tokens": input_tokens,
                        "output_tokens": 1,
                        "cache_read_input_tokens": cache_read,
                        "cache_creation_input_tokens": cache_creation,
                    },
                },
            },
        ),
        ("ping", {"type": "ping"}),
    ]
    for index, block in enumerate(blocks):
        events.extend(_block_events(index, block))
    events.append(
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": stop_reason, "stop_sequence": None},
                "usage": {"output_tokens": output_tokens},
            },
        )
    )
    events.append(("message_stop", {"type": "message_stop"}))
    return events


def _block_events(index: int, block: dict[str, Any]) -> list[Event]:
    kind = block["type"]
    out: list[Event] = []

    def delta(d: dict[str, Any]) -> None:
        out.append(
            ("content_block_delta", {"type": "content_block_delta", "index": index, "delta": d})
        )

    if kind == "text":
        start = {"type": "text", "text": ""}
        out.append(
            (
                "content_block_start",
                {"type": "content_block_start", "index": index, "content_block": start},
            )
        )
        value, n = block["text"], block["_chunk"]
        for i in range(0, len(value), n):
            delta({"type": "text_delta", "text": value[i : i + n]})
    elif kind == "thinking":
        start = {"type": "thinking", "thinking": "", "signature": ""}
        out.append(
            (
                "content_block_start",
                {"type": "content_block_start", "index": index, "content_block": start},
            )
        )
        value, n = block["thinking"], block["_chunk"]
        for i in range(0, len(value), n):
            delta({"type": "thinking_delta", "thinking": value[i : i + n]})
        delta({"type": "signature_delta", "signature": block["signature"]})
    elif kind == "tool_use":
        start = {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}
        out.append(
            (
                "content_block_start",
                {"type": "content_block_start", "index": index, "content_block": start},
            )
        )
        payload = block["_json"]
        for i in range(0, len(payload), 20):
            delta({"type": "input_json_delta", "partial_json": payload[i : i + 20]})
    elif kind == "_raw":  # server_tool_use, web_search_tool_result...: as given
        out.append(
            (
                "content_block_start",
                {"type": "content_block_start", "index": index, "content_block": block["start"]},
            )
        )
        if block.get("_json"):
            delta({"type": "input_json_delta", "partial_json": block["_json"]})
    else:
        raise ValueError(f"unknown block type {kind}")
    out.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
    return out


# ----------------------------------------------------------------------------- responses


@dataclass
class SSEReply:
    events: list[Event]
    delay_s: float = 0.0  # between events, on an absolute schedule (no drift)
    cut_after: int | None = None
    stall_after: int | None = None
    end_after: int | None = None
    error_after: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    wait_in_flight: int | None = None
    after: tuple[str, int] | None = None


@dataclass
class HTTPError:
    status: int
    message: str = ""
    headers: dict[str, str] = field(default_factory=dict)


_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


def reply(
    *blocks: dict[str, Any],
    stop_reason: str | None = None,
    delay_s: float = 0.0,
    cut_after: int | None = None,
    stall_after: int | None = None,
    end_after: int | None = None,
    error_after: int | None = None,
    wait_in_flight: int | None = None,
    after: tuple[str, int] | None = None,
    **usage: Any,
) -> SSEReply:
    return SSEReply(
        message_events(list(blocks), stop_reason=stop_reason, **usage),
        delay_s=delay_s,
        cut_after=cut_after,
        stall_after=stall_after,
        end_after=end_after,
        error_after=error_after,
        wait_in_flight=wait_in_flight,
        after=after,
    )


def sse(events: list[Event], **faults: Any) -> SSEReply:
    return SSEReply(list(events), **faults)


def error(status: int, message: str = "", headers: dict[str, str] | None = None) -> HTTPError:
    return HTTPError(status, message or f"fake {status}", dict(headers or {}))


# ----------------------------------------------------------------------------- checks


def conversation_problem(messages: Any) -> str | None:
    """What the real API says about a conversation whose tool calls do not pair up: every
    assistant `tool_use` needs a `tool_result` at the start of the very next user message,
    and every `tool_result` answers a `tool_use` of the message just before it."""
    if not isinstance(messages, list):
        return None

    def blocks(message: Any) -> list[dict[str, Any]]:
        content = message.get("content") if isinstance(message, dict) else None
        return [b for b in content if isinstance(b, dict)] if isinstance(content, list) else []

    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        if message.get("role") == "user":
            before = messages[i - 1] if i > 0 else {}
            asked = {b.get("id") for b in blocks(before) if b.get("type") == "tool_use"}
            for block in blocks(message):
                if block.get("type") == "tool_result" and block.get("tool_use_id") not in asked:
                    return (
                        f"messages.{i}.content: unexpected `tool_use_id` found in `tool_result` "
                        f"blocks: {block.get('tool_use_id')}. Each `tool_result` block must have "
                        "a corresponding `tool_use` block in the previous message."
                    )
            continue
        ids = [b.get("id") for b in blocks(message) if b.get("type") == "tool_use"]
        if not ids:
            continue
        after = blocks(messages[i + 1]) if i + 1 < len(messages) else []
        leading: set[Any] = set()
        for block in after:
            if block.get("type") != "tool_result":
                break
            leading.add(block.get("tool_use_id"))
        missing = [x for x in ids if x not in leading]
        if missing:
            return (
                f"messages.{i + 1}: `tool_use` ids were found without `tool_result` blocks "
                f"immediately after: {', '.join(map(str, missing))}. Each `tool_use` block must "
                "have a corresponding `tool_result` block in the next message."
            )
    return None


# ----------------------------------------------------------------------------- server


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    raw: bytes


class FakeAPI:
    """The server. Start with `with FakeAPI() as api:` (or start()/stop())."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.rejected: list[str] = []  # 400s for conversations the real API would refuse
        self._script: deque[SSEReply | HTTPError] = deque()
        self._routes: list[tuple[str, deque[SSEReply | HTTPError]]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._cond = threading.Condition()
        self._release = threading.Event()
        self._closing = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def script(self, *responses: SSEReply | HTTPError) -> FakeAPI:
        """Append responses; each request takes the next one."""
        with self._cond:
            self._script.extend(responses)
        return self

    def route(self, marker: str, *responses: SSEReply | HTTPError) -> FakeAPI:
        """Requests whose system prompt contains `marker` take these responses, in order."""
        with self._cond:
            for known, queue in self._routes:
                if known == marker:
                    queue.extend(responses)
                    return self
            self._routes.append((marker, deque(responses)))
        return self

    def requests_for(self, marker: str) -> list[Recorded]:
        with self._cond:
            return [r for r in self.requests if marker in system_text(r.body)]

    def release(self) -> None:
        """Let stalled responses continue."""
        self._release.set()

    def wait_for_requests(self, n: int, timeout: float = 10.0) -> bool:
        """Block (in a thread) until at least `n` requests arrived."""
        with self._cond:
            return self._cond.wait_for(lambda: len(self.requests) >= n, timeout)

    @property
    def remaining(self) -> int:
        with self._cond:
            return len(self._script) + sum(len(q) for _, q in self._routes)

    def start(self) -> FakeAPI:
        for var in ("NO_PROXY", "no_proxy"):
            current = os.environ.get(var, "")
            if "127.0.0.1" not in current:
                os.environ[var] = ",".join(x for x in (current, "127.0.0.1,localhost") if x)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._closing.set()
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # called from handler threads
    def _take(self, recorded: Recorded) -> SSEReply | HTTPError:
        with self._cond:
            self.requests.append(recorded)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self._cond.notify_all()
            messages = recorded.body.get("messages")
            problem = conversation_problem(messages) or content_problem(messages)
            if problem is not None:  # as the real API: rejected, the script is not consumed
                self.rejected.append(problem)
                return HTTPError(400, problem)
            system = system_text(recorded.body)
            for marker, queue in self._routes:
                if marker in system:
                    if queue:
                        return queue.popleft()
                    return HTTPError(400, f"fake API: no response left for route {marker!r}")
            if self._script:
                return self._script.popleft()
        return HTTPError(400, "fake API: no scripted response left")

    def _done(self) -> None:
        with self._cond:
            self.in_flight -= 1
            self._cond.notify_all()

    def _wait_in_flight(self, n: int) -> None:
        with self._cond:
            self._cond.wait_for(lambda: self.max_in_flight >= n or self._closing.is_set(), 10.0)

    def _wait_after(self, marker: str, n: int) -> None:
        def arrived() -> bool:
            seen = sum(marker in system_text(r.body) for r in self.requests)
            return seen >= n or self._closing.is_set()

        with self._cond:
            self._cond.wait_for(arrived, 10.0)


def system_text(body: dict[str, Any]) -> str:
    system = body.get("system")
    if isinstance(system, str):
        return system
    if isinstance(system, list):
        return "\n".join(str(b.get("text", "")) for b in system if isinstance(b, dict))
    return ""


def _make_handler(api: FakeAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {}
            recorded = Recorded(
                "POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body, raw
            )
            response = api._take(recorded)
            try:
                if isinstance(response, HTTPError):
                    self._send_error(response)
                else:
                    if response.wait_in_flight is not None:
                        api._wait_in_flight(response.wait_in_flight)
                    if response.after is not None:
                        api._wait_after(*response.after)
                    self._send_sse(response)
            finally:
                api._done()

        def _send_error(self, err: HTTPError) -> None:
            payload = json.dumps(
                {
                    "type": "error",
                    "error": {
                        "type": _ERROR_TYPES.get(err.status, "api_error"),
                        "message": err.message,
                    },
                    "request_id": "req_fake",
                }
            ).encode()
            self.send_response(err.status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.send_header("request-id", "req_fake")
            for key, value in err.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        def _chunk(self, data: bytes) -> None:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

        def _send_sse(self, r: SSEReply) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("cache-control", "no-cache")
            self.send_header("transfer-encoding", "chunked")
            self.send_header("request-id", "req_fake")
            for key, value in r.headers.items():
                self.send_header(key, value)
            self.end_headers()
            start = time.perf_counter()
            try:
                for i, (name, data) in enumerate(r.events):
                    if r.cut_after is not None and i >= r.cut_after:
                        self.wfile.write(b"400\r\nevent: content_blo")  # claims more than sent
                        self.connection.shutdown(socket.SHUT_RDWR)
                        self.close_connection = True
                        return
                    if r.stall_after is not None and i >= r.stall_after:
                        api._release.wait(timeout=60)
                        if api._closing.is_set():
                            self.close_connection = True
                            return
                    if r.end_after is not None and i >= r.end_after:
                        break
                    if r.error_after is not None and i >= r.error_after:
                        err = {
                            "type": "error",
                            "error": {"type": "overloaded_error", "message": "Overloaded"},
                        }
                        self._chunk(f"event: error\ndata: {json.dumps(err)}\n\n".encode())
                        break
                    if r.delay_s:
                        due = start + i * r.delay_s
                        pause = due - time.perf_counter()
                        if pause > 0:
                            time.sleep(pause)
                    self._chunk(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    return Handler
