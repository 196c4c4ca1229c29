"""The Messages API's event stream, read without the SDK's per-event work.

The SDK still builds the request, authenticates, retries before the stream starts and maps
HTTP errors; once the 200 response is open, its body is decoded here into plain dicts (the
wire JSON), a network chunk at a time. The SDK decodes each event in Python line by line and
builds pydantic models for it: at one token per event (16,000 events/s with 8 children) that
took most of a core.

What the SDK's `AsyncStream` does with each Server-Sent Event is kept: `ping` and events
without an `event:` name or without data are skipped, `event: error` raises the same
`APIStatusError` subclass, built from the error body, and data that is not JSON raises
`json.JSONDecodeError`. An event cut off before its blank line is dropped, as there.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

_EVENT = b"event:"
_DATA = b"data:"


class SSEDecoder:
    """Bytes in, complete events out as (event name or None, data). Implements the
    event-stream format (comments, `id`/`retry` fields, several `data:` lines, CR/LF/CRLF
    line ends) with one split per chunk in the common case."""

    def __init__(self) -> None:
        self._buf = b""
        self._scanned = 0  # where the search for a blank line starts again

    def feed(self, chunk: bytes) -> list[tuple[str | None, str]]:
        buf = self._buf + chunk if self._buf else chunk
        if b"\r" in chunk or self._buf.endswith(b"\r"):
            buf = self._normalize(buf)
            if buf.endswith(b"\r"):  # may be the first half of a CRLF: wait for the rest
                self._buf, self._scanned = buf, 0
                return []
        end = buf.rfind(b"\n\n", self._scanned)
        if end < 0:
            self._buf = buf
            self._scanned = max(len(buf) - 1, 0)
            return []
        self._buf = buf[end + 2 :]
        self._scanned = 0
        out: list[tuple[str | None, str]] = []
        for block in buf[:end].split(b"\n\n"):
            if block:
                event = _parse(block)
                if event is not None:
                    out.append(event)
        return out

    def close(self) -> list[tuple[str | None, str]]:
        """At the end of the body: a held CR was a line end after all."""
        if not self._buf.endswith(b"\r"):
            return []
        self._buf = self._buf[:-1] + b"\n"
        return self.feed(b"")

    @staticmethod
    def _normalize(buf: bytes) -> bytes:
        tail = b"\r" if buf.endswith(b"\r") else b""
        body = buf[:-1] if tail else buf
        return body.replace(b"\r\n", b"\n").replace(b"\r", b"\n") + tail


def _parse(block: bytes) -> tuple[str | None, str] | None:
    # the usual shape: "event: NAME\ndata: JSON"
    if block.startswith(_EVENT):
        head, sep, rest = block.partition(b"\n")
        if sep and rest.startswith(_DATA) and b"\n" not in rest:
            name = head[6:].decode()
            name = name[1:] if name.startswith(" ") else name
            data = rest[5:].decode()
            return (name or None), (data[1:] if data.startswith(" ") else data)
    name_: str | None = None
    lines: list[str] = []
    for raw in block.split(b"\n"):
        if not raw:  # (a leftover line end of a blank-line run)
            continue
        line = raw.decode()
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if field == "event":
            name_ = value or None
        elif field == "data":
            lines.append(value)
    return name_, "\n".join(lines)


async def event_batches(stream: Any) -> AsyncIterator[list[dict[str, Any]]]:
    """The events of an open `client.messages.create(..., stream=True)` response, as the
    wire's JSON objects, one list per network chunk (one await per chunk, not per event).
    Events before a failing one (an `event: error`, data that is not JSON) are handed over
    first, as the SDK does."""
    decoder = SSEDecoder()
    response = stream.response
    encoding = response.headers.get("content-encoding", "").strip().lower()
    # not compressed (the usual case): the raw body, one generator layer fewer per chunk
    chunks = response.aiter_raw() if encoding in ("", "identity") else response.aiter_bytes()
    async for chunk in chunks:
        batch, failure = _payloads(stream, decoder.feed(chunk))
        if batch:
            yield batch
        if failure is not None:
            raise failure
    batch, failure = _payloads(stream, decoder.close())
    if batch:
        yield batch
    if failure is not None:
        raise failure


def _payloads(
    stream: Any, events: list[tuple[str | None, str]]
) -> tuple[list[dict[str, Any]], BaseException | None]:
    batch: list[dict[str, Any]] = []
    loads = json.loads
    for name, data in events:
        if name is None or name == "ping":
            continue
        if name == "error":
            return batch, _status_error(stream, data)
        if not data:
            continue
        try:
            value = loads(data)
        except ValueError as exc:
            return batch, exc
        if not isinstance(value, dict):
            return batch, json.JSONDecodeError("the event's data is not a JSON object", data, 0)
        batch.append(value)
    return batch, None


def _status_error(stream: Any, data: str) -> BaseException:
    """What the SDK raises for `event: error` (an APIStatusError subclass chosen from the
    status and the body's error type; the status is the stream's 200)."""
    body: object = data
    try:
        body = json.loads(data)
        message = f"{body}"
    except Exception:
        message = data or f"Error code: {stream.response.status_code}"
    error: BaseException = stream._client._make_status_error(
        message, body=body, response=stream.response
    )
    return error
