"""Roster decodes the event stream itself (core/session/sse.py). The fake API sends one LF-ended
event per write, so the session tests never split an event across network chunks nor use CR or
CRLF line ends: here the decoder must find the same events as the SDK's own decoder does for any
cut of the same bytes."""

from __future__ import annotations

import random

from anthropic._streaming import SSEDecoder as SDKDecoder

from tui.core.session.sse import SSEDecoder

PIECES = [
    "event: content_block_delta\n",
    "event:message_stop\n",
    'data: {"type": "x", "text": "é ☃"}\n',
    "data:2\n",
    "data: \n",
    ": a comment\n",
    "id: 3\n",
    "retry: 5\n",
    "unknown: field\n",
    "event: \n",
    "\n",
    "\r\n",
    "\r",
]


def sdk_events(body: bytes) -> list[tuple[str | None, str]]:
    out = []
    for sse in SDKDecoder().iter_bytes(iter([body])):
        if sse.event is not None:  # (the SDK's stream skips the others too)
            out.append((sse.event, sse.data))
    return out


def our_events(body: bytes, rng: random.Random) -> list[tuple[str | None, str]]:
    decoder, out, i = SSEDecoder(), [], 0
    while i < len(body):
        step = rng.randint(1, 9)
        out += decoder.feed(body[i : i + step])
        i += step
    out += decoder.close()
    return [(name, data) for name, data in out if name is not None]


def test_same_events_as_the_sdk_for_any_chunking_and_line_ends() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        body = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 16))).encode()
        assert our_events(body, rng) == sdk_events(body), body


def test_a_crlf_split_between_chunks_is_one_line_end() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"event: a\r\ndata: 1\r") == []
    assert decoder.feed(b"\n\r") == []
    assert decoder.feed(b"\nevent: b\r\ndata: 2\r\n\r\n") == [("a", "1"), ("b", "2")]
